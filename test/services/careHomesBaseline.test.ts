import { describe, expect, it, vi } from 'vitest';
import { addDays } from 'date-fns/addDays';
import {
  buildTimeline,
  careHomes,
  createLinks,
  createWorld,
  lejre2034,
  parseScenario,
  type ServiceSetup,
  simulate,
  type ScenarioInput,
  type StrategyDefinition,
} from '../../src/index';
import { bytes, expectIdentical } from '../support/identical';
import { CareHomesInstance, forgetCareHomeBaselines } from '../../src/services/careHomes';

/** Lejre's care homes and home care, short: 20 paths of 4 years, 20 baseline paths. */
const base: ScenarioInput = {
  ...lejre2034(),
  horizonYears: 4,
  paths: 20,
  careHomes: { ...lejre2034().careHomes!, baselinePaths: 20 },
};
const homes = base.careHomes!;

/** Each input a care-home baseline is made from, changed. */
const variants: [string, ScenarioInput][] = [
  ['the seed', { ...base, seed: 7 }],
  [
    'a home’s places',
    { ...base, careHomes: { ...homes, homes: [{ ...homes.homes[0]!, places: 80 }, ...homes.homes.slice(1)] } },
  ],
  [
    'a capacity change',
    {
      ...base,
      careHomes: {
        ...homes,
        homes: [{ ...homes.homes[0]!, capacityChanges: [{ from: '2026-07-01', places: 70 }] }, ...homes.homes.slice(1)],
      },
    },
  ],
  [
    'the stay',
    {
      ...base,
      careHomes: { ...homes, stay: { kind: 'mixture', shortShare: 0.4, shortMeanYears: 0.4, longMeanYears: 3.7 } },
    },
  ],
  ['the guarantee', { ...base, careHomes: { ...homes, guaranteeDays: 30 } }],
  ['the external price', { ...base, careHomes: { ...homes, externalKrPerDay: 2500 } }],
  [
    'an intervention on the applicants',
    {
      ...base,
      interventions: [{ id: 'flex', kind: 'flexiblePackage', from: '2025-01-01', rampMonths: 12, effect: 0.1 }],
    },
  ],
  [
    'a savings plan of the care homes',
    {
      ...base,
      interventions: [
        { id: 'cut', kind: 'savingsPlan', service: 'care-homes', from: '2025-01-01', amountsKr: { '2026': 5_000_000 } },
      ],
    },
  ],
  ['the price forecast', { ...base, prices: { ...base.prices!, indexForecastPerYear: 0.04 } }],
  [
    'the applicants’ group’s growth',
    {
      ...base,
      population: {
        ...base.population!,
        groups: [base.population!.groups[0]!, { ...base.population!.groups[1]!, target: { year: 2034, value: 3000 } }],
      },
    },
  ],
  ['the horizon', { ...base, horizonYears: 5 }],
  ['the base year', { ...base, baseYear: base.baseYear! + 1 }],
  ['the step', { ...base, step: 'quarter' }],
];

describe('the care homes’ baselines kept between runs', () => {
  it.each(variants)('a run with %s changed gets its own baseline, not one kept from before', (_, variant) => {
    forgetCareHomeBaselines();
    simulate(base);
    const afterAnother = simulate(variant);
    forgetCareHomeBaselines();
    const fresh = simulate(variant);
    expectIdentical(fresh, afterAnother);
  });

  it('a run of the same care homes makes none again, whatever else changes', () => {
    forgetCareHomeBaselines();
    const first = simulate(base);
    simulate({ ...base, paths: 5 });
    simulate({
      ...base,
      homeCare: { ...base.homeCare!, wageCostPerPaidHourKr: 500 },
      strategies: [{ kind: 'activity' }],
    });
    expect(forgetCareHomeBaselines()).toBe(1);
    // Made again after being forgotten: the same numbers.
    expectIdentical(first, simulate(base));
  });

  it('keeps the sixteen used last', () => {
    forgetCareHomeBaselines();
    for (let seed = 0; seed < 20; seed++) simulate({ ...base, seed, paths: 1 });
    expect(forgetCareHomeBaselines()).toBe(16);
  });
});

describe('a kept baseline stays as it was made', () => {
  it('a strategy that writes into its baseline changes no later run', () => {
    forgetCareHomeBaselines();
    const before = simulate(base);
    const vandal: StrategyDefinition = {
      id: 'vandal',
      label: 'writes into its baseline',
      create: (setup) => {
        setup.baseline.costKr.fill(1);
        return { adopt: () => 0 };
      },
    };
    simulate(base, { strategies: [vandal] });
    expectIdentical(before, simulate(base));
  });
});

