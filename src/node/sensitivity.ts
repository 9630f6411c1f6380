/**
 * The sensitivity analyses for Node: their runs on a pool of worker threads, bit for bit the
 * analyses on one thread.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseScenario } from '../scenario/parse';
import { strategySpecSchema, type Scenario, type ScenarioInput, type StrategySpec } from '../scenario/schema';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { StrategyDefinition } from '../steering/strategy';
import type { Progress, RunInputs } from '../simulation/engine';
import type { RunLimits } from '../simulation/estimate';
import type { SimulationResult } from '../simulation/result';
import { SimulationError } from '../simulation/errors';
import { OptionError } from '../errors';
import type {
  RankSensitivityOptions,
  SensitivityOptions,
  SensitivityPlan,
  SensitivityRunOutput,
  SobolSensitivityOptions,
  TornadoSensitivityOptions,
  TwoLevelSensitivityOptions,
} from '../sensitivity/run';
import { strategyModuleExport } from './protocol';
import { staysOnCallingThread } from './threads';

/** What an analysis needs of a pool of worker threads (made in index.ts, which imports this file). @internal */
export interface SensitivityPool {
  /** Runs paths `pathStart` (default 0) to `pathStart + paths` − 1 of a parsed scenario on the pool, in chunks; per-path results. */
  run(
    scenario: Scenario,
    options: {
      readonly strategies?: readonly StrategySpec[];
      readonly strategyModule?: { readonly url: string; readonly exportName: string };
      readonly pathStart?: number;
      readonly paths: number;
      readonly inputs?: RunInputs;
      /** Send back each declared scalar input's value on each path. */
      readonly observe: boolean;
      readonly chunkSize?: number;
      readonly limits?: RunLimits;
      readonly signal?: AbortSignal;
      readonly onProgress?: (progress: Progress) => void;
    },
  ): Promise<{ readonly result: unknown; readonly observed?: readonly Float64Array[] }>;
  close(): Promise<void>;
}

/**
 * What the Node sensitivity analyses take besides their analysis's options: the worker threads,
 * and the strategies as data or as a module the workers import (code cannot cross to a thread).
 *
 * @category Node
 */
export interface ParallelSensitivityOptions {
  /**
   * Worker threads (default: all cores, `os.availableParallelism()`). With 1 the runs stay on
   * the calling thread, which is given a turn of its event loop before each run.
   */
  readonly threads?: number;
  /** Paths per task (default: about eight tasks per thread, between 250 and 25,000). */
  readonly chunkSize?: number;
  /**
   * A run of fewer paths stays on the calling thread. By default the rule of
   * `simulateParallel`: a run under 2,000 paths stays, and with the threads left to their
   * default so does a whole analysis of less estimated work than `MIN_PARALLEL_STEPS` (its
   * runs' paths together), where starting a pool would not pay.
   */
  readonly minParallelPaths?: number;
  /** Built-in strategies as data, as a scenario's `strategies` lists them (default: the scenario's). */
  readonly strategies?: Readonly<NonNullable<ScenarioInput['strategies']>>;
  /**
   * Custom strategies: a module that the workers, and the calling thread, import. Its export
   * `exportName` (default `"strategies"`) is an array of strategies or a function
   * `(scenario) => strategies`.
   */
  readonly strategyModule?: { readonly url: string | URL; readonly exportName?: string };
}

/** Options of the Node `sobolSensitivity`. @category Node */
export interface ParallelSobolOptions extends Omit<SobolSensitivityOptions, 'strategies'>, ParallelSensitivityOptions {}
/** Options of the Node `rankSensitivity`. @category Node */
export interface ParallelRankOptions extends Omit<RankSensitivityOptions, 'strategies'>, ParallelSensitivityOptions {}
/** Options of the Node `twoLevelSensitivity`. @category Node */
export interface ParallelTwoLevelOptions
  extends Omit<TwoLevelSensitivityOptions, 'strategies'>, ParallelSensitivityOptions {}
/** Options of the Node `tornadoSensitivity`. @category Node */
export interface ParallelTornadoOptions
  extends Omit<TornadoSensitivityOptions, 'strategies'>, ParallelSensitivityOptions {}

/** A whole number of at least `min`, or an error naming the option. */
function whole(name: string, value: unknown, min: number): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min))
    throw new OptionError(
      `${name}: expected a whole number of at least ${min}; received ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value)}`,
      { option: name, received: value },
    );
  return value;
}

function toUrl(path: string): URL {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? new URL(path) : pathToFileURL(path);
}

/**
 * The run's strategies: for the calling thread as definitions, for the workers as data (the
 * specs) or as the module they import.
 */
