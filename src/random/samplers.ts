import { exp, log, pow } from '../math/detmath';
import { InvalidParameterError, requireFinite, requirePositive } from './errors';
import { logGamma, normalCdf, normalQuantile, standardNormal } from './special';
import { standardExponential } from './exponential';
import type { RandomSource } from './stream';

/**
 * A sampler: parameters bound once, the random source passed at each call. A sampler keeps no
 * state between calls, so the same sampler can serve many streams.
 *
 * @category Random
 */
export type Sampler = (rng: RandomSource) => number;

const Z95 = 1.6448536269514722; // normalQuantile(0.95)

/**
 * Exponential distribution (the waiting time of a Poisson process), by the ziggurat method
 * ({@link standardExponential}).
 *
 * @param rate - events per unit of time, > 0 (the mean is 1 / rate)
 * @returns a sampler
 * @throws {@link InvalidParameterError} when `rate` is not positive and finite
 * @example
 * ```ts
 * const stay = exponentialSampler(0.69); // years in a care home, about half replaced a year
 * stay(deriveStream(streamKey(1, 'demo'), 0)); //=> 0.2359…
 * ```
 * @category Random
 */
export function exponentialSampler(rate: number): Sampler {
  requirePositive('exponential', 'rate', rate);
  const mean = 1 / rate;
  return (rng) => mean * standardExponential(rng);
}

/**
 * Normal distribution by inversion (one uniform per draw, {@link normalQuantile}).
 *
 * @param mean - the mean
 * @param sd - the standard deviation, >= 0 (0 gives the constant `mean`)
 * @returns a sampler
 * @throws {@link InvalidParameterError} when `mean` is not finite or `sd` is negative or not finite
 * @example
 * ```ts
 * const s = normalSampler(100, 15);
 * s(deriveStream(streamKey(1, 'demo'), 0)); //=> 101.09…
 * ```
 * @category Random
 */
export function normalSampler(mean: number, sd: number): Sampler {
  requireFinite('normal', 'mean', mean);
  if (!(Number.isFinite(sd) && sd >= 0)) throw new InvalidParameterError('normal', 'sd', 'a finite number >= 0', sd);
  if (sd === 0) return () => mean;
  return (rng) => mean + sd * standardNormal(rng);
}

/**
 * Parameters of a lognormal distribution: either `mu` and `sigma` of the underlying normal, or
 * the median with one or both ends of the central 90 % interval (P5 and P95), or both ends.
 *
 * @category Random
 */
export type LognormalParams =
  | { readonly mu: number; readonly sigma: number }
  | { readonly median: number; readonly p5?: number; readonly p95?: number }
  | { readonly p5: number; readonly p95: number };

/**
 * Converts friendly lognormal parameters (median and 90 % interval) to `mu` and `sigma`.
 * A lognormal's interval is symmetric around the median in log space (median² = P5 × P95);
 * when all three are given they must agree within 2 %.
 *
 * @param params - see {@link LognormalParams}
 * @returns `mu` and `sigma` of log X
 * @throws {@link InvalidParameterError} on non-positive values, a missing spread, or P5, median
 *   and P95 that no lognormal can have
 * @example
 * ```ts
 * lognormalParameters({ median: 1, p95: 1.1 }); //=> { mu: 0, sigma: 0.05794… }
 * ```
 * @category Random
 */
