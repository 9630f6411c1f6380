import { OptionError } from '../errors';
import { StreamSlot, streamKey, type RandomSource, type Seed, type StreamKey } from '../random/stream';

/**
 * A point estimate with a bootstrap confidence interval.
 *
 * @category Sensitivity
 */
export interface IndexEstimate {
  /** The estimate from the whole sample. */
  readonly estimate: number;
  /** Lower end of the percentile bootstrap interval. */
  readonly low: number;
  /** Upper end of the percentile bootstrap interval. */
  readonly high: number;
}

/**
 * Options of the estimators' bootstrap intervals.
 *
 * @category Sensitivity
 */
export interface SobolOptions {
  /** Number of bootstrap resamples (default 500; 0 gives intervals of zero width at the estimate). */
  readonly bootstrap?: number;
  /** Confidence level of the percentile interval, in (0, 1) (default 0.95). */
  readonly confidence?: number;
  /** Seed of the resampling streams (default 0): the same seed gives the same intervals. */
  readonly seed?: Seed;
}

/**
 * First-order and total Sobol' indices per input group, with the attribution shares built from
 * them, each with a bootstrap interval.
 *
 * @category Sensitivity
 */
export interface SobolEstimate {
  /** Per group, the first-order index S_i (Saltelli 2010): mean(fB·(fAB_i − fA)) / V. */
  readonly first: readonly IndexEstimate[];
  /** Per group, the total index ST_i (Jansen 1999): mean((fA − fAB_i)²) / 2 / V. */
  readonly total: readonly IndexEstimate[];
  /** Per group, the attribution share (S_i + ST_i) / 2 (see {@link sobolIndices}). */
  readonly shares: readonly IndexEstimate[];
  /** 1 − Σ shares: interactions among three or more groups, and estimation error. */
  readonly residual: IndexEstimate;
  /** V: the sample variance of fA and fB pooled (2N values, divisor 2N − 1). */
  readonly variance: number;
  /** The base sample size N. */
  readonly n: number;
  /** The model runs the design took: N · (k + 2) for k groups. */
  readonly runs: number;
  /** True when fA and fB are constant (V = 0): every index and interval is then 0. */
  readonly degenerate: boolean;
}

/**
 * The share of an output's variance carried by each level of a two-level Monte Carlo run.
 *
 * @category Sensitivity
 */
export interface TwoLevelEstimate {
  /** Share of the variance between outer draws (structural parameters). */
  readonly structural: IndexEstimate;
  /** Share of the variance within outer draws (year-to-year variability). */
  readonly within: IndexEstimate;
  /** The estimated total variance σ²_between + σ²_within. */
  readonly variance: number;
  /** Number of outer draws. */
  readonly outer: number;
  /** Number of inner draws per outer draw. */
  readonly inner: number;
}

/**
 * One row of Sobol' indices for a strategy, year and input group (as written to CSV and drawn).
 *
 * @category Sensitivity
 */
export interface SensitivityIndexRow {
  readonly strategy: string;
  readonly year: number;
  readonly group: string;
  readonly first: number;
  readonly firstLow: number;
  readonly firstHigh: number;
  readonly total: number;
  readonly totalLow: number;
  readonly totalHigh: number;
  readonly share: number;
  readonly shareLow: number;
  readonly shareHigh: number;
}

/**
 * One bar of a tornado: the output's median with one scalar input at its P10 (`low`) and at its
 * P90 (`high`), the other scalar inputs at their medians; `base` is the output's median with all
 * scalar inputs at their medians.
 *
 * @category Sensitivity
 */
export interface TornadoRow {
  readonly strategy: string;
  readonly year: number;
  readonly input: string;
  readonly group: string;
  readonly base: number;
  readonly low: number;
  readonly high: number;
  /** The input's P10. */
  readonly inputLow: number;
  /** The input's P90. */
  readonly inputHigh: number;
}

/**
 * The Spearman rank correlation of one scalar input with the output, with its bootstrap interval.
 *
 * @category Sensitivity
 */
