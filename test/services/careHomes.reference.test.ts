/**
 * The applicant recursion (src/services/careHomesPath.ts) against the event loop it replaced
 * (careHomes.reference.ts): the same model, so the same distribution of every figure and metric.
 *
 * Each scenario runs 20,000 paths with the recursion (paths 0 to 19,999) and 20,000 with the
 * event loop (paths 20,000 to 39,999, so every stream is independent of the first run's),
 * in chunks (a test each, sized by the work for a loaded machine). Both share the layout
 * and the baseline (the event loop subclasses the library's instance), so budgets set from the
 * baseline are the same. Then, for every figure of every strategy and service and every metric,
 * in the first simulated, a middle and the last year: the z-score of the difference of the
 * means (by their standard errors) and of the 5th, 50th and 95th percentiles (by the asymptotic
 * variance of a percentile: the shares of each run at or below the pooled percentile, each
 * binomial, which also holds for counts with ties). Every |z| must be at most 4.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildModel,
  lejre2034,
  parseScenario,
  RECORDED_FIGURES,
  runModel,
  strategiesFromSpecs,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';
import { goldenScenarios } from '../golden/scenarios';
import { branchCounts, referenceCareHomes, resetBranchCounts } from './careHomes.reference';

const PATHS = 20_000;
const PERCENTILES = [0.05, 0.5, 0.95] as const;
const MAX_Z = 4;

/** A golden scenario's care homes under one strategy and without home care (its figures are the care homes'). */
function careHomesOnly(name: string): ScenarioInput {
  const { homeCare: _homeCare, ...s } = goldenScenarios[name]!();
  return { ...s, strategies: [{ kind: 'frame' }] } as ScenarioInput;
}

/** Scenario, input, and paths a test (the busiest event loops take about 5 ms a path). */
const SCENARIOS: readonly (readonly [string, ScenarioInput, number])[] = [
  [
    'preset lejre-2034 (home care paying for the waiting list, under its first strategy)',
    { ...lejre2034(), strategies: lejre2034().strategies!.slice(0, 1) },
    5000,
  ],
  ...Object.keys(goldenScenarios).map(
    (name) => [`golden "${name}"`, careHomesOnly(name), /guarantee|waiting list/.test(name) ? 2500 : 10_000] as const,
  ),
];

/** Runs paths [pathStart, pathStart + paths) with the recursion, or with the event loop. */
function run(scenario: ScenarioInput, pathStart: number, paths: number, eventLoop: boolean): SimulationResult {
  const parsed = parseScenario(scenario);
  const model = buildModel(parsed);
  const services = eventLoop
    ? model.services.map((d) => (d.id === 'care-homes' ? referenceCareHomes(parsed.careHomes!, d.id)[0]! : d))
    : model.services;
  return runModel({ ...model, services }, strategiesFromSpecs(parsed.strategies), { paths, pathStart });
}

/** The values compared, by name: every figure and metric in three years, each a run's paths. */
function valuesOf(r: SimulationResult): Map<string, Float64Array> {
  const n = r.pathCount;
  const Y = r.years.length;
  const V = r.services.length;
  const years = [1, Math.floor(Y / 2), Y - 1];
  const out = new Map<string, Float64Array>();
  r.strategies.forEach((strategy, s) => {
    for (const y of years) {
      r.services.forEach((service, v) => {
        for (const f of RECORDED_FIGURES) {
          const at = ((s * V + v) * Y + y) * n;
          out.set(`${f} of ${service.id} under ${strategy.id} in ${r.years[y]}`, r.figures[f].slice(at, at + n));
        }
      });
      for (const [key, values] of Object.entries(r.metrics)) {
        const at = (s * Y + y) * n;
        out.set(`metric ${key} under ${strategy.id} in ${r.years[y]}`, values.slice(at, at + n));
      }
    }
  });
  return out;
}

/** Joins chunks' values name by name. */
function join(chunks: readonly Map<string, Float64Array>[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const key of chunks[0]!.keys()) {
    const all = new Float64Array(chunks.reduce((a, c) => a + c.get(key)!.length, 0));
    let i = 0;
    for (const c of chunks) {
      all.set(c.get(key)!, i);
      i += c.get(key)!.length;
    }
    out.set(key, all);
  }
  return out;
}

function meanVariance(xs: Float64Array): [number, number] {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return [m, v / (xs.length - 1)];
}

/** The z-score of a difference whose standard error is `se` (0 when both sides are the same constant). */
function zOf(difference: number, se: number): number {
  if (se > 0) return difference / se;
  return difference === 0 ? 0 : Infinity;
}

/** The z-score of the difference of the means. */
function zOfMeans(a: Float64Array, b: Float64Array): number {
  const [ma, va] = meanVariance(a);
  const [mb, vb] = meanVariance(b);
  return zOf(ma - mb, Math.sqrt(va / a.length + vb / b.length));
}

/** Values at or below x in a sorted array. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The z-score of the difference of the q-th percentiles of two sorted samples: at the pooled
 * percentile x, the shares of each sample at or below x, whose difference has the standard
 * error √(F(1 − F)(1/n_a + 1/n_b)) of two binomials with the pooled share F. @internal
 */
