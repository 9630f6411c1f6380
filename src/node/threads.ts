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
 * its threads and for compiling the engine in each: on a 2-core machine, two threads took about
 * 1.6 s of wall time and 3 to 4.5 s of CPU more than their share of the work, so on `lejre-2034`
 * they took 0.84 to 1.09 of one thread's wall time at 10,000 paths (for 1.65 times the CPU) and
 * 0.71 to 0.73 at 20,000. This many steps is about 11,500 paths of `lejre-2034` by the estimate,
 * which counts every strategy's step of a service (strategies that share the services' paths
 * cost less, so the estimate runs high for them).
 *
 * @example
 * ```ts
 * MIN_PARALLEL_STEPS / STEPS_PER_MINUTE; //=> 0.25
 * ```
 * @category Node
 */
export const MIN_PARALLEL_STEPS = 1.5e8;

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
 * staysOnCallingThread(lejre, 10_000, lejre.strategies.length, 2, undefined, true); //=> true
 * staysOnCallingThread(lejre, 20_000, lejre.strategies.length, 2, undefined, true); //=> false
 * staysOnCallingThread(lejre, 10_000, lejre.strategies.length, 2, undefined, false); //=> false
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
