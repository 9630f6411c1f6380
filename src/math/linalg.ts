import { OptionError } from '../errors';

/** Eigenvalues and eigenvectors of a symmetric matrix. */
type SymmetricEigen = (m: readonly (readonly number[])[]) => { values: number[]; vectors: number[][] };

let implementation: SymmetricEigen | undefined;

/**
 * Installs the eigen-decomposition (mathjs `eigs`, built in `eigen.ts`). The module that
 * validates scenarios installs it when it loads; a worker thread installs it only for a run that
 * draws correlated inputs in the thread, so a worker without them never loads mathjs.
 *
 * @internal
 */
export function useSymmetricEigen(f: SymmetricEigen): void {
  implementation = f;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (mathjs `eigs`).
 *
 * @internal
 */
export function symmetricEigen(m: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  if (implementation === undefined)
    throw new OptionError(
      'symmetricEigen: the eigen-decomposition is not loaded (import carebudget, or call installSymmetricEigen from its eigen module first)',
      { option: 'symmetricEigen', received: m },
    );
  return implementation(m);
}
