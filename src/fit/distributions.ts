import { OptionError } from '../errors';
import type { Distribution } from '../scenario/distribution';
import { cdfFor } from '../random/quantiles';
import { logBetaFunction, logGammaPositive, normalCdf } from '../random/special';
import { deriveStream, streamKey, type Seed } from '../random/stream';
import { andersonDarling, ksStatistic } from './goodness';
import { digamma, goldenMaximum, nelderMead, positiveRoot, trigamma } from './numerics';
import { quantileSorted } from '../results/statistics';

// Plain Math.log and Math.exp here, not the engine-independent ones of the samplers: a fit is
// read by people, not replayed bit for bit, and the bootstrap refits every family many times.

/**
 * The families {@link fitDistribution} can fit, in the order it tries them.
 *
 * @example
 * ```ts
 * FIT_FAMILIES.includes('weibull'); //=> true
 * ```
 * @category Fitting
 */
export const FIT_FAMILIES = [
  'normal',
  'lognormal',
  'gamma',
  'weibull',
  'beta',
  'pert',
  'pareto',
  'lognormalPareto',
] as const;

/** A family {@link fitDistribution} can fit. @category Fitting */
export type FitFamily = (typeof FIT_FAMILIES)[number];

/** Options of {@link fitDistribution}. @category Fitting */
export interface FitOptions {
  /** The families to try (default: all of {@link FIT_FAMILIES}). */
  readonly candidates?: readonly FitFamily[];
  /** Refit every family on this many resamples for 90 % intervals of the parameters (default 0: none). */
  readonly bootstrap?: number;
  /** The seed of the resamples (default 1). */
  readonly seed?: Seed;
}

/** One family fitted to the data. @category Fitting */
export interface FittedCandidate {
  /** The family. */
  readonly family: FitFamily;
  /**
   * The maximum likelihood estimates by name: normal `mean`, `sd`; lognormal `mu`, `sigma` (of
   * log X); gamma and Weibull `shape`, `scale`; beta `alpha`, `beta`; PERT `min`, `mode`, `max`;
   * Pareto `min`, `alpha`; lognormalPareto `mu`, `sigma`, `threshold`, `tailShare`, `alpha`.
   */
  readonly parameters: Readonly<Record<string, number>>;
  /** The fit as a scenario takes it. */
  readonly distribution: Distribution;
  /** The log-likelihood at the estimates. */
  readonly logLikelihood: number;
  /** The number of estimated parameters, k in the AIC. */
  readonly parameterCount: number;
  /** Akaike's information criterion, 2k − 2 ln L (smaller is better). */
  readonly aic: number;
  /** The Kolmogorov-Smirnov distance D between the data and the fit. */
  readonly ks: number;
  /** The Anderson-Darling statistic A². */
  readonly ad: number;
  /** With `bootstrap`: each parameter's 90 % percentile interval [P5, P95] over the refits. */
  readonly intervals?: Readonly<Record<string, readonly [number, number]>>;
  /** With `bootstrap`: the resamples on which this family could not be fitted (left out of the intervals). */
  readonly bootstrapFailures?: number;
}

/** A family not fitted, and why. @category Fitting */
export interface SkippedCandidate {
  /** The family. */
  readonly family: FitFamily;
  /** Why it does not apply to these data, for people. */
  readonly reason: string;
}

/** The result of {@link fitDistribution}. @category Fitting */
export interface DistributionFit {
  /** The number of values. */
  readonly n: number;
  /** The fitted families, best (smallest AIC) first. */
  readonly candidates: readonly FittedCandidate[];
  /** The families that do not apply to the data. */
  readonly skipped: readonly SkippedCandidate[];
  /** The best fit's family. */
  readonly bestFamily: FitFamily;
  /** The best fit as a scenario takes it: `candidates[0].distribution`. */
  readonly best: Distribution;
  /** With `bootstrap`: the number of resamples and their seed. */
  readonly bootstrap?: { readonly resamples: number; readonly seed: Seed };
}

/** A family's estimates, before the goodness of fit is measured. */
interface Estimate {
  readonly parameters: Record<string, number>;
  readonly distribution: Distribution;
  readonly logLikelihood: number;
}

/** A family that does not apply: the message says why. */
/**
 * A family that does not apply to the data (values out of its support, too few for a tail):
 * caught in `fitDistribution`, which lists the family as skipped with the message; an
 * `OptionError` should one ever escape.
 */
