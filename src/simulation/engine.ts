import type { Scenario } from '../scenario/schema';
import type { CalendarEvent, Timeline } from '../scenario/timeline';
import { createWorld, type World } from '../drivers/world';
import {
  activityLinesOf,
  createHistory,
  createLinks,
  writtenArrays,
  type ServiceFigure,
  type ServiceHistory,
  type ServiceInstance,
  type ServiceLinks,
} from '../services/service';
import {
  LookAheadError,
  withDefaultHooks,
  type CompleteStrategyInstance,
  type DecisionContext,
  type StrategyDefinition,
} from '../steering/strategy';
import { allocateResult, resultLabel, type SimulationResult } from './result';
import { checkRunSize, type RunLimits } from './estimate';
import type { Model } from './assemble';
import {
  isLibraryError,
  levelError,
  MAX_BUDGET_KR,
  nonFiniteBudget,
  nonFiniteFigure,
  requireCount,
  SimulationError,
} from './errors';
import { OptionError } from '../errors';
import { scalarOverride } from '../random/control';
import { quantileFor } from '../random/quantiles';
import { describeScope, FormulaError } from '../scenario/formula';
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

/** Receives what happens on a path, for {@link replayPath}. @internal */
export interface Tracer {
  decision(strategy: number, service: number, event: CalendarEvent, budgetKr: number, serviceLevel: number): void;
  pathDone(strategy: number, histories: readonly ServiceHistory[], world: World): void;
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

/** Per strategy and service: yearly ledger plus the context the strategy sees. */
class Ledger implements DecisionContext {
  readonly timeline: Timeline;
  readonly baseline;
  readonly baselineWorld: World;
  readonly history: ServiceHistory;
  readonly adopted: Float64Array;
  readonly opening: Float64Array;
  readonly current: Float64Array;
  readonly actualCost: Float64Array;
  readonly carry: Float64Array;
  yearIndex = 0;
  year = 0;
  date: Date = new Date(0);
  knownPeriods = 0;
  adoptedThrough = 0;
  settledThrough = 0;
  serviceLevel = 1;
  private readonly world: World;
  /**
   * The arrays of the history this ledger clears before each path: all those a service writes
   * when the history is its own, none when it shares the first strategy's (whose ledger clears
   * them).
   */
  private readonly written: readonly Float64Array[];

  /**
   * @param shared - the history of the first strategy's ledger, for a service independent of
   *   the steering: its figures and metrics are shared, the service level is the ledger's own
   */
  constructor(
    timeline: Timeline,
    service: ServiceInstance,
    baselineWorld: World,
    world: World,
    metricCount: number,
    lineCount: number,
    shared?: ServiceHistory,
  ) {
    this.timeline = timeline;
    this.world = world;
    this.baseline = service.baseline;
    this.baselineWorld = baselineWorld;
    // The same shape either way, so the period loop sees one kind of history.
    this.history =
      shared === undefined
        ? createHistory(timeline.periodCount, metricCount, lineCount)
        : {
            // The keys in createHistory's order: one hidden class for every history.
            metrics: shared.metrics,
            serviceLevel: new Float64Array(timeline.periodCount).fill(1),
            neededUnits: shared.neededUnits,
            orderedUnits: shared.orderedUnits,
            deliveredUnits: shared.deliveredUnits,
            costKr: shared.costKr,
            lines: shared.lines,
          };
    this.written = shared === undefined ? writtenArrays(this.history).map((a) => a.values) : [];
    const n = timeline.horizonYears + 1;
    this.adopted = new Float64Array(n);
    this.opening = new Float64Array(n);
    this.current = new Float64Array(n);
    this.actualCost = new Float64Array(n);
    this.carry = new Float64Array(n);
  }

  /**
   * Prepares the ledger for a path. The history's figures, metrics and lines start every path at
   * 0, as on the first: a figure a service leaves unwritten in a period is 0, never the previous
   * path's value, so a path's numbers do not depend on the paths run before it (or on how a run
   * is split into chunks). A shared history is cleared by its owner, before the first strategy
   * steps the service. Built-in services leave some metrics unwritten (the own provider's
   * back-payment), so 0 is the value they rely on, not NaN.
   */
  resetPath(): void {
    this.adoptedThrough = 0;
    this.settledThrough = 0;
    this.serviceLevel = 1;
    this.current.fill(NaN);
    for (let a = 0; a < this.written.length; a++) this.written[a]!.fill(0);
  }

