import { describe, expect, it } from 'vitest';
import { figureValues, meanSd, metricValues, simulate, specialisedSchema, type ScenarioInput } from '../../src/index';
import { certainScenario } from '../fixtures';

/**
 * A §107 area like Hedensted's in 2015 (source document 002): 23.8 m kr, the five most
 * expensive citizens 5.6 m kr (24 %). About 30 cases at a median of 0.72 m kr a year.
 */
function hedenstedLike(over: Partial<NonNullable<ScenarioInput['specialised']>> = {}, paths = 300): ScenarioInput {
  return {
    ...certainScenario({ paths }),
    specialised: {
      casesAtStart: 30,
      inflowPerYear: 3,
      transitionsAt18PerYear: 0.6,
      exitPerYear: 0.12,
      costPerCase: { medianKr: 720_000, p95Kr: 1_150_000, tailShare: 0.01 },
      ...over,
    },
  };
}
const mean = (xs: Float64Array) => meanSd(xs).mean;
const cost = (r: ReturnType<typeof simulate>, year: number) =>
  mean(figureValues(r, { strategy: 'frame', service: 'specialised', year, figure: 'actualCostKr' }));

describe('specialised adult social area', () => {
  it('in the calibrated setting the five most expensive cases carry about a quarter of the cost', () => {
    const r = simulate(hedenstedLike());
    const share = mean(metricValues(r, { strategy: 'frame', year: 2024, metric: 'specialised.topFiveShare' }));
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.32);
    expect(cost(r, 2024) / 1e6 / 1.023).toBeGreaterThan(20);
    expect(cost(r, 2024) / 1e6 / 1.023).toBeLessThan(28);
  });

  it('a heavier tail makes the cost more uncertain and the top five carry more', () => {
    const light = simulate(hedenstedLike());
    const heavy = simulate(
      hedenstedLike({
        costPerCase: { medianKr: 720_000, p95Kr: 1_150_000, tailShare: 0.08, tailFromKr: 2_000_000, tailAlpha: 1.6 },
      }),
    );
    const sd = (r: ReturnType<typeof simulate>) =>
      meanSd(figureValues(r, { strategy: 'frame', service: 'specialised', year: 2026, figure: 'actualCostKr' })).sd /
      cost(r, 2026);
    expect(sd(heavy)).toBeGreaterThan(1.5 * sd(light));
    expect(
      mean(metricValues(heavy, { strategy: 'frame', year: 2026, metric: 'specialised.topFiveShare' })),
    ).toBeGreaterThan(mean(metricValues(light, { strategy: 'frame', year: 2026, metric: 'specialised.topFiveShare' })));
  });

  it('the specialised section checks alone: defaults filled, a bad cost named by its path', () => {
    expect(
      specialisedSchema.parse({
        casesAtStart: 10,
        inflowPerYear: 2,
        costPerCase: { medianKr: 600_000, p95Kr: 2_000_000 },
      }).exitPerYear,
    ).toBe(0.1);
    const bad = specialisedSchema.safeParse({
      casesAtStart: 10,
      inflowPerYear: 2,
      costPerCase: { medianKr: 600_000, p95Kr: 500_000 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['costPerCase.p95Kr']);
  });

  it('cases flow towards inflow / exit rate', () => {
    const r = simulate(hedenstedLike({ casesAtStart: 10 }));
    const cases = (y: number) => mean(metricValues(r, { strategy: 'frame', year: y, metric: 'specialised.cases' }));
    expect(cases(2034)).toBeGreaterThan(cases(2025));
    expect(cases(2034)).toBeLessThan(3.6 / 0.12);
    const inflow = mean(metricValues(r, { strategy: 'frame', year: 2030, metric: 'specialised.inflow' }));
    expect(inflow).toBeGreaterThan(3.2);
    expect(inflow).toBeLessThan(4.0);
  });

  it('own production 15 % cheaper lowers the cost by about the own share × 15 %; own places can stand empty', () => {
    const bought = simulate(hedenstedLike());
    const own = simulate(hedenstedLike({ ownShare: { '2024': 0.43, '2034': 0.5 }, ownDiscount: 0.15 }));
    const saving = 1 - cost(own, 2024) / cost(bought, 2024);
    expect(saving).toBeGreaterThan(0.04);
    expect(saving).toBeLessThan(0.09);
    const rising = mean(metricValues(own, { strategy: 'frame', year: 2034, metric: 'specialised.ownShare' }));
    expect(rising).toBeGreaterThan(
      mean(metricValues(own, { strategy: 'frame', year: 2024, metric: 'specialised.ownShare' })),
    );
    // Own places are planned on the expected cases: in paths with fewer cases they stand empty, and cost.
    const allOwn = simulate(hedenstedLike({ ownShare: { '2024': 1 }, inflowPerYear: 0, transitionsAt18PerYear: 0 }));
    const empty = metricValues(allOwn, { strategy: 'frame', year: 2034, metric: 'specialised.emptyOwnPlaces' });
    expect(mean(empty)).toBeGreaterThan(0.3);
    expect(Math.min(...empty)).toBeGreaterThanOrEqual(0);
  });

  it('price growth per case raises the cost beyond the index', () => {
    const flat = simulate(hedenstedLike());
    const growing = simulate(hedenstedLike({ priceGrowthPerYear: 0.05 }));
    expect(cost(growing, 2030) / cost(flat, 2030)).toBeCloseTo(Math.pow(1.05, 7), 1);
  });
});
