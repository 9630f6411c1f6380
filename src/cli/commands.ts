/**
 * What the commands `run`, `rerun`, `validate` and `init` do, loaded when one of them runs (the
 * options and help are in `options.ts` and `run.ts`, which start without the library).
 */
import { estimateRun, STEPS_PER_MINUTE } from '../simulation/estimate';
import { SimulationError } from '../simulation/errors';
import { presets } from '../scenario/presets';
import type { Scenario } from '../scenario/schema';
import {
  mergeResults,
  RECORDED_FIGURES,
  resultFromJSON,
  resultJSONPieces,
  type SimulationResult,
} from '../simulation/result';
import { DEFAULT_BLOCK_PATHS, mergeSummaries, type SummaryResult } from '../results/streaming';
import { isShard, runRecord, scenarioHash, shardRange, type RunRecord } from '../simulation/record';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { RunResult } from '../results/streaming';
import { formatDeviationTable } from '../report/table';
import { simulateParallel } from '../node/index';
import { VERSION } from '../version';
import { CliError, invalidInput } from './errors';
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
import type { DataForm } from '../data/index';
import { renderReport } from '../html/render';
import { DATA_FORMS, RUN_OUTPUTS, type OutputOption } from './options';
import {
  choiceOption,
  countOption,
  isRecord,
  onePositional,
  progressBar,
  REPORT_LOCALES,
  scenarioFromCommandLine,
  seedOption,
  shardOption,
  validated,
  type CliOutput,
  type ReportLocale,
  type Values,
} from './common';

/** A finished run, which the output files are made from. */
interface FinishedRun {
  readonly scenario: Scenario;
  readonly result: RunResult;
  readonly record: RunRecord;
  readonly csvLocale: CsvLocale;
  readonly dataForm: DataForm;
  readonly reportLocale: ReportLocale;
  readonly jsonForm: JsonForm;
  readonly report: ReportChoices;
}

/** What the table and the report show: a service, a pair to compare, a unit. */
interface ReportChoices {
  readonly service: string;
  readonly compare?: readonly [string, string];
  readonly unit: 'kr' | 'pct';
}

/** The forms `--json-form` accepts: base64 float64 arrays (default), or arrays of JSON numbers. */
const JSON_FORMS = ['compact', 'plain'] as const;
type JsonForm = (typeof JSON_FORMS)[number];

/** A run's output file: its option (in `RUN_OUTPUTS`) and what it writes. */
interface OutputSpec extends OutputOption {
  /** What the file holds, made when the file is written. */
  content?(run: FinishedRun): FileContent;
  /** Or, for what takes asynchronous work (the report's charts), made before any file is written. */
  prepare?(run: FinishedRun): Promise<FileContent>;
  /** What `content` needs loaded first, loaded before any file is written. */
  load?(): Promise<void>;
}

/** carebudget/data's writers, loaded only for `--arrow` and `--parquet`: Apache Arrow takes about 90 ms to load. */
let dataWriters: typeof import('./data') | undefined;
async function loadDataWriters(): Promise<void> {
  dataWriters ??= await import('./data');
}

const CONTENTS: Readonly<Record<string, Pick<OutputSpec, 'content' | 'prepare' | 'load'>>> = {
  json: { content: resultJson },
  'summary-json': { content: (r) => summaryJson(r.result, r.report.service) },
  csv: { content: (r) => summaryCsv(r.result, r.csvLocale, r.report.service) },
  'metrics-csv': { content: (r) => metricsCsv(r.result, r.csvLocale) },
  arrow: { load: loadDataWriters, content: (r) => dataWriters!.dataOutput('arrow', r) },
  parquet: { load: loadDataWriters, content: (r) => dataWriters!.dataOutput('parquet', r) },
  report: {
    prepare: (r) =>
      renderReport(r.result, {
        scenario: r.scenario,
        locale: r.reportLocale,
        service: r.report.service,
        unit: r.report.unit,
        ...(r.report.compare === undefined ? {} : { compare: r.report.compare }),
      }),
  },
};

/** Every output: its option from `RUN_OUTPUTS`, what it writes from here. */
const OUTPUTS: readonly OutputSpec[] = RUN_OUTPUTS.map((o) => ({ ...o, ...CONTENTS[o.option]! }));

