import type { Timeline } from '../scenario/timeline';
import type { World } from '../drivers/world';
import type { ActivityLine, ServiceBaseline, ServiceFigure } from '../services/service';

/**
 * Thrown when a strategy asks for a value that would not be known at its decision date.
 *
 * @category Steering
 */
export class LookAheadError extends Error {
  /** Always `LOOK_AHEAD`. */
  readonly code = 'LOOK_AHEAD' as const;
  /** What was asked for: `period`, `adopted year` or `settled year`. */
  readonly what: string;
  /** The period or year index asked for. */
  readonly asked: number;
  /** How many periods or years were known. */
  readonly known: number;

  constructor(what: string, asked: number, known: number) {
    super(
      `look-ahead: a strategy asked for ${what} ${asked}, but only ${known} ${what === 'period' ? 'periods are' : 'years are'} known at this decision`,
    );
    this.name = 'LookAheadError';
    this.what = what;
    this.asked = asked;
    this.known = known;
  }
}

/**
 * What a strategy may see when it decides: the budget calendar's position, the baseline (known
 * ex ante), the service's actuals of past periods and its own past decisions. Never the path's
 * future: reads beyond what is known throw {@link LookAheadError}.
 *
 * The simulation reuses one context per strategy and service; read values during the hook,
 * do not keep the object.
 *
 * @category Steering
 */
export interface DecisionContext {
  readonly timeline: Timeline;
  /** The budget year decided on, as an index (1 = first simulated year). */
  readonly yearIndex: number;
  /** The budget year decided on, as a calendar year. */
  readonly year: number;
  /** The decision's date. */
  readonly date: Date;
  /** How many periods' actuals are known now. */
  readonly knownPeriods: number;
  /** The service's baseline by year (index 0 = base year). */
  readonly baseline: ServiceBaseline;
  /** The baseline world: baseline population and forecast price index (base year = 1). */
  readonly baselineWorld: World;
  /** The budget currently in force for `yearIndex` (NaN before adoption). */
  readonly currentBudgetKr: number;
  /** A figure of a known period; throws {@link LookAheadError} for a period not yet known. */
  actual(figure: ServiceFigure, period: number): number;
  /** Sum of a figure over known periods [from, to); throws {@link LookAheadError} if `to` > knownPeriods. */
  actualSum(figure: ServiceFigure, from: number, to: number): number;
  /**
   * Sum of one activity line's ordered or delivered units over known periods [from, to), the
   * line given by its index in {@link StrategySetup.lines}; throws {@link LookAheadError} if
   * `to` > knownPeriods.
   */
  actualLineSum(line: number, figure: 'orderedUnits' | 'deliveredUnits', from: number, to: number): number;
  /** The budget adopted for a year already adopted. */
  adoptedBudgetKr(yearIndex: number): number;
  /** The final budget of a settled year. */
  finalBudgetKr(yearIndex: number): number;
  /** The actual cost of a settled year. */
  actualCostKr(yearIndex: number): number;
  /** The carry-over from a settled year into the next. */
  carryOverKr(yearIndex: number): number;
  /**
   * The actual population of a group in a settled year (registers give it at year end);
   * throws {@link LookAheadError} for a year not yet settled. Year index 0 (the base year) is
   * always known.
   */
  actualPopulation(yearIndex: number, group: number): number;
  /** The service level in force (1 = all needed activity provided). */
  readonly serviceLevelNow: number;
}

/**
 * A running strategy for one service. Each hook returns the budget in force after it (kr).
 * The simulation calls, for every budget year: `adopt` (autumn of the year before), `open`
 * (1 January), `followUp` (each follow-up date) and `settle` (year end). `settle` may also
 * report a carry-over into the next year through `carryOver`.
 *
 * @category Steering
 */
export interface StrategyInstance {
  /** Clears per-path state before a path is simulated. */
  reset(): void;
  /** The budget adopted for `ctx.yearIndex`. */
  adopt(ctx: DecisionContext): number;
  /** The budget at the start of the year (for example adopted + carry-over). */
  open(ctx: DecisionContext): number;
  /** The budget after a follow-up (unchanged under a pure frame). */
  followUp(ctx: DecisionContext): number;
  /** The final budget of the year, once its actuals are known. */
  settle(ctx: DecisionContext): number;
  /** Carry-over of the year just settled into the next (kr; + surplus, − deficit); 0 if none. */
  carryOver(ctx: DecisionContext): number;
  /** Share of needed activity the unit provides from now on (1 = all). Optional: default 1. */
  serviceLevel?(ctx: DecisionContext): number;
}

/** What a strategy is given when a run starts. @category Steering */
export interface StrategySetup {
  readonly timeline: Timeline;
  readonly serviceId: string;
  readonly baseline: ServiceBaseline;
  readonly baselineWorld: World;
  /** The service's activity lines (at least one), in the order of its baseline's and history's lines. */
  readonly lines: readonly ActivityLine[];
  /**
   * The service's unit of activity (its `activityUnit`): the unit of its default lines.
   * Optional for setups built by hand; without it, lines without a unit of their own are the
   * default lines.
   */
  readonly activityUnit?: string;
}

/**
 * A steering strategy plug-in. Built-in: {@link frame}, {@link activity}. A custom strategy
 * implements this interface and is run, compared and reported exactly like a built-in one.
 *
 * @category Steering
 */
export interface StrategyDefinition {
  /** Unique id in results, for example `"frame"`. */
  readonly id: string;
  /** Human-readable name. */
  readonly label: string;
  /** The name in each report language (`da`, `en`), used by charts and reports before `label`. */
  readonly labels?: Readonly<Partial<Record<'da' | 'en', string>>>;
  /** Creates the running strategy for one service. */
  create(setup: StrategySetup): StrategyInstance;
}
