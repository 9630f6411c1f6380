import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OptionError,
  activity,
  frame,
  mergeResults,
  RECORDED_FIGURES,
  ResultError,
  resultFromJSON,
  resultToJSON,
  simulate,
  SimulationError,
  type SimulationResult,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const scenario = { ...lejreHomeCare(), paths: 120 };

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectIdentical(a: SimulationResult, b: SimulationResult): void {
  expect(b.pathStart).toBe(a.pathStart);
  expect(b.pathCount).toBe(a.pathCount);
  for (const f of RECORDED_FIGURES) expect(bytes(b.figures[f]).equals(bytes(a.figures[f]))).toBe(true);
}

describe('reproducibility', () => {
  const whole = simulate(scenario);

  it('the same scenario and seed give the same numbers, bit for bit', () => {
    expectIdentical(whole, simulate(scenario));
  });

  it('another seed gives other numbers', () => {
    const other = simulate({ ...scenario, seed: 2035 });
    expect(other.figures.actualCostKr[0]).not.toBe(whole.figures.actualCostKr[0]);
  });

  it('the chunk size does not change the numbers', () => {
    expectIdentical(whole, simulate(scenario, { chunkSize: 7 }));
  });

  it('any split into parts, merged, equals the whole run', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 119 }), { maxLength: 5 }), (cuts) => {
        const bounds = [0, ...cuts.sort((x, y) => x - y), 120];
        const parts = [];
        for (let i = 0; i + 1 < bounds.length; i++)
          parts.push(simulate(scenario, { pathStart: bounds[i]!, paths: bounds[i + 1]! - bounds[i]! }));
        expectIdentical(whole, mergeResults(parts.reverse()));
      }),
      { numRuns: 15 },
    );
  });

  it('adding a strategy does not change what the others see (common random numbers)', () => {
    const two = simulate(scenario, { strategies: [frame(), activity()] });
    const three = simulate(scenario, {
      strategies: [frame(), activity({ id: 'activity-ordered', basis: 'ordered' }), activity()],
    });
    const n = scenario.paths * 11;
    // frame is first in both; activity is second in one and third in the other.
    expect(Array.from(three.figures.actualCostKr.subarray(0, n))).toEqual(
      Array.from(two.figures.actualCostKr.subarray(0, n)),
    );
    expect(Array.from(three.figures.actualCostKr.subarray(2 * n, 3 * n))).toEqual(
      Array.from(two.figures.actualCostKr.subarray(n, 2 * n)),
    );
  });

  it('results survive JSON and structured cloning unchanged', () => {
    expectIdentical(whole, resultFromJSON(JSON.parse(JSON.stringify(resultToJSON(whole)))));
    expectIdentical(whole, structuredClone(whole));
  });

  it('merging refuses overlaps, gaps and parts of different runs', () => {
    const a = simulate(scenario, { pathStart: 0, paths: 10 });
    const b = simulate(scenario, { pathStart: 5, paths: 10 });
    const c = simulate(scenario, { pathStart: 20, paths: 10 });
    const d = simulate({ ...scenario, seed: 1 }, { pathStart: 10, paths: 10 });
    expect(() => mergeResults([a, b])).toThrow(/overlap/);
    expect(() => mergeResults([a, c])).toThrow(/gap/);
    expect(() => mergeResults([a, d])).toThrow(ResultError);
    expect(() => mergeResults([])).toThrow(/at least one/);
    expect(() => resultFromJSON({ format: 'x' })).toThrow(ResultError);
  });
});

/** What a function throws. */
function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('run options', () => {
  it('reports progress with counts, rate and time left', () => {
    const seen: number[] = [];
    simulate(scenario, {
      chunkSize: 50,
      onProgress: (p) => {
        seen.push(p.pathsDone);
        expect(p.pathsTotal).toBe(120);
        expect(p.etaMs).toBeGreaterThanOrEqual(0);
      },
    });
    expect(seen).toEqual([50, 100, 120]);
  });

  it('stops on abort with a clear error', () => {
    const controller = new AbortController();
    expect(() =>
      simulate(scenario, {
        chunkSize: 10,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.pathsDone >= 30) controller.abort();
        },
      }),
    ).toThrowErrorMatchingInlineSnapshot(`[SimulationError: the run was aborted after 30 of 120 paths]`);
    expect(() => simulate(scenario, { signal: AbortSignal.abort() })).toThrow(SimulationError);
  });

  it('rejects bad options and duplicate strategy ids', () => {
    expect(() => simulate(scenario, { paths: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[SimulationError: paths must be an integer >= 1; received 0]`,
    );
    expect(() => simulate(scenario, { pathStart: -1 })).toThrow(/pathStart/);
    expect(() => simulate(scenario, { strategies: [] })).toThrow(/at least one strategy/);
    expect(() => simulate(scenario, { strategies: [frame(), frame()] })).toThrowErrorMatchingInlineSnapshot(
      `[SimulationError: strategies: expected unique ids; "frame" appears twice (give one an id option)]`,
    );
  });

  it('refuses what is not a strategy plug-in before anything runs, by its place in the list', () => {
    const create = frame().create;
    const cases: [unknown, RegExp][] = [
      [
        [{ kind: 'frame' }],
        /strategies\[0\]: expected a strategy plug-in such as frame\(\) or activity\(\); received a strategy spec \(kind "frame"\): .*strategiesFromSpecs/,
      ],
      [[frame(), 'activity'], /strategies\[1\]: expected a strategy plug-in .*; received "activity"/],
      [[{ label: 'no id', create }], /strategies\[0\]\.id: expected a non-empty string .*; received undefined/],
      [[{ id: '', label: 'empty id', create }], /strategies\[0\]\.id: expected a non-empty string .*; received ""/],
      [[{ id: 'x', create }], /strategies\[0\]\.label: expected a string .*; received undefined/],
      ['frame', /strategies: expected a non-empty list of strategies; received "frame"/],
    ];
    for (const [strategies, message] of cases) {
      expect(() => simulate(scenario, { strategies: strategies as never })).toThrow(message);
      // As the run's other options: a SimulationError INVALID_OPTION, the check's own error its cause.
      expect(() => simulate(scenario, { strategies: strategies as never })).toThrow(SimulationError);
      expect(caught(() => simulate(scenario, { strategies: strategies as never }))).toMatchObject({
        code: 'INVALID_OPTION',
        cause: expect.any(OptionError),
      });
    }
    // A plug-in may be a function carrying the fields, as the engine always ran it.
    const callable = Object.assign(() => undefined, { id: 'callable', label: 'Callable', create: frame().create });
    expect(simulate({ ...scenario, paths: 3 }, { strategies: [callable] }).strategies[0]!.id).toBe('callable');
  });
});
