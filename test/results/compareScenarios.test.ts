import { describe, expect, it } from 'vitest';
import {
  compareScenarios,
  figureValues,
  lejre2034,
  meanSd,
  OptionError,
  quantileSorted,
  ScenarioError,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { pairedRow } from '../../src/results/compareScenarios';
import { lejreHomeCare } from '../fixtures';

/** Lejre's home care over four years: small enough to run twice in a test. */
const base = (): ScenarioInput => ({ ...lejreHomeCare(), horizonYears: 4, paths: 120 });
const screens = (): ScenarioInput => ({
  ...base(),
  name: 'lejre-screens',
  interventions: [
    {
      id: 'screens',
      kind: 'screenVisits',
      from: '2025-01-01',
      rampMonths: 6,
      effect: { dist: 'pert', min: 0.02, mode: 0.05, max: 0.08 },
      costKrPerYear: 400_000,
    },
  ],
});

function thrown(f: () => unknown): OptionError {
  try {
    f();
  } catch (e) {
    return e as OptionError;
  }
  throw new Error('expected an error');
}

describe('compareScenarios', () => {
  const comparison = compareScenarios(base(), screens());

  it('is variant − base path by path, as two runs of simulate give it', () => {
    const a = simulate(base());
    const b = simulate(screens());
    expect(comparison.rows).toHaveLength(2 * 3 * 4);
    expect(comparison.figures).toEqual(['treasuryDeviationKr', 'actualCostKr', 'providerDeviationKr']);
    expect(comparison.strategies.map((s) => s.id)).toEqual(['frame', 'activity']);
    for (const r of comparison.rows) {
      const x = figureValues(a, { strategy: r.strategy, year: r.year, figure: r.figure });
      const y = figureValues(b, { strategy: r.strategy, year: r.year, figure: r.figure });
      const d = Float64Array.from(x, (v, i) => y[i]! - v);
      const { mean, sd } = meanSd(d);
      const sorted = d.slice().sort();
      expect(r.n).toBe(120);
      expect(r.mean).toBe(mean);
      expect(r.sd).toBe(sd);
      expect(r.mcse).toBe(sd / Math.sqrt(120));
      expect([r.p5, r.p25, r.p50, r.p75, r.p95]).toEqual(
        [0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantileSorted(sorted, p)),
      );
      expect([r.min, r.max]).toEqual([sorted[0], sorted[119]]);
      expect(r.pVariantGreater).toBe(d.filter((v) => v > 0).length / 120);
      expect(r.pVariantLower).toBe(d.filter((v) => v < 0).length / 120);
      expect(r.baseMean).toBe(meanSd(x).mean);
      expect(r.variantMean).toBe(meanSd(y).mean);
      expect(r.independentSd).toBeCloseTo(Math.hypot(meanSd(x).sd, meanSd(y).sd), 6);
    }
  });

  it('finds the change and the pairing that measures it', () => {
    // Nothing acts before 2025: every path the same in 2024.
    for (const r of comparison.rows.filter((x) => x.year === 2024)) {
      expect([r.min, r.max, r.sd]).toEqual([0, 0, 0]);
    }
    const cost = comparison.rows.find((r) => r.strategy === 'frame' && r.figure === 'actualCostKr' && r.year === 2027)!;
    // Fewer visited hours cost less on every path, net of the screens' own cost.
    expect(cost.max).toBeLessThan(0);
    expect(cost.pVariantLower).toBe(1);
    // The same futures with and without: the paired spread is a small part of two independent runs'.
    expect(cost.sd).toBeLessThan(cost.independentSd / 5);
    expect(cost.varianceReduction).toBeGreaterThan(0.95);
    expect(comparison.differences).toEqual(['interventions']);
  });

  it('gives exactly 0 on every path for a scenario compared with itself', () => {
    const self = compareScenarios(lejre2034(), lejre2034(), { paths: 40, figures: ['treasuryDeviationKr'] });
    expect(self.rows).toHaveLength(2 * 11);
    for (const r of self.rows) {
      expect([r.min, r.max, r.mean, r.sd, r.p5, r.p95, r.pVariantGreater, r.pVariantLower]).toEqual([
        0, 0, 0, 0, 0, 0, 0, 0,
      ]);
      expect(r.baseMean).toBe(r.variantMean);
      expect(r.varianceReduction).toBe(1);
    }
    expect(self.differences).toEqual([]);
  });

  it('runs a strategy the same alone as beside others', () => {
    const alone = compareScenarios(base(), screens(), { strategies: ['activity'] });
    expect(alone.rows).toEqual(comparison.rows.filter((r) => r.strategy === 'activity'));
  });

  it('summarises by the formulas: MCSE = sd / √n, the independent sd √(var a + var b)', () => {
    const r = pairedRow([0, 0, 0, 0], [1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(r.mcse).toBeCloseTo(Math.sqrt(5 / 3) / 2, 14);
    expect(r.independentSd).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(r.varianceReduction).toBeCloseTo(0, 14);
    expect([r.pVariantGreater, r.pVariantLower, r.p50, r.min, r.max]).toEqual([1, 0, 2.5, 1, 4]);
    // Perfectly paired: a constant shift has no spread at all.
    const shift = pairedRow([1, 5, 2, 8], [2, 6, 3, 9]);
    expect([shift.sd, shift.mcse, shift.varianceReduction]).toEqual([0, 0, 1]);
    expect(shift.independentSd).toBeCloseTo(Math.sqrt(2) * meanSd([1, 5, 2, 8]).sd, 12);
  });

  it('runs both with the seed and paths given, where the scenarios differ', () => {
    const c = compareScenarios(
      { ...base(), seed: 1, paths: 30 },
      { ...screens(), seed: 2, paths: 50 },
      {
        seed: 9,
        paths: 20,
        strategies: ['frame'],
        figures: ['actualCostKr'],
      },
    );
    expect([c.seed, c.paths]).toEqual([9, 20]);
    const a = simulate({ ...base(), seed: 9, paths: 20 });
    expect(c.rows[0]!.baseMean).toBe(
      meanSd(figureValues(a, { strategy: 'frame', year: 2024, figure: 'actualCostKr' })).mean,
    );
  });

  it('compares one service and any figure', () => {
    const c = compareScenarios(base(), screens(), {
      service: 'home-care',
      figures: ['deliveredUnits'],
      strategies: ['frame'],
      paths: 30,
    });
    expect(c.service).toBe('home-care');
    expect(c.rows.find((r) => r.year === 2027)!.p95).toBeLessThan(0);
  });

  describe('refuses scenarios it cannot pair, naming both values', () => {
    const cases: [string, Partial<ScenarioInput>, RegExp][] = [
      ['baseYear', { baseYear: 2022 }, /base year is 2023 in the base and 2022 in the variant/],
      ['horizonYears', { horizonYears: 5 }, /horizon is 4 years in the base and 5 years in the variant/],
      ['step', { step: 'quarter' }, /step is month in the base and quarter in the variant/],
      ['seed', { seed: 'other' }, /seed is 2034 in the base and "other" in the variant; .*pass seed/],
      ['paths', { paths: 121 }, /number of paths is 120 in the base and 121 in the variant/],
    ];
    for (const [option, change, message] of cases)
      it(option, () => {
        const e = thrown(() => compareScenarios(base(), { ...base(), ...change }));
        expect(e).toBeInstanceOf(OptionError);
        expect(e.code).toBe('INVALID_OPTION');
        expect(e.option).toBe(option);
        expect(e.message).toMatch(/^compareScenarios: the scenarios cannot be paired: /);
        expect(e.message).toMatch(message);
        expect(e.received).toEqual({
          base: (base() as Record<string, unknown>)[option] ?? 'month',
          variant: (change as Record<string, unknown>)[option],
        });
      });

    it('a strategy one of them does not have', () => {
      const variant = { ...base(), strategies: [{ kind: 'frame' as const }, { kind: 'hybrid' as const }] };
      const e = thrown(() => compareScenarios(base(), variant, { strategies: ['activity'] }));
      expect(e.option).toBe('strategies');
      expect(e.message).toMatch(
        /strategy "activity" is not in the variant: the base has "frame", "activity", the variant "frame", "hybrid"/,
      );
      expect(thrown(() => compareScenarios(base(), variant, { strategies: ['hybrid'] })).message).toMatch(
        /"hybrid" is not in the base/,
      );
      const none = { ...base(), strategies: [{ kind: 'hybrid' as const }] };
      expect(thrown(() => compareScenarios(base(), none)).message).toMatch(
        /no strategy in common: the base has "frame", "activity", the variant "hybrid"/,
      );
      // The strategies both name are the default.
      expect(compareScenarios(base(), { ...variant, paths: 120 }, { paths: 5 }).strategies.map((s) => s.id)).toEqual([
        'frame',
      ]);
    });

    it('a service either lacks, an unknown figure', () => {
      const e = thrown(() => compareScenarios(base(), base(), { service: 'care-homes' }));
      expect(e.option).toBe('service');
      expect(e.message).toMatch(
        /"care-homes" is not a service of both scenarios; expected "total" or one of "home-care"/,
      );
      const f = thrown(() => compareScenarios(base(), base(), { figures: ['overrun' as never] }));
      expect(f.option).toBe('figures');
      expect(f.message).toMatch(/unknown figure "overrun"; expected one of treasuryDeviationKr/);
    });

    it('a scenario that does not parse', () => {
      expect(() => compareScenarios(base(), { ...base(), horizonYears: 0 })).toThrow(ScenarioError);
    });
  });
});
