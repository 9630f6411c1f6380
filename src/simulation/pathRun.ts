import type { CalendarEvent, Timeline } from '../scenario/timeline';
import type { Driver, World } from '../drivers/world';
import type { ServiceDefinition, ServiceHistory, ServiceInstance, ServiceLinks } from '../services/service';
import {
  followUpKeepsBudget,
  LookAheadError,
  type CompleteStrategyInstance,
  type StrategyDefinition,
} from '../steering/strategy';
import type { InputSources } from '../random/inputs';
import { describeScope, FormulaError } from '../scenario/formula';
import type { SimulationResult } from './result';
import { FIGURES, Ledger } from './ledger';
import { isLibraryError, levelError, MAX_BUDGET_KR, nonFiniteBudget, nonFiniteFigure, SimulationError } from './errors';

/** Receives what happens on a path, for {@link replayPath}. @internal */
export interface Tracer {
  decision(strategy: number, service: number, event: CalendarEvent, budgetKr: number, serviceLevel: number): void;
  pathDone(strategy: number, histories: readonly ServiceHistory[], world: World): void;
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
 * How the period loop steps a service under a strategy: its own step; the first strategy's step
 * of a service independent of the steering (its channels traced); that step's channels replayed;
 * or not at all, under a strategy that shares another's paths (see `sharedWith`).
 */
const OWN_STEP = 0;
const TRACED_STEP = 1;
const REPLAYED_STEP = 2;
const SHARED_STEP = 3;

/**
 * For each strategy and service (`s * V + v`), the one whose path it reads: itself when it steps
 * the service and sums its years; under a strategy that shares another's paths, that strategy's
 * (see {@link PathRunParts.sharedWith}); for a service independent of the steering under a later
 * strategy, the first strategy's. The ledgers' histories and the settled sums follow it.
 *
 * @param sharedWith - per strategy, the strategy whose paths it shares (itself if none)
 * @param independent - per service, whether it is independent of the steering
 * @returns per strategy and service, the index whose path it reads
 * @example
 * ```ts
 * // Two services, the second independent; the third strategy shares the second's paths.
 * Array.from(pathSources([0, 1, 1], [false, true])); //=> [0, 1, 2, 1, 2, 1]
 * ```
 * @internal
 */
export function pathSources(sharedWith: readonly number[], independent: readonly boolean[]): Int32Array {
  const V = independent.length;
  const source = new Int32Array(sharedWith.length * V);
  for (let k = 0; k < source.length; k++) {
    const s = Math.floor(k / V);
    const v = k % V;
    // Strategies share with an earlier one, whose source is set already.
    source[k] = sharedWith[s] !== s ? source[sharedWith[s]! * V + v]! : s > 0 && independent[v] ? v : k;
  }
  return source;
}

/**
 * A budget is a number (never a string or an object coerced) of at most 10¹⁵ kr either way: sums
 * over years, paths and services of such budgets stay finite.
 */
function budgetOk(b: unknown): boolean {
  return typeof b === 'number' && b <= MAX_BUDGET_KR && b >= -MAX_BUDGET_KR;
}

/** What a {@link PathRun} is made of: built by `runModel` once per run. */
export interface PathRunParts {
  readonly timeline: Timeline;
  readonly drivers: readonly Driver[];
  readonly inputs: InputSources;
  readonly world: World;
  readonly links: ServiceLinks;
  readonly strategies: readonly StrategyDefinition[];
  readonly definitions: readonly ServiceDefinition[];
  readonly services: readonly ServiceInstance[];
  /** Per service: whether it is independent of the steering, and the channels it opened. */
  readonly independent: readonly boolean[];
  readonly opened: readonly (readonly number[])[];
  /**
   * Per strategy: the strategy whose services' paths it shares (its own index when it steps
   * them itself). A strategy that never sets a service level shares those of the first such
   * strategy: its ledgers read that strategy's histories and settled sums.
   */
  readonly sharedWith: readonly number[];
  /** Per strategy and service (`s * V + v`): the index whose path it reads ({@link pathSources}). */
  readonly source: Int32Array;
  /** Per strategy and service (`s * V + v`): the ledger and the strategy's instance. */
  readonly ledgers: readonly Ledger[];
  readonly instances: readonly CompleteStrategyInstance[];
  readonly result: SimulationResult;
  readonly pathStart: number;
  readonly tracer: Tracer | undefined;
}

/**
 * One path at a time, under every strategy in turn: the drivers draw the path's world; each
 * strategy's ledgers and services are reset; then the budget calendar is walked, the services
 * stepped through the periods between its events, and each event's hook called for every
 * service; a settled year goes to the result. A strategy that shares another's paths (it never
 * sets a service level; see `PathRunParts.sharedWith`) resets and steps no service: it walks the
 * calendar on the histories of the strategy it shares them with.
 *
 * The hook being called and the strategy, service and path it is called for are kept, so that
 * {@link PathRun.failure} can say where an error a hook threw happened.
 *
 * @internal
 */
export class PathRun {
  private readonly parts: PathRunParts;
  private readonly S: number;
  private readonly V: number;
  private readonly H: number;
  private readonly ppy: number;
  private readonly pathCount: number;
  private readonly world: World;
  private readonly services: readonly ServiceInstance[];
  private readonly ledgers: readonly Ledger[];
  private readonly instances: readonly CompleteStrategyInstance[];
  private readonly histories: readonly ServiceHistory[];
  /** Per strategy and service: OWN_STEP, TRACED_STEP, REPLAYED_STEP or SHARED_STEP. */
  private readonly stepKind: Int8Array;
  /**
   * Per strategy and service: 1 when a follow-up changes nothing (the default `followUp`, no
   * `serviceLevel`) and no tracer watches, so the hook is not called.
   */
  private readonly idleFollowUp: Uint8Array;
  /** Per service independent of the steering: its channels' values after each period's step, `linkTrace[v][p * C + c]`. */
  private readonly linkTrace: readonly Float64Array[];
  /** Each channel's base-year baseline: its value before a path's first period. */
  private readonly linkStart: Float64Array;
  /**
   * Per strategy and service (`s * V + v`): each year's settled sums (4 figures, then its
   * metrics), written when the year settles. A service independent of the steering reads those
   * of the first strategy, and a strategy that shares another's paths those of that strategy:
   * the same array.
   */
  private readonly settled: readonly Float64Array[];
  private readonly metricArrays: readonly (readonly Float64Array[])[];
  // The calendar as plain arrays, read at every event.
  private readonly evKind: Int8Array;
  private readonly evYear: Int32Array;
  private readonly evKnown: Int32Array;
  private readonly evDate: readonly Date[];
  private readonly calendarYears: Int32Array;
  /** The result's figures, one array each, written when a year settles. */
  private readonly figures: SimulationResult['figures'];
  /** The hook being called ('' between hooks), and the ledger (`s * V + v`) and path index it is called for. */
  private hook = '';
  private atK = 0;
  private atI = 0;

