import {
  lineBaselinesOf,
  linesInUnit,
  type ActivityLine,
  type LineBaseline,
  type ServiceBaseline,
} from '../services/service';
import type { World } from '../drivers/world';
import type { Timeline } from '../scenario/timeline';
import type { DecisionContext } from './strategy';
import { OptionError } from '../errors';

/** Which activity a price is paid for. @category Steering */
export type ActivityBasis = 'delivered' | 'ordered';

/** The history/baseline figure of an activity basis. @internal */
export function basisFigure(basis: ActivityBasis): 'deliveredUnits' | 'orderedUnits' {
  return basis === 'delivered' ? 'deliveredUnits' : 'orderedUnits';
}

/**
 * A price per unit in base-year prices: one for every line, or one per line id (lines not
 * named keep their default price).
 *
 * @category Steering
 */
export type LinePrices = number | Readonly<Record<string, number>>;

/**
 * The activity lines a strategy pays for, each with its ex-ante price per unit of the basis by
 * year (index 0 = base year), known from the baseline alone.
 *
 * @internal
 */
export interface PricedLines {
  /** Indices of the paid lines among the service's lines. */
  readonly lines: readonly number[];
  /** prices[k][y]: price of paid line k in year y. */
  readonly prices: readonly Float64Array[];
  /** Baseline units of each paid line on the basis, by year. */
  readonly baselineUnits: readonly Float64Array[];
  /** The baseline value of the lines not paid for, by year: a fixed part of the budget. */
  readonly unpaidValue: Float64Array;
  readonly figure: 'deliveredUnits' | 'orderedUnits';
}

/**
 * Prices a service's activity lines ex ante: a fixed base-year price uprated by the forecast
 * index where one is given, else the line's own price model (`priceKrPerDeliveredUnit`,
 * converted to the basis), else the service's baseline cost per unit of all its activity.
 *
 * @param baseline - the service's baseline
 * @param lines - the service's activity lines
 * @param baselineWorld - the baseline world (forecast price index)
 * @param basis - delivered or ordered units
 * @param fixedPriceKr - fixed base-year prices, for every line or by line id
 * @param unpaid - ids of lines not paid for
 * @param select - which lines are paid: those in `unit` (default: the service's own unit,
 *   `serviceUnit`); a service without lines in `unit` is paid on its default lines. A line in
 *   another unit without a price model of its own is priced at the baseline cost per unit of
 *   the chosen lines.
 * @internal
 */
export function priceLines(
  baseline: ServiceBaseline,
  lines: readonly ActivityLine[],
  baselineWorld: World,
  basis: ActivityBasis,
  fixedPriceKr?: LinePrices,
  unpaid: readonly string[] = [],
  select: { readonly serviceUnit?: string | undefined; readonly unit?: string | undefined } = {},
): PricedLines {
  const H = baseline.costKr.length - 1;
  const figure = basisFigure(basis);
  const bases: readonly LineBaseline[] = lineBaselinesOf(baseline);
  const paid: number[] = [];
  const prices: Float64Array[] = [];
  const baselineUnits: Float64Array[] = [];
  const unpaidValue = new Float64Array(H + 1);
  const chosen = linesInUnit(lines, select.serviceUnit, select.unit);
  // Lines in the service's own unit add up to its totals; lines in another unit only to themselves.
  const own = chosen.every((l) => lines[l]!.unit === undefined || lines[l]!.unit === select.serviceUnit);
  const chosenUnits = (y: number): number => {
    if (own) return baseline[figure][y]!;
    let u = 0;
    for (const l of chosen) u += bases[l]?.[figure][y] ?? 0;
    return u;
  };
  lines.forEach((line, l) => {
    // Lines in another unit than the one paid for are no part of this budget.
    if (!chosen.includes(l)) return;
    const b = bases[l];
    if (b === undefined)
      throw new OptionError(
        `the baseline has ${bases.length} activity line(s), but the service declares line "${line.id}" as number ${l + 1}`,
      );
    const fixed = typeof fixedPriceKr === 'number' ? fixedPriceKr : fixedPriceKr?.[line.id];
    const out = new Float64Array(H + 1);
    for (let y = 0; y <= H; y++) {
      const units = b[figure][y]!;
      if (fixed !== undefined) out[y] = fixed * baselineWorld.priceIndex[y]!;
      else if (b.priceKrPerDeliveredUnit !== undefined) {
        // Per delivered unit as given; per ordered unit at the baseline's delivered share (the
        // price as given where the baseline expects none of the line).
        const p = b.priceKrPerDeliveredUnit[y]!;
        out[y] = figure === 'deliveredUnits' || !(units > 0) ? p : (p * b.deliveredUnits[y]!) / units;
      } else {
        const all = chosenUnits(y);
        out[y] = all > 0 ? baseline.costKr[y]! / all : 0;
      }
    }
    if (unpaid.includes(line.id)) {
      for (let y = 0; y <= H; y++) unpaidValue[y] = unpaidValue[y]! + out[y]! * b[figure][y]!;
      return;
    }
    paid.push(l);
    prices.push(out);
    baselineUnits.push(b[figure]);
  });
  return { lines: paid, prices, baselineUnits, unpaidValue, figure };
}

