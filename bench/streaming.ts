/**
 * What streaming summaries cost over keeping per-path values: `simulateSummary` against
 * `simulate` on the same scenario and paths, in alternating rounds (per-path, streaming,
 * per-path, streaming, ...) in one process, CPU time of the process (garbage collection on its
 * helper threads included). Reported as the median of the rounds' ratios (each streaming round
 * against the per-path round before it) and the medians of each. Run by `npm run bench`, or
 * alone: `tsup --silent && tsx bench/streaming.ts [small paths] [large paths] [rounds]`.
 */
import { lejre2034, simulate, simulateSummary, type ScenarioInput } from '../dist/index.js';
import { FOUR_STRATEGIES, median } from './common.js';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timed(run: () => unknown): number {
  const t = cpuMs();
  run();
  return cpuMs() - t;
}

/** Alternating rounds of simulate and simulateSummary; prints and returns the median ratio. */
export function streamingOverhead(label: string, scenario: ScenarioInput, rounds: number): number {
  const paths = scenario.paths!;
  const perPath: number[] = [];
  const streaming: number[] = [];
  for (let r = 0; r < rounds; r++) {
    perPath.push(timed(() => simulate(scenario)));
    streaming.push(timed(() => simulateSummary(scenario)));
  }
  const ratio = median(streaming.map((s, r) => s / perPath[r]!));
  const us = (ms: number) => ((ms * 1000) / paths).toFixed(0);
  console.log(
    `${label}, ${paths} paths, ${rounds} alternating rounds: per-path ${us(median(perPath))} us a path, streaming ${us(median(streaming))} us a path (CPU)`,
  );
  console.log(
    `  streaming summaries cost ${((ratio - 1) * 100).toFixed(1)} % over per-path values (median of the rounds' ratios; ${streaming.map((s, r) => (s / perPath[r]!).toFixed(3)).join(', ')})`,
  );
  return ratio;
}

/**
 * The figures of the bench: lejre-2034 under the four built-in strategies at `small` paths (one
 * chunk of simulateSummary), and under two (frame, activity) at `large` paths (ten chunks; two
 * strategies keep a round of per-path values within a minute and a gigabyte).
 */
export function streamingBench(small = 5_000, large = 100_000, rounds = 5, largeRounds = 3): void {
  const four = { ...lejre2034(), strategies: FOUR_STRATEGIES } as ScenarioInput;
  simulateSummary({ ...four, paths: 500 }); // warm-up: compile both paths first
  simulate({ ...four, paths: 500 });
  streamingOverhead('lejre-2034, four strategies', { ...four, paths: small } as ScenarioInput, rounds);
  const two = {
    ...lejre2034(),
    strategies: [{ kind: 'frame', serviceResponse: {} }, { kind: 'activity' }],
    paths: large,
  } as ScenarioInput;
  streamingOverhead('lejre-2034, frame and activity', two, largeRounds);
}

if (process.argv[1]?.endsWith('streaming.ts')) {
  const [small, large, rounds] = process.argv.slice(2).map(Number);
  streamingBench(small || undefined, large || undefined, rounds || undefined, rounds || undefined);
}
