import { ResultError, type RecordedFigure, type SimulationResult } from '../simulation/result';
import { expectedShortfallSorted, meanSd, quantileSorted } from './statistics';

/**
 * Figures that can be summarised: the recorded ones, and these derived per path:
 *
 * - `treasuryDeviationKr` = actual cost − adopted budget (the municipality's risk)
 * - `providerDeviationKr` = actual cost − final budget (the unit's risk)
 * - `treasuryDeviationPct`, `providerDeviationPct`: the same as a share of the adopted budget
 *   (0.05 = 5 % over)
 * - `serviceGapShare` = 1 − ordered / needed activity: the share of needs the unit does not
 *   order because it tightened service (undelivered "cold" hours are not counted here)
 *
 * @category Results
 */
export type Figure =
  | RecordedFigure
  | 'treasuryDeviationKr'
  | 'providerDeviationKr'
  | 'treasuryDeviationPct'
  | 'providerDeviationPct'
  | 'serviceGapShare';

/** Figures counted in kr or units that add up across services. */
const ADDITIVE: readonly RecordedFigure[] = ['adoptedBudgetKr', 'openingBudgetKr', 'finalBudgetKr', 'actualCostKr', 'carryOverKr', 'neededUnits', 'orderedUnits', 'deliveredUnits'];

/** `"total"` sums all services. @category Results */
export const TOTAL = 'total';

/** Which values to read from a result. @category Results */
export interface FigureSelector {
  readonly strategy: string;
  /** A service id, the id of a service split into units (the sum over its units), or `"total"` (default) for the sum over all services. */
  readonly service?: string;
  /** A simulated calendar year. */
  readonly year: number;
  readonly figure: Figure;
}

function indexOf(list: readonly { id: string }[], id: string, what: string): number {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) throw new ResultError(`${what} "${id}" is not in the result; expected one of ${list.map((x) => `"${x.id}"`).join(', ')}`);
  return i;
}

function recorded(result: SimulationResult, figure: RecordedFigure, s: number, service: string, y: number): Float64Array {
  const V = result.services.length;
  const Y = result.years.length;
  const n = result.pathCount;
  const data = result.figures[figure];
  const direct = result.services.findIndex((x) => x.id === service);
  if (direct >= 0) {
    const at = ((s * V + direct) * Y + y) * n;
    return data.subarray(at, at + n);
  }
  const members = result.services.map((x, v) => ({ x, v })).filter(({ x }) => service === TOTAL || x.group === service);
  if (members.length === 0) indexOf(result.services, service, 'service');
  if (figure.endsWith('Units') && new Set(members.map(({ x }) => x.activityUnit)).size > 1) {
    throw new ResultError(`${figure} cannot be summed over services with different units (${members.map(({ x }) => `${x.id}: ${x.activityUnit}`).join(', ')}); choose a service`);
  }
  const out = new Float64Array(n);
  for (const { v } of members) {
    const at = ((s * V + v) * Y + y) * n;
    for (let i = 0; i < n; i++) out[i] = out[i]! + data[at + i]!;
  }
  return out;
}

/**
 * The per-path values of one figure for one strategy, service (or the total) and year.
 *
 * @param result - a result
 * @param selector - strategy, service (default `"total"`), year and figure
 * @returns one value per path, in path order (a fresh array for derived figures and totals;
 *   a view into the result for a recorded figure of one service)
 * @throws {@link ResultError} for an unknown strategy, service or year
 * @example
 * ```ts
 * figureValues(result, { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr' });
 * ```
 * @category Results
 */