describe('the key of a kept baseline, for a service created by hand', () => {
  // A savings plan on the care homes and an intervention on their applicants: the baseline reads
  // the timeline's years, its periods' starts and the interventions.
  const s = parseScenario({
    ...base,
    horizonYears: 3,
    interventions: [
      { id: 'cut', kind: 'savingsPlan', service: 'care-homes', from: '2025-01-01', amountsKr: { '2026': 5_000_000 } },
      { id: 'flex', kind: 'flexiblePackage', from: '2024-03-01', rampMonths: 6, effect: 0.1 },
    ],
  });
  const timeline = buildTimeline(s);
  const world = createWorld(
    s.population.groups.map((g) => g.id),
    timeline.horizonYears,
  );
  world.population.fill(5000);
  world.priceIndex.fill(1);
  const setupWith = (changes: Partial<ServiceSetup>): ServiceSetup => ({
    timeline,
    seed: s.seed,
    baselineWorld: world,
    links: createLinks(64, timeline.horizonYears + 1),
    interventions: s.interventions,
    ...changes,
  });
  const made = (id: string, setup: ServiceSetup) => careHomes(s.careHomes!, id)[0]!.create(setup).baseline;
  const shiftedStarts = timeline.periodStart.map((d, p) => (p === 0 ? d : addDays(d, 1)));
  const worldWith = (edit: (w: typeof world) => void) => {
    const w = createWorld(world.groupIds, timeline.horizonYears);
    w.population.set(world.population);
    w.priceIndex.set(world.priceIndex);
    edit(w);
    return w;
  };

  it.each<[string, string, Partial<ServiceSetup>]>([
    ['another service id', 'other-homes', {}],
    [
      'the calendar years shifted',
      'care-homes',
      { timeline: { ...timeline, years: timeline.years.map((y) => y + 1) } },
    ],
    [
      'the periods after the first starting a day later',
      'care-homes',
      { timeline: { ...timeline, periodStart: shiftedStarts } },
    ],
    ['a price index of -0 where it was 0', 'care-homes', { baselineWorld: worldWith((w) => w.priceIndex.fill(-0)) }],
    ['another group named', 'care-homes', { baselineWorld: { ...world, groupIds: ['67-79', '85+'] } }],
    [
      'a price index of Infinity where it was NaN',
      'care-homes',
      { baselineWorld: worldWith((w) => (w.priceIndex[2] = Infinity)) },
    ],
    ['the seed "#-0" where it was -0', 'care-homes', { seed: '#-0' }],
  ])('%s: a baseline of its own', (name, id, changes) => {
    const before: Partial<ServiceSetup> = name.includes('where it was NaN')
      ? { baselineWorld: worldWith((w) => (w.priceIndex[2] = NaN)) }
      : name.includes('of -0 where it was 0')
        ? { baselineWorld: worldWith((w) => w.priceIndex.fill(0)) }
        : name.includes('where it was -0')
          ? { seed: -0 }
          : {};
    forgetCareHomeBaselines();
    made('care-homes', setupWith(before));
    const kept = made(id, setupWith(changes));
    // Made, not found: the two keys differ.
    expect(forgetCareHomeBaselines()).toBe(2);
    const fresh = made(id, setupWith(changes));
    expect(bytes(kept.costKr).equals(bytes(fresh.costKr))).toBe(true);
    expect(bytes(kept.deliveredUnits).equals(bytes(fresh.deliveredUnits))).toBe(true);
    expect(
      bytes(kept.lines![0]!.priceKrPerDeliveredUnit!).equals(bytes(fresh.lines![0]!.priceKrPerDeliveredUnit!)),
    ).toBe(true);
  });
});

describe('what a kept baseline is not made from', () => {
  const baselinesMade = () =>
    vi.spyOn(CareHomesInstance.prototype as unknown as { simulateBaseline(): unknown }, 'simulateBaseline');

  it('an intervention on home care makes no new baseline, and changes none', () => {
    forgetCareHomeBaselines();
    simulate(base);
    const spy = baselinesMade();
    const withScreens: ScenarioInput = {
      ...base,
      interventions: [{ id: 'screens', kind: 'screenVisits', from: '2025-01-01', rampMonths: 12, effect: 0.1 }],
    };
    try {
      const kept = simulate(withScreens);
      expect(spy).not.toHaveBeenCalled();
      forgetCareHomeBaselines();
      expectIdentical(simulate(withScreens), kept);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a baseline used again is the last to be dropped', () => {
    forgetCareHomeBaselines();
    const run = (seed: number) => simulate({ ...base, seed, paths: 1 });
    for (let seed = 0; seed < 16; seed++) run(seed);
    run(0); // used again: now the newest
    run(100); // a seventeenth: drops the oldest, seed 1
    const spy = baselinesMade();
    try {
      run(0);
      expect(spy).not.toHaveBeenCalled();
      run(1);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
