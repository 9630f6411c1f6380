/**
 * The demo: Lejre's home-care budget 2024-2034 under frame and activity steering.
 * Run with `npm run demo` (optionally `npm run demo -- 5000` for another number of paths).
 */
import { compareStrategies, formatDeviationTable, lejre2034, simulate } from '../src/index';

const paths = Number(process.argv[2] ?? 2000);
const scenario = { ...lejre2034(), paths };
const started = performance.now();
const result = simulate(scenario);
const ms = performance.now() - started;

console.log(`carebudget: ${scenario.name}, ${paths} paths, seed ${String(scenario.seed)} (${(ms / 1000).toFixed(2)} s)`);
console.log('80+ citizens 1,605 in 2023 -> 2,499 in 2034; home care priced and budgeted in current kr.\n');
console.log(formatDeviationTable(result));

const last = result.years[result.years.length - 1]!;
const diff = compareStrategies(result, 'frame', 'activity', { figure: 'providerDeviationKr', percentiles: [5, 50, 95] }).find((r) => r.year === last)!;
console.log(
  `Paired difference in ${last}, provider deviation frame − activity: mean ${(diff.mean / 1e6).toFixed(1)} m kr ` +
    `(Monte Carlo s.e. ${(diff.mcse / 1e6).toFixed(2)}), P5 ${(diff.percentiles[5]! / 1e6).toFixed(1)}, P95 ${(diff.percentiles[95]! / 1e6).toFixed(1)} m kr.`,
);
