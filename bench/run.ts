/**
 * Fixed workloads, timed in one process: paths per second and path-years per second, single
 * thread and with the worker pool, medians of repeated runs, and peak resident memory (the
 * pool's worker threads included; the scaling's, in a child process, not). Usage: `npm run bench [-- --paths N --repeats R --no-million]`.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { herningSpecialised, lejre2034, simulate, summarize, type ScenarioInput } from '../dist/index.js';
import { fourStrategyCases, median } from './common.js';
import { createSimulationPool, simulateParallel } from '../dist/node/index.js';
import { engineBench } from './engine';
import { streamingBench } from './streaming';
import { scalingBench } from './scaling';
import { coldBench } from './cold';
import { floorBench } from './floor';

const { values } = parseArgs({
  options: {
    paths: { type: 'string', default: '100000' },
    repeats: { type: 'string', default: '3' },
    'no-million': { type: 'boolean', default: false },
  },
});
const paths = Number(values.paths);
const repeats = Number(values.repeats);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);

async function time(name: string, pathCount: number, years: number, run: () => unknown): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const ms = median(times);
  console.log(`${name}`);
  console.log(
    `  median ${ms.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}): ${Math.round((pathCount * 1000) / ms)} paths/s, ${Math.round((pathCount * years * 1000) / ms)} path-years/s`,
  );
  return ms;
}

const cases = fourStrategyCases(lejre2034());
const all: ScenarioInput = { ...cases.all, paths };
const years = all.horizonYears;
console.log(
  `carebudget bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log(
  `lejre-2034 with all four built-in strategies (frame with service response, demographic frame, activity, hybrid), monthly steps; ${repeats} repeats after a warm-up\n`,
);

const single = await time(`one thread: simulate, ${paths} paths`, paths, years, () => simulate(all));
console.log(`  ${((single * 1000) / paths).toFixed(1)} us a path`);
const small = Math.min(paths, 20_000);
const homeCare = await time(
  `home care alone (no care homes), four strategies, one thread: simulate, ${small} paths`,
  small,
  years,
  () => simulate({ ...cases.homeCare, paths: small }),
);
console.log(`  ${((homeCare * 1000) / small).toFixed(1)} us a path`);
const herningPaths = Math.min(paths, 5_000);
const herning = await time(
  `herning-specialised under its own strategies, one thread: simulate, ${herningPaths} paths`,
  herningPaths,
  herningSpecialised().horizonYears,
  () => simulate({ ...herningSpecialised(), paths: herningPaths }),
);
console.log(`  ${((herning * 1000) / herningPaths).toFixed(1)} us a path`);
// --- streaming summaries against per-path values (bench/streaming.ts) ---
console.log('one thread, streaming summaries (simulateSummary) against per-path values (simulate):');
streamingBench(Math.min(paths, 5_000), paths);
console.log('');
// --- end of streaming summaries ---
// The two pool timings below run under tsx, whose module loader the pool's threads inherit and
// which slows its worker bundle by about a tenth; bench/scaling.ts times the pool in plain Node.
console.log('worker pool under tsx (its threads inherit its loader; the scaling below is in plain Node):');
const cold = await time(
  `worker pool, cold (${cpus().length} threads started for the run): simulateParallel, ${paths} paths`,
  paths,
  years,
  () => simulateParallel(all, { summaryMode: 'exact' }),
);
console.log(`  one thread / cold pool: ${(single / cold).toFixed(2)}x`);
const pool = createSimulationPool();
const warm = await time(
  `worker pool, warm (${pool.threads} threads kept between runs): pool.simulate, ${paths} paths`,
  paths,
  years,
  () => pool.simulate(all, { summaryMode: 'exact' }),
);
await pool.close();
console.log(`  one thread / warm pool: ${(single / warm).toFixed(2)}x\n`);
// --- the pool's scaling beside the machine's own (bench/scaling.ts) ---
await scalingBench(Math.min(paths, 10_000), repeats);
console.log('');
// --- the command line's threads from a cold start, beside the machine's own (bench/cold.ts) ---
coldBench(Math.max(5, repeats));
console.log('');
await time(
  `summarize the per-path result (4 figures x 4 strategies x 11 years), ${Math.min(paths, 20000)} paths`,
  Math.min(paths, 20000),
  years,
  () => summarize(simulate({ ...all, paths: Math.min(paths, 20000) })),
);
console.log(`\npeak resident memory so far ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

// The engine against 0.4.0 (bench/engine.ts): version 0.4.0 built beside this tree, each
// workload in fresh processes, the builds alternating; CPU time a path, medians.
console.log('');
const engine = engineBench(Math.max(5, repeats));
// What the services cost on their own, with the least any engine adds (bench/floor.ts).
console.log('');
floorBench(Math.max(5, repeats), { homeCare: engine.homeCare.old, lejre: engine.lejre.old });
// ---------------------------------------------------------------------------------------------

if (!values['no-million']) {
  peakRss = process.memoryUsage().rss;
  const t = performance.now();
  // About 1.8e10 estimated steps: above the default limit (1e10), so raised knowingly.
  const { result } = await simulateParallel({ ...all, paths: 1_000_000 }, { limits: { maxSteps: 3e10 } });
  const ms = performance.now() - t;
  console.log(
    `\n1,000,000 paths with the pool (auto: ${result.format === 'carebudget-summary' ? 'streaming summaries' : 'per-path'}): ${(ms / 1000).toFixed(1)} s, ${Math.round(1e9 / ms)} paths/s, peak resident memory ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
}
clearInterval(sampler);
