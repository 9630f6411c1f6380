import { OptionError } from '../errors';
import { symmetricEigen } from '../math/linalg';
import { DEFINITE, pearsonOfRank, rankCopulaMatrices, smallestEigenvalue, symmetrize } from '../math/correlation';
import { normalCdf } from './special';
import { BELOW_ONE } from './stream';

/** A square matrix of correlations, as rows. @category Random */
export type CorrelationMatrix = readonly (readonly number[])[];

/** The eigenvalue floor {@link nearestCorrelation} leaves in a repaired matrix. */
const DEFAULT_FLOOR = 1e-8;
/** Entries [i][j] and [j][i] may differ by this much and still count as symmetric. */
const SYMMETRY = 1e-12;

function checkCorrelation(name: string, value: number): void {
  if (!(value >= -1 && value <= 1)) {
    throw new OptionError(`${name}: expected a correlation in [-1, 1]; received ${String(value)}`, {
      option: name,
      received: value,
    });
  }
}

/**
 * The Pearson correlation of the normal scores that gives a Gaussian copula the rank
 * (Spearman) correlation ρ: r = 2·sin(π·ρ/6). Rank correlations pass unchanged through any
 * increasing transformation, so they are what a scenario gives; the copula needs r.
 *
 * @param rho - a rank correlation in [-1, 1]
 * @returns the Pearson correlation of the underlying normals, in [-1, 1] (0, ±1 map to themselves)
 * @throws {@link OptionError} when `rho` is outside [-1, 1] or NaN
 * @example
 * ```ts
 * pearsonFromSpearman(0.5); //=> 0.5176380902050…
 * pearsonFromSpearman(1); //=> 1
 * ```
 * @category Random
 */
export function pearsonFromSpearman(rho: number): number {
  checkCorrelation('pearsonFromSpearman: rho', rho);
  return pearsonOfRank(rho);
}

/**
 * The rank (Spearman) correlation of a Gaussian copula with normal-score correlation r:
 * ρ = (6/π)·asin(r/2), the inverse of {@link pearsonFromSpearman}.
 *
 * @param r - a Pearson correlation of the normal scores, in [-1, 1]
 * @returns the rank correlation, in [-1, 1]
 * @throws {@link OptionError} when `r` is outside [-1, 1] or NaN
 * @example
 * ```ts
 * spearmanFromPearson(1); //=> 1
 * Math.abs(spearmanFromPearson(pearsonFromSpearman(0.3)) - 0.3) < 1e-15; //=> true
 * ```
 * @category Random
 */
export function spearmanFromPearson(r: number): number {
  checkCorrelation('spearmanFromPearson: r', r);
  if (r === 1 || r === -1 || r === 0) return r;
  return Math.max(-1, Math.min(1, (6 / Math.PI) * Math.asin(r / 2)));
}

/** The first problem of shape, range, unit diagonal or symmetry, or undefined. */
function structuralProblem(matrix: unknown): string | undefined {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    return `expected a square matrix with at least one row; received ${Array.isArray(matrix) ? 'no rows' : typeof matrix}`;
  }
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    const row: unknown = matrix[i];
    if (!Array.isArray(row) || row.length !== n) {
      return `row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries; expected ${n} (the matrix has ${n} rows)`;
    }
  }
  const m = matrix as CorrelationMatrix;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i]![j]!;
      if (typeof v !== 'number' || !(v >= -1 && v <= 1))
        return `entry [${i}][${j}] is ${String(v)}; expected a number in [-1, 1]`;
    }
    if (m[i]![i] !== 1) return `entry [${i}][${i}] is ${m[i]![i]}; expected 1 on the diagonal`;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(m[i]![j]! - m[j]![i]!) > SYMMETRY) {
        return `entries [${i}][${j}] = ${m[i]![j]} and [${j}][${i}] = ${m[j]![i]} differ; expected a symmetric matrix`;
      }
    }
  }
  return undefined;
}

function notDefinite(lambda: number): string {
  return `not positive definite: its smallest eigenvalue is ${lambda.toPrecision(3)} (expected above ${DEFINITE}), so no inputs can have all these correlations at once; change them, or ask for the nearest valid matrix (repair)`;
}

/**
 * Checks a correlation matrix: square, entries in [-1, 1], 1 on the diagonal, symmetric, and
 * positive definite (smallest eigenvalue above 1e-10, by `symmetricEigen`). Returns the first
 * problem as a message rather than throwing, for a schema's refinement.
 *
 * @param matrix - the matrix, as rows
 * @returns a message naming the problem (the row, the entry, or the smallest eigenvalue), or
 *   `undefined` when the matrix is a valid correlation matrix
 * @throws never
 * @example
 * ```ts
 * checkCorrelationMatrix([[1, 0.3], [0.3, 1]]); //=> undefined
 * checkCorrelationMatrix([[1, 0.3], [0.2, 1]]); //=> 'entries [0][1] = 0.3 and [1][0] = 0.2 differ; expected a symmetric matrix'
 * ```
 * @category Random
 */
