import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { presets } from '../scenario/presets';
import { safeParseScenario } from '../scenario/parse';
import { simulate } from '../simulation/simulate';
import { resultToJSON, type SimulationResult } from '../simulation/result';
import { summarize } from '../results/summary';
import { formatDeviationTable } from '../report/table';

const USAGE = `carebudget: Monte Carlo projections of care budgets under frame and activity steering

Usage:
  carebudget run <scenario.json> [options]     run a scenario file
  carebudget run --preset lejre-2034 [options] run a built-in scenario
  carebudget validate <scenario.json>          check a scenario file and list every problem
  carebudget presets                           list the built-in scenarios

Options for run:
  --paths N        number of paths (default: the scenario's)
  --seed S         seed (default: the scenario's)
  --json FILE      write the full result (every path) as JSON
  --csv FILE       write the summary per strategy, year and figure as CSV
  --quiet          no progress on stderr
  -h, --help       this text`;

class CliError extends Error {}

function readScenario(file: string | undefined, preset: string | undefined): unknown {
  if (preset !== undefined) {
    const make = presets[preset];
    if (make === undefined) throw new CliError(`unknown preset "${preset}"; expected one of ${Object.keys(presets).join(', ')}`);
    return make();
  }
  if (file === undefined) throw new CliError('expected a scenario file or --preset NAME (see --help)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Writes a file whole or not at all: to a temporary name first, then renamed. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function csv(result: SimulationResult): string {
  const rows = summarize(result, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
  const head = 'strategy,service,year,figure,n,mean,sd,mcse,p5,p50,p95,p_over_0,p_over_1pct,p_over_5pct,expected_shortfall_95';
  // The 1 % and 5 % thresholds mean something only for deviations given as a share.
  const lines = rows.map((r) => {
    const share = r.figure.endsWith('Pct');
    return [r.strategy, r.service, r.year, r.figure, r.n, r.mean, r.sd, r.mcse, r.percentiles[5], r.percentiles[50], r.percentiles[95], r.exceed[0], share ? r.exceed[0.01] : '', share ? r.exceed[0.05] : '', r.expectedShortfall].join(',');
  });
  return `${[head, ...lines].join('\n')}\n`;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      paths: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      csv: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'presets') {
    for (const [name, make] of Object.entries(presets)) console.log(`${name}: ${make().description ?? ''}`);
    return 0;
  }
  if (command !== 'run' && command !== 'validate') throw new CliError(`unknown command "${command}"; expected run, validate or presets`);
  const input = readScenario(file, values.preset) as Record<string, unknown>;
  if (values.paths !== undefined) input.paths = Number(values.paths);
  if (values.seed !== undefined) input.seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const parsed = safeParseScenario(input);
  if (!parsed.success) {
    console.error(parsed.error.message);
    return 1;
  }
  if (command === 'validate') {
    console.log(`${file ?? values.preset}: valid (${parsed.scenario.horizonYears} years from ${parsed.scenario.baseYear + 1}, ${parsed.scenario.paths} paths)`);
    return 0;
  }
  const s = parsed.scenario;
  const result = simulate(s, {
    ...(values.quiet ? {} : {
      onProgress: (p) => process.stderr.write(`\r${p.pathsDone}/${p.pathsTotal} paths, ${Math.round(p.pathsPerSecond)} paths/s, ${(p.etaMs / 1000).toFixed(1)} s left   `),
    }),
  });
  if (!values.quiet) process.stderr.write('\n');
  console.log(`carebudget: ${s.name}, ${s.paths} paths, seed ${String(s.seed)}\n`);
  console.log(formatDeviationTable(result));
  if (values.json !== undefined) writeAtomically(values.json, JSON.stringify(resultToJSON(result)));
  if (values.csv !== undefined) writeAtomically(values.csv, csv(result));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError || (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`carebudget: ${(e as Error).message}`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
