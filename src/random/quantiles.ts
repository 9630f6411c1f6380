import { exp, log, pow } from '../math/detmath';
import { OptionError } from '../errors';
import type { Uncertain } from '../scenario/distribution';
import { lognormalParameters, lognormalParetoCdf, lognormalParetoQuantile } from './samplers';
import {
  logBetaFunction,
  logGammaPositive,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGamma,
} from './special';
import { lognormalParams } from './uncertain';

// Hand-written rather than taken from stdlib's per-distribution packages
// (@stdlib/stats-base-dists-{beta,gamma,poisson,binomial}-quantile): those four with their
// dependencies are 241 packages and 190 kB minified (54 kB gzipped) in a browser bundle, for
// what fits in this file, and the functions here use the engine-independent exp and log, so a
// seeded Latin hypercube or copula sample gives the same bits in every engine.

/** A quantile function: a probability in [0, 1] to a value of the distribution. @category Random */
export type QuantileFunction = (p: number) => number;

/** A cumulative distribution function: a value to P(X <= value). @category Random */
export type CdfFunction = (x: number) => number;

/**
 * Newton's method converges quadratically: once a step moves x by less than this (relative),
 * the point it reaches is exact to the noise of the distribution function, about 1e-15.
 */
const STEP_TOLERANCE = 1e-11;
const MAX_STEPS = 400;

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new OptionError(`quantile: p must be a probability in [0, 1]; received ${String(p)}`, {
      option: 'quantile: p',
      received: p,
    });
  }
}

function checkValue(x: number): void {
  if (x !== x) throw new OptionError('cdf: x must be a number; received NaN', { option: 'cdf: x', received: x });
}

/**
 * Solves g(x) = 0 for an increasing g on (lo, hi) with g' = slope: Newton's method kept inside
 * a bracket that every evaluation narrows, bisecting (geometrically where the bracket spans
 * orders of magnitude, so tails near 0 converge too) when a step would leave it.
 */
function solveIncreasing(
  g: (x: number) => number,
  slope: (x: number) => number,
  guesses: readonly number[],
  lowEnd: number,
  highEnd: number,
): number {
  let lo = lowEnd;
  let hi = highEnd;
  let x = NaN;
  let gx = Infinity;
  for (const guess of guesses) {
    if (!(guess > lo && guess < hi)) continue;
    const v = g(guess);
    if (v === 0) return guess;
    if (v < 0) lo = guess;
    else hi = guess;
    if (Math.abs(v) < Math.abs(gx)) {
      x = guess;
      gx = v;
    }
  }
  if (x !== x) {
    x = bisect(lo, hi);
    gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
  }
  for (let i = 0; i < MAX_STEPS; i++) {
    const newton = x - gx / slope(x);
    if (newton > lo && newton < hi) {
      if (Math.abs(newton - x) <= STEP_TOLERANCE * Math.abs(x)) return newton;
      x = newton;
    } else {
      const mid = bisect(lo, hi);
      if (mid <= lo || mid >= hi) return mid;
      x = mid;
    }
    gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
  }
  return x;
}

function bisect(lo: number, hi: number): number {
  if (hi === Infinity) return lo > 0 ? lo * 4 : 1;
  if (lo === 0) return hi / 4;
  if (hi > 4 * lo) return Math.sqrt(lo * hi);
  return lo + (hi - lo) / 2;
}

/** Quantile of Beta(a, b) for q <= ½, from the lower tail. */
function betaLowerQuantile(a: number, b: number, logBeta: number, q: number): number {
  const g = (x: number): number => regularizedBeta(a, b, x, logBeta).lower - q;
  const pdf = (x: number): number => exp((a - 1) * log(x) + (b - 1) * log(1 - x) - logBeta);
  // Near 0, I_x(a, b) ≈ x^a / (a·B(a, b)); in the bulk, a normal approximation.
  const tail = exp((log(q) + log(a) + logBeta) / a);
  if (tail === 0) return 0; // below the smallest double
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) * (a + b) * (a + b + 1)));
  return solveIncreasing(g, pdf, [tail, mean + sd * normalQuantile(q)], 0, 1);
}

function betaQuantile(a: number, b: number): QuantileFunction {
  const logBeta = logBetaFunction(a, b);
  return (p) => {
    if (p <= 0) return 0;
    if (p >= 1) return 1;
    // The upper half by symmetry, 1 − X ~ Beta(b, a), so the upper tail keeps its digits too.
    return p <= 0.5 ? betaLowerQuantile(a, b, logBeta, p) : 1 - betaLowerQuantile(b, a, logBeta, 1 - p);
  };
}

