import type * as z from 'zod';
import { uncertainSchema } from '../distribution';
import { compileFormula, describeScope, formulaNameProblem } from '../formula';
import { addRuleIssue } from './codes';
import { looseObject, type Loose } from './loose';
import { meanOfUncertain } from './support';

/**
 * A trend formula's values at its parameters' means, for every year from the base year to the
 * horizon: 1 at t = 0 (within 1e-9: `TREND_NOT_ONE_AT_BASE`), finite and positive after
 * (`TREND_NOT_POSITIVE`; a formula that cannot be evaluated: `TREND_FORMULA_FAILS`). Skipped
 * when the formula or a parameter is not valid (their own problems are reported where they are).
 */
export function checkTrendFormula(
  spec: Loose | undefined,
  field: string,
  baseYear: number,
  horizon: number,
  ctx: z.RefinementCtx,
): void {
  const parameters = looseObject(spec?.parameters) ?? {};
  if (typeof spec?.formula !== 'string') return;
  const names = Object.keys(parameters);
  const compiled = names.some((n) => formulaNameProblem(n) !== undefined || n === 't')
    ? undefined
    : compileFormula(spec.formula, { parameters: names, field: `homeCare.${field}.formula` });
  if (compiled === undefined || !compiled.ok) return;
  const scope: Record<string, number> = {};
  for (const name of names) {
    const parsed = uncertainSchema.safeParse(parameters[name]);
    if (!parsed.success) return;
    scope[name] = meanOfUncertain(parsed.data);
  }
  const path = ['homeCare', field, 'formula'];
  for (let t = 0; t <= horizon; t++) {
    scope.t = t;
    let value: number;
    try {
      value = compiled.formula.evaluate(scope, baseYear + t);
    } catch (e) {
      addRuleIssue(ctx, 'TREND_FORMULA_FAILS', {
        path,
        message: `${e instanceof Error ? e.message.replace(/^[^:]*: /, '') : String(e)}, at the parameters' means`,
        input: spec.formula,
      });
      return;
    }
    const at = `in ${baseYear + t} (t = ${t}) at the parameters' means (${describeScope(scope, names) || 'no parameters'})`;
    if (t === 0 && Math.abs(value - 1) > 1e-9) {
      addRuleIssue(ctx, 'TREND_NOT_ONE_AT_BASE', {
        path,
        message: `expected a factor of 1 in the base year: the formula gives ${value} ${at}; normalise it, for example divide by its value at t = 0`,
        input: spec.formula,
      });
      return;
    }
    if (!(value > 0)) {
      addRuleIssue(ctx, 'TREND_NOT_POSITIVE', {
        path,
        message: `expected a factor > 0 for every year: the formula gives ${value} ${at}`,
        input: spec.formula,
      });
      return;
    }
  }
}
