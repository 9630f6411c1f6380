import { describe, expect, it } from 'vitest';
import {
  deriveStream,
  figureValues,
  frame,
  lejre2034,
  OptionError,
  parseScenario,
  presets,
  samplerFor,
  ScenarioError,
  simulate,
  streamKey,
  type ScenarioInput,
  type Uncertain,
} from '../../src/index';
import { adjustInput, centralAndSpread, influentialInputs } from '../../src/explore/inputs';

/** The value at a path of plain data. */
function at(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

/** Mean and sd of many draws of a distribution. */
function sampled(u: Uncertain, n = 200_000): { mean: number; sd: number } {
  const s = samplerFor(u);
  const rng = deriveStream(streamKey(5, 'explore-inputs'), 0);
  let sum = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = s(rng);
    sum += x;
    ss += x * x;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt(ss / n - mean * mean) };
}

/** Lejre with the two home-care inputs it gives as numbers made uncertain: six scalar inputs. */
function lejreSix(): ScenarioInput {
  const s = lejre2034();
  return {
    ...s,
    homeCare: {
      ...s.homeCare!,
      hoursPerRecipientPerWeek: { dist: 'lognormal', median: 3.2, p95: 4.2 },
      useRateFactor: { dist: 'normal', mean: 1, sd: 0.05 },
    },
  };
}

