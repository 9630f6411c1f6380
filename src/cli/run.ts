/**
 * The command line: `carebudget run | validate | presets`. Runs go to the worker pool and switch
 * to streaming summaries when per-path results would not fit the memory budget.
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { presets } from '../scenario/presets';
import { safeParseScenario } from '../scenario/parse';
import { resultJSONPieces } from '../simulation/result';
import { SimulationError } from '../simulation/engine';
import { ScenarioError } from '../scenario/parse';
import { summarize, summarizeMetrics } from '../results/summary';
import type { RunResult } from '../results/streaming';
import { formatDeviationTable } from '../report/table';
import { simulateParallel } from '../node/index';

const USAGE = `carebudget: Monte Carlo projections of care budgets under frame and activity steering

Usage:
  carebudget run <scenario.json> [options]     run a scenario file
  carebudget run --preset lejre-2034 [options] run a built-in scenario
  carebudget validate <scenario.json>          check a scenario file and list every problem
  carebudget presets                           list the built-in scenarios

Options for run:
  --paths N        number of paths (default: the scenario's)
  --seed S         seed (default: the scenario's)
  --threads N      worker threads (default: all cores; runs under 2,000 paths stay on one thread)
  --summary MODE   auto (default): every path's figures unless they would take more than
                   --memory-mib, then streaming summaries; exact; or streaming
  --memory-mib N   memory allowed for per-path figures in auto mode (default 1024)
  --json FILE      write the result as JSON (every path, or the streaming summaries)
  --csv FILE       write the summary per strategy, service, year and figure as CSV
  --metrics-csv FILE
                   write the services' own metrics (waiting list, guarantee breaches, ...)
                   per strategy and year as CSV
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

/**
 * Writes a file whole or not at all: to a temporary name first, then renamed. The text comes in
 * pieces, so a result larger than the longest string a JavaScript engine holds can be written.
 */
function writeAtomically(file: string, pieces: string | Iterable<string>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const piece of typeof pieces === 'string' ? [pieces] : pieces) writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** A positive whole number from an option, or a clear error naming the option. */
function countOption(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(/^\s*\d+\s*$/.test(text) && Number.isSafeInteger(n) && n >= min)) throw new CliError(`--${name} must be a whole number >= ${min}; received "${text}"`);
  return n;
}

function metricsCsv(result: RunResult): string {
  const rows = summarizeMetrics(result, { percentiles: [5, 50, 95], thresholds: [0] });
  const head = 'strategy,service,year,metric,n,mean,sd,mcse,min,max,p5,p50,p95,p_over_0';
  const lines = rows.map((r) => {
    const dot = r.metric.indexOf('.');
    return [r.strategy, r.metric.slice(0, dot), r.year, r.metric.slice(dot + 1), r.n, r.mean, r.sd, r.mcse, r.min, r.max, r.percentiles[5], r.percentiles[50], r.percentiles[95], r.exceed[0]].join(',');
  });
  return `${[head, ...lines].join('\n')}\n`;
}

function csv(result: RunResult): string {
  const rows = summarize(result, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
  const head = 'strategy,service,year,figure,n,mean,sd,mcse,p5,p50,p95,p_over_0,p_over_1pct,p_over_5pct,expected_shortfall_95';
  // The 1 % and 5 % thresholds mean something only for deviations given as a share.
  const lines = rows.map((r) => {
    const share = r.figure.endsWith('Pct');
    return [r.strategy, r.service, r.year, r.figure, r.n, r.mean, r.sd, r.mcse, r.percentiles[5], r.percentiles[50], r.percentiles[95], r.exceed[0], share ? r.exceed[0.01] : '', share ? r.exceed[0.05] : '', r.expectedShortfall].join(',');
  });
  return `${[head, ...lines].join('\n')}\n`;
}

/** Where the command line writes: standard output and standard error, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_OUTPUT: CliOutput = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs the command line with the given arguments.
 *
 * @param argv - the arguments after the program name
 * @param io - where to write (default: standard output and error)
 * @returns the exit code: 0 done, 1 an invalid scenario, 2 a usage error or a failed run
 * @internal
 */
export async function runCli(argv: readonly string[], io: CliOutput = PROCESS_OUTPUT): Promise<number> {
  try {
    return await main([...argv], io);
  } catch (e) {
    if (e instanceof CliError || (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`carebudget: ${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof SimulationError || e instanceof ScenarioError) {
      io.err(`carebudget: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function main(argv: string[], io: CliOutput): Promise<number> {
  const log = (text = '') => io.out(`${text}\n`);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      paths: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      summary: { type: 'string' },
      'memory-mib': { type: 'string' },
      json: { type: 'string' },
      csv: { type: 'string' },
      'metrics-csv': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || command === undefined) {
    log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'presets') {
    for (const [name, make] of Object.entries(presets)) log(`${name}: ${make().description ?? ''}`);
    return 0;
  }
  if (command !== 'run' && command !== 'validate') throw new CliError(`unknown command "${command}"; expected run, validate or presets`);
  const input = readScenario(file, values.preset) as Record<string, unknown>;
  if (values.paths !== undefined) input.paths = Number(values.paths);
  if (values.seed !== undefined) input.seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const parsed = safeParseScenario(input);
  if (!parsed.success) {
    io.err(`${parsed.error.message}\n`);
    return 1;
  }
  if (command === 'validate') {
    log(`${file ?? values.preset}: valid (${parsed.scenario.horizonYears} years from ${parsed.scenario.baseYear + 1}, ${parsed.scenario.paths} paths)`);
    return 0;
  }
  // Every option is checked before the run starts.
  const threads = countOption('threads', values.threads, 1);
  const memoryMib = countOption('memory-mib', values['memory-mib'], 1);
  const summaryMode = values.summary ?? 'auto';
  if (summaryMode !== 'auto' && summaryMode !== 'exact' && summaryMode !== 'streaming') throw new CliError(`--summary must be auto, exact or streaming; received "${summaryMode}"`);
  const s = parsed.scenario;
  const { result, threads: used } = await simulateParallel(s, {
    summaryMode,
    ...(threads === undefined ? {} : { threads }),
    ...(memoryMib === undefined ? {} : { memoryBudgetBytes: memoryMib * 2 ** 20 }),
    ...(values.quiet ? {} : {
      onProgress: (p) => io.err(`\r${p.pathsDone}/${p.pathsTotal} paths, ${Math.round(p.pathsPerSecond)} paths/s, ${(p.etaMs / 1000).toFixed(1)} s left   `),
    }),
  });
  if (!values.quiet) io.err('\n');
  const kind = result.format === 'carebudget-summary' ? 'streaming summaries' : 'every path kept';
  log(`carebudget: ${s.name}, ${s.paths} paths, seed ${String(s.seed)}, ${used === 0 ? 'one thread' : `${used} threads`}, ${kind}\n`);
  log(formatDeviationTable(result));
  if (values.json !== undefined) writeAtomically(values.json, result.format === 'carebudget-result' ? resultJSONPieces(result) : JSON.stringify(result));
  if (values.csv !== undefined) writeAtomically(values.csv, csv(result));
  if (values['metrics-csv'] !== undefined) writeAtomically(values['metrics-csv'], metricsCsv(result));
  return 0;
}
