// A notebook cell, in TypeScript: run Lejre 2024-2034, flatten the summaries into rows, show
// them as a table, and end in a Vega-Lite chart of the median deviation with its 90 % band.
// In a notebook, import from 'carebudget' (Deno: 'npm:carebudget').
import { lejre2034, simulate, summaryRows } from '../src/index';

const result = simulate({ ...lejre2034(), paths: 1000 });
const rows = summaryRows(result, { figures: ['treasuryDeviationKr'] });

// One row per strategy, service, year and figure: ready for console.table, Plot or a data frame.
console.table(
  rows
    .filter((r) => r.year === 2034)
    .map(({ strategy, p5, p50, p95, pOverspend }) => ({ strategy, p5, p50, p95, pOverspend })),
);

// The rows feed a chart directly; money in millions of kr.
export const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  data: {
    values: rows.map((r) => ({
      strategy: r.strategyLabel,
      year: r.year,
      p5: r.p5 / 1e6,
      p50: r.p50 / 1e6,
      p95: r.p95 / 1e6,
    })),
  },
  width: 480,
  encoding: {
    x: { field: 'year', type: 'quantitative', axis: { format: 'd' }, title: 'Year' },
    color: { field: 'strategy', type: 'nominal', title: 'Steering' },
  },
  layer: [
    {
      mark: { type: 'area', opacity: 0.2 },
      encoding: { y: { field: 'p5', type: 'quantitative', title: 'Treasury deviation (m kr)' }, y2: { field: 'p95' } },
    },
    { mark: 'line', encoding: { y: { field: 'p50', type: 'quantitative' } } },
  ],
};
