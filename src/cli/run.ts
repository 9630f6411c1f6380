/**
 * The command line: `carebudget run | rerun | validate | presets | init | compare | optimize | explore | population | fit | fit-dist`, each with
 * its own `--help`. Runs go to the worker pool and switch to streaming summaries when per-path
 * results would not fit the memory budget. Exit codes: 0 done, 1 invalid input, 2 usage or I/O,
 * 70 a fault in carebudget itself.
 *
 * @packageDocumentation
 */ import { parseArgs } from 'node:util';
import { presets } from '../scenario/presets';
import { VERSION } from '../version';
import { CliError } from './errors';
import { forgetOutDirs, removeEmptyOutDirs } from './outputs';
import { OptionError } from '../errors';
import {
  closest,
  COMMON,
  didYouMean,
  POPULATION_OPTIONS,
  FIT_DIST_OPTIONS,
  FIT_OPTIONS,
  BACKTEST_OPTIONS,
  PROCESS_OUTPUT,
  MERGE_OPTIONS,
  RUN_SETTINGS,
  SENSITIVITY_OPTIONS,
  COMPARE_OPTIONS,
  OPTIMIZE_OPTIONS,
  EXPLORE_OPTIONS,
  type CliOutput,
  type OptionSpec,
  type Values,
} from './options';

export type { CliOutput } from './options';

interface Command {
  readonly usage: readonly string[];
  readonly summary: string;
  readonly options: Record<string, OptionSpec>;
  readonly more?: string;
  /** What the command does, imported when it runs: the help and the options need none of the library. */
  load(): Promise<(values: Values, positionals: string[], io: CliOutput) => Promise<number>>;
}

