import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { herningSpecialised, lejre2034, simulate, type RunResult } from '../../src/index';
import { renderOptimizationReport, renderReport } from '../../src/html/index';
import { readFileSync } from 'node:fs';
import type { SteeringOptimization } from '../../src/index';
import { strategyName } from '../../src/charts/locale';

/**
 * The report as a reader sees it, in Chromium: Lejre with frame, hybrid and activity steering,
 * and Herning's specialised area, in English and Danish. Each section that has charts draws them,
 * legends name every strategy, no axis label overlaps another, and no English reaches the Danish
 * page. With UPDATE_DOCS_IMAGES=1 the first screens go to docs/img/ for the docs.
 */
const RUNS: [string, RunResult][] = [
  [
    'lejre',
    simulate({ ...lejre2034(), paths: 300, strategies: [{ kind: 'frame' }, { kind: 'hybrid' }, { kind: 'activity' }] }),
  ],
  ['herning', simulate({ ...herningSpecialised(), paths: 200 })],
];

/** Words of the English page that must not reach the Danish one (whole words). */
const ENGLISH = [
  'the',
  'and',
  'of',
  'in',
  'Overrun',
  'overrun',
  'overspend',
  'Treasury',
  'treasury',
  'Provider',
  'provider',
  'share',
  'Steering',
  'Year',
  'Probability',
  'paths',
  'Mean',
  'Bands',
  'Difference',
  'Care homes',
  'Home care',
  'Frame',
  'Activity',
  'Citizens',
  'waiting',
  'Density',
  'All services',
  'units',
  'Who bears',
  'Made',
  'Charts',
  'Reading',
  'deviation',
];