export function lognormalParameters(params: LognormalParams): { mu: number; sigma: number } {
  if ('mu' in params) {
    requireFinite('lognormal', 'mu', params.mu);
    if (!(Number.isFinite(params.sigma) && params.sigma >= 0)) {
      throw new InvalidParameterError('lognormal', 'sigma', 'a finite number >= 0', params.sigma);
    }
    return { mu: params.mu, sigma: params.sigma };
  }
  const { p5, p95 } = params as { p5?: number; p95?: number };
  const median = 'median' in params ? params.median : undefined;
  for (const [name, v] of [
    ['median', median],
    ['p5', p5],
    ['p95', p95],
  ] as const) {
    if (v !== undefined) requirePositive('lognormal', name, v);
  }
  if (p5 !== undefined && p95 !== undefined && !(p5 <= p95)) {
    throw new InvalidParameterError('lognormal', 'p95', `>= p5 (${p5})`, p95);
  }
  if (median === undefined) {
    const a = log(p5!);
    const b = log(p95!);
    return { mu: (a + b) / 2, sigma: (b - a) / (2 * Z95) };
  }
  const mu = log(median);
  if (p5 !== undefined && !(p5 <= median))
    throw new InvalidParameterError('lognormal', 'p5', `<= median (${median})`, p5);
  if (p95 !== undefined && !(p95 >= median))
    throw new InvalidParameterError('lognormal', 'p95', `>= median (${median})`, p95);
  const lower = p5 === undefined ? undefined : (mu - log(p5)) / Z95;
  const upper = p95 === undefined ? undefined : (log(p95) - mu) / Z95;
  if (lower === undefined && upper === undefined) {
    throw new InvalidParameterError('lognormal', 'p5/p95', 'given with the median (at least one of them)', undefined);
  }
  if (lower !== undefined && upper !== undefined) {
    const ratio = (median * median) / (p5! * p95!);
    if (Math.abs(log(ratio)) > 0.02) {
      throw new InvalidParameterError(
        'lognormal',
        'p95',
        `close to median²/p5 = ${(median * median) / p5!} (a lognormal's 90 % interval is symmetric in log space)`,
        p95,
      );
    }
    return { mu, sigma: (lower + upper) / 2 };
  }
  return { mu, sigma: (lower ?? upper)! };
}

/**
 * Lognormal distribution: exp of a normal draw.
 *
 * @param params - `{ mu, sigma }`, or the median with P5 and/or P95 (see {@link LognormalParams})
 * @returns a sampler
 * @throws {@link InvalidParameterError} as {@link lognormalParameters}
 * @example
 * ```ts
 * const s = lognormalSampler({ median: 1_000_000, p95: 2_000_000 });
 * ```
 * @category Random
 */
export function lognormalSampler(params: LognormalParams): Sampler {
  const { mu, sigma } = lognormalParameters(params);
  if (sigma === 0) {
    const v = exp(mu);
    return () => v;
  }
  return (rng) => exp(mu + sigma * standardNormal(rng));
}

/**
 * Continuous uniform distribution on [min, max).
 *
 * @param min - lower bound
 * @param max - upper bound, >= min
 * @returns a sampler
 * @throws {@link InvalidParameterError} when a bound is not finite or max < min
 * @example
 * ```ts
 * uniformSampler(0.03, 0.10);
 * ```
 * @category Random
 */
export function uniformSampler(min: number, max: number): Sampler {
  requireFinite('uniform', 'min', min);
  requireFinite('uniform', 'max', max);
  if (max < min) throw new InvalidParameterError('uniform', 'max', `>= min (${min})`, max);
  const width = max - min;
  return (rng) => min + width * rng();
}

function checkMinModeMax(name: string, min: number, mode: number, max: number): void {
  requireFinite(name, 'min', min);
  requireFinite(name, 'mode', mode);
  requireFinite(name, 'max', max);
  if (mode < min) throw new InvalidParameterError(name, 'mode', `>= min (${min})`, mode);
  if (max < mode) throw new InvalidParameterError(name, 'max', `>= mode (${mode})`, max);
}

/**
 * Triangular distribution by inversion (one uniform per draw).
 *
 * @param min - lower bound
 * @param mode - most likely value, min <= mode <= max
 * @param max - upper bound
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless min <= mode <= max, all finite
 * @example
 * ```ts
 * triangularSampler(2.0, 3.2, 5.0); // visited hours per recipient per week
 * ```
 * @category Random
 */
export function triangularSampler(min: number, mode: number, max: number): Sampler {
  checkMinModeMax('triangular', min, mode, max);
  const width = max - min;
  if (width === 0) return () => min;
  const split = (mode - min) / width;
  const left = width * (mode - min);
  const right = width * (max - mode);
  return (rng) => {
    const u = rng();
    return u < split ? min + Math.sqrt(u * left) : max - Math.sqrt((1 - u) * right);
  };
}