  get currentBudgetKr(): number {
    return this.current[this.yearIndex]!;
  }

  actual(figure: ServiceFigure, period: number): number {
    if (!(period >= 0 && period < this.knownPeriods)) throw new LookAheadError('period', period, this.knownPeriods);
    return this.history[figure][period]!;
  }

  actualSum(figure: ServiceFigure, from: number, to: number): number {
    if (to > this.knownPeriods || from < 0) throw new LookAheadError('period', to - 1, this.knownPeriods);
    const a = this.history[figure];
    let s = 0;
    for (let p = from; p < to; p++) s += a[p]!;
    return s;
  }

  actualLineSum(line: number, figure: 'orderedUnits' | 'deliveredUnits', from: number, to: number): number {
    if (to > this.knownPeriods || from < 0) throw new LookAheadError('period', to - 1, this.knownPeriods);
    const units = this.history.lines[line];
    if (units === undefined)
      throw new OptionError(
        `actualLineSum: line must be an index below ${this.history.lines.length}; received ${String(line)}`,
        { option: 'line', received: line },
      );
    const a = units[figure];
    let s = 0;
    for (let p = from; p < to; p++) s += a[p]!;
    return s;
  }

  adoptedBudgetKr(yearIndex: number): number {
    if (!(yearIndex >= 1 && yearIndex <= this.adoptedThrough))
      throw new LookAheadError('adopted year', yearIndex, this.adoptedThrough);
    return this.adopted[yearIndex]!;
  }

  finalBudgetKr(yearIndex: number): number {
    this.requireSettled(yearIndex);
    return this.current[yearIndex]!;
  }

  actualCostKr(yearIndex: number): number {
    this.requireSettled(yearIndex);
    return this.actualCost[yearIndex]!;
  }

  carryOverKr(yearIndex: number): number {
    this.requireSettled(yearIndex);
    return this.carry[yearIndex]!;
  }

  get serviceLevelNow(): number {
    return this.serviceLevel;
  }

  actualPopulation(yearIndex: number, group: number): number {
    if (yearIndex !== 0) this.requireSettled(yearIndex);
    const G = this.world.groupIds.length;
    if (!(Number.isInteger(group) && group >= 0 && group < G))
      throw new OptionError(`actualPopulation: group must be an index below ${G}; received ${String(group)}`, {
        option: 'actualPopulation: group',
        received: group,
      });
    return this.world.population[yearIndex * G + group]!;
  }

