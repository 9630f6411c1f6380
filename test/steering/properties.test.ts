import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activity,
  buildModel,
  createHistory,
  demographicFrame,
  figureValues,
  frame,
  hybrid,
  lejre2034,
  parseScenario,
  runModel,
  type CarryOverCaps,
  type ScenarioInput,
  type ServiceDefinition,
  type StrategyDefinition,
  type StrategyInstance,
} from '../../src/index';
import {
  PropertyViolation,
  serviceProperties,
  strategyProperties,
  type PropertyCheck,
  type StrategyPropertyOptions,
} from '../../src/testing/index';
import { frameWithReserve } from '../../examples/custom-strategy';

interface Case {
  strategy: StrategyDefinition;
  /** Caps for frame-family strategies (carry-over must stay within them). */
  caps?: CarryOverCaps;
  /** True when the final budget must equal the opening budget (no in-year regulation). */
  fixedInYear: boolean;
  /** True when a year opens at its adopted budget plus last year's carry-over. */
  opensWithCarryOver?: boolean;
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
      opensWithCarryOver: expost !== 'next',
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

/** Runs every check; returns the names of those that fail. */
function failing(checks: readonly PropertyCheck[]): string[] {
  return checks.flatMap((c) => {
    try {
      c.run();
      return [];
    } catch (e) {
      if (!(e instanceof PropertyViolation)) throw e;
      return [c.name];
    }
  });
}

/** The one check of that name. */
function check(checks: readonly PropertyCheck[], name: string): PropertyCheck {
  const found = checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no check "${name}"`);
  return found;
}

/** The frame-family strategies keep these: caps, opening = adopted + carry-over, and frames final = opening. */
const builtIns: readonly { strategy: StrategyDefinition; options: StrategyPropertyOptions }[] = [
  {
    strategy: frame(),
    options: { carryOverCaps: { surplusCap: 0.05, deficitCap: 0.02 }, opensWithCarryOver: true, fixedInYear: true },
  },
  {
    strategy: frame({ id: 'frame-free', carryOver: { surplusCap: null, deficitCap: null }, serviceResponse: {} }),
    options: { carryOverCaps: { surplusCap: null, deficitCap: null }, opensWithCarryOver: true, fixedInYear: true },
  },
  {
    // The demographic frame needs cost by age group: scenarios without the specialised area.
    strategy: demographicFrame({ expost: 'next' }),
    options: {
      carryOverCaps: { surplusCap: 0.05, deficitCap: 0.02 },
      fixedInYear: true,
      scenarios: [{ ...lejre2034(), horizonYears: 4 }],
    },
  },
  {
    strategy: hybrid({ serviceResponse: {} }),
    options: { carryOverCaps: { surplusCap: 0.05, deficitCap: 0.02 }, opensWithCarryOver: true },
  },
  { strategy: hybrid({ mode: 'nextYear' }), options: { opensWithCarryOver: true, fixedInYear: true } },
  { strategy: activity(), options: { carryOverCaps: { surplusCap: 0, deficitCap: 0 }, opensWithCarryOver: true } },
  {
    strategy: activity({ id: 'ordered', basis: 'ordered', priceCorrection: 0.5 }),
    options: { opensWithCarryOver: true },
  },
  {
    strategy: frameWithReserve(0.02),
    options: { carryOverCaps: { surplusCap: 0, deficitCap: 0 }, opensWithCarryOver: true },
  },
];

describe('the built-in strategies keep the properties (strategyProperties)', () => {
  for (const { strategy, options } of builtIns) {
    describe(strategy.id, () => {
      for (const c of strategyProperties(strategy, options)) it(c.name, () => c.run());
    });
  }
});

describe('the built-in services keep the properties (serviceProperties)', () => {
  for (const c of serviceProperties((s) => buildModel(s).services)) it(c.name, () => c.run());
});

describe('properties on generated scenarios and strategy options', () => {
  it('every check holds for any built-in strategy on any scenario shape; pooled units add up', () => {
    fc.assert(
      fc.property(scenarioArb, caseArb, (input, c) => {
        const checks = strategyProperties(c.strategy, {
          scenarios: [input],
          paths: 4,
          fixedInYear: c.fixedInYear,
          opensWithCarryOver: c.opensWithCarryOver ?? true,
          ...(c.caps ? { carryOverCaps: c.caps } : {}),
        });
        for (const k of checks) k.run();
        const r = runModel(buildModel(parseScenario({ ...input, paths: 4 })), [c.strategy]);
        if (r.services.filter((x) => x.group === 'home-care').length > 1) {
          const year = r.years.at(-1)!;
          const sel = { strategy: c.strategy.id, year, figure: 'providerDeviationKr' } as const;
          const pooled = figureValues(r, { ...sel, service: 'home-care' });
          const parts = r.services
            .filter((s) => s.group === 'home-care')
            .map((s) => figureValues(r, { ...sel, service: s.id }));
          for (let i = 0; i < r.pathCount; i++)
            expect(pooled[i]).toBeCloseTo(
              parts.reduce((a, p) => a + p[i]!, 0),
              3,
            );
        }
      }),
      { numRuns: 12 },
    );
  });
});

/** A strategy that adopts the baseline and keeps it: a base for broken ones. */
function plain(id: string, hooks: Partial<StrategyInstance> = {}, onCreate: () => void = () => {}): StrategyDefinition {
  return {
    id,
    label: id,
    create(setup) {
      onCreate();
      return {
        reset() {},
        adopt: (ctx) => setup.baseline.costKr[ctx.yearIndex]!,
        open: (ctx) => ctx.currentBudgetKr,
        followUp: (ctx) => ctx.currentBudgetKr,
        settle: (ctx) => ctx.currentBudgetKr,
        carryOver: () => 0,
        ...hooks,
      };
    },
  };
}

describe('a broken strategy is caught by the right check, with a clear message', () => {
  const one = [{ ...lejre2034(), horizonYears: 3 }];

  it('a well-behaved one passes every check', () => {
    expect(
      failing(strategyProperties(plain('plain'), { scenarios: one, fixedInYear: true, opensWithCarryOver: true })),
    ).toEqual([]);
  });

  it('one that reads the next period: no look-ahead', () => {
    const cheat = plain('cheat', { followUp: (ctx) => ctx.actual('costKr', ctx.knownPeriods) * 12 });
    expect(() => check(strategyProperties(cheat, { scenarios: one }), 'no look-ahead').run()).toThrow(
      /^no look-ahead: strategy "cheat" on scenario "lejre-2034" read the future in followUp for service "care-homes", year 2024, path 0: it asked for period 3, but only 3 periods are known at this decision$/,
    );
  });

  it('one whose settle moves the budget while it claims not to regulate: budget identities', () => {
    const drift = plain('drift', { settle: (ctx) => ctx.currentBudgetKr + 1000 });
    expect(() =>
      check(strategyProperties(drift, { scenarios: one, fixedInYear: true }), 'budget identities').run(),
    ).toThrow(
      /^budget identities: final budget \d+(\.\d+)? ≠ opening budget \d+(\.\d+)? \(fixedInYear\) under strategy "drift" \(scenario "lejre-2034", service "care-homes", year 2024, path 0\)$/,
    );
  });

  it('one that carries over more than its caps allow, or forgets the carry-over when it opens: budget identities', () => {
    const generous = plain('generous', { carryOver: (ctx) => ctx.currentBudgetKr - ctx.actualCostKr(ctx.yearIndex) });
    const checks = strategyProperties(generous, {
      scenarios: one,
      carryOverCaps: { surplusCap: 0.01, deficitCap: 0.01 },
    });
    expect(() => check(checks, 'budget identities').run()).toThrow(/carry-over -?\d+(\.\d+)? outside the caps \[/);
    const forgetful = strategyProperties(generous, { scenarios: one, opensWithCarryOver: true });
    expect(() => check(forgetful, 'budget identities').run()).toThrow(
      /opening budget \d+(\.\d+)? ≠ adopted \d+(\.\d+)? \+ last year's carry-over -?\d+(\.\d+)? \(opensWithCarryOver\) under strategy "generous" \(scenario "lejre-2034", service "care-homes", year 2025, path 0\)/,
    );
  });

  it('one with a counter shared by its runs: same seed, same decisions', () => {
    let runs = 0;
    const drifting = plain('drifting', { adopt: (ctx) => 1e6 * ctx.yearIndex + runs }, () => runs++);
    const checks = strategyProperties(drifting, { scenarios: one });
    expect(failing(checks)).toEqual(['same seed, same decisions', 'each path on its own', 'no look-ahead']);
    expect(() => check(checks, 'no look-ahead').run()).toThrow(
      /^no look-ahead: cannot be checked: strategy "drifting" gives other decisions when run again with the same seed on scenario "lejre-2034" \(see "same seed, same decisions"\)$/,
    );
    expect(() => check(checks, 'same seed, same decisions').run()).toThrow(
      /^same seed, same decisions: strategy "drifting" run twice with seed 2034 on scenario "lejre-2034" differs in adoptedBudgetKr of service "care-homes", year 2024, path 0: \d+ then \d+; keep no state outside create\(\) and reset\(\)$/,
    );
  });

  it('one that does not clear its state in reset: each path on its own', () => {
    const sticky: StrategyDefinition = {
      id: 'sticky',
      label: 'sticky',
      create(setup) {
        let adoptions = 0;
        return { ...plain('x').create(setup), adopt: (ctx) => setup.baseline.costKr[ctx.yearIndex]! + adoptions++ };
      },
    };
    const checks = strategyProperties(sticky, { scenarios: one });
    expect(failing(checks)).toEqual(['each path on its own']);
    expect(() => check(checks, 'each path on its own').run()).toThrow(
      /^each path on its own: strategy "sticky" gives path 3 of scenario "lejre-2034" other figures alone than after paths 0-2: adoptedBudgetKr of service "care-homes", year 2024, path 3: [\d.]+ then [\d.]+; reset\(\) must clear all per-path state$/,
    );
  });

  it('one that returns NaN: runs with finite budgets, naming the hook', () => {
    const broken = plain('broken', { settle: () => NaN });
    expect(() => check(strategyProperties(broken, { scenarios: one }), 'runs with finite budgets').run()).toThrow(
      /^runs with finite budgets: strategy "broken" on scenario "lejre-2034" failed: strategy "broken" returned NaN from settle/,
    );
  });
});

/** Day hours of a small service, 1000 a year at 300 kr; `broken` spoils one property. */
function hours(
  broken?: 'unwritten' | 'skipped' | 'nan' | 'counter' | 'negative' | 'lines' | 'dependent',
): ServiceDefinition {
  let calls = 0;
  return {
    id: 'hours',
    label: 'Hours',
    activityUnit: 'hours',
    independentOfSteering: broken === 'dependent',
    activityLines: [
      { id: 'day', label: 'Day' },
      { id: 'night', label: 'Night' },
    ],
    create(setup) {
      const H = setup.timeline.horizonYears;
      const baseline = createHistory(H + 1, 0, 2);
      for (let y = 0; y <= H; y++) {
        baseline.lines[0]!.orderedUnits[y] = baseline.lines[0]!.deliveredUnits[y] = 800;
        baseline.lines[1]!.orderedUnits[y] = baseline.lines[1]!.deliveredUnits[y] = 200;
        baseline.orderedUnits[y] = baseline.deliveredUnits[y] = baseline.neededUnits[y] = 1000;
        baseline.costKr[y] = 300_000 * setup.baselineWorld.priceIndex[y]!;
      }
      let path = 0;
      return {
        baseline,
        reset(i) {
          calls++;
          path = i;
        },
        step(p, world, out) {
          if (broken === 'skipped' && p % 3 === 2) return;
          const y = setup.timeline.periodYearIndex[p]!;
          const share = setup.timeline.periodDays[p]! / setup.timeline.yearDays[y]!;
          const level = broken === 'dependent' ? out.serviceLevel[p]! : 1;
          const units = 1000 * share * level + (broken === 'counter' ? calls : 0);
          out.neededUnits[p] = 1000 * share;
          if (!(broken === 'unwritten' && p === 5)) out.orderedUnits[p] = units;
          out.deliveredUnits[p] = units;
          out.lines[0]!.orderedUnits[p] = out.lines[0]!.deliveredUnits[p] = 0.8 * units;
          out.lines[1]!.orderedUnits[p] = out.lines[1]!.deliveredUnits[p] = (broken === 'lines' ? 0.3 : 0.2) * units;
          out.costKr[p] = (broken === 'negative' && y === 2 ? -1 : 1) * 300 * units * world.priceIndex[y]!;
          if (broken === 'nan' && path === 1 && p === 6) out.costKr[p] = NaN;
        },
      };
    },
  };
}

describe('a broken service is caught by the right check, with a clear message', () => {
  const one = [{ ...lejre2034(), horizonYears: 3, step: 'quarter' as const }];

  it('a well-behaved one passes every check', () => {
    expect(failing(serviceProperties(hours(), { scenarios: one }))).toEqual([]);
  });

  it('one that leaves a figure unwritten in a period', () => {
    expect(() =>
      check(serviceProperties(hours('unwritten'), { scenarios: one }), 'writes every figure each period').run(),
    ).toThrow(
      /^writes every figure each period: service "hours" did not write orderedUnits in period 5 \(scenario "lejre-2034", path 0\); step\(\) must write every figure of its period$/,
    );
  });

  it('one that skips every third period: only the check of unwritten figures fails', () => {
    const checks = serviceProperties(hours('skipped'), { scenarios: one });
    expect(failing(checks)).toEqual(['writes every figure each period']);
    expect(() => check(checks, 'writes every figure each period').run()).toThrow(
      /^writes every figure each period: service "hours" did not write neededUnits in period 2 \(scenario "lejre-2034", path 0\); step\(\) must write every figure of its period$/,
    );
    // Run as a plain run runs it (the unwritten periods are 0), the figures are finite.
    expect(() => check(checks, 'runs with finite, non-negative figures').run()).not.toThrow();
  });

  it('one that gives NaN: the message says how to reproduce it, not replayPath (which cannot rebuild the service)', () => {
    let message = '';
    try {
      check(serviceProperties(hours('nan'), { scenarios: one }), 'runs with finite, non-negative figures').run();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /^runs with finite, non-negative figures: service "hours" on scenario "lejre-2034" failed: service "hours" gave NaN for costKr in period 6 \(2025\) on path 1.*; the services run on scenario "lejre-2034" with seed 2034, path 1 alone \(runModel\(buildModel\(scenario, \{ services, replaceServices: true \}\), strategies, \{ pathStart: 1, paths: 1 \}\)\) reproduce it$/,
    );
    expect(message).not.toContain('replayPath');
  });

  it('one whose draws depend on how often it was reset', () => {
    const checks = serviceProperties(hours('counter'), { scenarios: one });
    expect(failing(checks)).toEqual(['same seed, same figures', 'each path on its own']);
    expect(() => check(checks, 'same seed, same figures').run()).toThrow(
      /^same seed, same figures: service "hours" run twice with seed 2034 on scenario "lejre-2034" differs in actualCostKr of service "hours", year 2024, path 0: [\d.]+ then [\d.]+; draw only from streams derived from the seed and the path$/,
    );
  });

  it('one with a negative cost', () => {
    expect(() =>
      check(serviceProperties(hours('negative'), { scenarios: one }), 'runs with finite, non-negative figures').run(),
    ).toThrow(
      /^runs with finite, non-negative figures: actualCostKr = -[\d.]+ under strategy "property-check-neutral" \(scenario "lejre-2034", service "hours", year 2025, path 0\); expected a finite number ≥ 0$/,
    );
  });

  it('one whose lines do not add up to its totals', () => {
    expect(() =>
      check(serviceProperties(hours('lines'), { scenarios: one }), 'activity lines add up to the totals').run(),
    ).toThrow(
      /^activity lines add up to the totals: service "hours" reports orderedUnits [\d.]+ in period 0 but its lines in hours \("day", "night"\) add up to [\d.]+ \(scenario "lejre-2034", path 0\)$/,
    );
  });

  it('one that declares independentOfSteering but follows the service level', () => {
    expect(() =>
      check(
        serviceProperties(hours('dependent'), { scenarios: one }),
        'independent of the steering, as declared',
      ).run(),
    ).toThrow(
      /^independent of the steering, as declared: service "hours" declares independentOfSteering but its orderedUnits is [\d.]+ at service level 1 and [\d.]+ at 0.9/,
    );
  });

  it('paths must be at least 2', () => {
    expect(() => serviceProperties(hours(), { paths: 1 })).toThrow(/paths must be an integer ≥ 2; received 1/);
  });
});
