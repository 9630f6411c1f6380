/**
 * carebudget/node: the parallel runner for Node, on a worker-thread pool (piscina).
 *
 * @packageDocumentation
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { parseScenario } from '../scenario/parse';
import { strategySpecSchema, type Scenario, type ScenarioInput, type StrategySpec } from '../scenario/schema';
import { correlationFactor } from '../drivers/correlation';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { progressOf, type Progress, type RunInputs } from '../simulation/engine';
import { requireCount, SimulationError } from '../simulation/errors';
import { scenarioServices } from '../simulation/assemble';
import {
  allocateResult,
  copyPartInto,
  mergeResults,
  resultBytesPerPath,
  resultMeta,
  type SimulationResult,
} from '../simulation/result';
import { simulate } from '../simulation/simulate';
import {
  blockPathsOf,
  SummaryMerger,
  type RunResult,
  type StreamingOptions,
  type SummaryTree,
} from '../results/streaming';
import {
  alignedChunk,
  convergeOnBlocks,
  runUntilConverged,
  simulateSummary,
  type ConvergenceCriterion,
  type ConvergenceReport,
} from '../results/run';
import { optimizeOnThreads, type ParallelOptimizeOptions } from './optimize';
import type { SteeringOptimization } from '../optimize/optimize';
import type { SteeringProblemError, SteeringProblemInput } from '../optimize/problem';
import { isCarriedError, strategyModuleExport, type WorkerTask } from './protocol';
import {
  sensitivityOnThreads,
  type ParallelSensitivityOptions,
  type ParallelRankOptions,
  type ParallelSobolOptions,
  type ParallelTornadoOptions,
  type ParallelTwoLevelOptions,
  type SensitivityPool,
} from './sensitivity';
import {
  planRank,
  planSobol,
  planTornado,
  planTwoLevel,
  type RankSensitivity,
  type SobolSensitivity,
  type TornadoSensitivity,
  type TwoLevelSensitivity,
} from '../sensitivity/run';
import {
  planFor,
  shardPlan,
  type SensitivityMethod,
  type SensitivityOptionsOf,
  type SensitivityPart,
  type SensitivityShard,
} from '../sensitivity/shard';
import { checkRunSize, type RunLimits } from '../simulation/estimate';
import { staysOnCallingThread } from './threads';

/** Options of {@link simulateParallel} and {@link SimulationPool.simulate}. @category Node */
export interface ParallelOptions extends StreamingOptions {
  /** Worker threads, for {@link simulateParallel} (default: all cores, `os.availableParallelism()`). */
  readonly threads?: number;
  /** Built-in strategies as data, as a scenario's `strategies` lists them (default: the scenario's). */
  readonly strategies?: Readonly<NonNullable<ScenarioInput['strategies']>>;
  /**
   * Custom strategies: a module that workers import. Its export `exportName` (default
   * `"strategies"`) is an array of strategies or a function `(scenario) => strategies`.
   */
  readonly strategyModule?: { readonly url: string | URL; readonly exportName?: string };
  /** Number of paths (default: the scenario's). */
  readonly paths?: number;
  /** First path (default 0). */
  readonly pathStart?: number;
  /** How the run draws its input groups (see {@link RunInputs}); plain data, sent to every worker. */
  readonly inputs?: RunInputs;
  /**
   * Paths per task (default: about eight tasks per thread, between 250 and 25,000; at most 5,000
   * for streaming summaries, whose tasks are whole blocks of `blockPaths` ending on a block's edge).
   */
  readonly chunkSize?: number;
  /**
   * Below this many paths {@link simulateParallel} stays on the calling thread. By default it
   * stays there below 2,000 paths and, when `threads` is not given, below
   * {@link MIN_PARALLEL_STEPS} steps of estimated work (see {@link estimateRun}), where starting
   * the threads would cost more than they save.
   */
  readonly minParallelPaths?: number;
  /**
   * `exact`: per-path results; `streaming`: mergeable summaries with bounded memory; `auto`
   * (default): exact unless the per-path results would exceed `memoryBudgetBytes`.
   */
  readonly summaryMode?: 'auto' | 'exact' | 'streaming';
  /** Memory allowed for per-path results in `auto` mode (default 1 GiB). */
  readonly memoryBudgetBytes?: number;
  /** Limits of memory and work checked before any work starts (see {@link estimateRun}). */
  readonly limits?: RunLimits;
  /** Stop early once a statistic is precise enough. */
  readonly convergence?: ConvergenceCriterion;
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Stops the run within about a second: {@link simulateParallel} ends the threads it started;
   * a kept pool cancels the run's tasks and stays ready.
   */
  readonly signal?: AbortSignal;
}

