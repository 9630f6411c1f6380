import { describe, expect, it } from 'vitest';
import {
  buildModel,
  frame,
  activity,
  lejre2034,
  parseScenario,
  runModel,
  SimulationError,
  type ServiceDefinition,
  type ServiceInstance,
} from '../../src/index';
import { rehabilitation } from '../../examples/rehabilitation';

const scenario = parseScenario({ ...lejre2034(), paths: 3, horizonYears: 2 });
const base = rehabilitation({ group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 });
/** The rehabilitation service with one part of its instance replaced. */
const changed = (change: (i: ServiceInstance) => Partial<ServiceInstance>): ServiceDefinition => ({
  ...base,
  create(setup) {
    const i = base.create(setup);
    return { ...i, ...change(i) };
  },
});
const run = (service: ServiceDefinition) => () =>
  runModel(buildModel(scenario, { services: [service] }), [frame({ serviceResponse: {} }), activity()]);

function failure(f: () => unknown): SimulationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimulationError);
    return e as SimulationError;
  }
  throw new Error('expected the run to fail');
}

describe('a service that fails is named: SERVICE_FAILED', () => {
  it('a step that throws: the service, step, strategy, year, period and path, with the cause', () => {
    let calls = 0;
    const e = failure(
      run(
        changed((i) => ({
          step(p, world, out) {
            if (++calls === 40) throw new TypeError('x is undefined');
            i.step(p, world, out);
          },
        })),
      ),
    );
    expect(e).toMatchObject({ code: 'SERVICE_FAILED', service: 'rehabilitation', hook: 'step', path: 0 });
    expect(e.strategy).toBe('activity');
    expect(e.year).toBe(2025);
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(
      /^service "rehabilitation" failed in step in 2025 \(period \d+\) under strategy "activity", path 0: x is undefined; replayPath\(scenario, 0\) reproduces it$/,
    );
  });

  it('a reset that throws, a create that throws or returns null, and a string thrown', () => {
    const reset = failure(
      run(
        changed(() => ({
          reset: () => {
            throw new RangeError('bad');
          },
        })),
      ),
    );
    expect(reset).toMatchObject({
      code: 'SERVICE_FAILED',
      service: 'rehabilitation',
      hook: 'reset',
      strategy: 'frame',
      path: 0,
    });
    expect(reset.year).toBeUndefined();
    const create = failure(
      run({
        ...base,
        create: () => {
          throw new Error('no data');
        },
      }),
    );
    expect(create.message).toBe('service "rehabilitation" failed in create: no data');
    expect(create).toMatchObject({ code: 'SERVICE_FAILED', hook: 'create' });
    const none = failure(run({ ...base, create: () => null as unknown as ServiceInstance }));
    expect(none.message).toBe(
      'service "rehabilitation": create returned null; expected an instance with baseline, reset and step',
    );
    const text = failure(
      run(
        changed(() => ({
          step: () => {
            throw 'oops';
          },
        })),
      ),
    );
    expect(text.message).toContain(
      'failed in step in 2024 (period 0) under strategy "frame", path 0: it threw the string "oops"',
    );
  });

  it("the library's own errors pass as they are (a NaN figure stays NON_FINITE_FIGURE)", () => {
    const e = failure(
      run(
        changed((i) => ({
          step(p, world, out) {
            i.step(p, world, out);
            out.costKr[p] = Number.NaN;
          },
        })),
      ),
    );
    expect(e.code).toBe('NON_FINITE_FIGURE');
  });
});
