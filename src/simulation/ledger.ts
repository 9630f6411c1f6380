import type { Timeline } from '../scenario/timeline';
import type { World } from '../drivers/world';
import {
  createHistory,
  writtenArrays,
  type ServiceBaseline,
  type ServiceFigure,
  type ServiceHistory,
  type ServiceInstance,
} from '../services/service';
import { LookAheadError, type DecisionContext } from '../steering/strategy';
import { OptionError } from '../errors';

/** The four figures a ledger sums by year, in the order of its running sums: cost, needed, ordered, delivered. */
export const FIGURES = 4;

/** A figure's place among the running sums. */
function figureSlot(figure: ServiceFigure): number {
  switch (figure) {
    case 'costKr':
      return 0;
    case 'neededUnits':
      return 1;
    case 'orderedUnits':
      return 2;
    default:
      return 3;
  }
}

/**
 * Per strategy and service: the yearly books of a path (adopted, opening, current and final
 * budget, actual cost, carry-over) and the {@link DecisionContext} the strategy reads.
 *
 * The ledger keeps **running sums** of the year being decided: the four figures and, for a
 * service with several activity lines, each line's ordered and delivered units, summed from the
 * year's first period up to the periods known so far. A follow-up extends them by the periods
 * stepped since the last one, and settlement reads the year's totals from them, so a period is
 * added once however often the year is looked at. The sums are added in period order from 0, as
 * a plain loop over the periods adds them: bit for bit the same numbers. A sum over other periods
 * (another year, part of a year) is a plain loop. This relies on what a service's `step`
 * promises: it writes period p when it steps p, and leaves the periods before p as they are.
 */
export class Ledger implements DecisionContext {
  readonly timeline: Timeline;
  readonly baseline: ServiceBaseline;
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
  /** The arrays summed, in the order of `sums`: the four figures, then each line's ordered and delivered units (several lines only). */
  private readonly summed: readonly Float64Array[];
  /** The running sums over periods [sumFrom, sumTo). */
  private readonly sums: Float64Array;
  private sumFrom = 0;
  private sumTo = 0;
  private readonly periodsPerYear: number;

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
    this.periodsPerYear = timeline.periodsPerYear;
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
    const h = this.history;
    this.summed = [
      h.costKr,
      h.neededUnits,
      h.orderedUnits,
      h.deliveredUnits,
      ...(h.lines.length > 1 ? h.lines.flatMap((l) => [l.orderedUnits, l.deliveredUnits]) : []),
    ];
    this.sums = new Float64Array(this.summed.length);
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
    this.sumFrom = 0;
    this.sumTo = 0;
    this.sums.fill(0);
  }

  /**
   * Brings the running sums to periods [from, to), from the year's first period: extends them
   * when they run from `from` and end at or before `to`, else starts them afresh at `from`
   * when `from` is the first period of a year after theirs. Returns false when they cannot
   * serve (then the caller sums by hand).
   */
  private runTo(from: number, to: number): boolean {
    if (from !== this.sumFrom || to < this.sumTo) {
      if (!(from > this.sumFrom && from % this.periodsPerYear === 0 && to >= from)) return false;
      this.sumFrom = from;
      this.sumTo = from;
      this.sums.fill(0);
    }
    const summed = this.summed;
    const sums = this.sums;
    for (let k = 0; k < summed.length; k++) {
      const a = summed[k]!;
      let s = sums[k]!;
      for (let p = this.sumTo; p < to; p++) s += a[p]!;
      sums[k] = s;
    }
    this.sumTo = to;
    return true;
  }

  /**
   * The year's sums of the four figures into `out` (cost, needed, ordered, delivered), for
   * settlement: periods [from, to) of a year whose periods are all known.
   */
  yearSums(from: number, to: number, out: Float64Array, at: number): void {
    if (this.runTo(from, to)) {
      for (let k = 0; k < FIGURES; k++) out[at + k] = this.sums[k]!;
      return;
    }
    for (let k = 0; k < FIGURES; k++) out[at + k] = plainSum(this.summed[k]!, from, to);
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
    const k = figureSlot(figure);
    return this.runTo(from, to) ? this.sums[k]! : plainSum(this.summed[k]!, from, to);
  }

  actualLineSum(line: number, figure: 'orderedUnits' | 'deliveredUnits', from: number, to: number): number {
    if (to > this.knownPeriods || from < 0) throw new LookAheadError('period', to - 1, this.knownPeriods);
    const units = this.history.lines[line];
    if (units === undefined)
      throw new OptionError(
        `actualLineSum: line must be an index below ${this.history.lines.length}; received ${String(line)}`,
        { option: 'line', received: line },
      );
    // One line is the totals themselves; several have sums of their own after the four figures.
    const k =
      this.history.lines.length === 1 ? figureSlot(figure) : FIGURES + 2 * line + (figure === 'orderedUnits' ? 0 : 1);
    return this.runTo(from, to) ? this.sums[k]! : plainSum(units[figure], from, to);
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

/** The sum of a[from..to), in period order. */
function plainSum(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let p = from; p < to; p++) s += a[p]!;
  return s;
}
