import { exp, log } from '../math/detmath';
import { OptionError } from '../errors';
/**
 * Quantile function (inverse CDF) of the standard normal distribution, Wichura's algorithm
 * AS 241 (PPND16), accurate to about 1e-16.
 *
 * @param p - a probability in (0, 1); 0 gives -Infinity and 1 gives +Infinity
 * @returns z with P(Z <= z) = p
 * @example
 * ```ts
 * normalQuantile(0.975); //=> 1.9599639845400536
 * ```
 * @category Random
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r +
        2.6532189526576123093e-2) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        1.4875361290850614852e-2) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural logarithm of the gamma function for x >= 0.5 (Lanczos, g = 7, n = 9; relative error
 * below 1e-13), with the engine-independent {@link log}.
 *
 * @internal
 */
export function logGamma(x: number): number {
  if (!(x >= 0.5))
    throw new OptionError(`logGamma: x must be >= 0.5; received ${String(x)}`, { option: 'logGamma: x', received: x });
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * log(2 * Math.PI) + (z + 0.5) * log(t) - t + log(a);
}

/** Half the resolution of a 32-bit uniform: stands in for an exact 0, which would give −∞. */
const TINY = 1.1641532182693481e-10;

/**
 * A standard normal draw by inversion of one uniform. A uniform of exactly 0 (possible with
 * 32-bit generators) is replaced by 2^-33, so draws are finite and lie within about ±6.4.
 *
 * @param rng - the uniform source
 * @returns a standard normal draw
 * @example
 * ```ts
 * standardNormal(() => 0.975); //=> 1.9599639845400536
 * ```
 * @category Random
 */
export function standardNormal(rng: () => number): number {
  return standardNormalOf(rng());
}

/**
 * The standard normal draw of uniform u, as {@link standardNormal} makes it: for a hot loop that
 * reads its generator directly.
 *
 * @param u - a uniform in [0, 1)
 * @returns the standard normal draw
 * @example
 * ```ts
 * standardNormalOf(0.975); //=> 1.9599639845400536
 * ```
 * @internal
 */
export function standardNormalOf(u: number): number {
  return normalQuantile(u > 0 ? u : TINY);
}

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Cumulative distribution function of the standard normal distribution, accurate in the tails:
 * near the centre by the series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1)), beyond |x| = 1.5 by
 * the continued fraction of the complementary error function (Mills' ratio,
 * Φ(−x) = φ(x)/(x + 1/(x + 2/(x + …)))), so that Φ(−30) ≈ 4.9e-198 keeps its digits instead of
 * rounding to 0 as 1 − Φ(30) would. Largest relative error measured against 40-digit values,
 * x from −39 to 9 in steps of 0.02: 2.4e-15. Uses the engine-independent `exp` of src/math/detmath, so it
 * gives the same bits in every engine.
 *
 * @param x - any number (±Infinity give 0 and 1)
 * @returns P(Z <= x) for a standard normal Z (NaN only for NaN)
 * @example
 * ```ts
 * normalCdf(1.959963984540054); //=> 0.975
 * normalCdf(-10) === 7.619853024160523e-24; //=> true
 * ```
 * @category Random
 */
export function normalCdf(x: number): number {
  if (x !== x) return x;
  if (x >= 0) return x > 1.5 ? 1 - upperNormalTail(x) : 0.5 + centralNormal(x);
  return x < -1.5 ? upperNormalTail(-x) : 0.5 + centralNormal(x);
}

/** Φ(x) − ½ for |x| <= 1.5 by the series of the error function (all terms of one sign). */
function centralNormal(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= x2 / (2 * k + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum * INV_SQRT_2PI * exp(-0.5 * x2);
}

/** 1 − Φ(x) for x > 1.5 (at most about 180 terms) by the continued fraction of Mills' ratio (modified Lentz). */
function upperNormalTail(x: number): number {
  if (x > 40) return 0; // below the smallest double
  const TINY_CF = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    d = d === 0 ? 1 / TINY_CF : 1 / d;
    c = x + k / c;
    if (c === 0) c = TINY_CF;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_2PI * gaussianKernel(x)) / f;
}

/** exp(−x²/2) with x² split into an exact part and a small remainder (x² itself rounds). */
function gaussianKernel(x: number): number {
  const hi = Math.trunc(x * 16) / 16;
  return exp(-0.5 * hi * hi) * exp(-0.5 * (x - hi) * (x + hi));
}

/**
 * ln Γ(x) for every x > 0: {@link logGamma} above 0.5, Γ(x) = Γ(x + 1)/x below.
 *
 * @internal
 */
export function logGammaPositive(x: number): number {
  return x >= 0.5 ? logGamma(x) : logGamma(x + 1) - log(x);
}

/** The iteration cap of the continued fractions below, from their O(√max(a, b)) convergence. */
function fractionCap(size: number): number {
  return 1000 + 20 * Math.ceil(Math.sqrt(size));
}

/**
 * The regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x),
 * both returned so that the one computed directly (the smaller, except near ½) keeps its
 * relative accuracy: the series of P below
 * x = a + 1, the continued fraction of Q (modified Lentz) above (Numerical Recipes §6.2).
 *
 * @internal
 */
export function regularizedGamma(
  a: number,
  x: number,
  logGammaA = logGammaPositive(a),
): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Infinity) return { lower: 1, upper: 0 };
  const prefactor = exp(a * log(x) - x - logGammaA);
  const cap = fractionCap(a);
  if (x < a + 1) {
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < cap; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    const lower = Math.min(1, sum * prefactor);
    return { lower, upper: 1 - lower };
  }
  const TINY_CF = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY_CF;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= cap; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY_CF) d = TINY_CF;
    c = b + an / c;
    if (Math.abs(c) < TINY_CF) c = TINY_CF;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const upper = Math.min(1, prefactor * h);
  return { lower: 1 - upper, upper };
}

/**
 * The regularized incomplete beta function I_x(a, b) and its complement 1 − I_x(a, b), the
 * smaller (except near ½) computed directly: the continued fraction of Numerical Recipes §6.4 (modified Lentz),
 * on I_x(a, b) when x < (a + 1)/(a + b + 2) and on I_(1−x)(b, a) otherwise.
 *
 * @internal
 */
export function regularizedBeta(
  a: number,
  b: number,
  x: number,
  logBeta = logBetaFunction(a, b),
): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x >= 1) return { lower: 1, upper: 0 };
  const prefactor = exp(a * log(x) + b * log(1 - x) - logBeta);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = Math.min(1, (prefactor * betaFraction(a, b, x)) / a);
    return { lower, upper: 1 - lower };
  }
  const upper = Math.min(1, (prefactor * betaFraction(b, a, 1 - x)) / b);
  return { lower: 1 - upper, upper };
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0.
 *
 * @internal
 */
export function logBetaFunction(a: number, b: number): number {
  return logGammaPositive(a) + logGammaPositive(b) - logGammaPositive(a + b);
}

function betaFraction(a: number, b: number, x: number): number {
  const TINY_CF = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY_CF) d = TINY_CF;
  d = 1 / d;
  let h = d;
  const cap = fractionCap(Math.max(a, b));
  for (let m = 1; m <= cap; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY_CF) d = TINY_CF;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY_CF) c = TINY_CF;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY_CF) d = TINY_CF;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY_CF) c = TINY_CF;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}
