import { describe, expect, it } from 'vitest';
import {
  figureValues,
  meanSd,
  metricValues,
  replayPath,
  safeParseScenario,
  simulate,
  type ScenarioInput,
} from '../../src/index';
import { certainScenario } from '../fixtures';

type Iv = NonNullable<ScenarioInput['interventions']>[number];
const one = (
  r: ReturnType<typeof simulate>,
  service: string,
  year: number,
  figure: 'neededUnits' | 'orderedUnits' | 'actualCostKr',
) => figureValues(r, { strategy: 'frame', service, year, figure })[0]!;
const base = certainScenario({ strategies: [{ kind: 'frame', carryOver: { surplusCap: 0, deficitCap: 0 } }] });
const withIv = (...interventions: Iv[]): ScenarioInput => ({ ...base, interventions });

describe('interventions', () => {
  it('screen visits cut visited hours by the effect from their date on, and nothing before', () => {
    const a = simulate(base);
    const b = simulate(withIv({ id: 'screens', kind: 'screenVisits', from: '2028-01-01', rampMonths: 0, effect: 0.1 }));
    for (const year of [2024, 2025, 2026, 2027]) {
      expect(one(b, 'home-care', year, 'neededUnits')).toBe(one(a, 'home-care', year, 'neededUnits'));
      expect(one(b, 'home-care', year, 'actualCostKr')).toBe(one(a, 'home-care', year, 'actualCostKr'));
    }
    for (const year of [2028, 2031, 2034]) {
      expect(one(b, 'home-care', year, 'neededUnits') / one(a, 'home-care', year, 'neededUnits')).toBeCloseTo(0.9, 12);
      expect(one(b, 'home-care', year, 'actualCostKr') / one(a, 'home-care', year, 'actualCostKr')).toBeCloseTo(
        0.9,
        12,
      );
    }
  });

  it('ramps in linearly from a date inside a year, period by period', () => {
    const trace = (s: ScenarioInput) => replayPath(s, 0).traces[0]!.neededUnits;
    const a = trace(base);
    const b = trace(withIv({ id: 'rehab', kind: 'rehabilitation', from: '2026-07-01', rampMonths: 6, effect: 0.2 }));
    const july2026 = 30; // periods from January 2024
    for (let p = 0; p < july2026; p++) expect(b[p]).toBe(a[p]);
    const ratio = (p: number) => b[p]! / a[p]!;
    expect(ratio(july2026)).toBeLessThan(1);
    for (let p = july2026 + 1; p < july2026 + 6; p++) expect(ratio(p)).toBeLessThan(ratio(p - 1));
    expect(ratio(july2026 + 7)).toBeCloseTo(0.8, 12);
  });

  it('packages cut paid hours (cost), not the hours the citizens get', () => {
    const a = simulate(base);
    const b = simulate(withIv({ id: 'packages', kind: 'packages', from: '2025-01-01', rampMonths: 0, effect: 0.05 }));
    expect(one(b, 'home-care', 2030, 'neededUnits')).toBe(one(a, 'home-care', 2030, 'neededUnits'));
    expect(one(b, 'home-care', 2030, 'actualCostKr') / one(a, 'home-care', 2030, 'actualCostKr')).toBeCloseTo(0.95, 12);
  });

  it('an intervention costs what it costs, for the years given (0.5 m kr a year for two years)', () => {
    const a = simulate(withIv({ id: 'staff', kind: 'packages', from: '2026-01-01', rampMonths: 0, effect: 0 }));
    const b = simulate(
      withIv({
        id: 'staff',
        kind: 'packages',
        from: '2026-01-01',
        rampMonths: 0,
        effect: 0,
        costKrPerYear: 500_000,
        costYears: 2,
      }),
    );
    const extra = (y: number) => one(b, 'home-care', y, 'actualCostKr') - one(a, 'home-care', y, 'actualCostKr');
    expect(extra(2025)).toBe(0);
    expect(extra(2026)).toBeCloseTo(500_000 * 1.023 ** 3, 4);
    expect(extra(2027)).toBeCloseTo(500_000 * 1.023 ** 4, 4);
    expect(extra(2028)).toBe(0);
  });

  it('a savings plan lowers cost by the amounts times the share realised, drawn per path', () => {
    const amounts = { '2025': 19_000_000, '2026': 6_500_000, '2027': 13_100_000 };
    const a = simulate({ ...base, paths: 400 });
    const b = simulate({
      ...withIv({
        id: 'plan',
        kind: 'savingsPlan',
        from: '2025-01-01',
        amountsKr: amounts,
        effect: { dist: 'uniform', min: 0.5, max: 1 },
      }),
      paths: 400,
    });
    const diff = (y: number) => {
      const x = figureValues(a, { strategy: 'frame', service: 'home-care', year: y, figure: 'actualCostKr' });
      const z = figureValues(b, { strategy: 'frame', service: 'home-care', year: y, figure: 'actualCostKr' });
      return Float64Array.from(x, (v, i) => v - z[i]!);
    };
    const d2025 = meanSd(diff(2025));
    expect(d2025.mean / (19_000_000 * 1.023 ** 2)).toBeCloseTo(0.75, 1);
    expect(d2025.sd).toBeGreaterThan(1_000_000);
    expect(meanSd(diff(2028)).mean).toBe(0);
  });

  it('a flexible package delays care-home entry; more own production raises the own share', () => {
    const homes = { homes: [{ id: 'a', places: 60 }] };
    const spec = {
      casesAtStart: 30,
      inflowPerYear: 3,
      exitPerYear: 0.1,
      costPerCase: { medianKr: 720_000, p95Kr: 1_150_000 },
      ownShare: { '2024': 0.43 },
    };
    const s: ScenarioInput = { ...base, paths: 100, careHomes: homes, specialised: spec };
    const a = simulate(s);
    const b = simulate({
      ...s,
      interventions: [
        { id: 'flex', kind: 'flexiblePackage', from: '2027-01-01', rampMonths: 0, effect: 0.3 },
        { id: 'own', kind: 'ownProduction', from: '2027-01-01', rampMonths: 0, effect: 0.07 },
      ],
    });
    const m = (r: ReturnType<typeof simulate>, y: number, metric: string) =>
      meanSd(metricValues(r, { strategy: 'frame', year: y, metric })).mean;
    expect(m(b, 2026, 'care-homes.waiting')).toBe(m(a, 2026, 'care-homes.waiting'));
    expect(m(b, 2030, 'care-homes.waiting')).toBeLessThan(m(a, 2030, 'care-homes.waiting'));
    expect(m(b, 2026, 'specialised.ownShare')).toBe(m(a, 2026, 'specialised.ownShare'));
    expect(m(b, 2030, 'specialised.ownShare') - m(a, 2030, 'specialised.ownShare')).toBeGreaterThan(0.04);
  });

  it('rejects an intervention on a service the scenario does not have', () => {
    const r = safeParseScenario(
      withIv(
        { id: 'flex', kind: 'flexiblePackage', from: '2027-01-01' },
        { id: 'plan', kind: 'savingsPlan', from: '2027-01-01' },
      ),
    );
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.error.problems.map((p) => p.where)).toEqual(
        expect.arrayContaining(['interventions[0].kind', 'interventions[1].amountsKr']),
      );
  });
});