  private requireSettled(yearIndex: number): void {
    if (!(yearIndex >= 1 && yearIndex <= this.settledThrough))
      throw new LookAheadError('settled year', yearIndex, this.settledThrough);
  }
}

/** The four figures a ledger sums at settlement: cost, needed, ordered, delivered. */
const FIGURES = 4;

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

/** The calendar's event kinds as small integers, for the event loop. */
const ADOPT = 0;
const OPEN = 1;
const FOLLOW_UP = 2;
const SETTLE = 3;
const KIND_CODE: Readonly<Record<CalendarEvent['kind'], number>> = {
  adopt: ADOPT,
  open: OPEN,
  followUp: FOLLOW_UP,
  settle: SETTLE,
};

/**
 * Prepares a service for a path. A scenario's formula that gives an unusable value on the path (a
 * trend factor that is not a finite number >= 0) becomes a `NON_FINITE_FIGURE` error naming the
 * service, the path, the year, the formula's field and its parameters' values.
 */
function resetService(service: ServiceInstance, path: number, id: string): void {
  try {
    service.reset(path);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    const input = describeScope(e.scope, Object.keys(e.scope));
    throw new SimulationError(
      `service "${id}" on path ${path}: ${e.message}; replayPath(scenario, ${path}) reproduces it`,
      {
        code: 'NON_FINITE_FIGURE',
        service: id,
        path,
        figure: e.field,
        value: e.value,
        input,
        ...(e.year === undefined ? {} : { year: e.year }),
        cause: e,
      },
    );
  }
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
  const { scenario, timeline, drivers, baselineWorld } = model;
  const pathStart = options.pathStart ?? 0;
  const pathCount = options.paths ?? scenario.paths;
  const chunkSize = options.chunkSize ?? 1000;
  requireCount('pathStart', pathStart, 0);
  requireCount('paths', pathCount, 1);
  requireCount('chunkSize', chunkSize, 1);
  if (strategies.length === 0) throw new SimulationError('strategies: expected at least one strategy; received none');
  const ids = strategies.map((s) => s.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i)
      throw new SimulationError(`strategies: expected unique ids; "${id}" appears twice (give one an id option)`);
  });
  const serviceIds = model.services.map((s) => s.id);
  serviceIds.forEach((id, i) => {
    if (serviceIds.indexOf(id) !== i) throw new SimulationError(`services: expected unique ids; "${id}" appears twice`);
  });
  if (options.signal?.aborted)
    throw new SimulationError('the run was aborted before it started', {
      code: 'ABORTED',
      cause: options.signal.reason,
    });

  const S = strategies.length;
  checkRunSize(scenario, {
    paths: pathCount,
    strategies: S,
    perPathResults: true,
    limits: options.limits,
    services: model.services,
  });
  const V = model.services.length;
  const H = timeline.horizonYears;
  const P = timeline.periodCount;
  const ppy = timeline.periodsPerYear;
  const periodDays = timeline.periodDays;
  const links = createLinks(64, H + 1);
  const inputs = runInputs(
    scenario,
    options.inputs,
    pathStart + pathCount,
    options.observeInputs === undefined ? undefined : { start: pathStart, count: pathCount },
  );
  const setup = { timeline, seed: scenario.seed, baselineWorld, links, interventions: scenario.interventions, inputs };
  const metricDefs = model.services.map((d) => d.metrics ?? []);
  const lines = model.services.map((d) => activityLinesOf(d));
  const metricKeys = model.services.flatMap((d) => (d.metrics ?? []).map((m) => `${d.id}.${m.id}`));
  // Where each service's metrics start among all metric keys.
  const metricOffset = metricDefs.map((_, v) => metricDefs.slice(0, v).reduce((a, m) => a + m.length, 0));
  // A service independent of the steering is reset and stepped once per path, under the first
  // strategy; the others share its figures, its settled sums and the values of its channels.
  const independent = model.services.map((d) => d.independentOfSteering === true);
  const opened = model.services.map((): number[] => []);
  const services = model.services.map((d, v) =>
    d.create(independent[v] ? { ...setup, links: recordingLinks(links, opened[v]!) } : setup),
  );
  checkControlledInputs(scenario, options.inputs?.control, inputs.declared);
  const C = links.values.length;
  /** Per independent service: its channels' values after each period's step, linkTrace[v][p * C + c]. */
  const linkTrace = independent.map((ind) => (ind ? new Float64Array(P * C) : new Float64Array(0)));
  /**
   * Per service: each year's settled sums (4 figures, then its metrics), written when the year
   * settles; a service independent of the steering keeps those of the first strategy.
   */
  const settled = metricDefs.map((defs) => new Float64Array((H + 1) * (FIGURES + defs.length)));
  const world = createWorld(baselineWorld.groupIds, H);
  const ledgers: Ledger[] = [];
  /** Every hook present (the defaults filled in once here), so the period loop calls them as they are. */
  const instances: CompleteStrategyInstance[] = [];
  for (let s = 0; s < S; s++) {
    for (let v = 0; v < V; v++) {
      const shared = s > 0 && independent[v] ? ledgers[v]!.history : undefined;
      const ledger = new Ledger(
        timeline,
        services[v]!,
        baselineWorld,
        world,
        metricDefs[v]!.length,
        lines[v]!.length,
        shared,
      );
      ledgers.push(ledger);
      instances.push(
        withDefaultHooks(
          createStrategy(strategies[s]!, serviceIds[v]!, {
            timeline,
            serviceId: serviceIds[v]!,
            baseline: services[v]!.baseline,
            baselineWorld,
            lines: lines[v]!,
            activityUnit: model.services[v]!.activityUnit,
          }),
          strategies[s]!.id,
        ),
      );
    }
  }
  const result = allocateResult({
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
    metricKeys,
  });
  const fig = result.figures;
  const metricArrays = metricKeys.map((k) => result.metrics[k]!);
  const events: readonly CalendarEvent[] = timeline.events;
  const E = events.length;
  const started = Date.now();

  // The calendar as plain arrays, read on every event.
  const evKind = Int8Array.from(events, (ev) => KIND_CODE[ev.kind]);
  const evYear = Int32Array.from(events, (ev) => ev.yearIndex);
  const evKnown = Int32Array.from(events, (ev) => ev.knownPeriods);
  const evDate = events.map((ev) => ev.date);
  const calendarYears = timeline.years;
  const tracer = options.tracer;

  /**
   * The strategy hook being called ('' between hooks), and the strategy, service and path
   * whose event is being processed, so that an error a hook throws names them.
   */
  let hook = '';
  let atS = 0;
  let atV = 0;
  let atI = 0;

  /** A non-finite budget returned by a hook. */
  /**
   * A budget is a number (never a string or an object coerced) of at most 10¹⁵ kr either way:
   * sums over years, paths and services of such budgets stay finite.
   */
  const budgetOk = (b: unknown): boolean => typeof b === 'number' && b <= MAX_BUDGET_KR && b >= -MAX_BUDGET_KR;
  const budgetError = (value: number, s: number, v: number, i: number, name: string): SimulationError =>
    nonFiniteBudget(value, strategies[s]!, model.services[v]!, name, ledgers[s * V + v]!.year, pathStart + i);

  /** Settles year y for strategy s and service v on path i: the year's sums, then `settle` and `carryOver`, then the result. */
  const settleYear = (s: number, v: number, i: number, y: number, L: Ledger, inst: CompleteStrategyInstance): void => {
    const k = s * V + v;
    const service = model.services[v]!;
    const defs = metricDefs[v]!;
    const M = defs.length;
    const row = settled[v]!;
    const base = y * (FIGURES + M);
    if (s === 0 || !independent[v]) {
      const h = L.history;
      let cost = 0;
      let needed = 0;
      let ordered = 0;
      let delivered = 0;
      for (let p = (y - 1) * ppy; p < y * ppy; p++) {
        cost += h.costKr[p]!;
        needed += h.neededUnits[p]!;
        ordered += h.orderedUnits[p]!;
        delivered += h.deliveredUnits[p]!;
      }
      row[base] = cost;
      row[base + 1] = needed;
      row[base + 2] = ordered;
      row[base + 3] = delivered;
      let all = cost + needed + ordered + delivered;
      for (let m = 0; m < M; m++) {
        const series = h.metrics[m]!;
        let sum = 0;
        if (defs[m]!.aggregate === 'mean') {
          // Weighted by the periods' days, so a year's mean does not depend on the step.
          for (let p = (y - 1) * ppy; p < y * ppy; p++) sum += series[p]! * periodDays[p]!;
          row[base + FIGURES + m] = sum / timeline.yearDays[y]!;
        } else {
          for (let p = (y - 1) * ppy; p < y * ppy; p++) sum += series[p]!;
          row[base + FIGURES + m] = sum;
        }
        all += sum;
      }
      // The numeric guard, once per settled year: x − x is 0 for every finite x, NaN otherwise.
      if (all - all !== 0)
        throw nonFiniteFigure(
          h,
          defs.map((d) => `${service.id}.${d.id}`),
          (y - 1) * ppy,
          y * ppy,
          world,
          y,
          pathStart + i,
          service.id,
          L.year,
        );
    }
    const cost = row[base]!;
    L.actualCost[y] = cost;
    // The year's actuals are known at settlement: settle may read them.
    L.settledThrough = y;
    hook = 'settle';
    const final = inst.settle(L);
    hook = '';
    if (!budgetOk(final)) throw budgetError(final, s, v, i, 'settle');
    L.current[y] = final;
    hook = 'carryOver';
    const carry = inst.carryOver(L);
    hook = '';
    if (!budgetOk(carry)) throw budgetError(carry, s, v, i, 'carryOver');
    L.carry[y] = carry;
    const at = (k * H + (y - 1)) * pathCount + i;
    fig.adoptedBudgetKr[at] = L.adopted[y]!;
    fig.openingBudgetKr[at] = L.opening[y]!;
    fig.finalBudgetKr[at] = final;
    fig.actualCostKr[at] = cost;
    fig.carryOverKr[at] = carry;
    fig.neededUnits[at] = row[base + 1]!;
    fig.orderedUnits[at] = row[base + 2]!;
    fig.deliveredUnits[at] = row[base + 3]!;
    const metricAt = (s * H + (y - 1)) * pathCount + i;
    for (let m = 0; m < M; m++) metricArrays[metricOffset[v]! + m]![metricAt] = row[base + FIGURES + m]!;
  };

  try {
    for (let i = 0; i < pathCount; i++) {
      const path = pathStart + i;
      for (const d of drivers) d.draw(path, world, inputs);
      for (let s = 0; s < S; s++) {
        for (let v = 0; v < V; v++) {
          if (s === 0 || !independent[v]) resetService(services[v]!, path, serviceIds[v]!);
          instances[s * V + v]!.reset();
          ledgers[s * V + v]!.resetPath();
        }
        let e = 0;
        for (let p = 0; p <= P; p++) {
          while (e < E && evKnown[e] === p) {
            const kind = evKind[e]!;
            const y = evYear[e]!;
            for (let v = 0; v < V; v++) {
              const k = s * V + v;
              const L = ledgers[k]!;
              const inst = instances[k]!;
              atS = s;
              atV = v;
              atI = i;
              L.yearIndex = y;
              L.year = calendarYears[y]!;
              L.date = evDate[e]!;
              L.knownPeriods = p;
              if (kind === ADOPT) {
                hook = 'adopt';
                const b = inst.adopt(L);
                hook = '';
                if (!budgetOk(b)) throw budgetError(b, s, v, i, 'adopt');
                L.adopted[y] = b;
                L.current[y] = b;
                L.adoptedThrough = y;
              } else if (kind === OPEN) {
                hook = 'open';
                const b = inst.open(L);
                hook = '';
                if (!budgetOk(b)) throw budgetError(b, s, v, i, 'open');
                L.current[y] = b;
                L.opening[y] = b;
              } else if (kind === FOLLOW_UP) {
                hook = 'followUp';
                const b = inst.followUp(L);
                hook = '';
                if (!budgetOk(b)) throw budgetError(b, s, v, i, 'followUp');
                L.current[y] = b;
              } else {
                settleYear(s, v, i, y, L, inst);
              }
              if (kind !== ADOPT && inst.serviceLevel !== undefined) {
                hook = 'serviceLevel';
                const level = inst.serviceLevel(L);
                hook = '';
                if (!(level >= 0 && level <= 1))
                  throw levelError(level, strategies[s]!, model.services[v]!, L.year, path);
                L.serviceLevel = level;
              }
              if (tracer !== undefined)
                tracer.decision(s, v, events[e]!, kind === ADOPT ? L.adopted[y]! : L.current[y]!, L.serviceLevel);
            }
            e++;
          }
          if (p < P) {
            for (let v = 0; v < V; v++) {
              const L = ledgers[s * V + v]!;
              L.history.serviceLevel[p] = L.serviceLevel;
              if (!independent[v]) {
                services[v]!.step(p, world, L.history);
              } else {
                const trace = linkTrace[v]!;
                const own = opened[v]!;
                if (s === 0) {
                  services[v]!.step(p, world, L.history);
                  for (let k = 0; k < own.length; k++) trace[p * C + own[k]!] = links.values[own[k]!]!;
                } else {
                  for (let k = 0; k < own.length; k++) links.values[own[k]!] = trace[p * C + own[k]!]!;
                }
              }
            }
          }
        }
        if (tracer !== undefined)
          tracer.pathDone(
            s,
            ledgers.slice(s * V, (s + 1) * V).map((L) => L.history),
            world,
          );
      }
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
    // Only an error thrown by a strategy's hook is wrapped: the library's own pass unchanged,
    // except that a read of the future is told where it happened (same class, same code).
    if (hook === '') throw e;
    const strategy = strategies[atS]!.id;
    const service = serviceIds[atV]!;
    const year = ledgers[atS * V + atV]!.year;
    const path = pathStart + atI;
    if (e instanceof LookAheadError && e.strategy === undefined) {
      Object.assign(e, { strategy, hook, service, year, path });
      e.message = `${e.message} in ${hook} of strategy "${strategy}" for service "${service}", year ${year}, path ${path}`;
    }
    if (isLibraryError(e)) throw e;
    const text =
      e instanceof Error
        ? e.message
        : typeof e === 'string'
          ? `it threw the string ${JSON.stringify(e)}`
          : `it threw ${String(e)} (not an Error)`;
    throw new SimulationError(
      `strategy "${strategy}" failed in ${hook} for service "${service}", year ${year}, path ${path}: ${text}`,
      { code: 'STRATEGY_FAILED', strategy, hook, service, year, path, cause: e },
    );
  }
  if (options.observeInputs !== undefined) {
    const seen = inputs as RecordingInputs;
    options.observeInputs({ groups: [...seen.groups], scalars: seen.declared, values: seen.values });
  }
  return result;
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
