import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RUN_LIMITS,
  estimateRun,
  herningSpecialised,
  lejre2034,
  parseScenario,
  rankSensitivity,
  simulate,
  simulateSummary,
  slagelseHomeCare,
  STEPS_PER_MINUTE,
} from '../../src/index';
import { simulateParallel } from '../../src/node/index';

const refused = (f: () => unknown) => {
  const started = Date.now();
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(Date.now() - started).toBeLessThan(3000);
  expect(error).toMatchObject({ name: 'SimulationError', code: 'RUN_TOO_LARGE' });
  return (error as Error).message;
};

describe('the run estimate bounds time', () => {
  it('refuses runs of hours before any work, naming the work and how to raise the limit', () => {
    const lejre = refused(() => simulateSummary({ ...lejre2034(), paths: 12_000_000 }));
    expect(lejre).toMatch(/about 1\.5\de\+11 steps, about 4\.\d+ hours of one core/);
    expect(lejre).toMatch(/limits\.maxSteps.*--max-minutes/);
    const herning = refused(() => simulateSummary({ ...herningSpecialised(), paths: 1_100_000 }));
    expect(herning).toMatch(/minutes of one core .*× 1100000 paths/);
    // The limit is raised knowingly: the estimate is what is refused, not the scenario.
    expect(DEFAULT_RUN_LIMITS.maxSteps).toBe(1e10);
    expect(DEFAULT_RUN_LIMITS.maxSteps / STEPS_PER_MINUTE).toBeLessThan(20);
  });

  it('counts the exits of short stays, in the paths and in the baseline paths', () => {
    const short = slagelseHomeCare();
    const base = estimateRun(parseScenario(short), { paths: 10 });
    short.careHomes = { ...short.careHomes!, stay: { kind: 'constant', exitPerYear: 50 } };
    const e = estimateRun(parseScenario(short), { paths: 10 });
    // Weekly turnover makes about 130 times the applicants: such a path took about 0.2 s of one
    // core (the estimate counts 2e6 steps, 0.2 s), and the baseline's 200 paths dominate a small
    // run, and are counted.
    expect(e.stepsPerPath).toBeGreaterThan(40 * base.stepsPerPath);
    expect(e.stepsPerPath / STEPS_PER_MINUTE).toBeGreaterThan(0.1 / 60);
    expect(e.baselineSteps).toBeGreaterThan(e.stepsPerPath * 10);
    expect(e.steps / STEPS_PER_MINUTE).toBeGreaterThan(1);
    // Ten thousand such paths (about half an hour of one core) are refused.
    refused(() => simulateSummary({ ...short, paths: 10_000 }, { figures: ['treasuryDeviationKr'] }));
  });

  it('counts the bootstrap resamples of a sensitivity analysis before any path', () => {
    const message = refused(() => rankSensitivity(lejre2034(), { bootstrap: 1_000_000 }));
    expect(message).toMatch(/for the bootstrap.*fewer bootstrap resamples/);
    // Raised knowingly, the limit passes the estimate (checked here with a limit that then refuses the paths).
    expect(() =>
      rankSensitivity(lejre2034(), { bootstrap: 1_000_000, limits: { maxSteps: 1e15, maxResultBytes: 1 } }),
    ).toThrow(/per-path results/);
  });

  it('keeps the presets at their own paths far below the limit', () => {
    for (const make of [lejre2034, slagelseHomeCare, herningSpecialised]) {
      const e = estimateRun(parseScenario(make()));
      expect(e.steps).toBeLessThan(DEFAULT_RUN_LIMITS.maxSteps / 100);
    }
    expect(simulate({ ...lejre2034(), paths: 3 }).pathCount).toBe(3);
  });
});

describe('the pool counts the strategies a module really exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-estimate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const module = join(dir, 'many.mjs');
  // Never run: the estimate refuses the run before any worker loads it.
  writeFileSync(
    module,
    'export const strategies = Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, label: `S${i}`, create() { throw new Error("ran"); } }));\n',
  );

  it('refuses 300 strategies over paths that four would pass, before any worker starts', async () => {
    const url = pathToFileURL(module);
    await expect(
      simulateParallel(lejre2034(), { paths: 4000, threads: 2, summaryMode: 'exact', strategyModule: { url } }),
    ).rejects.toThrow(/per-path results of this run need 2\.\d+ GiB/);
    await expect(
      simulateParallel(lejre2034(), { paths: 20_000, threads: 2, summaryMode: 'streaming', strategyModule: { url } }),
    ).rejects.toThrow(/300 strategies × 20000 paths/);
    // Four strategies over the same paths pass the estimate.
    expect(estimateRun(parseScenario(lejre2034()), { paths: 20_000, strategies: 4 }).steps).toBeLessThan(
      DEFAULT_RUN_LIMITS.maxSteps,
    );
  });
});