const COMMANDS: Record<string, Command> = {
  run: {
    usage: ['run <scenario.yaml|json> [options]', 'run --preset NAME [options]'],
    summary: 'run a scenario and print the deviations; write result files',
    options: {
      preset: { type: 'string', arg: 'NAME', help: 'run a built-in scenario (see `carebudget presets`)' },
      paths: { type: 'string', arg: 'N', help: "number of paths (default: the scenario's)" },
      seed: { type: 'string', arg: 'S', help: "seed: a whole number or a text (default: the scenario's)" },
      strategies: {
        type: 'string',
        arg: 'LIST',
        help: "strategies to run, comma-separated: ids from the scenario's strategies section, or frame, demographicFrame, hybrid, activity with their defaults",
      },
      shard: {
        type: 'string',
        arg: 'K/N',
        help: 'run only the K-th of N contiguous blocks of the paths (of whole blocks of --block-paths paths for streaming summaries) and write it as a part (needs --json); `carebudget merge` joins the N parts, bit for bit the whole run',
      },
      ...RUN_SETTINGS,
    },
    load: async () => (await import('./commands')).runCommand,
  },
  rerun: {
    usage: ['rerun <result.json> [options]'],
    summary: 'run again the scenario stored in a result file and check that it reproduces the file',
    options: RUN_SETTINGS,
    more: 'Exits 1 when the new run differs from the file. Warns when the file was made by another version.',
    load: async () => (await import('./commands')).rerunCommand,
  },
  merge: {
    usage: ['merge <part.json>... [--json FILE] [--csv FILE] [--report FILE] [--out DIR]'],
    summary:
      'join the parts of a run made in shards (run --shard K/N) into its result, with the outputs of run; or those of a sensitivity analysis (sensitivity --shard K/N)',
    options: MERGE_OPTIONS,
    more: 'Every part of the run must be given once: the same scenario, version and strategies, K = 1 to N. The merge is bit for bit the run made in one process (per-path figures); so are parts of streaming summaries, whose shards are cut on whole blocks of --block-paths paths (default 10,000). The parts of a sensitivity analysis merge into the analysis, number for number the one made in one process, with the outputs of sensitivity (--json, --csv, --report, --out and their locales).',
    load: async () => (await import('./commands')).mergeCommand,
  },
  validate: {
    usage: ['validate <scenario.yaml|json>'],
    summary: 'check a scenario file and list every problem',
    options: {},
    load: async () => (await import('./commands')).validateCommand,
  },
  presets: {
    usage: ['presets'],
    summary: 'list the built-in scenarios',
    options: {},
    load: async () => async (_v, _p, io) => {
      for (const [name, make] of Object.entries(presets)) io.out(`${name}: ${make().description ?? ''}\n`);
      return 0;
    },
  },
  init: {
    usage: ['init [FILE] [--preset NAME] [--force]'],
    summary: 'write a commented starter scenario in YAML (default scenario.yaml; - for standard output)',
    options: {
      preset: { type: 'string', arg: 'NAME', help: 'the built-in scenario to start from (default lejre-2034)' },
      force: { type: 'boolean', help: 'overwrite FILE if it exists' },
      schema: {
        type: 'string',
        arg: 'URL',
        help: "the JSON Schema editors check the file against (default: the installed package's own scenario.schema.json, by a path relative to the file)",
      },
    },
    load: async () => (await import('./commands')).initCommand,
  },
  sensitivity: {
    usage: [
      'sensitivity <scenario.yaml|json> [--method sobol|tornado|rank|two-level] [--figure F] [--strategy LIST] [--year LIST] [--out DIR]',
      'sensitivity --preset NAME [options]',
    ],
    summary:
      'which driver makes the deviation: the share of its variance each input group explains, by year and strategy',
    options: SENSITIVITY_OPTIONS,
    more: "Sobol' indices by pick-freeze on the input groups (demography, use-rates, intensity, productivity, prices, care-home-flows, ...), rank correlations of the scalar inputs, a tornado, or the split between structural parameters and year-to-year variability. Writes JSON, CSV and an HTML report.",
    load: async () => (await import('./sensitivity')).sensitivityCommand,
  },
  compare: {
    usage: ['compare <base> <variant> [options]'],
    summary: 'compare a scenario with a variant of itself, path by path on the same random numbers',
    options: COMPARE_OPTIONS,
    more: [
      'BASE and VARIANT are scenario files (YAML or JSON) or preset:NAME. Both run with one seed',
      'and the same paths, so path i is the same future in both and the difference variant − base,',
      'path by path, is the change alone. Prints a table per strategy and figure: by year the two',
      'means, the median difference with its P5 to P95, the mean difference ± 1.96 × its Monte',
      'Carlo standard error, P(variant > base), and the sd of the paired difference against that',
      'of two independent runs. Money in m kr. The scenarios must simulate the same years with the',
      'same step, seed and paths; --seed and --paths set both.',
      '',
      'Example:',
      '  carebudget compare examples/compare/base.yaml examples/compare/variant.yaml \\',
      '    --strategy frame --paths 500 --report compare.html --report-locale da',
    ].join('\n'),
    load: async () => (await import('./compare')).compareCommand,
  },
  population: {
    usage: ['population <file> --municipality NAME --groups 67-79,80+ [options]'],
    summary: "turn a Statistics Denmark population projection (JSON-stat or CSV) into a scenario's population section",
    options: POPULATION_OPTIONS,
    more: 'Reads JSON-stat (the API\'s {"dataset": ...} answer or JSON-stat 2.0) or the semicolon CSV export; sums single ages into the groups.',
    load: async () => (await import('./population')).populationCommand,
  },
  fit: {
    usage: [
      'fit --population FILE --recipients FILE [--hours FILE] --municipality NAME --groups 67-79,80+ --out FILE [options]',
    ],
    summary: "fit home care's use rates, trend, year-to-year noise and hours to a municipality's history",
    options: FIT_OPTIONS,
    more: [
      "Reads Statistics Denmark's tables (JSON-stat or the CSV export) of citizens, recipients of home",
      'care and optionally visited hours, by the groups and year, and fits the use rate of each group',
      'in the base year, their common trend a year with its standard error, the year-to-year noise',
      'beyond sampling, and hours per recipient with their trend. Prints a summary and writes the',
      'scenario with the fitted values (commented YAML, or JSON), merged into --scenario or --preset',
      'when given; it validates and runs as it is.',
      '',
      'Example:',
      '  carebudget fit --population examples/data/lejre-folk1am.json \\',
      '    --recipients examples/data/lejre-aed06.csv --hours examples/data/lejre-aed022.json \\',
      "    --municipality Lejre --groups 67-79,80+ --fixed 'YDELSESTYPE=Personlig og/eller praktisk hjælp' \\",
      '    --out fitted.yaml --diagnostics fit.json',
    ].join('\n'),
    load: async () => (await import('./fit')).fitCommand,
  },
  backtest: {
    usage: [
      'backtest [scenario.yaml|json] --population FILE --recipients FILE --hours FILE --municipality NAME --groups 67-79,80+ --origins 2016..2021 --out DIR [options]',
      'backtest --preset NAME --population FILE ... [options]',
    ],
    summary: "score home care's projection on the municipality's own history: bands, PIT and CRPS",
    options: BACKTEST_OPTIONS,
    more: [
      'For each origin year, fits home care (as `fit` does) on the history up to it, projects the',
      'following --horizon years with the population that came, and scores the recipients and',
      'visited hours that followed: the PIT, whether they lay in the 50 % and 90 % bands, and the',
      'CRPS beside the error of the straight line through the history. The scenario, when given,',
      'is the base each fit merges into. Prints the scores by years ahead and writes backtest.json,',
      'rows.csv and report.html into DIR, all or nothing.',
      '',
      'Example:',
      '  carebudget backtest --population examples/data/lejre-folk1am.json \\',
      '    --recipients examples/data/lejre-aed06.csv --hours examples/data/lejre-aed022.json \\',
      "    --municipality Lejre --groups 67-79,80+ --fixed 'YDELSESTYPE=Personlig og/eller praktisk hjælp' \\",
      '    --origins 2016..2021 --horizon 3 --out backtest',
    ].join('\n'),
    load: async () => (await import('./backtest')).backtestCommand,
  },
  'fit-dist': {
    usage: ['fit-dist <values.csv> [--column NAME] [--candidates LIST] [--bootstrap B] [--out DIR] [--unit TEXT]'],
    summary: 'fit distributions to data by maximum likelihood and print the best as a scenario input',
    options: FIT_DIST_OPTIONS,
    more: [
      'Reads a CSV of values: one column, or the column --column names by its header. Commas,',
      'semicolons or tabs separate the columns (the first line decides); in a semicolon file',
      'numbers may have decimal commas and thousands points (1.234,5), and a file of one column',
      'with decimal commas (12,5 or 1.234,5) is read as Danish numbers. A row with more or fewer',
      'cells than the header is refused. Empty cells are skipped. Fits normal, lognormal, gamma,',
      'Weibull, beta, PERT, Pareto and a lognormal body with a Pareto tail, ranks them by AIC with',
      'the Kolmogorov-Smirnov D and Anderson-Darling A², and prints the best as the YAML a',
      'scenario file takes.',
      '',
      'Example:',
      '  carebudget fit-dist costs.csv --column kr --bootstrap 200 --unit kr --out fit',
    ].join('\n'),
    load: async () => (await import('./fitDist')).fitDistCommand,
  },
  optimize: {
    usage: [
      'optimize <scenario.yaml|json> --problem problem.yaml --out DIR [options]',
      'optimize --preset NAME --problem problem.yaml --out DIR [options]',
    ],
    summary: 'search steering designs for the one that best meets an objective under constraints',
    options: OPTIMIZE_OPTIONS,
    more: [
      'Every candidate the problem names runs on the same paths (common random numbers), so the',
      "differences between them are the designs' own; the best are then run again on fresh paths,",
      'with a 90 % interval for the objective and each constraint. Before any work it prints the',
      'estimate (evaluations × paths + verified designs × verify paths, in strategy-paths, and the',
      'time) and refuses above --max-minutes. Prints the best design, its objective and constraints',
      'and the probability that it is better on the objective than the runner-up, and writes',
      'result.json, candidates.csv and report.html into DIR. Ctrl-C stops the search (exit code',
      '130) and writes nothing.',
      '',
      'Example:',
      '  carebudget optimize --preset lejre-2034 --problem problem.yaml --out optimized --threads 2',
    ].join('\n'),
    load: async () => (await import('./optimize')).optimizeCommand,
  },
  explore: {
    usage: [
      'explore [scenario.yaml|json] [--out explorer.html] [options]',
      'explore --preset NAME [--out explorer.html]',
    ],
    summary: 'a page where the steering and the assumptions move and the distributions answer',
    options: EXPLORE_OPTIONS,
    more: [
      "Ranks the scenario's uncertain inputs once (a Sobol' analysis, a second or two), then builds",
      "the explorer page: the strategies' settings, the most influential inputs and the population",
      "forecast's error can be moved, and every change re-runs the model in the browser's Web",
      'Workers on the same random numbers, first from 300 paths, then refined to the full count.',
      'The state is kept in the address; the changed scenario and the report can be downloaded.',
      'Without --out the page is served on 127.0.0.1 on a free port, its address printed and opened',
      'in the default browser where there is one, until Ctrl-C. With --out it is one file that',
      'works offline from disk.',
      '',
      'Example:',
      '  carebudget explore --preset lejre-2034 --out explorer.html --locale da',
    ].join('\n'),
    load: async () => (await import('./explore')).exploreCommand,
  },
};

