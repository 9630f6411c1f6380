// Smoke check of the built package from CommonJS: the core, the Node entry's pool, shared classes.
const assert = require('node:assert');
const core = require('carebudget');
const { simulateParallel } = require('carebudget/node');

(async () => {
  const scenario = { ...core.lejre2034(), paths: 3000 };
  const { result, threads } = await simulateParallel(scenario, { threads: 2, minParallelPaths: 0 });
  assert.strictEqual(threads, 2);
  assert.deepStrictEqual(Array.from(result.figures.actualCostKr), Array.from(core.simulate(scenario).figures.actualCostKr));
  await assert.rejects(simulateParallel(scenario, { threads: 0 }), (e) => e instanceof core.SimulationError);
  // The report entry loads vega by import() from CommonJS too.
  const { renderReport } = require('carebudget/report');
  assert.match(await renderReport(core.simulate({ ...scenario, paths: 200 })), /^<!doctype html>[\s\S]*<svg/);
  console.log('dist (CommonJS): ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
