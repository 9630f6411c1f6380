import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveStream,
  normalSampler,
  sobolIndices,
  streamKey,
  uniformSampler,
  type SobolEstimate,
} from '../../src/index';

/** The pick-freeze outputs fA, fB and fAB_i of a model of k scalar inputs, one seeded stream per row. */
function pickFreeze(
  model: (x: readonly number[]) => number,
  draw: readonly ((rng: () => number) => number)[],
  n: number,
  seed: number,
): { fA: Float64Array; fB: Float64Array; fAB: Float64Array[] } {
  const sample = (name: string) => {
    const key = streamKey(seed, name);
    return Array.from({ length: n }, (_, j) => {
      const rng = deriveStream(key, j);
      return draw.map((d) => d(rng));
    });
  };
  const A = sample('A');
  const B = sample('B');
  const fA = Float64Array.from(A, model);
  const fB = Float64Array.from(B, model);
  const fAB = draw.map((_, i) => Float64Array.from(A, (a, j) => model(a.map((x, l) => (l === i ? B[j]![i]! : x)))));
  return { fA, fB, fAB };
}

/** A hash of every number of an estimate, bit for bit (the bytes of the doubles). */
function hashOf(e: SobolEstimate): string {
  const numbers: number[] = [e.variance, e.n, e.runs, e.degenerate ? 1 : 0];
  for (const x of [...e.first, ...e.total, ...e.shares, e.residual]) numbers.push(x.estimate, x.low, x.high);
  return createHash('sha256')
    .update(new Uint8Array(Float64Array.from(numbers).buffer))
    .digest('hex')
    .slice(0, 16);
}

const PI = Math.PI;
const ishigami = (x: readonly number[]) =>
  Math.sin(x[0]!) + 7 * Math.sin(x[1]!) ** 2 + 0.1 * x[2]! ** 4 * Math.sin(x[0]!);
const u = uniformSampler(-PI, PI);
const z = normalSampler(0, 1);

describe('sobolIndices gives bit-identical results on seeded inputs', () => {
  const cases: [string, () => SobolEstimate, string][] = [
    [
      'Ishigami, N = 20000, 99 %',
      () => {
        const d = pickFreeze(ishigami, [u, u, u], 20_000, 7);
        return sobolIndices(d.fA, d.fB, d.fAB, { confidence: 0.99 });
      },
      '0f678b67e9640f28',
    ],
    [
      'a linear model far from zero (kr), N = 1000, seed "kr"',
      () => {
        const d = pickFreeze((x) => 5e8 + 1e6 * x[0]! + 3e5 * x[1]!, [z, z], 1000, 11);
        return sobolIndices(d.fA, d.fB, d.fAB, { seed: 'kr', bootstrap: 300 });
      },
      'df87caf3a3455b7e',
    ],
    [
      'a three-way interaction, N = 2000, 200 resamples',
      () => {
        const d = pickFreeze((x) => x[0]! * x[1]! * x[2]!, [z, z, z], 2000, 4);
        return sobolIndices(d.fA, d.fB, d.fAB, { bootstrap: 200, confidence: 0.9 });
      },
      'ed645c4e87b774a5',
    ],
    [
      'outputs with ties and resamples that may be constant, N = 5',
      () => {
        const d = pickFreeze((x) => (x[0]! > 0 ? 1 : 0) + (x[1]! > 1 ? 2 : 0), [z, z], 5, 2);
        return sobolIndices(d.fA, d.fB, d.fAB, { seed: 3 });
      },
      '8e2caf08c089006a',
    ],
    [
      'a constant output (degenerate)',
      () => sobolIndices(new Float64Array(4).fill(2), new Float64Array(4).fill(2), [new Float64Array(4).fill(2)]),
      '56bbcdd42310da4a',
    ],
  ];
  it.each(cases)('%s', (_, run, hash) => {
    expect(hashOf(run())).toBe(hash);
  });
});
