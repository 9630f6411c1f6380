import { describe, expect, it } from 'vitest';
import { lejre2034, sobolSensitivity, type ScenarioInput } from '../../src/index';
import { renderSensitivityReport } from '../../src/html/index';

const short: ScenarioInput = { ...lejre2034(), horizonYears: 2, strategies: [{ kind: 'frame' }] };

describe('sensitivity reports with hostile names', () => {
  it('a group named __proto__ is a group like any other', async () => {
    const groups = Object.create(null) as Record<string, string[]>;
    groups['__proto__'] = ['prices', 'care-home-flows'];
    const s = sobolSensitivity(short, { n: 20, bootstrap: 20, groups });
    expect(s.rows.some((r) => r.group === '__proto__')).toBe(true);
    const html = await renderSensitivityReport(s, { generatedAt: new Date(2026, 10, 23) });
    expect(html).toContain('__proto__');
  });

  it('refuses a groups object whose __proto__ key set its prototype', () => {
    expect(() =>
      sobolSensitivity(short, { n: 20, groups: { __proto__: ['prices', 'care-home-flows'] } as never }),
    ).toThrow(/prototype of its own/);
  });

  it('a group name with U+2028 and U+2029 renders (shown as spaces in the charts)', async () => {
    const groups = Object.create(null) as Record<string, string[]>;
    groups['a\u2028b\u2029c'] = ['demography', 'use-rates'];
    const s = sobolSensitivity(short, { n: 20, bootstrap: 20, groups });
    const html = await renderSensitivityReport(s, { generatedAt: new Date(2026, 10, 23) });
    expect(html).toContain('a b c');
  });

  it("groups named toString and constructor render in English and Danish (Sobol')", async () => {
    const groups = Object.create(null) as Record<string, string[]>;
    groups['toString'] = ['prices', 'care-home-flows'];
    groups['constructor'] = ['demography', 'use-rates'];
    const analyses = [sobolSensitivity(short, { n: 20, bootstrap: 20, groups })];
    for (const s of analyses)
      for (const locale of ['en', 'da'] as const) {
        const html = await renderSensitivityReport(s, { locale, generatedAt: new Date(2026, 10, 23) });
        expect(html).toContain('toString');
        expect(html.match(/<figure class="chart"><svg/g)?.length).toBeGreaterThan(0);
      }
  });
});
