import { OptionError } from '../errors';
import { BELOW_ONE, deriveStream, INV_2_32, streamKey, type Seed } from './stream';

/**
 * The stratum permutation of one input's Latin hypercube sample over n paths: a random
 * permutation of 0, …, n − 1 (Fisher–Yates), driven by the stream
 * `deriveStream(streamKey(seed, 'lhs:' + name), n)`. Path i then draws the input from
 * stratum `perm[i]`, the interval [perm[i]/n, (perm[i] + 1)/n) of its uniform, with
 * {@link lhsUniform}; every stratum is used by exactly one path, and the inputs' permutations
 * are independent of one another (their names differ).
 *
 * The permutation depends on the seed, the input's name and the number of paths, never on how
 * paths are split into chunks or workers. But it does depend on n: changing the number of paths
 * changes every path's stratum, so a Latin hypercube sample of 1,000 paths does not begin with
 * the sample of 500, while plain sampling (one stream per path) keeps the first paths' draws
 * when paths are added.
 *
 * @param seed - the run's seed
 * @param name - the input's name, for example `"prices.wageDrift"`
 * @param n - the number of paths, an integer in [0, 2^32)
 * @returns the permutation, `perm[path]` being the stratum of that path
 * @throws {@link OptionError} when `n` is not an integer in [0, 2^32)
 * @example
 * ```ts
 * const perm = latinHypercube(1, 'wageDrift', 4);
 * [...perm].sort(); //=> [0, 1, 2, 3]
 * ```
 * @category Random
 */
export function latinHypercube(seed: Seed, name: string, n: number): Uint32Array {
  if (!(Number.isInteger(n) && n >= 0 && n < 4294967296)) {
    throw new OptionError(`latinHypercube: n must be an integer in [0, 2^32); received ${String(n)}`, {
      option: 'latinHypercube: n',
      received: n,
    });
  }
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const rng = deriveStream(streamKey(seed, `lhs:${name}`), n);
  for (let i = n - 1; i > 0; i--) {
    // Two 32-bit draws make a uniform fine enough that j is unbiased for any n below 2^32.
    const u = rng() + rng() * INV_2_32;
    const j = Math.min(i, Math.floor(u * (i + 1)));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/**
 * The Latin hypercube uniform of one path: (perm[i] + u)/n, a draw within the path's stratum
 * (u, uniform on [0, 1), places it inside the stratum; 0.5 gives the stratum's midpoint).
 * Feed it to an input's {@link quantileFor}.
 *
 * @param perm - from {@link latinHypercube}, n = perm.length
 * @param i - the path index, in [0, n)
 * @param u - a uniform in [0, 1), for example the path's own stream's next draw
 * @returns a uniform in [perm[i]/n, (perm[i] + 1)/n), below 1
 * @throws {@link OptionError} when `i` is not a path index of `perm` or `u` is outside [0, 1)
 * @example
 * ```ts
 * lhsUniform(Uint32Array.of(2, 0, 3, 1), 0, 0.5); //=> 0.625
 * ```
 * @category Random
 */
export function lhsUniform(perm: Uint32Array, i: number, u: number): number {
  const stratum = perm[i];
  if (stratum === undefined || !Number.isInteger(i)) {
    throw new OptionError(`lhsUniform: i must be a path index in [0, ${perm.length}); received ${String(i)}`, {
      option: 'lhsUniform: i',
      received: i,
    });
  }
  if (!(u >= 0 && u < 1)) {
    throw new OptionError(`lhsUniform: u must be a uniform in [0, 1); received ${String(u)}`, {
      option: 'lhsUniform: u',
      received: u,
    });
  }
  const v = (stratum + u) / perm.length;
  return v < BELOW_ONE ? v : BELOW_ONE;
}
