/**
 * Golden runs: the seeded output of every built-in preset, pinned.
 *
 * The numbers a scenario and seed give are part of the package's contract (see CHANGELOG.md), so
 * any change of them must be deliberate. For each preset this file runs a small seeded run and
 * compares with test/golden/pins.json:
 *
 * - a SHA-256 of the whole per-path result (labels, years, and the bytes of every figure and
 *   metric array of every strategy, in a fixed order),
 * - a few readable figures (rounded to kr), so that a reader sees what moved,
 * - a SHA-256 of the streaming summary (`simulateSummary`) as JSON,
 * - and that the worker pool (two threads, small chunks) gives the result of one thread, byte for
 *   byte. One pool serves every preset (`createSimulationPool`, whose runs are those of
 *   `simulateParallel`): worker threads start once, not once a preset.
 *
 * Beside the presets it pins a few small scenarios (test/golden/scenarios.ts) that reach the
 * paths the presets do not (care-home capacity changes, quarterly and yearly steps, no
 * applicants, growing queues): one test each, the hash of the one-thread result and its readable
 * figures.
 *
 * To re-pin after a deliberate change of the seeded output:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/golden
 *
 * rewrites pins.json; the change then needs a CHANGELOG line (a change of the seeded output is a
 * new major version, a minor one before 1.0).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  figureValues,
  metricValues,
  presets,
  RECORDED_FIGURES,
  simulate,
  simulateSummary,
  type SimulationResult,
} from '../../src/index';
import { createSimulationPool, type SimulationPool } from '../../src/node/index';
import { goldenScenarios } from './scenarios';

/** Paths a golden run simulates: enough to reach every branch, few enough for a quick file. */
const PATHS = 60;
/** Paths a worker's task holds in the parallel run, so that both threads take several. */
const PARALLEL_CHUNK = 16;
const PINS_FILE = fileURLToPath(new URL('./pins.json', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** A preset's pin. */
interface Pin {
  readonly seed: number | string;
  readonly paths: number;
  /** SHA-256 of the per-path result (see {@link resultHash}). */
  readonly result: string;
  /** SHA-256 of the streaming summary's JSON (presets only). */
  readonly summary?: string;
  /** Readable figures of the first strategy in the last year, rounded to kr (or to 0.001 for metrics). */
  readonly figures: Readonly<Record<string, number>>;
}

const HOW_TO_REPIN =
  'To re-pin deliberately, run `UPDATE_GOLDEN=1 npx vitest run test/golden` (it rewrites test/golden/pins.json) ' +
  'and add a CHANGELOG line: the seeded output is part of the contract, and a change of it is a new major version ' +
  '(a minor one before 1.0). If the change is not meant, find what moved the numbers.';

const pinned: Record<string, Pin> = existsSync(PINS_FILE)
  ? (JSON.parse(readFileSync(PINS_FILE, 'utf8')) as Record<string, Pin>)
  : {};
const computed: Record<string, Pin> = {};
/** Presets whose parallel run matched one thread (pins are written only when every preset did). */
const parallelMatched = new Set<string>();

/** A double array's bytes, little-endian whatever the machine. */
function littleEndian(a: Float64Array): Buffer {
  const out = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) out.writeDoubleLE(a[i]!, i * 8);
  return out;
}

/**
 * SHA-256 of a whole per-path result: its shape and labels as JSON, then every recorded figure
 * (in RECORDED_FIGURES order) and every metric (by key) as little-endian doubles.
 */
function resultHash(r: SimulationResult): string {
  const hash = createHash('sha256');
  const metricKeys = Object.keys(r.metrics).sort();
  hash.update(
    JSON.stringify({
      scenario: r.scenario,
      years: r.years,
      strategies: r.strategies,
      services: r.services,
      pathStart: r.pathStart,
      pathCount: r.pathCount,
      figures: RECORDED_FIGURES,
      metrics: metricKeys,
    }),
  );
  for (const f of RECORDED_FIGURES) hash.update(littleEndian(r.figures[f]));
  for (const k of metricKeys) hash.update(littleEndian(r.metrics[k]!));
  return hash.digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const mean = (xs: Float64Array) => xs.reduce((a, x) => a + x, 0) / xs.length;

/** The figures a reader sees in pins.json: the first strategy, the last year. */
function readableFigures(r: SimulationResult): Record<string, number> {
  const strategy = r.strategies[0]!.id;
  const year = r.years[r.years.length - 1]!;
  const at = `${strategy} ${year}`;
  const kr = (figure: 'adoptedBudgetKr' | 'actualCostKr' | 'treasuryDeviationKr' | 'providerDeviationKr') =>
    Math.round(mean(figureValues(r, { strategy, year, figure })));
  const out: Record<string, number> = {
    [`${at}: mean adopted budget (kr)`]: kr('adoptedBudgetKr'),
    [`${at}: mean actual cost (kr)`]: kr('actualCostKr'),
    [`${at}: mean treasury overrun (kr)`]: kr('treasuryDeviationKr'),
    [`${at}: mean provider overrun (kr)`]: kr('providerDeviationKr'),
    [`${at}: path 0 actual cost (kr)`]: Math.round(figureValues(r, { strategy, year, figure: 'actualCostKr' })[0]!),
  };
  const metric = Object.keys(r.metrics)[0];
  if (metric !== undefined)
    out[`${at}: mean ${metric}`] = Math.round(mean(metricValues(r, { strategy, year, metric })) * 1000) / 1000;
  return out;
}

function message(name: string, what: string, kind = 'preset'): string {
  return `${kind} "${name}": ${what} not as pinned in test/golden/pins.json: the seeded output changed. ${HOW_TO_REPIN}`;
}

const names = Object.keys(presets);
const extras = Object.keys(goldenScenarios);

describe('golden runs: the seeded output of every preset is pinned', () => {
  let pool: SimulationPool | undefined;
  beforeAll(() => {
    pool = createSimulationPool({ threads: 2 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('pins.json pins exactly the built-in presets and the scenarios of test/golden/scenarios.ts', () => {
    if (UPDATE) return;
    expect(
      Object.keys(pinned).sort(),
      `the runs pinned are not the built-in presets and the scenarios of test/golden/scenarios.ts. ${HOW_TO_REPIN}`,
    ).toEqual([...names, ...extras].sort());
  });

  describe('scenarios beyond the presets (test/golden/scenarios.ts)', () => {
    it.each(extras)('%s: the hash of the whole result and the readable figures', (name) => {
      const result = simulate({ ...goldenScenarios[name]!(), paths: PATHS });
      const pin = {
        seed: result.scenario.seed,
        paths: PATHS,
        result: resultHash(result),
        figures: readableFigures(result),
      };
      computed[name] = pin;
      if (UPDATE) return;
      const old = pinned[name];
      const kind = 'scenario';
      expect(old, `scenario "${name}" has no pin in test/golden/pins.json. ${HOW_TO_REPIN}`).toBeDefined();
      expect({ seed: pin.seed, paths: pin.paths }, message(name, 'the seed or number of paths is', kind)).toEqual({
        seed: old!.seed,
        paths: old!.paths,
      });
      expect(pin.figures, message(name, 'the readable figures are', kind)).toEqual(old!.figures);
      expect(pin.result, message(name, 'the SHA-256 of the per-path result is', kind)).toBe(old!.result);
    });
  });

  describe.each(names)('%s', (name) => {
    const scenario = { ...presets[name]!(), paths: PATHS };
    let single: SimulationResult | undefined;

    it('one thread: the hash of the whole result and the readable figures', () => {
      single = simulate(scenario);
      expect(single.pathCount).toBe(PATHS);
      const pin = {
        seed: single.scenario.seed,
        paths: PATHS,
        result: resultHash(single),
        figures: readableFigures(single),
      };
      computed[name] = { ...pin, summary: computed[name]?.summary ?? '' };
      if (UPDATE) return;
      const old = pinned[name];
      expect(old, `preset "${name}" has no pin in test/golden/pins.json. ${HOW_TO_REPIN}`).toBeDefined();
      expect({ seed: pin.seed, paths: pin.paths }, message(name, 'the seed or number of paths is')).toEqual({
        seed: old!.seed,
        paths: old!.paths,
      });
      // The readable figures first: the failure shows what moved.
      expect(pin.figures, message(name, 'the readable figures are')).toEqual(old!.figures);
      expect(pin.result, message(name, 'the SHA-256 of the per-path result is')).toBe(old!.result);
    });

    it('streaming summary: the hash of its JSON', () => {
      const summary = sha256(JSON.stringify(simulateSummary(scenario)));
      computed[name] = { ...computed[name]!, summary };
      if (UPDATE) return;
      expect(summary, message(name, 'the SHA-256 of the streaming summary is')).toBe(pinned[name]?.summary);
    });

    it('the worker pool (2 threads) gives the result of one thread, byte for byte', async () => {
      expect(single, 'the one-thread run of this preset failed').toBeDefined();
      const { result, threads } = await pool!.simulate(scenario, { chunkSize: PARALLEL_CHUNK, summaryMode: 'exact' });
      expect(threads).toBe(2);
      expect(resultHash(result as SimulationResult), `preset "${name}": the worker pool differs from one thread`).toBe(
        resultHash(single!),
      );
      parallelMatched.add(name);
    });
  });

  afterAll(() => {
    if (!UPDATE) return;
    const complete =
      names.every((n) => computed[n]?.summary && parallelMatched.has(n)) && extras.every((n) => computed[n]);
    if (!complete) throw new Error('UPDATE_GOLDEN: some runs failed; pins.json is left as it was');
    const out: Record<string, Pin> = {};
    for (const n of [...names, ...extras].sort()) out[n] = computed[n]!;
    writeFileSync(PINS_FILE, `${JSON.stringify(out, null, 2)}\n`);
    console.log(
      `UPDATE_GOLDEN: wrote ${names.length + extras.length} pins to ${PINS_FILE}; add a CHANGELOG line for the change.`,
    );
  });
});
