import {
  allocateResult,
  mergeResults,
  RECORDED_FIGURES,
  resultMeta,
  ResultError,
  type RecordedFigure,
  type ResultLabel,
  type SimulationResult,
} from '../simulation/result';
import { OptionError } from '../errors';
import { FIGURE_NAMES, figureValues, metricValues, strategyIndex, TOTAL, yearIndex, type Figure } from './values';
import { TDigest, type TDigestData } from './tdigest';

/** One figure's running summary: moments, extremes, exceedance counts and a t-digest. @category Results */
export interface SummaryCellData {
  readonly n: number;
  readonly mean: number;
  /** Sum of squared deviations from the mean (Welford / Chan). */
  readonly m2: number;
  readonly min: number;
  readonly max: number;
  /** Count of values above each of the result's `thresholds`. */
  readonly exceed: readonly number[];
  readonly digest: TDigestData;
}

/**
 * A run's results as mergeable streaming summaries instead of per-path values: memory does not
 * grow with the number of paths. Per figure, strategy, service key and year it keeps the count,
 * mean and variance (exact), min and max (exact), exceedance counts at `thresholds` (exact) and
 * a t-digest for percentiles and the expected shortfall (approximate: rank error below about
 * 0.2 percentage points). Paired differences between every two strategies are kept for the
 * treasury and provider deviation of the total, and the services' own metrics (waiting list,
 * guarantee breaches, …) per strategy and year.
 *
 * Cells are laid out `cells[((f * strategies + s) * serviceKeys + k) * years + y]`, metric cells
 * `metricCells[(m * strategies + s) * years + y]`.
 *
 * Summaries of version 2 are built from blocks of `blockPaths` paths aligned to path 0 (block b
 * holds paths b·blockPaths to (b + 1)·blockPaths − 1, the first and last block of a range may be
 * short), merged along a fixed binary tree, and keep the tree's largest whole nodes (`nodes`, a
 * few per summary): the cells are the fold of the nodes from left to right. So a summary is the
 * same bit for bit however its paths were split into parts, as long as every part starts and
 * ends on a block's edge (or the range's own ends). Version 1 (older files) has no nodes.
 *
 * @category Results
 */
export interface SummaryResult {
  readonly format: 'carebudget-summary';
  /** 2 for summaries built from blocks (with `blockPaths`, and `nodes` when they can still merge bit for bit); 1 in older files. */
  readonly version: 1 | 2;
  readonly scenario: SimulationResult['scenario'];
  readonly years: readonly number[];
  readonly strategies: readonly ResultLabel[];
  readonly services: SimulationResult['services'];
  readonly pathStart: number;
  readonly pathCount: number;
  readonly figures: readonly Figure[];
  /** `"total"`, each group of units, and each service. */
  readonly serviceKeys: readonly string[];
  readonly thresholds: readonly number[];
  readonly cells: readonly SummaryCellData[];
  /** Per pair of strategies (a before b in the result) and figure: one cell per year of a − b. */
  readonly pairs: readonly {
    readonly a: string;
    readonly b: string;
    readonly figure: Figure;
    readonly cells: readonly SummaryCellData[];
  }[];
  /** The services' metrics kept, `"<service id>.<metric id>"` (absent in summaries that kept none). */
  readonly metricKeys?: readonly string[];
  /** One cell per metric, strategy and year. */
  readonly metricCells?: readonly SummaryCellData[];
  /** Paths a block (version 2). */
  readonly blockPaths?: number;
  /**
   * The largest whole nodes of the block tree in the summary's range, left to right: node
   * (`level` L, `index` j) summarises blocks j·2^L to (j + 1)·2^L − 1, its cells laid out as the
   * summary's. Absent when the summary was merged from parts that did not meet on a block's edge
   * (its cells are then a plain merge of the parts, which may differ in the last bits).
   */
  readonly nodes?: readonly {
    readonly level: number;
    readonly index: number;
    readonly pathStart: number;
    readonly pathCount: number;
    readonly cells: readonly SummaryCellData[];
    /** The cells of each of the summary's `pairs`, in its order. */
    readonly pairs: readonly (readonly SummaryCellData[])[];
    readonly metricCells: readonly SummaryCellData[];
  }[];
}

/** A node of a summary's block tree. */
type SummaryNode = NonNullable<SummaryResult['nodes']>[number];

/** Either kind of run result. @category Results */
export type RunResult = SimulationResult | SummaryResult;

/** Options of {@link toSummaryResult}. @category Results */
export interface StreamingOptions {
  /** Figures to keep (default: adopted and final budget, actual cost, the overrun and the treasury's and provider's shares in kr and %, service gap). */
  readonly figures?: readonly Figure[];
  /** Thresholds for exact exceedance counts (default [0, 0.01, 0.05]). */
  readonly thresholds?: readonly number[];
  /** t-digest compression (default 200). */
  readonly compression?: number;
  /**
   * The services' metrics to keep, as `"<service id>.<metric id>"` keys (default: every metric
   * of the result; `[]` for none).
   */
  readonly metrics?: readonly string[];
  /**
   * Paths a block (default 10,000): summaries of parts of a run that meet on multiples of it
   * merge bit for bit into the summary of the whole (see {@link SummaryResult}).
   */
  readonly blockPaths?: number;
}

