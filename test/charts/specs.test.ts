import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  compareStrategies,
  differenceChart,
  distributionChart,
  fanChart,
  lejre2034,
  metricsChart,
  overspendChart,
  simulate,
  summarize,
  summarizeMetrics,
  toSummaryResult,
  type ChartSpec,
  type RunResult,
} from '../../src/index';

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
const charts = { fanChart, distributionChart, differenceChart, overspendChart, metricsChart } as const;

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

    it(`the fan chart's bands and median are summarize's percentiles, in m kr (${kind})`, () => {
      const spec = fanChart(result, { layout: 'overlay' });
      const rows = summarize(result, { figures: ['treasuryDeviationKr'] });
      const values = valuesOf(spec);
      expect(values).toHaveLength(result.strategies.length * result.years.length);
      for (const r of rows) {
        const label = result.strategies.find((s) => s.id === r.strategy)!.label;
        const v = values.find((x) => x.strategy === label && x.year === r.year)!;
        expect(v.p50).toBe(sig(r.percentiles[50]! * 1e-6));
        expect(v.p5).toBe(sig(r.percentiles[5]! * 1e-6));
        expect(v.p95).toBe(sig(r.percentiles[95]! * 1e-6));
      }
      const layers = spec.layer as {
        mark: { type: string };
        encoding: { y?: { field?: string }; y2?: { field?: string }; color?: { field: string } };
      }[];
      expect(layers.map((l) => [l.mark.type, l.encoding.y?.field, l.encoding.y2?.field])).toEqual([
        ['area', 'p5', 'p95'],
        ['area', 'p25', 'p75'],
        ['line', 'p50', undefined],
        ['rule', undefined, undefined],
      ]);
      expect(layers[0]!.encoding.color?.field).toBe('strategy');
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

    it(`the distribution's bars lie between percentiles, each strategy's shares sum to 1 (${kind})`, () => {
      const year = result.years[5]!;
      const spec = distributionChart(result, { year });
      const values = valuesOf(spec);
      for (const st of result.strategies) {
        const bars = values.filter((v) => v.strategy === st.label);
        expect(bars.length).toBeGreaterThan(0);
        expect(bars.reduce((a, b) => a + (b.share as number), 0)).toBeCloseTo(1, 9);
        for (let i = 1; i < bars.length; i++) expect(bars[i]!.x0).toBe(bars[i - 1]!.x1);
        for (const b of bars)
          expect(b.density as number).toBeCloseTo((b.share as number) / ((b.x1 as number) - (b.x0 as number)), 6);
        const r = summarize(result, { figures: ['treasuryDeviationKr'], percentiles: [0, 100] }).find(
          (x) => x.strategy === st.id && x.year === year,
        )!;
        expect(bars[0]!.x0).toBe(sig(r.percentiles[0]! * 1e-6));
        expect(bars[bars.length - 1]!.x1).toBe(sig(r.percentiles[100]! * 1e-6));
      }
    });

    it(`the metrics chart's medians are summarizeMetrics' P50 (${kind})`, () => {
      const values = valuesOf(metricsChart(result, { metrics: ['care-homes.waiting'], serviceGap: [] }));
      const rows = summarizeMetrics(result, { metrics: ['care-homes.waiting'] });
      expect(values.map((v) => v.p50)).toEqual(rows.map((r) => sig(r.percentiles[50]!)));
      expect(new Set(values.map((v) => v.measure))).toEqual(new Set(['Care homes: Citizens on the waiting list']));
    });
  }

  it('panels by default, one per strategy; overlay on request', () => {
    const panels = fanChart(exact);
    // Faceted by the strategy's number, headed by its name.
    const facet = panels.facet as { field: string; header: { labelExpr: string } };
    expect(facet.field).toBe('order');
    expect(facet.header.labelExpr).toBe(`${JSON.stringify(exact.strategies.map((s) => s.label))}[datum.value]`);
    expect(panels.layer).toBeUndefined();
    expect(fanChart(exact, { layout: 'overlay' }).facet).toBeUndefined();
  });

  it('speaks Danish or English, with units in words', () => {
    const da = fanChart(exact, { locale: 'da' });
    const en = fanChart(exact, { locale: 'en' });
    const yTitle = (s: ChartSpec) =>
      (s.spec as { layer: { encoding: { y?: { title?: string } } }[] }).layer[0]!.encoding.y!.title;
    expect(yTitle(da)).toBe('Kassens afvigelse (mio. kr.)');
    expect(da.title).toEqual({
      text: 'Kassens afvigelse, alle ydelser',
      subtitle: ['Kassens afvigelse (regnskab − vedtaget budget)', 'Bånd: P5–P95 og P25–P75, linje: median'],
    });
    expect(yTitle(en)).toBe('Treasury deviation (m kr)');
    expect(valuesOf(da)[0]!.strategy).toBe('Rammestyring');
    expect(valuesOf(en)[0]!.strategy).toBe('Frame (rammestyring)');
    const pct = overspendChart(exact, { locale: 'da' }) as {
      encoding?: { y: { title: string; axis: { format: string } } };
    };
    expect(pct.encoding!.y).toMatchObject({ title: 'Sandsynlighed (%)', axis: { format: '.0%' } });
  });

  it('a share is drawn in %, per percentage point in the distribution', () => {
    const spec = distributionChart(exact, { figure: 'treasuryDeviationPct' });
    const enc = (spec.spec as { layer: { encoding: { x: { axis: { format: string } }; y: { title: string } } }[] })
      .layer[0]!.encoding;
    expect(enc.x.axis.format).toBe('.0%');
    expect(enc.y.title).toBe('Density');
    expect((spec.title as { subtitle: string[] }).subtitle[1]).toBe(
      'Each bar holds 2 % of the paths; its height is the share of paths per percentage point',
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
    expect(() => differenceChart(one)).toThrowErrorMatchingInlineSnapshot(
      `[ResultError: differenceChart needs two strategies; the result has 1 (frame)]`,
    );
  });

  it('leaves the result untouched', () => {
    const frozen = Object.freeze({ ...exact, strategies: Object.freeze([...exact.strategies]) });
    expect(() => fanChart(frozen)).not.toThrow();
  });
});
