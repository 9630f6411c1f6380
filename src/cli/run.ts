/**
 * The command line: `carebudget run | rerun | validate | presets | init | population`, each with
 * its own `--help`. Runs go to the worker pool and switch to streaming summaries when per-path
 * results would not fit the memory budget. Exit codes: 0 done, 1 invalid input, 2 usage or I/O,
 * 70 a fault in carebudget itself.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { STEPS_PER_MINUTE } from '../simulation/estimate';
import { presets } from '../scenario/presets';
import { ScenarioError } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import {
  RECORDED_FIGURES,
  ResultError,
  resultFromJSON,
  resultJSONPieces,
  type SimulationResult,
} from '../simulation/result';
import { runRecord, scenarioHash, type RunRecord } from '../simulation/record';
import { SimulationError } from '../simulation/errors';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { RunResult } from '../results/streaming';
import { formatDeviationTable } from '../report/table';
import { simulateParallel } from '../node/index';
import { VERSION } from '../version';
import { CliError, invalidInput } from './errors';
import { OptionError } from '../errors';
import { inputGroupsOf } from '../sensitivity/run';
import { parseDataText, readText } from './input';
import {
  checkWritable,
  outputTarget,
  planOutputs,
  prepareOutDir,
  STDOUT,
  writeAll,
  writesToStdout,
  type FileContent,
} from './outputs';
import { CSV_LOCALES, metricsCsv, summaryCsv, summaryJson, type CsvLocale } from './csv';
import { schemaLink, shippedSchemaFile, starterYaml } from './init';
import { populationCommand, POPULATION_OPTIONS } from './population';
import { dataOutput, DATA_FORMS, type DataForm } from './data';
import { renderReport } from '../html/render';
import { SENSITIVITY_OPTIONS, sensitivityCommand } from './sensitivity';
import {
  choiceOption,
  closest,
  countOption,
  didYouMean,
  isRecord,
  onePositional,
  progressBar,
  PROCESS_OUTPUT,
  REPORT_LOCALES,
  scenarioFromCommandLine,
  seedOption,
  validated,
  type CliOutput,
  type OptionSpec,
  type ReportLocale,
  type Values,
} from './common';

export type { CliOutput } from './common';

/** A finished run, which the output files are made from. */
interface FinishedRun {
  readonly scenario: Scenario;
  readonly result: RunResult;
  readonly record: RunRecord;
  readonly csvLocale: CsvLocale;
  readonly dataForm: DataForm;
  readonly reportLocale: ReportLocale;
  readonly jsonForm: JsonForm;
}

/** The forms `--json-form` accepts: base64 float64 arrays (default), or arrays of JSON numbers. */
const JSON_FORMS = ['compact', 'plain'] as const;
type JsonForm = (typeof JSON_FORMS)[number];

/**
 * A run's output files. One line each: a new output is one more entry here (its option, help,
 * default name under `--out` and what it writes) and nothing else.
 */
interface OutputSpec {
  readonly option: string;
  readonly help: string;
  /** The name under `--out DIR`; outputs without one are written only when named. */
  readonly defaultName?: string;
  /** Needs every path's figures (not streaming summaries). */
  readonly perPath?: boolean;
  /** What the file holds, made when the file is written. */
  content?(run: FinishedRun): FileContent;
  /** Or, for what takes asynchronous work (the report's charts), made before any file is written. */
  prepare?(run: FinishedRun): Promise<FileContent>;
}