/**
 * Gamma distribution, shape k and scale θ (mean kθ, variance kθ²), by Marsaglia and Tsang's
 * method; shape < 1 by boosting to k + 1 and multiplying by U^(1/k).
 *
 * @param shape - k > 0
 * @param scale - θ > 0
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless shape and scale are finite and > 0
 * @example
 * ```ts
 * gammaSampler(2, 1.5); // mean 3
 * ```
 * @category Random
 */
export function gammaSampler(shape: number, scale = 1): Sampler {
  requirePositive('gamma', 'shape', shape);
  requirePositive('gamma', 'scale', scale);
  return standardGamma(shape, scale);
}

function standardGamma(shape: number, scale: number): Sampler {
  const boost = shape < 1;
  const k = boost ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const invShape = 1 / shape;
  return (rng) => {
    let x: number;
    let v: number;
    for (;;) {
      do {
        x = standardNormal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng();
      if (u < 1 - 0.0331 * x * x * x * x) break;
      if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) break;
    }
    let g = d * v;
    if (boost) g *= pow(1 - rng(), invShape);
    return g * scale;
  };
}

/**
 * Beta distribution on [0, 1] from two gamma draws.
 *
 * @param alpha - α > 0
 * @param beta - β > 0
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless alpha and beta are finite and > 0
 * @example
 * ```ts
 * betaSampler(60, 40); // a share around 0.6
 * ```
 * @category Random
 */
export function betaSampler(alpha: number, beta: number): Sampler {
  requirePositive('beta', 'alpha', alpha);
  requirePositive('beta', 'beta', beta);
  const ga = standardGamma(alpha, 1);
  const gb = standardGamma(beta, 1);
  return (rng) => {
    const x = ga(rng);
    const y = gb(rng);
    return x / (x + y);
  };
}

/**
 * PERT distribution: a beta distribution on [min, max] with shape parameters
 * α = 1 + λ(mode − min)/(max − min) and β = 1 + λ(max − mode)/(max − min), λ = 4 by default
 * (mean (min + λ·mode + max)/(λ + 2)).
 *
 * @param min - lower bound
 * @param mode - most likely value
 * @param max - upper bound
 * @param lambda - weight of the mode, > 0 (default 4)
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless min <= mode <= max and lambda > 0
 * @example
 * ```ts
 * pertSampler(0.45, 0.60, 0.74); // share of paid hours with the citizen
 * ```
 * @category Random
 */
export function pertSampler(min: number, mode: number, max: number, lambda = 4): Sampler {
  checkMinModeMax('pert', min, mode, max);
  requirePositive('pert', 'lambda', lambda);
  const width = max - min;
  if (width === 0) return () => min;
  const b = betaSampler(1 + (lambda * (mode - min)) / width, 1 + (lambda * (max - mode)) / width);
  return (rng) => min + width * b(rng);
}

/**
 * Poisson distribution: inversion by sequential search for a mean below 10, Hörmann's
 * transformed rejection with squeeze (PTRS) above.
 *
 * @param mean - λ >= 0
 * @returns a sampler of non-negative integers
 * @throws {@link InvalidParameterError} unless mean is finite and >= 0
 * @example
 * ```ts
 * poissonSampler(3.5); // new cases a month
 * ```
 * @category Random
 */
export function poissonSampler(mean: number): Sampler {
  if (!(Number.isFinite(mean) && mean >= 0))
    throw new InvalidParameterError('poisson', 'mean', 'a finite number >= 0', mean);
  if (mean === 0) return () => 0;
  if (mean < 10) {
    const p0 = exp(-mean);
    return (rng) => {
      const u = rng();
      let x = 0;
      let p = p0;
      let s = p0;
      while (u > s && x < 1000) {
        x += 1;
        p *= mean / x;
        s += p;
      }
      return x;
    };
  }
  const slam = Math.sqrt(mean);
  const loglam = log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  const logInvAlpha = log(invalpha);
  return (rng) => {
    for (;;) {
      const u = rng() - 0.5;
      const v = rng();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (log(v) + logInvAlpha - log(a / (us * us) + b) <= -mean + k * loglam - logGamma(k + 1)) return k;
    }
  };
}

