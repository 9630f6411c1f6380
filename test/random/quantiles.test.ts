import { describe, expect, it } from 'vitest';
import {
  cdfFor,
  deriveStream,
  meanOf,
  normalCdf,
  OptionError,
  percentileOf,
  quantileFor,
  samplerFor,
  streamKey,
} from '../../src/index';
import type { Uncertain } from '../../src/index';

// ---------------------------------------------------------------------------------------------
// Independent references: distribution functions by Gauss–Legendre quadrature of the density
// (20 nodes on each of many pieces, with substitutions that make the integrands smooth at the
// support's ends), sharing no code with the continued fractions under test.

/** Nodes and weights of n-point Gauss–Legendre quadrature on [−1, 1], by Newton on P_n. */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, weights };
}

const GL = gaussLegendre(20);

/** ∫_a^b f, 20-point Gauss–Legendre on `pieces` equal pieces, pieces summed small to large. */
function integrate(f: (x: number) => number, a: number, b: number, pieces = 200): number {
  if (b <= a) return 0;
  const h = (b - a) / pieces;
  const parts: number[] = [];
  for (let k = 0; k < pieces; k++) {
    const mid = a + (k + 0.5) * h;
    let s = 0;
    for (let i = 0; i < 20; i++) s += GL.weights[i]! * f(mid + (h / 2) * GL.nodes[i]!);
    parts.push((s * h) / 2);
  }
  return parts.sort((x, y) => Math.abs(x) - Math.abs(y)).reduce((x, y) => x + y, 0);
}

/** ∫_0^y f on pieces that halve towards 0 (a graded mesh), for integrands with a kink at 0. */
function integrateFromZero(f: (x: number) => number, y: number): number {
  let sum = 0;
  for (let k = 90; k >= 0; k--) sum += integrate(f, y * Math.pow(2, -k - 1), y * Math.pow(2, -k), 2);
  return sum;
}

interface Reference {
  readonly u: Uncertain;
  /** P(X <= x) and P(X > x), each integrated directly. */
  lower(x: number): number;
  upper(x: number): number;
  density(x: number): number;
}

/**
 * ∫_0^y x^(a−1)·h(x) dx for a smooth h: directly for a >= 1, after x = t^(1/a) (which makes the
 * integrand bounded) for a < 1; on a graded mesh either way.
 */
function powerIntegral(a: number, h: (x: number) => number, y: number): number {
  if (a >= 1) return integrateFromZero((x) => Math.pow(x, a - 1) * h(x), y);
  return integrateFromZero((t) => h(Math.pow(t, 1 / a)) / a, Math.pow(y, a));
}

/** Beta(a, b) on [min, min + width], integrated from whichever end is nearer. */
function betaReference(u: Uncertain, a: number, b: number, min = 0, width = 1): Reference {
  const nearZero = (y: number) => powerIntegral(a, (x) => Math.pow(1 - x, b - 1), y);
  const nearOne = (y: number) => powerIntegral(b, (x) => Math.pow(1 - x, a - 1), 1 - y);
  const total = nearZero(0.5) + nearOne(0.5);
  const lowerStd = (y: number) => (y <= 0.5 ? nearZero(y) : total - nearOne(y)) / total;
  const upperStd = (y: number) => (y >= 0.5 ? nearOne(y) : total - nearZero(y)) / total;
  return {
    u,
    lower: (x) => lowerStd((x - min) / width),
    upper: (x) => upperStd((x - min) / width),
    density: (x) => {
      const y = (x - min) / width;
      return (Math.pow(y, a - 1) * Math.pow(1 - y, b - 1)) / total / width;
    },
  };
}

/** Gamma(shape, scale): from 0 up to 1, the upper tail integrated out to where e^-x is negligible. */
function gammaReference(u: Uncertain, shape: number, scale: number): Reference {
  const kernel = (x: number) => Math.pow(x, shape - 1) * Math.exp(-x);
  const nearZero = (y: number) => powerIntegral(shape, (x) => Math.exp(-x), y);
  const tail = (y: number) => integrate(kernel, y, y + 80 + 10 * shape, 2000);
  const total = nearZero(1) + tail(1);
  const lowerStd = (y: number) => (y <= 1 ? nearZero(y) : nearZero(1) + integrate(kernel, 1, y, 2000)) / total;
  return {
    u,
    lower: (x) => lowerStd(x / scale),
    upper: (x) => (x / scale >= 1 ? tail(x / scale) / total : 1 - lowerStd(x / scale)),
    density: (x) => kernel(x / scale) / total / scale,
  };
}

