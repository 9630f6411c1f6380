/**
 * Seeded fuzz of the scenario edge: every preset mutated (removed fields, wrong types, extreme
 * and tiny numbers, NaN and Infinity, reserved keys, deep nesting, duplicate ids, out-of-range
 * dates, bad matrices). Each case is refused with a ScenarioError naming a path, refused as too
 * large, or runs to finite figures and summaries. FUZZ_RUNS sets the number of cases (default 5,000;
 * the invariants run a 25th of it); FUZZ_SEED the seed.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  figureValues,
  frame,
  presets,
  replayPath,
  ScenarioError,
  safeParseScenario,
  simulate,
  SimulationError,
  summarize,
  summarizeMetrics,
  type ScenarioInput,
} from '../../src/index';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/**
 * The cases run in batches, one test each with its own seed (SEED, SEED + 1, ...), so that each
 * test is sized by its work and stays within the timeout on a loaded machine.
 */
const BATCH = 250;
const INVARIANT_RUNS = Math.max(50, Math.round(RUNS / 25));
const INVARIANT_BATCH = 5;
const batches = (runs: number, size: number) => {
  const n = Math.ceil(runs / size);
  return Array.from({ length: n }, (_, k) => ({
    batch: `${k + 1} of ${n}`,
    seed: SEED + k,
    runs: Math.min(size, runs - k * size),
  }));
};

/** Short presets, so the cases that run stay fast. */
const bases: ScenarioInput[] = Object.values(presets).map((make) => ({ ...make(), horizonYears: 3, paths: 3 }));

type Json = unknown;
type Path = (string | number)[];

/** Every path into a value (objects and arrays included), the root excluded, at most 12 deep. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object' && prefix.length < 12) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      pathsOf(v, p, out);
    }
  }
  return out;
}

const numbers = [
  1e308,
  -1e308,
  5e-324,
  -5e-324,
  0,
  -0,
  1e15,
  -1,
  2 ** 53,
  Number.NaN,
  Infinity,
  -Infinity,
  0.5,
  1,
  2,
  1e-6,
  1e6,
  0.999999,
  100_000,
  1e-300,
];
const wrongTypes = [
  'x',
  '',
  true,
  null,
  [],
  {},
  [1, 2],
  { dist: 'pert', min: 1, mode: 0, max: 2 },
  { dist: 'lognormal', p5: 1e-300, p95: 1e300 },
  { dist: 'normal', mean: 0, sd: 1e308 },
];
const dates = ['2020-02-30', '1899-01-01', '9999-12-31', '10-32', '02-29', '13-01', '2024-13-01', 'today'];
const matrices = [
  [
    [1, 2],
    [2, 1],
  ],
  [
    [1, 0.5, 0.5],
    [0.5, 1, 0.5],
  ],
  [
    [1, Number.NaN],
    [Number.NaN, 1],
  ],
  [
    [1, 0.9],
    [-0.9, 1],
  ],
  [[1]],
  [],
  [
    [1, -1],
    [-1, 1],
  ],
  -0.9,
  1,
];

type Mutation =
  | { op: 'remove'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'reserved'; at: number; key: string }
  | { op: 'deep'; at: number; depth: number }
  | { op: 'duplicate'; at: number }
  | { op: 'date'; at: number; value: string }
  | { op: 'matrix'; value: unknown }
  | { op: 'scale'; at: number; factor: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...numbers) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...wrongTypes) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.double({ noNaN: false }) }),
  fc.record({
    op: fc.constant('reserved' as const),
    at: fc.nat(),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
  }),
  fc.record({ op: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(40, 1000, 100_000) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('date' as const), at: fc.nat(), value: fc.constantFrom(...dates) }),
  fc.record({ op: fc.constant('matrix' as const), value: fc.constantFrom(...matrices) }),
  // Plausible changes too, so that many cases run.
  fc.record({
    op: fc.constant('scale' as const),
    at: fc.nat(),
    factor: fc.constantFrom(0, 0.001, 0.1, 0.5, 0.9, 1.1, 2, 10, 1000),
  }),
  fc.record({ op: fc.constant('scale' as const), at: fc.nat(), factor: fc.double({ min: 0, max: 3, noNaN: true }) }),
);

function parentOf(root: Record<string, unknown>, path: Path): [Record<string | number, unknown>, string | number] {
  let v: unknown = root;
  for (const k of path.slice(0, -1)) v = (v as Record<string | number, unknown>)[k];
  return [v as Record<string | number, unknown>, path[path.length - 1]!];
}

/** Applies a mutation to a deep copy of a base scenario. */
function mutate(base: ScenarioInput, mutations: readonly Mutation[]): Record<string, unknown> {
  const s = structuredClone(base) as Record<string, unknown>;
  for (const m of mutations) {
    const all = pathsOf(s);
    if (m.op === 'matrix') {
      const population = s.population;
      if (population !== null && typeof population === 'object' && !Array.isArray(population))
        (population as Record<string, unknown>).correlation = structuredClone(m.value);
      continue;
    }
    const candidates =
      m.op === 'reserved'
        ? all.filter((p) => {
            const v = parentOf(s, [...p, 'x'])[0];
            return v !== null && typeof v === 'object' && !Array.isArray(v);
          })
        : m.op === 'duplicate'
          ? all.filter((p) => Array.isArray(parentOf(s, [...p, 0])[0]))
          : m.op === 'date'
            ? all.filter((p) => {
                const [o, k] = parentOf(s, p);
                return typeof o[k] === 'string';
              })
            : m.op === 'scale'
              ? all.filter((p) => {
                  const [o, k] = parentOf(s, p);
                  return typeof o[k] === 'number';
                })
              : all;
    if (candidates.length === 0) continue;
    const path = candidates[m.at % candidates.length]!;
    const [parent, key] = parentOf(s, path);
    switch (m.op) {
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 'set':
        parent[key] = structuredClone(m.value);
        break;
      case 'date':
        parent[key] = m.value;
        break;
      case 'scale':
        parent[key] = (parent[key] as number) * m.factor;
        break;
      case 'reserved': {
        const target = parent[key] as Record<string, unknown>;
        // An own property, as JSON.parse makes it (an assignment to __proto__ would set the prototype).
        Object.defineProperty(target, m.key, { value: 0.5, enumerable: true, configurable: true, writable: true });
        break;
      }
      case 'deep': {
        let v: unknown = 1;
        for (let i = 0; i < m.depth; i++) v = [v];
        parent[key] = v;
        break;
      }
      case 'duplicate': {
        const list = parent[key] as unknown[];
        if (list.length > 0) list.push(list[0]);
        break;
      }
    }
  }
  return s;
}

