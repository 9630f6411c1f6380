import type { World } from '../drivers/world';
import type { ServiceDefinition, ServiceHistory } from '../services/service';
import { LookAheadError, type StrategyDefinition } from '../steering/strategy';
import { InvalidParameterError } from '../random/errors';
import { OptionError, sharedErrorClass } from '../errors';
import { ResultError } from './result';

/**
 * What went wrong in a run, as a stable code (see docs/errors.md):
 * - `INVALID_OPTION`: an option the run cannot use (paths, chunk size, strategies ...)
 * - `NON_FINITE_BUDGET`: a strategy returned a budget that is not a finite number
 * - `INVALID_SERVICE_LEVEL`: a strategy set a service level outside [0, 1]
 * - `NON_FINITE_FIGURE`: a service's figure or metric became NaN or infinite (the numeric guard)
 * - `STRATEGY_FAILED`: a strategy's hook threw (the original is the `cause`)
 * - `SERVICE_FAILED`: a service's `create`, `reset` or `step` threw (the original is the `cause`)
 * - `RUN_TOO_LARGE`: the run's estimated memory or work exceeds the limits (nothing was run)
 * - `ABORTED`: the caller's signal stopped the run
 * - `WORKER_FAILED`: a worker thread failed or a plug-in threw in one
 *
 * @category Simulation
 */
export type SimulationErrorCode =
  | 'INVALID_OPTION'
  | 'NON_FINITE_BUDGET'
  | 'INVALID_SERVICE_LEVEL'
  | 'NON_FINITE_FIGURE'
  | 'STRATEGY_FAILED'
  | 'SERVICE_FAILED'
  | 'RUN_TOO_LARGE'
  | 'ABORTED'
  | 'WORKER_FAILED';

/** The structured fields of a {@link SimulationError}, each present where it is known. @category Simulation */
export interface SimulationErrorDetails {
  readonly code?: SimulationErrorCode;
  /** The strategy's id. */
  readonly strategy?: string;
  /**
   * The strategy hook: `adopt`, `open`, `followUp`, `settle`, `carryOver` or `serviceLevel`; for
   * `SERVICE_FAILED`, the service's `create`, `reset` or `step`.
   */
  readonly hook?: string;
  /** The service's id. */
  readonly service?: string;
  /** The calendar year. */
  readonly year?: number;
  /** The path index: `replayPath(scenario, path)` reproduces it. */
  readonly path?: number;
  /** The period index within the run (0 = the first month, quarter or year). */
  readonly period?: number;
  /** The figure or metric concerned, for example `costKr` or `care-homes.waiting`. */
  readonly figure?: string;
  /** The input behind a non-finite figure, where known, for example `population 80+` or `price index`. */
  readonly input?: string;
  /** The offending value. */
  readonly value?: number;
}

/**
 * Thrown when a run is given options it cannot use, a plug-in misbehaves (returns a budget that
 * is not a finite number, reads the future), a figure becomes non-finite, the run is too large,
 * or the run is aborted. `code` says which (stable); the other fields say where.
 *
 * @category Simulation
 */
export class SimulationError extends Error {
  readonly code: SimulationErrorCode;
  readonly strategy?: string;
  readonly hook?: string;
  readonly service?: string;
  readonly year?: number;
  readonly path?: number;
  readonly period?: number;
  readonly figure?: string;
  readonly input?: string;
  readonly value?: number;

  /**
   * @param message - what went wrong, for people
   * @param options - the cause, and the structured fields ({@link SimulationErrorDetails};
   *   `code` defaults to `INVALID_OPTION`)
   */
  constructor(message: string, options: { readonly cause?: unknown } & SimulationErrorDetails = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SimulationError';
    const { cause: _cause, code, ...fields } = options;
    this.code = code ?? 'INVALID_OPTION';
    for (const [k, v] of Object.entries(fields))
      if (v !== undefined) Object.defineProperty(this, k, { value: v, enumerable: true });
  }
}
sharedErrorClass(SimulationError, 'SimulationError');

/**
 * Checks a count option: a safe integer of at least `min`, or a {@link SimulationError} naming
 * the option, the value and what was expected.
 *
 * @internal
 */
export function requireCount(name: string, value: number, min: number): number {
  if (!(Number.isSafeInteger(value) && value >= min)) {
    throw new SimulationError(
      `${name} must be ${min === 0 ? 'a non-negative integer' : `an integer >= ${min}`}; received ${String(value)}`,
    );
  }
  return value;
}

/**
 * The error of a hook that returned a budget that is not a finite number.
 *
 * @param value - the budget returned
 * @param strategy - the strategy whose hook returned it
 * @param service - the service it was deciding for
 * @param hook - the hook's name, for example `settle`
 * @param year - the calendar year decided on
 * @param path - the path index
 * @returns a `NON_FINITE_BUDGET` error naming them
 * @example
 * ```ts
 * throw nonFiniteBudget(NaN, strategy, service, 'open', 2025, 17);
 * ```
 * @internal
 */
