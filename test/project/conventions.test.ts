/**
 * The conventions written in docs/guide.md ("Conventions") and docs/holistic-care.md, each checked
 * against the library: small certain or seeded scenarios, the documented value computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activity,
  buildModel,
  createHistory,
  createLinks,
  figureValues,
  metricValues,
  parseScenario,
  replayPath,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { StaySampler } from '../../src/services/careHomes';
import { certainScenario } from '../fixtures';

const docs = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8').replace(/\s+/g, ' ');
const guide = docs('guide.md');
const holistic = docs('holistic-care.md');
/** The convention as written, words separated by single spaces. */
const written = (doc: string, text: string) => expect(doc.includes(text), `the docs say "${text}"`).toBe(true);

/** Four levels and a certain monthly transition matrix (no concentration: the same matrix on every path). */
const levels = {
  levels: [
    { id: '1', hoursPerWeek: 1 },
    { id: '2', hoursPerWeek: 3 },
    { id: '3', hoursPerWeek: 7 },
    { id: '4', hoursPerWeek: 15 },
  ],
  shares: { '80+': [0.4, 0.3, 0.2, 0.1] },
  transitions: [
    [0.9, 0.1, 0, 0],
    [0.02, 0.9, 0.08, 0],
    [0, 0.03, 0.9, 0.07],
    [0, 0, 0.05, 0.95],
  ],
};
const L = levels.levels.length;
const hoursOf = levels.levels.map((l) => l.hoursPerWeek);

/** The certain 80+ scenario with care levels, constant population, and home-care overrides. */
const withLevels = (homeCare: Record<string, unknown> = {}, overrides: Partial<ScenarioInput> = {}): ScenarioInput => {
  const base = certainScenario({
    horizonYears: 3,
    population: {
      groups: [{ id: '80+', start: 2000, growthPerYear: 0, errorGrowthSdPerYear: 0, errorNoiseSdPerYear: 0 }],
    },
    ...overrides,
  });
  return { ...base, homeCare: { ...base.homeCare!, careLevels: levels, ...homeCare } };
};

/** Steps home care's first service on the baseline world for one path: its period-by-period history and instance. */
function stepHomeCare(input: ScenarioInput, path = 0) {
  const s = parseScenario(input);
  const model = buildModel(s);
  const { timeline, baselineWorld } = model;
  const inst = model.services[0]!.create({
    timeline,
    seed: s.seed,
    baselineWorld,
    links: createLinks(64, timeline.horizonYears + 1),
    interventions: [],
  });
  inst.reset(path);
  const out = createHistory(timeline.periodCount, 0, L + 1);
  for (let p = 0; p < timeline.periodCount; p++) inst.step(p, baselineWorld, out);
  return { out, inst, timeline };
}

/** The base shares times Tᵐ, computed plainly: the mix of month m (0 = January of the first simulated year). */
function mixOfMonth(m: number): number[] {
  let mix = [...levels.shares['80+']];
  for (let k = 0; k < m; k++) mix = mix.map((_, j) => mix.reduce((a, x, i) => a + x * levels.transitions[i]![j]!, 0));
  return mix;
}

