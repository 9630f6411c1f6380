import type { InputSources } from '../random/inputs';
import type { Timeline } from '../scenario/timeline';
import type { Seed } from '../random/stream';
import type { World } from '../drivers/world';
import type { InterventionSpec } from '../scenario/schema';
import { OptionError } from '../errors';

/**
 * A service's figures period by period for one path under one strategy. The simulation writes
 * a period's values when the service steps it; strategies read only periods already stepped.
 *
 * @category Services
 */
export interface ServiceHistory {
  /**
   * The service level in force in each period (1 = all needed activity provided), set by the
   * strategy and written by the simulation before the period is stepped.
   */
  readonly serviceLevel: Float64Array;
  /** Activity the citizens need (units, for example hours), before any service squeeze. */
  readonly neededUnits: Float64Array;
  /** Activity ordered by the authority (for home care: visited hours). */
  readonly orderedUnits: Float64Array;
  /** Activity delivered (for home care: delivered hours). */
  readonly deliveredUnits: Float64Array;
  /** Actual cost (kr, current prices). */
  readonly costKr: Float64Array;
  /** The service's own metrics by period, in the order of its definition's `metrics`. */
  readonly metrics: readonly Float64Array[];
  /**
   * Ordered and delivered units of each activity line by period, in the order of its
   * definition's `activityLines`. The lines split the service's activity: their ordered and
   * delivered units add up to `orderedUnits` and `deliveredUnits` (the lines counted in the
   * service's own `activityUnit`; a line in another unit, such as citizen-days per care level
   * beside hours, is reported beside the totals, not in them). A service with one line (the
   * default) writes only the totals: its line's arrays are the totals themselves.
   */
  readonly lines: readonly ActivityUnits[];
}

/** Ordered and delivered units of one activity line, by period or by year. @category Services */
export interface ActivityUnits {
  readonly orderedUnits: Float64Array;
  readonly deliveredUnits: Float64Array;
}

/**
 * One kind of activity a service reports, which a strategy can pay for at its own ex-ante
 * price: home care's hours; care homes' own place-days (at the homes' rate) and external
 * place-days (bought by the authority at the external price); home care granted in care
 * levels also reports citizen-days per level. A line counts in the service's `activityUnit`
 * unless it names its own `unit`.
 *
 * Activity-based strategies pay, by default, the lines in the service's own unit (which add up
 * to the service's totals); `activity({ unit: 'citizen-days' })` pays the lines in another
 * unit instead, and a service without lines in that unit is paid on its default lines.
 *
 * @category Services
 */
export interface ActivityLine {
  /** Id within the service, for example `"own-place-days"`. */
  readonly id: string;
  /** Human-readable name. */
  readonly label: string;
  /**
   * The unit the line counts in, for example `"citizen-days"` (default: the service's
   * `activityUnit`). Lines in another unit are not part of the service's totals.
   */
  readonly unit?: string;
}

/** The line of a service that declares none: all its activity at one price. @category Services */
export const DEFAULT_ACTIVITY_LINE: ActivityLine = { id: 'activity', label: 'Activity' };

/** The four per-period figures every service reports. @category Services */
export type ServiceFigure = Exclude<keyof ServiceHistory, 'serviceLevel' | 'metrics' | 'lines'>;

/**
 * A service-level figure of a service's own (for example the waiting list of care homes),
 * written per period and recorded per year: summed over the year's periods (`sum`, for counts
 * of events) or averaged over the year's days (`mean`, for stocks such as a queue: each
 * period's value weighted by its days, so the yearly value does not depend on the step).
 *
 * @category Services
 */
export interface ServiceMetric {
  readonly id: string;
  readonly label: string;
  readonly aggregate: 'sum' | 'mean';
}

/**
 * A plug-in's own names by report language (`da`, `en`): charts and reports show the name in
 * their language where one is given, else the built-in term, else `label`.
 *
 * @category Services
 */
export type NamesByLanguage = Readonly<Partial<Record<'da' | 'en', string>>>;

/**
 * Values that services pass to each other within a period, by name: a service writes its
 * channel when it steps a period, and services stepped after it read the value in the same
 * period (services step in the order given). For example care homes publish their waiting
 * list and home care serves the waiting citizens.
 *
 * @category Services
 */
