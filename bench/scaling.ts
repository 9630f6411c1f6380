/**
 * How the worker pool scales beside how the machine itself scales. For 1, 2 and all cores:
 *
 * - **the machine**: that many plain worker threads, each running `simulate` on the same number
 *   of paths at the same time (no pool, no chunks, no merge): the throughput the cores give when
 *   nothing is shared;
 * - **the pool, warm**: a kept pool of that many threads running the same total of paths.
 *
 * Both are reported as throughput relative to one thread doing the same work alone; the gap
 * between them is what the pool itself costs. Wall time, medians of alternating rounds after a
 * warm-up. Run by `npm run bench`, or alone: `tsup --silent && tsx bench/scaling.ts [paths a
 * thread] [rounds]`.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { median } from './common.js';

/**
 * One thread count's rounds, in a child process of plain Node: the plain threads and the kept
 * pool started there as a user's program starts them. Under tsx (which runs the benches), worker
 * threads inherit its module loader, and the pool's worker bundle ran about a tenth slower under
 * it (840-850 against 917-935 ms for the same 4,000 paths), which the pool's users do not pay.
 * Prints the rounds' wall times in ms as JSON: `{ plain, pool }`.
 */
const CHILD = `
import { Worker } from 'node:worker_threads';
const [threads, perThread, rounds, dist, node] = process.argv.slice(1);
const n = Number(threads);
const per = Number(perThread);
const { lejre2034 } = await import(dist);
const { createSimulationPool } = await import(node);
const scenario = (paths) => ({ ...lejre2034(), paths });
// A worker thread that runs simulate on request and answers when done.
const source = \`
const { parentPort } = require('node:worker_threads');
let lib;
parentPort.on('message', async ({ dist, scenario }) => {
  lib ??= await import(dist);
  lib.simulate(scenario);
  parentPort.postMessage(0);
});
\`;
const workers = Array.from({ length: n }, () => new Worker(source, { eval: true, execArgv: [] }));
// Each plain thread runs simulate(scenario) at the same time: the wall time until the last is done.
const plain = async (s) => {
  const t = performance.now();
  await Promise.all(
    workers.map((w) => new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(\`a plain worker thread exited (code \${code})\`)));
      w.postMessage({ dist, scenario: s });
    })),
  );
  return performance.now() - t;
};
const pool = createSimulationPool({ threads: n });
// Warm-up: each thread compiles the engine once.
await plain(scenario(Math.min(per, 300)));
await pool.simulate(scenario(Math.min(per, 300) * n), { summaryMode: 'exact' });
const out = { plain: [], pool: [] };
for (let r = 0; r < Number(rounds); r++) {
  out.plain.push(await plain(scenario(per)));
  const t = performance.now();
  await pool.simulate(scenario(per * n), { summaryMode: 'exact' });
  out.pool.push(performance.now() - t);
}
await pool.close();
await Promise.all(workers.map((w) => w.terminate()));
console.log(JSON.stringify(out));
`;

/** The rounds of one thread count, timed in a child process of plain Node. */
function timeRounds(threads: number, pathsPerThread: number, count: number): { plain: number[]; pool: number[] } {
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const node = new URL('../dist/node/index.js', import.meta.url).href;
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD, String(threads), String(pathsPerThread), String(count), dist, node],
    // execFileSync passes on none of tsx's options (they are this process's execArgv): the child
    // is plain Node, and so are its threads. A round that hangs is ended.
    { encoding: 'utf8', timeout: 30 * 60_000 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as { plain: number[]; pool: number[] };
}

/**
 * Prints, for 1, 2 and all cores, the machine's scaling and the warm pool's, both as throughput
 * against one thread, and returns them.
 */
export async function scalingBench(
  pathsPerThread: number,
  rounds: number,
): Promise<{ threads: number; machine: number; pool: number }[]> {
  const cores = availableParallelism();
  const counts = [...new Set([1, 2, cores])].filter((n) => n <= cores);
  console.log(
    `scaling on ${counts.join(', ')} threads: lejre-2034, ${pathsPerThread} paths a thread; throughput against one thread (wall time, medians of ${rounds} alternating rounds, in plain Node)`,
  );
  const out: { threads: number; machine: number; pool: number }[] = [];
  let oneMachine = 0;
  let onePool = 0;
  for (const n of counts) {
    const { plain: plainMs, pool: poolMs } = timeRounds(n, pathsPerThread, rounds);
    // Paths a second, then relative to one thread's.
    const machineRate = (pathsPerThread * n) / median(plainMs);
    const poolRate = (pathsPerThread * n) / median(poolMs);
    if (n === 1) {
      oneMachine = machineRate;
      onePool = poolRate;
    }
    const row = { threads: n, machine: machineRate / oneMachine, pool: poolRate / oneMachine };
    out.push(row);
    console.log(
      `  ${n} thread${n === 1 ? '' : 's'}: the machine ${row.machine.toFixed(2)}x (${Math.round(machineRate * 1000)} paths/s), the warm pool ${row.pool.toFixed(2)}x (${Math.round(poolRate * 1000)} paths/s)${n === 1 ? '' : `, the pool against its own one thread ${(poolRate / onePool).toFixed(2)}x`}`,
    );
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await scalingBench(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 3));
}
