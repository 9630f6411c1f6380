/**
 * Bytes allocated on the JavaScript heap per path, with monthly and with yearly steps. Run with
 * a young generation large enough that no garbage collection happens during a run, so the
 * growth of the heap is what the run allocated: `npm run bench:alloc`. If the inner loop
 * allocated per period, monthly steps (132 periods) would allocate about twelve times what
 * yearly steps (11 periods) do.
 */
import {
  buildModel,
  frame,
  demographicFrame,
  activity,
  hybrid,
  lejre2034,
  parseScenario,
  runModel,
} from '../dist/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const strategies = [frame({ serviceResponse: {} }), demographicFrame(), activity(), hybrid()];
const paths = 20_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const step of ['month', 'year'] as const) {
  const model = buildModel(parseScenario({ ...lejre2034(), step }));
  runModel(model, strategies, { paths: 2000 }); // warm-up: compile everything first
  const perPath: number[] = [];
  for (let r = 0; r < 5; r++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    runModel(model, strategies, { pathStart: 1000 * (r + 1), paths });
    perPath.push((process.memoryUsage().heapUsed - before) / paths);
  }
  const P = model.timeline.periodCount;
  // Every strategy's ledger sees every period of every service; a service independent of the
  // steering steps once per path, the others once per strategy.
  const ledgerPeriods = P * strategies.length * model.services.length;
  const steps = P * model.services.reduce((a, d) => a + (d.independentOfSteering ? 1 : strategies.length), 0);
  console.log(
    `${step.padEnd(5)} steps: ${String(P).padStart(3)} periods, ${String(ledgerPeriods).padStart(4)} ledger periods and ${String(steps).padStart(3)} service steps per path; heap allocated per path: median ${median(perPath).toFixed(0)} bytes (runs: ${perPath.map((b) => b.toFixed(0)).join(', ')})`,
  );
}
console.log('(the per-path figures live outside the JS heap, in one ArrayBuffer per result)');