export interface ServiceLinks {
  /** The index of a named channel in `values` (created on first use). */
  channel(name: string): number;
  /**
   * Each channel's value now: what the service that writes it wrote when it last stepped. A
   * service stepped before the writer in a period reads the writer's value of the period
   * before; before a path's first period every channel holds its base-year baseline (index 0 of
   * {@link ServiceLinks.baselineValues}), the same under every strategy and on every path.
   */
  readonly values: Float64Array;
  /**
   * The channel's expected value by year (index 0 = base year), known ex ante: a service
   * writes it when it is created, from its own baseline, and services created after it read
   * it for theirs (care homes publish the expected waiting list's home-care hours, and home
   * care's baseline includes them). Zero where nobody wrote.
   */
  baselineValues(channel: number): Float64Array;
}

/**
 * A service's deterministic baseline by year (index 0 = base year): what the municipality
 * forecasts from its baseline population, the forecast price index and each input's mean.
 * Strategies may read all of it at any time: it is known ex ante.
 *
 * @category Services
 */
export interface ServiceBaseline {
  readonly serviceLevel?: Float64Array;
  readonly neededUnits: Float64Array;
  readonly orderedUnits: Float64Array;
  readonly deliveredUnits: Float64Array;
  readonly costKr: Float64Array;
  /**
   * Baseline cost by year and population group, `costByGroupKr[y * groups + g]`, for
   * demographic regulation. Optional: a service whose cost does not follow age groups omits it.
   */
  readonly costByGroupKr?: Float64Array;
  /**
   * The municipality's ex-ante price per delivered unit by year, from its own price model
   * (for home care: with its assumed share of paid hours with the citizen). Optional: without
   * it, activity steering prices at baseline cost per unit. For a service with several activity
   * lines, each line's price is in `lines`.
   */
  readonly priceKrPerDeliveredUnit?: Float64Array;
  /**
   * The baseline of each activity line by year, in the order of the definition's
   * `activityLines`, with the line's ex-ante price per delivered unit. Required for a service
   * with more than one line; a service with one line may omit it (its line is the totals, at
   * `priceKrPerDeliveredUnit`).
   */
  readonly lines?: readonly LineBaseline[];
}

/** The baseline of one activity line by year, with its ex-ante price. @category Services */
export interface LineBaseline extends ActivityUnits {
  /** Ex-ante price per delivered unit by year (kr, current prices); optional as for the service. */
  readonly priceKrPerDeliveredUnit?: Float64Array;
}

/** What a service is given when a run starts. @category Services */
export interface ServiceSetup {
  readonly timeline: Timeline;
  readonly seed: Seed;
  /** The baseline world: baseline population and forecast price index. */
  readonly baselineWorld: World;
  /** Channels between services within a period. */
  readonly links: ServiceLinks;
  /** The scenario's interventions; a service applies those that change its drivers. */
  readonly interventions: readonly InterventionSpec[];
  /**
   * The run's input groups: derive a group's streams from `inputs.path(group, path, level)`
   * rather than from the path itself, and declare scalar inputs drawn once per path, so that a
   * sensitivity analysis can freeze, redraw or fix them (see {@link InputSources}). Absent when a
   * service is created outside a run: then every group's stream path is the path.
   */
  readonly inputs?: InputSources;
}

/**
 * A running service: its buffers are allocated once per run, then reused for every path.
 *
 * @category Services
 */
export interface ServiceInstance {
  readonly baseline: ServiceBaseline;
  /**
   * Prepares a path: draws the path's own parameters (from streams keyed by path, so every
   * strategy replaying the path sees the same draws) and clears the service's state.
   * Called once per path for each strategy that steps the services: once per path for a
   * service independent of the steering (see {@link ServiceDefinition.independentOfSteering}),
   * and once for all the strategies that never set a service level (none of their instances
   * has a `serviceLevel` hook), which share the paths of the first of them. A path's figures
   * must therefore follow from the path's draws, the world, the service levels and the
   * channels read, never from what ran before.
   */
  reset(path: number): void;
  /**
   * Simulates period `p` and writes its figures into `out` at index `p`, providing the share
   * `out.serviceLevel[p]` of needed activity (set by the strategy). The periods before `p` are
   * final once stepped: the run keeps running sums of them for the strategies' reads and the
   * year's totals, so a step must not change them (it may write ahead into later periods).
   */
  step(p: number, world: World, out: ServiceHistory): void;
}

/**
 * A service plug-in: a value describing the service, which the simulation turns into a running
 * instance. Built-in: {@link homeCare}. Write your own by implementing this interface.
 *
 * @category Services
 */
