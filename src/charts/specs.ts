import type { RunResult } from '../results/streaming';
import { compareStrategies, summarize } from '../results/summary';
import { metricRows, summaryRows } from '../results/rows';
import { TOTAL, yearIndex, type Figure } from '../results/values';
import { ResultError } from '../simulation/result';
import { identicalStrategies } from '../results/identical';
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
 * {@link strategyNames} for a chart of one figure, where a strategy whose figure is the same as
 * an earlier one's on every path (see {@link identicalStrategies}) is named "Hybrid (= Frame)":
 * its line lies exactly on the other's, and the legend says so instead of hiding it.
 * @internal
 */
export function strategyNamesOf(
  result: RunResult,
  locale: ChartLocale,
  figure: Figure,
  service: string,
): ReadonlyMap<string, string> {
  const names = new Map(strategyNames(result, locale));
  for (const [first, ...rest] of identicalStrategies(result, { figure, service }))
    for (const id of rest) names.set(id, `${names.get(id)!}${SAME}${names.get(first!)!})`);
  return names;
}

/** A line's dash by strategy, so that lines lying on each other both show. @internal */
export function strategyDash(title: string): Record<string, unknown> {
  return {
    field: 'strategy',
    type: 'nominal',
    title,
    sort: BY_ORDER,
    scale: {
      range: [
        [1, 0],
        [7, 4],
        [2, 3],
        [10, 3, 2, 3],
        [4, 2],
        [1, 5],
      ],
    },
  };
}

/** Whether a figure is a deviation from a budget, drawn with a rule at zero. */
function isDeviation(figure: Figure): boolean {
  return figure.includes('Deviation') || figure.startsWith('treasuryShare');
}

/** Percentiles of the fan charts: three bands and the median. */
const FAN = [5, 10, 25, 50, 75, 90, 95] as const;

/** A figure's percentiles {@link FAN} per strategy and year, in the display unit. */
function fanRows(
  result: RunResult,
  figure: Figure,
  service: string,
  scale: number,
  names: ReadonlyMap<string, string>,
) {
  return summarize(result, { figures: [figure], services: [service], percentiles: FAN, thresholds: [0] }).map((r) => {
    const p = (k: number) => round(r.percentiles[k]! * scale);
    return {
      strategy: names.get(r.strategy)!,
      order: orderOf(result, r.strategy),
      year: r.year,
      p5: p(5),
      p10: p(10),
      p25: p(25),
      p50: p(50),
      p75: p(75),
      p90: p(90),
      p95: p(95),
    };
  });
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
    // Each header on as many lines as it needs, none cut: two strategies of one kind differ only
    // in the id after the built-in name ("Hybrid (frame with activity corridor): corridor5").
    header: { labelLimit: 0, labelExpr: `${JSON.stringify([...names.values()].map(headerLines))}[datum.value]` },
  };
}

/** Longest line of a panel's header, in characters: about the width of a panel. */
const HEADER_LINE = 42;

/**
 * A strategy's name as the lines of its panel's header: the name, its id after ": " on a line
 * of its own, and a note "(= …)" on its own (see {@link SAME}); each line wrapped at spaces to
 * {@link HEADER_LINE} characters.
 *
 * @param name - the strategy's name in the chart
 * @returns the header's lines
 * @example
 * ```ts
 * headerLines('Hybrid (frame with activity corridor): corridor5');
 * //=> ['Hybrid (frame with activity corridor):', 'corridor5']
 * headerLines('Hybrid (frame with activity corridor): corridor10 (= Hybrid (frame with activity corridor): corridor5)');
 * //=> ['Hybrid (frame with activity corridor):', 'corridor10', '(= Hybrid (frame with activity corridor):', 'corridor5)']
 * headerLines('Frame (rammestyring)'); //=> ['Frame (rammestyring)']
 * ```
 * @internal
 */
export function headerLines(name: string): string[] {
  const at = name.indexOf(SAME);
  const main = at < 0 ? name : name.slice(0, at);
  const note = at < 0 ? [] : [name.slice(at + 1)];
  return [main, ...note].flatMap(atColon).flatMap((part) => splitLines(part, HEADER_LINE));
}

/** A name split after its first ": " (a built-in name, then the id it was given). */
function atColon(text: string): string[] {
  const colon = text.indexOf(': ');
  return colon < 0 ? [text] : [text.slice(0, colon + 1), text.slice(colon + 2)];
}

