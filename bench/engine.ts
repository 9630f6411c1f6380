/**
 * The engine against version 0.4.0, built beside the tree (bench/baseline.ts): each workload in a
 * fresh process per build and round, the two builds alternating (which goes first alternates too),
 * CPU time a path after a warm-up, medians. Separate processes, because in one process each
 * build's garbage and compiled code weigh on the other: there the rounds' ratios alternated with
 * the order of the builds (`lejre-2034` between 0.70-0.76 and 1.05-1.26).
 *
 * Run by `npm run bench`, or alone: `tsup --silent && tsx bench/engine.ts [rounds]`. As a child
 * process it runs one workload: `tsx bench/engine.ts --case NAME DIST`.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { baselineDist } from './baseline.js';
import { FOUR_STRATEGIES, fourStrategyCases, measureInChild, median } from './common.js';

/** The workloads: name and what it runs (with `lib`, a build's main entry). */
const CASES = {
  'home care alone (no care homes), four strategies, 10,000 paths': 'homeCare',
  'care homes alone (lejre-2034 without home care, frame), 3,000 paths': 'careHomes',
  'lejre-2034, four strategies, 3,000 paths': 'lejre',
  'herning-specialised under its own strategies, 2,000 paths': 'herning',
} as const;
type Case = (typeof CASES)[keyof typeof CASES];

const here = fileURLToPath(import.meta.url);

/** In a child process: one workload on one build, its CPU µs a path printed. */
async function runCase(name: Case, dist: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lib: any = await import(pathToFileURL(join(dist, 'index.js')).href);
  const { all, homeCare, careHomes } = fourStrategyCases(lib.lejre2034());
  const scenario = {
    homeCare: { ...homeCare, paths: 10_000 },
    careHomes: { ...careHomes, strategies: [FOUR_STRATEGIES[0]], paths: 3_000 },
    lejre: { ...all, paths: 3_000 },
    herning: { ...lib.herningSpecialised(), paths: 2_000 },
  }[name];
  // Warm-up: compile everything first. Under another seed, so that the timed run makes its care
  // homes' baseline as 0.4.0's does (this build keeps the baselines it made, by their inputs).
  const seed = scenario.seed ?? 1;
  lib.simulate({ ...scenario, paths: 1_000, seed: typeof seed === 'number' ? seed + 1 : `${seed}-warm-up` });
  const before = process.cpuUsage();
  lib.simulate(scenario);
  const used = process.cpuUsage(before);
  console.log(String((used.user + used.system) / scenario.paths));
}

/** CPU µs a path of one workload on one build, in a fresh process. */
function measure(name: Case, dist: string): number {
  return measureInChild(here, name, dist);
}

/**
 * Times every workload on 0.4.0 and on this tree's build, `rounds` alternating rounds each, and
 * prints the medians and their ratio.
 *
 * @returns each workload's medians (CPU µs a path), 0.4.0's and this build's
 */
export function engineBench(rounds: number): Record<Case, { old: number; now: number }> {
  const medians = {} as Record<Case, { old: number; now: number }>;
  const old = baselineDist();
  const now = join(here, '..', '..', 'dist');
  console.log(
    `engine against 0.4.0 (CPU time a path, each run a fresh process, medians of ${rounds} alternating rounds)`,
  );
  for (const [label, name] of Object.entries(CASES)) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        a.push(measure(name, old));
        b.push(measure(name, now));
      } else {
        b.push(measure(name, now));
        a.push(measure(name, old));
      }
    }
    medians[name] = { old: median(a), now: median(b) };
    console.log(label);
    console.log(
      `  0.4.0 ${median(a).toFixed(1)} us a path, this build ${median(b).toFixed(1)} us a path: ${(median(b) / median(a)).toFixed(2)}x (rounds' ratios ${a.map((x, i) => (b[i]! / x).toFixed(2)).join(', ')})`,
    );
  }
  return medians;
}

if (process.argv[2] === '--case') await runCase(process.argv[3] as Case, process.argv[4]!);
else if (process.argv[1] === here) engineBench(Number(process.argv[2] ?? 5));
