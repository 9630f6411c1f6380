import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  herningSpecialised,
  lejre2034,
  parseScenario,
  parseSteeringProblem,
  SteeringProblemError,
} from '../../src/index';

const scenario = parseScenario(lejre2034());
const base = {
  candidates: [
    { kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: { min: 0, max: 1 }, regulate: ['full', 'excess'] } },
  ],
  objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
  constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
};

/** The problems a problem gives, as "where: message". */
function problems(input: unknown): string[] {
  try {
    parseSteeringProblem(input, scenario);
  } catch (e) {
    expect(e).toBeInstanceOf(SteeringProblemError);
    return (e as SteeringProblemError).problems.map((p) => `${p.where}: ${p.message}`);
  }
  return [];
}

describe('parseSteeringProblem', () => {
  it('reads ranges, sets, measures and fills the defaults', () => {
    const p = parseSteeringProblem(base, scenario);
    expect(p.families[0]!.parameters).toEqual([
      { name: 'corridor', kind: 'range', min: 0, max: 0.1 },
      { name: 'marginalRate', kind: 'range', min: 0, max: 1 },
      { name: 'regulate', kind: 'set', values: ['full', 'excess'] },
    ]);
    expect(p.objective).toMatchObject({ direction: 'minimize', figure: 'treasuryShareKr', from: 2030, to: 2030 });
    expect(p.constraints[0]).toMatchObject({ statistic: { kind: 'quantile', p: 0.95 }, max: 0.05 });
    expect(p).toMatchObject({ paths: 500, evaluations: 60, verify: { paths: 2000, top: 3 }, seed: scenario.seed });
    // The frontier defaults to the objective against the first constraint.
    expect(p.frontier?.y.label).toBe('p95 of providerDeviationPct in 2030');
  });

  it('reads every form of measure and of years', () => {
    const p = parseSteeringProblem(
      {
        ...base,
        objective: {
          maximize: { measure: 'P<0', figure: 'providerDeviationKr', service: 'home-care', years: '2025..2027' },
        },
        constraints: [
          { measure: 'es97.5', figure: 'treasuryDeviationKr', year: 'last', max: 5e7 },
          { measure: 'median', metric: 'care-homes.waiting', year: 'first', min: 0, max: '40' },
          { measure: 'P(> 0.05)', figure: 'providerDeviationPct', years: [2024, 2034], max: 0.1 },
        ],
      },
      scenario,
    );
    expect(p.objective).toMatchObject({ direction: 'maximize', service: 'home-care', from: 2025, to: 2027 });
    expect(p.objective.statistic).toEqual({ kind: 'probability', above: false, threshold: 0 });
    expect(p.constraints.map((c) => [c.statistic, c.from, c.to, c.max])).toEqual([
      [{ kind: 'es', p: 0.975 }, 2034, 2034, 5e7],
      [{ kind: 'quantile', p: 0.5 }, 2024, 2024, 40],
      [{ kind: 'probability', above: true, threshold: 0.05 }, 2024, 2034, 0.1],
    ]);
  });

  it('names every problem by its path before any work', () => {
    const found = problems({
      candidates: [
        {
          kind: 'hybrid',
          vary: { corridr: '0..0.1', corridor: '0..2', marginalRate: '1..0', regulate: ['full', 'half'] },
        },
        { kind: 'activity', vary: { reserveKr: '0..1e6' } },
        { kind: 'flat' },
      ],
      objective: { minimize: { measure: 'p101', figure: 'treasuryShare', year: 2040 } },
      constraints: [
        { measure: 'P>0', figure: 'treasuryDeviationKr', year: 2030, max: 1.5 },
        { measure: 'mean', figure: 'actualCostKr', year: 2030 },
        { measure: 'mean', figure: 'actualCostKr', service: 'hospital', year: 2030, max: 1 },
      ],
    });
    expect(found).toContain('candidates[2].kind: expected one of "frame", "demographicFrame", "hybrid", "activity"');
    // The schema's problems come first, alone: fix the structure, then the rest is checked.
    expect(found).toHaveLength(1);
    const rest = problems({
      candidates: [
        {
          kind: 'hybrid',
          vary: { corridr: '0..0.1', corridor: '0..2', marginalRate: '1..0', regulate: ['full', 'half'] },
        },
        { kind: 'activity', vary: { reserveKr: '0..1e6' } },
      ],
      objective: { minimize: { measure: 'p101', figure: 'treasuryShare', year: 2040 } },
      constraints: [
        { measure: 'P>0', figure: 'treasuryDeviationKr', year: 2030, max: 1.5 },
        { measure: 'mean', figure: 'actualCostKr', year: 2030 },
        { measure: 'mean', figure: 'actualCostKr', service: 'hospital', year: 2030, max: 1 },
      ],
    });
    const has = (where: string, what: RegExp) =>
      expect(
        rest.some((r) => r.startsWith(`${where}: `) && what.test(r)),
        `${where} ${String(what)} in\n${rest.join('\n')}`,
      ).toBe(true);
    has('candidates[0].vary.corridr', /unknown field "corridr"/);
    has('candidates[0].vary.corridor', /2 is not a valid corridor: .*<= 1/);
    has('candidates[0].vary.marginalRate', /MIN is below its MAX/);
    has('candidates[0].vary.regulate', /half is not a valid regulate: .*"full", "excess"/);
    has('candidates[1].vary.reserveKr', /activity steering has no frame/);
    has('objective.minimize.measure', /expected mean, median, pNN/);
    has('objective.minimize.figure', /expected one of treasuryDeviationKr/);
    has('constraints[0].max', /probability in \[0, 1\]/);
    has('constraints[1].max', /expected max, min or both/);
    has('constraints[2].service', /expected one of total, /);
    has('objective.minimize.year', /expected a simulated year, 2024 to 2034/);
    expect(() =>
      parseSteeringProblem({ ...base, constraints: [{ ...base.constraints[0], year: 2040 }] }, scenario),
    ).toThrow(/constraints\[0\]\.year: expected a simulated year, 2024 to 2034; received 2040/);
  });

  it('refuses a metric the scenario does not have, and a metric with a figure', () => {
    expect(
      problems({ ...base, constraints: [{ measure: 'mean', metric: 'care-homes.queue', year: 2030, max: 1 }] }),
    ).toEqual([expect.stringMatching(/^constraints\[0\]\.metric: expected one of .*care-homes\.waiting/)]);
    expect(
      problems({
        ...base,
        constraints: [{ measure: 'mean', metric: 'care-homes.waiting', figure: 'actualCostKr', year: 2030, max: 1 }],
      }),
    ).toEqual(['constraints[0].figure: expected exactly one of figure and metric']);
  });
});

describe('docs/optimize.md', () => {
  it('shows the errors of its example problem as they are', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'optimize.md'), 'utf8');
    const shown = /```text\n(Invalid steering problem[\s\S]*?)\n```/.exec(doc)![1]!;
    expect(() =>
      parseSteeringProblem(
        {
          candidates: [{ kind: 'hybrid', vary: { corridor: '0..2' } }],
          objective: { minimize: { measure: 'p101', figure: 'treasuryShareKr', year: 2024 } },
          constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2040, max: 0.05 }],
        },
        parseScenario(herningSpecialised()),
      ),
    ).toThrow(shown);
  });
});