/** The run's settings, every one checked before any file is read or path run. */
interface RunSettings {
  readonly threads?: number;
  readonly memoryMib?: number;
  /** Paths a block of streaming summaries. */
  readonly blockPaths?: number;
  /** The largest run allowed, in minutes of one core (`--max-minutes`); the default limits without. */
  readonly maxMinutes?: number;
  readonly summary: 'auto' | 'exact' | 'streaming';
  readonly csvLocale: CsvLocale;
  readonly dataForm: DataForm;
  readonly reportLocale: ReportLocale;
  readonly jsonForm: JsonForm;
  readonly report: ReportChoices;
  readonly quiet: boolean;
  readonly outputs: readonly { readonly spec: OutputSpec; readonly file: string }[];
  /** An output goes to standard output: the run's messages then go to standard error. */
  readonly toStdout: boolean;
}

function runSettings(values: Values): RunSettings {
  const threads = countOption('threads', values.threads, 1, 1024);
  const memoryMib = countOption('memory-mib', values['memory-mib'], 1, 2 ** 30);
  const blockPaths = countOption('block-paths', values['block-paths'], 1, 1_000_000_000);
  const maxMinutes = countOption('max-minutes', values['max-minutes'], 1, 1_000_000);
  let summary = choiceOption('summary', values.summary, ['auto', 'exact', 'streaming'] as const, 'auto');
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const dataForm = choiceOption('data-form', values['data-form'], DATA_FORMS, 'wide');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const jsonForm = choiceOption('json-form', values['json-form'], JSON_FORMS, 'compact');
  const report = reportChoices(values);
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
    ...(blockPaths === undefined ? {} : { blockPaths }),
    ...(maxMinutes === undefined ? {} : { maxMinutes }),
    summary,
    csvLocale,
    dataForm,
    reportLocale,
    jsonForm,
    report,
    quiet: values.quiet === true,
    outputs,
    toStdout,
  };
}

/** `--service`, `--compare A,B` and `--report-unit`, checked as far as they can be before the run. */
function reportChoices(values: Values): ReportChoices {
  const service = typeof values.service === 'string' ? values.service : 'total';
  if (service === '') throw new CliError('--service needs a service id, a group of units, or total');
  const unit = choiceOption('report-unit', values['report-unit'], ['kr', 'pct'] as const, 'kr');
  if (values.compare === undefined) return { service, unit };
  const pair = String(values.compare)
    .split(',')
    .map((x) => x.trim());
  if (pair.length !== 2 || pair[0] === '' || pair[1] === '' || pair[0] === pair[1])
    throw new CliError(
      `--compare needs two different strategy ids separated by a comma, as in --compare frame,activity; received ${JSON.stringify(values.compare)}`,
    );
  return { service, unit, compare: [pair[0]!, pair[1]!] };
}

/** The report's choices against the result: a service or strategy it does not hold is named before anything is written. */
function checkChoices(result: RunResult, choices: ReportChoices): void {
  const ids = result.strategies.map((s) => s.id);
  for (const id of choices.compare ?? [])
    if (!ids.includes(id))
      throw new CliError(
        `--compare names strategy "${id}", which this run does not have; it has ${ids.map((x) => `"${x}"`).join(', ')}`,
      );
  const services = [
    'total',
    ...new Set(result.services.flatMap((s) => (s.group === undefined ? [s.id] : [s.group, s.id]))),
  ];
  if (!services.includes(choices.service))
    throw new CliError(
      `--service "${choices.service}" is not a service of this run; expected one of ${services.map((x) => `"${x}"`).join(', ')}`,
    );
}

export async function runCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('run', positionals, 'scenario file');
  const paths = countOption('paths', values.paths, 1, 100_000_000);
  const seed = seedOption(values.seed);
  const settings = runSettings(values);
  const overrides = { ...(paths === undefined ? {} : { paths }), ...(seed === undefined ? {} : { seed }) };
  const shardText = typeof values.shard === 'string' ? values.shard : undefined;
  if (shardText !== undefined && !settings.outputs.some((o) => o.spec.option === 'json'))
    throw new CliError('--shard needs --json FILE (or --out DIR): the part is kept for `carebudget merge`');
  const scenario = scenarioFromCommandLine(
    file,
    values.preset,
    overrides,
    typeof values.strategies === 'string' ? { list: values.strategies, option: 'strategies' } : undefined,
  );
  return execute(
    scenario,
    settings,
    io,
    undefined,
    shardText === undefined ? undefined : runShardOption(shardText, scenario.paths),
  );
}

