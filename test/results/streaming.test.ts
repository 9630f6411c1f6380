import { describe, expect, it } from 'vitest';
import {
  activity,
  compareStrategies,
  estimateStatistic,
  figureValues,
  formatDeviationTable,
  frame,
  lejre2034,
  mergeSummaries,
  metricValues,
  ResultError,
  simulate,
  simulateSummary,
  simulateUntilConverged,
  summarize,
  summarizeMetrics,
  toSummaryResult,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const scenario = { ...lejreHomeCare(), paths: 3000 };

describe('streaming summaries', () => {
  const exact = simulate(scenario);
  const streamed = simulateSummary(scenario, { chunkSize: 700 });

  it('agree with the exact run: moments and exceedance exactly, percentiles within the digest accuracy', () => {
    expect(streamed.pathCount).toBe(3000);
    const a = summarize(exact, {
      figures: ['treasuryDeviationPct', 'providerDeviationKr'],
      thresholds: [0, 0.05],
      percentiles: [5, 50, 95],
    });
    const b = summarize(streamed, {
      figures: ['treasuryDeviationPct', 'providerDeviationKr'],
      thresholds: [0, 0.05],
      percentiles: [5, 50, 95],
    });
    expect(b).toHaveLength(a.length);
    a.forEach((row, i) => {
      const other = b[i]!;
      expect(other.n).toBe(row.n);
      expect(other.mean).toBeCloseTo(row.mean, row.figure.endsWith('Pct') ? 12 : 4);
      expect(other.sd / row.sd).toBeCloseTo(1, 9);
      expect(other.min).toBe(row.min);
      expect(other.max).toBe(row.max);
      expect(other.exceed[0]).toBe(row.exceed[0]);
      expect(other.exceed[0.05]).toBe(row.exceed[0.05]);
      const spread = row.percentiles[95]! - row.percentiles[5]!;
      for (const p of [5, 50, 95])
        expect(Math.abs(other.percentiles[p]! - row.percentiles[p]!)).toBeLessThan(0.02 * spread);
    });
  });

  it("percentiles within 0.3 points of rank of the exact run's 3,000 per-path values, whole or merged from chunks", () => {
    const figures = ['actualCostKr', 'treasuryDeviationKr', 'providerDeviationKr', 'treasuryDeviationPct'] as const;
    const worstRankError = (summary: typeof streamed) => {
      const rows = summarize(summary, { figures: [...figures], percentiles: [5, 50, 95, 99] });
      expect(rows.length).toBe(figures.length * 2 * 11);
      let worst = 0;
      for (const row of rows) {
        const selector = { strategy: row.strategy, service: row.service, year: row.year, figure: row.figure };
        const values = figureValues(exact, selector);
        for (const p of [5, 50, 95, 99]) {
          const x = row.percentiles[p]!;
          const below = values.filter((v) => v < x).length / values.length;
          const atOrBelow = values.filter((v) => v <= x).length / values.length;
          worst = Math.max(worst, below - p / 100, p / 100 - atOrBelow);
        }
      }
      return worst;
    };
    // One digest of the 3,000 paths, and digests of chunks of 700 merged (measured: 0.23 and 0.27
    // points at worst; with fewer values each centroid is a larger share of them).
    expect(worstRankError(toSummaryResult(exact))).toBeLessThan(0.003);
    expect(worstRankError(streamed)).toBeLessThan(0.003);
  });

  it('any split merges to the same counts, and paired differences are kept', () => {
    const parts = [
      toSummaryResult(simulate(scenario, { pathStart: 1000, paths: 2000 })),
      toSummaryResult(simulate(scenario, { pathStart: 0, paths: 1000 })),
    ];
    const merged = mergeSummaries(parts);
    const rowsA = summarize(merged, { figures: ['treasuryDeviationKr'] });
    const rowsB = summarize(streamed, { figures: ['treasuryDeviationKr'] });
    rowsA.forEach((r, i) => {
      expect(r.n).toBe(rowsB[i]!.n);
      expect(r.exceed[0]).toBe(rowsB[i]!.exceed[0]);
      expect(r.mean).toBeCloseTo(rowsB[i]!.mean, 3);
    });
    const cmpExact = compareStrategies(exact, 'frame', 'activity', { figure: 'providerDeviationKr' });
    const cmpStream = compareStrategies(streamed, 'frame', 'activity', { figure: 'providerDeviationKr' });
    expect(cmpStream.at(-1)!.mean).toBeCloseTo(cmpExact.at(-1)!.mean, 3);
    expect(() => compareStrategies(streamed, 'activity', 'frame')).toThrow(/compare \("frame", "activity"\)/);
    expect(() => summarize(streamed, { thresholds: [0.5] })).toThrow(/not counted/);
    // The figures and thresholds to keep are checked before any path is run (ten paths would not take long, but a million would).
    expect(() => simulateSummary({ ...scenario, paths: 10 }, { figures: ['nope' as never] })).toThrow(
      /figures: "nope" is not a figure; expected some of "treasuryDeviationPct"/,
    );
    expect(() => simulateSummary({ ...scenario, paths: 10 }, { thresholds: [NaN] })).toThrow(
      'thresholds must be finite numbers; received NaN',
    );
    expect(() => mergeSummaries([parts[0]!, parts[0]!])).toThrow(ResultError);
    expect(formatDeviationTable(streamed)).toContain('2034');
  });

  it('survive JSON', () => {
    const back = JSON.parse(JSON.stringify(streamed));
    expect(summarize(back, { figures: ['treasuryDeviationPct'] })).toEqual(
      summarize(streamed, { figures: ['treasuryDeviationPct'] }),
    );
  });
});

describe("streaming summaries of the services' metrics", () => {
  // Care homes: waiting list, guarantee breaches, occupancy, … per strategy and year.
  const homes = { ...lejre2034(), paths: 1200 };
  const exact = simulate(homes);
  const streamed = simulateSummary(homes, { chunkSize: 500 });
  const opts = { percentiles: [5, 50, 95], thresholds: [0] };

  it('keep every metric by default and agree with the exact run', () => {
    expect(streamed.metricKeys).toEqual(Object.keys(exact.metrics));
    expect(streamed.metricKeys).toContain('care-homes.waiting');
    const a = summarizeMetrics(exact, opts);
    const b = summarizeMetrics(streamed, opts);
    expect(b.map((r) => [r.metric, r.strategy, r.year])).toEqual(a.map((r) => [r.metric, r.strategy, r.year]));
    expect(a.length).toBe(7 * 2 * 11);
    let varying = 0;
    a.forEach((row, i) => {
      const other = b[i]!;
      expect(other.n).toBe(1200);
      expect(other.mean).toBeCloseTo(row.mean, 6);
      expect(other.min).toBe(row.min);
      expect(other.max).toBe(row.max);
      expect(other.exceed[0]).toBe(row.exceed[0]);
      if (row.percentiles[95]! > row.percentiles[5]!) varying++;
      // Metrics are often counts or means of counts: a digest's percentile of such a discrete
      // distribution is judged by its rank among the exact values (within 3 points: between two
      // atoms of a count that each hold 5-8 % of the paths, the digest interpolates).
      const values = metricValues(exact, { strategy: row.strategy, year: row.year, metric: row.metric });
      for (const p of [5, 50, 95]) {
        const x = other.percentiles[p]!;
        let below = 0;
        let atOrBelow = 0;
        for (const v of values) {
          if (v < x - 1e-9) below++;
          if (v <= x + 1e-9) atOrBelow++;
        }
        expect(atOrBelow / values.length, `${row.metric} ${row.strategy} ${row.year} P${p}`).toBeGreaterThanOrEqual(
          p / 100 - 0.03,
        );
        expect(below / values.length).toBeLessThanOrEqual(p / 100 + 0.03);
      }
    });
    expect(varying).toBeGreaterThan(100);
    const waiting2034 = b.find((r) => r.metric === 'care-homes.waiting' && r.year === 2034 && r.strategy === 'frame')!;
    expect(waiting2034.mean).toBeGreaterThan(0);
  });

  it('merge across parts, keep only the metrics asked for, and name a metric they lack', () => {
    const parts = [
      toSummaryResult(simulate(homes, { pathStart: 700, paths: 500 })),
      toSummaryResult(simulate(homes, { pathStart: 0, paths: 700 })),
    ];
    const merged = summarizeMetrics(mergeSummaries(parts), { metrics: ['care-homes.guaranteeBreaches'] });
    const whole = summarizeMetrics(streamed, { metrics: ['care-homes.guaranteeBreaches'] });
    expect(merged).toHaveLength(2 * 11);
    merged.forEach((r, i) => {
      expect(r.n).toBe(whole[i]!.n);
      expect(r.mean).toBeCloseTo(whole[i]!.mean, 9);
      expect(r.max).toBe(whole[i]!.max);
    });
    const only = toSummaryResult(simulate({ ...homes, paths: 100 }), { metrics: ['care-homes.occupancy'] });
    expect(only.metricKeys).toEqual(['care-homes.occupancy']);
    expect(() => summarizeMetrics(only, { metrics: ['care-homes.waiting'] })).toThrow(
      /metric "care-homes.waiting" was not kept in this summary; it keeps "care-homes.occupancy"/,
    );
    expect(() => summarizeMetrics(exact, { metrics: ['care-homes.queue'] })).toThrow(
      /metric "care-homes.queue" is not in the result/,
    );
    // Summaries that kept different metrics are different settings: they do not merge.
    expect(() =>
      mergeSummaries([
        toSummaryResult(simulate({ ...homes, paths: 100 }), { metrics: [] }),
        toSummaryResult(simulate(homes, { pathStart: 100, paths: 100 })),
      ]),
    ).toThrow(ResultError);
    expect(toSummaryResult(simulate({ ...homes, paths: 50 }), { metrics: [] }).metricCells).toEqual([]);
  });
});

describe('convergence', () => {
  const spec = { strategy: 'frame', year: 2034, figure: 'treasuryDeviationKr' as const, percentile: 95 };

  it('stops when the standard error of P95 reaches the target, and reports the trace', async () => {
    const target = 600_000;
    const { result, convergence } = await simulateUntilConverged(
      { ...lejreHomeCare(), paths: 20_000 },
      { convergence: { ...spec, targetMcse: target, batchPaths: 500 } },
    );
    expect(convergence.reached).toBe(true);
    expect(convergence.final.mcse).toBeLessThanOrEqual(target);
    expect(result.pathCount).toBe(convergence.final.paths);
    expect(result.pathCount).toBeLessThan(20_000);
    expect(convergence.trace.length).toBe(result.pathCount / 500);
    expect(convergence.trace.at(-2)!.mcse).toBeGreaterThan(target);
    expect(convergence.final.lower).toBeLessThan(convergence.final.estimate);
    expect(convergence.final.upper).toBeGreaterThan(convergence.final.estimate);
    // The converged run is the same as a plain run of that many paths.
    const plain = simulate({ ...lejreHomeCare(), paths: result.pathCount });
    expect(estimateStatistic(plain, spec).estimate).toBe(convergence.final.estimate);
  });

  it('reports not reached when the maximum comes first; works on streaming summaries', async () => {
    const { convergence } = await simulateUntilConverged(
      { ...lejreHomeCare(), paths: 1000 },
      { convergence: { ...spec, targetMcse: 1, batchPaths: 250 } },
    );
    expect(convergence.reached).toBe(false);
    expect(convergence.final.paths).toBe(1000);
    const streaming = await simulateUntilConverged(
      { ...lejreHomeCare(), paths: 4000 },
      {
        summaryMode: 'streaming',
        convergence: {
          strategy: 'frame',
          year: 2034,
          figure: 'treasuryDeviationKr',
          targetMcse: 300_000,
          batchPaths: 500,
        },
      },
    );
    expect(streaming.result.format).toBe('carebudget-summary');
    expect(streaming.convergence.final.mcse).toBeLessThanOrEqual(300_000);
  });

  it('on streaming summaries gives the summary of a run of its paths in one go, bit for bit', async () => {
    // Batches of 300 paths against blocks of 1,000: batches cross blocks' edges, and the run
    // stops inside a block (at 600 paths) or runs to its maximum (2,500).
    const small = { ...lejreHomeCare(), horizonYears: 3, paths: 2500 };
    for (const targetMcse of [1e12, 1]) {
      const { result, convergence } = await simulateUntilConverged(small, {
        summaryMode: 'streaming',
        blockPaths: 1000,
        convergence: { strategy: 'frame', year: 2025, figure: 'treasuryDeviationKr', targetMcse, batchPaths: 300 },
      });
      const paths = convergence.final.paths;
      expect(paths).toBe(targetMcse === 1 ? 2500 : 600);
      const once = simulateSummary(small, { paths, blockPaths: 1000, inputs: { designPaths: 2500 } });
      expect(JSON.stringify(result)).toBe(JSON.stringify(once));
    }
  });
});

describe('streaming summaries of value sets that repeat across strategies', () => {
  it('summarise a set the strategies share once and give every strategy what summarising it alone would give', async () => {
    const { Accumulator } = await import('../../src/results/streaming');
    const { figureValues } = await import('../../src/results/values');
    // The care homes do not depend on the steering: their cost, service gap and metrics repeat.
    const result = simulate(
      { ...lejre2034(), paths: 300 },
      { strategies: [frame(), frame({ id: 'frame-b' }), activity()] },
    );
    const thresholds = [0, 0.02];
    const summary = toSummaryResult(result, { thresholds, compression: 50 });
    const fresh = (values: Float64Array) => {
      const acc = new Accumulator(thresholds, 50);
      acc.addAll(values);
      return acc.toData();
    };
    let repeated = 0;
    summary.figures.forEach((figure, f) => {
      result.strategies.forEach((st, s) => {
        summary.serviceKeys.forEach((service, k) => {
          result.years.forEach((year, y) => {
            const cell =
              summary.cells[
                ((f * result.strategies.length + s) * summary.serviceKeys.length + k) * result.years.length + y
              ]!;
            if (cell.n === 0) return;
            const values = figureValues(result, { strategy: st.id, service, year, figure });
            expect(cell).toEqual(fresh(values));
            if (
              s > 0 &&
              summary.cells[
                ((f * result.strategies.length + 0) * summary.serviceKeys.length + k) * result.years.length + y
              ]!.mean === cell.mean
            )
              repeated++;
          });
        });
      });
    });
    result.strategies.forEach((st, s) => {
      (summary.metricKeys ?? []).forEach((metric, m) => {
        result.years.forEach((year, y) => {
          const cell = summary.metricCells![(m * result.strategies.length + s) * result.years.length + y]!;
          expect(cell).toEqual(fresh(metricValues(result, { strategy: st.id, year, metric })));
        });
      });
    });
    // The second frame repeats the first everywhere; the care homes' figures repeat under activity too.
    expect(repeated).toBeGreaterThan(summary.figures.length * summary.serviceKeys.length * result.years.length);
    // Copies, not shared objects: changing one cell leaves the other as it was.
    const a = summary.cells[0]!;
    const b = summary.cells[summary.serviceKeys.length * result.years.length]!;
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(b.digest.means).not.toBe(a.digest.means);
  });
});
