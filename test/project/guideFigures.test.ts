import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activity,
  compareStrategies,
  describe as stats,
  figureValues,
  lejre2034,
  metricValues,
  simulate,
  slagelseHomeCare,
  type Figure,
  type ScenarioInput,
} from '../../src/index';
import { certainScenario, fourCareLevels, lejreHomeCare } from '../fixtures';

/** The figures the guide quotes from the demo's run are the ones the demo's run gives. */
describe("the guide's reading of the demo", () => {
  const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'guide.md'), 'utf8').replace(/\s+/g, ' ');
  const r = simulate(lejre2034());
  const q = (strategy: string, service: string, year: number, figure: Figure) =>
    stats(figureValues(r, { strategy, service, year, figure }), { percentiles: [5, 50, 95] });
  /** A share as the guide writes it: signed, except a value that rounds to zero. */
  const pct = (x: number, digits = 1) => {
    const shown = Math.abs(x * 100).toFixed(digits);
    return `${Number(shown) === 0 ? '' : x < 0 ? '−' : '+'}${shown} %`;
  };
  const quoted = (text: string) => expect(guide, `the guide quotes "${text}"`).toContain(text);

  it('home care under frame and activity steering', () => {
    const frame24 = q('frame', 'home-care', 2024, 'treasuryDeviationPct');
    const frame34 = q('frame', 'home-care', 2034, 'treasuryDeviationPct');
    quoted(`from ${pct(frame24.percentiles[50]!)} of the frame in 2024 to ${pct(frame34.percentiles[50]!)} in 2034`);
    quoted(`(90 % interval ${pct(frame34.percentiles[5]!, 0)} to ${pct(frame34.percentiles[95]!, 0)})`);
    const provider = q('activity', 'home-care', 2034, 'providerDeviationPct');
    quoted(`P5 to P95 ${pct(provider.percentiles[5]!)} to ${pct(provider.percentiles[95]!)} in 2034`);
    const treasury = q('activity', 'home-care', 2034, 'treasuryDeviationPct');
    quoted(
      `${pct(treasury.percentiles[50]!)} median in 2034, ${pct(treasury.percentiles[5]!, 0)} to ${pct(treasury.percentiles[95]!, 0)}`,
    );
  });

  it('home care without the care homes', () => {
    const alone = simulate(lejreHomeCare());
    const median = stats(
      figureValues(alone, { strategy: 'frame', service: 'home-care', year: 2034, figure: 'treasuryDeviationPct' }),
      { percentiles: [50] },
    ).percentiles[50]!;
    quoted(
      `the 2034 median is ${pct(median, 0)} of the frame, that is ${(100 * (median / (1 + median))).toFixed(1)} % of the cost`,
    );
  });

  it('care homes', () => {
    const waiting = (year: number) =>
      stats(metricValues(r, { strategy: 'frame', year, metric: 'care-homes.waiting' }), {
        percentiles: [50],
      }).percentiles[50]!.toFixed(0);
    quoted(`the waiting list grows from a median of ${waiting(2024)} in 2024 to ${waiting(2034)} in 2034`);
    const breaches = stats(
      metricValues(r, { strategy: 'frame', year: 2034, metric: 'care-homes.guaranteeBreaches' }),
    ).mean.toFixed(0);
    quoted(`and ${breaches} citizens a year are placed externally`);
    // The shortfall under frame steering: the provider's deviation and the treasury's, which differ by the carry-over.
    const provider34 = q('frame', 'care-homes', 2034, 'providerDeviationPct').percentiles[50]!;
    const treasury34 = q('frame', 'care-homes', 2034, 'treasuryDeviationPct').percentiles[50]!;
    quoted(
      `in 2034 the provider's deviation (actual cost − final budget) has a median of ${(100 * provider34).toFixed(1)} % of the adopted frame, the treasury's (actual cost − adopted budget) a median of ${(100 * treasury34).toFixed(1)} %`,
    );
    const adopted = figureValues(r, {
      strategy: 'frame',
      service: 'care-homes',
      year: 2034,
      figure: 'adoptedBudgetKr',
    });
    const carried = stats(
      figureValues(r, { strategy: 'frame', service: 'care-homes', year: 2034, figure: 'finalBudgetKr' }).map(
        (x, i) => x / adopted[i]! - 1,
      ),
      { percentiles: [0, 50, 100] },
    );
    // The final budget lies below the adopted one by the deficit carried over (at most 2 % of the
    // frame), above it by a surplus carried over (at most 5 %).
    expect(carried.percentiles[0]).toBeGreaterThanOrEqual(-0.02 - 1e-12);
    expect(carried.percentiles[100]).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(carried.percentiles[50]).toBeLessThan(-0.015);
    expect(provider34 - treasury34).toBeCloseTo(-carried.percentiles[50]!, 2);
    const provider = q('activity', 'care-homes', 2034, 'providerDeviationPct');
    quoted(
      `(provider deviation ${pct(provider.percentiles[5]!)} to ${pct(provider.percentiles[95]!)}, median ${pct(provider.percentiles[50]!)} in 2034)`,
    );
    const treasury = q('activity', 'care-homes', 2034, 'treasuryDeviationPct');
    quoted(
      `the treasury carries the external placements (${pct(treasury.percentiles[5]!, 0)} to ${pct(treasury.percentiles[95]!, 0)} of the adopted budget)`,
    );
  });

  it('the paired difference', () => {
    const d = compareStrategies(r, 'frame', 'activity', { figure: 'providerDeviationKr' }).find(
      (x) => x.year === 2034,
    )!;
    quoted(`is ${(d.mean / 1e6).toFixed(1)} m kr (Monte Carlo standard error ${(d.mcse / 1e6).toFixed(2)} m kr)`);
  });
});