export interface RankCorrelationRow {
  readonly strategy: string;
  readonly year: number;
  readonly input: string;
  readonly group: string;
  readonly rho: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The shares of a year's variance between and within outer draws, with intervals, and the
 * output's standard deviation.
 *
 * @category Sensitivity
 */
export interface TwoLevelRow {
  readonly strategy: string;
  readonly year: number;
  readonly structural: number;
  readonly structuralLow: number;
  readonly structuralHigh: number;
  readonly within: number;
  readonly withinLow: number;
  readonly withinHigh: number;
  /** The output's standard deviation (square root of {@link TwoLevelEstimate.variance}). */
  readonly sd: number;
}

/** @internal */
export interface Bootstrap {
  readonly resamples: number;
  readonly confidence: number;
  readonly seed: Seed;
}

/** The bootstrap's options checked, with their defaults. @internal */
export function bootstrapOptions(options: SobolOptions, where: string): Bootstrap {
  const resamples = options.bootstrap ?? 500;
  if (!(Number.isInteger(resamples) && resamples >= 0 && resamples <= 1_000_000)) {
    throw new OptionError(
      `${where}: bootstrap must be a whole number of resamples from 0 to 1000000; received ${String(resamples)}`,
      { option: `${where}: bootstrap`, received: resamples },
    );
  }
  const confidence = options.confidence ?? 0.95;
  if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
    throw new OptionError(
      `${where}: confidence must be a number between 0 and 1 (exclusive); received ${String(confidence)}`,
      { option: `${where}: confidence`, received: confidence },
    );
  }
  const seed = options.seed ?? 0;
  if (!(typeof seed === 'string' || (Number.isSafeInteger(seed) && seed >= 0))) {
    throw new OptionError(`${where}: seed must be a non-negative whole number or a string; received ${String(seed)}`, {
      option: `${where}: seed`,
      received: seed,
    });
  }
  return { resamples, confidence, seed };
}

/** Checks that every value is finite, naming the first that is not. */
function checkFinite(values: ArrayLike<number>, name: string, where: string): void {
  for (let j = 0; j < values.length; j++) {
    const v = values[j]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new OptionError(`${where}: ${name}[${j}] must be a finite number; received ${String(v)}`, {
        option: `${where}: ${name}`,
        received: v,
      });
    }
  }
}

function checkArray(values: unknown, name: string, where: string): asserts values is ArrayLike<number> {
  if (values === null || typeof values !== 'object' || typeof (values as { length?: unknown }).length !== 'number') {
    throw new OptionError(
      `${where}: ${name} must be an array of numbers; received ${values === null ? 'null' : typeof values}`,
      { option: `${where}: ${name}`, received: values },
    );
  }
}

/** The slot the resample streams are drawn from, and the key of the last seed asked for. */
const resamples = new StreamSlot();
let resampleKey: { readonly seed: Seed; readonly key: StreamKey } | undefined;

/**
 * The stream of bootstrap resample `r`: the library's seeded streams (`deriveStream(streamKey(seed,
 * 'bootstrap'), r)`), never `Math.random`; valid until the next call, which re-seeds the slot.
 */
function resampleStream(seed: Seed, r: number): RandomSource {
  if (resampleKey === undefined || resampleKey.seed !== seed) resampleKey = { seed, key: streamKey(seed, 'bootstrap') };
  return resamples.at(resampleKey.key, r);
}

/** Fills `idx` with n indices drawn uniformly with replacement from 0..n-1. */
function drawIndices(rng: RandomSource, idx: Uint32Array): void {
  const n = idx.length;
  for (let j = 0; j < n; j++) idx[j] = Math.floor(rng() * n);
}

/** The percentile interval of a set of bootstrap replicates (type 7 quantiles, as R and numpy). */
function percentileInterval(replicates: Float64Array, confidence: number, estimate: number): IndexEstimate {
  if (replicates.length === 0) return { estimate, low: estimate, high: estimate };
  const sorted = replicates.slice().sort();
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const a = sorted[lo]!;
    return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
  };
  const alpha = (1 - confidence) / 2;
  return { estimate, low: q(alpha), high: q(1 - alpha) };
}

const ZERO: IndexEstimate = Object.freeze({ estimate: 0, low: 0, high: 0 });

/**
 * Checks the pick-freeze outputs of {@link sobolIndices}: arrays of finite numbers, N ≥ 2 rows,
 * fB and every fAB_i of fA's length, at least one group.
 *
 * @returns N, the base sample size
 */
