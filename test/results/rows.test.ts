import { describe, expect, it } from 'vitest';
import {
  compareStrategies,
  differenceRows,
  lejre2034,
  metricRows,
  simulate,
  summarize,
  summarizeMetrics,
  summaryRows,
  toSummaryResult,
  type RunResult,
} from '../../src/index';

const exact = simulate({ ...lejre2034(), paths: 200 });
const results: [string, RunResult][] = [
  ['exact', exact],
  ['streaming', toSummaryResult(exact)],
];

describe('flat rows for notebooks', () => {
  for (const [kind, result] of results) {
    it(`summaryRows: one flat record per strategy, service, year and figure, equal to summarize (${kind})`, () => {
      const rows = summaryRows(result, {
        figures: ['treasuryDeviationKr', 'providerDeviationPct'],
        services: ['total', 'home-care'],
      });
      const nested = summarize(result, {
        figures: ['treasuryDeviationKr', 'providerDeviationPct'],
        services: ['total', 'home-care'],
      });
      expect(rows).toHaveLength(nested.length);
      expect(rows).toHaveLength(result.strategies.length * 2 * result.years.length * 2);
      rows.forEach((r, i) => {
        const n = nested[i]!;
        expect([r.strategy, r.service, r.year, r.figure]).toEqual([n.strategy, n.service, n.year, n.figure]);
        expect([r.mean, r.sd, r.p5, r.p25, r.p50, r.p75, r.p95, r.pOverspend, r.expectedShortfall]).toEqual([
          n.mean,
          n.sd,
          n.percentiles[5],
          n.percentiles[25],
          n.percentiles[50],
          n.percentiles[75],
          n.percentiles[95],
          n.exceed[0],
          n.expectedShortfall,
        ]);
        expect(r.strategyLabel).toBe(result.strategies.find((s) => s.id === r.strategy)!.label);
        // Flat: every value a string or a finite number, so JSON, console.table and data frames take it as it is.
        for (const v of Object.values(r))
          expect(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))).toBe(true);
      });
    });

    it(`metricRows: the services' metrics, flat, equal to summarizeMetrics (${kind})`, () => {
      const rows = metricRows(result);
      const nested = summarizeMetrics(result);
      expect(rows.length).toBe(nested.length);
      expect(rows.length).toBeGreaterThan(0);
      rows.forEach((r, i) => {
        expect(r.metric).toBe(nested[i]!.metric);
        expect(r.service).toBe(r.metric.split('.')[0]);
        expect(r.p50).toBe(nested[i]!.percentiles[50]);
        expect(r.mean).toBe(nested[i]!.mean);
      });
    });

    it(`differenceRows: the paired difference per year, flat (${kind})`, () => {
      const rows = differenceRows(result, 'frame', 'activity');
      const nested = compareStrategies(result, 'frame', 'activity');
      expect(rows.map((r) => [r.year, r.p50, r.pAGreater])).toEqual(
        nested.map((n) => [n.year, n.percentiles[50], n.exceed[0]]),
      );
      expect(rows.every((r) => r.a === 'frame' && r.b === 'activity' && r.service === 'total')).toBe(true);
    });
  }

  it('the rows feed a Vega-Lite spec and a data frame through JSON unchanged', () => {
    const rows = summaryRows(exact);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('an unknown service or metric is named in the error', () => {
    expect(() => summaryRows(exact, { services: ['nursing'] })).toThrow(/service "nursing" is not in the result/);
    expect(() => metricRows(exact, { metrics: ['care-homes.queue'] })).toThrow(
      /metric "care-homes.queue" is not in the result/,
    );
  });
});
