import { describe, expect, it } from 'vitest';
import {
  figureValues,
  optimizeSteering,
  simulate,
  SimulationError,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';
import { referenceCandidates } from '../../src/optimize/optimize';
import { lejreHomeCare } from '../fixtures';

const scenario: ScenarioInput = { ...lejreHomeCare(), paths: 200 };

/** Plain runs of strategy specs on paths [start, start + n) with the scenario's seed. */
function plain(specs: Record<string, unknown>[], n: number, start = 0): SimulationResult {
  return simulate({ ...scenario, strategies: specs }, { paths: n, pathStart: start });
}
const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
const p95 = (v: Float64Array) => {
  const s = Float64Array.from(v).sort();
  const h = (s.length - 1) * 0.95;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!);
};

describe('optimizeSteering', () => {
  it('finds the best of a brute-force grid over one parameter, within the grid spacing, on the same paths', async () => {
    const n = 150;
    const grid = Array.from({ length: 11 }, (_, i) => i / 100);
    const specs = grid.map((k, i) => ({
      kind: 'hybrid',
      id: `g${i}`,
      corridor: k,
      marginalRate: 1,
      regulate: 'excess',
    }));
    const r = plain(specs, n);
    const obj = (id: string) => mean(figureValues(r, { strategy: id, year: 2030, figure: 'treasuryShareKr' }));
    const con = (id: string) => p95(figureValues(r, { strategy: id, year: 2030, figure: 'providerDeviationPct' }));
    // A limit that makes the grid's best an inner point: the constraint at corridor 0.05.
    const limit = con('g5') + 1e-12;
    const feasible = specs.filter((s) => con(s.id) <= limit);
    const gridBest = feasible.reduce((a, b) => (obj(b.id) < obj(a.id) ? b : a));
    expect(gridBest.corridor).toBeGreaterThan(0);
    expect(gridBest.corridor).toBeLessThan(0.1);

    const out = await optimizeSteering(
      { ...scenario, paths: n },
      {
        candidates: [{ kind: 'hybrid', fixed: { marginalRate: 1, regulate: 'excess' }, vary: { corridor: '0..0.1' } }],
        objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
        constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: limit }],
        paths: n,
        evaluations: 24,
        verify: { paths: 100, top: 2 },
        defaults: false,
      },
    );
    const searched = out.candidates.filter((c) => c.feasible).sort((a, b) => a.objective - b.objective)[0]!;
    const corridor = searched.settings.corridor as number;
    expect(Math.abs(corridor - gridBest.corridor)).toBeLessThanOrEqual(0.01);
    expect(searched.objective).toBeLessThanOrEqual(obj(gridBest.id) + 1e-6 * Math.abs(obj(gridBest.id)));
    // The objective it reports is the plain run's at the design it found, on the same paths.
    const again = plain([{ ...searched.spec, id: 'x' }], n);
    expect(searched.objective).toBe(
      mean(figureValues(again, { strategy: 'x', year: 2030, figure: 'treasuryShareKr' })),
    );
    expect(out.search.evaluations).toBeLessThanOrEqual(24);
  });

  it('finds the smallest reserve that keeps P(overrun > 0) at 10 %: the quantile of the unreserved overrun', async () => {
    const n = 400;
    const overrun = Float64Array.from(
      figureValues(plain([{ kind: 'frame' }], n), { strategy: 'frame', year: 2024, figure: 'treasuryDeviationKr' }),
    ).sort();
    // The smallest R with #(overrun > R) <= 40: the 360th smallest value.
    const exact = overrun[n - 0.1 * n - 1]!;
    const rangeMax = Math.max(1e6, 2 * overrun[n - 1]!);
    const out = await optimizeSteering(
      { ...scenario, paths: n },
      {
        candidates: [{ kind: 'frame', vary: { reserveKr: { min: 0, max: rangeMax } } }],
        objective: { minimize: { measure: 'mean', figure: 'adoptedBudgetKr', year: 2024 } },
        constraints: [{ measure: 'P>0', figure: 'treasuryDeviationKr', year: 2024, max: 0.1 }],
        paths: n,
        evaluations: 40,
        verify: { paths: 1000, top: 1 },
      },
    );
    const best = out.candidates.find((c) => c.id === out.best)!;
    const reserve = best.settings.reserveKr as number;
    expect(best.feasible).toBe(true);
    expect(reserve).toBeGreaterThanOrEqual(exact - 1e-6 * rangeMax);
    expect(reserve - exact).toBeLessThan(rangeMax / 19 / 2 ** 6);
    // Its verification on fresh paths states the probability with an interval around it.
    const fresh = figureValues(plain([{ kind: 'frame', id: 'f' }], 1000, n), {
      strategy: 'f',
      year: 2024,
      figure: 'treasuryDeviationKr',
    });
    const share = fresh.filter((x) => x > reserve).length / fresh.length;
    const v = out.verified[0]!.constraints[0]!;
    expect(v.estimate.value).toBeCloseTo(share, 10);
    expect(v.estimate.low).toBeLessThanOrEqual(share);
    expect(v.estimate.high).toBeGreaterThanOrEqual(share);
    expect(v.met).toBe(share <= 0.1);
  });

  const small = {
    candidates: [
      { kind: 'hybrid', vary: { corridor: '0..0.1', regulate: ['full', 'excess'] } },
      { kind: 'activity', vary: { priceCorrection: [0, 1] } },
    ],
    objective: { minimize: { measure: 'es90', figure: 'treasuryShareKr', years: '2025..2027' } },
    constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2027, max: 0.1 }],
    paths: 60,
    evaluations: 12,
    verify: { paths: 80, top: 3 },
  };

  it('is the same for the same seed, and states the best, the runners-up and the frontier', async () => {
    const a = await optimizeSteering(scenario, small);
    const b = await optimizeSteering(scenario, small);
    expect(b).toEqual(a);
    expect(a.verified.map((v) => v.id)).toContain(a.best);
    expect(a.verified[0]!.id).toBe(a.best);
    expect(a.verified[0]!.probabilityBestIsBetter).toBeUndefined();
    for (const v of a.verified.slice(1)) {
      expect(v.probabilityBestIsBetter).toBeGreaterThanOrEqual(0);
      expect(v.probabilityBestIsBetter).toBeLessThanOrEqual(1);
    }
    for (const v of a.verified) {
      expect(v.objective.low).toBeLessThanOrEqual(v.objective.value);
      expect(v.objective.high).toBeGreaterThanOrEqual(v.objective.value);
    }
    // The defaults are marked, and the frontier is made of candidates no other beats on both measures.
    expect(a.candidates.filter((c) => c.isDefault).map((c) => c.id)).toEqual([
      'frame (default)',
      'hybrid (default)',
      'activity (default)',
    ]);
    const ids = new Set(a.frontier!.ids);
    // Activity is searched here, so every default competes and may lie on the frontier.
    expect(a.frontier!.ids.length).toBeGreaterThan(0);
    for (const c of a.candidates) {
      const beaten = a.candidates.some(
        (o) =>
          o.frontier![0] <= c.frontier![0] &&
          o.frontier![1] <= c.frontier![1] &&
          (o.frontier![0] < c.frontier![0] || o.frontier![1] < c.frontier![1]),
      );
      if (ids.has(c.id)) expect(beaten).toBe(false);
    }
    // A different seed gives other paths.
    const c = await optimizeSteering(scenario, { ...small, seed: 99 });
    expect(c.candidates[0]!.objective).not.toBe(a.candidates[0]!.objective);
  });

  it('reports a constraint no candidate keeps as infeasible, with the candidate that comes closest', async () => {
    const out = await optimizeSteering(scenario, {
      ...small,
      constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2027, max: -1 }],
      defaults: false,
    });
    expect(out.feasible).toBe(false);
    const closest = [...out.candidates].sort((a, b) => a.constraints[0]! - b.constraints[0]!)[0]!;
    expect(out.infeasible).toEqual([
      { label: 'p95 of providerDeviationPct in 2027', closest: closest.id, value: closest.constraints[0] },
    ]);
    expect(out.verified[0]!.feasible).toBe(false);
  });

  it('refuses a search too large for its limits, and stops when aborted', async () => {
    let progressed = 0;
    await expect(
      optimizeSteering(scenario, small, { limits: { maxSteps: 1000 }, onProgress: () => progressed++ }),
    ).rejects.toMatchObject({ code: 'RUN_TOO_LARGE' });
    expect(progressed).toBe(0);
    const controller = new AbortController();
    const run = optimizeSteering(scenario, small, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.workDone > 0) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SimulationError);
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('the reference designs and the frontier', () => {
  // Hybrids only: frame and activity at their defaults are reference designs. On these paths
  // activity steering keeps the limit and beats every hybrid on both measures; no hybrid keeps it.
  const problem = {
    candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.1', marginalRate: '0..1' } }],
    objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2027 } },
    constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2027, max: 0.05 }],
    paths: 60,
    evaluations: 10,
    verify: { paths: 60, top: 2 },
  };

  it('is drawn over every design shown, references included: no design off it is unbeaten', async () => {
    const r = await optimizeSteering(scenario, problem);
    const ids = new Set(r.frontier!.ids);
    const beats = (o: (typeof r.candidates)[number], c: (typeof r.candidates)[number]) =>
      o.frontier![0] <= c.frontier![0] &&
      o.frontier![1] <= c.frontier![1] &&
      (o.frontier![0] < c.frontier![0] || o.frontier![1] < c.frontier![1]);
    for (const c of r.candidates) {
      const beaten = r.candidates.some((o) => beats(o, c));
      // On the frontier exactly when no design shown beats it (a tie with one on it stays off).
      if (ids.has(c.id)) expect(beaten, c.id).toBe(false);
      else
        expect(
          beaten ||
            r.candidates.some(
              (o) => ids.has(o.id) && o.frontier![0] === c.frontier![0] && o.frontier![1] === c.frontier![1],
            ),
          c.id,
        ).toBe(true);
    }
    const activity = r.candidates.find((c) => c.id === 'activity (default)')!;
    expect(ids.has('activity (default)')).toBe(true);
    // Every hybrid it beats is off the frontier.
    for (const c of r.candidates.filter((x) => x.kind === 'hybrid' && beats(activity, x)))
      expect(ids.has(c.id)).toBe(false);
  }, 30_000);

  it('never makes a reference the best: a reference may keep every limit while no searched design does', async () => {
    const r = await optimizeSteering(scenario, problem);
    const activity = r.candidates.find((c) => c.id === 'activity (default)')!;
    expect(activity.isDefault).toBe(true);
    expect(activity.feasible).toBe(true);
    // `feasible` and `infeasible` are of the kinds searched; the best is a hybrid that misses.
    expect(r.feasible).toBe(false);
    expect(r.infeasible).toHaveLength(1);
    expect(r.candidates.find((c) => c.id === r.infeasible[0]!.closest)!.kind).toBe('hybrid');
    expect(r.candidates.find((c) => c.id === r.best)!.kind).toBe('hybrid');
    expect(r.verified.map((v) => v.id)).not.toContain('activity (default)');
    expect(referenceCandidates(r).map((c) => c.id)).toEqual(['frame (default)', 'activity (default)']);
  }, 30_000);
});
