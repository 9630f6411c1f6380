/**
 * `carebudget sensitivity`: which driver makes the deviation. Runs a Sobol' analysis (default),
 * a tornado, rank correlations or a two-level run on a scenario, prints the reading and writes
 * JSON, CSV and an HTML report of the charts.
 */
import type { Scenario } from '../scenario/schema';
import { scenarioServices } from '../simulation/assemble';
import { STEPS_PER_MINUTE } from '../simulation/estimate';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { FIGURE_NAMES } from '../results/values';
import {
  rankSensitivity,
  sensitivityPart,
  sobolSensitivity,
  tornadoSensitivity,
  twoLevelSensitivity,
} from '../node/index';
import {
  mergeSensitivityParts,
  sensitivityPartFromJSON,
  sensitivityPartToJSON,
  type SensitivityMethod,
  type SensitivityPart,
} from '../sensitivity/shard';
import { levelPercent, noteText, percentileName } from '../sensitivity/text';
import { renderSensitivityReport, type AnySensitivity } from '../html/sensitivity';
import { CliError, invalidInput } from './errors';
import { SENSITIVITY_OPTIONS } from './options';

export { SENSITIVITY_OPTIONS };
import { runRecord, scenarioHash, type RunRecord } from '../simulation/record';
import {
  choiceOption,
  countOption,
  isRecord,
  listOption,
  onePositional,
  progressBar,
  REPORT_LOCALES,
  scenarioFromCommandLine,
  seedOption,
  shardOption,
  validated,
  type CliOutput,
  type Values,
} from './common';
import {
  checkWritable,
  planOutputs,
  prepareOutDir,
  STDOUT,
  writeAll,
  writesToStdout,
  type FileContent,
} from './outputs';
import { CSV_LOCALES, format, type Cell, type CsvLocale } from './csv';
import {
  figureName,
  figureShortName,
  scalarInputName,
  scalarInputValue,
  sensitivityGroupName,
  serviceName,
} from '../charts/locale';

/** An input group's name in English words, as the report and its charts show it. */
const groupName = (id: string) => sensitivityGroupName(id, 'en').name;

/** The analyses `--method` chooses. */
export const METHODS = ['sobol', 'tornado', 'rank', 'two-level'] as const;
type Method = (typeof METHODS)[number];

interface OutputSpec {
  readonly option: string;
  readonly defaultName: string;
  content(
    s: AnySensitivity,
    settings: { readonly csv: CsvLocale; readonly report: 'en' | 'da'; readonly record: RunRecord },
  ): FileContent | Promise<FileContent>;
}

const OUTPUTS: readonly OutputSpec[] = [
  // With the record of the scenario, its seed and the library's version, as a run's JSON has.
  {
    option: 'json',
    defaultName: 'sensitivity.json',
    content: (s, o) => `${JSON.stringify({ format: 'carebudget-sensitivity', ...s, run: o.record }, null, 1)}\n`,
  },
  { option: 'csv', defaultName: 'sensitivity.csv', content: (s, o) => sensitivityCsv(s, o.csv) },
  {
    option: 'report',
    defaultName: 'sensitivity.html',
    content: (s, o) => renderSensitivityReport(s, { locale: o.report }),
  },
];

/** `--confidence PCT`: a level in per cent from 50 to 99.9, as a fraction. */
function confidenceOption(text: string | boolean | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const pct = Number(text);
  if (!(/^\d+(\.\d+)?$/.test(text) && pct >= 50 && pct <= 99.9))
    throw new CliError(`--confidence must be a level in per cent from 50 to 99.9, such as 90; received "${text}"`);
  return pct / 100;
}

function yearsOption(text: string | boolean | undefined, scenario: Scenario): number[] | undefined {
  const items = listOption('year', text);
  if (items === undefined) return undefined;
  const first = scenario.baseYear + 1;
  const last = scenario.baseYear + scenario.horizonYears;
  return items.map((t) => {
    const y = Number(t);
    if (!(/^\d{4}$/.test(t) && y >= first && y <= last))
      throw new CliError(`--year: "${t}" is not a simulated year; expected ${first} to ${last}`);
    return y;
  });
}