/**
 * Paths a block of a streaming summary unless `blockPaths` says otherwise. Each block costs a
 * summary of every cell and a merge of them: with blocks of 1,000 paths the streaming summaries
 * of `lejre-2034` under four strategies cost 36 % over per-path values at 5,000 paths, where one
 * block of them all costs about a tenth.
 *
 * @internal
 */
export const DEFAULT_BLOCK_PATHS = 10_000;

const DEFAULT_FIGURES: readonly Figure[] = [
  'adoptedBudgetKr',
  'finalBudgetKr',
  'actualCostKr',
  'treasuryDeviationKr',
  'providerDeviationKr',
  'treasuryDeviationPct',
  'providerDeviationPct',
  'treasuryShareKr',
  'treasurySharePct',
  'serviceGapShare',
];
const PAIR_FIGURES: readonly Figure[] = ['treasuryDeviationKr', 'providerDeviationKr'];

/** A live summary cell. @internal */
export class Accumulator {
  n = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  readonly exceed: Float64Array;
  readonly digest: TDigest;

  constructor(
    private readonly thresholds: readonly number[],
    compression: number,
  ) {
    this.exceed = new Float64Array(thresholds.length);
    this.digest = new TDigest(compression);
  }

  /**
   * Adds a batch of values in one pass: its moments from sums of deviations from its first value
   * (shifted sums: mean = x₀ + Σd/n, m2 = Σd² − (Σd)²/n with d = x − x₀, exact enough when x₀
   * is one of the values), merged as {@link Accumulator.mergeData} merges a part, its extremes and
   * exceedance counts; then its values to the digest as one batch.
   */
  addAll(values: Float64Array): void {
    const n = values.length;
    if (n === 0) return;
    const T = this.thresholds.length;
    const x0 = values[0]!;
    let s1 = 0;
    let s2 = 0;
    let min = x0;
    let max = x0;
    if (T <= 3) {
      // The usual case, unrolled: a missing threshold is +Infinity, which no value exceeds.
      const t0 = T > 0 ? this.thresholds[0]! : Infinity;
      const t1 = T > 1 ? this.thresholds[1]! : Infinity;
      const t2 = T > 2 ? this.thresholds[2]! : Infinity;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        const d = x - x0;
        s1 += d;
        s2 += d * d;
        if (x < min) min = x;
        if (x > max) max = x;
        c0 += x > t0 ? 1 : 0;
        c1 += x > t1 ? 1 : 0;
        c2 += x > t2 ? 1 : 0;
      }
      if (T > 0) this.exceed[0] = this.exceed[0]! + c0;
      if (T > 1) this.exceed[1] = this.exceed[1]! + c1;
      if (T > 2) this.exceed[2] = this.exceed[2]! + c2;
    } else {
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        const d = x - x0;
        s1 += d;
        s2 += d * d;
        if (x < min) min = x;
        if (x > max) max = x;
        for (let t = 0; t < T; t++) if (x > this.thresholds[t]!) this.exceed[t]!++;
      }
    }
    this.mergeMoments(n, x0 + s1 / n, Math.max(0, s2 - (s1 * s1) / n), min, max);
    this.digest.addBatch(values, min, max);
  }

  private mergeMoments(on: number, omean: number, om2: number, omin: number, omax: number): void {
    if (this.n === 0) {
      this.min = omin;
      this.max = omax;
    }
    const n = this.n + on;
    const d = omean - this.mean;
    this.mean += (d * on) / n;
    this.m2 += om2 + (d * d * this.n * on) / n;
    this.n = n;
    this.min = Math.min(this.min, omin);
    this.max = Math.max(this.max, omax);
  }

  mergeData(o: SummaryCellData): void {
    if (o.n === 0) return;
    this.mergeMoments(o.n, o.mean, o.m2, o.min, o.max);
    o.exceed.forEach((c, t) => (this.exceed[t] = this.exceed[t]! + c));
    this.digest.merge(TDigest.fromJSON(o.digest));
  }

  toData(): SummaryCellData {
    // An empty cell keeps min and max at 0 (not ±Infinity, which JSON cannot hold).
    return {
      n: this.n,
      mean: this.mean,
      m2: this.m2,
      min: this.n > 0 ? this.min : 0,
      max: this.n > 0 ? this.max : 0,
      exceed: Array.from(this.exceed),
      digest: this.digest.toJSON(),
    };
  }
}