describe('care homes: days and the start', () => {
  it('stays convert years to days with 365.25', () => {
    written(guide, 'Stays and applicant rates convert years to days with 365.25');
    const constant = new StaySampler({ kind: 'constant', exitPerYear: 0.69 });
    expect(constant.meanDays).toBe(365.25 / 0.69);
    const mixture = new StaySampler({ kind: 'mixture', shortShare: 0.25, shortMeanYears: 0.4, longMeanYears: 3.7 });
    expect(mixture.shortMean).toBe(0.4 * 365.25);
    expect(mixture.longMean).toBe(3.7 * 365.25);
    expect(mixture.meanDays).toBeCloseTo((0.25 * 0.4 + 0.75 * 3.7) * 365.25, 9);
  });

  it('applicants a citizen a year arrive at that rate ÷ 365.25 a day', () => {
    // No places free (every place taken, nobody leaves within the horizon): every applicant waits,
    // so the citizens waiting on 31 December are all the applicants of the year, externally placed ones included.
    const input: ScenarioInput = {
      ...certainScenario({ horizonYears: 1, paths: 400 }),
      careHomes: {
        homes: [{ id: 'a', places: 10, occupiedAtStart: 1 }],
        stay: { kind: 'constant', exitPerYear: 0.01 },
        applicantsPerCitizenPerYear: 0.05,
        guaranteeDays: 3650,
        baselinePaths: 1,
      },
    };
    const r = simulate(input, { strategies: [activity()] });
    // Admissions: places of those who left (rare); the waiting list's daily average over the year.
    const waiting = metricValues(r, { strategy: 'activity', year: 2024, metric: 'care-homes.waiting' });
    const admitted = metricValues(r, { strategy: 'activity', year: 2024, metric: 'care-homes.admissions' });
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
    // A Poisson process of λ = rate × the group ÷ 365.25 a day from day 0, all waiting: the daily
    // average is λ × 366 / 2 (2024 has 366 days).
    const group = buildModel(parseScenario(input)).baselineWorld.population[1]!;
    const expected = (((0.05 * group) / 365.25) * 366) / 2;
    expect(mean(admitted)).toBeLessThan(1);
    // 400 paths: the mean's standard error is about 1.2 % of it.
    expect(mean(waiting) / expected).toBeGreaterThan(0.95);
    expect(mean(waiting) / expected).toBeLessThan(1.05);
  });

  it('places empty at the start are ready on day 0', () => {
    written(guide, 'places empty at the start are ready on day 0');
    // 20 places, 10 taken; a vacated place would stand empty for a year, and the guarantee is one day:
    // had the empty places waited like vacated ones, applicants would be placed externally at once.
    const input: ScenarioInput = {
      ...certainScenario({ horizonYears: 1, paths: 30 }),
      careHomes: {
        homes: [{ id: 'a', places: 20, occupiedAtStart: 0.5 }],
        stay: { kind: 'constant', exitPerYear: 0.01 },
        applicantsPerCitizenPerYear: 3 / 1605,
        vacancyDays: 365,
        guaranteeDays: 1,
        baselinePaths: 1,
      },
    };
    const r = simulate(input, { strategies: [activity()] });
    const m = (metric: string) => metricValues(r, { strategy: 'activity', year: 2024, metric });
    const admissions = m('care-homes.admissions');
    expect(Array.from(admissions).reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
    for (let i = 0; i < r.pathCount; i++) {
      if (admissions[i]! > 10) continue; // more applicants than empty places: not this case
      expect(m('care-homes.waitDaysOfAdmitted')[i]).toBe(0);
      expect(m('care-homes.guaranteeBreaches')[i]).toBe(0);
      expect(m('care-homes.waiting')[i]).toBe(0);
    }
  });
});

describe('care levels', () => {
  it('the mix in month m is the base shares × Tᵐ (month 0 the base shares)', () => {
    written(holistic, 'the mix in month m is base × Tᵐ');
    const { out, timeline } = stepHomeCare(withLevels());
    const recipients = 2000 * 0.28;
    for (let p = 0; p < timeline.periodCount; p++) {
      const mix = mixOfMonth(p);
      for (let l = 0; l < L; l++)
        expect(out.lines[l + 1]!.deliveredUnits[p]! / timeline.periodDays[p]! / recipients).toBeCloseTo(mix[l]!, 12);
    }
    // Under quarters a period's mix is the mean of its three months.
    const q = stepHomeCare(withLevels({}, { step: 'quarter' }));
    for (let p = 0; p < q.timeline.periodCount; p++) {
      const months = [0, 1, 2].map((k) => mixOfMonth(3 * p + k));
      for (let l = 0; l < L; l++)
        expect(q.out.lines[l + 1]!.deliveredUnits[p]! / q.timeline.periodDays[p]! / recipients).toBeCloseTo(
          (months[0]![l]! + months[1]![l]! + months[2]![l]!) / 3,
          12,
        );
    }
  });

  it('the baseline’s mix for a year is the unweighted mean of its 12 months', () => {
    written(holistic, 'the baseline’s mix for a year is the unweighted mean of its 12 months');
    const { inst, timeline } = stepHomeCare(withLevels());
    const recipients = 2000 * 0.28;
    for (let y = 0; y <= timeline.horizonYears; y++) {
      const months = y === 0 ? [0] : Array.from({ length: 12 }, (_, k) => 12 * (y - 1) + k);
      const unweighted = months
        .map(mixOfMonth)
        .reduce((a, m) => a.map((x, l) => x + m[l]! / months.length), new Array<number>(L).fill(0));
      for (let l = 0; l < L; l++) {
        const share = inst.baseline.lines![l + 1]!.deliveredUnits[y]! / timeline.yearDays[y]! / recipients;
        expect(share).toBeCloseTo(unweighted[l]!, 12);
      }
      if (y > 0) {
        // Weighting the months by their days would give another mix: the test tells them apart.
        const firstDay = timeline.periodStart.findIndex((_, p) => timeline.periodYearIndex[p] === y);
        const weighted = months
          .map((m, k) => mixOfMonth(m).map((x) => x * timeline.periodDays[firstDay + k]!))
          .reduce((a, m) => a.map((x, l) => x + m[l]!))
          .map((x) => x / timeline.yearDays[y]!);
        expect(Math.max(...weighted.map((w, l) => Math.abs(w - unweighted[l]!)))).toBeGreaterThan(1e-9);
      }
    }
  });

  it('recipient noise applies to the total and scales every level in proportion', () => {
    written(guide, 'With care levels the noise applies to the total recipients');
    const quiet = stepHomeCare(withLevels({ recipientNoise: false }), 5);
    const noisy = stepHomeCare(withLevels({ recipientNoise: true }), 5);
    const t = quiet.timeline;
    const ratios: number[] = [];
    for (let p = 0; p < t.periodCount; p++) {
      const ratio = noisy.out.lines[1]!.deliveredUnits[p]! / quiet.out.lines[1]!.deliveredUnits[p]!;
      // Every level moves by the same factor, and every month of a year by the year's factor.
      for (let l = 1; l < L; l++)
        expect(noisy.out.lines[l + 1]!.deliveredUnits[p]! / quiet.out.lines[l + 1]!.deliveredUnits[p]!).toBeCloseTo(
          ratio,
          12,
        );
      if (p % 12 > 0) expect(ratio).toBeCloseTo(ratios.at(-1)!, 12);
      else ratios.push(ratio);
    }
    // The factor is (λ + √λ·z) / λ with a fresh z each year.
    const lambda = 2000 * 0.28;
    for (const ratio of ratios) expect(Math.abs(((ratio - 1) * lambda) / Math.sqrt(lambda))).toBeLessThan(6);
    expect(new Set(ratios.map((x) => x.toFixed(12))).size).toBe(ratios.length);
  });

  it('hours noise is √R·cv·(hours/R)·z, one z a year, and the hours trend multiplies the levels’ hours', () => {
    written(guide, 'hours a week + √R·cv·(hours a week / R)·z');
    const quiet = stepHomeCare(withLevels({ individualHoursCv: 0 }), 2);
    const t = quiet.timeline;
    const R = 2000 * 0.28;
    const zOf = (cv: number) => {
      const noisy = stepHomeCare(withLevels({ individualHoursCv: cv }), 2);
      return Array.from({ length: t.periodCount }, (_, p) => {
        const hours = (quiet.out.neededUnits[p]! * 7) / t.periodDays[p]!;
        const withNoise = (noisy.out.neededUnits[p]! * 7) / t.periodDays[p]!;
        return (withNoise - hours) / (Math.sqrt(R) * cv * (hours / R));
      });
    };
    const a = zOf(0.5);
    const b = zOf(1.2);
    for (let p = 0; p < t.periodCount; p++) {
      expect(b[p]).toBeCloseTo(a[p]!, 9);
      expect(a[p]).toBeCloseTo(a[p - (p % 12)]!, 9);
    }
    expect(Math.abs(a[0]!)).toBeGreaterThan(1e-3);
    // The hours without noise: Σ citizens × the level's hours, times the trend (1 + τ)ʸ.
    for (let p = 0; p < t.periodCount; p++) {
      const mix = mixOfMonth(p);
      const hours = mix.reduce((s, x, l) => s + x * R * hoursOf[l]!, 0);
      expect((quiet.out.neededUnits[p]! * 7) / t.periodDays[p]!).toBeCloseTo(hours, 9);
    }
    written(guide, '`hoursTrend` multiply the levels’ hours');
    const trended = stepHomeCare(withLevels({ hoursTrendPerYear: 0.02 }), 2);
    const formula = stepHomeCare(withLevels({ hoursTrend: { formula: '1 + 0.1 * t' } }), 2);
    for (let p = 0; p < t.periodCount; p++) {
      const y = t.periodYearIndex[p]!;
      expect(trended.out.neededUnits[p]! / quiet.out.neededUnits[p]!).toBeCloseTo(1.02 ** y, 12);
      expect(formula.out.neededUnits[p]! / quiet.out.neededUnits[p]!).toBeCloseTo(1 + 0.1 * y, 12);
      // Citizens do not move with the hours.
      expect(trended.out.lines[1]!.deliveredUnits[p]).toBeCloseTo(quiet.out.lines[1]!.deliveredUnits[p]!, 9);
    }
  });
});

describe('providers', () => {
  const careHomes = {
    homes: [{ id: 'a', places: 20, occupiedAtStart: 1 }],
    stay: { kind: 'constant' as const, exitPerYear: 0.2 },
    applicantsPerCitizenPerYear: 0.01,
    guaranteeDays: 3650,
    baselinePaths: 5,
  };
  const withProviders = (backPayment: 'same-year' | 'next-year', homes: boolean): ScenarioInput => {
    const base = certainScenario({ horizonYears: 4, paths: 2 });
    return {
      ...base,
      ...(homes ? { careHomes } : {}),
      homeCare: {
        ...base.homeCare!,
        assumedUserTimeShare: 0.65,
        providers: { backPayment, private: [{ id: 'p', marketShare: 0.3 }] },
      },
    };
  };

  it('the waiting list’s home care is split across providers by market share', () => {
    written(holistic, 'The waiting list’s home care is split across the providers by market share');
    const withHomes = simulate(withProviders('next-year', true), { strategies: [activity()] });
    const without = simulate(withProviders('next-year', false), { strategies: [activity()] });
    const needed = (r: typeof without, service: string, year: number) =>
      figureValues(r, { strategy: 'activity', service, year, figure: 'neededUnits' })[0]!;
    for (const year of withHomes.years) {
      const own = needed(withHomes, 'home-care:own', year) - needed(without, 'home-care:own', year);
      const p = needed(withHomes, 'home-care:p', year) - needed(without, 'home-care:p', year);
      expect(own + p).toBeGreaterThan(1000);
      expect(p / (own + p)).toBeCloseTo(0.3, 9);
    }
  });

  it('the back-payment for a year is booked in the first period of the next and recorded in that year’s metric', () => {
    written(holistic, 'booked in the first period of the next year and recorded in that year’s metric');
    const next = replayPath(withProviders('next-year', false), 0, { strategies: [activity()] });
    const same = replayPath(withProviders('same-year', false), 0, { strategies: [activity()] });
    const trace = (r: typeof next, service: string) => r.traces.find((x) => x.service === service)!;
    const nextPaid = trace(next, 'home-care:p').metrics.backPaymentKr!;
    const samePaid = trace(same, 'home-care:p').metrics.backPaymentKr!;
    const price = (r: typeof next, p: number) =>
      (trace(r, 'home-care:p').costKr[p]! - trace(r, 'home-care:p').metrics.backPaymentKr![p]!) /
      trace(r, 'home-care:p').deliveredUnits[p]!;
    const own = trace(next, 'home-care:own');
    for (let y = 0; y < 4; y++) {
      const months = Array.from({ length: 12 }, (_, k) => 12 * y + k);
      const sum = (a: readonly number[]) => months.reduce((s, p) => s + a[p]!, 0);
      // Due for year y: the own provider's cost per delivered hour above the price, times the private hours.
      const due =
        Math.max(0, sum(own.costKr) / sum(own.deliveredUnits) - price(next, 12 * y)) *
        sum(trace(next, 'home-care:p').deliveredUnits);
      expect(due).toBeGreaterThan(1e5);
      for (const p of months) {
        // next-year: nothing within the year but its first period, which pays the year before's.
        expect(nextPaid[p]).toBeCloseTo(p === 12 * y && y > 0 ? samePaid[p - 1]! : 0, 6);
        // same-year: the last period of the year.
        expect(samePaid[p]).toBeCloseTo(p === 12 * y + 11 ? due : 0, 6);
      }
    }
    // In yearly results the amount for 2024 is in 2025's metric and cost.
    const r = simulate(withProviders('next-year', false), { strategies: [activity()] });
    const yearly = metricValues(r, { strategy: 'activity', year: 2025, metric: 'home-care:p.backPaymentKr' })[0]!;
    expect(yearly).toBeCloseTo(samePaid[11]!, 6);
  });
});
