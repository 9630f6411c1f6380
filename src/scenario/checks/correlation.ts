import type * as z from 'zod';
import { firstAsymmetry, symmetricEigen } from '../../math/linalg';
import { DEFINITE } from '../../math/correlation';
import { addRuleIssue } from './codes';

/**
 * Checks a correlation matrix's shape (n × n, else `shapeMessage` at `path`: `CORRELATION_SHAPE`),
 * unit diagonal (`CORRELATION_DIAGONAL`) and symmetry (`CORRELATION_NOT_SYMMETRIC`), each problem
 * at its entry; false when the shape is wrong (nothing more is checked).
 */
export function checkMatrixShape(
  m: readonly (readonly number[])[],
  n: number,
  path: (string | number)[],
  shapeMessage: string,
  ctx: z.RefinementCtx,
): boolean {
  if (m.length !== n || m.some((row) => row.length !== n)) {
    addRuleIssue(ctx, 'CORRELATION_SHAPE', { path, message: shapeMessage, input: m });
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (m[i]![i] !== 1)
      addRuleIssue(ctx, 'CORRELATION_DIAGONAL', {
        path: [...path, i, i],
        message: 'expected 1 on the diagonal',
        input: m[i]![i],
      });
    for (let j = 0; j < i; j++) {
      if (m[i]![j] !== m[j]![i])
        addRuleIssue(ctx, 'CORRELATION_NOT_SYMMETRIC', {
          path: [...path, i, j],
          message: `expected a symmetric matrix (the value at [${j}][${i}] is ${m[j]![i]})`,
          input: m[i]![j],
        });
    }
  }
  return true;
}

/**
 * A single correlation for every pair of the n population groups: the matrix is positive
 * definite for r in (−1/(n−1), 1), else `CORRELATION_NOT_DEFINITE`.
 */
export function checkUniformCorrelation(r: number, n: number, ctx: z.RefinementCtx): void {
  const smallest = Math.min(1 - r, 1 + (n - 1) * r);
  if (!(smallest > DEFINITE)) {
    const low = -1 / (n - 1);
    addRuleIssue(ctx, 'CORRELATION_NOT_DEFINITE', {
      path: ['population', 'correlation'],
      message: `expected a correlation in (${Number(low.toPrecision(3))}, 1) for ${n} population groups: one correlation for every pair must leave the matrix positive definite (its smallest eigenvalue is ${smallest.toPrecision(3)})`,
      input: r,
    });
  }
}

/** The population groups' correlation matrix: its shape, and positive definite (`CORRELATION_NOT_DEFINITE`). */
export function checkCorrelation(m: number[][], n: number, ctx: z.RefinementCtx): void {
  const path = ['population', 'correlation'];
  if (!checkMatrixShape(m, n, path, `expected a ${n}×${n} matrix (one row and column per population group)`, ctx))
    return;
  // A matrix that is not symmetric is reported as such (above). Its eigenvalues are tested only
  // within the tolerance of symmetry the eigen-decomposition allows; further off, a matrix has
  // no real symmetric decomposition to test.
  if (n > 1 && firstAsymmetry(m) === undefined) {
    const { values } = symmetricEigen(m);
    const min = Math.min(...values);
    if (!(min > DEFINITE)) {
      addRuleIssue(ctx, 'CORRELATION_NOT_DEFINITE', {
        path,
        message: `expected a positive definite correlation matrix (its smallest eigenvalue is ${min.toPrecision(3)}): some correlations contradict each other`,
        input: m,
      });
    }
  }
}
