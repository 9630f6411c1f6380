/**
 * carebudget/node: the parallel runner for Node, on a worker-thread pool (piscina).
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { parseScenario } from '../scenario/parse';
import { strategySpecSchema, type StrategySpec } from '../scenario/schema';
import { SimulationError, type Progress } from '../simulation/engine';
import { allocateResult, mergeResults, RECORDED_FIGURES, type SimulationResult } from '../simulation/result';
import { simulate } from '../simulation/simulate';
import { mergeSummaries, type RunResult, type StreamingOptions, type SummaryResult } from '../results/streaming';
import { runUntilConverged, simulateSummary, type ConvergenceCriterion, type ConvergenceReport } from '../results/run';
import type { WorkerTask } from './protocol';

/** Options of {@link simulateParallel}. @category Node */
export interface ParallelOptions extends StreamingOptions {
  /** Worker threads (default: all cores, `os.availableParallelism()`). */
  readonly threads?: number;
  /** Built-in strategies as data (default: the scenario's `strategies`). */
  readonly strategies?: readonly StrategySpec[];
  /**
   * Custom strategies: a module that workers import. Its export `exportName` (default
   * `"strategies"`) is an array of strategies or a function `(scenario) => strategies`.
   */
  readonly strategyModule?: { readonly url: string | URL; readonly exportName?: string };
  /** Number of paths (default: the scenario's). */
  readonly paths?: number;
  /** First path (default 0). */
  readonly pathStart?: number;
  /** Paths per task (default: about eight tasks per thread, between 250 and 25,000). */
  readonly chunkSize?: number;
  /** Below this many paths the run stays on the calling thread (default 2,000). */
  readonly minParallelPaths?: number;
  /**
   * `exact`: per-path results; `streaming`: mergeable summaries with bounded memory; `auto`
   * (default): exact unless the per-path results would exceed `memoryBudgetBytes`.
   */
  readonly summaryMode?: 'auto' | 'exact' | 'streaming';
  /** Memory allowed for per-path results in `auto` mode (default 1 GiB). */
  readonly memoryBudgetBytes?: number;
  /** Stop early once a statistic is precise enough. */
  readonly convergence?: ConvergenceCriterion;
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the run: running tasks are cancelled and the workers ended. */
  readonly signal?: AbortSignal;
}

/** The result of {@link simulateParallel}. @category Node */
export interface ParallelResult {
  readonly result: RunResult;
  /** Present when the run had a convergence criterion. */
  readonly convergence?: ConvergenceReport;
  /** Threads used (0 when the run stayed on the calling thread). */
  readonly threads: number;
}

const WORKER_URL = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

let runCounter = 0;

