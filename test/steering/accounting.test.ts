import { describe, expect, it } from 'vitest';
import { forgetCareHomeBaselines } from '../../src/services/careHomes';
import {
  activity,
  activityLinesOf,
  linesInUnit,
  buildModel,
  createHistory,
  createLinks,
  runModel,
  type ServiceDefinition,
  demographicFrame,
  describe as describeValues,
  figureValues,
  frame,
  hybrid,
  lejre2034,
  meanSd,
  metricValues,
  parseScenario,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { certainScenario, lejreHomeCare } from '../fixtures';

const median = (xs: Float64Array) => describeValues(xs, { percentiles: [50] }).percentiles[50]!;

/** Pearson correlation of two equally long samples. */
function correlation(a: Float64Array, b: Float64Array): number {
  const ma = meanSd(a).mean;
  const mb = meanSd(b).mean;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('care homes under activity steering: the budget follows own and external place-days', () => {
  const r = simulate(
    { ...lejre2034(), paths: 1000 },
    { strategies: [frame(), activity(), activity({ id: 'own-only', unpaidLines: ['external-place-days'] })] },
  );
  const at = (
    strategy: string,
    figure: 'providerDeviationPct' | 'treasuryDeviationKr' | 'providerDeviationKr',
    year = 2034,
  ) => figureValues(r, { strategy, service: 'care-homes', year, figure });

  it('the homes keep only their own occupancy and price risk: the 2034 provider deviation has a median within ±5 %', () => {
    expect(Math.abs(median(at('activity', 'providerDeviationPct')))).toBeLessThan(0.05);
    // A frame leaves the external placements with the homes; paying only the own place-days
    // leaves them the placements beyond the expected ones (budgeted at their baseline value).
    expect(median(at('frame', 'providerDeviationPct'))).toBeGreaterThan(0.2);
    expect(meanSd(at('own-only', 'providerDeviationPct')).sd).toBeGreaterThan(
      2 * meanSd(at('activity', 'providerDeviationPct')).sd,
    );
  });

  it('the external placements are in the treasury deviation', () => {
    const external = metricValues(r, { strategy: 'activity', year: 2034, metric: 'care-homes.externalPlacements' });
    expect(correlation(at('activity', 'treasuryDeviationKr'), external)).toBeGreaterThan(0.9);
    // Paid or not, the external placements are the same: what moves is who bears them.
    const moved = at('own-only', 'providerDeviationKr').map((v, i) => v - at('activity', 'providerDeviationKr')[i]!);
    expect(correlation(moved, external)).toBeGreaterThan(0.9);
  });

  it("unpaidLines in a scenario file's activity spec is the code's option, figure for figure", () => {
    const spec = simulate({
      ...lejre2034(),
      paths: 40,
      strategies: [{ kind: 'activity', id: 'own-only', unpaidLines: ['external-place-days'] }],
    });
    const code = simulate(
      { ...lejre2034(), paths: 40 },
      { strategies: [activity({ id: 'own-only', unpaidLines: ['external-place-days'] })] },
    );
    for (const figure of ['providerDeviationKr', 'finalBudgetKr'] as const)
      expect(
        Array.from(figureValues(spec, { strategy: 'own-only', service: 'care-homes', year: 2034, figure })),
      ).toEqual(Array.from(figureValues(code, { strategy: 'own-only', service: 'care-homes', year: 2034, figure })));
    // And it is not the activity strategy that pays every line.
    const paid = simulate({ ...lejre2034(), paths: 40, strategies: [{ kind: 'activity', id: 'own-only' }] });
    expect(
      figureValues(spec, { strategy: 'own-only', service: 'care-homes', year: 2034, figure: 'finalBudgetKr' }),
    ).not.toEqual(
      figureValues(paid, { strategy: 'own-only', service: 'care-homes', year: 2034, figure: 'finalBudgetKr' }),
    );
  });

  it('activity lines of a service price on their own; an unknown unpaid line is ignored for that service', () => {
    const one = simulate(
      { ...lejreHomeCare(), paths: 50 },
      { strategies: [activity(), activity({ id: 'b', unpaidLines: ['external-place-days'] })] },
    );
    expect(
      Array.from(figureValues(one, { strategy: 'b', service: 'home-care', year: 2030, figure: 'finalBudgetKr' })),
    ).toEqual(
      Array.from(
        figureValues(one, { strategy: 'activity', service: 'home-care', year: 2030, figure: 'finalBudgetKr' }),
      ),
    );
    expect(() => activity({ pricePerUnitKr: { 'external-place-days': -1 } })).toThrow(
      /pricePerUnitKr\.external-place-days must be a finite number > 0; received -1/,
    );
  });
});

describe('baselines hold what the municipality can expect', () => {
  it("home care's baseline includes the expected waiting list's home care, computed once per run", () => {
    const s = parseScenario(lejre2034());
    const model = buildModel(s);
    const links = createLinks(64, s.horizonYears + 1);
    const setup = {
      timeline: model.timeline,
      seed: s.seed,
      baselineWorld: model.baselineWorld,
      links,
      interventions: s.interventions,
    };
    const homes = model.services.find((x) => x.id === 'care-homes')!.create(setup);
    const withWaiting = model.services.find((x) => x.id === 'home-care')!.create(setup).baseline;
    const alone = model.services
      .find((x) => x.id === 'home-care')!
      .create({ ...setup, links: createLinks(64, s.horizonYears + 1) }).baseline;
    const waitingDays = homes.baseline.neededUnits[11]! - homes.baseline.deliveredUnits[11]!;
    expect(waitingDays).toBeGreaterThan(365);
    // 15 visited hours a week per waiting citizen, delivered at 1 − the undelivered share's mean.
    const extra = (withWaiting.orderedUnits[11]! - alone.orderedUnits[11]!) / ((waitingDays / 7) * 15);
    expect(extra).toBeCloseTo(1, 6);
    // The base year starts with an empty list.
    expect(withWaiting.costKr[0]).toBe(alone.costKr[0]);
    // Once per run: created again for the same model (another chunk of paths), care homes reuse
    // it (each instance a copy of its own); another seed makes another.
    forgetCareHomeBaselines();
    const again = model.services
      .find((x) => x.id === 'care-homes')!
      .create({ ...setup, links: createLinks(64, s.horizonYears + 1) });
    const reused = model.services
      .find((x) => x.id === 'care-homes')!
      .create({ ...setup, links: createLinks(64, s.horizonYears + 1) });
    expect(forgetCareHomeBaselines()).toBe(1);
    expect(again.baseline).toEqual(homes.baseline);
    expect(reused.baseline).toEqual(homes.baseline);
    expect(reused.baseline).not.toBe(again.baseline);
    const reseeded = model.services
      .find((x) => x.id === 'care-homes')!
      .create({ ...setup, seed: 99, links: createLinks(64, s.horizonYears + 1) });
    expect(reseeded.baseline.costKr).not.toEqual(homes.baseline.costKr);
    expect(() => model.services.find((x) => x.id === 'care-homes')!.create({ ...setup, links: createLinks() })).toThrow(
      /links hold 0 years of baselines; the run needs 12/,
    );
  });

  it('under activity steering the treasury deviation of home care is centred on zero in 2034', () => {
    const r = simulate({ ...lejre2034(), paths: 1000 }, { strategies: [activity()] });
    expect(
      Math.abs(
        median(
          figureValues(r, { strategy: 'activity', service: 'home-care', year: 2034, figure: 'treasuryDeviationPct' }),
        ),
      ),
    ).toBeLessThan(0.02);
  });

  it('the own place-day is priced at the occupancy the baseline projects', () => {
    const s = parseScenario(lejre2034());
    const model = buildModel(s);
    const homes = model.services
      .find((x) => x.id === 'care-homes')!
      .create({
        timeline: model.timeline,
        seed: s.seed,
        baselineWorld: model.baselineWorld,
        links: createLinks(64, 12),
        interventions: [],
      }).baseline;
    const own = homes.lines![0]!;
    const external = homes.lines![1]!;
    for (let y = 1; y <= 11; y++) {
      // Prices × units give back the baseline cost, and the external day costs its price.
      expect(
        own.priceKrPerDeliveredUnit![y]! * own.deliveredUnits[y]! +
          external.priceKrPerDeliveredUnit![y]! * external.deliveredUnits[y]!,
      ).toBeCloseTo(homes.costKr[y]!, 0);
      expect(external.priceKrPerDeliveredUnit![y]).toBeCloseTo(1900 * model.baselineWorld.priceIndex[y]!, 6);
    }
    // Projected occupancy of the 225 places in 2034 is close to full, not the 97 % of the start.
    const occupancy2034 = own.deliveredUnits[11]! / (225 * 365);
    expect(occupancy2034).toBeGreaterThan(0.975);
    expect(occupancy2034).toBeLessThan(1);
  });
});

describe('care-home accounting does not depend on the step', () => {
  const run = (step: 'month' | 'quarter' | 'year') =>
    simulate(
      { ...lejre2034(), step, paths: 1000 },
      { strategies: [frame(), demographicFrame({ expost: 'next' }), activity(), hybrid()] },
    );
  const runs = { month: run('month'), quarter: run('quarter'), year: run('year') };
  /**
   * Every step sees the same events on the same days (common random numbers), so each path's
   * yearly figures agree between steps to rounding, which is far within Monte Carlo error.
   */
  const within = (a: Float64Array, b: Float64Array) => {
    let scale = 1;
    for (const v of a) scale = Math.max(scale, Math.abs(v));
    return a.every((v, i) => Math.abs(v - b[i]!) <= 1e-9 * scale);
  };

  it("lejre-2034's yearly figures under month, quarter and year steps agree path by path", () => {
    let compared = 0;
    for (const strategy of ['frame', 'demographic-frame', 'activity', 'hybrid']) {
      for (const service of ['care-homes', 'home-care']) {
        for (const year of [2024, 2027, 2030, 2034]) {
          for (const figure of [
            'actualCostKr',
            'deliveredUnits',
            'neededUnits',
            'finalBudgetKr',
            'adoptedBudgetKr',
          ] as const) {
            const m = figureValues(runs.month, { strategy, service, year, figure });
            for (const other of [runs.quarter, runs.year]) {
              expect(
                within(m, figureValues(other, { strategy, service, year, figure })),
                `${strategy} ${service} ${year} ${figure}`,
              ).toBe(true);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(4 * 2 * 4 * 5 * 2);
  });

  it('and so do the care homes’ metrics, stocks averaged over the days', () => {
    for (const metric of [
      'waiting',
      'guaranteeBreaches',
      'externalPlacements',
      'occupancy',
      'admissions',
      'exits',
      'waitDaysOfAdmitted',
    ]) {
      for (const year of [2024, 2029, 2034]) {
        const m = metricValues(runs.month, { strategy: 'frame', year, metric: `care-homes.${metric}` });
        for (const other of [runs.quarter, runs.year])
          expect(
            within(m, metricValues(other, { strategy: 'frame', year, metric: `care-homes.${metric}` })),
            `${metric} ${year}`,
          ).toBe(true);
      }
    }
  });

  it('a breach happens on the day the guarantee expires: with a guarantee shorter than a year, yearly steps still place citizens externally', () => {
    const s: ScenarioInput = {
      ...lejre2034(),
      step: 'year',
      paths: 200,
      careHomes: { ...lejre2034().careHomes!, guaranteeDays: 30 },
    };
    const yearly = simulate(s, { strategies: [frame()] });
    const monthly = simulate({ ...s, step: 'month' }, { strategies: [frame()] });
    const breaches = (r: typeof yearly) =>
      meanSd(metricValues(r, { strategy: 'frame', year: 2030, metric: 'care-homes.guaranteeBreaches' })).mean;
    expect(breaches(yearly)).toBeGreaterThan(10);
    expect(breaches(yearly)).toBe(breaches(monthly));
  });
});

describe('a service of your own declares activity lines the same way', () => {
  /** Day and night hours of a night-watch service: night hours cost 1.5 times as much; demand is 10 % above the baseline. */
  const watch = (baselineNight: number): ServiceDefinition => ({
    id: 'watch',
    label: 'Night watch',
    activityUnit: 'hours',
    activityLines: [
      { id: 'day', label: 'Day hours' },
      { id: 'night', label: 'Night hours' },
    ],
    create(setup) {
      const H = setup.timeline.horizonYears;
      const baseline = createHistory(H + 1, 0, 2);
      const dayPrice = new Float64Array(H + 1);
      const nightPrice = new Float64Array(H + 1);
      for (let y = 0; y <= H; y++) {
        const index = setup.baselineWorld.priceIndex[y]!;
        const [day, night] = [1000, baselineNight];
        baseline.lines[0]!.orderedUnits[y] = baseline.lines[0]!.deliveredUnits[y] = day;
        baseline.lines[1]!.orderedUnits[y] = baseline.lines[1]!.deliveredUnits[y] = night;
        baseline.orderedUnits[y] = baseline.deliveredUnits[y] = baseline.neededUnits[y] = day + night;
        dayPrice[y] = 300 * index;
        nightPrice[y] = 450 * index;
        baseline.costKr[y] = day * dayPrice[y]! + night * nightPrice[y]!;
      }
      return {
        baseline: {
          ...baseline,
          lines: [
            { ...baseline.lines[0]!, priceKrPerDeliveredUnit: dayPrice },
            { ...baseline.lines[1]!, priceKrPerDeliveredUnit: nightPrice },
          ],
        },
        reset() {},
        step(p, world, out) {
          const y = setup.timeline.periodYearIndex[p]!;
          const share = setup.timeline.periodDays[p]! / setup.timeline.yearDays[y]!;
          const day = 1000 * share;
          const night = 1.1 * 400 * share;
          out.lines[0]!.orderedUnits[p] = out.lines[0]!.deliveredUnits[p] = day;
          out.lines[1]!.orderedUnits[p] = out.lines[1]!.deliveredUnits[p] = night;
          out.orderedUnits[p] = out.deliveredUnits[p] = out.neededUnits[p] = day + night;
          out.costKr[p] = (day * 300 + night * 450) * world.priceIndex[y]!;
        },
      };
    },
  });
  const nightWatch = watch(400);

  it('each line is paid at its own ex-ante price; an unpaid line stays with the provider', () => {
    const s = parseScenario(certainScenario());
    const r = runModel(buildModel(s, { services: [nightWatch], replaceServices: true }), [
      activity(),
      activity({ id: 'day-only', unpaidLines: ['night'] }),
      activity({ id: 'flat', pricePerUnitKr: 300 }),
    ]);
    const at = (strategy: string, figure: 'finalBudgetKr' | 'adoptedBudgetKr' | 'providerDeviationKr') =>
      figureValues(r, { strategy, service: 'watch', year: 2030, figure })[0]!;
    const index = buildModel(s).baselineWorld.priceIndex[7]!;
    expect(at('activity', 'adoptedBudgetKr')).toBeCloseTo((1000 * 300 + 400 * 450) * index, 4);
    expect(at('activity', 'finalBudgetKr')).toBeCloseTo((1000 * 300 + 440 * 450) * index, 4);
    expect(Math.abs(at('activity', 'providerDeviationKr'))).toBeLessThan(1e-6);
    // Unpaid night hours: the budget follows the day hours; the night hours stay at their baseline value.
    expect(at('day-only', 'finalBudgetKr')).toBeCloseTo((1000 * 300 + 400 * 450) * index, 4);
    expect(at('day-only', 'providerDeviationKr')).toBeCloseTo(40 * 450 * index, 4);
    // One flat price for every line undervalues the night hours.
    expect(at('flat', 'providerDeviationKr')).toBeCloseTo(440 * 150 * index, 4);
  });

  it('a line is paid at its price even in a year whose baseline expects none of it', () => {
    const s = parseScenario(certainScenario());
    const r = runModel(buildModel(s, { services: [watch(0)], replaceServices: true }), [activity()]);
    const index = buildModel(s).baselineWorld.priceIndex[7]!;
    const at = (figure: 'finalBudgetKr' | 'adoptedBudgetKr') =>
      figureValues(r, { strategy: 'activity', service: 'watch', year: 2030, figure })[0]!;
    expect(at('adoptedBudgetKr')).toBeCloseTo(1000 * 300 * index, 4);
    expect(at('finalBudgetKr')).toBeCloseTo((1000 * 300 + 440 * 450) * index, 4);
  });
});

describe('activity lines in another unit than the service’s', () => {
  /** Hours (the service's unit) and citizen-days of two levels beside them; level 2 has 20 % more citizens than the baseline. */
  const levels: ServiceDefinition = {
    id: 'levels',
    label: 'Care in levels',
    activityUnit: 'hours',
    activityLines: [
      { id: 'hours', label: 'Hours' },
      { id: 'days:1', label: 'Level 1', unit: 'citizen-days' },
      { id: 'days:2', label: 'Level 2', unit: 'citizen-days' },
    ],
    create(setup) {
      const H = setup.timeline.horizonYears;
      const baseline = createHistory(H + 1, 0, 3);
      const hourPrice = new Float64Array(H + 1);
      for (let y = 0; y <= H; y++) {
        const index = setup.baselineWorld.priceIndex[y]!;
        const hours = 100 * 365 * 0.5 + 50 * 365 * 2;
        baseline.lines[0]!.orderedUnits[y] = baseline.lines[0]!.deliveredUnits[y] = hours;
        baseline.lines[1]!.orderedUnits[y] = baseline.lines[1]!.deliveredUnits[y] = 100 * 365;
        baseline.lines[2]!.orderedUnits[y] = baseline.lines[2]!.deliveredUnits[y] = 50 * 365;
        baseline.orderedUnits[y] = baseline.deliveredUnits[y] = baseline.neededUnits[y] = hours;
        hourPrice[y] = 400 * index;
        baseline.costKr[y] = hours * hourPrice[y]!;
      }
      const price = (perDayHours: number) => hourPrice.map((p) => p * perDayHours);
      return {
        baseline: {
          ...baseline,
          lines: [
            { ...baseline.lines[0]!, priceKrPerDeliveredUnit: hourPrice },
            { ...baseline.lines[1]!, priceKrPerDeliveredUnit: price(0.5) },
            { ...baseline.lines[2]!, priceKrPerDeliveredUnit: price(2) },
          ],
        },
        reset() {},
        step(p, world, out) {
          const y = setup.timeline.periodYearIndex[p]!;
          const days = setup.timeline.periodDays[p]!;
          // Level 2 has 60 citizens, and each takes 1.8 hours a day instead of 2.
          const hours = (100 * 0.5 + 60 * 1.8) * days;
          out.lines[0]!.orderedUnits[p] = out.lines[0]!.deliveredUnits[p] = hours;
          out.lines[1]!.orderedUnits[p] = out.lines[1]!.deliveredUnits[p] = 100 * days;
          out.lines[2]!.orderedUnits[p] = out.lines[2]!.deliveredUnits[p] = 60 * days;
          out.orderedUnits[p] = out.deliveredUnits[p] = out.neededUnits[p] = hours;
          out.costKr[p] = hours * 400 * world.priceIndex[y]!;
        },
      };
    },
  };

  it('pay the lines in the unit asked for; by default the lines in the service’s own unit; a unit the service lacks falls back to them', () => {
    const s = parseScenario(certainScenario());
    const r = runModel(buildModel(s, { services: [levels], replaceServices: true }), [
      activity(),
      activity({ id: 'per-citizen', unit: 'citizen-days' }),
      activity({ id: 'visits', unit: 'visits' }),
      hybrid({ corridor: 0, marginalRate: 1 }),
    ]);
    const at = (strategy: string, figure: 'finalBudgetKr' | 'adoptedBudgetKr') =>
      figureValues(r, { strategy, service: 'levels', year: 2030, figure })[0]!;
    const index = buildModel(s).baselineWorld.priceIndex[7]!;
    const days = 365;
    // By the hour: the hours line only (the citizen-days are not counted twice).
    expect(at('activity', 'finalBudgetKr')).toBeCloseTo((100 * 0.5 + 60 * 1.8) * days * 400 * index, 4);
    // Per citizen and level: the citizens at the level's baseline hours; the provider keeps the 0.2 hours a day it saves.
    expect(at('per-citizen', 'finalBudgetKr')).toBeCloseTo((100 * 0.5 + 60 * 2) * days * 400 * index, 4);
    expect(at('per-citizen', 'adoptedBudgetKr')).toBeCloseTo(at('activity', 'adoptedBudgetKr'), 4);
    expect(at('visits', 'finalBudgetKr')).toBe(at('activity', 'finalBudgetKr'));
    // Hybrid regulates on the value of the default lines only.
    expect(at('hybrid', 'finalBudgetKr')).toBeCloseTo(at('activity', 'finalBudgetKr'), 4);
  });

  it('linesInUnit chooses the lines', () => {
    const lines = activityLinesOf(levels);
    expect(linesInUnit(lines, 'hours')).toEqual([0]);
    expect(linesInUnit(lines, 'hours', 'citizen-days')).toEqual([1, 2]);
    expect(linesInUnit(lines, 'hours', 'visits')).toEqual([0]);
    expect(linesInUnit(lines, undefined, 'citizen-days')).toEqual([1, 2]);
    expect(() => activity({ unit: '' })).toThrow(/unit must be a non-empty string; received /);
  });
});
