import { ResultError, type SimulationResult } from '../simulation/result';
import { expectedShortfallSorted, meanSd, quantileSorted } from './statistics';
import { figureValues, metricValues, TOTAL, type Figure } from './values';
import {
  checkedThresholds,
  summaryCell,
  summaryMetricCell,
  type RunResult,
  type SummaryCellData,
  type SummaryResult,
} from './streaming';
import { TDigest } from './tdigest';
import { OptionError } from '../errors';

/** Options of {@link summarize} and {@link describe}. @category Results */
export interface SummaryOptions {
  /** Percentiles to report, in percent (default [5, 25, 50, 75, 95]). */
  readonly percentiles?: readonly number[];
  /** Thresholds for exceedance probabilities, in the figure's own unit (default [0]). */
  readonly thresholds?: readonly number[];
  /** Level of the expected shortfall (default 0.95: the mean of the worst 5 %). */
  readonly shortfallLevel?: number;
}

/**
 * A distribution summary of per-path values. Percentiles are type 7 (R's and numpy's
 * default); `sd` is the sample standard deviation; `mcse` is the Monte Carlo standard error of
 * the mean, sd/√n; `exceed[t]` is P(value > t) and `exceedMcse[t]` its standard error.
 *
 * @category Results
 */
export interface DistributionSummary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly mcse: number;
  readonly min: number;
  readonly max: number;
  /** By percentile in percent, for example `percentiles[95]`. */
  readonly percentiles: Readonly<Record<number, number>>;
  /** P(value > threshold), by threshold. */
  readonly exceed: Readonly<Record<number, number>>;
  readonly exceedMcse: Readonly<Record<number, number>>;
  /** Mean of the values at or above the `shortfallLevel` quantile. */
  readonly expectedShortfall: number;
  readonly shortfallLevel: number;
}

/**
 * Summarises per-path values: mean, sd, Monte Carlo standard error, percentiles, exceedance
 * probabilities and expected shortfall.
 *
 * @param values - per-path values (not modified)
 * @param options - percentiles, thresholds, shortfall level
 * @returns the summary
 * @throws RangeError when `values` is empty or an option is out of range
 * @example
 * ```ts
 * describe(Float64Array.of(-1, 0, 1, 2), { percentiles: [50] }).percentiles[50]; //=> 0.5
 * ```
 * @category Results
 */
export function describe(values: ArrayLike<number>, options: SummaryOptions = {}): DistributionSummary {
  const n = values.length;
  if (n === 0) throw new OptionError('describe: expected at least one value; received none', { option: 'values' });
  const pcts = options.percentiles ?? [5, 25, 50, 75, 95];
  const thresholds = checkedThresholds(options.thresholds, [0]);
  const level = options.shortfallLevel ?? 0.95;
  for (const p of pcts)
    if (!(p >= 0 && p <= 100))
      throw new OptionError(`describe: percentiles must be in [0, 100]; received ${String(p)}`, {
        option: 'describe: percentiles',
        received: p,
      });
  if (!(level >= 0 && level < 1))
    throw new OptionError(`describe: shortfallLevel must be in [0, 1); received ${String(level)}`, {
      option: 'describe: shortfallLevel',
      received: level,
    });
  const sorted = Float64Array.from(values).sort();
  const { mean, sd } = meanSd(sorted);
  const percentiles: Record<number, number> = {};
  for (const p of pcts) percentiles[p] = quantileSorted(sorted, p / 100);
  const exceed: Record<number, number> = {};
  const exceedMcse: Record<number, number> = {};
  for (const t of thresholds) {
    let k = 0;
    for (let i = n - 1; i >= 0 && sorted[i]! > t; i--) k++;
    const pr = k / n;
    exceed[t] = pr;
    exceedMcse[t] = Math.sqrt((pr * (1 - pr)) / n);
  }
  return {
    n,
    mean,
    sd,
    mcse: sd / Math.sqrt(n),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    percentiles,
    exceed,
    exceedMcse,
    expectedShortfall: expectedShortfallSorted(sorted, level),
    shortfallLevel: level,
  };
}

/**
 * Summarises a streaming cell like {@link describe}: n, mean, sd, min, max and exceedance are
 * exact; percentiles and the expected shortfall come from the t-digest.
 *
 * @internal
 */
