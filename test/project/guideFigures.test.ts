import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareStrategies,
  describe as stats,
  figureValues,
  lejre2034,
  metricValues,
  simulate,
  type Figure,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

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
    quoted(
      `falls short by a median of ${(100 * q('frame', 'care-homes', 2034, 'providerDeviationPct').percentiles[50]!).toFixed(0)} % of the frame in 2034`,
    );
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
