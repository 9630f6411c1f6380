import type { Scenario } from '../scenario/schema';
import { createWorld, type World } from '../drivers/world';
import {
  activityLinesOf,
  createLinks,
  type ServiceDefinition,
  type ServiceInstance,
  type ServiceLinks,
} from '../services/service';
import {
  checkedStrategies,
  withDefaultHooks,
  type CompleteStrategyInstance,
  type StrategyDefinition,
} from '../steering/strategy';
import { allocateResult, resultLabel, type SimulationResult } from './result';
import { checkRunSize, type RunLimits } from './estimate';
import type { Model } from './assemble';
import { isLibraryError, requireCount, SimulationError } from './errors';
import { OptionError } from '../errors';
import { Ledger } from './ledger';
import { PathRun, pathSources, thrownText, type Tracer } from './pathRun';
import { scalarOverride } from '../random/control';
import { quantileFor } from '../random/quantiles';
import {
  createInputs,
  RecordingInputs,
  type InputPlan,
  type InputSources,
  type ScalarControl,
  type ScalarInput,
} from '../random/inputs';

/** The input sources of a run: plain unless a plan or control is given; recording when asked. */
function runInputs(
  scenario: Scenario,
  given: RunInputs | undefined,
  end: number,
  record: { start: number; count: number } | undefined,
): InputSources & { readonly declared: readonly ScalarInput[] } {
  const plan = given?.plan;
  if (plan !== undefined) checkPlan(plan);
  const designPaths = given?.designPaths ?? end;
  if (!(Number.isSafeInteger(designPaths) && designPaths >= 1))
    throw new SimulationError(`inputs.designPaths: expected a whole number of paths; received ${String(designPaths)}`, {
      code: 'INVALID_OPTION',
    });
  const override = scalarOverride(scenario.sampling, given?.control, scenario.seed, designPaths, plan);
  const inner = createInputs(plan, override, quantileFor);
  return record === undefined ? inner : new RecordingInputs(inner, record.start, record.count);
}

/** Every input a scenario correlates, or a run fixes, is a scalar input the model declared; correlated ones are uncertain. */
function checkControlledInputs(
  scenario: Scenario,
  control: ScalarControl | undefined,
  declared: readonly ScalarInput[],
): void {
  const names = declared.map((d) => d.name);
  const list = names.length === 0 ? 'this scenario has none' : `expected one of ${names.join(', ')}`;
  scenario.sampling.correlations.forEach((c, k) =>
    c.inputs.forEach((name, i) => {
      const d = declared.find((x) => x.name === name);
      if (d === undefined)
        throw new SimulationError(
          `sampling.correlations[${k}].inputs[${i}]: "${name}" is not a scalar input of this scenario; ${list}`,
          { code: 'INVALID_OPTION' },
        );
      if (typeof d.distribution === 'number')
        throw new SimulationError(
          `sampling.correlations[${k}].inputs[${i}]: "${name}" is known exactly (${d.distribution}); give it a distribution to correlate it`,
          { code: 'INVALID_OPTION' },
        );
    }),
  );
  for (const name of Object.keys(control?.fixed ?? {})) {
    if (!names.includes(name))
      throw new SimulationError(`inputs.control.fixed: "${name}" is not a scalar input of this scenario; ${list}`, {
        code: 'INVALID_OPTION',
      });
    const p = control!.fixed![name];
    if (!(typeof p === 'number' && p >= 0 && p <= 1))
      throw new SimulationError(
        `inputs.control.fixed.${name}: expected a probability in [0, 1]; received ${String(p)}`,
        { code: 'INVALID_OPTION' },
      );
  }
}

function checkPlan(plan: InputPlan): void {
  if (plan === null || typeof plan !== 'object' || (plan.kind !== 'pickFreeze' && plan.kind !== 'twoLevel')) {
    throw new SimulationError(
      `inputs.plan: expected { kind: 'pickFreeze', n, blocks } or { kind: 'twoLevel', inner }; received ${JSON.stringify(plan)}`,
    );
  }
  if (
    plan.kind === 'pickFreeze' &&
    !(Array.isArray(plan.blocks) && plan.blocks.every((b) => Array.isArray(b) && b.every((g) => typeof g === 'string')))
  ) {
    throw new SimulationError('inputs.plan.blocks: expected an array of arrays of input group names');
  }
}

