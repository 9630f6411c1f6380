/**
 * Fixed workloads, timed in one process: paths per second and path-years per second, median of
 * repeated runs, and the peak resident memory. Usage: `npm run bench [-- --paths N --repeats R]`.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { activity, demographicFrame, frame, hybrid, lejre2034, simulate, summarize } from '../src/index';

const { values } = parseArgs({ options: { paths: { type: 'string', default: '20000' }, repeats: { type: 'string', default: '5' } } });
const paths = Number(values.paths);
const repeats = Number(values.repeats);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Workload {
  name: string;
  run: () => void;
  pathYears: number;
}

const scenario = { ...lejre2034(), paths };
const years = scenario.horizonYears;
const workloads: Workload[] = [
  { name: `lejre-2034, frame + activity, ${paths} paths, monthly`, run: () => void simulate(scenario, { strategies: [frame(), activity()] }), pathYears: paths * years },
  { name: `lejre-2034, all 4 built-in strategies (frame, demographic frame, activity, hybrid), ${paths} paths, monthly`, run: () => void simulate(scenario, { strategies: [frame({ serviceResponse: {} }), demographicFrame(), activity(), hybrid()] }), pathYears: paths * years },
  { name: `summarize ${paths} paths (4 figures x 2 strategies x 11 years)`, run: () => void summarize(simulate({ ...scenario, paths: Math.min(paths, 20000) })), pathYears: Math.min(paths, 20000) * years },
];

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
console.log(`carebudget bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log(`${repeats} repeats each, after one warm-up run; single thread\n`);
for (const w of workloads) {
  w.run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    w.run();
    times.push(performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const ms = median(times);
  const wallPaths = w.name.startsWith('summarize') ? Math.min(paths, 20000) : paths;
  console.log(`${w.name}`);
  console.log(`  median ${ms.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}): ${Math.round((wallPaths * 1000) / ms)} paths/s, ${Math.round((w.pathYears * 1000) / ms)} path-years/s`);
}
clearInterval(sampler);
console.log(`\npeak resident memory ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