class NotApplicable extends OptionError {}
const notApplicable = (message: string) => new NotApplicable(message);

/** What every fit needs of the data, computed once. */
interface Sample {
  readonly sorted: Float64Array;
  readonly n: number;
  readonly mean: number;
  /** Σ ln x, NaN unless every value is positive. */
  readonly sumLog: number;
}

function sampleOf(values: ArrayLike<number>): Sample {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  let sumLog = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i]!;
    sumLog += Math.log(sorted[i]!);
  }
  return { sorted, n, mean: sum / n, sumLog: sorted[0]! > 0 ? sumLog : NaN };
}

function requirePositive(s: Sample, family: string): void {
  if (!(s.sorted[0]! > 0)) throw notApplicable(`${family} needs values > 0; the smallest is ${s.sorted[0]}`);
}

const LOG_2PI = Math.log(2 * Math.PI);
const Z95 = 1.6448536269514722;
/** The widest lognormal a scenario takes (its schema's limit on sigma). */
const MAX_LOG_SD = 5;

function fitNormal(s: Sample): Estimate {
  let ss = 0;
  for (const x of s.sorted) ss += (x - s.mean) * (x - s.mean);
  const sd = Math.sqrt(ss / s.n);
  return {
    parameters: { mean: s.mean, sd },
    distribution: { dist: 'normal', mean: s.mean, sd },
    logLikelihood: (-s.n / 2) * (LOG_2PI + 2 * Math.log(sd) + 1),
  };
}

function fitLognormal(s: Sample): Estimate {
  requirePositive(s, 'lognormal');
  const mu = s.sumLog / s.n;
  let ss = 0;
  for (const x of s.sorted) ss += (Math.log(x) - mu) * (Math.log(x) - mu);
  const sigma = Math.sqrt(ss / s.n);
  if (sigma > MAX_LOG_SD)
    throw notApplicable(`lognormal: sigma ${sigma.toPrecision(3)} is wider than a scenario takes (${MAX_LOG_SD})`);
  return {
    parameters: { mu, sigma },
    distribution: { dist: 'lognormal', median: Math.exp(mu), p95: Math.exp(mu + Z95 * sigma) },
    logLikelihood: (-s.n / 2) * (LOG_2PI + 2 * Math.log(sigma) + 1) - s.sumLog,
  };
}

/**
 * Gamma: the shape k solves ln k − ψ(k) = ln x̄ − mean(ln x) (Newton from Minka's closed-form
 * start, kept positive), the scale is x̄/k.
 */
function fitGamma(s: Sample): Estimate {
  requirePositive(s, 'gamma');
  const d = Math.log(s.mean) - s.sumLog / s.n;
  let k = (3 - d + Math.sqrt((d - 3) * (d - 3) + 24 * d)) / (12 * d);
  for (let i = 0; i < 100; i++) {
    const step = (Math.log(k) - digamma(k) - d) / (1 / k - trigamma(k));
    const next = k - step > 0 ? k - step : k / 2;
    const done = Math.abs(next - k) <= 1e-12 * k;
    k = next;
    if (done) break;
  }
  const scale = s.mean / k;
  let sum = 0;
  for (const x of s.sorted) sum += (k - 1) * Math.log(x) - x / scale;
  return {
    parameters: { shape: k, scale },
    distribution: { dist: 'gamma', shape: k, scale },
    logLikelihood: sum - s.n * (k * Math.log(scale) + logGammaPositive(k)),
  };
}

/**
 * Weibull: the shape k solves Σ xᵏ ln x / Σ xᵏ − 1/k − mean(ln x) = 0 (increasing in k;
 * bisection in log space, with xᵏ taken relative to the largest value so it cannot overflow),
 * the scale is (mean xᵏ)^(1/k).
 */
function fitWeibull(s: Sample): Estimate {
  requirePositive(s, 'weibull');
  const logs = Array.from(s.sorted, Math.log);
  const top = logs[s.n - 1]!;
  const meanLog = s.sumLog / s.n;
  const g = (k: number): number => {
    let w = 0;
    let wl = 0;
    for (const l of logs) {
      const e = Math.exp(k * (l - top));
      w += e;
      wl += e * l;
    }
    return wl / w - 1 / k - meanLog;
  };
  const k = positiveRoot(g, 1);
  let w = 0;
  for (const l of logs) w += Math.exp(k * (l - top));
  const scale = Math.exp(top + Math.log(w / s.n) / k);
  // Σ (x/λ)^k = n at the estimates.
  return {
    parameters: { shape: k, scale },
    distribution: { dist: 'weibull', shape: k, scale },
    logLikelihood: s.n * (Math.log(k) - k * Math.log(scale)) + (k - 1) * s.sumLog - s.n,
  };
}

