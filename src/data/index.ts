/**
 * carebudget/data: a run's per-path figures and metrics as an Apache Arrow table or a Parquet
 * file, for pandas, polars, R's arrow and DuckDB. A separate entry, so the core's browser bundle
 * carries neither library.
 *
 * Two forms:
 * - `wide` (default): one row per strategy, service, year and path, one column per recorded
 *   figure. The figure columns are the result's own typed arrays (views, not copies).
 * - `long`: one row per strategy, service, year, path and figure (the services' metrics
 *   included, each under its service), with one `value` column. When the result's arrays share
 *   one buffer (results of a run do), `value` is a view of that buffer.
 *
 * The file's metadata holds the library version, and when the result carries its run record
 * (see {@link RunRecord}) the scenario, seed, paths and the scenario's hash.
 *
 * @packageDocumentation
 */
import { Dictionary, Float64, Int16, Int32, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { RECORDED_FIGURES, ResultError, resultBuffer, type SimulationResult } from '../simulation/result';
import type { RunRecord } from '../simulation/record';
import { VERSION } from '../version';

/** The two layouts of per-path data. @category Data */
export type DataForm = 'wide' | 'long';

/** Options of {@link resultToArrow} and {@link resultToParquet}. @category Data */
export interface DataOptions {
  /** `wide` (default): a column per figure; `long`: figure and value columns, metrics included. */
  readonly form?: DataForm;
}

/** The columns of a result in either form, before they become Arrow or Parquet columns. */
interface Columns {
  readonly rows: number;
  /** Small whole numbers: indices into `labels` for the text columns, else values. */
  readonly ints: { readonly name: string; readonly values: Int16Array | Int32Array; readonly labels?: readonly string[] }[];
  readonly doubles: { readonly name: string; readonly values: Float64Array }[];
}

function checkForm(form: unknown): DataForm {
  if (form !== 'wide' && form !== 'long') throw new ResultError(`form must be "wide" or "long"; received ${JSON.stringify(form)}`);
  return form;
}

function columns(result: SimulationResult, form: DataForm): Columns {
  const S = result.strategies.length;
  const V = result.services.length;
  const Y = result.years.length;
  const P = result.pathCount;
  const size = S * V * Y * P;
  if (size > 2 ** 31 - 1) throw new ResultError(`the result has ${size} rows per figure; Arrow and Parquet columns here hold at most ${2 ** 31 - 1}`);
  const strategyIds = result.strategies.map((s) => s.id);
  const serviceIds = result.services.map((s) => s.id);
  if (form === 'wide') {
    const strategy = new Int16Array(size);
    const service = new Int16Array(size);
    const year = new Int32Array(size);
    const path = new Int32Array(size);
    for (let s = 0, row = 0; s < S; s++) {
      for (let v = 0; v < V; v++) {
        for (let y = 0; y < Y; y++) {
          strategy.fill(s, row, row + P);
          service.fill(v, row, row + P);
          year.fill(result.years[y]!, row, row + P);
          for (let i = 0; i < P; i++) path[row + i] = result.pathStart + i;
          row += P;
        }
      }
    }
    return {
      rows: size,
      ints: [
        { name: 'strategy', values: strategy, labels: strategyIds },
        { name: 'service', values: service, labels: serviceIds },
        { name: 'year', values: year },
        { name: 'path', values: path },
      ],
      doubles: RECORDED_FIGURES.map((f) => ({ name: f, values: result.figures[f] })),
    };
  }
  // Long: the figures, then each metric (its rows by strategy, year, path), in the order the
  // result's buffer holds them.
  const metricKeys = Object.keys(result.metrics);
  const metricSize = S * Y * P;
  const rows = size * RECORDED_FIGURES.length + metricSize * metricKeys.length;
  if (rows > 2 ** 31 - 1) throw new ResultError(`the long form has ${rows} rows; Arrow and Parquet columns here hold at most ${2 ** 31 - 1}: use the wide form`);
  const figureNames = [...RECORDED_FIGURES, ...metricKeys.map((k) => k.slice(k.indexOf('.') + 1))];
  const serviceNames = [...serviceIds];
  const strategy = new Int16Array(rows);
  const service = new Int16Array(rows);
  const figure = new Int16Array(rows);
  const year = new Int32Array(rows);
  const path = new Int32Array(rows);
  let row = 0;
  const block = (s: number, v: number, y: number, f: number) => {
    strategy.fill(s, row, row + P);
    service.fill(v, row, row + P);
    figure.fill(f, row, row + P);
    year.fill(result.years[y]!, row, row + P);
    for (let i = 0; i < P; i++) path[row + i] = result.pathStart + i;
    row += P;
  };
  RECORDED_FIGURES.forEach((_f, f) => {
    for (let s = 0; s < S; s++) for (let v = 0; v < V; v++) for (let y = 0; y < Y; y++) block(s, v, y, f);
  });
  metricKeys.forEach((key, m) => {
    const serviceId = key.slice(0, key.indexOf('.'));
    let v = serviceNames.indexOf(serviceId);
    if (v < 0) v = serviceNames.push(serviceId) - 1;
    for (let s = 0; s < S; s++) for (let y = 0; y < Y; y++) block(s, v, y, RECORDED_FIGURES.length + m);
  });
  const buffer = resultBuffer(result);
  let value: Float64Array;
  if (buffer !== undefined && buffer.byteLength === rows * 8) {
    value = new Float64Array(buffer, 0, rows);
  } else {
    value = new Float64Array(rows);
    let at = 0;
    for (const f of RECORDED_FIGURES) value.set(result.figures[f], (at += result.figures[f].length) - result.figures[f].length);
    for (const k of metricKeys) value.set(result.metrics[k]!, (at += metricSize) - metricSize);
  }
  return {
    rows,
    ints: [
      { name: 'strategy', values: strategy, labels: strategyIds },
      { name: 'service', values: service, labels: serviceNames },
      { name: 'year', values: year },
      { name: 'path', values: path },
      { name: 'figure', values: figure, labels: figureNames },
    ],
    doubles: [{ name: 'value', values: value }],
  };
}

/** The file metadata: version, form, and the run record when the result has one. */
function metadata(result: SimulationResult, form: DataForm): [string, string][] {
  const run: RunRecord | undefined = result.run;
  return [
    ['carebudget.version', VERSION],
    ['carebudget.form', form],
    ['carebudget.scenarioName', result.scenario.name],
    ['carebudget.seed', String(result.scenario.seed)],
    ...(run === undefined
      ? []
      : ([
          ['carebudget.paths', String(run.paths)],
          ['carebudget.strategies', JSON.stringify(run.strategies)],
          ['carebudget.scenarioHash', run.scenarioHash],
          ['carebudget.resultVersion', run.libraryVersion],
          ['carebudget.scenario', JSON.stringify(run.scenario)],
        ] as [string, string][])),
  ];
}

/**
 * A result's per-path figures as an Apache Arrow table.
 *
 * @param result - a per-path result (from `simulate`, `simulateParallel` or `resultFromJSON`)
 * @param options - the form: `wide` (default) or `long`
 * @returns an Arrow table; its schema's metadata holds the version, the seed and, with a run
 *   record, the scenario
 * @throws `ResultError` (from carebudget) for an unknown form or a result with more rows than an Arrow
 *   column holds here
 * @example
 * ```ts
 * import { resultToArrow } from 'carebudget/data';
 * const table = resultToArrow(simulate({ ...lejre2034(), paths: 100 }));
 * table.numRows; //=> 4400
 * ```
 * @category Data
 */
export function resultToArrow(result: SimulationResult, options: DataOptions = {}): Table {
  const form = checkForm(options.form ?? 'wide');
  const cols = columns(result, form);
  const vectors: Record<string, Vector> = {};
  for (const c of cols.ints) {
    if (c.labels === undefined) {
      vectors[c.name] = makeVector(c.values);
    } else {
      const type = new Dictionary(new Utf8(), new Int16());
      vectors[c.name] = makeVector(makeData({ type, length: cols.rows, nullCount: 0, data: c.values as Int16Array, dictionary: vectorFromArray([...c.labels], new Utf8()) }));
    }
  }
  for (const c of cols.doubles) vectors[c.name] = makeVector(makeData({ type: new Float64(), length: cols.rows, nullCount: 0, data: c.values }));
  const table = new Table(vectors);
  for (const [k, v] of metadata(result, form)) table.schema.metadata.set(k, v);
  return table;
}

/**
 * A result's per-path figures as the bytes of an Arrow IPC file (`.arrow`, Feather 2).
 *
 * @param result - a per-path result
 * @param options - the form: `wide` (default) or `long`
 * @returns the file's bytes
 * @throws `ResultError` (from carebudget) as {@link resultToArrow}
 * @example
 * ```ts
 * writeFileSync('paths.arrow', resultToArrowFile(result));
 * ```
 * @category Data
 */
export function resultToArrowFile(result: SimulationResult, options: DataOptions = {}): Uint8Array {
  return tableToIPC(resultToArrow(result, options), 'file');
}

/**
 * A result's per-path figures as the bytes of a Parquet file (written by hyparquet-writer,
 * snappy-compressed; text columns dictionary-encoded).
 *
 * @param result - a per-path result
 * @param options - the form: `wide` (default) or `long`
 * @returns the file's bytes; its key-value metadata holds the version, the seed and, with a
 *   run record, the scenario
 * @throws `ResultError` (from carebudget) as {@link resultToArrow}
 * @example
 * ```ts
 * writeFileSync('paths.parquet', resultToParquet(result, { form: 'long' }));
 * ```
 * @category Data
 */
export function resultToParquet(result: SimulationResult, options: DataOptions = {}): Uint8Array {
  const form = checkForm(options.form ?? 'wide');
  const cols = columns(result, form);
  const columnData: ColumnSource[] = [
    ...cols.ints.map((c): ColumnSource => {
      if (c.labels === undefined) return { name: c.name, data: c.values instanceof Int32Array ? c.values : Int32Array.from(c.values), type: 'INT32', nullable: false };
      const labels = c.labels;
      const text = new Array<string>(cols.rows);
      for (let i = 0; i < cols.rows; i++) text[i] = labels[c.values[i]!]!;
      return { name: c.name, data: text, type: 'STRING', nullable: false };
    }),
    ...cols.doubles.map((c): ColumnSource => ({ name: c.name, data: c.values, type: 'DOUBLE', nullable: false })),
  ];
  const buffer = parquetWriteBuffer({ columnData, kvMetadata: metadata(result, form).map(([key, value]) => ({ key, value })), createdBy: `carebudget ${VERSION}` });
  return new Uint8Array(buffer);
}