/** `--shard K/N`: the K-th of N blocks of the run's paths, K from 1 to N and N at most the paths. */
function runShardOption(text: string, paths: number): Shard {
  const { index, count } = shardOption(text, 'paths');
  if (count > paths)
    throw new CliError(`--shard ${text}: N must be at most the run's ${paths} paths, so no block is empty`);
  return { index, count };
}

/** A part of a run made in shards (see {@link shardRange}). */
type Shard = NonNullable<RunRecord['shard']>;

/**
 * Whether a shard keeps every path or streaming summaries: a part of streaming summaries (with
 * its blocks) stays one; `auto` is decided here, by the shard's paths against the memory budget
 * as the run would decide it, because the shard's paths depend on it.
 */
function shardMode(scenario: Scenario, settings: RunSettings, shard: Shard): 'exact' | 'streaming' {
  if (shard.blockPaths !== undefined || settings.summary === 'streaming') return 'streaming';
  if (settings.summary === 'exact') return 'exact';
  const { paths } = shardRange(scenario.paths, shard.index, shard.count);
  const budget = settings.memoryMib === undefined ? 2 ** 30 : settings.memoryMib * 2 ** 20;
  return paths * estimateRun(scenario).resultBytesPerPath > budget ? 'streaming' : 'exact';
}

/**
 * A shard of streaming summaries is cut on the summaries' blocks (`--block-paths`, default 10,000 paths), so that its
 * summaries merge with the other parts' bit for bit: N at most the run's blocks.
 */
function streamingShard(shard: Shard, mode: RunSettings['summary'], paths: number, settings: RunSettings): Shard {
  if (mode !== 'streaming') return shard;
  const blockPaths = shard.blockPaths ?? settings.blockPaths ?? DEFAULT_BLOCK_PATHS;
  const blocks = Math.ceil(paths / blockPaths);
  if (shard.count > blocks)
    throw new CliError(
      `--shard ${shard.index}/${shard.count}: streaming summaries are cut into shards of whole blocks of ${blockPaths} paths, and the run's ${paths} paths make ${blocks} block${blocks === 1 ? '' : 's'}; N must be at most ${blocks}`,
    );
  return { ...shard, blockPaths };
}

export async function validateCommand(_values: Values, positionals: string[], io: CliOutput): Promise<number> {
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

export async function initCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
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
  given?: Shard,
): Promise<number> {
  const summaryMode = given === undefined ? settings.summary : shardMode(scenario, settings, given);
  const shard = given === undefined ? undefined : streamingShard(given, summaryMode, scenario.paths, settings);
  const range =
    shard === undefined ? undefined : shardRange(scenario.paths, shard.index, shard.count, shard.blockPaths);
  const bar = progressBar(io, settings.quiet, range?.paths ?? scenario.paths);
  let result: RunResult;
  let used: number;
  try {
    ({ result, threads: used } = await simulateParallel(scenario, {
      summaryMode,
      ...(range === undefined ? {} : range),
      ...((shard?.blockPaths ?? settings.blockPaths) === undefined
        ? {}
        : { blockPaths: shard?.blockPaths ?? settings.blockPaths }),
      ...(settings.threads === undefined ? {} : { threads: settings.threads }),
      ...(settings.memoryMib === undefined ? {} : { memoryBudgetBytes: settings.memoryMib * 2 ** 20 }),
      ...(settings.maxMinutes === undefined ? {} : { limits: { maxSteps: settings.maxMinutes * STEPS_PER_MINUTE } }),
      ...(bar === undefined ? {} : { onProgress: (p) => bar.update(p.pathsDone) }),
    }));
  } finally {
    bar?.stop();
  }
  const whole = runRecord(
    scenario,
    result.strategies.map((s) => s.id),
  );
  const record: RunRecord = shard === undefined ? whole : { ...whole, shard };
  const kind = result.format === 'carebudget-summary' ? 'streaming summaries' : 'every path kept';
  const sets = scenario.sampling.correlations.length;
  const sampling = `${scenario.sampling.method === 'latinHypercube' ? ', Latin hypercube sampling' : ''}${sets === 0 ? '' : `, ${sets} set${sets === 1 ? '' : 's'} of correlated inputs`}`;
  const heading = `carebudget: ${scenario.name}, ${range === undefined ? '' : `shard ${shard!.index} of ${shard!.count}: paths ${range.pathStart}-${range.pathStart + range.paths - 1} of `}${scenario.paths} paths, seed ${String(scenario.seed)}${sampling}, ${used === 0 ? 'one thread' : `${used} threads`}, ${kind}`;
  return finish(scenario, settings, io, result, record, heading, compareWith);
}