/** Progress of a run, passed to `onProgress`. @category Simulation */
export interface Progress {
  readonly pathsDone: number;
  readonly pathsTotal: number;
  readonly elapsedMs: number;
  /** Paths per second so far. */
  readonly pathsPerSecond: number;
  /** Estimated time left. */
  readonly etaMs: number;
}

/** Options of {@link simulate} and {@link runModel}. @category Simulation */
export interface SimulateOptions {
  /** Strategies to compare (default: the scenario's `strategies`, built in). */
  readonly strategies?: readonly StrategyDefinition[];
  /** First path index (default 0): with `paths`, runs one part of a larger run. */
  readonly pathStart?: number;
  /** Number of paths (default: the scenario's `paths`). */
  readonly paths?: number;
  /** Called after every chunk of paths. */
  readonly onProgress?: (progress: Progress) => void;
  /** Paths between progress reports and abort checks (default 1000). */
  readonly chunkSize?: number;
  /** Stops the run between chunks. */
  readonly signal?: AbortSignal;
  /**
   * Limits of memory and work checked before the run starts (see {@link estimateRun}; default
   * {@link DEFAULT_RUN_LIMITS}): {@link runModel} refuses its paths with `RUN_TOO_LARGE` before
   * any service is created or any path is run.
   */
  readonly limits?: RunLimits;
  /**
   * How the run draws its input groups and scalar inputs (see {@link InputPlan}); the
   * sensitivity analyses set it. Default: every group from the path's own streams.
   */
  readonly inputs?: RunInputs;
  /** @internal */
  readonly tracer?: Tracer;
  /** @internal The buffer the per-path result is written into (of its exact size), instead of a new one. */
  readonly resultBuffer?: ArrayBuffer | SharedArrayBuffer;
  /** @internal Called once after the run with the input groups asked for and the scalar inputs declared. */
  readonly observeInputs?: (seen: {
    readonly groups: readonly string[];
    readonly scalars: readonly ScalarInput[];
    readonly values: readonly Float64Array[];
  }) => void;
}

/**
 * A run's control of its inputs: plain data, so it travels to worker threads.
 *
 * @category Sensitivity
 */
export interface RunInputs {
  /** How paths map to each input group's streams. */
  readonly plan?: InputPlan;
  /** Scalar inputs fixed at probabilities of their distributions. */
  readonly control?: ScalarControl;
  /**
   * The number of paths of the whole run, when this call runs a part of it: a Latin hypercube
   * (the scenario's `sampling.method`) is laid over the whole run. Default: `pathStart + paths`.
   */
  readonly designPaths?: number;
}

/**
 * A progress report: `done` of `total` paths, `startedMs` (from `Date.now()`) when the run began.
 *
 * @internal
 */
export function progressOf(done: number, total: number, startedMs: number): Progress {
  const elapsedMs = Date.now() - startedMs;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  return {
    pathsDone: done,
    pathsTotal: total,
    elapsedMs,
    pathsPerSecond: rate,
    etaMs: rate > 0 ? ((total - done) * 1000) / rate : 0,
  };
}

/** The run's links as one service sees them: records the channels the service opens. */
function recordingLinks(links: ServiceLinks, opened: number[]): ServiceLinks {
  return {
    values: links.values,
    baselineValues: links.baselineValues,
    channel(name: string): number {
      const c = links.channel(name);
      if (!opened.includes(c)) opened.push(c);
      return c;
    },
  };
}

/**
 * Runs paths [pathStart, pathStart + paths) of a model under the given strategies.
 *
 * Every strategy sees the same driver paths and the same service draws (common random
 * numbers), so differences between strategies are the strategies' alone. A path's numbers
 * depend only on the seed and the path index: any split into parts gives the same numbers.
 *
 * @param model - from {@link buildModel}
 * @param strategies - strategy plug-ins (at least one, unique ids)
 * @param options - path range, progress, abort, limits (`strategies` in it is ignored)
 * @returns the partial result of these paths
 * @throws {@link SimulationError} on bad options, a strategy that returns a non-finite budget,
 *   a look-ahead, or an abort; `RUN_TOO_LARGE` before any work when these paths' memory or work
 *   exceeds `options.limits` (default {@link DEFAULT_RUN_LIMITS})
 * @example
 * ```ts
 * const r = runModel(buildModel(parseScenario(lejre2034())), [frame(), activity()], { paths: 100 });
 * r.pathCount; //=> 100
 * ```
 * @category Simulation
 */
