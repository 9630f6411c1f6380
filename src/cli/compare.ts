/**
 * `carebudget compare BASE VARIANT`: a scenario against a variant of itself on common random
 * numbers. Runs both with one seed and the same paths, prints the paired difference per strategy,
 * figure and year, and writes CSV, JSON and an HTML report.
 */
import { presets } from '../scenario/presets';
import type { Scenario } from '../scenario/schema';
import {
  compareScenarios,
  COMPARABLE_FIGURES,
  DEFAULT_COMPARISON_FIGURES,
  type ScenarioComparison,
  type ScenarioDifferenceRow,
} from '../results/compareScenarios';
import type { Figure } from '../results/values';
import { runRecord } from '../simulation/record';
import { figureName, serviceName, strategyName } from '../charts/locale';
import { renderComparisonReport } from '../html/compare';
import { OptionError } from '../errors';
import { CliError, invalidInput } from './errors';
import {
  choiceOption,
  countOption,
  listOption,
  progressBar,
  readScenario,
  REPORT_LOCALES,
  seedOption,
  validated,
  type CliOutput,
  type Values,
} from './common';
import { checkWritable, planOutputs, STDOUT, writeAll, writesToStdout, type FileContent } from './outputs';
import { CSV_LOCALES, format, type Cell, type CsvLocale } from './csv';

export { COMPARE_OPTIONS } from './options';

/** The prefix that names a built-in scenario in place of a file. */
const PRESET = 'preset:';

/** The options whose mismatch means the two scenarios cannot be paired (their files are at fault). */
const PAIRING = new Set(['baseYear', 'horizonYears', 'step', 'seed', 'paths']);

interface Named {
  readonly scenario: Scenario;
  readonly source: string;
}

/** A scenario named on the command line: `preset:NAME` or a file, validated with its lines and columns. */
function scenarioArgument(arg: string): Named {
  if (arg.startsWith(PRESET)) {
    const name = arg.slice(PRESET.length);
    if (!Object.hasOwn(presets, name))
      throw new CliError(
        `unknown preset "${name}" in ${arg}; expected preset: and one of ${Object.keys(presets).join(', ')}`,
      );
    const { input, source } = readScenario(undefined, name);
    return { scenario: validated(input, source), source };
  }
  const { input, source, text } = readScenario(arg, undefined);
  return { scenario: validated(input, source, text), source };
}

function figuresOption(text: string | boolean | undefined): Figure[] | undefined {
  const items = listOption('figure', text);
  if (items === undefined) return undefined;
  for (const f of items)
    if (!(COMPARABLE_FIGURES as readonly string[]).includes(f))
      throw new CliError(`--figure: unknown figure "${f}"; expected one of ${COMPARABLE_FIGURES.join(', ')}`);
  return items as Figure[];
}

interface Settings {
  readonly csv: CsvLocale;
  readonly report: 'en' | 'da';
  readonly base: Scenario;
  readonly variant: Scenario;
}

const OUTPUTS: readonly {
  readonly option: string;
  content(c: ScenarioComparison, s: Settings): FileContent | Promise<FileContent>;
}[] = [
  { option: 'csv', content: (c, s) => comparisonCsv(c, s.csv) },
  {
    option: 'json',
    content: (c, s) => {
      const ids = c.strategies.map((x) => x.id);
      // What was run: the scenarios with the seed and paths both used.
      const ran = (x: Scenario): Scenario => ({ ...x, seed: c.seed, paths: c.paths });
      const runs = { base: runRecord(ran(s.base), ids), variant: runRecord(ran(s.variant), ids) };
      return `${JSON.stringify({ ...c, runs }, null, 1)}\n`;
    },
  },
  { option: 'report', content: (c, s) => renderComparisonReport(c, { locale: s.report }) },
];

