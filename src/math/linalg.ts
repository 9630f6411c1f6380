import { OptionError } from '../errors';

/** mathjs's `config.relTol`: the precision its `eigs` works to and its symmetry test's tolerance. */
const REL_TOL = 1e-12;

/**
 * The largest difference between an entry and its mirror that mathjs's `eigs` still treats as
 * symmetric: its test `larger(d, relTol)` allows `absTol` (1e-15) of near-equality on top.
 *
 * @internal
 */
export const SYMMETRY_TOLERANCE = 1.001e-12;

/**
 * The first entry (row i, column j < i, in row order) that differs from its mirror by more than
 * {@link SYMMETRY_TOLERANCE}, or undefined for a matrix as symmetric as {@link symmetricEigen}
 * takes (a NaN entry counts as symmetric, as in mathjs's test). A square matrix is assumed.
 *
 * @param m - a square matrix
 * @returns `[i, j]` of the first such entry, or undefined
 * @example
 * ```ts
 * firstAsymmetry([[1, 0.5], [0.4, 1]]); //=> [1, 0]
 * ```
 * @internal
 */
export function firstAsymmetry(m: readonly (readonly number[])[]): [number, number] | undefined {
  for (let i = 0; i < m.length; i++)
    for (let j = 0; j < i; j++) if (Math.abs(m[i]![j]! - m[j]![i]!) > SYMMETRY_TOLERANCE) return [i, j];
  return undefined;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix: the cyclic-by-largest Jacobi method of
 * mathjs 15 (`eigs` on a real symmetric matrix of numbers), operation for operation, so that the
 * results are mathjs's bit for bit (a test compares them on thousands of matrices). The values
 * come ordered by absolute size, smallest first, each with its eigenvector (`vectors[k]`).
 *
 * Written out here rather than called, for speed: mathjs builds `eigs` and the thirty typed
 * functions it depends on at its first call, which took 70-150 ms of every run's start (a
 * worker's too), against microseconds for the method itself on a matrix of a few rows; and it
 * kept mathjs's complex and BigNumber arithmetic in the browser bundle.
 *
 * @param m - a symmetric matrix (entries differing from their mirror by at most
 *   {@link SYMMETRY_TOLERANCE}, as mathjs allows; the entries are used as they are)
 * @returns the eigenvalues and, for each, its eigenvector
 * @throws {@link OptionError} for a matrix that is not square or not symmetric
 * @example
 * ```ts
 * symmetricEigen([[2, 0], [0, 1]]); //=> { values: [1, 2], vectors: [[0, 1], [1, 0]] }
 * ```
 * @internal
 */
export function symmetricEigen(m: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const N = m.length;
  if (N === 0)
    throw new OptionError('symmetricEigen: expected a square matrix of at least one row; received none', {
      option: 'symmetricEigen',
      received: m,
    });
  for (let i = 0; i < N; i++) {
    if (m[i]?.length !== N)
      throw new OptionError(`symmetricEigen: expected a square matrix; row ${i} has ${m[i]?.length} entries of ${N}`, {
        option: 'symmetricEigen',
        received: m,
      });
  }
  const off = firstAsymmetry(m);
  if (off !== undefined) {
    const [i, j] = off;
    throw new OptionError(
      `symmetricEigen: expected a symmetric matrix; [${i}][${j}] is ${m[i]![j]} and [${j}][${i}] is ${m[j]![i]}`,
      { option: 'symmetricEigen', received: m },
    );
  }
  const x = m.map((row) => [...row]);
  const s = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 1 : 0)));
  // Rotate away the largest off-diagonal entry until every one is below the precision.
  const e0 = Math.abs(REL_TOL / N);
  for (let at = largestOffDiagonal(x); at.size >= e0; at = largestOffDiagonal(x)) {
    const { i, j } = at;
    const theta = jacobiAngle(x[i]![i]!, x[j]![j]!, x[i]![j]!);
    rotateMatrix(x, theta, i, j);
    rotateVectors(s, theta, i, j);
  }
  return sortedByMagnitude(
    x.map((row, i) => row[i]!),
    s,
  );
}

/** The upper triangle's entry of largest magnitude (the first of equals), and that magnitude. */
function largestOffDiagonal(x: readonly (readonly number[])[]): { i: number; j: number; size: number } {
  let size = 0;
  let at = { i: 0, j: 1 };
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (size < Math.abs(x[i]![j]!)) {
        size = Math.abs(x[i]![j]!);
        at = { i, j };
      }
    }
  }
  return { ...at, size };
}

/** The rotation angle that zeroes entry (i, j). */
function jacobiAngle(aii: number, ajj: number, aij: number): number {
  const denom = ajj - aii;
  return Math.abs(denom) <= REL_TOL ? Math.PI / 4.0 : 0.5 * Math.atan((2.0 * aij) / denom);
}

/** x ← Rᵀ·x·R for the rotation by theta in the (i, j) plane, in place. */
function rotateMatrix(x: number[][], theta: number, i: number, j: number): void {
  const N = x.length;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const c2 = c * c;
  const s2 = s * s;
  const aki = new Array<number>(N);
  const akj = new Array<number>(N);
  const aii = c2 * x[i]![i]! - 2 * c * s * x[i]![j]! + s2 * x[j]![j]!;
  const ajj = s2 * x[i]![i]! + 2 * c * s * x[i]![j]! + c2 * x[j]![j]!;
  for (let k = 0; k < N; k++) {
    aki[k] = c * x[i]![k]! - s * x[j]![k]!;
    akj[k] = s * x[i]![k]! + c * x[j]![k]!;
  }
  x[i]![i] = aii;
  x[j]![j] = ajj;
  x[i]![j] = 0;
  x[j]![i] = 0;
  for (let k = 0; k < N; k++) {
    if (k !== i && k !== j) {
      x[i]![k] = aki[k]!;
      x[k]![i] = aki[k]!;
      x[j]![k] = akj[k]!;
      x[k]![j] = akj[k]!;
    }
  }
}

/** The eigenvectors' columns i and j rotated by theta, in place. */
function rotateVectors(s: number[][], theta: number, i: number, j: number): void {
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  for (const row of s) {
    const ski = c * row[i]! - sn * row[j]!;
    const skj = sn * row[i]! + c * row[j]!;
    row[i] = ski;
    row[j] = skj;
  }
}

/** The eigenvalues by absolute size (the first of equals first), each with its column of `s`. */
function sortedByMagnitude(e: number[], s: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const left = e.map((_, k) => k);
  const values: number[] = [];
  const vectors: number[][] = [];
  while (left.length > 0) {
    let min = 0;
    for (let k = 1; k < left.length; k++) if (Math.abs(e[left[k]!]!) < Math.abs(e[left[min]!]!)) min = k;
    const k = left.splice(min, 1)[0]!;
    values.push(e[k]!);
    vectors.push(s.map((row) => row[k]!));
  }
  return { values, vectors };
}
