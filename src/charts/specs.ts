import type { RunResult } from '../results/streaming';
import { summarize } from '../results/summary';
import { differenceRows, metricRows, summaryRows } from '../results/rows';
import { TOTAL, type Figure } from '../results/values';
import { ResultError } from '../simulation/result';
import {
  checkLocale,
  displayUnit,
  figureName,
  figureShortName,
  metricName,
  serviceName,
  shortServiceName,
  strategyName,
  vegaNumberLocale,
  words,
  type ChartLocale,
  type DisplayUnit,
} from './locale';
import { OptionError } from '../errors';

/**
 * A Vega-Lite specification as plain JSON (schema v6): hand it to vega-embed, to Jupyter's or
 * VS Code's Vega-Lite renderer, to Observable's `vl`/`embed`, or compile it with vega-lite.
 * Kept as a small local type so the core needs no chart library at run time.
 *
 * @category Charts
 */
export interface ChartSpec {
  readonly $schema: string;
  readonly [key: string]: unknown;
}

/** Options every chart takes. @category Charts */
export interface ChartOptions {
  /** Language of titles, axes and legends, and number format (default `"en"`). */
  readonly locale?: ChartLocale;
  /** Width of one panel in pixels (default 260, or 520 for a single panel). */
  readonly width?: number;
  /** Height of one panel in pixels (default 220). */
  readonly height?: number;
  /** Title above the chart (default: the figure in words). */
  readonly title?: string;
}

/** Options of charts of one figure. @category Charts */
export interface FigureChartOptions extends ChartOptions {
  /** The figure (default `treasuryDeviationKr`). */
  readonly figure?: Figure;
  /** A service id, a group of units, or `"total"` (default). */
  readonly service?: string;
}

/** The Vega-Lite schema every chart names. @internal */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A chart's checked locale and size. @internal */
export interface Common {
  readonly locale: ChartLocale;
  readonly width: number | undefined;
  readonly height: number;
}

/** Checks a chart's locale and size (20 to 5000 pixels), naming the option at fault. @internal */
export function common(options: ChartOptions, where: string): Common {
  const locale = checkLocale(options.locale, where);
  for (const key of ['width', 'height'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 20 && v <= 5000))
      throw new OptionError(`${where}: ${key} must be a number of pixels from 20 to 5000; received ${String(v)}`, {
        option: `${where}: ${key}`,
        received: v,
      });
  }
  return { locale, width: options.width, height: options.height ?? 220 };
}

/** The Vega-Lite configuration every chart shares: number locale, fonts, legend at the bottom. @internal */
export function config(locale: ChartLocale): Record<string, unknown> {
  return {
    locale: { number: vegaNumberLocale(locale) },
    view: { stroke: null },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', orient: 'bottom', labelLimit: 360 },
    header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 360 },
    title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start' },
  };
}

/** A chart's top level: schema, title and subtitle, its body, the shared configuration. @internal */
export function top(
  locale: ChartLocale,
  title: string,
  subtitle: string | readonly string[] | undefined,
  body: Record<string, unknown>,
): ChartSpec {
  return {
    $schema: SCHEMA,
    title: subtitle === undefined ? { text: title } : { text: title, subtitle },
    ...body,
    config: config(locale),
  };
}

function figureOf(options: FigureChartOptions): { figure: Figure; service: string } {
  return { figure: options.figure ?? 'treasuryDeviationKr', service: options.service ?? TOTAL };
}

function unitOf(result: RunResult, figure: Figure, service: string, locale: ChartLocale): DisplayUnit {
  const own = result.services.find((s) => s.id === service || s.group === service);
  return displayUnit(figure, locale, own?.activityUnit);
}

/** Longest name shown in a chart's titles and headers, in characters. @internal */
export const NAME_LIMIT = 60;

/** A name cut to {@link NAME_LIMIT} characters with an ellipsis, so no name widens a chart. @internal */
export function clip(name: string): string {
  const chars = [...name];
  return chars.length <= NAME_LIMIT ? name : chars.slice(0, NAME_LIMIT - 1).join('') + '…';
}

/** Names Vega would look up on `Object.prototype` when it groups marks by a name. */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A name as a chart shows it: U+2028 and U+2029 (which Vega's expression parser takes for line
 * ends, "Unexpected token ILLEGAL") as spaces, cut by {@link clip}, and a name that is a key of
 * `Object.prototype` (`toString`, `constructor`, `__proto__` …) followed by a zero-width space:
 * Vega groups lines and areas by name in plain objects, where such a name finds the prototype's
 * function and the chart fails ("Operator not defined"). The name reads the same.
 * @internal
 */
