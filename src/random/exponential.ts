import { exp, log } from '../math/detmath';
import type { AleaGenerator, RandomSource } from './stream';

/*
 * The ziggurat method for the standard exponential distribution (Marsaglia and Tsang, "The
 * ziggurat method for generating random variables", Journal of Statistical Software 5(8),
 * 2000), with 256 layers. One uniform of 32 bits feeds a draw: its low 8 bits choose the layer
 * and its high 24 bits the position in it, so the two are independent. About 98.9 % of draws
 * end after one comparison; the rest test against the density (one `exp`) or, in the base
 * layer, draw from the tail (one `log`). The tables are computed once with the deterministic
 * `exp` and `log`, so every engine draws the same bits.
 */

const LAYERS = 256;
const POSITION_SCALE = 16777216; // 2^24
/** Start of the tail: the right edge of the widest layer. */
const R = 7.697117470131487;
/** Area of each layer (and of the base layer with its tail). */
const V = 3.949659822581572e-3;

/** Positions below kTable[i] fall inside the layer's rectangle. @internal */
export const kTable = new Float64Array(LAYERS);
/** Width of a position step in layer i. @internal */
export const wTable = new Float64Array(LAYERS);
/** Density at the layer's right edge. */
const fTable = new Float64Array(LAYERS);

{
  let de = R;
  let te = R;
  const q = V / exp(-de);
  kTable[0] = (de / q) * POSITION_SCALE;
  kTable[1] = 0;
  wTable[0] = q / POSITION_SCALE;
  wTable[LAYERS - 1] = de / POSITION_SCALE;
  fTable[0] = 1;
  fTable[LAYERS - 1] = exp(-de);
  for (let i = LAYERS - 2; i >= 1; i--) {
    de = -log(V / de + exp(-de));
    kTable[i + 1] = (de / te) * POSITION_SCALE;
    te = de;
    fTable[i] = exp(-de);
    wTable[i] = de / POSITION_SCALE;
  }
}

/**
 * One draw from the standard exponential distribution (mean 1) by the ziggurat method: usually
 * one uniform and no logarithm, several times faster than `-log(1 - u)`.
 *
 * @param rng - the random source
 * @returns a draw, >= 0
 * @example
 * ```ts
 * const rng = deriveStream(streamKey(1, 'stays'), 0);
 * const days = 180 * standardExponential(rng); // a stay with mean 180 days
 * ```
 * @category Random
 */
export function standardExponential(rng: RandomSource): number {
  for (;;) {
    const bits = (rng() * 4294967296) >>> 0;
    const layer = bits & 0xff;
    const position = bits >>> 8;
    if (position < kTable[layer]!) return position * wTable[layer]!;
    if (layer === 0) return R - log(1 - rng());
    const x = position * wTable[layer]!;
    const f1 = fTable[layer]!;
    if (f1 + rng() * (fTable[layer - 1]! - f1) < exp(-x)) return x;
  }
}

/**
 * {@link standardExponential} drawing from a generator's `next()` instead of a source function:
 * the same uniforms in the same order, so the same draws bit for bit, without a closure call per
 * uniform (the care homes draw a few thousand a path).
 *
 * @internal
 */
export function standardExponentialOf(g: AleaGenerator): number {
  const bits = (g.next() * 4294967296) >>> 0;
  const layer = bits & 0xff;
  const position = bits >>> 8;
  if (position < kTable[layer]!) return position * wTable[layer]!;
  return standardExponentialRest(g, layer, position);
}

/**
 * The rest of a ziggurat draw whose first uniform gave `layer` and `position` outside the
 * layer's rectangle (about 1.1 % of draws): the same steps as {@link standardExponentialOf} from
 * there, so a hot loop can draw the first uniform and test the rectangle inline, with the
 * generator's state in local variables, and call this only for the rare rest.
 *
 * @internal
 */
export function standardExponentialRest(g: AleaGenerator, layer: number, position: number): number {
  if (layer === 0) return R - log(1 - g.next());
  const x = position * wTable[layer]!;
  const f1 = fTable[layer]!;
  if (f1 + g.next() * (fTable[layer - 1]! - f1) < exp(-x)) return x;
  return standardExponentialOf(g);
}
