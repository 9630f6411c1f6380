import { describe, expect, it } from 'vitest';
import {
  deriveStream,
  normalSampler,
  OptionError,
  rankCorrelation,
  sobolIndices,
  sobolRows,
  spearman,
  streamKey,
  twoLevelVariance,
  uniformSampler,
  type IndexEstimate,
  type SobolEstimate,
} from '../../src/index';

/** Inputs of k groups on N rows, one seeded stream per row of each base sample. */
function baseSample(
  seed: number,
  name: string,
  n: number,
  draw: readonly ((rng: () => number) => number)[],
): Float64Array[] {
  const key = streamKey(seed, name);
  const cols = draw.map(() => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const rng = deriveStream(key, j);
    draw.forEach((d, i) => (cols[i]![j] = d(rng)));
  }
  return cols;
}

/** The pick-freeze outputs fA, fB and fAB_i of a model of k scalar inputs. */
function pickFreeze(
  model: (x: readonly number[]) => number,
  draw: readonly ((rng: () => number) => number)[],
  n: number,
  seed = 1,
): { fA: Float64Array; fB: Float64Array; fAB: Float64Array[] } {
  const A = baseSample(seed, 'A', n, draw);
  const B = baseSample(seed, 'B', n, draw);
  const k = draw.length;
  const row = (cols: Float64Array[], j: number) => cols.map((c) => c[j]!);
  const fA = new Float64Array(n);
  const fB = new Float64Array(n);
  const fAB = Array.from({ length: k }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const a = row(A, j);
    const b = row(B, j);
    fA[j] = model(a);
    fB[j] = model(b);
    for (let i = 0; i < k; i++) {
      const ab = a.slice();
      ab[i] = b[i]!;
      fAB[i]![j] = model(ab);
    }
  }
  return { fA, fB, fAB };
}

function expectInside(e: IndexEstimate, value: number, tolerance: number, what: string): void {
  expect(e.low, `${what}: low ${e.low} <= ${value}`).toBeLessThanOrEqual(value);
  expect(e.high, `${what}: high ${e.high} >= ${value}`).toBeGreaterThanOrEqual(value);
  expect(Math.abs(e.estimate - value), `${what}: ${e.estimate} vs ${value}`).toBeLessThan(tolerance);
}

function expectFinite(e: SobolEstimate): void {
  for (const x of [...e.first, ...e.total, ...e.shares, e.residual])
    for (const v of [x.estimate, x.low, x.high]) expect(Number.isFinite(v)).toBe(true);
  expect(Number.isFinite(e.variance)).toBe(true);
}

const PI = Math.PI;

