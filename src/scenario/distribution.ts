import * as z from 'zod';
import { addRuleIssue, ruleParams } from './checks/codes';

const finite = () =>
  z.number().refine(Number.isFinite, { message: 'expected a finite number', params: ruleParams('NOT_FINITE') });
/** A Pareto tail index: above 1, where the mean (the value a baseline uses) is finite. */
const tailIndex = () =>
  z
    .number()
    .gt(1, { message: 'expected alpha > 1 (a Pareto tail with alpha <= 1 has no finite mean)' })
    .refine(Number.isFinite, { message: 'expected a finite number', params: ruleParams('NOT_FINITE') });
/** The widest lognormal: a log-space sd of 5. */
const MAX_LOG_SD = 5;
const positive = () =>
  z
    .number()
    .positive()
    .refine(Number.isFinite, { message: 'expected a finite number', params: ruleParams('NOT_FINITE') });

/**
 * How an uncertain input is given: one of the distributions below, each in the units of the
 * field it stands for. A plain number means "known exactly".
 *
 * - `normal`: `mean`, `sd`
 * - `lognormal`: `median` with `p5` and/or `p95` (the central 90 % interval), or `p5` and `p95`,
 *   or `mu` and `sigma` of the logarithm
 * - `triangular`: `min`, `mode`, `max`
 * - `pert`: `min`, `mode`, `max`, optional `lambda` (default 4)
 * - `uniform`: `min`, `max`
 * - `beta`: `alpha`, `beta` (a share in [0, 1])
 * - `gamma`: `shape`, `scale` (mean shape × scale)
 * - `poisson`: `mean`
 * - `binomial`: `n`, `p`
 * - `empirical`: `values` (each equally likely)
 * - `weibull`: `shape`, `scale` (P(X > x) = exp(−(x/scale)^shape))
 * - `pareto`: `min`, `alpha` > 1 (P(X > x) = (min/x)^alpha above min; alpha > 1 for a finite mean)
 * - `lognormalPareto`: a lognormal body (`mu`, `sigma` of log X) cut at `threshold`, spliced to a
 *   Pareto tail with `alpha` > 1 above it that carries the share `tailShare` of the values
 *
 * @category Scenario
 */
