import type { RankCorrelationRow, SensitivityIndexRow, TornadoRow, TwoLevelRow } from '../sensitivity/estimators';
import { OptionError } from '../errors';
import type { Figure } from '../results/values';
import {
  displayUnit,
  figureShortName,
  scalarInputName,
  scalarInputValue,
  sensitivityGroupName,
  strategyName,
  vegaNumberLocale,
  type ChartLocale,
} from './locale';
import { common, displayName, round, top, type ChartOptions, type ChartSpec } from './specs';

/**
 * Options of the sensitivity charts.
 *
 * @category Charts
 */
export interface SensitivityChartOptions extends ChartOptions {
  /**
   * Names to show for strategies, input groups and inputs, by id (default: a built-in
   * strategy's Danish term in Danish, else the id itself).
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options of the charts of one year (default the last year in the rows). @category Charts */
export interface SensitivityYearChartOptions extends SensitivityChartOptions {
  readonly year?: number;
}

/** Options of the tornado: one strategy and one year, and how the output is shown. @category Charts */
export interface TornadoChartOptions extends SensitivityYearChartOptions {
  /** The strategy (default the first in the rows). */
  readonly strategy?: string;
  /**
   * The figure the rows are of: its short name titles the axis and its unit sets the numbers (a
   * share in %, kr in millions). Without it the output is shown as it is.
   */
  readonly figure?: Figure;
  /** Title of the output's axis (default the figure's short name, "median" and its unit). */
  readonly axisTitle?: string;
  /** d3 number format of the output (default the figure's: `".1%"` for a share, `",.1f"` for m kr). */
  readonly format?: string;
}

/** Tableau 10, Vega's default categories; the residual band is grey and outside it. */
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];
const GREY = '#d0d0d0';

function sensitivityWords(locale: ChartLocale) {
  return locale === 'da'
    ? {
        year: 'År',
        strategy: 'Styring',
        group: 'Drivkraft',
        input: 'Inputparameter',
        residual: sensitivityGroupName('residual', 'da').name,
        share: 'Andel af variansen',
        first: 'Førsteordensindeks',
        total: 'Totalindeks',
        index: 'Indeks',
        low: 'nedre',
        high: 'øvre',
        estimate: 'Estimat',
        attributionTitle: 'Hvilken drivkraft skaber afvigelsen: andel af variansen pr. år',
        attributionSub: [
          'Andel = (førsteordensindeks + totalindeks) / 2; gråt: resten, samspil mellem tre eller flere drivkræfter og usikkerhed.',
          'Negative estimater tegnes som 0; summerer andelene til over 100\u00a0%, skaleres de ned til 100\u00a0% uden gråt. Værktøjstippet viser estimaterne.',
        ],
        sobolTitle: 'Sobol-indeks',
        intervalSub: 'Punkt: estimat; linje: bootstrap-konfidensinterval',
        tornadoTitle: 'Tornado',
        tornadoSub:
          'Hver inputparameter ved sin P10 og P90, de øvrige ved medianen; søjler fra basis (alle ved medianen); under navnet: P10 til P90',
        atP10: 'Input ved P10',
        atP90: 'Input ved P90',
        inputValue: 'Inputværdi',
        output: 'Median af resultatet',
        median: 'median',
        base: 'Basis',
        rankTitle: 'Rangkorrelation (Spearman) mellem input og resultat',
        rankSub: 'Søjle: estimat; linje: bootstrap-konfidensinterval',
        twoLevelTitle: 'Strukturel usikkerhed og år-til-år-variation: andel af variansen',
        twoLevelSub: 'Envejs variansanalyse med tilfældige effekter over de ydre træk; søjlehøjde: estimat',
        structural: 'Strukturelle parametre (mellem ydre træk)',
        within: 'År-til-år-variation (inden for ydre træk)',
        level: 'Niveau',
        sd: 'Standardafvigelse',
      }
    : {
        year: 'Year',
        strategy: 'Steering',
        group: 'Driver',
        input: 'Input',
        residual: sensitivityGroupName('residual', 'en').name,
        share: 'Share of variance',
        first: 'First-order index',
        total: 'Total index',
        index: 'Index',
        low: 'low',
        high: 'high',
        estimate: 'Estimate',
        attributionTitle: 'Which driver makes the deviation: share of its variance per year',
        attributionSub: [
          'Share = (first-order index + total index) / 2; grey: what is left, interactions of three or more drivers and error.',
          'Negative estimates drawn as 0; shares adding to more than 100% scaled down to 100%, no grey. The tooltip gives the estimates.',
        ],
        sobolTitle: "Sobol' indices",
        intervalSub: 'Point: estimate; line: bootstrap confidence interval',
        tornadoTitle: 'Tornado',
        tornadoSub:
          'Each input at its P10 and P90, the others at their medians; bars from the base case (all at medians); under the name: P10 to P90',
        atP10: 'Input at P10',
        atP90: 'Input at P90',
        inputValue: 'Input value',
        output: 'Output median',
        median: 'median',
        base: 'Base',
        rankTitle: 'Rank correlation (Spearman) of inputs with the output',
        rankSub: 'Bar: estimate; line: bootstrap confidence interval',
        twoLevelTitle: 'Structural uncertainty and year-to-year variability: share of variance',
        twoLevelSub: 'One-way random-effects analysis of variance over the outer draws; bar height: estimate',
        structural: 'Structural parameters (between outer draws)',
        within: 'Year-to-year variability (within outer draws)',
        level: 'Level',
        sd: 'Standard deviation',
      };
}