/** Every number in a plain value. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe('fuzz: mutated presets are refused with a path, or run to finite figures', () => {
  it.each(batches(RUNS, BATCH))('$runs seeded cases, batch $batch (seed $seed)', ({ seed, runs }) => {
    const outcomes = { rejected: 0, ran: 0, tooLarge: 0 };
    fc.assert(
      fc.property(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (b, ms) => {
        const input = mutate(bases[b]!, ms);
        const parsed = safeParseScenario(input);
        if (!parsed.success) {
          expect(parsed.error).toBeInstanceOf(ScenarioError);
          expect(parsed.error.problems.length).toBeGreaterThan(0);
          for (const p of parsed.error.problems) {
            expect(typeof p.where).toBe('string');
            expect(p.message.length).toBeGreaterThan(0);
          }
          // A problem names a field, unless the input is not an object at all.
          if (input !== null && typeof input === 'object')
            expect(parsed.error.problems.some((p) => p.path.length > 0)).toBe(true);
          outcomes.rejected++;
          return;
        }
        let result;
        try {
          result = simulate(input, { paths: 3 });
        } catch (e) {
          if (e instanceof SimulationError && e.code === 'RUN_TOO_LARGE') {
            outcomes.tooLarge++;
            return;
          }
          throw e;
        }
        for (const [f, a] of Object.entries(result.figures)) expect(a.every(Number.isFinite), f).toBe(true);
        for (const [m, a] of Object.entries(result.metrics)) expect(a.every(Number.isFinite), m).toBe(true);
        const rows = summarize(result, {
          figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'providerDeviationPct', 'actualCostKr'],
        });
        expect(numbersIn(rows).every(Number.isFinite)).toBe(true);
        expect(numbersIn(summarizeMetrics(result)).every(Number.isFinite)).toBe(true);
        expect(
          figureValues(result, {
            strategy: result.strategies[0]!.id,
            service: result.services[0]!.id,
            year: result.years[0]!,
            figure: 'serviceGapShare',
          }).every(Number.isFinite),
        ).toBe(true);
        outcomes.ran++;
      }),
      { seed, numRuns: runs },
    );
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
    // The fuzz reaches both sides of the edge.
    expect(outcomes.rejected).toBeGreaterThan(runs / 10);
    expect(outcomes.ran).toBeGreaterThan(runs / 20);
  });
});

/** A random valid scenario: 1 to 3 groups, home care, perhaps care homes and the specialised area. */
const valid = fc
  .record({
    groups: fc.integer({ min: 1, max: 3 }),
    starts: fc.array(fc.integer({ min: 100, max: 60_000 }), { minLength: 3, maxLength: 3 }),
    growth: fc.array(fc.double({ min: -0.05, max: 0.08, noNaN: true }), { minLength: 3, maxLength: 3 }),
    // Rates of 0 or at least one in a thousand (subnormal rates would make every sum rounding noise).
    rates: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 1, noNaN: true })), {
      minLength: 3,
      maxLength: 3,
    }),
    rateFactor: fc.double({ min: 0.5, max: 3, noNaN: true }),
    hours: fc.double({ min: 0.5, max: 30, noNaN: true }),
    wage: fc.double({ min: 100, max: 1000, noNaN: true }),
    uncertain: fc.boolean(),
    homes: fc.option(fc.array(fc.integer({ min: 5, max: 300 }), { minLength: 1, maxLength: 3 })),
    exitPerYear: fc.double({ min: 0.1, max: 5, noNaN: true }),
    cases: fc.option(
      fc.record({
        start: fc.integer({ min: 0, max: 300 }),
        inflow: fc.double({ min: 0, max: 50, noNaN: true }),
        median: fc.integer({ min: 100_000, max: 2_000_000 }),
      }),
    ),
    strategies: fc.subarray(['frame', 'activity', 'hybrid', 'hybridNext', 'demographicFrame'] as const, {
      minLength: 1,
    }),
    step: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
    horizon: fc.integer({ min: 1, max: 5 }),
    seed: fc.nat(),
  })
  .map((r) => {
    const ids = ['67-79', '80+', '90+'].slice(0, r.groups);
    const spread = (x: number, lo = 0) =>
      r.uncertain ? { dist: 'pert' as const, min: Math.max(lo, x * 0.9), mode: x, max: x * 1.1 } : x;
    const scenario: Record<string, unknown> = {
      name: 'random',
      baseYear: 2024,
      horizonYears: r.horizon,
      step: r.step,
      seed: r.seed,
      paths: 4,
      population: {
        groups: ids.map((id, i) => ({
          id,
          start: r.starts[i]!,
          growthPerYear: r.growth[i]!,
          ...(r.uncertain ? {} : { errorGrowthSdPerYear: 0, errorNoiseSdPerYear: 0 }),
        })),
      },
      prices: { indexForecastPerYear: 0.02, indexOutcomeSdPerYear: r.uncertain ? 0.01 : 0 },
      homeCare: {
        useRates: Object.fromEntries(ids.map((id, i) => [id, r.rates[i]!])),
        useRateFactor: r.rateFactor,
        useRateTrendPerYear: r.uncertain ? { dist: 'normal', mean: 0, sd: 0.005 } : 0,
        hoursPerRecipientPerWeek: spread(r.hours),
        userTimeShare: spread(0.6),
        undeliveredShare: spread(0.05),
        wageCostPerPaidHourKr: r.wage,
        recipientNoise: r.uncertain,
        individualHoursCv: r.uncertain ? 1.2 : 0,
      },
      strategies: r.strategies.map((k) =>
        k === 'hybridNext'
          ? { kind: 'hybrid', mode: 'nextYear' }
          : k === 'demographicFrame'
            ? { kind: 'demographicFrame', unitCostKr: Object.fromEntries(ids.map((id) => [id, 20_000])) }
            : { kind: k },
      ),
    };
    if (r.homes !== null)
      scenario.careHomes = {
        homes: r.homes.map((places, i) => ({ id: `h${i}`, places })),
        applicantGroup: ids[ids.length - 1],
        stay: { kind: 'constant', exitPerYear: r.exitPerYear },
      };
    if (r.cases !== null)
      scenario.specialised = {
        casesAtStart: r.cases.start,
        inflowPerYear: r.cases.inflow,
        costPerCase: { medianKr: r.cases.median, p95Kr: r.cases.median * 2.5 },
      };
    return { scenario: scenario as ScenarioInput, uncertain: r.uncertain, hours: r.hours };
  });