/**
 * Summaries of the value sets seen so far in each slot (a service key and year) across
 * strategies: a set whose values are bit for bit those of one already summarised gets a copy of
 * that summary, which is what summarising it again would give. Only the first values of each set
 * are kept; when they agree, the earlier set is read again (`valuesOf`) and compared in full, so
 * memory does not grow with the number of paths.
 */
class SameValues {
  private readonly seen: { head: Float64Array; strategy: number; data: SummaryCellData }[][];

  constructor(slots: number) {
    this.seen = Array.from({ length: slots }, () => []);
  }

  summary(
    slot: number,
    strategy: number,
    values: Float64Array,
    valuesOf: (strategy: number) => Float64Array,
    summarise: (values: Float64Array) => SummaryCellData,
  ): SummaryCellData {
    const earlier = this.seen[slot]!;
    const head = values.slice(0, HEAD);
    for (const e of earlier)
      if (sameBits(e.head, head) && sameBits(valuesOf(e.strategy), values)) return copyCell(e.data);
    const data = summarise(values);
    earlier.push({ head, strategy, data });
    return data;
  }
}

/** How many first values of a set are kept to find an earlier set that may be the same. */
const HEAD = 16;

/** True when two arrays hold the same doubles bit for bit (so -0 and 0 differ). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function copyCell(d: SummaryCellData): SummaryCellData {
  return {
    ...d,
    exceed: [...d.exceed],
    digest: { ...d.digest, means: [...d.digest.means], weights: [...d.digest.weights] },
  };
}

/** False for a figure counted in activity units over services whose units differ. */
function summableFor(result: SimulationResult, service: string, figure: Figure): boolean {
  if (!(figure.endsWith('Units') || figure === 'serviceGapShare')) return true;
  const members = result.services.filter((x) => x.id === service || x.group === service || service === TOTAL);
  return new Set(members.map((x) => x.activityUnit)).size <= 1;
}

function serviceKeysOf(services: SimulationResult['services']): string[] {
  const groups = [...new Set(services.map((s) => s.group).filter((g): g is string => g !== undefined))];
  return [TOTAL, ...groups, ...services.map((s) => s.id)];
}

/**
 * Reads a result's figures for one strategy, service key and year at a time, as
 * {@link figureValues} gives them bit for bit, without its cost per call: each recorded figure of
 * a total or group is summed once (in service order, as figureValues sums), and derived figures
 * are written into arrays kept between calls (valid until the next call of `values` for the same
 * figure, or of `start`).
 */
function figureReader(result: SimulationResult, serviceKeys: readonly string[]) {
  const V = result.services.length;
  const Y = result.years.length;
  const n = result.pathCount;
  const members = serviceKeys.map((key) => {
    const direct = result.services.findIndex((x) => x.id === key);
    if (direct >= 0) return [direct];
    return result.services.flatMap((x, v) => (key === TOTAL || x.group === key ? [v] : []));
  });
  const recorded = new Map<RecordedFigure, Float64Array>();
  const sums = new Map<RecordedFigure, Float64Array>();
  const derived = new Map<Figure, Float64Array>();
  let s = 0;
  let k = 0;
  let y = 0;
  const base = (figure: RecordedFigure): Float64Array => {
    let out = recorded.get(figure);
    if (out !== undefined) return out;
    const data = result.figures[figure];
    const of = members[k]!;
    if (of.length === 1 && result.services[of[0]!]!.id === serviceKeys[k]) {
      const at = ((s * V + of[0]!) * Y + y) * n;
      out = data.subarray(at, at + n);
    } else {
      out = sums.get(figure) ?? new Float64Array(n);
      sums.set(figure, out);
      out.fill(0);
      for (const v of of) {
        const at = ((s * V + v) * Y + y) * n;
        for (let i = 0; i < n; i++) out[i] = out[i]! + data[at + i]!;
      }
    }
    recorded.set(figure, out);
    return out;
  };
  const scratch = (figure: Figure): Float64Array => {
    let out = derived.get(figure);
    if (out === undefined) derived.set(figure, (out = new Float64Array(n)));
    return out;
  };
  return {
    start(strategy: number, key: number, year: number): void {
      s = strategy;
      k = key;
      y = year;
      recorded.clear();
    },
    values(figure: Figure): Float64Array {
      switch (figure) {
        case 'serviceGapShare': {
          const needed = base('neededUnits');
          const ordered = base('orderedUnits');
          const out = scratch(figure);
          for (let i = 0; i < n; i++) out[i] = needed[i]! > 0 ? 1 - ordered[i]! / needed[i]! : 0;
          return out;
        }
        case 'treasuryDeviationKr':
        case 'providerDeviationKr':
        case 'treasuryDeviationPct':
        case 'providerDeviationPct':
        case 'treasuryShareKr':
        case 'treasurySharePct': {
          const actual = base(figure.startsWith('treasuryShare') ? 'finalBudgetKr' : 'actualCostKr');
          const budget = base(figure.startsWith('treasury') ? 'adoptedBudgetKr' : 'finalBudgetKr');
          const adopted = figure.endsWith('Pct') ? base('adoptedBudgetKr') : undefined;
          const out = scratch(figure);
          for (let i = 0; i < n; i++) {
            const dev = actual[i]! - budget[i]!;
            out[i] = adopted === undefined ? dev : adopted[i]! !== 0 ? dev / Math.abs(adopted[i]!) : 0;
          }
          return out;
        }
        default:
          return base(figure);
      }
    },
  };
}