interface Settings {
  readonly locale: ChartLocale;
  readonly width: number | undefined;
  readonly height: number;
  /** An input group's name. */
  readonly name: (id: string) => string;
  /** A scalar input's name. */
  readonly input: (id: string) => string;
  readonly strategy: (id: string) => string;
}

/** Checks the options and the rows (at least one, every number finite), naming what is wrong. */
function settings<R extends object>(
  rows: readonly R[],
  numbers: readonly (keyof R & string)[],
  options: SensitivityChartOptions,
  where: string,
): Settings {
  const { locale, width, height } = common(options, where);
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new OptionError(
      `${where}: rows must hold at least one row; received ${Array.isArray(rows) ? 'none' : String(rows)}`,
      { option: `${where}: rows`, received: Array.isArray(rows) ? rows.length : rows },
    );
  }
  rows.forEach((row, i) => {
    for (const field of numbers) {
      const v = (row as Record<string, unknown>)[field];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new OptionError(`${where}: rows[${i}].${field} must be a finite number; received ${String(v)}`, {
          option: `${where}: rows[${i}].${field}`,
          received: v,
        });
    }
  });
  const labels = options.labels ?? {};
  const own = (id: string) => (Object.prototype.hasOwnProperty.call(labels, id) ? labels[id] : undefined);
  return {
    locale,
    width,
    height,
    // As the charts of a run show names: line separators as spaces, cut, safe from prototype keys.
    name: (id) => displayName(own(id) ?? sensitivityGroupName(id, locale).name),
    input: (id) => displayName(own(id) ?? scalarInputName(id, locale)),
    strategy: (id) => displayName(own(id) ?? strategyName({ id, label: id }, locale)),
  };
}

/**
 * The heights a stack of attribution shares is drawn with, so that it never rises above 1: each
 * share clipped at 0 (a negative estimate is error around zero), then, where the clipped shares
 * add to more than 1, scaled down to add to exactly 1 with no residual; else the residual is
 * what they leave.
 *
 * For example [0.6, 0.6, −0.1] is drawn as [0.5, 0.5, 0] and no residual, [0.5, 0.2] as it is
 * with a residual of 0.3.
 */
function stackedShares(shares: readonly number[]): { shares: number[]; residual: number } {
  const clipped = shares.map((x) => Math.max(0, x));
  const sum = clipped.reduce((a, b) => a + b, 0);
  if (sum <= 1) return { shares: clipped, residual: 1 - sum };
  return { shares: clipped.map((x) => x / sum), residual: 0 };
}