/** Where {@link strategyNamesOf} adds "(= Frame)" to a name. */
const SAME = ' (= ';

/**
 * A Vega expression that shows a name with {@link SAME} on two lines (the name, then "(= …)"),
 * so that a header or legend as narrow as its panel does not cut the note off.
 */
function twoLines(name: string): string {
  const at = `indexof(${name}, ${JSON.stringify(SAME)})`;
  return `${at} < 0 ? ${name} : [slice(${name}, 0, ${at}), slice(${name}, ${at} + 1)]`;
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
  return {
    field: 'strategy',
    type: 'nominal',
    title,
    sort: BY_ORDER,
    legend: { columns: 1, labelExpr: twoLines('datum.label') },
  };
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
 * A fan chart of a figure per year and strategy: three bands (P5–P95, P10–P90, P25–P75) and the median
 * line, one panel per strategy (default) or overlaid. Money is shown in millions of kr, shares in
 * %. The data are {@link summarize}'s percentiles times the display scale (1e-6 for kr).
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
  const names = strategyNamesOf(result, c.locale, figure, service);
  const unit = unitOf(result, figure, service, c.locale);
  const values = fanRows(result, figure, service, unit.scale, names);
  const name = figureName(figure, c.locale);
  const y = {
    type: 'quantitative',
    title: axisTitle(figureShortName(figure, c.locale), unit),
    axis: { format: unit.axisFormat },
  };
  const color = strategyColor(w.strategy);
  const overlay = layout === 'overlay';
  const tooltip = [
    { field: 'strategy', type: 'nominal', title: w.strategy },
    { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
    ...(['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const).map((p) => ({
      field: p,
      type: 'quantitative',
      title: p.toUpperCase(),
      format: unit.format,
    })),
  ];
  // Three bands as the central banks draw their fans: lighter as they widen.
  const band = (lo: string, hi: string, opacity: number) => ({
    mark: { type: 'area', opacity: overlay ? opacity / 2 : opacity },
    encoding: { x: yearAxis(w.year), y: { field: lo, ...y }, y2: { field: hi }, ...(overlay ? { color } : {}) },
  });
  const layer = [
    band('p5', 'p95', 0.18),
    band('p10', 'p90', 0.22),
    band('p25', 'p75', 0.3),
    {
      mark: { type: 'line', strokeWidth: 2, point: true },
      encoding: {
        x: yearAxis(w.year),
        y: { field: 'p50', ...y },
        tooltip,
        ...(overlay ? { color, strokeDash: strategyDash(w.strategy) } : {}),
      },
    },
    ...(isDeviation(figure)
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

/** Every percentile: the distribution function a chart reads, for exact results and t-digests alike. */
const GRID = Array.from({ length: 101 }, (_, i) => i);

/**
 * P(X ≤ x) from the percentiles {@link GRID}, linear between them (0 below the minimum, 1
 * above the maximum); a point mass (percentiles that coincide) counts at its value.
 */
function cdfAt(q: readonly number[], x: number): number {
  if (x < q[0]!) return 0;
  if (x >= q[q.length - 1]!) return 1;
  let hi = 1;
  while (q[hi]! <= x) hi++;
  const lo = hi - 1;
  const t = (x - q[lo]!) / (q[hi]! - q[lo]!);
  return (lo + t) / (q.length - 1);
}

/** A round bar width (1, 2 or 5 times a power of ten) that cuts `span` into about `bars` bars. */
function niceWidth(span: number, bars: number): number {
  const raw = span / bars;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/** A figure's percentiles {@link GRID} in one year, per strategy, in the display unit. */
function gridOf(result: RunResult, figure: Figure, service: string, year: number, scale: number) {
  return summarize(result, { figures: [figure], services: [service], percentiles: GRID, thresholds: [] })
    .filter((r) => r.year === year)
    .map((r) => ({ strategy: r.strategy, q: GRID.map((p) => r.percentiles[p]! * scale) }));
}

/**
 * The distribution of a figure in one year, strategies side by side on one shared scale: bars of
 * equal, round width whose height is the share of paths in the bar (not a density), so a shift
 * between strategies shows as a shift and the heights read as shares. The shares come from the
 * percentiles (every 1 %, linear between them), so an exact result and a streaming summary (its
 * t-digest) are drawn the same way.
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
  yearIndex(result, year);
  const w = words(c.locale);
  const names = strategyNamesOf(result, c.locale, figure, service);
  const unit = unitOf(result, figure, service, c.locale);
  const grids = gridOf(result, figure, service, year, unit.scale);
  const lo = Math.min(...grids.map((g) => g.q[0]!));
  const hi = Math.max(...grids.map((g) => g.q[100]!));
  const width = hi > lo ? niceWidth(hi - lo, 30) : Math.max(Math.abs(lo) * 0.01, 1e-6);
  const first = Math.floor(lo / width) * width;
  const count = Math.max(1, Math.ceil((hi - first) / width + 1e-9));
  const values = grids.flatMap((g) => {
    const bars = [];
    for (let b = 0; b < count; b++) {
      const x0 = first + b * width;
      const x1 = x0 + width;
      // A point mass at the last edge belongs to the last bar.
      const share =
        b === count - 1
          ? 1 - cdfAt(g.q, x0 - width * 1e-12)
          : cdfAt(g.q, x1 - width * 1e-12) - cdfAt(g.q, x0 - width * 1e-12);
      if (share > 0)
        bars.push({
          strategy: names.get(g.strategy)!,
          order: orderOf(result, g.strategy),
          x0: round(x0),
          x1: round(x1),
          share: round(share),
        });
    }
    return bars;
  });
  const name = figureName(figure, c.locale);
  const title =
    options.title ??
    `${figureShortName(figure, c.locale)}, ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}: ${w.distributionOf.toLowerCase()} ${year}`;
  const widthText = unit.share
    ? new Intl.NumberFormat(c.locale === 'da' ? 'da-DK' : 'en-GB', {
        style: 'percent',
        maximumFractionDigits: 3,
      }).format(width)
    : `${new Intl.NumberFormat(c.locale === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 6 }).format(width)}\u00a0${unit.unit}`;
  const x = {
    field: 'x0',
    type: 'quantitative',
    title: axisTitle(figureShortName(figure, c.locale), unit),
    axis: { format: unit.axisFormat },
    scale: { zero: false, nice: false },
  };
  const spec = {
    width: c.width ?? (result.strategies.length === 1 ? 520 : 260),
    height: c.height,
    layer: [
      {
        mark: { type: 'rect', opacity: 0.85, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x,
          x2: { field: 'x1' },
          y: { field: 'share', type: 'quantitative', title: `${w.shareOfPaths} (%)`, axis: { format: '~%' } },
          y2: { datum: 0 },
          color: { ...strategyColor(w.strategy), legend: null },
          tooltip: [
            { field: 'strategy', type: 'nominal', title: w.strategy },
            { field: 'x0', type: 'quantitative', title: w.from, format: unit.format },
            { field: 'x1', type: 'quantitative', title: w.to, format: unit.format },
            { field: 'share', type: 'quantitative', title: w.shareOfPaths, format: '.1%' },
          ],
        },
      },
      ...(isDeviation(figure)
        ? [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { datum: 0 } } }]
        : []),
    ],
  };
  return top(c.locale, title, [name, w.binNote(widthText)], {
    data: { values },
    facet: strategyFacet(names),
    columns: Math.min(result.strategies.length, 3),
    spec,
  });
}

/**
 * The probability that a figure exceeds an amount in one year, one curve per strategy on one
 * axis: read off "P(overrun above 20 m kr)" for any amount. The curve at zero is the probability
 * of an overspend. Curves are drawn from the percentiles (every 1 %), so an exact result and a
 * streaming summary read the same; strategies whose figure is identical are named so in the
 * legend, and each curve has its own dash so that none hides another.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - year (default the last simulated year), figure (default
 *   `treasuryDeviationKr`), service (default `"total"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale or size; {@link ResultError} for a year, service or
 *   figure the result does not hold
 * @example
 * ```ts
 * const spec = exceedanceChart(simulate(lejre2034()), { year: 2030 });
 * (spec.data as { values: { p: number }[] }).values.every((v) => v.p >= 0 && v.p <= 1); //=> true
 * ```
 * @category Charts
 */
export function exceedanceChart(
  result: RunResult,
  options: FigureChartOptions & { readonly year?: number } = {},
): ChartSpec {
  const c = common(options, 'exceedanceChart');
  const { figure, service } = figureOf(options);
  const year = options.year ?? result.years[result.years.length - 1]!;
  yearIndex(result, year);
  const w = words(c.locale);
  const names = strategyNamesOf(result, c.locale, figure, service);
  const unit = unitOf(result, figure, service, c.locale);
  const values = gridOf(result, figure, service, year, unit.scale).flatMap((g) =>
    g.q.map((x, p) => ({
      strategy: names.get(g.strategy)!,
      order: orderOf(result, g.strategy),
      x: round(x),
      p: round(1 - p / 100),
    })),
  );
  const title =
    options.title ??
    `${w.exceedTitle}: ${figureShortName(figure, c.locale).toLowerCase()}, ${clip(serviceName(service, result.services, c.locale)).toLowerCase()} ${year}`;
  return top(c.locale, title, figureName(figure, c.locale), {
    data: { values },
    width: c.width ?? 520,
    height: c.height,
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: axisTitle(figureShortName(figure, c.locale), unit),
            axis: { format: unit.axisFormat },
            scale: { zero: false },
          },
          y: {
            field: 'p',
            type: 'quantitative',
            title: `${w.exceedAxis} (%)`,
            axis: { format: '~%' },
            scale: { domain: [0, 1] },
          },
          order: { field: 'p', sort: 'descending' },
          color: strategyColor(w.strategy),
          strokeDash: strategyDash(w.strategy),
          tooltip: [
            { field: 'strategy', type: 'nominal', title: w.strategy },
            { field: 'x', type: 'quantitative', title: figureShortName(figure, c.locale), format: unit.format },
            { field: 'p', type: 'quantitative', title: w.exceedAxis, format: '.0%' },
          ],
        },
      },
      ...(isDeviation(figure)
        ? [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { datum: 0 } } }]
        : []),
    ],
  });
}