/**
 * The largest budget a strategy may return, either way: 10¹⁵ kr (a thousand times the Danish
 * state's budget), so that sums over years, paths and services stay finite.
 *
 * @internal
 */
export const MAX_BUDGET_KR = 1e15;

export function nonFiniteBudget(
  value: number,
  strategy: StrategyDefinition,
  service: ServiceDefinition,
  hook: string,
  year: number,
  path: number,
): SimulationError {
  return new SimulationError(
    `strategy "${strategy.id}" returned ${typeof value === 'number' ? String(value) : `a value of type ${typeof value}, not a number,`} from ${hook} for service "${service.id}", year ${year}; expected a finite number of kr from -1e15 to 1e15`,
    {
      code: 'NON_FINITE_BUDGET',
      strategy: strategy.id,
      hook,
      service: service.id,
      year,
      value,
      path,
    },
  );
}

/**
 * The error of a `serviceLevel` hook that returned a level outside [0, 1].
 *
 * @param level - the level returned
 * @param strategy - the strategy whose hook returned it
 * @param service - the service it was set for
 * @param year - the calendar year
 * @param path - the path index
 * @returns an `INVALID_SERVICE_LEVEL` error naming them
 * @example
 * ```ts
 * throw levelError(1.2, strategy, service, 2025, 17);
 * ```
 * @internal
 */
export function levelError(
  level: number,
  strategy: StrategyDefinition,
  service: ServiceDefinition,
  year: number,
  path: number,
): SimulationError {
  return new SimulationError(
    `strategy "${strategy.id}" set the service level of "${service.id}" to ${String(level)} in ${year}; expected a number in [0, 1]`,
    {
      code: 'INVALID_SERVICE_LEVEL',
      strategy: strategy.id,
      hook: 'serviceLevel',
      service: service.id,
      year,
      path,
      value: level,
    },
  );
}

/**
 * Whether an error is one of the library's, which a strategy's hook may let through unchanged (a
 * look-ahead, say); any other error a hook throws is wrapped as `STRATEGY_FAILED`.
 *
 * @param e - what a hook threw
 * @returns true for the library's own error classes
 * @example
 * ```ts
 * isLibraryError(new LookAheadError('period', 3, 2)); //=> true
 * ```
 * @internal
 */
export function isLibraryError(e: unknown): boolean {
  return (
    e instanceof SimulationError ||
    e instanceof LookAheadError ||
    e instanceof OptionError ||
    e instanceof ResultError ||
    e instanceof InvalidParameterError
  );
}

/**
 * The numeric guard's error: finds the first period of the year whose figure or metric is not
 * finite, and the input behind it where the world shows one (a population or the price index).
 *
 * @param history - the service's history on the path
 * @param metricIds - its metrics' keys, `service.metric`
 * @param from - the year's first period
 * @param to - the period after its last
 * @param world - the path's world
 * @param y - the year's index
 * @param path - the path index
 * @param service - the service's id
 * @param year - the calendar year
 * @returns a `NON_FINITE_FIGURE` error naming the service, the figure, the period and the input
 * @example
 * ```ts
 * throw nonFiniteFigure(history, ['care-homes.waiting'], 12, 24, world, 2, 17, 'care-homes', 2026);
 * ```
 * @internal
 */
export function nonFiniteFigure(
  history: ServiceHistory,
  metricIds: readonly string[],
  from: number,
  to: number,
  world: World,
  y: number,
  path: number,
  service: string,
  year: number,
): SimulationError {
  const series: [string, Float64Array][] = [
    ['costKr', history.costKr],
    ['neededUnits', history.neededUnits],
    ['orderedUnits', history.orderedUnits],
    ['deliveredUnits', history.deliveredUnits],
  ];
  metricIds.forEach((m, k) => series.push([m, history.metrics[k]!]));
  let figure = 'a yearly sum (it overflows)';
  let period = from;
  let value = NaN;
  search: for (let p = from; p < to; p++) {
    for (const [name, a] of series) {
      if (!Number.isFinite(a[p]!)) {
        figure = name;
        period = p;
        value = a[p]!;
        break search;
      }
    }
  }
  const G = world.groupIds.length;
  let input: string | undefined;
  if (!Number.isFinite(world.priceIndex[y]!)) input = `price index ${String(world.priceIndex[y])}`;
  for (let g = 0; g < G && input === undefined; g++)
    if (!Number.isFinite(world.population[y * G + g]!))
      input = `population ${world.groupIds[g]} ${String(world.population[y * G + g])}`;
  return new SimulationError(
    `service "${service}" gave ${String(value)} for ${figure} in period ${period} (${year}) on path ${path}${input === undefined ? '' : `, from ${input}`}; replayPath(scenario, ${path}) reproduces it`,
    {
      code: 'NON_FINITE_FIGURE',
      service,
      year,
      path,
      period,
      figure,
      value,
      ...(input === undefined ? {} : { input }),
    },
  );
}
