import alea from 'seedrandom/lib/alea.js';

/**
 * A source of uniform random numbers in [0, 1), with the `Math.random` contract.
 *
 * Every sampler in carebudget takes its source as an argument, so the caller decides which
 * stream feeds which draw.
 *
 * @category Random
 */
export type RandomSource = () => number;

/** A run's seed: a non-negative integer or a string. @category Random */
export type Seed = number | string;

/** FNV-1a over the UTF-16 code units of a string, 32 bits. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The murmur3 finaliser: a bijective 32-bit mixer with full avalanche. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a seed to 32 bits. Integer seeds up to 2^53 keep both halves; strings are hashed.
 */
function hashSeed(seed: Seed): number {
  if (typeof seed === 'string') return mix32(hashString(seed) ^ 0x5bd1e995);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(mix32(lo) ^ mix32(hi + 0x9e3779b9));
}

/**
 * A stream key: the seed and component hashed once, so deriving the stream of one path costs a
 * few integer multiplications and no string work.
 *
 * @category Random
 */
export interface StreamKey {
  /** The component's name, for messages and traces. */
  readonly component: string;
  /** @internal */
  readonly hash: number;
}

/**
 * Prepares the key of one component's streams (for example `"population"` or `"prices"`).
 *
 * @param seed - the run's seed
 * @param component - the component's name; different names give independent streams
 * @returns a key for {@link deriveStream}
 * @example
 * ```ts
 * const key = streamKey(42, 'population');
 * const rng = deriveStream(key, 0);
 * rng(); //=> 0.03617…
 * ```
 * @category Random
 */
export function streamKey(seed: Seed, component: string): StreamKey {
  return { component, hash: mix32(hashSeed(seed) ^ mix32(hashString(component) + 0x27d4eb2f)) };
}

/** 2^-32. @internal */
export const INV_2_32 = 2.3283064365386963e-10;

/** The largest double below 1, where a uniform is clamped so that it never reaches a quantile function's infinite end. @internal */
export const BELOW_ONE = 1 - 2 ** -53;

/** The 32-bit hash of (key, path) that seeds a path's stream. */
function pathHash(key: StreamKey, path: number): number {
  const lo = path >>> 0;
  const hi = Math.floor(path / 4294967296) >>> 0;
  return mix32(key.hash ^ mix32(lo + 0x165667b1) ^ mix32(hi + 0xd3a2646c));
}

/**
 * Derives the random stream of one path and one component: seedrandom's Alea generator, its
 * state set from a hash of (seed, component, path).
 *
 * A path's numbers depend only on the seed, the component and the path index, never on how
 * paths are split into chunks or workers, and a component's draws never shift another's
 * (common random numbers across strategies).
 *
 * @param key - from {@link streamKey}
 * @param path - the path index, a non-negative integer below 2^53
 * @returns a uniform source on [0, 1) with 32 bits of resolution
 * @example
 * ```ts
 * const a = deriveStream(streamKey(1, 'prices'), 7);
 * const b = deriveStream(streamKey(1, 'prices'), 7);
 * a() === b(); //=> true
 * ```
 * @category Random
 */
export function deriveStream(key: StreamKey, path: number): RandomSource {
  const h = pathHash(key, path);
  // Three further mixes give Alea's three state words; each is a multiple of 2^-32 in [0, 1),
  // exactly the form Alea's own seeding produces.
  const s0 = mix32(h + 0x3c6ef372) * INV_2_32;
  const s1 = mix32(h + 0xa54ff53a) * INV_2_32;
  const s2 = mix32(h + 0x510e527f) * INV_2_32;
  return alea('', { state: { c: 1, s0, s1, s2 } });
}

/**
 * The generator behind {@link deriveStream} with its state in fields, for hot loops that draw
 * thousands of uniforms a path: `next()` is seedrandom's Alea step written out, so a loop that
 * calls it directly gives the same numbers as the stream's closure, bit for bit (a test draws
 * both side by side), without a closure call per draw. Hand-written for speed only; seeding stays
 * with {@link deriveStream}'s derivation.
 *
 * @internal
 */
export class AleaGenerator {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  c = 1;

  /** Sets the state of the stream of `path` under `key`, as {@link deriveStream} would. */
  seed(key: StreamKey, path: number): this {
    const h = pathHash(key, path);
    this.s0 = mix32(h + 0x3c6ef372) * INV_2_32;
    this.s1 = mix32(h + 0xa54ff53a) * INV_2_32;
    this.s2 = mix32(h + 0x510e527f) * INV_2_32;
    this.c = 1;
    return this;
  }

  /** The next uniform on [0, 1). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * INV_2_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }
}

/**
 * A stream re-seeded path by path: {@link deriveStream}'s numbers, bit for bit, from one generator
 * and one source function made once, where `deriveStream` builds seedrandom's generator (and
 * its closures) for every path. For components that derive a stream or two on every path; the
 * source returned by {@link StreamSlot.at} is the same function each time, so a stream taken from
 * a slot ends when the slot is seeded again.
 *
 * @internal
 */
export class StreamSlot {
  /**
   * The generator itself, for a hot loop: its `next` is inlined where a call through the source
   * function is not, and the uniform it returns is not allocated on the heap.
   */
  readonly generator = new AleaGenerator();
  /** The slot's source: the generator's next uniform. */
  readonly source: RandomSource = () => this.generator.next();

  /** Seeds the slot with the stream of `path` under `key` and returns its source. */
  at(key: StreamKey, path: number): RandomSource {
    this.generator.seed(key, path);
    return this.source;
  }
}