/** A number from Intl with the minus sign U+2212, and without a sign where it is zero ("-0,0"). */
function signed(text: string): string {
  if (!/[1-9]/.test(text)) return text.replace(/^[-\u2212]/, '');
  return text.replace(/^-/, '\u2212');
}

/** Years on the x axis of bars: one label each, at an angle, so that four digits never run together. */
function yearAxis(title: string): Record<string, unknown> {
  return { field: 'year', type: 'ordinal', title, axis: { labelAngle: -45, labelAlign: 'right', labelOverlap: false } };
}

/**
 * A chart's top level as {@link top} makes it, with Danish percentages written with a
 * non-breaking space before the sign ("40 %").
 */
function topOf(
  locale: ChartLocale,
  title: string,
  subtitle: string | readonly string[],
  body: Record<string, unknown>,
): ChartSpec {
  const spec = top(locale, title, subtitle, body);
  if (locale !== 'da') return spec;
  const config = spec.config as Record<string, unknown>;
  return { ...spec, config: { ...config, locale: { number: { ...vegaNumberLocale(locale), percent: '\u00a0%' } } } };
}

/** Distinct values in order of first appearance. */
function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The year asked for, or the last in the rows; an error listing the years when it is not there. */
function pickYear(rows: readonly { readonly year: number }[], year: number | undefined, where: string): number {
  const years = distinct(rows.map((r) => r.year)).sort((a, b) => a - b);
  if (year === undefined) return years[years.length - 1]!;
  if (!years.includes(year))
    throw new OptionError(
      `${where}: year must be one of the rows' years (${years.join(', ')}); received ${String(year)}`,
      { option: `${where}: year`, received: year },
    );
  return year;
}

function facet(strategies: readonly string[]): Record<string, unknown> {
  return {
    facet: { field: 'strategyLabel', type: 'nominal', title: null, sort: strategies },
    columns: Math.min(strategies.length, 3),
  };
}

function panelWidth(s: Settings, panels: number): number {
  return s.width ?? (panels === 1 ? 520 : panels === 2 ? 380 : 300);
}

/**
 * The attribution of an output's variance to its drivers over time: per strategy (one panel
 * each), a stacked bar per year of each input group's share, (S_i + ST_i) / 2, and a grey band
 * "interactions and error" for what the shares leave. The y axis runs from 0 to 100 % and no
 * stack rises above it: a negative share (estimation error around zero) is drawn as 0, and where
 * the drawn shares add to more than 1 they are scaled down to add to 1, with no residual band;
 * the subtitle says so. The tooltip gives every estimate as it is, with the first-order and
 * total indices and their intervals.
 *
 * The data are, per strategy and year, its rows, each with its display names (`strategyLabel`,
 * `groupLabel`), the drawn height `stack` and the stacking `order`, followed by one residual row
 * (`group` `"residual"`, `share` the estimate 1 − Σ shares, `stack` what is drawn).
 *
 * @param rows - from {@link sobolRows}, any number of strategies and years
 * @param options - `labels` (names of strategies and groups by id), locale, size and title
 * @returns a Vega-Lite specification
 * @throws {@link OptionError} for no rows, a number that is not finite, an unknown locale or a
 *   size out of range
 * @example
 * ```ts
 * const row = { strategy: 'frame', year: 2030, first: 0.5, firstLow: 0.4, firstHigh: 0.6, total: 0.6, totalLow: 0.5, totalHigh: 0.7, share: 0.55, shareLow: 0.45, shareHigh: 0.65 };
 * const spec = attributionChart([{ ...row, group: 'demography' }, { ...row, group: 'prices', share: 0.4 }]);
 * (spec.data as { values: { group: string; share: number }[] }).values.map((v) => [v.group, v.share]);
 * //=> [['demography', 0.55], ['prices', 0.4], ['residual', 0.05]]
 * ```
 * @category Charts
 */