async function strategiesOf(
  scenario: Scenario,
  options: ParallelSensitivityOptions,
): Promise<{
  readonly definitions: readonly StrategyDefinition[];
  readonly sent: Pick<Parameters<SensitivityPool['run']>[1], 'strategies' | 'strategyModule'>;
}> {
  const m = options.strategyModule;
  if (m !== undefined) {
    if (options.strategies !== undefined)
      throw new OptionError('strategies: give strategies or strategyModule, not both', {
        option: 'strategies',
        received: 'both',
      });
    if (m === null || typeof m !== 'object' || !(typeof m.url === 'string' || m.url instanceof URL))
      throw new OptionError('strategyModule: expected { url, exportName? } with the url of a module', {
        option: 'strategyModule',
        received: m,
      });
    const url = (m.url instanceof URL ? m.url : toUrl(m.url)).href;
    const exportName = m.exportName ?? 'strategies';
    let value: unknown;
    try {
      value = await strategyModuleExport(url, exportName, scenario);
    } catch (e) {
      throw new OptionError(
        `strategyModule: ${url} could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
        { option: 'strategyModule', received: url },
      );
    }
    if (!Array.isArray(value))
      throw new OptionError(
        `strategyModule: export "${exportName}" of ${url} must be an array of strategies or a function returning one`,
        { option: 'strategyModule', received: typeof value },
      );
    return { definitions: value as StrategyDefinition[], sent: { strategyModule: { url, exportName } } };
  }
  const given: unknown = options.strategies ?? scenario.strategies;
  if (!Array.isArray(given))
    throw new OptionError('strategies: expected a list of built-in strategy specs, such as { kind: "frame" }', {
      option: 'strategies',
      received: given,
    });
  const specs = given.map((s: unknown, i) => {
    const r = strategySpecSchema.safeParse(s);
    if (!r.success)
      throw new OptionError(
        `strategies[${i}]: expected a built-in strategy spec, such as { kind: "frame" }${typeof (s as { create?: unknown } | null)?.create === 'function' ? '; a strategy with code cannot be sent to worker threads: pass it in strategyModule' : ''}`,
        { option: `strategies[${i}]`, received: s },
      );
    return r.data;
  });
  return { definitions: strategiesFromSpecs(specs), sent: { strategies: specs } };
}

/** A pool's result in per-path form, as the pool gives it for a run in `exact` mode. */
function perPath(result: unknown): SimulationResult {
  const r = result as SimulationResult;
  if (r.format !== 'carebudget-result')
    throw new SimulationError(`a run of the analysis came back as ${String(r.format)}; expected per-path results`);
  return r;
}

/**
 * Runs an analysis's plan: each run on the pool (started at the first run large enough to pay,
 * closed at the end), or on the calling thread with one thread, a run under `minParallelPaths`
 * (default 2,000), or, with the threads left to their default, a whole analysis of less
 * estimated work than `MIN_PARALLEL_STEPS` (see `staysOnCallingThread`). The plan's analysis
 * then makes the result, as on one thread.
 *
 * @internal
 */
export async function sensitivityOnThreads<O extends SensitivityOptions, R>(
  scenario: unknown,
  options: Omit<O, 'strategies'> & ParallelSensitivityOptions,
  plan: (scenario: Scenario, options: O) => SensitivityPlan<R>,
  startPool: (threads: number) => SensitivityPool,
): Promise<R> {
  const { threads: givenThreads, chunkSize, minParallelPaths, strategies: _s, strategyModule: _m, ...rest } = options;
  const threads = whole('threads', givenThreads ?? availableParallelism(), 1);
  if (chunkSize !== undefined) whole('chunkSize', chunkSize, 1);
  if (minParallelPaths !== undefined) whole('minParallelPaths', minParallelPaths, 0);
  const parsed = parseScenario(scenario);
  const { definitions, sent } = await strategiesOf(parsed, options);
  const p = plan(parsed, { ...rest, strategies: definitions } as unknown as O);
  p.check();
  // One pool serves the whole analysis: whether it pays is decided on all its runs' paths.
  const allHere = staysOnCallingThread(
    p.scenario,
    p.runs.reduce((sum, run) => sum + run.paths, 0),
    definitions.length,
    threads,
    minParallelPaths,
    givenThreads === undefined,
  );
  let pool: SensitivityPool | undefined;
  try {
    const outputs: SensitivityRunOutput[] = [];
    for (const run of p.runs) {
      // Each run by the same rule: under 2,000 paths (or `minParallelPaths`) it stays here.
      const here =
        allHere || staysOnCallingThread(p.scenario, run.paths, definitions.length, threads, minParallelPaths, false);
      if (here) {
        // A turn of the event loop before each run here: an abort from outside is heard.
        await new Promise<void>((resolve) => setImmediate(resolve));
        outputs.push(p.runHere(run));
        continue;
      }
      pool ??= startPool(threads);
      const out = await pool.run(p.scenario, {
        ...sent,
        ...(run.pathStart === undefined ? {} : { pathStart: run.pathStart }),
        paths: run.paths,
        ...(run.inputs === undefined ? {} : { inputs: run.inputs }),
        observe: run.observe === true,
        ...(chunkSize === undefined ? {} : { chunkSize }),
        ...(rest.limits === undefined ? {} : { limits: rest.limits }),
        ...(rest.signal === undefined ? {} : { signal: rest.signal }),
        ...(rest.onProgress === undefined ? {} : { onProgress: p.progressOf(run)! }),
      });
      const result = perPath(out.result);
      outputs.push(out.observed === undefined ? { result } : { result, observed: out.observed });
    }
    return p.analyse(outputs);
  } finally {
    await pool?.close();
  }
}
