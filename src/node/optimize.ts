/**
 * `optimizeSteering` for Node: the search's batches on a pool of worker threads, bit for bit
 * the search on one thread.
 */
import {
  optimizeSteering as optimizeOnRunner,
  type BatchRunner,
  type OptimizeOptions,
  type SteeringOptimization,
} from '../optimize/optimize';
import type { SimulationResult } from '../simulation/result';
import type { SteeringProblemError, SteeringProblemInput } from '../optimize/problem';
import { simulate } from '../simulation/simulate';
import { requireCount, SimulationError } from '../simulation/errors';
import { createSimulationPool, type SimulationPool } from './index';

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
 * Searches the steering designs of a problem, as the library's `optimizeSteering` does, with
 * each batch of candidates run on a pool of worker threads: one pool, started at the first
 * batch (a problem refused before any work starts none) and closed when the search ends, fails
 * or is aborted. The result is the same, number for number, whatever the threads: every batch
 * runs the same paths with the same seed, and paths never depend on the thread that runs them.
 *
 * @param scenario - the scenario (validated before any work); its own strategies are ignored
 * @param problem - the problem as written, checked before any work (see {@link SteeringProblemInput})
 * @param options - `threads` (default: all cores; 1 runs on the calling thread), progress,
 *   abort, limits and bootstrap resamples as in the library's `optimizeSteering`
 * @returns the candidates, the best design with its intervals, the frontier and the record
 * @throws {@link ScenarioError} or {@link SteeringProblemError} before any work;
 *   {@link SimulationError} for threads that are not a whole number >= 1, `RUN_TOO_LARGE`
 *   before any work, `ABORTED` on abort (the pool is closed), `WORKER_FAILED` when a worker fails
 * @example
 * ```ts
 * import { optimizeSteering } from 'carebudget/node';
 * const r = await optimizeSteering(
 *   lejre2034(),
 *   {
 *     candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
 *     objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
 *     constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
 *     paths: 5000,
 *   },
 *   { threads: 4 },
 * );
 * r.best; // the chosen design's id
 * ```
 * @category Node
 */
export async function optimizeSteering(
  scenario: unknown,
  problem: unknown,
  options: ParallelOptimizeOptions = {},
): Promise<SteeringOptimization> {
  const { threads: given, ...rest } = options;
  const threads = given === undefined ? undefined : requireCount('threads', given, 1);
  const limits = rest.limits === undefined ? {} : { limits: rest.limits };

  if (threads === 1) {
    const onThisThread: BatchRunner = async (run, strategies, range, hooks) => {
      // A turn of the event loop before each batch: an abort from outside is heard between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return simulate(
        { ...run, strategies },
        {
          pathStart: range.pathStart,
          paths: range.paths,
          ...limits,
          ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
          ...(hooks.onPaths === undefined ? {} : { onProgress: (p) => hooks.onPaths!(p.pathsDone), chunkSize: 100 }),
        },
      );
    };
    return optimizeOnRunner(scenario, problem, { ...rest, runner: onThisThread });
  }

  let pool: SimulationPool | undefined;
  const onPool: BatchRunner = async (run, strategies, range, hooks) => {
    pool ??= createSimulationPool(threads === undefined ? {} : { threads });
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