export function checkCorrelationMatrix(matrix: CorrelationMatrix): string | undefined {
  const problem = structuralProblem(matrix);
  if (problem !== undefined) return problem;
  const lambda = smallestEigenvalue(matrix);
  return lambda > DEFINITE ? undefined : notDefinite(lambda);
}

/** Options of {@link nearestCorrelation}. @category Random */
export interface NearestCorrelationOptions {
  /** Stop when the iterates move by less than this, relative (Frobenius norm); default 1e-12. */
  readonly tolerance?: number;
  /** At most this many alternating projections; default 10,000. */
  readonly maxIterations?: number;
  /** The smallest eigenvalue left in the result, before it is rescaled to a unit diagonal; default 1e-8. */
  readonly eigenvalueFloor?: number;
}

/** The nearest correlation matrix and how it was found. @category Random */
export interface NearestCorrelation {
  /** The nearest correlation matrix, positive definite. */
  readonly matrix: number[][];
  /** Alternating projections used (0 when the input was already valid). */
  readonly iterations: number;
  /** The Frobenius distance from the input, √Σ(xᵢⱼ − aᵢⱼ)². */
  readonly distance: number;
}

function frobenius(a: CorrelationMatrix, b: CorrelationMatrix): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) s += (a[i]![j]! - b[i]![j]!) ** 2;
  return Math.sqrt(s);
}

function norm(a: CorrelationMatrix): number {
  let s = 0;
  for (const row of a) for (const v of row) s += v * v;
  return Math.sqrt(s);
}

/** V·diag(max(λ, floor))·Vᵀ: the projection onto the positive semi-definite matrices (floor 0). */
function clipEigenvalues(m: CorrelationMatrix, floor: number): number[][] {
  const n = m.length;
  const { values, vectors } = symmetricEigen(symmetrize(m));
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) {
    const lambda = Math.max(values[k]!, floor);
    if (lambda === 0) continue;
    const v = vectors[k]!;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += lambda * v[i]! * v[j]!;
  }
  return symmetrize(out);
}

/**
 * The nearest correlation matrix to a symmetric matrix in the Frobenius norm, by Higham's
 * alternating projections with Dykstra's correction (N. J. Higham, "Computing the nearest
 * correlation matrix — a problem from finance", IMA J. Numer. Anal. 22, 2002, Algorithm 3.3 with
 * unit weights): projections onto the positive semi-definite matrices (`symmetricEigen`) and onto
 * the matrices with unit diagonal, in turn, until the iterates settle. The limit is positive
 * semi-definite; so that it is positive definite (and has a Cholesky factor), its eigenvalues
 * are then raised to at least `eigenvalueFloor` (1e-8 by default) and it is rescaled to a unit
 * diagonal, which moves entries by about the floor. A matrix that is already a valid
 * correlation matrix with no eigenvalue below the floor is returned as it is.
 *
 * @param matrix - a square matrix with finite entries (made symmetric as (A + Aᵀ)/2 first)
 * @param options - tolerance, iteration cap and eigenvalue floor
 * @returns the matrix, the number of projections, and its Frobenius distance from `matrix`
 * @throws {@link OptionError} when `matrix` is not square, has a non-finite entry, or an option
 *   is out of range
 * @example
 * ```ts
 * const { matrix } = nearestCorrelation([[1, 1, 0], [1, 1, 1], [0, 1, 1]]);
 * matrix[0][1].toFixed(4); //=> '0.7607'
 * matrix[0][2].toFixed(4); //=> '0.1573'
 * ```
 * @category Random
 */
