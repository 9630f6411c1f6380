/**
 * The command line's threads from a cold start, beside what the machine itself gives a cold
 * process: each run a fresh Node process, wall and CPU time (every thread's), medians of
 * alternating rounds.
 *
 * - **the command line**: `carebudget run --preset lejre-2034 --paths 10000` with its default
 *   threads, and with `--threads 1`;
 * - **the machine**: a process that runs `simulate` on the same 10,000 paths on its main thread,
 *   and one whose plain worker threads (one a core, no pool, no chunks, no merge) each run
 *   `simulate` on their share of them at the same time.
 *
 * The machine's pair is the floor for the command line's: nothing is shared between its threads,
 * yet each loads the library, builds the model and compiles the engine, as every worker must.
 * Run by `npm run bench`, or alone: `tsup --silent && tsx bench/cold.ts [rounds]`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './common.js';

const PATHS = 10_000;

/**
 * Preloaded into each child: its wall time since the process began and its CPU time (all its
 * threads'), at exit. Worker threads inherit the preload; only the main thread reports.
 */
const AT_EXIT = `
if (require('node:worker_threads').isMainThread) process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write('\\ncold-bench ' + JSON.stringify({ wall: performance.now(), cpu: (u.user + u.system) / 1000 }) + '\\n');
});
`;

/** A process that runs `simulate` on PATHS paths: on its main thread (threads 0) or split over plain worker threads. */
const MACHINE = `
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
if (isMainThread) {
  const [threads, dist] = process.argv.slice(2);
  const n = Number(threads);
  if (n === 0) {
    const lib = await import(dist);
    lib.simulate({ ...lib.lejre2034(), paths: ${PATHS} });
  } else {
    await Promise.all(
      Array.from({ length: n }, (_, k) => new Promise((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { k, n, dist } });
        w.once('message', resolve);
        w.once('error', reject);
      }).then(() => undefined)),
    );
  }
} else {
  const { k, n, dist } = workerData;
  const lib = await import(dist);
  const from = Math.floor((${PATHS} * k) / n);
  const to = Math.floor((${PATHS} * (k + 1)) / n);
  lib.simulate({ ...lib.lejre2034(), paths: to - from }, { pathStart: from });
  parentPort.postMessage(0);
}
`;

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs one child to its end and reads its wall and CPU ms. */
function timed(args: readonly string[], preload: string): Timing {
  const run = spawnSync(process.execPath, ['--require', preload, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (run.status !== 0) throw new Error(`cold bench: ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('cold-bench '));
  if (lines.length !== 1) throw new Error(`cold bench: ${lines.length} timings from ${args.join(' ')}; expected one`);
  const line = lines[0]!;
  return JSON.parse(line.slice('cold-bench '.length)) as Timing;
}

/**
 * Times the four cold runs, `rounds` alternating rounds, prints the medians and the ratios, and
 * returns them.
 *
 * @param rounds - rounds of the four runs
 * @returns the command line's and the machine's ratios of threads to one thread, wall and CPU
 */
export function coldBench(rounds: number): { cli: Timing; machine: Timing } {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-cold-'));
  try {
    const preload = join(dir, 'at-exit.cjs');
    const machine = join(dir, 'machine.mjs');
    writeFileSync(preload, AT_EXIT);
    writeFileSync(machine, MACHINE);
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const cores = availableParallelism();
    const runs = {
      cliThreads: ['run', '--preset', 'lejre-2034', '--paths', String(PATHS)].map(String),
      cliOne: ['run', '--preset', 'lejre-2034', '--paths', String(PATHS), '--threads', '1'],
      machineThreads: [machine, String(cores), dist],
      machineOne: [machine, '0', dist],
    };
    const times: Record<keyof typeof runs, Timing[]> = {
      cliThreads: [],
      cliOne: [],
      machineThreads: [],
      machineOne: [],
    };
    const order = Object.keys(runs) as (keyof typeof runs)[];
    for (let r = 0; r < rounds; r++) {
      // Which goes first alternates with the round.
      for (const key of r % 2 === 0 ? order : [...order].reverse()) {
        const args = key.startsWith('cli') ? [cli, ...runs[key]] : runs[key];
        times[key].push(timed(args, preload));
      }
    }
    const med = (key: keyof typeof runs) => ({
      wall: median(times[key].map((t) => t.wall)),
      cpu: median(times[key].map((t) => t.cpu)),
    });
    const ratio = (a: Timing, b: Timing) => ({ wall: a.wall / b.wall, cpu: a.cpu / b.cpu });
    const fmt = (t: Timing) => `${(t.wall / 1000).toFixed(2)} s wall, ${(t.cpu / 1000).toFixed(2)} s CPU`;
    const range = (key: keyof typeof runs) => {
      const w = times[key].map((t) => t.wall / 1000);
      return `${Math.min(...w).toFixed(2)}-${Math.max(...w).toFixed(2)}`;
    };
    console.log(
      `cold start, lejre-2034, ${PATHS} paths, each run a fresh process (${cores} cores; medians of ${rounds} alternating rounds)`,
    );
    const [ct, c1, mt, m1] = [med('cliThreads'), med('cliOne'), med('machineThreads'), med('machineOne')];
    console.log(`  carebudget run, default threads: ${fmt(ct)} (wall ${range('cliThreads')} s)`);
    console.log(`  carebudget run --threads 1:      ${fmt(c1)} (wall ${range('cliOne')} s)`);
    console.log(`  the machine, ${cores} plain threads:   ${fmt(mt)} (wall ${range('machineThreads')} s)`);
    console.log(`  the machine, main thread:        ${fmt(m1)} (wall ${range('machineOne')} s)`);
    const cliRatio = ratio(ct, c1);
    const machineRatio = ratio(mt, m1);
    console.log(
      `  threads against one thread: the command line ${cliRatio.wall.toFixed(2)}x the wall, ${cliRatio.cpu.toFixed(2)}x the CPU; the machine ${machineRatio.wall.toFixed(2)}x the wall, ${machineRatio.cpu.toFixed(2)}x the CPU`,
    );
    return { cli: cliRatio, machine: machineRatio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  coldBench(Number(process.argv[2] ?? 5));
}