function groupsOption(text: string | boolean | undefined): Record<string, string[]> | undefined {
  const items = listOption('groups', text);
  if (items === undefined) return undefined;
  // A map without a prototype: a group named __proto__ or toString is a group like any other.
  const out = Object.create(null) as Record<string, string[]>;
  for (const item of items) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    if (m === null) throw new CliError(`--groups: expected NAME=group+group; received "${item}"`);
    const name = m[1]!.trim();
    if (Object.hasOwn(out, name)) throw new CliError(`--groups: the group "${name}" is named twice`);
    out[name] = m[2]!.split('+').map((g) => g.trim());
  }
  return out;
}

/** `--method`'s names against the library's. */
const API_METHOD: Readonly<Record<Method, SensitivityMethod>> = {
  sobol: 'sobol',
  tornado: 'tornado',
  rank: 'rank',
  'two-level': 'twoLevel',
};

/**
 * The options of an analysis as the command line gives them, plain data: they go into a part's
 * file, and its merge analyses with them.
 */
type AnalysisOptions = Readonly<Record<string, unknown>>;

/** Runs `carebudget sensitivity`. */
export async function sensitivityCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('sensitivity', positionals, 'scenario file');
  const method: Method = choiceOption('method', values.method, METHODS, 'sobol');
  const figure = choiceOption('figure', values.figure, FIGURE_NAMES, 'treasuryDeviationPct');
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const n = countOption('n', values.n, 2, 10_000_000);
  const paths = countOption('paths', values.paths, 3, 100_000_000);
  const outer = countOption('outer', values.outer, 2, 10_000_000);
  const inner = countOption('inner', values.inner, 2, 1_000_000);
  const bootstrap = countOption('bootstrap', values.bootstrap, 20, 1_000_000);
  const confidence = confidenceOption(values.confidence);
  const groups = groupsOption(values.groups);
  const maxMinutes = countOption('max-minutes', values['max-minutes'], 1, 1_000_000);
  const threads = countOption('threads', values.threads, 1, 1024);
  const shard = typeof values.shard === 'string' ? shardOption(values.shard, "the analysis's paths") : undefined;
  const applies: Record<string, readonly Method[]> = {
    n: ['sobol'],
    groups: ['sobol'],
    paths: ['tornado', 'rank'],
    outer: ['two-level'],
    inner: ['two-level'],
    confidence: ['sobol', 'rank', 'two-level'],
  };
  const wrong = Object.entries(applies).find(([k, m]) => values[k] !== undefined && !m.includes(method));
  if (wrong !== undefined)
    throw new CliError(`--${wrong[0]} applies to --method ${wrong[1].join(' or ')}; this is --method ${method}`);
  if (shard !== undefined) {
    if (typeof values.json !== 'string')
      throw new CliError('--shard needs --json FILE: the part is kept for `carebudget merge`');
    const other = ['csv', 'report', 'out', 'csv-locale', 'report-locale'].find((k) => values[k] !== undefined);
    if (other !== undefined)
      throw new CliError(
        `--${other} does not go with --shard: a part holds paths, not yet the analysis; \`carebudget merge\` writes the analysis's outputs from the N parts`,
      );
  }
  const seed = seedOption(values.seed);
  const { planned, say } = analysisOutputs(values, io);

  const scenario = scenarioFromCommandLine(
    file,
    values.preset,
    seed === undefined ? {} : { seed },
    typeof values.strategy === 'string' ? { list: values.strategy, option: 'strategy' } : undefined,
  );
  const years = yearsOption(values.year, scenario);
  const service = typeof values.service === 'string' ? values.service : undefined;
  const strategies = strategiesFromSpecs(scenario.strategies);
  if (service !== undefined && service !== 'total') {
    // Fail before the run on a service the scenario does not have.
    const defs = scenarioServices(scenario);
    const ids = [...new Set(defs.flatMap((d) => (d.group === undefined ? [d.id] : [d.group, d.id])))];
    if (!ids.includes(service))
      throw new CliError(
        `--service: "${service}" is not a service of this scenario; expected total or one of ${ids.join(', ')}`,
      );
  }

  const analysis: AnalysisOptions = {
    figure,
    ...(service === undefined ? {} : { service }),
    ...(years === undefined ? {} : { years }),
    ...(bootstrap === undefined ? {} : { bootstrap }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(n === undefined ? {} : { n }),
    ...(groups === undefined ? {} : { groups }),
    ...(paths === undefined ? {} : { paths }),
    ...(outer === undefined ? {} : { outer }),
    ...(inner === undefined ? {} : { inner }),
  };
  // The strategies as data, for the worker threads. Small runs, and without --threads an analysis
  // of less work than MIN_PARALLEL_STEPS, stay on this thread.
  const common = {
    ...analysis,
    strategies: scenario.strategies,
    ...(threads === undefined ? {} : { threads }),
    ...(maxMinutes === undefined ? {} : { limits: { maxSteps: maxMinutes * STEPS_PER_MINUTE } }),
  };
  const bar = progressBar(io, values.quiet === true, 1000, false);
  const record = runRecord(
    scenario,
    strategies.map((x) => x.id),
  );
  let result: AnySensitivity;
  try {
    // Per mille of the paths, as the number of paths of a Sobol' design is known only once its groups are.
    const onProgress =
      bar === undefined
        ? undefined
        : (p: { pathsDone: number; pathsTotal: number }) => bar.update(Math.round((1000 * p.pathsDone) / p.pathsTotal));
    const options = { ...common, ...(onProgress === undefined ? {} : { onProgress }) };
    if (shard !== undefined) {
      const part = await sensitivityPart(API_METHOD[method], scenario, options as never, shard);
      bar?.stop();
      const content = `${JSON.stringify({ ...(sensitivityPartToJSON(part) as object), analysis: { method, options: analysis }, run: { ...record, shard } })}\n`;
      writeAll([{ option: 'json', file: planned[0]!.file, content: () => content }], io);
      const partPaths = part.pieces.reduce((sum, p) => sum + p.result.pathCount, 0);
      const total = part.runPaths.reduce((sum, x) => sum + x, 0);
      say(
        `carebudget sensitivity: ${scenario.name}, ${method}, part ${shard.index} of ${shard.count}: ${partPaths} of the analysis's ${total} paths\n`,
      );
      if (planned[0]!.file !== STDOUT) say(`wrote ${planned[0]!.file}\n`);
      return 0;
    }
    result = await ANALYSES[method](scenario, options);
  } finally {
    bar?.stop();
  }
  say(`${describe(result)}\n`);
  await writeAnalysis(result, planned, { csv: csvLocale, report: reportLocale, record }, io, say);
  return 0;
}

