import { describe, expect, it } from 'vitest';
import { compareScenarios, OptionError, ResultError, type ScenarioInput } from '../../src/index';
import { comparisonChart, renderComparisonReport } from '../../src/html/index';
import { lejreHomeCare } from '../fixtures';

const base = (): ScenarioInput => ({ ...lejreHomeCare(), horizonYears: 4, paths: 80 });
const screens = (): ScenarioInput => ({
  ...base(),
  name: 'lejre-screens',
  interventions: [
    { id: 'screens', kind: 'screenVisits', from: '2025-01-01', rampMonths: 6, effect: 0.05, costKrPerYear: 400_000 },
  ],
});

/** The page's words as a reader sees them: tags, styles and entities gone, the charts' text kept. */
function text(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** English words that must not stand on the Danish page. */
const ENGLISH = [
  /\bthe\b/i,
  /\band\b/,
  /\bof\b/,
  /\bpaths?\b/i,
  /\bYear\b/,
  /\bBase\b/,
  /\bmean\b/i,
  /\bDifference\b/i,
  /\blower\b/,
  /\bhigher\b/,
  /\bReading\b/,
  /\bCharts?\b/,
  /\bTables?\b/,
  /\bStrateg/,
  /\bSteering\b/,
  /\bTreasury\b/,
  /\bProvider\b/,
  /\bActual cost\b/,
  /\bAll services\b/,
  /\bm kr\b/,
  /\bpercentage\b/,
  /\bindependent\b/i,
  /\bMade\b/,

  /\bscenario\b/,
];

describe('renderComparisonReport', () => {
  const comparison = compareScenarios(base(), screens());
  const at = new Date(2026, 11, 6);

  it('writes the headline of each strategy from the numbers, in English', async () => {
    const html = await renderComparisonReport(comparison, { generatedAt: at });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    const page = text(html);
    const r = comparison.rows.find(
      (x) => x.strategy === 'frame' && x.figure === 'treasuryDeviationKr' && x.year === 2027,
    )!;
    expect(r.p95).toBeLessThan(0);
    const m = (x: number) => (Math.abs(x) / 1e6).toFixed(Math.abs(x) < 0.995e6 ? 2 : 1);
    expect(page).toContain(
      `Under frame (rammestyring) the variant lowers the deviation from the adopted budget in 2027 by ${m(r.p50)} m kr (median; 90% of paths between ${m(r.p5)} and ${m(r.p95)} m kr lower); it is lower in 100% of the paths`,
    );
    expect(page).toMatch(/Under activity \(aktivitetsstyring\) the variant (raises|lowers|leaves)/);
    expect(page).toMatch(
      /Pairing on common random numbers: in 2027 the paired differences spread with a standard deviation of [\d.]+ m kr, against [\d.]+ m kr for two independent runs \(\d+\.\d% of the variance removed\)/,
    );
    expect(page).toContain('What the variant changes interventions');
    // A fan per strategy, a table per strategy and figure.
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html.match(/<table class="summary">/g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('speaks Danish on the Danish page: words, numbers and units', async () => {
    const html = await renderComparisonReport(comparison, { locale: 'da', generatedAt: at });
    expect(html).toContain('<html lang="da">');
    const page = text(html);
    for (const word of ENGLISH) expect(page, String(word)).not.toMatch(word);
    expect(page).toMatch(
      /Under rammestyring sænker varianten afvigelsen fra det vedtagne budget i 2027 med \d+,\d+ mio\. kr\. \(median; i 90 % af forløbene mellem \d+,\d+ og \d+,\d+ mio\. kr\. lavere\); den er lavere i 100 % af forløbene/,
    );
    expect(page).toContain('Lavet 6. december 2026');
    expect(page).not.toMatch(/-0,0\b|−0,0\b/);
    expect(page).not.toMatch(/\d%/);
    // Money with decimal commas, never points.
    expect(page).not.toMatch(/\d\.\d\d\b(?! kr)/);
  });

  it('says a scenario compared with itself changes nothing', async () => {
    const self = compareScenarios(base(), base(), { strategies: ['frame'], paths: 20 });
    const en = text(await renderComparisonReport(self, { generatedAt: at }));
    expect(en).toContain(
      'Under frame (rammestyring) the variant leaves the deviation from the adopted budget in 2027 unchanged on every path.',
    );
    expect(en).toContain('What the variant changes nothing: the two scenarios are the same');
    const da = text(await renderComparisonReport(self, { locale: 'da', generatedAt: at }));
    expect(da).toContain(
      'Under rammestyring lader varianten afvigelsen fra det vedtagne budget i 2027 uændret i alle forløb.',
    );
    expect(da).not.toMatch(/-0,0/);
  });

  it('refuses a locale, a date or a year it does not have', async () => {
    await expect(renderComparisonReport(comparison, { locale: 'de' as never })).rejects.toThrow(OptionError);
    await expect(renderComparisonReport(comparison, { year: 2040 })).rejects.toThrow(
      /year 2040 is not in the comparison; expected 2024 to 2027/,
    );
    await expect(renderComparisonReport(comparison, { generatedAt: new Date(Number.NaN) })).rejects.toThrow(
      OptionError,
    );
  });
});

describe('comparisonChart', () => {
  const comparison = compareScenarios(base(), screens(), { strategies: ['frame'], paths: 30 });

  it('draws the difference per year in m kr, with a zero rule', async () => {
    const spec = comparisonChart(comparison, { locale: 'da', figure: 'actualCostKr' });
    const values = (spec.data as { values: { year: number; p50: number }[] }).values;
    expect(values.map((v) => v.year)).toEqual([2024, 2025, 2026, 2027]);
    const row = comparison.rows.find((r) => r.figure === 'actualCostKr' && r.year === 2027)!;
    expect(values[3]!.p50).toBeCloseTo(row.p50 / 1e6, 9);
    expect(JSON.stringify(spec)).toContain('"datum":0');
    expect(JSON.stringify(spec)).toContain('Forskel (mio. kr.)');
    const vl = await import('vega-lite');
    expect(() => vl.compile(spec as never)).not.toThrow();
  });

  it('refuses a strategy or figure the comparison does not hold', () => {
    expect(() => comparisonChart(comparison, { strategy: 'activity' })).toThrow(ResultError);
    expect(() => comparisonChart(comparison, { figure: 'carryOverKr' })).toThrow(
      /figure "carryOverKr" is not in the comparison/,
    );
  });
});
