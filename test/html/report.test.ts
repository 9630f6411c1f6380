import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { compareStrategies, lejre2034, simulate, summarize, summaryRows, toSummaryResult } from '../../src/index';
import { renderReport, writeReport } from '../../src/html/index';
import pkg from '../../package.json';
import { labelledRun } from '../charts/labelled';

const scenario = lejre2034();
const exact = simulate({ ...scenario, paths: 300 });
const streaming = toSummaryResult(exact);
const when = new Date(2026, 2, 5, 12, 0);
const dir = mkdtempSync(join(tmpdir(), 'carebudget-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every reference to something outside the page: src/href attributes not starting with "#", url(...) in styles, @import, and http(s) URLs other than the SVG's XML namespaces. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|xlink:href|srcset|poster|action|data)\s*=\s*["']?([^"'\s>]*)/gi))
    if (!m[1]!.startsWith('#')) found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]*)/gi)) if (!m[1]!.startsWith('#')) found.push(m[0]);
  for (const m of html.matchAll(/@import/gi)) found.push(m[0]);
  const namespaces = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']);
  for (const m of html.matchAll(/https?:\/\/[^\s"'<>)]*/gi)) if (!namespaces.has(m[0])) found.push(m[0]);
  for (const m of html.matchAll(/<(script|link|iframe|img|object|embed)\b/gi)) found.push(m[0]);
  return found;
}

const text = (html: string) =>
  html
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t\r\n]+/g, ' ');

