import type { Timeline } from '../scenario/timeline';
import type { World } from '../drivers/world';
import type { ActivityLine, NamesByLanguage, ServiceBaseline, ServiceFigure } from '../services/service';
import { OptionError, sharedErrorClass } from '../errors';

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
  /** In a run: the strategy, its hook, the service, the year and the path of the read (set by the simulation). */
  readonly strategy?: string;
  readonly hook?: string;
  readonly service?: string;
  readonly year?: number;
  readonly path?: number;

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
sharedErrorClass(LookAheadError, 'LookAheadError');

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
 * Only `adopt` is required. A hook left out has its default (see {@link withDefaultHooks}),
 * filled in once when the run creates the instance:
 * - `reset`: nothing
 * - `open`: the budget in force (the adopted one), plus the carry-over from the year before
 *   from the second year on (`ctx.currentBudgetKr + ctx.carryOverKr(ctx.yearIndex - 1)`);
 *   with the default `carryOver`, just the adopted budget
 * - `followUp`: unchanged, `ctx.currentBudgetKr`
 * - `settle`: unchanged, `ctx.currentBudgetKr`
 * - `carryOver`: 0
 * - `serviceLevel`: 1 throughout (the level is never changed)
 *
 * @example
 * ```ts
 * // A frame uprated by the forecast index: only adopt is written.
 * const uprated: StrategyDefinition = {
 *   id: 'uprated',
 *   label: 'Uprated frame',
 *   create: (setup) => ({
 *     adopt: (ctx) => setup.baseline.costKr[0]! * setup.baselineWorld.priceIndex[ctx.yearIndex]!,
 *   }),
 * };
 * ```
 * @category Steering
 */
export interface StrategyInstance {
  /** Clears per-path state before a path is simulated. Default: nothing. */
  reset?(): void;
  /** The budget adopted for `ctx.yearIndex`. */
  adopt(ctx: DecisionContext): number;
  /**
   * The budget at the start of the year. Default: the adopted budget plus the carry-over from
   * the year before (from the second year on).
   */
  open?(ctx: DecisionContext): number;
  /** The budget after a follow-up. Default: unchanged (`ctx.currentBudgetKr`), as under a pure frame. */
  followUp?(ctx: DecisionContext): number;
  /** The final budget of the year, once its actuals are known. Default: unchanged (`ctx.currentBudgetKr`). */
  settle?(ctx: DecisionContext): number;
  /** Carry-over of the year just settled into the next (kr; + surplus, − deficit). Default: 0. */
  carryOver?(ctx: DecisionContext): number;
  /**
   * Share of needed activity the unit provides from now on (1 = all). Optional: default 1.
   *
   * Leave it out unless the strategy changes the level: a run steps the services once for all
   * the strategies none of whose instances has this hook (their services run the same at level
   * 1), and those strategies only make their decisions, which makes them cheaper.
   */
  serviceLevel?(ctx: DecisionContext): number;
}

/**
 * A {@link StrategyInstance} with every budget hook present, as the simulation calls it.
 *
 * @category Steering
 */
export type CompleteStrategyInstance = Required<Omit<StrategyInstance, 'serviceLevel'>> &
  Pick<StrategyInstance, 'serviceLevel'>;

const noReset = (): void => {};
const unchanged = (ctx: DecisionContext): number => ctx.currentBudgetKr;
const noCarryOver = (): number => 0;
const openWithCarryOver = (ctx: DecisionContext): number =>
  ctx.currentBudgetKr + (ctx.yearIndex > 1 ? ctx.carryOverKr(ctx.yearIndex - 1) : 0);

/**
 * Whether a complete instance's follow-up is the default one, which keeps the budget as it is:
 * without a `serviceLevel` hook such a follow-up changes nothing, and a run need not call it.
 *
 * @param instance - an instance completed by {@link withDefaultHooks}
 * @returns true when its `followUp` is the default
 * @example
 * ```ts
 * followUpKeepsBudget(withDefaultHooks({ adopt: () => 100 })); //=> true
 * followUpKeepsBudget(withDefaultHooks({ adopt: () => 100, followUp: () => 90 })); //=> false
 * ```
 * @internal
 */