export function nearestCorrelation(
  matrix: CorrelationMatrix,
  options: NearestCorrelationOptions = {},
): NearestCorrelation {
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 10_000;
  const floor = options.eigenvalueFloor ?? DEFAULT_FLOOR;
  if (!(tolerance > 0 && tolerance < 1))
    throw new OptionError(`nearestCorrelation: tolerance must be in (0, 1); received ${String(tolerance)}`, {
      option: 'nearestCorrelation: tolerance',
      received: tolerance,
    });
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1))
    throw new OptionError(
      `nearestCorrelation: maxIterations must be a positive integer; received ${String(maxIterations)}`,
      { option: 'nearestCorrelation: maxIterations', received: maxIterations },
    );
  if (!(floor > 0 && floor <= 0.1))
    throw new OptionError(`nearestCorrelation: eigenvalueFloor must be in (0, 0.1]; received ${String(floor)}`, {
      option: 'nearestCorrelation: eigenvalueFloor',
      received: floor,
    });
  if (!Array.isArray(matrix) || matrix.length === 0)
    throw new OptionError('nearestCorrelation: expected a square matrix with at least one row', {
      option: 'nearestCorrelation: matrix',
      received: matrix,
    });
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== n)
      throw new OptionError(
        `nearestCorrelation: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries; expected ${n}`,
        { option: 'nearestCorrelation: matrix', received: row },
      );
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(row[j]))
        throw new OptionError(`nearestCorrelation: entry [${i}][${j}] is ${String(row[j])}; expected a finite number`, {
          option: 'nearestCorrelation: matrix',
          received: row[j],
        });
    }
  }
  const a = symmetrize(matrix);
  if (structuralProblem(a) === undefined && smallestEigenvalue(a) >= floor) {
    return { matrix: a.map((row) => [...row]), iterations: 0, distance: frobenius(a, matrix) };
  }
  let y = a;
  let x = a;
  let correction = a.map((row) => row.map(() => 0));
  let iterations = 0;
  for (; iterations < maxIterations;) {
    iterations++;
    const r = y.map((row, i) => row.map((v, j) => v - correction[i]![j]!));
    const xNext = clipEigenvalues(r, 0);
    correction = xNext.map((row, i) => row.map((v, j) => v - r[i]![j]!));
    const yNext = xNext.map((row, i) => row.map((v, j) => (i === j ? 1 : v)));
    const size = norm(yNext);
    const moved = Math.max(
      frobenius(xNext, x) / Math.max(norm(xNext), Number.MIN_VALUE),
      frobenius(yNext, y) / size,
      frobenius(yNext, xNext) / size,
    );
    x = xNext;
    y = yNext;
    if (moved <= tolerance) break;
  }
  const floored = clipEigenvalues(y, floor);
  const result = floored.map((row, i) =>
    row.map((v, j) => (i === j ? 1 : v / Math.sqrt(floored[i]![i]! * floored[j]![j]!))),
  );
  return { matrix: symmetrize(result), iterations, distance: frobenius(result, matrix) };
}

/**
 * The lower-triangular Cholesky factor L (row-major) of a positive definite matrix, L·Lᵀ = R.
 *
 * @internal
 */
export function choleskyFactor(r: CorrelationMatrix): Float64Array {
  const n = r.length;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = r[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0))
          throw new OptionError(
            `gaussianCopula: the correlation matrix is not positive definite (pivot ${i} is ${s})`,
            { option: 'gaussianCopula: matrix' },
          );
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Options of {@link gaussianCopula}. @category Random */
export interface GaussianCopulaOptions {
  /**
   * Replace a matrix that is not positive definite by the nearest valid one
   * ({@link nearestCorrelation}, on the normal scores' Pearson matrix) instead of throwing;
   * default false.
   */
  readonly repair?: boolean;
}

/** A Gaussian copula ready to sample: see {@link gaussianCopula}. @category Random */
export interface GaussianCopula {
  /** The lower-triangular Cholesky factor L of `pearson`, row-major n × n: L·Lᵀ = R. */
  readonly factor: Float64Array;
  /** The Pearson correlation matrix R of the normal scores, 2·sin(π·ρ/6) entry by entry (repaired when `repaired`). */
  readonly pearson: number[][];
  /** The rank correlations the copula really has: the requested ones, or after a repair the repaired ones. */
  readonly spearman: number[][];
  /** Whether the matrix was replaced by the nearest valid one. */
  readonly repaired: boolean;
  /** The Frobenius distance between the requested and the used Pearson matrix (0 unless repaired). */
  readonly distance: number;
}

/**
 * Prepares a Gaussian copula with the given rank (Spearman) correlations: each rank correlation
 * ρ becomes the normal scores' Pearson correlation 2·sin(π·ρ/6) ({@link pearsonFromSpearman}),
 * and that matrix's Cholesky factor is computed once. Draw independent standard normals z,
 * map them with {@link correlatedUniforms}, and put the uniforms through each input's
 * {@link quantileFor}: the inputs keep their own distributions and get these rank correlations.
 *
 * A matrix that is not positive definite (either the rank correlations themselves, or the
 * Pearson matrix they imply) is an error naming its smallest eigenvalue, unless `repair` is
 * set: then the Pearson matrix is replaced by the nearest correlation matrix
 * ({@link nearestCorrelation}, positive definite with eigenvalues of at least about 1e-8), and
 * `repaired` and `distance` say so. A matrix of the wrong shape, with entries outside [-1, 1],
 * a diagonal other than 1 or asymmetric entries is always an error.
 *
 * @param spearmanMatrix - the rank correlations, a square symmetric matrix with 1 on the diagonal
 * @param options - `repair`
 * @returns the factor, the Pearson and rank correlation matrices used, and whether and how far
 *   the matrix was repaired
 * @throws {@link OptionError} naming the problem (see {@link checkCorrelationMatrix}) when the
 *   matrix is invalid and cannot or may not be repaired
 * @example
 * ```ts
 * const copula = gaussianCopula([[1, 0.5], [0.5, 1]]);
 * copula.pearson[0][1]; //=> 0.5176380902050…
 * copula.repaired; //=> false
 * gaussianCopula([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]], { repair: true }).repaired; //=> true
 * ```
 * @category Random
 */
