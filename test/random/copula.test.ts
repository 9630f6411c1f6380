import { describe, expect, it } from 'vitest';
import {
  cdfFor,
  checkCorrelationMatrix,
  correlatedUniforms,
  deriveStream,
  gaussianCopula,
  nearestCorrelation,
  OptionError,
  pearsonFromSpearman,
  quantileFor,
  spearmanFromPearson,
  standardNormal,
  streamKey,
} from '../../src/index';
import type { Uncertain } from '../../src/index';
import { symmetricEigen } from '../../src/math/linalg';

function smallestEigenvalue(m: readonly (readonly number[])[]): number {
  return Math.min(...symmetricEigen(m).values);
}

function frobenius(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) s += (a[i]![j]! - b[i]![j]!) ** 2;
  return Math.sqrt(s);
}

describe('pearsonFromSpearman and its inverse', () => {
  it('2·sin(π·ρ/6), exact at 0 and ±1, and inverted by spearmanFromPearson', () => {
    expect(pearsonFromSpearman(0)).toBe(0);
    expect(pearsonFromSpearman(1)).toBe(1);
    expect(pearsonFromSpearman(-1)).toBe(-1);
    for (const rho of [-0.95, -0.5, -0.1, 0.2, 0.5, 0.7, 0.99]) {
      expect(Math.abs(pearsonFromSpearman(rho) - 2 * Math.sin((Math.PI * rho) / 6))).toBeLessThanOrEqual(2.3e-16);
      expect(Math.abs(spearmanFromPearson(pearsonFromSpearman(rho)) - rho)).toBeLessThan(1e-15);
    }
    // The map moves a correlation by at most about 0.018 (at ρ ≈ ±0.58).
    expect(pearsonFromSpearman(0.5)).toBeCloseTo(0.5176380902050415, 15);
  });

  it('a correlation outside [-1, 1] is an OptionError naming it', () => {
    expect(() => pearsonFromSpearman(1.2)).toThrow(OptionError);
    expect(() => pearsonFromSpearman(Number.NaN)).toThrow(/expected a correlation in \[-1, 1\]; received NaN/);
    expect(() => spearmanFromPearson(-3)).toThrow(/received -3/);
  });
});