  constructor(parts: PathRunParts) {
    this.parts = parts;
    const { timeline, result } = parts;
    this.S = parts.strategies.length;
    this.V = parts.services.length;
    this.H = timeline.horizonYears;
    this.ppy = timeline.periodsPerYear;
    this.pathCount = result.pathCount;
    this.world = parts.world;
    this.services = parts.services;
    this.ledgers = parts.ledgers;
    this.instances = parts.instances;
    this.histories = parts.ledgers.map((L) => L.history);
    this.idleFollowUp = Uint8Array.from(parts.instances, (inst) =>
      parts.tracer === undefined && followUpKeepsBudget(inst) && inst.serviceLevel === undefined ? 1 : 0,
    );
    this.stepKind = Int8Array.from(parts.ledgers, (_, k) => {
      const v = k % this.V;
      const s = Math.floor(k / this.V);
      if (parts.sharedWith[s] !== s) return SHARED_STEP;
      return !parts.independent[v] ? OWN_STEP : k < this.V ? TRACED_STEP : REPLAYED_STEP;
    });
    const P = timeline.periodCount;
    const C = parts.links.values.length;
    this.linkStart = Float64Array.from({ length: C }, (_, c) => parts.links.baselineValues(c)[0] ?? 0);
    this.linkTrace = parts.independent.map((ind) => (ind ? new Float64Array(P * C) : new Float64Array(0)));
    const source = parts.source;
    const settled: Float64Array[] = [];
    for (let k = 0; k < source.length; k++) {
      const metrics = (parts.definitions[k % this.V]!.metrics ?? []).length;
      settled.push(source[k] === k ? new Float64Array((this.H + 1) * (FIGURES + metrics)) : settled[source[k]!]!);
    }
    this.settled = settled;
    this.metricArrays = parts.definitions.map((d) => (d.metrics ?? []).map((m) => result.metrics[`${d.id}.${m.id}`]!));
    const events = timeline.events;
    this.evKind = Int8Array.from(events, (ev) => KIND_CODE[ev.kind]);
    this.evYear = Int32Array.from(events, (ev) => ev.yearIndex);
    this.evKnown = Int32Array.from(events, (ev) => ev.knownPeriods);
    this.evDate = events.map((ev) => ev.date);
    this.calendarYears = Int32Array.from(timeline.years);
    this.figures = { ...result.figures };
  }

