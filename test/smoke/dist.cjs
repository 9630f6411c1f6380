// Smoke check of the built package from CommonJS: the core, the Node entry's pool, shared classes.
const assert = require('node:assert');
const core = require('carebudget');
const { simulateParallel } = require('carebudget/node');

(async () => {
  const scenario = { ...core.lejre2034(), paths: 3000 };
  const { result, threads } = await simulateParallel(scenario, { threads: 2, minParallelPaths: 0 });
  assert.strictEqual(threads, 2);
  assert.deepStrictEqual(
    Array.from(result.figures.actualCostKr),
    Array.from(core.simulate(scenario).figures.actualCostKr),
  );
  await assert.rejects(simulateParallel(scenario, { threads: 0 }), (e) => e instanceof core.SimulationError);
  // The report entry loads vega by import() from CommonJS too.
  const { renderReport } = require('carebudget/report');
  assert.match(await renderReport(core.simulate({ ...scenario, paths: 200 })), /^<!doctype html>[\s\S]*<svg/);
  const { resultToParquet, resultToArrow } = require('carebudget/data');
  assert.strictEqual(Buffer.from(resultToParquet(result).subarray(0, 4)).toString(), 'PAR1');
  assert.strictEqual(resultToArrow(result).numRows, result.figures.actualCostKr.length);
  const statbank = 'OMRÅDE;KØN;ALDER;TID;INDHOLD\nLejre;Mænd;80 år;2024;400\nLejre;Kvinder;80 år;2024;450';
  assert.deepStrictEqual(
    core.populationFromStatbank(statbank, { municipality: 'Lejre', groups: '80-80' }).groups[0].table,
    { 2024: 850 },
  );
  console.log('dist (CommonJS): ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