/** Runs `carebudget compare`. */
export async function compareCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length !== 2)
    throw new CliError(
      `compare takes two scenarios, the base and the variant (files or preset:NAME); received ${positionals.length}${positionals.length === 0 ? '' : `: ${positionals.join(' ')}`}`,
    );
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const paths = countOption('paths', values.paths, 1, 100_000_000);
  const seed = seedOption(values.seed);
  const strategies = listOption('strategy', values.strategy);
  const figures = figuresOption(values.figure);
  const service = typeof values.service === 'string' ? values.service : undefined;
  const planned = planOutputs(OUTPUTS, values, undefined);
  // With an output on standard output, the table goes to standard error.
  const toStdout = writesToStdout(checkWritable(planned));
  const say = (text: string) => (toStdout ? io.err(text) : io.out(text));

  const base = scenarioArgument(positionals[0]!);
  const variant = scenarioArgument(positionals[1]!);
  const total = 2 * (paths ?? base.scenario.paths);
  const bar = progressBar(io, values.quiet === true, total);
  let comparison: ScenarioComparison;
  try {
    comparison = compareScenarios(base.scenario, variant.scenario, {
      ...(strategies === undefined ? {} : { strategies }),
      ...(figures === undefined ? {} : { figures }),
      ...(service === undefined ? {} : { service }),
      ...(paths === undefined ? {} : { paths }),
      ...(seed === undefined ? {} : { seed }),
      ...(bar === undefined ? {} : { onProgress: (p) => bar.update(p.pathsDone) }),
    });
  } catch (e) {
    if (e instanceof OptionError) {
      const message = e.message.replace(/^compareScenarios: /, '').replace(/pass (seed|paths)/, 'pass --$1');
      if (e.option !== undefined && PAIRING.has(e.option))
        throw invalidInput(`${base.source} and ${variant.source}: ${message}`);
      const option = e.option === 'strategies' ? '--strategy' : e.option === 'figures' ? '--figure' : `--${e.option}`;
      throw new CliError(`${option}: ${message}`);
    }
    throw e;
  } finally {
    bar?.stop();
  }
  say(describeComparison(comparison));
  // Every file's content is made before any is written, so all or nothing holds.
  const settings: Settings = { csv: csvLocale, report: reportLocale, base: base.scenario, variant: variant.scenario };
  const contents = await Promise.all(
    planned.map((p) => OUTPUTS.find((o) => o.option === p.option)!.content(comparison, settings)),
  );
  writeAll(
    planned.map((p, i) => ({ option: p.option, file: p.file, content: () => contents[i]! })),
    io,
  );
  for (const { file } of planned) if (file !== STDOUT) say(`wrote ${file}\n`);
  return 0;
}

/** How a figure is shown at the terminal: its unit, and a value in it. */
function shown(figure: Figure): { unit: string; value: (x: number) => string } {
  const fixed = (x: number, digits: number) => {
    const t = x.toFixed(digits);
    return Number(t) === 0 ? (0).toFixed(digits) : t;
  };
  if (figure.endsWith('Kr')) return { unit: 'm kr', value: (x) => fixed(x / 1e6, 2) };
  if (figure.endsWith('Pct') || figure === 'serviceGapShare')
    return { unit: 'percentage points', value: (x) => fixed(x * 100, 2) };
  return { unit: 'units', value: (x) => fixed(x, 1) };
}

/** A share in whole per cent; one that is not 0 or 1 never shows as 0 % or 100 %. */
function percent(x: number): string {
  const r = Math.round(100 * x);
  return r === 0 && x > 0 ? '<1 %' : r === 100 && x < 1 ? '>99 %' : `${r} %`;
}

/** The comparison as a reader takes it in at a terminal: a table per strategy and figure. */
export function describeComparison(c: ScenarioComparison): string {
  const service = c.service === 'total' ? 'all services' : serviceName(c.service, c.services, 'en');
  const lines = [
    `carebudget compare: "${c.variant.name}" − "${c.base.name}", path by path: ${c.paths} paths each, seed ${String(c.seed)}, ${service}`,
    `The variant differs in: ${c.differences.length === 0 ? 'nothing (the two scenarios are the same)' : c.differences.join(', ')}`,
  ];
  for (const s of c.strategies)
    for (const figure of c.figures) {
      const { unit, value } = shown(figure);
      const rows = c.rows.filter((r) => r.strategy === s.id && r.figure === figure);
      const w = Math.max(
        8,
        ...rows.flatMap((r) => [r.baseMean, r.variantMean, r.p5, r.p95].map((x) => value(x).length)),
      );
      const cell = (x: number) => value(x).padStart(w);
      const line = (r: ScenarioDifferenceRow) =>
        [
          String(r.year),
          cell(r.baseMean),
          cell(r.variantMean),
          `${cell(r.p50)} [${value(r.p5)}, ${value(r.p95)}]`.padEnd(w + 2 * w + 6),
          `${value(r.mean)} ± ${value(1.96 * r.mcse)}`.padStart(w + 10),
          percent(r.pVariantGreater).padStart(9),
          `${value(r.sd)} / ${value(r.independentSd)}`.padStart(2 * w + 3),
        ].join('  ');
      lines.push(
        '',
        `${strategyName(s, 'en')}: ${figureName(figure, 'en')} [${figure}] (${unit})`,
        [
          'year',
          'base'.padStart(w),
          'variant'.padStart(w),
          'difference: median [P5, P95]'.padEnd(w + 2 * w + 6),
          'mean ± 1.96·MCSE'.padStart(w + 10),
          'P(v > b)'.padStart(9),
          'sd paired / indep.'.padStart(2 * w + 3),
        ].join('  '),
        ...rows.map(line),
      );
    }
  return `${lines.join('\n')}\n`;
}

