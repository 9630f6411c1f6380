import type { SimulationResult } from '../simulation/result';
import { summarize, type SummaryRow } from '../results/summary';

function pad(text: string, width: number, right = true): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function mkr(x: number): string {
  return (x / 1e6).toFixed(1);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}`;
}

function triple(row: SummaryRow, f: (x: number) => string): string {
  const p = row.percentiles;
  return `${f(p[5]!)} / ${f(p[50]!)} / ${f(p[95]!)}`;
}

/**
 * Formats the deviation distribution of a result as plain-text tables, one per strategy: for
 * each year P5 / P50 / P95 of the treasury deviation (actual − adopted) and of the provider
 * deviation (actual − final), in m kr and in % of the adopted budget, and the probability of
 * an overspend (deviation > 0). Sums all services.
 *
 * @param result - a result
 * @returns the tables as text, lines separated by `\n`
 * @example
 * ```ts
 * console.log(formatDeviationTable(simulate(lejre2034())));
 * ```
 * @category Report
 */
export function formatDeviationTable(result: SimulationResult): string {
  const rows = summarize(result, {
    figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'providerDeviationKr', 'providerDeviationPct'],
    percentiles: [5, 50, 95],
    thresholds: [0],
  });
  const find = (strategy: string, year: number, figure: string) =>
    rows.find((r) => r.strategy === strategy && r.year === year && r.figure === figure)!;
  const widths = [6, 24, 24, 8, 24, 24, 8];
  const header = ['Year', 'Treasury m kr', 'Treasury %', 'P(over)', 'Provider m kr', 'Provider %', 'P(over)'];
  const sub = ['', 'P5 / P50 / P95', 'P5 / P50 / P95', '', 'P5 / P50 / P95', 'P5 / P50 / P95', ''];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
  const out: string[] = [];
  for (const st of result.strategies) {
    out.push(`${st.label} [${st.id}]: deviation = actual cost − budget (positive = overspend)`);
    out.push(line(header));
    out.push(line(sub));
    for (const year of result.years) {
      const t = find(st.id, year, 'treasuryDeviationKr');
      const tp = find(st.id, year, 'treasuryDeviationPct');
      const p = find(st.id, year, 'providerDeviationKr');
      const pp = find(st.id, year, 'providerDeviationPct');
      out.push(
        line([
          String(year),
          triple(t, mkr),
          triple(tp, pct),
          `${(t.exceed[0]! * 100).toFixed(0)} %`,
          triple(p, mkr),
          triple(pp, pct),
          `${(p.exceed[0]! * 100).toFixed(0)} %`,
        ]),
      );
    }
    out.push('');
  }
  return out.join('\n');
}
