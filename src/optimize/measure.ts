/**
 * Measures of a candidate's per-path values: the statistic a problem names, its Monte Carlo
 * interval by a bootstrap over paths, and the paired probability that one candidate beats
 * another on the same paths.
 */
import alea from 'seedrandom/lib/alea.js';
import type { SimulationResult } from '../simulation/result';
import { figureValues, metricValues } from '../results/values';
import { expectedShortfallSorted, quantileSorted } from '../results/statistics';
import type { MeasureSpec, Statistic } from './problem';

/**
 * The per-path values a measure reads for one strategy of a result: one year, or a span of years
 * (kr and units summed; shares as the span's sum over the span's adopted budget or needs;
 * metrics averaged).
 */
export function measureValues(result: SimulationResult, strategy: string, m: MeasureSpec): Float64Array {
  const n = result.pathCount;
  if (m.metric !== undefined) {
    const out = new Float64Array(n);
    for (let y = m.from; y <= m.to; y++) {
      const v = metricValues(result, { strategy, year: y, metric: m.metric });
      for (let i = 0; i < n; i++) out[i] = out[i]! + v[i]!;
    }
    const k = m.to - m.from + 1;
    for (let i = 0; i < n; i++) out[i] = out[i]! / k;
    return out;
  }
  const figure = m.figure!;
  const at = (year: number, f: typeof figure) =>
    figureValues(result, { strategy, service: m.service, year, figure: f });
  if (m.from === m.to) return Float64Array.from(at(m.from, figure));
  const sum = (f: typeof figure) => {
    const out = new Float64Array(n);
    for (let y = m.from; y <= m.to; y++) {
      const v = at(y, f);
      for (let i = 0; i < n; i++) out[i] = out[i]! + v[i]!;
    }
    return out;
  };
  if (figure === 'serviceGapShare') {
    const needed = sum('neededUnits');
    const ordered = sum('orderedUnits');
    return needed.map((x, i) => (x > 0 ? 1 - ordered[i]! / x : 0));
  }
  if (figure.endsWith('Pct')) {
    const kr = sum(figure.replace(/Pct$/, 'Kr') as typeof figure);
    const adopted = sum('adoptedBudgetKr');
    return kr.map((x, i) => (adopted[i]! !== 0 ? x / Math.abs(adopted[i]!) : 0));
  }
  return sum(figure);
}

/** A statistic of values (sorted ascending when `sorted` is true, else sorted here on a copy). */
export function statisticOf(values: Float64Array, s: Statistic, sorted = false): number {
  const n = values.length;
  switch (s.kind) {
    case 'mean': {
      let t = 0;
      for (let i = 0; i < n; i++) t += values[i]!;
      return t / n;
    }
    case 'probability': {
      let k = 0;
      for (let i = 0; i < n; i++) if (s.above ? values[i]! > s.threshold : values[i]! < s.threshold) k++;
      return k / n;
    }
    default: {
      const v = sorted ? values : Float64Array.from(values).sort();
      return s.kind === 'quantile' ? quantileSorted(v, s.p) : expectedShortfallSorted(v, s.p);
    }
  }
}

/** Resamples of path indices, the same for every candidate so that comparisons stay paired. */
export function bootstrapIndices(n: number, resamples: number, seed: string): Uint32Array[] {
  const rng = alea(seed);
  return Array.from({ length: resamples }, () => {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rng() * n);
    return idx;
  });
}

/** The statistic on each bootstrap resample. */
export function bootstrapStatistics(values: Float64Array, s: Statistic, indices: readonly Uint32Array[]): Float64Array {
  const out = new Float64Array(indices.length);
  const buf = new Float64Array(values.length);
  const ordered = s.kind === 'quantile' || s.kind === 'es';
  indices.forEach((idx, b) => {
    for (let i = 0; i < idx.length; i++) buf[i] = values[idx[i]!]!;
    // Percentiles sort the resample in place: no copy per resample.
    if (ordered) buf.sort();
    out[b] = statisticOf(buf, s, ordered);
  });
  return out;
}

/** An estimate with its Monte Carlo interval. @category Optimisation */
export interface Estimate {
  readonly value: number;
  /** A 90 % interval by the percentile bootstrap over paths. */
  readonly low: number;
  readonly high: number;
}

/** The 90 % percentile interval of bootstrap values around an estimate. */
export function interval(value: number, boot: Float64Array): Estimate {
  const sorted = Float64Array.from(boot).sort();
  return { value, low: quantileSorted(sorted, 0.05), high: quantileSorted(sorted, 0.95) };
}
