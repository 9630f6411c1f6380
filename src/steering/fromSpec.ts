import type { StrategySpec } from '../scenario/schema';
import { activity } from './activity';
import { frame } from './frame';
import type { StrategyDefinition } from './strategy';

/**
 * Turns the built-in strategies named in a scenario file into strategy plug-ins.
 *
 * @param specs - the scenario's `strategies` (validated)
 * @returns one plug-in per spec, in order
 * @example
 * ```ts
 * strategiesFromSpecs([{ kind: 'frame', carryOver: { surplusCap: 0.05, deficitCap: 0.02 }, adjustmentsKr: {} }])[0].id; //=> 'frame'
 * ```
 * @category Steering
 */
export function strategiesFromSpecs(specs: readonly StrategySpec[]): StrategyDefinition[] {
  return specs.map((spec) => {
    switch (spec.kind) {
      case 'frame':
        return frame({ ...(spec.id === undefined ? {} : { id: spec.id }), carryOver: spec.carryOver, adjustmentsKr: spec.adjustmentsKr });
      case 'activity':
        return activity({
          ...(spec.id === undefined ? {} : { id: spec.id }),
          basis: spec.basis,
          ...(spec.pricePerUnitKr === undefined ? {} : { pricePerUnitKr: spec.pricePerUnitKr }),
        });
    }
  });
}
