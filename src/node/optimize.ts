/**
 * `optimizeSteering` for Node: the search's batches on a pool of worker threads, bit for bit
 * the search on one thread.
 */
import {
  optimizeSteering as optimizeOnRunner,
  defaultRunner,
  type BatchRunner,
  type OptimizeOptions,
  type SteeringOptimization,
} from '../optimize/optimize';
import type { SimulationResult } from '../simulation/result';
import { requireCount, SimulationError } from '../simulation/errors';
import type { StrategySpec } from '../scenario/schema';
import type { RunLimits } from '../simulation/estimate';

/** What the search needs of a pool of worker threads (`SimulationPool` in index.ts, which imports this file). */
export interface BatchPool {
  simulate(
    scenario: unknown,
    options: {
      readonly strategies: readonly StrategySpec[];
      readonly pathStart: number;
      readonly paths: number;
      readonly summaryMode: 'exact';
      readonly limits?: RunLimits;
      readonly signal?: AbortSignal;
      readonly onProgress?: (p: { readonly pathsDone: number }) => void;
    },
  ): Promise<{ readonly result: unknown }>;
  close(): Promise<void>;
}

/**
 * Options of the Node {@link optimizeSteering}: those of the library's, with the number of
 * worker threads in place of a batch runner.
 *
 * @category Node
 */
export interface ParallelOptimizeOptions extends Omit<OptimizeOptions, 'runner'> {
  /**
   * Worker threads (default: all cores, `os.availableParallelism()`). With 1 the batches run on
   * the calling thread, which is given a turn of its event loop between batches (so a signal,
   * a timer or Ctrl-C is heard there).
   */
  readonly threads?: number;
}

/** The per-path result of a batch from the pool, which runs it in `exact` mode. */
function perPath(result: unknown): SimulationResult {
  const r = result as SimulationResult;
  if (r.format !== 'carebudget-result')
    throw new SimulationError(`a batch of the search came back as ${String(r.format)}; expected per-path results`);
  return r;
}

/**
 * The Node search: each batch on a pool from `startPool` (started at the first batch, closed at
 * the end), or on the calling thread with `threads: 1`. See `optimizeSteering` in index.ts.
 *
 * @internal
 */
export async function optimizeOnThreads(
  scenario: unknown,
  problem: unknown,
  options: ParallelOptimizeOptions,
  startPool: (options: { readonly threads?: number }) => BatchPool,
): Promise<SteeringOptimization> {
  const { threads: given, ...rest } = options;
  const threads = given === undefined ? undefined : requireCount('threads', given, 1);
  const limits = rest.limits === undefined ? {} : { limits: rest.limits };

  if (threads === 1) {
    const onThisThread: BatchRunner = async (run, strategies, range, hooks) => {
      // A turn of the event loop before each batch: an abort from outside is heard between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return defaultRunner(run, strategies, range, hooks);
    };
    return optimizeOnRunner(scenario, problem, { ...rest, runner: onThisThread });
  }

  let pool: BatchPool | undefined;
  const onPool: BatchRunner = async (run, strategies, range, hooks) => {
    pool ??= startPool(threads === undefined ? {} : { threads });
    const { result } = await pool.simulate(run, {
      strategies,
      pathStart: range.pathStart,
      paths: range.paths,
      summaryMode: 'exact',
      ...limits,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      ...(hooks.onPaths === undefined ? {} : { onProgress: (p) => hooks.onPaths!(p.pathsDone) }),
    });
    return perPath(result);
  };
  try {
    return await optimizeOnRunner(scenario, problem, { ...rest, runner: onPool });
  } finally {
    await pool?.close();
  }
}
