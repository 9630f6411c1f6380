import { describe, expect, it } from 'vitest';
import { initialPoints, patternSearch, pointKey, type SearchPoint } from '../../src/optimize/search';
import type { CandidateFamily } from '../../src/optimize/problem';
import { paretoFront } from '../../src/index';

const bowl: CandidateFamily = {
  kind: 'hybrid',
  fixed: {},
  parameters: [
    { name: 'a', kind: 'range', min: 0, max: 1 },
    { name: 'b', kind: 'range', min: -2, max: 2 },
  ],
};

/** Scores points of a function, counting the evaluations and the batches. */
function scorer(f: (p: SearchPoint) => { objective: number; violation: number }) {
  const seen: string[] = [];
  let batches = 0;
  return {
    seen,
    batches: () => batches,
    evaluate: (points: readonly SearchPoint[]) => {
      batches++;
      seen.push(...points.map(pointKey));
      return Promise.resolve(points.map(f));
    },
  };
}

describe('the pattern search', () => {
  it('finds the minimum of a smooth function of two ranges, within its tolerance, within the budget', async () => {
    const s = scorer((p) => ({
      objective: ((p.values.a as number) - 0.37) ** 2 + 3 * ((p.values.b as number) - 0.81) ** 2,
      violation: 0,
    }));
    const out = await patternSearch([bowl], 150, s.evaluate);
    expect(out.length).toBeLessThanOrEqual(150);
    const best = out.reduce((a, b) => (b.score.objective < a.score.objective ? b : a));
    expect(best.point.values.a as number).toBeCloseTo(0.37, 2);
    expect(best.point.values.b as number).toBeCloseTo(0.81, 2);
    // Never a point twice, and one batch per poll.
    expect(new Set(s.seen).size).toBe(s.seen.length);
    expect(s.batches()).toBeLessThan(out.length);
  });

  it('ranks feasibility first: the best feasible point sits on the constraint', async () => {
    // Minimise -a subject to a <= 0.6 (violation a - 0.6 when above).
    const family: CandidateFamily = {
      kind: 'frame',
      fixed: {},
      parameters: [{ name: 'a', kind: 'range', min: 0, max: 1 }],
    };
    const out = await patternSearch([family], 40, (points) =>
      Promise.resolve(
        points.map((p) => ({
          objective: -(p.values.a as number),
          violation: Math.max(0, (p.values.a as number) - 0.6),
        })),
      ),
    );
    const feasible = out.filter((e) => e.score.violation === 0);
    const best = feasible.reduce((a, b) => (b.score.objective < a.score.objective ? b : a));
    expect(best.point.values.a as number).toBeLessThanOrEqual(0.6);
    expect(best.point.values.a as number).toBeGreaterThan(0.6 - 1e-3);
  });

  it('tries every combination of the sets, and refines the ranges within each', async () => {
    const family: CandidateFamily = {
      kind: 'hybrid',
      fixed: {},
      parameters: [
        { name: 'regulate', kind: 'set', values: ['full', 'excess'] },
        { name: 'mode', kind: 'set', values: ['corridor', 'nextYear'] },
        { name: 'x', kind: 'range', min: 0, max: 10 },
      ],
    };
    const out = await patternSearch([family], 60, (points) =>
      Promise.resolve(
        points.map((p) => ({
          objective:
            ((p.values.x as number) - (p.values.regulate === 'excess' ? 7.3 : 2)) ** 2 +
            (p.values.mode === 'nextYear' ? 0 : 1) -
            (p.values.regulate === 'excess' ? 0.5 : 0),
          violation: 0,
        })),
      ),
    );
    const combos = new Set(out.map((e) => `${String(e.point.values.regulate)}/${String(e.point.values.mode)}`));
    expect(combos.size).toBe(4);
    const best = out.reduce((a, b) => (b.score.objective < a.score.objective ? b : a));
    expect(best.point.values.mode).toBe('nextYear');
    expect(best.point.values.regulate).toBe('excess');
    expect(best.point.values.x as number).toBeCloseTo(7.3, 1);
  });

  it('evaluates sets alone exhaustively and refuses a budget below their combinations', async () => {
    const family: CandidateFamily = {
      kind: 'hybrid',
      fixed: {},
      parameters: [{ name: 'regulate', kind: 'set', values: ['full', 'excess'] }],
    };
    expect(initialPoints([family, family], 4)).toHaveLength(4);
    expect(() => initialPoints([family, family], 3)).toThrow(/4 combinations.*at least 4, received 3/);
    const out = await patternSearch([family], 10, (points) =>
      Promise.resolve(points.map(() => ({ objective: 0, violation: 0 }))),
    );
    expect(out).toHaveLength(2);
  });

  it('the initial grid includes the ends of each range', () => {
    const points = initialPoints([bowl], 50);
    const as = new Set(points.map((p) => p.values.a));
    expect(as.has(0)).toBe(true);
    expect(as.has(1)).toBe(true);
    expect(points.length).toBeLessThanOrEqual(25);
  });
});

describe('paretoFront', () => {
  it('keeps the points no other point beats on both measures', () => {
    const pts = [
      { id: 'a', x: 1, y: 5 },
      { id: 'b', x: 2, y: 3 },
      { id: 'c', x: 2.5, y: 4 },
      { id: 'd', x: 3, y: 1 },
      { id: 'e', x: 4, y: 1 },
    ];
    expect(paretoFront(pts)).toEqual(['a', 'b', 'd']);
  });
});