/** Payment per citizen and level pays what hourly activity steering pays only under the conditions the docs name. */
describe('payment per citizen equals hourly payment', () => {
  const docs = ['guide.md', 'holistic-care.md'].map((name) =>
    readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8').replace(/\s+/g, ' '),
  );
  const one = { levels: [{ id: 'all', hoursPerWeek: 3.2 }], shares: { '80+': [1] }, transitions: [[1]] };
  const four = fourCareLevels();
  /** The largest relative difference of the final budgets, per citizen against hourly, over years and paths. */
  const gap = (homeCare: Record<string, unknown>, overrides: Partial<ScenarioInput> = {}) => {
    const base = certainScenario({ paths: 4, horizonYears: 4, ...overrides });
    const r = simulate(
      { ...base, homeCare: { ...base.homeCare!, recipientNoise: true, ...homeCare } },
      { strategies: [activity(), activity({ id: 'per-citizen', unit: 'citizen-days' })] },
    );
    let worst = 0;
    for (const year of r.years) {
      const a = figureValues(r, { strategy: 'activity', service: 'home-care', year, figure: 'finalBudgetKr' });
      const b = figureValues(r, { strategy: 'per-citizen', service: 'home-care', year, figure: 'finalBudgetKr' });
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(b[i]! / a[i]! - 1));
    }
    return worst;
  };

  it('with certain hours for every level, a certain undelivered share, no hours noise and no waiting list', () => {
    for (const doc of docs) expect(doc.includes('a certain `undeliveredShare`, `individualHoursCv: 0`')).toBe(true);
    // Recipient noise and a drawn mix of several levels leave the identity: the conditions are the hours'.
    expect(gap({ careLevels: one })).toBeLessThan(1e-12);
    expect(gap({ careLevels: four })).toBeLessThan(1e-12);
    // Each condition is needed.
    const uncertainHours = { ...one, levels: [{ id: 'all', hoursPerWeek: { dist: 'uniform', min: 2.8, max: 3.6 } }] };
    expect(gap({ careLevels: uncertainHours })).toBeGreaterThan(1e-3);
    expect(gap({ careLevels: one, undeliveredShare: { dist: 'uniform', min: 0.03, max: 0.07 } })).toBeGreaterThan(1e-3);
    expect(gap({ careLevels: one, individualHoursCv: 1.2 })).toBeGreaterThan(1e-3);
    const careHomes = {
      homes: [{ id: 'a', places: 20, occupiedAtStart: 1 }],
      applicantsPerCitizenPerYear: 0.01,
      baselinePaths: 5,
    };
    expect(gap({ careLevels: one }, { careHomes } as Partial<ScenarioInput>)).toBeGreaterThan(1e-3);
  });
});

/** The back-payment that docs/holistic-care.md quotes for 2028 is the one paid in 2028 for 2027. */
describe("the reading of Slagelse's back-payment", () => {
  it('the metric of 2028 holds what is paid in January 2028 for 2027', () => {
    const input = slagelseHomeCare();
    const holistic = readFileSync(join(__dirname, '..', '..', 'docs', 'holistic-care.md'), 'utf8').replace(/\s+/g, ' ');
    // Only the activity strategy (adding or leaving out strategies moves no other strategy's numbers).
    const strategies = input.strategies!.filter((x) => x.kind === 'activity');
    const r = simulate({ ...input, strategies });
    const paid = (result: typeof r, year: number) => {
      const a = metricValues(result, { strategy: 'activity', year, metric: 'home-care:private.backPaymentKr' });
      const b = metricValues(result, { strategy: 'activity', year, metric: 'home-care:antvorskov.backPaymentKr' });
      return Array.from(a, (x, i) => x + b[i]!);
    };
    const bp = paid(r, 2028);
    const mean = bp.reduce((x, y) => x + y, 0) / bp.length;
    const p95 = stats(bp, { percentiles: [95] }).percentiles[95]!;
    expect(
      holistic.includes(
        `a back-payment for 2027 in January 2028: on average ${(mean / 1e6).toFixed(2)} m kr (P95 ${(p95 / 1e6).toFixed(2)} m kr)`,
      ),
    ).toBe(true);
    // It is the amount for 2027: the same paths with the back-payment booked in the year it concerns record it in 2027.
    const sameYear = simulate(
      {
        ...input,
        strategies,
        paths: 40,
        homeCare: { ...input.homeCare!, providers: { ...input.homeCare!.providers!, backPayment: 'same-year' } },
      },
      {},
    );
    const nextYear = simulate({ ...input, strategies, paths: 40 });
    const due2027 = paid(sameYear, 2027);
    const paid2028 = paid(nextYear, 2028);
    expect(due2027.some((x) => x > 0)).toBe(true);
    for (let i = 0; i < 40; i++) expect(paid2028[i]).toBeCloseTo(due2027[i]!, 3);
    expect(paid2028.slice(0, 40)).toEqual(bp.slice(0, 40));
  });
});
