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

const HINT = 'the fast step and its reference must change together; run this test before re-pinning the golden runs';

/**
 * The first value that differs bit for bit (Object.is: -0 and NaN too), named by scenario,
 * strategy, service (or metric), year and path, with both values; or undefined.
 */
function firstDifference(scenario: string, fast: SimulationResult, reference: SimulationResult): string | undefined {
  const V = fast.services.length;
  const Y = fast.years.length;
  const n = fast.pathCount;
  const strategyOf = (j: number, per: number) => fast.strategies[Math.floor(j / per)]?.id;
  if (Object.keys(reference.metrics).join() !== Object.keys(fast.metrics).join())
    return `scenario "${scenario}": the metrics differ (fast step ${Object.keys(fast.metrics).join(', ')}; reference step ${Object.keys(reference.metrics).join(', ')}); ${HINT}`;
  for (const f of RECORDED_FIGURES) {
    const a = fast.figures[f];
    const b = reference.figures[f];
    if (b.length !== a.length) return `scenario "${scenario}": ${f} differs in shape; ${HINT}`;
    for (let j = 0; j < a.length; j++) {
      if (Object.is(a[j], b[j])) continue;
      // Laid out strategy, service, year, path.
      const at = `strategy "${strategyOf(j, V * Y * n)}", service "${fast.services[Math.floor(j / (Y * n)) % V]!.id}", year ${fast.years[Math.floor(j / n) % Y]}, path ${fast.pathStart + (j % n)}`;
      return `scenario "${scenario}", ${at}: ${f} is ${a[j]} with the fast step and ${b[j]} with the reference step; ${HINT}`;
    }
  }
  for (const key of Object.keys(fast.metrics)) {
    const a = fast.metrics[key]!;
    const b = reference.metrics[key]!;
    if (b.length !== a.length) return `scenario "${scenario}": metric "${key}" differs in shape; ${HINT}`;
    for (let j = 0; j < a.length; j++) {
      if (Object.is(a[j], b[j])) continue;
      // Laid out strategy, year, path.
      const at = `strategy "${strategyOf(j, Y * n)}", year ${fast.years[Math.floor(j / n) % Y]}, path ${fast.pathStart + (j % n)}`;
      return `scenario "${scenario}", ${at}: metric "${key}" is ${a[j]} with the fast step and ${b[j]} with the reference step; ${HINT}`;
    }
  }
  return undefined;
}

describe('the care homes’ event loop equals its plain reference bit for bit', () => {
  resetBranchCounts();

  it.each(SCENARIOS)('%s', (name, scenario, paths) => {
    const fast = run(scenario, paths, false);
    const reference = run(scenario, paths, true);
    expect(fast.pathCount).toBe(paths);
    expect(fast.services.some((s) => s.id === 'care-homes')).toBe(true);
    const difference = firstDifference(name, fast, reference);
    if (difference !== undefined) expect.fail(difference);
  });

  it('a difference is named by scenario, strategy, service, year and path, with both values', () => {
    const fast = run(preset(ishoejCareHomes), 3, false);
    const moved = (figures: SimulationResult['figures'], metrics: SimulationResult['metrics']): SimulationResult => ({
      ...fast,
      figures,
      metrics,
    });
    const V = fast.services.length;
    const Y = fast.years.length;
    // Strategy 1, service 0, year index 2, path 1.
    const j = ((1 * V + 0) * Y + 2) * 3 + 1;
    const cost = Float64Array.from(fast.figures.actualCostKr);
    cost[j] = cost[j]! + 1;
    expect(firstDifference('s', fast, moved({ ...fast.figures, actualCostKr: cost }, fast.metrics))).toBe(
      `scenario "s", strategy "${fast.strategies[1]!.id}", service "${fast.services[0]!.id}", year ${fast.years[2]}, path 1: actualCostKr is ${fast.figures.actualCostKr[j]} with the fast step and ${cost[j]} with the reference step; ${HINT}`,
    );
    const key = Object.keys(fast.metrics)[0]!;
    const metric = Float64Array.from(fast.metrics[key]!);
    const m = (1 * Y + 0) * 3 + 2;
    metric[m] = -0;
    expect(firstDifference('s', fast, moved(fast.figures, { ...fast.metrics, [key]: metric }))).toBe(
      `scenario "s", strategy "${fast.strategies[1]!.id}", year ${fast.years[0]}, path 2: metric "${key}" is ${fast.metrics[key]![m]} with the fast step and 0 with the reference step; ${HINT}`,
    );
  });

  it('the scenarios took every branch of the step', () => {
    const never = Object.entries(branchCounts)
      .filter(([, n]) => n === 0)
      .map(([k]) => k);
    expect(never).toEqual([]);
  });
});