function checkPickFreeze(fA: Float64Array, fB: Float64Array, fAB: readonly Float64Array[], where: string): number {
  checkArray(fA, 'fA', where);
  checkArray(fB, 'fB', where);
  const n = fA.length;
  if (n < 2)
    throw new OptionError(`${where}: fA must hold at least 2 outputs (the base sample size N); received ${n}`, {
      option: `${where}: fA`,
      received: n,
    });
  if (fB.length !== n)
    throw new OptionError(`${where}: fB must have the length of fA (${n}); received ${fB.length}`, {
      option: `${where}: fB`,
      received: fB.length,
    });
  if (!Array.isArray(fAB) || fAB.length === 0) {
    throw new OptionError(
      `${where}: fAB must be an array with one output array per input group (at least one); received ${Array.isArray(fAB) ? 'an empty array' : String(fAB)}`,
      { option: `${where}: fAB`, received: fAB },
    );
  }
  fAB.forEach((f, i) => {
    checkArray(f, `fAB[${i}]`, where);
    if (f.length !== n)
      throw new OptionError(`${where}: fAB[${i}] must have the length of fA (${n}); received ${f.length}`, {
        option: `${where}: fAB[${i}]`,
        received: f.length,
      });
  });
  checkFinite(fA, 'fA', where);
  checkFinite(fB, 'fB', where);
  fAB.forEach((f, i) => checkFinite(f, `fAB[${i}]`, where));
  return n;
}

/** True when every value of fA and fB is the same (V = 0: nothing to attribute). */
function isConstant(fA: Float64Array, fB: Float64Array): boolean {
  const first0 = fA[0]!;
  for (let j = 0; j < fA.length; j++) if (fA[j] !== first0 || fB[j] !== first0) return false;
  return true;
}

/**
 * The pick-freeze design ready for the estimators: fA and fB centred on their pooled mean (`a`,
 * `b`), and per group the differences fAB_i − fA (`d`).
 */
interface CentredDesign {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly d: readonly Float64Array[];
}

/**
 * Centres fA and fB on their pooled mean once, so sums of squares keep their precision for
 * outputs far from zero (kr); the differences fAB_i − fA are taken from the raw values.
 */
function centredDesign(fA: Float64Array, fB: Float64Array, fAB: readonly Float64Array[]): CentredDesign {
  const n = fA.length;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += fA[j]! + fB[j]!;
  const m = sum / (2 * n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    a[j] = fA[j]! - m;
    b[j] = fB[j]! - m;
  }
  const d = fAB.map((f) => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = f[j]! - fA[j]!;
    return out;
  });
  return { a, b, d };
}

/**
 * The sums over the rows of one sample (the whole design or a bootstrap resample) that the
 * estimators read: of a, b, a², b², and per group of b·d_i, d_i and d_i². Filled in place by
 * {@link sumRows}, so a resample allocates nothing.
 */
interface RowSums {
  /** Rows summed: N. */
  readonly n: number;
  sa: number;
  sb: number;
  saa: number;
  sbb: number;
  readonly sbd: Float64Array;
  readonly sd: Float64Array;
  readonly sdd: Float64Array;
}

function rowSums(n: number, k: number): RowSums {
  return {
    n,
    sa: 0,
    sb: 0,
    saa: 0,
    sbb: 0,
    sbd: new Float64Array(k),
    sd: new Float64Array(k),
    sdd: new Float64Array(k),
  };
}

/**
 * Sums the rows `idx` of the design (or every row when `idx` is undefined) into `s`: hand-written
 * sums (no library), one pass over N·(k+2) values.
 */
function sumRows(design: CentredDesign, idx: Uint32Array | undefined, s: RowSums): void {
  const { a, b, d } = design;
  const { n, sbd, sd, sdd } = s;
  const k = d.length;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  sbd.fill(0);
  sd.fill(0);
  sdd.fill(0);
  for (let r = 0; r < n; r++) {
    const j = idx === undefined ? r : idx[r]!;
    const aj = a[j]!;
    const bj = b[j]!;
    sa += aj;
    sb += bj;
    saa += aj * aj;
    sbb += bj * bj;
    for (let i = 0; i < k; i++) {
      const dij = d[i]![j]!;
      sbd[i] = sbd[i]! + bj * dij;
      sd[i] = sd[i]! + dij;
      sdd[i] = sdd[i]! + dij * dij;
    }
  }
  s.sa = sa;
  s.sb = sb;
  s.saa = saa;
  s.sbb = sbb;
}

