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
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lejre2034, type ScenarioInput } from '../dist/index.js';
import { median } from './common.js';
import { createSimulationPool } from '../dist/node/index.js';

/** A worker thread that runs `simulate` on request and answers with its wall time in ms. */
const WORKER = `
const { parentPort } = require('node:worker_threads');
let lib;
parentPort.on('message', async ({ dist, scenario }) => {
  lib ??= await import(dist);
  const t = performance.now();
  lib.simulate(scenario);
  parentPort.postMessage(performance.now() - t);
});
`;

/** `threads` plain worker threads, kept across rounds. */
function plainThreads(threads: number) {
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true }));
  const dist = new URL('../dist/index.js', import.meta.url).href;
  return {
    /** Each thread runs `simulate(scenario)` at the same time; the wall time until the last is done. */
    async run(scenario: ScenarioInput): Promise<number> {
      const t = performance.now();
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', () => resolve());
              w.once('error', reject);
              w.postMessage({ dist, scenario });
            }),
        ),
      );
      return performance.now() - t;
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
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
  const scenario = (paths: number): ScenarioInput => ({ ...lejre2034(), paths });
  console.log(
    `scaling on ${counts.join(', ')} threads: lejre-2034, ${pathsPerThread} paths a thread; throughput against one thread (wall time, medians of ${rounds} alternating rounds)`,
  );
  const out: { threads: number; machine: number; pool: number }[] = [];
  let oneMachine = 0;
  let onePool = 0;
  for (const n of counts) {
    const plain = plainThreads(n);
    const pool = createSimulationPool({ threads: n });
    try {
      const total = scenario(pathsPerThread * n);
      // Warm-up: each thread compiles the engine once.
      await plain.run(scenario(Math.min(pathsPerThread, 300)));
      await pool.simulate(scenario(Math.min(pathsPerThread, 300) * n), { summaryMode: 'exact' });
      const plainMs: number[] = [];
      const poolMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        plainMs.push(await plain.run(scenario(pathsPerThread)));
        const t = performance.now();
        await pool.simulate(total, { summaryMode: 'exact' });
        poolMs.push(performance.now() - t);
      }
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
    } finally {
      await plain.close();
      await pool.close();
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await scalingBench(Number(process.argv[2] ?? 4000), Number(process.argv[3] ?? 3));
}
