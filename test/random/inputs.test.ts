import { describe, expect, it } from 'vitest';
import {
  buildModel,
  frame,
  parseScenario,
  runModel,
  simulate,
  spearman,
  SimulationError,
  ScenarioError,
  figureValues,
  type ScenarioInput,
  type ScalarInput,
} from '../../src/index';
import { cdfFor } from '../../src/random/quantiles';
import { sobolSensitivity, tornadoSensitivity } from '../../src/sensitivity/run';
import { lejreHomeCare } from '../fixtures';

/** Home care only, with the four uncertain parameters and two more made uncertain. */
function uncertain(
  extra: Partial<NonNullable<ScenarioInput['homeCare']>> = {},
  sampling?: ScenarioInput['sampling'],
): ScenarioInput {
  const s = lejreHomeCare();
  return {
    ...s,
    horizonYears: 3,
    homeCare: {
      ...s.homeCare!,
      hoursPerRecipientPerWeek: { dist: 'lognormal', median: 3.2, p95: 4.2 },
      useRateFactor: { dist: 'normal', mean: 1, sd: 0.08 },
      ...extra,
    },
    ...(sampling === undefined ? {} : { sampling }),
  };
}

/** The scalar inputs' values on each path of a run. */
function inputValues(
  s: ScenarioInput,
  paths: number,
): { scalars: readonly ScalarInput[]; values: readonly Float64Array[]; byName: (name: string) => Float64Array } {
  let seen: { scalars: readonly ScalarInput[]; values: readonly Float64Array[] } = { scalars: [], values: [] };
  runModel(buildModel(parseScenario(s)), [frame()], { paths, observeInputs: (x) => (seen = x) });
  return { ...seen, byName: (name) => seen.values[seen.scalars.findIndex((x) => x.name === name)]! };
}

