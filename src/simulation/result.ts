import type { RunRecord } from './record';
import type { NamesByLanguage } from '../services/service';
import { sharedErrorClass } from '../errors';

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
  readonly labels?: NamesByLanguage;
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
  readonly labels?: NamesByLanguage | undefined;
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
sharedErrorClass(ResultError, 'ResultError');

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
  buffer?: ArrayBuffer | SharedArrayBuffer,
): SimulationResult {
  const { metricKeys = [], ...rest } = meta as typeof meta & { metricKeys?: readonly string[] };
  const size = meta.strategies.length * meta.services.length * meta.years.length * meta.pathCount;
  const metricSize = meta.strategies.length * meta.years.length * meta.pathCount;
  const bytes =
    bytesPerPath(meta.strategies.length, meta.services.length, metricKeys.length, meta.years.length) * meta.pathCount;
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

/**
 * Bytes of one path of a per-path result, as {@link allocateResult} lays it out: every figure
 * per strategy, service and year, and every service metric per strategy and year.
 *
 * @param strategies - the strategies run
 * @param services - the model's services, with their metrics
 * @param years - the simulated years
 * @returns the bytes a path
 * @example
 * ```ts
 * resultBytesPerPath(2, [{}, { metrics: [{ id: 'a' }] }], 11) / 8; //=> 2 * 11 * (2 * 8 + 1)
 * ```
 * @internal
 */
export function resultBytesPerPath(
  strategies: number,
  services: readonly { readonly metrics?: readonly unknown[] | undefined }[],
  years: number,
): number {
  const metrics = services.reduce((a, d) => a + (d.metrics?.length ?? 0), 0);
  return bytesPerPath(strategies, services.length, metrics, years);
}

/** The one rule for a result's bytes a path: every figure per strategy, service and year, and every metric per strategy and year. */
function bytesPerPath(strategies: number, services: number, metrics: number, years: number): number {
  return strategies * years * (services * RECORDED_FIGURES.length + metrics) * 8;
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
 * A `Float64Array` in compact JSON: its bytes, little-endian, as standard base64 (with `=`
 * padding). Bit for bit the array it came from, NaN and −0 included.
 *
 * @category Results
 */
export interface Float64ArrayJSON {
  readonly dtype: 'float64';
  readonly base64: string;
}

/**
 * A result as compact JSON-ready data ({@link resultToJSON} with `compact: true`): every array
 * as a {@link Float64ArrayJSON}.
 *
 * @category Results
 */
export type SimulationResultCompactJSON = Omit<SimulationResult, 'figures' | 'metrics'> & {
  readonly figures: Record<RecordedFigure, Float64ArrayJSON>;
  readonly metrics: Record<string, Float64ArrayJSON>;
};

/** Options of {@link resultToJSON}. @category Results */
export interface ResultJSONOptions {
  /**
   * Each array as little-endian float64 bytes in base64 ({@link Float64ArrayJSON}) instead of
   * an array of numbers: bit for bit (NaN included, which a JSON number cannot hold) and about
   * two thirds of the text. Default false.
   */
  readonly compact?: boolean;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_CODES[BASE64.charCodeAt(i)] = i;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80;

/** The array's bytes, little-endian whatever the platform's order. */
function littleEndianBytes(values: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
  return out;
}

const BASE64_BYTES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));

function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const whole = n - (n % 3);
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const x = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64_BYTES[x >>> 18]!;
    out[o++] = BASE64_BYTES[(x >>> 12) & 63]!;
    out[o++] = BASE64_BYTES[(x >>> 6) & 63]!;
    out[o++] = BASE64_BYTES[x & 63]!;
  }
  if (n > whole) {
    const x = (bytes[whole]! << 16) | (n - whole === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o++] = BASE64_BYTES[x >>> 18]!;
    out[o++] = BASE64_BYTES[(x >>> 12) & 63]!;
    out[o++] = n - whole === 2 ? BASE64_BYTES[(x >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  // ASCII only, so any single-byte decoding gives the same text.
  return new TextDecoder('latin1').decode(out);
}

/** The float64 array a {@link Float64ArrayJSON} holds, or a message saying what is wrong with it. */
function fromBase64(text: string, count: number): Float64Array | string {
  const byteCount = count * 8;
  const expected = Math.ceil(byteCount / 3) * 4;
  if (text.length !== expected)
    return `expected ${expected} base64 characters (${count} float64 values); received ${text.length}`;
  const padding = byteCount % 3 === 0 ? 0 : 3 - (byteCount % 3);
  const bytes = new Uint8Array(Math.ceil(byteCount / 3) * 3);
  for (let i = 0, o = 0; i < text.length; i += 4, o += 3) {
    let x = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const last = i + 4 === text.length;
      const code = c === 61 && last && k >= 4 - padding ? 0 : c < 128 ? BASE64_CODES[c]! : -1;
      if (code < 0) return `not base64: ${JSON.stringify(text[i + k])} at character ${i + k}`;
      x = (x << 6) | code;
    }
    bytes[o] = x >>> 16;
    bytes[o + 1] = (x >>> 8) & 255;
    bytes[o + 2] = x & 255;
  }
  if (LITTLE_ENDIAN) return new Float64Array(bytes.buffer, 0, count).slice();
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/**
 * Converts a result to JSON-ready data. To make a file that rebuilds its run, attach the run
 * record first: `resultToJSON({ ...result, run: runRecord(scenario, ids) })`.
 *
 * With `compact: true` every array is its float64 bytes in base64 ({@link Float64ArrayJSON}):
 * bit for bit, and smaller: 10.7 characters a number, whatever its digits (a run of the
 * `lejre-2034` preset takes 69 % of the plain form's text). {@link resultFromJSON} reads both forms.
 *
 * @param result - a result
 * @param options - `compact`: base64 float64 arrays instead of arrays of numbers (default false)
 * @returns the same data with plain arrays, or with base64 arrays when compact
 * @example
 * ```ts
 * const result = simulate({ ...lejre2034(), paths: 100 });
 * const compact = resultToJSON(result, { compact: true });
 * compact.figures.actualCostKr.dtype; //=> 'float64'
 * const back = resultFromJSON(JSON.parse(JSON.stringify(compact)));
 * back.figures.actualCostKr.every((x, i) => Object.is(x, result.figures.actualCostKr[i])); //=> true
 * ```
 * @category Results
 */
export function resultToJSON(result: SimulationResult, options?: { readonly compact?: false }): SimulationResultJSON;
export function resultToJSON(
  result: SimulationResult,
  options: { readonly compact: true },
): SimulationResultCompactJSON;
export function resultToJSON(
  result: SimulationResult,
  options?: ResultJSONOptions,
): SimulationResultJSON | SimulationResultCompactJSON;
export function resultToJSON(
  result: SimulationResult,
  options: ResultJSONOptions = {},
): SimulationResultJSON | SimulationResultCompactJSON {
  const encode: (values: Float64Array) => number[] | Float64ArrayJSON = options.compact
    ? (values) => ({ dtype: 'float64', base64: toBase64(littleEndianBytes(values)) })
    : (values) => Array.from(values);
  const figures = {} as Record<RecordedFigure, number[] | Float64ArrayJSON>;
  for (const f of RECORDED_FIGURES) figures[f] = encode(result.figures[f]);
  const metrics: Record<string, number[] | Float64ArrayJSON> = {};
  for (const [k, v] of Object.entries(result.metrics)) metrics[k] = encode(v);
  return { ...result, figures, metrics } as SimulationResultJSON | SimulationResultCompactJSON;
}

/**
 * The JSON text of {@link resultToJSON}'s data, in pieces of at most 65,535 numbers: a result
 * larger than the longest string a JavaScript engine holds can still be written to a file.
 * With `compact`, the text of the compact form: each array's base64 is made slice by slice
 * (65,535 numbers are 524,280 bytes, a multiple of 3, so the slices' base64 joins without padding).
 *
 * @internal
 */
export function* resultJSONPieces(result: SimulationResult, options: ResultJSONOptions = {}): Generator<string> {
  const { figures, metrics, ...meta } = result;
  const SLICE = 65_535;
  const compact = options.compact === true;
  function* arrays(entries: readonly (readonly [string, Float64Array])[]): Generator<string> {
    for (const [i, [key, values]] of entries.entries()) {
      yield `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${compact ? '{"dtype":"float64","base64":"' : '['}`;
      for (let j = 0; j < values.length; j += SLICE) {
        const slice = values.subarray(j, j + SLICE);
        if (compact) yield toBase64(littleEndianBytes(slice));
        else yield (j > 0 ? ',' : '') + JSON.stringify(Array.from(slice)).slice(1, -1);
      }
      yield compact ? '"}' : ']';
    }
  }
  yield `${JSON.stringify(meta).slice(0, -1)},"figures":{`;
  yield* arrays(RECORDED_FIGURES.map((f) => [f, figures[f]] as const));
  yield '},"metrics":{';
  yield* arrays(Object.entries(metrics));
  yield '}}';
}

/**
 * Reads a result back from {@link resultToJSON}'s data, in either form: arrays of numbers, or
 * the compact form's base64 float64 arrays ({@link Float64ArrayJSON}; the two may be mixed).
 *
 * @param json - the data (for example `JSON.parse` of a saved result)
 * @returns the result with typed arrays
 * @throws {@link ResultError} when the data is not a carebudget result, a figure or metric has
 *   the wrong length or is neither an array of numbers nor a base64 float64 array, or its run record (when present) lacks its version, scenario or hash
 * @example
 * ```ts
 * const text = JSON.stringify(resultToJSON(simulate({ ...lejre2034(), paths: 200 })));
 * resultFromJSON(JSON.parse(text)).pathCount; //=> 200
 * ```
 * @category Results
 */
export function resultFromJSON(json: unknown): SimulationResult {
  const j = json as
    | (Partial<Omit<SimulationResultJSON, 'figures' | 'metrics'>> & {
        figures?: Record<string, unknown>;
        metrics?: Record<string, unknown>;
      })
    | null;
  if (j === null || typeof j !== 'object' || j.format !== 'carebudget-result' || j.version !== 1) {
    throw new ResultError(
      'resultFromJSON: expected an object with format "carebudget-result" and version 1',
      'INVALID_RESULT',
    );
  }
  checkLabels('strategies', j.strategies, false);
  checkLabels('services', j.services, true);
  if (!Array.isArray(j.years) || j.years.length === 0 || !j.years.every((y) => Number.isSafeInteger(y)))
    throw new ResultError(
      `resultFromJSON: years: expected a non-empty list of whole calendar years; received ${describeEntry(j.years)}`,
      'INVALID_RESULT',
    );
  for (const key of ['pathStart', 'pathCount'] as const) {
    const n: unknown = j[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < (key === 'pathCount' ? 1 : 0))
      throw new ResultError(
        `resultFromJSON: ${key}: expected a whole number${key === 'pathCount' ? ' ≥ 1' : ' ≥ 0'}; received ${describeEntry(n)}`,
        'INVALID_RESULT',
      );
  }
  const size = (j.strategies?.length ?? 0) * (j.services?.length ?? 0) * (j.years?.length ?? 0) * (j.pathCount ?? 0);
  const figures = {} as Record<RecordedFigure, Float64Array>;
  for (const f of RECORDED_FIGURES) {
    figures[f] = readArray(`figures.${f}`, j.figures?.[f], size);
  }
  const metricSize = (j.strategies?.length ?? 0) * (j.years?.length ?? 0) * (j.pathCount ?? 0);
  const metrics: Record<string, Float64Array> = {};
  for (const [k, arr] of Object.entries(j.metrics ?? {})) metrics[k] = readArray(`metrics.${k}`, arr, metricSize);
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

/**
 * The largest magnitude a figure or metric of a result file may have: 10¹⁵ kr is a thousand
 * times Denmark's yearly GDP, and sums of that over a million paths stay exact enough and
 * finite.
 */
const MAX_RESULT_MAGNITUDE = 1e15;

/** A value as a message shows it: a short quote of a string, `null`, a number, or its kind. */
function describeEntry(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return Array.isArray(x) ? 'a list' : typeof x;
}

/** Checks a result file's strategies or services: a list of `{ id, label }` with unique ids. */
function checkLabels(field: 'strategies' | 'services', list: unknown, withUnit: boolean): void {
  if (!Array.isArray(list) || list.length === 0)
    throw new ResultError(
      `resultFromJSON: ${field}: expected a non-empty list; received ${describeEntry(list)}`,
      'INVALID_RESULT',
    );
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const e = entry as Partial<Record<'id' | 'label' | 'activityUnit', unknown>> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.id !== 'string' ||
      typeof e.label !== 'string' ||
      (withUnit && typeof e.activityUnit !== 'string')
    )
      throw new ResultError(
        `resultFromJSON: ${field}[${i}]: expected { id, label${withUnit ? ', activityUnit' : ''} } as text; received ${describeEntry(entry)}`,
        'INVALID_RESULT',
      );
    if (seen.has(e.id))
      throw new ResultError(`resultFromJSON: ${field}[${i}]: the id "${e.id}" appears twice`, 'INVALID_RESULT');
    seen.add(e.id);
  });
}