function commandHelp(name: string, c: Command): string {
  const all = { ...c.options, ...COMMON };
  const indent = ' '.repeat(26);
  const lines = Object.entries(all).map(([k, o]) => {
    const flag = `${o.short === undefined ? '    ' : `-${o.short}, `}--${k}${o.arg === undefined ? '' : ` ${o.arg}`}`;
    const help = wrap(o.help, 74).join(`\n${indent}`);
    return flag.length > 22 ? `  ${flag}\n${indent}${help}` : `  ${flag.padEnd(24)}${help}`;
  });
  return [
    `carebudget ${name}: ${c.summary}`,
    '',
    'Usage:',
    ...c.usage.map((u) => `  carebudget ${u}`),
    ...(c.more === undefined ? [] : ['', c.more]),
    '',
    'Options:',
    ...lines,
    '',
    EXIT_CODES,
  ].join('\n');
}

/** Words into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

const EXIT_CODES =
  'Exit codes: 0 done, 1 invalid input (scenario, result or population file; a run that fails\non it), 2 usage or file error, 70 a fault in carebudget itself (please report it, with\nthe output of --debug).';

const GENERAL_HELP = [
  'carebudget: Monte Carlo projections of care budgets under frame and activity steering',
  '',
  'Usage: carebudget <command> [options]     (carebudget <command> --help for its options)',
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`),
  '  help        this text, or `carebudget help <command>`',
  '',
  'Scenario files are YAML or JSON. Options for every command: --help, --version, --debug.',
  'Output options take a file name, or - for standard output.',
  EXIT_CODES,
].join('\n');

/**
 * Runs the command line with the given arguments.
 *
 * @param argv - the arguments after the program name
 * @param io - where to write (default: standard output and error)
 * @returns the exit code: 0 done, 1 invalid input, 2 a usage or file error
 * @internal
 */