/** The pooled mean μ of a and b (2N values). */
function pooledMean(s: RowSums): number {
  return (s.sa + s.sb) / (2 * s.n);
}

/** V: the pooled sample variance of a and b (2N values, divisor 2N − 1), from their mean μ. */
function pooledVariance(s: RowSums, mu: number): number {
  return (s.saa + s.sbb - 2 * s.n * mu * mu) / (2 * s.n - 1);
}

/**
 * The first-order index S_i = mean(fB · (fAB_i − fA)) / V (Saltelli et al. 2010), with fB
 * centred on the pooled mean μ (the same expectation, less variance).
 */
function firstOrder(s: RowSums, i: number, mu: number, v: number): number {
  return (s.sbd[i]! - mu * s.sd[i]!) / s.n / v;
}

/** The total index ST_i = mean((fA − fAB_i)²) / 2 / V (Jansen 1999). */
function totalOrder(s: RowSums, i: number, v: number): number {
  return s.sdd[i]! / (2 * s.n) / v;
}

/** The attribution share of a group: (S_i + ST_i) / 2 (see {@link sobolIndices}). */
function attributionShare(first: number, total: number): number {
  return (first + total) / 2;
}

/**
 * The first-order and total indices of every group on the rows `idx` (every row when undefined),
 * into `first` and `total`; returns V, or 0 (and indices 0) when those rows are constant.
 */
function estimateIndices(
  design: CentredDesign,
  idx: Uint32Array | undefined,
  s: RowSums,
  first: Float64Array,
  total: Float64Array,
): number {
  sumRows(design, idx, s);
  const mu = pooledMean(s);
  const v = pooledVariance(s, mu);
  if (!(v > 0)) {
    first.fill(0);
    total.fill(0);
    return 0;
  }
  for (let i = 0; i < first.length; i++) {
    first[i] = firstOrder(s, i, mu, v);
    total[i] = totalOrder(s, i, v);
  }
  return v;
}

/** The bootstrap replicates of every index, share and the residual, one entry per resample. */
interface SobolReplicates {
  readonly first: readonly Float64Array[];
  readonly total: readonly Float64Array[];
  readonly shares: readonly Float64Array[];
  readonly residual: Float64Array;
}

/**
 * B bootstrap resamples of the N base rows with replacement (the same rows for fA, fB and every
 * fAB_i), resample r drawn from the seeded stream `deriveStream(streamKey(seed, 'bootstrap'), r)`;
 * a resample whose a and b are constant counts 0 for every index and the residual.
 */
function bootstrapReplicates(design: CentredDesign, s: RowSums, boot: Bootstrap): SobolReplicates {
  const k = design.d.length;
  const R = boot.resamples;
  const first = new Float64Array(k);
  const total = new Float64Array(k);
  const rep: SobolReplicates = {
    first: Array.from({ length: k }, () => new Float64Array(R)),
    total: Array.from({ length: k }, () => new Float64Array(R)),
    shares: Array.from({ length: k }, () => new Float64Array(R)),
    residual: new Float64Array(R),
  };
  const idx = new Uint32Array(s.n);
  for (let r = 0; r < R; r++) {
    drawIndices(resampleStream(boot.seed, r), idx);
    const v = estimateIndices(design, idx, s, first, total);
    let sumShares = 0;
    for (let i = 0; i < k; i++) {
      rep.first[i]![r] = first[i]!;
      rep.total[i]![r] = total[i]!;
      const share = attributionShare(first[i]!, total[i]!);
      rep.shares[i]![r] = share;
      sumShares += share;
    }
    rep.residual[r] = v > 0 ? 1 - sumShares : 0;
  }
  return rep;
}

