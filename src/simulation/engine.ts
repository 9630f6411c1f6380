import type { Scenario } from '../scenario/schema';
import { buildTimeline, type CalendarEvent, type Timeline } from '../scenario/timeline';
import { createWorld, type Driver, type World } from '../drivers/world';
import { baselinePopulation, populationDriver } from '../drivers/population';
import { forecastIndex, priceDriver } from '../drivers/prices';
import { activityLinesOf, createHistory, createLinks, type ServiceDefinition, type ServiceFigure, type ServiceHistory, type ServiceInstance, type ServiceLinks } from '../services/service';
import { homeCare } from '../services/homeCare';
import { careHomes } from '../services/careHomes';
import { specialised } from '../services/specialised';
import { LookAheadError, type DecisionContext, type StrategyDefinition, type StrategyInstance } from '../steering/strategy';
import { allocateResult, type SimulationResult } from './result';

/**
 * Everything a run needs besides its strategies: the validated scenario, its timeline, the
 * drivers that draw each path's world, and the services.
 *
 * @category Simulation
 */
export interface Model {
  readonly scenario: Scenario;
  readonly timeline: Timeline;
  readonly drivers: readonly Driver[];
  readonly services: readonly ServiceDefinition[];
  /** Baseline population and forecast price index: what is known ex ante. */
  readonly baselineWorld: World;
}

/** What {@link assembleModel} needs besides the scenario. @internal */
export interface ModelParts {
  /** The population groups' correlation factor (row-major), from `correlationFactor`. */
  readonly correlationFactor: Float64Array;
  readonly drivers?: readonly Driver[];
  readonly services?: readonly ServiceDefinition[];
}

/**
 * Assembles a model from a validated scenario and its precomputed correlation factor, without
 * loading the matrix library: worker threads use this, with the factor computed once by the
 * calling thread.
 *
 * @internal
 */
export function assembleModel(scenario: Scenario, parts: ModelParts): Model {
  const timeline = buildTimeline(scenario);
  const groupIds = scenario.population.groups.map((g) => g.id);
  const baselineWorld = createWorld(groupIds, scenario.horizonYears);
  baselineWorld.population.set(baselinePopulation(scenario.population, scenario.baseYear, scenario.horizonYears));
  baselineWorld.priceIndex.set(forecastIndex(scenario.prices, scenario.horizonYears));
  const drivers = parts.drivers ?? [
    populationDriver(scenario.population, scenario.baseYear, scenario.horizonYears, scenario.seed, parts.correlationFactor),
    priceDriver(scenario.prices, scenario.horizonYears, scenario.seed),
  ];
  const services = parts.services ?? scenarioServices(scenario);
  return { scenario, timeline, drivers, services, baselineWorld };
}

/**
 * The built-in services a scenario describes, in the order they step within a period: care
 * homes before home care, which serves the citizens waiting for a place.
 *
 * @internal
 */
export function scenarioServices(scenario: Scenario): ServiceDefinition[] {
  return [
    ...(scenario.careHomes === undefined ? [] : careHomes(scenario.careHomes)),
    ...(scenario.specialised === undefined ? [] : specialised(scenario.specialised)),
    ...(scenario.homeCare === undefined ? [] : homeCare(scenario.homeCare)),
  ];
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
  /** @internal */
  readonly tracer?: Tracer;
}

/**
 * Thrown when a run is given options it cannot use, a plug-in misbehaves (returns a budget that
 * is not a finite number, reads the future) or the run is aborted.
 *
 * @category Simulation
 */
export class SimulationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulationError';
  }
}

/**
 * Checks a count option: a safe integer of at least `min`, or a {@link SimulationError} naming
 * the option, the value and what was expected.
 *
 * @internal
 */
export function requireCount(name: string, value: number, min: number): number {
  if (!(Number.isSafeInteger(value) && value >= min)) {
    throw new SimulationError(`${name} must be ${min === 0 ? 'a non-negative integer' : `an integer >= ${min}`}; received ${String(value)}`);
  }
  return value;
}

/**
 * A progress report: `done` of `total` paths, `startedMs` (from `Date.now()`) when the run began.
 *
 * @internal
 */