describe('correlated scalar inputs (Gaussian copula)', () => {
  it('gives the requested rank correlations and keeps each input distribution', () => {
    const s = uncertain(
      {},
      {
        correlations: [
          {
            inputs: ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor', 'home-care.userTimeShare'],
            rank: [
              [1, 0.6, -0.3],
              [0.6, 1, 0],
              [-0.3, 0, 1],
            ],
          },
        ],
      },
    );
    const v = inputValues(s, 4000);
    const hours = v.byName('home-care.hoursPerRecipientPerWeek');
    const rate = v.byName('home-care.useRateFactor');
    const user = v.byName('home-care.userTimeShare');
    // The sd of a sample Spearman correlation is about (1 − ρ²)/√n: 0.01 at n = 4000.
    expect(Math.abs(spearman(hours, rate) - 0.6)).toBeLessThan(0.04);
    expect(Math.abs(spearman(hours, user) + 0.3)).toBeLessThan(0.04);
    expect(Math.abs(spearman(rate, user))).toBeLessThan(0.04);
    // Marginals: the median of the lognormal stays 3.2, and the PERT's values stay in its range.
    const sorted = Float64Array.from(hours).sort();
    expect(sorted[2000]!).toBeCloseTo(3.2, 1);
    expect(Math.min(...user)).toBeGreaterThanOrEqual(0.57);
    expect(Math.max(...user)).toBeLessThanOrEqual(0.63);
    // Without the correlation the inputs are independent.
    const plain = inputValues(uncertain(), 4000);
    expect(
      Math.abs(spearman(plain.byName('home-care.hoursPerRecipientPerWeek'), plain.byName('home-care.useRateFactor'))),
    ).toBeLessThan(0.04);
  });

  it('refuses a matrix that is not positive definite by name, or repairs it on request', () => {
    const bad = [
      [1, 0.9, 0.9],
      [0.9, 1, -0.9],
      [0.9, -0.9, 1],
    ];
    const names = ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor', 'home-care.userTimeShare'];
    expect(() => parseScenario(uncertain({}, { correlations: [{ inputs: names, rank: bad }] }))).toThrow(
      /sampling\.correlations\[0\]\.rank.*positive definite.*repair: true/s,
    );
    const repaired = inputValues(uncertain({}, { correlations: [{ inputs: names, rank: bad, repair: true }] }), 500);
    expect(spearman(repaired.byName(names[0]!), repaired.byName(names[1]!))).toBeGreaterThan(0.3);
    expect(() =>
      parseScenario(
        uncertain(
          {},
          {
            correlations: [
              {
                inputs: names.slice(0, 2),
                rank: [
                  [1, 0.5],
                  [0.4, 1],
                ],
              },
            ],
          },
        ),
      ),
    ).toThrow(ScenarioError);
  });

  it('accepts a matrix at the edge of positive definiteness exactly when the run can build its copula', async () => {
    const { gaussianCopula } = await import('../../src/random/copula');
    const { rankCopulaMatrices, DEFINITE } = await import('../../src/math/correlation');
    const names = ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor', 'home-care.userTimeShare'];
    const matrix = (a: number) => [
      [1, a, a],
      [a, 1, -a],
      [a, -a, 1],
    ];
    // Bisect a to adjacent doubles either side of the copula's limit on the smallest eigenvalue.
    let lo = 0;
    let hi = 0.9;
    const ok = (a: number) =>
      Math.min(rankCopulaMatrices(matrix(a)).lambdaSpearman, rankCopulaMatrices(matrix(a)).lambdaPearson) > DEFINITE;
    expect(ok(lo)).toBe(true);
    expect(ok(hi)).toBe(false);
    while (true) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    for (const a of [lo, hi, lo - 1e-12, hi + 1e-12]) {
      const accepted = (() => {
        try {
          parseScenario(uncertain({}, { correlations: [{ inputs: names, rank: matrix(a) }] }));
          return true;
        } catch (e) {
          expect(e).toBeInstanceOf(ScenarioError);
          return false;
        }
      })();
      const built = (() => {
        try {
          gaussianCopula(matrix(a));
          return true;
        } catch {
          return false;
        }
      })();
      expect({ a, accepted }).toEqual({ a, accepted: built });
    }
    // At the limit itself the scenario accepts lo and refuses hi, as the copula does.
    expect(() => parseScenario(uncertain({}, { correlations: [{ inputs: names, rank: matrix(lo) }] }))).not.toThrow();
    expect(() => parseScenario(uncertain({}, { correlations: [{ inputs: names, rank: matrix(hi) }] }))).toThrow(
      /positive definite/,
    );
  });

  it('names an input the model does not have, or one known exactly', () => {
    expect(() =>
      simulate(
        uncertain(
          {},
          { correlations: [{ inputs: ['home-care.hoursPerRecipientPerWeek', 'home-care.weather'], rank: 0.5 }] },
        ),
        { paths: 5 },
      ),
    ).toThrow(
      /sampling\.correlations\[0\]\.inputs\[1\]: "home-care\.weather" is not a scalar input of this scenario; expected one of home-care\.hoursPerRecipientPerWeek/,
    );
    expect(() =>
      simulate(
        uncertain(
          { useRateFactor: 1 },
          { correlations: [{ inputs: ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor'], rank: 0.5 }] },
        ),
        { paths: 5 },
      ),
    ).toThrow(SimulationError);
  });
});

describe('Latin hypercube sampling', () => {
  const lhs = () => uncertain({}, { method: 'latinHypercube' });

  it('puts each input in every one of n equal strata exactly once, reproducibly', () => {
    const n = 200;
    const s = { ...lhs(), seed: 5 };
    const a = inputValues(s, n);
    for (const input of a.scalars.filter((x) => typeof x.distribution !== 'number')) {
      const F = cdfFor(input.distribution);
      const strata = Array.from(a.byName(input.name), (x) => Math.min(n - 1, Math.floor(F(x) * n))).sort(
        (p, q) => p - q,
      );
      expect(strata).toEqual(Array.from({ length: n }, (_, k) => k));
    }
    expect(inputValues(s, n).values).toEqual(a.values);
  });

  it('changes its sample with the number of paths, while plain sampling keeps the first paths', () => {
    const s = { ...lhs(), seed: 9 };
    const h100 = inputValues(s, 100).byName('home-care.hoursPerRecipientPerWeek');
    const h101 = inputValues(s, 101).byName('home-care.hoursPerRecipientPerWeek');
    expect(Array.from(h101.subarray(0, 100))).not.toEqual(Array.from(h100));
    const p = { ...uncertain(), seed: 9 };
    expect(Array.from(inputValues(p, 101).byName('home-care.hoursPerRecipientPerWeek').subarray(0, 100))).toEqual(
      Array.from(inputValues(p, 100).byName('home-care.hoursPerRecipientPerWeek')),
    );
  });

  it('lowers the standard error of a mean for the same paths', () => {
    // Year-to-year noise off, so the output depends on the scalar inputs and the population only.
    const base = uncertain({ recipientNoise: false, individualHoursCv: 0 });
    const n = 40;
    const reps = 30;
    const spread = (sampling: ScenarioInput['sampling']) => {
      const means: number[] = [];
      for (let r = 0; r < reps; r++) {
        const res = simulate(
          { ...base, seed: 1000 + r, paths: n, ...(sampling === undefined ? {} : { sampling }) },
          { strategies: [frame()] },
        );
        const v = figureValues(res, { strategy: 'frame', year: 2026, figure: 'actualCostKr' });
        means.push(v.reduce((a, b) => a + b, 0) / n);
      }
      const m = means.reduce((a, b) => a + b, 0) / reps;
      return Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1));
    };
    const plain = spread(undefined);
    const hyper = spread({ method: 'latinHypercube' });
    // Measured: the Latin hypercube's standard error is 0.15 times plain sampling's here.
    expect(hyper / plain).toBeLessThan(0.6);
  });
});

describe('tornadoSensitivity', () => {
  it('swings each uncertain scalar input between its P10 and P90, the others at their medians, largest swing first', () => {
    const t = tornadoSensitivity(uncertain(), {
      paths: 60,
      strategies: [frame()],
      years: [2026],
      figure: 'actualCostKr',
      service: 'home-care',
    });
    expect(t.paths).toBe(60 * (2 * t.inputs.length + 1));
    const swing = (r: { low: number; high: number }) => Math.abs(r.high - r.low);
    for (let i = 1; i < t.rows.length; i++) expect(swing(t.rows[i - 1]!)).toBeGreaterThanOrEqual(swing(t.rows[i]!));
    const hours = t.rows.find((r) => r.input === 'home-care.hoursPerRecipientPerWeek')!;
    // More hours per recipient cost more; the input's P10 and P90 are the lognormal's.
    expect(hours.high).toBeGreaterThan(hours.base);
    expect(hours.low).toBeLessThan(hours.base);
    expect(hours.inputLow).toBeCloseTo(
      3.2 * Math.exp(-1.2815515655446004 * (Math.log(4.2 / 3.2) / 1.6448536269514722)),
      10,
    );
    const userTime = t.rows.find((r) => r.input === 'home-care.userTimeShare')!;
    // More user time per paid hour: fewer paid hours for the same care, a lower cost.
    expect(userTime.high).toBeLessThan(userTime.low);
    expect(() => tornadoSensitivity(uncertain(), { paths: 10, inputs: ['home-care.weather'] })).toThrow(
      /"home-care\.weather" is not a scalar input/,
    );
    // An input known exactly has no percentiles to swing between: refused by name, not a zero bar.
    expect(() =>
      tornadoSensitivity(lejreHomeCare(), {
        paths: 10,
        inputs: ['home-care.userTimeShare', 'home-care.hoursPerRecipientPerWeek'],
      }),
    ).toThrow(
      /inputs\[1\]: "home-care\.hoursPerRecipientPerWeek" is known exactly \(3\.2\), so it has no low and high percentile to swing between; give it a distribution in the scenario, or choose among home-care\.undeliveredShare/,
    );
  });
});

describe('Sobol indices with correlated inputs', () => {
  it('analyses groups whose inputs are correlated as one group, and says so', () => {
    const s = uncertain(
      {},
      { correlations: [{ inputs: ['home-care.hoursPerRecipientPerWeek', 'home-care.useRateFactor'], rank: 0.5 }] },
    );
    const r = sobolSensitivity(s, { n: 40, bootstrap: 20, strategies: [frame()], years: [2026] });
    expect(r.groups.map((g) => g.id)).toEqual(['demography', 'use-rates + intensity', 'productivity', 'prices']);
    expect(r.notes.join(' ')).toMatch(/"use-rates" and "intensity" are analysed as one group/);
  });
});

describe('a Latin hypercube over the whole run, however it is run', () => {
  it('gives the same figures in one run, in streaming chunks, on the worker pool and in a replay', async () => {
    const { simulateSummary, replayPath, summarize } = await import('../../src/index');
    const { simulateParallel } = await import('../../src/node/index');
    const s: ScenarioInput = {
      ...uncertain({}, { method: 'latinHypercube' }),
      paths: 60,
      seed: 3,
      strategies: [{ kind: 'frame' }],
    };
    const whole = simulate(s);
    const cost = (r: { figures: { actualCostKr: Float64Array } }) => Array.from(r.figures.actualCostKr);
    const pool = await simulateParallel(s, { threads: 2, minParallelPaths: 1, chunkSize: 7, summaryMode: 'exact' });
    expect(cost(pool.result as typeof whole)).toEqual(cost(whole));
    const chunked = simulateSummary(s, { chunkSize: 9 });
    const mean = (rows: ReturnType<typeof summarize>) =>
      rows.find((r) => r.year === 2026 && r.figure === 'actualCostKr')!.mean;
    expect(mean(summarize(chunked, { figures: ['actualCostKr'] }))).toBeCloseTo(
      mean(summarize(whole, { figures: ['actualCostKr'] })),
      6,
    );
    const replay = replayPath(s, 41);
    const y = whole.years.indexOf(2026);
    const at =
      ((0 * whole.services.length + whole.services.findIndex((v) => v.id === 'home-care')) * whole.years.length + y) *
        whole.pathCount +
      41;
    const replayed = replay.traces.find((t) => t.service === 'home-care')!;
    const yearCost = replayed.costKr.slice(12 * y, 12 * (y + 1)).reduce((a, b) => a + b, 0);
    expect(yearCost).toBeCloseTo(whole.figures.actualCostKr[at]!, 3);
  });
});
