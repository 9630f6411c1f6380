import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  herningSpecialised,
  parseScenario,
  simulate,
  summarize,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';
import { runPart, type PartCache } from '../../src/html/explore/part';
import { mergeResults } from '../../src/simulation/result';
import { figureValues } from '../../src/results/values';
import {
  assumptionControls,
  explorerStrategies,
  scenarioOfState,
  type ExplorerState,
  type ExplorerSpec,
} from '../../src/explore/state';

/**
 * The worked question of docs/explore.md (Herning: how far must the hybrid's corridor narrow
 * before the provider's P95 share halves?), run as the explorer page runs it, and every figure
 * the doc quotes checked against the run.
 */
const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'explore.md'), 'utf8').replace(/\s+/g, ' ');
const quoted = (text: string) => expect(doc, `docs/explore.md quotes "${text}"`).toContain(text);

const base = herningSpecialised();
const parsed = parseScenario(base);
const strategies = explorerStrategies(parsed.strategies as unknown as ExplorerSpec[]);
const controls = assumptionControls(base, []);
const FIRST = parsed.baseYear + 1;
const LAST = parsed.baseYear + parsed.horizonYears;

/** The page's scenario for the hybrid's settings. */
const scenarioOf = (settings: Record<string, number | string>) =>
  scenarioOfState(base, { strategies: { hybrid: { settings } } } satisfies ExplorerState, controls, strategies);

/** Each state's run, made once. */
const runs = new Map<string, SimulationResult>();
function run(settings: Record<string, number | string>): SimulationResult {
  const key = JSON.stringify(settings);
  if (!runs.has(key)) runs.set(key, simulate(scenarioOf(settings)));
  return runs.get(key)!;
}

