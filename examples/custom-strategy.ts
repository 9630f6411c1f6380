/**
 * A custom steering strategy, written against the public interface only: a frame whose
 * overspend beyond 2 % of the adopted frame is covered by a central reserve pool at year end.
 * It runs, is compared and is reported exactly like the built-in strategies.
 *
 * Run with `npx tsx examples/custom-strategy.ts`.
 */
import {
  compareStrategies,
  formatDeviationTable,
  frame,
  lejre2034,
  simulate,
  type StrategyDefinition,
} from '../src/index';

/**
 * Frame with a reserve pool: the unit's frame is last year's uprated by the forecast index
 * (no carry-over); at year end the pool covers whatever the actual cost exceeds
 * (1 + threshold) × frame, so the unit never bears more than `threshold` of its frame.
 *
 * Only the hooks it changes are written: `open` and `followUp` keep the budget in force, and
 * there is no carry-over (the defaults).
 */
export function frameWithReserve(threshold = 0.02): StrategyDefinition {
  return {
    id: 'frame-reserve',
    label: `Frame with a reserve pool above ${threshold * 100} %`,
    create(setup) {
      const index = setup.baselineWorld.priceIndex;
      let frameKr = 0;
      return {
        reset() {
          frameKr = setup.baseline.costKr[0]!;
        },
        adopt(ctx) {
          frameKr *= index[ctx.yearIndex]! / index[ctx.yearIndex - 1]!;
          return frameKr;
        },
        settle(ctx) {
          const adopted = ctx.adoptedBudgetKr(ctx.yearIndex);
          const excess = ctx.actualCostKr(ctx.yearIndex) - (1 + threshold) * adopted;
          return adopted + Math.max(0, excess);
        },
      };
    },
  };
}

// Run only when executed directly, not when imported by the tests.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = simulate(
    { ...lejre2034(), paths: 2000 },
    {
      strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }), frameWithReserve(0.02)],
    },
  );
  console.log(formatDeviationTable(result));
  const last = compareStrategies(result, 'frame', 'frame-reserve', { figure: 'providerDeviationKr' }).at(-1)!;
  console.log(
    `2034: the reserve pool takes on average ${(last.mean / 1e6).toFixed(1)} m kr of the unit's deviation (s.e. ${(last.mcse / 1e6).toFixed(2)}).`,
  );
}