/** The scenario with every price in kr doubled. */
function doublePrices(s: ScenarioInput): ScenarioInput {
  const d = structuredClone(s) as unknown as Record<string, Record<string, unknown>>;
  d.homeCare!.wageCostPerPaidHourKr = (d.homeCare!.wageCostPerPaidHourKr as number) * 2;
  const homes = d.careHomes as { homes: Record<string, number>[]; externalKrPerDay?: number } | undefined;
  if (homes !== undefined) {
    homes.homes.forEach((h) =>
      Object.assign(h, { fixedCostKrPerYear: 2 * 13_500_000, costPerPlaceKrPerYear: 2 * 300_000 }),
    );
    homes.externalKrPerDay = 2 * 1900;
  }
  const sp = d.specialised as { costPerCase: Record<string, number> } | undefined;
  if (sp !== undefined)
    sp.costPerCase = {
      medianKr: sp.costPerCase.medianKr! * 2,
      p95Kr: sp.costPerCase.p95Kr! * 2,
      tailFromKr: 2 * 2_000_000,
    };
  for (const st of d.strategies as unknown as Record<string, unknown>[]) {
    if (st.unitCostKr !== undefined)
      st.unitCostKr = Object.fromEntries(
        Object.entries(st.unitCostKr as Record<string, number>).map(([k, v]) => [k, 2 * v]),
      );
  }
  return d as unknown as ScenarioInput;
}

