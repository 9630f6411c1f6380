import { describe, expect, it } from 'vitest';
import {
  frame,
  hedenstedRecovery,
  lejre2034,
  OptionError,
  rankSensitivity as rankHere,
  sobolSensitivity as sobolHere,
  SimulationError,
  tornadoSensitivity as tornadoHere,
  twoLevelSensitivity as twoLevelHere,
  type ScenarioInput,
} from '../../src/index';
import { rankSensitivity, sobolSensitivity, tornadoSensitivity, twoLevelSensitivity } from '../../src/node/index';
import { failing } from '../fixtures/strategies';

const short: ScenarioInput = { ...lejre2034(), horizonYears: 3 };
const two = [{ kind: 'frame' }, { kind: 'activity' }] as const;
/** Two threads, chunks of 7 paths, and no run kept on the calling thread for being small. */
const pooled = { threads: 2, chunkSize: 7, minParallelPaths: 0 } as const;
const fixtures = new URL('../fixtures/strategies.ts', import.meta.url);

/** Equal as a whole, and to the bit: JSON keeps every digit of every number. */
function expectSame(pool: unknown, here: unknown): void {
  expect(pool).toEqual(here);
  expect(JSON.stringify(pool)).toBe(JSON.stringify(here));
}

/** The progress reports of a run: the pool reports each chunk of 7, the calling thread once per 1,000 paths. */
function reports(): { readonly count: () => number; readonly onProgress: () => void } {
  let n = 0;
  return { count: () => n, onProgress: () => void n++ };
}

describe('the sensitivity analyses on worker threads (carebudget/node)', () => {
  // One test an analysis, each sized by one pooled analysis of a few hundred paths at most.
  it('sobolSensitivity gives the one-thread analysis bit for bit, on a pool in chunks', async () => {
    const options = { n: 12, bootstrap: 40, years: [2024, 2026] };
    const seen = reports();
    const pool = await sobolSensitivity(short, { ...options, ...pooled, strategies: two, onProgress: seen.onProgress });
    expectSame(pool, sobolHere({ ...short, strategies: [...two] }, options));
    // 12 × (6 + 2) = 96 paths in chunks of 7: the pool ran them.
    expect(pool.paths).toBe(96);
    expect(seen.count()).toBe(14);
  }, 60_000);

  it('rankSensitivity gives the one-thread analysis bit for bit, the scalar inputs gathered from the chunks', async () => {
    const options = { paths: 40, bootstrap: 40 };
    const seen = reports();
    const pool = await rankSensitivity(short, { ...options, ...pooled, strategies: two, onProgress: seen.onProgress });
    expectSame(pool, rankHere({ ...short, strategies: [...two] }, options));
    expect(pool.rows.length).toBeGreaterThan(0);
    expect(seen.count()).toBe(6);
  }, 60_000);

  it('rankSensitivity bit for bit on a Latin hypercube laid over the whole run, not each chunk', async () => {
    const base = hedenstedRecovery();
    const scenario = { ...base, horizonYears: 2, sampling: { ...base.sampling, method: 'latinHypercube' as const } };
    const options = { paths: 30, bootstrap: 30 };
    expectSame(await rankSensitivity(scenario, { ...options, ...pooled }), rankHere(scenario, options));
  }, 60_000);

  it('twoLevelSensitivity gives the one-thread analysis bit for bit, outer draws split across chunks', async () => {
    const options = { outer: 9, inner: 5, bootstrap: 40 };
    const seen = reports();
    const pool = await twoLevelSensitivity(short, { ...options, ...pooled, onProgress: seen.onProgress });
    expectSame(pool, twoLevelHere(short, options));
    expect(seen.count()).toBe(7);
  }, 60_000);

  it('tornadoSensitivity gives the one-thread analysis bit for bit, its runs one after the other on one pool', async () => {
    const options = {
      paths: 15,
      years: [2026],
      inputs: ['home-care.userTimeShare', 'home-care.undeliveredShare'],
    };
    const seen: { pathsDone: number; pathsTotal: number }[] = [];
    const pool = await tornadoSensitivity(short, {
      ...options,
      ...pooled,
      strategies: two,
      onProgress: ({ pathsDone, pathsTotal }) => seen.push({ pathsDone, pathsTotal }),
    });
    expectSame(pool, tornadoHere({ ...short, strategies: [...two] }, options));
    // 5 runs of 15 paths, each in chunks of 7, 7 and 1, reported over the whole analysis: the
    // paths done rise once from the first chunk to all 75.
    expect(seen).toHaveLength(15);
    expect(seen.every((p) => p.pathsTotal === 75)).toBe(true);
    expect(seen.every((p, i) => i === 0 || p.pathsDone > seen[i - 1]!.pathsDone)).toBe(true);
    expect(seen.at(-1)!.pathsDone).toBe(75);
  }, 60_000);

  it('stays on the calling thread with one thread, or for runs under minParallelPaths, with the same result', async () => {
    const options = { outer: 4, inner: 3, bootstrap: 20, years: [2025] };
    const here = twoLevelHere(short, options);
    for (const o of [
      { threads: 1, chunkSize: 2 },
      { threads: 2, chunkSize: 2, minParallelPaths: 13 },
    ]) {
      const seen = reports();
      expectSame(await twoLevelSensitivity(short, { ...options, ...o, onProgress: seen.onProgress }), here);
      expect(seen.count()).toBe(1);
    }
  }, 30_000);

  it('with the threads left to their default, an analysis of little work stays on the calling thread', async () => {
    // 2,000 paths of a three-year scenario: at the 2,000-path floor, but far below
    // MIN_PARALLEL_STEPS of estimated work, so no pool is started for it.
    const options = { paths: 2000, years: [2025] };
    const seen = reports();
    const here = rankHere(short, { ...options, strategies: [frame()] });
    const out = await rankSensitivity(short, {
      ...options,
      strategies: [two[0]],
      chunkSize: 7,
      onProgress: seen.onProgress,
    });
    expectSame(out, here);
    // On the pool the chunks of 7 would report 286 times; here it reports once per 1,000 paths.
    expect(seen.count()).toBe(2);
  }, 60_000);
});

