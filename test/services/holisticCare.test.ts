import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activity,
  buildModel,
  strategiesFromSpecs,
  createHistory,
  createLinks,
  describe as stats,
  figureValues,
  frame,
  meanSd,
  metricValues,
  parseScenario,
  runModel,
  simulate,
  slagelseHomeCare,
  type ScenarioInput,
} from '../../src/index';
import { hedenstedPackages, holisticStrategies } from '../../examples/holistic-care';
import { drawTransitions } from '../../src/services/homeCare';
import { certainScenario, fourCareLevels } from '../fixtures';

/** Four levels whose monthly moves keep a mix near the base shares on average. */
const levels = fourCareLevels();

const withLevels = (
  homeCare: Partial<NonNullable<ScenarioInput['homeCare']>> = {},
  overrides: Partial<ScenarioInput> = {},
): ScenarioInput => {
  const base = certainScenario(overrides);
  return { ...base, homeCare: { ...base.homeCare!, careLevels: levels, ...homeCare } };
};

describe('care levels', () => {
  it('a drawn transition matrix has rows that sum to 1 and keeps zero moves at zero', () => {
    const mean = Float64Array.from(levels.transitions.flat());
    const out = new Float64Array(16);
    let state = 1;
    const rng = () => (state = (state * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 50; k++) {
      drawTransitions(mean, 4, 300, rng, out);
      for (let i = 0; i < 4; i++) expect(out.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(out[3]).toBe(0);
      expect(out[12]).toBe(0);
    }
    // The draw is uncertain: a row differs from its mean.
    expect(Math.abs(out[1]! - 0.03)).toBeGreaterThan(0);
  });

  it('transitions keep the number of recipients: citizen-days over the levels equal recipients × days in every month, while the mix moves', () => {
    const s = parseScenario(
      withLevels(
        {},
        {
          population: {
            groups: [{ id: '80+', start: 2000, growthPerYear: 0, errorGrowthSdPerYear: 0, errorNoiseSdPerYear: 0 }],
          },
        },
      ),
    );
    const model = buildModel(s);
    const { timeline, baselineWorld } = model;
    const service = model.services[0]!;
    const inst = service.create({
      timeline,
      seed: s.seed,
      baselineWorld,
      links: createLinks(64, timeline.horizonYears + 1),
      interventions: [],
    });
    inst.reset(3);
    const out = createHistory(timeline.periodCount, 0, 5);
    for (let p = 0; p < timeline.periodCount; p++) inst.step(p, baselineWorld, out);
    const recipients = 2000 * 0.28;
    const first = out.lines[4]!.deliveredUnits[0]! / timeline.periodDays[0]!;
    let moved = 0;
    for (let p = 0; p < timeline.periodCount; p++) {
      let days = 0;
      for (let l = 1; l <= 4; l++) days += out.lines[l]!.deliveredUnits[p]!;
      expect(days / timeline.periodDays[p]!).toBeCloseTo(recipients, 9);
      moved = Math.max(moved, Math.abs(out.lines[4]!.deliveredUnits[p]! / timeline.periodDays[p]! - first));
    }
    expect(moved).toBeGreaterThan(1);
    // The hours line is the totals.
    expect(Array.from(out.lines[0]!.deliveredUnits)).toEqual(Array.from(out.deliveredUnits));
  });

  it('one level and one provider: payment per citizen-day equals hourly activity steering times the level’s hours', () => {
    const one = { levels: [{ id: 'all', hoursPerWeek: 3.2 }], shares: { '80+': [1] }, transitions: [[1]] };
    const input = withLevels({ careLevels: one }, { paths: 3 });
    const r = simulate(input, { strategies: [activity(), activity({ id: 'per-citizen', unit: 'citizen-days' })] });
    const model = buildModel(parseScenario(input));
    const svc = model.services[0]!;
    const inst = svc.create({
      timeline: model.timeline,
      seed: 7,
      baselineWorld: model.baselineWorld,
      links: createLinks(64, 12),
      interventions: [],
    });
    const line = inst.baseline.lines![1]!;
    for (const year of r.years) {
      const y = year - r.scenario.baseYear;
      const hourly = figureValues(r, { strategy: 'activity', service: 'home-care', year, figure: 'finalBudgetKr' });
      const perCitizen = figureValues(r, {
        strategy: 'per-citizen',
        service: 'home-care',
        year,
        figure: 'finalBudgetKr',
      });
      // The price per citizen-day is the hourly price times the level's delivered hours a day.
      const hoursPerDay = inst.baseline.deliveredUnits[y]! / line.deliveredUnits[y]!;
      expect(hoursPerDay).toBeCloseTo((3.2 / 7) * 0.95, 12);
      expect(line.priceKrPerDeliveredUnit![y]!).toBeCloseTo(
        inst.baseline.priceKrPerDeliveredUnit![y]! * hoursPerDay,
        9,
      );
      for (let i = 0; i < r.pathCount; i++) expect(perCitizen[i]! / hourly[i]!).toBeCloseTo(1, 12);
    }
    // With uncertain hours inside the level the provider bears them: the payments part.
    const risky = simulate(
      withLevels(
        { careLevels: { ...one, levels: [{ id: 'all', hoursPerWeek: { dist: 'uniform', min: 2.8, max: 3.6 } }] } },
        { paths: 5 },
      ),
      {
        strategies: [activity(), activity({ id: 'per-citizen', unit: 'citizen-days' })],
      },
    );
    const a = figureValues(risky, { strategy: 'activity', service: 'home-care', year: 2030, figure: 'finalBudgetKr' });
    const b = figureValues(risky, {
      strategy: 'per-citizen',
      service: 'home-care',
      year: 2030,
      figure: 'finalBudgetKr',
    });
    expect(Math.abs(a[0]! / b[0]! - 1)).toBeGreaterThan(1e-3);
  });

  it('the package model saves cold hours: cost falls by the saved share of paid hours not with the citizen', () => {
    const plain = simulate(withLevels(), { strategies: [frame()] });
    const saving = simulate(withLevels({ careLevels: { ...levels, coldHoursSavedShare: 0.25 } }), {
      strategies: [frame()],
    });
    const cost = (r: typeof plain) =>
      figureValues(r, { strategy: 'frame', service: 'home-care', year: 2030, figure: 'actualCostKr' })[0]!;
    // Paid hours = delivered / 0.6; the cold 40 % of them fall by a quarter: 10 % of paid hours.
    expect(cost(saving) / cost(plain)).toBeCloseTo(0.9, 12);
  });

  it('a scenario file names payment per citizen and level as an activity strategy with a unit', () => {
    const s = parseScenario(
      withLevels(
        {},
        { strategies: [{ kind: 'activity', id: 'per-citizen', unit: 'citizen-days' }, { kind: 'activity' }] },
      ),
    );
    const r = runModel(buildModel(s), strategiesFromSpecs(s.strategies));
    const perCitizen = figureValues(r, {
      strategy: 'per-citizen',
      service: 'home-care',
      year: 2030,
      figure: 'finalBudgetKr',
    })[0]!;
    const hourly = figureValues(r, {
      strategy: 'activity',
      service: 'home-care',
      year: 2030,
      figure: 'finalBudgetKr',
    })[0]!;
    // Certain hours per level: the two agree; the per-citizen budget is the citizen-days' value, not the hours'.
    expect(perCitizen / hourly).toBeCloseTo(1, 9);
    expect(() => parseScenario(withLevels({}, { strategies: [{ kind: 'activity', unit: '' }] }))).toThrow(
      /strategies\[0\]\.unit/,
    );
  });

  it('bad levels are named', () => {
    expect(() =>
      parseScenario(
        withLevels({
          careLevels: {
            ...levels,
            transitions: [[0.9, 0.1, 0, 0], ...levels.transitions.slice(1, 3), [0, 0, 0.5, 0.4]],
          },
        }),
      ),
    ).toThrow(/careLevels\.transitions\[3\]: expected 4 probabilities that sum to 1/);
    expect(() => parseScenario(withLevels({ careLevels: { ...levels, shares: { '80+': [0.5, 0.5] } } }))).toThrow(
      /careLevels\.shares.*expected 4 shares that sum to 1/s,
    );
  });
});

describe('several providers', () => {
  const providers = (model: 'approval' | 'tender', backPayment: 'same-year' | 'next-year' = 'same-year') => ({
    model,
    backPayment,
    private: [
      { id: 'private', marketShare: 0.25, bidPriceKrPerHour: 430 },
      { id: 'antvorskov', marketShare: 0.1, bidPriceKrPerHour: 450 },
    ],
  });

  it('back-payment is zero when the own provider’s cost per hour equals the computed price', () => {
    const r = simulate(
      certainScenario({ homeCare: { ...certainScenario().homeCare!, providers: providers('approval') } }),
      { strategies: [activity()] },
    );
    expect(r.services.map((x) => x.id)).toEqual(['home-care:own', 'home-care:private', 'home-care:antvorskov']);
    for (const year of r.years)
      expect(
        metricValues(r, { strategy: 'activity', year, metric: 'home-care:private.backPaymentKr' })[0],
      ).toBeLessThan(1e-6);
    // The private provider is paid the price for its hours, no more: its deviation under activity steering is nil.
    expect(
      Math.abs(
        figureValues(r, {
          strategy: 'activity',
          service: 'home-care:private',
          year: 2030,
          figure: 'providerDeviationKr',
        })[0]!,
      ),
    ).toBeLessThan(1e-4);
  });

  it.each(['same-year', 'next-year'] as const)('back-payment equals the gap times the private hours (%s)', (timing) => {
    // The price model assumes 65 % of paid hours with the citizen; the own provider reaches 60 %.
    const input = certainScenario({
      homeCare: {
        ...certainScenario().homeCare!,
        assumedUserTimeShare: 0.65,
        providers: providers('approval', timing),
      },
    });
    const r = simulate(input, { strategies: [activity()] });
    const index = buildModel(parseScenario(input)).baselineWorld.priceIndex;
    const gapPerHour = (y: number) => 282 * index[y]! * (1 / 0.6 - 1 / 0.65);
    for (const year of r.years) {
      const y = year - r.scenario.baseYear;
      const paid = metricValues(r, { strategy: 'activity', year, metric: 'home-care:private.backPaymentKr' })[0]!;
      const due =
        timing === 'same-year'
          ? gapPerHour(y) *
            figureValues(r, { strategy: 'activity', service: 'home-care:private', year, figure: 'deliveredUnits' })[0]!
          : y === 1
            ? 0
            : gapPerHour(y - 1) *
              figureValues(r, {
                strategy: 'activity',
                service: 'home-care:private',
                year: year - 1,
                figure: 'deliveredUnits',
              })[0]!;
      expect(paid).toBeCloseTo(due, 4);
      if (y > 1) expect(paid).toBeGreaterThan(100_000);
    }
    // The treasury pays it: under activity steering it is the private unit's whole deviation; the own provider's deficit is its own.
    const privateGap = figureValues(r, {
      strategy: 'activity',
      service: 'home-care:private',
      year: 2030,
      figure: 'providerDeviationKr',
    })[0]!;
    expect(privateGap).toBeCloseTo(
      metricValues(r, { strategy: 'activity', year: 2030, metric: 'home-care:private.backPaymentKr' })[0]!,
      3,
    );
  });

  it('a private provider whose own cost per hour is given shows its margin: what it is paid, back-payment included, minus its cost', () => {
    const base = certainScenario().homeCare!;
    const input = certainScenario({
      homeCare: {
        ...base,
        assumedUserTimeShare: 0.65,
        providers: {
          backPayment: 'same-year',
          private: [
            { id: 'p', marketShare: 0.3, costKrPerHour: 420 },
            { id: 'q', marketShare: 0.1 },
          ],
        },
      },
    });
    const r = simulate(input, { strategies: [activity()] });
    const index = buildModel(parseScenario(input)).baselineWorld.priceIndex[7]!;
    const sel = { strategy: 'activity', service: 'home-care:p', year: 2030 } as const;
    const paid = figureValues(r, { ...sel, figure: 'actualCostKr' })[0]!;
    const hours = figureValues(r, { ...sel, figure: 'deliveredUnits' })[0]!;
    const margin = metricValues(r, { strategy: 'activity', year: 2030, metric: 'home-care:p.marginKr' })[0]!;
    expect(margin).toBeCloseTo(paid - hours * 420 * index, 3);
    expect(margin).toBeGreaterThan(0);
    // The back-payment is part of what it is paid.
    expect(paid).toBeGreaterThan(hours * (282 / 0.65) * index);
    // A provider without a cost of its own records no margin.
    expect(Object.keys(r.metrics)).toEqual([
      'home-care:own.backPaymentKr',
      'home-care:p.backPaymentKr',
      'home-care:p.marginKr',
      'home-care:q.backPaymentKr',
    ]);
  });

  it('under the tender model private providers are paid their bid, with no back-payment', () => {
    const input = certainScenario({
      homeCare: { ...certainScenario().homeCare!, assumedUserTimeShare: 0.65, providers: providers('tender') },
    });
    const r = simulate(input, { strategies: [activity()] });
    const index = buildModel(parseScenario(input)).baselineWorld.priceIndex[7]!;
    const hours = figureValues(r, {
      strategy: 'activity',
      service: 'home-care:antvorskov',
      year: 2030,
      figure: 'deliveredUnits',
    })[0]!;
    expect(
      figureValues(r, {
        strategy: 'activity',
        service: 'home-care:antvorskov',
        year: 2030,
        figure: 'actualCostKr',
      })[0]!,
    ).toBeCloseTo(450 * index * hours, 4);
    expect(metricValues(r, { strategy: 'activity', year: 2030, metric: 'home-care:antvorskov.backPaymentKr' })[0]).toBe(
      0,
    );
  });

  it('market shares split the recipients; by year they change when the scenario says', () => {
    const input = certainScenario({
      homeCare: {
        ...certainScenario().homeCare!,
        providers: { private: [{ id: 'p', marketShare: { '2024': 0.2, '2030': 0.4 } }] },
      },
    });
    const r = runModel(buildModel(parseScenario(input)), [frame()]);
    const share = (year: number) => {
      const own = figureValues(r, { strategy: 'frame', service: 'home-care:own', year, figure: 'neededUnits' })[0]!;
      const p = figureValues(r, { strategy: 'frame', service: 'home-care:p', year, figure: 'neededUnits' })[0]!;
      return p / (own + p);
    };
    expect(share(2025)).toBeCloseTo(0.2, 12);
    expect(share(2031)).toBeCloseTo(0.4, 12);
    expect(() =>
      parseScenario(
        certainScenario({
          homeCare: {
            ...certainScenario().homeCare!,
            providers: {
              private: [
                { id: 'p', marketShare: 0.7 },
                { id: 'q', marketShare: 0.4 },
              ],
            },
          },
        }),
      ),
    ).toThrow(/providers\.private.*sum to less than 1/s);
    expect(() =>
      parseScenario(
        certainScenario({
          homeCare: {
            ...certainScenario().homeCare!,
            providers: { model: 'tender', private: [{ id: 'p', marketShare: 0.3 }] },
          },
        }),
      ),
    ).toThrow(/bidPriceKrPerHour.*bid price/s);
    expect(() =>
      parseScenario(
        certainScenario({
          homeCare: {
            ...certainScenario().homeCare!,
            units: [{ id: 'a', populationShare: 1 }],
            providers: { private: [{ id: 'p', marketShare: 0.2 }] },
          },
        }),
      ),
    ).toThrow(/either units or providers, not both/);
    // Distributions whose least draws fit but whose means do not are refused when the model is built.
    const wide = { dist: 'uniform' as const, min: 0.3, max: 0.7 };
    expect(() =>
      simulate(
        certainScenario({
          homeCare: {
            ...certainScenario().homeCare!,
            providers: {
              private: [
                { id: 'p', marketShare: wide },
                { id: 'q', marketShare: wide },
              ],
            },
          },
        }),
      ),
    ).toThrow(/mean market shares of the private providers must sum to less than 1; they sum to 1/);
  });
});

describe('no look-ahead with care levels and providers', () => {
  it('payment per citizen and level decides nothing on a future it cannot know', () => {
    const input = withLevels(
      {
        recipientNoise: true,
        individualHoursCv: 1.2,
        careLevels: {
          ...levels,
          levels: levels.levels.map((l) => ({
            ...l,
            hoursPerWeek: { dist: 'uniform' as const, min: l.hoursPerWeek * 0.8, max: l.hoursPerWeek * 1.2 },
          })),
        },
        providers: { private: [{ id: 'p', marketShare: { dist: 'uniform', min: 0.1, max: 0.3 } }] },
      },
      { paths: 20, prices: { indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0.01 } },
    );
    const s = parseScenario(input);
    const strategies = [activity({ id: 'per-citizen', unit: 'citizen-days' }), activity(), frame()];
    const clean = runModel(buildModel(s), strategies);
    const from = 5;
    const drivers = buildModel(s).drivers.map((d) => ({
      id: d.id,
      draw(path: number, world: Parameters<typeof d.draw>[1]) {
        d.draw(path, world);
        for (let y = from; y < world.priceIndex.length; y++) {
          world.priceIndex[y] = world.priceIndex[y]! * 1.5;
          world.population[y] = world.population[y]! * 2;
        }
      },
    }));
    const dirty = runModel(buildModel(s, { drivers }), strategies);
    for (const service of clean.services.map((x) => x.id)) {
      for (const year of clean.years) {
        const y = year - s.baseYear;
        const sel = { strategy: 'per-citizen', service, year };
        if (y <= from)
          expect(Array.from(figureValues(dirty, { ...sel, figure: 'adoptedBudgetKr' }))).toEqual(
            Array.from(figureValues(clean, { ...sel, figure: 'adoptedBudgetKr' })),
          );
        if (y < from)
          expect(Array.from(figureValues(dirty, { ...sel, figure: 'finalBudgetKr' }))).toEqual(
            Array.from(figureValues(clean, { ...sel, figure: 'finalBudgetKr' })),
          );
      }
    }
    expect(
      figureValues(dirty, {
        strategy: 'per-citizen',
        service: 'home-care:own',
        year: 2032,
        figure: 'finalBudgetKr',
      })[0],
    ).not.toBe(
      figureValues(clean, {
        strategy: 'per-citizen',
        service: 'home-care:own',
        year: 2032,
        figure: 'finalBudgetKr',
      })[0],
    );
  });
});

/** The figures docs/holistic-care.md quotes are the ones the example's and the preset's runs give. */
describe('the reading in docs/holistic-care.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'holistic-care.md'), 'utf8').replace(/\s+/g, ' ');
  const quoted = (text: string) => expect(doc, `the page quotes "${text}"`).toContain(text);
  const pct = (x: number, digits = 1) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(digits)} %`;

  it('the Hedensted-like packages under three ways of paying', () => {
    const r = simulate(hedenstedPackages(), { strategies: holisticStrategies() });
    const q = (strategy: string) =>
      stats(figureValues(r, { strategy, service: 'home-care', year: 2027, figure: 'providerDeviationPct' }), {
        percentiles: [5, 50, 95],
      });
    const moved = (strategy: string) => {
      const f = figureValues(r, { strategy, service: 'home-care', year: 2027, figure: 'finalBudgetKr' });
      const a = figureValues(r, { strategy, service: 'home-care', year: 2027, figure: 'adoptedBudgetKr' });
      return stats(
        f.map((x, i) => x / a[i]! - 1),
        { percentiles: [5, 95] },
      );
    };
    const hourly = q('hourly');
    quoted(`the provider's deviation stays within ${pct(hourly.percentiles[5]!)} to ${pct(hourly.percentiles[95]!)}`);
    quoted(
      `the final budget lies between ${pct(moved('hourly').percentiles[5]!, 0)} and ${pct(moved('hourly').percentiles[95]!, 0)} of the adopted`,
    );
    const perCitizen = q('per-citizen');
    quoted(
      `the provider's deviation widens to ${pct(perCitizen.percentiles[5]!)} to ${pct(perCitizen.percentiles[95]!)}`,
    );
    quoted(
      `The final budget moves between ${pct(moved('per-citizen').percentiles[5]!, 0)} and ${pct(moved('per-citizen').percentiles[95]!, 0)} of the adopted`,
    );
    quoted(
      `(${pct(moved('per-citizen').percentiles[5]!, 0)} to ${pct(moved('per-citizen').percentiles[95]!, 0)} against ${pct(moved('hourly').percentiles[5]!, 0)} to ${pct(moved('hourly').percentiles[95]!, 0)})`,
    );
    const fr = q('frame');
    quoted(
      `a median of ${pct(fr.percentiles[50]!)} in 2027 (${pct(fr.percentiles[5]!)} to ${pct(fr.percentiles[95]!)})`,
    );
    // The reading's claim: the provider bears more per citizen and package than by the hour.
    expect(perCitizen.sd).toBeGreaterThan(1.5 * hourly.sd);
  });

  it("Slagelse's approval model", () => {
    const r = simulate(slagelseHomeCare());
    const backPayment = (year: number) => {
      const a = metricValues(r, { strategy: 'activity', year, metric: 'home-care:private.backPaymentKr' });
      const b = metricValues(r, { strategy: 'activity', year, metric: 'home-care:antvorskov.backPaymentKr' });
      return a.map((x, i) => x + b[i]!);
    };
    const own = stats(
      figureValues(r, { strategy: 'activity', service: 'home-care:own', year: 2028, figure: 'providerDeviationPct' }),
      { percentiles: [5, 95] },
    );
    quoted(
      `the municipal provider's deviation in 2028 lies within ${pct(own.percentiles[5]!)} to ${pct(own.percentiles[95]!)}`,
    );
    const bp = backPayment(2028);
    quoted(`(${((100 * bp.filter((x) => x > 0).length) / bp.length).toFixed(0)} %)`);
    quoted(
      `a back-payment for 2027 in January 2028: on average ${(meanSd(bp).mean / 1e6).toFixed(2)} m kr (P95 ${(stats(bp, { percentiles: [95] }).percentiles[95]! / 1e6).toFixed(2)} m kr)`,
    );
    expect(Math.max(...backPayment(2023))).toBe(0);
  });
});
