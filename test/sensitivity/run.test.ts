import { describe, expect, it } from 'vitest';
import {
  buildModel,
  frame,
  activity,
  lejre2034,
  parseScenario,
  runModel,
  simulate,
  hedenstedRecovery,
  ishoejCareHomes,
  slagelseHomeCare,
  herningSpecialised,
  OptionError,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';
import {
  inputGroupsOf,
  rankSensitivity,
  sobolSensitivity,
  tornadoSensitivity,
  twoLevelSensitivity,
} from '../../src/sensitivity/run';

const FIGURES = [
  'adoptedBudgetKr',
  'finalBudgetKr',
  'actualCostKr',
  'neededUnits',
  'orderedUnits',
  'deliveredUnits',
] as const;

/** Every recorded figure of paths [from, from + n) of a result, path by path. */
function block(r: SimulationResult, from: number, n: number): number[][] {
  const out: number[][] = [];
  const N = r.pathCount;
  for (const f of FIGURES) {
    const data = r.figures[f];
    for (let at = 0; at < data.length; at += N) out.push(Array.from(data.subarray(at + from, at + from + n)));
  }
  for (const data of Object.values(r.metrics))
    for (let at = 0; at < data.length; at += N) out.push(Array.from(data.subarray(at + from, at + from + n)));
  return out;
}

const short = (s: ScenarioInput): ScenarioInput => ({ ...s, horizonYears: 3 });

describe('input groups', () => {
  it('lists the groups each preset draws from', () => {
    expect(inputGroupsOf(lejre2034()).groups).toEqual([
      'demography',
      'use-rates',
      'intensity',
      'productivity',
      'prices',
      'care-home-flows',
    ]);
    expect(inputGroupsOf(herningSpecialised()).groups).toContain('specialised-cases');
    expect(inputGroupsOf(hedenstedRecovery()).groups).toContain('interventions');
  });

  // Every random draw goes through a group: a block that takes every group from B equals B, and
  // a block that takes none equals A. A draw keyed by the raw path would break both.
  for (const [name, make] of Object.entries({
    lejre2034,
    slagelseHomeCare,
    ishoejCareHomes,
    herningSpecialised,
    hedenstedRecovery,
  })) {
    it(`${name}: every draw belongs to a group (all-from-B equals B, none-from-B equals A, A equals a plain run)`, () => {
      const s = short(make());
      const n = 6;
      const groups = inputGroupsOf(s).groups;
      const r = runModel(buildModel(parseScenario(s)), [frame(), activity()], {
        paths: 4 * n,
        inputs: { plan: { kind: 'pickFreeze', n, blocks: [groups, []] } },
      });
      const plain = simulate(s, { paths: 2 * n, strategies: [frame(), activity()] });
      expect(block(r, 0, n)).toEqual(block(plain, 0, n));
      expect(block(r, n, n)).toEqual(block(plain, n, n));
      expect(block(r, 2 * n, n)).toEqual(block(r, n, n));
      expect(block(r, 3 * n, n)).toEqual(block(r, 0, n));
    });
  }

  it('a block with one group from B changes the paths through that group only', () => {
    const s = short(lejre2034());
    const n = 5;
    const r = runModel(buildModel(parseScenario(s)), [frame()], {
      paths: 3 * n,
      inputs: { plan: { kind: 'pickFreeze', n, blocks: [['prices']] } },
    });
    const onlyPrices = runModel(
      buildModel(parseScenario({ ...s, prices: { ...s.prices, indexOutcomeSdPerYear: 0 } })),
      [frame()],
      { paths: 3 * n, inputs: { plan: { kind: 'pickFreeze', n, blocks: [['prices']] } } },
    );
    // With prices taken from B the cost differs from A ...
    expect(block(r, 2 * n, n)).not.toEqual(block(r, 0, n));
    // ... but not when the price index has no uncertainty.
    expect(block(onlyPrices, 2 * n, n)).toEqual(block(onlyPrices, 0, n));
  });

  it('two-level runs share the structural draws within an outer draw and not the variability', () => {
    const s: ScenarioInput = {
      ...short(lejre2034()),
      homeCare: { ...lejre2034().homeCare!, hoursPerRecipientPerWeek: { dist: 'normal', mean: 3.2, sd: 0.3 } },
    };
    let values: readonly Float64Array[] = [];
    let names: string[] = [];
    const r = runModel(buildModel(parseScenario(s)), [frame()], {
      paths: 12,
      inputs: { plan: { kind: 'twoLevel', inner: 4 } },
      observeInputs: (seen) => ((values = seen.values), (names = seen.scalars.map((x) => x.name))),
    });
    const hours = values[names.indexOf('home-care.hoursPerRecipientPerWeek')]!;
    expect(hours[0]).toBe(hours[3]);
    expect(hours[4]).toBe(hours[7]);
    expect(hours[0]).not.toBe(hours[4]);
    const cost = r.figures.actualCostKr;
    // Care-home flows are variability: paths within an outer draw differ.
    expect(cost[0]).not.toBe(cost[1]);
  });
});

describe('sobolSensitivity', () => {
  const s = sobolSensitivity(lejre2034(), {
    n: 400,
    strategies: [frame(), activity({ id: 'activity' })],
    years: [2025, 2034],
    bootstrap: 200,
  });

  it('states its design: N, groups, runs and the estimator', () => {
    expect(s.n).toBe(400);
    expect(s.paths).toBe(400 * (s.groups.length + 2));
    expect(s.rows).toHaveLength(2 * 2 * s.groups.length);
    expect(s.estimator).toMatch(/Saltelli \(2010\)/);
    expect(s.estimator).toMatch(/Jansen \(1999\)/);
  });

  it('gives indices within [0, 1] up to their intervals, total at least first-order, first-order sums at most one within error', () => {
    for (const r of s.rows) {
      expect(r.firstLow).toBeLessThanOrEqual(1);
      expect(r.firstHigh).toBeGreaterThanOrEqual(0);
      expect(r.totalLow).toBeLessThanOrEqual(1);
      expect(r.totalHigh).toBeGreaterThanOrEqual(0);
      expect(r.firstLow).toBeLessThanOrEqual(r.first);
      expect(r.first).toBeLessThanOrEqual(r.firstHigh);
      // ST ≥ S in theory: the intervals overlap.
      expect(r.totalHigh).toBeGreaterThanOrEqual(r.firstLow);
      for (const v of Object.values(r)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    }
    for (const strategy of ['frame', 'activity']) {
      for (const year of [2025, 2034]) {
        const rows = s.rows.filter((r) => r.strategy === strategy && r.year === year);
        const sum = rows.reduce((a, r) => a + r.first, 0);
        const halfWidth = Math.sqrt(rows.reduce((a, r) => a + ((r.firstHigh - r.firstLow) / 2) ** 2, 0));
        expect(sum).toBeLessThanOrEqual(1 + 2 * halfWidth);
      }
    }
  });

  it('finds what the model says: demography dominates the frame deviation of 2034 more than that of 2025', () => {
    const share = (year: number, group: string) =>
      s.rows.find((r) => r.strategy === 'frame' && r.year === year && r.group === group)!.share;
    expect(share(2034, 'demography')).toBeGreaterThan(share(2025, 'demography'));
    const top2034 = s.rows
      .filter((r) => r.strategy === 'frame' && r.year === 2034)
      .sort((a, b) => b.share - a.share)[0]!;
    expect(top2034.group).toBe('demography');
  });

  it('says so when the figure does not vary', () => {
    const c = sobolSensitivity(short(lejre2034()), {
      n: 20,
      bootstrap: 20,
      strategies: [frame()],
      years: [2025],
      figure: 'adoptedBudgetKr',
    });
    expect(c.rows.every((r) => r.share === 0 && r.first === 0)).toBe(true);
    expect(c.notes.join(' ')).toMatch(
      /adoptedBudgetKr does not vary \(the same on every path\), so its indices and shares are 0, in: frame 2025/,
    );
  });

  it('regroups on request and refuses unknown or doubled groups by name', () => {
    const g = sobolSensitivity(short(lejre2034()), {
      n: 50,
      strategies: [frame()],
      years: [2025],
      bootstrap: 20,
      groups: { demand: ['demography', 'use-rates'] },
    });
    expect(g.groups.map((x) => x.id)).toEqual(['demand', 'intensity', 'productivity', 'prices', 'care-home-flows']);
    expect(g.notes[0]).toMatch(/demand/);
    expect(() => sobolSensitivity(short(lejre2034()), { n: 50, groups: { x: ['weather'] } })).toThrow(
      /"weather" is not an input group of this model; expected one of demography/,
    );
    expect(() => sobolSensitivity(short(lejre2034()), { n: 50, groups: { x: ['prices'], y: ['prices'] } })).toThrow(
      OptionError,
    );
    expect(() => sobolSensitivity(short(lejre2034()), { n: 1 })).toThrow(/n: expected an integer from 2/);
    expect(() => sobolSensitivity(short(lejre2034()), { n: 10, years: [1999] })).toThrow(
      /1999 is not a simulated year/,
    );
  });
});

describe('rankSensitivity and twoLevelSensitivity', () => {
  it('ranks an uncertain input with the sign the model implies', () => {
    const base = lejre2034();
    const s: ScenarioInput = {
      ...short(base),
      homeCare: { ...base.homeCare!, hoursPerRecipientPerWeek: { dist: 'normal', mean: 3.2, sd: 0.4 } },
    };
    const r = rankSensitivity(s, {
      paths: 400,
      strategies: [frame()],
      years: [2026],
      service: 'home-care',
      figure: 'actualCostKr',
      bootstrap: 200,
    });
    const hours = r.rows.find((x) => x.input === 'home-care.hoursPerRecipientPerWeek')!;
    expect(hours.rho).toBeGreaterThan(0.5);
    expect(hours.low).toBeGreaterThan(0);
    expect(r.notes.join(' ')).toMatch(/useRateFactor/);
  });

  it('splits the variance into structural and within shares that sum to one, the structural share growing with the horizon', () => {
    const t = twoLevelSensitivity(lejre2034(), {
      outer: 60,
      inner: 8,
      strategies: [frame()],
      years: [2024, 2034],
      bootstrap: 200,
    });
    expect(t.paths).toBe(480);
    for (const r of t.rows) expect(r.structural + r.within).toBeCloseTo(1, 10);
    expect(t.rows[1]!.structural).toBeGreaterThan(t.rows[0]!.structural);
    expect(t.estimator).toMatch(/random-effects/);
  });
});

describe('the progress of an analysis of many runs', () => {
  it('a tornado reports its paths done over all its runs, rising once to the total', () => {
    const seen: { pathsDone: number; pathsTotal: number }[] = [];
    tornadoSensitivity(
      { ...lejre2034(), horizonYears: 2 },
      {
        paths: 1500,
        strategies: [frame()],
        years: [2025],
        inputs: ['home-care.userTimeShare', 'home-care.undeliveredShare'],
        onProgress: ({ pathsDone, pathsTotal }) => seen.push({ pathsDone, pathsTotal }),
      },
    );
    // Five runs (the centre, each input low and high) of 1,500 paths, each reporting at 1,000
    // and 1,500 of its own paths.
    expect(seen.map((p) => p.pathsDone)).toEqual([1000, 1500, 2500, 3000, 4000, 4500, 5500, 6000, 7000, 7500]);
    expect(seen.every((p) => p.pathsTotal === 7500)).toBe(true);
  });
});
