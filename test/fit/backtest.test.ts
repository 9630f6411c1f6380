import { describe, expect, it } from 'vitest';
import alea from 'seedrandom/lib/alea.js';
import { backtest } from '../../src/fit/backtest';
import type { HomeCareHistory } from '../../src/scenario/series';
import { normalQuantile } from '../../src/random/special';

/**
 * A history as the model makes it: two groups whose population grows, recipients a Poisson-like
 * count around rate × (1 + trend)^t × a year's lognormal noise, hours per recipient with a trend
 * and the model's spread between recipients; `breakAt` changes the trend from that year on.
 */
function history(seed: string, options: { breakAt?: number; after?: number } = {}): HomeCareHistory {
  const rng = alea(seed);
  const z = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng())));
  const population: Record<string, Record<string, number>> = { '67-79': {}, '80+': {} };
  const recipients: Record<string, Record<string, number>> = { '67-79': {}, '80+': {} };
  const hours: Record<string, Record<string, number>> = { total: {} };
  const sigma = 0.03;
  let level = 0;
  for (let t = 0; t <= 13; t++) {
    const year = 2010 + t;
    const trend = options.breakAt !== undefined && year > options.breakAt ? options.after! : -0.015;
    level += Math.log(1 + trend);
    const noise = Math.exp(sigma * z() - (sigma * sigma) / 2);
    let total = 0;
    let h = 0;
    for (const [g, n0, r0, h0] of [
      ['67-79', 3500, 0.07, 3.0],
      ['80+', 1100, 0.33, 3.8],
    ] as const) {
      const n = Math.round(n0 * (1 + (g === '80+' ? 0.03 : 0.015)) ** t);
      const lambda = n * r0 * Math.exp(level) * noise;
      const r = Math.max(1, Math.round(lambda + Math.sqrt(lambda) * z()));
      population[g]![year] = n;
      recipients[g]![year] = r;
      total += r;
      h += r * h0 * 1.005 ** t;
    }
    hours.total![year] = h + Math.sqrt(total) * 1.2 * (h / total) * z();
  }
  return { population, recipients, hours };
}

describe('backtest', () => {
  it('scores every origin, year and quantity, and rejects origins it cannot test', () => {
    const r = backtest(undefined, history('one'), { origins: [2015, 2020], horizon: 3, paths: 200 });
    expect(r.rows.filter((x) => x.quantity === 'recipients').map((x) => [x.origin, x.year])).toEqual([
      [2015, 2016],
      [2015, 2017],
      [2015, 2018],
      [2020, 2021],
      [2020, 2022],
      [2020, 2023],
    ]);
    for (const x of r.rows) {
      expect(x.p5).toBeLessThanOrEqual(x.p50);
      expect(x.p50).toBeLessThanOrEqual(x.p95);
      expect(x.crps).toBeGreaterThanOrEqual(0);
      expect(x.in90 || !x.in50).toBe(true);
    }
    expect(r.pit.map((p) => p.counts.reduce((a, b) => a + b, 0))).toEqual([6, 6]);
    expect(() => backtest(undefined, history('one'), { origins: [2011], horizon: 3 })).toThrow(
      /origin 2011 must leave at least three years of history from 2010.*expected 2012 to 2022/,
    );
    expect(() => backtest(undefined, history('one'), { origins: [2023], horizon: 3 })).toThrow(/origin 2023/);
    expect(() => backtest(undefined, history('one'), { origins: [2015], horizon: 0 })).toThrow(/horizon/);
  });

  it("the model's own histories: its 90 % bands hold about 90 % of what happened", () => {
    const inside: Record<'recipients' | 'hours', [number, number, number]> = {
      recipients: [0, 0, 0],
      hours: [0, 0, 0],
    };
    for (let k = 0; k < 60; k++) {
      const r = backtest(undefined, history(`calibrated-${k}`), {
        origins: [2016, 2018, 2020],
        horizon: 3,
        paths: 300,
      });
      for (const x of r.rows) {
        const c = inside[x.quantity as 'recipients' | 'hours'];
        c[0]++;
        if (x.in90) c[1]++;
        if (x.in50) c[2]++;
      }
    }
    // 540 outcomes of each quantity, correlated within a history (about 200 independent ones:
    // ±4 points at 90 %, ±7 at 50 %). Measured: recipients 91.9 % inside the 90 % bands and
    // 51.5 % inside the 50 % bands, hours 91.3 % and 50.9 %; from origins with 7, 9 and 11 years
    // of history 94 %, 91 % and 90 % of recipients (over 200 histories: 91.8 % and 52.7 %).
    // Without the line's level and its turn around the history's middle drawn, 82 % and 41 %.
    for (const [n, in90, in50] of Object.values(inside)) {
      expect(n).toBe(540);
      expect(in90 / n).toBeGreaterThan(0.86);
      expect(in90 / n).toBeLessThan(0.95);
      expect(in50 / n).toBeGreaterThan(0.43);
      expect(in50 / n).toBeLessThan(0.6);
    }
  });

  it('a history whose trend breaks after the origin: the bands hold far less than 90 %', () => {
    let inside = 0;
    let n = 0;
    for (let k = 0; k < 15; k++) {
      const r = backtest(undefined, history(`break-${k}`, { breakAt: 2018, after: 0.06 }), {
        origins: [2018],
        horizon: 3,
        paths: 300,
      });
      for (const x of r.rows)
        if (x.quantity === 'recipients' && x.horizon === 3) {
          n++;
          if (x.in90) inside++;
        }
    }
    expect(n).toBe(15);
    expect(inside / n).toBeLessThan(0.5);
  });
});