export function displayName(name: string): string {
  const shown = clip(String(name).replace(/[\u2028\u2029]/g, ' '));
  return PROTOTYPE_KEYS.has(shown) ? `${shown}\u200b` : shown;
}

/**
 * The strategies' names as the charts show them, by id: {@link displayName} of each, and made
 * distinct (a number in brackets after a repeated one), as a chart tells its series apart by name.
 * @internal
 */
export function strategyNames(result: RunResult, locale: ChartLocale): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of result.strategies) {
    const name = displayName(strategyName(s, locale));
    let shown = name;
    for (let k = 2; taken.has(shown); k++) shown = `${name} (${k})`;
    taken.add(shown);
    names.set(s.id, shown);
  }
  return names;
}

/**
 * Strategies are drawn in the result's order by a number in each datum (`order`), never by a
 * list of names: Vega compiles such a list into lookups by name, which a name like `toString`
 * or `__proto__` breaks ("Operator not defined").
 */
const BY_ORDER = { field: 'order', op: 'min' } as const;

/**
 * Panels per strategy, faceted by the number `order` and headed by the name: Vega groups a facet
 * by name in lookups that a name like `toString` breaks (its panel is lost).
 */
function strategyFacet(names: ReadonlyMap<string, string>): Record<string, unknown> {
  return {
    field: 'order',
    type: 'ordinal',
    title: null,
    header: { labelExpr: `${JSON.stringify([...names.values()])}[datum.value]` },
  };
}

function orderOf(result: RunResult, id: string): number {
  return result.strategies.findIndex((s) => s.id === id);
}

/** @internal */
export function round(x: number): number {
  // Keep the data readable in a notebook (12 significant digits), without changing what is drawn.
  return Number(x.toPrecision(12));
}

function axisTitle(name: string, unit: DisplayUnit): string {
  return unit.share ? `${name} (%)` : `${name} (${unit.unit})`;
}

function strategyColor(title: string): Record<string, unknown> {
  return { field: 'strategy', type: 'nominal', title, sort: BY_ORDER };
}

function yearAxis(title: string): Record<string, unknown> {
  return {
    field: 'year',
    type: 'quantitative',
    title,
    axis: { format: 'd', tickMinStep: 1 },
    scale: { nice: false, zero: false },
  };
}

/**
 * A fan chart of a figure per year and strategy: the P5–P95 and P25–P75 bands and the median
 * line, one panel per strategy (default) or overlaid. Money is shown in millions of kr, shares in
 * %. The data are {@link summaryRows}' percentiles times the display scale (1e-6 for kr).
 *
 * @param result - a per-path result (exact percentiles) or a streaming summary (t-digest)
 * @param options - figure (default `treasuryDeviationKr`), service (default `"total"`),
 *   `layout` (`"panels"` or `"overlay"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale, layout or size; {@link ResultError} for a service or
 *   figure the result does not hold
 * @example
 * ```ts
 * const spec = fanChart(simulate(lejre2034()), { locale: 'da' });
 * (spec.data as { values: unknown[] }).values.length; //=> 22
 * ```
 * @category Charts
 */