const OUTPUTS: readonly OutputSpec[] = [
  {
    option: 'json',
    defaultName: 'result.json',
    help: 'the result as JSON (every path, or the streaming summaries), with what rebuilds the run',
    content: resultJson,
  },
  {
    option: 'summary-json',
    help: "the summary per strategy, year and figure as JSON rows (the raw CSV's columns), for jq or DuckDB",
    content: (r) => summaryJson(r.result),
  },
  {
    option: 'csv',
    defaultName: 'summary.csv',
    help: 'the summary per strategy, year and figure as CSV',
    content: (r) => summaryCsv(r.result, r.csvLocale),
  },
  {
    option: 'metrics-csv',
    defaultName: 'metrics.csv',
    help: "the services' own metrics (waiting list, guarantee breaches, ...) per strategy and year as CSV",
    content: (r) => metricsCsv(r.result, r.csvLocale),
  },
  {
    option: 'arrow',
    perPath: true,
    help: "every path's figures as an Apache Arrow IPC file",
    content: (r) => dataOutput('arrow', r),
  },
  {
    option: 'parquet',
    perPath: true,
    help: "every path's figures as a Parquet file",
    content: (r) => dataOutput('parquet', r),
  },
  {
    option: 'report',
    defaultName: 'report.html',
    help: 'a self-contained HTML report: charts, tables and a reading in words (see --report-locale)',
    prepare: (r) => renderReport(r.result, { scenario: r.scenario, locale: r.reportLocale }),
  },
];

const OUTPUT_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  OUTPUTS.map((o) => [o.option, { type: 'string', arg: 'FILE', help: `${o.help} (- for standard output)` }]),
);

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'this text' },
  version: { type: 'boolean', short: 'V', help: "carebudget's version" },
  debug: { type: 'boolean', help: 'print the stack trace of an error' },
};

