import {
  builtInName,
  type DecisionContext,
  type StrategyDefinition,
  type StrategyInstance,
  type StrategySetup,
} from './strategy';
import {
  baselineValue,
  priceLines,
  projectedValue,
  yearProgress,
  type ActivityBasis,
  type LinePrices,
} from './pricing';
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
   * Price per unit in base-year prices, uprated by the forecast index: one number for every
   * activity line, or a price per line id (`{ 'external-place-days': 2100 }`). Default: each
   * line's own price model (home care: wage per paid hour over the assumed share of paid hours
   * with the citizen, plus overhead per hour; care homes' own places: the baseline's cost per
   * expected occupied place-day; external places: the external price), else the baseline's
   * cost per unit; set ex ante either way.
   */
  readonly pricePerUnitKr?: LinePrices;
  /**
   * Ids of activity lines the strategy does not pay for (default none: the budget follows every
   * line). A line not paid for is budgeted at its baseline value, which does not move with its
   * activity, so its deviations stay with the provider:
   * `activity({ unpaidLines: ['external-place-days'] })` leaves external care-home placements
   * beyond the expected ones with the homes. Ids a service does not report are ignored for that
   * service.
   */
  readonly unpaidLines?: readonly string[];
  /**
   * The unit of the activity lines paid for (default: the service's own `activityUnit`, whose
   * lines add up to its totals). `activity({ id: 'per-citizen', unit: 'citizen-days' })` pays
   * home care granted in care levels a settlement price per citizen-day of each level, set ex
   * ante from the baseline's hours per level. A service without lines in the unit is paid on
   * its default lines, as if no unit were given.
   */
  readonly unit?: string;
  /**
   * Year-end price correction (efterregulering): the share, 0 to 1, of the gap between the
   * actual cost per unit and the price that is paid back to the provider at settlement
   * (default 0: none; 1 moves all productivity risk to the treasury).
   */
  readonly priceCorrection?: number;
}

/**
 * Activity steering (aktivitetsstyring, the BUM model): each activity line a service reports
 * has a price per unit set ex ante; the adopted budget is the baseline's forecast activity ×
 * price, summed over the lines; during the year the budget follows actual activity × price (at
 * each follow-up: known actual activity plus the forecast of the rest of the year); at year end
 * the final budget is the year's actual activity × price, plus any year-end price correction.
 * The treasury bears the demand risk, the provider the productivity risk (cost per unit versus
 * the price): a price computed with too high an assumed share of paid hours with the citizen
 * gives the provider systematic deficits. For care homes the budget follows the own
 * place-days at the homes' rate and the external place-days (ordered and bought by the
 * authority) at the external price: the homes bear their empty days, the treasury the
 * external placements.
 *
 * @param options - see {@link ActivityOptions}
 * @returns a strategy plug-in
 * @throws RangeError when a `pricePerUnitKr` is not a finite number > 0, `priceCorrection` is
 *   outside [0, 1], `basis` is unknown or `unit` is not a non-empty string
 * @example
 * ```ts
 * simulate(scenario, { strategies: [frame(), activity({ basis: 'ordered' })] });
 * // Payment per citizen and care level, beside payment by the hour:
 * simulate(scenario, { strategies: [activity(), activity({ id: 'per-citizen', unit: 'citizen-days' })] });
 * ```
 * @category Steering
 */
export function activity(options: ActivityOptions = {}): StrategyDefinition {
  const basis = options.basis ?? 'delivered';
  if (basis !== 'delivered' && basis !== 'ordered')
    throw new OptionError(`activity: basis must be "delivered" or "ordered"; received ${String(basis)}`, {
      option: 'activity: basis',
      received: basis,
    });
  const fixedPrice = options.pricePerUnitKr;
  const named =
    typeof fixedPrice === 'object' && fixedPrice !== null ? Object.entries(fixedPrice) : [['', fixedPrice] as const];
  for (const [line, v] of named) {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new OptionError(
        `activity: pricePerUnitKr${line === '' ? '' : `.${line}`} must be a finite number > 0; received ${String(v)}`,
        { option: `activity: pricePerUnitKr${line === '' ? '' : `.${line}`}`, received: v },
      );
    }
  }
  const unpaid = options.unpaidLines ?? [];
  const unit = options.unit;
  if (unit !== undefined && !(typeof unit === 'string' && unit.length > 0))
    throw new OptionError(`activity: unit must be a non-empty string; received ${String(unit)}`, {
      option: 'activity: unit',
      received: unit,
    });
  const correction = options.priceCorrection ?? 0;
  if (!(correction >= 0 && correction <= 1))
    throw new OptionError(`activity: priceCorrection must be a number in [0, 1]; received ${String(correction)}`, {
      option: 'activity: priceCorrection',
      received: correction,
    });
  return {
    ...builtInName({ id: 'activity', label: 'Activity (aktivitetsstyring)' }, options),
    create(setup: StrategySetup): StrategyInstance {
      const priced = priceLines(setup.baseline, setup.lines, setup.baselineWorld, basis, fixedPrice, unpaid, {
        serviceUnit: setup.activityUnit,
        unit,
      });
      const progress = yearProgress(setup.timeline);
      const regulate = (ctx: DecisionContext): number => projectedValue(ctx, priced, progress);
      return {
        reset(): void {},
        adopt(ctx: DecisionContext): number {
          return baselineValue(priced, ctx.yearIndex);
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
