import type { RunRecord } from './record';

/**
 * The figures a run records for every strategy, service, year and path.
 *
 * - `adoptedBudgetKr`: budget adopted in the autumn before the year
 * - `openingBudgetKr`: budget on 1 January (adopted + carry-over and other opening changes)
 * - `finalBudgetKr`: budget after in-year regulation and carry-over
 * - `actualCostKr`: the year's actual cost
 * - `carryOverKr`: carried from this year into the next (+ surplus, − deficit)
 * - `neededUnits`, `orderedUnits`, `deliveredUnits`: activity needed, ordered and delivered
 *   (for home care: hours a year)
 *
 * @category Results
 */
export const RECORDED_FIGURES = [
  'adoptedBudgetKr',
  'openingBudgetKr',
  'finalBudgetKr',
  'actualCostKr',
  'carryOverKr',
  'neededUnits',
  'orderedUnits',
  'deliveredUnits',
] as const;

/** A recorded figure. @category Results */
export type RecordedFigure = (typeof RECORDED_FIGURES)[number];

/** A strategy or service named in a result. @category Results */
export interface ResultLabel {
  readonly id: string;
  readonly label: string;
  /**
   * Its own names by report language, as its definition gives them (`labels`): charts and
   * reports show `labels[locale]` where given. Absent for the built-ins, which the charts name
   * in both languages themselves.
   */
  readonly labels?: Readonly<Partial<Record<'en' | 'da', string>>>;
}

/**
 * How a result names a strategy or service definition: its id and label, and its own names by
 * language where it gives them (copied, so the result stays plain data).
 *
 * @internal
 */
export function resultLabel(definition: {
  readonly id: string;
  readonly label: string;
  readonly labels?: Readonly<Partial<Record<'en' | 'da', string>>> | undefined;
}): ResultLabel {
  const { id, label, labels } = definition;
  if (labels === undefined) return { id, label };
  const own: Partial<Record<'en' | 'da', string>> = {};
  for (const locale of ['en', 'da'] as const) {
    const name = labels[locale];
    if (typeof name === 'string') own[locale] = name;
  }
  return { id, label, labels: own };
}

/**
 * The result of a run over paths [pathStart, pathStart + pathCount): plain data (typed arrays
 * and strings), structured-cloneable, mergeable with {@link mergeResults} and convertible to
 * JSON with {@link resultToJSON}.
 *
 * Values are laid out by strategy, service, year, then path:
 * `figures[f][((s * services.length + v) * years.length + y) * pathCount + i]`; use
 * {@link figureValues} rather than indexing by hand.
 *
 * @category Results
 */
export interface SimulationResult {
  readonly format: 'carebudget-result';
  readonly version: 1;
  readonly scenario: { readonly name: string; readonly baseYear: number; readonly seed: number | string };
  /** Simulated calendar years. */
  readonly years: readonly number[];
  readonly strategies: readonly ResultLabel[];
  /** Services; a unit of a split service names the whole service in `group`. */
  readonly services: readonly (ResultLabel & { readonly activityUnit: string; readonly group?: string })[];
  readonly pathStart: number;
  readonly pathCount: number;
  readonly figures: Readonly<Record<RecordedFigure, Float64Array>>;
  /**
   * Services' own metrics per year, keyed `"<service id>.<metric id>"` (for example
   * `"care-homes.waiting"`), laid out by strategy, year, then path:
   * `metrics[key][(s * years.length + y) * pathCount + i]`. Read them with {@link metricValues}.
   */
  readonly metrics: Readonly<Record<string, Float64Array>>;
  /**
   * What rebuilds the run (version, full scenario, seed, paths, strategies, scenario hash), when
   * the maker attached it (the command line does; see {@link runRecord}). Older result files
   * have none.
   */
  readonly run?: RunRecord;
}

/**
 * Thrown when results cannot be merged or read as asked.
 * @category Results
 */
export class ResultError extends Error {
  /**
   * `NOT_IN_RESULT` (a strategy, service, year, figure, metric or threshold the result does not
   * hold), `CANNOT_MERGE` (parts of different runs, overlapping or with gaps), `INVALID_RESULT`
   * (a buffer or JSON of the wrong shape) or `MIXED_UNITS` (activity summed over services of
   * different units).
   */
  readonly code: 'NOT_IN_RESULT' | 'CANNOT_MERGE' | 'INVALID_RESULT' | 'MIXED_UNITS';

  constructor(message: string, code: ResultError['code'] = 'NOT_IN_RESULT') {
    super(message);
    this.name = 'ResultError';
    this.code = code;
  }
}

/**
 * Allocates a result whose figures are views into one contiguous buffer (`buffer`), so a whole
 * partial result crosses threads with a single transfer.
 *
 * @internal
 */