/**
 * Who bears the overrun, per strategy and year: the mean overrun (actual cost − adopted budget)
 * split into the treasury's share (final − adopted budget: the corrections it grants) and the
 * provider's share (actual cost − final budget), stacked so that the parts visibly add up to the
 * whole, which is drawn as a black line. Means add exactly (medians would not). A part below
 * zero is drawn below the axis: a correction in the other direction.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - `unit`: `"kr"` (default, m kr) or `"pct"` (% of the adopted budget); service
 *   (default `"total"`), locale, size and title
 * @returns a Vega-Lite specification
 * @throws RangeError for an unknown locale, unit or size; {@link ResultError} for a service the
 *   result does not hold
 * @example
 * ```ts
 * const spec = whoBearsChart(simulate(lejre2034()));
 * (spec.data as { values: unknown[] }).values.length; //=> 66
 * ```
 * @category Charts
 */
export function whoBearsChart(
  result: RunResult,
  options: ChartOptions & { readonly service?: string; readonly unit?: 'kr' | 'pct' } = {},
): ChartSpec {
  const c = common(options, 'whoBearsChart');
  const service = options.service ?? TOTAL;
  const pct = checkUnit(options.unit, 'whoBearsChart');
  const w = words(c.locale);
  const names = strategyNames(result, c.locale);
  const [overrun, treasury, provider]: Figure[] = pct
    ? ['treasuryDeviationPct', 'treasurySharePct', 'providerDeviationPct']
    : ['treasuryDeviationKr', 'treasuryShareKr', 'providerDeviationKr'];
  const unit = unitOf(result, overrun!, service, c.locale);
  const rows = summarize(result, {
    figures: [overrun!, treasury!, provider!],
    services: [service],
    percentiles: [],
    thresholds: [],
  });
  const parts = [
    { figure: treasury!, part: figureShortName(treasury!, c.locale), rank: 0 },
    { figure: provider!, part: figureShortName(provider!, c.locale), rank: 1 },
    { figure: overrun!, part: w.total, rank: 2 },
  ];
  const values = rows.map((r) => {
    const p = parts.find((x) => x.figure === r.figure)!;
    return {
      strategy: names.get(r.strategy)!,
      order: orderOf(result, r.strategy),
      year: r.year,
      part: p.part,
      rank: p.rank,
      mean: round(r.mean * unit.scale),
    };
  });
  const y = { field: 'mean', type: 'quantitative', title: axisTitle(w.part, unit), axis: { format: unit.axisFormat } };
  // Upright years; where they would touch, every other one is left out (as the other charts' axes do).
  const x = {
    field: 'year',
    type: 'ordinal',
    title: w.year,
    axis: { labelAngle: 0, labelOverlap: 'parity', labelSeparation: 4 },
  };
  const tooltip = [
    { field: 'strategy', type: 'nominal', title: w.strategy },
    { field: 'year', type: 'ordinal', title: w.year },
    { field: 'part', type: 'nominal', title: w.part },
    { field: 'mean', type: 'quantitative', title: w.mean, format: unit.format },
  ];
  const title =
    options.title ?? `${w.whoTitle}: ${clip(serviceName(service, result.services, c.locale)).toLowerCase()}`;
  return top(c.locale, title, splitLines(w.whoSub, 110), {
    data: { values },
    facet: strategyFacet(names),
    columns: Math.min(result.strategies.length, 3),
    spec: {
      width: c.width ?? (result.strategies.length === 1 ? 520 : 260),
      height: c.height,
      layer: [
        {
          transform: [{ filter: 'datum.rank < 2' }],
          mark: { type: 'bar' },
          encoding: {
            x,
            y: { ...y, stack: 'zero' },
            color: {
              field: 'part',
              type: 'nominal',
              title: w.part,
              sort: { field: 'rank', op: 'min' },
              scale: { range: ['#4c78a8', '#f58518', '#111111'] },
            },
            order: { field: 'rank' },
            tooltip,
          },
        },
        {
          transform: [{ filter: 'datum.rank == 2' }],
          mark: { type: 'line', color: '#111', strokeWidth: 2, point: { filled: true, size: 18, color: '#111' } },
          encoding: { x, y, tooltip },
        },
        { mark: { type: 'rule', color: '#555' }, encoding: { y: { datum: 0 } } },
      ],
    },
    resolve: { scale: { color: 'shared' } },
  });
}