function gammaQuantile(shape: number, scale: number): QuantileFunction {
  const logGammaA = logGammaPositive(shape);
  const logGammaA1 = logGammaPositive(shape + 1);
  const pdf = (x: number): number => exp((shape - 1) * log(x) - x - logGammaA);
  return (p) => {
    if (p <= 0) return 0;
    if (p >= 1) return Infinity;
    const lower = p <= 0.5;
    const g = lower
      ? (x: number): number => regularizedGamma(shape, x, logGammaA).lower - p
      : (x: number): number => 1 - p - regularizedGamma(shape, x, logGammaA).upper;
    // Near 0, P(a, x) ≈ x^a / Γ(a + 1); in the bulk, Wilson and Hilferty's cube-root normal.
    const tail = exp((log(p) + logGammaA1) / shape);
    if (tail === 0) return 0; // below the smallest double
    const c = 1 / (9 * shape);
    const cube = 1 - c + normalQuantile(p) * Math.sqrt(c);
    const guesses = lower ? [tail, shape * cube * cube * cube] : [shape * cube * cube * cube];
    return scale * solveIncreasing(g, pdf, guesses, 0, Infinity);
  };
}

/** The smallest integer k in [0, max] with ok(k), for ok monotone, searched from a guess. */
function smallestInteger(ok: (k: number) => boolean, guess: number, max: number): number {
  let k = Math.min(max, Math.max(0, Math.floor(guess)));
  let lo: number;
  let hi: number;
  if (ok(k)) {
    hi = k;
    let step = 1;
    lo = hi - step;
    while (lo >= 0 && ok(lo)) {
      hi = lo;
      step *= 2;
      lo = hi - step;
    }
    lo = Math.max(lo, -1);
  } else {
    lo = k;
    let step = 1;
    hi = Math.min(max, lo + step);
    while (!ok(hi)) {
      lo = hi;
      step *= 2;
      hi = Math.min(max, lo + step);
    }
  }
  while (hi - lo > 1) {
    k = Math.floor((lo + hi) / 2);
    if (ok(k)) hi = k;
    else lo = k;
  }
  return hi;
}

/** A guess at a discrete quantile: the normal approximation with Cornish and Fisher's skewness term. */
function cornishFisher(mean: number, sd: number, skew: number, p: number): number {
  const z = normalQuantile(Math.min(Math.max(p, 1e-300), 1 - 1e-16));
  return mean + sd * (z + (skew * (z * z - 1)) / 6);
}

function poissonQuantile(mean: number): QuantileFunction {
  if (mean === 0) return () => 0;
  const sd = Math.sqrt(mean);
  return (p) => {
    if (p <= 0) return 0;
    if (p >= 1) return Infinity;
    // P(X <= k) = Q(k + 1, mean); P(X > k) = P(k + 1, mean): the smaller side is compared.
    const ok =
      p <= 0.5
        ? (k: number) => regularizedGamma(k + 1, mean).upper >= p
        : (k: number) => regularizedGamma(k + 1, mean).lower <= 1 - p;
    return smallestInteger(ok, cornishFisher(mean, sd, 1 / sd, p), Number.MAX_SAFE_INTEGER);
  };
}

function binomialQuantile(n: number, prob: number): QuantileFunction {
  if (n === 0 || prob === 0) return () => 0;
  if (prob === 1) return () => n;
  const sd = Math.sqrt(n * prob * (1 - prob));
  const skew = (1 - 2 * prob) / sd;
  return (p) => {
    if (p <= 0) return 0;
    if (p >= 1) return n;
    // P(X <= k) = I_(1−prob)(n − k, k + 1), and its complement P(X > k).
    const ok =
      p <= 0.5
        ? (k: number) => k >= n || regularizedBeta(n - k, k + 1, 1 - prob).lower >= p
        : (k: number) => k >= n || regularizedBeta(n - k, k + 1, 1 - prob).upper <= 1 - p;
    return smallestInteger(ok, cornishFisher(n * prob, sd, skew, p), n);
  };
}

function withCheck(q: QuantileFunction): QuantileFunction {
  return (p) => {
    checkProbability(p);
    return q(p);
  };
}