/** The summary's description without its cells (the same for every part of a run). */
type SummaryHead = Omit<SummaryResult, 'cells' | 'pairs' | 'metricCells' | 'nodes'> & {
  readonly pairs: readonly { readonly a: string; readonly b: string; readonly figure: Figure }[];
};

/**
 * A summary's block-tree nodes before its cells are folded: what a chunk of a run sends to be
 * merged with the others (folding each chunk's cells would be work thrown away).
 *
 * @internal
 */
export interface SummaryTree {
  readonly head: SummaryHead;
  readonly nodes: readonly SummaryNode[];
}

/** The cells of one range of paths: the cells, each pair's cells, the metric cells. */
type NodeCells = Pick<SummaryNode, 'cells' | 'pairs' | 'metricCells'>;

/** Paths `[from, from + count)` of a result (offsets within it) as a result of their own. */
function pathSlice(result: SimulationResult, from: number, count: number): SimulationResult {
  if (from === 0 && count === result.pathCount) return result;
  const part = allocateResult({ ...resultMeta(result), pathStart: result.pathStart + from, pathCount: count });
  const n = result.pathCount;
  const copyRows = (out: Float64Array, src: Float64Array) => {
    for (let r = 0, rows = src.length / n; r < rows; r++)
      out.set(src.subarray(r * n + from, r * n + from + count), r * count);
  };
  for (const f of RECORDED_FIGURES) copyRows(part.figures[f], result.figures[f]);
  for (const [k, out] of Object.entries(part.metrics)) copyRows(out, result.metrics[k]!);
  return part;
}

/**
 * One strategy's figures and metrics of a result, as a result of that strategy alone: what a
 * summary of one strategy needs (a summary of them all also compares every two).
 *
 * @param result - a per-path result
 * @param strategy - the strategy's id
 * @returns the result of that strategy only, its arrays copied
 * @throws {@link ResultError} when the result has no such strategy
 * @example
 * ```ts
 * const r = simulate({ ...lejre2034(), horizonYears: 2 }, { paths: 3 });
 * strategySlice(r, 'activity').strategies.map((s) => s.id); //=> ['activity']
 * ```
 * @internal
 */
export function strategySlice(result: SimulationResult, strategy: string): SimulationResult {
  const s = strategyIndex(result, strategy);
  const part = allocateResult({ ...resultMeta(result), strategies: [result.strategies[s]!] });
  // Both kinds of array are strategy-major: one strategy's values are one stretch.
  const copy = (out: Float64Array, src: Float64Array) => out.set(src.subarray(s * out.length, (s + 1) * out.length));
  for (const f of RECORDED_FIGURES) copy(part.figures[f], result.figures[f]);
  for (const [k, out] of Object.entries(part.metrics)) copy(out, result.metrics[k]!);
  return part;
}

/**
 * The paths a block of a streaming summary, from the options: `blockPaths`, else
 * {@link DEFAULT_BLOCK_PATHS}; checked here once for every streaming run.
 *
 * @param options - the streaming options
 * @returns the block's paths, a whole number >= 1
 * @throws {@link OptionError} when `blockPaths` is not a whole number >= 1
 * @example
 * ```ts
 * blockPathsOf({}); //=> 10000
 * blockPathsOf({ blockPaths: 250 }); //=> 250
 * ```
 * @internal
 */
export function blockPathsOf(options: StreamingOptions): number {
  const b = options.blockPaths ?? DEFAULT_BLOCK_PATHS;
  if (!(Number.isSafeInteger(b) && b >= 1))
    throw new OptionError(`blockPaths must be a whole number >= 1; received ${String(b)}`, {
      option: 'blockPaths',
      received: b,
    });
  return b;
}

/**
 * Thresholds of exceedance, checked: finite numbers (a NaN would count nothing, under a key
 * "NaN").
 *
 * @param thresholds - the thresholds given, or undefined for the default
 * @param fallback - the default
 * @returns the thresholds
 * @throws {@link OptionError} naming the first that is not a finite number
 * @example
 * ```ts
 * checkedThresholds(undefined, [0]); //=> [0]
 * checkedThresholds([0, 0.05], [0]); //=> [0, 0.05]
 * ```
 * @internal
 */
