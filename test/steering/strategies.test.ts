import { describe, expect, it } from 'vitest';
import {
  activity,
  demographicFrame,
  describe as stats,
  figureValues,
  frame,
  hybrid,
  lejre2034,
  meanSd,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { certainScenario } from '../fixtures';

const at = (
  r: ReturnType<typeof simulate>,
  strategy: string,
  year: number,
  figure: Parameters<typeof figureValues>[1]['figure'],
  service?: string,
) => figureValues(r, { strategy, year, figure, ...(service === undefined ? {} : { service }) });

describe('frame: carry-over and service response', () => {
  it('carries a deficit within its cap into next year, and nothing with caps of 0', () => {
    const r = simulate(certainScenario(), {
      strategies: [
        frame({ id: 'capped', carryOver: { surplusCap: 0.05, deficitCap: 0.02 } }),
        frame({ id: 'none', carryOver: { surplusCap: 0, deficitCap: 0 } }),
        frame({ id: 'free', carryOver: { surplusCap: null, deficitCap: null } }),
      ],
    });
    for (const year of r.years) {
      const adopted = at(r, 'capped', year, 'adoptedBudgetKr')[0]!;
      expect(at(r, 'capped', year, 'carryOverKr')[0]).toBeCloseTo(-0.02 * adopted, 4); // the deficit always exceeds 2 %
      expect(at(r, 'none', year, 'carryOverKr')[0]).toBe(0);
      expect(at(r, 'free', year, 'carryOverKr')[0]).toBeCloseTo(
        at(r, 'free', year, 'finalBudgetKr')[0]! - at(r, 'free', year, 'actualCostKr')[0]!,
        4,
      );
      if (year > r.years[0]!) {
        const carried = at(r, 'capped', year - 1, 'carryOverKr')[0]!;
        expect(at(r, 'capped', year, 'openingBudgetKr')[0]).toBeCloseTo(adopted + carried, 4);
      }
    }
  });

  it('political adjustments enter the frame in their year and stay in later frames', () => {
    const base = simulate(certainScenario(), { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } })] });
    const cut = simulate(certainScenario(), {
      strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 }, adjustmentsKr: { '2026': -2_000_000 } })],
    });
    expect(at(cut, 'frame', 2025, 'adoptedBudgetKr')[0]).toBe(at(base, 'frame', 2025, 'adoptedBudgetKr')[0]);
    expect(at(cut, 'frame', 2026, 'adoptedBudgetKr')[0]! - at(base, 'frame', 2026, 'adoptedBudgetKr')[0]!).toBeCloseTo(
      -2_000_000,
      2,
    );
    expect(at(cut, 'frame', 2027, 'adoptedBudgetKr')[0]! - at(base, 'frame', 2027, 'adoptedBudgetKr')[0]!).toBeCloseTo(
      -2_000_000 * 1.023,
      2,
    );
  });

  it('with a service response the unit tightens service, within its yearly limit, and overspends less', () => {
    const r = simulate(certainScenario(), {
      strategies: [
        frame({ id: 'overspend', carryOver: { surplusCap: 0, deficitCap: 0 } }),
        frame({
          id: 'squeeze',
          carryOver: { surplusCap: 0, deficitCap: 0 },
          serviceResponse: { threshold: 0.01, maxCutPerYear: 0.03, minLevel: 0.8 },
        }),
      ],
    });
    let previousGap = 0;
    for (const year of r.years) {
      expect(at(r, 'overspend', year, 'serviceGapShare')[0]).toBe(0);
      const gap = at(r, 'squeeze', year, 'serviceGapShare')[0]!;
      expect(gap).toBeGreaterThanOrEqual(previousGap - 1e-12);
      expect(gap).toBeLessThanOrEqual(0.2 + 1e-12);
      previousGap = gap;
      expect(at(r, 'squeeze', year, 'treasuryDeviationKr')[0]).toBeLessThan(
        at(r, 'overspend', year, 'treasuryDeviationKr')[0]!,
      );
    }
    expect(previousGap).toBeGreaterThan(0.15);
    // In the first year at most 3 % of the level can go, and only after the first follow-up.
    expect(at(r, 'squeeze', 2024, 'serviceGapShare')[0]).toBeLessThanOrEqual(0.03);
    expect(at(r, 'squeeze', 2024, 'serviceGapShare')[0]).toBeGreaterThan(0);
  });

  it('reproduces the national pattern: more recipients in absolute numbers, less care per old citizen', () => {
    const r = simulate(certainScenario(), {
      strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 }, serviceResponse: { maxCutPerYear: 0.02 } })],
    });
    const d2024 = at(r, 'frame', 2024, 'deliveredUnits')[0]!;
    const d2034 = at(r, 'frame', 2034, 'deliveredUnits')[0]!;
    expect(d2034).toBeGreaterThan(d2024); // more care in absolute terms
    expect(d2034 / 2499).toBeLessThan(d2024 / (1605 * Math.pow(2499 / 1605, 1 / 11))); // less per citizen
  });
});

