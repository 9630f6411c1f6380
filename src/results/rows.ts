import { OptionError } from '../errors';
import type { RunResult } from './streaming';
import {
  compareStrategies,
  summarize,
  summarizeMetrics,
  type DistributionSummary,
  type SummaryOptions,
} from './summary';
import { TOTAL, type Figure } from './values';

/** The statistics every flat row carries (percentiles P5, P25, P50, P75, P95). @category Results */
export interface FlatStatistics {
  /** Number of paths. */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation. */
  readonly sd: number;
  /** Monte Carlo standard error of the mean. */
  readonly mcse: number;
  readonly min: number;
  readonly max: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  /** Mean of the worst 5 % (values at or above P95). */
  readonly expectedShortfall: number;
}

/** One flat row of {@link summaryRows}. @category Results */
export interface SummaryFlatRow extends FlatStatistics {
  readonly strategy: string;
  readonly strategyLabel: string;
  readonly service: string;
  readonly year: number;
  readonly figure: Figure;
  /** P(value > 0): for a deviation, the probability of an overspend. */
  readonly pOverspend: number;
}

/** One flat row of {@link metricRows}. @category Results */
export interface MetricFlatRow extends FlatStatistics {
  readonly strategy: string;
  readonly strategyLabel: string;
  /** The service's id (the part of the metric key before the dot). */
  readonly service: string;
  readonly year: number;
  /** `"<service id>.<metric id>"`, for example `"care-homes.waiting"`. */
  readonly metric: string;
}

/** One flat row of {@link differenceRows}. @category Results */
export interface DifferenceFlatRow extends FlatStatistics {
  /** Strategy a (the minuend). */
  readonly a: string;
  /** Strategy b (the subtrahend). */
  readonly b: string;
  readonly service: string;
  readonly year: number;
  readonly figure: Figure;
  /** P(a − b > 0): the probability that a costs more than b on the same path. */
  readonly pAGreater: number;
}

const PERCENTILES = [5, 25, 50, 75, 95] as const;

function flat(s: DistributionSummary): FlatStatistics {
  const p = s.percentiles;
  return {
    n: s.n,
    mean: s.mean,
    sd: s.sd,
    mcse: s.mcse,
    min: s.min,
    max: s.max,
    p5: p[5]!,
    p25: p[25]!,
    p50: p[50]!,
    p75: p[75]!,
    p95: p[95]!,
    expectedShortfall: s.expectedShortfall,
  };
}

function labelOf(result: RunResult, id: string): string {
  return result.strategies.find((s) => s.id === id)?.label ?? id;
}

/** Options of {@link summaryRows}. @category Results */
export interface SummaryRowsOptions {
  /** Figures (default treasury and provider deviation in kr and in %). */
  readonly figures?: readonly Figure[];
  /** Services (default `["total"]`). */
  readonly services?: readonly string[];
  /**
   * For display: the figures in kr divided by 1 (`'kr'`), 1,000 (`'thousands'`) or 1,000,000
   * (`'millions'`), every statistic but `n` and `pOverspend`. With `scale` or `digits` the rows
   * are rounded as a reader uses them. Default: no scaling and no rounding, full precision.
   */
  readonly scale?: 'kr' | 'thousands' | 'millions';
  /**
   * Decimals of the figures in kr after scaling (0 to 10; default 0 for kr and thousands, 2 for
   * millions). With a display option, shares (`…Pct`, `serviceGapShare`) are rounded to 4
   * decimals (0.01 point), activity units to 1 and `pOverspend` to 3.
   */
  readonly digits?: number;
}

const SCALES = { kr: 1, thousands: 1e3, millions: 1e6 } as const;

/** `x` rounded to `digits` decimals (−0 as 0; NaN and infinities as they are). */
function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}

/** The display options checked: a divisor and decimals for kr, or undefined for full precision. */
function displayOf(options: SummaryRowsOptions): { readonly divisor: number; readonly digits: number } | undefined {
  const { scale, digits } = options;
  if (scale === undefined && digits === undefined) return undefined;
  if (scale !== undefined && !Object.hasOwn(SCALES, scale))
    throw new OptionError(
      `summaryRows: scale must be 'kr', 'thousands' or 'millions'; received ${JSON.stringify(scale) ?? String(scale)}`,
      { option: 'scale', received: scale },
    );
  if (digits !== undefined && !(Number.isInteger(digits) && digits >= 0 && digits <= 10))
    throw new OptionError(`summaryRows: digits must be a whole number from 0 to 10; received ${String(digits)}`, {
      option: 'digits',
      received: digits,
    });
  const s = scale ?? 'kr';
  return { divisor: SCALES[s], digits: digits ?? (s === 'millions' ? 2 : 0) };
}

/** The statistics of one row as shown: kr scaled and rounded, shares and units rounded. */
function shown(
  figure: Figure,
  stats: FlatStatistics,
  display: { readonly divisor: number; readonly digits: number },
): FlatStatistics {
  const money = figure.endsWith('Kr');
  const share = figure.endsWith('Pct') || figure === 'serviceGapShare';
  const f = money
    ? (x: number) => roundTo(x / display.divisor, display.digits)
    : (x: number) => roundTo(x, share ? 4 : 1);
  const { n, ...values } = stats;
  const out = { n } as { -readonly [K in keyof FlatStatistics]: number };
  for (const [k, v] of Object.entries(values)) out[k as keyof FlatStatistics] = f(v);
  return out;
}

