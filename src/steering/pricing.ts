import type { ServiceBaseline } from '../services/service';
import type { World } from '../drivers/world';

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