const RUN_SETTINGS: Record<string, OptionSpec> = {
  'max-minutes': {
    type: 'string',
    arg: 'N',
    help: 'refuse a run estimated above N minutes of one core (default 17: 1e10 steps at 6e8 a minute); raise it knowingly',
  },
  threads: {
    type: 'string',
    arg: 'N',
    help: 'worker threads (default: all cores; runs under 2,000 paths stay on one thread)',
  },
  summary: {
    type: 'string',
    arg: 'MODE',
    help: 'auto (default): every path unless it would take more than --memory-mib, then streaming summaries; exact; or streaming',
  },
  'memory-mib': { type: 'string', arg: 'N', help: 'memory allowed for per-path figures in auto mode (default 1024)' },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write result.json, summary.csv, metrics.csv and report.html into DIR (made if missing); other output names are taken inside DIR',
  },
  ...OUTPUT_OPTIONS,
  'json-form': {
    type: 'string',
    arg: 'FORM',
    help: 'compact (default: each array as base64 float64 bytes, bit for bit) or plain (arrays of JSON numbers) for --json',
  },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default: comma, full precision, code names), en (readable, rounded) or da (Danish Excel: semicolons, decimal commas, byte-order mark)',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of --report',
  },
  'data-form': {
    type: 'string',
    arg: 'FORM',
    help: 'wide (default: a column per figure) or long (path, strategy, service, year, figure, value; metrics included) for --arrow and --parquet',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

interface Command {
  readonly usage: readonly string[];
  readonly summary: string;
  readonly options: Record<string, OptionSpec>;
  readonly more?: string;
  run(values: Values, positionals: string[], io: CliOutput): Promise<number>;
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
      ...RUN_SETTINGS,
    },
    run: runCommand,
  },
  rerun: {
    usage: ['rerun <result.json> [options]'],
    summary: 'run again the scenario stored in a result file and check that it reproduces the file',
    options: RUN_SETTINGS,
    more: 'Exits 1 when the new run differs from the file. Warns when the file was made by another version.',
    run: rerunCommand,
  },
  validate: {
    usage: ['validate <scenario.yaml|json>'],
    summary: 'check a scenario file and list every problem',
    options: {},
    run: validateCommand,
  },
  presets: {
    usage: ['presets'],
    summary: 'list the built-in scenarios',
    options: {},
    async run(_v, _p, io) {
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
    run: initCommand,
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
    run: sensitivityCommand,
  },
  population: {
    usage: ['population <file> --municipality NAME --groups 67-79,80+ [options]'],
    summary: "turn a Statistics Denmark population projection (JSON-stat or CSV) into a scenario's population section",
    options: POPULATION_OPTIONS,
    more: 'Reads JSON-stat (the API\'s {"dataset": ...} answer or JSON-stat 2.0) or the semicolon CSV export; sums single ages into the groups.',
    run: populationCommand,
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
    if (e instanceof ScenarioError || e instanceof SimulationError || e instanceof ResultError) {
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
        o.short === undefined ? { type: o.type } : { type: o.type, short: o.short },
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
  return command.run(values as Values, positionals, io);
}

/** The run's settings, every one checked before any file is read or path run. */
interface RunSettings {
  readonly threads?: number;
  readonly memoryMib?: number;
  /** The largest run allowed, in minutes of one core (`--max-minutes`); the default limits without. */
  readonly maxMinutes?: number;
  readonly summary: 'auto' | 'exact' | 'streaming';
  readonly csvLocale: CsvLocale;
  readonly dataForm: DataForm;
  readonly reportLocale: ReportLocale;
  readonly jsonForm: JsonForm;
  readonly quiet: boolean;
  readonly outputs: readonly { readonly spec: OutputSpec; readonly file: string }[];
  /** An output goes to standard output: the run's messages then go to standard error. */
  readonly toStdout: boolean;
}

function runSettings(values: Values): RunSettings {
  const threads = countOption('threads', values.threads, 1, 1024);
  const memoryMib = countOption('memory-mib', values['memory-mib'], 1, 2 ** 30);
  const maxMinutes = countOption('max-minutes', values['max-minutes'], 1, 1_000_000);
  let summary = choiceOption('summary', values.summary, ['auto', 'exact', 'streaming'] as const, 'auto');
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const dataForm = choiceOption('data-form', values['data-form'], DATA_FORMS, 'wide');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const jsonForm = choiceOption('json-form', values['json-form'], JSON_FORMS, 'compact');
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (outDir === '') throw new CliError('--out needs a directory');
  const planned = planOutputs(OUTPUTS, values, outDir);
  const outputs = planned.map((p) => ({ spec: OUTPUTS.find((o) => o.option === p.option)!, file: p.file }));
  const perPath = outputs.filter((o) => o.spec.perPath === true);
  if (perPath.length > 0) {
    if (summary === 'streaming')
      throw new CliError(
        `--${perPath[0]!.spec.option} needs every path's figures; --summary streaming keeps only summaries`,
      );
    summary = 'exact';
  }
  if (outDir !== undefined) prepareOutDir(outDir);
  const toStdout = writesToStdout(checkWritable(planned));
  return {
    ...(threads === undefined ? {} : { threads }),
    ...(memoryMib === undefined ? {} : { memoryMib }),
    ...(maxMinutes === undefined ? {} : { maxMinutes }),
    summary,
    csvLocale,
    dataForm,
    reportLocale,
    jsonForm,
    quiet: values.quiet === true,
    outputs,
    toStdout,
  };
}

async function runCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('run', positionals, 'scenario file');
  const paths = countOption('paths', values.paths, 1, 100_000_000);
  const seed = seedOption(values.seed);
  const settings = runSettings(values);
  const overrides = { ...(paths === undefined ? {} : { paths }), ...(seed === undefined ? {} : { seed }) };
  const scenario = scenarioFromCommandLine(
    file,
    values.preset,
    overrides,
    typeof values.strategies === 'string' ? { list: values.strategies, option: 'strategies' } : undefined,
  );
  return execute(scenario, settings, io);
}

async function validateCommand(_values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('validate', positionals, 'scenario file');
  if (file === undefined) throw new CliError('validate expects a scenario file (see carebudget validate --help)');
  const text = readText(file);
  const s = validated(parseDataText(file, text), file, text);
  // What only the model knows: the scalar inputs a correlation names (simulates one path).
  try {
    inputGroupsOf(s);
  } catch (e) {
    if (e instanceof SimulationError) throw invalidInput(`${file}: ${e.message}`);
    throw e;
  }
  io.out(
    `${file}: valid (${s.horizonYears} years from ${s.baseYear + 1}, ${s.paths} paths, strategies ${strategiesFromSpecs(
      s.strategies,
    )
      .map((x) => x.id)
      .join(', ')})\n`,
  );
  return 0;
}

async function initCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('init', positionals, 'file') ?? 'scenario.yaml';
  const preset = typeof values.preset === 'string' ? values.preset : 'lejre-2034';
  const make = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
  if (make === undefined)
    throw new CliError(`unknown preset "${preset}"; expected one of ${Object.keys(presets).join(', ')}`);
  // A device or FIFO is written to, not overwritten: only a file already there needs --force.
  const target = outputTarget('file', file, 'init');
  if (target.kind === 'file' && !target.identity.startsWith('new:') && values.force !== true)
    throw new CliError(`${file} exists; use --force to overwrite it`);
  // The installed package's own schema, relative to the file: editors find it offline.
  const schema =
    typeof values.schema === 'string'
      ? values.schema
      : schemaLink(target.kind === 'file' ? file : undefined, shippedSchemaFile());
  const text = starterYaml(make(), { preset, schema });
  writeAll([{ option: 'file', label: 'init', file, content: () => text }], io);
  if (target.kind !== 'stdout')
    io.out(`wrote ${file} (from preset ${preset}); check it with: carebudget validate ${file}\n`);
  return 0;
}