export function checkedThresholds(
  thresholds: readonly number[] | undefined,
  fallback: readonly number[],
): readonly number[] {
  if (thresholds === undefined) return fallback;
  if (!Array.isArray(thresholds))
    throw new OptionError(`thresholds must be a list of numbers; received ${JSON.stringify(thresholds)}`, {
      option: 'thresholds',
      received: thresholds,
    });
  for (const t of thresholds)
    if (!(typeof t === 'number' && Number.isFinite(t)))
      throw new OptionError(`thresholds must be finite numbers; received ${String(t)}`, {
        option: 'thresholds',
        received: t,
      });
  return thresholds;
}

/**
 * The figures and thresholds a streaming summary keeps, checked (the defaults where not given).
 *
 * @param options - the summary's options
 * @returns the figures and thresholds to keep
 * @throws {@link OptionError} for a name that is not a figure or a threshold that is not a finite number
 * @example
 * ```ts
 * checkedSummaryOptions({ figures: ['actualCostKr'] }).thresholds; //=> [0, 0.01, 0.05]
 * ```
 * @internal
 */
export function checkedSummaryOptions(options: StreamingOptions): {
  figures: readonly Figure[];
  thresholds: readonly number[];
} {
  const figures = options.figures ?? DEFAULT_FIGURES;
  if (!Array.isArray(figures))
    throw new OptionError(`figures must be a list of figure names; received ${JSON.stringify(figures)}`, {
      option: 'figures',
      received: figures,
    });
  for (const f of figures)
    if (!FIGURE_NAMES.includes(f))
      throw new OptionError(
        `figures: ${JSON.stringify(f)} is not a figure; expected some of ${FIGURE_NAMES.map((x) => `"${x}"`).join(', ')}`,
        { option: 'figures', received: f },
      );
  return { figures, thresholds: checkedThresholds(options.thresholds, [0, 0.01, 0.05]) };
}

/**
 * The summary of every path of a result from its blocks of `blockPaths` paths aligned to path 0,
 * merged along the block tree; keeps the tree's largest whole nodes.
 *
 * @internal
 */
export function toSummaryTree(result: SimulationResult, options: StreamingOptions = {}): SummaryTree {
  const B = blockPathsOf(options);
  const { figures, thresholds } = checkedSummaryOptions(options);
  const compression = options.compression ?? 200;
  const serviceKeys = serviceKeysOf(result.services);
  const metricKeys = options.metrics ?? Object.keys(result.metrics);
  const ids = result.strategies.map((s) => s.id);
  const pairs: SummaryHead['pairs'][number][] = [];
  for (let a = 0; a < ids.length; a++)
    for (let b = a + 1; b < ids.length; b++)
      for (const figure of PAIR_FIGURES) pairs.push({ a: ids[a]!, b: ids[b]!, figure });
  const head: SummaryHead = {
    format: 'carebudget-summary',
    version: 2,
    scenario: result.scenario,
    years: result.years,
    strategies: result.strategies,
    services: result.services,
    pathStart: result.pathStart,
    pathCount: result.pathCount,
    figures,
    serviceKeys,
    thresholds,
    pairs,
    metricKeys,
    blockPaths: B,
  };
  const stack: SummaryNode[] = [];
  const end = result.pathStart + result.pathCount;
  for (let from = result.pathStart; from < end;) {
    const index = Math.floor(from / B);
    const to = Math.min(end, (index + 1) * B);
    const block = pathSlice(result, from - result.pathStart, to - from);
    const cells = blockCells(block, figures, thresholds, compression, serviceKeys, metricKeys);
    pushNode(stack, { level: 0, index, pathStart: from, pathCount: to - from, ...cells });
    from = to;
  }
  return { head, nodes: stack };
}

