import { create, eigsDependencies, matrixDependencies } from 'mathjs';

/**
 * The mathjs functions carebudget uses, and only those: building mathjs's full instance
 * compiles hundreds of typed functions and costs most of a worker thread's start-up.
 */
const math = create({ eigsDependencies: eigsDependencies!, matrixDependencies: matrixDependencies! });

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (mathjs `eigs`).
 *
 * @internal
 */
export function symmetricEigen(m: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const { values, eigenvectors } = math.eigs(math.matrix(m.map((row) => [...row])));
  const vals = (values as unknown as { toArray(): number[] }).toArray();
  const vectors = eigenvectors.map((e) => (e.vector as unknown as { toArray(): number[] }).toArray());
  return { values: vals, vectors };
}
