import { describe, expect, it } from 'vitest';
import { deriveStream, latinHypercube, lhsUniform, OptionError, quantileFor, streamKey } from '../../src/index';
import type { Uncertain } from '../../src/index';

describe('latinHypercube', () => {
  it('is reproducible, and depends on the seed, the name and n', () => {
    const a = latinHypercube(42, 'wageDrift', 500);
    expect(latinHypercube(42, 'wageDrift', 500)).toEqual(a);
    expect(latinHypercube(43, 'wageDrift', 500)).not.toEqual(a);
    expect(latinHypercube(42, 'priceIndex', 500)).not.toEqual(a);
    expect(latinHypercube('42', 'wageDrift', 500)).not.toEqual(a);
    // Changing the number of paths changes the sample (plain sampling would keep the first paths).
    expect(latinHypercube(42, 'wageDrift', 501).subarray(0, 500)).not.toEqual(a);
  });

  it('is a permutation: each stratum is used by exactly one path', () => {
    for (const n of [0, 1, 2, 7, 1000, 4096]) {
      const perm = latinHypercube(1, 'x', n);
      expect(perm.length).toBe(n);
      const hit = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const u = lhsUniform(perm, i, deriveStream(streamKey(1, 'jitter'), i)());
        const stratum = Math.floor(u * n);
        expect(stratum).toBe(perm[i]);
        hit[stratum]! += 1;
      }
      expect(hit.every((h) => h === 1)).toBe(true);
    }
  });

  it('is not the identity and leaves no position fixed more often than chance', () => {
    const perm = latinHypercube(3, 'x', 10_000);
    let fixed = 0;
    for (let i = 0; i < perm.length; i++) if (perm[i] === i) fixed++;
    // The number of fixed points of a random permutation is about Poisson(1).
    expect(fixed).toBeLessThan(8);
  });

  it('lhsUniform stays in [0, 1) and checks its arguments', () => {
    const perm = Uint32Array.of(2, 0, 3, 1);
    expect(lhsUniform(perm, 0, 0.5)).toBe(0.625);
    expect(lhsUniform(perm, 2, 0)).toBe(0.75);
    expect(lhsUniform(perm, 2, 0.9999999999)).toBeLessThan(1);
    expect(() => lhsUniform(perm, 4, 0.5)).toThrow(OptionError);
    expect(() => lhsUniform(perm, 1.5, 0.5)).toThrow(/path index in \[0, 4\)/);
    expect(() => lhsUniform(perm, 0, 1)).toThrow(/u must be a uniform in \[0, 1\)/);
    expect(() => latinHypercube(1, 'x', -1)).toThrow(/n must be an integer/);
    expect(() => latinHypercube(1, 'x', 2.5)).toThrow(OptionError);
  });
});

describe('Latin hypercube sampling lowers the standard error of a mean', () => {
  it('a smooth monotone function of three inputs, 100 paths, 200 seeds: the spread of the mean is about a tenth (measured ratio 0.109)', () => {
    const inputs: [string, Uncertain][] = [
      ['wageDrift', { dist: 'lognormal', median: 1, p95: 1.5 }],
      ['userTime', { dist: 'beta', alpha: 2, beta: 5 }],
      ['hours', { dist: 'triangular', min: 2, mode: 3.2, max: 5 }],
    ];
    const quantiles = inputs.map(([, u]) => quantileFor(u));
    const f = (x: number[]) => x[0]! * (1 + x[1]!) + Math.sqrt(x[2]!);
    const n = 100;
    const replications = 200;
    const plainMeans: number[] = [];
    const lhsMeans: number[] = [];
    for (let seed = 0; seed < replications; seed++) {
      const perms = inputs.map(([name]) => latinHypercube(seed, name, n));
      const keys = inputs.map(([name]) => streamKey(seed, name));
      let plain = 0;
      let lhs = 0;
      for (let i = 0; i < n; i++) {
        const xPlain: number[] = [];
        const xLhs: number[] = [];
        for (let k = 0; k < inputs.length; k++) {
          const u = deriveStream(keys[k]!, i)();
          xPlain.push(quantiles[k]!(u));
          xLhs.push(quantiles[k]!(lhsUniform(perms[k]!, i, u)));
        }
        plain += f(xPlain);
        lhs += f(xLhs);
      }
      plainMeans.push(plain / n);
      lhsMeans.push(lhs / n);
    }
    const sd = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    };
    const ratio = sd(lhsMeans) / sd(plainMeans);
    // Measured: ratio 0.109 (standard errors of the mean 0.00475 with LHS, 0.0437 plain); the
    // function is nearly additive, and Latin hypercube sampling leaves only its interaction.
    expect(ratio).toBeLessThan(0.3);
    // Both estimate the same mean.
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean(lhsMeans) - mean(plainMeans))).toBeLessThan((4 * sd(plainMeans)) / Math.sqrt(replications));
  });
});
