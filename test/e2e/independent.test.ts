import { describe, expect, it } from 'vitest';
import {
  activity,
  buildModel,
  careHomes,
  figureValues,
  frame,
  homeCare,
  hybrid,
  lejre2034,
  parseScenario,
  presets,
  runModel,
  specialised,
  type ServiceDefinition,
} from '../../src/index';
import { expectIdentical } from '../support/identical';

/** The service with its `reset` and `step` calls counted, marked as independent of the steering or not. */
function counted(
  definition: ServiceDefinition,
  independentOfSteering: boolean,
  calls: { reset: number; step: number },
): ServiceDefinition {
  return {
    ...definition,
    independentOfSteering,
    create(setup) {
      const inner = definition.create(setup);
      return {
        baseline: inner.baseline,
        reset(path) {
          calls.reset++;
          inner.reset(path);
        },
        step(p, world, out) {
          calls.step++;
          inner.step(p, world, out);
        },
      };
    },
  };
}

describe('services independent of the steering', () => {
  const strategies = [frame({ serviceResponse: {} }), activity(), hybrid()];
  // Stepped under each strategy, a service is stepped twice a path: under the responding frame,
  // and under activity for itself and the hybrid, which share their paths (neither sets a
  // service level).
  const stepping = 2;
  const paths = 40;

  it('care homes are stepped once per path, and every strategy, home care included, gets the numbers it gets when they are stepped under each', () => {
    const scenario = parseScenario({ ...lejre2034(), paths });
    const run = (independent: boolean) => {
      const calls = { reset: 0, step: 0 };
      const services = [
        ...careHomes(scenario.careHomes!).map((d) => counted(d, independent, calls)),
        ...homeCare(scenario.homeCare!),
      ];
      const model = buildModel(scenario, { services, replaceServices: true });
      return { result: runModel(model, strategies, { paths }), calls, periods: model.timeline.periodCount };
    };
    const once = run(true);
    const each = run(false);
    expect(once.calls).toEqual({ reset: paths, step: paths * once.periods });
    expect(each.calls).toEqual({ reset: paths * stepping, step: paths * each.periods * stepping });
    // Home care reads the care homes' waiting list through a channel: the later strategies get
    // the values the care homes wrote under the first, period by period.
    expectIdentical(each.result, once.result);
    // The waiting list feeds home care: without the channel's values home care would differ.
    const waiting = once.result.metrics['care-homes.waiting']!;
    expect(waiting.some((x) => x > 0)).toBe(true);
  });

  it('the specialised area is stepped once per path with the same numbers', () => {
    const scenario = parseScenario({ ...presets['herning-specialised']!(), paths });
    const run = (independent: boolean) => {
      const calls = { reset: 0, step: 0 };
      const model = buildModel(scenario, {
        services: specialised(scenario.specialised!).map((d) => counted(d, independent, calls)),
        replaceServices: true,
      });
      return { result: runModel(model, strategies, { paths }), calls };
    };
    const once = run(true);
    const each = run(false);
    expect(once.calls.reset).toBe(paths);
    expect(each.calls.reset).toBe(paths * stepping);
    expectIdentical(each.result, once.result);
  });

  it("a service stepped under every strategy keeps each strategy's own figures; marked independent, it would not", () => {
    // Home care follows each strategy's service level, so it is not independent of the steering.
    const scenario = parseScenario({ ...lejre2034(), paths, careHomes: undefined });
    const delivered = (independent: boolean) => {
      const calls = { reset: 0, step: 0 };
      const model = buildModel(scenario, {
        services: homeCare(scenario.homeCare!).map((d) => counted(d, independent, calls)),
        replaceServices: true,
      });
      const r = runModel(model, strategies, { paths });
      return strategies.map((s) =>
        Array.from(figureValues(r, { strategy: s.id, service: 'home-care', year: 2034, figure: 'deliveredUnits' })),
      );
    };
    expect(homeCare(scenario.homeCare!)[0]!.independentOfSteering).toBeUndefined();
    const own = delivered(false);
    expect(own[0]).not.toEqual(own[1]);
    const shared = delivered(true);
    expect(shared[1]).toEqual(shared[0]);
    expect(shared[0]).toEqual(own[0]);
  });
});