/**
 * Runs a scenario on a pool of worker threads. The numbers are bit-identical to
 * {@link simulate} whatever the number of threads or the chunk size (streams are keyed by path,
 * never by worker); per-path results cross threads by transfer, not copy. Small runs stay on
 * the calling thread.
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
  const pathStart = options.pathStart ?? 0;
  const threads = options.threads ?? availableParallelism();
  if (!(Number.isSafeInteger(threads) && threads >= 1)) throw new SimulationError(`threads must be an integer >= 1; received ${String(threads)}`);
  if (!(Number.isSafeInteger(paths) && paths >= 1)) throw new SimulationError(`paths must be an integer >= 1; received ${String(paths)}`);
  const specs = (options.strategies ?? parsed.strategies).map((s, i) => {
    const r = strategySpecSchema.safeParse(s);
    if (!r.success) {
      const hint = typeof (s as { create?: unknown }).create === 'function' ? ': a strategy with code cannot be sent to worker threads; pass it in strategyModule' : '';
      throw new SimulationError(`strategies[${i}] is not a built-in strategy spec${hint}`);
    }
    return r.data;
  });
  const strategyIds = options.strategyModule === undefined ? specs.map((s) => s.id ?? s.kind) : undefined;
  const S = strategyIds?.length ?? 4;
  const bytesPerPath = S * (parsed.homeCare.units?.length ?? 1) * parsed.horizonYears * RECORDED_FIGURES.length * 8;
  const mode = options.summaryMode === 'exact' || options.summaryMode === 'streaming' ? options.summaryMode : paths * bytesPerPath > (options.memoryBudgetBytes ?? 2 ** 30) ? 'streaming' : 'exact';
  const minParallel = options.minParallelPaths ?? 2000;

  // Small runs, one thread, or code strategies given directly: the calling thread.
  if ((paths < minParallel || threads === 1) && options.strategyModule === undefined && options.convergence === undefined) {
    const base = { strategies: undefined, paths, pathStart, ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}) };
    const strategies = (await import('../steering/fromSpec')).strategiesFromSpecs(specs);
    const result = mode === 'streaming' ? simulateSummary(parsed, { ...options, ...base, strategies }) : simulate(parsed, { ...base, strategies });
    return { result, threads: 0 };
  }

  const runId = `${Date.now()}-${++runCounter}`;
  const strategyTask: WorkerTask['strategies'] =
    options.strategyModule === undefined
      ? { kind: 'specs', specs }
      : { kind: 'module', url: String(options.strategyModule.url instanceof URL ? options.strategyModule.url : toUrl(options.strategyModule.url)), exportName: options.strategyModule.exportName ?? 'strategies' };
  const streaming: StreamingOptions = { ...(options.figures ? { figures: options.figures } : {}), ...(options.thresholds ? { thresholds: options.thresholds } : {}), ...(options.compression ? { compression: options.compression } : {}) };
  const pool = new Piscina({
    filename: WORKER_URL.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    ...(WORKER_URL.pathname.endsWith('.ts') ? { execArgv: ['--import', 'tsx'] } : {}),
  });
  const started = Date.now();
  let done = 0;
  const report = (total: number) => {
    if (options.onProgress === undefined) return;
    const elapsedMs = Date.now() - started;
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    options.onProgress({ pathsDone: done, pathsTotal: total, elapsedMs, pathsPerSecond: rate, etaMs: rate > 0 ? ((total - done) * 1000) / rate : 0 });
  };
  const runRange = async (start: number, count: number, total: number): Promise<RunResult> => {
    const chunk = options.chunkSize ?? Math.min(25_000, Math.max(250, Math.ceil(count / (threads * 8))));
    const tasks: Promise<RunResult>[] = [];
    for (let a = 0; a < count; a += chunk) {
      const n = Math.min(chunk, count - a);
      const task: WorkerTask = { runId, scenario: parsed, strategies: strategyTask, pathStart: start + a, paths: n, mode, streaming };
      tasks.push(
        pool.run(task, options.signal ? { signal: options.signal } : {}).then((out: unknown) => {
          done += n;
          report(total);
          if (mode === 'streaming') return out as SummaryResult;
          const { meta, buffer } = out as { meta: Omit<SimulationResult, 'figures' | 'format' | 'version'>; buffer: ArrayBuffer };
          return allocateResult(meta, buffer);
        }),
      );
    }
    const parts = await Promise.all(tasks);
    return mode === 'streaming' ? mergeSummaries(parts as SummaryResult[]) : mergeResults(parts as SimulationResult[]);
  };
  try {
    if (options.convergence !== undefined) {
      const max = options.convergence.maxPaths ?? paths;
      const merge = (parts: RunResult[]) => (mode === 'streaming' ? mergeSummaries(parts as SummaryResult[]) : mergeResults(parts as SimulationResult[]));
      const { result, convergence } = await runUntilConverged((a, n) => runRange(pathStart + a, n, max), merge, options.convergence, max);
      return { result, convergence, threads };
    }
    return { result: await runRange(pathStart, paths, paths), threads };
  } catch (e) {
    if (options.signal?.aborted) throw new SimulationError(`the run was aborted after ${done} of ${paths} paths`, { cause: options.signal.reason });
    throw new SimulationError(`a worker failed: ${(e as Error).message}`, { cause: e });
  } finally {
    await pool.destroy();
  }
}

function toUrl(path: string): URL {
  return /^[a-z]+:/i.test(path) ? new URL(path) : pathToFileURL(path);
}
