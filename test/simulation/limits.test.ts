import { describe, expect, it } from 'vitest';
import { buildModel, frame, parseScenario, runModel, type StrategyDefinition } from '../../src/index';
import { checkRunSize, type RunLimits } from '../../src/simulation/estimate';
import { lejreHomeCare } from '../fixtures';

describe('runModel applies the run limits itself', () => {
  const model = buildModel(parseScenario({ ...lejreHomeCare(), paths: 20 }));

  /** A frame that counts its instances and the paths it is reset for. */
  const counted = () => {
    const seen = { created: 0, paths: 0 };
    const inner = frame();
    const strategy: StrategyDefinition = {
      id: 'counted',
      label: 'Counted',
      create(setup) {
        seen.created++;
        const inst = inner.create(setup);
        return { ...inst, reset: () => (seen.paths++, inst.reset?.()) };
      },
    };
    return { seen, strategy };
  };

  it('refuses tiny limits with RUN_TOO_LARGE before any strategy is created or any path runs', () => {
    for (const limits of [{ maxSteps: 10 }, { maxStepsPerPath: 10 }, { maxResultBytes: 100 }]) {
      const { seen, strategy } = counted();
      let progress = 0;
      expect(() => runModel(model, [strategy], { limits, onProgress: () => progress++ })).toThrow(
        expect.objectContaining({ name: 'SimulationError', code: 'RUN_TOO_LARGE' }) as never,
      );
      expect(seen).toEqual({ created: 0, paths: 0 });
      expect(progress).toBe(0);
    }
  });

  it('runs within the limits, and checks only its own paths', () => {
    const { seen, strategy } = counted();
    const r = runModel(model, [strategy], { paths: 5, limits: { maxResultBytes: 5 * 10_000 } });
    expect(r.pathCount).toBe(5);
    expect(seen.paths).toBe(5);
    // Without limits, the defaults apply: 20 paths of home care pass with room to spare.
    expect(runModel(model, [strategy]).pathCount).toBe(20);
  });

  it('sizes the results by the model’s own services', () => {
    const bytes = (paths: number) => {
      try {
        runModel(model, [frame()], { paths, limits: { maxResultBytes: 1 } });
      } catch (e) {
        return (e as { value: number }).value;
      }
      return NaN;
    };
    // Per strategy, service, year and path: the recorded figures of 8 bytes.
    expect(bytes(2)).toBe(2 * bytes(1));
    expect(bytes(1)).toBeGreaterThan(0);
  });
});

describe('checkRunSize for paths simulated elsewhere', () => {
  const scenario = parseScenario({ ...lejreHomeCare(), paths: 20 });
  const merge =
    (limits: RunLimits, extraSteps = 0) =>
    () =>
      checkRunSize(scenario, {
        paths: 1000,
        strategies: 2,
        perPathResults: true,
        limits,
        extraSteps,
        simulated: false,
      });

  it("ignores the paths' own work, which was done where they ran", () => {
    expect(() => merge({ maxSteps: 10, maxStepsPerPath: 10 })()).not.toThrow();
    expect(() =>
      checkRunSize(scenario, { paths: 1000, strategies: 2, perPathResults: true, limits: { maxSteps: 10 } }),
    ).toThrow(/this run needs about/);
  });

  it('checks the work after the paths and the memory of their results', () => {
    expect(merge({ maxSteps: 1e6 }, 2e6)).toThrow(
      expect.objectContaining({ code: 'RUN_TOO_LARGE', value: 2e6 }) as never,
    );
    expect(merge({ maxSteps: 1e6 }, 2e6)).toThrow(/the work after this run's paths \(the bootstrap\) needs about/);
    expect(merge({ maxSteps: 1e6 }, 5e5)).not.toThrow();
    expect(merge({ maxResultBytes: 100 })).toThrow(/per-path results of this run need/);
  });

  it('takes a limit given as undefined as the default, not as no limit', () => {
    const huge = { paths: 1e9, strategies: 4, perPathResults: false };
    expect(() => checkRunSize(scenario, { ...huge, limits: { maxSteps: undefined } as unknown as RunLimits })).toThrow(
      /this run needs about/,
    );
    expect(merge({ maxSteps: undefined } as unknown as RunLimits, 2e10)).toThrow(/the work after this run's paths/);
  });
});