export function figureValues(result: SimulationResult, selector: FigureSelector): Float64Array {
  const s = indexOf(result.strategies, selector.strategy, 'strategy');
  const y = result.years.indexOf(selector.year);
  if (y < 0) throw new ResultError(`year ${selector.year} is not in the result; expected ${result.years[0]} to ${result.years[result.years.length - 1]}`);
  const service = selector.service ?? TOTAL;
  const f = selector.figure;
  if ((ADDITIVE as readonly string[]).includes(f)) return recorded(result, f as RecordedFigure, s, service, y);
  const n = result.pathCount;
  const out = new Float64Array(n);
  if (f === 'serviceGapShare') {
    const needed = recorded(result, 'neededUnits', s, service, y);
    const ordered = recorded(result, 'orderedUnits', s, service, y);
    for (let i = 0; i < n; i++) out[i] = needed[i]! > 0 ? 1 - ordered[i]! / needed[i]! : 0;
    return out;
  }
  const actual = recorded(result, 'actualCostKr', s, service, y);
  const budget = recorded(result, f.startsWith('treasury') ? 'adoptedBudgetKr' : 'finalBudgetKr', s, service, y);
  const adopted = f.endsWith('Pct') ? recorded(result, 'adoptedBudgetKr', s, service, y) : undefined;
  for (let i = 0; i < n; i++) {
    const dev = actual[i]! - budget[i]!;
    out[i] = adopted === undefined ? dev : adopted[i]! !== 0 ? dev / Math.abs(adopted[i]!) : 0;
  }
  return out;
}

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
  if (n === 0) throw new RangeError('describe: expected at least one value; received none');
  const pcts = options.percentiles ?? [5, 25, 50, 75, 95];
  const thresholds = options.thresholds ?? [0];
  const level = options.shortfallLevel ?? 0.95;
  for (const p of pcts) if (!(p >= 0 && p <= 100)) throw new RangeError(`describe: percentiles must be in [0, 100]; received ${String(p)}`);
  if (!(level >= 0 && level < 1)) throw new RangeError(`describe: shortfallLevel must be in [0, 1); received ${String(level)}`);
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

/** One row of {@link summarize}: a figure's distribution for one strategy, service and year. @category Results */
export interface SummaryRow extends DistributionSummary {
  readonly strategy: string;
  readonly service: string;
  readonly year: number;
  readonly figure: Figure;
}

/**
 * Summarises a result per strategy, service and year.
 *
 * @param result - a result
 * @param options - figures (default treasury and provider deviation in kr and %), services
 *   (default `["total"]`), and the options of {@link describe}
 * @returns one row per strategy, service, year and figure
 * @throws {@link ResultError} for an unknown service
 * @example
 * ```ts
 * const rows = summarize(result, { figures: ['treasuryDeviationPct'], thresholds: [0, 0.01, 0.05] });
 * rows[0].exceed[0.05]; // P(overspend > 5 %)
 * ```
 * @category Results
 */
export function summarize(
  result: SimulationResult,
  options: SummaryOptions & { readonly figures?: readonly Figure[]; readonly services?: readonly string[] } = {},
): SummaryRow[] {
  const figures = options.figures ?? ['treasuryDeviationKr', 'treasuryDeviationPct', 'providerDeviationKr', 'providerDeviationPct'];
  const services = options.services ?? [TOTAL];
  const rows: SummaryRow[] = [];
  for (const st of result.strategies) {
    for (const service of services) {
      for (const year of result.years) {
        for (const figure of figures) {
          const values = figureValues(result, { strategy: st.id, service, year, figure });
          rows.push({ strategy: st.id, service, year, figure, ...describe(values, options) });
        }
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
 * Monte Carlo error is far smaller than that of two independent runs.
 *
 * @param result - a result with both strategies
 * @param a - strategy id
 * @param b - strategy id
 * @param options - figure (default `treasuryDeviationKr`), service (default `"total"`), and
 *   the options of {@link describe}; `exceed[0]` is P(a > b)
 * @returns one row per year
 * @throws {@link ResultError} for an unknown strategy or service
 * @example
 * ```ts
 * compareStrategies(result, 'frame', 'activity', { figure: 'providerDeviationKr' });
 * ```
 * @category Results
 */
export function compareStrategies(
  result: SimulationResult,
  a: string,
  b: string,
  options: SummaryOptions & { readonly figure?: Figure; readonly service?: string } = {},
): ComparisonRow[] {
  const figure = options.figure ?? 'treasuryDeviationKr';
  const service = options.service ?? TOTAL;
  return result.years.map((year) => {
    const va = figureValues(result, { strategy: a, service, year, figure });
    const vb = figureValues(result, { strategy: b, service, year, figure });
    const d = new Float64Array(va.length);
    for (let i = 0; i < d.length; i++) d[i] = va[i]! - vb[i]!;
    return { year, figure, a, b, ...describe(d, options) };
  });
}
