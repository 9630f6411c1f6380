import type { Scenario } from '../scenario/schema';
import { VERSION } from '../version';

/**
 * What a result file needs to rebuild its run: the library's version, the full validated
 * scenario (every default filled in), its seed, paths and strategies, and a hash of the
 * scenario that tells whether the scenario in the file was edited.
 *
 * @category Results
 */
export interface RunRecord {
  /** The carebudget version that made the result. */
  readonly libraryVersion: string;
  /** The validated scenario (with the seed, paths and strategies of the run). */
  readonly scenario: Scenario;
  readonly seed: number | string;
  readonly paths: number;
  /** The ids of the strategies run, in order. */
  readonly strategies: readonly string[];
  /** {@link scenarioHash} of `scenario`. */
  readonly scenarioHash: string;
  /**
   * Present in a part of a run made in shards (`carebudget run --shard K/N`): the part is the
   * K-th (`index`, from 1) of N (`count`) contiguous blocks of the run's `paths`, as
   * {@link shardRange} gives them. Absent in a whole run, and in the merge of all N parts. A
   * part of streaming summaries has `blockPaths`: its blocks are whole blocks of that many paths.
   */
  readonly shard?: { readonly index: number; readonly count: number; readonly blockPaths?: number };
}

/**
 * The paths of the K-th of N contiguous blocks of a run of `paths` paths: from
 * floor((K − 1)·paths / N) to floor(K·paths / N) − 1, so the blocks differ in size by at most
 * one path and together are the run. With `unit` (streaming summaries: their blocks of
 * `blockPaths` paths), the run is cut into whole units instead: of its ceil(paths / unit) units
 * the K-th block holds units floor((K − 1)·units / N) to floor(K·units / N) − 1, the last unit
 * of the run possibly short; N must then be at most the units.
 *
 * @param paths - the whole run's paths
 * @param index - K, from 1 to `count`
 * @param count - N, from 1 to `paths` (to the units, with `unit`)
 * @param unit - paths the blocks are whole multiples of (default 1)
 * @returns the block's first path and its number of paths
 * @example
 * ```ts
 * shardRange(10, 2, 4); //=> { pathStart: 2, paths: 3 }
 * shardRange(10_500, 2, 4, 1000); //=> { pathStart: 2000, paths: 3000 }
 * ```
 * @category Results
 */
export function shardRange(
  paths: number,
  index: number,
  count: number,
  unit = 1,
): { pathStart: number; paths: number } {
  const units = Math.ceil(paths / unit);
  const start = Math.min(paths, Math.floor(((index - 1) * units) / count) * unit);
  const end = Math.min(paths, Math.floor((index * units) / count) * unit);
  return { pathStart: start, paths: end - start };
}

/**
 * Whether a value is a shard K of N as parts record it: `{ index, count }` with whole numbers
 * 1 <= index <= count, and `blockPaths`, where given, a whole number >= 1.
 *
 * @param value - anything (a part file's field, an option)
 * @returns true when it is one
 * @example
 * ```ts
 * [isShard({ index: 2, count: 4 }), isShard({ index: 5, count: 4 }), isShard(null)]; //=> [true, false, false]
 * ```
 * @internal
 */
export function isShard(value: unknown): value is { index: number; count: number; blockPaths?: number } {
  const s = value as { index?: unknown; count?: unknown; blockPaths?: unknown } | null;
  return (
    s !== null &&
    typeof s === 'object' &&
    Number.isSafeInteger(s.index) &&
    Number.isSafeInteger(s.count) &&
    (s.index as number) >= 1 &&
    (s.index as number) <= (s.count as number) &&
    (s.blockPaths === undefined || (Number.isSafeInteger(s.blockPaths) && (s.blockPaths as number) >= 1))
  );
}

/** Canonical JSON: object keys sorted, no spaces; arrays in order. Iterative in depth only as deep as the value. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * A stable hash of a scenario: 64-bit FNV-1a over the UTF-16 code units of its canonical JSON
 * (keys sorted), as `"fnv1a64:"` and 16 hex digits. Hand-written rather than a package: it must
 * run in browsers, where Node's crypto is missing, and it is a dozen lines. It tells edits apart;
 * it is not a cryptographic hash.
 *
 * @param scenario - a scenario (validated or not; any JSON-like value)
 * @returns the hash, the same for the same content whatever the order of the keys
 * @example
 * ```ts
 * scenarioHash({ b: 1, a: 2 }) === scenarioHash({ a: 2, b: 1 }); //=> true
 * scenarioHash({}); //=> 'fnv1a64:08f44b07b5901a25'
 * ```
 * @category Results
 */
export function scenarioHash(scenario: unknown): string {
  const text = canonical(scenario);
  // 64-bit arithmetic in two 32-bit halves: the prime 2^40 + 0x1b3 multiplies the low half by
  // 0x1b3 and adds the low half shifted by 8 into the high half.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const newLo = loMul >>> 0;
    const carry = Math.floor(loMul / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + ((lo << 8) >>> 0) + carry) >>> 0;
    lo = newLo;
  }
  return `fnv1a64:${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}

/**
 * The record of a run for its result file.
 *
 * @param scenario - the validated scenario that was run (from {@link parseScenario})
 * @param strategies - the ids of the strategies run, in order (a result's `strategies`)
 * @returns the record, with the library's version and the scenario's hash
 * @example
 * ```ts
 * const s = parseScenario(lejre2034());
 * const r = simulate(s, { paths: 100 });
 * runRecord(s, r.strategies.map((x) => x.id)).strategies; //=> ['frame', 'activity']
 * ```
 * @category Results
 */
export function runRecord(scenario: Scenario, strategies: readonly string[]): RunRecord {
  return {
    libraryVersion: VERSION,
    scenario,
    seed: scenario.seed,
    paths: scenario.paths,
    strategies: [...strategies],
    scenarioHash: scenarioHash(scenario),
  };
}
