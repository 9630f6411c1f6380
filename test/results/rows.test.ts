import { describe, expect, it } from 'vitest';
import {
  compareStrategies,
  differenceRows,
  lejre2034,
  metricRows,
  OptionError,
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

  describe('scale and digits for display', () => {
    const figures = ['treasuryDeviationKr', 'treasuryDeviationPct', 'deliveredUnits'] as const;
    const full = summaryRows(exact, { figures, services: ['home-care'] });
    const STATS = ['mean', 'sd', 'mcse', 'min', 'max', 'p5', 'p25', 'p50', 'p75', 'p95', 'expectedShortfall'] as const;

    it('without them, full precision as before', () => {
      expect(summaryRows(exact, { figures: ['treasuryDeviationKr'], services: ['home-care'] })).toEqual(
        full.filter((r) => r.figure === 'treasuryDeviationKr'),
      );
      expect(full.some((r) => !Number.isInteger(r.mean))).toBe(true);
    });

    for (const [scale, divisor, digits] of [
      ['kr', 1, 0],
      ['thousands', 1e3, 0],
      ['millions', 1e6, 2],
    ] as const) {
      it(`${scale}: kr divided by ${divisor} and rounded to ${digits} decimals by default; shares, units and pOverspend rounded`, () => {
        const rows = summaryRows(exact, { figures, services: ['home-care'], scale });
        expect(rows.length).toBe(full.length);
        rows.forEach((r, i) => {
          const f = full[i]!;
          expect([r.strategy, r.service, r.year, r.figure, r.n]).toEqual([
            f.strategy,
            f.service,
            f.year,
            f.figure,
            f.n,
          ]);
          for (const k of STATS) {
            const want =
              r.figure === 'treasuryDeviationKr'
                ? Number((f[k] / divisor).toFixed(digits))
                : Number(f[k].toFixed(r.figure === 'treasuryDeviationPct' ? 4 : 1));
            expect(r[k], `${r.figure} ${r.year} ${k}`).toBe(want === 0 ? 0 : want);
          }
          expect(r.pOverspend).toBe(Number(f.pOverspend.toFixed(3)));
        });
        // Rounded as asked: no more decimals than the digits.
        const kr = rows.filter((r) => r.figure === 'treasuryDeviationKr');
        expect(kr.every((r) => STATS.every((k) => Number.isInteger(Math.round(r[k] * 10 ** digits * 1e3) / 1e3)))).toBe(
          true,
        );
      });
    }

    it('digits alone rounds kr; digits with a scale overrides its default; -0 shows as 0', () => {
      const one = summaryRows(exact, { figures: ['treasuryDeviationKr'], services: ['home-care'], digits: 1 });
      const f = full.filter((r) => r.figure === 'treasuryDeviationKr');
      one.forEach((r, i) => expect(r.p50).toBe(Number(f[i]!.p50.toFixed(1))));
      const m = summaryRows(exact, { figures: ['treasuryDeviationKr'], scale: 'millions', digits: 0 });
      expect(m.every((r) => STATS.every((k) => Number.isInteger(r[k]) && !Object.is(r[k], -0)))).toBe(true);
    });

    it('the streaming summary scales the same way', () => {
      const rows = summaryRows(toSummaryResult(exact), { figures: ['treasuryDeviationKr'], scale: 'thousands' });
      expect(rows.every((r) => Number.isInteger(r.p50) && Math.abs(r.p50) < 1e6)).toBe(true);
    });

    it('a scale or digits out of range is refused by name', () => {
      const bad: [object, RegExp][] = [
        [{ scale: 'billions' }, /scale must be 'kr', 'thousands' or 'millions'; received "billions"/],
        [{ scale: 'toString' }, /scale must be .*; received "toString"/],
        [{ digits: -1 }, /digits must be a whole number from 0 to 10; received -1/],
        [{ digits: 1.5 }, /received 1.5/],
        [{ digits: 11 }, /received 11/],
        [{ digits: NaN }, /received NaN/],
        [{ digits: '2' }, /received 2/],
      ];
      for (const [options, message] of bad) {
        expect(() => summaryRows(exact, options as never)).toThrow(OptionError);
        expect(() => summaryRows(exact, options as never)).toThrow(message);
      }
    });
  });
});
