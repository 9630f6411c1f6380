import { describe, expect, it } from 'vitest';
import { activity, figureValues, frame, simulate } from '../../src/index';
import { certainScenario } from '../fixtures';

describe('sanity facts with all uncertainty switched off', () => {
  const result = simulate(certainScenario());
  const at = (strategy: string, year: number, figure: Parameters<typeof figureValues>[1]['figure']) =>
    figureValues(result, { strategy, year, figure })[0]!;

  it('a frame uprated only by the price index is short by 1 − 1,605/2,499 of the 80+-driven cost in 2034', () => {
    const cost = at('frame', 2034, 'actualCostKr');
    const budget = at('frame', 2034, 'adoptedBudgetKr');
    expect((cost - budget) / cost).toBeCloseTo(1 - 1605 / 2499, 10);
    expect(1 - 1605 / 2499).toBeCloseTo(0.358, 3);
  });

  it('the frame deficit grows year by year with the 80+ population', () => {
    let previous = -Infinity;
    for (const year of result.years) {
      const dev = at('frame', year, 'treasuryDeviationPct');
      expect(dev).toBeGreaterThan(previous);
      previous = dev;
    }
  });

  it("activity steering: the provider's deviation is zero when the price equals the cost", () => {
    for (const year of result.years) {
      expect(Math.abs(at('activity', year, 'providerDeviationKr'))).toBeLessThan(1e-6);
    }
  });

  it('activity steering: the treasury pays the demand growth (budget 2034 / frame 2034 = 2,499 / 1,605)', () => {
    expect(at('activity', 2034, 'finalBudgetKr') / at('frame', 2034, 'finalBudgetKr')).toBeCloseTo(2499 / 1605, 10);
    // With a perfect forecast the adopted budget already holds the growth: no treasury deviation.
    expect(Math.abs(at('activity', 2034, 'treasuryDeviationPct'))).toBeLessThan(1e-12);
  });

  it('every path is the same when nothing is uncertain', () => {
    const v = figureValues(result, { strategy: 'frame', year: 2030, figure: 'actualCostKr' });
    expect(v[1]).toBe(v[0]);
    expect(v[2]).toBe(v[0]);
  });

  it('calibration: base-year cost per recipient is about 75,000 kr (3.2 h × 52 weeks × 470 kr × 95 %)', () => {
    const r = simulate(certainScenario({ horizonYears: 1 }), {
      strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } })],
    });
    const cost2024 = figureValues(r, { strategy: 'frame', year: 2024, figure: 'actualCostKr' })[0]!;
    const recipients = 1605 * Math.pow(2499 / 1605, 1 / 11) * 0.28;
    expect(cost2024 / recipients / 1.023).toBeGreaterThan(74_000);
    expect(cost2024 / recipients / 1.023).toBeLessThan(76_500);
  });

  it('a price set above cost gives the provider a surplus of exactly the margin', () => {
    const r = simulate(certainScenario(), { strategies: [activity({ pricePerUnitKr: 500 })] });
    const delivered = figureValues(r, { strategy: 'activity', year: 2024, figure: 'deliveredUnits' })[0]!;
    const dev = figureValues(r, { strategy: 'activity', year: 2024, figure: 'providerDeviationKr' })[0]!;
    // cost per delivered hour = 282 / 0.6 = 470 kr; price 500 kr; both uprated 2.3 %.
    expect(dev / delivered).toBeCloseTo(-(500 - 470) * 1.023, 6);
  });
});