/** Prints the table and writes every output of a finished run, all or nothing; compares with a file's run. */
async function finish(
  scenario: Scenario,
  settings: RunSettings,
  io: CliOutput,
  result: RunResult,
  record: RunRecord,
  heading: string,
  compareWith?: RunResult,
): Promise<number> {
  // With an output on standard output, what is said for a reader goes to standard error.
  const say = (text: string) => (settings.toStdout ? io.err(text) : io.out(text));
  checkChoices(result, settings.report);
  say(`${heading}\n\n`);
  say(`${formatDeviationTable(result, { service: settings.report.service })}\n`);
  const run: FinishedRun = {
    scenario,
    result,
    record,
    csvLocale: settings.csvLocale,
    dataForm: settings.dataForm,
    reportLocale: settings.reportLocale,
    jsonForm: settings.jsonForm,
    report: settings.report,
  };
  // Contents that take work (the report) are made before any file is written, so all or nothing holds.
  await Promise.all(settings.outputs.map(({ spec }) => spec.load?.()));
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
    : // A whole run's summary is not merged again: its block tree's nodes (a set of cells each)
      // are kept in parts only.
      JSON.stringify({ ...result, ...(record.shard === undefined ? { nodes: undefined } : {}), run: record });
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
  // A file of a whole run keeps no nodes (see resultJson): compare what it keeps.
  const kept = old.format === 'carebudget-summary' && old.nodes !== undefined;
  const strip = (r: RunResult) => JSON.stringify({ ...r, ...(kept ? {} : { nodes: undefined }), run: undefined });
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

export async function rerunCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('rerun', positionals, 'result file');
  if (file === undefined)
    throw new CliError('rerun expects a result file written by `carebudget run --json` (see carebudget rerun --help)');
  const settings = runSettings(values);
  const { record, result: old } = readRunFile(file);
  if (record.libraryVersion !== VERSION)
    io.err(
      `carebudget: warning: ${file} was made by carebudget ${String(record.libraryVersion)}; this is ${VERSION}, so figures may differ\n`,
    );
  if (scenarioHash(record.scenario) !== record.scenarioHash)
    io.err(`carebudget: warning: the scenario in ${file} does not match its hash: it was edited after the run\n`);
  const scenario = validated(record.scenario, `${file} (its scenario)`);
  const summary =
    settings.summary === 'auto' ? (old.format === 'carebudget-result' ? 'exact' : 'streaming') : settings.summary;
  // Summaries rerun on the blocks they were made of (a summary file keeps its blockPaths).
  const blockPaths = settings.blockPaths ?? (old.format === 'carebudget-summary' ? old.blockPaths : undefined);
  return execute(
    scenario,
    { ...settings, summary, ...(blockPaths === undefined ? {} : { blockPaths }) },
    io,
    old,
    record.shard,
  );
}

/** A part file of a run made in shards, read and checked on its own. */
interface Part {
  readonly file: string;
  readonly record: RunRecord & { readonly shard: Shard };
  readonly result: RunResult;
}

/**
 * A result file written by `run --json` (or `merge`): its run record and its result or summary.
 * A shard in the record, when there is one, must be K of N with 1 <= K <= N.
 */
function readRunFile(file: string): { record: RunRecord; result: RunResult } {
  return readRunJson(file, readJson(file));
}