export function fanChart(
  result: RunResult,
  options: FigureChartOptions & { readonly layout?: 'panels' | 'overlay' } = {},
): ChartSpec {
  const c = common(options, 'fanChart');
  const layout = options.layout ?? 'panels';
  if (layout !== 'panels' && layout !== 'overlay')
    throw new OptionError(`fanChart: layout must be "panels" or "overlay"; received ${JSON.stringify(layout)}`, {
      option: 'fanChart: layout',
      received: layout,
    });
  const { figure, service } = figureOf(options);
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const unit = unitOf(result, figure, service, c.locale);
  const values = summaryRows(result, { figures: [figure], services: [service] }).map((r) => ({
    strategy: names.get(r.strategy)!,
    order: orderOf(result, r.strategy),
    year: r.year,
    p5: round(r.p5 * unit.scale),
    p25: round(r.p25 * unit.scale),
    p50: round(r.p50 * unit.scale),
    p75: round(r.p75 * unit.scale),
    p95: round(r.p95 * unit.scale),
  }));
  const name = figureName(figure, c.locale);
  const y = {
    type: 'quantitative',
    title: axisTitle(figureShortName(figure, c.locale), unit),
    axis: { format: unit.format },
  };
  const color = strategyColor(w.strategy);
  const overlay = layout === 'overlay';
  const tooltip = [
    { field: 'strategy', type: 'nominal', title: w.strategy },
    { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
    ...(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((p) => ({
      field: p,
      type: 'quantitative',
      title: p.toUpperCase(),
      format: unit.format,
    })),
  ];
  const layer = [
    {
      mark: { type: 'area', opacity: overlay ? 0.15 : 0.25 },
      encoding: { x: yearAxis(w.year), y: { field: 'p5', ...y }, y2: { field: 'p95' }, ...(overlay ? { color } : {}) },
    },
    {
      mark: { type: 'area', opacity: overlay ? 0.25 : 0.45 },
      encoding: { x: yearAxis(w.year), y: { field: 'p25', ...y }, y2: { field: 'p75' }, ...(overlay ? { color } : {}) },
    },
    {
      mark: { type: 'line', strokeWidth: 2, point: true },
      encoding: { x: yearAxis(w.year), y: { field: 'p50', ...y }, tooltip, ...(overlay ? { color } : {}) },
    },
    ...(figure.includes('Deviation')
      ? [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { datum: 0 } } }]
      : []),
  ];
  // Short title, the definition below it: a title wider than the panels would widen the chart.
  const title =
    options.title ??
    `${figureShortName(figure, c.locale)}, ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}`;
  const subtitle = [name, w.band];
  const size = { width: c.width ?? (overlay || result.strategies.length === 1 ? 520 : 260), height: c.height };
  if (overlay) return top(c.locale, title, subtitle, { data: { values }, ...size, layer });
  return top(c.locale, title, subtitle, {
    data: { values },
    facet: strategyFacet(names),
    columns: Math.min(result.strategies.length, 3),
    spec: { ...size, layer },
  });
}

/** Every 2 %: the distribution drawn between consecutive percentiles. */
const GRID = Array.from({ length: 51 }, (_, i) => i * 2);

/**
 * Bars between consecutive percentiles, each holding the same share of paths, with height =
 * share / width (a density). Percentiles that coincide (a point mass) are pooled into the next
 * bar of positive width, so no bar has zero width.
 */
function densityBars(q: readonly number[], step: number): { x0: number; x1: number; share: number }[] {
  const bars: { x0: number; x1: number; share: number }[] = [];
  const span = q[q.length - 1]! - q[0]!;
  if (!(span > 0)) {
    const v = q[0]!;
    const half = Math.max(Math.abs(v) * 0.005, 1e-9);
    return [{ x0: v - half, x1: v + half, share: 1 }];
  }
  let start = q[0]!;
  let share = 0;
  for (let i = 1; i < q.length; i++) {
    share += step;
    if (q[i]! - start > span * 1e-9) {
      bars.push({ x0: start, x1: q[i]!, share });
      start = q[i]!;
      share = 0;
    }
  }
  if (share > 0 && bars.length > 0)
    bars[bars.length - 1] = { ...bars[bars.length - 1]!, share: bars[bars.length - 1]!.share + share };
  return bars;
}

/**
 * The distribution of a figure in one year, strategies side by side: a histogram whose bars lie
 * between consecutive percentiles (every 2 %), so each bar holds 2 % of the paths and its height
 * is the density (share of paths per m kr, or per percentage point). It reads an exact result
 * and a streaming summary alike (there from the t-digest).
 *
 * @param result - a per-path result or a streaming summary
 * @param options - year (default the last simulated year), figure (default
 *   `treasuryDeviationKr`), service (default `"total"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale or size; {@link ResultError} for a year, service or
 *   figure the result does not hold
 * @example
 * ```ts
 * const spec = distributionChart(simulate(lejre2034()), { year: 2030 });
 * (spec.title as { text: string }).text.includes('2030'); //=> true
 * ```
 * @category Charts
 */