const PROBABILITIES = [1e-10, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.999999];

describe('quantileFor: accuracy against quadrature of the density', () => {
  const references: Reference[] = [
    betaReference({ dist: 'beta', alpha: 2.5, beta: 3.5 }, 2.5, 3.5),
    betaReference({ dist: 'beta', alpha: 0.7, beta: 1.8 }, 0.7, 1.8),
    betaReference({ dist: 'beta', alpha: 30, beta: 12 }, 30, 12),
    betaReference(
      { dist: 'pert', min: 0.45, mode: 0.6, max: 0.74, lambda: 4 },
      1 + (4 * 0.15) / 0.29,
      1 + (4 * 0.14) / 0.29,
      0.45,
      0.74 - 0.45,
    ),
    gammaReference({ dist: 'gamma', shape: 3.7, scale: 2 }, 3.7, 2),
    gammaReference({ dist: 'gamma', shape: 0.5, scale: 1 }, 0.5, 1),
    gammaReference({ dist: 'gamma', shape: 25, scale: 0.04 }, 25, 0.04),
  ];
  for (const ref of references) {
    it(`${JSON.stringify(ref.u)}: the quantile within 1e-10 relative, the distribution function within 1e-12`, () => {
      const q = quantileFor(ref.u);
      const cdf = cdfFor(ref.u);
      for (const p of PROBABILITIES) {
        const x = q(p);
        // The true quantile x* has F(x*) = p, so x − x* ≈ (F(x) − p) / f(x).
        const miss = p <= 0.5 ? ref.lower(x) - p : 1 - p - ref.upper(x);
        expect(Math.abs(miss) / (ref.density(x) * Math.abs(x)), `p = ${p}, x = ${x}`).toBeLessThan(1e-10);
        const exact = p <= 0.5 ? ref.lower(x) : ref.upper(x);
        const computed = p <= 0.5 ? cdf(x) : 1 - cdf(x);
        expect(Math.abs(computed - exact), `F at p = ${p}`).toBeLessThan(
          p <= 0.5 ? 1e-12 * exact : 1e-15 + 1e-12 * exact,
        );
      }
    });
  }

  it('normal and lognormal quantiles match 40-digit values (mpmath) within 1e-14 relative', () => {
    const lognormal = quantileFor({ dist: 'lognormal', mu: 0.3, sigma: 0.4 });
    const table: [number, number][] = [
      [1e-9, 0.12256389342374072],
      [0.05, 0.69911400638761697],
      [0.5, 1.3498588075760031],
      [0.9, 2.2538066389872574],
      [0.999, 4.6464009118971649],
    ];
    for (const [p, v] of table) expect(Math.abs(lognormal(p) / v - 1), `p = ${p}`).toBeLessThan(1e-14);
    const normal = quantileFor({ dist: 'normal', mean: 100, sd: 15 });
    expect(normal(0.5)).toBe(100);
    expect(Math.abs(normal(0.975) - (100 + 15 * 1.959963984540054)) / 130).toBeLessThan(1e-15);
  });

  it('triangular and uniform are the exact inverses of their distribution functions', () => {
    for (const u of [
      { dist: 'triangular', min: 2, mode: 3.2, max: 5 },
      { dist: 'triangular', min: 2, mode: 2, max: 5 },
      { dist: 'uniform', min: -1, max: 3 },
    ] as const) {
      const q = quantileFor(u);
      const cdf = cdfFor(u);
      for (const p of PROBABILITIES) expect(Math.abs(cdf(q(p)) - p), `${u.dist} p = ${p}`).toBeLessThan(1e-15);
    }
  });
});

describe('normalCdf', () => {
  it('matches 40-digit values (mpmath) within 1e-14 relative, tails included', () => {
    const table: [number, number][] = [
      [-37.5, 4.6053530095819548e-308],
      [-30, 4.9067139271481871e-198],
      [-10, 7.6198530241605261e-24],
      [-5, 2.8665157187919391e-7],
      [-3, 0.0013498980316300945],
      [-2, 0.022750131948179207],
      [-1, 0.15865525393145705],
      [-0.5, 0.3085375387259869],
      [0.5, 0.6914624612740131],
      [3, 0.99865010196836991],
      [8, 0.99999999999999938],
    ];
    for (const [x, v] of table) expect(Math.abs(normalCdf(x) / v - 1), `x = ${x}`).toBeLessThan(1e-14);
  });

  it('is symmetric, monotone and exact at the ends', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    let last = 0;
    for (let x = -40; x <= 10; x += 0.01) {
      const v = normalCdf(x);
      expect(v).toBeGreaterThanOrEqual(last);
      last = v;
      if (Math.abs(x) < 8) expect(Math.abs(v + normalCdf(-x) - 1)).toBeLessThan(2e-16);
    }
  });
});

