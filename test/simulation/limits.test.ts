import { describe, expect, it } from 'vitest';
import { buildModel, frame, parseScenario, runModel, type StrategyDefinition } from '../../src/index';
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
