import type { RunResult } from './streaming';
import { summaryCell, summaryMetricCell } from './streaming';
import { figureValues, metricValues, TOTAL, type Figure } from './values';

/**
 * Groups of strategies whose figure is the same on every path in every year: a hybrid whose
 * corridor was never left equals frame steering, a strategy that never squeezes service equals
 * another in its service measures. A chart would draw such strategies on top of each other;
 * the report names them instead ("hybrid equals frame here").
 *
 * For a per-path result the values are compared path by path, exactly. A streaming summary
 * keeps no paths: there two strategies count as the same when every year's summary cell
 * (count, moments, extremes, exceedance counts and t-digest) is equal, which identical values
 * always give and different values give only by coincidence.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - figure (default `treasuryDeviationKr`, the overrun) and service (default
 *   `"total"`), or `metric`: a service's own metric (`"care-homes.waiting"`) instead of a figure
 * @returns groups of two or more strategy ids, each in the result's order, the groups ordered by
 *   their first member; empty when every strategy differs
 * @throws {@link ResultError} for a service or figure the result does not hold
 * @example
 * ```ts
 * const r = simulate({ ...lejre2034(), paths: 50 }, { strategies: [frame(), frame({ id: 'again' }), activity()] });
 * identicalStrategies(r); //=> [['frame', 'again']]
 * ```
 * @category Results
 */
export function identicalStrategies(
  result: RunResult,
  options: { readonly figure?: Figure; readonly service?: string; readonly metric?: string } = {},
): string[][] {
  const figure = options.figure ?? 'treasuryDeviationKr';
  const service = options.service ?? TOTAL;
  const metric = options.metric;
  const ids = result.strategies.map((s) => s.id);
  const key = (id: string, year: number): unknown => {
    if (result.format === 'carebudget-summary')
      return JSON.stringify(
        metric === undefined
          ? summaryCell(result, id, service, year, figure)
          : summaryMetricCell(result, id, year, metric),
      );
    return metric === undefined
      ? figureValues(result, { strategy: id, service, year, figure })
      : metricValues(result, { strategy: id, year, metric });
  };
  // Each strategy's values once per year, then compared pairwise.
  const keys = new Map(ids.map((id) => [id, result.years.map((year) => key(id, year))]));
  const same = (a: string, b: string): boolean =>
    keys.get(a)!.every((x, y) => {
      const z = keys.get(b)![y];
      if (typeof x === 'string') return x === z;
      const u = x as Float64Array;
      const v = z as Float64Array;
      for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
      return true;
    });
  const groups: string[][] = [];
  const placed = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    if (placed.has(ids[i]!)) continue;
    const group = [ids[i]!];
    for (let j = i + 1; j < ids.length; j++) if (!placed.has(ids[j]!) && same(ids[i]!, ids[j]!)) group.push(ids[j]!);
    if (group.length > 1) {
      groups.push(group);
      for (const id of group) placed.add(id);
    }
  }
  return groups;
}