/** A file's JSON, or an invalid-input error naming the file. */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw invalidInput(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

/** {@link readRunFile} of JSON already read. */
function readRunJson(file: string, json: unknown): { record: RunRecord; result: RunResult } {
  const record = readRecord(file, json);
  const shard = record.shard as unknown;
  if (shard !== undefined && !isShard(shard))
    throw invalidInput(
      `${file}: its record's shard is not K of N with whole numbers 1 <= K <= N (and blockPaths, where given, a whole number >= 1)`,
    );
  const format = (json as { format?: unknown }).format;
  if (format !== 'carebudget-result' && format !== 'carebudget-summary')
    throw invalidInput(`${file}: expected a carebudget result or summary; received format ${JSON.stringify(format)}`);
  return { record, result: format === 'carebudget-result' ? resultFromJSON(json) : (json as SummaryResult) };
}

function readPart(file: string, json: unknown): Part {
  const { record, result } = readRunJson(file, json);
  const shard = record.shard;
  if (shard === undefined)
    throw invalidInput(
      `${file}: is not a part of a run made in shards (its record has no shard K of N; made by \`carebudget run --shard K/N\`)`,
    );
  const range = shardRange(record.paths, shard.index, shard.count, shard.blockPaths);
  if (result.pathStart !== range.pathStart || result.pathCount !== range.paths)
    throw invalidInput(
      `${file}: holds paths ${result.pathStart}-${result.pathStart + result.pathCount - 1}; part ${shard.index} of ${shard.count} of ${record.paths} paths is ${range.pathStart}-${range.pathStart + range.paths - 1}`,
    );
  return { file, record: { ...record, shard }, result };
}

/** The part files of one run, all N of them: or an error naming what is missing, doubled or foreign. */
function checkParts(parts: readonly Part[]): void {
  const first = parts[0]!;
  const n = first.record.shard.count;
  for (const p of parts) {
    const differs =
      p.record.scenarioHash !== first.record.scenarioHash
        ? `scenario hash ${p.record.scenarioHash} against ${first.record.scenarioHash}`
        : p.record.libraryVersion !== first.record.libraryVersion
          ? `carebudget ${String(p.record.libraryVersion)} against ${String(first.record.libraryVersion)}`
          : p.record.strategies.join(',') !== first.record.strategies.join(',')
            ? `strategies ${p.record.strategies.join(', ')} against ${first.record.strategies.join(', ')}`
            : p.record.shard.count !== n
              ? `${p.record.shard.count} shards against ${n}`
              : p.record.shard.blockPaths !== first.record.shard.blockPaths
                ? `shards of blocks of ${String(p.record.shard.blockPaths ?? 1)} paths against ${String(first.record.shard.blockPaths ?? 1)}`
                : p.result.format !== first.result.format
                  ? `${p.result.format} against ${first.result.format}`
                  : undefined;
    if (differs !== undefined)
      throw invalidInput(`${p.file} is not a part of the same run as ${first.file}: ${differs}`);
  }
  const byIndex = new Map<number, string>();
  for (const p of parts) {
    const seen = byIndex.get(p.record.shard.index);
    if (seen !== undefined)
      throw invalidInput(`part ${p.record.shard.index} of ${n} is given twice (${seen} and ${p.file})`);
    byIndex.set(p.record.shard.index, p.file);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0)
    throw invalidInput(
      `part${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${n} ${missing.length === 1 ? 'is' : 'are'} missing; merge needs all ${n}`,
    );
}

/**
 * `carebudget merge`: the parts of a run made in shards (`run --shard K/N`, one file each) into
 * the run's result, bit for bit the result of the same run in one process, with the same outputs
 * as `run`; or the parts of a sensitivity analysis (`sensitivity --shard K/N`) into the analysis.
 */
export async function mergeCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length === 0)
    throw new CliError(
      'merge expects the part files written by `carebudget run --shard K/N --json FILE` or `carebudget sensitivity --shard K/N --json FILE` (see carebudget merge --help)',
    );
  const files = positionals.map((file) => ({ file, json: readJson(file) }));
  // The parts of a sensitivity analysis (`sensitivity --shard K/N`) merge into the analysis.
  if ((files[0]!.json as { format?: unknown } | null)?.format === 'carebudget-sensitivity-part')
    return (await import('./sensitivity')).mergeSensitivityCommand(values, files, io);
  if (values['max-minutes'] !== undefined)
    throw new CliError(
      "--max-minutes limits the merge of a sensitivity analysis (its bootstrap); a run's merge simulates nothing",
    );
  const settings = runSettings(values);
  const parts = files.map(({ file, json }) => readPart(file, json));
  checkParts(parts);
  const sorted = [...parts].sort((a, b) => a.record.shard.index - b.record.shard.index);
  const results = sorted.map((p) => p.result);
  const merged: RunResult =
    results[0]!.format === 'carebudget-result'
      ? mergeResults(results as SimulationResult[])
      : mergeSummaries(results as SummaryResult[]);
  if (merged.format === 'carebudget-summary') {
    const perPath = settings.outputs.find((o) => o.spec.perPath === true);
    if (perPath !== undefined)
      throw new CliError(`--${perPath.spec.option} needs every path's figures; the parts hold streaming summaries`);
  }
  const { shard: _shard, ...record } = sorted[0]!.record;
  const scenario = validated(record.scenario, `${sorted[0]!.file} (its scenario)`);
  const n = parts.length;
  return finish(
    scenario,
    settings,
    io,
    merged,
    record,
    `carebudget: ${scenario.name}, ${scenario.paths} paths, seed ${String(scenario.seed)}, merged from ${n} part${n === 1 ? '' : 's'}`,
  );
}