describe('demographic frame', () => {
  it('with no uncertainty it funds the demand growth exactly (in years of equal length)', () => {
    const r = simulate(certainScenario(), {
      strategies: [demographicFrame({ carryOver: { surplusCap: 0, deficitCap: 0 } })],
    });
    for (const year of [2025, 2026, 2027, 2029, 2030, 2031, 2033, 2034]) {
      expect(Math.abs(at(r, 'demographic-frame', year, 'treasuryDeviationPct')[0]!)).toBeLessThan(1e-9);
    }
    // A leap year costs one day more than the frame, sized for 365 days.
    expect(at(r, 'demographic-frame', 2028, 'treasuryDeviationPct')[0]).toBeCloseTo(1 / 365, 9);
  });

  it('a healthy-ageing discount on the increments funds less than the demand growth, more so every year', () => {
    const r = simulate(certainScenario(), {
      strategies: [demographicFrame({ carryOver: { surplusCap: 0, deficitCap: 0 }, healthyAgeingPerYear: 0.01 })],
    });
    // Only the increments are discounted: ΣΔN·u·(1 − (0.99)^y) over the years, about 2 % of the 2034 cost.
    expect(at(r, 'demographic-frame', 2034, 'treasuryDeviationPct')[0]).toBeGreaterThan(0.015);
    expect(at(r, 'demographic-frame', 2034, 'treasuryDeviationPct')[0]).toBeGreaterThan(
      at(r, 'demographic-frame', 2030, 'treasuryDeviationPct')[0]!,
    );
  });

  it('ex-post correction moves the projection error from the provider to the treasury', () => {
    const uncertain: ScenarioInput = certainScenario({
      paths: 600,
      population: {
        groups: [
          {
            id: '80+',
            start: 1605,
            target: { year: 2034, value: 2499 },
            errorGrowthSdPerYear: 0.01,
            errorNoiseSdPerYear: 0.004,
          },
        ],
      },
    });
    const r = simulate(uncertain, {
      strategies: [
        demographicFrame({ id: 'ex-ante', carryOver: { surplusCap: 0, deficitCap: 0 } }),
        demographicFrame({ id: 'same', expost: 'same', carryOver: { surplusCap: 0, deficitCap: 0 } }),
        demographicFrame({ id: 'next', expost: 'next', carryOver: { surplusCap: 0, deficitCap: 0 } }),
      ],
    });
    const sd = (s: string, f: 'providerDeviationPct' | 'treasuryDeviationPct') => meanSd(at(r, s, 2034, f)).sd;
    expect(sd('ex-ante', 'providerDeviationPct')).toBeGreaterThan(0.03);
    expect(sd('same', 'providerDeviationPct')).toBeLessThan(1e-9);
    expect(sd('same', 'treasuryDeviationPct')).toBeCloseTo(sd('ex-ante', 'treasuryDeviationPct'), 12);
    // Corrected a year late, the provider carries only the change in the error from one year to the next.
    expect(sd('next', 'providerDeviationPct')).toBeLessThan(sd('ex-ante', 'providerDeviationPct') / 2);
  });
});

describe('activity steering: the price trap and year-end correction', () => {
  it('a price model assuming 74 % user time when it is 60 % gives the provider a deficit of 1 − 0.60/0.74 of cost', () => {
    const s = certainScenario();
    const r = simulate(
      { ...s, homeCare: { ...s.homeCare!, assumedUserTimeShare: 0.74 } },
      { strategies: [activity(), activity({ id: 'corrected', priceCorrection: 1 })] },
    );
    for (const year of r.years) {
      const cost = at(r, 'activity', year, 'actualCostKr')[0]!;
      expect(at(r, 'activity', year, 'providerDeviationKr')[0]! / cost).toBeCloseTo(1 - 0.6 / 0.74, 9);
      expect(Math.abs(at(r, 'corrected', year, 'providerDeviationKr')[0]!)).toBeLessThan(1e-6);
    }
  });

  it('paying for ordered rather than delivered hours moves the cold-hours risk to the treasury', () => {
    const r = simulate(
      { ...lejre2034(), paths: 300 },
      { strategies: [activity(), activity({ id: 'ordered', basis: 'ordered' })] },
    );
    const delivered = stats(at(r, 'activity', 2030, 'providerDeviationPct'));
    const ordered = stats(at(r, 'ordered', 2030, 'providerDeviationPct'));
    expect(ordered.sd).toBeGreaterThan(delivered.sd);
  });
});

