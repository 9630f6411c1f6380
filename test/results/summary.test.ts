import { describe as group, expect, it } from 'vitest';
import {
  compareStrategies,
  describe,
  expectedShortfallSorted,
  FIGURE_NAMES,
  figureValues,
  meanSd,
  quantileSorted,
  ResultError,
  simulate,
  summarize,
} from '../../src/index';
import { deepFreeze, lejreHomeCare } from '../fixtures';

group('statistics', () => {
  it('quantiles are type 7 (R and numpy default)', () => {
    const x = Float64Array.of(1, 2, 3, 4, 10);
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(10);
    expect(quantileSorted(x, 0.5)).toBe(3);
    expect(quantileSorted(x, 0.9)).toBeCloseTo(7.6, 12); // numpy.percentile([1,2,3,4,10], 90) = 7.6
    expect(quantileSorted(Float64Array.of(5), 0.3)).toBe(5);
    expect(() => quantileSorted(new Float64Array(0), 0.5)).toThrow(RangeError);
    expect(() => quantileSorted(x, 1.5)).toThrow(/\[0, 1\]/);
  });

  it('mean, sd, expected shortfall', () => {
    expect(meanSd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7) });
    expect(meanSd([3]).sd).toBe(0);
    expect(
      expectedShortfallSorted(
        Float64Array.from({ length: 10 }, (_, i) => i + 1),
        0.8,
      ),
    ).toBeCloseTo(9.5, 12);
  });

  it('describe gives exceedance probabilities with standard errors and does not mutate its input', () => {
    const values = deepFreeze([-2, -1, 0.5, 1, 3]);
    const d = describe(values, { thresholds: [0, 2], percentiles: [50] });
    expect(d.exceed[0]).toBe(0.6);
    expect(d.exceed[2]).toBe(0.2);
    expect(d.exceedMcse[0]).toBeCloseTo(Math.sqrt(0.24 / 5), 12);
    expect(d.percentiles[50]).toBe(0.5);
    expect(d.mcse).toBeCloseTo(d.sd / Math.sqrt(5), 12);
    expect(values).toEqual([-2, -1, 0.5, 1, 3]);
  });
});

