import { describe, expect, it } from 'vitest';
import {
  betaSampler,
  binomialSampler,
  deriveStream,
  exponentialSampler,
  standardExponential,
  gammaSampler,
  InvalidParameterError,
  lognormalParameters,
  lognormalSampler,
  normalQuantile,
  normalSampler,
  pertSampler,
  poissonSampler,
  samplerFor,
  meanOf,
  streamKey,
  triangularSampler,
  uniformSampler,
  type Sampler,
} from '../../src/index';

const N = 200_000;

function moments(sampler: Sampler, n = N, seed = 11) {
  const rng = deriveStream(streamKey(seed, 'moments'), 0);
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampler(rng);
  for (const x of xs) m1 += x;
  const mean = m1 / n;
  for (const x of xs) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  const variance = m2 / (n - 1);
  return { mean, variance, skew: m3 / n / Math.pow(variance, 1.5), min: Math.min(...xs.subarray(0, 50_000)), xs };
}

describe('streams', () => {
  it('are uniform on [0, 1) with the right mean and variance', () => {
    const m = moments((rng) => rng());
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 3);
    expect(m.min).toBeGreaterThanOrEqual(0);
  });

  it('depend only on (seed, component, path)', () => {
    const a = deriveStream(streamKey(42, 'population'), 17);
    const b = deriveStream(streamKey(42, 'population'), 17);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    const other = [
      deriveStream(streamKey(42, 'prices'), 17)(),
      deriveStream(streamKey(43, 'population'), 17)(),
      deriveStream(streamKey(42, 'population'), 18)(),
    ];
    for (const x of other) expect(x).not.toBe(seqA[0]);
    expect(deriveStream(streamKey('42', 'population'), 17)()).not.toBe(seqA[0]);
  });

  it("the generator for hot loops gives the stream's numbers bit for bit, and its exponentials the ziggurat's", async () => {
    const { AleaGenerator } = await import('../../src/random/stream');
    const { standardExponentialOf } = await import('../../src/random/exponential');
    const g = new AleaGenerator();
    for (const [seed, component, path] of [
      [1, 'care-homes', 0],
      [2034, 'care-homes', 123_456],
      ['x', 'y', 2 ** 40 + 3],
    ] as const) {
      const key = streamKey(seed, component);
      const rng = deriveStream(key, path);
      g.seed(key, path);
      for (let i = 0; i < 10_000; i++) expect(g.next()).toBe(rng());
      const rng2 = deriveStream(key, path + 1);
      g.seed(key, path + 1);
      for (let i = 0; i < 5_000; i++) expect(standardExponentialOf(g)).toBe(standardExponential(rng2));
    }
  });

  it('a stream slot re-seeded path by path gives each path the numbers deriveStream gives it, from one source function', async () => {
    const { StreamSlot } = await import('../../src/random/stream');
    const slot = new StreamSlot();
    const key = streamKey(7, 'prices');
    const first = slot.at(key, 0);
    for (const path of [0, 1, 99, 2 ** 33 + 5, 1]) {
      const source = slot.at(key, path);
      expect(source).toBe(first);
      const rng = deriveStream(key, path);
      for (let i = 0; i < 1_000; i++) expect(source()).toBe(rng());
    }
  });

  it('of neighbouring paths are uncorrelated', () => {
    const key = streamKey(1, 'x');
    const n = 20_000;
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += (deriveStream(key, i)() - 0.5) * (deriveStream(key, i + 1)() - 0.5);
    expect(Math.abs(sxy / n / (1 / 12))).toBeLessThan(0.03);
  });

  it('non-regression: seeded output is pinned (changes only in a major version)', () => {
    const rng = deriveStream(streamKey(2034, 'population'), 0);
    expect([rng(), rng(), rng()]).toMatchInlineSnapshot(`
      [
        0.8488511664327234,
        0.6340302450116724,
        0.2981581105850637,
      ]
    `);
    const big = deriveStream(streamKey('lejre', 'home-care'), 2 ** 40 + 5);
    expect([big(), big()]).toMatchInlineSnapshot(`
      [
        0.06962667964398861,
        0.5010412102565169,
      ]
    `);
  });
});