export { SimulationError } from '../simulation/errors';
export { estimateRun, DEFAULT_RUN_LIMITS, STEPS_PER_MINUTE } from '../simulation/estimate';
export { MIN_PARALLEL_STEPS, staysOnCallingThread } from './threads';
export type { RunLimits, RunEstimate } from '../simulation/estimate';
export { ScenarioError } from '../scenario/parse';
export { OptionError } from '../errors';
export type { ParallelOptimizeOptions } from './optimize';
export type {
  ParallelSensitivityOptions,
  ParallelSobolOptions,
  ParallelRankOptions,
  ParallelTwoLevelOptions,
  ParallelTornadoOptions,
} from './sensitivity';

/** The result of a parallel run. @category Node */
export interface ParallelResult {
  readonly result: RunResult;
  /** Present when the run had a convergence criterion. */
  readonly convergence?: ConvergenceReport;
  /** Threads used (0 when the run stayed on the calling thread). */
  readonly threads: number;
}

/**
 * A pool of worker threads kept between runs, for notebooks and servers that run many
 * simulations: the threads start once. Close it when done.
 *
 * @category Node
 */
export interface SimulationPool {
  readonly threads: number;
  /** Runs a scenario on the pool; see {@link simulateParallel} for the options and guarantees. */
  simulate(scenario: unknown, options?: Omit<ParallelOptions, 'threads' | 'minParallelPaths'>): Promise<ParallelResult>;
  /** Ends the worker threads. */
  close(): Promise<void>;
}

/**
 * The worker thread's file: next to this module (dist/node/, or src/node/ under tsx), or in
 * node/ beside it when this module is bundled into the command line (dist/cli.js). In the
 * CommonJS build import.meta.url is defined per file from __filename (tsup.config.ts).
 */