/**
 * Beta: two-dimensional Newton on the score, n·(ψ(α + β) − ψ(α) + mean ln x) and
 * n·(ψ(α + β) − ψ(β) + mean ln(1 − x)), from the method of moments; the log-likelihood is
 * concave in (α, β) (an exponential family), so Newton converges, with steps halved to stay
 * positive.
 */
function fitBeta(s: Sample): Estimate {
  if (!(s.sorted[0]! > 0 && s.sorted[s.n - 1]! < 1))
    throw notApplicable(`beta needs values in (0, 1); these run from ${s.sorted[0]} to ${s.sorted[s.n - 1]}`);
  const lx = s.sumLog / s.n;
  let l1x = 0;
  let ss = 0;
  for (const x of s.sorted) {
    l1x += Math.log(1 - x);
    ss += (x - s.mean) * (x - s.mean);
  }
  l1x /= s.n;
  const variance = ss / s.n;
  const common = Math.max((s.mean * (1 - s.mean)) / variance - 1, 1e-3);
  let a = s.mean * common;
  let b = (1 - s.mean) * common;
  for (let i = 0; i < 200; i++) {
    const psiAB = digamma(a + b);
    const triAB = trigamma(a + b);
    const ga = psiAB - digamma(a) + lx;
    const gb = psiAB - digamma(b) + l1x;
    const haa = triAB - trigamma(a);
    const hbb = triAB - trigamma(b);
    const hab = triAB;
    const det = haa * hbb - hab * hab;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    while (a - da <= 0 || b - db <= 0) {
      da /= 2;
      db /= 2;
    }
    a -= da;
    b -= db;
    if (Math.abs(da) <= 1e-12 * a && Math.abs(db) <= 1e-12 * b) break;
  }
  return {
    parameters: { alpha: a, beta: b },
    distribution: { dist: 'beta', alpha: a, beta: b },
    logLikelihood: s.n * ((a - 1) * lx + (b - 1) * l1x - logBetaFunction(a, b)),
  };
}

/**
 * PERT (λ = 4): min and max are the sample's range widened by one average spacing,
 * (max − min)/(n − 1), at each end (a PERT's density vanishes at its ends, so the extreme values
 * fall short of them); the mode then maximises the likelihood, a concave function of it found
 * by golden-section search.
 */
function fitPert(s: Sample): Estimate {
  const spacing = (s.sorted[s.n - 1]! - s.sorted[0]!) / (s.n - 1);
  const min = s.sorted[0]! - spacing;
  const max = s.sorted[s.n - 1]! + spacing;
  const width = max - min;
  let sl = 0;
  let sl1 = 0;
  for (const x of s.sorted) {
    const z = (x - min) / width;
    sl += Math.log(z);
    sl1 += Math.log(1 - z);
  }
  const logLikelihood = (mode: number): number => {
    const a = 1 + (4 * (mode - min)) / width;
    const b = 1 + (4 * (max - mode)) / width;
    return (a - 1) * sl + (b - 1) * sl1 - s.n * (logBetaFunction(a, b) + Math.log(width));
  };
  const mode = goldenMaximum(logLikelihood, min, max);
  return {
    parameters: { min, mode, max },
    distribution: { dist: 'pert', min, mode, max, lambda: 4 },
    logLikelihood: logLikelihood(mode),
  };
}

function tailIndexCheck(family: string, alpha: number): void {
  if (!(alpha > 1))
    throw notApplicable(
      `${family}: the tail index alpha is ${alpha.toPrecision(3)} <= 1, a tail with no finite mean, which a scenario input needs`,
    );
}

/** Pareto: min is the smallest value, alpha = n / Σ ln(x/min) (both maximum likelihood, closed form). */
function fitPareto(s: Sample): Estimate {
  requirePositive(s, 'pareto');
  const min = s.sorted[0]!;
  const sumLogRatio = s.sumLog - s.n * Math.log(min);
  if (!(sumLogRatio > 0)) throw notApplicable('pareto: every value equals the smallest');
  const alpha = s.n / sumLogRatio;
  tailIndexCheck('pareto', alpha);
  return {
    parameters: { min, alpha },
    distribution: { dist: 'pareto', min, alpha },
    logLikelihood: s.n * (Math.log(alpha) + alpha * Math.log(min)) - (alpha + 1) * s.sumLog,
  };
}