/** The value at ex-ante prices of the baseline's activity in year y, over all lines. @internal */
export function baselineValue(priced: PricedLines, y: number): number {
  let v = priced.unpaidValue[y]!;
  for (let k = 0; k < priced.lines.length; k++) v += priced.prices[k]![y]! * priced.baselineUnits[k]![y]!;
  return v;
}

/**
 * How much of budget year y is known at a decision: its first period, the number of its
 * periods already simulated and their days. Built once per strategy instance; no allocation per
 * call.
 *
 * @internal
 */
export function yearProgress(
  timeline: Timeline,
): (knownPeriods: number, y: number) => { first: number; done: number; doneShare: number } {
  const ppy = timeline.periodsPerYear;
  // Cumulative days from the start of each period's year to the period's end.
  const cumulative = new Float64Array(timeline.periodCount);
  for (let p = 0; p < timeline.periodCount; p++)
    cumulative[p] = (p % ppy === 0 ? 0 : cumulative[p - 1]!) + timeline.periodDays[p]!;
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
 * The value at ex-ante prices of year y's activity as known at a decision: for each paid line,
 * its actual activity of the known periods plus the baseline's forecast for the rest of the
 * year, pro rata by days; the lines not paid for at their baseline value.
 *
 * @internal
 */
export function projectedValue(
  ctx: DecisionContext,
  priced: PricedLines,
  progress: ReturnType<typeof yearProgress>,
): number {
  const y = ctx.yearIndex;
  const { first, done, doneShare } = progress(ctx.knownPeriods, y);
  let v = priced.unpaidValue[y]!;
  for (let k = 0; k < priced.lines.length; k++) {
    const units =
      ctx.actualLineSum(priced.lines[k]!, priced.figure, first, first + done) +
      priced.baselineUnits[k]![y]! * (1 - doneShare);
    v += priced.prices[k]![y]! * units;
  }
  return v;
}

/**
 * The value of the known part of year y's activity over the paid lines, annualised by days, at
 * the ex-ante prices of year `at` (NaN when nothing of the year is known yet).
 *
 * @internal
 */
export function annualisedValue(
  ctx: DecisionContext,
  priced: PricedLines,
  progress: ReturnType<typeof yearProgress>,
  y: number,
  at: number,
): number {
  const { first, done, doneShare } = progress(ctx.knownPeriods, y);
  if (done === 0) return NaN;
  let v = 0;
  for (let k = 0; k < priced.lines.length; k++)
    v += priced.prices[k]![at]! * ctx.actualLineSum(priced.lines[k]!, priced.figure, first, first + done);
  return v / doneShare;
}
