import type { InputSources } from '../random/inputs';
/**
 * One possible future: the drivers' values for one path, by year. Index 0 is the base year.
 * Buffers are allocated once per run and overwritten path by path.
 *
 * @category Drivers
 */
export interface World {
  /** Population group ids, in the order of the population arrays. */
  readonly groupIds: readonly string[];
  /** Persons by year and group: `population[y * groupIds.length + g]`. */
  readonly population: Float64Array;
  /** Cumulative price and wage index, base year = 1: `priceIndex[y]`. */
  readonly priceIndex: Float64Array;
}

/**
 * Allocates a world for `groups` population groups and `horizonYears` simulated years.
 *
 * @param groupIds - population group ids
 * @param horizonYears - simulated years
 * @returns a zeroed world
 * @example
 * ```ts
 * createWorld(['80+'], 11).population.length; //=> 12
 * ```
 * @category Drivers
 */
export function createWorld(groupIds: readonly string[], horizonYears: number): World {
  return {
    groupIds,
    population: new Float64Array((horizonYears + 1) * groupIds.length),
    priceIndex: new Float64Array(horizonYears + 1),
  };
}

/**
 * A driver: draws its part of the world for one path from its own stream. Drivers are
 * plug-ins; the simulation calls `draw` for each path without knowing what it draws.
 *
 * @category Drivers
 */
export interface Driver {
  readonly id: string;
  /** The input groups this driver draws from (see {@link InputSources}); a sensitivity analysis lists them. */
  readonly inputGroups?: readonly string[];
  /**
   * Writes this driver's values for `path` into `world`; the same path always gives the same
   * values. `inputs` (given by a run) maps the path to the stream path of each input group.
   */
  draw(path: number, world: World, inputs?: InputSources): void;
}
