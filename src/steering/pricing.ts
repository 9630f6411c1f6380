import type { ServiceBaseline } from '../services/service';
import type { World } from '../drivers/world';
import type { Timeline } from '../scenario/timeline';
import type { DecisionContext } from './strategy';

/** Which activity a price is paid for. @category Steering */
export type ActivityBasis = 'delivered' | 'ordered';

/** The history/baseline figure of an activity basis. @internal */
export function basisFigure(basis: ActivityBasis): 'deliveredUnits' | 'orderedUnits' {
  return basis === 'delivered' ? 'deliveredUnits' : 'orderedUnits';
}

/**
 * Ex-ante prices per unit of the basis by year (index 0 = base year), known from the baseline
 * alone: a fixed base-year price uprated by the forecast index, else the service's own price
 * model (`priceKrPerDeliveredUnit`), else the baseline's cost per unit.
 *
 * @internal
 */
export function exAntePrices(baseline: ServiceBaseline, baselineWorld: World, basis: ActivityBasis, fixedPriceKr?: number): Float64Array {
  const H = baseline.costKr.length - 1;
  const figure = basisFigure(basis);
  const out = new Float64Array(H + 1);
  for (let y = 0; y <= H; y++) {
    const units = baseline[figure][y]!;
    const delivered = baseline.deliveredUnits[y]!;
    if (fixedPriceKr !== undefined) out[y] = fixedPriceKr * baselineWorld.priceIndex[y]!;
    else if (baseline.priceKrPerDeliveredUnit !== undefined) out[y] = units > 0 ? (baseline.priceKrPerDeliveredUnit[y]! * delivered) / units : 0;
    else out[y] = units > 0 ? baseline.costKr[y]! / units : 0;
  }
  return out;
}

/**
 * How much of budget year y is known at a decision: its first period, the number of its
 * periods already simulated and their days. Built once per strategy instance; no allocation per
 * call.
 *
 * @internal
 */
export function yearProgress(timeline: Timeline): (knownPeriods: number, y: number) => { first: number; done: number; doneShare: number } {
  const ppy = timeline.periodsPerYear;
  // Cumulative days from the start of each period's year to the period's end.
  const cumulative = new Float64Array(timeline.periodCount);
  for (let p = 0; p < timeline.periodCount; p++) cumulative[p] = (p % ppy === 0 ? 0 : cumulative[p - 1]!) + timeline.periodDays[p]!;
  const out = { first: 0, done: 0, doneShare: 0 };
  return (knownPeriods, y) => {
    const first = (y - 1) * ppy;
    const done = Math.min(Math.max(knownPeriods - first, 0), ppy);
    out.first = first;
    out.done = done;
    out.doneShare = done === 0 ? 0 : cumulative[first + done - 1]! / timeline.yearDays[y]!;
    return out;
  };
}

/**
 * Activity of year y as known at a decision: actual activity of the known periods plus the
 * baseline's forecast for the rest of the year, pro rata by days.
 *
 * @internal
 */
export function projectedActivity(
  ctx: DecisionContext,
  baseline: ServiceBaseline,
  figure: 'deliveredUnits' | 'orderedUnits',
  progress: ReturnType<typeof yearProgress>,
): number {
  const y = ctx.yearIndex;
  const { first, done, doneShare } = progress(ctx.knownPeriods, y);
  return ctx.actualSum(figure, first, first + done) + baseline[figure][y]! * (1 - doneShare);
}
