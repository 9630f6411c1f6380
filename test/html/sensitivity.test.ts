import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import {
  attributionChart,
  lejre2034,
  rankSensitivity,
  sobolSensitivity,
  tornadoSensitivity,
  twoLevelSensitivity,
  OptionError,
  type ScenarioInput,
  type SensitivityIndexRow,
  type SobolSensitivity,
} from '../../src/index';
import { renderSensitivityReport } from '../../src/html/index';

const short: ScenarioInput = { ...lejre2034(), horizonYears: 3 };

describe('renderSensitivityReport', () => {
  it('draws each analysis as SVG charts with a reading, in English and Danish', async () => {
    const sobol = sobolSensitivity(short, { n: 60, bootstrap: 50 });
    const en = await renderSensitivityReport(sobol, { generatedAt: new Date(2026, 10, 23) });
    expect(en.startsWith('<!doctype html>')).toBe(true);
    // The attribution chart and the indices: two figures, each an SVG with marks.
    expect(en.match(/<figure class="chart"><svg/g)).toHaveLength(2);
    const top = sobol.rows
      .filter((r) => r.strategy === 'frame' && r.year === 2026)
      .sort((a, b) => b.share - a.share)[0]!;
    const names: Record<string, string> = {
      demography: 'demography',
      'use-rates': 'use rates',
      intensity: 'hours per recipient',
      productivity: 'productivity',
      prices: 'prices and wages',
      'care-home-flows': 'care-home flows',
    };
    // The reading names the group that leads in 2026, with the years it leads (2026 among them).
    expect(en).toMatch(new RegExp(`${names[top.group]} (explains|explain the largest share[^.]*)? ?in [^(]*2026`));
    expect(en).toContain('Saltelli (2010)');
    const da = await renderSensitivityReport(sobol, { locale: 'da', generatedAt: new Date(2026, 10, 23) });
    expect(da).toContain('Hvad driver afvigelsen');
    expect(da).toContain('23. november 2026');
    // How it is estimated, in Danish, from the same design as the English sentence.
    const groups = sobol.groups.length;
    expect(da).toContain(
      `Pick-freeze på de nøglede tilfældige strømme, N = 60 basistræk, ${groups} grupper, ${60 * (groups + 2)} forløb under hver strategi`,
    );
    expect(da).toContain('95 %-percentil-bootstrapintervaller over basistrækkene.');
    expect(da).not.toContain('percentile bootstrap');
    const tornado = await renderSensitivityReport(tornadoSensitivity(short, { paths: 30, years: [2026] }));
    expect(tornado.match(/<figure class="chart"><svg/g)).toHaveLength(2); // one per strategy
    const rank = await renderSensitivityReport(rankSensitivity(short, { paths: 60, bootstrap: 50 }));
    expect(rank).toMatch(/Spearman/);
    const two = await renderSensitivityReport(twoLevelSensitivity(short, { outer: 10, inner: 4, bootstrap: 50 }));
    expect(two).toMatch(/structural parameters carry \d+ ?% of the variance in 2024/);
    const danish = {
      tornado: await renderSensitivityReport(
        tornadoSensitivity(short, { paths: 30, years: [2026], low: 0.2, high: 0.8 }),
        { locale: 'da' },
      ),
      rank: await renderSensitivityReport(rankSensitivity(short, { paths: 60, bootstrap: 50, confidence: 0.9 }), {
        locale: 'da',
      }),
      two: await renderSensitivityReport(twoLevelSensitivity(short, { outer: 10, inner: 4, bootstrap: 50 }), {
        locale: 'da',
      }),
    };
    expect(danish.tornado).toMatch(
      /Tornado: medianen over 30 forløb med ét input ved sin P20 og P80, .*; \d+ kørsler\./,
    );
    expect(danish.rank).toContain(
      'Spearmans rangkorrelation over 60 forløb af en almindelig kørsel; 90 %-percentil-bootstrapintervaller over forløbene.',
    );
    expect(danish.two).toContain(
      'Monte Carlo i to niveauer: 10 ydre træk af de strukturelle parametre × 4 forløb med variation for hvert',
    );
  });

  it('refuses what is not an analysis', async () => {
    await expect(renderSensitivityReport({} as never)).rejects.toThrow(OptionError);
    await expect(
      renderSensitivityReport(sobolSensitivity(short, { n: 20, bootstrap: 20, years: [2026] }), {
        locale: 'de' as never,
      }),
    ).rejects.toThrow(/locale/);
  });
});