export function attributionChart(
  rows: readonly SensitivityIndexRow[],
  options: SensitivityChartOptions = {},
): ChartSpec {
  const where = 'attributionChart';
  const s = settings(
    rows,
    ['year', 'first', 'firstLow', 'firstHigh', 'total', 'totalLow', 'totalHigh', 'share', 'shareLow', 'shareHigh'],
    options,
    where,
  );
  const w = sensitivityWords(s.locale);
  const groups = distinct(rows.map((r) => r.group));
  const groupLabels = groups.map(s.name);
  const strategies = distinct(rows.map((r) => r.strategy));
  // The tooltip's lines as text, so that the residual band (which has no indices) shows a dash
  // rather than a number it does not have.
  const tag = s.locale === 'da' ? 'da-DK' : 'en-GB';
  const p1 = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const f3 = new Intl.NumberFormat(tag, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const interval = (x: number, low: number, high: number, f: Intl.NumberFormat) =>
    `${signed(f.format(x))} [${signed(f.format(low))}; ${signed(f.format(high))}]`;
  const values: Record<string, unknown>[] = [];
  for (const strategy of strategies) {
    for (const year of distinct(rows.filter((r) => r.strategy === strategy).map((r) => r.year))) {
      const cell = rows.filter((r) => r.strategy === strategy && r.year === year);
      const drawn = stackedShares(cell.map((r) => r.share));
      cell.forEach((r, i) =>
        values.push({
          ...r,
          strategyLabel: s.strategy(r.strategy),
          groupLabel: s.name(r.group),
          stack: round(drawn.shares[i]!),
          order: groups.indexOf(r.group),
          shareText: interval(r.share, r.shareLow, r.shareHigh, p1),
          firstText: interval(r.first, r.firstLow, r.firstHigh, f3),
          totalText: interval(r.total, r.totalLow, r.totalHigh, f3),
        }),
      );
      const sum = cell.reduce((acc, r) => acc + r.share, 0);
      values.push({
        strategy,
        year,
        group: 'residual',
        share: round(1 - sum),
        strategyLabel: s.strategy(strategy),
        groupLabel: w.residual,
        stack: round(drawn.residual),
        order: groups.length,
        shareText: signed(p1.format(round(1 - sum))),
        firstText: '–',
        totalText: '–',
      });
    }
  }
  const spec = {
    width: panelWidth(s, strategies.length),
    height: s.height,
    mark: { type: 'bar' },
    encoding: {
      x: yearAxis(w.year),
      y: {
        field: 'stack',
        type: 'quantitative',
        title: `${w.share} (%)`,
        axis: { format: '.0%' },
        scale: { domain: [0, 1] },
        stack: 'zero',
      },
      color: {
        field: 'groupLabel',
        type: 'nominal',
        title: w.group,
        scale: {
          domain: [...groupLabels, w.residual],
          range: [...groupLabels.map((_, i) => PALETTE[i % PALETTE.length]!), GREY],
        },
      },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'strategyLabel', type: 'nominal', title: w.strategy },
        { field: 'year', type: 'ordinal', title: w.year },
        { field: 'groupLabel', type: 'nominal', title: w.group },
        { field: 'shareText', type: 'nominal', title: w.share },
        { field: 'firstText', type: 'nominal', title: w.first },
        { field: 'totalText', type: 'nominal', title: w.total },
      ],
    },
  };
  return topOf(s.locale, options.title ?? w.attributionTitle, w.attributionSub, {
    data: { values },
    ...facet(strategies.map(s.strategy)),
    spec,
  });
}

/**
 * First-order and total Sobol' indices per input group for one year, each a point with its
 * bootstrap interval as a line, one panel per strategy.
 *
 * The data: per row of that year, one value for the first-order index and one for the total
 * (`index` `"first"` or `"total"`, with `estimate`, `low`, `high` and the display names).
 *
 * @param rows - from {@link sobolRows}
 * @param options - `year` (default the last year in the rows), `labels`, locale, size and title
 * @returns a Vega-Lite specification
 * @throws {@link OptionError} for no rows, a number that is not finite, a year not in the rows,
 *   an unknown locale or a size out of range
 * @example
 * ```ts
 * const row = { strategy: 'frame', group: 'prices', first: 0.5, firstLow: 0.4, firstHigh: 0.6, total: 0.6, totalLow: 0.5, totalHigh: 0.7, share: 0.55, shareLow: 0.45, shareHigh: 0.65 };
 * const spec = sobolChart([{ ...row, year: 2030 }, { ...row, year: 2034 }]);
 * (spec.title as { text: string }).text; //=> "Sobol' indices, 2034"
 * ```
 * @category Charts
 */