export function allocateResult(
  meta: Omit<SimulationResult, 'figures' | 'metrics' | 'format' | 'version'> & {
    readonly metricKeys?: readonly string[];
  },
  buffer?: ArrayBuffer,
): SimulationResult {
  const { metricKeys = [], ...rest } = meta as typeof meta & { metricKeys?: readonly string[] };
  const size = meta.strategies.length * meta.services.length * meta.years.length * meta.pathCount;
  const metricSize = meta.strategies.length * meta.years.length * meta.pathCount;
  const bytes = (size * RECORDED_FIGURES.length + metricSize * metricKeys.length) * 8;
  const data = buffer ?? new ArrayBuffer(bytes);
  if (data.byteLength !== bytes)
    throw new ResultError(
      `a result of this shape needs ${bytes} bytes; the buffer has ${data.byteLength}`,
      'INVALID_RESULT',
    );
  const figures = {} as Record<RecordedFigure, Float64Array>;
  RECORDED_FIGURES.forEach((f, i) => (figures[f] = new Float64Array(data, i * size * 8, size)));
  const metrics: Record<string, Float64Array> = {};
  metricKeys.forEach(
    (k, j) => (metrics[k] = new Float64Array(data, (RECORDED_FIGURES.length * size + j * metricSize) * 8, metricSize)),
  );
  return { format: 'carebudget-result', version: 1, ...rest, figures, metrics };
}

/** The shape of a result without its data, for {@link allocateResult}. @internal */
export function resultMeta(
  result: SimulationResult,
): Omit<SimulationResult, 'figures' | 'metrics' | 'format' | 'version'> & { metricKeys: string[] } {
  const { figures, metrics, format, version, ...meta } = result;
  void figures;
  void format;
  void version;
  return { ...meta, metricKeys: Object.keys(metrics) };
}

/**
 * The buffer holding all of a result's figures when they share one (results made by the
 * simulation do), else undefined.
 *
 * @internal
 */
export function resultBuffer(result: SimulationResult): ArrayBuffer | undefined {
  const first = result.figures[RECORDED_FIGURES[0]];
  const buffer = first.buffer;
  const arrays = [...RECORDED_FIGURES.map((f) => result.figures[f]), ...Object.values(result.metrics)];
  const total = arrays.reduce((a, x) => a + x.length, 0);
  return buffer instanceof ArrayBuffer && buffer.byteLength === total * 8 && arrays.every((x) => x.buffer === buffer)
    ? buffer
    : undefined;
}

function sameShape(a: SimulationResult, b: SimulationResult): string | undefined {
  const key = (r: SimulationResult) =>
    JSON.stringify([
      r.scenario,
      r.years,
      r.strategies.map((s) => s.id),
      r.services.map((s) => s.id),
      Object.keys(r.metrics),
    ]);
  return key(a) === key(b) ? undefined : `${key(a)} versus ${key(b)}`;
}

/**
 * Merges the partial results of a split run into one. The parts may come in any order but must
 * cover adjacent path ranges of the same scenario, seed, strategies and services; the merge of
 * any split equals the whole run exactly.
 *
 * @param parts - partial results, for example from {@link simulate} with `pathStart`
 * @returns one result over the union of the parts' paths
 * @throws {@link ResultError} when there are no parts, the parts come from different runs, or
 *   their path ranges overlap or leave a gap
 * @example
 * ```ts
 * const s = { ...lejre2034(), paths: 1000 };
 * const a = simulate(s, { pathStart: 0, paths: 500 });
 * const b = simulate(s, { pathStart: 500, paths: 500 });
 * mergeResults([b, a]).pathCount; //=> 1000
 * ```
 * @category Results
 */
export function mergeResults(parts: readonly SimulationResult[]): SimulationResult {
  if (parts.length === 0)
    throw new ResultError('mergeResults: expected at least one partial result; received none', 'CANNOT_MERGE');
  const sorted = [...parts].sort((a, b) => a.pathStart - b.pathStart);
  const first = sorted[0]!;
  let next = first.pathStart;
  for (const part of sorted) {
    const diff = sameShape(first, part);
    if (diff !== undefined)
      throw new ResultError(`mergeResults: the parts come from different runs: ${diff}`, 'CANNOT_MERGE');
    if (part.pathStart !== next) {
      throw new ResultError(
        `mergeResults: expected a part starting at path ${next}; received one starting at ${part.pathStart} (${part.pathStart < next ? 'overlap' : 'gap'})`,
        'CANNOT_MERGE',
      );
    }
    next += part.pathCount;
  }
  const total = next - first.pathStart;
  const merged = allocateResult({ ...resultMeta(first), pathStart: first.pathStart, pathCount: total });
  for (const part of sorted) copyPartInto(merged, part);
  return merged;
}

/**
 * Copies a partial result into a larger result of the same run at the part's paths. The caller
 * checks that the part belongs to the run and lies within it.
 *
 * @internal
 */
export function copyPartInto(target: SimulationResult, part: SimulationResult): void {
  const total = target.pathCount;
  const offset = part.pathStart - target.pathStart;
  const n = part.pathCount;
  // Every array is rows of paths: a row of the part lands at its paths in the row of the target.
  const copyRows = (out: Float64Array, src: Float64Array, rows: number) => {
    for (let r = 0; r < rows; r++) out.set(src.subarray(r * n, (r + 1) * n), r * total + offset);
  };
  const figureRows = target.strategies.length * target.services.length * target.years.length;
  for (const f of RECORDED_FIGURES) copyRows(target.figures[f], part.figures[f], figureRows);
  const metricRows = target.strategies.length * target.years.length;
  for (const [k, out] of Object.entries(target.metrics)) copyRows(out, part.metrics[k]!, metricRows);
}

