import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { lejre2034, parseScenario, simulate, type ScenarioInput } from '../../src/index';
import { renderExplorer } from '../../src/html/explore/page';
import { headlineHtml } from '../../src/html/render';
import { influentialInputs } from '../../src/explore/inputs';
import {
  assumptionControls,
  decodeState,
  encodeState,
  explorerStrategies,
  scenarioOfState,
  type ExplorerState,
  type ExplorerStrategy,
} from '../../src/explore/state';

/**
 * The explorer page in Chromium, opened from disk with every other request refused: it draws,
 * its numbers are the library's for the same scenario, seed and paths, its controls move them,
 * its address restores them, its downloaded scenario reruns to them, and a change during a run
 * leaves no stray update. With UPDATE_DOCS_IMAGES=1 the first screens go to docs/img/ for the docs.
 */
const BASE: ScenarioInput = { ...lejre2034(), paths: 600 };
const INPUTS = influentialInputs(BASE, { n: 40 });
const CONTROLS = assumptionControls(BASE, INPUTS);
const STRATEGIES = explorerStrategies(parseScenario(BASE).strategies as unknown as ExplorerStrategy['spec'][]);

/** The headline the library gives for a state. */
function libraryHeadline(state: ExplorerState, locale: 'en' | 'da' = 'en', paths?: number): string {
  const scenario = scenarioOfState(BASE, state, CONTROLS, STRATEGIES);
  return headlineHtml(simulate(paths === undefined ? scenario : { ...scenario, paths }), locale);
}

