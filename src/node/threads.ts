/**
 * When a run is worth worker threads: one rule for `simulateParallel`, `carebudget run` and the
 * sensitivity analyses on the pool.
 *
 * @module
 */
import type { Scenario } from '../scenario/schema';
import { estimateRun } from '../simulation/estimate';

/**
 * The estimated work (in the run estimate's steps, {@link STEPS_PER_MINUTE} a minute of one core)
 * below which {@link simulateParallel} stays on the calling thread unless `minParallelPaths` is
 * given and the threads are left to their default. A pool started for one run pays for starting
 * its threads and for compiling the engine in each (about 0.45 s of wall time on a 2-core
 * machine): on `lejre-2034`, two threads took 0.85 to 0.88 of one thread's wall time at 5,000
 * paths (for 1.4 times the CPU), 0.74 to 0.81 at 7,500, 0.71 to 0.75 at 10,000 (1.3 times the
 * CPU) and 0.62 to 0.63 at 20,000 (1.15 times). This many steps is about 7,700 paths of
 * `lejre-2034` by the estimate, where two threads save about a fifth of the wall time; the
 * estimate counts every strategy's step of a service (strategies that share the services' paths
 * cost less, so it runs high for them).
 *
 * @example
 * ```ts
 * MIN_PARALLEL_STEPS / STEPS_PER_MINUTE; //=> 1 / 6
 * ```
 * @category Node
 */
export const MIN_PARALLEL_STEPS = 1e8;

/**
 * Whether a run stays on the calling thread: with one thread, below `minParallelPaths` when it
 * is given, else below 2,000 paths, and with the threads left to their default (`byEstimate`)
 * also below {@link MIN_PARALLEL_STEPS} of estimated work: threads asked for are used.
 *
 * @param scenario - the validated scenario
 * @param paths - the run's paths
 * @param strategies - the number of strategies run
 * @param threads - the threads asked for
 * @param minParallelPaths - the caller's floor, if given
 * @param byEstimate - whether the threads are the default (all cores), not asked for
 * @returns true when the run stays on the calling thread
 * @example
 * ```ts
 * const lejre = parseScenario(lejre2034());
 * staysOnCallingThread(lejre, 5_000, lejre.strategies.length, 2, undefined, true); //=> true
 * staysOnCallingThread(lejre, 10_000, lejre.strategies.length, 2, undefined, true); //=> false
 * staysOnCallingThread(lejre, 5_000, lejre.strategies.length, 2, undefined, false); //=> false
 * ```
 * @internal
 */
export function staysOnCallingThread(
  scenario: Scenario,
  paths: number,
  strategies: number,
  threads: number,
  minParallelPaths: number | undefined,
  byEstimate: boolean,
): boolean {
  if (threads === 1) return true;
  if (minParallelPaths !== undefined) return paths < minParallelPaths;
  if (paths < 2000) return true;
  return byEstimate && estimateRun(scenario, { paths, strategies }).steps < MIN_PARALLEL_STEPS;
}
