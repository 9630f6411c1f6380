import { describe, expect, it } from 'vitest';
import {
  lejre2034,
  optimizeSteering as optimizeHere,
  SimulationError,
  type SteeringProblemInput,
} from '../../src/index';
import { optimizeSteering } from '../../src/node/index';

const problem: SteeringProblemInput = {
  candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
  objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
  constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.08 }],
  paths: 60,
  evaluations: 8,
  verify: { paths: 100, top: 2 },
};

describe('optimizeSteering on worker threads (carebudget/node)', () => {
  it('gives the same result, number for number, on 1 and 2 threads and as the library on its own', async () => {
    const progress: number[] = [];
    const [one, two, here] = [
      await optimizeSteering(lejre2034(), problem, { threads: 1 }),
      await optimizeSteering(lejre2034(), problem, {
        threads: 2,
        onProgress: (p) => progress.push(p.workDone / p.workTotal),
      }),
      await optimizeHere(lejre2034(), problem),
    ];
    expect(two).toEqual(one);
    expect(here).toEqual(one);
    // Every number, to the bit (toEqual treats -0 and 0 alike; JSON keeps every digit).
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.candidates.length).toBeGreaterThan(8);
    expect(one.verified).toHaveLength(2);
    // Reported through the search and the verification, never past the plan.
    expect(progress.at(-1)).toBeGreaterThan(0.5);
    expect(progress.every((x) => x <= 1)).toBe(true);
    expect(progress.every((x, i) => i === 0 || x >= progress[i - 1]!)).toBe(true);
  }, 120_000);

  it('refuses threads that are not a whole number >= 1 before any work', async () => {
    await expect(optimizeSteering(lejre2034(), problem, { threads: 0 })).rejects.toThrow(
      /threads must be an integer >= 1/,
    );
  });

  it('stops on abort with ABORTED, its pool closed', async () => {
    const controller = new AbortController();
    const run = optimizeSteering(lejre2034(), problem, {
      threads: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.evaluations >= 1) controller.abort();
      },
    });
    const e = await run.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SimulationError);
    expect((e as SimulationError).code).toBe('ABORTED');
  }, 60_000);
});