/** The fewest values in each part of a spliced fit. */
const MIN_TAIL = 10;
/** The most thresholds tried. */
const THRESHOLDS = 20;

/**
 * A lognormal body spliced to a Pareto tail. The threshold is chosen by maximum likelihood
 * among the upper order statistics: for each tail count k on a grid of up to 20 from
 * max(10, 2 % of n) to a quarter of n, the threshold u is the largest value with k values
 * above it; given u, the tail share is k/n, the Pareto's alpha = k / Σ ln(x/u) over the tail,
 * and the body is a lognormal cut at u fitted by maximum likelihood (Nelder-Mead on mu and
 * ln sigma); the threshold kept is the one with the largest total log-likelihood.
 */
function fitLognormalPareto(s: Sample): Estimate {
  requirePositive(s, 'lognormalPareto');
  const n = s.n;
  const kMin = Math.max(MIN_TAIL, Math.ceil(0.02 * n));
  const kMax = Math.floor(n / 4);
  if (kMax < kMin)
    throw notApplicable(`lognormalPareto needs at least ${4 * MIN_TAIL} values to split a body from a tail`);
  const logs = Array.from(s.sorted, Math.log);
  const counts = new Set<number>();
  const tries = Math.min(THRESHOLDS, kMax - kMin + 1);
  for (let i = 0; i < tries; i++) counts.add(Math.round(kMin + (tries === 1 ? 0 : (i * (kMax - kMin)) / (tries - 1))));
  let best: Estimate | undefined;
  let start = [s.sumLog / n, 0];
  for (const k of counts) {
    // The body is every value up to u, the tail every value above it (ties stay in the body).
    let bodyCount = n - k;
    const u = s.sorted[bodyCount - 1]!;
    while (bodyCount < n && s.sorted[bodyCount]! <= u) bodyCount++;
    const tailCount = n - bodyCount;
    if (tailCount < MIN_TAIL || bodyCount < MIN_TAIL) continue;
    const logU = Math.log(u);
    let tailLogSum = 0;
    for (let i = bodyCount; i < n; i++) tailLogSum += logs[i]! - logU;
    const alpha = tailCount / tailLogSum;
    let bodyLogSum = 0;
    for (let i = 0; i < bodyCount; i++) bodyLogSum += logs[i]!;
    const negativeBody = ([mu, logSigma]: readonly number[]): number => {
      const sigma = Math.exp(logSigma!);
      let ss = 0;
      for (let i = 0; i < bodyCount; i++) ss += (logs[i]! - mu!) * (logs[i]! - mu!);
      const cut = normalCdf((logU - mu!) / sigma);
      return bodyCount * (Math.log(sigma) + Math.log(cut)) + ss / (2 * sigma * sigma);
    };
    const body = nelderMead(negativeBody, start, [0.1, 0.1], 1e-10);
    start = body.point;
    const share = tailCount / n;
    const logLikelihood =
      -body.value -
      bodyCount * LOG_2PI * 0.5 -
      bodyLogSum +
      bodyCount * Math.log(1 - share) +
      tailCount * (Math.log(share) + Math.log(alpha) + alpha * logU) -
      (alpha + 1) * (tailLogSum + tailCount * logU);
    if (best === undefined || logLikelihood > best.logLikelihood) {
      const mu = body.point[0]!;
      const sigma = Math.exp(body.point[1]!);
      best = {
        parameters: { mu, sigma, threshold: u, tailShare: share, alpha },
        distribution: { dist: 'lognormalPareto', mu, sigma, threshold: u, tailShare: share, alpha },
        logLikelihood,
      };
    }
  }
  if (best === undefined)
    throw notApplicable('lognormalPareto: too many ties to split a body from a tail of 10 values');
  const { sigma, alpha } = best.parameters;
  tailIndexCheck('lognormalPareto', alpha!);
  if (sigma! > MAX_LOG_SD)
    throw notApplicable(`lognormalPareto: the body's sigma ${sigma!.toPrecision(3)} is wider than a scenario takes`);
  return best;
}