export interface ServiceDefinition {
  /** Unique id, used in results (for example `"home-care"`, or `"home-care:north"` for a unit). */
  readonly id: string;
  /**
   * For a unit of a service split into units (districts, homes): the id of the whole service.
   * Results can be read per unit or pooled over the group.
   */
  readonly group?: string;
  /** Human-readable name. */
  readonly label: string;
  /** The name in each report language (`da`, `en`), used by charts and reports before `label`. */
  readonly labels?: NamesByLanguage;
  /** The unit of activity, for example `"hours"`. */
  readonly activityUnit: string;
  /** The service's own metrics, recorded per year (for example waiting list, occupancy). */
  readonly metrics?: readonly ServiceMetric[];
  /**
   * The kinds of activity the service reports, each priced on its own by activity-based
   * strategies (see {@link ActivityLine}). Default: one line, {@link DEFAULT_ACTIVITY_LINE}.
   */
  readonly activityLines?: readonly ActivityLine[];
  /**
   * `true` when a path's figures, metrics and link values do not depend on the steering: the
   * service reads neither `out.serviceLevel` nor channels written by other services, and its
   * draws are keyed by path. The simulation then resets and steps it once per path, under the
   * first strategy, and every other strategy reads the same figures; the channels the service
   * opened (in `create`) are given the same values, period by period, for the services stepped
   * after it. Default `false`: the service is stepped under every strategy that sets a service
   * level, and once for those that do not.
   */
  readonly independentOfSteering?: boolean;
  create(setup: ServiceSetup): ServiceInstance;
}

/**
 * Creates the channels between services of one run.
 *
 * @param capacity - the most channels (default 64)
 * @param years - the length of each channel's baseline by year (default 0: no baselines;
 *   a run passes its horizon + 1)
 * @returns the links
 * @throws RangeError when more than `capacity` channels are named
 * @example
 * ```ts
 * const links = createLinks(64, 11);
 * const waiting = links.channel('care-homes.waiting');
 * links.values[waiting] = 12;
 * links.baselineValues(waiting).length; //=> 11
 * ```
 * @category Services
 */
export function createLinks(capacity = 64, years = 0): ServiceLinks {
  const names = new Map<string, number>();
  const values = new Float64Array(capacity);
  const baselines = new Float64Array(capacity * years);
  return {
    values,
    baselineValues(channel: number): Float64Array {
      if (!(Number.isInteger(channel) && channel >= 0 && channel < capacity))
        throw new OptionError(`createLinks: channel must be an index below ${capacity}; received ${String(channel)}`, {
          option: 'channel',
          received: channel,
        });
      return baselines.subarray(channel * years, (channel + 1) * years);
    },
    channel(name: string): number {
      let i = names.get(name);
      if (i === undefined) {
        if (names.size >= capacity)
          throw new OptionError(`createLinks: more than ${capacity} channels; "${name}" does not fit`, {
            option: 'channel',
          });
        i = names.size;
        names.set(name, i);
      }
      return i;
    },
  };
}

/**
 * Allocates a zeroed history for `periodCount` periods (or for years, in a baseline).
 *
 * @param length - number of entries
 * @param metricCount - number of the service's own metrics (default 0)
 * @param lineCount - number of the service's activity lines (default 1: the line is the totals)
 * @returns a history with zeroed figures and a service level of 1
 * @example
 * ```ts
 * createHistory(132).costKr.length; //=> 132
 * createHistory(132, 0, 2).lines.length; //=> 2
 * ```
 * @category Services
 */
export function createHistory(length: number, metricCount = 0, lineCount = 1): ServiceHistory {
  const orderedUnits = new Float64Array(length);
  const deliveredUnits = new Float64Array(length);
  return {
    metrics: Array.from({ length: metricCount }, () => new Float64Array(length)),
    serviceLevel: new Float64Array(length).fill(1),
    neededUnits: new Float64Array(length),
    orderedUnits,
    deliveredUnits,
    costKr: new Float64Array(length),
    lines:
      lineCount <= 1
        ? [{ orderedUnits, deliveredUnits }]
        : Array.from({ length: lineCount }, () => ({
            orderedUnits: new Float64Array(length),
            deliveredUnits: new Float64Array(length),
          })),
  };
}