export function gaussianCopula(spearmanMatrix: CorrelationMatrix, options: GaussianCopulaOptions = {}): GaussianCopula {
  const problem = structuralProblem(spearmanMatrix);
  if (problem !== undefined)
    throw new OptionError(`gaussianCopula: the rank correlation matrix: ${problem}`, {
      option: 'gaussianCopula: matrix',
      received: spearmanMatrix,
    });
  const n = spearmanMatrix.length;
  const { pearson: requested, lambdaSpearman, lambdaPearson } = rankCopulaMatrices(spearmanMatrix);
  let pearson = requested;
  let repaired = false;
  let distance = 0;
  if (!(lambdaSpearman > DEFINITE && lambdaPearson > DEFINITE)) {
    if (options.repair !== true) {
      const message =
        lambdaSpearman > DEFINITE
          ? `the normal scores' Pearson matrix 2·sin(π·ρ/6) of these rank correlations is ${notDefinite(lambdaPearson)}`
          : `the rank correlation matrix is ${notDefinite(lambdaSpearman)}`;
      throw new OptionError(`gaussianCopula: ${message}`, {
        option: 'gaussianCopula: matrix',
        received: spearmanMatrix,
      });
    }
    const nearest = nearestCorrelation(requested);
    pearson = nearest.matrix;
    repaired = true;
    distance = nearest.distance;
  }
  const spearman = pearson.map((row, i) =>
    row.map((r, j) => (i === j ? 1 : spearmanFromPearson(Math.max(-1, Math.min(1, r))))),
  );
  const factor = n === 1 ? Float64Array.of(1) : choleskyFactor(pearson);
  return { factor, pearson, spearman, repaired, distance };
}

/**
 * Turns independent standard normals into correlated uniforms: out_i = Φ(Σ_j L_ij·z_j) with
 * the copula's Cholesky factor L ({@link gaussianCopula}) and the tail-accurate
 * {@link normalCdf}. Each out_i is uniform on (0, 1) (clamped to [5e-324, 1 − 2⁻⁵³], so that a
 * quantile function never meets its infinite ends), ready for {@link quantileFor}. No
 * allocation: a loop over paths reuses `z` and `out`.
 *
 * @param factor - the row-major lower-triangular factor, n × n
 * @param n - the number of inputs
 * @param z - at least n independent standard normal draws (for example from {@link standardNormal})
 * @param out - receives n uniforms
 * @returns nothing; `out` is written
 * @throws {@link OptionError} when `factor` is not n × n, `z` or `out` is shorter than n, or a
 *   normal score is NaN
 * @example
 * ```ts
 * const { factor } = gaussianCopula([[1, 0.5], [0.5, 1]]);
 * const out = new Float64Array(2);
 * correlatedUniforms(factor, 2, Float64Array.of(0, 0), out);
 * out; //=> Float64Array [0.5, 0.5]
 * ```
 * @category Random
 */
export function correlatedUniforms(factor: Float64Array, n: number, z: Float64Array, out: Float64Array): void {
  if (!(Number.isInteger(n) && n >= 1 && factor.length === n * n)) {
    throw new OptionError(
      `correlatedUniforms: expected a factor of n × n = ${String(n)} × ${String(n)} entries and n >= 1; received ${factor.length} entries`,
      { option: 'correlatedUniforms: factor', received: factor.length },
    );
  }
  if (z.length < n || out.length < n) {
    throw new OptionError(
      `correlatedUniforms: expected z and out of length at least ${n}; received ${z.length} and ${out.length}`,
      { option: 'correlatedUniforms: z', received: z.length },
    );
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j <= i; j++) s += factor[row + j]! * z[j]!;
    if (s !== s)
      throw new OptionError(`correlatedUniforms: z and factor must be finite; the normal score of input ${i} is NaN`, {
        option: 'correlatedUniforms: z',
      });
    const u = normalCdf(s);
    out[i] = u > 0 ? (u < BELOW_ONE ? u : BELOW_ONE) : Number.MIN_VALUE;
  }
}
