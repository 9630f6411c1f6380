import type { RunResult } from '../results/streaming';
import { ResultError } from '../simulation/result';
import { summarize, type SummaryRow } from '../results/summary';

function pad(text: string, width: number, right = true): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A number with one decimal; one that rounds to zero without a sign ("0.0", never "-0.0"). */
function fixed1(x: number): string {
  const text = x.toFixed(1);
  return Number(text) === 0 ? (0).toFixed(1) : text;
}

function mkr(x: number): string {
  return fixed1(x / 1e6);
}

function pct(x: number): string {
  return fixed1(x * 100);
}

function triple(row: SummaryRow, f: (x: number) => string): string {
  const p = row.percentiles;
  return `${f(p[5]!)} / ${f(p[50]!)} / ${f(p[95]!)}`;
}

/**
 * Formats the deviation distribution of a result as plain-text tables, one per strategy: for
 * each year P5 / P50 / P95 of the overrun (actual cost − adopted budget) in m kr and in % of the
 * adopted budget with the probability of an overspend, then who bears it: the mean treasury's
 * share (final − adopted budget) and provider's share (actual cost − final budget), which add
 * up to the mean overrun, and the probability that the provider overspends its final budget.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - `service`: a service id or group (default `"total"`, all services summed)
 * @returns the tables as text, lines separated by `\n`
 * @throws {@link ResultError} for a service the result does not hold
 * @example
 * ```ts
 * console.log(formatDeviationTable(simulate(lejre2034())));
 * ```
 * @category Report
 */
export function formatDeviationTable(result: RunResult, options: { readonly service?: string } = {}): string {
  const rows = summarize(result, {
    services: [options.service ?? 'total'],
    figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'treasuryShareKr', 'providerDeviationKr'],
    percentiles: [5, 50, 95],
    thresholds: [0],
  });
  const find = (strategy: string, year: number, figure: string) =>
    rows.find((r) => r.strategy === strategy && r.year === year && r.figure === figure)!;
  const widths = [6, 24, 22, 8, 10, 10, 9];
  const header = ['Year', 'Overrun m kr', 'Overrun %', 'P(over)', 'Treasury', 'Provider', 'P(prov.)'];
  const sub = ['', 'P5 / P50 / P95', 'P5 / P50 / P95', '', 'mean m kr', 'mean m kr', 'over'];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
  const out: string[] = [];
  for (const st of result.strategies) {
    out.push(
      `${st.label} [${st.id}]: overrun = actual cost − adopted budget (positive = overspend) = treasury's share + provider's share`,
    );
    out.push(line(header));
    out.push(line(sub));
    for (const year of result.years) {
      const t = find(st.id, year, 'treasuryDeviationKr');
      const tp = find(st.id, year, 'treasuryDeviationPct');
      const share = find(st.id, year, 'treasuryShareKr');
      const p = find(st.id, year, 'providerDeviationKr');
      out.push(
        line([
          String(year),
          triple(t, mkr),
          triple(tp, pct),
          `${(t.exceed[0]! * 100).toFixed(0)} %`,
          mkr(share.mean),
          mkr(p.mean),
          `${(p.exceed[0]! * 100).toFixed(0)} %`,
        ]),
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Options of {@link formatStrategyComparison}. @category Report */
export interface ComparisonTableOptions {
  /** Years to show (default: first, middle and last simulated year). */
  readonly years?: readonly number[];
  /** Service id or group (default `"total"`). */
  readonly service?: string;
}

/**
 * Formats strategies side by side for a few years: the overrun (actual − adopted budget) and the
 * provider's share (actual − final budget) as P50 with the P5-P95 range in % of the adopted
 * budget, the probability of an overspend, and the service gap (share of needed
 * activity not ordered because the unit tightened service) as its mean and P95.
 *
 * @param result - a result
 * @param options - years and service
 * @returns the table as text
 * @throws {@link ResultError} for a year or service not in the result
 * @example
 * ```ts
 * console.log(formatStrategyComparison(result, { years: [2024, 2029, 2034] }));
 * ```
 * @category Report
 */
export function formatStrategyComparison(result: RunResult, options: ComparisonTableOptions = {}): string {
  const ys = result.years;
  const years = options.years ?? [ys[0]!, ys[Math.floor((ys.length - 1) / 2)]!, ys[ys.length - 1]!];
  const service = options.service ?? 'total';
  const rows = summarize(result, {
    figures: ['treasuryDeviationPct', 'providerDeviationPct'],
    services: [service],
    percentiles: [5, 50, 95],
    thresholds: [0],
  });
  // The service gap needs one activity unit: over services with different units it is left out.
  let gaps: SummaryRow[] = [];
  try {
    gaps = summarize(result, { figures: ['serviceGapShare'], services: [service], percentiles: [95], thresholds: [0] });
  } catch (e) {
    if (!(e instanceof ResultError)) throw e;
  }
  rows.push(...gaps);
  const find = (strategy: string, year: number, figure: string) =>
    rows.find((r) => r.strategy === strategy && r.year === year && r.figure === figure)!;
  const range = (r: SummaryRow) => `${pct(r.percentiles[50]!)} [${pct(r.percentiles[5]!)}, ${pct(r.percentiles[95]!)}]`;
  const widths = [6, 28, 24, 24, 9, 16];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 1)).join('  ');
  const out = [
    line([
      'Year',
      'Strategy',
      'Overrun % P50 [P5, P95]',
      "Provider's % P50 [P5, P95]",
      'P(over)',
      'Service gap % mean / P95',
    ]),
  ];
  for (const year of years) {
    for (const st of result.strategies) {
      const t = find(st.id, year, 'treasuryDeviationPct');
      const p = find(st.id, year, 'providerDeviationPct');
      const g = rows.find((r) => r.strategy === st.id && r.year === year && r.figure === 'serviceGapShare');
      out.push(
        line([
          String(year),
          st.id,
          range(t),
          range(p),
          `${(t.exceed[0]! * 100).toFixed(0)} %`,
          g === undefined ? 'n/a (mixed units)' : `${pct(g.mean)} / ${pct(g.percentiles[95]!)}`,
        ]),
      );
    }
  }
  return out.join('\n');
}