export function describeCell(
  cell: SummaryCellData,
  tracked: readonly number[],
  options: SummaryOptions = {},
): DistributionSummary {
  if (cell.n === 0)
    throw new ResultError(
      'this figure is not available here: it counts activity units, which differ between the services summed (choose one service)',
      'MIXED_UNITS',
    );
  const pcts = options.percentiles ?? [5, 25, 50, 75, 95];
  const thresholds = options.thresholds ?? [0];
  const level = options.shortfallLevel ?? 0.95;
  const digest = TDigest.fromJSON(cell.digest);
  const sd = cell.n > 1 ? Math.sqrt(cell.m2 / (cell.n - 1)) : 0;
  const percentiles: Record<number, number> = {};
  for (const p of pcts) {
    if (!(p >= 0 && p <= 100))
      throw new OptionError(`describe: percentiles must be in [0, 100]; received ${String(p)}`, {
        option: 'describe: percentiles',
        received: p,
      });
    percentiles[p] = digest.quantile(p / 100);
  }
  const exceed: Record<number, number> = {};
  const exceedMcse: Record<number, number> = {};
  for (const t of thresholds) {
    const i = tracked.indexOf(t);
    if (i < 0)
      throw new OptionError(
        `threshold ${t} was not counted in this summary; it counts ${tracked.join(', ')} (set thresholds when summarising)`,
        { option: 'thresholds' },
      );
    const pr = cell.exceed[i]! / cell.n;
    exceed[t] = pr;
    exceedMcse[t] = Math.sqrt((pr * (1 - pr)) / cell.n);
  }
  return {
    n: cell.n,
    mean: cell.mean,
    sd,
    mcse: sd / Math.sqrt(cell.n),
    min: cell.min,
    max: cell.max,
    percentiles,
    exceed,
    exceedMcse,
    expectedShortfall: digest.tailMean(level),
    shortfallLevel: level,
  };
}

/** One row of {@link summarize}: a figure's distribution for one strategy, service and year. @category Results */
export interface SummaryRow extends DistributionSummary {
  readonly strategy: string;
  readonly service: string;
  readonly year: number;
  readonly figure: Figure;
}

/** One distribution of either kind of result: exact from per-path values, or from a streaming cell. */
function describeRun(
  result: RunResult,
  values: (r: SimulationResult) => Float64Array,
  cell: (r: SummaryResult) => SummaryCellData,
  options: SummaryOptions,
): DistributionSummary {
  return result.format === 'carebudget-result'
    ? describe(values(result), options)
    : describeCell(cell(result), result.thresholds, options);
}

/**
 * Summarises a result per strategy, service and year. From a per-path result every statistic
 * is exact; from a streaming {@link SummaryResult} percentiles and the expected shortfall are
 * t-digest estimates and thresholds must be among those it counted.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - figures (default the overrun, the treasury's share and the provider's share,
 *   in kr and %), services
 *   (default `["total"]`), and the options of {@link describe}
 * @returns one row per strategy, service, year and figure
 * @throws {@link ResultError} for an unknown service or a figure not kept
 * @example
 * ```ts
 * const rows = summarize(result, { figures: ['treasuryDeviationPct'], thresholds: [0, 0.01, 0.05] });
 * rows[0].exceed[0.05]; // P(overspend > 5 %)
 * ```
 * @category Results
 */
export function summarize(
  result: RunResult,
  options: SummaryOptions & { readonly figures?: readonly Figure[]; readonly services?: readonly string[] } = {},
): SummaryRow[] {
  const figures = options.figures ?? [
    'treasuryDeviationKr',
    'treasuryDeviationPct',
    'treasuryShareKr',
    'treasurySharePct',
    'providerDeviationKr',
    'providerDeviationPct',
  ];
  const services = options.services ?? [TOTAL];
  const rows: SummaryRow[] = [];
  for (const st of result.strategies) {
    for (const service of services) {
      for (const year of result.years) {
        for (const figure of figures) {
          const summary = describeRun(
            result,
            (r) => figureValues(r, { strategy: st.id, service, year, figure }),
            (r) => summaryCell(r, st.id, service, year, figure),
            options,
          );
          rows.push({ strategy: st.id, service, year, figure, ...summary });
        }
      }
    }
  }
  return rows;
}

/** One row of {@link summarizeMetrics}: a service metric's distribution for one strategy and year. @category Results */
export interface MetricSummaryRow extends DistributionSummary {
  readonly strategy: string;
  readonly year: number;
  /** `"<service id>.<metric id>"`, for example `"care-homes.waiting"`. */
  readonly metric: string;
}

