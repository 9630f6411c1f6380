import { describe, expect, it } from 'vitest';
import { linearTrend, scoreOutcome } from '../../src/fit/scores';
import { normalQuantile } from '../../src/random/special';

describe('scoreOutcome', () => {
  it('gives the CRPS of a point forecast as its absolute error, and of an ensemble by the pairwise formula', () => {
    expect(scoreOutcome([3], 5).crps).toBe(2);
    const x = [1, 4, 2, 8];
    const y = 3;
    // Directly: mean |x - y| - 0.5 mean |x_i - x_j| over all ordered pairs.
    let a = 0;
    let b = 0;
    for (const xi of x) {
      a += Math.abs(xi - y);
      for (const xj of x) b += Math.abs(xi - xj);
    }
    expect(scoreOutcome(x, y).crps).toBeCloseTo(a / 4 - b / 32, 12);
  });

  it('the CRPS of a normal ensemble approaches the closed form', () => {
    // CRPS of N(0, 1) at y = 0: 2φ(0) − 1/√π ≈ 0.2337.
    const n = 20_001;
    const z = Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n));
    expect(scoreOutcome(z, 0).crps).toBeCloseTo(2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), 3);
  });

  it('places the outcome: PIT with ties counted half, and the central bands', () => {
    const x = Array.from({ length: 101 }, (_, i) => i); // 0..100
    expect(scoreOutcome(x, 50)).toMatchObject({ pit: 50.5 / 101, in50: true, in90: true });
    expect(scoreOutcome(x, 80)).toMatchObject({ in50: false, in90: true });
    expect(scoreOutcome(x, 97)).toMatchObject({ in50: false, in90: false });
    expect(scoreOutcome(x, -1).pit).toBe(0);
    expect(scoreOutcome(x, 200).pit).toBe(1);
  });
});

describe('linearTrend', () => {
  it('extrapolates the least-squares line', () => {
    expect(linearTrend([2020, 2021, 2022], [10, 12, 14], 2024)).toBeCloseTo(18, 12);
    expect(linearTrend([1, 2, 3, 4], [1, 3, 2, 4], 5)).toBeCloseTo(4.5, 12);
  });
});
