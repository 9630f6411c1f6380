import { describe, expect, it } from 'vitest';
import {
  activity,
  buildModel,
  demographicFrame,
  hybrid,
  frame,
  LookAheadError,
  parseScenario,
  runModel,
  type Driver,
  type StrategyDefinition,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const scenario = parseScenario({ ...lejreHomeCare(), paths: 40 });
const builtIns: StrategyDefinition[] = [
  frame(),
  activity(),
  activity({ id: 'ordered', basis: 'ordered', priceCorrection: 0.5 }),
  frame({ id: 'frame-free', carryOver: { surplusCap: null, deficitCap: null }, serviceResponse: {} }),
  demographicFrame({ expost: 'next' }),
  demographicFrame({ id: 'demo-same', expost: 'same', healthyAgeingPerYear: 0.005 }),
  hybrid({ serviceResponse: {} }),
  hybrid({ mode: 'nextYear' }),
];

/** Wraps the drivers so that every value from `fromYearIndex` on is poisoned. */
function poisoned(fromYearIndex: number, factor: number): Driver[] {
  const model = buildModel(scenario);
  return model.drivers.map((d) => ({
    id: d.id,
    draw(path, world) {
      d.draw(path, world);
      const G = world.groupIds.length;
      for (let y = fromYearIndex; y < world.priceIndex.length; y++) {
        world.priceIndex[y] = world.priceIndex[y]! * factor;
        for (let g = 0; g < G; g++) world.population[y * G + g] = world.population[y * G + g]! * factor;
      }
    },
  }));
}

describe('no strategy can see the future', () => {
  const clean = runModel(buildModel(scenario), builtIns);

  it.each([3, 6, 10])(
    'decisions before year index %i are unchanged when the world from then on is poisoned',
    (from) => {
      const dirty = runModel(buildModel(scenario, { drivers: poisoned(from, 1.7) }), builtIns);
      const Y = clean.years.length;
      const n = clean.pathCount;
      for (let s = 0; s < builtIns.length; s++) {
        for (let y = 0; y < Y; y++) {
          const yearIndex = y + 1;
          const base = (s * Y + y) * n;
          const a = clean.figures.adoptedBudgetKr.subarray(base, base + n);
          const b = dirty.figures.adoptedBudgetKr.subarray(base, base + n);
          // The budget for year y+1 is adopted in the autumn of year y, before `from` when y+1 <= from.
          if (yearIndex <= from) expect(Array.from(b)).toEqual(Array.from(a));
          if (yearIndex < from) {
            expect(Array.from(dirty.figures.finalBudgetKr.subarray(base, base + n))).toEqual(
              Array.from(clean.figures.finalBudgetKr.subarray(base, base + n)),
            );
          }
        }
      }
      // ...and the poison does reach the actuals, so the test can fail.
      const last = (builtIns.length * Y - 1) * n;
      expect(dirty.figures.actualCostKr[last]).not.toBe(clean.figures.actualCostKr[last]);
    },
  );

  it('a strategy that reads an unknown period gets LookAheadError', () => {
    const cheat: StrategyDefinition = {
      id: 'cheat',
      label: 'reads next month',
      create: () => ({
        reset() {},
        adopt: (ctx) => ctx.baseline.costKr[ctx.yearIndex]!,
        open: (ctx) => ctx.currentBudgetKr,
        followUp: (ctx) => ctx.actual('costKr', ctx.knownPeriods) + ctx.currentBudgetKr,
        settle: (ctx) => ctx.currentBudgetKr,
        carryOver: () => 0,
      }),
    };
    expect(() => runModel(buildModel(scenario), [cheat], { paths: 1 })).toThrow(LookAheadError);
    expect(() => runModel(buildModel(scenario), [cheat], { paths: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[LookAheadError: look-ahead: a strategy asked for period 3, but only 3 periods are known at this decision in followUp of strategy "cheat" for service "home-care", year 2024, path 0]`,
    );
  });

  it('a strategy cannot read the actual cost of a year before it is settled', () => {
    const early: StrategyDefinition = {
      id: 'early',
      label: 'reads this year',
      create: () => ({
        reset() {},
        adopt: (ctx) => ctx.baseline.costKr[ctx.yearIndex]!,
        open: (ctx) => ctx.actualCostKr(ctx.yearIndex),
        followUp: (ctx) => ctx.currentBudgetKr,
        settle: (ctx) => ctx.currentBudgetKr,
        carryOver: () => 0,
      }),
    };
    expect(() => runModel(buildModel(scenario), [early], { paths: 1 })).toThrow(/settled year 1/);
  });

  it('a strategy that returns NaN is named in a clear error', () => {
    const broken: StrategyDefinition = {
      id: 'broken',
      label: 'NaN',
      create: () => ({
        reset() {},
        adopt: () => NaN,
        open: () => 0,
        followUp: () => 0,
        settle: () => 0,
        carryOver: () => 0,
      }),
    };
    expect(() => runModel(buildModel(scenario), [broken], { paths: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[SimulationError: strategy "broken" returned NaN from adopt for service "home-care", year 2024; expected a finite number of kr from -1e15 to 1e15]`,
    );
  });
});
