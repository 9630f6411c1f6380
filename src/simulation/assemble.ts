import type { Scenario } from '../scenario/schema';
import { buildTimeline, type Timeline } from '../scenario/timeline';
import { createWorld, type Driver, type World } from '../drivers/world';
import { baselinePopulation, populationDriver } from '../drivers/population';
import { forecastIndex, priceDriver } from '../drivers/prices';
import type { ServiceDefinition } from '../services/service';
import { homeCare } from '../services/homeCare';
import { careHomes } from '../services/careHomes';
import { specialised } from '../services/specialised';

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
    populationDriver(
      scenario.population,
      scenario.baseYear,
      scenario.horizonYears,
      scenario.seed,
      parts.correlationFactor,
    ),
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