export function followUpKeepsBudget(instance: CompleteStrategyInstance): boolean {
  return instance.followUp === unchanged;
}

/**
 * Fills the hooks a strategy instance leaves out with their defaults (see
 * {@link StrategyInstance}); the simulation calls it once per instance, when the run creates
 * it, so the period loop never checks for a missing hook. An instance with every hook is
 * returned as it is; otherwise a new object whose hooks are the instance's own, bound to it, or
 * the defaults.
 *
 * @param instance - what a strategy's `create` returned
 * @param strategyId - the strategy's id, for the error of an instance without `adopt`
 * @returns the instance, complete
 * @throws {@link OptionError} when `adopt` is not a function
 * @example
 * ```ts
 * const inst = withDefaultHooks({ adopt: () => 100 });
 * inst.carryOver({ yearIndex: 1, currentBudgetKr: 100 } as DecisionContext); //=> 0
 * inst.settle({ yearIndex: 1, currentBudgetKr: 100 } as DecisionContext); //=> 100
 * ```
 * @category Steering
 */
export function withDefaultHooks(instance: StrategyInstance, strategyId?: string): CompleteStrategyInstance {
  if (typeof instance?.adopt !== 'function')
    throw new OptionError(
      `${strategyId === undefined ? 'a strategy' : `strategy "${strategyId}"`}: create must return an instance with an adopt hook (a function); the other hooks are optional`,
      { option: 'adopt', received: instance?.adopt },
    );
  const { reset, open, followUp, settle, carryOver, serviceLevel } = instance;
  if (
    reset !== undefined &&
    open !== undefined &&
    followUp !== undefined &&
    settle !== undefined &&
    carryOver !== undefined
  )
    return instance as CompleteStrategyInstance;
  return {
    reset: reset === undefined ? noReset : reset.bind(instance),
    adopt: instance.adopt.bind(instance),
    open: open === undefined ? openWithCarryOver : open.bind(instance),
    followUp: followUp === undefined ? unchanged : followUp.bind(instance),
    settle: settle === undefined ? unchanged : settle.bind(instance),
    carryOver: carryOver === undefined ? noCarryOver : carryOver.bind(instance),
    ...(serviceLevel === undefined ? {} : { serviceLevel: serviceLevel.bind(instance) }),
  };
}

/**
 * The built-in strategies' names in Danish, by their default id: the reports' Danish terms.
 *
 * @internal
 */
export const DANISH_STRATEGY_NAMES: Readonly<Record<string, string>> = {
  frame: 'Rammestyring',
  'demographic-frame': 'Demografireguleret ramme',
  activity: 'Aktivitetsstyring',
  hybrid: 'Hybrid (ramme med aktivitetskorridor)',
  'hybrid-next-year': 'Hybrid (næste års ramme fra årets aktivitet)',
};

/**
 * A built-in strategy's id and label from its options: the label given, else the built-in
 * label, named with the id where the strategy was given an id of its own (two frames "strict"
 * and "loose" are "Frame (rammestyring): strict" and "Frame (rammestyring): loose", in Danish
 * "Rammestyring: strict" and "Rammestyring: loose").
 *
 * @internal
 */
