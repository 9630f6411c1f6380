import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { lejre2034, simulate } from '../../src/index';
import { writeReport } from '../../src/html/index';

/** The report opens in headless Chromium with the network off, its charts drawn, and nothing fetched. */
describe('HTML report in a browser (headless Chromium, offline)', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-report-browser-'));
  const file = join(dir, 'report.html');

  beforeAll(async () => {
    // The demo's run: Lejre 2024-2034, 2,000 paths.
    await writeReport(file, simulate(lejre2034()), { scenario: lejre2034(), generatedAt: new Date(2026, 10, 23) });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens with the network disabled, fetches nothing, every chart holds an SVG with marks, no console error; writes a screenshot', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.setOffline(true);
    const requested: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requested.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`failed: ${r.url()}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.id,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg?.querySelectorAll('path, rect, line').length ?? 0,
          text: svg?.textContent?.length ?? 0,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual([
      'chart-who',
      'chart-difference-1',
      'chart-fan',
      'chart-provider',
      'chart-overspend',
      'chart-exceedance',
      'chart-distribution',
      'chart-metrics',
    ]);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.marks).toBeGreaterThan(5);
      expect(c.text).toBeGreaterThan(10);
    }
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(resources).toEqual([]);
    expect(requested).toEqual([]);
    expect(errors).toEqual([]);
    // The whole page as a picture beside the report (the docs' pictures: reportPages.browser.test.ts).
    const shot = join(dir, 'report.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    await context.close();
  });
}, 180_000);
