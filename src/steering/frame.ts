import type { DecisionContext, StrategyDefinition, StrategyInstance, StrategySetup } from './strategy';

/** Options of {@link frame}. @category Steering */
export interface FrameOptions {
  /** Id in results (default `"frame"`). */
  readonly id?: string;
  /** Name in reports. */
  readonly label?: string;
  /**
   * Carry-over caps as shares of the adopted frame: a surplus up to `surplusCap` and a deficit
   * up to `deficitCap` move to next year's budget; `null` means unlimited, 0 none.
   * Default `{ surplusCap: 0.05, deficitCap: 0.02 }`.
   */
  readonly carryOver?: { readonly surplusCap: number | null; readonly deficitCap: number | null };
  /** Political adjustments by calendar year (kr, current prices), added to that year's frame. */
  readonly adjustmentsKr?: Readonly<Record<string, number>>;
}

/**
 * Frame steering (rammestyring): the frame for year y is last year's frame uprated by the
 * forecast price and wage index, plus political adjustments. The first frame is the baseline
 * cost of the base year. The frame is fixed during the year; carry-over within caps is added
 * to the next year's budget when the year opens. The unit bears the demand risk.
 *
 * @param options - see {@link FrameOptions}
 * @returns a strategy plug-in
 * @throws RangeError when a cap is negative or not finite
 * @example
 * ```ts
 * simulate(scenario, { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } })] });
 * ```
 * @category Steering
 */
export function frame(options: FrameOptions = {}): StrategyDefinition {
  const id = options.id ?? 'frame';
  const caps = options.carryOver ?? { surplusCap: 0.05, deficitCap: 0.02 };
  for (const [name, v] of Object.entries(caps)) {
    if (v !== null && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`frame: carryOver.${name} must be null (unlimited) or a number >= 0; received ${String(v)}`);
  }
  const surplusCap = caps.surplusCap ?? Infinity;
  const deficitCap = caps.deficitCap ?? Infinity;
  const adjustments = options.adjustmentsKr ?? {};
  return {
    id,
    label: options.label ?? 'Frame (rammestyring)',
    create(setup: StrategySetup): StrategyInstance {
      const H = setup.timeline.horizonYears;
      const adjust = new Float64Array(H + 1);
      for (let y = 1; y <= H; y++) adjust[y] = adjustments[String(setup.timeline.years[y])] ?? 0;
      const index = setup.baselineWorld.priceIndex;
      let frameKr = 0;
      return {
        reset(): void {
          frameKr = setup.baseline.costKr[0]!;
        },
        adopt(ctx: DecisionContext): number {
          const y = ctx.yearIndex;
          frameKr = frameKr * (index[y]! / index[y - 1]!) + adjust[y]!;
          return frameKr;
        },
        open(ctx: DecisionContext): number {
          return ctx.yearIndex > 1 ? ctx.currentBudgetKr + ctx.carryOverKr(ctx.yearIndex - 1) : ctx.currentBudgetKr;
        },
        followUp(ctx: DecisionContext): number {
          return ctx.currentBudgetKr;
        },
        settle(ctx: DecisionContext): number {
          return ctx.currentBudgetKr;
        },
        carryOver(ctx: DecisionContext): number {
          const result = ctx.currentBudgetKr - ctx.actualCostKr(ctx.yearIndex);
          const adopted = ctx.adoptedBudgetKr(ctx.yearIndex);
          return Math.min(Math.max(result, -deficitCap * adopted), surplusCap * adopted);
        },
      };
    },
  };
}