export function builtInName(
  defaults: { readonly id: string; readonly label: string },
  options: { readonly id?: string | undefined; readonly label?: string | undefined },
): { id: string; label: string; labels?: NamesByLanguage } {
  const id = options.id ?? defaults.id;
  if (options.label !== undefined || id === defaults.id) return { id, label: options.label ?? defaults.label };
  const label = `${defaults.label}: ${id}`;
  const danish = Object.hasOwn(DANISH_STRATEGY_NAMES, defaults.id) ? DANISH_STRATEGY_NAMES[defaults.id] : undefined;
  return { id, label, ...(danish === undefined ? {} : { labels: { en: label, da: `${danish}: ${id}` } }) };
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
  /**
   * For a unit of a service split into units (`home-care:own`): the id of the whole service
   * (`home-care`), the service definition's `group`.
   */
  readonly group?: string;
  /**
   * The ids of the run's services and of the groups of those split into units: the ids a
   * strategy's options may name. Optional for setups built by hand.
   */
  readonly serviceIds?: readonly string[];
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
  readonly labels?: NamesByLanguage;
  /** Creates the running strategy for one service. */
  create(setup: StrategySetup): StrategyInstance;
}

/**
 * A value in words, for an error: a string (quoted, unless told not to) or a number as it is,
 * otherwise its kind.
 *
 * @param x - the value received
 * @param quoteStrings - whether a string is shown in quotes
 * @returns the value in words
 * @example
 * ```ts
 * valueInWords('frame'); //=> '"frame"'
 * valueInWords({ kind: 'frame' }); //=> 'an object'
 * ```
 * @internal
 */
export function valueInWords(x: unknown, quoteStrings = true): string {
  if (typeof x === 'string') return quoteStrings ? JSON.stringify(x) : x;
  if (x === null || x === undefined || typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint')
    return String(x);
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : typeof x;
}

/**
 * A run's strategy plug-ins, checked before anything runs: a non-empty list of
 * {@link StrategyDefinition}s, each with a non-empty string `id`, a string `label` and a
 * `create` function. A strategy spec (`{ kind: 'frame' }`, what a scenario's `strategies` holds)
 * is refused with the way to turn it into a plug-in.
 *
 * @param strategies - what the options' `strategies` hold
 * @returns the same list, typed
 * @throws {@link OptionError} naming the first entry that is not a strategy plug-in
 * @example
 * ```ts
 * checkedStrategies([frame()]).length; //=> 1
 * ```
 * @internal
 */
export function checkedStrategies(strategies: unknown): readonly StrategyDefinition[] {
  if (!Array.isArray(strategies) || strategies.length === 0)
    throw new OptionError(
      Array.isArray(strategies)
        ? 'strategies: expected at least one strategy; received none'
        : `strategies: expected a non-empty list of strategies; received ${valueInWords(strategies)}`,
      { option: 'strategies', received: strategies },
    );
  strategies.forEach((s: unknown, i) => {
    const d = s as Partial<StrategyDefinition & { kind: unknown }> | null;
    // An object, or a function carrying the fields (a plug-in may be either).
    const isObject = d !== null && (typeof d === 'object' || typeof d === 'function');
    const spec = isObject && 'kind' in d && typeof d.create !== 'function';
    if (spec)
      throw new OptionError(
        `strategies[${i}]: expected a strategy plug-in such as frame() or activity(); received a strategy spec (kind ${valueInWords(d.kind)}): put specs in the scenario's strategies, or turn them into plug-ins with strategiesFromSpecs`,
        { option: `strategies[${i}]`, received: s },
      );
    if (!isObject || typeof d.create !== 'function')
      throw new OptionError(
        `strategies[${i}]: expected a strategy plug-in (an object with an id, a label and create, such as frame()); received ${valueInWords(s)}`,
        { option: `strategies[${i}]`, received: s },
      );
    if (typeof d.id !== 'string' || d.id.length === 0)
      throw new OptionError(
        `strategies[${i}].id: expected a non-empty string (the strategy's id in results); received ${valueInWords(d.id)}`,
        { option: `strategies[${i}].id`, received: d.id },
      );
    if (typeof d.label !== 'string')
      throw new OptionError(
        `strategies[${i}].label: expected a string (the strategy's name in reports); received ${valueInWords(d.label)}`,
        { option: `strategies[${i}].label`, received: d.label },
      );
  });
  return strategies as readonly StrategyDefinition[];
}