/**
 * Flattens {@link summarize}'s distributions into plain records, one per strategy, service, year
 * and figure, ready for `console.table`, Observable Plot, Vega-Lite, or pandas and polars through
 * JSON. Values stay in the figure's own unit (kr, or a share: 0.05 = 5 %) at full precision,
 * unless `scale` or `digits` asks for them as a reader uses them
 * (`console.table(summaryRows(result, { scale: 'millions' }))`).
 *
 * @param result - a per-path result (exact statistics) or a streaming summary (percentiles
 *   from its t-digest)
 * @param options - figures (default treasury and provider deviation in kr and %), services
 *   (default `["total"]`), and for display `scale` and `digits` ({@link SummaryRowsOptions})
 * @returns the rows, by strategy, service, year, then figure
 * @throws {@link ResultError} for an unknown service or a figure the result does not keep
 * @throws {@link OptionError} for a `scale` or `digits` out of its range
 * @example
 * ```ts
 * const result = simulate(lejre2034());
 * const rows = summaryRows(result, { figures: ['treasuryDeviationKr'] });
 * Object.keys(rows[0]).slice(0, 5); //=> ['strategy', 'strategyLabel', 'service', 'year', 'figure']
 * [rows[0].year, rows[0].p50, rows[0].pOverspend]; //=> [2024, 2157783.629…, 0.759]
 * // For display: millions of kr to 2 decimals, shares to 4, probabilities to 3.
 * const shown = summaryRows(result, { figures: ['treasuryDeviationKr'], scale: 'millions' });
 * [shown[0].year, shown[0].p50, shown[0].pOverspend]; //=> [2024, 2.16, 0.759]
 * ```
 * @category Results
 */
export function summaryRows(result: RunResult, options: SummaryRowsOptions = {}): SummaryFlatRow[] {
  const display = displayOf(options);
  const summaryOptions: SummaryOptions & { figures?: readonly Figure[]; services?: readonly string[] } = {
    percentiles: PERCENTILES,
    thresholds: [0],
    shortfallLevel: 0.95,
  };
  if (options.figures !== undefined) summaryOptions.figures = options.figures;
  if (options.services !== undefined) summaryOptions.services = options.services;
  return summarize(result, summaryOptions).map((r) => ({
    strategy: r.strategy,
    strategyLabel: labelOf(result, r.strategy),
    service: r.service,
    year: r.year,
    figure: r.figure,
    ...(display === undefined ? flat(r) : shown(r.figure, flat(r), display)),
    pOverspend: display === undefined ? r.exceed[0]! : roundTo(r.exceed[0]!, 3),
  }));
}

/**
 * Flattens {@link summarizeMetrics}: the services' own metrics (waiting list, guarantee
 * breaches, external placements, …) as plain records, one per metric, strategy and year.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - metrics (default: every metric the result holds)
 * @returns the rows, by metric, strategy, then year
 * @throws {@link ResultError} for a metric the result does not hold
 * @example
 * ```ts
 * const rows = metricRows(simulate(lejre2034()), { metrics: ['care-homes.waiting'] });
 * rows[0].service; //=> 'care-homes'
 * ```
 * @category Results
 */
export function metricRows(result: RunResult, options: { readonly metrics?: readonly string[] } = {}): MetricFlatRow[] {
  const summaryOptions: SummaryOptions & { metrics?: readonly string[] } = {
    percentiles: PERCENTILES,
    thresholds: [0],
    shortfallLevel: 0.95,
  };
  if (options.metrics !== undefined) summaryOptions.metrics = options.metrics;
  return summarizeMetrics(result, summaryOptions).map((r) => ({
    strategy: r.strategy,
    strategyLabel: labelOf(result, r.strategy),
    service: r.metric.slice(0, Math.max(0, r.metric.lastIndexOf('.'))),
    year: r.year,
    metric: r.metric,
    ...flat(r),
  }));
}

/**
 * Flattens {@link compareStrategies}: the paired difference a − b per year, path by path on
 * common random numbers, as plain records.
 *
 * @param result - a result with both strategies
 * @param a - strategy id (the minuend)
 * @param b - strategy id (the subtrahend)
 * @param options - figure (default `treasuryDeviationKr`), service (default `"total"`)
 * @returns one row per year
 * @throws {@link ResultError} for an unknown strategy or service, or a pair a streaming summary did not keep
 * @example
 * ```ts
 * differenceRows(simulate(lejre2034()), 'frame', 'activity').map((r) => r.year)[0]; //=> 2024
 * ```
 * @category Results
 */
export function differenceRows(
  result: RunResult,
  a: string,
  b: string,
  options: { readonly figure?: Figure; readonly service?: string } = {},
): DifferenceFlatRow[] {
  const service = options.service ?? TOTAL;
  const figure = options.figure ?? 'treasuryDeviationKr';
  return compareStrategies(result, a, b, {
    figure,
    service,
    percentiles: PERCENTILES,
    thresholds: [0],
    shortfallLevel: 0.95,
  }).map((r) => ({
    a: r.a,
    b: r.b,
    service,
    year: r.year,
    figure: r.figure,
    ...flat(r),
    pAGreater: r.exceed[0]!,
  }));
}