const KR = ['adoptedBudgetKr', 'openingBudgetKr', 'finalBudgetKr', 'actualCostKr', 'carryOverKr'] as const;

describe('invariants over random valid scenarios', () => {
  it.each(batches(INVARIANT_RUNS, INVARIANT_BATCH))(
    'hold for $runs seeded scenarios (batch $batch, seed $seed)',
    ({ seed, runs }) => {
      fc.assert(
        fc.property(valid, ({ scenario, uncertain, hours }) => {
          const r = simulate(scenario);
          const f = r.figures;
          // Cost is never negative.
          expect(f.actualCostKr.every((x) => x >= 0)).toBe(true);
          // The budget identities, value by value.
          for (const strategy of r.strategies) {
            for (const service of r.services) {
              for (const year of r.years) {
                const sel = { strategy: strategy.id, service: service.id, year };
                const actual = figureValues(r, { ...sel, figure: 'actualCostKr' });
                const adopted = figureValues(r, { ...sel, figure: 'adoptedBudgetKr' });
                const final = figureValues(r, { ...sel, figure: 'finalBudgetKr' });
                const treasury = figureValues(r, { ...sel, figure: 'treasuryDeviationKr' });
                const provider = figureValues(r, { ...sel, figure: 'providerDeviationKr' });
                treasury.forEach((x, i) => expect(x).toBe(actual[i]! - adopted[i]!));
                provider.forEach((x, i) => expect(x).toBe(actual[i]! - final[i]!));
              }
            }
          }
          // Residents never exceed the places.
          const occupancy = r.metrics['care-homes.occupancy'];
          if (occupancy !== undefined) expect(occupancy.every((x) => x >= 0 && x <= 1)).toBe(true);
          // Recipients never exceed the population: needed hours at most every citizen at the hours a week (without spread between recipients).
          if (!uncertain && r.services.every((s) => s.id !== 'care-homes')) {
            const replay = replayPath(scenario, 2, { strategies: [frame()] });
            const needed = figureValues(replay.result, {
              strategy: 'frame',
              service: 'home-care',
              year: r.years[0]!,
              figure: 'neededUnits',
            })[0]!;
            const citizens = replay.world.population[1]!.reduce((a, x) => a + x, 0);
            expect(needed).toBeLessThanOrEqual((citizens * hours * 366) / 7 + 1e-6);
          }
          // Doubling every price doubles every kr figure and leaves activity as it was.
          const d = simulate(doublePrices(scenario));
          // (to rounding: a tolerance of 1e-9 of the largest value of the figure)
          const close = (a: Float64Array, b: Float64Array, factor: number) => {
            const scale = a.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
            a.forEach((x, i) => expect(Math.abs(x - factor * b[i]!)).toBeLessThanOrEqual(1e-9 * scale));
          };
          for (const k of KR) close(d.figures[k], f[k], 2);
          for (const k of ['neededUnits', 'orderedUnits', 'deliveredUnits'] as const) close(d.figures[k], f[k], 1);
          // No uncertainty: every path is the same (care homes and the specialised area draw arrivals and stays).
          if (!uncertain && r.services.every((s) => s.id === 'home-care')) {
            for (const k of KR) {
              const a = f[k];
              for (let i = 0; i < a.length; i += r.pathCount)
                for (let j = 1; j < r.pathCount; j++) expect(a[i + j]).toBe(a[i]);
            }
          }
        }),
        { seed, numRuns: runs },
      );
    },
  );
});