describe('influentialInputs', () => {
  it('maps every uncertain scalar input of every preset to the scenario field that holds its distribution', () => {
    for (const [id, preset] of Object.entries(presets)) {
      const scenario = { ...preset(), horizonYears: 2 };
      const parsed = parseScenario(scenario);
      const inputs = influentialInputs(scenario, { n: 10, count: 1000 });
      const expected: Record<string, number> = {
        'lejre-2034': 4,
        'slagelse-homecare': 4,
        'ishoej-care-homes': 4,
        'herning-specialised': 1,
        'hedensted-recovery': 6,
      };
      expect(inputs.length, id).toBe(expected[id]);
      for (const x of inputs) {
        expect(at(parsed, x.path), `${id} ${x.name}`).toEqual(x.distribution);
        // The raw preset holds the same distribution at the path (the schema only adds defaults).
        const raw = at(scenario, x.path) as Record<string, unknown>;
        expect({ ...(x.distribution as object), ...raw }, `${id} ${x.name}`).toEqual(x.distribution);
        expect(x.label.en.length > 0 && x.label.da.length > 0 && x.unit.en.length > 0).toBe(true);
      }
    }
    const hedensted = influentialInputs(
      { ...presets['hedensted-recovery']!(), horizonYears: 2 },
      { n: 10, count: 1000 },
    );
    expect(Object.fromEntries(hedensted.map((x) => [x.name, x.path]))).toEqual({
      'specialised.priceGrowthPerYear': ['specialised', 'priceGrowthPerYear'],
      'home-care.hoursTrendPerYear': ['homeCare', 'hoursTrendPerYear'],
      'home-care.useRateTrendPerYear': ['homeCare', 'useRateTrendPerYear'],
      'home-care.userTimeShare': ['homeCare', 'userTimeShare'],
      'home-care.undeliveredShare': ['homeCare', 'undeliveredShare'],
      'interventions.recovery-plan.effect': ['interventions', 0, 'effect'],
    });
  });

  it("maps a formula's parameters, units' inputs and the inputs given as numbers in the presets", () => {
    const base = lejreSix();
    const scenario: ScenarioInput = {
      ...base,
      horizonYears: 2,
      homeCare: {
        ...base.homeCare!,
        useRateTrendPerYear: undefined,
        useRateTrend: {
          formula: '(1 + drift)^t * level',
          parameters: { drift: { dist: 'uniform', min: -0.01, max: 0.01 }, level: 1 },
        },
        units: [
          { id: 'north', populationShare: 0.4 },
          { id: 'south', populationShare: 0.6 },
        ],
      },
      interventions: [
        {
          id: 'screen',
          kind: 'screenVisits',
          from: '2024-01-01',
          effect: { dist: 'triangular', min: 0, mode: 0.05, max: 0.1 },
        },
      ],
    };
    const parsed = parseScenario(scenario);
    const inputs = influentialInputs(scenario, { n: 10, count: 1000 });
    expect(Object.fromEntries(inputs.map((x) => [x.name, x.path]))).toEqual({
      'home-care.hoursPerRecipientPerWeek': ['homeCare', 'hoursPerRecipientPerWeek'],
      'home-care.hoursTrendPerYear': ['homeCare', 'hoursTrendPerYear'],
      'home-care.useRateFactor': ['homeCare', 'useRateFactor'],
      'home-care.useRateTrend.drift': ['homeCare', 'useRateTrend', 'parameters', 'drift'],
      'home-care.userTimeShare': ['homeCare', 'userTimeShare'],
      'home-care.undeliveredShare': ['homeCare', 'undeliveredShare'],
      'interventions.screen.effect': ['interventions', 0, 'effect'],
    });
    for (const x of inputs) expect(at(parsed, x.path), x.name).toEqual(x.distribution);
    // The parameter known exactly (level) is not listed; each entry is its group's.
    expect(inputs.find((x) => x.name.endsWith('.level'))).toBeUndefined();
    expect(inputs.find((x) => x.name === 'home-care.useRateTrend.drift')!.group).toBe('use-rates');
  });

  it('lists at least count inputs of lejre with six uncertain inputs, by group rank, deterministically', () => {
    const scenario = { ...lejreSix(), horizonYears: 4 };
    const a = influentialInputs(scenario, { n: 40 });
    expect(a.length).toBeGreaterThanOrEqual(5);
    const ranks = a.map((x) => x.groupRank);
    expect(ranks).toEqual([...ranks].sort((p, q) => p - q));
    // A group's inputs come together, with the group's index; a better rank has the larger index.
    for (let i = 1; i < a.length; i++) {
      if (a[i]!.groupRank === a[i - 1]!.groupRank) expect(a[i]!.totalIndex).toBe(a[i - 1]!.totalIndex);
      else expect(a[i]!.totalIndex).toBeLessThanOrEqual(a[i - 1]!.totalIndex);
    }
    expect(new Set(a.map((x) => x.name)).size).toBe(a.length);
    expect(influentialInputs(scenario, { n: 40 })).toEqual(a);
    // count 1 stops after the first group that has inputs.
    const one = influentialInputs(scenario, { n: 40, count: 1 });
    expect(one.length).toBeGreaterThanOrEqual(1);
    expect(new Set(one.map((x) => x.group)).size).toBe(1);
    expect(one.map((x) => x.name)).toEqual(a.slice(0, one.length).map((x) => x.name));
  });

  it('lists all four uncertain inputs of lejre2034() with the default N, largest group first', () => {
    const a = influentialInputs(lejre2034());
    expect(a.map((x) => x.name).sort()).toEqual([
      'home-care.hoursTrendPerYear',
      'home-care.undeliveredShare',
      'home-care.useRateTrendPerYear',
      'home-care.userTimeShare',
    ]);
    expect(a[0]!.totalIndex).toBeGreaterThan(a[a.length - 1]!.totalIndex);
    const trend = a.find((x) => x.name === 'home-care.useRateTrendPerYear')!;
    expect(trend).toMatchObject({
      path: ['homeCare', 'useRateTrendPerYear'],
      group: 'use-rates',
      central: -0.005,
      spreadKind: 'sd',
      unit: { en: 'a relative change a year', da: 'relativ ændring pr. år' },
    });
    // PERT(-0.012, -0.005, 0.002): mean -0.005, variance (0.007 · 0.007)/7.
    expect(trend.spread).toBeCloseTo(Math.sqrt(0.000049 / 7), 15);
  });

  it('ranks correlated inputs as one group, and lists nothing when every input is known exactly', () => {
    const base = { ...lejre2034(), horizonYears: 2 };
    const correlated = {
      ...base,
      sampling: {
        correlations: [{ inputs: ['home-care.useRateTrendPerYear', 'home-care.hoursTrendPerYear'], rank: 0.5 }],
      },
    };
    const inputs = influentialInputs(correlated, { n: 10, count: 2 });
    const trends = inputs.filter((x) => x.name.endsWith('TrendPerYear'));
    expect(trends.map((x) => x.group)).toEqual(['use-rates + intensity', 'use-rates + intensity']);
    expect(trends[0]!.groupRank).toBe(trends[1]!.groupRank);
    const exact: ScenarioInput = {
      ...base,
      homeCare: {
        ...base.homeCare!,
        useRateTrendPerYear: -0.005,
        hoursTrendPerYear: 0,
        undeliveredShare: 0.05,
        userTimeShare: 0.6,
      },
    };
    expect(influentialInputs(exact, { n: 10 })).toEqual([]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => influentialInputs(lejre2034(), { year: 2023 })).toThrow(
      /year: expected a simulated year, 2024 to 2034/,
    );
    expect(() => influentialInputs(lejre2034(), { count: 0 })).toThrow(OptionError);
    expect(() => influentialInputs(lejre2034(), { n: 1.5 })).toThrow(/^n: expected an integer/);
    expect(() => influentialInputs({ ...lejre2034(), horizonYears: 0 })).toThrow(ScenarioError);
  });
});

