import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { herningSpecialised, ishoejCareHomes, optimizeSteering, type SteeringOptimization } from '../../src/index';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const doc = read('docs/optimize.md').replace(/\s+/g, ' ');

const mkr = (x: number) => `${(x / 1e6).toFixed(1)} m kr`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const whole = (x: number) => `${Math.round(100 * x)} %`;

/** The sentences docs/optimize.md quotes from each worked case, made from the case's own run. */
async function quotes(name: 'herning' | 'ishoej' | 'lejre'): Promise<{ r: SteeringOptimization; lines: string[] }> {
  const scenario =
    name === 'herning'
      ? herningSpecialised()
      : name === 'ishoej'
        ? ishoejCareHomes()
        : JSON.parse(read('examples/optimize/lejre-new-wing.json'));
  const file = { herning: 'herning.yaml', ishoej: 'ishoej.yaml', lejre: 'lejre-guarantee.yaml' }[name];
  const r = await optimizeSteering(scenario, parse(read(`examples/optimize/${file}`)));
  const byId = (id: string) => r.candidates.find((c) => c.id === id)!;
  const best = r.verified[0]!;
  const lines: string[] = [];
  if (name === 'herning') {
    // On the search's paths: the closest design, the defaults, and the best the command names.
    const closest = r.infeasible[0]!;
    const searched = byId(best.id);
    expect(best.id).not.toBe(closest.closest);
    expect(searched.constraints[0]).toBe(closest.value);
    expect(searched.objective).toBeLessThan(byId(closest.closest).objective);
    lines.push(
      `no hybrid keeps it: on the search's ${r.search.paths} paths the closest, ${closest.closest}, leaves the provider a P95 of ${pct(closest.value)}`,
      `its treasury's share averages ${mkr(byId(closest.closest).objective)} there`,
      `on the same paths activity steering at its defaults leaves ${pct(byId('activity (default)').constraints[0]!)} and the frame ${pct(byId('frame (default)').constraints[0]!)}`,
      `The design the command names as its best, ${best.id}, leaves the same P95 on the search's paths for a smaller treasury's share (${mkr(searched.objective)})`,
    );
    // On the fresh paths, as the command prints them (to 0.01).
    const o = best.objective;
    const c = best.constraints[0]!.estimate;
    const mkr2 = (x: number) => `${(x / 1e6).toFixed(2)} m kr`;
    const pct2 = (x: number) => `${(100 * x).toFixed(2)} %`;
    lines.push(
      `on the ${r.search.verifyPaths.toLocaleString('en-US')} fresh paths its treasury's share averages ${mkr2(o.value)} (90 % interval ${mkr2(o.low)} to ${mkr2(o.high)}) and the provider's P95 is ${pct2(c.value)} (90 % interval ${pct2(c.low)} to ${pct2(c.high)}), within the limit in ${whole(best.constraints[0]!.probabilityMet)} of the resamples`,
    );
  } else if (name === 'ishoej') {
    const o = best.objective;
    lines.push(
      `the best design is ${best.id}: a P95 payment of ${mkr(o.value)} (90 % interval ${mkr(o.low)} to ${mkr(o.high)})`,
      `the frame at its defaults pays ${mkr(byId('frame (default)').objective)} at P95 and leaves the provider a P95 share of ${pct(byId('frame (default)').constraints[0]!)}`,
    );
    const runner = r.verified.find((v) => v.id === 'activity (default)')!;
    lines.push(
      `activity steering without the correction (${mkr(runner.objective.value)}, provider ${pct(runner.constraints[0]!.estimate.value)})`,
      `the best is cheaper with probability ${whole(runner.probabilityBestIsBetter!)}`,
    );
  } else {
    const c = best.constraints[0]!;
    lines.push(
      `a guarantee of ${mkr(byId(best.id).settings['deficitGuarantee.kr'] as number)} a year`,
      `the treasury's share averages ${mkr(best.objective.value)} over 2027-2029 (90 % interval ${mkr(best.objective.low)} to ${mkr(best.objective.high)})`,
      `the provider's P95 share is ${pct(c.estimate.value)} (90 % interval ${pct(c.estimate.low)} to ${pct(c.estimate.high)}), within the limit in ${whole(c.probabilityMet)} of the resamples`,
    );
  }
  return { r, lines };
}

describe('the worked cases in docs/optimize.md', () => {
  for (const name of ['herning', 'ishoej', 'lejre'] as const) {
    it(`${name}: the figures the docs quote are the search's`, async () => {
      const { r, lines } = await quotes(name);
      if (process.env.PRINT_QUOTES) console.log(name, lines, r.search);
      for (const line of lines) expect(doc, `docs/optimize.md quotes "${line}"`).toContain(line);
      if (name === 'herning') expect(r.feasible).toBe(false);
      // Lejre's guarantee keeps the limit on the search's paths and misses it on fresh ones (the text says so).
      else if (name === 'lejre') {
        expect(r.candidates.find((c) => c.id === r.verified[0]!.id)!.feasible).toBe(true);
        expect(r.verified[0]!.feasible).toBe(false);
      } else expect(r.verified[0]!.feasible).toBe(true);
    });
  }
});