describe('hybrid', () => {
  it('outside the corridor at marginal rate 1 the provider is funded like activity steering', () => {
    const r = simulate(certainScenario(), {
      strategies: [
        hybrid({ marginalRate: 1, carryOver: { surplusCap: 0, deficitCap: 0 } }),
        frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }),
      ],
    });
    for (const year of r.years.slice(1)) {
      expect(Math.abs(at(r, 'hybrid', year, 'providerDeviationPct')[0]!)).toBeLessThan(1e-9);
      expect(at(r, 'hybrid', year, 'treasuryDeviationKr')[0]).toBeCloseTo(
        at(r, 'frame', year, 'treasuryDeviationKr')[0]!,
        2,
      );
    }
  });

  it('at marginal rate m the provider keeps (1 − m) of the regulated deviation; inside the corridor nothing moves', () => {
    const r = simulate(certainScenario(), {
      strategies: [
        hybrid({ marginalRate: 0.7, carryOver: { surplusCap: 0, deficitCap: 0 } }),
        hybrid({ id: 'wide', corridor: 0.9, carryOver: { surplusCap: 0, deficitCap: 0 } }),
      ],
    });
    const y = 2030;
    const treasury = at(r, 'hybrid', y, 'treasuryDeviationKr')[0]!;
    expect(at(r, 'hybrid', y, 'providerDeviationKr')[0]).toBeCloseTo(0.3 * treasury, 2);
    expect(at(r, 'wide', y, 'finalBudgetKr')[0]).toBe(at(r, 'wide', y, 'adoptedBudgetKr')[0]);
  });

  it('regulating only the excess beyond the corridor pays less than regulating the full deviation', () => {
    const r = simulate(certainScenario(), {
      strategies: [
        hybrid({ id: 'full', carryOver: { surplusCap: 0, deficitCap: 0 } }),
        hybrid({ id: 'excess', regulate: 'excess', carryOver: { surplusCap: 0, deficitCap: 0 } }),
      ],
    });
    const full = at(r, 'full', 2030, 'finalBudgetKr')[0]! - at(r, 'full', 2030, 'adoptedBudgetKr')[0]!;
    const excess = at(r, 'excess', 2030, 'finalBudgetKr')[0]! - at(r, 'excess', 2030, 'adoptedBudgetKr')[0]!;
    expect(excess).toBeGreaterThan(0);
    expect(excess).toBeLessThan(full);
  });

  it("next-year mode with m = 1 sets next year's frame to this year's activity (as known in October) × price", () => {
    const r = simulate(certainScenario(), {
      strategies: [
        hybrid({ mode: 'nextYear', marginalRate: 1, carryOver: { surplusCap: 0, deficitCap: 0 } }),
        activity(),
      ],
    });
    for (const year of r.years.slice(1)) {
      // This year's activity, known to September and annualised, priced at next year's price.
      const lastYearCost = at(r, 'activity', year - 1, 'actualCostKr')[0]!;
      expect(at(r, 'hybrid-next-year', year, 'adoptedBudgetKr')[0]! / (lastYearCost * 1.023)).toBeCloseTo(1, 2);
      expect(at(r, 'hybrid-next-year', year, 'finalBudgetKr')[0]).toBe(
        at(r, 'hybrid-next-year', year, 'adoptedBudgetKr')[0],
      );
    }
  });
});

describe('units', () => {
  const units = (k: number): ScenarioInput => {
    const s = certainScenario({ paths: 3000 });
    return {
      ...s,
      homeCare: {
        ...s.homeCare!,
        recipientNoise: true,
        individualHoursCv: 1.2,
        ...(k > 1 ? { units: Array.from({ length: k }, (_, i) => ({ id: `d${i}`, populationShare: 1 / k })) } : {}),
      },
    };
  };

  it('each unit has its own budget, and deviations add up across units', () => {
    const r = simulate(units(4), { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }), activity()] });
    expect(r.services.map((s) => s.id)).toEqual(['home-care:d0', 'home-care:d1', 'home-care:d2', 'home-care:d3']);
    for (const strategy of ['frame', 'activity']) {
      const pooled = at(r, strategy, 2030, 'treasuryDeviationKr', 'home-care');
      const parts = [0, 1, 2, 3].map((i) => at(r, strategy, 2030, 'treasuryDeviationKr', `home-care:d${i}`));
      for (let i = 0; i < 50; i++)
        expect(pooled[i]).toBeCloseTo(
          parts.reduce((a, p) => a + p[i]!, 0),
          3,
        );
    }
  });

  it('relative deviation shrinks with the square root of unit size when cases are independent', () => {
    const r = simulate(units(4), { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } })] });
    const unitSd = meanSd(at(r, 'frame', 2024, 'treasuryDeviationPct', 'home-care:d0')).sd;
    const pooledSd = meanSd(at(r, 'frame', 2024, 'treasuryDeviationPct', 'home-care')).sd;
    expect(unitSd / pooledSd).toBeGreaterThan(1.8);
    expect(unitSd / pooledSd).toBeLessThan(2.2);
    // ... and the whole, simulated as one unit, has the pooled spread.
    const whole = simulate(units(1), { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } })] });
    expect(meanSd(at(whole, 'frame', 2024, 'treasuryDeviationPct')).sd / pooledSd).toBeCloseTo(1, 1);
  });
});
