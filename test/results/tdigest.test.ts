import { describe, expect, it } from 'vitest';
import { deriveStream, lognormalSampler, normalSampler, quantileSorted, streamKey, TDigest } from '../../src/index';

/**
 * How far q lies from the ranks an estimate takes among sorted values: 0 when q is between the
 * share of values below the estimate and the share at or below it (so an estimate on an atom that
 * holds rank q is exact).
 */
function rankDistance(sorted: Float64Array, estimate: number, q: number): number {
  const n = sorted.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < estimate) lo = mid + 1;
    else hi = mid;
  }
  let upTo = lo;
  while (upTo < n && sorted[upTo] === estimate) upTo++;
  return Math.max(0, lo / n - q, q - upTo / n);
}

function rankError(sorted: Float64Array, estimate: number, q: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < estimate) lo = mid + 1;
    else hi = mid;
  }
  return Math.abs(lo / sorted.length - q);
}

describe('TDigest', () => {
  const rng = deriveStream(streamKey(9, 'digest'), 0);
  const sample = lognormalSampler({ median: 1, p95: 3 });
  const xs = Float64Array.from({ length: 100_000 }, () => sample(rng));
  const sorted = Float64Array.from(xs).sort();

  it('estimates quantiles with a rank error below 0.2 percentage points', () => {
    const d = new TDigest();
    for (const x of xs) d.add(x);
    expect(d.count).toBe(100_000);
    for (const q of [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
      expect(rankError(sorted, d.quantile(q), q)).toBeLessThan(0.002);
    expect(d.quantile(0)).toBe(sorted[0]);
    expect(d.quantile(1)).toBe(sorted[sorted.length - 1]);
    const exactTail =
      sorted.subarray(Math.floor(0.95 * sorted.length)).reduce((a, b) => a + b, 0) /
      (sorted.length - Math.floor(0.95 * sorted.length));
    expect(d.tailMean(0.95) / exactTail).toBeCloseTo(1, 2);
  });

  it('merging digests of parts equals (within accuracy) the digest of the whole, and survives JSON', () => {
    const parts = [0, 1, 2, 3].map((k) => {
      const d = new TDigest();
      for (let i = k * 25_000; i < (k + 1) * 25_000; i++) d.add(xs[i]!);
      return TDigest.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    });
    const merged = new TDigest();
    for (const p of parts) merged.merge(p);
    expect(merged.count).toBe(100_000);
    for (const q of [0.05, 0.5, 0.95]) expect(rankError(sorted, merged.quantile(q), q)).toBeLessThan(0.003);
  });

  describe('100,000 values from skewed distributions: rank error below 0.2 points at P1, P5, P50, P95 and P99', () => {
    const r = deriveStream(streamKey(9, 'skewed'), 0);
    const heavy = lognormalSampler({ median: 1, p95: 8 });
    const distributions: Record<string, () => number> = {
      lognormal: () => sample(r),
      'heavy lognormal around zero, both signs': () => (heavy(r) - 2) * 1e7,
      'atoms at 0 and 3 beside a lognormal': () => (r() < 0.4 ? 0 : r() < 0.3 ? 3 : sample(r)),
      'a narrow body and rare outliers a million times larger': () => (r() < 0.001 ? 1e14 : 1e8 + sample(r)),
      'integer counts': () => Math.floor(heavy(r) * 3),
    };
    const qs = [0.01, 0.05, 0.5, 0.95, 0.99];
    it.each(Object.keys(distributions))('%s: one by one, in batches, and as merged parts', (name) => {
      const values = Float64Array.from({ length: 100_000 }, distributions[name]!);
      const exact = Float64Array.from(values).sort();
      const one = new TDigest();
      for (const x of values) one.add(x);
      const batches = new TDigest();
      for (let i = 0; i < values.length; i += 5000) batches.addAll(values.subarray(i, i + 5000));
      const merged = new TDigest();
      for (let i = 0; i < values.length; i += 10_000) {
        const part = new TDigest();
        part.addAll(values.subarray(i, i + 10_000));
        merged.merge(TDigest.fromJSON(JSON.parse(JSON.stringify(part.toJSON()))));
      }
      for (const d of [one, batches, merged]) {
        expect(d.count).toBe(100_000);
        expect(d.quantile(0)).toBe(exact[0]);
        expect(d.quantile(1)).toBe(exact[exact.length - 1]);
        for (const q of qs) expect(rankDistance(exact, d.quantile(q), q), `P${q * 100}`).toBeLessThan(0.002);
      }
    });
  });

  it('a batch gives each centroid exactly the values a sort would: weights as cut, means of those values', () => {
    const r = deriveStream(streamKey(9, 'cut'), 0);
    const heavy = lognormalSampler({ median: 1, p95: 8 });
    for (const make of [
      () => heavy(r) * 1e6,
      () => (r() < 0.002 ? 1e12 : r() < 0.3 ? 5 : heavy(r)),
      () => Math.floor(r() * 7) - 3,
    ]) {
      for (const n of [60, 2000, 10_000]) {
        const values = Float64Array.from({ length: n }, make);
        const sorted = Float64Array.from(values).sort();
        const d = new TDigest();
        d.addAll(values);
        const fromSorted = new TDigest();
        fromSorted.addAll(sorted);
        const { means, weights } = d.toJSON();
        // The cut depends on the batch's size alone: the same weights whatever the order.
        expect(weights).toEqual(fromSorted.toJSON().weights);
        expect(weights.reduce((a, w) => a + w, 0)).toBe(n);
        let start = 0;
        for (let j = 0; j < weights.length; j++) {
          const part = sorted.subarray(start, start + weights[j]!);
          const mean = part.reduce((a, x) => a + x, 0) / part.length;
          expect(Math.abs(means[j]! - mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(mean)));
          expect(means[j]).toBeGreaterThanOrEqual(part[0]!);
          expect(means[j]).toBeLessThanOrEqual(part[part.length - 1]!);
          start += weights[j]!;
        }
      }
    }
  });

  it('takes values that are not finite without failing', () => {
    const d = new TDigest();
    d.addAll(Float64Array.of(1, 2, Infinity, 3, -Infinity, ...Array.from({ length: 100 }, (_, i) => i)));
    expect(d.count).toBe(105);
    expect(d.quantile(0)).toBe(-Infinity);
    expect(d.quantile(1)).toBe(Infinity);
    expect(d.quantile(0.5)).toBeGreaterThan(40);
    expect(d.quantile(0.5)).toBeLessThan(60);
  });

  it('is exact on tiny samples at the ends and handles constants', () => {
    const d = new TDigest();
    for (const x of [5, 5, 5]) d.add(x);
    expect(d.quantile(0.5)).toBe(5);
    const c = new TDigest();
    c.addAll(new Float64Array(10_000).fill(0.1));
    for (const q of [0, 0.01, 0.5, 0.99, 1]) expect(c.quantile(q)).toBe(0.1);
    const n = new TDigest(50);
    const s = normalSampler(0, 1);
    for (let i = 0; i < 1000; i++) n.add(s(rng));
    expect(Math.abs(n.quantile(0.5))).toBeLessThan(0.15);
    expect(quantileSorted(Float64Array.of(1, 2), 0.5)).toBe(1.5);
    expect(() => new TDigest(5)).toThrow(/compression/);
    expect(new TDigest().quantile(0.5)).toBeNaN();
  });
});