describe('quantileFor: ends, monotonicity and discrete rules', () => {
  const ends: [Uncertain, number, number][] = [
    [3.5, 3.5, 3.5],
    [{ dist: 'normal', mean: 1, sd: 2 }, -Infinity, Infinity],
    [{ dist: 'normal', mean: 1, sd: 0 }, 1, 1],
    [{ dist: 'lognormal', median: 2, p95: 3 }, 0, Infinity],
    [{ dist: 'triangular', min: 2, mode: 3, max: 7 }, 2, 7],
    [{ dist: 'triangular', min: 2, mode: 7, max: 7 }, 2, 7],
    [{ dist: 'pert', min: 0.45, mode: 0.6, max: 0.74, lambda: 4 }, 0.45, 0.74],
    [{ dist: 'pert', min: 1, mode: 1, max: 1, lambda: 4 }, 1, 1],
    [{ dist: 'uniform', min: 0.03, max: 0.1 }, 0.03, 0.1],
    [{ dist: 'beta', alpha: 0.3, beta: 0.7 }, 0, 1],
    [{ dist: 'gamma', shape: 0.3, scale: 2 }, 0, Infinity],
    [{ dist: 'poisson', mean: 3.5 }, 0, Infinity],
    [{ dist: 'poisson', mean: 0 }, 0, 0],
    [{ dist: 'binomial', n: 300, p: 0.056 }, 0, 300],
    [{ dist: 'binomial', n: 10, p: 1 }, 10, 10],
    [{ dist: 'empirical', values: [5, 1, 3] }, 1, 5],
  ];
  for (const [u, low, high] of ends) {
    it(`${JSON.stringify(u)}: p = 0 gives ${low}, p = 1 gives ${high}, non-decreasing, never NaN`, () => {
      const q = quantileFor(u);
      expect(q(0)).toBe(low);
      expect(q(1)).toBe(high);
      let last = -Infinity;
      for (let i = 0; i <= 2000; i++) {
        const v = q(i / 2000);
        expect(Number.isNaN(v)).toBe(false);
        expect(v).toBeGreaterThanOrEqual(last);
        last = v;
      }
    });
  }

  it('poisson and binomial: the smallest k with P(X <= k) >= p, against summed probabilities', () => {
    const cases: [Uncertain, (k: number) => number][] = [
      [{ dist: 'poisson', mean: 3.5 }, (k) => Math.exp(-3.5 + k * Math.log(3.5) - logFactorial(k))],
      [{ dist: 'poisson', mean: 40 }, (k) => Math.exp(-40 + k * Math.log(40) - logFactorial(k))],
      [
        { dist: 'binomial', n: 30, p: 0.3 },
        (k) =>
          Math.exp(
            logFactorial(30) - logFactorial(k) - logFactorial(30 - k) + k * Math.log(0.3) + (30 - k) * Math.log(0.7),
          ),
      ],
      [
        { dist: 'binomial', n: 12, p: 0.85 },
        (k) =>
          Math.exp(
            logFactorial(12) - logFactorial(k) - logFactorial(12 - k) + k * Math.log(0.85) + (12 - k) * Math.log(0.15),
          ),
      ],
    ];
    for (const [u, pmf] of cases) {
      const q = quantileFor(u);
      const cdf = cdfFor(u);
      const cumulative: number[] = [];
      let s = 0;
      for (let k = 0; k < 200; k++) cumulative.push((s += pmf(k)));
      for (let i = 1; i < 1000; i++) {
        const p = i / 1000;
        const k = q(p);
        // Away from the jumps (where rounding decides), the rule picks the first k reaching p.
        if (cumulative.some((c) => Math.abs(c - p) < 1e-12)) continue;
        expect(cumulative[k]!, `${JSON.stringify(u)} p = ${p}`).toBeGreaterThanOrEqual(p);
        if (k > 0) expect(cumulative[k - 1]!).toBeLessThan(p);
        expect(Math.abs(cdf(k) - cumulative[k]!)).toBeLessThan(1e-13);
      }
    }
    // Large counts stay exact integers and consistent with the distribution function.
    const big = quantileFor({ dist: 'binomial', n: 1e9, p: 0.3 });
    const bigCdf = cdfFor({ dist: 'binomial', n: 1e9, p: 0.3 });
    for (const p of [1e-6, 0.1, 0.5, 0.9]) {
      const k = big(p);
      expect(Number.isInteger(k)).toBe(true);
      expect(bigCdf(k)).toBeGreaterThanOrEqual(p);
      expect(bigCdf(k - 1)).toBeLessThan(p);
    }
  });

  it('empirical: the sorted values as a step function, value ⌊p·n⌋', () => {
    const q = quantileFor({ dist: 'empirical', values: [40, 10, 30, 20] });
    expect([0, 0.2499, 0.25, 0.5, 0.74, 0.75, 0.99, 1].map(q)).toEqual([10, 10, 20, 30, 30, 40, 40, 40]);
    expect(cdfFor({ dist: 'empirical', values: [40, 10, 30, 20] })(25)).toBe(0.5);
  });

  it('percentileOf counts in percent, as describe does', () => {
    const u: Uncertain = { dist: 'gamma', shape: 2, scale: 1.5 };
    expect(percentileOf(u, 10)).toBe(quantileFor(u)(0.1));
    expect(percentileOf(u, 90)).toBe(quantileFor(u)(0.9));
    expect(percentileOf(u, 0)).toBe(0);
  });

  it('a probability outside [0, 1] is an OptionError naming it, never NaN', () => {
    const q = quantileFor({ dist: 'beta', alpha: 2, beta: 3 });
    expect(() => q(1.5)).toThrow(OptionError);
    expect(() => q(Number.NaN)).toThrow(/p must be a probability in \[0, 1\]; received NaN/);
    expect(() => q(-0.1)).toThrow(/received -0.1/);
    expect(() => percentileOf(3, 150)).toThrow(/percent must be in \[0, 100\]; received 150/);
    expect(() => cdfFor({ dist: 'normal', mean: 0, sd: 1 })(Number.NaN)).toThrow(OptionError);
  });
});

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** Two-sample Kolmogorov–Smirnov statistic (ties handled by stepping over equal values together). */
function ksTwoSample(a: Float64Array, b: Float64Array): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('quantileFor(u)(U) has the distribution of samplerFor(u)', () => {
  const N = 10_000;
  // Two-sample KS at level 0.001: D > c·√(2/N) with c = √(−ln(0.0005)/2) = 1.9495 (conservative
  // for the discrete distributions).
  const critical = 1.9495 * Math.sqrt(2 / N);
  const cases: Uncertain[] = [
    { dist: 'normal', mean: 100, sd: 15 },
    { dist: 'lognormal', median: 1_000_000, p95: 2_000_000 },
    { dist: 'triangular', min: 2, mode: 3.2, max: 5 },
    { dist: 'pert', min: 0.45, mode: 0.6, max: 0.74, lambda: 4 },
    { dist: 'uniform', min: 0.03, max: 0.1 },
    { dist: 'beta', alpha: 0.6, beta: 2.5 },
    { dist: 'gamma', shape: 0.7, scale: 3 },
    { dist: 'gamma', shape: 12, scale: 0.5 },
    { dist: 'poisson', mean: 3.5 },
    { dist: 'poisson', mean: 57 },
    { dist: 'binomial', n: 300, p: 0.056 },
    { dist: 'binomial', n: 40, p: 0.7 },
    { dist: 'empirical', values: [3, 1, 4, 1, 5, 9, 2, 6] },
  ];
  for (const u of cases) {
    it(`${JSON.stringify(u)}: KS below ${critical.toFixed(4)} (seed 2026); the mean of a fine grid of quantiles is meanOf`, () => {
      const q = quantileFor(u);
      const s = samplerFor(u);
      const viaQuantile = new Float64Array(N);
      const viaSampler = new Float64Array(N);
      const uniforms = streamKey(2026, 'quantile-ks');
      const draws = streamKey(2026, 'sampler-ks');
      for (let i = 0; i < N; i++) {
        viaQuantile[i] = q(deriveStream(uniforms, i)());
        viaSampler[i] = s(deriveStream(draws, i));
      }
      expect(ksTwoSample(viaQuantile, viaSampler)).toBeLessThan(critical);
      // The midpoint rule over 200,000 strata: the mean up to the far tails' share.
      const M = 200_000;
      let sum = 0;
      for (let i = 0; i < M; i++) sum += q((i + 0.5) / M);
      const mean = meanOf(u);
      expect(Math.abs(sum / M - mean)).toBeLessThan(2e-4 * Math.max(1, Math.abs(mean)));
    });
  }
});