/** The analyses on the worker threads, by `--method`. */
const ANALYSES: Readonly<
  Record<Method, (scenario: Scenario, options: Record<string, unknown>) => Promise<AnySensitivity>>
> = {
  sobol: (s, o) => sobolSensitivity(s, o),
  tornado: (s, o) => tornadoSensitivity(s, o),
  rank: (s, o) => rankSensitivity(s, o),
  'two-level': (s, o) => twoLevelSensitivity(s, o),
};

/**
 * The analysis's output files (`--json`, `--csv`, `--report`, `--out DIR`), their places checked
 * and `--out` made, and where the reading goes: standard error when an output is on standard
 * output.
 */
function analysisOutputs(
  values: Values,
  io: CliOutput,
): { readonly planned: ReturnType<typeof planOutputs>; readonly say: (text: string) => void } {
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (outDir === '') throw new CliError('--out needs a directory');
  const planned = planOutputs(OUTPUTS, values, outDir);
  if (outDir !== undefined) prepareOutDir(outDir);
  const toStdout = writesToStdout(checkWritable(planned));
  return { planned, say: (text: string) => (toStdout ? io.err(text) : io.out(text)) };
}

/** Writes the analysis's files: every file's content is made before any is written, so all or nothing holds. */
async function writeAnalysis(
  result: AnySensitivity,
  planned: readonly { readonly option: string; readonly file: string }[],
  settings: { readonly csv: CsvLocale; readonly report: 'en' | 'da'; readonly record: RunRecord },
  io: CliOutput,
  say: (text: string) => void,
): Promise<void> {
  const contents = await Promise.all(
    planned.map((p) => OUTPUTS.find((o) => o.option === p.option)!.content(result, settings)),
  );
  writeAll(
    planned.map((p, i) => ({ option: p.option, file: p.file, content: () => contents[i]! })),
    io,
  );
  for (const { file: f } of planned) if (f !== STDOUT) say(`wrote ${f}\n`);
}