describe('sobolIndices', () => {
  it('a linear model y = Σ a_i x_i with independent normal x_i: S_i = ST_i = a_i² σ_i² / Σ, inside the intervals and within 0.04 (N = 4000)', () => {
    const a = [1, 2, 3];
    const sd = [1, 1, 0.5];
    const parts = a.map((ai, i) => ai * ai * sd[i]! * sd[i]!);
    const sum = parts.reduce((x, y) => x + y, 0);
    const { fA, fB, fAB } = pickFreeze(
      (x) => x.reduce((s, xi, i) => s + a[i]! * xi, 10),
      sd.map((s) => normalSampler(0, s)),
      4000,
    );
    const e = sobolIndices(fA, fB, fAB);
    expectFinite(e);
    expect(e.n).toBe(4000);
    expect(e.runs).toBe(4000 * 5);
    expect(e.degenerate).toBe(false);
    expect(Math.abs(e.variance / sum - 1)).toBeLessThan(0.05);
    parts.forEach((p, i) => {
      expectInside(e.first[i]!, p / sum, 0.04, `S${i + 1}`);
      expectInside(e.total[i]!, p / sum, 0.04, `ST${i + 1}`);
      expectInside(e.shares[i]!, p / sum, 0.04, `share${i + 1}`);
    });
    // Shares sum to one: no interactions.
    expectInside(e.residual, 0, 0.02, 'residual');
  });

  // Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i ~ U(−π, π); a = 7, b = 0.1.
  const A = 7;
  const B = 0.1;
  const V1 = 0.5 * (1 + (B * PI ** 4) / 5) ** 2;
  const V2 = (A * A) / 8;
  const V13 = (8 * B * B * PI ** 8) / 225;
  const V = V1 + V2 + V13;
  const ishigami = (x: readonly number[]) =>
    Math.sin(x[0]!) + A * Math.sin(x[1]!) ** 2 + B * x[2]! ** 4 * Math.sin(x[0]!);
  const u = uniformSampler(-PI, PI);
  const N = 20_000;
  const ish = pickFreeze(ishigami, [u, u, u], N, 7);
  const e = sobolIndices(ish.fA, ish.fB, ish.fAB, { confidence: 0.99 });

  it('the analytic Ishigami indices are what the literature gives', () => {
    expect(V).toBeCloseTo(13.8446, 3);
    expect(V1 / V).toBeCloseTo(0.3139, 4);
    expect(V2 / V).toBeCloseTo(0.4424, 4);
    expect((V1 + V13) / V).toBeCloseTo(0.5576, 4);
    expect(V13 / V).toBeCloseTo(0.2437, 4);
  });

  it(`the Ishigami function through the same estimator: every index inside its 99 % interval and within 0.03 (N = ${N}, ${N * 5} runs)`, () => {
    expectFinite(e);
    expect(e.runs).toBe(N * 5);
    const first = [V1 / V, V2 / V, 0];
    const total = [(V1 + V13) / V, V2 / V, V13 / V];
    first.forEach((s, i) => expectInside(e.first[i]!, s, 0.03, `S${i + 1}`));
    total.forEach((s, i) => expectInside(e.total[i]!, s, 0.03, `ST${i + 1}`));
  });

  it("Ishigami's attribution shares are its Shapley effects (Sh1 = S1 + V13/2, Sh2 = S2, Sh3 = V13/2), summing to one", () => {
    const shapley = [(V1 + V13 / 2) / V, V2 / V, V13 / 2 / V];
    expect(shapley.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    shapley.forEach((s, i) => expectInside(e.shares[i]!, s, 0.03, `share${i + 1}`));
    expectInside(e.residual, 0, 0.03, 'residual');
  });

  it('a pairwise interaction y = x1 + x2 + x1·x2 + x3 splits V12 half and half: shares 3/8, 3/8, 1/4, residual 0', () => {
    const z = normalSampler(0, 1);
    const { fA, fB, fAB } = pickFreeze((x) => x[0]! + x[1]! + x[0]! * x[1]! + x[2]!, [z, z, z], 8000, 3);
    const r = sobolIndices(fA, fB, fAB);
    expectFinite(r);
    [0.25, 0.25, 0.25].forEach((s, i) => expectInside(r.first[i]!, s, 0.05, `S${i + 1}`));
    [0.5, 0.5, 0.25].forEach((s, i) => expectInside(r.total[i]!, s, 0.05, `ST${i + 1}`));
    [0.375, 0.375, 0.25].forEach((s, i) => expectInside(r.shares[i]!, s, 0.05, `share${i + 1}`));
    expectInside(r.residual, 0, 0.05, 'residual');
  });

  it('a three-way interaction y = x1·x2·x3 shows in the residual (shares 1/2 each, residual −1/2)', () => {
    const z = normalSampler(0, 1);
    const { fA, fB, fAB } = pickFreeze((x) => x[0]! * x[1]! * x[2]!, [z, z, z], 8000, 4);
    const r = sobolIndices(fA, fB, fAB, { bootstrap: 200 });
    expect(Math.abs(r.residual.estimate + 0.5)).toBeLessThan(0.1);
    expect(r.residual.high).toBeLessThan(-0.3);
  });

  it('the bootstrap is reproducible for a seed, and another seed gives other intervals', () => {
    const z = normalSampler(0, 1);
    const { fA, fB, fAB } = pickFreeze((x) => x[0]! + 2 * x[1]!, [z, z], 500, 5);
    const copies = [fA.slice(), fB.slice(), ...fAB.map((f) => f.slice())];
    const one = sobolIndices(fA, fB, fAB, { seed: 11, bootstrap: 100 });
    const two = sobolIndices(fA, fB, fAB, { seed: 11, bootstrap: 100 });
    const other = sobolIndices(fA, fB, fAB, { seed: 'other', bootstrap: 100 });
    expect(two).toEqual(one);
    expect(other.first[0]!.estimate).toBe(one.first[0]!.estimate);
    expect(other.first[0]!.low).not.toBe(one.first[0]!.low);
    // Inputs are not changed.
    expect([fA, fB, ...fAB]).toEqual(copies);
  });

  it('a wider confidence gives a wider interval; bootstrap 0 gives the estimate as both ends', () => {
    const z = normalSampler(0, 1);
    const { fA, fB, fAB } = pickFreeze((x) => x[0]! + x[1]!, [z, z], 500, 6);
    const narrow = sobolIndices(fA, fB, fAB, { confidence: 0.5, bootstrap: 200 });
    const wide = sobolIndices(fA, fB, fAB, { confidence: 0.99, bootstrap: 200 });
    expect(wide.total[0]!.high - wide.total[0]!.low).toBeGreaterThan(narrow.total[0]!.high - narrow.total[0]!.low);
    const none = sobolIndices(fA, fB, fAB, { bootstrap: 0 });
    expect(none.first[1]).toEqual({
      estimate: none.first[1]!.estimate,
      low: none.first[1]!.estimate,
      high: none.first[1]!.estimate,
    });
  });

  it('a constant output is degenerate, not an error: every index and interval 0, never NaN', () => {
    const c = new Float64Array(50).fill(3.7);
    const e = sobolIndices(c, c, [c, c]);
    expect(e.degenerate).toBe(true);
    expect(e.variance).toBe(0);
    expect(e.first).toEqual([
      { estimate: 0, low: 0, high: 0 },
      { estimate: 0, low: 0, high: 0 },
    ]);
    expect(e.total).toEqual(e.first);
    expect(e.shares).toEqual(e.first);
    expect(e.residual).toEqual({ estimate: 0, low: 0, high: 0 });
    // Nearly constant: a few rows differ, many resamples miss them; still finite.
    const fA = new Float64Array(20).fill(1);
    fA[3] = 2;
    const r = sobolIndices(fA, new Float64Array(20).fill(1), [new Float64Array(20).fill(1)], { bootstrap: 300 });
    expect(r.degenerate).toBe(false);
    expectFinite(r);
  });

  it('errors name the argument, the value and what was expected', () => {
    const f = new Float64Array(10);
    expect(() => sobolIndices(new Float64Array(1), new Float64Array(1), [new Float64Array(1)])).toThrow(
      /sobolIndices: fA must hold at least 2 outputs .*received 1/,
    );
    expect(() => sobolIndices(f, new Float64Array(9), [f])).toThrow(
      'sobolIndices: fB must have the length of fA (10); received 9',
    );
    expect(() => sobolIndices(f, f, [f, new Float64Array(8)])).toThrow(
      'sobolIndices: fAB[1] must have the length of fA (10); received 8',
    );
    expect(() => sobolIndices(f, f, [])).toThrow(
      /fAB must be an array with one output array per input group .*received an empty array/,
    );
    const bad = new Float64Array(10);
    bad[4] = NaN;
    expect(() => sobolIndices(f, f, [bad])).toThrow('sobolIndices: fAB[0][4] must be a finite number; received NaN');
    expect(() => sobolIndices(f, f, [f], { bootstrap: 2.5 })).toThrow(
      /bootstrap must be a whole number .*received 2.5/,
    );
    expect(() => sobolIndices(f, f, [f], { confidence: 1 })).toThrow(
      /confidence must be a number between 0 and 1 .*received 1/,
    );
    expect(() => sobolIndices(f, f, [f], { seed: -1 })).toThrow(
      /seed must be a non-negative whole number or a string; received -1/,
    );
    try {
      sobolIndices(f, new Float64Array(9), [f]);
    } catch (err) {
      expect(err).toBeInstanceOf(OptionError);
      expect((err as OptionError).option).toBe('sobolIndices: fB');
      expect((err as OptionError).received).toBe(9);
    }
  });
});

describe('spearman and rankCorrelation', () => {
  it('spearman with ties, against a hand computation', () => {
    // x ranks: 1, 2.5, 2.5, 4, 5; y ranks: 2, 1, 3.5, 3.5, 5.
    // Deviations from 3: x (−2, −0.5, −0.5, 1, 2), y (−1, −2, 0.5, 0.5, 2).
    // Σxy = 2 + 1 − 0.25 + 0.5 + 4 = 7.25; Σx² = 9.5; Σy² = 9.5; ρ = 7.25 / 9.5.
    expect(spearman([1, 2, 2, 3, 7], [20, 10, 30, 30, 50])).toBeCloseTo(7.25 / 9.5, 14);
    expect(spearman([3, 1, 2], [30, 10, 20])).toBe(1);
    expect(spearman([3, 1, 2], [-30, -10, -20])).toBe(-1);
  });

  it('a constant sample gives 0, never NaN', () => {
    expect(spearman([2, 2, 2, 2], [1, 5, 3, 4])).toBe(0);
    const r = rankCorrelation([1, 2, 3, 4], [7, 7, 7, 7], { bootstrap: 50 });
    expect(r).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it('the interval contains the population value (6/π) asin(ρ/2) of a bivariate normal with ρ = 0.6', () => {
    const rho = 0.6;
    const target = (6 / PI) * Math.asin(rho / 2);
    const n = 2000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const z = normalSampler(0, 1);
    for (let j = 0; j < n; j++) {
      const rng = deriveStream(streamKey(9, 'bivariate'), j);
      const z1 = z(rng);
      const z2 = z(rng);
      x[j] = Math.exp(z1); // a monotone transform leaves ranks alone
      y[j] = rho * z1 + Math.sqrt(1 - rho * rho) * z2;
    }
    const r = rankCorrelation(x, y, { bootstrap: 300, seed: 2 });
    expectInside(r, target, 0.04, 'rho_s');
    expect(r.high - r.low).toBeLessThan(0.1);
    expect(rankCorrelation(x, y, { bootstrap: 300, seed: 2 })).toEqual(r);
  });

  it('errors name the argument and the value', () => {
    expect(() => spearman([1], [2])).toThrow('spearman: x must hold at least 2 values; received 1');
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow('spearman: y must have the length of x (3); received 2');
    expect(() => spearman([1, Infinity], [1, 2])).toThrow('spearman: x[1] must be a finite number; received Infinity');
    expect(() => rankCorrelation([1, 2], [1, 2], { bootstrap: -1 })).toThrow(
      /rankCorrelation: bootstrap must be .*received -1/,
    );
  });
});

describe('twoLevelVariance', () => {
  it('a two-level normal model with σ²_between = 4 and σ²_within = 1: structural share 0.8 inside its interval', () => {
    const outer = 300;
    const inner = 40;
    const values = new Float64Array(outer * inner);
    const between = normalSampler(0, 2);
    const within = normalSampler(0, 1);
    for (let o = 0; o < outer; o++) {
      const mu = 100 + between(deriveStream(streamKey(3, 'outer'), o));
      const rng = deriveStream(streamKey(3, 'inner'), o);
      for (let w = 0; w < inner; w++) values[o * inner + w] = mu + within(rng);
    }
    const e = twoLevelVariance(values, outer, inner);
    expectInside(e.structural, 0.8, 0.05, 'structural');
    expectInside(e.within, 0.2, 0.05, 'within');
    expect(e.structural.estimate + e.within.estimate).toBeCloseTo(1, 12);
    expect(Math.abs(e.variance / 5 - 1)).toBeLessThan(0.2);
    expect(e.outer).toBe(outer);
    expect(e.inner).toBe(inner);
    expect(twoLevelVariance(values, outer, inner)).toEqual(e);
  });

  it('no structural variance: the between part is clipped at 0, never negative', () => {
    const outer = 50;
    const inner = 10;
    const values = new Float64Array(outer * inner);
    const z = normalSampler(0, 1);
    const rng = deriveStream(streamKey(4, 'flat'), 0);
    for (let j = 0; j < values.length; j++) values[j] = z(rng);
    const e = twoLevelVariance(values, outer, inner, { bootstrap: 200 });
    expect(e.structural.estimate).toBeGreaterThanOrEqual(0);
    expect(e.structural.low).toBeGreaterThanOrEqual(0);
    expect(e.structural.estimate).toBeLessThan(0.1);
    expect(e.within.high).toBeLessThanOrEqual(1);
  });

  it('a constant output gives shares 0 and 0, and errors name the argument', () => {
    expect(twoLevelVariance(new Float64Array(6).fill(2), 3, 2)).toEqual({
      structural: { estimate: 0, low: 0, high: 0 },
      within: { estimate: 0, low: 0, high: 0 },
      variance: 0,
      outer: 3,
      inner: 2,
    });
    expect(() => twoLevelVariance(new Float64Array(6), 3, 3)).toThrow(
      'twoLevelVariance: values must hold outer × inner = 9 outputs; received 6',
    );
    expect(() => twoLevelVariance(new Float64Array(6), 6, 1)).toThrow(
      'twoLevelVariance: inner must be a whole number of draws, at least 2; received 1',
    );
    expect(() => twoLevelVariance(new Float64Array(6), 1.5, 4)).toThrow(
      'twoLevelVariance: outer must be a whole number of draws, at least 2; received 1.5',
    );
  });
});

describe('sobolRows', () => {
  it('one row per group with the estimate and interval of each index', () => {
    const z = normalSampler(0, 1);
    const { fA, fB, fAB } = pickFreeze((x) => x[0]! + 2 * x[1]!, [z, z], 300, 8);
    const e = sobolIndices(fA, fB, fAB, { bootstrap: 50 });
    const rows = sobolRows('frame', 2031, ['demography', 'prices'], e);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      strategy: 'frame',
      year: 2031,
      group: 'prices',
      first: e.first[1]!.estimate,
      firstLow: e.first[1]!.low,
      firstHigh: e.first[1]!.high,
      total: e.total[1]!.estimate,
      totalLow: e.total[1]!.low,
      totalHigh: e.total[1]!.high,
      share: e.shares[1]!.estimate,
      shareLow: e.shares[1]!.low,
      shareHigh: e.shares[1]!.high,
    });
    expect(() => sobolRows('frame', 2031, ['demography'], e)).toThrow(
      "sobolRows: groups must name the estimate's 2 groups; received 1",
    );
  });
});