describe('the sensitivity analyses on worker threads: errors', () => {
  it('refuses a bad option by name before any work', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ threads: 0 }, 'threads'],
      [{ threads: 1.5 }, 'threads'],
      [{ chunkSize: 0 }, 'chunkSize'],
      [{ minParallelPaths: -1 }, 'minParallelPaths'],
      [{ strategies: [frame()] }, 'strategies[0]'],
      [{ strategies: [{ kind: 'frame' }], strategyModule: { url: fixtures } }, 'strategies'],
      [{ strategyModule: { url: fixtures, exportName: 'notArray' } }, 'strategyModule'],
      [{ n: 1 }, 'n'],
      [{ years: [1999] }, 'years'],
    ];
    for (const [options, option] of cases) {
      let progressed = false;
      const e = await sobolSensitivity(short, {
        ...options,
        onProgress: () => (progressed = true),
      } as never).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, option).toBeInstanceOf(OptionError);
      expect((e as OptionError).option).toBe(option);
      expect((e as OptionError).message).toMatch(new RegExp(`^${option.replace(/[[\]]/g, '\\$&')}`));
      expect(progressed).toBe(false);
    }
    // A strategy with code is told where it can go.
    await expect(rankSensitivity(short, { strategies: [frame() as never] })).rejects.toThrow(/strategyModule/);
  }, 30_000);

  it('stops a pooled run on abort with ABORTED', async () => {
    const controller = new AbortController();
    let reports = 0;
    const e = await twoLevelSensitivity(short, {
      outer: 40,
      inner: 5,
      bootstrap: 20,
      ...pooled,
      signal: controller.signal,
      onProgress: () => {
        if (++reports === 2) controller.abort();
      },
    }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SimulationError);
    expect((e as SimulationError).code).toBe('ABORTED');
    // Stopped within the chunks in flight (two a thread), well short of the run's 200 paths.
    expect(reports).toBeLessThan(8);
  }, 30_000);

  it('refuses to start on a signal already aborted, with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await sobolSensitivity(short, { n: 10, ...pooled, signal: controller.signal }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as SimulationError).code).toBe('ABORTED');
  }, 30_000);

  it('reports a failing path as the one-thread analysis does: the first failing path, by its error', async () => {
    // The strategy fails in 2030 on every path: on one thread at path 0; on the pool the chunk of
    // paths 3 to 5 may fail first, and the earliest failing path is still the one reported. Each
    // worker loads the module (and the library) under tsx: seconds, whatever the paths.
    const scenario = { ...lejre2034(), horizonYears: 7 };
    const options = { outer: 6, inner: 3, bootstrap: 20 };
    let here: unknown;
    try {
      twoLevelHere(scenario, { ...options, strategies: failing() as never });
    } catch (x) {
      here = x;
    }
    const e = await twoLevelSensitivity(scenario, {
      ...options,
      threads: 2,
      chunkSize: 3,
      minParallelPaths: 0,
      strategyModule: { url: fixtures, exportName: 'failing' },
    }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(here).toBeInstanceOf(SimulationError);
    expect(e).toBeInstanceOf(SimulationError);
    const fields = (x: unknown) => {
      const { code, strategy, hook, service, year, path, message } = x as SimulationError & Record<string, unknown>;
      return { code, strategy, hook, service, year, path, message };
    };
    expect(fields(e)).toEqual(fields(here));
    expect((e as SimulationError).message).toMatch(/deliberate failure in 2030/);
    expect((here as SimulationError & { path: number }).path).toBe(0);
  }, 60_000);
});
