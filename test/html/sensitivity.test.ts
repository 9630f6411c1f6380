import { describe, expect, it } from 'vitest';
import {
  lejre2034,
  rankSensitivity,
  sobolSensitivity,
  tornadoSensitivity,
  twoLevelSensitivity,
  OptionError,
  type ScenarioInput,
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
