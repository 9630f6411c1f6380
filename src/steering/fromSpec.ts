import { strategySpecId } from '../scenario/kinds';
import type { StrategySpec } from '../scenario/schema';
import { activity } from './activity';
import { demographicFrame, frame, hybrid, type FrameOptions } from './frame';
import type { StrategyDefinition } from './strategy';

/**
 * Turns the built-in strategies named in a scenario file into strategy plug-ins.
 *
 * @param specs - the scenario's `strategies` (validated)
 * @returns one plug-in per spec, in order
 * @example
 * ```ts
 * strategiesFromSpecs(parseScenario(lejre2034()).strategies).map((s) => s.id); //=> ['frame', 'activity']
 * ```
 * @category Steering
 */
export function strategiesFromSpecs(specs: readonly StrategySpec[]): StrategyDefinition[] {
  return specs.map((spec) => {
    // The id validation checked for uniqueness, from the same function.
    const id = { id: strategySpecId(spec) };
    if (spec.kind === 'activity') {
      return activity({
        ...id,
        basis: spec.basis,
        priceCorrection: spec.priceCorrection,
        ...(spec.unit === undefined ? {} : { unit: spec.unit }),
        ...(spec.unpaidLines === undefined ? {} : { unpaidLines: spec.unpaidLines }),
        ...(spec.pricePerUnitKr === undefined ? {} : { pricePerUnitKr: spec.pricePerUnitKr }),
      });
    }
    const common: FrameOptions = {
      ...id,
      carryOver: spec.carryOver,
      adjustmentsKr: spec.adjustmentsKr,
      ...(spec.serviceResponse === undefined ? {} : { serviceResponse: spec.serviceResponse }),
      ...(spec.deficitGuarantee === undefined
        ? {}
        : {
            deficitGuarantee: {
              kr: spec.deficitGuarantee.kr,
              years: spec.deficitGuarantee.years,
              ...(spec.deficitGuarantee.from === undefined ? {} : { from: spec.deficitGuarantee.from }),
              ...(spec.deficitGuarantee.services === undefined ? {} : { services: spec.deficitGuarantee.services }),
            },
          }),
    };
    switch (spec.kind) {
      case 'frame':
        return frame(common);
      case 'demographicFrame':
        return demographicFrame({
          ...common,
          expost: spec.expost,
          healthyAgeingPerYear: spec.healthyAgeingPerYear,
          ...(spec.unitCostKr === undefined ? {} : { unitCostKr: spec.unitCostKr }),
        });
      case 'hybrid':
        return hybrid({
          ...common,
          mode: spec.mode,
          corridor: spec.corridor,
          marginalRate: spec.marginalRate,
          regulate: spec.regulate,
          basis: spec.basis,
        });
    }
  });
}