/** The options of `carebudget merge` that a sensitivity analysis's merge takes: its outputs and their forms. */
const MERGE_SENSITIVITY_OPTIONS = [
  'json',
  'csv',
  'report',
  'out',
  'csv-locale',
  'report-locale',
  'quiet',
  'max-minutes',
];

/**
 * `carebudget merge` of the parts of a sensitivity analysis made in shards (`sensitivity --shard
 * K/N`): the analysis from the N parts, number for number the one made in one process, with the
 * outputs of `sensitivity`.
 */
export async function mergeSensitivityCommand(
  values: Values,
  files: readonly { readonly file: string; readonly json: unknown }[],
  io: CliOutput,
): Promise<number> {
  const foreign = Object.keys(values).find((k) => values[k] !== undefined && !MERGE_SENSITIVITY_OPTIONS.includes(k));
  if (foreign !== undefined)
    throw new CliError(
      `--${foreign} is an option of a run's merge; the parts are of a sensitivity analysis, whose merge takes ${MERGE_SENSITIVITY_OPTIONS.map((k) => `--${k}`).join(', ')}`,
    );
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  // The merge's own work is the bootstrap (the parts ran the paths): its limit, as in one process.
  const maxMinutes = countOption('max-minutes', values['max-minutes'], 1, 1_000_000);
  const read = files.map(({ file, json }) => {
    const j = json as Record<string, unknown> | null;
    if (j?.format !== 'carebudget-sensitivity-part')
      throw invalidInput(
        `${file} is not a part of a sensitivity analysis (format ${JSON.stringify(j?.format)}); ${files[0]!.file} is: merge the parts of one analysis`,
      );
    const analysis = j.analysis as { method?: unknown; options?: unknown } | undefined;
    if (
      !isRecord(analysis) ||
      !(METHODS as readonly unknown[]).includes(analysis.method) ||
      !isRecord(analysis.options)
    )
      throw invalidInput(
        `${file}: has no record of its analysis (its method and options), as \`sensitivity --shard\` writes`,
      );
    const run = j.run as Record<string, unknown> | undefined;
    if (!isRecord(run) || !isRecord(run.scenario))
      throw invalidInput(`${file}: has no record of its run (its scenario), as \`sensitivity --shard\` writes`);
    let part: SensitivityPart;
    try {
      part = sensitivityPartFromJSON(json);
    } catch (e) {
      throw invalidInput(`${file}: ${(e as Error).message}`);
    }
    return {
      file,
      part,
      method: analysis.method as Method,
      options: analysis.options,
      run: run as unknown as RunRecord,
    };
  });
  const first = read[0]!;
  for (const r of read) {
    const differs =
      r.method !== first.method
        ? `--method ${r.method} against ${first.method}`
        : scenarioHash(r.options) !== scenarioHash(first.options)
          ? `the analysis's options ${JSON.stringify(r.options)} against ${JSON.stringify(first.options)}`
          : r.run.scenarioHash !== first.run.scenarioHash
            ? `scenario hash ${String(r.run.scenarioHash)} against ${String(first.run.scenarioHash)}`
            : undefined;
    if (differs !== undefined)
      throw invalidInput(`${r.file} is not a part of the same analysis as ${first.file}: ${differs}`);
  }
  // The outputs' places are checked before the merge's work.
  const { planned, say } = analysisOutputs(values, io);
  const { shard: _shard, ...record } = first.run;
  const scenario = validated(record.scenario, `${first.file} (its scenario)`);
  // The scenario's own strategies, as the analysis ran them (its default).
  const options = {
    ...first.options,
    ...(maxMinutes === undefined ? {} : { limits: { maxSteps: maxMinutes * STEPS_PER_MINUTE } }),
  };
  const result = mergeSensitivityParts(
    API_METHOD[first.method],
    scenario,
    options as never,
    read.map((r) => r.part),
  ) as AnySensitivity;
  say(`${describe(result)}\n`);
  await writeAnalysis(result, planned, { csv: csvLocale, report: reportLocale, record: record as RunRecord }, io, say);
  return 0;
}