/** A Sobol' result made by hand: the shares given per group and year, the indices equal to them. */
function madeSobol(shares: Record<string, Record<string, readonly number[]>>): SobolSensitivity {
  const years = [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034];
  const rows: SensitivityIndexRow[] = [];
  const residuals: SobolSensitivity['residuals'][number][] = [];
  for (const [strategy, groups] of Object.entries(shares))
    years.forEach((year, k) => {
      let sum = 0;
      for (const [group, s] of Object.entries(groups)) {
        const share = s[k]!;
        sum += share;
        rows.push({
          strategy,
          year,
          group,
          first: share,
          firstLow: share - 0.05,
          firstHigh: share + 0.05,
          total: share,
          totalLow: share - 0.05,
          totalHigh: share + 0.05,
          share,
          shareLow: share - 0.05,
          shareHigh: share + 0.05,
        });
      }
      residuals.push({ strategy, year, residual: 1 - sum, low: -0.1, high: 0.1, sd: 1 });
    });
  const groupIds = Object.keys(Object.values(shares)[0]!);
  return {
    method: 'sobol',
    scenario: 'made',
    figure: 'treasuryDeviationPct',
    service: 'total',
    strategies: [
      { id: 'frame', label: 'Frame (rammestyring)' },
      { id: 'activity', label: 'Activity (aktivitetsstyring)' },
    ].filter((s) => s.id in shares),
    years,
    paths: 800,
    estimator: 'made by hand',
    notes: [],
    groups: groupIds.map((id) => ({ id, members: [id] })),
    n: 100,
    confidence: 0.95,
    rows,
    residuals,
  };
}

/** The paragraphs of a page's reading, as text. */
function readingOf(html: string): string[] {
  const section = /<section class="reading">([\s\S]*?)<\/section>/.exec(html)![1]!;
  return [...section.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
}

describe('the reading of a Sobol analysis', () => {
  // Use rates lead in 2024 and from 2030, care-home flows in 2025-2029 (up to 60 %), prices and
  // wages pass 10 % in 2031-2034 without leading, productivity never passes 10 %.
  const frame = {
    'use-rates': [0.45, 0.2, 0.15, 0.1, 0.1, 0.1, 0.5, 0.55, 0.5, 0.48, 0.52],
    'care-home-flows': [0.3, 0.5, 0.55, 0.6, 0.58, 0.47, 0.3, 0.2, 0.2, 0.2, 0.2],
    prices: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.08, 0.11, 0.12, 0.14, 0.13],
    productivity: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, -0.02],
  };
  // Demography (one thing, a singular verb) leads every year.
  const activity = {
    demography: [0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.69, 0.68, 0.67, 0.66, 0.65],
    prices: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
  };

  it('names every group above 10 % in any year, with the years where it leads, in English', async () => {
    const html = await renderSensitivityReport(madeSobol({ frame, activity: { ...frame, ...activity } }), {
      generatedAt: new Date(2026, 11, 6),
    });
    expect(readingOf(html)).toEqual([
      'Under Frame (rammestyring), use rates explain the largest share of the variance of the overrun in 2024 and 2030–2034 (up to 55%) and care-home flows in 2025–2029 (up to 60%). Prices and wages (2031–2034, up to 14%) also explain more than 10%.',
      'Under Activity (aktivitetsstyring), demography explains the largest share of the variance of the overrun in 2024–2034 (up to 70%). Use rates (2024–2026 and 2030–2034, up to 55%) and care-home flows (2024–2034, up to 60%) also explain more than 10%.',
    ]);
  });

  it('in Danish, with strategies that read alike in one sentence', async () => {
    const html = await renderSensitivityReport(madeSobol({ frame, activity: frame }), {
      locale: 'da',
      generatedAt: new Date(2026, 11, 6),
    });
    expect(readingOf(html)).toEqual([
      'Under rammestyring og aktivitetsstyring forklarer modtagerandele den største andel af variansen i merforbrug i 2024 og 2030–2034 (op til 55\u00a0%) og plejeboligforløb i 2025–2029 (op til 60\u00a0%). Priser og lønninger (2031–2034, op til 14\u00a0%) forklarer også mere end 10\u00a0%.',
    ]);
  });

  it('one group alone: its one year, a singular verb, nothing else above 10 %', async () => {
    const one = madeSobol({ frame: { productivity: [0.95, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9] } });
    const html = await renderSensitivityReport(
      { ...one, years: [2024], rows: one.rows.filter((r) => r.year === 2024) },
      {
        generatedAt: new Date(2026, 11, 6),
      },
    );
    expect(readingOf(html)).toEqual([
      'Under Frame (rammestyring), productivity explains the largest share of the variance of the overrun in 2024 (95%).',
    ]);
  });
});