export function sobolChart(rows: readonly SensitivityIndexRow[], options: SensitivityYearChartOptions = {}): ChartSpec {
  const where = 'sobolChart';
  const s = settings(
    rows,
    ['year', 'first', 'firstLow', 'firstHigh', 'total', 'totalLow', 'totalHigh', 'share', 'shareLow', 'shareHigh'],
    options,
    where,
  );
  const w = sensitivityWords(s.locale);
  const year = pickYear(rows, options.year, where);
  const these = rows.filter((r) => r.year === year);
  const strategies = distinct(these.map((r) => r.strategy));
  const values = these.flatMap((r) =>
    (['first', 'total'] as const).map((index) => ({
      strategy: r.strategy,
      strategyLabel: s.strategy(r.strategy),
      year: r.year,
      group: r.group,
      groupLabel: s.name(r.group),
      index,
      indexLabel: index === 'first' ? w.first : w.total,
      estimate: r[index],
      low: index === 'first' ? r.firstLow : r.totalLow,
      high: index === 'first' ? r.firstHigh : r.totalHigh,
    })),
  );
  // Sorted by a number, not by a list of names: Vega-Lite compiles a list into an expression
  // comparing each name, and vega resolves a name such as "toString" as an operator reference.
  const groupOrder = distinct(these.map((r) => r.group));
  for (const v of values) (v as Record<string, unknown>).groupOrder = groupOrder.indexOf(v.group);
  const y = { field: 'groupLabel', type: 'nominal', title: null, sort: { field: 'groupOrder', op: 'min' } };
  const color = {
    field: 'indexLabel',
    type: 'nominal',
    title: w.index,
    scale: { domain: [w.first, w.total], range: ['#4c78a8', '#e45756'] },
  };
  const yOffset = { field: 'indexLabel', type: 'nominal', sort: [w.first, w.total] };
  // 0 to 1, widened where an estimate or interval falls outside (estimation error).
  const lo = Math.min(0, ...values.map((v) => v.low), ...values.map((v) => v.estimate));
  const hi = Math.max(1, ...values.map((v) => v.high), ...values.map((v) => v.estimate));
  const x = {
    type: 'quantitative',
    title: w.index,
    axis: { format: '.1f' },
    scale: { domain: [round(lo), round(hi)] },
  };
  const spec = {
    width: panelWidth(s, strategies.length),
    height: { step: 14 },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, yOffset, x: { field: 'low', ...x }, x2: { field: 'high' }, color },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y,
          yOffset,
          x: { field: 'estimate', ...x },
          color,
          tooltip: [
            { field: 'strategyLabel', type: 'nominal', title: w.strategy },
            { field: 'groupLabel', type: 'nominal', title: w.group },
            { field: 'indexLabel', type: 'nominal', title: w.index },
            { field: 'estimate', type: 'quantitative', title: w.estimate, format: '.3f' },
            { field: 'low', type: 'quantitative', title: w.low, format: '.3f' },
            { field: 'high', type: 'quantitative', title: w.high, format: '.3f' },
          ],
        },
      },
    ],
  };
  return topOf(s.locale, options.title ?? `${w.sobolTitle}, ${year}`, w.intervalSub, {
    data: { values },
    ...facet(strategies.map(s.strategy)),
    spec,
  });
}