export const distributionSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('normal'), mean: finite(), sd: finite().min(0) }),
  z
    .strictObject({
      dist: z.literal('lognormal'),
      median: positive().optional(),
      p5: positive().optional(),
      p95: positive().optional(),
      mu: finite().optional(),
      /** At most 5: a wider spread puts the 90 % interval's ends more than a factor 3,700 from the median, and draws overflow. */
      sigma: finite().min(0).max(MAX_LOG_SD).optional(),
    })
    .superRefine((d, ctx) => {
      const z95 = 1.6448536269514722;
      const implied =
        d.median !== undefined && d.p95 !== undefined
          ? Math.log(d.p95 / d.median) / z95
          : d.median !== undefined && d.p5 !== undefined
            ? Math.log(d.median / d.p5) / z95
            : d.p5 !== undefined && d.p95 !== undefined
              ? Math.log(d.p95 / d.p5) / (2 * z95)
              : 0;
      if (implied > MAX_LOG_SD)
        addRuleIssue(ctx, 'LOGNORMAL_TOO_WIDE', {
          path: [d.p95 !== undefined ? 'p95' : 'p5'],
          message: `expected a 90 % interval within a factor ${Math.round(Math.exp(MAX_LOG_SD * z95))} of the median (a log-space sd of at most ${MAX_LOG_SD}; this one is ${implied.toPrecision(3)})`,
          input: d.p95 ?? d.p5,
        });
      const friendly = d.median !== undefined || d.p5 !== undefined || d.p95 !== undefined;
      const raw = d.mu !== undefined || d.sigma !== undefined;
      if (raw && friendly) {
        addRuleIssue(ctx, 'LOGNORMAL_BOTH_FORMS', {
          path: ['mu'],
          message: 'give either mu and sigma, or the median and 90 % interval (p5, p95), not both',
          input: d.mu,
        });
      } else if (raw) {
        if (d.mu === undefined)
          addRuleIssue(ctx, 'LOGNORMAL_INCOMPLETE', {
            path: ['mu'],
            message: 'expected a number (sigma is given, so mu is needed)',
            input: d.mu,
          });
        if (d.sigma === undefined)
          addRuleIssue(ctx, 'LOGNORMAL_INCOMPLETE', {
            path: ['sigma'],
            message: 'expected a number >= 0 (mu is given, so sigma is needed)',
            input: d.sigma,
          });
      } else if (d.median === undefined) {
        if (d.p5 === undefined || d.p95 === undefined) {
          addRuleIssue(ctx, 'LOGNORMAL_INCOMPLETE', {
            path: [d.p5 === undefined ? 'p5' : 'p95'],
            message: 'expected the median with p5 and/or p95, or both p5 and p95',
            input: undefined,
          });
        } else if (!(d.p5 < d.p95)) {
          addRuleIssue(ctx, 'QUANTILE_ORDER', { path: ['p95'], message: `expected p95 > p5 (${d.p5})`, input: d.p95 });
        }
      } else {
        if (d.p5 === undefined && d.p95 === undefined) {
          addRuleIssue(ctx, 'LOGNORMAL_INCOMPLETE', {
            path: ['p95'],
            message: 'expected p5 and/or p95 with the median (a lognormal needs a spread)',
            input: undefined,
          });
        }
        if (d.p5 !== undefined && d.p5 > d.median)
          addRuleIssue(ctx, 'QUANTILE_ORDER', {
            path: ['p5'],
            message: `expected p5 <= median (${d.median})`,
            input: d.p5,
          });
        if (d.p95 !== undefined && d.p95 < d.median)
          addRuleIssue(ctx, 'QUANTILE_ORDER', {
            path: ['p95'],
            message: `expected p95 >= median (${d.median})`,
            input: d.p95,
          });
        if (d.p5 !== undefined && d.p95 !== undefined && d.p5 <= d.median && d.median <= d.p95) {
          const mismatch = Math.abs(Math.log((d.median * d.median) / (d.p5 * d.p95)));
          if (mismatch > 0.02) {
            addRuleIssue(ctx, 'LOGNORMAL_ASYMMETRIC', {
              path: ['p95'],
              message: `expected p95 close to median²/p5 = ${round((d.median * d.median) / d.p5)}: a lognormal's 90 % interval is symmetric around the median in log space (give only one of p5, p95 to fix the spread)`,
              input: d.p95,
            });
          }
        }
      }
    }),
  z
    .strictObject({ dist: z.literal('triangular'), min: finite(), mode: finite(), max: finite() })
    .superRefine((d, ctx) => minModeMax(d, ctx)),
  z
    .strictObject({
      dist: z.literal('pert'),
      min: finite(),
      mode: finite(),
      max: finite(),
      lambda: positive().default(4),
    })
    .superRefine((d, ctx) => minModeMax(d, ctx)),
  z.strictObject({ dist: z.literal('uniform'), min: finite(), max: finite() }).superRefine((d, ctx) => {
    if (d.max < d.min)
      addRuleIssue(ctx, 'MIN_MAX_ORDER', { path: ['max'], message: `expected max >= min (${d.min})`, input: d.max });
  }),
  z.strictObject({ dist: z.literal('beta'), alpha: positive(), beta: positive() }),
  z.strictObject({ dist: z.literal('gamma'), shape: positive(), scale: positive() }),
  z.strictObject({ dist: z.literal('poisson'), mean: finite().min(0) }),
  z.strictObject({ dist: z.literal('binomial'), n: z.number().int().min(0).max(1e9), p: z.number().min(0).max(1) }),
  z.strictObject({ dist: z.literal('empirical'), values: z.array(finite()).min(1) }),
  z.strictObject({ dist: z.literal('weibull'), shape: positive(), scale: positive() }),
  z.strictObject({ dist: z.literal('pareto'), min: positive(), alpha: tailIndex() }),
  z.strictObject({
    dist: z.literal('lognormalPareto'),
    mu: finite(),
    sigma: positive().max(MAX_LOG_SD),
    threshold: positive(),
    tailShare: z.number().gt(0).lt(1),
    alpha: tailIndex(),
  }),
]);

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function minModeMax(d: { min: number; mode: number; max: number }, ctx: z.RefinementCtx): void {
  if (d.mode < d.min)
    addRuleIssue(ctx, 'MIN_MODE_MAX_ORDER', {
      path: ['mode'],
      message: `expected min (${d.min}) <= mode`,
      input: d.mode,
    });
  if (d.max < d.mode)
    addRuleIssue(ctx, 'MIN_MODE_MAX_ORDER', {
      path: ['max'],
      message: `expected max >= mode (${d.mode})`,
      input: d.max,
    });
}

/** A distribution, as given in a scenario. @category Scenario */
export type Distribution = z.output<typeof distributionSchema>;

/**
 * An uncertain input: a plain number (known exactly) or a {@link Distribution}.
 * @category Scenario
 */
export const uncertainSchema = z.union([finite(), distributionSchema]);

/** An uncertain input: a number or a distribution. @category Scenario */
export type Uncertain = z.output<typeof uncertainSchema>;
/** An uncertain input as written by a user (defaults not yet applied). @category Scenario */
export type UncertainInput = z.input<typeof uncertainSchema>;