const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TAIL[k]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/**
 * Binomial distribution: inversion when n·min(p, 1 − p) < 10, Hörmann's BTRS (transformed
 * rejection with squeeze) above. Used, for example, for the number of residents of a
 * homogeneous pool who leave in a period.
 *
 * @param n - number of trials, a non-negative integer
 * @param p - success probability in [0, 1]
 * @returns a sampler of integers in [0, n]
 * @throws {@link InvalidParameterError} unless n is a non-negative integer and 0 <= p <= 1
 * @example
 * ```ts
 * binomialSampler(300, 0.056); // residents leaving this month
 * ```
 * @category Random
 */
export function binomialSampler(n: number, p: number): Sampler {
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidParameterError('binomial', 'n', 'a non-negative integer', n);
  if (!(p >= 0 && p <= 1)) throw new InvalidParameterError('binomial', 'p', 'a number in [0, 1]', p);
  if (n === 0 || p === 0) return () => 0;
  if (p === 1) return () => n;
  const flip = p > 0.5;
  const q0 = flip ? 1 - p : p;
  const inner = n * q0 < 10 ? binomialInversion(n, q0) : binomialBtrs(n, q0);
  return flip ? (rng) => n - inner(rng) : inner;
}

function binomialInversion(n: number, p: number): Sampler {
  const q = 1 - p;
  const ratio = p / q;
  const p0 = pow(q, n);
  return (rng) => {
    const u = rng();
    let x = 0;
    let px = p0;
    let s = p0;
    while (u > s && x < n) {
      px *= (ratio * (n - x)) / (x + 1);
      x += 1;
      s += px;
    }
    return x;
  };
}

function binomialBtrs(n: number, p: number): Sampler {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = p / q;
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  const base = (m + 0.5) * log((m + 1) / (r * (n - m + 1))) + stirlingTail(m) + stirlingTail(n - m);
  return (rng) => {
    for (;;) {
      const u = rng() - 0.5;
      let v = rng();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      if (us >= 0.07 && v <= vr) return k;
      v = log((v * alpha) / (a / (us * us) + b));
      const bound =
        base +
        (n + 1) * log((n - m + 1) / (n - k + 1)) +
        (k + 0.5) * log((r * (n - k + 1)) / (k + 1)) -
        stirlingTail(k) -
        stirlingTail(n - k);
      if (v <= bound) return k;
    }
  };
}

/**
 * Weibull distribution by inversion: scale · (−ln(1 − U))^(1/shape). Shape 1 is the
 * exponential; below 1 the hazard falls with time, above 1 it rises.
 *
 * @param shape - k > 0
 * @param scale - λ > 0 (the 63rd percentile)
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless shape and scale are finite and > 0
 * @example
 * ```ts
 * weibullSampler(1.5, 120); // days of a stay, hazard rising with time
 * ```
 * @category Random
 */
export function weibullSampler(shape: number, scale: number): Sampler {
  requirePositive('weibull', 'shape', shape);
  requirePositive('weibull', 'scale', scale);
  const inverse = 1 / shape;
  return (rng) => scale * pow(-log(1 - rng()), inverse);
}

/**
 * Pareto (type I) distribution by inversion: min · (1 − U)^(−1/alpha), P(X > x) = (min/x)^alpha
 * for x >= min. The mean alpha·min/(alpha − 1) is finite only for alpha > 1.
 *
 * @param min - the scale xₘ > 0, the smallest value
 * @param alpha - the tail index α > 0 (smaller is heavier)
 * @returns a sampler
 * @throws {@link InvalidParameterError} unless min and alpha are finite and > 0
 * @example
 * ```ts
 * paretoSampler(500_000, 2.2); // costs of the largest specialised cases, in kr
 * ```
 * @category Random
 */
