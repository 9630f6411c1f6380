import { OptionError } from '../errors';
/**
 * A mergeable t-digest (Dunning's merging digest with the k1 scale function): a compact sketch
 * of a distribution from which quantiles and tail means can be read with small relative rank
 * error, concentrated accuracy in the tails. Two digests of disjoint samples merge into the
 * digest of their union, so summaries of a run split over threads or machines can be combined.
 *
 * Accuracy (measured in the tests, compression 200): the rank error of P5, P50, P95 and P99 of
 * 100,000 lognormal draws is below 0.2 percentage points.
 *
 * @category Statistics
 */
export class TDigest {
  readonly compression: number;
  private means: Float64Array;
  private weights: Float64Array;
  private size = 0;
  private buffer: Float64Array;
  private buffered = 0;
  /** Scratch of compress: the merged centroids before they are combined. */
  private scratchMeans = new Float64Array(0);
  private scratchWeights = new Float64Array(0);
  private minValue = Infinity;
  private maxValue = -Infinity;
  private total = 0;
  private readonly cosC: number;
  private readonly sinC: number;

  /**
   * @param compression - δ, the number of centroids is at most about δ (default 200)
   * @throws RangeError when compression is not a number >= 20
   */
  constructor(compression = 200) {
    if (!(compression >= 20 && Number.isFinite(compression)))
      throw new OptionError(`TDigest: compression must be a number >= 20; received ${String(compression)}`, {
        option: 'TDigest: compression',
        received: compression,
      });
    this.compression = compression;
    this.means = new Float64Array(Math.ceil(compression) * 2 + 10);
    this.weights = new Float64Array(this.means.length);
    this.buffer = new Float64Array(Math.ceil(compression) * 10);
    // cos and sin of c = 2π/δ (c <= 0.32) by their Taylor series: exact to the last bit, on any engine.
    const c = (2 * Math.PI) / compression;
    let term = 1;
    let cos = 1;
    let sin = 0;
    for (let n = 1; n <= 24; n++) {
      term *= c / n;
      if (n % 4 === 1) sin += term;
      else if (n % 4 === 2) cos -= term;
      else if (n % 4 === 3) sin -= term;
      else cos += term;
    }
    this.cosC = cos;
    this.sinC = sin;
  }

  /** Number of values added. */
  get count(): number {
    return this.total + this.buffered;
  }

  /** Adds a value. */
  add(x: number): void {
    if (this.buffered === this.buffer.length) this.flush();
    this.buffer[this.buffered++] = x;
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
  }

  /** Adds another digest's values to this one. */
  merge(other: TDigest): void {
    other.flush();
    this.flush();
    this.compress(other.means.subarray(0, other.size), other.weights.subarray(0, other.size));
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const values = this.buffer.subarray(0, this.buffered).sort();
    this.buffered = 0;
    this.compress(values, undefined);
  }

  /**
   * Merges centroids (sorted by mean; `addWeights` undefined: each of weight 1) into the digest,
   * keeping each centroid within the k1 size limit.
   *
   * The digest's own centroids are sorted by mean and so are the added ones, so the two runs are
   * merged in one pass, the digest's centroid first on equal means (hand-written for speed: a
   * streaming summary adds about a thousand values a path; an index sort with a comparator cost
   * as much as half the simulation). Output and scratch buffers are kept between calls.
   */
  private compress(addMeans: Float64Array, addWeights: Float64Array | undefined): void {
    const size = this.size;
    const added = addMeans.length;
    const n = size + added;
    if (n === 0) return;
    if (this.scratchMeans.length < n) {
      this.scratchMeans = new Float64Array(n * 2);
      this.scratchWeights = new Float64Array(n * 2);
    }
    const m = this.scratchMeans;
    const w = this.scratchWeights;
    const ownM = this.means;
    const ownW = this.weights;
    // Merge the two sorted runs: the digest's own centroid first on equal means, as a stable sort
    // of the two runs placed one after the other would order them.
    let a = 0;
    let b = 0;
    let k = 0;
    let total = 0;
    while (a < size || b < added) {
      if (b >= added || (a < size && !(addMeans[b]! < ownM[a]!))) {
        m[k] = ownM[a]!;
        w[k] = ownW[a]!;
        a++;
      } else {
        m[k] = addMeans[b]!;
        w[k] = addWeights === undefined ? 1 : addWeights[b]!;
        b++;
      }
      k++;
    }
    for (let i = 0; i < n; i++) total += w[i]!;
    // The k1 scale k(q) = δ/(2π)·asin(2q − 1) allows a centroid to grow until k rises by 1:
    // q_limit = (sin(asin(x) + c) + 1)/2 with x = 2q − 1 and c = 2π/δ, which is
    // (x·cos c + √(1 − x²)·sin c + 1)/2, or 1 once asin(x) + c passes π/2 (x > cos c).
    // Only +, ×, √ and two constants: the same bits on every engine.
    const cosC = this.cosC;
    const sinC = this.sinC;
    const limitAt = (q: number) => {
      const x = 2 * q - 1;
      return x > cosC ? 1 : (x * cosC + Math.sqrt(Math.max(0, 1 - x * x)) * sinC + 1) / 2;
    };
    // At most n centroids come out; they are written over the digest's own arrays, which the
    // merge above has finished reading.
    if (this.means.length < n) {
      this.means = new Float64Array(n * 2);
      this.weights = new Float64Array(n * 2);
    }
    const outM = this.means;
    const outW = this.weights;
    let out = 0;
    let curM = m[0]!;
    let curW = w[0]!;
    let before = 0;
    let limit = total * limitAt(0);
    for (let j = 1; j < n; j++) {
      const wj = w[j]!;
      if (before + curW + wj <= limit) {
        curW += wj;
        curM += ((m[j]! - curM) * wj) / curW;
      } else {
        outM[out] = curM;
        outW[out] = curW;
        out++;
        before += curW;
        limit = total * limitAt(before / total);
        curM = m[j]!;
        curW = wj;
      }
    }
    outM[out] = curM;
    outW[out] = curW;
    this.size = out + 1;
    this.total = total;
  }

