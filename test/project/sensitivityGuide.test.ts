import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lejre2034, sobolSensitivity, tornadoSensitivity, twoLevelSensitivity } from '../../src/index';
import { renderSensitivityReport } from '../../src/html/index';

/** The figures docs/sensitivity.md quotes are the ones the runs it shows give. */
describe('the sensitivity guide reads the Lejre case as the runs give it', () => {
  const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'sensitivity.md'), 'utf8').replace(/\s+/g, ' ');
  const quoted = (text: string) => expect(guide, `the guide quotes "${text}"`).toContain(text);
  const pct = (x: number) => `${Math.round(100 * x)} %`;

  const treasury = sobolSensitivity(lejre2034(), { n: 500 });
  const provider = sobolSensitivity(lejre2034(), { n: 500, figure: 'providerDeviationPct' });
  const share = (s: typeof treasury, strategy: string, year: number, group: string) =>
    s.rows.find((r) => r.strategy === strategy && r.year === year && r.group === group)!.share;

  it('frame steering, the treasury', () => {
    quoted(
      `use rates explain ${pct(share(treasury, 'frame', 2024, 'use-rates'))} of the variance in 2024, care-home flows ${pct(share(treasury, 'frame', 2024, 'care-home-flows'))}`,
    );
    const peak = Math.max(...treasury.years.map((y) => share(treasury, 'frame', y, 'care-home-flows')));
    expect(share(treasury, 'frame', 2028, 'care-home-flows')).toBe(peak);
    // The group that leads each year: use rates in 2024, then the care homes' flows, then demography to the end.
    const leads = treasury.years.map(
      (y) =>
        treasury.rows.filter((r) => r.strategy === 'frame' && r.year === y).sort((a, b) => b.share - a.share)[0]!.group,
    );
    const from = (group: string) => treasury.years[leads.indexOf(group)]!;
    expect(leads[0]).toBe('use-rates');
    expect(leads.slice(leads.indexOf('demography')).every((g) => g === 'demography')).toBe(true);
    expect(leads.slice(1, leads.indexOf('demography')).every((g) => g === 'care-home-flows')).toBe(true);
    quoted(`From ${from('care-home-flows')} the care homes' flows dominate (${pct(peak)} in 2028)`);
    quoted(
      `From ${from('demography')} demography takes over and explains ${pct(share(treasury, 'frame', 2034, 'demography'))} in 2034, while care-home flows fall to ${pct(share(treasury, 'frame', 2034, 'care-home-flows'))}`,
    );
    for (const y of treasury.years) expect(Math.abs(share(treasury, 'frame', y, 'prices') - 0.1)).toBeLessThan(0.05);
    const row = (group: string) =>
      treasury.rows.find((r) => r.strategy === 'frame' && r.year === 2034 && r.group === group)!;
    quoted(
      `demography has S = ${row('demography').first.toFixed(2)} and ST = ${row('demography').total.toFixed(2)}, and the care-home flows S = ${row('care-home-flows').first.toFixed(2)} and ST = ${row('care-home-flows').total.toFixed(2)}`,
    );
    // The treasury's shares are the same under activity steering.
    for (const r of treasury.rows.filter((x) => x.strategy === 'activity'))
      expect(r.share).toBeCloseTo(share(treasury, 'frame', r.year, r.group), 10);
  });

  it('activity steering, the provider', () => {
    const abs = (x: number) => pct(Math.abs(x));
    quoted(
      `no longer matter to it (${abs(share(provider, 'activity', 2034, 'demography'))} and ${abs(share(provider, 'activity', 2034, 'use-rates'))} of its variance in 2034)`,
    );
    quoted(
      `flows explain ${pct(share(provider, 'activity', 2024, 'care-home-flows'))} of its variance in 2024 and fall to ${pct(share(provider, 'activity', 2033, 'care-home-flows'))} by 2033`,
    );
    quoted(`From 2027 the price and wage index dominates, ${pct(share(provider, 'activity', 2034, 'prices'))} in 2034`);
    const top = (y: number) =>
      provider.rows.filter((r) => r.strategy === 'activity' && r.year === y).sort((a, b) => b.share - a.share)[0]!
        .group;
    for (let y = 2027; y <= 2034; y++) expect(top(y)).toBe('prices');
    expect(top(2026)).toBe('care-home-flows');
  });

  it("the reading it quotes is the page's", async () => {
    const html = await renderSensitivityReport(treasury, { locale: 'en' });
    const reading = /(use rates explain the largest share of the variance of the [^<]*?\))\./.exec(html)![1]!;
    quoted(`(for the treasury in \`lejre-2034\`: "${reading}")`);
  });

  it('the charts draw these analyses', () => {
    // docs/img/*.svg, drawn by scripts/sensitivity-figure.ts: each bar's tooltip holds its share to 0.1 point.
    const group: Record<string, string> = {
      'use rates': 'use-rates',
      'hours per recipient': 'intensity',
      'prices and wages': 'prices',
      'care-home flows': 'care-home-flows',
    };
    for (const [file, s, strategy] of [
      ['sensitivity-treasury-frame.svg', treasury, 'frame'],
      ['sensitivity-provider-activity.svg', provider, 'activity'],
    ] as const) {
      const svg = readFileSync(join(__dirname, '..', '..', 'docs', 'img', file), 'utf8');
      const bars = [
        ...svg.matchAll(/Year: (\d+); [^"]*?Driver: ([^;]+); [^"]*?Share of variance: (−?[\d.]+)%/g),
      ].filter((m) => m[2] !== 'interactions and error');
      expect(bars.length, file).toBe(s.rows.filter((r) => r.strategy === strategy).length);
      for (const [, year, driver, shown] of bars) {
        const x = share(s, strategy, Number(year), group[driver!] ?? driver!);
        expect(
          Math.abs(Number(shown!.replace('−', '-')) - 100 * x),
          `${file}: ${driver} in ${year}`,
        ).toBeLessThanOrEqual(0.05 + 1e-9);
      }
    }
  });

  it('the precision it states', () => {
    const rows = [...treasury.rows, ...provider.rows];
    const half = rows.map((r) => (r.firstHigh - r.firstLow) / 2);
    quoted(`the 95 % intervals of the first-order indices are at most ±${Math.max(...half).toFixed(2)} wide`);
    const residuals = [...treasury.residuals, ...provider.residuals].map((r) => Math.round(100 * r.residual));
    quoted(`lies between −${-Math.min(...residuals)} % and +${Math.max(...residuals)} % in every year`);
    quoted(`N = 500 base draws (${treasury.paths.toLocaleString('en-US')} paths under each strategy)`);
  });

  it('tornado and two-level', () => {
    const t = tornadoSensitivity(lejre2034(), { paths: 300, years: [2034] });
    const top = t.rows.find((r) => r.strategy === 'frame')!;
    expect(top.input).toBe('home-care.hoursTrendPerYear');
    const p1 = (x: number) => `${(100 * x).toFixed(1)} %`;
    quoted(`from ${p1(top.low)} to ${p1(top.high)} of the frame (${p1(top.base)} with every input at its median)`);
    const w = twoLevelSensitivity(lejre2034(), { outer: 200, inner: 10 });
    const at = (y: number) => w.rows.find((r) => r.strategy === 'frame' && r.year === y)!;
    quoted(
      `carry ${pct(at(2024).structural)} of the treasury deviation's variance in 2024, ${pct(at(2025).structural)} in 2025 and ${pct(at(2034).structural)} in 2034 (95 % interval ${pct(at(2034).structuralLow)} to ${pct(at(2034).structuralHigh)})`,
    );
  });
});

describe("the sensitivity guide's YAML example", () => {
  it('runs on lejre-2034 as written', async () => {
    const { parse } = await import('yaml');
    const { simulate } = await import('../../src/index');
    const text = readFileSync(join(__dirname, '..', '..', 'docs', 'sensitivity.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(text)![1]!;
    const sampling = (parse(block) as { sampling: unknown }).sampling;
    const r = simulate({ ...lejre2034(), horizonYears: 2, paths: 30, sampling } as never);
    expect(r.pathCount).toBe(30);
  });
});
