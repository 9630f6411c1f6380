import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveFiles } from '../support/browser';

/** examples/web: a scenario runs in a Web Worker with progress and cancel, and the fan chart is drawn with vega-embed. */
describe('the web example (headless Chromium)', () => {
  const dir = join(__dirname, '..', '..', 'examples', 'web');
  let server: Awaited<ReturnType<typeof serveFiles>> | undefined;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const bundle = async (entry: string) =>
      (
        await build({
          entryPoints: [join(dir, entry)],
          bundle: true,
          format: 'esm',
          platform: 'browser',
          target: 'es2022',
          write: false,
          minify: true,
        })
      ).outputFiles[0]!.text;
    const files: Record<string, readonly [string, string]> = {
      '/': ['text/html', readFileSync(join(dir, 'index.html'), 'utf8')],
      '/main.js': ['text/javascript', await bundle('main.ts')],
      '/worker.js': ['text/javascript', await bundle('worker.ts')],
    };
    server = await serveFiles(files);
    base = server.base;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<{ page: Page; errors: string[]; outside: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    // Only the test's own server on 127.0.0.1 answers; anything else is recorded and refused.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(base)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(base);
    // A frame counter: it advances only while the page's main thread is free.
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number };
      w.frames_ = 0;
      const tick = () => {
        w.frames_++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return { page, errors, outside };
  }

  const frames = (page: Page) => page.evaluate(() => (window as unknown as { frames_: number }).frames_);
  const progress = (page: Page) =>
    page.evaluate(() => ({
      value: (document.getElementById('progress') as HTMLProgressElement).value,
      max: (document.getElementById('progress') as HTMLProgressElement).max,
    }));

  it('runs in the worker with the progress moving and the page responsive, then draws the fan chart', async () => {
    const { page, errors, outside } = await open();
    await page.fill('#paths', '3000');
    await page.click('#run');
    await page.waitForFunction(() => {
      const p = document.getElementById('progress') as HTMLProgressElement;
      return p.value > 0 && p.value < p.max;
    });
    const during = await progress(page);
    const framesAtStart = await frames(page);
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    // The page drew frames while the paths ran: the worker never blocked it.
    expect((await frames(page)) - framesAtStart).toBeGreaterThan(3);
    expect(during.max).toBe(3000);
    expect(await progress(page)).toEqual({ value: 3000, max: 3000 });
    const chart = await page.$eval('#chart svg', (svg) => ({
      width: svg.getBoundingClientRect().width,
      marks: svg.querySelectorAll('path').length,
      text: svg.textContent ?? '',
    }));
    expect(chart.width).toBeGreaterThan(200);
    expect(chart.marks).toBeGreaterThan(5);
    expect(chart.text).toContain('Overrun');
    expect(await page.textContent('#status')).toBe('Done: 3,000 paths.');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('cancel stops the run within a chunk, before the end, and no chart is drawn', async () => {
    const { page, errors } = await open();
    await page.fill('#paths', '1000000');
    await page.click('#run');
    await page.waitForFunction(() => (document.getElementById('progress') as HTMLProgressElement).value >= 500);
    expect(await page.isDisabled('#run')).toBe(true);
    await page.click('#cancel');
    await page.waitForSelector('body[data-state="cancelled"]', { timeout: 60_000 });
    const stopped = await progress(page);
    expect(stopped.value).toBeLessThan(stopped.max);
    expect(await page.textContent('#status')).toMatch(/^Cancelled after [\d,]+ paths\.$/);
    // Nothing arrives after the cancel.
    await page.waitForTimeout(300);
    expect((await progress(page)).value).toBe(stopped.value);
    expect(await page.$('#chart svg')).toBeNull();
    expect(await page.isDisabled('#run')).toBe(false);
    expect(errors).toEqual([]);
  });
}, 240_000);
