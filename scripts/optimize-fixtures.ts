/**
 * Rebuilds the saved optimisation results the chart and page tests read
 * (test/fixtures/optimize/lejre-*.json): `npx tsx scripts/optimize-fixtures.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lejre2034, optimizeSteering } from '../src/index';

for (const [name, max] of [
  ['feasible', 0.1],
  ['infeasible', 0.05],
] as const) {
  const file = new URL(`../test/fixtures/optimize/lejre-${name}.json`, import.meta.url);
  const problem = (JSON.parse(readFileSync(file, 'utf8')) as { record: { problem: Record<string, unknown> } }).record
    .problem;
  const constraints = (problem.constraints as Record<string, unknown>[]).map((c) => ({ ...c, max }));
  const r = await optimizeSteering(lejre2034(), { ...problem, constraints });
  writeFileSync(file, JSON.stringify(r));
  console.log(`wrote ${file.pathname}: best ${r.best}, feasible ${String(r.feasible)}`);
}