describe('the explorer page in a browser', () => {
  let browser: Browser;
  // One page for every test: the bundled Chromium runs in one process, which ends with its last page.
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-explore-'));
  const file = join(dir, 'explorer.html');
  const url = pathToFileURL(file).href;
  const outside: string[] = [];
  const problems: string[] = [];

  const settled = async (run?: number) =>
    page.waitForFunction(
      (r) =>
        (r === undefined || Number(document.body.dataset.run) > r) &&
        (document.body.dataset.state === 'done' || document.body.dataset.state === 'error'),
      run,
      { polling: 20, timeout: 60_000 },
    );
  const headline = () => page.evaluate(() => document.getElementById('headline')!.innerHTML);
  /** HTML as the page serialises it (a no-break space as &nbsp;). */
  const asPage = (html: string) =>
    page.evaluate((h) => {
      const d = document.createElement('div');
      d.innerHTML = h;
      return d.innerHTML;
    }, html);
  const runOf = () => page.evaluate(() => Number(document.body.dataset.run));
  /** Sets a range or select control by its selector and fires its change, as a person's release does. */
  const move = (selector: string, value: string) =>
    page.evaluate(
      ([s, v]) => {
        const e = document.querySelector(s!) as HTMLInputElement;
        e.value = v!;
        e.dispatchEvent(new Event('change'));
      },
      [selector, value],
    );

  /** The first screen of the page, for the docs (UPDATE_DOCS_IMAGES=1). */
  const screen = (name: string) =>
    page.screenshot({
      path: join(__dirname, '..', '..', 'docs', 'img', name),
      clip: { x: 0, y: 0, width: 1300, height: 1200 },
    });

  beforeAll(async () => {
    writeFileSync(file, await renderExplorer(BASE, { influential: INPUTS }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 1200 }, acceptDownloads: true });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith('file:') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
      outside.push(u);
      return route.abort();
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads from disk with no request outside it, draws its charts with no console error, and shows the library’s numbers', async () => {
    await page.goto(url);
    await settled();
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await page.evaluate(() => document.body.dataset.paths)).toBe('600');
    // The budget tab's charts: fan, distribution, who bears, P(overspend), the paired difference.
    for (const id of ['chart-fan', 'chart-distribution', 'chart-who', 'chart-overspend', 'chart-difference'])
      expect(await page.evaluate((i) => document.querySelectorAll(`#${i} svg path`).length, id)).toBeGreaterThan(5);
    expect(await headline()).toBe(await asPage(libraryHeadline({})));
    expect(await page.evaluate(() => document.getElementById('mc-error')!.textContent)).toMatch(
      /Monte Carlo error at 600 paths .*±\d+(\.\d+)? percentage points/,
    );
    // Every control has a label.
    expect(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select'))
          .filter((e) => e.id === '' || document.querySelector(`label[for="${e.id}"]`) === null)
          .filter((e) => !e.hasAttribute('aria-label'))
          .map((e) => e.outerHTML.slice(0, 80)),
      ),
    ).toEqual([]);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    if (process.env.UPDATE_DOCS_IMAGES === '1') await screen('explore-en.png');
  }, 120_000);

  it('a strategy control and an input control change the headline and the charts, each to the library’s numbers', async () => {
    const before = await headline();
    const fanBefore = await page.evaluate(() => document.getElementById('chart-fan')!.innerHTML);
    let run = await runOf();
    await move('#set-frame-carryOver-deficitCap', '0.1');
    await settled(run);
    const strategyMoved: ExplorerState = { strategies: { frame: { settings: { 'carryOver.deficitCap': 0.1 } } } };
    expect(await headline()).not.toBe(before);
    expect(await headline()).toBe(await asPage(libraryHeadline(strategyMoved)));
    run = await runOf();
    const trend = INPUTS.find((i) => i.name === 'home-care.useRateTrendPerYear')!;
    await move('input[data-input="home-care.useRateTrendPerYear"]', String(trend.central + 0.004));
    await settled(run);
    // The slider keeps its own steps: the state holds the value it took, near the one asked for.
    const both = decodeState(await page.evaluate(() => location.hash));
    expect(both.strategies).toEqual(strategyMoved.strategies);
    expect(both.inputs!['home-care.useRateTrendPerYear']!.central).toBeCloseTo(trend.central + 0.004, 3);
    expect(await headline()).toBe(await asPage(libraryHeadline(both)));
    expect(await page.evaluate(() => document.getElementById('chart-fan')!.innerHTML)).not.toBe(fanBefore);
    expect(problems).toEqual([]);
  }, 120_000);

  it('a link with a state restores it: the controls and the numbers', async () => {
    const state: ExplorerState = {
      strategies: { hybrid: { hidden: false, settings: { corridor: 0.01 } } },
      inputs: { 'population.80+': { central: 0.004, spreadFactor: 2 } },
      seed: 7,
      locale: 'da',
    };
    await page.goto('about:blank');
    await page.goto(`${url}${encodeState(state)}`);
    await settled();
    expect(await page.evaluate(() => (document.getElementById('show-hybrid') as HTMLInputElement).checked)).toBe(true);
    expect(await page.evaluate(() => (document.getElementById('set-hybrid-corridor') as HTMLInputElement).value)).toBe(
      '0.01',
    );
    expect(await page.evaluate(() => (document.getElementById('seed') as HTMLInputElement).value)).toBe('7');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('da');
    expect(await headline()).toBe(await asPage(libraryHeadline(state, 'da')));
    // No English word of the page's own on the Danish page (the report's words are checked with the report).
    const text = await page.evaluate(() => document.body.innerText);
    for (const word of ['Steering', 'Assumptions', 'Central value', 'Spread', 'Paths', 'Download', 'no cap', 'Run'])
      expect(text, word).not.toContain(word);
    expect(problems).toEqual([]);
    if (process.env.UPDATE_DOCS_IMAGES === '1') await screen('explore-da.png');
  }, 120_000);

  it('the downloaded scenario reruns to the page’s numbers; the downloaded report has them too', async () => {
    const shown = await headline();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-scenario')]);
    const yaml = readFileSync((await download.path())!, 'utf8');
    const rerun = simulate(parseYaml(yaml));
    expect(await asPage(headlineHtml(rerun, 'da'))).toBe(shown);
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    const html = readFileSync((await report.path())!, 'utf8');
    expect(
      await asPage(
        html.slice(
          html.indexOf('<section class="answer">'),
          html.indexOf('</section>', html.indexOf('<section class="answer">')) + 10,
        ),
      ),
    ).toBe(shown);
    expect(html).toContain('<html lang="da">');
    expect(problems).toEqual([]);
  }, 120_000);

  it('a state that makes no scenario takes the old figures off the page; a broken or foreign link is said and left out', async () => {
    await page.goto('about:blank');
    await page.goto(`${url}#%7Bbad`);
    await settled();
    // The defaults run, and the problem stays said.
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await page.evaluate(() => document.getElementById('problem')!.hidden)).toBe(false);
    expect(await page.evaluate(() => document.getElementById('problem')!.textContent)).toMatch(/not readable/);
    expect(await headline()).toBe(await asPage(libraryHeadline({})));
    await page.goto('about:blank');
    await page.goto(`${url}${encodeState({ strategies: { foo: { hidden: true } }, paths: 1000 })}`);
    await settled();
    expect(await page.evaluate(() => document.getElementById('problem')!.textContent)).toMatch(/left out: foo/);
    expect(decodeState(await page.evaluate(() => location.hash))).toEqual({ strategies: {}, inputs: {}, paths: 1000 });
    expect(await page.evaluate(() => document.body.dataset.paths)).toBe('1000');
    // Every strategy hidden: no scenario; nothing of the earlier run stays.
    let run = await runOf();
    for (const id of ['frame', 'activity'])
      await page.evaluate((i) => {
        const box = document.getElementById(`show-${i}`) as HTMLInputElement;
        box.checked = false;
        box.dispatchEvent(new Event('change'));
      }, id);
    await settled(run);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('error');
    expect(await headline()).toBe('');
    expect(await page.evaluate(() => document.querySelectorAll('#panel-budget svg').length)).toBe(0);
    expect(await page.evaluate(() => (document.getElementById('download-report') as HTMLButtonElement).disabled)).toBe(
      true,
    );
    expect(await page.evaluate(() => document.getElementById('status')!.textContent)).toBe('Not run');
    // The sliders stop where the scenario stops: the spread of every assumption at its end runs.
    run = await runOf();
    await page.evaluate(() => {
      const box = document.getElementById('show-frame') as HTMLInputElement;
      box.checked = true;
      box.dispatchEvent(new Event('change'));
    });
    await settled(run);
    for (const selector of await page.evaluate(() =>
      Array.from(document.querySelectorAll('input[data-input-spread]')).map(
        (e) => `input[data-input-spread="${e.getAttribute('data-input-spread')}"]`,
      ),
    )) {
      run = await runOf();
      await page.evaluate((s) => {
        const e = document.querySelector(s) as HTMLInputElement;
        e.value = e.max;
        e.dispatchEvent(new Event('change'));
      }, selector);
      await settled(run);
      expect(await page.evaluate(() => document.body.dataset.state), selector).toBe('done');
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('a change during a run cancels it: no part of the older run is drawn, and the newer run’s numbers are the library’s', async () => {
    await page.goto('about:blank');
    await page.goto(url);
    await settled();
    // Every drawing of the headline: the run it was drawn for, what it showed, and the Monte
    // Carlo error's line (set with it), which names the paths drawn.
    await page.evaluate(() => {
      const w = window as unknown as { drawn: { run: number; html: string; error: string }[] };
      w.drawn = [];
      const headline = document.getElementById('headline')!;
      new MutationObserver(() =>
        w.drawn.push({
          run: Number(document.body.dataset.run),
          html: headline.innerHTML,
          error: document.getElementById('mc-error')!.textContent ?? '',
        }),
      ).observe(headline, { childList: true });
    });
    const run = await runOf();
    // Two changes in one task of the page: the first starts a run and sends its first tasks to
    // the workers; the second starts another before any of the first's parts can come back
    // (a run can now take only milliseconds, so two separate changes could see the first done).
    await page.evaluate(() => {
      for (const [s, v] of [
        ['#set-frame-carryOver-deficitCap', '0.15'],
        ['#set-frame-carryOver-deficitCap', '0.1'],
      ] as const) {
        const e = document.querySelector(s) as HTMLInputElement;
        e.value = v;
        e.dispatchEvent(new Event('change'));
      }
    });
    expect(await runOf()).toBe(run + 2);
    await settled(run + 1);
    const drawn = await page.evaluate(
      () => (window as unknown as { drawn: { run: number; html: string; error: string }[] }).drawn,
    );
    expect(drawn.length).toBeGreaterThan(0);
    const older: ExplorerState = { strategies: { frame: { settings: { 'carryOver.deficitCap': 0.15 } } } };
    const newer: ExplorerState = { strategies: { frame: { settings: { 'carryOver.deficitCap': 0.1 } } } };
    // Each drawing is the newer run's first paths, as the library gives them: no part of the
    // older run's paths is in any (whose headline differs).
    for (const d of drawn) {
      expect(d.run).toBe(run + 2);
      const paths = Number(/at ([\d,]+) paths/.exec(d.error)![1]!.replace(/,/g, ''));
      const expected = await asPage(libraryHeadline(newer, 'en', paths));
      expect(await asPage(libraryHeadline(older, 'en', paths))).not.toBe(expected);
      expect(d.html, `the drawing of ${paths} paths`).toBe(expected);
    }
    expect(await headline()).toBe(await asPage(libraryHeadline(newer)));
    expect(problems).toEqual([]);
  }, 120_000);

  it('names a built-in strategy given an id of its own in the page’s language', async () => {
    const named = join(dir, 'named.html');
    const scenario: ScenarioInput = {
      ...BASE,
      strategies: [{ kind: 'frame' }, { kind: 'hybrid', id: 'corridor5', corridor: 0.05 }],
    };
    writeFileSync(named, await renderExplorer(scenario, { influential: INPUTS }));
    await page.goto('about:blank');
    await page.goto(`${pathToFileURL(named).href}${encodeState({ locale: 'da' })}`);
    await settled();
    const legend = () =>
      page.evaluate(() => document.querySelector('fieldset[data-strategy="corridor5"] legend')!.textContent!.trim());
    expect(await legend()).toBe('Hybrid (ramme med aktivitetskorridor): corridor5');
    await page.goto('about:blank');
    await page.goto(`${pathToFileURL(named).href}${encodeState({ locale: 'en' })}`);
    await settled();
    expect(await legend()).toBe('Hybrid (frame with activity corridor): corridor5');
    expect(problems).toEqual([]);
  }, 120_000);
});