export function progressOf(done: number, total: number, startedMs: number): Progress {
  const elapsedMs = Date.now() - startedMs;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  return { pathsDone: done, pathsTotal: total, elapsedMs, pathsPerSecond: rate, etaMs: rate > 0 ? ((total - done) * 1000) / rate : 0 };
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
   * @param shared - the history of the first strategy's ledger, for a service independent of
   *   the steering: its figures and metrics are shared, the service level is the ledger's own
   */
  constructor(timeline: Timeline, service: ServiceInstance, baselineWorld: World, world: World, metricCount: number, lineCount: number, shared?: ServiceHistory) {
    this.timeline = timeline;
    this.world = world;
    this.baseline = service.baseline;
    this.baselineWorld = baselineWorld;
    // The same shape either way, so the period loop sees one kind of history.
    this.history =
      shared === undefined
        ? createHistory(timeline.periodCount, metricCount, lineCount)
        : {
            metrics: shared.metrics,
            lines: shared.lines,
            serviceLevel: new Float64Array(timeline.periodCount).fill(1),
            neededUnits: shared.neededUnits,
            orderedUnits: shared.orderedUnits,
            deliveredUnits: shared.deliveredUnits,
            costKr: shared.costKr,
          };
    const n = timeline.horizonYears + 1;
    this.adopted = new Float64Array(n);
    this.opening = new Float64Array(n);
    this.current = new Float64Array(n);
    this.actualCost = new Float64Array(n);
    this.carry = new Float64Array(n);
  }

  resetPath(): void {
    this.adoptedThrough = 0;
    this.settledThrough = 0;
    this.serviceLevel = 1;
    this.current.fill(NaN);
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
    if (units === undefined) throw new RangeError(`actualLineSum: line must be an index below ${this.history.lines.length}; received ${String(line)}`);
    const a = units[figure];
    let s = 0;
    for (let p = from; p < to; p++) s += a[p]!;
    return s;
  }

  adoptedBudgetKr(yearIndex: number): number {
    if (!(yearIndex >= 1 && yearIndex <= this.adoptedThrough)) throw new LookAheadError('adopted year', yearIndex, this.adoptedThrough);
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
    if (!(Number.isInteger(group) && group >= 0 && group < G)) throw new RangeError(`actualPopulation: group must be an index below ${G}; received ${String(group)}`);
    return this.world.population[yearIndex * G + group]!;
  }

  private requireSettled(yearIndex: number): void {
    if (!(yearIndex >= 1 && yearIndex <= this.settledThrough)) throw new LookAheadError('settled year', yearIndex, this.settledThrough);
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

function checkBudget(value: number, strategy: StrategyDefinition, service: ServiceDefinition, hook: string, year: number): number {
  if (!Number.isFinite(value)) {
    throw new SimulationError(`strategy "${strategy.id}" returned ${String(value)} from ${hook} for service "${service.id}", year ${year}; expected a finite number of kr`);
  }
  return value;
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
 * @param options - path range, progress, abort (`strategies` in it is ignored)
 * @returns the partial result of these paths
 * @throws {@link SimulationError} on bad options, a strategy that returns a non-finite budget,
 *   a look-ahead, or an abort
 * @example
 * ```ts
 * const r = runModel(buildModel(parseScenario(lejre2034())), [frame(), activity()], { paths: 100 });
 * r.pathCount; //=> 100
 * ```
 * @category Simulation
 */
export function runModel(model: Model, strategies: readonly StrategyDefinition[], options: Omit<SimulateOptions, 'strategies'> = {}): SimulationResult {
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
    if (ids.indexOf(id) !== i) throw new SimulationError(`strategies: expected unique ids; "${id}" appears twice (give one an id option)`);
  });
  const serviceIds = model.services.map((s) => s.id);
  serviceIds.forEach((id, i) => {
    if (serviceIds.indexOf(id) !== i) throw new SimulationError(`services: expected unique ids; "${id}" appears twice`);
  });
  if (options.signal?.aborted) throw new SimulationError('the run was aborted before it started', { cause: options.signal.reason });

  const S = strategies.length;
  const V = model.services.length;
  const H = timeline.horizonYears;
  const P = timeline.periodCount;
  const ppy = timeline.periodsPerYear;
  const links = createLinks(64, H + 1);
  const setup = { timeline, seed: scenario.seed, baselineWorld, links, interventions: scenario.interventions };
  const metricDefs = model.services.map((d) => d.metrics ?? []);
  const lines = model.services.map((d) => activityLinesOf(d));
  const metricKeys = model.services.flatMap((d) => (d.metrics ?? []).map((m) => `${d.id}.${m.id}`));
  // Where each service's metrics start among all metric keys.
  const metricOffset = metricDefs.map((_, v) => metricDefs.slice(0, v).reduce((a, m) => a + m.length, 0));
  // A service independent of the steering is reset and stepped once per path, under the first
  // strategy; the others share its figures, its settled sums and the values of its channels.
  const independent = model.services.map((d) => d.independentOfSteering === true);
  const opened = model.services.map((): number[] => []);
  const services = model.services.map((d, v) => d.create(independent[v] ? { ...setup, links: recordingLinks(links, opened[v]!) } : setup));
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
  const instances: StrategyInstance[] = [];
  for (let s = 0; s < S; s++) {
    for (let v = 0; v < V; v++) {
      const shared = s > 0 && independent[v] ? ledgers[v]!.history : undefined;
      const ledger = new Ledger(timeline, services[v]!, baselineWorld, world, metricDefs[v]!.length, lines[v]!.length, shared);
      ledgers.push(ledger);
      instances.push(strategies[s]!.create({ timeline, serviceId: serviceIds[v]!, baseline: services[v]!.baseline, baselineWorld, lines: lines[v]!, activityUnit: model.services[v]!.activityUnit }));
    }
  }
  const result = allocateResult({
    scenario: { name: scenario.name, baseYear: scenario.baseYear, seed: scenario.seed },
    years: timeline.years.slice(1),
    strategies: strategies.map((s) => ({ id: s.id, label: s.label })),
    services: model.services.map((s) => ({ id: s.id, label: s.label, activityUnit: s.activityUnit, ...(s.group === undefined ? {} : { group: s.group }) })),
    pathStart,
    pathCount,
    metricKeys,
  });
  const fig = result.figures;
  const metricArrays = metricKeys.map((k) => result.metrics[k]!);
  const events: readonly CalendarEvent[] = timeline.events;
  const E = events.length;
  const started = Date.now();

  const handle = (ev: CalendarEvent, s: number, v: number, i: number): void => {
    const k = s * V + v;
    const L = ledgers[k]!;
    const inst = instances[k]!;
    const strategy = strategies[s]!;
    const service = model.services[v]!;
    const y = ev.yearIndex;
    L.yearIndex = y;
    L.year = timeline.years[y]!;
    L.date = ev.date;
    L.knownPeriods = ev.knownPeriods;
    switch (ev.kind) {
      case 'adopt': {
        const b = checkBudget(inst.adopt(L), strategy, service, 'adopt', L.year);
        L.adopted[y] = b;
        L.current[y] = b;
        L.adoptedThrough = y;
        break;
      }
      case 'open':
        L.current[y] = checkBudget(inst.open(L), strategy, service, 'open', L.year);
        L.opening[y] = L.current[y]!;
        break;
      case 'followUp':
        L.current[y] = checkBudget(inst.followUp(L), strategy, service, 'followUp', L.year);
        break;
      case 'settle': {
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
          for (let m = 0; m < M; m++) {
            const series = h.metrics[m]!;
            let sum = 0;
            for (let p = (y - 1) * ppy; p < y * ppy; p++) sum += series[p]!;
            row[base + FIGURES + m] = defs[m]!.aggregate === 'mean' ? sum / ppy : sum;
          }
        }
        const cost = row[base]!;
        L.actualCost[y] = cost;
        // The year's actuals are known at settlement: settle may read them.
        L.settledThrough = y;
        const final = checkBudget(inst.settle(L), strategy, service, 'settle', L.year);
        L.current[y] = final;
        const carry = checkBudget(inst.carryOver(L), strategy, service, 'carryOver', L.year);
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
        break;
      }
    }
    if (inst.serviceLevel !== undefined && ev.kind !== 'adopt') {
      const level = inst.serviceLevel(L);
      if (!(level >= 0 && level <= 1)) {
        throw new SimulationError(`strategy "${strategy.id}" set the service level of "${service.id}" to ${String(level)} in ${L.year}; expected a number in [0, 1]`);
      }
      L.serviceLevel = level;
    }
    if (tracer !== undefined) tracer.decision(s, v, ev, ev.kind === 'adopt' ? L.adopted[y]! : L.current[y]!, L.serviceLevel);
  };
  const tracer = options.tracer;

  for (let i = 0; i < pathCount; i++) {
    const path = pathStart + i;
    for (const d of drivers) d.draw(path, world);
    for (let s = 0; s < S; s++) {
      for (let v = 0; v < V; v++) {
        if (s === 0 || !independent[v]) services[v]!.reset(path);
        instances[s * V + v]!.reset();
        ledgers[s * V + v]!.resetPath();
      }
      let e = 0;
      for (let p = 0; p <= P; p++) {
        while (e < E && events[e]!.knownPeriods === p) {
          for (let v = 0; v < V; v++) handle(events[e]!, s, v, i);
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
      if (tracer !== undefined) tracer.pathDone(s, ledgers.slice(s * V, (s + 1) * V).map((L) => L.history), world);
    }
    if ((i + 1) % chunkSize === 0 || i + 1 === pathCount) {
      options.onProgress?.(progressOf(i + 1, pathCount, started));
      if (options.signal?.aborted && i + 1 < pathCount) {
        throw new SimulationError(`the run was aborted after ${i + 1} of ${pathCount} paths`, { cause: options.signal.reason });
      }
    }
  }
  return result;
}