  /** Runs path `pathStart + i` under every strategy, writing its index i of the result. */
  run(i: number): void {
    const path = this.parts.pathStart + i;
    this.atI = i;
    for (const d of this.parts.drivers) d.draw(path, this.world, this.parts.inputs);
    for (let s = 0; s < this.S; s++) this.runStrategy(s, i, path);
  }

  /** The path under strategy s: its calendar's events in order, the periods between them stepped. */
  private runStrategy(s: number, i: number, path: number): void {
    const V = this.V;
    const ids = this.parts.definitions;
    for (let v = 0; v < V; v++) {
      const k = s * V + v;
      if (this.stepKind[k]! <= TRACED_STEP) {
        try {
          resetService(this.services[v]!, path, ids[v]!.id);
        } catch (e) {
          throw this.serviceFailure(e, 'reset', s, v, -1);
        }
      }
      this.instances[k]!.reset();
      this.ledgers[k]!.resetPath();
    }
    const E = this.evKind.length;
    // A strategy that shares another's paths steps nothing: it walks its calendar only.
    const P = this.parts.sharedWith[s] !== s ? 0 : this.parts.timeline.periodCount;
    // The channels start every stepped path from their baselines, whatever ran before it.
    if (P > 0) this.parts.links.values.set(this.linkStart);
    let p = 0;
    for (let e = 0; e < E; e++) {
      const known = this.evKnown[e]!;
      if (known > p && P > 0) {
        this.stepPeriods(s, p, known);
        p = known;
      }
      this.decide(s, e, i);
    }
    if (p < P) this.stepPeriods(s, p, P);
    const tracer = this.parts.tracer;
    if (tracer !== undefined) tracer.pathDone(s, this.histories.slice(s * V, (s + 1) * V), this.world);
  }

  /**
   * Steps every service through periods [from, to) under strategy s, in period order and, within
   * a period, in the services' order (a service reads the channels of those before it).
   *
   * This is the hot loop, and the one place written for the optimiser: the fields it reads are
   * copied into locals first, because V8 cannot keep a field in a register across a call into a
   * service it cannot see into, and the service level in force (which changes only at a
   * calendar event, never between two) is read once for the whole stretch.
   */
  private stepPeriods(s: number, from: number, to: number): void {
    const V = this.V;
    const base = s * V;
    const world = this.world;
    const services = this.services;
    const histories = this.histories;
    const stepKind = this.stepKind;
    // The loop's place, outside the try, so that a service that throws is named with its period.
    let p = from;
    let v = 0;
    try {
      if (V === 1 && stepKind[base] === OWN_STEP) {
        const service = services[0]!;
        const history = histories[base]!;
        const levels = history.serviceLevel;
        const level = this.ledgers[base]!.serviceLevel;
        for (p = from; p < to; p++) {
          levels[p] = level;
          service.step(p, world, history);
        }
        return;
      }
      for (p = from; p < to; p++) {
        for (v = 0; v < V; v++) {
          const history = histories[base + v]!;
          history.serviceLevel[p] = this.ledgers[base + v]!.serviceLevel;
          const kind = stepKind[base + v]!;
          if (kind === OWN_STEP) services[v]!.step(p, world, history);
          else this.stepIndependent(kind, v, p, history);
        }
      }
    } catch (e) {
      throw this.serviceFailure(e, 'step', s, v, p);
    }
  }

  /** A service independent of the steering: stepped under the first strategy, its channels traced, and replayed from the trace under the others. */
  private stepIndependent(kind: number, v: number, p: number, history: ServiceHistory): void {
    const trace = this.linkTrace[v]!;
    const own = this.parts.opened[v]!;
    const values = this.parts.links.values;
    const C = values.length;
    if (kind === TRACED_STEP) {
      this.services[v]!.step(p, this.world, history);
      for (let c = 0; c < own.length; c++) trace[p * C + own[c]!] = values[own[c]!]!;
    } else {
      for (let c = 0; c < own.length; c++) values[own[c]!] = trace[p * C + own[c]!]!;
    }
  }