/** The unit option of a chart in kr or % of the adopted budget: true for `"pct"`. @internal */
export function checkUnit(unit: unknown, where: string): boolean {
  if (unit === undefined || unit === 'kr') return false;
  if (unit === 'pct') return true;
  throw new OptionError(`${where}: unit must be "kr" or "pct"; received ${JSON.stringify(unit)}`, {
    option: `${where}: unit`,
    received: unit,
  });
}

/** A long subtitle as lines of at most about `width` characters, broken between words. */
function splitLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The paired difference between two strategies per year (a − b, path by path on common random
 * numbers): the P5–P95, P10–P90 and P25–P75 bands and the median line, from
 * {@link compareStrategies}.
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
  const pairs = compareStrategies(result, a, b, { figure, service, percentiles: FAN, thresholds: [0] });
  const values = pairs.map((r) => ({
    year: r.year,
    ...Object.fromEntries(FAN.map((p) => [`p${p}`, round(r.percentiles[p]! * unit.scale)])),
    pAGreater: round(r.exceed[0]!),
  }));
  const name = figureName(figure, c.locale);
  const y = { type: 'quantitative', title: axisTitle(w.differenceAxis, unit), axis: { format: unit.axisFormat } };
  const x = yearAxis(w.year);
  const band = (lo: string, hi: string, opacity: number) => ({
    mark: { type: 'area', opacity, color: '#6a51a3' },
    encoding: { x, y: { field: lo, ...y }, y2: { field: hi } },
  });
  const layer = [
    band('p5', 'p95', 0.18),
    band('p10', 'p90', 0.22),
    band('p25', 'p75', 0.3),
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
  const names = strategyNamesOf(result, c.locale, figure, service);
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
        axis: { format: '~%' },
        scale: { domain: [0, 1] },
      },
      color: strategyColor(w.strategy),
      strokeDash: strategyDash(w.strategy),
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
  // A measure that is the same under several strategies says so in its header: its lines lie on
  // each other.
  const sameNote = (groups: string[][]): string =>
    groups.length === 0
      ? ''
      : groups[0]!.length === result.strategies.length
        ? `: ${w.sameAll}`
        : `: ${clip(groups.map((g) => g.map(label).join(' = ')).join('; '))}`;
  const notes = new Map(metrics.map((key) => [key, sameNote(identicalStrategies(result, { metric: key }))]));
  for (const r of metricRows(result, { metrics })) {
    const m = metricName(r.metric, result.services, c.locale);
    values.push({
      measure: (m.share ? `${clipParts(m.name)} (%)` : clipParts(m.name)) + notes.get(r.metric)!,
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
    const name =
      `${clip(shortServiceName(service, result.services, c.locale))}: ${figureShortName('serviceGapShare', c.locale)} (%)` +
      sameNote(identicalStrategies(result, { figure: 'serviceGapShare', service }));
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
              strokeDash: strategyDash(w.strategy),
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