/**
 * The quantile function (inverse cumulative distribution function) of an uncertain input: the
 * value below which a share p of its draws fall. Parameters are bound once; the returned
 * function is pure.
 *
 * Closed forms where they exist (normal by {@link normalQuantile}, lognormal, uniform,
 * triangular, empirical, Weibull, Pareto and the lognormal body spliced to a Pareto tail); otherwise the distribution function is inverted numerically to about
 * 1e-15 relative: beta and PERT through the regularized incomplete beta function (a continued
 * fraction), gamma through the regularized incomplete gamma function, both by Newton steps kept
 * inside a bracket; poisson and binomial give the smallest k with P(X <= k) >= p. The upper
 * half of each is solved on the complementary tail, so P99.99 keeps its digits.
 *
 * The ends: p = 0 and p = 1 give the support's ends: the lower and upper bound of a uniform,
 * triangular, PERT, beta (0, 1), binomial (0, n) or empirical input (its smallest and largest
 * value); 0 for a lognormal's, gamma's, Weibull's, spliced lognormal-Pareto's and poisson's lower
 * end and a Pareto's `min`; −Infinity and +Infinity for a normal's ends and +Infinity for the
 * upper end of a lognormal, gamma, Weibull, Pareto, lognormal-Pareto and poisson. Never NaN.
 * An empirical input's quantile is the sorted values as a step function, value number
 * ⌊p·n⌋ (the last for p = 1), the rule by which {@link samplerFor} picks a value, so
 * `quantileFor(u)(U)` for a uniform U has the distribution of `samplerFor(u)`'s draws.
 *
 * @param u - a number (a constant quantile function) or a validated distribution
 * @returns the quantile function, for p in [0, 1]; it throws {@link OptionError} for p outside
 *   [0, 1] or NaN
 * @throws {@link InvalidParameterError} for parameters outside the distribution's domain (not
 *   possible for input that passed {@link parseScenario})
 * @example
 * ```ts
 * quantileFor({ dist: 'uniform', min: 2, max: 6 })(0.25); //=> 3
 * quantileFor({ dist: 'normal', mean: 100, sd: 15 })(0.975); //=> 129.3994597681008
 * quantileFor({ dist: 'poisson', mean: 3.5 })(0.5); //=> 3
 * ```
 * @category Random
 */
export function quantileFor(u: Uncertain): QuantileFunction {
  if (typeof u === 'number') return withCheck(() => u);
  switch (u.dist) {
    case 'normal': {
      const { mean, sd } = u;
      if (sd === 0) return withCheck(() => mean);
      return withCheck((p) => mean + sd * normalQuantile(p));
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParameters(lognormalParams(u));
      if (sigma === 0) {
        const v = exp(mu);
        return withCheck(() => v);
      }
      return withCheck((p) => exp(mu + sigma * normalQuantile(p)));
    }
    case 'uniform': {
      const { min, max } = u;
      const width = max - min;
      return withCheck((p) => (p >= 1 ? max : Math.min(max, min + width * p)));
    }
    case 'triangular': {
      const { min, mode, max } = u;
      const width = max - min;
      if (width === 0) return withCheck(() => min);
      const split = (mode - min) / width;
      const left = width * (mode - min);
      const right = width * (max - mode);
      return withCheck((p) => (p < split ? min + Math.sqrt(p * left) : max - Math.sqrt((1 - p) * right)));
    }
    case 'pert': {
      const { min, mode, max, lambda } = u;
      const width = max - min;
      if (width === 0) return withCheck(() => min);
      const q = betaQuantile(1 + (lambda * (mode - min)) / width, 1 + (lambda * (max - mode)) / width);
      return withCheck((p) => (p >= 1 ? max : Math.min(max, min + width * q(p))));
    }
    case 'beta':
      return withCheck(betaQuantile(u.alpha, u.beta));
    case 'gamma':
      return withCheck(gammaQuantile(u.shape, u.scale));
    case 'poisson':
      return withCheck(poissonQuantile(u.mean));
    case 'binomial':
      return withCheck(binomialQuantile(u.n, u.p));
    case 'empirical': {
      const sorted = Float64Array.from(u.values).sort();
      const n = sorted.length;
      return withCheck((p) => sorted[Math.min(n - 1, Math.floor(p * n))]!);
    }
    case 'weibull': {
      const { shape, scale } = u;
      return withCheck((p) => (p >= 1 ? Infinity : scale * pow(-log(1 - p), 1 / shape)));
    }
    case 'pareto': {
      const { min, alpha } = u;
      return withCheck((p) => (p >= 1 ? Infinity : min * pow(1 - p, -1 / alpha)));
    }
    case 'lognormalPareto':
      return withCheck(lognormalParetoQuantile(u));
  }
}

function step(at: number): CdfFunction {
  return (x) => (x < at ? 0 : 1);
}

/**
 * The cumulative distribution function of an uncertain input, P(X <= x): the inverse of
 * {@link quantileFor} (the regularized incomplete beta and gamma functions for beta, PERT,
 * gamma, poisson and binomial; {@link normalCdf} for normal and lognormal). A plain number, and
 * a distribution of zero width, are a step at their value.
 *
 * @param u - a number or a validated distribution
 * @returns the distribution function; it throws {@link OptionError} for NaN
 * @throws {@link InvalidParameterError} for parameters outside the distribution's domain (not
 *   possible for input that passed {@link parseScenario})
 * @example
 * ```ts
 * cdfFor({ dist: 'triangular', min: 0, mode: 1, max: 2 })(0.5); //=> 0.125
 * cdfFor({ dist: 'uniform', min: 0, max: 4 })(1); //=> 0.25
 * ```
 * @category Random
 */
