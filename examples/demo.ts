/**
 * The demo: Lejre's home care and care homes 2024-2034 under frame and activity steering.
 * Run with `npm run demo` (optionally `npm run demo -- 5000` for another number of paths).
 */
import { compareStrategies, describe, formatDeviationTable, lejre2034, metricValues, simulate } from '../src/index';
import { pathsArgument } from './paths';

const paths = pathsArgument(2000);
const scenario = { ...lejre2034(), paths };
const started = performance.now();
const result = simulate(scenario);
const ms = performance.now() - started;

console.log(
  `carebudget: ${scenario.name}, ${paths} paths, seed ${String(scenario.seed)} (${(ms / 1000).toFixed(2)} s)`,
);
console.log('80+ citizens 1,605 in 2023 -> 2,499 in 2034; budgets and costs in current kr.\n');
console.log('HOME CARE (§83)\n');
console.log(formatDeviationTable(result, { service: 'home-care' }));
console.log('CARE HOMES (three homes, 225 places, unchanged capacity)\n');
console.log(formatDeviationTable(result, { service: 'care-homes' }));

const last = result.years[result.years.length - 1]!;
const m = (metric: string, year: number) =>
  describe(metricValues(result, { strategy: 'frame', year, metric: `care-homes.${metric}` }), {
    percentiles: [5, 50, 95],
  });
for (const year of [result.years[0]!, last]) {
  const w = m('waiting', year);
  const b = m('guaranteeBreaches', year);
  console.log(
    `Care homes ${year}: waiting list P50 ${w.percentiles[50]!.toFixed(0)} (P5-P95 ${w.percentiles[5]!.toFixed(0)}-${w.percentiles[95]!.toFixed(0)}); placed externally after 60 days: ${b.mean.toFixed(0)} citizens a year on average.`,
  );
}
const diff = compareStrategies(result, 'frame', 'activity', {
  figure: 'providerDeviationKr',
  percentiles: [5, 95],
}).find((r) => r.year === last)!;
console.log(
  `\nPaired difference in ${last}, the provider's share (actual − final budget) frame − activity, both services: mean ${(diff.mean / 1e6).toFixed(1)} m kr ` +
    `(Monte Carlo s.e. ${(diff.mcse / 1e6).toFixed(2)}), P5 ${(diff.percentiles[5]! / 1e6).toFixed(1)}, P95 ${(diff.percentiles[95]! / 1e6).toFixed(1)} m kr.`,
);
