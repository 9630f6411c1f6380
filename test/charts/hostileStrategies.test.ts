import { describe, expect, it } from 'vitest';
import {
  differenceChart,
  distributionChart,
  fanChart,
  frame,
  activity,
  hybrid,
  metricsChart,
  overspendChart,
  runModel,
  buildModel,
  attributionChart,
  sobolChart,
  sobolIndices,
  sobolRows,
  deriveStream,
  streamKey,
  normalSampler,
  type SensitivityIndexRow,
  parseScenario,
  lejre2034,
} from '../../src/index';
import { toSvg } from '../../src/html/render';
import { renderReport } from '../../src/html/index';

// Names that are keys of Object.prototype, a line separator Vega's expression parser rejects, and a long name.
const NAMES = ['toString', 'constructor\u2028x', '__proto__', 'y'.repeat(5000)];

describe('charts of strategies with hostile names', () => {
  const model = buildModel(parseScenario({ ...lejre2034(), paths: 6, horizonYears: 2 }));
  const base = runModel(model, [frame(), activity(), hybrid(), frame({ id: 'strict' })]);
  const result = { ...base, strategies: base.strategies.map((_, i) => ({ id: NAMES[i]!, label: NAMES[i]! })) };
  const charts = {
    fan: () => fanChart(result, { width: 200 }),
    fanOverlay: () => fanChart(result, { layout: 'overlay', width: 400 }),
    distribution: () => distributionChart(result, { width: 200 }),
    difference: () => differenceChart(result, { width: 200 }),
    overspend: () => overspendChart(result, { width: 400 }),
    metrics: () => metricsChart(result, { width: 200 }),
    fanDanish: () => fanChart(result, { width: 200, locale: 'da' }),
    metricsDanish: () => metricsChart(result, { width: 200, locale: 'da' }),
  };

  it('the report in English and Danish names every strategy (a Danish term is looked up by own keys only)', async () => {
    for (const locale of ['en', 'da'] as const) {
      const html = await renderReport(result, { locale, generatedAt: new Date(2026, 11, 6) });
      for (const n of ['toString', 'constructor x', '__proto__', 'y'.repeat(60)]) expect(html, locale).toContain(n);
    }
  });

  for (const [name, chart] of Object.entries(charts))
    it(`${name}: draws every strategy in the given order, no wider than its panels and legend allow`, async () => {
      const svg = await toSvg(chart());
      const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
      expect(width).toBeGreaterThan(150);
      expect(width).toBeLessThan(2000);
      // Each name appears (a long one cut with an ellipsis), in the result's order.
      const shown = name === 'difference' ? NAMES.slice(0, 2) : NAMES;
      const at = shown.map((n) => svg.indexOf(n.length > 60 ? n.slice(0, 20) : n.replace('\u2028', ' ')));
      for (const [i, p] of at.entries()) expect(p, shown[i]!.slice(0, 20)).toBeGreaterThan(-1);
      if (name === 'fan' || name === 'distribution') {
        // One panel per strategy, headed in the result's order.
        expect(at).toEqual([...at].sort((a, b) => a - b));
      }
    });
});

describe('sensitivity charts of strategies and groups with hostile names', () => {
  const z = normalSampler(0, 1);
  const n = 200;
  const rows: SensitivityIndexRow[] = [];
  for (const strategy of [NAMES[0]!, NAMES[3]!]) {
    const [fA, fB, f0, f1] = [0, 1, 2, 3].map(() => new Float64Array(n));
    for (let j = 0; j < n; j++) {
      const ra = deriveStream(streamKey(2030, 'A'), j);
      const rb = deriveStream(streamKey(2030, 'B'), j);
      const [ad, ap, bd, bp] = [z(ra), z(ra), z(rb), z(rb)];
      fA![j] = ad + 2 * ap;
      fB![j] = bd + 2 * bp;
      f0![j] = bd + 2 * ap;
      f1![j] = ad + 2 * bp;
    }
    const groups = ['constructor', 'g'.repeat(3000)];
    rows.push(...sobolRows(strategy, 2030, groups, sobolIndices(fA!, fB!, [f0!, f1!], { bootstrap: 20 })));
  }
  for (const [name, chart] of Object.entries({ attribution: attributionChart, sobol: sobolChart }))
    it(`${name}: draws both strategies and groups, no wider than its panels allow`, async () => {
      const svg = await toSvg(chart(rows, { width: 200 }));
      const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
      expect(width).toBeGreaterThan(150);
      expect(width).toBeLessThan(2000);
      for (const shown of ['toString', 'y'.repeat(20), 'constructor', 'g'.repeat(20)])
        expect(svg, shown).toContain(shown);
    });
});
