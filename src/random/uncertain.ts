import { exp, log } from '../math/detmath';
import { logGamma, normalCdf } from './special';
import type { Uncertain } from '../scenario/distribution';
import {
  betaSampler,
  binomialSampler,
  gammaSampler,
  lognormalParameters,
  lognormalParetoSampler,
  lognormalSampler,
  paretoSampler,
  weibullSampler,
  normalSampler,
  pertSampler,
  poissonSampler,
  triangularSampler,
  uniformSampler,
  type LognormalParams,
  type LognormalParetoParams,
  type Sampler,
} from './samplers';

/**
 * The lognormal parameters of a scenario's lognormal, in the form {@link lognormalParameters} takes.
 *
 * @internal
 */
export function lognormalParams(u: Extract<Uncertain, { dist: 'lognormal' }>): LognormalParams {
  if (u.mu !== undefined && u.sigma !== undefined) return { mu: u.mu, sigma: u.sigma };
  if (u.median === undefined) return { p5: u.p5!, p95: u.p95! };
  return {
    median: u.median,
    ...(u.p5 === undefined ? {} : { p5: u.p5 }),
    ...(u.p95 === undefined ? {} : { p95: u.p95 }),
  };
}

/**
 * Builds the sampler of an uncertain scenario input.
 *
 * @param u - a number (returned as a constant sampler) or a validated distribution
 * @returns a sampler
 * @throws {@link InvalidParameterError} for parameters outside the distribution's domain (not
 *   possible for input that passed {@link parseScenario})
 * @example
 * ```ts
 * const s = samplerFor({ dist: 'pert', min: 0.45, mode: 0.6, max: 0.74, lambda: 4 });
 * s(deriveStream(streamKey(1, 'x'), 0)); //=> 0.5507…
 * ```
 * @category Random
 */
export function samplerFor(u: Uncertain): Sampler {
  if (typeof u === 'number') return () => u;
  switch (u.dist) {
    case 'normal':
      return normalSampler(u.mean, u.sd);
    case 'lognormal':
      return lognormalSampler(lognormalParams(u));
    case 'triangular':
      return triangularSampler(u.min, u.mode, u.max);
    case 'pert':
      return pertSampler(u.min, u.mode, u.max, u.lambda);
    case 'uniform':
      return uniformSampler(u.min, u.max);
    case 'beta':
      return betaSampler(u.alpha, u.beta);
    case 'gamma':
      return gammaSampler(u.shape, u.scale);
    case 'poisson':
      return poissonSampler(u.mean);
    case 'binomial':
      return binomialSampler(u.n, u.p);
    case 'empirical': {
      const values = Float64Array.from(u.values);
      const n = values.length;
      return (rng) => values[Math.min(n - 1, Math.floor(rng() * n))]!;
    }
    case 'weibull':
      return weibullSampler(u.shape, u.scale);
    case 'pareto':
      return paretoSampler(u.min, u.alpha);
    case 'lognormalPareto':
      return lognormalParetoSampler(u);
  }
}

/**
 * The mean of an uncertain input: the value the scenario's deterministic baseline (the
 * municipality's own forecast) uses.
 *
 * @param u - a number or a validated distribution
 * @returns its mean (for a number, the number)
 * @example
 * ```ts
 * meanOf({ dist: 'triangular', min: 2, mode: 3, max: 7 }); //=> 4
 * ```
 * @category Random
 */
export function meanOf(u: Uncertain): number {
  if (typeof u === 'number') return u;
  switch (u.dist) {
    case 'normal':
      return u.mean;
    case 'lognormal': {
      const { mu, sigma } = lognormalParameters(lognormalParams(u));
      return exp(mu + (sigma * sigma) / 2);
    }
    case 'triangular':
      return (u.min + u.mode + u.max) / 3;
    case 'pert':
      return (u.min + u.lambda * u.mode + u.max) / (u.lambda + 2);
    case 'uniform':
      return (u.min + u.max) / 2;
    case 'beta':
      return u.alpha / (u.alpha + u.beta);
    case 'gamma':
      return u.shape * u.scale;
    case 'poisson':
      return u.mean;
    case 'binomial':
      return u.n * u.p;
    case 'empirical':
      return u.values.reduce((a, b) => a + b, 0) / u.values.length;
    case 'weibull':
      return u.scale * exp(logGamma(1 + 1 / u.shape));
    case 'pareto':
      return (u.alpha * u.min) / (u.alpha - 1);
    case 'lognormalPareto':
      return lognormalParetoMean(u);
  }
}

/**
 * The mean of a lognormal body spliced to a Pareto tail: the body's share times the mean of a
 * lognormal cut at the threshold, exp(mu + sigma²/2)·Φ(c − sigma)/Φ(c) with
 * c = (ln threshold − mu)/sigma, plus the tail's share times alpha·threshold/(alpha − 1).
 *
 * @internal
 */
export function lognormalParetoMean(u: LognormalParetoParams): number {
  const { mu, sigma, threshold, tailShare, alpha } = u;
  const c = (log(threshold) - mu) / sigma;
  const body = (exp(mu + (sigma * sigma) / 2) * normalCdf(c - sigma)) / normalCdf(c);
  return (1 - tailShare) * body + (tailShare * alpha * threshold) / (alpha - 1);
}
