import { describe, expect, it } from 'vitest';
import { lejre2034, RECORDED_FIGURES, simulate, SimulationError, type SimulationResult } from '../../src/index';
import { createSimulationPool, simulateParallel } from '../../src/node/index';
import { lejreHomeCare } from '../fixtures';

const fixtures = new URL('../fixtures/strategies.ts', import.meta.url);
const scenario = { ...lejreHomeCare(), paths: 1200 };

describe('the worker pool never takes the host down', () => {
  it('a kept pool survives twenty runs in which several workers fail at once, then runs correctly', async () => {
    const pool = createSimulationPool({ threads: 2 });
    try {
      for (let run = 0; run < 20; run++) {
        // Small chunks: both workers hold failing tasks at the same moment, and replies arrive after the run gave up.
        const exportName = run % 3 === 0 ? 'throwsString' : run % 3 === 1 ? 'failing' : 'notArray';
        const error = await pool
          .simulate(scenario, { chunkSize: 50, strategyModule: { url: fixtures, exportName } })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error, `run ${run}`).toBeInstanceOf(SimulationError);
        // A hook that throws is named with its strategy, hook, service, year and path; a module that cannot load fails its worker.
        expect((error as SimulationError).code).toBe(exportName === 'notArray' ? 'WORKER_FAILED' : 'STRATEGY_FAILED');
        if (exportName !== 'notArray')
          expect(error).toMatchObject({
            hook: 'adopt',
            service: 'home-care',
            year: exportName === 'failing' ? 2030 : 2024,
          });
        const expected = {
          throwsString: 'threw the string "budget model unavailable"',
          failing: 'deliberate failure in 2030',
          notArray: 'must be an array of strategies',
        }[exportName];
        expect((error as Error).message).toContain(expected);
        expect((error as Error).message).not.toContain('undefined');
      }
      const { result } = await pool.simulate(scenario, { summaryMode: 'exact', chunkSize: 300 });
      const single = simulate(scenario);
      for (const f of RECORDED_FIGURES)
        expect(
          Buffer.from((result as SimulationResult).figures[f].buffer).equals(Buffer.from(single.figures[f].buffer)),
          f,
        ).toBe(true);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('a run on its own threads fails cleanly when several workers fail at once, twice over', async () => {
    for (let run = 0; run < 2; run++) {
      await expect(
        simulateParallel(scenario, {
          threads: 2,
          chunkSize: 50,
          minParallelPaths: 0,
          strategyModule: { url: fixtures, exportName: 'notArray' },
        }),
      ).rejects.toThrow(/must be an array of strategies/);
    }
  }, 60_000);

  it('refuses 100,000,000 paths with per-path results before any thread starts', async () => {
    const started = Date.now();
    await expect(
      simulateParallel({ ...lejre2034(), paths: 100_000_000 }, { threads: 2, summaryMode: 'exact' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'RUN_TOO_LARGE' }) as never);
    await expect(
      simulateParallel({ ...lejre2034(), paths: 100_000_000 }, { threads: 2, summaryMode: 'exact' }),
    ).rejects.toThrow(/GiB.*streaming/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
