import { symmetricEigen } from './linalg';

/** A square matrix of correlations, as rows. */
export type Rows = readonly (readonly number[])[];

/**
 * The smallest eigenvalue a correlation matrix may have and still count as positive definite:
 * below it a Cholesky factor loses most of its digits.
 */
export const DEFINITE = 1e-10;

/**
 * sin x for |x| <= π/6 by its Taylor series (terms to x²¹, below 1e-17 there): additions and
 * multiplications only, so the same bits in every engine (Math.sin may differ in the last bit).
 */
function sinSmall(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let k = 1; k <= 10; k++) {
    term *= -x2 / (2 * k * (2 * k + 1));
    sum += term;
  }
  return sum;
}

/**
 * The normal scores' Pearson correlation 2·sin(π·ρ/6) of a rank correlation ρ in [-1, 1] under a
 * Gaussian copula, clamped to [-1, 1] (0 and ±1 map to themselves); no check of ρ.
 */
export function pearsonOfRank(rho: number): number {
  if (rho === 1 || rho === -1 || rho === 0) return rho;
  return Math.max(-1, Math.min(1, 2 * sinSmall((Math.PI * rho) / 6)));
}

/** (A + Aᵀ)/2, exactly symmetric. */
export function symmetrize(m: Rows): number[][] {
  return m.map((row, i) => row.map((v, j) => (i === j ? v : (v + m[j]![i]!) / 2)));
}

/** The smallest eigenvalue of (A + Aᵀ)/2. */
export function smallestEigenvalue(m: Rows): number {
  if (m.length === 1) return m[0]![0]!;
  return Math.min(...symmetricEigen(symmetrize(m)).values);
}

/**
 * What a Gaussian copula with these rank correlations asks of a matrix: the Pearson matrix of
 * the normal scores (entry by entry from the symmetrised ranks) and the smallest eigenvalues of
 * both. The scenario's check and the copula both decide from this one computation, so a matrix
 * the scenario accepts is one the copula accepts.
 */
export function rankCopulaMatrices(spearman: Rows): {
  readonly pearson: number[][];
  readonly lambdaSpearman: number;
  readonly lambdaPearson: number;
} {
  const pearson = spearman.map((row, i) =>
    row.map((rho, j) => (i === j ? 1 : pearsonOfRank((rho + spearman[j]![i]!) / 2))),
  );
  return { pearson, lambdaSpearman: smallestEigenvalue(spearman), lambdaPearson: smallestEigenvalue(pearson) };
}

/** A correlation matrix given as one correlation for every pair, or as the full matrix (rows copied). */
export function correlationMatrixOf(correlation: number | Rows, n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      i === j ? 1 : typeof correlation === 'number' ? correlation : correlation[i]![j]!,
    ),
  );
}
