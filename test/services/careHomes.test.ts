import { describe, expect, it } from 'vitest';
import {
  activity,
  buildModel,
  careHomesSchema,
  figureValues,
  frame,
  meanSd,
  mergeResults,
  metricValues,
  parseScenario,
  replayPath,
  runModel,
  safeParseScenario,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { certainScenario } from '../fixtures';

/** Lejre's 80+ growth with one or more care homes; uncertainty off except the care homes' own events. */
function withHomes(
  careHomes: NonNullable<ScenarioInput['careHomes']>,
  overrides: Partial<ScenarioInput> = {},
): ScenarioInput {
  return {
    ...certainScenario({ paths: 200 }),
    careHomes,
    strategies: [{ kind: 'frame', carryOver: { surplusCap: 0, deficitCap: 0 } }, { kind: 'activity' }],
    ...overrides,
  };
}
const mean = (xs: Float64Array) => meanSd(xs).mean;
const MONTHLY_5_6 = -12 * Math.log(1 - 0.056); // exit rate a year for 5.6 % a month

describe('care homes', () => {
  it('a constant exit probability of 5.6 % a month replaces about half the residents a year', () => {
    const r = simulate(
      withHomes({
        homes: [{ id: 'a', places: 100, occupiedAtStart: 1 }],
        stay: { kind: 'constant', exitPerYear: MONTHLY_5_6 },
        applicantsPerCitizenPerYear: 0,
      }),
    );
    const exits = mean(metricValues(r, { strategy: 'frame', year: 2024, metric: 'care-homes.exits' }));
    expect(exits / 100).toBeGreaterThan(0.47);
    expect(exits / 100).toBeLessThan(0.53);
  });

  it('with the default mixture of stays, exits a year are about 38 % of the residents (1 / 2.6 years)', () => {
    const s = withHomes(
      { homes: [{ id: 'a', places: 200 }] },
      {
        population: {
          groups: [{ id: '80+', start: 1605, growthPerYear: 0, errorGrowthSdPerYear: 0, errorNoiseSdPerYear: 0 }],
        },
      },
    );
    const r = simulate({ ...s, paths: 100 });
    const exits = mean(metricValues(r, { strategy: 'frame', year: 2030, metric: 'care-homes.exits' }));
    const residents = mean(metricValues(r, { strategy: 'frame', year: 2030, metric: 'care-homes.occupancy' })) * 200;
    expect(exits / residents).toBeGreaterThan(0.36);
    expect(exits / residents).toBeLessThan(0.41);
  });

  it('unchanged capacity with a growing 80+ population gives a rising waiting list and more guarantee breaches', () => {
    const r = simulate(
      withHomes({
        homes: [
          { id: 'a', places: 60 },
          { id: 'b', places: 90 },
        ],
      }),
    );
    const waiting = (y: number) => mean(metricValues(r, { strategy: 'frame', year: y, metric: 'care-homes.waiting' }));
    const breaches = (y: number) =>
      mean(metricValues(r, { strategy: 'frame', year: y, metric: 'care-homes.guaranteeBreaches' }));
    expect(waiting(2034)).toBeGreaterThan(waiting(2028));
    expect(waiting(2028)).toBeGreaterThan(waiting(2025));
    expect(breaches(2034)).toBeGreaterThan(breaches(2026) + 5);
    expect(mean(metricValues(r, { strategy: 'frame', year: 2034, metric: 'care-homes.occupancy' }))).toBeGreaterThan(
      0.97,
    );
  });

  it('at 95-99 % occupancy the average wait is in the tens of days', () => {
    // No population growth; applicants 20 % above the turnover of 97 % of the places, which
    // keeps the homes at 95-99 % against the 14 days a vacated place stands empty and the
    // citizens who leave the list for an external place.
    const stay = { kind: 'mixture', shortShare: 0.33, shortMeanYears: 0.4, longMeanYears: 3.7 } as const;
    const turnover = (0.97 * 90) / (0.33 * 0.4 + 0.67 * 3.7);
    const s = withHomes(
      {
        homes: [{ id: 'a', places: 90, occupiedAtStart: 0.97 }],
        stay,
        applicantsPerCitizenPerYear: (1.2 * turnover) / 1605,
      },
      {
        population: {
          groups: [{ id: '80+', start: 1605, growthPerYear: 0, errorGrowthSdPerYear: 0, errorNoiseSdPerYear: 0 }],
        },
      },
    );
    const r = simulate(s);
    let days = 0;
    let admitted = 0;
    let occupancy = 0;
    for (const year of [2025, 2026, 2027]) {
      days += mean(metricValues(r, { strategy: 'frame', year, metric: 'care-homes.waitDaysOfAdmitted' }));
      admitted += mean(metricValues(r, { strategy: 'frame', year, metric: 'care-homes.admissions' }));
      occupancy += mean(metricValues(r, { strategy: 'frame', year, metric: 'care-homes.occupancy' })) / 3;
    }
    expect(occupancy).toBeGreaterThan(0.95);
    expect(occupancy).toBeLessThan(0.99);
    expect(days / admitted).toBeGreaterThan(10);
    expect(days / admitted).toBeLessThan(90);
  });

  it('a place costs about 25 % less in a home of 90 places than in one of 45 (with the default costs)', () => {
    const cost = (places: number) => {
      const r = simulate(withHomes({ homes: [{ id: 'a', places }], applicantsPerCitizenPerYear: 0 }));
      return (
        figureValues(r, { strategy: 'frame', service: 'care-homes', year: 2024, figure: 'actualCostKr' })[0]! / places
      );
    };
    expect(cost(90) / cost(45)).toBeCloseTo(0.75, 2);
  });

  it('a capacity change on a date adds places from then on, and their cost', () => {
    const base = { homes: [{ id: 'a', places: 60 }] };
    const grown = { homes: [{ id: 'a', places: 60, capacityChanges: [{ from: '2028-01-01', places: 80 }] }] };
    const a = simulate(withHomes(base));
    const b = simulate(withHomes(grown));
    const cost = (r: ReturnType<typeof simulate>, y: number) =>
      figureValues(r, { strategy: 'frame', service: 'care-homes', year: y, figure: 'actualCostKr' })[0]!;
    expect(cost(b, 2027)).toBe(cost(a, 2027));
    // Without the external places' cost (which the new places reduce), the difference is the
    // 20 places at 300,000 kr a year, uprated by the price index.
    const a0 = simulate(withHomes({ ...base, externalKrPerDay: 0 }));
    const b0 = simulate(withHomes({ ...grown, externalKrPerDay: 0 }));
    expect(cost(b0, 2027)).toBe(cost(a0, 2027));
    expect(cost(b0, 2028) - cost(a0, 2028)).toBeGreaterThan(20 * 300_000);
    expect(cost(b0, 2028) - cost(a0, 2028)).toBeLessThan(20 * 300_000 * 1.2);
    const admissions = (r: ReturnType<typeof simulate>, y: number) =>
      mean(metricValues(r, { strategy: 'frame', year: y, metric: 'care-homes.admissions' }));
    expect(admissions(b, 2027)).toBe(admissions(a, 2027));
    expect(admissions(b, 2028)).toBeGreaterThan(admissions(a, 2028));
    // Demand (applicants growing with the 80+ population from a steady state for 60 places)
    // fills part of the 20 new places: fewer citizens go to external places instead.
    // Own place-days are occupancy × places × days; the external ones fall as much as they rise.
    const metric = (r: ReturnType<typeof simulate>, y: number, m: string) =>
      mean(metricValues(r, { strategy: 'frame', year: y, metric: `care-homes.${m}` }));
    const ownDays = (r: ReturnType<typeof simulate>, places: number, y: number) =>
      metric(r, y, 'occupancy') * places * 365;
    expect(ownDays(b, 80, 2030) - ownDays(a, 60, 2030)).toBeGreaterThan(5 * 365);
    expect(ownDays(b, 80, 2033) - ownDays(a, 60, 2033)).toBeGreaterThan(ownDays(b, 80, 2030) - ownDays(a, 60, 2030));
    expect(metric(b, 2030, 'externalPlacements')).toBeLessThan(metric(a, 2030, 'externalPlacements') - 5);
    expect(
      mean(metricValues(b, { strategy: 'frame', year: 2029, metric: 'care-homes.guaranteeBreaches' })),
    ).toBeLessThan(mean(metricValues(a, { strategy: 'frame', year: 2029, metric: 'care-homes.guaranteeBreaches' })));
  });

  it('a capacity cut closes places only as residents leave; a closed home costs nothing once empty', () => {
    const cut = (places: number) =>
      withHomes({
        homes: [{ id: 'a', places: 100, occupiedAtStart: 1, capacityChanges: [{ from: '2025-01-01', places }] }],
        stay: { kind: 'constant', exitPerYear: 1.5 },
        applicantsPerCitizenPerYear: 0,
        externalKrPerDay: 0,
      });
    const metric = (r: ReturnType<typeof simulate>, y: number, m: string) =>
      metricValues(r, { strategy: 'frame', year: y, metric: `care-homes.${m}` });
    const cost = (r: ReturnType<typeof simulate>, y: number) =>
      figureValues(r, { strategy: 'frame', service: 'care-homes', year: y, figure: 'actualCostKr' });
    const toForty = simulate({ ...cut(40), paths: 50 });
    for (const y of [2025, 2027, 2034])
      for (const o of metric(toForty, y, 'occupancy')) expect(o).toBeLessThanOrEqual(1 + 1e-12);
    // Residents above the new capacity keep their places, and those places cost until they leave.
    const unchanged = simulate({ ...cut(100), paths: 50 });
    const perPlace = 300_000;
    expect(meanSd(cost(toForty, 2025)).mean).toBeGreaterThan(meanSd(cost(unchanged, 2025)).mean - 60 * perPlace * 1.1);
    expect(meanSd(cost(toForty, 2025)).mean).toBeLessThan(meanSd(cost(unchanged, 2025)).mean);
    // Closed: nobody moves in, and once the last resident has left neither places nor the fixed cost are paid.
    const closed = simulate({ ...cut(0), paths: 50 });
    expect(meanSd(metric(closed, 2025, 'admissions')).mean).toBe(0);
    const last = cost(closed, 2034);
    const residentsLeft = metric(closed, 2034, 'exits');
    for (let i = 0; i < last.length; i++)
      if (residentsLeft[i] === 0 && metric(closed, 2033, 'exits')[i] === 0) expect(last[i]).toBe(0);
    expect(Array.from(last).filter((c) => c === 0).length).toBeGreaterThan(45);
  });

  it('a waiting list far beyond its first buffer stays first come, first served', () => {
    // One place and about 1,600 applicants a year who never give up: the list outgrows its
    // first buffer (1,024 arrival days) in the first year and holds thousands by the end.
    const s = withHomes({
      homes: [{ id: 'a', places: 1, occupiedAtStart: 1 }],
      stay: { kind: 'constant', exitPerYear: 2 },
      applicantsPerCitizenPerYear: 1,
      guaranteeDays: 3650,
    });
    const r = simulate({ ...s, paths: 20 });
    expect(mean(metricValues(r, { strategy: 'frame', year: 2025, metric: 'care-homes.waiting' }))).toBeGreaterThan(
      1024,
    );
    // First come, first served: the k-th citizen admitted is the k-th applicant, who applied
    // within days of the start (about 4 a day apply), so each admitted citizen waited about as
    // long as the days elapsed since the start to the day of admission, in the period (at most
    // 31 days before its end), across the buffer's growth.
    for (const path of [0, 1, 2]) {
      const replay = replayPath(s, path);
      const homes = replay.traces.find((t) => t.service === 'care-homes')!;
      const start = Date.parse(replay.periodStart[0]!);
      let checked = 0;
      for (let p = 0; p + 1 < replay.periodStart.length; p++) {
        if (homes.metrics.admissions![p] !== 1) continue;
        const elapsed = (Date.parse(replay.periodStart[p + 1]!) - start) / 86_400_000;
        if (elapsed > 3650) break; // beyond the guarantee, the oldest are placed externally
        expect(homes.metrics.waitDaysOfAdmitted![p]).toBeGreaterThan(elapsed - 31 - 5);
        expect(homes.metrics.waitDaysOfAdmitted![p]).toBeLessThanOrEqual(elapsed);
        if (elapsed > 365) checked++;
      }
      expect(checked).toBeGreaterThan(5);
    }
  });

  it('citizens waiting for a place receive home care, paid by the home-care service', () => {
    const homes = { homes: [{ id: 'a', places: 60 }], homeCareHoursPerWeekWhileWaiting: 15 };
    const linked = simulate(withHomes(homes));
    const unlinked = simulate(withHomes({ ...homes, homeCareHoursPerWeekWhileWaiting: 0 }));
    const hours = (r: ReturnType<typeof simulate>) =>
      mean(figureValues(r, { strategy: 'frame', service: 'home-care', year: 2030, figure: 'neededUnits' }));
    const waiting = mean(metricValues(linked, { strategy: 'frame', year: 2030, metric: 'care-homes.waiting' }));
    expect(waiting).toBeGreaterThan(1);
    // About the mean waiting list × 15 hours × 52 weeks.
    expect((hours(linked) - hours(unlinked)) / ((waiting * 15 * 365) / 7)).toBeCloseTo(1, 1);
    expect(
      figureValues(linked, { strategy: 'frame', service: 'care-homes', year: 2030, figure: 'actualCostKr' }),
    ).toEqual(figureValues(unlinked, { strategy: 'frame', service: 'care-homes', year: 2030, figure: 'actualCostKr' }));
  });

  it('every strategy sees the same care-home events, and results merge and replay as before', () => {
    const s = withHomes({
      homes: [
        { id: 'a', places: 60 },
        { id: 'b', places: 30 },
      ],
    });
    const r = simulate(s, { strategies: [frame(), activity()] });
    expect(Array.from(metricValues(r, { strategy: 'frame', year: 2031, metric: 'care-homes.waiting' }))).toEqual(
      Array.from(metricValues(r, { strategy: 'activity', year: 2031, metric: 'care-homes.waiting' })),
    );
    const parts = [
      runModel(buildModel(parseScenario(s)), [frame(), activity()], { pathStart: 0, paths: 70 }),
      runModel(buildModel(parseScenario(s)), [frame(), activity()], { pathStart: 70, paths: 130 }),
    ];
    const merged = mergeResults(parts);
    expect(Array.from(merged.metrics['care-homes.guaranteeBreaches']!)).toEqual(
      Array.from(r.metrics['care-homes.guaranteeBreaches']!),
    );
    expect(r.services.map((x) => x.id)).toEqual(['care-homes', 'home-care']);
  });

  it('the care-home section checks alone: defaults filled, a bad field named by its path', () => {
    const ok = careHomesSchema.parse({ homes: [{ id: 'a', places: 40 }] });
    expect(ok.guaranteeDays).toBe(60);
    expect(ok.homes[0]!.occupiedAtStart).toBeGreaterThan(0.9);
    const bad = careHomesSchema.safeParse({ homes: [{ id: 'a', places: -1 }], guaranteeDays: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['guaranteeDays', 'homes.0.places']);
  });

  it('rejects a bad care-home section with the field named', () => {
    const res = safeParseScenario(
      withHomes({
        homes: [
          { id: 'a', places: 0, capacityChanges: [{ from: '2028-13-01', places: 5 }] },
          { id: 'a', places: 5 },
        ],
        applicantGroup: '90+',
      } as never),
    );
    expect(res.success).toBe(false);
    if (!res.success)
      expect(res.error.problems.map((p) => p.where)).toEqual(
        expect.arrayContaining(['careHomes.homes[0].places', 'careHomes.homes[0].capacityChanges[0].from']),
      );
  });
});