/**
 * First-order and total Sobol' indices of k independent input groups from a pick-freeze design,
 * with percentile bootstrap intervals and attribution shares.
 *
 * The design: two independent base samples A and B of N rows; `fA[j]` and `fB[j]` are the
 * output at row j of A and of B, and `fAB[i][j]` the output at row j of A with group i's inputs
 * taken from row j of B (Saltelli's A_B^(i)). With V the variance of fA and fB pooled:
 * - first-order S_i = mean(fB · (fAB_i − fA)) / V (Saltelli et al. 2010), with fB centred on
 *   the pooled mean (the same expectation, less variance);
 * - total ST_i = mean((fA − fAB_i)²) / 2 / V (Jansen 1999).
 * The design costs N · (k + 2) model runs (`runs`).
 * No second-order index is estimated: it needs the runs B_A^(i) as well (N · (2k + 2) in all);
 * the attribution shares and `residual` account for interactions instead.
 *
 * The attribution share of group i is (S_i + ST_i) / 2. For independent groups it equals the
 * group's Shapley effect exactly when the output has interactions of at most two groups: each
 * pairwise interaction V_ij is then split half and half between i and j, the shares sum to one,
 * and `residual` (1 − Σ shares) is zero up to estimation error. An interaction V_u of d ≥ 3
 * groups enters the total index of each of its d groups and no first-order index, so the shares
 * count it d/2 times where the Shapley effects count it once (1/d to each): it shows in
 * `residual` as (1 − d/2) · V_u / V, below zero, together with the estimation error. (Owen 2014,
 * "Sobol' indices and Shapley
 * value", SIAM/ASA J. Uncertainty Quantification 2; Song, Nelson & Staum 2016, "Shapley effects
 * for global sensitivity analysis: theory and computation", SIAM/ASA JUQ 4.) The groups of
 * carebudget are independent by construction: each draws from its own stream.
 *
 * Intervals: B bootstrap resamples of the N base rows with replacement (the same rows j for fA,
 * fB and every fAB_i), each from the seeded stream `deriveStream(streamKey(seed, 'bootstrap'),
 * r)`, so a seed gives the same intervals; percentile intervals (type 7 quantiles). A resample
 * whose fA and fB are constant counts 0 for every index. Estimates are not clipped: a first-order
 * index of a group without effect may be slightly negative.
 *
 * When fA and fB are constant (V = 0) there is no variance to attribute: every index, share,
 * residual and interval is 0 and `degenerate` is true.
 *
 * @param fA - outputs on base sample A (length N ≥ 2)
 * @param fB - outputs on base sample B (length N)
 * @param fAB - per group i, outputs on A with group i taken from B (each of length N; k ≥ 1)
 * @param options - bootstrap resamples (default 500), confidence (default 0.95), seed (default 0)
 * @returns indices, shares and residual with intervals, V, N, the model runs, and whether V = 0
 * @throws {@link OptionError} naming the argument for N < 2, lengths that differ, no group, a
 *   value that is not finite, or an option out of range
 * @example
 * ```ts
 * // y = x1 + x2 on four rows: A has x1 = 0, 0, 1, 1 and x2 = 0, 1, 1, 2;
 * // B has x1 = 1, 0, 0, 1 and x2 = 2, 0, 1, 1.
 * const fA = Float64Array.from([0, 1, 2, 3]);
 * const fB = Float64Array.from([3, 0, 1, 2]);
 * const e = sobolIndices(fA, fB, [Float64Array.from([1, 1, 1, 3]), Float64Array.from([2, 0, 2, 2])], { bootstrap: 0 });
 * e.runs; //=> 16
 * e.total.map((t) => t.estimate); //=> [0.175, 0.525]
 * ```
 * @category Sensitivity
 */