export function distributionChart(
  result: RunResult,
  options: FigureChartOptions & { readonly year?: number } = {},
): ChartSpec {
  const c = common(options, 'distributionChart');
  const { figure, service } = figureOf(options);
  const year = options.year ?? result.years[result.years.length - 1]!;
  if (!result.years.includes(year))
    throw new ResultError(
      `year ${String(year)} is not in the result; expected ${result.years[0]} to ${result.years[result.years.length - 1]}`,
    );
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const unit = unitOf(result, figure, service, c.locale);
  // Shares are drawn per percentage point, money per m kr.
  const perUnit = unit.share ? 100 : 1;
  const rows = summarize(result, { figures: [figure], services: [service], percentiles: GRID, thresholds: [0] }).filter(
    (r) => r.year === year,
  );
  const values = rows.flatMap((r) => {
    const label = names.get(r.strategy)!;
    const q = GRID.map((p) => r.percentiles[p]! * unit.scale);
    return densityBars(q, 0.02).map((b) => ({
      strategy: label,
      order: orderOf(result, r.strategy),
      x0: round(b.x0),
      x1: round(b.x1),
      share: round(b.share),
      density: round(b.share / ((b.x1 - b.x0) * perUnit)),
    }));
  });
  const name = figureName(figure, c.locale);
  const title =
    options.title ??
    `${figureShortName(figure, c.locale)}, ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}: ${w.distributionOf.toLowerCase()} ${year}`;
  // The axis says "density"; what it is per, the subtitle (a long vertical title would pad the chart).
  const per = unit.share ? (c.locale === 'da' ? 'procentpoint' : 'percentage point') : unit.unit;
  const densityTitle = c.locale === 'da' ? 'Tæthed' : 'Density';
  const barNote =
    c.locale === 'da'
      ? `Hver søjle rummer 2 % af forløbene; højden er andelen af forløb pr. ${per}`
      : `Each bar holds 2 % of the paths; its height is the share of paths per ${per}`;
  const x = {
    field: 'x0',
    type: 'quantitative',
    title: axisTitle(figureShortName(figure, c.locale), unit),
    axis: { format: unit.format },
    scale: { zero: false },
  };
  const spec = {
    width: c.width ?? (result.strategies.length === 1 ? 520 : 260),
    height: c.height,
    layer: [
      {
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          x,
          x2: { field: 'x1' },
          y: { field: 'density', type: 'quantitative', title: densityTitle },
          y2: { datum: 0 },
          color: { ...strategyColor(w.strategy), legend: null },
          tooltip: [
            { field: 'x0', type: 'quantitative', title: c.locale === 'da' ? 'Fra' : 'From', format: unit.format },
            { field: 'x1', type: 'quantitative', title: c.locale === 'da' ? 'Til' : 'To', format: unit.format },
            {
              field: 'share',
              type: 'quantitative',
              title: c.locale === 'da' ? 'Andel af forløb' : 'Share of paths',
              format: '.0%',
            },
          ],
        },
      },
      ...(figure.includes('Deviation')
        ? [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { datum: 0 } } }]
        : []),
    ],
  };
  return top(c.locale, title, [name, barNote], {
    data: { values },
    facet: strategyFacet(names),
    columns: Math.min(result.strategies.length, 3),
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec,
  });
}

/**
 * The paired difference between two strategies per year (a − b, path by path on common random
 * numbers): the P5–P95 and P25–P75 bands and the median line, from {@link differenceRows}.
 *
 * @param result - a result with both strategies (a streaming summary keeps the pairs of the
 *   treasury and provider deviation of the total)
 * @param options - `a` and `b` (default the result's first two strategies), figure (default
 *   `treasuryDeviationKr`), service (default `"total"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale or size; {@link ResultError} when the result has
 *   fewer than two strategies, or for a strategy, service or pair it does not hold
 * @example
 * ```ts
 * const spec = differenceChart(simulate(lejre2034()), { a: 'frame', b: 'activity' });
 * (spec.data as { values: unknown[] }).values.length; //=> 11
 * ```
 * @category Charts
 */