/**
 * A tornado of one strategy and year: per scalar input, a bar from the base case (all inputs at
 * their medians) to the output with the input at its P10, and one to the output with it at its
 * P90, sorted by swing |high − low|, the widest on top.
 *
 * The data: the rows of that strategy and year, each with display names and `swing`.
 *
 * @param rows - tornado rows (any strategies and years; one of each is drawn)
 * @param options - `strategy` (default the first in the rows), `year` (default its last),
 *   `axisTitle` and `format` of the output, `labels`, locale, size and title
 * @returns a Vega-Lite specification
 * @throws {@link OptionError} for no rows, a number that is not finite, a strategy or year not in
 *   the rows, an unknown locale or a size out of range
 * @example
 * ```ts
 * const row = { strategy: 'frame', year: 2030, group: 'prices', base: 1, inputLow: 0.9, inputHigh: 1.1 };
 * const spec = tornadoChart([{ ...row, input: 'wage drift', low: 0.8, high: 1.3 }, { ...row, input: 'price index', low: 0.5, high: 2 }]);
 * (spec.data as { values: { input: string; swing: number }[] }).values.map((v) => [v.input, v.swing]);
 * //=> [['price index', 1.5], ['wage drift', 0.5]]
 * ```
 * @category Charts
 */
export function tornadoChart(rows: readonly TornadoRow[], options: TornadoChartOptions = {}): ChartSpec {
  const where = 'tornadoChart';
  const s = settings(rows, ['year', 'base', 'low', 'high', 'inputLow', 'inputHigh'], options, where);
  const w = sensitivityWords(s.locale);
  const strategies = distinct(rows.map((r) => r.strategy));
  const strategy = options.strategy ?? strategies[0]!;
  if (!strategies.includes(strategy))
    throw new OptionError(
      `${where}: strategy must be one of the rows' strategies (${strategies.join(', ')}); received ${JSON.stringify(strategy)}`,
      { option: `${where}: strategy`, received: strategy },
    );
  const ofStrategy = rows.filter((r) => r.strategy === strategy);
  const year = pickYear(ofStrategy, options.year, where);
  // The output in the figure's unit: a share stays a fraction drawn in %, kr become millions.
  const unit = options.figure === undefined ? undefined : displayUnit(options.figure, s.locale);
  const scale = unit?.scale ?? 1;
  const shown = (x: number) => round(x * scale);
  const values = ofStrategy
    .filter((r) => r.year === year)
    .map((r) => {
      const range = scalarInputValue(r.input, r.inputLow, s.locale, r.inputHigh);
      return {
        ...r,
        base: shown(r.base),
        low: shown(r.low),
        high: shown(r.high),
        strategyLabel: s.strategy(r.strategy),
        // Two lines on the axis: the name, and the input's P10 to P90 in its own units.
        inputLabel: `${s.input(r.input)}\n${range}`,
        inputRange: range,
        inputName: s.input(r.input),
        groupLabel: s.name(r.group),
        swing: round(Math.abs(r.high - r.low)),
      };
    })
    .sort((a, b) => b.swing - a.swing)
    .map((v, i) => ({ ...v, inputOrder: i }));
  const format = options.format ?? (unit === undefined ? ',.3~g' : unit.share ? '.1~%' : unit.format);
  const base = values[0]!.base;
  const title =
    options.axisTitle ??
    (options.figure === undefined || unit === undefined
      ? w.output
      : `${figureShortName(options.figure, s.locale)}, ${w.median} (${unit.unit})`);
  const y = {
    field: 'inputLabel',
    type: 'nominal',
    title: null,
    sort: { field: 'inputOrder', op: 'min' },
    axis: { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelPadding: 6 },
  };
  const x = { type: 'quantitative', title, axis: { format, tickCount: 6 }, scale: { zero: false } };
  const color = (label: string) => ({
    datum: label,
    type: 'nominal',
    title: null,
    scale: { domain: [w.atP10, w.atP90], range: ['#4c78a8', '#f58518'] },
  });
  const tooltip = [
    { field: 'inputName', type: 'nominal', title: w.input },
    { field: 'groupLabel', type: 'nominal', title: w.group },
    { field: 'inputRange', type: 'nominal', title: `${w.inputValue}, P10–P90` },
    { field: 'low', type: 'quantitative', title: w.atP10, format },
    { field: 'high', type: 'quantitative', title: w.atP90, format },
    { field: 'base', type: 'quantitative', title: w.base, format },
  ];
  const layer = [
    {
      mark: { type: 'bar', opacity: 0.85 },
      encoding: { y, x: { field: 'low', ...x }, x2: { field: 'base' }, color: color(w.atP10), tooltip },
    },
    {
      mark: { type: 'bar', opacity: 0.85 },
      encoding: { y, x: { field: 'high', ...x }, x2: { field: 'base' }, color: color(w.atP90), tooltip },
    },
    { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: base, ...x } } },
  ];
  const heading = options.title ?? `${w.tornadoTitle}: ${s.strategy(strategy)}, ${year}`;
  return topOf(s.locale, heading, w.tornadoSub, {
    data: { values },
    width: s.width ?? 480,
    height: { step: 34 },
    layer,
  });
}