export function paretoSampler(min: number, alpha: number): Sampler {
  requirePositive('pareto', 'min', min);
  requirePositive('pareto', 'alpha', alpha);
  const inverse = -1 / alpha;
  return (rng) => min * pow(1 - rng(), inverse);
}

/**
 * Parameters of a lognormal body spliced to a Pareto tail: below `threshold` a lognormal with
 * `mu` and `sigma` (of log X) cut off at the threshold, carrying the share 1 − `tailShare`;
 * above it a Pareto with `alpha` starting at the threshold, carrying `tailShare`.
 *
 * @category Random
 */
export interface LognormalParetoParams {
  /** Mean of log X in the body (before the cut). */
  readonly mu: number;
  /** Standard deviation of log X in the body (before the cut), > 0. */
  readonly sigma: number;
  /** Where the tail starts, > 0. */
  readonly threshold: number;
  /** The share of values above the threshold, in (0, 1). */
  readonly tailShare: number;
  /** The tail index, > 0. */
  readonly alpha: number;
}

function checkLognormalPareto(p: LognormalParetoParams): void {
  requireFinite('lognormalPareto', 'mu', p.mu);
  requirePositive('lognormalPareto', 'sigma', p.sigma);
  requirePositive('lognormalPareto', 'threshold', p.threshold);
  requirePositive('lognormalPareto', 'alpha', p.alpha);
  if (!(p.tailShare > 0 && p.tailShare < 1))
    throw new InvalidParameterError('lognormalPareto', 'tailShare', 'a share in (0, 1)', p.tailShare);
}

/**
 * The quantile function of a lognormal body spliced to a Pareto tail (see
 * {@link LognormalParetoParams}): in the body exp(mu + sigma·Φ⁻¹(p·Φ(c)/(1 − w))) with
 * c = (ln threshold − mu)/sigma, in the tail threshold·((1 − p)/w)^(−1/alpha).
 *
 * @internal
 */
export function lognormalParetoQuantile(params: LognormalParetoParams): (p: number) => number {
  checkLognormalPareto(params);
  const { mu, sigma, threshold, tailShare, alpha } = params;
  const bodyShare = 1 - tailShare;
  const cut = normalCdf((log(threshold) - mu) / sigma);
  return (p) => {
    if (p <= 0) return 0;
    if (p >= 1) return Infinity;
    if (p < bodyShare) return Math.min(threshold, exp(mu + sigma * normalQuantile((p / bodyShare) * cut)));
    return threshold * pow((1 - p) / tailShare, -1 / alpha);
  };
}

/**
 * The distribution function of a lognormal body spliced to a Pareto tail.
 *
 * @internal
 */
export function lognormalParetoCdf(params: LognormalParetoParams): (x: number) => number {
  checkLognormalPareto(params);
  const { mu, sigma, threshold, tailShare, alpha } = params;
  const cut = normalCdf((log(threshold) - mu) / sigma);
  return (x) => {
    if (x <= 0) return 0;
    if (x === Infinity) return 1;
    if (x <= threshold) return ((1 - tailShare) * normalCdf((log(x) - mu) / sigma)) / cut;
    return 1 - tailShare * pow(threshold / x, alpha);
  };
}

/**
 * A lognormal body spliced to a Pareto tail, by inversion (one uniform per draw): the shape of
 * costs where most cases are ordinary and a few are very large, the largest following a power
 * law. See {@link LognormalParetoParams}.
 *
 * @param params - `mu`, `sigma`, `threshold`, `tailShare`, `alpha`
 * @returns a sampler
 * @throws {@link InvalidParameterError} for parameters outside their domain
 * @example
 * ```ts
 * lognormalParetoSampler({ mu: 12.5, sigma: 0.6, threshold: 600_000, tailShare: 0.08, alpha: 2.1 });
 * ```
 * @category Random
 */
export function lognormalParetoSampler(params: LognormalParetoParams): Sampler {
  const q = lognormalParetoQuantile(params);
  return (rng) => q(rng());
}