describe('the report pages in a browser: sections, legends, labels, language', () => {
  let browser: Browser;
  // One page for every test: the bundled Chromium runs in one process, which ends with its last page.
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-pages-'));
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, result] of RUNS)
    for (const locale of ['en', 'da'] as const)
      it(`${name}, ${locale}`, async () => {
        const file = join(dir, `${name}-${locale}.html`);
        writeFileSync(file, await renderReport(result, { locale, generatedAt: new Date(2026, 11, 6) }));
        const errors: string[] = [];
        const onError = (e: Error) => errors.push(e.message);
        page.on('pageerror', onError);
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

        // Every section of charts holds at least one drawn chart.
        const sections = await page.$$eval('main > h2', (heads) =>
          heads.map((h) => {
            let charts = 0;
            for (let n = h.nextElementSibling; n !== null && n.tagName !== 'H2'; n = n.nextElementSibling)
              if (n.matches('figure.chart') && n.querySelector('svg path') !== null) charts++;
            return { title: h.textContent ?? '', charts };
          }),
        );
        expect(
          sections
            .map((s) => s.charts)
            .slice(0, 3)
            .every((c) => c >= 1),
        ).toBe(true);
        expect(sections.filter((s) => s.charts > 0).length).toBe(3);

        // Legends and panel headers name every strategy in the page's language.
        const names = result.strategies.map((s) => strategyName(s, locale));
        for (const id of ['chart-overspend', 'chart-exceedance']) {
          const legend = await page.$eval(`#${id}`, (f) =>
            Array.from(f.querySelectorAll('.role-legend-label text'))
              .map((t) => t.textContent ?? '')
              .join(' | '),
          );
          for (const n of names) expect(legend, `${id} legend`).toContain(n);
        }
        for (const id of ['chart-who', 'chart-fan']) {
          const headers = await page.$eval(`#${id}`, (f) =>
            Array.from(f.querySelectorAll('.role-column-header text, .mark-group text'))
              .map((t) => t.textContent ?? '')
              .join(' | '),
          );
          for (const n of names) expect(headers, `${id} panels`).toContain(n);
        }

        // No axis label overlaps another of its axis.
        const overlaps = await page.$$eval('g.role-axis-label', (axes) =>
          axes.flatMap((axis) => {
            const boxes = Array.from(axis.querySelectorAll('text'))
              .filter((t) => (t.textContent ?? '') !== '' && t.getAttribute('opacity') !== '0')
              .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
            const out: string[] = [];
            for (let i = 0; i < boxes.length; i++)
              for (let j = i + 1; j < boxes.length; j++) {
                const [a, b] = [boxes[i]!.r, boxes[j]!.r];
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 0.5 && h > 0.5) out.push(`${boxes[i]!.text} / ${boxes[j]!.text}`);
              }
            return out;
          }),
        );
        expect(overlaps, overlaps.join('; ')).toEqual([]);

        // The Danish page speaks Danish: the scenario's own name (an id) aside.
        const words = await page.evaluate(() => {
          const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
          main.querySelector('h1')?.remove();
          main.querySelector('table.inputs tr')?.remove();
          // innerText leaves out the charts' SVG text: their titles, axes, legends and headers.
          const svg = Array.from(document.querySelectorAll('svg text')).map((t) => t.textContent ?? '');
          return `${main.innerText}\n${svg.join(' | ')}`;
        });
        if (locale === 'da') {
          const found = ENGLISH.filter((w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(words));
          expect(found).toEqual([]);
          expect(words).not.toMatch(/-0,0(?!\d)/);
          expect(words).not.toMatch(/\d%/);
        } else {
          expect(words).toContain('The answer in brief');
        }
        expect(errors).toEqual([]);
        if (process.env.UPDATE_DOCS_IMAGES === '1') {
          // The first screen of each report, and for Lejre in English each chart on its own.
          const img = (file: string) => join(__dirname, '..', '..', 'docs', 'img', file);
          const first =
            name === 'lejre' ? (locale === 'en' ? 'report.png' : 'report-da.png') : `report-${name}-${locale}.png`;
          await page.screenshot({ path: img(first), clip: { x: 0, y: 0, width: 1200, height: 1400 } });
          if (name === 'lejre' && locale === 'en')
            for (const f of await page.$$('figure.chart'))
              await f.screenshot({ path: img(`report-${(await f.getAttribute('id'))!}.png`) });
        }
        page.off('pageerror', onError);
      }, 60_000);
  const optimization = (name: string) =>
    JSON.parse(
      readFileSync(join(__dirname, '..', 'fixtures', 'optimize', `lejre-${name}.json`), 'utf8'),
    ) as SteeringOptimization;
  const infeasible = optimization('infeasible');
  // Activity steering at its defaults moved right, just under the limit: its label beside the limit's.
  const besideLimit: SteeringOptimization = {
    ...infeasible,
    candidates: infeasible.candidates.map((c) =>
      c.id === 'activity (default)' ? { ...c, frontier: [37e6, 0.046] as const } : c,
    ),
  };
  const OPTIMIZATIONS: [string, SteeringOptimization][] = [
    ['feasible', optimization('feasible')],
    ['infeasible', infeasible],
    ['beside the limit', besideLimit],
  ];
  for (const [name, result] of OPTIMIZATIONS)
    for (const locale of ['en', 'da'] as const)
      it(`the steering search's page, ${name}, ${locale}`, async () => {
        const file = join(dir, `optimize-${name.replace(/ /g, '-')}-${locale}.html`);
        writeFileSync(file, await renderOptimizationReport(result, { locale, generatedAt: new Date(2026, 11, 6) }));
        const errors: string[] = [];
        const onError = (e: Error) => errors.push(e.message);
        page.on('pageerror', onError);
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // The frontier chart is drawn, with its points and the frontier's line.
        expect(await page.$$eval('#chart-frontier svg path', (p) => p.length)).toBeGreaterThan(0);
        // No text of the chart overlaps another: labels of the defaults and the best, axis titles, the limit.
        const overlaps = await page.$$eval('#chart-frontier svg text', (texts) => {
          const boxes = texts
            .filter((t) => (t.textContent ?? '').trim() !== '' && t.getAttribute('opacity') !== '0')
            .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
          const out: string[] = [];
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, b] = [boxes[i]!.r, boxes[j]!.r];
              const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
              const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              if (w > 0.5 && h > 0.5) out.push(`${boxes[i]!.text} / ${boxes[j]!.text}`);
            }
          return out;
        });
        expect(overlaps, overlaps.join('; ')).toEqual([]);
        const words = await page.evaluate(() => {
          const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
          main.querySelector('h1')?.remove();
          main.querySelectorAll('pre').forEach((x) => x.remove());
          const svg = Array.from(document.querySelectorAll('svg text')).map((t) => t.textContent ?? '');
          return `${main.innerText}\n${svg.join(' | ')}`;
        });
        if (locale === 'da') {
          const found = ['the', 'and', 'of', 'design', 'Best', 'limit', 'share', 'Frame', 'paths'].filter((w) =>
            new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(words),
          );
          expect(found).toEqual([]);
          expect(words).toContain('Svaret kort');
        } else expect(words).toContain('The answer in brief');
        expect(errors).toEqual([]);
        if (process.env.UPDATE_DOCS_IMAGES === '1' && name === 'feasible')
          await page.screenshot({
            path: join(__dirname, '..', '..', 'docs', 'img', `optimize-report-${locale}.png`),
            fullPage: true,
            clip: { x: 0, y: 0, width: 1200, height: 1900 },
          });
        page.off('pageerror', onError);
      }, 60_000);
});
