import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activity,
  buildModel,
  demographicFrame,
  figureValues,
  frame,
  hybrid,
  lejre2034,
  parseScenario,
  RECORDED_FIGURES,
  runModel,
  type CarryOverCaps,
  type Driver,
  type ScenarioInput,
  type SimulationResult,
  type StrategyDefinition,
} from '../../src/index';
import { frameWithReserve } from '../../examples/custom-strategy';

interface Case {
  strategy: StrategyDefinition;
  /** Caps for frame-family strategies (carry-over must stay within them). */
  caps?: CarryOverCaps;
  /** True when the final budget must equal the opening budget (no in-year regulation). */
  fixedInYear: boolean;
}

const capsArb: fc.Arbitrary<CarryOverCaps> = fc.record({
  surplusCap: fc.oneof(fc.constant(null), fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
  deficitCap: fc.oneof(fc.constant(null), fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
});
const responseArb = fc.option(
  fc.record({
    threshold: fc.double({ min: 0, max: 0.05, noNaN: true }),
    maxCutPerYear: fc.double({ min: 0, max: 0.1, noNaN: true }),
    minLevel: fc.double({ min: 0.5, max: 1, noNaN: true }),
  }),
  { nil: undefined },
);

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(capsArb, responseArb).map(([caps, r]): Case => ({
    strategy: frame({ carryOver: caps, ...(r ? { serviceResponse: r } : {}) }),
    caps,
    fixedInYear: true,
  })),
  fc
    .tuple(
      capsArb,
      fc.constantFrom('none', 'same', 'next') as fc.Arbitrary<'none' | 'same' | 'next'>,
      fc.double({ min: 0, max: 0.02, noNaN: true }),
    )
    .map(([caps, expost, ha]): Case => ({
      strategy: demographicFrame({ carryOver: caps, expost, healthyAgeingPerYear: ha }),
      caps,
      fixedInYear: expost !== 'same',
    })),
  fc
    .tuple(
      capsArb,
      fc.constantFrom('corridor', 'nextYear') as fc.Arbitrary<'corridor' | 'nextYear'>,
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom('full', 'excess') as fc.Arbitrary<'full' | 'excess'>,
      responseArb,
    )
    .map(([caps, mode, corridor, m, regulate, r]): Case => ({
      strategy: hybrid({
        carryOver: caps,
        mode,
        corridor,
        marginalRate: m,
        regulate,
        ...(r ? { serviceResponse: r } : {}),
      }),
      caps,
      fixedInYear: mode === 'nextYear',
    })),
  fc
    .tuple(
      fc.constantFrom('delivered', 'ordered') as fc.Arbitrary<'delivered' | 'ordered'>,
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([basis, c]): Case => ({ strategy: activity({ basis, priceCorrection: c }), fixedInYear: false })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((c): Case => ({
    strategy: activity({ id: 'per-citizen', unit: 'citizen-days', priceCorrection: c }),
    fixedInYear: false,
  })),
  fc
    .double({ min: 0, max: 0.1, noNaN: true })
    .map((t): Case => ({ strategy: frameWithReserve(t), caps: { surplusCap: 0, deficitCap: 0 }, fixedInYear: false })),
);

/** Two care levels with uncertain moves and hours. */
const CARE_LEVELS = {
  levels: [
    { id: 'low', hoursPerWeek: { dist: 'uniform', min: 1, max: 2 } },
    { id: 'high', hoursPerWeek: { dist: 'uniform', min: 6, max: 9 } },
  ],
  shares: { '67-79': [0.8, 0.2], '80+': [0.6, 0.4] },
  transitions: [
    [0.97, 0.03],
    [0.04, 0.96],
  ],
  transitionConcentration: 200,
  coldHoursSavedShare: { dist: 'uniform', min: 0, max: 0.2 },
} as const;

const scenarioArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    seed: fc.nat({ max: 1_000_000 }),
    horizonYears: fc.integer({ min: 2, max: 5 }),
    step: fc.constantFrom('month', 'quarter', 'year') as fc.Arbitrary<'month' | 'quarter' | 'year'>,
    units: fc.integer({ min: 1, max: 3 }),
    homes: fc.boolean(),
    levels: fc.boolean(),
    providers: fc.constantFrom('none', 'approval', 'tender') as fc.Arbitrary<'none' | 'approval' | 'tender'>,
  })
  .map(({ seed, horizonYears, step, units, homes, levels, providers }) => {
    const base = lejre2034();
    return {
      ...base,
      seed,
      horizonYears,
      step,
      paths: 6,
      population: {
        ...base.population,
        groups: base.population.groups.map((g) =>
          'target' in g && g.target ? { ...g, target: undefined, growthPerYear: 0.0411 } : g,
        ),
      },
      homeCare: {
        ...base.homeCare,
        ...(units > 1 && providers === 'none'
          ? { units: Array.from({ length: units }, (_, i) => ({ id: `u${i}`, populationShare: 1 / units })) }
          : {}),
        ...(levels ? { careLevels: CARE_LEVELS } : {}),
        ...(providers === 'none'
          ? {}
          : {
              providers: {
                model: providers,
                private: [
                  { id: 'p', marketShare: { dist: 'uniform', min: 0.1, max: 0.3 }, bidPriceKrPerHour: 420 },
                  { id: 'q', marketShare: { '2024': 0.05, '2027': 0.1 }, bidPriceKrPerHour: 440 },
                ],
              },
            }),
      },
      ...(homes
        ? {
            careHomes: {
              homes: [
                { id: 'a', places: 40 },
                { id: 'b', places: 25, capacityChanges: [{ from: '2026-07-01', places: 35 }] },
              ],
            },
          }
        : {}),
    } as ScenarioInput;
  });

