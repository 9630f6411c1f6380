import { ResultError, type ResultLabel, type SimulationResult } from '../simulation/result';
import { figureValues, metricValues, strategyIndex, TOTAL, yearIndex, type Figure } from './values';
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
 * @category Results
 */
export interface SummaryResult {
  readonly format: 'carebudget-summary';
  readonly version: 1;
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
}

/** Either kind of run result. @category Results */
export type RunResult = SimulationResult | SummaryResult;

/** Options of {@link toSummaryResult}. @category Results */
export interface StreamingOptions {
  /** Figures to keep (default: adopted and final budget, actual cost, treasury and provider deviation in kr and %, service gap). */
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
}

const DEFAULT_FIGURES: readonly Figure[] = [
  'adoptedBudgetKr',
  'finalBudgetKr',
  'actualCostKr',
  'treasuryDeviationKr',
  'providerDeviationKr',
  'treasuryDeviationPct',
  'providerDeviationPct',
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

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    for (let t = 0; t < this.thresholds.length; t++) if (x > this.thresholds[t]!) this.exceed[t]!++;
    this.digest.add(x);
  }

  mergeData(o: SummaryCellData): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      this.min = o.min;
      this.max = o.max;
    }
    const n = this.n + o.n;
    const d = o.mean - this.mean;
    this.mean += (d * o.n) / n;
    this.m2 += o.m2 + (d * d * this.n * o.n) / n;
    this.n = n;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
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
 * Summarises an exact (per-path) result into streaming summaries.
 *
 * @param result - a per-path result, for example one chunk of a large run
 * @param options - figures, thresholds, compression
 * @returns the summary, mergeable with {@link mergeSummaries}
 * @throws {@link ResultError} when a figure cannot be read (for example units summed over different services)
 * @example
 * ```ts
 * const part = toSummaryResult(simulate(s, { pathStart: 0, paths: 10_000 }));
 * ```
 * @category Results
 */
export function toSummaryResult(result: SimulationResult, options: StreamingOptions = {}): SummaryResult {
  const figures = options.figures ?? DEFAULT_FIGURES;
  const thresholds = options.thresholds ?? [0, 0.01, 0.05];
  const compression = options.compression ?? 200;
  const serviceKeys = serviceKeysOf(result.services);
  const summarise = (values: Float64Array): SummaryCellData => {
    const acc = new Accumulator(thresholds, compression);
    for (let i = 0; i < values.length; i++) acc.add(values[i]!);
    return acc.toData();
  };
  const cells: SummaryCellData[] = [];
  const Y = result.years.length;
  const K = serviceKeys.length;
  for (const figure of figures) {
    // A service independent of the steering gives every strategy the same values for some
    // figures (its cost, its service gap): each distinct set of values is summarised once.
    const seen = new SameValues(K * Y);
    for (const s of result.strategies.keys()) {
      for (const [k, service] of serviceKeys.entries()) {
        const summable = summableFor(result, service, figure);
        for (const [y, year] of result.years.entries()) {
          // A figure in units over services with different units stays an empty cell (n = 0).
          if (!summable) {
            cells.push(new Accumulator(thresholds, compression).toData());
            continue;
          }
          const valuesOf = (of: number) =>
            figureValues(result, { strategy: result.strategies[of]!.id, service, year, figure });
          cells.push(seen.summary(k * Y + y, s, valuesOf(s), valuesOf, summarise));
        }
      }
    }
  }
  const metricKeys = options.metrics ?? Object.keys(result.metrics);
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
  const pairs: SummaryResult['pairs'][number][] = [];
  const ids = result.strategies.map((s) => s.id);
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      for (const figure of PAIR_FIGURES) {
        const pairCells = result.years.map((year) => {
          const va = figureValues(result, { strategy: ids[a]!, year, figure });
          const vb = figureValues(result, { strategy: ids[b]!, year, figure });
          const acc = new Accumulator(thresholds, compression);
          for (let i = 0; i < va.length; i++) acc.add(va[i]! - vb[i]!);
          return acc.toData();
        });
        pairs.push({ a: ids[a]!, b: ids[b]!, figure, cells: pairCells });
      }
    }
  }
  return {
    format: 'carebudget-summary',
    version: 1,
    scenario: result.scenario,
    years: result.years,
    strategies: result.strategies,
    services: result.services,
    pathStart: result.pathStart,
    pathCount: result.pathCount,
    figures,
    serviceKeys,
    thresholds,
    cells,
    pairs,
    metricKeys,
    metricCells,
  };
}

/**
 * Merges streaming summaries of adjacent path ranges of one run.
 *
 * @param parts - summaries (any order)
 * @returns the summary of the union of their paths
 * @throws {@link ResultError} when there are none, they come from different runs or settings,
 *   or their path ranges overlap or leave a gap
 * @example
 * ```ts
 * mergeSummaries([partA, partB]).pathCount;
 * ```
 * @category Results
 */
export function mergeSummaries(parts: readonly SummaryResult[]): SummaryResult {
  if (parts.length === 0)
    throw new ResultError('mergeSummaries: expected at least one summary; received none', 'CANNOT_MERGE');
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
  const compression = first.cells[0]?.digest.compression ?? 200;
  const mergeCells = (get: (r: SummaryResult) => readonly SummaryCellData[]) =>
    get(first).map((_, i) => {
      const acc = new Accumulator(first.thresholds, compression);
      for (const part of sorted) acc.mergeData(get(part)[i]!);
      return acc.toData();
    });
  return {
    ...first,
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