/**
 * Summarises the services' own metrics (waiting list, guarantee breaches, occupancy, …) per
 * strategy and year, from a per-path result (exact) or a streaming {@link SummaryResult}
 * (percentiles from the t-digest; thresholds must be among those it counted).
 *
 * @param result - a per-path result or a streaming summary
 * @param options - metrics (default: every metric the result holds), and the options of
 *   {@link describe}
 * @returns one row per metric, strategy and year
 * @throws {@link ResultError} for a metric the result does not hold
 * @example
 * ```ts
 * const rows = summarizeMetrics(result, { metrics: ['care-homes.waiting'], percentiles: [5, 50, 95] });
 * rows.find((r) => r.year === 2034)?.percentiles[95]; // P95 of the mean waiting list in 2034
 * ```
 * @category Results
 */
export function summarizeMetrics(
  result: RunResult,
  options: SummaryOptions & { readonly metrics?: readonly string[] } = {},
): MetricSummaryRow[] {
  const metrics =
    options.metrics ??
    (result.format === 'carebudget-result' ? Object.keys(result.metrics) : (result.metricKeys ?? []));
  const rows: MetricSummaryRow[] = [];
  for (const metric of metrics) {
    for (const st of result.strategies) {
      for (const year of result.years) {
        const summary = describeRun(
          result,
          (r) => metricValues(r, { strategy: st.id, year, metric }),
          (r) => summaryMetricCell(r, st.id, year, metric),
          options,
        );
        rows.push({ strategy: st.id, year, metric, ...summary });
      }
    }
  }
  return rows;
}

/** One year of {@link compareStrategies}. @category Results */
export interface ComparisonRow extends DistributionSummary {
  readonly year: number;
  readonly figure: Figure;
  /** Strategy a (the minuend). */
  readonly a: string;
  /** Strategy b (the subtrahend). */
  readonly b: string;
}

/**
 * Paired difference between two strategies, path by path (a − b). Every strategy sees the same
 * driver paths (common random numbers), so the differences are the strategies' alone and their
 * Monte Carlo error is far smaller than that of two independent runs. A streaming summary keeps
 * the pairs of the treasury and provider deviation of the total.
 *
 * @param result - a result with both strategies
 * @param a - strategy id
 * @param b - strategy id
 * @param options - figure (default `treasuryDeviationKr`), service (default `"total"`), and
 *   the options of {@link describe}; `exceed[0]` is P(a > b)
 * @returns one row per year
 * @throws {@link ResultError} for an unknown strategy or service, or a pair a streaming summary did not keep
 * @example
 * ```ts
 * compareStrategies(result, 'frame', 'activity', { figure: 'providerDeviationKr' });
 * ```
 * @category Results
 */
export function compareStrategies(
  result: RunResult,
  a: string,
  b: string,
  options: SummaryOptions & { readonly figure?: Figure; readonly service?: string } = {},
): ComparisonRow[] {
  const figure = options.figure ?? 'treasuryDeviationKr';
  const service = options.service ?? TOTAL;
  if (result.format === 'carebudget-summary') return comparePairs(result, a, b, figure, service, options);
  return result.years.map((year) => {
    const va = figureValues(result, { strategy: a, service, year, figure });
    const vb = figureValues(result, { strategy: b, service, year, figure });
    const d = new Float64Array(va.length);
    for (let i = 0; i < d.length; i++) d[i] = va[i]! - vb[i]!;
    return { year, figure, a, b, ...describe(d, options) };
  });
}

function comparePairs(
  result: SummaryResult,
  a: string,
  b: string,
  figure: Figure,
  service: string,
  options: SummaryOptions,
): ComparisonRow[] {
  const pair = result.pairs.find((p) => p.a === a && p.b === b && p.figure === figure);
  if (pair === undefined || service !== TOTAL) {
    const reverse = result.pairs.some((p) => p.a === b && p.b === a);
    throw new ResultError(
      reverse
        ? `this streaming summary keeps the difference "${b}" − "${a}" (in the order of the result's strategies); compare ("${b}", "${a}") instead`
        : `this streaming summary keeps paired differences of ${[...new Set(result.pairs.map((p) => p.figure))].join(' and ')} for the total only; run with per-path results for ${figure} of "${service}"`,
      'NOT_IN_RESULT',
    );
  }
  return result.years.map((year, y) => ({
    year,
    figure,
    a,
    b,
    ...describeCell(pair.cells[y]!, result.thresholds, options),
  }));
}
