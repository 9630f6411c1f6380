/**
 * Exponential and logarithm computed with IEEE-754 arithmetic only (+, −, ×, ÷ and exact
 * power-of-two scaling), ports of fdlibm's e_exp.c and e_log.c. Engines' Math.exp and Math.log
 * may differ in the last bit between versions (Node 20's V8 and Chromium's do, for about one
 * input in ten thousand); these give the same bits everywhere, so a seeded run gives the same
 * numbers in Node, in a browser and in a worker. Accuracy: within 1 ulp.
 *
 * @module
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * 2^k for every integer k in [-1074, 1023], at index k + 1074: made by doubling and halving 1,
 * which is exact throughout (the subnormal powers included). A table read in place of building
 * the bits in a DataView (two 32-bit writes and a 64-bit read, which the processor cannot forward
 * from one to the other).
 */
const POW2 = new Float64Array(1074 + 1024);
for (let k = 0, v = 1; k <= 1023; k++, v *= 2) POW2[k + 1074] = v;
for (let k = 0, v = 1; k >= -1074; k--, v /= 2) POW2[k + 1074] = v;

/** 2^k for an integer k in [-1074, 1023]: exact. */
function pow2(k: number): number {
  return POW2[k + 1074]!;
}

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;

/**
 * e^x with the same bits on every JavaScript engine.
 *
 * @param x - any number
 * @returns e^x
 * @example
 * ```ts
 * exp(1); //=> 2.7182818284590455
 * ```
 * @category Random
 */
export function exp(x: number): number {
  if (x !== x) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  if (Math.abs(x) < 3.725290298461914e-9) return 1 + x;
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // Scale in two steps so that neither overflows nor loses bits before the last.
  if (k > 1023) return y * pow2(1023) * pow2(k - 1023);
  if (k < -1021) return y * pow2(k + 54) * 5.551115123125783e-17;
  return y * pow2(k);
}

const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * Natural logarithm with the same bits on every JavaScript engine.
 *
 * @param x - a number >= 0
 * @returns ln x (−Infinity for 0, NaN for negative numbers)
 * @example
 * ```ts
 * log(Math.E); //=> 1
 * ```
 * @category Random
 */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54, exact
    k = -54;
  }
  view.setFloat64(0, x);
  const hx = view.getUint32(0);
  // x = m · 2^e with m in [1, 2); the mantissa normalised into [sqrt(2)/2, sqrt(2)) is m, or m/2
  // with e one higher, and x scaled by the power of two is that mantissa exactly.
  const i = ((hx & 0x000fffff) + 0x95f64) & 0x100000;
  const e = (hx >>> 20) - 1023 + (i >>> 20);
  k += e;
  const f = x * pow2(-e) - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

/**
 * a^b for a > 0 as exp(b · log a), with the same bits on every JavaScript engine.
 *
 * @param a - the base, > 0 (a = 0 gives 0 for b > 0)
 * @param b - the exponent
 * @returns a^b (relative error about b·log(a)·1e-16)
 * @example
 * ```ts
 * pow(2499 / 1605, 1 / 11); //=> 1.0410…
 * ```
 * @category Random
 */
export function pow(a: number, b: number): number {
  if (b === 0) return 1;
  if (a === 0) return b > 0 ? 0 : Infinity;
  return exp(b * log(a));
}