const pct = (x: number) => `${Math.abs(x) < 0.005 ? '0'.padStart(4) : (100 * x).toFixed(0).padStart(4)} %`;

/** A value of the figure as a reader takes it: a share in %, kr as they are. */
function value(figure: string, x: number): string {
  return figure.endsWith('Pct') || figure === 'serviceGapShare' ? `${(100 * x).toFixed(1)} %` : x.toPrecision(3);
}

/** The analysis as a reader takes it in at a terminal: one table per strategy. */
export function describe(s: AnySensitivity): string {
  const figure = figureShortName(s.figure, 'en').toLowerCase();
  const service = serviceName(s.service, [], 'en').toLowerCase();
  const head = `carebudget sensitivity: ${s.scenario}, ${figureName(s.figure, 'en').toLowerCase()} (${s.figure}) of ${service}, ${s.paths} paths under each strategy\n${s.estimator}\n`;
  const names = {
    group: groupName,
    input: (id: string) => scalarInputName(id, 'en', true),
    figure: (f: string) => (f === s.figure ? figureShortName(s.figure, 'en') : f),
    strategy: (id: string) => s.strategies.find((x) => x.id === id)?.label ?? id,
  };
  const notes = s.notes.map((n) => `Note: ${noteText(n, 'en', names)}\n`).join('');
  const blocks: string[] = [];
  for (const strategy of s.strategies) {
    if (s.method === 'sobol') {
      const years = s.years;
      const width = Math.max(24, ...s.groups.map((g) => groupName(g.id).length + 2));
      const lines = [
        `${strategy.label}: share of the variance each group explains, by year; S and ST: its first-order and total index in ${years[years.length - 1]}`,
        `${''.padEnd(width)}${years.map((y) => String(y).padStart(7)).join('')}    S      ST`,
      ];
      for (const g of s.groups) {
        const rows = years.map((y) =>
          s.rows.find((r) => r.strategy === strategy.id && r.year === y && r.group === g.id)!,
        );
        const last = rows[rows.length - 1]!;
        lines.push(
          `${groupName(g.id).padEnd(width)}${rows.map((r) => pct(r.share).padStart(7)).join('')}  ${last.first.toFixed(2).padStart(5)}  ${last.total.toFixed(2).padStart(5)}`,
        );
      }
      const res = years.map((y) => s.residuals.find((r) => r.strategy === strategy.id && r.year === y)!);
      lines.push(`${groupName('residual').padEnd(width)}${res.map((r) => pct(r.residual).padStart(7)).join('')}`);
      blocks.push(lines.join('\n'));
    } else if (s.method === 'tornado') {
      const year = s.years[s.years.length - 1]!;
      const rows = s.rows.filter((r) => r.strategy === strategy.id && r.year === year);
      const width = Math.max(20, ...rows.map((r) => scalarInputName(r.input, 'en').length + 2));
      const v = (x: number) => value(s.figure, x).padStart(10);
      const lo = percentileName(s.low);
      const hi = percentileName(s.high);
      blocks.push(
        [
          `${strategy.label}, ${year}: median of the ${figure} with each input at its ${lo} and ${hi} (every input at its median: ${rows[0] === undefined ? '' : value(s.figure, rows[0].base)})`,
          `${'input'.padEnd(width)}${`at ${lo}`.padStart(10)} ${`at ${hi}`.padStart(10)}   the input's ${lo} and ${hi}`,
          ...rows.map(
            (r) =>
              `${scalarInputName(r.input, 'en').padEnd(width)}${v(r.low)} ${v(r.high)}   ${scalarInputValue(r.input, r.inputLow, 'en', r.inputHigh)}`,
          ),
        ].join('\n'),
      );
    } else if (s.method === 'rank') {
      const year = s.years[s.years.length - 1]!;
      const rows = s.rows
        .filter((r) => r.strategy === strategy.id && r.year === year)
        .sort((a, b) => Math.abs(b.rho) - Math.abs(a.rho));
      const width = Math.max(20, ...rows.map((r) => scalarInputName(r.input, 'en').length + 2));
      blocks.push(
        [
          `${strategy.label}, ${year}: Spearman rank correlation with the ${figure} (${levelPercent(s.confidence)} % interval)`,
          ...rows.map(
            (r) =>
              `${scalarInputName(r.input, 'en').padEnd(width)}${r.rho.toFixed(2).padStart(6)}  [${r.low.toFixed(2)}, ${r.high.toFixed(2)}]`,
          ),
        ].join('\n'),
      );
    } else {
      const rows = s.rows.filter((r) => r.strategy === strategy.id);
      blocks.push(
        [
          `${strategy.label}: share of the variance from structural parameters (${levelPercent(s.confidence)} % interval)`,
          ...rows.map(
            (r) =>
              `${r.year}  ${pct(r.structural)}  [${pct(r.structuralLow).trim()}, ${pct(r.structuralHigh).trim()}]   sd ${value(s.figure, r.sd)}`,
          ),
        ].join('\n'),
      );
    }
  }
  return `${head}${notes}\n${blocks.join('\n\n')}\n`;
}

