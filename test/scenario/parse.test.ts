import { describe, expect, it } from 'vitest';
import {
  lejre2034,
  parseScenario,
  safeParseScenario,
  ScenarioError,
  simulate,
  strategiesFromSpecs,
} from '../../src/index';
import { certainScenario, deepFreeze } from '../fixtures';

describe('parseScenario', () => {
  it('fills in defaults and leaves its input untouched', () => {
    const input = deepFreeze(lejre2034());
    const s = parseScenario(input);
    expect(s.name).toBe('lejre-2034');
    expect(s.homeCare!.overheadKrPerYear).toBe(0);
    const minimal = parseScenario({
      name: 'minimal',
      baseYear: 2023,
      horizonYears: 5,
      population: { groups: [{ id: '80+', start: 1000, growthPerYear: 0.03 }] },
      homeCare: { useRates: { '80+': 0.3 } },
    });
    expect(minimal.step).toBe('month');
    expect(minimal.paths).toBe(1000);
    expect(minimal.calendar.followUps).toEqual(['03-31', '06-30', '09-30']);
    expect(minimal.homeCare!.userTimeShare).toBe(0.6);
    expect(minimal.strategies.map((st) => st.kind)).toEqual(['frame', 'activity']);
  });

  it('says how to write a share given as a percentage, and only then', () => {
    const messages = (edit: (s: ReturnType<typeof lejre2034>) => void) => {
      const s = structuredClone(lejre2034());
      edit(s);
      const r = safeParseScenario(s);
      return r.success ? [] : r.error.problems.map((p) => `${p.where}: ${p.message}`);
    };
    expect(messages((s) => ((s.homeCare!.useRates as Record<string, number>)['80+'] = 28))).toEqual([
      'homeCare.useRates.80+: expected <= 1 (a fraction: 0.28 for 28 %)',
    ]);
    // Not a percentage: above 100, or a field whose bound is not a share.
    expect(messages((s) => ((s.homeCare!.useRates as Record<string, number>)['80+'] = 150))).toEqual([
      'homeCare.useRates.80+: expected <= 1',
    ]);
    expect(messages((s) => (s.horizonYears = 0))).toEqual(['horizonYears: expected >= 1']);
    // A correlation is no percentage.
    expect(messages((s) => (s.population!.correlation = 80))).toEqual(['population.correlation: expected <= 1']);
  });

  it('lists every problem with its path, the value received and what was expected', () => {
    const bad = {
      ...certainScenario(),
      horizonYears: 0,
      seed: -3,
      population: { groups: [{ id: '80+', start: -5, target: { year: 2020, value: 2499 } }] },
      homeCare: {
        useRates: { '80+': 1.4, '90+': 0.5 },
        userTimeShare: { dist: 'pert', min: 0.5, mode: 0.45, max: 1.2 },
        hoursPerRecipientPerWeek: 'three',
      },
    };
    const r = safeParseScenario(bad);
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error).toBeInstanceOf(ScenarioError);
    expect(r.error.problems.map((p) => p.where)).toEqual(
      expect.arrayContaining(['horizonYears', 'population.groups[0].start', 'homeCare.useRates.80+']),
    );
    expect(r.error.message).toMatchInlineSnapshot(`
      "Invalid scenario (9 problems):
        - horizonYears: expected >= 1; received 0
        - seed: expected >= 0; received -3
        - population.groups[0].start: expected >= 1; received -5
        - homeCare.useRates.80+: expected <= 1 (a fraction: 0.014 for 1.4 %); received 1.4
        - homeCare.hoursPerRecipientPerWeek: expected a number or a distribution object such as { "dist": "pert", "min": 1, "mode": 2, "max": 4 }; received "three"
        - homeCare.userTimeShare.mode: expected min (0.5) <= mode; received 0.45
        - homeCare.userTimeShare: expected a distribution whose values all lie in [0.05, 1] (a share of at least 5 %); a pert distribution with these parameters can give values in [0.5, 1.2]; received {"dist":"pert","min":0.5,"mode":0.45,"max":1.2}
        - population.groups[0].target.year: expected a year after the base year 2023; received 2020
        - homeCare.useRates.90+: expected one of the population groups (80+); received 0.5"
    `);
  });

  it('reports cross-field problems at the field to fix', () => {
    const r = safeParseScenario({
      ...certainScenario(),
      population: {
        groups: [
          { id: 'a', start: 10, growthPerYear: 0 },
          { id: 'b', start: 10, growthPerYear: 0 },
          { id: 'c', start: 10, growthPerYear: 0 },
        ],
        correlation: [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9, 0.9, 1],
        ],
      },
      homeCare: { useRates: { a: 0.1, b: 0.1, c: 0.1 }, undeliveredShare: { dist: 'normal', mean: 0.05, sd: 0.02 } },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.message).toMatchInlineSnapshot(`
      "Invalid scenario (2 problems):
        - homeCare.undeliveredShare: expected a distribution whose values all lie in [0, 0.99] (a share); a normal distribution with these parameters can give values in [-0.08, 0.18]; received {"dist":"normal","mean":0.05,"sd":0.02}
        - population.correlation: expected a positive definite correlation matrix (its smallest eigenvalue is -0.800): some correlations contradict each other; received [[1,0.9,-0.9],[0.9,1,0.9],[-0.9,0.9,1]]"
    `);
  });

  it('explains a wrong distribution name and an unknown field', () => {
    expect(() =>
      parseScenario({
        ...certainScenario(),
        homeCare: { useRates: { '80+': 0.28 }, hoursPerRecipientPerWeek: { dist: 'gauss', mean: 3 }, hoursPerWeek: 3 },
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ScenarioError: Invalid scenario (2 problems):
        - homeCare.hoursPerRecipientPerWeek.dist: expected dist to be one of "normal", "lognormal", "triangular", "pert", "uniform", "beta", "gamma", "poisson", "binomial", "empirical", "weibull", "pareto", "lognormalPareto"; received "gauss"
        - homeCare: unknown field "hoursPerWeek" (check the spelling); received 3]
    `);
  });

  it('rejects a lognormal whose interval is not symmetric in log space, and invalid dates', () => {
    const r = safeParseScenario({
      ...certainScenario(),
      calendar: { adoption: '02-30', followUps: ['3-31'] },
      homeCare: { useRates: { '80+': 0.28 }, useRateFactor: { dist: 'lognormal', median: 1, p5: 0.9, p95: 1.5 } },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.problems.map((p) => p.where)).toEqual([
      'calendar.adoption',
      'calendar.followUps[0]',
      'homeCare.useRateFactor.p95',
    ]);
  });

  it('rejects input that is not an object at all', () => {
    for (const input of [null, 42, 'lejre', [], undefined]) {
      const r = safeParseScenario(input);
      expect(r.success).toBe(false);
    }
    expect(() => parseScenario(null)).toThrowErrorMatchingInlineSnapshot(`
      [ScenarioError: Invalid scenario (1 problem):
        - (scenario): expected object; received null]
    `);
  });

  it('runs nothing on a bad scenario', () => {
    let progressed = 0;
    expect(() => simulate({ ...lejre2034(), paths: 0 }, { onProgress: () => progressed++ })).toThrow(ScenarioError);
    expect(progressed).toBe(0);
  });

  it('names every built-in strategy in a scenario file, with its options', () => {
    const s = parseScenario({
      ...certainScenario(),
      strategies: [
        { kind: 'frame', serviceResponse: { maxCutPerYear: 0.02 } },
        { kind: 'demographicFrame', expost: 'next' },
        { kind: 'hybrid', mode: 'nextYear', marginalRate: 1 },
        { kind: 'activity', basis: 'ordered', priceCorrection: 1 },
      ],
    });
    expect(strategiesFromSpecs(s.strategies).map((x) => x.id)).toEqual([
      'frame',
      'demographic-frame',
      'hybrid-next-year',
      'activity',
    ]);
    expect(s.strategies[0]).toMatchObject({ serviceResponse: { threshold: 0.01, maxCutPerYear: 0.02, minLevel: 0.8 } });
    const r = safeParseScenario({
      ...certainScenario(),
      strategies: [
        { kind: 'demographicFrame', unitCostKr: { '67-79': 1 } },
        { kind: 'hybrid', corridor: 2 },
        { kind: 'frame' },
        { kind: 'frame' },
      ],
    });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.error.message).toMatchInlineSnapshot(`
        "Invalid scenario (4 problems):
          - strategies[1].corridor: expected <= 1 (a fraction: 0.02 for 2 %); received 2
          - strategies[3].id: expected a unique strategy id ("frame" is used twice; set id); received nothing (the field is missing)
          - strategies[0].unitCostKr.67-79: expected one of the population groups (80+); received 1
          - strategies[0].unitCostKr.80+: expected a unit cost for every population group; received nothing (the field is missing)"
      `);
  });
});