describe('normalQuantile (AS 241)', () => {
  it('matches known quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
});

describe('samplers: moments with a fixed seed (tolerances about 4 standard errors)', () => {
  it('normal', () => {
    const m = moments(normalSampler(10, 2));
    expect(m.mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(m.variance)).toBeCloseTo(2, 1);
    expect(Math.abs(m.skew)).toBeLessThan(0.03);
  });

  it('lognormal from median and 90 % interval', () => {
    const s = lognormalSampler({ median: 100, p5: 50, p95: 200 });
    const m = moments(s);
    const sorted = Float64Array.from(m.xs).sort();
    expect(sorted[N / 2]! / 100).toBeCloseTo(1, 1);
    expect(sorted[Math.floor(N * 0.95)]! / 200).toBeCloseTo(1, 1);
    const { mu, sigma } = lognormalParameters({ median: 100, p5: 50, p95: 200 });
    expect(m.mean / Math.exp(mu + (sigma * sigma) / 2)).toBeCloseTo(1, 2);
  });

  it('triangular', () => {
    const m = moments(triangularSampler(2, 3, 7));
    expect(m.mean).toBeCloseTo(4, 2);
    expect(m.variance).toBeCloseTo((4 + 9 + 49 - 6 - 14 - 21) / 18, 2);
    expect(m.skew).toBeGreaterThan(0.3);
  });

  it('PERT', () => {
    const m = moments(pertSampler(0, 1, 6));
    expect(m.mean).toBeCloseTo((0 + 4 + 6) / 6, 2);
    // Beta(α=1+4/6, β=1+20/6) on [0, 6]
    const a = 1 + 4 / 6;
    const b = 1 + 20 / 6;
    expect(m.variance).toBeCloseTo((36 * a * b) / ((a + b) ** 2 * (a + b + 1)), 2);
  });

  it('uniform', () => {
    const m = moments(uniformSampler(-1, 3));
    expect(m.mean).toBeCloseTo(1, 2);
    expect(m.variance).toBeCloseTo(16 / 12, 2);
  });

  it('gamma (shape above and below 1)', () => {
    const m = moments(gammaSampler(2.5, 2));
    expect(m.mean).toBeCloseTo(5, 1);
    expect(m.variance / 10).toBeCloseTo(1, 1);
    expect(m.skew).toBeCloseTo(2 / Math.sqrt(2.5), 1);
    const small = moments(gammaSampler(0.4, 1));
    expect(small.mean).toBeCloseTo(0.4, 2);
    expect(small.variance).toBeCloseTo(0.4, 1);
  });

  it('beta', () => {
    const m = moments(betaSampler(2, 5));
    expect(m.mean).toBeCloseTo(2 / 7, 2);
    expect(m.variance).toBeCloseTo(10 / (49 * 8), 3);
  });

  it('Poisson, by inversion and by PTRS', () => {
    for (const lambda of [0.3, 4, 12, 250]) {
      const m = moments(poissonSampler(lambda));
      expect(m.mean / lambda).toBeCloseTo(1, 1);
      expect(m.variance / lambda).toBeCloseTo(1, 1);
      expect(m.xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });

  it('binomial, by inversion and by BTRS, and with p above one half', () => {
    for (const [n, p] of [
      [20, 0.1],
      [300, 0.056],
      [5000, 0.3],
      [400, 0.9],
    ] as const) {
      const m = moments(binomialSampler(n, p));
      expect(m.mean / (n * p)).toBeCloseTo(1, 1);
      expect(m.variance / (n * p * (1 - p))).toBeCloseTo(1, 1);
      expect(m.xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
    }
  });

  it('exponential (ziggurat): moments, the whole distribution and the tail beyond the base layer', () => {
    const m = moments(exponentialSampler(0.5));
    expect(m.mean).toBeCloseTo(2, 1);
    expect(m.variance / 4).toBeCloseTo(1, 1);
    expect(m.skew).toBeCloseTo(2, 0);
    expect(m.min).toBeGreaterThanOrEqual(0);
    // Kolmogorov-Smirnov against 1 - exp(-x): the 1 % critical value is 1.63 / sqrt(n).
    const n = 400_000;
    const rng = deriveStream(streamKey(8, 'ks'), 0);
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = standardExponential(rng);
    xs.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const F = 1 - Math.exp(-xs[i]!);
      d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
    }
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
    // Beyond 7.7 the tail is drawn by inversion; its share must be exp(-7.7) (about 180 in 400,000).
    const tail = n - xs.findIndex((x) => x > 7.697117470131487);
    expect(Math.abs(tail - n * Math.exp(-7.697117470131487))).toBeLessThan(
      4 * Math.sqrt(n * Math.exp(-7.697117470131487)),
    );
    expect(() => exponentialSampler(0)).toThrow(/rate.*> 0/);
  });

  it('degenerate parameters give constants', () => {
    const rng = deriveStream(streamKey(1, 'c'), 0);
    expect(normalSampler(3, 0)(rng)).toBe(3);
    expect(poissonSampler(0)(rng)).toBe(0);
    expect(binomialSampler(10, 1)(rng)).toBe(10);
    expect(triangularSampler(2, 2, 2)(rng)).toBe(2);
  });

  it('scenario distributions: samplerFor and meanOf agree', () => {
    const specs = [
      { dist: 'normal', mean: 3, sd: 1 },
      { dist: 'lognormal', median: 1, p95: 1.2 },
      { dist: 'pert', min: 0.45, mode: 0.6, max: 0.74, lambda: 4 },
      { dist: 'gamma', shape: 3, scale: 2 },
      { dist: 'empirical', values: [1, 2, 2, 7] },
    ] as const;
    for (const spec of specs) {
      const m = moments(samplerFor(spec as never), 100_000);
      expect(m.mean / meanOf(spec as never)).toBeCloseTo(1, 1);
    }
  });

  it('non-regression: seeded samples are pinned', () => {
    const rng = deriveStream(streamKey(5, 'pin'), 3);
    const draws = [
      normalSampler(0, 1)(rng),
      lognormalSampler({ mu: 0, sigma: 1 })(rng),
      triangularSampler(0, 1, 3)(rng),
      pertSampler(0, 1, 3)(rng),
      gammaSampler(2, 1)(rng),
      betaSampler(2, 3)(rng),
      poissonSampler(3)(rng),
      poissonSampler(40)(rng),
      binomialSampler(100, 0.4)(rng),
      exponentialSampler(1)(rng),
      exponentialSampler(1)(rng),
    ];
    expect(draws).toMatchInlineSnapshot(`
      [
        1.3555056862585708,
        0.4418834568816716,
        2.4395089198011326,
        1.2931013519928665,
        0.054461370481297934,
        0.6400853563161168,
        3,
        37,
        31,
        0.887626094263677,
        1.7836068670467042,
      ]
    `);
  });
});

describe('sampler factories reject bad parameters with the constraint and the value', () => {
  it('names the parameter', () => {
    expect(() => normalSampler(0, -1)).toThrow(InvalidParameterError);
    expect(() => normalSampler(0, -1)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidParameterError: normal: sd must be a finite number >= 0; received -1]`,
    );
    expect(() => triangularSampler(3, 2, 5)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidParameterError: triangular: mode must be >= min (3); received 2]`,
    );
    expect(() => binomialSampler(2.5, 0.5)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidParameterError: binomial: n must be a non-negative integer; received 2.5]`,
    );
    expect(() => poissonSampler(NaN)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidParameterError: poisson: mean must be a finite number >= 0; received NaN]`,
    );
    expect(() => lognormalParameters({ median: 1, p5: 0.5, p95: 4 })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidParameterError: lognormal: p95 must be close to median²/p5 = 2 (a lognormal's 90 % interval is symmetric in log space); received 4]`,
    );
  });
});
