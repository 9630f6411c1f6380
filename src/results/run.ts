import { parseScenario } from '../scenario/parse';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { progressOf, runModel, type SimulateOptions } from '../simulation/engine';
import { requireCount, SimulationError } from '../simulation/errors';
import { buildModel } from '../simulation/model';
import { mergeResults, type SimulationResult } from '../simulation/result';
import { quantileSorted } from './statistics';
import {
  Accumulator,
  BlockSummaries,
  strategySlice,
  blockPathsOf,
  checkedSummaryOptions,
  SummaryMerger,
  summaryCell,
  toSummaryResult,
  toSummaryTree,
  type RunResult,
  type StreamingOptions,
  type SummaryResult,
} from './streaming';
import { TDigest } from './tdigest';
import { figureValues, TOTAL, type Figure } from './values';
import { OptionError } from '../errors';
import { checkRunSize } from '../simulation/estimate';

/**
 * Runs a scenario with bounded memory: paths are simulated in chunks, each chunk is reduced to
 * streaming summaries ({@link toSummaryResult}) and merged. Memory depends on the chunk size,
 * not on the number of paths. The numbers of every path are those of {@link simulate}.
 *
 * @param scenario - a scenario (validated here)
 * @param options - as {@link simulate}, plus the streaming options; `chunkSize` (default 10,000)
 *   is about the number of paths held per-path at a time (rounded to whole blocks of
 *   `blockPaths`, and cut at the blocks' edges: the summary is the same bit for bit whatever the
 *   chunk size)
 * @returns the streaming summary of the run
 * @throws {@link ScenarioError} for an invalid scenario; {@link SimulationError} as {@link simulate}
 *   (a run whose work exceeds `limits` is refused before it starts)
 * @example
 * ```ts
 * // About 1.8e10 steps, above the default limit of 1e10: raised knowingly.
 * const summary = simulateSummary({ ...lejre2034(), paths: 1_000_000 }, { limits: { maxSteps: 3e10 } });
 * summarize(summary, { figures: ['treasuryDeviationPct'] });
 * ```
 * @category Results
 */