/** The rows as CSV: raw (code names, full precision), en or da (readable, rounded; da with Danish headers). */
export function comparisonCsv(c: ScenarioComparison, locale: CsvLocale): string {
  if (locale === 'raw') {
    const head = [
      'base',
      'variant',
      'strategy',
      'service',
      'figure',
      'year',
      'n',
      'base_mean',
      'variant_mean',
      'mean_difference',
      'sd',
      'mcse',
      'p5',
      'p25',
      'p50',
      'p75',
      'p95',
      'min',
      'max',
      'p_variant_greater',
      'p_variant_lower',
      'independent_sd',
      'variance_reduction',
    ];
    return format(
      locale,
      head,
      c.rows.map((r) => [
        c.base.name,
        c.variant.name,
        r.strategy,
        r.service,
        r.figure,
        r.year,
        r.n,
        r.baseMean,
        r.variantMean,
        r.mean,
        r.sd,
        r.mcse,
        r.p5,
        r.p25,
        r.p50,
        r.p75,
        r.p95,
        r.min,
        r.max,
        r.pVariantGreater,
        r.pVariantLower,
        r.independentSd,
        r.varianceReduction,
      ]),
    );
  }
  const da = locale === 'da';
  const head = da
    ? [
        'Basis',
        'Variant',
        'Styring',
        'Ydelse',
        'Tal',
        'Enhed',
        'År',
        'Forløb',
        'Gns. basis',
        'Gns. variant',
        'Gns. forskel',
        'Std.afv. forskel',
        'MCSE',
        'P5',
        'P25',
        'P50',
        'P75',
        'P95',
        'Min.',
        'Maks.',
        'P(variant > basis)',
        'P(variant < basis)',
        'Std.afv. uafhængige kørsler',
        'Varians fjernet ved parring',
      ]
    : [
        'Base',
        'Variant',
        'Strategy',
        'Service',
        'Figure',
        'Unit',
        'Year',
        'Paths',
        'Base mean',
        'Variant mean',
        'Mean difference',
        'SD of difference',
        'MCSE',
        'P5',
        'P25',
        'P50',
        'P75',
        'P95',
        'Min',
        'Max',
        'P(variant > base)',
        'P(variant < base)',
        'SD of independent runs',
        'Variance removed by pairing',
      ];
  const lang = da ? 'da' : 'en';
  const names = new Map(c.strategies.map((s) => [s.id, strategyName(s, lang)]));
  const rows = c.rows.map((r): Cell[] => {
    const share = r.figure.endsWith('Pct') || r.figure === 'serviceGapShare';
    const kr = r.figure.endsWith('Kr');
    // kr to whole kroner, shares in % to 0.01 point, activity to 0.1.
    const v = (x: number) => tidy(share ? x * 100 : x, kr ? 0 : share ? 2 : 1);
    const unit = kr ? 'kr' : share ? (da ? 'procentpoint' : 'percentage points') : da ? 'enheder' : 'units';
    return [
      c.base.name,
      c.variant.name,
      names.get(r.strategy)!,
      serviceName(r.service, c.services, lang),
      figureName(r.figure, lang),
      unit,
      r.year,
      r.n,
      v(r.baseMean),
      v(r.variantMean),
      v(r.mean),
      v(r.sd),
      v(r.mcse),
      v(r.p5),
      v(r.p25),
      v(r.p50),
      v(r.p75),
      v(r.p95),
      v(r.min),
      v(r.max),
      tidy(r.pVariantGreater, 3),
      tidy(r.pVariantLower, 3),
      v(r.independentSd),
      tidy(r.varianceReduction, 4),
    ];
  });
  return format(locale, head, rows);
}

/** A number rounded to `digits` decimals, as a number (so −0 prints as 0). */
function tidy(x: number, digits: number): number {
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}

export { DEFAULT_COMPARISON_FIGURES };