describe('checkCorrelationMatrix', () => {
  it('accepts valid matrices', () => {
    expect(checkCorrelationMatrix([[1]])).toBeUndefined();
    expect(
      checkCorrelationMatrix([
        [1, 0.3, -0.2],
        [0.3, 1, 0.5],
        [-0.2, 0.5, 1],
      ]),
    ).toBeUndefined();
  });

  it('names the size, range, diagonal and symmetry problems', () => {
    expect(checkCorrelationMatrix([])).toMatch(/expected a square matrix with at least one row/);
    expect(checkCorrelationMatrix([[1, 0.2], [0.2]])).toBe('row 1 has 1 entries; expected 2 (the matrix has 2 rows)');
    expect(
      checkCorrelationMatrix([
        [1, 1.2],
        [1.2, 1],
      ]),
    ).toBe('entry [0][1] is 1.2; expected a number in [-1, 1]');
    expect(
      checkCorrelationMatrix([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toBe('entry [0][1] is NaN; expected a number in [-1, 1]');
    expect(
      checkCorrelationMatrix([
        [1, 0.2],
        [0.2, 0.9],
      ]),
    ).toBe('entry [1][1] is 0.9; expected 1 on the diagonal');
    expect(
      checkCorrelationMatrix([
        [1, 0.2],
        [0.3, 1],
      ]),
    ).toBe('entries [0][1] = 0.2 and [1][0] = 0.3 differ; expected a symmetric matrix');
  });

  it('names the smallest eigenvalue of a matrix that is not positive definite', () => {
    // Equal correlations ρ among three: eigenvalues 1 + 2ρ and 1 − ρ (twice); ρ = −0.6 gives −0.2.
    const m = [
      [1, -0.6, -0.6],
      [-0.6, 1, -0.6],
      [-0.6, -0.6, 1],
    ];
    expect(checkCorrelationMatrix(m)).toMatch(
      /^not positive definite: its smallest eigenvalue is -0\.200 \(expected above 1e-10\)/,
    );
    // Perfect correlation is singular: eigenvalue 0.
    expect(
      checkCorrelationMatrix([
        [1, 1],
        [1, 1],
      ]),
    ).toMatch(/smallest eigenvalue is 0/);
  });
});

describe('nearestCorrelation', () => {
  const higham = [
    [1, 1, 0],
    [1, 1, 1],
    [0, 1, 1],
  ];

  it("Higham's 3 × 3 example: a symmetric, positive definite correlation matrix with entries 0.7607 and 0.1573", () => {
    const { matrix, iterations, distance } = nearestCorrelation(higham);
    expect(matrix.map((r) => r.map((v) => Number(v.toFixed(4))))).toEqual([
      [1, 0.7607, 0.1573],
      [0.7607, 1, 0.7607],
      [0.1573, 0.7607, 1],
    ]);
    for (let i = 0; i < 3; i++) {
      expect(matrix[i]![i]).toBe(1);
      for (let j = 0; j < 3; j++) expect(matrix[i]![j]).toBe(matrix[j]![i]);
    }
    expect(smallestEigenvalue(matrix)).toBeGreaterThan(1e-9);
    expect(iterations).toBeGreaterThan(1);
    expect(iterations).toBeLessThan(200);
    expect(distance).toBeCloseTo(frobenius(matrix, higham), 15);
    // Measured: 0.52779 (33 projections).
    expect(distance).toBeCloseTo(0.5278, 4);
    // A tighter tolerance moves the result by less than the floor's 1e-8.
    const tight = nearestCorrelation(higham, { tolerance: 1e-15 });
    expect(frobenius(tight.matrix, matrix)).toBeLessThan(1e-7);
  });

  it('no valid correlation matrix near the result is closer to the input (the problem is convex)', () => {
    const { matrix, distance } = nearestCorrelation(higham);
    const rng = deriveStream(streamKey(7, 'nearest-check'), 0);
    let tried = 0;
    for (let k = 0; k < 3000; k++) {
      const scale = 10 ** (-1 - 3 * rng());
      const c = matrix.map((r) => [...r]);
      for (let i = 0; i < 3; i++) {
        for (let j = i + 1; j < 3; j++) {
          const d = scale * (2 * rng() - 1);
          c[i]![j] = c[j]![i] = Math.max(-1, Math.min(1, c[i]![j]! + d));
        }
      }
      if (smallestEigenvalue(c) < 0) continue;
      tried++;
      expect(frobenius(c, higham)).toBeGreaterThan(distance - 1e-7);
    }
    expect(tried).toBeGreaterThan(300);
  });

  it('returns a valid matrix as it is, and refuses a matrix it cannot read', () => {
    const valid = [
      [1, 0.3],
      [0.3, 1],
    ];
    expect(nearestCorrelation(valid)).toEqual({ matrix: valid, iterations: 0, distance: 0 });
    expect(() => nearestCorrelation([[1, 2], [3]])).toThrow(/row 1 has 1 entries; expected 2/);
    expect(() =>
      nearestCorrelation([
        [1, Number.POSITIVE_INFINITY],
        [0, 1],
      ]),
    ).toThrow(OptionError);
    expect(() => nearestCorrelation(valid, { eigenvalueFloor: 0 })).toThrow(/eigenvalueFloor must be in \(0, 0.1\]/);
  });
});

describe('gaussianCopula', () => {
  it('gives a lower-triangular factor of the Pearson matrix 2·sin(π·ρ/6)', () => {
    const s = [
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ];
    const { factor, pearson, spearman, repaired, distance } = gaussianCopula(s);
    expect(repaired).toBe(false);
    expect(distance).toBe(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(pearson[i]![j]).toBe(i === j ? 1 : pearsonFromSpearman(s[i]![j]!));
        expect(Math.abs(spearman[i]![j]! - s[i]![j]!)).toBeLessThan(1e-15);
        let llt = 0;
        for (let k = 0; k < 3; k++) llt += factor[i * 3 + k]! * factor[j * 3 + k]!;
        expect(Math.abs(llt - pearson[i]![j]!)).toBeLessThan(1e-15);
        if (j > i) expect(factor[i * 3 + j]).toBe(0);
      }
    }
  });

  it('refuses a matrix that is not positive definite, naming its smallest eigenvalue, or repairs it on request', () => {
    const bad = [
      [1, 0.9, 0.9],
      [0.9, 1, -0.9],
      [0.9, -0.9, 1],
    ];
    expect(() => gaussianCopula(bad)).toThrow(OptionError);
    expect(() => gaussianCopula(bad)).toThrow(
      /rank correlation matrix is not positive definite: its smallest eigenvalue is -0\.800/,
    );
    const fixed = gaussianCopula(bad, { repair: true });
    expect(fixed.repaired).toBe(true);
    expect(fixed.distance).toBeGreaterThan(0.5);
    expect(smallestEigenvalue(fixed.pearson)).toBeGreaterThan(1e-9);
    // Structure is never repaired.
    expect(() =>
      gaussianCopula(
        [
          [1, 0.2],
          [0.3, 1],
        ],
        { repair: true },
      ),
    ).toThrow(/expected a symmetric matrix/);
  });
});

function ranks(values: Float64Array): Float64Array {
  const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  const r = new Float64Array(values.length);
  order.forEach((idx, rank) => (r[idx] = rank));
  return r;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('correlated inputs: sampled rank correlations match the requested ones', () => {
  it('20,000 paths of a lognormal, a beta and a triangular input (seed 11)', () => {
    const N = 20_000;
    const requested = [
      [1, 0.7, -0.4],
      [0.7, 1, 0.25],
      [-0.4, 0.25, 1],
    ];
    const marginals: Uncertain[] = [
      { dist: 'lognormal', median: 1_000_000, p95: 2_000_000 },
      { dist: 'beta', alpha: 2, beta: 5 },
      { dist: 'triangular', min: 2, mode: 3.2, max: 5 },
    ];
    const quantiles = marginals.map((m) => quantileFor(m));
    const { factor } = gaussianCopula(requested);
    const key = streamKey(11, 'copula');
    const z = new Float64Array(3);
    const u = new Float64Array(3);
    const columns = [new Float64Array(N), new Float64Array(N), new Float64Array(N)];
    for (let path = 0; path < N; path++) {
      const rng = deriveStream(key, path);
      for (let j = 0; j < 3; j++) z[j] = standardNormal(rng);
      correlatedUniforms(factor, 3, z, u);
      for (let j = 0; j < 3; j++) columns[j]![path] = quantiles[j]!(u[j]!);
    }
    const ranked = columns.map(ranks);
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const rho = requested[i]![j]!;
        const sampled = pearson(ranked[i]!, ranked[j]!);
        // Fisher's z of a Spearman correlation has variance about (1 + ρ²/2)/(N − 3) (Bonett and
        // Wright, 2000): allow 4 standard errors (0.028 to 0.032 here); a familywise level near 2e-4.
        const se = Math.sqrt((1 + (rho * rho) / 2) / (N - 3));
        expect(Math.abs(Math.atanh(sampled) - Math.atanh(rho)), `pair ${i}, ${j}: ${sampled} for ${rho}`).toBeLessThan(
          4 * se,
        );
      }
    }
    // The marginals are kept: one-sample KS of each column at level 0.001 (D < 1.9495/√N = 0.0138).
    for (let j = 0; j < 3; j++) {
      const cdf = cdfFor(marginals[j]!);
      const sorted = Float64Array.from(columns[j]!).sort();
      let d = 0;
      for (let i = 0; i < N; i++) {
        const f = cdf(sorted[i]!);
        d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
      }
      expect(d, `marginal ${j}`).toBeLessThan(1.9495 / Math.sqrt(N));
    }
  });

  it('correlatedUniforms refuses mismatched sizes and NaN, and keeps uniforms inside (0, 1)', () => {
    const { factor } = gaussianCopula([
      [1, 0.5],
      [0.5, 1],
    ]);
    const out = new Float64Array(2);
    expect(() => correlatedUniforms(factor, 3, new Float64Array(3), new Float64Array(3))).toThrow(OptionError);
    expect(() => correlatedUniforms(factor, 2, new Float64Array(1), out)).toThrow(/at least 2/);
    expect(() => correlatedUniforms(factor, 2, Float64Array.of(Number.NaN, 0), out)).toThrow(/NaN/);
    correlatedUniforms(factor, 2, Float64Array.of(60, -60), out);
    expect(out[0]).toBeLessThan(1);
    expect(out[1]).toBeGreaterThan(0);
    expect(Number.isFinite(quantileFor({ dist: 'normal', mean: 0, sd: 1 })(out[0]!))).toBe(true);
  });
});