function zOfPercentiles(a: Float64Array, b: Float64Array, q: number): number {
  const pooled = new Float64Array(a.length + b.length);
  pooled.set(a);
  pooled.set(b, a.length);
  pooled.sort();
  const x = pooled[Math.min(pooled.length - 1, Math.floor(q * pooled.length))]!;
  const fa = countAtMost(a, x) / a.length;
  const fb = countAtMost(b, x) / b.length;
  const f = countAtMost(pooled, x) / pooled.length;
  return zOf(fa - fb, Math.sqrt(f * (1 - f) * (1 / a.length + 1 / b.length)));
}

/** Every z-score of two runs' values, by name and statistic. */
function zScores(a: Map<string, Float64Array>, b: Map<string, Float64Array>): { name: string; z: number }[] {
  const out: { name: string; z: number }[] = [];
  for (const [key, xa] of a) {
    const xb = b.get(key)!;
    const sa = Float64Array.from(xa).sort();
    const sb = Float64Array.from(xb).sort();
    // The same constant on both sides (the base year's, a cost the paths do not move): nothing to compare.
    if (sa[0] === sa[sa.length - 1] && sb[0] === sa[0] && sb[sb.length - 1] === sa[0]) continue;
    out.push({ name: `mean of ${key}`, z: zOfMeans(xa, xb) });
    for (const q of PERCENTILES) out.push({ name: `P${q * 100} of ${key}`, z: zOfPercentiles(sa, sb, q) });
  }
  return out;
}

/** Every z-score over all scenarios, for the summary printed at the end. */
const all: { scenario: string; name: string; z: number }[] = [];

describe('the applicant recursion and the event loop are the same model (20,000 paths each, independent streams)', () => {
  resetBranchCounts();

  describe.each(SCENARIOS)('%s', (scenario, input, chunk) => {
    const recursion: Map<string, Float64Array>[] = [];
    const eventLoop: Map<string, Float64Array>[] = [];
    for (let start = 0; start < PATHS; start += chunk) {
      it(`the recursion, paths ${start} to ${start + chunk - 1}`, () => {
        recursion.push(valuesOf(run(input, start, chunk, false)));
      });
      it(`the event loop, paths ${PATHS + start} to ${PATHS + start + chunk - 1}`, () => {
        eventLoop.push(valuesOf(run(input, PATHS + start, chunk, true)));
      });
    }
    it(`every |z| of means and P5/P50/P95 is at most ${MAX_Z}`, () => {
      const a = join(recursion);
      expect(a.values().next().value!.length).toBe(PATHS);
      const z = zScores(a, join(eventLoop));
      expect(z.length).toBeGreaterThan(10);
      for (const x of z) all.push({ scenario, ...x });
      const worst = z.reduce((w, x) => (Math.abs(x.z) > Math.abs(w.z) ? x : w));
      expect(
        z.filter((x) => !(Math.abs(x.z) <= MAX_Z)).map((x) => `${x.name}: z = ${x.z.toFixed(2)}`),
        `scenario ${scenario}; largest |z| ${Math.abs(worst.z).toFixed(2)} (${worst.name})`,
      ).toEqual([]);
    });
  });

  it('the scenarios took every branch of the event loop', () => {
    const never = Object.entries(branchCounts)
      .filter(([, n]) => n === 0)
      .map(([k]) => k);
    expect(never).toEqual([]);
  });

  afterAll(() => {
    if (all.length === 0) return;
    const worst = all.reduce((w, x) => (Math.abs(x.z) > Math.abs(w.z) ? x : w));
    const above = (t: number) => all.filter((x) => Math.abs(x.z) > t).length;
    console.log(
      `care homes, recursion against event loop: ${all.length} z-scores, largest |z| ${Math.abs(worst.z).toFixed(2)} (${worst.scenario}: ${worst.name}), ${above(2)} above 2, ${above(3)} above 3`,
    );
  });
});

describe('the z-scores of the comparison', () => {
  it('are near 0 for two samples of one distribution and large for shifted ones', () => {
    const n = 4000;
    // A deterministic uniform-ish sample: the golden ratio's multiples modulo 1.
    const sample = (shift: number, offset: number) =>
      Float64Array.from({ length: n }, (_, i) => (((i + offset) * 0.6180339887498949) % 1) + shift);
    const a = sample(0, 0);
    const b = sample(0, 7919);
    const c = sample(0.05, 7919);
    expect(Math.abs(zOfMeans(a, b))).toBeLessThan(1);
    expect(Math.abs(zOfMeans(a, c))).toBeGreaterThan(4);
    const sorted = (x: Float64Array) => Float64Array.from(x).sort();
    for (const q of PERCENTILES) {
      expect(Math.abs(zOfPercentiles(sorted(a), sorted(b), q))).toBeLessThan(1);
      expect(Math.abs(zOfPercentiles(sorted(a), sorted(c), q))).toBeGreaterThan(4);
    }
    // Counts with ties: the same shares give 0, another share a large z.
    const counts = (zeros: number) => Float64Array.from({ length: n }, (_, i) => (i < zeros ? 0 : 1 + (i % 3)));
    expect(zOfPercentiles(counts(800), counts(800), 0.05)).toBe(0);
    expect(Math.abs(zOfPercentiles(counts(800), counts(1200), 0.05))).toBeGreaterThan(4);
  });
});