describe('the sensitivity pages of lejre-2034 as a reader sees them (headless Chromium)', () => {
  let browser: Browser;
  // One tab for every look: the bundled Chromium runs as one process, which closing its last tab ends.
  let tab: Page;
  const pages: Record<string, string> = {};
  let sobol: SobolSensitivity;

  beforeAll(async () => {
    sobol = sobolSensitivity(lejre2034(), { n: 64, bootstrap: 40 });
    const tornado = tornadoSensitivity(lejre2034(), { paths: 20 });
    for (const locale of ['en', 'da'] as const) {
      const generatedAt = new Date(2026, 11, 6);
      pages[`sobol-${locale}`] = await renderSensitivityReport(sobol, { locale, generatedAt });
      pages[`tornado-${locale}`] = await renderSensitivityReport(tornado, { locale, generatedAt });
    }
    browser = await launchChromium();
    tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** What a page shows: its text and every SVG text, and the year labels of each chart with a year axis. */
  async function look(html: string, yearTitle: string) {
    await tab.setContent(html, { waitUntil: 'load' });
    return await tab.evaluate((title) => {
      const svgText = Array.from(document.querySelectorAll('svg text')).map((t) => t.textContent ?? '');
      const axes = Array.from(document.querySelectorAll(`g[aria-label^="X-axis titled '${title}'"]`)).map((axis) =>
        Array.from(axis.querySelectorAll('.role-axis-label text')).map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      const yLabels = Array.from(document.querySelectorAll('g[aria-label^="Y-axis"] .role-axis-label text')).map(
        (t) => t.textContent ?? '',
      );
      return { text: `${document.body.innerText}\n${svgText.join('\n')}`, axes, yLabels };
    }, yearTitle);
  }

  it('the Danish pages hold no English words or code ids; numbers in Danish, no −0,0', async () => {
    const english = [
      'treasuryDeviationPct',
      'treasuryDeviation',
      'paths',
      'Output median',
      'home-care.',
      'hoursTrend',
      'useRate',
      'userTime',
      'undelivered',
      'explains',
      'share',
      'Share',
      'care-home',
      'use rates',
      'intensity',
      'Known exactly',
      'Reading',
      'Frame',
      'Activity',
      'total,',
      'Interactions',
    ];
    for (const name of ['sobol-da', 'tornado-da']) {
      const { text, yLabels } = await look(pages[name]!, 'År');
      for (const word of english) expect(text, `${name}: ${word}`).not.toContain(word);
      expect(text).not.toMatch(/[-\u2212]0,0(?![\d])/);
      expect(text).not.toMatch(/\d\.\d+ ?%/); // a decimal point in a Danish percentage
      expect(text).toContain('forløb');
      // Percentages with a space before the sign, as Danish writes them.
      expect(yLabels.filter((l) => l.endsWith('%')).every((l) => /\d\u00a0%$/.test(l))).toBe(true);
    }
    expect(pages['sobol-da']).toContain('Merforbrug i pct. af vedtaget budget, alle ydelser');
    // The tornado's axis in the figure's unit, and its bars named by the inputs in Danish with their ranges.
    const tornado = await look(pages['tornado-da']!, 'År');
    expect(tornado.text).toContain('Merforbrug, median (%)');
    expect(tornado.text).toContain('Hjemmepleje: udvikling i timer pr. modtager');
    expect(tornado.text).toMatch(/−0,\d\u00a0% til \+0,\d\u00a0% pr\. år/);
  });

  it('the English pages name the figure, the groups and the inputs in words', async () => {
    const sob = await look(pages['sobol-en']!, 'Year');
    expect(sob.text).toContain('Overrun in % of the adopted budget, all services');
    expect(sob.text).toContain('care-home flows');
    expect(sob.text).not.toContain('treasuryDeviationPct');
    const tor = await look(pages['tornado-en']!, 'Year');
    expect(tor.text).toContain('Overrun, median (%)');
    expect(tor.text).not.toContain('home-care.');
    expect(tor.text).not.toContain('Output median');
    expect(tor.text).toMatch(/−0\.\d% to \+0\.\d% a year/);
  });

  it('the attribution chart: one year label per tick, none overlapping, stacks never above 100 %', async () => {
    for (const [name, title] of [
      ['sobol-en', 'Year'],
      ['sobol-da', 'År'],
    ] as const) {
      const { axes, yLabels } = await look(pages[name]!, title);
      expect(axes.length).toBe(sobol.strategies.length); // one x axis per panel
      for (const labels of axes) {
        expect(labels.map((l) => l.text)).toEqual(sobol.years.map(String));
        for (let i = 1; i < labels.length; i++) {
          const a = labels[i - 1]!;
          const b = labels[i]!;
          const overlap =
            Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
            Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
          expect(overlap, `${name}: ${a.text} and ${b.text}`).toBeLessThan(1);
        }
      }
      expect(yLabels).toContain(name.endsWith('da') ? '100\u00a0%' : '100%');
    }
    const values = (
      attributionChart(sobol.rows).data as { values: { strategy: string; year: number; stack: number }[] }
    ).values;
    const stacks = new Map<string, number>();
    for (const v of values)
      stacks.set(`${v.strategy} ${v.year}`, (stacks.get(`${v.strategy} ${v.year}`) ?? 0) + v.stack);
    expect(stacks.size).toBe(sobol.strategies.length * sobol.years.length);
    for (const total of stacks.values()) {
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
      expect(total).toBeGreaterThan(1 - 1e-9); // groups and residual fill the bar
    }
  });
});