  /** Calendar event e under strategy s: every service's hook, then its service level. */
  private decide(s: number, e: number, i: number): void {
    const V = this.V;
    const kind = this.evKind[e]!;
    const y = this.evYear[e]!;
    const known = this.evKnown[e]!;
    const date = this.evDate[e]!;
    const year = this.calendarYears[y]!;
    const tracer = this.parts.tracer;
    for (let v = 0; v < V; v++) {
      const k = s * V + v;
      if (kind === FOLLOW_UP && this.idleFollowUp[k] === 1) continue;
      const L = this.ledgers[k]!;
      const inst = this.instances[k]!;
      this.atK = k;
      L.yearIndex = y;
      L.year = year;
      L.date = date;
      L.knownPeriods = known;
      if (kind === ADOPT) {
        const b = this.budget(k, 'adopt', inst.adopt(this.calling(L, 'adopt')));
        L.adopted[y] = b;
        L.current[y] = b;
        L.adoptedThrough = y;
      } else if (kind === OPEN) {
        const b = this.budget(k, 'open', inst.open(this.calling(L, 'open')));
        L.current[y] = b;
        L.opening[y] = b;
      } else if (kind === FOLLOW_UP) {
        L.current[y] = this.budget(k, 'followUp', inst.followUp(this.calling(L, 'followUp')));
      } else {
        this.settle(s, v, i, y, L, inst);
      }
      if (kind !== ADOPT && inst.serviceLevel !== undefined) {
        const level = inst.serviceLevel(this.calling(L, 'serviceLevel'));
        this.hook = '';
        if (!(level >= 0 && level <= 1))
          throw levelError(
            level,
            this.parts.strategies[s]!,
            this.parts.definitions[v]!,
            L.year,
            this.parts.pathStart + i,
          );
        L.serviceLevel = level;
      }
      if (tracer !== undefined)
        tracer.decision(
          s,
          v,
          this.parts.timeline.events[e]!,
          kind === ADOPT ? L.adopted[y]! : L.current[y]!,
          L.serviceLevel,
        );
    }
  }

  /** Notes the hook about to be called (for the error of a hook that throws) and passes the context on. */
  private calling(L: Ledger, hook: string): Ledger {
    this.hook = hook;
    return L;
  }

  /** A hook's budget, once it has returned: refused unless a number within the bounds. */
  private budget(k: number, hook: string, b: number): number {
    this.hook = '';
    if (!budgetOk(b)) {
      const s = Math.floor(k / this.V);
      const v = k % this.V;
      const L = this.ledgers[k]!;
      throw nonFiniteBudget(
        b,
        this.parts.strategies[s]!,
        this.parts.definitions[v]!,
        hook,
        L.year,
        this.parts.pathStart + this.atI,
      );
    }
    return b;
  }

  /** Settles year y for strategy s and service v on path i: the year's sums, then `settle` and `carryOver`, then the result. */
  private settle(s: number, v: number, i: number, y: number, L: Ledger, inst: CompleteStrategyInstance): void {
    const k = s * this.V + v;
    const row = this.settled[k]!;
    const M = this.metricArrays[v]!.length;
    const at = y * (FIGURES + M);
    if (this.stepKind[k]! <= TRACED_STEP) this.sumYear(v, i, y, L, row, at);
    const cost = row[at]!;
    L.actualCost[y] = cost;
    // The year's actuals are known at settlement: settle may read them.
    L.settledThrough = y;
    const final = this.budget(k, 'settle', inst.settle(this.calling(L, 'settle')));
    L.current[y] = final;
    const carry = this.budget(k, 'carryOver', inst.carryOver(this.calling(L, 'carryOver')));
    L.carry[y] = carry;
    this.record(s, v, i, y, L, row, at);
  }

  /**
   * The sums of year y of service v's figures (from its ledger's running sums) and metrics into
   * `row` at `at`, checked: x − x is 0 for every finite x, NaN otherwise, so one test of their
   * total finds a figure that is not a finite number.
   */
  private sumYear(v: number, i: number, y: number, L: Ledger, row: Float64Array, at: number): void {
    const ppy = this.ppy;
    const h = L.history;
    const timeline = this.parts.timeline;
    const defs = this.parts.definitions[v]!.metrics ?? [];
    L.yearSums((y - 1) * ppy, y * ppy, row, at);
    let all = row[at]! + row[at + 1]! + row[at + 2]! + row[at + 3]!;
    for (let m = 0; m < defs.length; m++) {
      const series = h.metrics[m]!;
      let sum = 0;
      if (defs[m]!.aggregate === 'mean') {
        // Weighted by the periods' days, so a year's mean does not depend on the step.
        for (let p = (y - 1) * ppy; p < y * ppy; p++) sum += series[p]! * timeline.periodDays[p]!;
        row[at + FIGURES + m] = sum / timeline.yearDays[y]!;
      } else {
        for (let p = (y - 1) * ppy; p < y * ppy; p++) sum += series[p]!;
        row[at + FIGURES + m] = sum;
      }
      all += sum;
    }
    if (all - all !== 0) {
      const service = this.parts.definitions[v]!;
      throw nonFiniteFigure(
        h,
        defs.map((d) => `${service.id}.${d.id}`),
        (y - 1) * ppy,
        y * ppy,
        this.world,
        y,
        this.parts.pathStart + i,
        service.id,
        L.year,
      );
    }
  }