/** Runs a validated scenario with checked settings, prints the table and writes every output, all or nothing. */
async function execute(
  scenario: Scenario,
  settings: RunSettings,
  io: CliOutput,
  compareWith?: RunResult,
): Promise<number> {
  const bar = progressBar(io, settings.quiet, scenario.paths);
  let result: RunResult;
  let used: number;
  try {
    ({ result, threads: used } = await simulateParallel(scenario, {
      summaryMode: settings.summary,
      ...(settings.threads === undefined ? {} : { threads: settings.threads }),
      ...(settings.memoryMib === undefined ? {} : { memoryBudgetBytes: settings.memoryMib * 2 ** 20 }),
      ...(settings.maxMinutes === undefined ? {} : { limits: { maxSteps: settings.maxMinutes * STEPS_PER_MINUTE } }),
      ...(bar === undefined ? {} : { onProgress: (p) => bar.update(p.pathsDone) }),
    }));
  } finally {
    bar?.stop();
  }
  const record = runRecord(
    scenario,
    result.strategies.map((s) => s.id),
  );
  const kind = result.format === 'carebudget-summary' ? 'streaming summaries' : 'every path kept';
  // With an output on standard output, what is said for a reader goes to standard error.
  const say = (text: string) => (settings.toStdout ? io.err(text) : io.out(text));
  const sets = scenario.sampling.correlations.length;
  const sampling = `${scenario.sampling.method === 'latinHypercube' ? ', Latin hypercube sampling' : ''}${sets === 0 ? '' : `, ${sets} set${sets === 1 ? '' : 's'} of correlated inputs`}`;
  say(
    `carebudget: ${scenario.name}, ${scenario.paths} paths, seed ${String(scenario.seed)}${sampling}, ${used === 0 ? 'one thread' : `${used} threads`}, ${kind}\n\n`,
  );
  say(`${formatDeviationTable(result)}\n`);
  const run: FinishedRun = {
    scenario,
    result,
    record,
    csvLocale: settings.csvLocale,
    dataForm: settings.dataForm,
    reportLocale: settings.reportLocale,
    jsonForm: settings.jsonForm,
  };
  // Contents that take work (the report) are made before any file is written, so all or nothing holds.
  const prepared = await Promise.all(settings.outputs.map(({ spec }) => spec.prepare?.(run)));
  writeAll(
    settings.outputs.map(({ spec, file }, i) => ({
      option: spec.option,
      file,
      content: () => prepared[i] ?? spec.content!(run),
    })),
    io,
  );
  for (const { file } of settings.outputs) if (file !== STDOUT) say(`wrote ${file}\n`);
  if (compareWith !== undefined) {
    const difference = firstDifference(compareWith, result);
    if (difference !== undefined) {
      io.err(`carebudget: the rerun differs from the file: ${difference}\n`);
      return 1;
    }
    say(`reproduced bit for bit: ${describeSize(result)}\n`);
  }
  return 0;
}