/** A result as JSON-ready plain data (arrays of numbers instead of typed arrays). @category Results */
export type SimulationResultJSON = Omit<SimulationResult, 'figures' | 'metrics'> & {
  readonly figures: Record<RecordedFigure, number[]>;
  readonly metrics: Record<string, number[]>;
};

/**
 * Converts a result to JSON-ready data. To make a file that rebuilds its run, attach the run
 * record first: `resultToJSON({ ...result, run: runRecord(scenario, ids) })`.
 *
 * @param result - a result
 * @returns the same data with plain arrays
 * @example
 * ```ts
 * JSON.stringify(resultToJSON(result));
 * ```
 * @category Results
 */
export function resultToJSON(result: SimulationResult): SimulationResultJSON {
  const figures = {} as Record<RecordedFigure, number[]>;
  for (const f of RECORDED_FIGURES) figures[f] = Array.from(result.figures[f]);
  const metrics: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(result.metrics)) metrics[k] = Array.from(v);
  return { ...result, figures, metrics };
}

/**
 * The JSON text of {@link resultToJSON}'s data, in pieces of at most 65,536 numbers: a result
 * larger than the longest string a JavaScript engine holds can still be written to a file.
 *
 * @internal
 */
export function* resultJSONPieces(result: SimulationResult): Generator<string> {
  const { figures, metrics, ...meta } = result;
  const SLICE = 65_536;
  function* arrays(entries: readonly (readonly [string, Float64Array])[]): Generator<string> {
    for (const [i, [key, values]] of entries.entries()) {
      yield `${i > 0 ? ',' : ''}${JSON.stringify(key)}:[`;
      for (let j = 0; j < values.length; j += SLICE)
        yield (j > 0 ? ',' : '') + JSON.stringify(Array.from(values.subarray(j, j + SLICE))).slice(1, -1);
      yield ']';
    }
  }
  yield `${JSON.stringify(meta).slice(0, -1)},"figures":{`;
  yield* arrays(RECORDED_FIGURES.map((f) => [f, figures[f]] as const));
  yield '},"metrics":{';
  yield* arrays(Object.entries(metrics));
  yield '}}';
}

/**
 * Reads a result back from {@link resultToJSON}'s data.
 *
 * @param json - the data (for example `JSON.parse` of a saved result)
 * @returns the result with typed arrays
 * @throws {@link ResultError} when the data is not a carebudget result, a figure has the wrong
 *   length, or its run record (when present) lacks its version, scenario or hash
 * @example
 * ```ts
 * const text = JSON.stringify(resultToJSON(simulate({ ...lejre2034(), paths: 200 })));
 * resultFromJSON(JSON.parse(text)).pathCount; //=> 200
 * ```
 * @category Results
 */
export function resultFromJSON(json: unknown): SimulationResult {
  const j = json as Partial<SimulationResultJSON> | null;
  if (j === null || typeof j !== 'object' || j.format !== 'carebudget-result' || j.version !== 1) {
    throw new ResultError(
      'resultFromJSON: expected an object with format "carebudget-result" and version 1',
      'INVALID_RESULT',
    );
  }
  const size = (j.strategies?.length ?? 0) * (j.services?.length ?? 0) * (j.years?.length ?? 0) * (j.pathCount ?? 0);
  const figures = {} as Record<RecordedFigure, Float64Array>;
  for (const f of RECORDED_FIGURES) {
    const arr = j.figures?.[f];
    if (!Array.isArray(arr) || arr.length !== size)
      throw new ResultError(`resultFromJSON: figures.${f}: expected an array of ${size} numbers`, 'INVALID_RESULT');
    figures[f] = Float64Array.from(arr);
  }
  const metricSize = (j.strategies?.length ?? 0) * (j.years?.length ?? 0) * (j.pathCount ?? 0);
  const metrics: Record<string, Float64Array> = {};
  for (const [k, arr] of Object.entries(j.metrics ?? {})) {
    if (!Array.isArray(arr) || arr.length !== metricSize)
      throw new ResultError(
        `resultFromJSON: metrics.${k}: expected an array of ${metricSize} numbers`,
        'INVALID_RESULT',
      );
    metrics[k] = Float64Array.from(arr);
  }
  const run = (j as { run?: unknown }).run;
  if (run !== undefined) {
    const r = run as Partial<Record<keyof RunRecord, unknown>> | null;
    if (
      r === null ||
      typeof r !== 'object' ||
      typeof r.libraryVersion !== 'string' ||
      typeof r.scenarioHash !== 'string' ||
      r.scenario === null ||
      typeof r.scenario !== 'object'
    ) {
      throw new ResultError(
        'resultFromJSON: run: expected a run record with libraryVersion, scenario and scenarioHash',
      );
    }
  }
  return { ...(j as SimulationResultJSON), figures, metrics };
}