export function runModel(
  model: Model,
  strategies: readonly StrategyDefinition[],
  options: Omit<SimulateOptions, 'strategies'> = {},
): SimulationResult {
  const { scenario, timeline, baselineWorld } = model;
  const pathStart = options.pathStart ?? 0;
  const pathCount = options.paths ?? scenario.paths;
  const chunkSize = options.chunkSize ?? 1000;
  requireCount('pathStart', pathStart, 0);
  requireCount('paths', pathCount, 1);
  requireCount('chunkSize', chunkSize, 1);
  checkIds(model, strategies);
  if (options.signal?.aborted)
    throw new SimulationError('the run was aborted before it started', {
      code: 'ABORTED',
      cause: options.signal.reason,
    });
  checkRunSize(scenario, {
    paths: pathCount,
    strategies: strategies.length,
    perPathResults: true,
    limits: options.limits,
    services: model.services,
  });
  const links = createLinks(64, timeline.horizonYears + 1);
  const inputs = runInputs(
    scenario,
    options.inputs,
    pathStart + pathCount,
    options.observeInputs === undefined ? undefined : { start: pathStart, count: pathCount },
  );
  const setup = { timeline, seed: scenario.seed, baselineWorld, links, interventions: scenario.interventions, inputs };
  // A service independent of the steering is reset and stepped once per path, under the first
  // strategy; the others share its figures, its settled sums and the values of its channels.
  const independent = model.services.map((d) => d.independentOfSteering === true);
  const opened = model.services.map((): number[] => []);
  const services = model.services.map((d, v) =>
    createService(d, independent[v] ? { ...setup, links: recordingLinks(links, opened[v]!) } : setup),
  );
  checkControlledInputs(scenario, options.inputs?.control, inputs.declared);
  const world = createWorld(baselineWorld.groupIds, timeline.horizonYears);
  const { ledgers, instances, sharedWith, source } = createLedgers(model, strategies, services, independent, world);
  const result = allocateResult(
    {
      scenario: { name: scenario.name, baseYear: scenario.baseYear, seed: scenario.seed },
      years: timeline.years.slice(1),
      strategies: strategies.map(resultLabel),
      services: model.services.map((s) => ({
        ...resultLabel(s),
        activityUnit: s.activityUnit,
        ...(s.group === undefined ? {} : { group: s.group }),
      })),
      pathStart,
      pathCount,
      metricKeys: model.services.flatMap((d) => (d.metrics ?? []).map((m) => `${d.id}.${m.id}`)),
    },
    options.resultBuffer,
  );
  const run = new PathRun({
    timeline,
    drivers: model.drivers,
    inputs,
    world,
    links,
    strategies,
    definitions: model.services,
    services,
    independent,
    opened,
    sharedWith,
    source,
    ledgers,
    instances,
    result,
    pathStart,
    tracer: options.tracer,
  });
  const started = Date.now();
  try {
    for (let i = 0; i < pathCount; i++) {
      run.run(i);
      if ((i + 1) % chunkSize === 0 || i + 1 === pathCount) {
        options.onProgress?.(progressOf(i + 1, pathCount, started));
        if (options.signal?.aborted && i + 1 < pathCount) {
          throw new SimulationError(`the run was aborted after ${i + 1} of ${pathCount} paths`, {
            code: 'ABORTED',
            cause: options.signal.reason,
          });
        }
      }
    }
  } catch (e) {
    throw run.failure(e);
  }
  if (options.observeInputs !== undefined) {
    const seen = inputs as RecordingInputs;
    options.observeInputs({ groups: [...seen.groups], scalars: seen.declared, values: seen.values });
  }
  return result;
}

/** At least one strategy; the strategies' ids unique, and the services'. */
function checkIds(model: Model, strategies: readonly StrategyDefinition[]): void {
  try {
    checkedStrategies(strategies);
  } catch (e) {
    // A run's options are refused as a SimulationError (INVALID_OPTION), as its other options are.
    if (e instanceof OptionError) throw new SimulationError(e.message, { cause: e });
    throw e;
  }
  const ids = strategies.map((s) => s.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i)
      throw new SimulationError(`strategies: expected unique ids; "${id}" appears twice (give one an id option)`);
  });
  const serviceIds = model.services.map((s) => s.id);
  serviceIds.forEach((id, i) => {
    if (serviceIds.indexOf(id) !== i) throw new SimulationError(`services: expected unique ids; "${id}" appears twice`);
  });
}

