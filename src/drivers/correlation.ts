import { symmetricEigen } from '../math/linalg';
import { correlationMatrixOf } from '../math/correlation';

/**
 * A factor A with A·Aᵀ = C for a correlation matrix C, from its eigen-decomposition (mathjs's
 * `eigs` method, written out in src/math/linalg.ts).
 * Eigenvalues below zero (a matrix that is not positive semi-definite by rounding) are set to
 * zero. Returned row-major.
 *
 * @param correlation - one correlation for every pair, or a full matrix
 * @param n - the matrix size
 * @returns the factor, row-major, n × n
 * @example
 * ```ts
 * correlationFactor(0, 2); //=> Float64Array [1, 0, 0, 1]
 * ```
 * @category Drivers
 */
export function correlationFactor(correlation: number | readonly (readonly number[])[], n: number): Float64Array {
  const c = correlationMatrixOf(correlation, n);
  const out = new Float64Array(n * n);
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  // C = V·Λ·Vᵀ, so A = V·√Λ (eigenvalue k with eigenvector k); negative rounding noise → 0.
  const { values, vectors } = symmetricEigen(c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) out[i * n + k] = vectors[k]![i]! * Math.sqrt(Math.max(values[k]!, 0));
  }
  return out;
}
