import type { Scenario } from '../scenario/schema';
import type { Driver } from '../drivers/world';
import { correlationFactor } from '../drivers/correlation';
import type { ServiceDefinition } from '../services/service';
import { assembleModel, scenarioServices, type Model } from './assemble';
import { SimulationError } from './errors';

/**
 * What {@link buildModel} takes besides the scenario: drivers that replace the built-in ones,
 * services of your own beside the scenario's.
 *
 * @category Simulation
 */
export interface ModelOptions {
  /** Drivers replacing the built-in population and price drivers. */
  readonly drivers?: readonly Driver[];
  /**
   * Services added to those the scenario describes (care homes, the specialised area, home
   * care), stepping after them within each period, in the order given. With
   * `replaceServices: true`, the model's only services.
   */
  readonly services?: readonly ServiceDefinition[];
  /** Run `services` instead of the scenario's own services, not beside them (default false). */
  readonly replaceServices?: boolean;
}

/**
 * Builds the model of a validated scenario: population and price drivers, and the services the
 * scenario has (care homes, the specialised area, home care, which serves citizens waiting for
 * a care home), followed by any `services` of your own (for example a custom service). Pass
 * `drivers` to replace the built-in drivers, and `replaceServices: true` to run only the
 * `services` given.
 *
 * @param scenario - a validated scenario (see {@link parseScenario})
 * @param options - drivers replacing the built-in ones; services added to the scenario's (or
 *   replacing them, with `replaceServices: true`)
 * @returns the model
 * @throws {@link SimulationError} (`INVALID_OPTION`) when a service id appears twice, for example
 *   a service of your own with the id of one of the scenario's, naming the id
 * @example
 * ```ts
 * const model = buildModel(parseScenario(lejre2034()));
 * model.timeline.periodCount; //=> 132
 * model.services.map((s) => s.id); //=> ['care-homes', 'home-care']
 * // With a service of your own (examples/rehabilitation.ts), after the scenario's:
 * // buildModel(scenario, { services: [rehabilitation(options)] }) steps care-homes, home-care, rehabilitation
 * ```
 * @category Simulation
 */
export function buildModel(scenario: Scenario, options: ModelOptions = {}): Model {
  const own = options.replaceServices === true ? [] : scenarioServices(scenario);
  if (options.replaceServices === true && options.services === undefined)
    throw new SimulationError('replaceServices: expected services to run instead of the scenario’s; received none');
  const services = [...own, ...(options.services ?? [])];
  services.forEach((s, i) => {
    if (services.findIndex((x) => x.id === s.id) === i) return;
    throw new SimulationError(
      i >= own.length && own.some((x) => x.id === s.id)
        ? `services: "${s.id}" is one of the scenario's own services and is given again; give yours another id, or pass replaceServices: true to run only the services given`
        : `services: "${s.id}" is given twice; expected unique service ids`,
      { code: 'INVALID_OPTION', service: s.id },
    );
  });
  return assembleModel(scenario, {
    ...(options.drivers === undefined ? {} : { drivers: options.drivers }),
    services,
    correlationFactor: correlationFactor(scenario.population.correlation, scenario.population.groups.length),
  });
}
