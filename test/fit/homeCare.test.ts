/**
 * Fitting home care to a municipality's history, and the use rates' year-to-year noise the fit
 * estimates: recovery of known parameters from histories generated under the model's own
 * assumptions, the fitted scenario (it validates, runs and survives YAML), the errors, and the
 * variance the model's noise produces.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  deriveStream,
  figureValues,
  fitHomeCare,
  FitError,
  fittedScenarioYaml,
  lejre2034,
  parseScenario,
  simulate,
  streamKey,
  type HomeCareHistory,
  type RandomSource,
  type ScenarioInput,
} from '../../src/index';
import { binomialSampler, poissonSampler } from '../../src/random/samplers';
import { standardNormal } from '../../src/random/special';
import { certainScenario } from '../fixtures';

/** The parameters a history is generated from. */
interface Truth {
  readonly groups: readonly {
    readonly id: string;
    readonly n0: number;
    readonly growth: number;
    readonly rate: number;
  }[];
  readonly firstYear: number;
  readonly years: number;
  /** Relative change a year of the use rates. */
  readonly trend: number;
  /** The log use rates' year-to-year sd, common to the groups. */
  readonly sigma: number;
  readonly sampling: 'binomial' | 'poisson';
  /** Hours per recipient a week in the last year by group, their trend and a yearly lognormal noise. */
  readonly hours?: { readonly level: Readonly<Record<string, number>>; readonly trend: number; readonly sd: number };
}

/**
 * A history under the model's assumptions: population N growing geometrically, use rate
 * r_g·(1 + trend)^τ·exp(σ·z_t − σ²/2) (τ = year − last year, z_t common to the groups),
 * recipients ~ Binomial(N, rate) or Poisson(N·rate), visited hours a week = recipients × hours
 * per recipient, h_g·(1 + hours trend)^τ·exp(sd·ε_t).
 */
function generate(truth: Truth, rng: RandomSource): HomeCareHistory {
  const population: Record<string, Record<string, number>> = {};
  const recipients: Record<string, Record<string, number>> = {};
  const hours: Record<string, Record<string, number>> = {};
  const last = truth.firstYear + truth.years - 1;
  for (const g of truth.groups) {
    population[g.id] = {};
    recipients[g.id] = {};
    hours[g.id] = {};
  }
  for (let t = 0; t < truth.years; t++) {
    const year = truth.firstYear + t;
    const tau = year - last;
    const shock = Math.exp(truth.sigma * standardNormal(rng) - truth.sigma ** 2 / 2);
    const hoursShock = truth.hours === undefined ? 1 : Math.exp(truth.hours.sd * standardNormal(rng));
    for (const g of truth.groups) {
      const n = Math.round(g.n0 * (1 + g.growth) ** t);
      const p = g.rate * (1 + truth.trend) ** tau * shock;
      const r = truth.sampling === 'binomial' ? binomialSampler(n, p)(rng) : poissonSampler(n * p)(rng);
      population[g.id]![year] = n;
      recipients[g.id]![year] = r;
      if (truth.hours !== undefined)
        hours[g.id]![year] = r * truth.hours.level[g.id]! * (1 + truth.hours.trend) ** tau * hoursShock;
    }
  }
  return { population, recipients, ...(truth.hours === undefined ? {} : { hours }) };
}

const TRUTH: Truth = {
  groups: [
    { id: '67-79', n0: 40_000, growth: 0.01, rate: 0.06 },
    { id: '80+', n0: 15_000, growth: 0.035, rate: 0.28 },
  ],
  firstYear: 2012,
  years: 12,
  trend: -0.01,
  sigma: 0.03,
  sampling: 'binomial',
  hours: { level: { '67-79': 2.5, '80+': 4 }, trend: 0.01, sd: 0.02 },
};

/** Replicates of a recovery study. */
const R = 200;

