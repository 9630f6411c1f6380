/**
 * The eigen-decomposition from mathjs, kept apart from `linalg.ts` so that a worker thread that
 * needs none does not load mathjs; `installSymmetricEigen` hands it over.
 */
import { create, eigsDependencies, matrixDependencies } from 'mathjs';
import { useSymmetricEigen } from './linalg';

/**
 * The mathjs functions carebudget uses, and only those: building mathjs's full instance
 * compiles hundreds of typed functions and costs most of a worker thread's start-up.
 */
const math = create({ eigsDependencies: eigsDependencies!, matrixDependencies: matrixDependencies! });

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (mathjs `eigs`).
 */
function eigen(m: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const { values, eigenvectors } = math.eigs(math.matrix(m.map((row) => [...row])));
  const vals = (values as unknown as { toArray(): number[] }).toArray();
  const vectors = eigenvectors.map((e) => (e.vector as unknown as { toArray(): number[] }).toArray());
  return { values: vals, vectors };
}

/** Installs the decomposition for `symmetricEigen`: the scenario module calls it when it loads. @internal */
export function installSymmetricEigen(use: typeof useSymmetricEigen = useSymmetricEigen): void {
  // `use` is the caller's own (see installFormulaParser).
  use(eigen);
}
