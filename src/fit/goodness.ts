import { OptionError } from '../errors';

/** The distribution function values are kept this far from 0 and 1, so ln F stays finite. */
const EDGE = 1e-10;

function sortedOf(values: readonly number[], name: string): Float64Array {
  if (values.length === 0)
    throw new OptionError(`${name}: expected at least one value; received none`, { option: `${name}: values` });
  values.forEach((x, i) => {
    if (!Number.isFinite(x))
      throw new OptionError(`${name}: values[${i}] must be a finite number; received ${String(x)}`, {
        option: `${name}: values[${i}]`,
        received: x,
      });
  });
  return Float64Array.from(values).sort();
}

/**
 * The Kolmogorov-Smirnov statistic D = sup |Fₙ(x) − F(x)|: the largest distance between the
 * sample's empirical distribution function and a fitted one, taken at the sorted values x₍ᵢ₎ as
 * max over i of max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i − 1)/n).
 *
 * @param values - the sample (any order), finite numbers
 * @param cdf - the fitted distribution function, for example from {@link cdfFor}
 * @returns D, in [0, 1]
 * @throws {@link OptionError} for an empty sample or a value that is not finite
 * @example
 * ```ts
 * // Uniform values against the uniform on [0, 1]:
 * ksStatistic([0.25, 0.75], (x) => x); //=> 0.25
 * ```
 * @category Fitting
 */
export function ksStatistic(values: readonly number[], cdf: (x: number) => number): number {
  const sorted = sortedOf(values, 'ksStatistic');
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * The Anderson-Darling statistic A² = −n − (1/n) Σᵢ (2i − 1)·[ln F(x₍ᵢ₎) + ln(1 − F(x₍ₙ₊₁₋ᵢ₎))]
 * over the sorted values: like the Kolmogorov-Smirnov distance, but weighting the tails, where
 * cost distributions differ most. F is kept within [1e-10, 1 − 1e-10], so a value at the end of
 * a fitted support (a Pareto's smallest value is its `min`) adds a finite term.
 *
 * @param values - the sample (any order), finite numbers
 * @param cdf - the fitted distribution function
 * @returns A², >= 0 for any sample of more than one value
 * @throws {@link OptionError} for an empty sample or a value that is not finite
 * @example
 * ```ts
 * // One value at the median of the uniform: 2 ln 2 − 1.
 * andersonDarling([0.5], (x) => x); //=> 0.3862943611198906
 * ```
 * @category Fitting
 */
export function andersonDarling(values: readonly number[], cdf: (x: number) => number): number {
  const sorted = sortedOf(values, 'andersonDarling');
  const n = sorted.length;
  const f = Array.from(sorted, (x) => Math.min(1 - EDGE, Math.max(EDGE, cdf(x))));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (2 * i + 1) * (Math.log(f[i]!) + Math.log(1 - f[n - 1 - i]!));
  return -n - sum / n;
}