/**
 * The arrays of a history that a service writes each period, each with the name a message gives
 * it: its four figures, its metrics and, where it has more than one line, each line's ordered
 * and delivered units (a single line is the figures themselves). What clears a history between
 * paths and what checks that a service wrote every figure walk the same list.
 *
 * @param history - a service's history
 * @param metricIds - the ids of its metrics, for their names (the index where one is missing)
 * @returns the arrays with their names, in a fixed order
 * @example
 * ```ts
 * writtenArrays(createHistory(12, 1, 2), ['waiting']).map((a) => a.name);
 * //=> ['neededUnits', 'orderedUnits', 'deliveredUnits', 'costKr', 'metric "waiting"', 'orderedUnits of line 0', 'deliveredUnits of line 0', 'orderedUnits of line 1', 'deliveredUnits of line 1']
 * ```
 * @category Services
 */
export function writtenArrays(
  history: ServiceHistory,
  metricIds: readonly string[] = [],
): { readonly name: string; readonly values: Float64Array }[] {
  return [
    { name: 'neededUnits', values: history.neededUnits },
    { name: 'orderedUnits', values: history.orderedUnits },
    { name: 'deliveredUnits', values: history.deliveredUnits },
    { name: 'costKr', values: history.costKr },
    ...history.metrics.map((values, j) => ({ name: `metric "${metricIds[j] ?? j}"`, values })),
    ...(history.lines.length > 1
      ? history.lines.flatMap((l, j) => [
          { name: `orderedUnits of line ${j}`, values: l.orderedUnits },
          { name: `deliveredUnits of line ${j}`, values: l.deliveredUnits },
        ])
      : []),
  ];
}

/**
 * A service's activity lines: those its definition declares, else the one default line.
 *
 * @param service - a service plug-in
 * @returns its lines, at least one
 * @example
 * ```ts
 * activityLinesOf(careHomes(parseScenario(lejre2034()).careHomes!)[0]!).map((l) => l.id);
 * //=> ['own-place-days', 'external-place-days']
 * ```
 * @category Services
 */
export function activityLinesOf(service: Pick<ServiceDefinition, 'activityLines'>): readonly ActivityLine[] {
  return service.activityLines !== undefined && service.activityLines.length > 0
    ? service.activityLines
    : [DEFAULT_ACTIVITY_LINE];
}

/**
 * The indices of a service's lines in a unit: those whose unit (their own, else the service's)
 * is `unit`; with no such line, or no `unit` given, the lines in the service's own unit (the
 * default lines, which add up to the totals).
 *
 * @param lines - the service's activity lines
 * @param serviceUnit - the service's `activityUnit` (undefined: lines without a unit of their own are the default lines)
 * @param unit - the unit asked for
 * @returns indices into `lines`, at least one when `lines` has a line in the service's unit
 * @example
 * ```ts
 * const lines = [{ id: 'hours', label: 'Hours' }, { id: 'days:1', label: 'Level 1', unit: 'citizen-days' }];
 * linesInUnit(lines, 'hours'); //=> [0]
 * linesInUnit(lines, 'hours', 'citizen-days'); //=> [1]
 * linesInUnit(lines, 'hours', 'visits'); //=> [0]
 * ```
 * @category Services
 */
export function linesInUnit(lines: readonly ActivityLine[], serviceUnit: string | undefined, unit?: string): number[] {
  const of = (line: ActivityLine): string | undefined => line.unit ?? serviceUnit;
  const isDefault = (line: ActivityLine): boolean => line.unit === undefined || line.unit === serviceUnit;
  if (unit !== undefined && unit !== serviceUnit) {
    const chosen = lines.flatMap((line, l) => (of(line) === unit ? [l] : []));
    if (chosen.length > 0) return chosen;
  }
  return lines.flatMap((line, l) => (isDefault(line) ? [l] : []));
}

/**
 * The baseline of each activity line: the baseline's own `lines`, or for a one-line service
 * the totals at `priceKrPerDeliveredUnit`.
 *
 * @internal
 */
export function lineBaselinesOf(baseline: ServiceBaseline): readonly LineBaseline[] {
  const price = baseline.priceKrPerDeliveredUnit;
  // A one-line baseline (also one spread from a history, whose line has no price) is the totals at the service's price.
  if (
    baseline.lines === undefined ||
    (baseline.lines.length === 1 && baseline.lines[0]!.priceKrPerDeliveredUnit === undefined)
  ) {
    return [
      {
        orderedUnits: baseline.orderedUnits,
        deliveredUnits: baseline.deliveredUnits,
        ...(price === undefined ? {} : { priceKrPerDeliveredUnit: price }),
      },
    ];
  }
  return baseline.lines;
}