/** The cells of every path of a result, each summarised from its values in one batch. */
function blockCells(
  result: SimulationResult,
  figures: readonly Figure[],
  thresholds: readonly number[],
  compression: number,
  serviceKeys: readonly string[],
  metricKeys: readonly string[],
): NodeCells {
  const summarise = (values: Float64Array): SummaryCellData => {
    const acc = new Accumulator(thresholds, compression);
    acc.addAll(values);
    return acc.toData();
  };
  const S = result.strategies.length;
  const K = serviceKeys.length;
  const Y = result.years.length;
  const F = figures.length;
  const cells: SummaryCellData[] = new Array<SummaryCellData>(F * S * K * Y);
  const read = figureReader(result, serviceKeys);
  // A service independent of the steering gives every strategy the same values for some
  // figures (its cost, its service gap): each distinct set of values is summarised once.
  const seen = figures.map(() => new SameValues(K * Y));
  const summable = serviceKeys.map((service) => figures.map((figure) => summableFor(result, service, figure)));
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < K; k++) {
      for (let y = 0; y < Y; y++) {
        read.start(s, k, y);
        for (let f = 0; f < F; f++) {
          const at = ((f * S + s) * K + k) * Y + y;
          // A figure in units over services with different units stays an empty cell (n = 0).
          if (!summable[k]![f]!) {
            cells[at] = new Accumulator(thresholds, compression).toData();
            continue;
          }
          const figure = figures[f]!;
          const valuesOf = (of: number) =>
            figureValues(result, {
              strategy: result.strategies[of]!.id,
              service: serviceKeys[k]!,
              year: result.years[y]!,
              figure,
            });
          cells[at] = seen[f]!.summary(k * Y + y, s, read.values(figure), valuesOf, summarise);
        }
      }
    }
  }
  const metricCells: SummaryCellData[] = [];
  for (const metric of metricKeys) {
    const seen = new SameValues(Y);
    for (const s of result.strategies.keys()) {
      for (const [y, year] of result.years.entries()) {
        const valuesOf = (of: number) => metricValues(result, { strategy: result.strategies[of]!.id, year, metric });
        metricCells.push(seen.summary(y, s, valuesOf(s), valuesOf, summarise));
      }
    }
  }
  const pairs: SummaryCellData[][] = [];
  const ids = result.strategies.map((s) => s.id);
  // The total's deviations of each strategy, read once for all pairs.
  const totals = PAIR_FIGURES.map((figure) =>
    ids.map((strategy) => result.years.map((year) => figureValues(result, { strategy, year, figure }))),
  );
  const diff = new Float64Array(result.pathCount);
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      for (const p of PAIR_FIGURES.keys()) {
        pairs.push(
          result.years.map((_, y) => {
            const va = totals[p]![a]![y]!;
            const vb = totals[p]![b]![y]!;
            for (let i = 0; i < diff.length; i++) diff[i] = va[i]! - vb[i]!;
            return summarise(diff);
          }),
        );
      }
    }
  }
  return { cells, pairs, metricCells };
}

/** An empty cell as a summary of no values gives it (min and max 0, an empty digest). */
function emptyCell(like: SummaryCellData): SummaryCellData {
  return {
    n: 0,
    mean: 0,
    m2: 0,
    min: 0,
    max: 0,
    exceed: like.exceed.map(() => 0),
    digest: { compression: like.digest.compression, means: [], weights: [], min: Infinity, max: -Infinity },
  };
}

/**
 * The cell of two cells' values, `a`'s paths before `b`'s: Chan's combination of the moments,
 * the extremes and counts, the digests merged. A function of its two inputs alone, so the same
 * two cells give the same bits wherever they are merged.
 */
function mergeCell(a: SummaryCellData, b: SummaryCellData): SummaryCellData {
  if (b.n === 0) return a.n === 0 ? emptyCell(a) : a;
  if (a.n === 0) return b;
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (d * b.n) / n,
    m2: a.m2 + b.m2 + (d * d * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    exceed: a.exceed.map((c, t) => c + b.exceed[t]!),
    digest: TDigest.mergedData(a.digest, b.digest),
  };
}

function mergeCellLists(a: readonly SummaryCellData[], b: readonly SummaryCellData[]): SummaryCellData[] {
  return a.map((c, i) => mergeCell(c, b[i]!));
}

/** Merges two adjacent ranges' cells, `a`'s paths first. */
function mergeNodeCells(a: NodeCells, b: NodeCells): NodeCells {
  return {
    cells: mergeCellLists(a.cells, b.cells),
    pairs: a.pairs.map((cells, j) => mergeCellLists(cells, b.pairs[j]!)),
    metricCells: mergeCellLists(a.metricCells, b.metricCells),
  };
}

/** Puts a node after the stack's last, and merges the last two while they are siblings. */
function pushNode(stack: SummaryNode[], node: SummaryNode): void {
  stack.push(node);
  for (let k = stack.length; k >= 2; k = stack.length) {
    const left = stack[k - 2]!;
    const right = stack[k - 1]!;
    if (!(left.level === right.level && left.index % 2 === 0 && right.index === left.index + 1)) return;
    stack.length = k - 2;
    stack.push({
      level: left.level + 1,
      index: left.index / 2,
      pathStart: left.pathStart,
      pathCount: left.pathCount + right.pathCount,
      ...mergeNodeCells(left, right),
    });
  }
}

/** The summary of a list of nodes: the cells are their fold from left to right. */
function fromNodes(
  head: SummaryHead,
  nodes: readonly SummaryNode[],
  pathStart: number,
  pathCount: number,
): SummaryResult {
  let folded: NodeCells = nodes[0]!;
  for (let i = 1; i < nodes.length; i++) folded = mergeNodeCells(folded, nodes[i]!);
  // Every field named, in one order: the JSON of a summary is the same however it was made.
  return {
    format: 'carebudget-summary',
    version: 2,
    scenario: head.scenario,
    years: head.years,
    strategies: head.strategies,
    services: head.services,
    pathStart,
    pathCount,
    figures: head.figures,
    serviceKeys: head.serviceKeys,
    thresholds: head.thresholds,
    cells: folded.cells,
    pairs: head.pairs.map((p, j) => ({ a: p.a, b: p.b, figure: p.figure, cells: folded.pairs[j]! })),
    metricKeys: head.metricKeys ?? [],
    metricCells: folded.metricCells,
    blockPaths: head.blockPaths!,
    nodes,
  };
}

