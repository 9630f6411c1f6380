import { describe, expect, it } from 'vitest';
import { deriveStream, lognormalSampler, normalSampler, quantileSorted, streamKey, TDigest } from '../../src/index';

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

  it('is exact on tiny samples at the ends and handles constants', () => {
    const d = new TDigest();
    for (const x of [5, 5, 5]) d.add(x);
    expect(d.quantile(0.5)).toBe(5);
    const n = new TDigest(50);
    const s = normalSampler(0, 1);
    for (let i = 0; i < 1000; i++) n.add(s(rng));
    expect(Math.abs(n.quantile(0.5))).toBeLessThan(0.15);
    expect(quantileSorted(Float64Array.of(1, 2), 0.5)).toBe(1.5);
    expect(() => new TDigest(5)).toThrow(/compression/);
    expect(new TDigest().quantile(0.5)).toBeNaN();
  });
});
