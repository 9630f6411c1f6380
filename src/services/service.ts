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
}

/** The four per-period figures every service reports. @category Services */
export type ServiceFigure = Exclude<keyof ServiceHistory, 'serviceLevel' | 'metrics'>;

/**
 * A service-level figure of a service's own (for example the waiting list of care homes),
 * written per period and recorded per year: summed over the year's periods (`sum`, for counts
 * of events) or averaged (`mean`, for stocks such as a queue).
 *
 * @category Services
 */
export interface ServiceMetric {
  readonly id: string;
  readonly label: string;
  readonly aggregate: 'sum' | 'mean';
}

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
  readonly values: Float64Array;
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
   * it, activity steering prices at baseline cost per unit.
   */
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
   * Called once per path and strategy (once per path for a service independent of the
   * steering, see {@link ServiceDefinition.independentOfSteering}).
   */
  reset(path: number): void;
  /**
   * Simulates period `p` and writes its figures into `out` at index `p`, providing the share
   * `out.serviceLevel[p]` of needed activity (set by the strategy).
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
  /** The unit of activity, for example `"hours"`. */
  readonly activityUnit: string;
  /** The service's own metrics, recorded per year (for example waiting list, occupancy). */
  readonly metrics?: readonly ServiceMetric[];
  /**
   * `true` when a path's figures, metrics and link values do not depend on the steering: the
   * service reads neither `out.serviceLevel` nor channels written by other services, and its
   * draws are keyed by path. The simulation then resets and steps it once per path, under the
   * first strategy, and every other strategy reads the same figures; the channels the service
   * opened (in `create`) are given the same values, period by period, for the services stepped
   * after it. Default `false`: the service is stepped under every strategy.
   */
  readonly independentOfSteering?: boolean;
  create(setup: ServiceSetup): ServiceInstance;
}

/**
 * Creates the channels between services of one run.
 *
 * @param capacity - the most channels (default 64)
 * @returns the links
 * @throws RangeError when more than `capacity` channels are named
 * @example
 * ```ts
 * const links = createLinks();
 * links.values[links.channel('care-homes.waiting')] = 12;
 * ```
 * @category Services
 */
export function createLinks(capacity = 64): ServiceLinks {
  const names = new Map<string, number>();
  const values = new Float64Array(capacity);
  return {
    values,
    channel(name: string): number {
      let i = names.get(name);
      if (i === undefined) {
        if (names.size >= capacity) throw new OptionError(`createLinks: more than ${capacity} channels; "${name}" does not fit`, { option: 'channel' });
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
 * @returns a history with zeroed figures and a service level of 1
 * @example
 * ```ts
 * createHistory(132).costKr.length; //=> 132
 * ```
 * @category Services
 */
export function createHistory(length: number, metricCount = 0): ServiceHistory {
  return {
    metrics: Array.from({ length: metricCount }, () => new Float64Array(length)),
    serviceLevel: new Float64Array(length).fill(1),
    neededUnits: new Float64Array(length),
    orderedUnits: new Float64Array(length),
    deliveredUnits: new Float64Array(length),
    costKr: new Float64Array(length),
  };
}
