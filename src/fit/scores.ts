/**
 * Scores of a probabilistic projection against what happened: where the outcome falls in the
 * projected distribution (the probability integral transform), whether it lies in the central
 * bands, and the continuous ranked probability score. All computed from the simulated paths'
 * values as they are (an ensemble), without a fitted density.
 */
import { quantileSorted } from '../results/statistics';

/** A projection's score for one outcome. @category Fitting */
export interface OutcomeScore {
  /** The share of paths below the outcome, ties counted half: uniform on [0, 1] when the projection is calibrated. */
  readonly pit: number;
  /** Whether the outcome lies in the central 50 % band (P25 to P75) and the central 90 % band (P5 to P95). */
  readonly in50: boolean;
  readonly in90: boolean;
  /** The continuous ranked probability score (in the outcome's unit; 0 is perfect; a point forecast's CRPS is its absolute error). */
  readonly crps: number;
}

/**
 * Scores an outcome against the simulated values of a projection.
 *
 * The CRPS of an ensemble x₁…xₙ for outcome y is mean |xᵢ − y| − ½ mean |xᵢ − xⱼ|; the second
 * term is computed from the sorted values as (1/n²) Σ (2i − n − 1) x₍ᵢ₎, in O(n log n).
 *
 * @param values - the projection's values, one per path (at least one, finite)
 * @param outcome - what happened
 * @returns the PIT, the band coverage and the CRPS
 * @example
 * ```ts
 * scoreOutcome(Float64Array.of(1, 2, 3, 4), 2.5).pit; //=> 0.5
 * ```
 * @category Fitting
 */
export function scoreOutcome(values: ArrayLike<number>, outcome: number): OutcomeScore {
  return scoreSorted(Float64Array.from(values).sort(), outcome);
}

/** {@link scoreOutcome} of values already sorted ascending (no copy, no sort). @internal */
export function scoreSorted(sorted: Float64Array, outcome: number): OutcomeScore {
  const n = sorted.length;
  let below = 0;
  let equal = 0;
  let abs = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    if (x < outcome) below++;
    else if (x === outcome) equal++;
    abs += Math.abs(x - outcome);
    spread += (2 * (i + 1) - n - 1) * x;
  }
  return {
    pit: (below + equal / 2) / n,
    in50: outcome >= quantileSorted(sorted, 0.25) && outcome <= quantileSorted(sorted, 0.75),
    in90: outcome >= quantileSorted(sorted, 0.05) && outcome <= quantileSorted(sorted, 0.95),
    crps: abs / n - spread / (n * n),
  };
}

/**
 * The straight line a spreadsheet would draw: ordinary least squares of the values on the year,
 * extrapolated to a later year.
 *
 * @param years - the years of the history (at least two, distinct)
 * @param values - one value per year
 * @param year - the year to project to
 * @returns the line's value in that year
 * @example
 * ```ts
 * linearTrend([2020, 2021, 2022], [10, 12, 14], 2024); //=> 18
 * ```
 * @category Fitting
 */
export function linearTrend(years: readonly number[], values: readonly number[], year: number): number {
  const n = years.length;
  const my = years.reduce((a, b) => a + b, 0) / n;
  const mv = values.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (years[i]! - my) * (values[i]! - mv);
    sxx += (years[i]! - my) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return mv + slope * (year - my);
}