/**
 * A ledger and a strategy instance per strategy and service (index `s * V + v`), every hook
 * present (the defaults filled in once here, so the calendar's loop calls them as they are),
 * and for each strategy the strategy whose services' paths it shares (`sharedWith[s]`, `s`
 * itself when it steps its own).
 *
 * A strategy none of whose instances has a `serviceLevel` hook leaves every service at level 1
 * throughout. Its services then run exactly as under any other such strategy: they see the same
 * world, the same draws, the same levels and the same channels. So only the first of these
 * strategies steps them; the later ones share its histories and settled sums and only make
 * their own decisions.
 */
function createLedgers(
  model: Model,
  strategies: readonly StrategyDefinition[],
  services: readonly ServiceInstance[],
  independent: readonly boolean[],
  world: World,
): { ledgers: Ledger[]; instances: CompleteStrategyInstance[]; sharedWith: number[]; source: Int32Array } {
  const { timeline, baselineWorld } = model;
  const V = model.services.length;
  const serviceIds = [...new Set(model.services.flatMap((d) => (d.group === undefined ? [d.id] : [d.id, d.group])))];
  const lines = model.services.map((d) => activityLinesOf(d));
  const instances = strategies.flatMap((strategy) =>
    model.services.map((definition, v) =>
      withDefaultHooks(
        createStrategy(strategy, definition.id, {
          timeline,
          serviceId: definition.id,
          baseline: services[v]!.baseline,
          baselineWorld,
          lines: lines[v]!,
          activityUnit: definition.activityUnit,
          ...(definition.group === undefined ? {} : { group: definition.group }),
          serviceIds,
        }),
        strategy.id,
      ),
    ),
  );
  const levelFree = strategies.map((_, s) => instances.slice(s * V, (s + 1) * V).every((i) => !i.serviceLevel));
  const firstLevelFree = levelFree.indexOf(true);
  const sharedWith = strategies.map((_, s) => (levelFree[s] ? firstLevelFree : s));
  const source = pathSources(sharedWith, independent);
  const ledgers: Ledger[] = [];
  strategies.forEach((_, s) => {
    model.services.forEach((definition, v) => {
      const k = s * V + v;
      const shared = source[k] === k ? undefined : ledgers[source[k]!]!.history;
      ledgers.push(
        new Ledger(
          timeline,
          services[v]!,
          baselineWorld,
          world,
          (definition.metrics ?? []).length,
          lines[v]!.length,
          shared,
        ),
      );
    });
  });
  return { ledgers, instances, sharedWith, source };
}

/** A service's `create`, whose failure (a throw, or no instance) names the service. */
function createService(d: ServiceDefinition, setup: Parameters<ServiceDefinition['create']>[0]): ServiceInstance {
  let instance: ServiceInstance;
  try {
    instance = d.create(setup);
  } catch (e) {
    if (isLibraryError(e)) throw e;
    throw new SimulationError(`service "${String(d.id)}" failed in create: ${thrownText(e)}`, {
      code: 'SERVICE_FAILED',
      service: String(d.id),
      hook: 'create',
      cause: e,
    });
  }
  if (instance === null || typeof instance !== 'object' || typeof instance.step !== 'function')
    throw new SimulationError(
      `service "${String(d.id)}": create returned ${instance === null ? 'null' : typeof instance === 'object' ? 'an object without a step function' : typeof instance}; expected an instance with baseline, reset and step`,
      { code: 'SERVICE_FAILED', service: String(d.id), hook: 'create' },
    );
  return instance;
}

/** A strategy's `create`, whose failure (a throw, or no object) names the strategy and the service. */
function createStrategy(
  strategy: StrategyDefinition,
  serviceId: string,
  setup: Parameters<StrategyDefinition['create']>[0],
): ReturnType<StrategyDefinition['create']> {
  let instance: unknown;
  try {
    instance = strategy.create(setup);
  } catch (e) {
    if (isLibraryError(e)) throw e;
    throw new SimulationError(
      `strategy "${String(strategy.id)}" failed in create for service "${serviceId}": ${e instanceof Error ? e.message : String(e)}`,
      { code: 'STRATEGY_FAILED', strategy: String(strategy.id), hook: 'create', service: serviceId, cause: e },
    );
  }
  if (instance === null || typeof instance !== 'object')
    throw new SimulationError(
      `strategy "${String(strategy.id)}": create returned ${instance === null ? 'null' : typeof instance} for service "${serviceId}"; expected an instance with an adopt hook`,
      { code: 'STRATEGY_FAILED', strategy: String(strategy.id), hook: 'create', service: serviceId },
    );
  return instance as ReturnType<StrategyDefinition['create']>;
}
