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
import {
  Dictionary,
  Float64,
  Int16,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
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
  readonly ints: {
    readonly name: string;
    readonly values: Int16Array | Int32Array;
    readonly labels?: readonly string[];
  }[];
  readonly doubles: { readonly name: string; readonly values: Float64Array }[];
}

function checkForm(form: unknown): DataForm {
  if (form !== 'wide' && form !== 'long')
    throw new ResultError(`form must be "wide" or "long"; received ${JSON.stringify(form)}`);
  return form;
}

function columns(result: SimulationResult, form: DataForm): Columns {
  const S = result.strategies.length;
  const V = result.services.length;
  const Y = result.years.length;
  const P = result.pathCount;
  const size = S * V * Y * P;
  if (size > 2 ** 31 - 1)
    throw new ResultError(
      `the result has ${size} rows per figure; Arrow and Parquet columns here hold at most ${2 ** 31 - 1}`,
    );
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
  if (rows > 2 ** 31 - 1)
    throw new ResultError(
      `the long form has ${rows} rows; Arrow and Parquet columns here hold at most ${2 ** 31 - 1}: use the wide form`,
    );
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
    for (const f of RECORDED_FIGURES)
      value.set(result.figures[f], (at += result.figures[f].length) - result.figures[f].length);
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
      vectors[c.name] = makeVector(
        makeData({
          type,
          length: cols.rows,
          nullCount: 0,
          data: c.values as Int16Array,
          dictionary: vectorFromArray([...c.labels], new Utf8()),
        }),
      );
    }
  }
  for (const c of cols.doubles)
    vectors[c.name] = makeVector(makeData({ type: new Float64(), length: cols.rows, nullCount: 0, data: c.values }));
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
 * A result's per-path figures as the bytes of a Parquet file (written by hyparquet-writer in
 * row groups of 262,144 rows, snappy-compressed; text columns dictionary-encoded).
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
  const S = result.strategies.length;
  const V = result.services.length;
  const Y = result.years.length;
  const P = result.pathCount;
  const size = S * V * Y * P;
  const metricKeys = Object.keys(result.metrics);
  const metricSize = S * Y * P;
  const rows = form === 'wide' ? size : size * RECORDED_FIGURES.length + metricSize * metricKeys.length;
  if (rows > 2 ** 31 - 1)
    throw new ResultError(
      `the ${form} form has ${rows} rows; Parquet files here hold at most ${2 ** 31 - 1}${form === 'long' ? ': use the wide form' : ''}`,
    );
  const strategyIds = result.strategies.map((s) => s.id);
  const serviceIds = result.services.map((s) => s.id);
  const metricService = metricKeys.map((k) => k.slice(0, k.indexOf('.')));
  const figureNames = [...RECORDED_FIGURES, ...metricKeys.map((k) => k.slice(k.indexOf('.') + 1))];
  // Row groups are made one at a time, so the text columns of a large run never exist whole:
  // a 100,000-path run in long form has about 50 million rows.
  const chunk = (start: number, end: number): ColumnSource[] => {
    const n = end - start;
    const strategy = new Array<string>(n);
    const service = new Array<string>(n);
    const year = new Int32Array(n);
    const path = new Int32Array(n);
    const figure = form === 'long' ? new Array<string>(n) : undefined;
    const value = form === 'long' ? new Float64Array(n) : undefined;
    for (let j = 0; j < n; j++) {
      const row = start + j;
      let rest: number;
      let s: number;
      let y: number;
      let serviceId: string;
      if (row < size * (form === 'long' ? RECORDED_FIGURES.length : 1)) {
        const f = Math.floor(row / size);
        rest = row - f * size;
        const cell = Math.floor(rest / P);
        y = cell % Y;
        const v = Math.floor(cell / Y) % V;
        s = Math.floor(cell / (Y * V));
        serviceId = serviceIds[v]!;
        if (figure !== undefined) {
          figure[j] = figureNames[f]!;
          value![j] = result.figures[RECORDED_FIGURES[f]!][rest]!;
        }
      } else {
        const m = Math.floor((row - size * RECORDED_FIGURES.length) / metricSize);
        rest = row - size * RECORDED_FIGURES.length - m * metricSize;
        const cell = Math.floor(rest / P);
        y = cell % Y;
        s = Math.floor(cell / Y);
        serviceId = metricService[m]!;
        figure![j] = figureNames[RECORDED_FIGURES.length + m]!;
        value![j] = result.metrics[metricKeys[m]!]![rest]!;
      }
      strategy[j] = strategyIds[s]!;
      service[j] = serviceId;
      year[j] = result.years[y]!;
      path[j] = result.pathStart + (rest % P);
    }
    const keys: ColumnSource[] = [
      { name: 'strategy', data: strategy, type: 'STRING', nullable: false },
      { name: 'service', data: service, type: 'STRING', nullable: false },
      { name: 'year', data: year, type: 'INT32', nullable: false },
      { name: 'path', data: path, type: 'INT32', nullable: false },
    ];
    return form === 'long'
      ? [
          ...keys,
          { name: 'figure', data: figure!, type: 'STRING', nullable: false },
          { name: 'value', data: value!, type: 'DOUBLE', nullable: false },
        ]
      : [
          ...keys,
          ...RECORDED_FIGURES.map((f): ColumnSource => ({
            name: f,
            data: result.figures[f].subarray(start, end),
            type: 'DOUBLE',
            nullable: false,
          })),
        ];
  };
  const ROW_GROUP = 262_144;
  const writer = new ByteWriter();
  const first = chunk(0, Math.min(rows, ROW_GROUP));
  const parquet = new ParquetWriter({
    writer,
    schema: schemaFromColumnData({ columnData: first }),
    kvMetadata: metadata(result, form).map(([key, value]) => ({ key, value })),
    createdBy: `carebudget ${VERSION}`,
  });
  for (let start = 0; start < rows; start += ROW_GROUP) {
    const end = Math.min(rows, start + ROW_GROUP);
    void parquet.write({ columnData: start === 0 ? first : chunk(start, end), rowGroupSize: ROW_GROUP });
  }
  parquet.finish();
  return new Uint8Array(writer.getBuffer());
}
