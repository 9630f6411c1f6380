import { describe, expect, it } from 'vitest';
import { eigs, matrix } from 'mathjs';
import seedrandom from 'seedrandom';
import { SYMMETRY_TOLERANCE, symmetricEigen } from '../../src/math/linalg';
import { correlationFactor } from '../../src/drivers/correlation';
import { OptionError } from '../../src/errors';

/** mathjs's own `eigs`, as the library called it before: values and eigenvectors as arrays. */
function mathjsEigen(m: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const { values, eigenvectors } = eigs(matrix(m.map((row) => [...row])));
  return {
    values: (values as unknown as { toArray(): number[] }).toArray(),
    vectors: eigenvectors.map((e) => (e.vector as unknown as { toArray(): number[] }).toArray()),
  };
}

/** Every entry the same number, bit for bit (Object.is tells 0 from -0). */
function expectBitIdentical(
  a: { values: number[]; vectors: number[][] },
  b: { values: number[]; vectors: number[][] },
) {
  expect(a.values.length).toBe(b.values.length);
  const mismatches: string[] = [];
  a.values.forEach((v, k) => {
    if (!Object.is(v, b.values[k])) mismatches.push(`value ${k}: ${v} against ${b.values[k]}`);
    a.vectors[k]!.forEach((x, i) => {
      if (!Object.is(x, b.vectors[k]![i])) mismatches.push(`vector ${k}[${i}]: ${x} against ${b.vectors[k]![i]}`);
    });
  });
  expect(mismatches).toEqual([]);
}

function symmetric(n: number, entry: (i: number, j: number) => number): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i]![j] = m[j]![i] = entry(i, j);
  return m;
}

describe('symmetricEigen', () => {
  it('gives mathjs eigs bit for bit on 3,000 random symmetric matrices of 1 to 12 rows', () => {
    const rng = seedrandom('symmetric-eigen');
    for (let t = 0; t < 3000; t++) {
      const n = 1 + (t % 12);
      const kind = Math.floor(t / 12) % 4;
      const m = symmetric(n, (i, j) =>
        kind === 0
          ? // correlation-like: unit diagonal, entries in (-1, 1)
            i === j
            ? 1
            : 2 * rng() - 1
          : kind === 1
            ? // any signs and sizes
              (rng() - 0.5) * 10 ** Math.floor(rng() * 6 - 3)
            : kind === 2
              ? // a uniform correlation: repeated eigenvalues
                i === j
                ? 1
                : 0.3
              : // small integers: equal diagonals (the 45° rotation) and exact zeros
                Math.floor(rng() * 5) - 2,
      );
      expectBitIdentical(symmetricEigen(m), mathjsEigen(m));
    }
  });

  it('gives mathjs eigs bit for bit at the edges: identity, zeros, diagonal, nearly diagonal, 1e-13 asymmetry', () => {
    const cases = [
      [[1]],
      [[-3]],
      symmetric(4, (i, j) => (i === j ? 1 : 0)),
      symmetric(3, () => 0),
      symmetric(3, (i, j) => (i === j ? 3 - i : 0)),
      symmetric(3, (i, j) => (i === j ? 1 : 1e-13)),
      symmetric(3, (i, j) => (i === j ? 1 : 1 - 1e-12)),
      [
        [1, 0.5 + 1e-13],
        [0.5, 1],
      ],
    ];
    for (const m of cases) expectBitIdentical(symmetricEigen(m), mathjsEigen(m));
  });

  it('takes a matrix as symmetric as far as mathjs does, and uses its entries as they are', () => {
    // mathjs's test of symmetry allows relTol (1e-12) and absTol (1e-15) on top: 1.001e-12.
    for (const d of [1e-12, 1.0005e-12, SYMMETRY_TOLERANCE]) {
      const m = [
        [1, 0.5 + d],
        [0.5, 1],
      ];
      expectBitIdentical(symmetricEigen(m), mathjsEigen(m));
      const z = [
        [0, d],
        [0, 0],
      ];
      expectBitIdentical(symmetricEigen(z), mathjsEigen(z));
    }
    const beyond = SYMMETRY_TOLERANCE * (1 + Number.EPSILON);
    expect(beyond).toBeGreaterThan(SYMMETRY_TOLERANCE);
    expect(() =>
      symmetricEigen([
        [0, beyond],
        [0, 0],
      ]),
    ).toThrow(/expected a symmetric matrix/);
  });

  it('decomposes: every eigenvector satisfies A·v = λ·v, and they are orthonormal', () => {
    const m = symmetric(5, (i, j) => (i === j ? 2 + i : 1 / (1 + i + j)));
    const { values, vectors } = symmetricEigen(m);
    expect(values.map(Math.abs)).toEqual([...values.map(Math.abs)].sort((a, b) => a - b));
    vectors.forEach((v, k) => {
      m.forEach((row, i) => expect(row.reduce((s, a, j) => s + a * v[j]!, 0)).toBeCloseTo(values[k]! * v[i]!, 12));
      vectors.forEach((w, l) => expect(v.reduce((s, x, i) => s + x * w[i]!, 0)).toBeCloseTo(k === l ? 1 : 0, 12));
    });
  });

  it('refuses a matrix that is not square or not symmetric, naming the entries', () => {
    expect(() => symmetricEigen([[1, 2], [2]])).toThrow(OptionError);
    expect(() => symmetricEigen([[1, 2], [2]])).toThrow('row 1 has 1 entries of 2');
    expect(() => symmetricEigen([])).toThrow('at least one row');
    expect(() =>
      symmetricEigen([
        [1, 0.5],
        [0.4, 1],
      ]),
    ).toThrow('[1][0] is 0.4 and [0][1] is 0.5');
  });

  it('keeps the correlation factor A·Aᵀ = C', () => {
    const c = symmetric(4, (i, j) => (i === j ? 1 : 0.2 + 0.1 * (i + j)));
    const a = correlationFactor(c, 4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += a[i * 4 + k]! * a[j * 4 + k]!;
        expect(s).toBeCloseTo(c[i]![j]!, 12);
      }
  });
});
