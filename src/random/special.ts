import { log } from '../math/detmath';
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
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = Math.sqrt(-log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r +
        2.6532189526576123093e-2) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 1.4875361290850614852e-2) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * Natural logarithm of the gamma function for x >= 0.5 (Lanczos, g = 7, n = 9; relative error
 * below 1e-13), with the engine-independent {@link log}.
 *
 * @internal
 */
export function logGamma(x: number): number {
  if (!(x >= 0.5)) throw new OptionError(`logGamma: x must be >= 0.5; received ${String(x)}`, { option: 'logGamma: x', received: x });
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
  const u = rng();
  return normalQuantile(u > 0 ? u : TINY);
}