  /** Writes settled year y of strategy s and service v on path i into the result. */
  private record(s: number, v: number, i: number, y: number, L: Ledger, row: Float64Array, at: number): void {
    const fig = this.figures;
    const n = this.pathCount;
    const to = ((s * this.V + v) * this.H + (y - 1)) * n + i;
    fig.adoptedBudgetKr[to] = L.adopted[y]!;
    fig.openingBudgetKr[to] = L.opening[y]!;
    fig.finalBudgetKr[to] = L.current[y]!;
    fig.actualCostKr[to] = row[at]!;
    fig.carryOverKr[to] = L.carry[y]!;
    fig.neededUnits[to] = row[at + 1]!;
    fig.orderedUnits[to] = row[at + 2]!;
    fig.deliveredUnits[to] = row[at + 3]!;
    const metrics = this.metricArrays[v]!;
    const metricTo = (s * this.H + (y - 1)) * n + i;
    for (let m = 0; m < metrics.length; m++) metrics[m]![metricTo] = row[at + FIGURES + m]!;
  }

  /**
   * The error to throw for one a service threw in `step` (period p) or `reset` (p = -1) under
   * strategy s: the library's own pass unchanged; any other becomes `SERVICE_FAILED`, naming the
   * service, the strategy, the year and the path, with what was thrown as its cause.
   */
  private serviceFailure(e: unknown, hook: 'step' | 'reset', s: number, v: number, p: number): unknown {
    // The property checks' own error (carebudget/testing, a layer this one cannot import) passes too.
    if (isLibraryError(e) || (e as { code?: unknown } | null)?.code === 'PROPERTY_VIOLATION') return e;
    const strategy = this.parts.strategies[s]!.id;
    const service = this.parts.definitions[v]!.id;
    const path = this.parts.pathStart + this.atI;
    const timeline = this.parts.timeline;
    const year = p < 0 ? undefined : timeline.years[timeline.periodYearIndex[p]!]!;
    return new SimulationError(
      `service "${service}" failed in ${hook}${year === undefined ? '' : ` in ${year} (period ${p})`} under strategy "${strategy}", path ${path}: ${thrownText(e)}; replayPath(scenario, ${path}) reproduces it`,
      {
        code: 'SERVICE_FAILED',
        service,
        hook,
        strategy,
        path,
        ...(year === undefined ? {} : { year, period: p }),
        cause: e,
      },
    );
  }

  /**
   * The error to throw for one a path threw. Only an error thrown by a strategy's hook is wrapped:
   * the library's own pass unchanged, except that a read of the future is told where it happened
   * (same class, same code).
   */
  failure(e: unknown): unknown {
    const hook = this.hook;
    if (hook === '') return e;
    const s = Math.floor(this.atK / this.V);
    const v = this.atK % this.V;
    const strategy = this.parts.strategies[s]!.id;
    const service = this.parts.definitions[v]!.id;
    const year = this.ledgers[this.atK]!.year;
    const path = this.parts.pathStart + this.atI;
    if (e instanceof LookAheadError && e.strategy === undefined) {
      Object.assign(e, { strategy, hook, service, year, path });
      e.message = `${e.message} in ${hook} of strategy "${strategy}" for service "${service}", year ${year}, path ${path}`;
    }
    if (isLibraryError(e)) return e;
    return new SimulationError(
      `strategy "${strategy}" failed in ${hook} for service "${service}", year ${year}, path ${path}: ${thrownText(e)}`,
      { code: 'STRATEGY_FAILED', strategy, hook, service, year, path, cause: e },
    );
  }
}

/** What was thrown, in words: an error's message, or the value named as it was thrown. */
export function thrownText(e: unknown): string {
  return e instanceof Error
    ? e.message
    : typeof e === 'string'
      ? `it threw the string ${JSON.stringify(e)}`
      : `it threw ${String(e)} (not an Error)`;
}

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