export function sobolIndices(
  fA: Float64Array,
  fB: Float64Array,
  fAB: readonly Float64Array[],
  options: SobolOptions = {},
): SobolEstimate {
  const where = 'sobolIndices';
  const n = checkPickFreeze(fA, fB, fAB, where);
  const boot = bootstrapOptions(options, where);
  const k = fAB.length;
  const runs = n * (k + 2);
  if (isConstant(fA, fB)) {
    const zeros = Array.from({ length: k }, () => ZERO);
    return { first: zeros, total: zeros, shares: zeros, residual: ZERO, variance: 0, n, runs, degenerate: true };
  }

  const design = centredDesign(fA, fB, fAB);
  const sums = rowSums(n, k);
  const first = new Float64Array(k);
  const total = new Float64Array(k);
  const variance = estimateIndices(design, undefined, sums, first, total);
  const pointFirst = Array.from(first);
  const pointTotal = Array.from(total);
  const pointShares = pointFirst.map((s, i) => attributionShare(s, pointTotal[i]!));
  const pointResidual = 1 - pointShares.reduce((x, y) => x + y, 0);

  const rep = bootstrapReplicates(design, sums, boot);
  const c = boot.confidence;
  return {
    first: pointFirst.map((s, i) => percentileInterval(rep.first[i]!, c, s)),
    total: pointTotal.map((s, i) => percentileInterval(rep.total[i]!, c, s)),
    shares: pointShares.map((s, i) => percentileInterval(rep.shares[i]!, c, s)),
    residual: percentileInterval(rep.residual, c, pointResidual),
    variance,
    n,
    runs,
    degenerate: false,
  };
}

/**
 * A sample's values numbered by class of equal values, in increasing order: sorted once, it
 * gives the average ranks of the sample or of any resample of it by counting (see
 * {@link SampleRanks.ranks}), where sorting each resample again costs a sort per resample.
 */
class SampleRanks {
  private readonly cls: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly classRank: Float64Array;

  constructor(x: ArrayLike<number>) {
    const n = x.length;
    const order = Array.from({ length: n }, (_, r) => r).sort((p, q) => x[p]! - x[q]!);
    this.cls = new Uint32Array(n);
    let c = -1;
    for (let t = 0; t < n; t++) {
      if (t === 0 || x[order[t]!]! !== x[order[t - 1]!]!) c++;
      this.cls[order[t]!] = c;
    }
    this.counts = new Uint32Array(c + 1);
    this.classRank = new Float64Array(c + 1);
  }

  /**
   * Ranks from 1 to n of the sample (or of its resample `idx`), ties given the average of the
   * ranks they span: (start + end + 1)/2 for the positions [start, end) a class takes in sorted
   * order, as sorting the resample would give.
   */
  ranks(idx: Uint32Array | undefined, out: Float64Array): Float64Array {
    const { cls, counts, classRank } = this;
    const n = out.length;
    counts.fill(0);
    for (let r = 0; r < n; r++) counts[cls[idx === undefined ? r : idx[r]!]!]!++;
    let start = 0;
    for (let c = 0; c < counts.length; c++) {
      const end = start + counts[c]!;
      classRank[c] = (start + end + 1) / 2;
      start = end;
    }
    for (let r = 0; r < n; r++) out[r] = classRank[cls[idx === undefined ? r : idx[r]!]!]!;
    return out;
  }
}

/** Ranks from 1 to n, ties given the average of the ranks they span. */
function averageRanks(x: ArrayLike<number>): Float64Array {
  return new SampleRanks(x).ranks(undefined, new Float64Array(x.length));
}

/** Pearson correlation of two rank vectors; 0 when either is constant. */
function pearson(rx: Float64Array, ry: Float64Array): number {
  const n = rx.length;
  let mx = 0;
  let my = 0;
  for (let j = 0; j < n; j++) {
    mx += rx[j]!;
    my += ry[j]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < n; j++) {
    const dx = rx[j]! - mx;
    const dy = ry[j]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0 && syy > 0)) return 0;
  const rho = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, rho));
}

function checkPairs(x: ArrayLike<number>, y: ArrayLike<number>, where: string): void {
  checkArray(x, 'x', where);
  checkArray(y, 'y', where);
  if (x.length < 2)
    throw new OptionError(`${where}: x must hold at least 2 values; received ${x.length}`, {
      option: `${where}: x`,
      received: x.length,
    });
  if (y.length !== x.length)
    throw new OptionError(`${where}: y must have the length of x (${x.length}); received ${y.length}`, {
      option: `${where}: y`,
      received: y.length,
    });
  checkFinite(x, 'x', where);
  checkFinite(y, 'y', where);
}