  /**
   * Estimated quantile.
   *
   * @param q - probability in [0, 1]
   * @returns the estimate (NaN for an empty digest)
   */
  quantile(q: number): number {
    this.flush();
    if (this.size === 0) return NaN;
    if (q <= 0) return this.minValue;
    if (q >= 1) return this.maxValue;
    const target = q * this.total;
    const n = this.size;
    // Centroid i covers cumulative weight [c_i - w_i/2, c_i + w_i/2] around its centre c_i.
    let cum = 0;
    for (let i = 0; i < n; i++) {
      const wi = this.weights[i]!;
      const centre = cum + wi / 2;
      if (target < centre) {
        if (i === 0) {
          const t = wi > 1 ? target / centre : 1;
          return this.minValue + t * (this.means[0]! - this.minValue);
        }
        const prevCentre = cum - this.weights[i - 1]! / 2;
        const t = (target - prevCentre) / (centre - prevCentre);
        return this.means[i - 1]! + t * (this.means[i]! - this.means[i - 1]!);
      }
      cum += wi;
    }
    const lastCentre = this.total - this.weights[n - 1]! / 2;
    const t = (target - lastCentre) / (this.total - lastCentre);
    return this.means[n - 1]! + t * (this.maxValue - this.means[n - 1]!);
  }

  /**
   * Estimated mean of the values at or above the quantile at `level` (expected shortfall).
   *
   * @param level - probability in [0, 1)
   * @returns the tail mean (NaN for an empty digest)
   */
  tailMean(level: number): number {
    this.flush();
    if (this.size === 0) return NaN;
    const from = level * this.total;
    let cum = 0;
    let sum = 0;
    let weight = 0;
    for (let i = 0; i < this.size; i++) {
      const wi = this.weights[i]!;
      const part = Math.min(wi, Math.max(0, cum + wi - from));
      sum += part * this.means[i]!;
      weight += part;
      cum += wi;
    }
    return weight > 0 ? sum / weight : this.maxValue;
  }

  /** Plain data for JSON or structured cloning. */
  toJSON(): TDigestData {
    this.flush();
    return {
      compression: this.compression,
      means: Array.from(this.means.subarray(0, this.size)),
      weights: Array.from(this.weights.subarray(0, this.size)),
      min: this.minValue,
      max: this.maxValue,
    };
  }

  /**
   * Rebuilds a digest from {@link TDigest.toJSON}'s data.
   *
   * @param data - the data
   * @returns the digest
   */
  static fromJSON(data: TDigestData): TDigest {
    const d = new TDigest(data.compression);
    d.compress(Float64Array.from(data.means), Float64Array.from(data.weights));
    d.minValue = data.min;
    d.maxValue = data.max;
    return d;
  }
}

/** A t-digest as plain data. @category Statistics */
export interface TDigestData {
  readonly compression: number;
  readonly means: readonly number[];
  readonly weights: readonly number[];
  readonly min: number;
  readonly max: number;
}
