import { OptionError } from '../errors';
/**
 * Quantile of sorted values by linear interpolation between order statistics: Hyndman and
 * Fan's type 7, the default of R and numpy. For p in [0, 1], h = (n − 1)·p and the result is
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 *
 * @param sorted - values sorted ascending (at least one)
 * @param p - probability in [0, 1]
 * @returns the quantile
 * @throws RangeError when `sorted` is empty or p is outside [0, 1]
 * @example
 * ```ts
 * quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); //=> 2.5
 * ```
 * @category Statistics
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0)
    throw new OptionError('quantileSorted: expected at least one value; received none', { option: 'values' });
  if (!(p >= 0 && p <= 1))
    throw new OptionError(`quantileSorted: p must be in [0, 1]; received ${String(p)}`, {
      option: 'quantileSorted: p',
      received: p,
    });
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/**
 * Mean and sample standard deviation (n − 1; 0 for a single value), by Welford's method.
 *
 * @param values - at least one value
 * @returns `{ mean, sd }`
 * @example
 * ```ts
 * meanSd([1, 2, 3]); //=> { mean: 2, sd: 1 }
 * ```
 * @category Statistics
 */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  const n = values.length;
  return { mean, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0 };
}

/**
 * Expected shortfall (tail mean) above a level: the mean of the values at or above the
 * quantile at `level` (type 7), so for level 0.95, the mean of the worst 5 % of overspends.
 *
 * @param sorted - values sorted ascending
 * @param level - probability in [0, 1)
 * @returns the mean of the upper tail
 * @example
 * ```ts
 * expectedShortfallSorted(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.8); //=> 9.5
 * ```
 * @category Statistics
 */
export function expectedShortfallSorted(sorted: ArrayLike<number>, level: number): number {
  const q = quantileSorted(sorted, level);
  let s = 0;
  let k = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]! >= q; i--) {
    s += sorted[i]!;
    k++;
  }
  return s / k;
}