export function simulateSummary(scenario: unknown, options: SimulateOptions & StreamingOptions = {}): SummaryResult {
  const parsed = parseScenario(scenario);
  const model = buildModel(parsed);
  const strategies = options.strategies ?? strategiesFromSpecs(parsed.strategies);
  const start = options.pathStart ?? 0;
  const total = options.paths ?? parsed.paths;
  const chunk = options.chunkSize ?? 10_000;
  requireCount('chunkSize', chunk, 1);
  requireCount('paths', total, 1);
  const blockPaths = blockPathsOf(options);
  checkedSummaryOptions(options);
  // Memory is bounded by the chunk; the whole run's work is checked before any chunk runs (each
  // chunk's runModel checks only its own paths, against the same limits).
  checkRunSize(parsed, { paths: total, strategies: strategies.length, perPathResults: false, limits: options.limits });
  const started = Date.now();
  const merged = new SummaryMerger();
  for (let done = 0; done < total;) {
    // Chunks end on a block's edge, so the blocks (and the summary) are those of any other split.
    const n = alignedChunk(start + done, total - done, chunk, blockPaths);
    merged.add(
      toSummaryTree(
        runModel(model, strategies, {
          pathStart: start + done,
          paths: n,
          inputs: { ...options.inputs, designPaths: options.inputs?.designPaths ?? start + total },
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
        options,
      ),
    );
    done += n;
    options.onProgress?.(progressOf(done, total, started));
    if (options.signal?.aborted && done < total)
      throw new SimulationError(`the run was aborted after ${done} of ${total} paths`, {
        code: 'ABORTED',
        cause: options.signal.reason,
      });
  }
  return merged.result();
}

/**
 * The paths of the chunk that starts at path `start`, with `left` paths to go: about `chunk`
 * paths, ending on a multiple of `blockPaths` (or at the end), so a chunk never splits a block.
 *
 * @internal
 */
export function alignedChunk(start: number, left: number, chunk: number, blockPaths: number): number {
  const blocks = Math.max(1, Math.round(chunk / blockPaths));
  return Math.min(left, (Math.floor(start / blockPaths) + blocks) * blockPaths - start);
}

/**
 * The statistic a run converges on: the mean or a percentile of one figure for one strategy,
 * service and year.
 *
 * @category Results
 */
export interface StatisticSpec {
  readonly strategy: string;
  readonly service?: string;
  readonly year: number;
  readonly figure: Figure;
  /** Percentile in percent, for example 95; leave out for the mean. */
  readonly percentile?: number;
}

/** An estimate with its Monte Carlo standard error and 95 % interval. @category Results */
export interface StatisticEstimate {
  readonly paths: number;
  readonly estimate: number;
  readonly mcse: number;
  readonly lower: number;
  readonly upper: number;
}

const Z = 1.959963984540054;

function estimateWith(
  quantile: (q: number) => number,
  n: number,
  mean: number,
  sd: number,
  percentile?: number,
): Omit<StatisticEstimate, 'paths'> {
  if (percentile === undefined) {
    const mcse = n > 0 ? sd / Math.sqrt(n) : Infinity;
    return { estimate: mean, mcse, lower: mean - Z * mcse, upper: mean + Z * mcse };
  }
  // Distribution-free interval from the order statistics around the percentile.
  const q = percentile / 100;
  const half = Z * Math.sqrt((q * (1 - q)) / n);
  const lower = quantile(Math.max(0, q - half));
  const upper = quantile(Math.min(1, q + half));
  return { estimate: quantile(q), mcse: (upper - lower) / (2 * Z), lower, upper };
}

/**
 * Estimates a statistic of a result with its Monte Carlo standard error. For the mean: sd/√n.
 * For a percentile: the half-width of the distribution-free 95 % interval from the order
 * statistics at q ± 1.96·√(q(1 − q)/n), divided by 1.96 (from the t-digest for a streaming
 * summary).
 *
 * @param result - a per-path result or a streaming summary
 * @param spec - which statistic
 * @returns the estimate, its standard error and 95 % interval
 * @throws {@link ResultError} for an unknown strategy, service, year or figure
 * @example
 * ```ts
 * estimateStatistic(result, { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr', percentile: 95 });
 * ```
 * @category Results
 */
export function estimateStatistic(result: RunResult, spec: StatisticSpec): StatisticEstimate {
  const service = spec.service ?? TOTAL;
  if (spec.percentile !== undefined && !(spec.percentile > 0 && spec.percentile < 100))
    throw new OptionError(`percentile must be in (0, 100); received ${String(spec.percentile)}`, {
      option: 'percentile',
      received: spec.percentile,
    });
  if (result.format === 'carebudget-result') {
    const sorted = Float64Array.from(
      figureValues(result, { strategy: spec.strategy, service, year: spec.year, figure: spec.figure }),
    ).sort();
    return { paths: sorted.length, ...estimateSorted(sorted, spec.percentile) };
  }
  const cell = summaryCell(result, spec.strategy, service, spec.year, spec.figure);
  const digest = TDigest.fromJSON(cell.digest);
  const sd = cell.n > 1 ? Math.sqrt(cell.m2 / (cell.n - 1)) : 0;
  return { paths: cell.n, ...estimateWith((q) => digest.quantile(q), cell.n, cell.mean, sd, spec.percentile) };
}

function estimateSorted(sorted: Float64Array, percentile?: number): Omit<StatisticEstimate, 'paths'> {
  let mean = 0;
  for (let i = 0; i < sorted.length; i++) mean += (sorted[i]! - mean) / (i + 1);
  let m2 = 0;
  for (let i = 0; i < sorted.length; i++) m2 += (sorted[i]! - mean) ** 2;
  const sd = sorted.length > 1 ? Math.sqrt(m2 / (sorted.length - 1)) : 0;
  return estimateWith((q) => quantileSorted(sorted, q), sorted.length, mean, sd, percentile);
}

/** When a run may stop. @category Results */
export interface ConvergenceCriterion extends StatisticSpec {
  /** Stop once the statistic's Monte Carlo standard error is at most this (in the figure's unit). */
  readonly targetMcse: number;
  /** Paths per batch (default 1,000); the criterion is checked after each batch. */
  readonly batchPaths?: number;
  /** At least this many paths (default 2 batches). */
  readonly minPaths?: number;
  /** At most this many paths (default: the scenario's `paths`). */
  readonly maxPaths?: number;
}

/** How a run converged: whether the target was reached, and the running estimate batch by batch. @category Results */
export interface ConvergenceReport {
  readonly reached: boolean;
  readonly criterion: ConvergenceCriterion;
  readonly final: StatisticEstimate;
  readonly trace: readonly StatisticEstimate[];
}

/**
 * A streaming convergence run's batch as the loop's estimate reads it: the summary of the
 * criterion's strategy and figure only (its cells are those of a summary of every strategy and
 * figure, bit for bit). The run's summary is made from whole blocks instead (see
 * {@link BlockSummaries}), so it is the one any other split of the paths gives.
 *
 * @param part - the batch's per-path result
 * @param options - the run's streaming options
 * @param criterion - the convergence criterion (its strategy and figure)
 * @returns the batch's summary of that strategy and figure
 * @example
 * ```ts
 * const part = simulate({ ...lejre2034(), horizonYears: 2 }, { paths: 20 });
 * batchSummary(part, {}, { strategy: 'frame', year: 2025, figure: 'treasuryDeviationKr', targetMcse: 1 }).figures; //=> ['treasuryDeviationKr']
 * ```
 * @internal
 */
export function batchSummary(
  part: SimulationResult,
  options: StreamingOptions,
  criterion: ConvergenceCriterion,
): SummaryResult {
  return toSummaryResult(strategySlice(part, criterion.strategy), {
    ...options,
    figures: [criterion.figure],
    metrics: [],
  });
}

/**
 * The convergence loop, shared by the single-threaded and the parallel runner: runs batches of
 * paths [0, b), [b, 2b), … until the statistic's standard error reaches the target or the
 * maximum is reached, then merges the batches.
 *
 * @internal
 */
export async function runUntilConverged<T extends RunResult>(
  runBatch: (pathStart: number, paths: number) => T | Promise<T>,
  merge: (parts: T[]) => T,
  criterion: ConvergenceCriterion,
  maxPaths: number,
  onBatch?: (done: number, total: number) => void,
): Promise<{ result: T; convergence: ConvergenceReport }> {
  const batch = criterion.batchPaths ?? 1000;
  const minPaths = criterion.minPaths ?? 2 * batch;
  requireCount('convergence.batchPaths', batch, 2);
  if (!(criterion.targetMcse > 0))
    throw new SimulationError(`convergence.targetMcse must be a number > 0; received ${String(criterion.targetMcse)}`);
  const parts: T[] = [];
  const trace: StatisticEstimate[] = [];
  const service = criterion.service ?? TOTAL;
  let values = new Float64Array(0);
  const acc = new Accumulator([], 200);
  let done = 0;
  let last: StatisticEstimate | undefined;
  while (done < maxPaths) {
    const n = Math.min(batch, maxPaths - done);
    const part = await runBatch(done, n);
    parts.push(part);
    done += n;
    if (part.format === 'carebudget-result') {
      const v = figureValues(part, {
        strategy: criterion.strategy,
        service,
        year: criterion.year,
        figure: criterion.figure,
      });
      const grown = new Float64Array(values.length + v.length);
      grown.set(values);
      grown.set(v, values.length);
      values = grown;
      last = { paths: values.length, ...estimateSorted(Float64Array.from(values).sort(), criterion.percentile) };
    } else {
      acc.mergeData(summaryCell(part, criterion.strategy, service, criterion.year, criterion.figure));
      const sd = acc.n > 1 ? Math.sqrt(acc.m2 / (acc.n - 1)) : 0;
      last = {
        paths: acc.n,
        ...estimateWith((q) => acc.digest.quantile(q), acc.n, acc.mean, sd, criterion.percentile),
      };
    }
    trace.push(last);
    onBatch?.(done, maxPaths);
    if (done >= minPaths && last.mcse <= criterion.targetMcse) break;
  }
  return {
    result: merge(parts),
    convergence: { reached: last!.mcse <= criterion.targetMcse, criterion, final: last!, trace },
  };
}

/**
 * The convergence loop on streaming summaries, shared by the single-threaded and the parallel
 * runner: `runBatch` runs each batch per path; the batches are kept until their blocks are whole
 * and summarised a block at a time ({@link BlockSummaries}), so the summary is the one a run of
 * the same paths makes in one go, and the estimate reads {@link batchSummary}.
 *
 * @param runBatch - runs paths [pathStart, pathStart + paths) and returns their per-path result
 * @param options - the run's streaming options
 * @param criterion - the convergence criterion
 * @param maxPaths - the most paths
 * @param onBatch - called after each batch with the paths done and `maxPaths`
 * @returns the summary of the paths run and the convergence report
 * @example
 * ```ts
 * const model = buildModel(parseScenario(lejre2034()));
 * const criterion = { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr', targetMcse: 1e6 } as const;
 * await convergeOnBlocks((pathStart, paths) => runModel(model, [frame()], { pathStart, paths }), {}, criterion, 5000);
 * ```
 * @internal
 */
export function convergeOnBlocks(
  runBatch: (pathStart: number, paths: number) => SimulationResult | Promise<SimulationResult>,
  options: StreamingOptions,
  criterion: ConvergenceCriterion,
  maxPaths: number,
  onBatch?: (done: number, total: number) => void,
): Promise<{ result: SummaryResult; convergence: ConvergenceReport }> {
  const blocks = new BlockSummaries(options);
  return runUntilConverged(
    async (a, n) => {
      const part = await runBatch(a, n);
      blocks.add(part);
      return batchSummary(part, options, criterion);
    },
    () => blocks.result(),
    criterion,
    maxPaths,
    onBatch,
  );
}

/**
 * Runs a scenario in batches until a statistic is known precisely enough: for example until the
 * Monte Carlo standard error of P95 of the 2034 overrun is below 0.1 m kr, with at
 * most the scenario's `paths`.
 *
 * @param scenario - a scenario (validated here)
 * @param options - the criterion, strategies, and `summaryMode` (`exact`, default: per-path
 *   results; `streaming`: bounded memory)
 * @returns the merged result and the convergence report (reached or not, the final estimate and
 *   the trace of running estimates with their intervals)
 * @throws {@link ScenarioError} for an invalid scenario; {@link SimulationError} for a bad criterion
 * @example
 * ```ts
 * const { result, convergence } = await simulateUntilConverged(lejre2034(), {
 *   convergence: { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr', percentile: 95, targetMcse: 100_000 },
 * });
 * ```
 * @category Results
 */
export async function simulateUntilConverged(
  scenario: unknown,
  options: Omit<SimulateOptions, 'pathStart' | 'paths'> &
    StreamingOptions & { readonly convergence: ConvergenceCriterion; readonly summaryMode?: 'exact' | 'streaming' },
): Promise<{ result: RunResult; convergence: ConvergenceReport }> {
  const parsed = parseScenario(scenario);
  const model = buildModel(parsed);
  const strategies = options.strategies ?? strategiesFromSpecs(parsed.strategies);
  const maxPaths = options.convergence.maxPaths ?? parsed.paths;
  const started = Date.now();
  const progress = (done: number, total: number) => options.onProgress?.(progressOf(done, total, started));
  const runExact = (pathStart: number, paths: number): SimulationResult => {
    if (options.signal?.aborted)
      throw new SimulationError(`the run was aborted after ${pathStart} paths`, {
        code: 'ABORTED',
        cause: options.signal.reason,
      });
    return runModel(model, strategies, {
      pathStart,
      paths,
      inputs: { ...options.inputs, designPaths: options.inputs?.designPaths ?? maxPaths },
    });
  };
  if (options.summaryMode === 'streaming')
    return convergeOnBlocks(runExact, options, options.convergence, maxPaths, progress);
  return runUntilConverged(runExact, mergeResults, options.convergence, maxPaths, progress);
}
