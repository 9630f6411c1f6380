import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import {
  frame,
  lejre2034,
  RECORDED_FIGURES,
  simulate,
  SimulationError,
  simulateSummary,
  summarize,
  summarizeMetrics,
  type SimulationResult,
} from '../../src/index';
import {
  createSimulationPool,
  estimateRun,
  MIN_PARALLEL_STEPS,
  simulateParallel,
  staysOnCallingThread,
  type ParallelOptions,
} from '../../src/node/index';
import { parseScenario } from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const scenario = { ...lejreHomeCare(), paths: 3000 };
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const fixtures = new URL('../fixtures/strategies.ts', import.meta.url);

function expectIdentical(a: SimulationResult, b: SimulationResult): void {
  expect(b.pathCount).toBe(a.pathCount);
  for (const f of RECORDED_FIGURES) expect(bytes(b.figures[f]).equals(bytes(a.figures[f]))).toBe(true);
}

describe('simulateParallel (worker threads)', () => {
  const single = simulate(scenario);

  // One test a split, so that each is sized by one pooled run (worker start-up included) and
  // the suite keeps its timeout on a loaded machine.
  it.each([
    [2, 400],
    [2, 1111],
    [3, 3000],
  ] as const)(
    'is bit-identical to the single-threaded run with %i threads and chunks of %i paths',
    async (threads, chunkSize) => {
      const { result, threads: used } = await simulateParallel(scenario, { threads, chunkSize, minParallelPaths: 0 });
      expect(used).toBe(threads);
      expectIdentical(single, result as SimulationResult);
    },
  );

  // A worker loads mathjs only for formulas (their parser), when its scenario has one; the
  // correlated inputs' eigen-decomposition is the library's own.
  it.each([
    [
      'a formula trend',
      {
        homeCare: {
          ...lejreHomeCare().homeCare!,
          useRateTrendPerYear: undefined,
          useRateTrend: { formula: '(1 - h)^t', parameters: { h: { dist: 'normal', mean: 0.01, sd: 0.003 } } },
        },
      },
    ],
    [
      'correlated inputs',
      {
        homeCare: {
          ...lejreHomeCare().homeCare!,
          hoursPerRecipientPerWeek: { dist: 'lognormal', median: 3.2, p95: 4.2 },
          useRateFactor: { dist: 'normal', mean: 1, sd: 0.08 },
        },
        sampling: {
          correlations: [
            {
              inputs: ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor'],
              rank: [
                [1, 0.6],
                [0.6, 1],
              ],
            },
          ],
        },
      },
    ],
  ] as const)('is bit-identical to one thread for a scenario with %s', async (_, change) => {
    const s = { ...lejreHomeCare(), paths: 600, horizonYears: 4, ...change };
    const { result } = await simulateParallel(s, { threads: 2, chunkSize: 150, minParallelPaths: 0 });
    expectIdentical(simulate(s), result as SimulationResult);
  });

  it('a reusable pool runs several scenarios with the same guarantees', async () => {
    const pool = createSimulationPool({ threads: 2 });
    try {
      const a = await pool.simulate(scenario, { chunkSize: 700 });
      const b = await pool.simulate({ ...scenario, seed: 99 }, { paths: 1000 });
      expectIdentical(single, a.result as SimulationResult);
      expectIdentical(simulate({ ...scenario, seed: 99, paths: 1000 }), b.result as SimulationResult);
      expect(a.threads).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('stays on the calling thread for small runs', async () => {
    const { result, threads } = await simulateParallel({ ...scenario, paths: 500 });
    expect(threads).toBe(0);
    expect(result.pathCount).toBe(500);
  });

  it('runs custom strategies from a module, reported like built-in ones', async () => {
    const { result } = await simulateParallel(scenario, {
      threads: 2,
      minParallelPaths: 0,
      strategyModule: { url: fixtures },
    });
    expect(result.strategies.map((s) => s.id)).toEqual(['frame', 'frame-reserve']);
    const { strategies } = await import('../fixtures/strategies');
    expectIdentical(simulate(scenario, { strategies }), result as SimulationResult);
  });

  it('switches to streaming summaries above the memory budget', async () => {
    const { result } = await simulateParallel(scenario, { threads: 2, minParallelPaths: 0, memoryBudgetBytes: 1000 });
    expect(result.format).toBe('carebudget-summary');
    const exactRows = summarize(single, { figures: ['treasuryDeviationPct'] });
    const rows = summarize(result, { figures: ['treasuryDeviationPct'] });
    rows.forEach((r, i) => {
      expect(r.n).toBe(3000);
      expect(r.exceed[0]).toBe(exactRows[i]!.exceed[0]);
    });
  });

  // Streaming summaries are built from blocks of paths merged along a fixed tree: the same bits
  // on the calling thread, on one thread of a pool or on two, whatever the chunks.
  it.each([
    { t: 1, chunkSize: undefined, on: 'the calling thread' },
    { t: 2, chunkSize: 700, on: 'two threads, chunks of 700 paths' },
  ])('streaming summaries are bit for bit simulateSummary: $on', async ({ t, chunkSize }) => {
    const small = { ...lejreHomeCare(), paths: 2100 };
    const alone = JSON.stringify(simulateSummary(small, { blockPaths: 300, chunkSize: 2100 }));
    const { result, threads } = await simulateParallel(small, {
      threads: t,
      minParallelPaths: 0,
      summaryMode: 'streaming',
      blockPaths: 300,
      ...(chunkSize === undefined ? {} : { chunkSize }),
    });
    expect(threads).toBe(t === 1 ? 0 : 2);
    expect(JSON.stringify(result)).toBe(alone);
  });

  it("streaming summaries from the pool keep the services' metrics", async () => {
    const homes = { ...lejre2034(), paths: 2500 };
    const { result, threads } = await simulateParallel(homes, {
      threads: 2,
      chunkSize: 600,
      minParallelPaths: 0,
      summaryMode: 'streaming',
      metrics: ['care-homes.waiting'],
    });
    expect(threads).toBe(2);
    expect(result.format === 'carebudget-summary' ? result.metricKeys : undefined).toEqual(['care-homes.waiting']);
    const exactRows = summarizeMetrics(simulate(homes), { metrics: ['care-homes.waiting'] });
    const rows = summarizeMetrics(result, { metrics: ['care-homes.waiting'] });
    expect(rows).toHaveLength(exactRows.length);
    rows.forEach((r, i) => {
      expect(r.n).toBe(2500);
      expect(r.mean).toBeCloseTo(exactRows[i]!.mean, 9);
      expect(r.max).toBe(exactRows[i]!.max);
    });
  });

  it('rejects an unknown summary mode or a memory budget that is not a positive number, naming the value', async () => {
    await expect(simulateParallel(scenario, { summaryMode: 'fast' as never })).rejects.toThrow(
      'summaryMode must be "auto", "exact" or "streaming"; received "fast"',
    );
    await expect(
      simulateParallel(scenario, { threads: 2, minParallelPaths: 0, summaryMode: 'fast' as never }),
    ).rejects.toThrow(SimulationError);
    for (const bad of [-1, 0, Number.NaN]) {
      await expect(simulateParallel({ ...scenario, paths: 100 }, { memoryBudgetBytes: bad })).rejects.toThrow(
        `memoryBudgetBytes must be a positive number of bytes; received ${String(bad)}`,
      );
    }
  });

  it('keeps per-path results while they fit the memory budget, to the byte, and summaries beyond', async () => {
    for (const s of [
      { ...scenario, paths: 400 },
      { ...lejre2034(), paths: 200 },
    ]) {
      const exact = simulate(s);
      const bytes = [...Object.values(exact.figures), ...Object.values(exact.metrics)].reduce(
        (a, x) => a + x.byteLength,
        0,
      );
      const fits = await simulateParallel(s, { memoryBudgetBytes: bytes });
      expect(fits.result.format).toBe('carebudget-result');
      const over = await simulateParallel(s, { memoryBudgetBytes: bytes - 1 });
      expect(over.result.format).toBe('carebudget-summary');
    }
  });

  it('converges in parallel batches', async () => {
    const { convergence, result } = await simulateParallel(
      { ...scenario, paths: 20_000 },
      {
        threads: 2,
        convergence: {
          strategy: 'frame',
          year: 2034,
          figure: 'treasuryDeviationKr',
          percentile: 95,
          targetMcse: 600_000,
          batchPaths: 1000,
        },
      },
    );
    expect(convergence?.reached).toBe(true);
    expect(result.pathCount).toBe(convergence!.final.paths);
    expectIdentical(simulate({ ...scenario, paths: result.pathCount }), result as SimulationResult);
  });

  it('refuses a bad streaming option on the calling thread as on the pool', async () => {
    const small = { ...scenario, horizonYears: 2, paths: 50 };
    for (const threads of [1, 2])
      for (const [option, message] of [
        [{ blockPaths: 0 }, /^blockPaths must be a whole number >= 1; received 0$/],
        [{ compression: 0 }, /compression must be a number >= 20; received 0/],
      ] as const)
        await expect(
          simulateParallel(small, { threads, minParallelPaths: 0, summaryMode: 'streaming', ...option }),
          `${JSON.stringify(option)} on ${threads} thread(s)`,
        ).rejects.toThrow(message);
  });

  it('converges on streaming summaries to the summary of a run of its paths in one go, bit for bit', async () => {
    const small = { ...scenario, horizonYears: 3, paths: 2500 };
    const { convergence, result } = await simulateParallel(small, {
      threads: 2,
      summaryMode: 'streaming',
      blockPaths: 1000,
      minParallelPaths: 0,
      convergence: { strategy: 'frame', year: 2025, figure: 'treasuryDeviationKr', targetMcse: 1, batchPaths: 300 },
    });
    expect(convergence!.final.paths).toBe(2500);
    const once = simulateSummary(small, { blockPaths: 1000 });
    expect(JSON.stringify(result)).toBe(JSON.stringify(once));
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await simulateParallel(scenario, {
      threads: 2,
      chunkSize: 500,
      minParallelPaths: 0,
      onProgress: (p) => seen.push(p.pathsDone),
    });
    expect(seen).toHaveLength(6);
    expect(seen.at(-1)).toBe(3000);
  });

  it('stops within a second on abort, with a clear error and no worker left', async () => {
    const before = countThreads();
    // Aborts at several moments: before the workers start, while they load, while they run.
    for (const delayMs of [0, 150, 300, 500]) {
      const controller = new AbortController();
      const started = Date.now();
      const run = simulateParallel(
        { ...lejreHomeCare(), paths: 2_000_000 },
        // A long run (above the default time limit, raised knowingly), stopped long before its end.
        { threads: 2, chunkSize: 5000, signal: controller.signal, limits: { maxSteps: 1e12 } },
      );
      setTimeout(() => controller.abort(), delayMs);
      await expect(run).rejects.toThrow(/aborted/);
      expect(Date.now() - started).toBeLessThan(delayMs + 1000 + 2000);
      expect(await threadsSettled(before)).toBe(before);
    }
  });

  it('a kept pool survives aborted runs, runs again, and closes with no worker left', async () => {
    const before = countThreads();
    const pool = createSimulationPool({ threads: 2 });
    for (const delayMs of [100, 400]) {
      const controller = new AbortController();
      const run = pool.simulate(
        { ...lejreHomeCare(), paths: 2_000_000 },
        { chunkSize: 5000, signal: controller.signal, limits: { maxSteps: 1e12 } },
      );
      setTimeout(() => controller.abort(), delayMs);
      await expect(run).rejects.toThrow(/aborted/);
    }
    const { result } = await pool.simulate({ ...lejreHomeCare(), paths: 3000 }, { summaryMode: 'exact' });
    expect(Array.from((result as SimulationResult).figures.actualCostKr!.subarray(0, 50))).toEqual(
      Array.from(simulate({ ...lejreHomeCare(), paths: 3000 }).figures.actualCostKr!.subarray(0, 50)),
    );
    await pool.close();
    await pool.close();
    expect(await threadsSettled(before)).toBe(before);
  });

  it('surfaces a failing worker as an error naming the failure, never a hang', async () => {
    await expect(
      simulateParallel(scenario, {
        threads: 2,
        minParallelPaths: 0,
        strategyModule: { url: fixtures, exportName: 'failing' },
      }),
    ).rejects.toThrow(/deliberate failure in 2030/);
  });

  it('surfaces a crashing worker as a SimulationError, never a hang', async () => {
    await expect(
      simulateParallel(scenario, {
        threads: 2,
        minParallelPaths: 0,
        strategyModule: { url: fixtures, exportName: 'crashing' },
      }),
    ).rejects.toThrow(SimulationError);
  });

  it('refuses strategies with code and bad options clearly', async () => {
    await expect(simulateParallel(scenario, { strategies: [frame() as never] })).rejects.toThrow(
      /pass a built-in one as its spec \(such as \{ kind: 'frame' \}.*or a custom one in strategyModule/,
    );
    await expect(simulateParallel(scenario, { threads: 0 })).rejects.toThrow(/threads/);
  });

  it('takes strategies as a scenario lists them, the options left out as there (typed so, no cast)', async () => {
    // Type-checked by tsc with the tests: specs as written in a scenario, with options omitted.
    const specs: ParallelOptions['strategies'] = [{ kind: 'frame', serviceResponse: {} }, { kind: 'activity' }];
    const run = await simulateParallel({ ...scenario, paths: 20 }, { strategies: specs, threads: 1 });
    expect(run.result.strategies.map((s) => s.id)).toEqual(['frame', 'activity']);
  });
});

/** Live worker threads in this process (a Worker created here counts too, so count by resource). */
/**
 * The live worker threads once they reach `expected`, or after 1 s: a worker's end is reported
 * by the operating system a moment after it was told to stop, later on a loaded machine.
 */
async function threadsSettled(expected: number): Promise<number> {
  const until = Date.now() + 1000;
  while (countThreads() !== expected && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return countThreads();
}

function countThreads(): number {
  void Worker;
  return (process as unknown as { getActiveResourcesInfo(): string[] })
    .getActiveResourcesInfo()
    .filter((r) => r === 'MessagePort' || r === 'Worker').length;
}

describe('worker protocol', () => {
  it('returns per-path figures as one buffer marked for transfer, not copy', async () => {
    const { default: runChunk } = await import('../../src/node/worker');
    const { transferableSymbol, valueSymbol } = await import('piscina');
    const { parseScenario, correlationFactor } = await import('../../src/index');
    const s = parseScenario({ ...lejreHomeCare(), paths: 10 });
    const out = (await runChunk({
      runId: 't',
      scenario: s,
      correlationFactor: Array.from(correlationFactor(s.population.correlation, 2)),
      strategies: { kind: 'specs', specs: s.strategies },
      pathStart: 3,
      paths: 10,
      mode: 'exact',
      streaming: {},
    })) as Record<symbol, unknown>;
    const buffer = out[transferableSymbol] as ArrayBuffer;
    const payload = out[valueSymbol] as { meta: { pathStart: number; pathCount: number }; buffer: ArrayBuffer };
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(payload.buffer).toBe(buffer);
    expect(payload.meta.pathStart).toBe(3);
    expect(buffer.byteLength).toBe(2 * 1 * 11 * 10 * RECORDED_FIGURES.length * 8);
  });

  it("writes into the calling thread's shared buffer, sends back only the shape, and refuses a buffer of another size", async () => {
    const { default: runChunk } = await import('../../src/node/worker');
    const { parseScenario, correlationFactor, simulate } = await import('../../src/index');
    const { allocateResult } = await import('../../src/simulation/result');
    const s = parseScenario({ ...lejreHomeCare(), paths: 10 });
    const task = (resultBuffer: SharedArrayBuffer) => ({
      runId: 't2',
      scenario: s,
      correlationFactor: Array.from(correlationFactor(s.population.correlation, 2)),
      strategies: { kind: 'specs' as const, specs: s.strategies },
      pathStart: 3,
      paths: 10,
      mode: 'exact' as const,
      streaming: {},
      resultBuffer,
    });
    const bytes = 2 * 1 * 11 * 10 * RECORDED_FIGURES.length * 8;
    const shared = new SharedArrayBuffer(bytes);
    const out = (await runChunk(task(shared))) as { meta: Parameters<typeof allocateResult>[0]; buffer?: unknown };
    expect(out.buffer).toBeUndefined();
    const here = simulate(s, { pathStart: 3, paths: 10 });
    const written = allocateResult(out.meta, shared);
    for (const f of RECORDED_FIGURES) expect(Array.from(written.figures[f])).toEqual(Array.from(here.figures[f]));
    // A buffer of another size is a bug of the calling thread's: refused, and left unwritten.
    const other = new SharedArrayBuffer(bytes + 8);
    await expect(runChunk(task(other))).rejects.toMatchObject({
      name: 'ResultError',
      fields: { code: 'INVALID_RESULT' },
      message: expect.stringMatching(/a result of this shape needs \d+ bytes; the buffer has \d+/) as string,
    });
    expect(new Float64Array(other).every((x) => x === 0)).toBe(true);
  });
});

describe('when threads would not pay', () => {
  const lejre = parseScenario(lejre2034());
  const S = lejre.strategies.length;
  const steps = (paths: number) => estimateRun(lejre, { paths, strategies: S }).steps;

  it('stays on the calling thread below MIN_PARALLEL_STEPS of estimated work, and uses threads above it', () => {
    // lejre-2034: threads saved an eighth of the wall time at 5,000 paths (for 1.4 times the CPU)
    // and a quarter at 10,000 on a 2-core machine.
    expect(steps(5_000)).toBeLessThan(MIN_PARALLEL_STEPS);
    expect(staysOnCallingThread(lejre, 5_000, S, 2, undefined, true)).toBe(true);
    expect(steps(10_000)).toBeGreaterThan(MIN_PARALLEL_STEPS);
    expect(staysOnCallingThread(lejre, 10_000, S, 2, undefined, true)).toBe(false);
    // The threshold lies between, by the estimate.
    expect(staysOnCallingThread(lejre, 7_000, S, 2, undefined, true)).toBe(true);
    expect(staysOnCallingThread(lejre, 8_500, S, 2, undefined, true)).toBe(false);
  });

  it('keeps the path floor, one thread, and minParallelPaths when given', () => {
    const tiny = parseScenario({ ...lejreHomeCare(), paths: 10 });
    // Home care alone: even 100,000 paths are little work by the estimate, but above the floor.
    expect(staysOnCallingThread(tiny, 1_999, 1, 4, undefined, true)).toBe(true);
    expect(staysOnCallingThread(lejre, 50_000, S, 1, undefined, true)).toBe(true);
    expect(staysOnCallingThread(lejre, 100, S, 2, 0, true)).toBe(false);
    expect(staysOnCallingThread(lejre, 50_000, S, 2, 60_000, true)).toBe(true);
  });

  it('uses the threads asked for above 2,000 paths, whatever the estimate', () => {
    expect(staysOnCallingThread(lejre, 10_000, S, 2, undefined, false)).toBe(false);
    expect(staysOnCallingThread(lejre, 1_999, S, 2, undefined, false)).toBe(true);
  });

  it('runs a run of little work on the calling thread by default (2,500 paths of home care)', async () => {
    const { threads } = await simulateParallel({ ...lejreHomeCare(), paths: 2500 });
    expect(threads).toBe(0);
  });
});