export async function runCli(argv: readonly string[], io: CliOutput = PROCESS_OUTPUT): Promise<number> {
  forgetOutDirs();
  const code = await reported(argv, io);
  // A command that failed leaves no directory it made for its outputs (--out DIR) behind empty.
  if (code !== 0) removeEmptyOutDirs();
  return code;
}

/** Runs a command and says what went wrong, if anything: the exit code. */
async function reported(argv: readonly string[], io: CliOutput): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await main([...argv], io);
  } catch (e) {
    if (debug) io.err(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    if (e instanceof CliError) {
      io.err(`carebudget: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`carebudget: ${e.message}\n`);
      return 2;
    }
    if (e instanceof OptionError) {
      io.err(`carebudget: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && (await isInvalidInput(e))) {
      io.err(`carebudget: ${e.message}\n`);
      return 1;
    }
    // A fault in carebudget itself: said plainly, the stack only with --debug.
    io.err(
      `carebudget: internal error: ${e instanceof Error ? e.message : String(e)}${debug ? '' : ' (run with --debug for the stack trace)'}\n`,
    );
    return 70;
  }
}

/**
 * A scenario, simulation or result error: invalid input, exit 1. Their modules are loaded only
 * here, after a command has run (and so loaded them), not for the help.
 */
async function isInvalidInput(e: Error): Promise<boolean> {
  const [{ ScenarioError }, { SimulationError }, { ResultError }] = await Promise.all([
    import('../scenario/parse'),
    import('../simulation/errors'),
    import('../simulation/result'),
  ]);
  return e instanceof ScenarioError || e instanceof SimulationError || e instanceof ResultError;
}

/** An unknown command's error: the nearest commands, then every one. */
function unknownCommand(name: string, more: string): CliError {
  const hint = didYouMean(closest(name, [...Object.keys(COMMANDS), 'help']));
  return new CliError(
    `unknown command "${name}"${hint === '' ? '' : ` (${hint})`}; expected one of ${Object.keys(COMMANDS).join(', ')}${more}`,
  );
}

/** `--paths -1` as `--paths=-1`, so a negative value meets the option's own check, not the parser's "ambiguous". */
function joinNegativeValues(argv: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

async function main(argv: string[], io: CliOutput): Promise<number> {
  const name = argv.find((a) => !a.startsWith('-'));
  const before = name === undefined ? argv : argv.slice(0, argv.indexOf(name));
  if (before.includes('--version') || before.includes('-V')) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  if (name === undefined) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(`${GENERAL_HELP}\n`);
      return 0;
    }
    if (argv.length > 0 && argv.some((a) => a !== '--debug'))
      throw new CliError(`expected a command before ${argv.find((a) => a !== '--debug')}; see carebudget --help`);
    io.err(`${GENERAL_HELP}\n`);
    return 2;
  }
  if (argv.indexOf(name) > 0 && argv.slice(0, argv.indexOf(name)).some((a) => a !== '--debug'))
    throw new CliError(`expected the command first; received ${argv[0]} before ${name}`);
  const rest = argv.slice(argv.indexOf(name) + 1);
  if (name === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    if (topic === undefined) {
      io.out(`${GENERAL_HELP}\n`);
      return 0;
    }
    const c = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
    if (c === undefined) throw unknownCommand(topic, '');
    io.out(`${commandHelp(topic, c)}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw unknownCommand(name, ' (see carebudget --help)');
  const options = { ...command.options, ...COMMON };
  const config = {
    args: joinNegativeValues(rest, options),
    allowPositionals: true,
    options: Object.fromEntries(
      Object.entries(options).map(([k, o]) => [
        k,
        {
          type: o.type,
          ...(o.short === undefined ? {} : { short: o.short }),
          ...(o.multiple === true ? { multiple: true } : {}),
        },
      ]),
    ),
  };
  // Unknown options first, each with the nearest known ones, rather than the parser's own words.
  for (const token of parseArgs({ ...config, strict: false, tokens: true }).tokens) {
    if (token.kind !== 'option' || Object.hasOwn(options, token.name)) continue;
    const hint = token.rawName.startsWith('--') ? didYouMean(closest(token.name, Object.keys(options)), '--') : '';
    throw new CliError(
      `unknown option ${token.rawName}${hint === '' ? '' : `; ${hint}`} (see carebudget ${name} --help)`,
    );
  }
  const { values, positionals } = parseArgs({ ...config, strict: true });
  if (values.help === true) {
    io.out(`${commandHelp(name, command)}\n`);
    return 0;
  }
  if (values.version === true) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const run = await command.load();
  return run(values as Values, positionals, io);
}
