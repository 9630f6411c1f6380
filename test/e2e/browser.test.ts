import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, serveFiles } from '../support/browser';
import { lejre2034, simulate } from '../../src/index';

/** The core runs in a browser page and in a Web Worker, with the same numbers as in Node. */
const scenario = {
  ...lejre2034(),
  paths: 300,
  strategies: [
    { kind: 'frame', serviceResponse: {} },
    { kind: 'demographicFrame', expost: 'next' },
    { kind: 'activity' },
    { kind: 'hybrid' },
  ],
};

const PAGE = `<!doctype html><meta charset="utf-8"><title>carebudget</title>
<script type="module">
  import * as cb from './carebudget.js';
  window.runInPage = (scenario) => Array.from(cb.simulate(scenario).figures.actualCostKr);
  window.runInWorker = (scenario) => new Promise((resolve, reject) => {
    const worker = new Worker('./worker.js', { type: 'module' });
    worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(scenario);
  });
  window.ready = true;
</script>`;
const WORKER = `import * as cb from './carebudget.js';
self.onmessage = (e) => {
  const result = cb.simulate(e.data);
  self.postMessage({ actualCostKr: Array.from(result.figures.actualCostKr), table: cb.formatDeviationTable(result).split('\\n').length });
};`;

describe('in a browser (headless Chromium)', () => {
  let server: Awaited<ReturnType<typeof serveFiles>> | undefined;
  let browser: Browser;
  let base = '';
  let bundleBytes = 0;
  let bundledInputs: string[] = [];

  beforeAll(async () => {
    const out = await build({
      entryPoints: [join(__dirname, '..', '..', 'src', 'index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      minify: true,
      metafile: true,
    });
    const bundle = out.outputFiles[0]!.text;
    bundleBytes = bundle.length;
    bundledInputs = Object.keys(out.metafile.inputs);
    const files: Record<string, readonly [string, string]> = {
      '/': ['text/html', PAGE],
      '/carebudget.js': ['text/javascript', bundle],
      '/worker.js': ['text/javascript', WORKER],
    };
    server = await serveFiles(files);
    base = server.base;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the core bundles for the browser without Node built-ins, and stays small', () => {
    expect(bundleBytes).toBeGreaterThan(10_000);
    // 510 KiB minified (522,360 bytes), with the chart specifications, the population import, the bounds of every field and care levels and providers,
    // and the quantile functions, Gaussian copula and Latin hypercube (13,259 bytes of it): zod imported as a namespace
    // lets the bundler drop its ~40 message locales (a named import of z kept them all: 790 KiB).
    // mathjs is built with create() from eigsDependencies alone, yet eigs brings its complex and
    // BigNumber branches: mathjs 154 KiB, decimal.js 32, typed-function 17, complex.js 9 and
    // fraction.js 7.
    // The sensitivity estimators (6.7 KB) and their charts (12.8 KB, mostly English and Danish
    // words) and the sampling tools (13 KB) come to about 516 KiB; user formulas add mathjs's
    // parser and its expression nodes, built from their factories without units (+92.0 KiB).
    // With the sensitivity runs: 654,147 bytes; with the engine's inlined event loops 661,140
    // bytes (646 KiB); with a code for each of the scenario's rules, strategy hooks' defaults and
    // plug-ins' names by language, 668,865 bytes (653 KiB); with the engine split into a path run
    // and a ledger (+4.4 KB net), the t-digest's bucketed batches (+2.8 KB) and the streaming
    // cells' batch intake (+1.8 KB), 690,136 bytes (674 KiB); with the report's answer (who bears
    // it, exceedance curves, identical strategies), the sensitivity inputs' names in both
    // languages and scenario comparisons (compareScenarios), 707,431 bytes (691 KiB); with the
    // steering search (optimizeSteering, its problem's schema and the bootstrap; about 20 KiB),
    // 733,514 bytes (716 KiB); with the history's readers, fitHomeCare, fitDistribution and its
    // three distribution forms and backtest (about 50 KiB), 776,842 bytes (759 KiB); with the run
    // limits, the sensitivity shards and the engine's second round, 796,848 bytes (778 KiB); with
    // the specialised area's open cases kept with their sums (+2.7 KB), 799,607 bytes (781 KiB);
    // with mathjs's eigs written out (src/math/linalg.ts) instead of built from its factories,
    // 760,961 bytes (743 KiB): mathjs 194 KiB instead of 233.
    expect(bundleBytes).toBeLessThan(800 * 1024);
    // The charts are plain JSON: no chart library reaches the core.
    expect(bundledInputs.filter((f) => /node_modules\/vega/.test(f))).toEqual([]);
  });

  it('gives the same numbers in a page and in a Web Worker as in Node, bit for bit', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const inPage = await page.evaluate(
      (s) => (window as unknown as { runInPage(s: unknown): number[] }).runInPage(s),
      scenario,
    );
    const inWorker = await page.evaluate(
      (s) =>
        (
          window as unknown as { runInWorker(s: unknown): Promise<{ actualCostKr: number[]; table: number }> }
        ).runInWorker(s),
      scenario,
    );
    const inNode = Array.from(simulate(scenario).figures.actualCostKr);
    expect(errors).toEqual([]);
    const diffs = inNode.map((v, i) => [i, v, inPage[i]!, (inPage[i]! - v) / v] as const).filter(([, a, b]) => a !== b);
    if (diffs.length > 0) console.log('DIFF', diffs.length, JSON.stringify(diffs.slice(0, 5)));
    expect(inPage).toEqual(inNode);
    expect(inWorker.actualCostKr).toEqual(inNode);
    expect(inWorker.table).toBeGreaterThan(20);
  });
}, 120_000);