function workerUrl(): URL {
  const name = `worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;
  const here = new URL(`./${name}`, import.meta.url);
  const beside = new URL(`./node/${name}`, import.meta.url);
  return !existsSync(fileURLToPath(here)) && existsSync(fileURLToPath(beside)) ? beside : here;
}
let runCounter = 0;

/**
 * The number of strategies the run has: a strategy module is loaded here, as each worker will
 * load it, and its export counted, so that the run's estimate counts the strategies it really
 * runs before any path (a module of 300 strategies needs 75 times the work of four).
 */
/** The run's strategy module as its address and export name (default `strategies`), if it has one. */
function moduleOf(options: ParallelOptions): { url: string; exportName: string } | undefined {
  const m = options.strategyModule;
  if (m === undefined) return undefined;
  return { url: (m.url instanceof URL ? m.url : toUrl(m.url)).href, exportName: m.exportName ?? 'strategies' };
}

async function strategyCountOf(parsed: Scenario, options: ParallelOptions, specs: readonly StrategySpec[]) {
  const m = moduleOf(options);
  if (m === undefined) return specs.length;
  try {
    const value = await strategyModuleExport(m.url, m.exportName, parsed);
    if (Array.isArray(value)) return Math.max(1, value.length);
  } catch {
    // A module that cannot load, or whose export throws, fails the first worker that loads it,
    // which reports it (WORKER_FAILED) before any path.
  }
  // Not an array: the workers refuse it before any path; nothing is estimated for it.
  return 1;
}

function checkedSpecs(parsed: Scenario, options: ParallelOptions): StrategySpec[] {
  return (options.strategies ?? parsed.strategies).map((s, i) => {
    const r = strategySpecSchema.safeParse(s);
    if (!r.success) {
      const hint =
        typeof (s as { create?: unknown }).create === 'function'
          ? `: a strategy with code cannot be sent to worker threads; pass a built-in one as its spec (such as { kind: 'frame' }, its options beside the kind), or a custom one in strategyModule`
          : '';
      throw new SimulationError(`strategies[${i}] is not a built-in strategy spec${hint}`);
    }
    return r.data;
  });
}

/**
 * The streaming-summary options among the run's options (only those given, whatever their
 * value: a bad one is refused where it is used, as on one thread).
 */
function streamingOptions(options: ParallelOptions): StreamingOptions {
  return {
    ...(options.figures === undefined ? {} : { figures: options.figures }),
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.blockPaths === undefined ? {} : { blockPaths: options.blockPaths }),
  };
}

/** Bytes of a per-path result a path of a run of the scenario under `strategyCount` strategies. */
function bytesPerPathOf(parsed: Scenario, strategyCount: number): number {
  return resultBytesPerPath(strategyCount, scenarioServices(parsed), parsed.horizonYears);
}

function summaryModeFor(
  parsed: Scenario,
  paths: number,
  strategyCount: number,
  options: ParallelOptions,
): 'exact' | 'streaming' {
  const mode = options.summaryMode ?? 'auto';
  if (mode !== 'auto' && mode !== 'exact' && mode !== 'streaming')
    throw new SimulationError(`summaryMode must be "auto", "exact" or "streaming"; received ${JSON.stringify(mode)}`);
  const budget = options.memoryBudgetBytes ?? 2 ** 30;
  if (!(Number.isFinite(budget) && budget > 0))
    throw new SimulationError(`memoryBudgetBytes must be a positive number of bytes; received ${String(budget)}`);
  if (mode !== 'auto') return mode;
  return paths * bytesPerPathOf(parsed, strategyCount) > budget ? 'streaming' : 'exact';
}

/**
 * Starts a pool of worker threads that can run many simulations.
 *
 * @param options - `threads` (default: all cores)
 * @returns the pool; call `close()` when done
 * @throws {@link SimulationError} when threads is not an integer >= 1
 * @example
 * ```ts
 * const pool = createSimulationPool();
 * const a = await pool.simulate(scenarioA, { paths: 100_000 });
 * const b = await pool.simulate(scenarioB, { paths: 100_000 });
 * await pool.close();
 * ```
 * @category Node
 */
export function createSimulationPool(options: { readonly threads?: number } = {}): SimulationPool {
  const threads = requireCount('threads', options.threads ?? availableParallelism(), 1);
  const pool = startPool(threads);
  return {
    threads,
    simulate: (scenario, runOptions = {}) => runOnPool(pool, threads, parseScenario(scenario), runOptions, false),
    close: () => pool.close(),
  };
}

/** A Piscina pool of `threads` workers, with a `close` that may be called more than once. */
function startPool(threads: number): Piscina & { close(): Promise<void> } {
  const url = workerUrl();
  const pool = new Piscina({
    filename: url.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    ...(url.pathname.endsWith('.ts') ? { execArgv: ['--import', 'tsx'] } : {}),
  });
  // Piscina emits 'error' for what happens outside a task: a worker that fails while the pool
  // is being destroyed, or a late reply from a worker the pool already dropped. Unheard, the
  // event would end the host process. The run that caused it has already failed with its own
  // error (every task's failure reaches its run), so the event adds nothing to report.
  pool.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return Object.assign(pool, { close: () => (closing ??= pool.destroy().catch(() => undefined)) });
}

/** A thrown value as text: an Error's name and message, a string as it is, anything else as JSON. */
function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (isCarriedError(e)) return e.message;
  if (typeof e === 'string') return e;
  try {
    return `${typeof e === 'object' && e !== null ? 'a non-error object' : `a non-error ${typeof e}`} was thrown: ${JSON.stringify(e) ?? String(e)}`;
  } catch {
    return `a non-error ${typeof e} was thrown`;
  }
}

/**
 * Turns what a task rejected with into the library's error: a {@link SimulationError} from a
 * worker keeps its code and fields (a non-finite figure names its path); anything else becomes
 * `WORKER_FAILED` with the original as its cause.
 */
function workerError(e: unknown): SimulationError {
  if (isCarriedError(e) && e.name === 'SimulationError')
    return new SimulationError(e.message, { ...e.fields, cause: e });
  if (e instanceof SimulationError) return e;
  return new SimulationError(`a worker failed: ${describeThrown(e)}`, { code: 'WORKER_FAILED', cause: e });
}

/**
 * Runs on a pool. A kept pool cancels a run's tasks (Piscina replaces the workers it stops);
 * a pool started for this run only (`ownPool`) is destroyed at once instead, which stops its
 * workers without starting new ones.
 */
async function runOnPool(
  pool: ReturnType<typeof startPool>,
  threads: number,
  parsed: Scenario,
  options: ParallelOptions,
  ownPool: boolean,
  observe = false,
): Promise<ParallelResult & { readonly observed?: readonly Float64Array[] }> {
  const paths = options.paths ?? parsed.paths;
  const pathStart = options.pathStart ?? 0;
  requireCount('paths', paths, 1);
  requireCount('pathStart', pathStart, 0);
  const specs = checkedSpecs(parsed, options);
  const strategyCount = await strategyCountOf(parsed, options, specs);
  const runMode = summaryModeFor(parsed, paths, strategyCount, options);
  // The whole run, before any task is sent: each worker's runModel checks only its chunk.
  const estimate = checkRunSize(parsed, {
    paths: options.convergence?.maxPaths ?? paths,
    strategies: strategyCount,
    perPathResults: runMode === 'exact',
    limits: options.limits,
  });
  const runId = `${process.pid}-${Date.now()}-${++runCounter}`;
  const fromModule = moduleOf(options);
  const strategies: WorkerTask['strategies'] =
    fromModule === undefined ? { kind: 'specs', specs } : { kind: 'module', ...fromModule };
  const streaming = streamingOptions(options);
  const blockPaths = blockPathsOf(options);
  const factor = Array.from(correlationFactor(parsed.population.correlation, parsed.population.groups.length));
  // One controller for the run's tasks: the caller's signal aborts it once, however many
  // chunks the run has, and a failing chunk stops the others (see the lanes).
  const cancel = new AbortController();
  setMaxListeners(threads * 2 + 1, cancel.signal);
  const onAbort = () => {
    cancel.abort(options.signal?.reason);
    if (ownPool) void pool.close();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const started = Date.now();
  let done = 0;
  const report = (total: number) => options.onProgress?.(progressOf(done, total, started));
  // With `observe` (a run without convergence): per declared scalar input, its value on each path.
  const observed: Float64Array[] = [];
  /** Runs paths [start, start + count) in chunks on the pool; per-path parts are copied into one result as they arrive. */
  const runRange = async (
    start: number,
    count: number,
    total: number,
    mode: 'exact' | 'streaming' = runMode,
  ): Promise<RunResult> => {
    // Streaming chunks stay small: a worker holds a chunk's per-path figures until it reduces them.
    const chunk =
      options.chunkSize ??
      Math.min(mode === 'streaming' ? 5_000 : 25_000, Math.max(250, Math.ceil(count / (threads * 8))));
    requireCount('chunkSize', chunk, 1);
    // A streaming chunk ends on a block's edge (about `chunk` paths): the summary is then the
    // same bit for bit whatever the threads and chunk size.
    const chunkAt = (a: number) =>
      mode === 'streaming' ? alignedChunk(start + a, count - a, chunk, blockPaths) : Math.min(chunk, count - a);
    let whole: SimulationResult | undefined;
    // Summaries are merged in path order as they arrive; only those that come early wait.
    const merged = new SummaryMerger();
    let nextStart = start;
    const waiting = new Map<number, SummaryTree>();
    const accept = (out: unknown, n: number, shared: SharedArrayBuffer | undefined) => {
      if (mode === 'streaming') {
        const part = out as SummaryTree;
        waiting.set(part.head.pathStart, part);
        for (let next = waiting.get(nextStart); next !== undefined; next = waiting.get(nextStart)) {
          waiting.delete(nextStart);
          merged.add(next);
          nextStart += next.head.pathCount;
        }
      } else {
        const {
          meta,
          buffer,
          observed: seen,
        } = out as {
          meta: ReturnType<typeof resultMeta>;
          buffer?: ArrayBuffer;
          observed?: readonly Float64Array[];
        };
        // The chunk's figures: transferred, or written into the lane's shared buffer.
        const part = allocateResult(meta, buffer ?? shared);
        whole ??= allocateResult({ ...meta, pathStart: start, pathCount: count });
        copyPartInto(whole, part);
        seen?.forEach((values, k) =>
          (observed[k] ??= new Float64Array(count).fill(NaN)).set(values, part.pathStart - start),
        );
      }
      done += n;
      report(total);
    };
    // Two chunks in flight per thread keep every worker busy; the rest are handed out as
    // chunks finish, so an abort or a failure has little to cancel.
    let nextChunk = 0;
    let failure: unknown;
    let failureAt = Infinity;
    // Exact mode: each lane's chunks are written into one buffer shared with the workers (made
    // anew only when a chunk's size changes), and copied out before the lane's next chunk.
    const bytesPerPath = mode === 'exact' ? estimate.resultBytesPerPath : 0;
    const lane = async (): Promise<void> => {
      let shared: SharedArrayBuffer | undefined;
      while (nextChunk < count && failure === undefined && !cancel.signal.aborted) {
        const a = nextChunk;
        const n = chunkAt(a);
        nextChunk += n;
        if (mode === 'exact' && shared?.byteLength !== n * bytesPerPath)
          shared = new SharedArrayBuffer(n * bytesPerPath);
        const task: WorkerTask = {
          runId,
          scenario: parsed,
          correlationFactor: factor,
          strategies,
          pathStart: start + a,
          paths: n,
          mode,
          streaming,
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(observe ? { observeInputs: true } : {}),
          ...(shared === undefined ? {} : { resultBuffer: shared }),
          inputs: {
            ...options.inputs,
            designPaths: options.inputs?.designPaths ?? pathStart + (options.convergence?.maxPaths ?? paths),
          },
        };
        try {
          accept(await pool.run(task, ownPool ? {} : { signal: cancel.signal }), n, shared);
        } catch (e) {
          // A kept pool reports the failure of the earliest chunk, which is the first failing
          // path's, as on one thread: every earlier chunk was handed out and has settled by then.
          if (failure === undefined || (!ownPool && a < failureAt)) {
            failure = e;
            failureAt = a;
          }
          // A pool of this run only is destroyed at once. A kept pool lets the chunks in flight
          // settle (the lanes stop handing out new ones): cancelling them would end and restart
          // its workers, and their replies would arrive after the run had given up.
          if (ownPool) {
            cancel.abort(e);
            void pool.close();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads * 2, Math.ceil(count / chunk)) }, lane));
    if (failure !== undefined) throw failure;
    if (cancel.signal.aborted) throw cancel.signal.reason;
    return mode === 'streaming' ? merged.result() : whole!;
  };
  try {
    if (options.convergence !== undefined) {
      const max = options.convergence.maxPaths ?? paths;
      const criterion = options.convergence;
      if (runMode === 'streaming') {
        // The batches come back per path and are summarised a whole block at a time here, so the
        // summary is the one of a run in one go.
        const { result, convergence } = await convergeOnBlocks(
          async (a, n) => (await runRange(pathStart + a, n, max, 'exact')) as SimulationResult,
          streaming,
          criterion,
          max,
        );
        return { result, convergence, threads };
      }
      const { result, convergence } = await runUntilConverged(
        (a, n) => runRange(pathStart + a, n, max),
        (parts) => mergeResults(parts as SimulationResult[]),
        criterion,
        max,
      );
      return { result, convergence, threads };
    }
    const result = await runRange(pathStart, paths, paths);
    return observe ? { result, threads, observed } : { result, threads };
  } catch (e) {
    if (options.signal?.aborted)
      throw new SimulationError(`the run was aborted after ${done} of ${paths} paths`, {
        code: 'ABORTED',
        cause: options.signal.reason,
      });
    if (e instanceof SimulationError && e.code === 'RUN_TOO_LARGE') throw e;
    throw workerError(e);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs a scenario on a pool of worker threads started for this run. The numbers are
 * bit-identical to {@link simulate} whatever the number of threads or the chunk size (streams
 * are keyed by path, never by worker); per-path results cross threads by transfer, not copy.
 * Small runs stay on the calling thread. For many runs, keep one pool:
 * {@link createSimulationPool}.
 *
 * @param scenario - a scenario (validated here, before any worker starts)
 * @param options - threads, strategies (as data, or a module for custom ones), summary mode,
 *   memory budget, convergence, progress, abort
 * @returns the result (per-path or streaming), the convergence report if asked for, and the
 *   number of threads used
 * @throws {@link ScenarioError} for an invalid scenario; {@link SimulationError} for bad
 *   options, a failing or crashing worker, or an abort (within a second, with no worker left)
 * @example
 * ```ts
 * import { simulateParallel } from 'carebudget/node';
 * const { result } = await simulateParallel(lejre2034(), { paths: 100_000 });
 * ```
 * @category Node
 */
export async function simulateParallel(scenario: unknown, options: ParallelOptions = {}): Promise<ParallelResult> {
  const parsed = parseScenario(scenario);
  const paths = options.paths ?? parsed.paths;
  const threads = requireCount('threads', options.threads ?? availableParallelism(), 1);
  const specs = checkedSpecs(parsed, options);
  if (
    staysOnCallingThread(
      parsed,
      paths,
      specs.length,
      threads,
      options.minParallelPaths,
      options.threads === undefined,
    ) &&
    options.strategyModule === undefined &&
    options.convergence === undefined
  ) {
    const mode = summaryModeFor(parsed, paths, specs.length, options);
    // simulate (through runModel) and simulateSummary check the run's size against the limits.
    const local = {
      strategies: strategiesFromSpecs(specs),
      paths,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.pathStart === undefined ? {} : { pathStart: options.pathStart }),
      ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    return {
      result:
        mode === 'streaming'
          ? simulateSummary(parsed, { ...local, ...streamingOptions(options) })
          : simulate(parsed, local),
      threads: 0,
    };
  }
  // Refused before any thread starts.
  const strategyCount = await strategyCountOf(parsed, options, specs);
  checkRunSize(parsed, {
    paths: options.convergence?.maxPaths ?? paths,
    strategies: strategyCount,
    perPathResults: summaryModeFor(parsed, paths, strategyCount, options) === 'exact',
    limits: options.limits,
  });
  const pool = startPool(threads);
  try {
    return await runOnPool(pool, threads, parsed, options, true);
  } finally {
    await pool.close();
  }
}

function toUrl(path: string): URL {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? new URL(path) : pathToFileURL(path);
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
export function optimizeSteering(
  scenario: unknown,
  problem: unknown,
  options: ParallelOptimizeOptions = {},
): Promise<SteeringOptimization> {
  return optimizeOnThreads(scenario, problem, options, createSimulationPool);
}

/**
 * A pool for one sensitivity analysis: its runs in `exact` mode, the scalar inputs' values sent
 * back when a run observes them. A failing chunk lets the chunks in flight settle, so that the
 * earliest failing path is the one reported, as on one thread.
 */
function startSensitivityPool(threads: number): SensitivityPool {
  const pool = startPool(threads);
  return {
    run: (parsed, { observe, ...options }) =>
      runOnPool(pool, threads, parsed, { ...options, summaryMode: 'exact' }, false, observe),
    close: () => pool.close(),
  };
}

/**
 * Sobol' indices and attribution shares, as the library's `sobolSensitivity` computes them, with
 * the analysis's paths run on a pool of worker threads in chunks: the result is equal, number
 * for number and interval for interval, to the one-thread analysis (every path's numbers depend
 * on its index alone, never on the thread or the chunk that runs it).
 *
 * @param scenario - a scenario (validated before any work)
 * @param options - the analysis's options (N, groups, output, years, bootstrap, progress,
 *   abort, limits), `threads` (default: all cores; 1 stays on the calling thread), `chunkSize`,
 *   `minParallelPaths` (default 2,000: a smaller run stays on the calling thread), and the
 *   strategies as data or as a module
 * @returns the analysis, as the library's `sobolSensitivity` returns it
 * @throws {@link OptionError} on a bad option, named, before any work; {@link ScenarioError}
 *   for an invalid scenario; {@link SimulationError} `RUN_TOO_LARGE` before any work, `ABORTED`
 *   on abort (the pool is closed), the failing path's error as on one thread, `WORKER_FAILED`
 *   when a worker fails
 * @example
 * ```ts
 * import { sobolSensitivity } from 'carebudget/node';
 * const s = await sobolSensitivity(lejre2034(), { n: 2000, years: [2034], threads: 4 });
 * s.rows; // the indices and shares, as on one thread
 * ```
 * @category Node
 */
export function sobolSensitivity(scenario: unknown, options: ParallelSobolOptions = {}): Promise<SobolSensitivity> {
  return sensitivityOnThreads(scenario, options, planSobol, startSensitivityPool);
}

/**
 * Spearman rank correlations of the scalar inputs with the output, as the library's
 * `rankSensitivity` computes them, with the run's paths on a pool of worker threads in chunks
 * (each chunk sends back its scalar inputs' values with its figures): the same result as on one
 * thread, bootstrap intervals included.
 *
 * @param scenario - a scenario (validated before any work)
 * @param options - the analysis's options (paths, output, years, bootstrap, progress, abort,
 *   limits), `threads`, `chunkSize`, `minParallelPaths`, and the strategies as data or as a module
 * @returns the analysis, as the library's `rankSensitivity` returns it
 * @throws {@link OptionError} on a bad option, named, before any work; {@link ScenarioError}
 *   for an invalid scenario; {@link SimulationError} as {@link sobolSensitivity} does
 * @example
 * ```ts
 * import { rankSensitivity } from 'carebudget/node';
 * const r = await rankSensitivity(lejre2034(), { paths: 20_000, years: [2034], threads: 4 });
 * r.rows; // one correlation per strategy, year and input, as on one thread
 * ```
 * @category Node
 */
export function rankSensitivity(scenario: unknown, options: ParallelRankOptions = {}): Promise<RankSensitivity> {
  return sensitivityOnThreads(scenario, options, planRank, startSensitivityPool);
}

/**
 * The two-level split of each year's variance into structural parameters and year-to-year
 * variability, as the library's `twoLevelSensitivity` computes it, with the outer draws' paths
 * on a pool of worker threads in chunks: the same result as on one thread.
 *
 * @param scenario - a scenario (validated before any work)
 * @param options - the analysis's options (outer and inner draws, output, years, bootstrap,
 *   progress, abort, limits), `threads`, `chunkSize`, `minParallelPaths`, and the strategies as
 *   data or as a module
 * @returns the analysis, as the library's `twoLevelSensitivity` returns it
 * @throws {@link OptionError} on a bad option, named, before any work; {@link ScenarioError}
 *   for an invalid scenario; {@link SimulationError} as {@link sobolSensitivity} does
 * @example
 * ```ts
 * import { twoLevelSensitivity } from 'carebudget/node';
 * const t = await twoLevelSensitivity(lejre2034(), { outer: 500, inner: 20, threads: 4 });
 * t.rows; // one row per strategy and year, as on one thread
 * ```
 * @category Node
 */
export function twoLevelSensitivity(
  scenario: unknown,
  options: ParallelTwoLevelOptions = {},
): Promise<TwoLevelSensitivity> {
  return sensitivityOnThreads(scenario, options, planTwoLevel, startSensitivityPool);
}

/**
 * A tornado of the scalar inputs, as the library's `tornadoSensitivity` computes it: its 2k + 1
 * runs one after the other, each on a pool of worker threads in chunks (one pool for them all):
 * the same result as on one thread.
 *
 * @param scenario - a scenario (validated before any work)
 * @param options - the analysis's options (paths, inputs, percentiles, output, years, progress
 *   of each run, abort, limits), `threads`, `chunkSize`, `minParallelPaths`, and the strategies
 *   as data or as a module
 * @returns the analysis, as the library's `tornadoSensitivity` returns it
 * @throws {@link OptionError} on a bad option, named, before any work; {@link ScenarioError}
 *   for an invalid scenario; {@link SimulationError} as {@link sobolSensitivity} does
 * @example
 * ```ts
 * import { tornadoSensitivity } from 'carebudget/node';
 * const t = await tornadoSensitivity(lejre2034(), { paths: 10_000, years: [2034], threads: 4 });
 * t.rows; // the swings, largest first, as on one thread
 * ```
 * @category Node
 */
export function tornadoSensitivity(
  scenario: unknown,
  options: ParallelTornadoOptions = {},
): Promise<TornadoSensitivity> {
  return sensitivityOnThreads(scenario, options, planTornado, startSensitivityPool);
}

/**
 * Runs one shard of a sensitivity analysis, as the library's `sensitivityPart` does, with the
 * shard's paths on a pool of worker threads in chunks (by the same rule as the analyses here):
 * the K-th of N contiguous blocks of the analysis's paths, its runs' paths laid end to end.
 * Merge the N parts with the library's `mergeSensitivityParts`: the analysis is number for number
 * the one made in one process.
 *
 * @param method - `sobol`, `tornado`, `rank` or `twoLevel`
 * @param scenario - a scenario (validated before any work)
 * @param options - the analysis's options, `threads`, `chunkSize`, `minParallelPaths`, and the
 *   strategies as data or as a module; the limits apply to the shard's paths
 * @param shard - `{ index: K, count: N }`, 1 <= K <= N
 * @returns the part, as the library's `sensitivityPart` returns it
 * @throws {@link OptionError} on a bad method, option or shard, named, before any work;
 *   {@link SimulationError} as {@link sobolSensitivity} does
 * @example
 * ```ts
 * import { sensitivityPart } from 'carebudget/node';
 * const part = await sensitivityPart('sobol', lejre2034(), { n: 20_000 }, { index: 3, count: 8 });
 * writeFileSync('part-3.json', JSON.stringify(sensitivityPartToJSON(part)));
 * ```
 * @category Node
 */
export function sensitivityPart<M extends SensitivityMethod>(
  method: M,
  scenario: unknown,
  options: Omit<SensitivityOptionsOf<M>, 'strategies'> & ParallelSensitivityOptions,
  shard: SensitivityShard,
): Promise<SensitivityPart> {
  return sensitivityOnThreads(
    scenario,
    options,
    (s, o: SensitivityOptionsOf<M>) => shardPlan(method, planFor(method, s, o), shard),
    startSensitivityPool,
  );
}
