import { RECORDED_FIGURES, ResultError, type RecordedFigure, type SimulationResult } from '../simulation/result';

/**
 * Figures that can be summarised: the recorded ones, and these derived per path:
 *
 * - `treasuryDeviationKr` = actual cost − adopted budget: the **overrun**, what the year cost
 *   beyond the budget the council adopted (the municipality's risk, before anyone bears it)
 * - `treasuryShareKr` = final budget − adopted budget: the **treasury's share** of the overrun,
 *   the budget corrections the treasury grants during and after the year
 * - `providerDeviationKr` = actual cost − final budget: the **provider's share**, what the unit
 *   spends beyond its final budget (its risk, carried over or absorbed)
 * - the shares add up, path by path: overrun = treasury's share + provider's share
 * - `treasuryDeviationPct`, `treasurySharePct`, `providerDeviationPct`: the same as a share of the
 *   adopted budget (0.05 = 5 % over)
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
  | 'treasuryShareKr'
  | 'treasurySharePct'
  | 'serviceGapShare';

/**
 * Every {@link Figure}: the derived ones, then the recorded ones.
 *
 * @example
 * ```ts
 * FIGURE_NAMES.includes('treasuryDeviationPct'); //=> true
 * FIGURE_NAMES.includes('treasuryDeviationPCT'); //=> false
 * ```
 * @category Results
 */
export const FIGURE_NAMES: readonly Figure[] = [
  'treasuryDeviationPct',
  'providerDeviationPct',
  'treasuryDeviationKr',
  'providerDeviationKr',
  'treasurySharePct',
  'treasuryShareKr',
  'serviceGapShare',
  ...RECORDED_FIGURES,
];

/** Figures counted in kr or units that add up across services. */
const ADDITIVE: readonly RecordedFigure[] = [
  'adoptedBudgetKr',
  'openingBudgetKr',
  'finalBudgetKr',
  'actualCostKr',
  'carryOverKr',
  'neededUnits',
  'orderedUnits',
  'deliveredUnits',
];

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
  if (i < 0)
    throw new ResultError(
      `${what} "${id}" is not in the result; expected one of ${list.map((x) => `"${x.id}"`).join(', ')}`,
      'NOT_IN_RESULT',
    );
  return i;
}

/**
 * The index of a strategy in a result or summary, or a {@link ResultError} listing those it has.
 *
 * @internal
 */
export function strategyIndex(result: { readonly strategies: readonly { id: string }[] }, strategy: string): number {
  return indexOf(result.strategies, strategy, 'strategy');
}

/**
 * The index of a calendar year in a result or summary, or a {@link ResultError} naming its range.
 *
 * @internal
 */
export function yearIndex(result: { readonly years: readonly number[] }, year: number): number {
  const y = result.years.indexOf(year);
  if (y < 0)
    throw new ResultError(
      `year ${year} is not in the result; expected ${result.years[0]} to ${result.years[result.years.length - 1]}`,
      'NOT_IN_RESULT',
    );
  return y;
}

function recorded(
  result: SimulationResult,
  figure: RecordedFigure,
  s: number,
  service: string,
  y: number,
): Float64Array {
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
    throw new ResultError(
      `${figure} cannot be summed over services with different units (${members.map(({ x }) => `${x.id}: ${x.activityUnit}`).join(', ')}); choose a service`,
      'MIXED_UNITS',
    );
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
 * @throws {@link ResultError} for an unknown strategy, service, year or figure
 * @example
 * ```ts
 * figureValues(result, { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr' });
 * ```
 * @category Results
 */
export function figureValues(result: SimulationResult, selector: FigureSelector): Float64Array {
  const s = strategyIndex(result, selector.strategy);
  const y = yearIndex(result, selector.year);
  const service = selector.service ?? TOTAL;
  const f = selector.figure;
  // Derived figures are told apart by their names' parts below: refuse any other name first.
  if (!FIGURE_NAMES.includes(f))
    throw new ResultError(
      `figure ${JSON.stringify(f)} is not a figure; expected one of ${FIGURE_NAMES.map((x) => `"${x}"`).join(', ')}`,
      'NOT_IN_RESULT',
    );
  if ((ADDITIVE as readonly string[]).includes(f)) return recorded(result, f as RecordedFigure, s, service, y);
  const n = result.pathCount;
  const out = new Float64Array(n);
  if (f === 'serviceGapShare') {
    const needed = recorded(result, 'neededUnits', s, service, y);
    const ordered = recorded(result, 'orderedUnits', s, service, y);
    for (let i = 0; i < n; i++) out[i] = needed[i]! > 0 ? 1 - ordered[i]! / needed[i]! : 0;
    return out;
  }
  const share = f.startsWith('treasuryShare');
  const actual = recorded(result, share ? 'finalBudgetKr' : 'actualCostKr', s, service, y);
  const budget = recorded(result, f.startsWith('treasury') ? 'adoptedBudgetKr' : 'finalBudgetKr', s, service, y);
  const adopted = f.endsWith('Pct') ? recorded(result, 'adoptedBudgetKr', s, service, y) : undefined;
  for (let i = 0; i < n; i++) {
    const dev = actual[i]! - budget[i]!;
    out[i] = adopted === undefined ? dev : adopted[i]! !== 0 ? dev / Math.abs(adopted[i]!) : 0;
  }
  return out;
}

/**
 * The per-path values of a service's own metric (for example `"care-homes.waiting"`) for one
 * strategy and year.
 *
 * @param result - a per-path result
 * @param selector - strategy, year, and metric key `"<service id>.<metric id>"`
 * @returns one value per path (a view into the result)
 * @throws {@link ResultError} for an unknown strategy, year or metric
 * @example
 * ```ts
 * metricValues(result, { strategy: 'frame', year: 2034, metric: 'care-homes.guaranteeBreaches' });
 * ```
 * @category Results
 */
export function metricValues(
  result: SimulationResult,
  selector: { readonly strategy: string; readonly year: number; readonly metric: string },
): Float64Array {
  const s = strategyIndex(result, selector.strategy);
  const y = yearIndex(result, selector.year);
  const data = result.metrics[selector.metric];
  if (data === undefined)
    throw new ResultError(
      `metric "${selector.metric}" is not in the result; it has ${
        Object.keys(result.metrics)
          .map((k) => `"${k}"`)
          .join(', ') || 'none'
      }`,
      'NOT_IN_RESULT',
    );
  const n = result.pathCount;
  const at = (s * result.years.length + y) * n;
  return data.subarray(at, at + n);
}
