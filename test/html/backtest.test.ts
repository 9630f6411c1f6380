import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromStatbank } from '../../src/scenario/statbank';
import { backtest } from '../../src/fit/backtest';
import { accountsFromCsv } from '../../src/scenario/accounts';
import { renderBacktestReport } from '../../src/html/backtest';

const DATA = join(__dirname, '..', '..', 'examples', 'data');
const read = (file: string) => readFileSync(join(DATA, file), 'utf8');
const history = historyFromStatbank(
  { population: read('lejre-folk1am.json'), recipients: read('lejre-aed06.csv'), hours: read('lejre-aed022.json') },
  { municipality: 'Lejre', groups: '67-79,80+', fixed: { YDELSESTYPE: 'Personlig og/eller praktisk hjælp' } },
);
const result = backtest(undefined, history, { origins: [2016, 2017, 2018, 2019, 2020, 2021], horizon: 3, paths: 300 });
const at = new Date(2026, 11, 6);

/** The page's visible text: the style and tags removed, entities decoded, spaces joined. */
function text(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const pct = (x: number) => `${Math.round(100 * x)} %`;

describe('renderBacktestReport', () => {
  it('states the coverage and the CRPS one year ahead as the result has them, in words and in the table', async () => {
    const html = await renderBacktestReport(result, history, { generatedAt: at });
    const page = text(html);
    const r1 = result.summary.find((s) => s.quantity === 'recipients' && s.horizon === 1)!;
    const h1 = result.summary.find((s) => s.quantity === 'hours' && s.horizon === 1)!;
    expect(page).toContain(
      `Over 6 origins, one year ahead, 90 % of the outcomes should lie in the 90 % bands; ${pct(r1.coverage90)} of recipients and ${pct(h1.coverage90)} of visited hours a week did.`,
    );
    expect(page).toContain(
      `In the 50 % bands, where half should lie: ${pct(r1.coverage50)} of recipients and ${pct(h1.coverage50)} of visited hours a week.`,
    );
    const v = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-GB') : x.toFixed(1));
    expect(page).toContain(
      `The projection's CRPS is ${v(r1.crps)} recipients against the straight line's error of ${v(r1.trendError)} and ${v(h1.crps)} hours a week against ${v(h1.trendError)}.`,
    );
    // Over every horizon together: the share of rows inside the 90 % band.
    const rows = result.rows.filter((r) => r.quantity === 'recipients');
    expect(page).toContain(`in ${pct(rows.filter((r) => r.in90).length / rows.length)} of cases for recipients`);
    // The table: one row per quantity and horizon, with its n, coverages, CRPS and the line's error.
    const body = html.match(/<table class="summary headline">[\s\S]*?<\/table>/)![0];
    const tr = body.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr[\s\S]*?<\/tr>/g)!;
    expect(tr).toHaveLength(result.summary.length);
    result.summary.forEach((s, i) => {
      const cells = [...tr[i]!.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
      expect(cells).toEqual([
        String(s.horizon),
        String(s.n),
        pct(s.coverage50),
        pct(s.coverage90),
        v(s.crps),
        v(s.trendError),
      ]);
    });
    // Every projected year in the rows table.
    const all = html.match(/<table class="summary rows">[\s\S]*?<\/table>/)![0];
    expect(all.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(result.rows.length);
  });

  it('says which misses by less, the projection or the straight line', async () => {
    const page = text(await renderBacktestReport(result, history, { generatedAt: at }));
    for (const s of result.summary.filter((x) => x.horizon === 1)) {
      const name = s.quantity === 'recipients' ? 'recipients' : 'visited hours a week';
      const by = `${name} (by ${pct(Math.abs(1 - s.crps / s.trendError))})`;
      const sentence = page.match(
        s.crps < s.trendError
          ? /The projection misses by less than the straight line for [^.]*\./
          : /The straight line misses by less than the projection for [^.]*\./,
      );
      expect(sentence?.[0]).toContain(by);
    }
  });

  it('draws the PIT, coverage and fan charts of each quantity as inline SVG, with no error', async () => {
    const html = await renderBacktestReport(result, history, { generatedAt: at });
    for (const q of ['recipients', 'hours'])
      for (const chart of ['pit', 'coverage', 'fan']) {
        const figure = html.match(
          new RegExp(`<figure class="chart" id="chart-${chart}-${q}"[^>]*>([\\s\\S]*?)</figure>`),
        );
        expect(figure, `${chart} ${q}`).not.toBeNull();
        expect(figure![1]).toMatch(/^<svg [^>]*class="marks"/);
        expect(figure![1]).toContain('</svg>');
      }
    expect(html).not.toMatch(/\bNaN\b|undefined|Infinity/);
    // Nothing fetched from outside the page.
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
  });

  it('writes a Danish page in Danish: no English words in its text or its charts', async () => {
    const html = await renderBacktestReport(result, history, { locale: 'da', generatedAt: at });
    expect(html).toContain('<html lang="da">');
    const page = text(html);
    for (const word of ['udgangsår', 'fremskrivning', 'bånd', 'dækning', 'modtagere', 'visiterede timer'])
      expect(page.toLowerCase()).toContain(word);
    const english =
      /\b(the|and|of|in|origin|origins|horizon|years?|ahead|recipients|hours|week|coverage|band|bands|projection|straight|line|error|share|outcomes?|paths|what happened|yes|no|made|with)\b/i;
    expect(page.match(english)?.[0]).toBeUndefined();
    const r1 = result.summary.find((s) => s.quantity === 'recipients' && s.horizon === 1)!;
    expect(page).toContain(`det gjorde ${pct(r1.coverage90)} af modtagerne`);
    expect(page).toContain(`Fremskrivningens CRPS er ${r1.crps.toFixed(1).replace('.', ',')} modtagere`);
    expect(page).toContain('Lavet 6. december 2026');
  });

  it('refuses an unknown locale, an invalid date and a backtest with no scored outcome', async () => {
    await expect(renderBacktestReport(result, history, { locale: 'de' as 'en' })).rejects.toThrow(
      /renderBacktestReport: locale must be "da" or "en"; received "de"/,
    );
    await expect(renderBacktestReport(result, history, { generatedAt: new Date(NaN) })).rejects.toThrow(
      /generatedAt must be a valid Date/,
    );
    await expect(renderBacktestReport({ ...result, rows: [], summary: [] }, history)).rejects.toThrow(
      /scored no outcomes/,
    );
    const { hours: _h, ...noHours } = history;
    await expect(renderBacktestReport(result, noHours)).rejects.toThrow(/the history has no visited hours/);
  });

  it('shows the cost, scored against the accounts, in millions of kroner, with its fan chart', async () => {
    const costs = accountsFromCsv(read('lejre-accounts.csv'))['Hjemmehjælp']!;
    const r = backtest(undefined, history, { origins: [2018, 2019, 2020], horizon: 2, paths: 200, costs });
    const c1 = r.summary.find((s) => s.quantity === 'costKr' && s.horizon === 1)!;
    for (const locale of ['en', 'da'] as const) {
      const html = await renderBacktestReport(r, history, { locale, costs, generatedAt: at });
      const m = (x: number) => (x / 1e6).toFixed(1).replace('.', locale === 'da' ? ',' : '.');
      expect(text(html)).toContain(
        locale === 'en'
          ? `and ${m(c1.crps)} m kr against ${m(c1.trendError)}.`
          : `og ${m(c1.crps)} mio. kr. mod ${m(c1.trendError)}.`,
      );
      expect(html).toMatch(/<figure class="chart" id="chart-fan-costKr"[^>]*><svg /);
      expect(text(html)).toContain(locale === 'en' ? 'Cost of home care (m kr)' : 'Udgift til hjemmepleje (mio. kr.)');
      expect(html).not.toMatch(/\bundefined\b|\bNaN\b/);
    }
  });
});