group('summaries of a run', () => {
  const result = simulate({ ...lejreHomeCare(), paths: 400 });

  it('derive deviations from the recorded figures path by path', () => {
    const actual = figureValues(result, { strategy: 'frame', year: 2030, figure: 'actualCostKr' });
    const adopted = figureValues(result, { strategy: 'frame', year: 2030, figure: 'adoptedBudgetKr' });
    const final = figureValues(result, { strategy: 'frame', year: 2030, figure: 'finalBudgetKr' });
    const treasury = figureValues(result, { strategy: 'frame', year: 2030, figure: 'treasuryDeviationKr' });
    const provider = figureValues(result, { strategy: 'frame', year: 2030, figure: 'providerDeviationKr' });
    const pct = figureValues(result, { strategy: 'frame', year: 2030, figure: 'treasuryDeviationPct' });
    for (let i = 0; i < 400; i++) {
      expect(treasury[i]).toBeCloseTo(actual[i]! - adopted[i]!, 6);
      expect(provider[i]).toBeCloseTo(actual[i]! - final[i]!, 6);
      expect(pct[i]).toBeCloseTo((actual[i]! - adopted[i]!) / adopted[i]!, 12);
    }
  });

  it("split the overrun into the treasury's share and the provider's share, which add up path by path", () => {
    for (const strategy of ['frame', 'activity']) {
      const at = (figure: Parameters<typeof figureValues>[1]['figure']) =>
        figureValues(result, { strategy, year: 2031, figure });
      const [overrun, treasury, provider, adopted, final] = [
        at('treasuryDeviationKr'),
        at('treasuryShareKr'),
        at('providerDeviationKr'),
        at('adoptedBudgetKr'),
        at('finalBudgetKr'),
      ];
      const share = at('treasurySharePct');
      for (let i = 0; i < 400; i++) {
        expect(treasury[i]).toBe(final[i]! - adopted[i]!);
        expect(treasury[i]! + provider[i]!).toBeCloseTo(overrun[i]!, 4);
        expect(share[i]).toBeCloseTo(treasury[i]! / adopted[i]!, 12);
      }
    }
    // Under activity steering the budget follows the activity, so the treasury's share carries the
    // spread; under frame steering the budget stays, so the provider's share does.
    const sd = (s: string, f: 'treasuryShareKr' | 'providerDeviationKr') =>
      summarize(result, { figures: [f] }).find((r) => r.strategy === s && r.year === 2034)!.sd;
    expect(sd('activity', 'providerDeviationKr')).toBeLessThan(0.5 * sd('activity', 'treasuryShareKr'));
    expect(sd('frame', 'treasuryShareKr')).toBeLessThan(0.5 * sd('frame', 'providerDeviationKr'));
  });

  it('frame steering overspends more often than activity steering as the 80+ population grows', () => {
    const rows = summarize(result, { figures: ['treasuryDeviationPct'], thresholds: [0, 0.05] });
    const get = (s: string, y: number) => rows.find((r) => r.strategy === s && r.year === y)!;
    expect(get('frame', 2034).exceed[0.05]).toBeGreaterThan(0.95);
    expect(get('activity', 2034).exceed[0]).toBeGreaterThan(0.35);
    expect(get('activity', 2034).exceed[0]).toBeLessThan(0.65);
    expect(get('frame', 2034).percentiles[50]).toBeGreaterThan(get('frame', 2028).percentiles[50]!);
    expect(get('frame', 2034).expectedShortfall).toBeGreaterThan(get('frame', 2034).percentiles[95]!);
  });

  it('paired differences use the same paths', () => {
    const rows = compareStrategies(result, 'frame', 'activity', { figure: 'actualCostKr' });
    // Without a service squeeze both strategies buy the same care: their costs are identical.
    for (const r of rows) expect(Math.abs(r.mean)).toBeLessThan(1e-6);
    const dev = compareStrategies(result, 'frame', 'activity', { figure: 'providerDeviationKr' });
    expect(dev.at(-1)!.mean).toBeGreaterThan(0);
    expect(dev.at(-1)!.mcse).toBeLessThan(dev.at(-1)!.sd);
  });

  it('name what is missing', () => {
    expect(() =>
      figureValues(result, { strategy: 'hybrid', year: 2030, figure: 'actualCostKr' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ResultError: strategy "hybrid" is not in the result; expected one of "frame", "activity"]`,
    );
    expect(() => figureValues(result, { strategy: 'frame', year: 2040, figure: 'actualCostKr' })).toThrow(ResultError);
    expect(() =>
      figureValues(result, { strategy: 'frame', service: 'care-homes', year: 2030, figure: 'actualCostKr' }),
    ).toThrow(/service "care-homes"/);
  });

  it('refuse a figure name that is not a figure, however close to one (never another figure read instead)', () => {
    // A misspelt derived figure once matched by its name's parts: "…PCT" gave the kr figure.
    for (const figure of ['treasuryDeviationPCT', 'treasuryShare', 'providerDeviation', 'nope', ''])
      expect(() => figureValues(result, { strategy: 'frame', year: 2030, figure: figure as never })).toThrow(
        new RegExp(`figure "${figure}" is not a figure; expected one of "treasuryDeviationPct"`),
      );
    expect(() => summarize(result, { figures: ['treasuryDeviationPCT' as never] })).toThrow(ResultError);
    expect(() => compareStrategies(result, 'frame', 'activity', { figure: 'nope' as never })).toThrow(ResultError);
    // Every figure named in FIGURE_NAMES is read.
    for (const figure of FIGURE_NAMES)
      expect(figureValues(result, { strategy: 'frame', year: 2030, figure })).toHaveLength(result.pathCount);
  });

  it('refuse a threshold that is not a finite number', () => {
    expect(() => summarize(result, { thresholds: [NaN] })).toThrow('thresholds must be finite numbers; received NaN');
    expect(() => describe([1, 2], { thresholds: [0, Infinity] })).toThrow(/received Infinity/);
    expect(() => describe([1, 2], { thresholds: ['0' as never] })).toThrow(/finite numbers/);
  });
});