export function differenceChart(
  result: RunResult,
  options: FigureChartOptions & { readonly a?: string; readonly b?: string } = {},
): ChartSpec {
  const c = common(options, 'differenceChart');
  if (result.strategies.length < 2 && (options.a === undefined || options.b === undefined)) {
    throw new ResultError(
      `differenceChart needs two strategies; the result has ${result.strategies.length} (${result.strategies.map((s) => s.id).join(', ')})`,
    );
  }
  const a = options.a ?? result.strategies[0]!.id;
  const b = options.b ?? result.strategies[1]!.id;
  const { figure, service } = figureOf(options);
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const unit = unitOf(result, figure, service, c.locale);
  const label = (id: string) => {
    return names.get(id) ?? displayName(id);
  };
  const values = differenceRows(result, a, b, { figure, service }).map((r) => ({
    year: r.year,
    p5: round(r.p5 * unit.scale),
    p25: round(r.p25 * unit.scale),
    p50: round(r.p50 * unit.scale),
    p75: round(r.p75 * unit.scale),
    p95: round(r.p95 * unit.scale),
    pAGreater: round(r.pAGreater),
  }));
  const name = figureName(figure, c.locale);
  const y = { type: 'quantitative', title: axisTitle(w.differenceAxis, unit), axis: { format: unit.format } };
  const x = yearAxis(w.year);
  const layer = [
    {
      mark: { type: 'area', opacity: 0.25, color: '#6a51a3' },
      encoding: { x, y: { field: 'p5', ...y }, y2: { field: 'p95' } },
    },
    {
      mark: { type: 'area', opacity: 0.45, color: '#6a51a3' },
      encoding: { x, y: { field: 'p25', ...y }, y2: { field: 'p75' } },
    },
    {
      mark: { type: 'line', strokeWidth: 2, point: true, color: '#3f007d' },
      encoding: {
        x,
        y: { field: 'p50', ...y },
        tooltip: [
          { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
          { field: 'p50', type: 'quantitative', title: w.median, format: unit.format },
          { field: 'p5', type: 'quantitative', title: 'P5', format: unit.format },
          { field: 'p95', type: 'quantitative', title: 'P95', format: unit.format },
          { field: 'pAGreater', type: 'quantitative', title: `P(${label(a)} > ${label(b)})`, format: '.0%' },
        ],
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { datum: 0 } } },
  ];
  const title =
    options.title ??
    `${w.difference}: ${figureShortName(figure, c.locale).toLowerCase()}, ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}`;
  return top(c.locale, title, [`${label(a)} − ${label(b)}; ${name.toLowerCase()}`, w.differenceSub], {
    data: { values },
    width: c.width ?? 520,
    height: c.height,
    layer,
  });
}

/**
 * The probability of an overspend (figure > threshold, default 0) per year and strategy, one
 * line per strategy on a 0–100 % axis, from {@link summaryRows}' `pOverspend`.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - figure (default `treasuryDeviationKr`: the adopted budget overspent),
 *   service (default `"total"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale or size; {@link ResultError} for a service or figure
 *   the result does not hold
 * @example
 * ```ts
 * const spec = overspendChart(simulate(lejre2034()));
 * (spec.data as { values: { pOverspend: number }[] }).values.every((v) => v.pOverspend >= 0 && v.pOverspend <= 1); //=> true
 * ```
 * @category Charts
 */
export function overspendChart(result: RunResult, options: FigureChartOptions = {}): ChartSpec {
  const c = common(options, 'overspendChart');
  const { figure, service } = figureOf(options);
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const values = summaryRows(result, { figures: [figure], services: [service] }).map((r) => ({
    strategy: names.get(r.strategy)!,
    order: orderOf(result, r.strategy),
    year: r.year,
    pOverspend: round(r.pOverspend),
  }));
  const title =
    options.title ?? `${w.overspendTitle}: ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}`;
  return top(c.locale, title, figureName(figure, c.locale) + ' > 0', {
    data: { values },
    width: c.width ?? 520,
    height: c.height,
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: yearAxis(w.year),
      y: {
        field: 'pOverspend',
        type: 'quantitative',
        title: `${w.probability} (%)`,
        axis: { format: '.0%' },
        scale: { domain: [0, 1] },
      },
      color: strategyColor(w.strategy),
      tooltip: [
        { field: 'strategy', type: 'nominal', title: w.strategy },
        { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
        { field: 'pOverspend', type: 'quantitative', title: w.pOverspend, format: '.0%' },
      ],
    },
  });
}

/**
 * The services' own metrics over time (waiting list, guarantee breaches, external placements,
 * …) and the service gap (share of needs not ordered), one panel per measure, a line per
 * strategy for the median and a band for P5–P95, from {@link metricRows} and
 * {@link summaryRows}.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - `metrics` (default: the waiting list, guarantee breaches and external
 *   placements where the result holds them, else every metric it holds), `serviceGap`: services
 *   whose service gap to add (default every service whose gap the result gives and is above
 *   zero in some year), locale, size
 *   and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale or size; {@link ResultError} for a metric the result
 *   does not hold, or when there is no measure to show
 * @example
 * ```ts
 * const spec = metricsChart(simulate(lejre2034()), { metrics: ['care-homes.waiting'], serviceGap: [] });
 * (spec.data as { values: unknown[] }).values.length; //=> 22
 * ```
 * @category Charts
 */
export function metricsChart(
  result: RunResult,
  options: ChartOptions & { readonly metrics?: readonly string[]; readonly serviceGap?: readonly string[] } = {},
): ChartSpec {
  const c = common(options, 'metricsChart');
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const held = result.format === 'carebudget-result' ? Object.keys(result.metrics) : (result.metricKeys ?? []);
  const preferred = held.filter((k) => /\.(waiting|guaranteeBreaches|externalPlacements)$/.test(k));
  const metrics = options.metrics ?? (preferred.length > 0 ? preferred : held);
  const label = (id: string) => names.get(id)!;
  const values: Record<string, unknown>[] = [];
  for (const r of metricRows(result, { metrics })) {
    const m = metricName(r.metric, result.services, c.locale);
    values.push({
      measure: m.share ? `${clipParts(m.name)} (%)` : clipParts(m.name),
      strategy: label(r.strategy),
      order: orderOf(result, r.strategy),
      year: r.year,
      p5: round(r.p5),
      p50: round(r.p50),
      p95: round(r.p95),
    });
  }
  const gapServices = options.serviceGap ?? gapCandidates(result);
  for (const service of gapServices) {
    const name = `${clip(shortServiceName(service, result.services, c.locale))}: ${figureShortName('serviceGapShare', c.locale)} (%)`;
    for (const r of summaryRows(result, { figures: ['serviceGapShare'], services: [service] })) {
      values.push({
        measure: name,
        strategy: label(r.strategy),
        order: orderOf(result, r.strategy),
        year: r.year,
        p5: round(r.p5 * 100),
        p50: round(r.p50 * 100),
        p95: round(r.p95 * 100),
      });
    }
  }
  if (values.length === 0)
    throw new ResultError('metricsChart: the result holds no service metric and no service gap to show');
  const x = yearAxis(w.year);
  const color = strategyColor(w.strategy);
  const y = { type: 'quantitative', title: null, scale: { zero: false } };
  return top(
    c.locale,
    options.title ?? w.metricsTitle,
    c.locale === 'da' ? 'Linje: median, bånd: P5–P95' : 'Line: median, band: P5–P95',
    {
      data: { values },
      facet: {
        field: 'measure',
        type: 'nominal',
        title: null,
        header: { labelLimit: 0, labelAnchor: 'start', labelExpr: "split(datum.label, ': ')" },
      },
      columns: 2,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: c.width ?? 300,
        height: c.height,
        layer: [
          {
            mark: { type: 'area', opacity: 0.2 },
            encoding: { x, y: { field: 'p5', ...y }, y2: { field: 'p95' }, color },
          },
          {
            mark: { type: 'line', strokeWidth: 2, point: true },
            encoding: {
              x,
              y: { field: 'p50', ...y },
              color,
              tooltip: [
                { field: 'strategy', type: 'nominal', title: w.strategy },
                { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
                { field: 'p50', type: 'quantitative', title: w.median, format: ',.2~f' },
                { field: 'p5', type: 'quantitative', title: 'P5', format: ',.2~f' },
                { field: 'p95', type: 'quantitative', title: 'P95', format: ',.2~f' },
              ],
            },
          },
        ],
      },
    },
  );
}

/** A measure's name with each part (split at ": ", a line of the panel's header) clipped. */
function clipParts(name: string): string {
  return name.split(': ').map(clip).join(': ');
}

/** Services whose service gap the result gives and is above zero in some year (a gap that is zero throughout says nothing). */
function gapCandidates(result: RunResult): string[] {
  const ids = [...new Set(result.services.map((s) => s.group ?? s.id))];
  if (result.format === 'carebudget-summary' && !result.figures.includes('serviceGapShare')) return [];
  return ids.filter((id) => {
    try {
      const rows = summarize(result, {
        figures: ['serviceGapShare'],
        services: [id],
        percentiles: [50],
        thresholds: [],
      });
      return rows.some((r) => r.max > 0);
    } catch (e) {
      if (e instanceof ResultError || e instanceof RangeError) return false;
      throw e;
    }
  });
}