/**
 * Spearman rank correlations of the scalar inputs with the output for one year: a horizontal bar
 * of ρ per input with its bootstrap interval as a line, on a −1 to 1 axis, one panel per
 * strategy, inputs sorted by their largest |ρ|.
 *
 * The data: the rows of that year, each with display names.
 *
 * @param rows - rank correlation rows
 * @param options - `year` (default the last year in the rows), `labels`, locale, size and title
 * @returns a Vega-Lite specification
 * @throws {@link OptionError} for no rows, a number that is not finite, a year not in the rows,
 *   an unknown locale or a size out of range
 * @example
 * ```ts
 * const spec = rankCorrelationChart([{ strategy: 'frame', year: 2030, input: 'wage drift', group: 'prices', rho: 0.4, low: 0.3, high: 0.5 }], { locale: 'da' });
 * (spec.title as { text: string }).text; //=> 'Rangkorrelation (Spearman) mellem input og resultat, 2030'
 * ```
 * @category Charts
 */
export function rankCorrelationChart(
  rows: readonly RankCorrelationRow[],
  options: SensitivityYearChartOptions = {},
): ChartSpec {
  const where = 'rankCorrelationChart';
  const s = settings(rows, ['year', 'rho', 'low', 'high'], options, where);
  const w = sensitivityWords(s.locale);
  const year = pickYear(rows, options.year, where);
  const these = rows.filter((r) => r.year === year);
  const strategies = distinct(these.map((r) => r.strategy));
  const values = these.map((r) => ({
    ...r,
    strategyLabel: s.strategy(r.strategy),
    inputLabel: s.input(r.input),
    groupLabel: s.name(r.group),
  }));
  const largest = new Map<string, number>();
  for (const v of values) largest.set(v.inputLabel, Math.max(largest.get(v.inputLabel) ?? 0, Math.abs(v.rho)));
  const order = [...largest.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  for (const v of values) (v as Record<string, unknown>).inputOrder = order.indexOf(v.inputLabel);
  // Names whole: an input's name cut short would no longer say which input it is.
  const y = {
    field: 'inputLabel',
    type: 'nominal',
    title: null,
    sort: { field: 'inputOrder', op: 'min' },
    axis: { labelLimit: 0 },
  };
  const x = {
    type: 'quantitative',
    title: 'Spearman ρ',
    axis: { format: '.1f', values: [-1, -0.5, 0, 0.5, 1] },
    scale: { domain: [-1, 1] },
  };
  const spec = {
    width: panelWidth(s, strategies.length),
    height: { step: 20 },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.8 },
        encoding: {
          y,
          x: { field: 'rho', ...x },
          color: { field: 'groupLabel', type: 'nominal', title: w.group },
          tooltip: [
            { field: 'strategyLabel', type: 'nominal', title: w.strategy },
            { field: 'inputLabel', type: 'nominal', title: w.input },
            { field: 'groupLabel', type: 'nominal', title: w.group },
            { field: 'rho', type: 'quantitative', title: 'ρ', format: '.3f' },
            { field: 'low', type: 'quantitative', title: w.low, format: '.3f' },
            { field: 'high', type: 'quantitative', title: w.high, format: '.3f' },
          ],
        },
      },
      {
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { y, x: { field: 'low', ...x }, x2: { field: 'high' } },
      },
      { mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { x: { datum: 0, ...x } } },
    ],
  };
  return topOf(s.locale, options.title ?? `${w.rankTitle}, ${year}`, w.rankSub, {
    data: { values },
    ...facet(strategies.map(s.strategy)),
    spec,
  });
}

