import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  compareStrategies,
  differenceChart,
  distributionChart,
  exceedanceChart,
  fanChart,
  figureValues,
  identicalStrategies,
  lejre2034,
  metricsChart,
  overspendChart,
  simulate,
  summarize,
  summarizeMetrics,
  toSummaryResult,
  whoBearsChart,
  type ChartSpec,
  type RunResult,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const exact = simulate({
  ...lejre2034(),
  paths: 300,
  strategies: [{ kind: 'frame', serviceResponse: {} }, { kind: 'activity' }, { kind: 'hybrid' }],
});
const streaming = toSummaryResult(exact);
const results: [string, RunResult][] = [
  ['exact', exact],
  ['streaming', streaming],
];
const charts = {
  fanChart,
  distributionChart,
  exceedanceChart,
  whoBearsChart,
  differenceChart,
  overspendChart,
  metricsChart,
} as const;

type Row = Record<string, number | string>;
const valuesOf = (spec: ChartSpec): Row[] => (spec.data as { values: Row[] }).values;
const sig = (x: number) => Number(x.toPrecision(12));

/** Every mark of a compiled Vega spec, nested groups included. */
function marks(node: { marks?: unknown[] }): { type: string; encode?: { update?: Record<string, unknown> } }[] {
  return (node.marks ?? []).flatMap((m) => [m as { type: string }, ...marks(m as { marks?: unknown[] })]);
}