/**
 * Merges the block trees of adjacent ranges given in path order, as they come (a chunk at a
 * time), holding only the largest whole nodes so far.
 *
 * @internal
 */
export class SummaryMerger {
  private head: SummaryHead | undefined;
  private readonly stack: SummaryNode[] = [];
  private start = 0;
  private next = 0;

  /** Adds the tree of the range that starts where the last one ended (its nodes, unchanged). */
  add(tree: SummaryTree): void {
    if (this.head === undefined) {
      this.head = tree.head;
      this.start = this.next = tree.head.pathStart;
    } else if (tree.head.pathStart !== this.next)
      throw new ResultError(
        `SummaryMerger: expected a part starting at path ${this.next}; received one starting at ${tree.head.pathStart}`,
        'CANNOT_MERGE',
      );
    for (const node of tree.nodes) pushNode(this.stack, node);
    this.next += tree.head.pathCount;
  }

  /** The summary of every range added. */
  result(): SummaryResult {
    if (this.head === undefined)
      throw new ResultError('SummaryMerger: expected at least one part; received none', 'CANNOT_MERGE');
    return fromNodes(this.head, [...this.stack], this.start, this.next - this.start);
  }
}

/**
 * Streaming summaries of a run whose per-path results come in consecutive parts of any size (a
 * convergence loop's batches): the parts are kept until a block of `blockPaths` paths is whole,
 * each block is summarised once, and the summary of every path added is the one
 * {@link toSummaryResult} gives of them all at once, bit for bit, however the parts were cut.
 * It holds at most a block's per-path results besides the last part.
 *
 * @internal
 */
export class BlockSummaries {
  private readonly merger = new SummaryMerger();
  private readonly blockPaths: number;
  private pending: SimulationResult[] = [];

  constructor(private readonly options: StreamingOptions = {}) {
    this.blockPaths = blockPathsOf(options);
  }

  /** Adds the per-path result of the paths that follow those added before. */
  add(part: SimulationResult): void {
    if (part.pathCount === 0) return;
    this.pending.push(part);
    const first = this.pending[0]!.pathStart;
    const end = part.pathStart + part.pathCount;
    const edge = Math.floor(end / this.blockPaths) * this.blockPaths;
    if (edge <= first) return;
    const all = this.pending.length === 1 ? part : mergeResults(this.pending);
    this.merger.add(toSummaryTree(pathSlice(all, 0, edge - first), this.options));
    this.pending = edge < end ? [pathSlice(all, edge - first, end - edge)] : [];
  }

  /** The summary of every path added; a {@link ResultError} when none was. */
  result(): SummaryResult {
    if (this.pending.length > 0) {
      const rest = this.pending.length === 1 ? this.pending[0]! : mergeResults(this.pending);
      this.merger.add(toSummaryTree(rest, this.options));
      this.pending = [];
    }
    return this.merger.result();
  }
}

/**
 * Summarises an exact (per-path) result into streaming summaries: each block of `blockPaths`
 * paths (aligned to path 0) on its own, the blocks merged along a fixed tree (see
 * {@link SummaryResult}), so that summaries of block-aligned parts of a run merge into the
 * summary of the whole bit for bit.
 *
 * @param result - a per-path result, for example one chunk of a large run
 * @param options - figures, thresholds, compression, paths a block
 * @returns the summary, mergeable with {@link mergeSummaries}
 * @throws {@link ResultError} when a figure cannot be read (for example units summed over different services);
 *   {@link OptionError} when `blockPaths` is not a whole number >= 1
 * @example
 * ```ts
 * const part = toSummaryResult(simulate(s, { pathStart: 0, paths: 10_000 }));
 * ```
 * @category Results
 */
export function toSummaryResult(result: SimulationResult, options: StreamingOptions = {}): SummaryResult {
  const tree = toSummaryTree(result, options);
  if (tree.nodes.length > 0) return fromNodes(tree.head, tree.nodes, result.pathStart, result.pathCount);
  // No paths: empty cells, and no nodes to merge.
  const h = tree.head;
  const empty = blockCells(result, h.figures, h.thresholds, options.compression ?? 200, h.serviceKeys, h.metricKeys!);
  return {
    ...fromNodes(h, [{ level: 0, index: 0, pathStart: h.pathStart, pathCount: 0, ...empty }], h.pathStart, 0),
    nodes: [],
  };
}

/** A summary's head: what must agree for two summaries to merge. */
function headOf(r: SummaryResult): SummaryHead {
  const { cells: _c, pairs, metricCells: _m, nodes: _n, ...rest } = r;
  return { ...rest, pairs: pairs.map((p) => ({ a: p.a, b: p.b, figure: p.figure })) };
}