/**
 * Spearman's rank correlation of two samples: the Pearson correlation of their ranks, tied
 * values given the average of the ranks they share. When either sample is constant its ranks
 * do not vary and the correlation is undefined; this function then returns 0 (no monotone
 * association can be seen), never NaN.
 *
 * @param x - the first sample (at least 2 finite values)
 * @param y - the second sample, of the same length
 * @returns ρ_s in [−1, 1]
 * @throws {@link OptionError} naming the argument for fewer than 2 values, lengths that differ,
 *   or a value that is not finite
 * @example
 * ```ts
 * spearman([1, 2, 2, 4], [10, 30, 20, 40]); //=> 0.9486…
 * spearman([1, 1, 1], [3, 2, 1]); //=> 0
 * ```
 * @category Sensitivity
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPairs(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Spearman's rank correlation (see {@link spearman}) with a percentile bootstrap interval:
 * resamples of the pairs (x_j, y_j) with replacement, each from the seeded stream
 * `deriveStream(streamKey(seed, 'bootstrap'), r)`, ranks recomputed in every resample (by
 * counting each class of equal values, from one sort of each sample).
 *
 * @param x - the first sample (at least 2 finite values)
 * @param y - the second sample, of the same length
 * @param options - bootstrap resamples (default 500), confidence (default 0.95), seed (default 0)
 * @returns ρ_s and its interval
 * @throws {@link OptionError} naming the argument for fewer than 2 values, lengths that differ,
 *   a value that is not finite, or an option out of range
 * @example
 * ```ts
 * const r = rankCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], { bootstrap: 200 });
 * r.estimate; //=> 0.8
 * r.low <= r.estimate && r.estimate <= r.high; //=> true
 * ```
 * @category Sensitivity
 */
export function rankCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, options: SobolOptions = {}): IndexEstimate {
  const where = 'rankCorrelation';
  checkPairs(x, y, where);
  const boot = bootstrapOptions(options, where);
  const n = x.length;
  const sx = new SampleRanks(x);
  const sy = new SampleRanks(y);
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const rho = pearson(sx.ranks(undefined, rx), sy.ranks(undefined, ry));
  const reps = new Float64Array(boot.resamples);
  const idx = new Uint32Array(n);
  for (let r = 0; r < boot.resamples; r++) {
    drawIndices(resampleStream(boot.seed, r), idx);
    reps[r] = pearson(sx.ranks(idx, rx), sy.ranks(idx, ry));
  }
  return percentileInterval(reps, boot.confidence, rho);
}

/**
 * The shares of an output's variance between and within outer draws of a two-level Monte Carlo
 * run (structural parameters drawn once per outer draw, variability drawn within), by one-way
 * random-effects analysis of variance.
 *
 * With m_o the mean and s²_o the sample variance (divisor inner − 1) of outer draw o:
 * σ²_within = mean of s²_o; σ²_between = Var(m_o) − σ²_within / inner (divisor outer − 1; an
 * unbiased estimate, clipped at 0 when sampling makes it negative); the shares are each over
 * their sum, which is `variance`. Intervals: percentile bootstrap over the outer draws (each
 * keeps its inner draws), from the seeded stream `deriveStream(streamKey(seed, 'bootstrap'), r)`.
 * A constant output has shares 0 and 0.
 *
 * @param values - the outputs, `values[o * inner + w]` for outer draw o and inner draw w
 * @param outer - number of outer draws (at least 2)
 * @param inner - number of inner draws per outer draw (at least 2)
 * @param options - bootstrap resamples (default 500), confidence (default 0.95), seed (default 0)
 * @returns the structural and within shares with intervals, the total variance, and the design
 * @throws {@link OptionError} naming the argument for `outer` or `inner` below 2 or not whole,
 *   `values` of a length other than outer · inner, a value that is not finite, or an option out
 *   of range
 * @example
 * ```ts
 * // Two outer draws (means 1 and 3), two inner draws each (variance 2 within each):
 * // between = Var(means) − within / inner = 2 − 2 / 2 = 1.
 * const e = twoLevelVariance(Float64Array.from([0, 2, 2, 4]), 2, 2, { bootstrap: 0 });
 * e.variance; //=> 3
 * e.structural.estimate; //=> 0.3333…
 * ```
 * @category Sensitivity
 */