describe('chart specifications', () => {
  for (const [kind, result] of results) {
    for (const locale of ['da', 'en'] as const) {
      for (const [name, chart] of Object.entries(charts)) {
        it(`${name} (${kind}, ${locale}) compiles with vega-lite, with its rows in the data and marks drawn from them`, () => {
          const spec = chart(result, { locale });
          // Plain JSON: survives a round trip unchanged.
          expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
          const vega = compile(spec as unknown as TopLevelSpec).spec;
          const source = vega.data?.find((d) => d.name === 'source_0') as { values?: Row[] } | undefined;
          expect(source?.values).toEqual(valuesOf(spec));
          expect(valuesOf(spec).length).toBeGreaterThan(0);
          for (const row of valuesOf(spec))
            for (const v of Object.values(row)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
          const drawn = marks(vega as { marks?: unknown[] }).map((m) => m.type);
          expect(drawn.some((t) => ['area', 'line', 'rect', 'symbol'].includes(t))).toBe(true);
          // The number locale reaches Vega.
          expect((vega.config as { locale?: { number?: { decimal?: string } } }).locale?.number?.decimal).toBe(
            locale === 'da' ? ',' : '.',
          );
        });
      }
    }

    it(`the fan chart's three bands and median are summarize's percentiles, in m kr (${kind})`, () => {
      const spec = fanChart(result, { layout: 'overlay' });
      const rows = summarize(result, { figures: ['treasuryDeviationKr'], percentiles: [5, 10, 25, 50, 75, 90, 95] });
      const values = valuesOf(spec);
      expect(values).toHaveLength(result.strategies.length * result.years.length);
      for (const r of rows) {
        const order = result.strategies.findIndex((s) => s.id === r.strategy);
        const v = values.find((x) => x.order === order && x.year === r.year)!;
        for (const p of [5, 10, 25, 50, 75, 90, 95]) expect(v[`p${p}`]).toBe(sig(r.percentiles[p]! * 1e-6));
      }
      const layers = spec.layer as {
        mark: { type: string };
        encoding: { y?: { field?: string }; y2?: { field?: string }; color?: { field: string } };
      }[];
      expect(layers.map((l) => [l.mark.type, l.encoding.y?.field, l.encoding.y2?.field])).toEqual([
        ['area', 'p5', 'p95'],
        ['area', 'p10', 'p90'],
        ['area', 'p25', 'p75'],
        ['line', 'p50', undefined],
        ['rule', undefined, undefined],
      ]);
      expect(layers[0]!.encoding.color?.field).toBe('strategy');
    });

    it(`who bears it: the means of the treasury's and the provider's shares, which add up to the mean overrun (${kind})`, () => {
      const values = valuesOf(whoBearsChart(result));
      const rows = summarize(result, { figures: ['treasuryDeviationKr', 'treasuryShareKr', 'providerDeviationKr'] });
      expect(values).toHaveLength(rows.length);
      for (const st of result.strategies)
        for (const year of result.years) {
          const order = result.strategies.indexOf(st);
          const at = (rank: number) => values.find((v) => v.order === order && v.year === year && v.rank === rank)!;
          const mean = (f: string) => rows.find((r) => r.strategy === st.id && r.year === year && r.figure === f)!.mean;
          expect(at(0).mean).toBe(sig(mean('treasuryShareKr') * 1e-6));
          expect(at(1).mean).toBe(sig(mean('providerDeviationKr') * 1e-6));
          expect(at(2).mean).toBe(sig(mean('treasuryDeviationKr') * 1e-6));
          expect((at(0).mean as number) + (at(1).mean as number)).toBeCloseTo(at(2).mean as number, 6);
        }
      const pct = valuesOf(whoBearsChart(result, { unit: 'pct' }));
      expect(pct.every((v) => Math.abs(v.mean as number) < 2)).toBe(true);
    });

    it(`the exceedance curve is 1 − p at summarize's percentiles, one axis for every strategy (${kind})`, () => {
      const year = result.years[6]!;
      const values = valuesOf(exceedanceChart(result, { year }));
      const grid = Array.from({ length: 101 }, (_, i) => i);
      for (const st of result.strategies) {
        const order = result.strategies.indexOf(st);
        const r = summarize(result, { figures: ['treasuryDeviationKr'], percentiles: grid }).find(
          (x) => x.strategy === st.id && x.year === year,
        )!;
        const curve = values.filter((v) => v.order === order);
        expect(curve.map((v) => v.x)).toEqual(grid.map((p) => sig(r.percentiles[p]! * 1e-6)));
        expect(curve.map((v) => v.p)).toEqual(grid.map((p) => sig(1 - p / 100)));
      }
    });

    it(`the probability of overspend is summarize's P(deviation > 0) (${kind})`, () => {
      const values = valuesOf(overspendChart(result));
      const rows = summarize(result, { figures: ['treasuryDeviationKr'] });
      expect(values.map((v) => v.pOverspend)).toEqual(rows.map((r) => sig(r.exceed[0]!)));
    });

    it(`the paired difference is compareStrategies' a − b (${kind})`, () => {
      const values = valuesOf(differenceChart(result, { a: 'frame', b: 'activity' }));
      const rows = compareStrategies(result, 'frame', 'activity');
      expect(values.map((v) => v.p50)).toEqual(rows.map((r) => sig(r.percentiles[50]! * 1e-6)));
      expect(values.map((v) => v.year)).toEqual([...result.years]);
    });

    it(`the distribution's bars share one scale and width, and hold the share of paths in them (${kind})`, () => {
      const year = result.years[5]!;
      const values = valuesOf(distributionChart(result, { year }));
      const width = (values[0]!.x1 as number) - (values[0]!.x0 as number);
      expect([1, 2, 5].some((m) => Math.abs(width / 10 ** Math.floor(Math.log10(width)) - m) < 1e-9)).toBe(true);
      for (const st of result.strategies) {
        const order = result.strategies.indexOf(st);
        const bars = values.filter((v) => v.order === order);
        expect(bars.length).toBeGreaterThan(3);
        expect(bars.reduce((a, b) => a + (b.share as number), 0)).toBeCloseTo(1, 9);
        for (const b of bars) {
          expect((b.x1 as number) - (b.x0 as number)).toBeCloseTo(width, 9);
          expect(((b.x0 as number) / width) % 1).toBeCloseTo(Math.round(((b.x0 as number) / width) % 1), 6);
        }
        if (result.format === 'carebudget-result') {
          // Against the paths themselves: within the resolution of the percentiles (1 % of paths).
          const x = figureValues(result, { strategy: st.id, year, figure: 'treasuryDeviationKr' });
          for (const b of bars) {
            const [lo, hi] = [(b.x0 as number) * 1e6, (b.x1 as number) * 1e6];
            const inside = x.filter((v) => v >= lo && v < hi).length / x.length;
            expect(Math.abs(inside - (b.share as number))).toBeLessThan(0.025);
          }
        }
      }
    });

    it(`the metrics chart's medians are summarizeMetrics' P50 (${kind})`, () => {
      const values = valuesOf(metricsChart(result, { metrics: ['care-homes.waiting'], serviceGap: [] }));
      const rows = summarizeMetrics(result, { metrics: ['care-homes.waiting'] });
      expect(values.map((v) => v.p50)).toEqual(rows.map((r) => sig(r.percentiles[50]!)));
      const same = identicalStrategies(result, { metric: 'care-homes.waiting' });
      const note = same.length === 0 ? '' : same[0]!.length === 3 ? ': the same under every strategy' : ': ';
      expect(new Set(values.map((v) => v.measure)).size).toBe(1);
      expect(values[0]!.measure).toContain(`Care homes: Citizens on the waiting list${note}`);
    });
  }

  it('panels by default, one per strategy; overlay on request', () => {
    const panels = fanChart(exact);
    // Faceted by the strategy's number, headed by its name.
    const facet = panels.facet as { field: string; header: { labelExpr: string } };
    expect(facet.field).toBe('order');
    expect(facet.header.labelExpr).toBe(`${JSON.stringify(exact.strategies.map((s) => [s.label]))}[datum.value]`);
    // Two strategies of one kind: each header shows its id on a line of its own, never cut.
    const two = simulate({
      ...lejreHomeCare(),
      paths: 20,
      strategies: [
        { kind: 'hybrid', id: 'corridor5', corridor: 0.05 },
        { kind: 'hybrid', id: 'corridor10', corridor: 0.1 },
      ],
    });
    const header = (fanChart(two).facet as { header: { labelExpr: string; labelLimit: number } }).header;
    expect(header.labelLimit).toBe(0);
    expect(header.labelExpr).toBe(
      `${JSON.stringify([
        ['Hybrid (frame with activity corridor):', 'corridor5'],
        // The overrun does not depend on the corridor: the second's lines lie on the first's, and its header says so.
        [
          'Hybrid (frame with activity corridor):',
          'corridor10',
          '(= Hybrid (frame with activity corridor):',
          'corridor5)',
        ],
      ])}[datum.value]`,
    );
    expect(panels.layer).toBeUndefined();
    expect(fanChart(exact, { layout: 'overlay' }).facet).toBeUndefined();
  });

  it('speaks Danish or English, with units in words', () => {
    const da = fanChart(exact, { locale: 'da' });
    const en = fanChart(exact, { locale: 'en' });
    const yTitle = (s: ChartSpec) =>
      (s.spec as { layer: { encoding: { y?: { title?: string } } }[] }).layer[0]!.encoding.y!.title;
    expect(yTitle(da)).toBe('Merforbrug (mio. kr.)');
    expect(da.title).toEqual({
      text: 'Merforbrug, alle ydelser',
      subtitle: ['Merforbrug (regnskab − vedtaget budget)', 'Bånd: P5–P95, P10–P90 og P25–P75, linje: median'],
    });
    expect(yTitle(en)).toBe('Overrun (m kr)');
    expect(valuesOf(da)[0]!.strategy).toBe('Rammestyring');
    expect(valuesOf(en)[0]!.strategy).toBe('Frame (rammestyring)');
    const pct = overspendChart(exact, { locale: 'da' }) as {
      encoding?: { y: { title: string; axis: { format: string } } };
    };
    expect(pct.encoding!.y).toMatchObject({ title: 'Sandsynlighed (%)', axis: { format: '~%' } });
    // Danish writes "100 %" with a space; the axis ticks say "40", not "40.0".
    expect((da.config as { locale: { number: { percent: string } } }).locale.number.percent).toBe('\u00a0%');
    const enAxis = (en.spec as { layer: { encoding: { y?: { axis?: { format?: string } } } }[] }).layer[0]!.encoding.y!;
    expect(enAxis.axis!.format).toBe(',~f');
  });

  it('strategies whose figure is the same on every path are named so, and their lines dashed apart', () => {
    const r = simulate({
      ...lejre2034(),
      paths: 60,
      strategies: [{ kind: 'frame' }, { kind: 'frame', id: 'again' }, { kind: 'activity' }],
    });
    expect(identicalStrategies(r)).toEqual([['frame', 'again']]);
    expect(identicalStrategies(toSummaryResult(r))).toEqual([['frame', 'again']]);
    const spec = overspendChart(r);
    const names = [...new Set(valuesOf(spec).map((v) => v.strategy))];
    expect(names).toEqual([
      'Frame (rammestyring)',
      'Frame (rammestyring): again (= Frame (rammestyring))',
      'Activity (aktivitetsstyring)',
    ]);
    expect((spec.encoding as { strokeDash: { field: string } }).strokeDash.field).toBe('strategy');
  });

  it('a share is drawn in %, the bars as a share of paths', () => {
    const spec = distributionChart(exact, { figure: 'treasuryDeviationPct' });
    const enc = (spec.spec as { layer: { encoding: { x: { axis: { format: string } }; y: { title: string } } }[] })
      .layer[0]!.encoding;
    expect(enc.x.axis.format).toBe('~%');
    expect(enc.y.title).toBe('Share of paths (%)');
    expect((spec.title as { subtitle: string[] }).subtitle[1]).toMatch(
      /^Bars \d[\d.]*% wide; the height is the share of paths in the bar; one scale for every strategy$/,
    );
  });

  it('bad options fail with the field, the value and what was expected', () => {
    expect(() => fanChart(exact, { locale: 'de' as 'da' })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: fanChart: locale must be "da" or "en"; received "de"]`,
    );
    expect(() => fanChart(exact, { layout: 'stacked' as 'overlay' })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: fanChart: layout must be "panels" or "overlay"; received "stacked"]`,
    );
    expect(() => overspendChart(exact, { width: Number.NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: overspendChart: width must be a number of pixels from 20 to 5000; received NaN]`,
    );
    expect(() => distributionChart(exact, { year: 1999 })).toThrowErrorMatchingInlineSnapshot(
      `[ResultError: year 1999 is not in the result; expected 2024 to 2034]`,
    );
    expect(() => fanChart(exact, { service: 'nursing' })).toThrow(/service "nursing" is not in the result/);
    const one = simulate({ ...lejre2034(), paths: 20, strategies: [{ kind: 'frame' }] });
    expect(() => whoBearsChart(exact, { unit: 'eur' as 'kr' })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: whoBearsChart: unit must be "kr" or "pct"; received "eur"]`,
    );
    expect(() => exceedanceChart(exact, { year: 2050 })).toThrow(/year 2050 is not in the result/);
    expect(() => differenceChart(one)).toThrowErrorMatchingInlineSnapshot(
      `[ResultError: differenceChart needs two strategies; the result has 1 (frame)]`,
    );
  });

  it('leaves the result untouched', () => {
    const frozen = Object.freeze({ ...exact, strategies: Object.freeze([...exact.strategies]) });
    expect(() => fanChart(frozen)).not.toThrow();
  });
});