function resultJson(run: FinishedRun): FileContent {
  const { result, record } = run;
  return result.format === 'carebudget-result'
    ? resultJSONPieces({ ...result, run: record }, { compact: run.jsonForm === 'compact' })
    : JSON.stringify({ ...result, run: record });
}

function describeSize(r: RunResult): string {
  if (r.format !== 'carebudget-result') return 'every streaming summary equal';
  const values =
    RECORDED_FIGURES.length * r.figures[RECORDED_FIGURES[0]].length +
    Object.values(r.metrics).reduce((a, m) => a + m.length, 0);
  return `${values.toLocaleString('en-US')} values (${RECORDED_FIGURES.length} figures and ${Object.keys(r.metrics).length} metrics over ${r.pathCount} paths)`;
}

const sameBits = (a: Float64Array, b: Float64Array) =>
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Where a new run first differs from the one in a file, or undefined when they are identical. */
function firstDifference(old: RunResult, now: RunResult): string | undefined {
  if (old.format !== now.format) return `the file holds ${old.format}, the rerun made ${now.format}`;
  if (old.format === 'carebudget-result' && now.format === 'carebudget-result') {
    for (const f of RECORDED_FIGURES) if (!sameBits(old.figures[f], now.figures[f])) return `figure ${f}`;
    const keys = new Set([...Object.keys(old.metrics), ...Object.keys(now.metrics)]);
    for (const k of keys) {
      const a = old.metrics[k];
      const b = now.metrics[k];
      if (a === undefined || b === undefined || !sameBits(a, b)) return `metric ${k}`;
    }
    return undefined;
  }
  const strip = (r: RunResult) => JSON.stringify({ ...r, run: undefined });
  return strip(old) === strip(now) ? undefined : 'the streaming summaries';
}

function readRecord(file: string, json: unknown): RunRecord {
  const run = isRecord(json) ? json.run : undefined;
  if (!isRecord(run) || !isRecord(run.scenario))
    throw invalidInput(
      `${file}: has no record of its run (a result file written by carebudget 0.2.0 or later with --json has one)`,
    );
  return run as unknown as RunRecord;
}

async function rerunCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('rerun', positionals, 'result file');
  if (file === undefined)
    throw new CliError('rerun expects a result file written by `carebudget run --json` (see carebudget rerun --help)');
  const settings = runSettings(values);
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw invalidInput(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const record = readRecord(file, json);
  if (record.libraryVersion !== VERSION)
    io.err(
      `carebudget: warning: ${file} was made by carebudget ${String(record.libraryVersion)}; this is ${VERSION}, so figures may differ\n`,
    );
  if (scenarioHash(record.scenario) !== record.scenarioHash)
    io.err(`carebudget: warning: the scenario in ${file} does not match its hash: it was edited after the run\n`);
  const old =
    (json as { format?: unknown }).format === 'carebudget-result' ? resultFromJSON(json) : (json as RunResult);
  if (old.format !== 'carebudget-result' && old.format !== 'carebudget-summary')
    throw invalidInput(
      `${file}: expected a carebudget result or summary; received format ${JSON.stringify((json as { format?: unknown }).format)}`,
    );
  const scenario = validated(record.scenario, `${file} (its scenario)`);
  const summary =
    settings.summary === 'auto' ? (old.format === 'carebudget-result' ? 'exact' : 'streaming') : settings.summary;
  return execute(scenario, { ...settings, summary }, io, old as SimulationResult | RunResult);
}
