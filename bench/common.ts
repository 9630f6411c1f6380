import { execFileSync } from 'node:child_process';
import type { ScenarioInput } from '../dist/index.js';

/**
 * What the benches share: the median of their rounds, and the workload most of them time,
 * `lejre-2034` under the four built-in strategies (as specs, plain data that any build of the
 * library reads, 0.4.0's included).
 */

/** The median of a list of timings (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The four built-in strategies as specs: a frame with its service response, the demographic frame, activity and hybrid. */
export const FOUR_STRATEGIES: NonNullable<ScenarioInput['strategies']> = [
  { kind: 'frame', serviceResponse: {} },
  { kind: 'demographicFrame' },
  { kind: 'activity' },
  { kind: 'hybrid' },
];

/**
 * A preset under the four built-in strategies, and its two halves: home care alone (no care
 * homes) and the care homes alone (no home care).
 *
 * @param preset - the preset's scenario, for example `lejre2034()` of the build being timed
 */
export function fourStrategyCases<T extends { readonly careHomes?: unknown; readonly homeCare?: unknown }>(
  preset: T,
): { all: T; homeCare: Omit<T, 'careHomes'>; careHomes: Omit<T, 'homeCare'> } {
  const all = { ...preset, strategies: FOUR_STRATEGIES };
  const { careHomes: _homes, ...homeCare } = all;
  const { homeCare: _care, ...careHomes } = all;
  return { all, homeCare, careHomes };
}

/**
 * Runs one workload of a bench script in a fresh process (`tsx SCRIPT --case NAME DIST`) and
 * returns the last line it prints as a number: its CPU µs a path.
 */
export function measureInChild(script: string, name: string, dist: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--case', name, dist], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}