/** A run as the page's workers make it: a first 300 paths over two workers, then parts of 250, merged. */
function pageRun(scenario: ScenarioInput): SimulationResult {
  const p = parseScenario(scenario);
  const cache: PartCache = { key: '' };
  const parts: SimulationResult[] = [];
  const starts = [0, 150, 300];
  for (let s = 550; s < p.paths; s += 250) starts.push(s);
  starts.push(p.paths);
  for (let i = 0; i + 1 < starts.length; i++)
    parts.push(runPart(cache, { scenario, pathStart: starts[i]!, paths: starts[i + 1]! - starts[i]!, total: p.paths }));
  return mergeResults(parts);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const mkr = (x: number) => `${(x / 1e6).toFixed(1)} m kr`;
const whole = (x: number) => `${Math.round(100 * x)} %`;

/** The measures the doc's table gives for one strategy of a run. */
function measures(result: SimulationResult, strategy = 'hybrid') {
  const rows = summarize(result, { thresholds: [0] }).filter((r) => r.strategy === strategy);
  const at = (year: number, figure: string) => rows.find((r) => r.year === year && r.figure === figure)!;
  const of = (year: number) => ({
    p95Pct: at(year, 'providerDeviationPct').percentiles[95]!,
    p95Kr: at(year, 'providerDeviationKr').percentiles[95]!,
    treasuryShare: at(year, 'treasuryShareKr').mean,
    overspend: at(year, 'treasuryDeviationKr').exceed[0]!,
    overrun: at(year, 'treasuryDeviationKr').mean,
  });
  return { first: of(FIRST), last: of(LAST) };
}

describe('docs/explore.md: the worked question', () => {
  it('the preset runs at the page’s default of 2,000 paths and its own seed', () => {
    expect(base.paths).toBe(2000);
    expect(base.seed).toBe(2019);
    quoted(`seed 2019, 2,000 paths`);
    quoted(`first simulated year, ${FIRST}, and the last, ${LAST}`);
  });

  it('narrowing the corridor does not halve the provider’s P95 share; the figures quoted are the runs’', () => {
    const grid = [0.03, 0.02, 0.01, 0];
    const results = grid.map((corridor) => run({ corridor }));
    // The page's parts, merged, are the same numbers as one run of the downloaded scenario.
    const byPage = pageRun(scenarioOf({ corridor: 0.03 }));
    const values = (r: SimulationResult) =>
      Array.from(figureValues(r, { strategy: 'hybrid', service: 'total', year: LAST, figure: 'providerDeviationKr' }));
    expect(values(byPage)).toEqual(values(results[0]!));
    expect(results[0]!.pathCount).toBe(2000);
    // The downloaded scenario (YAML) is the page's scenario, number for number.
    const scenario = scenarioOf({ corridor: 0.01 });
    expect(parse(stringify(scenario))).toEqual(scenario);

    const m = results.map((r) => measures(r));
    const d = m[0]!;
    grid.forEach((corridor, i) => {
      const x = m[i]!;
      quoted(
        `| ${pct(corridor)} | ${pct(x.first.p95Pct)} (${mkr(x.first.p95Kr)}) | ${pct(x.last.p95Pct)} (${mkr(x.last.p95Kr)}) | ${mkr(x.first.treasuryShare)} | ${mkr(x.last.treasuryShare)} |`,
      );
      // The corridor moves who bears the overrun, not the overrun.
      expect(x.first.overspend).toBe(d.first.overspend);
      expect(x.last.overspend).toBe(d.last.overspend);
    });
    // No corridor in the grid reaches half of the default's P95, in either year.
    const halved = m.filter((x) => x.first.p95Pct <= d.first.p95Pct / 2 || x.last.p95Pct <= d.last.p95Pct / 2);
    expect(halved).toEqual([]);
    quoted(`of the default's P95 is ${pct(d.first.p95Pct / 2)} in ${FIRST} and ${pct(d.last.p95Pct / 2)} in ${LAST}`);
    quoted(
      `P(overspend) is ${whole(d.first.overspend)} in ${FIRST} and ${whole(d.last.overspend)} in ${LAST} at every corridor`,
    );
    const zero = m[m.length - 1]!;
    quoted(`even a corridor of 0 leaves ${pct(zero.first.p95Pct)} and ${pct(zero.last.p95Pct)}`);
    quoted(`from ${mkr(d.first.treasuryShare)} to ${mkr(zero.first.treasuryShare)} in ${FIRST}`);
    // In the last year the P95 does not move at all: its paths lie outside every corridor.
    expect(zero.last.p95Kr).toBe(d.last.p95Kr);

    const frame = measures(results[0]!, 'frame');
    const activity = measures(results[0]!, 'activity');
    quoted(
      `activity steering leaves the provider ${pct(activity.first.p95Pct)} and ${pct(activity.last.p95Pct)}, the frame ${pct(frame.first.p95Pct)} and ${pct(frame.last.p95Pct)}`,
    );
  });

  it('the marginal rate is the lever that moves it', () => {
    const d = measures(run({ corridor: 0.03 }));
    const x = measures(run({ corridor: 0, marginalRate: 1.5 }));
    quoted(
      `at corridor 0 and marginal rate 150 % (the page's maximum) the P95 is ${pct(x.first.p95Pct)} in ${FIRST} and ${pct(x.last.p95Pct)} in ${LAST}`,
    );
    quoted(
      `the treasury's share averages ${mkr(x.first.treasuryShare)} in ${FIRST} and ${mkr(x.last.treasuryShare)} in ${LAST}`,
    );
    quoted(`more than the overrun itself (${mkr(x.last.overrun)} on average in ${LAST})`);
    expect(x.last.treasuryShare).toBeGreaterThan(x.last.overrun);
    expect(x.last.p95Pct).toBeLessThanOrEqual(d.last.p95Pct / 2);
    expect(x.first.p95Pct).toBeGreaterThan(d.first.p95Pct / 2);
  });
  it('a Latin hypercube run split into the page’s parts is the same run, value for value', () => {
    const scenario = { ...herningSpecialised(), paths: 700, sampling: { method: 'latinHypercube' } } as ScenarioInput;
    const whole = simulate(scenario);
    const parts = pageRun(scenario);
    for (const figure of ['providerDeviationKr', 'treasuryDeviationKr'] as const)
      expect(Array.from(figureValues(parts, { strategy: 'hybrid', service: 'total', year: LAST, figure }))).toEqual(
        Array.from(figureValues(whole, { strategy: 'hybrid', service: 'total', year: LAST, figure })),
      );
  });
});