function run(input: ScenarioInput, strategies: StrategyDefinition[], drivers?: Driver[]): SimulationResult {
  const s = parseScenario(input);
  return runModel(buildModel(s, drivers ? { drivers } : {}), strategies);
}

describe('properties every strategy keeps', () => {
  it('budget identities, carry-over caps, finite numbers, additivity over units, same seed same decisions', () => {
    fc.assert(
      fc.property(scenarioArb, caseArb, (input, c) => {
        const r = run(input, [c.strategy]);
        for (const f of RECORDED_FIGURES) expect(r.figures[f].every(Number.isFinite)).toBe(true);
        const again = run(input, [c.strategy]);
        for (const f of RECORDED_FIGURES) expect(Array.from(again.figures[f])).toEqual(Array.from(r.figures[f]));
        const id = c.strategy.id;
        for (const service of r.services.map((s) => s.id)) {
          for (const year of r.years) {
            const sel = { strategy: id, service, year };
            const adopted = figureValues(r, { ...sel, figure: 'adoptedBudgetKr' });
            const opening = figureValues(r, { ...sel, figure: 'openingBudgetKr' });
            const final = figureValues(r, { ...sel, figure: 'finalBudgetKr' });
            const carry = figureValues(r, { ...sel, figure: 'carryOverKr' });
            const treasury = figureValues(r, { ...sel, figure: 'treasuryDeviationKr' });
            const provider = figureValues(r, { ...sel, figure: 'providerDeviationKr' });
            const prevCarry =
              year > r.years[0]! ? figureValues(r, { ...sel, year: year - 1, figure: 'carryOverKr' }) : undefined;
            for (let i = 0; i < r.pathCount; i++) {
              const tol = 1e-6 * Math.abs(adopted[i]!);
              expect(treasury[i]! - provider[i]!).toBeCloseTo(final[i]! - adopted[i]!, 3);
              if (c.fixedInYear) expect(Math.abs(final[i]! - opening[i]!)).toBeLessThanOrEqual(tol);
              if (c.caps) {
                const s = c.caps.surplusCap ?? Infinity;
                const d = c.caps.deficitCap ?? Infinity;
                expect(carry[i]!).toBeLessThanOrEqual(s * adopted[i]! + tol);
                expect(carry[i]!).toBeGreaterThanOrEqual(-d * adopted[i]! - tol);
                if (prevCarry && c.fixedInYear && !id.startsWith('demographic'))
                  expect(Math.abs(opening[i]! - adopted[i]! - prevCarry[i]!)).toBeLessThanOrEqual(tol);
              }
            }
          }
        }
        if (r.services.filter((x) => x.group === 'home-care').length > 1) {
          const year = r.years.at(-1)!;
          const pooled = figureValues(r, { strategy: id, service: 'home-care', year, figure: 'providerDeviationKr' });
          const parts = r.services
            .filter((s) => s.group === 'home-care')
            .map((s) => figureValues(r, { strategy: id, service: s.id, year, figure: 'providerDeviationKr' }));
          for (let i = 0; i < r.pathCount; i++)
            expect(pooled[i]).toBeCloseTo(
              parts.reduce((a, p) => a + p[i]!, 0),
              3,
            );
        }
      }),
      { numRuns: 40 },
    );
  });

  it('no look-ahead: poisoning the world from a year on changes no decision made before it', () => {
    fc.assert(
      fc.property(scenarioArb, caseArb, fc.integer({ min: 1, max: 5 }), (input, c, from) => {
        const clean = run(input, [c.strategy]);
        const s = parseScenario(input);
        const base = buildModel(s).drivers;
        const poisoned: Driver[] = base.map((d) => ({
          id: d.id,
          draw(path, world) {
            d.draw(path, world);
            const G = world.groupIds.length;
            for (let y = from; y < world.priceIndex.length; y++) {
              world.priceIndex[y] = world.priceIndex[y]! * 1.5;
              for (let g = 0; g < G; g++) world.population[y * G + g] = world.population[y * G + g]! * 2;
            }
          },
        }));
        const dirty = run(input, [c.strategy], poisoned);
        for (const service of clean.services.map((x) => x.id)) {
          for (const year of clean.years) {
            if (year - s.baseYear > from) continue;
            // Adopted in the autumn before the poisoned year or earlier.
            const a = figureValues(clean, { strategy: c.strategy.id, service, year, figure: 'adoptedBudgetKr' });
            const b = figureValues(dirty, { strategy: c.strategy.id, service, year, figure: 'adoptedBudgetKr' });
            expect(Array.from(b)).toEqual(Array.from(a));
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