/** One figure's or metric's values from either JSON form, or a ResultError naming the field. */
function readArray(field: string, value: unknown, size: number): Float64Array {
  if (Array.isArray(value)) {
    if (value.length !== size)
      throw new ResultError(
        `resultFromJSON: ${field}: expected an array of ${size} numbers; received ${value.length}`,
        'INVALID_RESULT',
      );
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const x: unknown = value[i];
      // JSON has no NaN or infinity (JSON.stringify writes null), and a run's figures are finite.
      if (typeof x !== 'number' || !Number.isFinite(x) || Math.abs(x) > MAX_RESULT_MAGNITUDE)
        throw new ResultError(
          `resultFromJSON: ${field}[${i}]: expected a finite number of magnitude at most ${MAX_RESULT_MAGNITUDE.toExponential()}; received ${describeEntry(x)}`,
          'INVALID_RESULT',
        );
      values[i] = x;
    }
    return values;
  }
  const v = value as Partial<Float64ArrayJSON> | null | undefined;
  if (v !== null && typeof v === 'object' && v.dtype === 'float64' && typeof v.base64 === 'string') {
    const values = fromBase64(v.base64, size);
    if (typeof values === 'string') throw new ResultError(`resultFromJSON: ${field}: ${values}`, 'INVALID_RESULT');
    for (let i = 0; i < size; i++) {
      const x = values[i]!;
      if (!Number.isFinite(x) || Math.abs(x) > MAX_RESULT_MAGNITUDE)
        throw new ResultError(
          `resultFromJSON: ${field}[${i}]: expected a finite number of magnitude at most ${MAX_RESULT_MAGNITUDE.toExponential()}; received ${x}`,
          'INVALID_RESULT',
        );
    }
    return values;
  }
  throw new ResultError(
    `resultFromJSON: ${field}: expected an array of ${size} numbers or { dtype: "float64", base64 }; received ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    'INVALID_RESULT',
  );
}