/**
 * The rows as CSV: raw (code names, full precision), en or da (rounded, and each group and input
 * named in the language after its id, in `groupName` and `inputName`).
 */
export function sensitivityCsv(s: AnySensitivity, locale: CsvLocale): string {
  const named = (r: Record<string, string | number>): Record<string, string | number> => {
    if (locale === 'raw') return r;
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(r)) {
      out[k] = v;
      if (k === 'group') out.groupName = sensitivityGroupName(String(v), locale).name;
      if (k === 'input') out.inputName = scalarInputName(String(v), locale);
    }
    return out;
  };
  const rows: Record<string, string | number>[] = s.rows.map((r) =>
    named({ method: s.method, figure: s.figure, service: s.service, ...r }),
  );
  // A Sobol' analysis's residual (interactions among three or more groups, and error) as rows of its own.
  if (s.method === 'sobol') {
    for (const r of s.residuals)
      rows.push(
        named({
          method: s.method,
          figure: s.figure,
          service: s.service,
          strategy: r.strategy,
          year: r.year,
          group: 'residual',
          first: '',
          firstLow: '',
          firstHigh: '',
          total: '',
          totalLow: '',
          totalHigh: '',
          share: r.residual,
          shareLow: r.low,
          shareHigh: r.high,
        }),
      );
  }
  const columns = rows.length === 0 ? ['method'] : Object.keys(rows[0]!);
  // Rounded as a reader uses them, except in the raw form.
  const cell = (v: string | number): Cell => (typeof v === 'number' && locale !== 'raw' ? round(v) : v);
  return format(
    locale,
    columns,
    rows.map((r) => columns.map((c) => cell(r[c]!))),
  );
}

function round(x: number): number {
  const r = Math.abs(x) >= 1000 ? Math.round(x) : Number(x.toFixed(4));
  return r === 0 ? 0 : r;
}