const FITTERS: Record<FitFamily, { fit: (s: Sample) => Estimate; parameterCount: number }> = {
  normal: { fit: fitNormal, parameterCount: 2 },
  lognormal: { fit: fitLognormal, parameterCount: 2 },
  gamma: { fit: fitGamma, parameterCount: 2 },
  weibull: { fit: fitWeibull, parameterCount: 2 },
  beta: { fit: fitBeta, parameterCount: 2 },
  pert: { fit: fitPert, parameterCount: 3 },
  pareto: { fit: fitPareto, parameterCount: 2 },
  lognormalPareto: { fit: fitLognormalPareto, parameterCount: 5 },
};

/** The most resamples a bootstrap takes. */
const MAX_BOOTSTRAP = 100_000;

function checkInput(values: readonly number[], options: FitOptions): readonly FitFamily[] {
  if (!Array.isArray(values))
    throw new OptionError(`fitDistribution: values must be an array of numbers; received ${typeof values}`, {
      option: 'fitDistribution: values',
      received: values,
    });
  if (values.length < 5)
    throw new OptionError(
      `fitDistribution: expected at least 5 values to fit a distribution; received ${values.length}`,
      { option: 'fitDistribution: values', received: values.length },
    );
  values.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new OptionError(`fitDistribution: values[${i}] must be a finite number; received ${String(x)}`, {
        option: `fitDistribution: values[${i}]`,
        received: x,
      });
  });
  if (values.every((x) => x === values[0]))
    throw new OptionError(`fitDistribution: every value is ${values[0]}; a distribution needs values that differ`, {
      option: 'fitDistribution: values',
      received: values[0],
    });
  const candidates = options.candidates ?? FIT_FAMILIES;
  if (candidates.length === 0)
    throw new OptionError(`fitDistribution: candidates must name at least one of ${FIT_FAMILIES.join(', ')}`, {
      option: 'fitDistribution: candidates',
      received: candidates,
    });
  for (const c of candidates)
    if (!(FIT_FAMILIES as readonly string[]).includes(c))
      throw new OptionError(
        `fitDistribution: unknown candidate "${String(c)}"; expected one of ${FIT_FAMILIES.join(', ')}`,
        { option: 'fitDistribution: candidates', received: c },
      );
  const b = options.bootstrap;
  if (b !== undefined && !(Number.isInteger(b) && b >= 0 && b <= MAX_BOOTSTRAP))
    throw new OptionError(
      `fitDistribution: bootstrap must be a whole number of resamples from 0 to ${MAX_BOOTSTRAP}; received ${String(b)}`,
      { option: 'fitDistribution: bootstrap', received: b },
    );
  const seed = options.seed;
  if (seed !== undefined && !(typeof seed === 'string' || (Number.isInteger(seed) && seed >= 0)))
    throw new OptionError(
      `fitDistribution: seed must be a non-negative integer or a string; received ${String(seed)}`,
      { option: 'fitDistribution: seed', received: seed },
    );
  return [...new Set(candidates)];
}

/**
 * Fits distributions to data by maximum likelihood, as an analyst would before putting one in a
 * scenario, and ranks them by AIC.
 *
 * The families ({@link FIT_FAMILIES}): normal, lognormal and Pareto in closed form (Pareto's
 * `min` is the smallest value); gamma's shape by Newton's method on ln k − ψ(k) = ln x̄ − mean(ln x);
 * Weibull's shape by a bracketed solve of its score; beta by a two-dimensional Newton's method
 * from the method of moments; PERT (λ = 4) with min and max the sample's range widened by one
 * average spacing (range/(n − 1)) at each end and the mode by maximum likelihood; and a lognormal
 * body spliced to a Pareto tail, its threshold the one of up to 20 upper order statistics (tails
 * of 10 values, or 2 % of them, up to a quarter) that gives the largest likelihood. Families that
 * do not apply are skipped with the reason: positive-only families (lognormal, gamma, Weibull,
 * Pareto, lognormalPareto) for data with a value <= 0, beta for data outside (0, 1), Pareto tails
 * with alpha <= 1 (no finite mean), a spliced fit with fewer than 40 values.
 *
 * The spliced fit counts its threshold as one of its five parameters, but AIC does not fully
 * charge the search over thresholds: on plain lognormal data it ranks first about one time in
 * four. Read its Kolmogorov-Smirnov and Anderson-Darling statistics and the Q-Q chart before
 * preferring it to a lognormal by a small margin.
 *
 * Each fit reports its log-likelihood, AIC = 2k − 2 ln L, the Kolmogorov-Smirnov distance
 * ({@link ksStatistic}) and the Anderson-Darling statistic ({@link andersonDarling}), and the
 * fit as a scenario's {@link Distribution} (a lognormal by its median and P95). With
 * `bootstrap: B`, every family is refitted on the same B resamples (drawn with replacement from
 * the seeded streams of {@link deriveStream}) and each parameter gets the 90 % percentile
 * interval of its refits.
 *
 * @param values - the data, at least 5 finite numbers
 * @param options - the families to try, the number of bootstrap resamples and their seed
 * @returns the fits ranked by AIC, the skipped families, and the best as a distribution
 * @throws {@link OptionError} for fewer than 5 values, a value that is not finite (its index
 *   named), values all equal, an unknown candidate (the known listed), a bootstrap count that is
 *   not a whole number in [0, 100000], or when no candidate applies (the reasons listed)
 * @example
 * ```ts
 * const fit = fitDistribution([310, 420, 515, 390, 1210, 610, 450, 380, 720, 505], {
 *   candidates: ['normal', 'lognormal', 'gamma'],
 * });
 * fit.bestFamily; //=> 'lognormal'
 * fit.best; //=> { dist: 'lognormal', median: 510.41…, p95: 935.62… }
 * ```
 * @category Fitting
 */