describe('HTML report (carebudget/report)', () => {
  it('is one self-contained page: no script, no link, no external URL of any kind', async () => {
    const html = await renderReport(exact, { scenario, generatedAt: when });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(externalReferences(html)).toEqual([]);
  });

  it('holds every chart as inline SVG drawn by vega, with marks in it', async () => {
    const html = await renderReport(exact, { scenario, generatedAt: when });
    const figures = [...html.matchAll(/<figure class="chart" id="chart-([a-z0-9-]+)">([\s\S]*?)<\/figure>/g)];
    expect(figures.map((f) => f[1])).toEqual([
      'who',
      'difference-1',
      'fan',
      'provider',
      'overspend',
      'exceedance',
      'distribution',
      'metrics',
    ]);
    for (const f of figures) {
      expect(f[2]).toMatch(/^<svg[^>]*width="\d+"/);
      // vega draws marks as paths: areas, lines, bars and axes.
      expect((f[2]!.match(/<path/g) ?? []).length).toBeGreaterThan(5);
    }
  });

  it('the reading and the tables come from the summaries, formatted for the locale', async () => {
    const rows = summaryRows(exact, { figures: ['treasuryDeviationKr'] });
    const last = exact.years[exact.years.length - 1]!;
    const frame = rows.find((r) => r.strategy === 'frame' && r.year === last)!;
    const en = text(await renderReport(exact, { scenario, generatedAt: when }));
    const mkrEn = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
      Math.abs(frame.p50) / 1e6,
    );
    const pEn = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(frame.pOverspend);
    expect(en).toContain(
      `Under Frame (rammestyring), the cost of all services exceeds the adopted budget in ${last} with probability ${pEn}; the median is an ${frame.p50 >= 0 ? 'overspend' : 'underspend'} of ${mkrEn}\u00a0m kr`,
    );
    const da = text(await renderReport(exact, { scenario, locale: 'da', generatedAt: when }));
    const mkrDa = new Intl.NumberFormat('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
      Math.abs(frame.p50) / 1e6,
    );
    expect(da).toContain(`Under rammestyring overstiger udgiften til alle ydelser det vedtagne budget i ${last}`);
    expect(da).toContain(`${mkrDa}\u00a0mio. kr.`);
    // Dates with date-fns in the locale's words.
    expect(da).toContain('5. marts 2026');
    expect(en).toContain('5 March 2026');
    // One table row per strategy and year, P50 of the overrun in m kr.
    const html = await renderReport(exact, { scenario, generatedAt: when });
    const tables = [...html.matchAll(/<table class="summary"><caption>([^<]*)<\/caption>[\s\S]*?<\/table>/g)];
    expect(tables.length).toBe(exact.strategies.length + 1);
    const body = tables[0]![0].match(/<tr><th scope="row">(\d{4})<\/th><td>[^<]*<\/td><td>([^<]*)<\/td>/g)!;
    expect(da).not.toMatch(/-0,0\b/);
    expect(en).not.toMatch(/-0\.0\b/);
    expect(body).toHaveLength(exact.years.length);
    const p50 = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
      rows.find((r) => r.strategy === 'frame' && r.year === exact.years[0])!.p50 / 1e6,
    );
    expect(body[0]).toContain(`<td>${p50}</td>`);
  });

  it('shows the key inputs: population growth, services, strategies, paths, seed and the library version', async () => {
    const da = text(await renderReport(exact, { scenario, locale: 'da', generatedAt: when }));
    expect(da).toContain('80+: 1.605 → 2.499 (+56\u00a0%, 2023–2034)');
    expect(da).toContain(`Forløb (simulerede fremtider) 300`);
    expect(da).toContain(`Frø (seed) ${String(scenario.seed)}`);
    expect(da).toContain(`carebudget ${pkg.version}`);
    // The services in Danish, as the charts name them.
    expect(da).toContain('Ydelser Plejeboliger; Hjemmepleje');
    expect(da).toContain('Rammestyring; Aktivitetsstyring');
  });

  it('renders a streaming summary too', async () => {
    const html = await renderReport(streaming, { generatedAt: when });
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBe(8);
    expect(externalReferences(html)).toEqual([]);
  });

  it('a streaming summary of one service has no paired difference: the page says so instead of drawing it', async () => {
    const html = await renderReport(streaming, { service: 'home-care', generatedAt: when });
    expect([...html.matchAll(/<figure class="chart" id="chart-([a-z0-9-]+)">/g)].map((m) => m[1])).toEqual([
      'who',
      'fan',
      'provider',
      'overspend',
      'exceedance',
      'distribution',
      'metrics',
    ]);
    expect(html).toContain(
      'The paired difference Frame (rammestyring) − Activity (aktivitetsstyring) is not in this result',
    );
    expect(text(html)).toContain('the cost of home care (§83) exceeds the adopted budget');
  });

  it("the headline's figures are summarize's, and its comparison compareStrategies', on the same result", async () => {
    const html = await renderReport(exact, { scenario, generatedAt: when });
    const rows = summarize(exact, {
      figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'treasuryShareKr', 'providerDeviationKr'],
    });
    const at = (s: string, y: number, f: string) =>
      rows.find((r) => r.strategy === s && r.year === y && r.figure === f)!;
    const mkr = (x: number) =>
      `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Number((x / 1e6).toFixed(1)) || 0)}\u00a0m kr`;
    const pct = (x: number) =>
      new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(Number(x.toFixed(2)) || 0);
    const pct1 = (x: number) =>
      new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        Number(x.toFixed(3)) || 0,
      );
    const table = html.match(/<table class="headline">([\s\S]*?)<\/table>/)![1]!;
    const cells = [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]!.replace(/&amp;/g, '&')));
    const first = exact.years[0]!;
    const last = exact.years[exact.years.length - 1]!;
    expect(cells).toHaveLength(exact.strategies.length * 2);
    let k = 0;
    for (const st of exact.strategies)
      for (const year of [first, last]) {
        const row = cells[k++]!;
        const tail = row.slice(row.length - 6);
        expect(tail).toEqual([
          String(year),
          pct(at(st.id, year, 'treasuryDeviationKr').exceed[0]!),
          `${mkr(at(st.id, year, 'treasuryDeviationKr').percentiles[50]!)} (${pct1(at(st.id, year, 'treasuryDeviationPct').percentiles[50]!)})`,
          `${mkr(at(st.id, year, 'treasuryDeviationKr').percentiles[95]!)} (${pct1(at(st.id, year, 'treasuryDeviationPct').percentiles[95]!)})`,
          mkr(at(st.id, year, 'treasuryShareKr').mean),
          mkr(at(st.id, year, 'providerDeviationKr').mean),
        ]);
      }
    // The comparison: frame against activity, the median of compareStrategies' paired difference.
    const d = compareStrategies(exact, 'frame', 'activity').find((r) => r.year === last)!;
    expect(text(html)).toContain(
      `the overrun under Frame (rammestyring) is ${mkr(Math.abs(d.percentiles[50]!))} ${d.percentiles[50]! >= 0 ? 'larger' : 'smaller'} than under Activity (aktivitetsstyring) in ${last}`,
    );
    expect(text(html)).toContain(`larger in ${pct(d.exceed[0]!)} of the paths`);
  });

  it('compares the pair asked for; names strategies that coincide', async () => {
    const three = simulate({
      ...scenario,
      paths: 100,
      strategies: [{ kind: 'frame' }, { kind: 'hybrid' }, { kind: 'activity' }],
    });
    const html = text(await renderReport(three, { compare: ['hybrid', 'activity'], generatedAt: when }));
    expect(html).toContain('Paired difference, Hybrid (frame with activity corridor) − Activity (aktivitetsstyring)');
    expect(html).not.toContain('Paired difference, Frame (rammestyring) −');
    const plain = text(await renderReport(three, { generatedAt: when }));
    expect(plain).toContain('Paired difference, Frame (rammestyring) − Activity (aktivitetsstyring)');
    const noFrame = simulate({
      ...scenario,
      paths: 60,
      strategies: [{ kind: 'hybrid' }, { kind: 'activity' }, { kind: 'demographicFrame' }],
    });
    const each = text(await renderReport(noFrame, { generatedAt: when }));
    expect(each.match(/Paired difference, Hybrid \(frame with activity corridor\) −/g)).toHaveLength(2);
    await expect(renderReport(three, { compare: ['frame', 'nope'] })).rejects.toThrow(
      /compare names strategy "nope", which is not in the result; expected one of "frame", "hybrid", "activity"/,
    );
    await expect(renderReport(three, { compare: ['frame', 'frame'] })).rejects.toThrow(/two different strategy ids/);
    await expect(renderReport(three, { unit: 'eur' as 'kr' })).rejects.toThrow(
      /unit must be "kr" or "pct"; received "eur"/,
    );
    const again = simulate({ ...scenario, paths: 60, strategies: [{ kind: 'frame' }, { kind: 'frame', id: 'again' }] });
    expect(text(await renderReport(again, { generatedAt: when }))).toContain(
      'Frame (rammestyring): again gives the same overrun as Frame (rammestyring) on every path in every year',
    );
  });

  it('bad options fail before anything is drawn, naming the value', async () => {
    await expect(renderReport(exact, { locale: 'de' as 'da' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OptionError: renderReport: locale must be "da" or "en"; received "de"]`,
    );
    await expect(renderReport(exact, { year: 2050 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ResultError: renderReport: year 2050 is not in the result; expected 2024 to 2034]`,
    );
    await expect(renderReport(exact, { generatedAt: new Date(Number.NaN) })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OptionError: renderReport: generatedAt must be a valid Date; received Invalid Date]`,
    );
    await expect(renderReport(exact, { scenario: { ...scenario, paths: -1 } })).rejects.toThrow(/paths/);
    await expect(
      renderReport(exact, { scenario: { ...scenario, seed: 1 } }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OptionError: renderReport: the scenario given (name "lejre-2034", seed 1, base year 2023) is not the one the result was run from (name "lejre-2034", seed 2034, base year 2023)]`,
    );
  });

  it('writeReport writes the file whole, or not at all', async () => {
    const file = join(dir, 'r.html');
    await writeReport(file, exact, { scenario, generatedAt: when });
    expect(readFileSync(file, 'utf8')).toBe(await renderReport(exact, { scenario, generatedAt: when }));
    writeFileSync(file, 'before');
    await expect(writeReport(file, exact, { locale: 'xx' as 'da' })).rejects.toThrow(/locale/);
    expect(readFileSync(file, 'utf8')).toBe('before');
    await expect(writeReport(join(dir, 'missing', 'r.html'), exact)).rejects.toThrow(/could not write .*missing/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['r.html']);
  });

  it('vega and vega-lite stay out of the core: only the report entry imports them', () => {
    const src = join(__dirname, '..', '..', 'src');
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const users = walk(src)
      .filter((f) => /from\s+'vega|import\('vega/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(users.every((f) => f.startsWith('html/'))).toBe(true);
    expect(users.length).toBeGreaterThan(0);
  });
});

describe('plug-ins named in the report', () => {
  it('a strategy and a service of one’s own appear by their Danish labels in the Danish report, by label in the English one', async () => {
    const r = labelledRun();
    const da = text(await renderReport(r, { locale: 'da', generatedAt: when }));
    expect(da).toContain('Ramme med reservepulje');
    expect(da).toContain('Nattepleje');
    expect(da).toContain('Rammestyring');
    expect(da).not.toContain('Frame with a reserve pool');
    const en = text(await renderReport(r, { locale: 'en', generatedAt: when }));
    expect(en).toContain('Frame with a reserve pool');
    expect(en).toContain('Night care');
    expect(en).not.toContain('Ramme med reservepulje');
  });
});
