import { describe, expect, it } from 'vitest';
import {
  activity,
  buildModel,
  demographicFrame,
  frame,
  hybrid,
  lejre2034,
  parseScenario,
  runModel,
  type ServiceDefinition,
  type SimulationResult,
  type StrategyDefinition,
} from '../../src/index';
import { rehabilitation } from '../../examples/rehabilitation';
import { scenarioServices } from '../../src/simulation/assemble';

// Strategies that never set a service level share the services' paths of the first of them:
// the services are stepped once for all of them, and each result is the one the strategy gives
// when it runs alone.

const scenario = parseScenario({ ...lejre2034(), paths: 6, horizonYears: 4 });

/** The rehabilitation example, counting its steps. */
function counted(): { service: ServiceDefinition; steps: () => number } {
  const base = rehabilitation({ group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 });
  let steps = 0;
  return {
    service: {
      ...base,
      create(setup) {
        const i = base.create(setup);
        return {
          baseline: i.baseline,
          reset: (path) => i.reset(path),
          step(p, world, out) {
            steps++;
            i.step(p, world, out);
          },
        };
      },
    },
    steps: () => steps,
  };
}

/** Strategy s's figures and metrics in a result, as plain arrays. */
function slice(r: SimulationResult, s: number): Record<string, number[]> {
  const n = r.pathCount;
  const V = r.services.length;
  const H = r.years.length;
  const out: Record<string, number[]> = {};
  for (const [k, a] of Object.entries(r.figures)) out[k] = Array.from(a.subarray(s * V * H * n, (s + 1) * V * H * n));
  for (const [k, a] of Object.entries(r.metrics))
    out[`metric ${k}`] = Array.from(a.subarray(s * H * n, (s + 1) * H * n));
  return out;
}

describe('strategies that keep the service level share the services’ paths', () => {
  const strategies: StrategyDefinition[] = [
    frame({ id: 'responding', serviceResponse: { threshold: 0 } }),
    demographicFrame(),
    activity(),
    hybrid(),
    frame({ id: 'responding-too', serviceResponse: { threshold: 0.005 } }),
    frame(),
  ];

  it('each strategy’s figures and metrics are bit for bit those it gives alone', () => {
    const model = buildModel(scenario);
    const together = runModel(model, strategies);
    strategies.forEach((s, i) => {
      const alone = runModel(buildModel(scenario), [s]);
      expect(slice(together, i), s.id).toEqual(slice(alone, 0));
    });
  });

  it('the services are stepped once for all of them, and once for each strategy that sets the level', () => {
    // The rehabilitation service gives no cost by age group, which a demographic frame needs.
    const some = strategies.filter((s) => s.id !== 'demographic-frame');
    const one = counted();
    runModel(buildModel(scenario, { services: [one.service] }), [activity()]);
    const all = counted();
    runModel(buildModel(scenario, { services: [all.service] }), some);
    // Two responding frames step their own paths; the three others share one.
    expect(one.steps()).toBeGreaterThan(0);
    expect(all.steps()).toBe(3 * one.steps());
  });

  it('a frame without a service response or corridor leaves followUp and serviceLevel to their defaults', () => {
    const setup = {
      timeline: buildModel(scenario).timeline,
      serviceId: 'home-care',
      baseline: { costKr: Float64Array.of(1e6, 1e6, 1e6, 1e6, 1e6) },
      baselineWorld: buildModel(scenario).baselineWorld,
      lines: [{ id: 'hours', unit: 'hours' }],
    } as never;
    const plain = frame().create(setup);
    expect([plain.followUp, plain.serviceLevel]).toEqual([undefined, undefined]);
    const responding = frame({ serviceResponse: {} }).create(setup);
    expect([typeof responding.followUp, typeof responding.serviceLevel]).toEqual(['function', 'function']);
  });
});

describe('a service that reads a channel before its writer has stepped', () => {
  // Home care before the care homes: in each period home care reads the waiting list the care
  // homes wrote in the period before, and in the first period the channel's base-year baseline.
  const reversed = parseScenario({ ...lejre2034(), paths: 4, horizonYears: 2 });
  const model = () =>
    buildModel(reversed, { services: [...scenarioServices(reversed)].reverse(), replaceServices: true });
  const strategies = [frame(), activity(), hybrid()];

  it('reads the same on a path whatever ran before it: a path alone is the path in the run', () => {
    const whole = runModel(model(), strategies);
    for (const path of [0, 2]) {
      const alone = runModel(model(), strategies, { pathStart: path, paths: 1 });
      const n = whole.pathCount;
      for (const [k, a] of Object.entries(whole.figures))
        expect(Array.from(alone.figures[k as keyof typeof alone.figures]), `${k}, path ${path}`).toEqual(
          Array.from({ length: a.length / n }, (_, r) => a[r * n + path]!),
        );
    }
  });

  it('each strategy’s numbers are those it gives alone', () => {
    const together = runModel(model(), strategies);
    strategies.forEach((s, i) => expect(slice(together, i), s.id).toEqual(slice(runModel(model(), [s]), 0)));
  });
});