export function cdfFor(u: Uncertain): CdfFunction {
  const f = cdfOf(u);
  return (x) => {
    checkValue(x);
    return f(x);
  };
}

function cdfOf(u: Uncertain): CdfFunction {
  if (typeof u === 'number') return step(u);
  switch (u.dist) {
    case 'normal': {
      const { mean, sd } = u;
      if (sd === 0) return step(mean);
      return (x) => normalCdf((x - mean) / sd);
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParameters(lognormalParams(u));
      if (sigma === 0) return step(exp(mu));
      return (x) => (x <= 0 ? 0 : x === Infinity ? 1 : normalCdf((log(x) - mu) / sigma));
    }
    case 'uniform': {
      const { min, max } = u;
      if (max === min) return step(min);
      return (x) => (x <= min ? 0 : x >= max ? 1 : (x - min) / (max - min));
    }
    case 'triangular': {
      const { min, mode, max } = u;
      const width = max - min;
      if (width === 0) return step(min);
      return (x) => {
        if (x <= min) return 0;
        if (x >= max) return 1;
        return x < mode
          ? ((x - min) * (x - min)) / (width * (mode - min))
          : 1 - ((max - x) * (max - x)) / (width * (max - mode));
      };
    }
    case 'pert': {
      const { min, mode, max, lambda } = u;
      const width = max - min;
      if (width === 0) return step(min);
      const a = 1 + (lambda * (mode - min)) / width;
      const b = 1 + (lambda * (max - mode)) / width;
      const logBeta = logBetaFunction(a, b);
      return (x) => regularizedBeta(a, b, (x - min) / width, logBeta).lower;
    }
    case 'beta': {
      const { alpha, beta } = u;
      const logBeta = logBetaFunction(alpha, beta);
      return (x) => regularizedBeta(alpha, beta, x, logBeta).lower;
    }
    case 'gamma': {
      const { shape, scale } = u;
      const logGammaA = logGammaPositive(shape);
      return (x) => regularizedGamma(shape, x / scale, logGammaA).lower;
    }
    case 'poisson': {
      const { mean } = u;
      if (mean === 0) return step(0);
      return (x) => (x < 0 ? 0 : x === Infinity ? 1 : regularizedGamma(Math.floor(x) + 1, mean).upper);
    }
    case 'binomial': {
      const { n, p } = u;
      if (n === 0 || p === 0) return step(0);
      if (p === 1) return step(n);
      return (x) => (x < 0 ? 0 : x >= n ? 1 : regularizedBeta(n - Math.floor(x), Math.floor(x) + 1, 1 - p).lower);
    }
    case 'empirical': {
      const sorted = Float64Array.from(u.values).sort();
      const n = sorted.length;
      return (x) => {
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid]! <= x) lo = mid + 1;
          else hi = mid;
        }
        return lo / n;
      };
    }
    case 'weibull': {
      const { shape, scale } = u;
      return (x) => (x <= 0 ? 0 : -Math.expm1(-Math.pow(x / scale, shape)));
    }
    case 'pareto': {
      const { min, alpha } = u;
      return (x) => (x <= min ? 0 : 1 - Math.pow(min / x, alpha));
    }
    case 'lognormalPareto':
      return lognormalParetoCdf(u);
  }
}

/**
 * A percentile of an uncertain input, in percent, as {@link describe} counts them: P10 is
 * `percentileOf(u, 10)`, the value with 10 % of the draws below it. A convenience for one value
 * (it builds the quantile function each call; bind {@link quantileFor} once for many).
 *
 * @param u - a number or a validated distribution
 * @param percent - the percentile, in [0, 100]
 * @returns the value (the ends as in {@link quantileFor})
 * @throws {@link OptionError} when `percent` is outside [0, 100] or NaN
 * @throws {@link InvalidParameterError} for parameters outside the distribution's domain
 * @example
 * ```ts
 * percentileOf({ dist: 'triangular', min: 0, mode: 1, max: 2 }, 50); //=> 1
 * percentileOf({ dist: 'lognormal', mu: 0, sigma: 1 }, 50); //=> 1
 * ```
 * @category Random
 */
export function percentileOf(u: Uncertain, percent: number): number {
  if (!(percent >= 0 && percent <= 100)) {
    throw new OptionError(`percentileOf: percent must be in [0, 100]; received ${String(percent)}`, {
      option: 'percentileOf: percent',
      received: percent,
    });
  }
  return quantileFor(u)(percent / 100);
}
