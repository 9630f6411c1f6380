import { describe, expect, it } from 'vitest';
import { distributionSchema, type Distribution } from '../../src/scenario/distribution';
import { cdfFor, quantileFor } from '../../src/random/quantiles';
import { meanOf, samplerFor } from '../../src/random/uncertain';
import { deriveStream, streamKey } from '../../src/random/stream';
import { supportOf, typicalOf } from '../../src/scenario/checks/support';
import { InvalidParameterError } from '../../src/random/errors';
import { lognormalParetoSampler, paretoSampler, weibullSampler } from '../../src/random/samplers';
import { ksStatistic } from '../../src/fit/goodness';

const forms: Distribution[] = [
  { dist: 'weibull', shape: 1.5, scale: 120 },
  { dist: 'pareto', min: 500_000, alpha: 2.5 },
  { dist: 'lognormalPareto', mu: 13, sigma: 0.5, threshold: 1_000_000, tailShare: 0.08, alpha: 3 },
];

describe('weibull, pareto and lognormalPareto: schema, sampler, quantile and cdf', () => {
  it('the schema accepts them as written', () => {
    for (const d of forms) expect(distributionSchema.parse(d)).toEqual(d);
  });

  it('the schema refuses a tail with no finite mean, a tail share outside (0, 1) and a non-positive shape', () => {
    const alpha = distributionSchema.safeParse({ dist: 'pareto', min: 1, alpha: 1 });
    expect(alpha.success).toBe(false);
    expect(alpha.error!.issues[0]!.message).toBe(
      'expected alpha > 1 (a Pareto tail with alpha <= 1 has no finite mean)',
    );
    expect(
      distributionSchema.safeParse({ dist: 'lognormalPareto', mu: 0, sigma: 1, threshold: 2, tailShare: 1, alpha: 2 })
        .success,
    ).toBe(false);
    expect(distributionSchema.safeParse({ dist: 'weibull', shape: 0, scale: 1 }).success).toBe(false);
  });

  it('quantiles in closed form: Weibull scale·(−ln(1 − p))^(1/shape), Pareto min·(1 − p)^(−1/alpha)', () => {
    expect(quantileFor(forms[0]!)(1 - Math.exp(-1))).toBeCloseTo(120, 9);
    expect(quantileFor(forms[1]!)(0.75)).toBeCloseTo(500_000 * 4 ** (1 / 2.5), 6);
    expect(quantileFor(forms[1]!)(0)).toBe(500_000);
    expect(quantileFor(forms[1]!)(1)).toBe(Infinity);
    // The spliced form: the threshold is the (1 − tailShare) quantile.
    expect(quantileFor(forms[2]!)(0.92)).toBeCloseTo(1_000_000, 4);
    expect(cdfFor(forms[2]!)(1_000_000)).toBeCloseTo(0.92, 12);
    expect(cdfFor(forms[2]!)(2_000_000)).toBeCloseTo(1 - 0.08 * 0.5 ** 3, 12);
  });

  it('the cdf inverts the quantile function across the range', () => {
    for (const d of forms) {
      const q = quantileFor(d);
      const f = cdfFor(d);
      for (const p of [0.001, 0.05, 0.3, 0.5, 0.8, 0.919, 0.921, 0.99, 0.9999]) expect(f(q(p))).toBeCloseTo(p, 10);
    }
  });

  it('draws follow the cdf (KS distance of 20,000 draws below 1.63/√n, the 1 % critical value) and average to meanOf', () => {
    const n = 20_000;
    for (const d of forms) {
      const rng = deriveStream(streamKey(7, `tail-${d.dist}`), 0);
      const s = samplerFor(d);
      const draws = Array.from({ length: n }, () => s(rng));
      expect(ksStatistic(draws, cdfFor(d))).toBeLessThan(1.63 / Math.sqrt(n));
      // alpha 2.5 and 3 have finite variance; 6 standard errors of the sample mean.
      const mean = draws.reduce((a, x) => a + x, 0) / n;
      const sd = Math.sqrt(draws.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(mean - meanOf(d))).toBeLessThan((6 * sd) / Math.sqrt(n));
    }
  });

  it('meanOf in closed form', () => {
    expect(meanOf({ dist: 'pareto', min: 2, alpha: 3 })).toBeCloseTo(3, 14);
    expect(meanOf({ dist: 'weibull', shape: 1, scale: 5 })).toBeCloseTo(5, 12);
    expect(meanOf({ dist: 'weibull', shape: 2, scale: 1 })).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });

  it('support and typical values (medians) for the scenario checks', () => {
    expect(supportOf(forms[0]!)).toEqual([0, Infinity, true]);
    expect(supportOf(forms[1]!)).toEqual([500_000, Infinity]);
    expect(supportOf(forms[2]!)).toEqual([0, Infinity, true]);
    expect(typicalOf(forms[0]!)).toBeCloseTo(quantileFor(forms[0]!)(0.5), 9);
    expect(typicalOf(forms[1]!)).toBeCloseTo(quantileFor(forms[1]!)(0.5), 6);
    expect(typicalOf(forms[2]!)).toBeCloseTo(Math.exp(13), 6);
  });

  it('the samplers refuse parameters outside their domain', () => {
    expect(() => weibullSampler(0, 1)).toThrow(InvalidParameterError);
    expect(() => paretoSampler(1, -2)).toThrow('pareto: alpha must be a finite number > 0; received -2');
    expect(() => lognormalParetoSampler({ mu: 0, sigma: 1, threshold: 1, tailShare: 0, alpha: 2 })).toThrow(
      'lognormalPareto: tailShare must be a share in (0, 1); received 0',
    );
  });
});
