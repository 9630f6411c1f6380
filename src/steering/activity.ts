import type { DecisionContext, StrategyDefinition, StrategyInstance, StrategySetup } from './strategy';

/** Options of {@link activity}. @category Steering */
export interface ActivityOptions {
  /** Id in results (default `"activity"`). */
  readonly id?: string;
  /** Name in reports. */
  readonly label?: string;
  /** Pay for delivered activity (default) or for ordered (visited) activity. */
  readonly basis?: 'delivered' | 'ordered';
  /**
   * Price per unit in base-year prices, uprated by the forecast index. Default: the baseline's
   * cost per unit of the budget year (price = expected cost), set ex ante.
   */
  readonly pricePerUnitKr?: number;
}

/**
 * Activity steering (aktivitetsstyring, the BUM model): the price per unit is set ex ante; the
 * adopted budget is the baseline's forecast activity × price; during the year the budget
 * follows actual activity × price (at each follow-up: known actual activity plus the forecast
 * of the rest of the year); at year end the final budget is the year's actual activity × price.
 * The treasury bears the demand risk, the provider the productivity risk (cost per unit versus
 * the price).
 *
 * @param options - see {@link ActivityOptions}
 * @returns a strategy plug-in
 * @throws RangeError when `pricePerUnitKr` is given and not a finite number > 0
 * @example
 * ```ts
 * simulate(scenario, { strategies: [frame(), activity({ basis: 'ordered' })] });
 * ```
 * @category Steering
 */
export function activity(options: ActivityOptions = {}): StrategyDefinition {
  const basis = options.basis ?? 'delivered';
  const fixedPrice = options.pricePerUnitKr;
  if (fixedPrice !== undefined && !(Number.isFinite(fixedPrice) && fixedPrice > 0)) {
    throw new RangeError(`activity: pricePerUnitKr must be a finite number > 0; received ${String(fixedPrice)}`);
  }
  const figure = basis === 'delivered' ? 'deliveredUnits' : 'orderedUnits';
  return {
    id: options.id ?? 'activity',
    label: options.label ?? 'Activity (aktivitetsstyring)',
    create(setup: StrategySetup): StrategyInstance {
      const { baseline, timeline } = setup;
      const index = setup.baselineWorld.priceIndex;
      const ppy = timeline.periodsPerYear;
      const H = timeline.horizonYears;
      // Ex-ante prices by year: known from the baseline alone.
      const price = new Float64Array(H + 1);
      for (let y = 0; y <= H; y++) {
        const units = baseline[figure][y]!;
        price[y] = fixedPrice !== undefined ? fixedPrice * index[y]! : units > 0 ? baseline.costKr[y]! / units : 0;
      }
      const regulate = (ctx: DecisionContext): number => {
        const y = ctx.yearIndex;
        const first = (y - 1) * ppy;
        const done = Math.min(Math.max(ctx.knownPeriods - first, 0), ppy);
        const knownUnits = ctx.actualSum(figure, first, first + done);
        const restUnits = baseline[figure][y]! * ((ppy - done) / ppy);
        return price[y]! * (knownUnits + restUnits);
      };
      return {
        reset(): void {},
        adopt(ctx: DecisionContext): number {
          return price[ctx.yearIndex]! * baseline[figure][ctx.yearIndex]!;
        },
        open(ctx: DecisionContext): number {
          return ctx.currentBudgetKr;
        },
        followUp: regulate,
        settle: regulate,
        carryOver(): number {
          return 0;
        },
      };
    },
  };
}