describe('centralAndSpread and adjustInput', () => {
  const cases: [Uncertain, number, number][] = [
    [{ dist: 'normal', mean: 0.01, sd: 0.004 }, 0.02, 1.5],
    [{ dist: 'triangular', min: 2, mode: 3, max: 7 }, 4, 0.5],
    [{ dist: 'pert', min: 0.03, mode: 0.05, max: 0.1, lambda: 4 }, 0.06, 2],
    [{ dist: 'uniform', min: 1, max: 3 }, 5, 3],
    [{ dist: 'lognormal', median: 3, p95: 5 }, 4, 0.5],
    [{ dist: 'lognormal', median: 3, p5: 2, p95: 4.5 }, 2, 1.5],
    [{ dist: 'lognormal', p5: 1, p95: 4 }, 3, 2],
    [{ dist: 'lognormal', mu: 0.5, sigma: 0.3 }, 1, 0.5],
    [{ dist: 'beta', alpha: 2, beta: 5 }, 0.4, 0.8],
    [{ dist: 'gamma', shape: 3, scale: 2 }, 4, 1.3],
    [{ dist: 'weibull', shape: 1.5, scale: 2 }, 3, 0.7],
    [{ dist: 'pareto', min: 1, alpha: 3 }, 2, 0.8],
    [{ dist: 'empirical', values: [1, 2, 2, 7] }, 10, 0.5],
    [{ dist: 'poisson', mean: 4 }, 6, 1],
    [{ dist: 'binomial', n: 10, p: 0.3 }, 5, 1],
  ];
  // A field with no bounds but a finite one: a formula parameter (checked at its mean by the formula).
  const scenarioWith = (u: Uncertain): ScenarioInput => {
    const s = lejre2034();
    return {
      ...s,
      homeCare: {
        ...s.homeCare!,
        useRateTrendPerYear: undefined,
        useRateTrend: { formula: '1 + 0 * x', parameters: { x: u } },
      },
    };
  };
  const path = ['homeCare', 'useRateTrend', 'parameters', 'x'];

  it.each(cases)(
    'moves %j to its central value and scales its spread, keeping the family and form',
    (u, central, f) => {
      const before = centralAndSpread(u);
      const input = scenarioWith(u);
      const frozen = JSON.stringify(input);
      const out = adjustInput(input, path, { central, spreadFactor: f });
      expect(JSON.stringify(input)).toBe(frozen);
      const v = at(out, path) as Exclude<Uncertain, number>;
      expect(v.dist).toBe((u as Exclude<Uncertain, number>).dist);
      expect(Object.keys(v).sort()).toEqual(Object.keys(u).sort());
      const after = centralAndSpread(v);
      expect(after.central).toBeCloseTo(central, 12);
      // A Poisson's and a binomial's sd follow their mean (their factor must be 1).
      if (v.dist !== 'poisson' && v.dist !== 'binomial') expect(after.spread).toBeCloseTo(before.spread * f, 12);
      expect(after.spreadKind).toBe(before.spreadKind);
      expect(() => parseScenario(out)).not.toThrow();
      // The closed forms agree with the distribution's own draws.
      const s = sampled(v);
      if (after.spreadKind === 'sd') {
        const mean = v.dist === 'triangular' || v.dist === 'pert' ? undefined : after.central;
        if (mean !== undefined) expect(s.mean).toBeCloseTo(mean, 1);
        expect(s.sd / after.spread).toBeCloseTo(1, 1);
      } else {
        const logs = sampled({ dist: 'normal', mean: Math.log(after.central), sd: after.spread });
        expect(Math.log(after.central)).toBeCloseTo(logs.mean, 1);
      }
    },
  );

  it('keeps exact values where the form allows', () => {
    const pert = adjustInput(lejre2034(), ['homeCare', 'useRateTrendPerYear'], { central: 0, spreadFactor: 2 });
    const p = pert.homeCare!.useRateTrendPerYear as Extract<Uncertain, { dist: 'pert' }>;
    expect(p.mode).toBe(0);
    expect(p.max - p.mode).toBeCloseTo(2 * 0.007, 15);
    expect(p.mode - p.min).toBeCloseTo(2 * 0.007, 15);
    const normal = adjustInput(lejre2034(), ['homeCare', 'hoursTrendPerYear'], { central: 0.01, spreadFactor: 0.5 });
    expect(normal.homeCare!.hoursTrendPerYear).toEqual({ dist: 'normal', mean: 0.01, sd: 0.0025 });
    // Only the central value: the spread stays.
    const shifted = adjustInput(lejre2034(), ['homeCare', 'userTimeShare'], { central: 0.55 });
    const sh = shifted.homeCare!.userTimeShare as Extract<Uncertain, { dist: 'pert' }>;
    expect(sh.mode).toBe(0.55);
    expect(centralAndSpread(sh as Uncertain).spread).toBeCloseTo(
      centralAndSpread(parseScenario(lejre2034()).homeCare!.userTimeShare).spread,
      15,
    );
    // A plain number: replaced, the factor ignored; a field left out is set.
    const hours = adjustInput(lejre2034(), ['homeCare', 'hoursPerRecipientPerWeek'], { central: 4, spreadFactor: 3 });
    expect(hours.homeCare!.hoursPerRecipientPerWeek).toBe(4);
    const noFactor = lejre2034();
    delete noFactor.homeCare!.useRateFactor;
    expect(adjustInput(noFactor, ['homeCare', 'useRateFactor'], { central: 1.1 }).homeCare!.useRateFactor).toBe(1.1);
    // The result is a new object that shares nothing with the input.
    const input = lejre2034();
    const out = adjustInput(input, ['homeCare', 'useRateTrendPerYear'], { central: 0 });
    expect(out.careHomes).not.toBe(input.careHomes);
    expect(out.careHomes).toEqual(input.careHomes);
  });

  it('gives a scenario that runs, and a higher use-rate trend raises the need for home care', () => {
    const base = { ...lejre2034(), horizonYears: 3, paths: 100 };
    const run = (trend: number) => {
      const r = simulate(adjustInput(base, ['homeCare', 'useRateTrendPerYear'], { central: trend }), {
        strategies: [frame()],
      });
      const v = figureValues(r, { strategy: 'frame', service: 'home-care', year: 2026, figure: 'neededUnits' });
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const low = run(-0.02);
    const high = run(0.02);
    // About (1.02/0.98)^3 − 1 = 12 % more needed hours by the third year.
    expect(high / low).toBeGreaterThan(1.08);
    expect(high / low).toBeLessThan(1.16);
  });

  it('refuses a change outside the field, naming the field, the value and the range', () => {
    const trend = () => adjustInput(lejre2034(), ['homeCare', 'useRateTrendPerYear'], { central: 0.195 });
    expect(trend).toThrow(OptionError);
    expect(trend).toThrow(
      /^homeCare\.useRateTrendPerYear: the change to \{"dist":"pert","min":0\.188,"mode":0\.195,"max":0\.202/,
    );
    expect(trend).toThrow(/values all lie in \[-0\.2, 0\.2\]/);
    const share = () => adjustInput(lejre2034(), ['homeCare', 'undeliveredShare'], { spreadFactor: 3 });
    expect(share).toThrow(/^homeCare\.undeliveredShare: .*values all lie in \[0, 0\.99\]/);
    expect(() => adjustInput(lejre2034(), ['homeCare', 'userTimeShare'], { central: 1.2, spreadFactor: 0 })).toThrow(
      /^homeCare\.userTimeShare: .*\[0\.05, 1\]/,
    );
    try {
      trend();
    } catch (e) {
      expect((e as OptionError).option).toBe('homeCare.useRateTrendPerYear');
      expect((e as OptionError).received).toMatchObject({ dist: 'pert', mode: 0.195 });
    }
  });

  it('refuses a bad change, path or family with clear errors', () => {
    const s = lejre2034();
    const p = ['homeCare', 'useRateTrendPerYear'];
    expect(() => adjustInput(s, p, { spreadFactor: -1 })).toThrow(
      /^spreadFactor: expected a finite number >= 0; received -1/,
    );
    expect(() => adjustInput(s, p, { spreadFactor: Infinity })).toThrow(/^spreadFactor: /);
    expect(() => adjustInput(s, p, { spreadFactor: NaN })).toThrow(/^spreadFactor: /);
    expect(() => adjustInput(s, p, { central: NaN })).toThrow(/^central: expected a finite number/);
    expect(() => adjustInput(s, [], { central: 0 })).toThrow(/^path: expected a non-empty list/);
    expect(() => adjustInput(s, ['homeCare', '__proto__'], { central: 0 })).toThrow(/reserved/);
    expect(() => adjustInput(s, ['homeCare'], { central: 0 })).toThrow(
      /^homeCare: expected a field holding a number or a distribution; the scenario has object there/,
    );
    expect(() => adjustInput(s, ['homeCare', 'noSuchField'], { central: 0 })).toThrow(/no such field/);
    const onX = (u: Uncertain, change: { central?: number; spreadFactor?: number }) =>
      adjustInput(scenarioWith(u), path, change);
    expect(() => onX({ dist: 'poisson', mean: 3 }, { spreadFactor: 2 })).toThrow(
      /^homeCare\.useRateTrend\.parameters\.x: expected spreadFactor 1 for a Poisson/,
    );
    expect(() => onX({ dist: 'beta', alpha: 2, beta: 2 }, { spreadFactor: 3 })).toThrow(/below √\(mean·\(1 − mean\)\)/);
    expect(() => onX({ dist: 'gamma', shape: 2, scale: 1 }, { central: -1 })).toThrow(/mean\) > 0 for a gamma/);
    expect(() => onX({ dist: 'lognormal', median: 2, p95: 3 }, { central: 0 })).toThrow(/median\) > 0 for a lognormal/);
    expect(() => onX({ dist: 'pareto', min: 1, alpha: 1.5 }, { spreadFactor: 2 })).toThrow(/alpha <= 2/);
    expect(() =>
      onX({ dist: 'lognormalPareto', mu: 0, sigma: 0.5, threshold: 3, tailShare: 0.05, alpha: 2.5 }, { central: 2 }),
    ).toThrow(/lognormal-Pareto cannot be moved/);
    expect(() => adjustInput({ ...s, horizonYears: 0 }, p, { central: 0 })).toThrow(ScenarioError);
  });
});