export function twoLevelVariance(
  values: Float64Array,
  outer: number,
  inner: number,
  options: SobolOptions = {},
): TwoLevelEstimate {
  const where = 'twoLevelVariance';
  checkArray(values, 'values', where);
  for (const [name, v] of [
    ['outer', outer],
    ['inner', inner],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 2))
      throw new OptionError(`${where}: ${name} must be a whole number of draws, at least 2; received ${String(v)}`, {
        option: `${where}: ${name}`,
        received: v,
      });
  }
  if (values.length !== outer * inner) {
    throw new OptionError(
      `${where}: values must hold outer × inner = ${outer * inner} outputs; received ${values.length}`,
      { option: `${where}: values`, received: values.length },
    );
  }
  checkFinite(values, 'values', where);
  const boot = bootstrapOptions(options, where);
  const means = new Float64Array(outer);
  const vars = new Float64Array(outer);
  for (let o = 0; o < outer; o++) {
    let s = 0;
    for (let w = 0; w < inner; w++) s += values[o * inner + w]!;
    const m = s / inner;
    let ss = 0;
    for (let w = 0; w < inner; w++) {
      const dv = values[o * inner + w]! - m;
      ss += dv * dv;
    }
    means[o] = m;
    vars[o] = ss / (inner - 1);
  }
  /** [between, within] of the outer draws `idx` (or all). */
  const components = (idx: Uint32Array | undefined): [number, number] => {
    let sm = 0;
    let sv = 0;
    for (let r = 0; r < outer; r++) {
      const o = idx === undefined ? r : idx[r]!;
      sm += means[o]!;
      sv += vars[o]!;
    }
    const mm = sm / outer;
    let ssm = 0;
    for (let r = 0; r < outer; r++) {
      const dv = means[idx === undefined ? r : idx[r]!]! - mm;
      ssm += dv * dv;
    }
    const within = sv / outer;
    return [Math.max(0, ssm / (outer - 1) - within / inner), within];
  };
  const share = ([between, within]: [number, number]): [number, number] => {
    const t = between + within;
    return t > 0 ? [between / t, within / t] : [0, 0];
  };
  const point = components(undefined);
  const [structural, within] = share(point);
  const repS = new Float64Array(boot.resamples);
  const repW = new Float64Array(boot.resamples);
  const idx = new Uint32Array(outer);
  for (let r = 0; r < boot.resamples; r++) {
    drawIndices(resampleStream(boot.seed, r), idx);
    const [s, w] = share(components(idx));
    repS[r] = s;
    repW[r] = w;
  }
  return {
    structural: percentileInterval(repS, boot.confidence, structural),
    within: percentileInterval(repW, boot.confidence, within),
    variance: point[0] + point[1],
    outer,
    inner,
  };
}

/**
 * Flattens a {@link SobolEstimate} into one row per input group, for CSV and charts.
 *
 * @param strategy - the strategy's id
 * @param year - the year the output belongs to
 * @param groups - the groups' names, in the order of the estimate's `fAB`
 * @param e - from {@link sobolIndices}
 * @returns one {@link SensitivityIndexRow} per group
 * @throws {@link OptionError} when `groups` does not name every group of the estimate
 * @example
 * ```ts
 * const e = sobolIndices(Float64Array.from([0, 1, 2, 3]), Float64Array.from([3, 0, 1, 2]), [Float64Array.from([1, 1, 1, 3]), Float64Array.from([2, 0, 2, 2])], { bootstrap: 0 });
 * sobolRows('frame', 2030, ['demography', 'prices'], e).map((r) => r.group); //=> ['demography', 'prices']
 * ```
 * @category Sensitivity
 */
export function sobolRows(
  strategy: string,
  year: number,
  groups: readonly string[],
  e: SobolEstimate,
): SensitivityIndexRow[] {
  if (!Array.isArray(groups) || groups.length !== e.first.length) {
    throw new OptionError(
      `sobolRows: groups must name the estimate's ${e.first.length} groups; received ${Array.isArray(groups) ? groups.length : String(groups)}`,
      { option: 'sobolRows: groups', received: groups },
    );
  }
  return groups.map((group, i) => {
    const f = e.first[i]!;
    const t = e.total[i]!;
    const s = e.shares[i]!;
    return {
      strategy,
      year,
      group,
      first: f.estimate,
      firstLow: f.low,
      firstHigh: f.high,
      total: t.estimate,
      totalLow: t.low,
      totalHigh: t.high,
      share: s.estimate,
      shareLow: s.low,
      shareHigh: s.high,
    };
  });
}