export function fitDistribution(values: readonly number[], options: FitOptions = {}): DistributionFit {
  const families = checkInput(values, options);
  const sample = sampleOf(values);
  const fitted: FittedCandidate[] = [];
  const skipped: SkippedCandidate[] = [];
  for (const family of families) {
    const { fit, parameterCount } = FITTERS[family];
    let estimate: Estimate;
    try {
      estimate = fit(sample);
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
      skipped.push({ family, reason: e.message });
      continue;
    }
    if (!Number.isFinite(estimate.logLikelihood)) {
      skipped.push({ family, reason: `${family}: the likelihood is not finite at the estimates` });
      continue;
    }
    const cdf = cdfFor(estimate.distribution);
    fitted.push({
      family,
      parameters: estimate.parameters,
      distribution: estimate.distribution,
      logLikelihood: estimate.logLikelihood,
      parameterCount,
      aic: 2 * parameterCount - 2 * estimate.logLikelihood,
      ks: ksStatistic(values, cdf),
      ad: andersonDarling(values, cdf),
    });
  }
  if (fitted.length === 0)
    throw new OptionError(
      `fitDistribution: no candidate applies to these data: ${skipped.map((s) => s.reason).join('; ')}`,
      { option: 'fitDistribution: candidates', received: families },
    );
  const resamples = options.bootstrap ?? 0;
  const seed = options.seed ?? 1;
  const ranked = (resamples > 0 ? withIntervals(fitted, sample, resamples, seed) : fitted).sort(
    (a, b) => a.aic - b.aic,
  );
  const best = ranked[0]!;
  return {
    n: sample.n,
    candidates: ranked,
    skipped,
    bestFamily: best.family,
    best: best.distribution,
    ...(resamples > 0 ? { bootstrap: { resamples, seed } } : {}),
  };
}

/** Refits every fitted family on the same `resamples` resamples and adds 90 % percentile intervals. */
function withIntervals(fitted: FittedCandidate[], sample: Sample, resamples: number, seed: Seed): FittedCandidate[] {
  const key = streamKey(seed, 'fit-bootstrap');
  const n = sample.n;
  const draws = fitted.map((c) => Object.fromEntries(Object.keys(c.parameters).map((p) => [p, [] as number[]])));
  const failures = fitted.map(() => 0);
  const resample = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    const rng = deriveStream(key, b);
    for (let i = 0; i < n; i++) resample[i] = sample.sorted[Math.floor(rng() * n)]!;
    const s = sampleOf(resample);
    fitted.forEach((c, j) => {
      let estimate: Estimate;
      try {
        estimate = FITTERS[c.family].fit(s);
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
        failures[j]!++;
        return;
      }
      for (const [p, v] of Object.entries(estimate.parameters)) draws[j]![p]!.push(v);
    });
  }
  return fitted.map((c, j) => {
    const intervals: Record<string, readonly [number, number]> = {};
    for (const [p, vs] of Object.entries(draws[j]!)) {
      if (vs.length === 0) continue;
      const sorted = Float64Array.from(vs).sort();
      intervals[p] = [quantileSorted(sorted, 0.05), quantileSorted(sorted, 0.95)];
    }
    return { ...c, intervals, bootstrapFailures: failures[j]! };
  });
}
