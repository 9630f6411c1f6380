import { describe, expect, it } from 'vitest';
import {
  buildModel,
  ishoejCareHomes,
  lejre2034,
  parseScenario,
  RECORDED_FIGURES,
  runModel,
  slagelseHomeCare,
  strategiesFromSpecs,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';
import { certainScenario } from '../fixtures';
import { branchCounts, referenceCareHomes, resetBranchCounts } from './careHomes.reference';

type Homes = NonNullable<ScenarioInput['careHomes']>;

/** Lejre's 80+ with care homes only as given; few baseline paths, so that the file is quick. */
function withHomes(careHomes: Homes, overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return { ...certainScenario(), careHomes: { baselinePaths: 4, ...careHomes }, ...overrides };
}

/** A preset with fewer baseline paths (the reference is compared, not the preset's numbers). */
function preset(make: () => ScenarioInput): ScenarioInput {
  const s = make();
  return { ...s, careHomes: { ...s.careHomes!, baselinePaths: 10 } };
}

const SCENARIOS: readonly (readonly [string, ScenarioInput, number])[] = [
  [
    'capacity cut below the residents, a home closed and reopened, one changed before the start (monthly, mixture)',
    withHomes({
      homes: [
        {
          id: 'a',
          places: 40,
          capacityChanges: [
            { from: '2025-03-01', places: 25 },
            { from: '2028-01-01', places: 45 },
          ],
        },
        {
          id: 'b',
          places: 30,
          occupiedAtStart: 0.5,
          capacityChanges: [
            { from: '2026-07-15', places: 0 },
            { from: '2030-01-01', places: 20 },
          ],
        },
        { id: 'c', places: 3, capacityChanges: [{ from: '2020-01-01', places: 5 }] },
      ],
    }),
    12,
  ],
  [
    'the guarantee runs out: many external placements, constant stays, no vacancy days (monthly)',
    withHomes({
      homes: [{ id: 'a', places: 30 }],
      stay: { kind: 'constant', exitPerYear: 0.8 },
      applicantsPerCitizenPerYear: 0.08,
      guaranteeDays: 20,
      vacancyDays: 0,
    }),
    6,
  ],
  [
    'a waiting list longer than its first buffer, short stays only (quarterly)',
    withHomes(
      {
        homes: [{ id: 'a', places: 10 }],
        stay: { kind: 'mixture', shortShare: 1, shortMeanYears: 0.05, longMeanYears: 3 },
        applicantsPerCitizenPerYear: 0.6,
        guaranteeDays: 3650,
        vacancyDays: 2.5,
      },
      { step: 'quarter' },
    ),
    3,
  ],
  [
    'many places and long vacancy: the queues grow (monthly, long stays only)',
    withHomes({
      homes: [
        { id: 'a', places: 400 },
        { id: 'b', places: 200, occupiedAtStart: 0.9 },
      ],
      stay: { kind: 'mixture', shortShare: 0, shortMeanYears: 0.4, longMeanYears: 0.35 },
      vacancyDays: 45.5,
    }),
    3,
  ],
  [
    'no applicants and a cut, yearly periods (default stays)',
    withHomes(
      {
        homes: [{ id: 'a', places: 50, capacityChanges: [{ from: '2026-05-01', places: 20 }] }],
        applicantsPerCitizenPerYear: 0,
      },
      { step: 'year' },
    ),
    10,
  ],
  [
    'yearly periods with a waiting list and external placements',
    withHomes(
      { homes: [{ id: 'a', places: 60 }], applicantsPerCitizenPerYear: 0.03, guaranteeDays: 45 },
      { step: 'year' },
    ),
    10,
  ],
  ['preset lejre-2034 (uncertain population and prices)', preset(lejre2034), 6],
  ['preset ishoej-care-homes', preset(ishoejCareHomes), 6],
  ['preset slagelse-homecare', preset(slagelseHomeCare), 4],
];

/** Runs a scenario's paths with the care homes' fast step, or with the reference step. */
function run(scenario: ScenarioInput, paths: number, reference: boolean): SimulationResult {
  const parsed = parseScenario(scenario);
  const model = buildModel(parsed);
  const services = reference
    ? model.services.map((d) => (d.id === 'care-homes' ? referenceCareHomes(parsed.careHomes!, d.id)[0]! : d))
    : model.services;
  return runModel({ ...model, services }, strategiesFromSpecs(parsed.strategies), { paths });
}

/** The first value that differs bit for bit (Object.is: -0 and NaN too), or undefined. */
function firstDifference(fast: SimulationResult, reference: SimulationResult): string | undefined {
  const arrays: [string, Float64Array, Float64Array | undefined][] = [
    ...RECORDED_FIGURES.map((f) => [f, fast.figures[f], reference.figures[f]] as [string, Float64Array, Float64Array]),
    ...Object.keys(fast.metrics).map(
      (k) => [k, fast.metrics[k]!, reference.metrics[k]] as [string, Float64Array, Float64Array | undefined],
    ),
  ];
  if (Object.keys(reference.metrics).length !== Object.keys(fast.metrics).length) return 'the metrics differ';
  for (const [name, a, b] of arrays) {
    if (b === undefined || b.length !== a.length) return `${name}: the arrays differ in shape`;
    for (let i = 0; i < a.length; i++)
      if (!Object.is(a[i], b[i])) return `${name}[${i}]: fast step ${a[i]}, reference step ${b[i]}`;
  }
  return undefined;
}

describe('the care homes’ event loop equals its plain reference bit for bit', () => {
  resetBranchCounts();

  it.each(SCENARIOS)('%s', (_, scenario, paths) => {
    const fast = run(scenario, paths, false);
    const reference = run(scenario, paths, true);
    expect(fast.pathCount).toBe(paths);
    expect(fast.services.some((s) => s.id === 'care-homes')).toBe(true);
    expect(firstDifference(fast, reference)).toBeUndefined();
  });

  it('the scenarios took every branch of the step', () => {
    const never = Object.entries(branchCounts)
      .filter(([, n]) => n === 0)
      .map(([k]) => k);
    expect(never).toEqual([]);
  });
});