/** Fits R histories generated from `truth`. */
function replicate(truth: Truth, seed: string) {
  const key = streamKey(seed, 'fit-history');
  return Array.from({ length: R }, (_, i) =>
    fitHomeCare(generate(truth, deriveStream(key, i)), { sampling: truth.sampling }),
  );
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe('fitHomeCare recovers the parameters of histories made under the model (simulation-based calibration)', () => {
  const noisy = replicate(TRUTH, 'noisy');

  it('the true use-rate trend lies in the fitted 90 % interval in 90 % ± 3 Monte Carlo sd of the histories', () => {
    const inside = noisy.filter((f) => {
      const { mean: m, sd: s } = f.homeCare.useRateTrendPerYear;
      return Math.abs(TRUTH.trend - m) <= 1.645 * s;
    }).length;
    const tolerance = 3 * Math.sqrt((0.9 * 0.1) / R);
    expect(Math.abs(inside / R - 0.9)).toBeLessThanOrEqual(tolerance);
  });

  it('the year-to-year variance σ² is estimated without bias, and σ within a few per cent', () => {
    // The moment estimate before its floor at 0 is unbiased for σ².
    const raw = noisy.map((f) => f.diagnostics.noiseVariance);
    expect(Math.abs(mean(raw) - TRUTH.sigma ** 2)).toBeLessThan(3 * (sd(raw) / Math.sqrt(R)));
    // σ̂ = √max(0, ·): its mean is within 3 Monte Carlo sd plus the square root's (Jensen) bias of the truth.
    const sigmas = noisy.map((f) => f.homeCare.useRateNoiseSdPerYear);
    const jensen = (mean(raw.map((v) => Math.max(0, v))) - mean(sigmas) ** 2) / (2 * TRUTH.sigma);
    expect(Math.abs(mean(sigmas) - TRUTH.sigma)).toBeLessThan(3 * (sd(sigmas) / Math.sqrt(R)) + jensen);
    expect(Math.abs(mean(sigmas) / TRUTH.sigma - 1)).toBeLessThan(0.06);
    // The stated standard error of σ² is the spread of its estimates, within 20 %.
    expect(mean(noisy.map((f) => f.diagnostics.noiseVarianceSe)) / sd(raw)).toBeGreaterThan(0.8);
    expect(mean(noisy.map((f) => f.diagnostics.noiseVarianceSe)) / sd(raw)).toBeLessThan(1.2);
    // Overdispersion: Pearson's χ² well above its degrees of freedom.
    expect(mean(noisy.map((f) => f.diagnostics.overdispersionRatio))).toBeGreaterThan(2);
  });

  it('the base-year use rates and hours per recipient are recovered without bias', () => {
    for (const g of TRUTH.groups) {
      const rates = noisy.map((f) => f.homeCare.useRates[g.id]!);
      expect(Math.abs(mean(rates) - g.rate)).toBeLessThan(3 * (sd(rates) / Math.sqrt(R)));
      // The stated standard error is the spread of the estimates, within 25 %.
      const se = mean(
        noisy.map((f) => f.provenance.find((p) => p.field === `homeCare.useRates.${g.id}`)!.standardError),
      );
      expect(se / sd(rates)).toBeGreaterThan(0.75);
      expect(se / sd(rates)).toBeLessThan(1.25);
    }
    const trends = noisy.map((f) => f.homeCare.hoursTrendPerYear!.mean);
    expect(Math.abs(mean(trends) - TRUTH.hours!.trend)).toBeLessThan(3 * (sd(trends) / Math.sqrt(R)));
    expect(mean(noisy.map((f) => f.homeCare.hoursTrendPerYear!.sd)) / sd(trends)).toBeGreaterThan(0.8);
    // The last year's mix of recipients weighs the groups' hours: the truth is that mix's mean.
    const levels = noisy.map((f) => f.homeCare.hoursPerRecipientPerWeek!.median);
    let num = 0;
    let den = 0;
    for (const g of TRUTH.groups) {
      const recipients = g.n0 * (1 + g.growth) ** (TRUTH.years - 1) * g.rate;
      num += recipients * TRUTH.hours!.level[g.id]!;
      den += recipients;
    }
    const expected = num / den;
    expect(Math.abs(mean(levels) / expected - 1)).toBeLessThan(0.01);
  });

  it('a history with no extra variation gives σ ≈ 0 (binomial and Poisson sampling)', () => {
    for (const sampling of ['binomial', 'poisson'] as const) {
      const quiet = replicate({ ...TRUTH, sigma: 0, sampling }, `quiet-${sampling}`);
      const raw = quiet.map((f) => f.diagnostics.noiseVariance);
      expect(Math.abs(mean(raw))).toBeLessThan(3 * (sd(raw) / Math.sqrt(R)));
      const sigmas = quiet.map((f) => f.homeCare.useRateNoiseSdPerYear);
      // At least a third exactly 0, and the mean far below the noisy histories' 0.03.
      expect(sigmas.filter((s) => s === 0).length).toBeGreaterThan(R / 3);
      expect(mean(sigmas)).toBeLessThan(0.01);
      expect(Math.abs(mean(quiet.map((f) => f.diagnostics.overdispersionRatio)) - 1)).toBeLessThan(0.15);
      const inside = quiet.filter((f) => {
        const { mean: m, sd: s } = f.homeCare.useRateTrendPerYear;
        return Math.abs(TRUTH.trend - m) <= 1.645 * s;
      }).length;
      expect(Math.abs(inside / R - 0.9)).toBeLessThanOrEqual(3 * Math.sqrt((0.9 * 0.1) / R));
    }
  });
});

/** One history of TRUTH, fixed. */
const HISTORY = generate(TRUTH, deriveStream(streamKey('one', 'fit-history'), 0));

describe('the fitted scenario', () => {
  const fit = fitHomeCare(
    { ...HISTORY, sources: { population: 'FOLK1A', recipients: 'AED06', hours: 'AED12' } },
    { from: 2014 },
  );

  it('validates, runs with simulate, and carries the fitted values', () => {
    const scenario = parseScenario(fit.scenario);
    expect(scenario.baseYear).toBe(2023);
    expect(scenario.homeCare!.useRates).toEqual(fit.homeCare.useRates);
    expect(scenario.homeCare!.useRateNoiseSdPerYear).toBe(fit.homeCare.useRateNoiseSdPerYear);
    expect(fit.homeCare.useRateNoiseSdPerYear).toBeGreaterThan(0);
    expect(scenario.population.groups.map((g) => [g.id, g.start])).toEqual([
      ['67-79', HISTORY.population['67-79']!['2023']],
      ['80+', HISTORY.population['80+']!['2023']],
    ]);
    expect(fit.diagnostics.years).toEqual([2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    expect(fit.diagnostics.n).toBe(20);
    expect(Object.keys(fit.diagnostics.residuals['80+']!)).toHaveLength(10);
    expect(fit.diagnostics.hoursBasis).toBe('groups');
    // With σ̂² > 0 the trend's sd is the slope's standard error widened to Student's t.
    const growth = Math.exp(fit.diagnostics.slope);
    expect(fit.diagnostics.slopeDf).toBeGreaterThan(2);
    expect(fit.diagnostics.slopeDf).toBeLessThan(100);
    expect(fit.homeCare.useRateTrendPerYear.sd).toBeGreaterThan(growth * fit.diagnostics.slopeSe * 1.02);
    expect(fit.homeCare.useRateTrendPerYear.mean).toBeCloseTo(growth - 1, 6);
    const result = simulate({ ...fit.scenario, paths: 20 });
    expect(result.years[0]).toBe(2024);
    const needed = figureValues(result, { strategy: 'frame', service: 'home-care', year: 2025, figure: 'neededUnits' });
    expect(needed).toHaveLength(20);
    expect(new Set(needed).size).toBe(20);
  });

  it('its YAML parses back to the same scenario and says where each fitted value came from', () => {
    const text = fittedScenarioYaml(fit);
    expect(parseScenario(parseYaml(text))).toEqual(parseScenario(fit.scenario));
    expect(parseYaml(text)).toEqual(JSON.parse(JSON.stringify(fit.scenario)));
    const lines = text.split('\n');
    for (const key of [
      'useRateTrendPerYear',
      'useRateFactor',
      'useRateNoiseSdPerYear',
      'hoursPerRecipientPerWeek',
      'hoursTrendPerYear',
    ]) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
      expect(at).toBeGreaterThan(0);
      // The comment block right above the key names the tables, the years and a standard error.
      let start = at;
      while (lines[start - 1]!.trimStart().startsWith('#')) start--;
      const comment = lines
        .slice(start, at)
        .map((l) => l.replace(/^\s*# /, ''))
        .join(' ');
      expect(comment).toMatch(/^Fitted to /);
      expect(comment).toContain('2014-2023');
      expect(comment).toContain(key.startsWith('hours') ? 'AED12' : 'AED06');
      expect(comment).toMatch(/standard error \d/);
    }
    // The pivots say where the line turns: the history's middle.
    for (const key of ['useRateTrendPivotYears', 'hoursTrendPivotYears']) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
      expect(lines.slice(at - 3, at).join(' ')).toContain("the history's middle");
    }
    const rate = lines.findIndex((l) => l.trimStart().startsWith('"80+": '));
    expect(lines.slice(rate - 5, rate).join(' ')).toMatch(/# Fitted to FOLK1A and AED06 2014-2023, standard error \d/);
    expect(JSON.parse(JSON.stringify(fit.scenario))).toEqual(fit.scenario);
  });

  it('merges into a given scenario, keeping its other sections and dropping trend formulas it replaces', () => {
    const base = lejre2034();
    const withFormula: ScenarioInput = {
      ...base,
      homeCare: {
        ...base.homeCare!,
        useRateTrend: { formula: '(1 + a)^t', parameters: { a: { dist: 'normal', mean: 0, sd: 0.01 } } },
      },
    };
    const merged = fitHomeCare(HISTORY, { scenario: withFormula, from: 2014 });
    const s = parseScenario(merged.scenario);
    expect(s.careHomes?.homes).toHaveLength(3);
    expect(s.homeCare!.useRateTrend).toBeUndefined();
    expect(s.homeCare!.wageCostPerPaidHourKr).toBe(282);
    expect(s.homeCare!.useRateTrendPerYear).toEqual(merged.homeCare.useRateTrendPerYear);
    expect(s.homeCare!.useRates).toEqual(merged.homeCare.useRates);
    expect(merged.diagnostics.baseYear).toBe(2023);
    // Without hours the base scenario's hours stay.
    const { hours, ...noHours } = HISTORY;
    void hours;
    const kept = fitHomeCare(noHours, { scenario: base });
    expect(kept.homeCare.hoursPerRecipientPerWeek).toBeUndefined();
    expect(kept.scenario.homeCare!.hoursPerRecipientPerWeek).toBe(3.2);
    expect(kept.scenario.homeCare!.hoursTrendPerYear).toEqual(base.homeCare!.hoursTrendPerYear);
  });

  it('a later base year extrapolates the rates along the trend; total hours are fitted as a total', () => {
    const total: Record<string, number> = {};
    for (const year of Object.keys(HISTORY.hours!['80+']!))
      total[year] = HISTORY.hours!['80+']![year]! + HISTORY.hours!['67-79']![year]!;
    const at2023 = fitHomeCare({ ...HISTORY, hours: { total } });
    const at2025 = fitHomeCare({ ...HISTORY, hours: { total } }, { baseYear: 2025 });
    expect(at2025.diagnostics.hoursBasis).toBe('total');
    const growth = 1 + at2023.homeCare.useRateTrendPerYear.mean;
    expect(at2025.homeCare.useRates['80+']! / at2023.homeCare.useRates['80+']!).toBeCloseTo(growth ** 2, 4);
    expect(at2025.scenario.baseYear).toBe(2025);
    parseScenario(at2025.scenario);
  });
});

describe('a trend known too little for a scenario', () => {
  it('three noisy years: the sd widened to Student’s t, then capped to what a scenario takes, and the provenance says so', () => {
    const fit = fitHomeCare({
      population: { '80+': { '2021': 1000, '2022': 1000, '2023': 1000 } },
      recipients: { '80+': { '2021': 300, '2022': 250, '2023': 330 } },
    });
    const { mean: m, sd: s } = fit.homeCare.useRateTrendPerYear;
    expect(fit.diagnostics.slopeDf).toBe(1);
    expect(Math.abs(m) + 6.5 * s).toBeLessThanOrEqual(0.2);
    expect(s).toBeGreaterThan(0.02);
    const source = fit.provenance.find((p) => p.field === 'homeCare.useRateTrendPerYear')!;
    expect(source.method).toMatch(/sd capped at [\d.]+, the widest a scenario takes .*\(fitted: 0\.5/);
    expect(fittedScenarioYaml(fit)).toContain('capped');
    parseScenario(fit.scenario);
  });
});

describe('fitHomeCare names what is wrong with a history', () => {
  const years = (values: readonly number[], first = 2020) =>
    Object.fromEntries(values.map((v, k) => [String(first + k), v]));
  const ok: HomeCareHistory = {
    population: { '80+': years([1000, 1050, 1100, 1150]) },
    recipients: { '80+': years([300, 310, 318, 330]) },
  };
  const error = (history: HomeCareHistory, options = {}): FitError => {
    try {
      fitHomeCare(history, options);
    } catch (e) {
      expect(e).toBeInstanceOf(FitError);
      return e as FitError;
    }
    throw new Error('expected a FitError');
  };

  it('fits a well-formed history', () => {
    expect(fitHomeCare(ok).diagnostics.years).toEqual([2020, 2021, 2022, 2023]);
  });

  it('fewer than three years', () => {
    const e = error(ok, { from: 2022 });
    expect(e.problem).toBe('too-few-years');
    expect(e.code).toBe('INVALID_HISTORY');
    expect(e.message).toContain('at least 3 years');
    expect(e.message).toContain('2022, 2023');
  });

  it('a group missing in a table', () => {
    const e = error({ ...ok, population: { '67-79': years([1, 2, 3, 4]) } });
    expect([e.problem, e.table, e.group]).toEqual(['missing-group', 'population', '80+']);
    expect(e.message).toContain('80+');
    const h = error({ ...ok, hours: { '67-79': years([1, 2, 3, 4]) } });
    expect([h.problem, h.table, h.group]).toEqual(['missing-group', 'hours', '80+']);
  });

  it('a missing year, a zero population, more recipients than citizens, a non-finite value', () => {
    const missing = error({ ...ok, population: { '80+': years([1000, 1050, 1100]) } });
    expect([missing.problem, missing.table, missing.group, missing.year]).toEqual([
      'missing-value',
      'population',
      '80+',
      2023,
    ]);
    const zero = error({ ...ok, population: { '80+': years([1000, 0, 1100, 1150]) } });
    expect([zero.problem, zero.group, zero.year]).toEqual(['zero-population', '80+', 2021]);
    expect(zero.message).toBe('population: 80+ 2021: expected a population above 0; received 0');
    const over = error({ ...ok, recipients: { '80+': years([300, 310, 1200, 330]) } });
    expect([over.problem, over.group, over.year]).toEqual(['recipients-exceed-population', '80+', 2022]);
    expect(over.message).toContain('80+ 2022');
    const nan = error({ ...ok, recipients: { '80+': years([300, NaN, 318, 330]) } });
    expect([nan.problem, nan.table, nan.group, nan.year]).toEqual(['non-finite', 'recipients', '80+', 2021]);
    const none = error({ ...ok, recipients: { '80+': years([300, 0, 318, 330]) } });
    expect([none.problem, none.year]).toEqual(['zero-recipients', 2021]);
  });

  it('a base scenario without the history’s groups', () => {
    const e = error(ok, { scenario: certainScenario({ population: { groups: [{ id: '67-79', start: 4000 }] } }) });
    expect([e.problem, e.group]).toEqual(['scenario-groups', '80+']);
  });
});

describe('homeCare.useRateNoiseSdPerYear: the use rates’ year-to-year noise', () => {
  const SIGMA = 0.05;
  const certain = certainScenario();
  const withNoise = (sigma: number | undefined, overrides: Partial<ScenarioInput>) =>
    simulate({
      ...certain,
      ...overrides,
      homeCare: { ...certain.homeCare!, ...(sigma === undefined ? {} : { useRateNoiseSdPerYear: sigma }) },
      strategies: [{ kind: 'frame' }],
    });
  const needed = (r: ReturnType<typeof simulate>, year: number) =>
    figureValues(r, { strategy: 'frame', service: 'home-care', year, figure: 'neededUnits' });

  it('0 (the default) draws nothing: every figure is the same as without the field', () => {
    const a = withNoise(undefined, { paths: 20, horizonYears: 3 });
    const b = withNoise(0, { paths: 20, horizonYears: 3 });
    for (const year of a.years) expect(needed(b, year)).toEqual(needed(a, year));
  });

  it('across paths, log(recipients) in a year has variance σ² (recipient noise off, a certain scenario)', () => {
    const paths = 4000;
    const r = withNoise(SIGMA, { paths, horizonYears: 3 });
    const flat = withNoise(0, { paths: 1, horizonYears: 3 });
    for (const year of r.years) {
      const logs = Array.from(needed(r, year), (v) => Math.log(v / needed(flat, year)[0]!));
      // Variance within 4 Monte Carlo sd (σ²·√(2/(n − 1))); the factor's mean is 1.
      expect(Math.abs(sd(logs) ** 2 - SIGMA ** 2)).toBeLessThan(4 * SIGMA ** 2 * Math.sqrt(2 / (paths - 1)));
      const factors = logs.map(Math.exp);
      expect(Math.abs(mean(factors) - 1)).toBeLessThan((4 * SIGMA) / Math.sqrt(paths));
    }
  });

  it('along a path, the detrended log recipients vary with variance σ², independently from year to year', () => {
    const paths = 100;
    const horizonYears = 30;
    const r = withNoise(SIGMA, { paths, horizonYears });
    const flat = withNoise(0, { paths: 1, horizonYears });
    const series = Array.from({ length: paths }, (_, p) =>
      r.years.map((year) => Math.log(needed(r, year)[p]! / needed(flat, year)[0]!)),
    );
    const variances = series.map((s) => sd(s) ** 2);
    // The mean of 100 sample variances on 29 df: Monte Carlo sd σ²·√(2/29)/10.
    expect(Math.abs(mean(variances) - SIGMA ** 2)).toBeLessThan(4 * SIGMA ** 2 * Math.sqrt(2 / 29) * 0.1);
    // Lag-1 autocorrelation about 0 (white noise, not a random walk).
    const lag1 = series.map((s) => {
      const m = mean(s);
      let num = 0;
      let den = 0;
      for (let k = 0; k < s.length; k++) {
        den += (s[k]! - m) ** 2;
        if (k > 0) num += (s[k]! - m) * (s[k - 1]! - m);
      }
      return num / den;
    });
    expect(Math.abs(mean(lag1) + 1 / 30)).toBeLessThan(4 * (1 / Math.sqrt(30)) * 0.1);
  });
});

describe('homeCare.useRateTrendPivotYears and hoursTrendPivotYears: the drawn trend turns the line around an earlier year', () => {
  const certain = certainScenario();
  const run = (homeCare: Record<string, unknown>, paths = 200) =>
    simulate({
      ...certain,
      paths,
      horizonYears: 4,
      homeCare: {
        ...certain.homeCare!,
        useRateTrendPerYear: { dist: 'normal', mean: -0.01, sd: 0.01 },
        hoursTrendPerYear: { dist: 'normal', mean: 0.02, sd: 0.01 },
        ...homeCare,
      },
      strategies: [{ kind: 'frame' }],
    } as ScenarioInput);
  const needed = (r: ReturnType<typeof simulate>, year: number) =>
    figureValues(r, { strategy: 'frame', service: 'home-care', year, figure: 'neededUnits' });

  it('0 (the default) is the line through the base year: every figure as without the field', () => {
    const a = run({});
    const b = run({ useRateTrendPivotYears: 0, hoursTrendPivotYears: 0 });
    for (const year of a.years) expect(needed(b, year)).toEqual(needed(a, year));
  });

  it("each path's level is multiplied by ((1 + trend)/(1 + its mean))^pivot in every year, the draws unmoved", () => {
    const normal = { dist: 'normal', mean: 0.01, sd: 0.01 };
    // One trend uncertain at a time: the path's draw is read back from the unturned run's growth.
    for (const [trend, pivot, other] of [
      ['useRateTrendPerYear', 'useRateTrendPivotYears', 'hoursTrendPerYear'],
      ['hoursTrendPerYear', 'hoursTrendPivotYears', 'useRateTrendPerYear'],
    ] as const) {
      const fields = { [trend]: normal, [other]: 0 };
      const flat = run(fields);
      const turned = run({ ...fields, [pivot]: 5 });
      const still = run({ [trend]: 0, [other]: 0 }, 1);
      const [first, last] = [flat.years[0]!, flat.years[flat.years.length - 1]!];
      const population = needed(still, last)[0]! / needed(still, first)[0]!;
      for (let p = 0; p < 200; p++) {
        const x = (needed(flat, last)[p]! / needed(flat, first)[p]! / population) ** (1 / (last - first)) - 1;
        for (const year of flat.years)
          expect(needed(turned, year)[p]! / needed(flat, year)[p]!).toBeCloseTo(((1 + x) / 1.01) ** 5, 9);
      }
    }
  });

  it('is refused beside a trend formula, which holds its own pivot', () => {
    expect(() =>
      run({
        useRateTrendPerYear: undefined,
        useRateTrend: { formula: '(1 + g)^t', parameters: { g: 0 } },
        useRateTrendPivotYears: 3,
      }),
    ).toThrow(
      /homeCare\.useRateTrendPivotYears: useRateTrendPivotYears turns useRateTrendPerYear's line; with useRateTrend/,
    );
  });
});
