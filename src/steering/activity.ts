import type { DecisionContext, StrategyDefinition, StrategyInstance, StrategySetup } from './strategy';
import { basisFigure, exAntePrices, projectedActivity, yearProgress, type ActivityBasis } from './pricing';
import { OptionError } from '../errors';

/** Options of {@link activity}. @category Steering */
export interface ActivityOptions {
  /** Id in results (default `"activity"`). */
  readonly id?: string;
  /** Name in reports. */
  readonly label?: string;
  /** Pay for delivered activity (default) or for ordered (visited) activity. */
  readonly basis?: ActivityBasis;
  /**
   * Price per unit in base-year prices, uprated by the forecast index. Default: the service's
   * own price model (for home care: wage per paid hour over the assumed share of paid hours
   * with the citizen), else the baseline's cost per unit; set ex ante either way.
   */
  readonly pricePerUnitKr?: number;
  /**
   * Year-end price correction (efterregulering): the share, 0 to 1, of the gap between the
   * actual cost per unit and the price that is paid back to the provider at settlement
   * (default 0: none; 1 moves all productivity risk to the treasury).
   */
  readonly priceCorrection?: number;
}

/**
 * Activity steering (aktivitetsstyring, the BUM model): the price per unit is set ex ante; the
 * adopted budget is the baseline's forecast activity × price; during the year the budget
 * follows actual activity × price (at each follow-up: known actual activity plus the forecast
 * of the rest of the year); at year end the final budget is the year's actual activity ×
 * price, plus any year-end price correction. The treasury bears the demand risk, the provider
 * the productivity risk (cost per unit versus the price): a price computed with too high an
 * assumed share of paid hours with the citizen gives the provider systematic deficits.
 *
 * @param options - see {@link ActivityOptions}
 * @returns a strategy plug-in
 * @throws RangeError when `pricePerUnitKr` is not a finite number > 0, `priceCorrection` is
 *   outside [0, 1] or `basis` is unknown
 * @example
 * ```ts
 * simulate(scenario, { strategies: [frame(), activity({ basis: 'ordered' })] });
 * ```
 * @category Steering
 */
export function activity(options: ActivityOptions = {}): StrategyDefinition {
  const basis = options.basis ?? 'delivered';
  if (basis !== 'delivered' && basis !== 'ordered') throw new OptionError(`activity: basis must be "delivered" or "ordered"; received ${String(basis)}`, { option: 'activity: basis', received: basis });
  const fixedPrice = options.pricePerUnitKr;
  if (fixedPrice !== undefined && !(Number.isFinite(fixedPrice) && fixedPrice > 0)) {
    throw new OptionError(`activity: pricePerUnitKr must be a finite number > 0; received ${String(fixedPrice)}`, { option: 'activity: pricePerUnitKr', received: fixedPrice });
  }
  const correction = options.priceCorrection ?? 0;
  if (!(correction >= 0 && correction <= 1)) throw new OptionError(`activity: priceCorrection must be a number in [0, 1]; received ${String(correction)}`, { option: 'activity: priceCorrection', received: correction });
  const figure = basisFigure(basis);
  return {
    id: options.id ?? 'activity',
    label: options.label ?? 'Activity (aktivitetsstyring)',
    create(setup: StrategySetup): StrategyInstance {
      const { baseline, timeline } = setup;
      const price = exAntePrices(baseline, setup.baselineWorld, basis, fixedPrice);
      const progress = yearProgress(timeline);
      const regulate = (ctx: DecisionContext): number => price[ctx.yearIndex]! * projectedActivity(ctx, baseline, figure, progress);
      return {
        reset(): void {},
        adopt(ctx: DecisionContext): number {
          return price[ctx.yearIndex]! * baseline[figure][ctx.yearIndex]!;
        },
        open(ctx: DecisionContext): number {
          return ctx.currentBudgetKr;
        },
        followUp: regulate,
        settle(ctx: DecisionContext): number {
          const paid = regulate(ctx);
          return correction === 0 ? paid : paid + correction * (ctx.actualCostKr(ctx.yearIndex) - paid);
        },
        carryOver(): number {
          return 0;
        },
      };
    },
  };
}