/**
 * Merges streaming summaries of adjacent path ranges of one run. When every part has its block
 * tree (`nodes`, version 2) with the same `blockPaths` and the parts meet on multiples of it,
 * the merge is bit for bit the summary of the whole range made at once, however it was split.
 * Otherwise the parts' cells are merged one after the other in path order (counts, extremes and
 * exceedances exact; means, variances and percentiles may differ from a summary made at once in
 * the last bits), and the result has no `nodes`.
 *
 * @param parts - summaries (any order)
 * @returns the summary of the union of their paths
 * @throws {@link ResultError} when there are none, they come from different runs or settings,
 *   their path ranges overlap or leave a gap, or a part has a version other than 1 or 2
 * @example
 * ```ts
 * mergeSummaries([partA, partB]).pathCount;
 * ```
 * @category Results
 */
export function mergeSummaries(parts: readonly SummaryResult[]): SummaryResult {
  if (parts.length === 0)
    throw new ResultError('mergeSummaries: expected at least one summary; received none', 'CANNOT_MERGE');
  for (const part of parts)
    if (part.version !== 1 && part.version !== 2)
      throw new ResultError(
        `mergeSummaries: expected summaries of version 1 or 2; received version ${JSON.stringify(part.version)} (made by a newer carebudget?)`,
        'CANNOT_MERGE',
      );
  const sorted = [...parts].sort((a, b) => a.pathStart - b.pathStart);
  const first = sorted[0]!;
  const key = (r: SummaryResult) =>
    JSON.stringify([
      r.scenario,
      r.years,
      r.strategies.map((s) => s.id),
      r.serviceKeys,
      r.figures,
      r.thresholds,
      r.pairs.map((p) => [p.a, p.b, p.figure]),
      r.metricKeys ?? [],
    ]);
  let next = first.pathStart;
  for (const part of sorted) {
    if (key(part) !== key(first))
      throw new ResultError('mergeSummaries: the parts come from different runs or settings', 'CANNOT_MERGE');
    if (part.pathStart !== next)
      throw new ResultError(
        `mergeSummaries: expected a part starting at path ${next}; received one starting at ${part.pathStart} (${part.pathStart < next ? 'overlap' : 'gap'})`,
        'CANNOT_MERGE',
      );
    next += part.pathCount;
  }
  const B = first.blockPaths;
  const aligned =
    B !== undefined &&
    sorted.every((p, i) => p.nodes !== undefined && p.blockPaths === B && (i === 0 || p.pathStart % B === 0));
  if (aligned) {
    const merger = new SummaryMerger();
    for (const part of sorted) merger.add({ head: headOf(part), nodes: part.nodes! });
    return merger.result();
  }
  const compression = first.cells[0]?.digest.compression ?? 200;
  const mergeCells = (get: (r: SummaryResult) => readonly SummaryCellData[]) =>
    get(first).map((_, i) => {
      const acc = new Accumulator(first.thresholds, compression);
      for (const part of sorted) acc.mergeData(get(part)[i]!);
      return acc.toData();
    });
  const { nodes: _nodes, ...rest } = first;
  return {
    ...rest,
    pathCount: next - first.pathStart,
    cells: mergeCells((r) => r.cells),
    pairs: first.pairs.map((p, j) => ({ ...p, cells: mergeCells((r) => r.pairs[j]!.cells) })),
    metricKeys: first.metricKeys ?? [],
    metricCells: mergeCells((r) => r.metricCells ?? []),
  };
}

/** The cell of a figure, strategy, service key and year. @internal */
export function summaryCell(
  result: SummaryResult,
  strategy: string,
  service: string,
  year: number,
  figure: Figure,
): SummaryCellData {
  const f = result.figures.indexOf(figure);
  if (f < 0)
    throw new ResultError(
      `figure ${figure} was not kept in this summary; it keeps ${result.figures.join(', ')}`,
      'NOT_IN_RESULT',
    );
  const s = strategyIndex(result, strategy);
  const k = result.serviceKeys.indexOf(service);
  if (k < 0)
    throw new ResultError(
      `service "${service}" is not in the result; expected one of ${result.serviceKeys.map((x) => `"${x}"`).join(', ')}`,
      'NOT_IN_RESULT',
    );
  const y = yearIndex(result, year);
  return result.cells[((f * result.strategies.length + s) * result.serviceKeys.length + k) * result.years.length + y]!;
}

/** The cell of a metric, strategy and year. @internal */
export function summaryMetricCell(
  result: SummaryResult,
  strategy: string,
  year: number,
  metric: string,
): SummaryCellData {
  const keys = result.metricKeys ?? [];
  const m = keys.indexOf(metric);
  if (m < 0)
    throw new ResultError(
      `metric "${metric}" was not kept in this summary; it keeps ${keys.map((k) => `"${k}"`).join(', ') || 'none'}`,
      'NOT_IN_RESULT',
    );
  const s = strategyIndex(result, strategy);
  const y = yearIndex(result, year);
  return result.metricCells![(m * result.strategies.length + s) * result.years.length + y]!;
}
