import type { Scenario } from '../scenario/schema';
import type { Driver } from '../drivers/world';
import { correlationFactor } from '../drivers/correlation';
import type { ServiceDefinition } from '../services/service';
import { assembleModel, type Model } from './assemble';

/**
 * Builds the model of a validated scenario: population and price drivers, and the services the
 * scenario has (care homes, the specialised area, home care, which serves citizens waiting for
 * a care home). Pass `drivers` or `services` to replace them (for example a custom service).
 *
 * @param scenario - a validated scenario (see {@link parseScenario})
 * @param parts - optional replacements for the built-in drivers and services
 * @returns the model
 * @example
 * ```ts
 * const model = buildModel(parseScenario(lejre2034()));
 * model.timeline.periodCount; //=> 132
 * ```
 * @category Simulation
 */
export function buildModel(
  scenario: Scenario,
  parts: { drivers?: readonly Driver[]; services?: readonly ServiceDefinition[] } = {},
): Model {
  return assembleModel(scenario, {
    ...parts,
    correlationFactor: correlationFactor(scenario.population.correlation, scenario.population.groups.length),
  });
}