/**
 * The two levels of a two-level Monte Carlo run per year: stacked bars of the share of the
 * output's variance between outer draws (structural parameters) and within them (year-to-year
 * variability), one panel per strategy; the tooltip gives the intervals and the standard
 * deviation.
 *
 * The data: per row, one value per level (`level` `"structural"` or `"within"`, with `share`,
 * `low`, `high`, `sd` and the display names).
 *
 * @param rows - two-level rows, any strategies and years
 * @param options - `labels`, locale, size and title
 * @returns a Vega-Lite specification
 * @throws {@link OptionError} for no rows, a number that is not finite, an unknown locale or a
 *   size out of range
 * @example
 * ```ts
 * const spec = twoLevelChart([{ strategy: 'frame', year: 2030, structural: 0.7, structuralLow: 0.6, structuralHigh: 0.8, within: 0.3, withinLow: 0.2, withinHigh: 0.4, sd: 2.5 }]);
 * (spec.data as { values: { level: string; share: number }[] }).values.map((v) => [v.level, v.share]);
 * //=> [['structural', 0.7], ['within', 0.3]]
 * ```
 * @category Charts
 */
export function twoLevelChart(rows: readonly TwoLevelRow[], options: SensitivityChartOptions = {}): ChartSpec {
  const where = 'twoLevelChart';
  const s = settings(
    rows,
    ['year', 'structural', 'structuralLow', 'structuralHigh', 'within', 'withinLow', 'withinHigh', 'sd'],
    options,
    where,
  );
  const w = sensitivityWords(s.locale);
  const strategies = distinct(rows.map((r) => r.strategy));
  const values = rows.flatMap((r) =>
    (['structural', 'within'] as const).map((level, order) => ({
      strategy: r.strategy,
      strategyLabel: s.strategy(r.strategy),
      year: r.year,
      level,
      levelLabel: level === 'structural' ? w.structural : w.within,
      share: r[level],
      low: level === 'structural' ? r.structuralLow : r.withinLow,
      high: level === 'structural' ? r.structuralHigh : r.withinHigh,
      sd: r.sd,
      order,
    })),
  );
  const spec = {
    width: panelWidth(s, strategies.length),
    height: s.height,
    mark: { type: 'bar' },
    encoding: {
      x: yearAxis(w.year),
      y: {
        field: 'share',
        type: 'quantitative',
        title: `${w.share} (%)`,
        axis: { format: '.0%' },
        scale: { domain: [0, 1] },
        stack: 'zero',
      },
      color: {
        field: 'levelLabel',
        type: 'nominal',
        title: w.level,
        legend: { direction: 'vertical', labelLimit: 0 },
        scale: { domain: [w.structural, w.within], range: ['#4c78a8', '#9ecae9'] },
      },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'strategyLabel', type: 'nominal', title: w.strategy },
        { field: 'year', type: 'ordinal', title: w.year },
        { field: 'levelLabel', type: 'nominal', title: w.level },
        { field: 'share', type: 'quantitative', title: w.share, format: '.1%' },
        { field: 'low', type: 'quantitative', title: w.low, format: '.1%' },
        { field: 'high', type: 'quantitative', title: w.high, format: '.1%' },
        { field: 'sd', type: 'quantitative', title: w.sd, format: ',.3~g' },
      ],
    },
  };
  return topOf(s.locale, options.title ?? w.twoLevelTitle, w.twoLevelSub, {
    data: { values },
    ...facet(strategies.map(s.strategy)),
    spec,
  });
}
