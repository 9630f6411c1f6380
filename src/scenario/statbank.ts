/**
 * A scenario's population section from a Statistics Denmark population projection: the
 * statbank API's JSON-stat answer (the first version's `{"dataset": ...}` form, or JSON-stat
 * 2.0) or its CSV export (semicolons, Danish headers such as OMRÅDE;KØN;ALDER;TID;INDHOLD).
 * Browser-safe: no Node built-ins.
 *
 * JSON-stat is read through a zod schema of the format rather than a JSON-stat package: the
 * maintained JavaScript toolkit ships no types, and the part needed here (dimensions,
 * categories, a flat value array) is small.
 */
import * as z from 'zod';
import { dsvFormat } from 'd3-dsv';

/**
 * Thrown by {@link populationFromStatbank} when the table cannot give the section asked for:
 * unreadable data, an unknown municipality, or missing years or ages (named in the message).
 *
 * @category Scenario
 */
export class PopulationImportError extends Error {
  /** Always `INVALID_POPULATION_TABLE`. */
  readonly code = 'INVALID_POPULATION_TABLE' as const;

  /** @param message - what the table lacks or what could not be read, for people */
  constructor(message: string) {
    super(message);
    this.name = 'PopulationImportError';
  }
}

/** Options of {@link populationFromStatbank}. @category Scenario */
export interface PopulationImportOptions {
  /** The municipality, by name (`"Lejre"`, any case) or code (`"350"`). */
  readonly municipality: string;
  /** Age groups as `"67-79"` (inclusive) or `"80+"`, in a list or comma-separated. */
  readonly groups: readonly string[] | string;
  /** The years to take (default: every year in the table); each must be in it. */
  readonly years?: { readonly from?: number; readonly to?: number };
}

/** A population section as the scenario schema takes it: each group with a projection table by year. @category Scenario */
export interface PopulationSection {
  readonly groups: { readonly id: string; readonly table: Readonly<Record<string, number>> }[];
}

/**
 * The most cells a Statistics Denmark table may have (the product of its dimensions' sizes):
 * every municipality's projection by sex, single age and year has about a million.
 *
 * @category Scenario
 */
export const MAX_STATBANK_CELLS = 2_000_000;

/**
 * The oldest age an age group or a table's age category may name: the projection tables end at
 * "100 år og derover", and no one has lived past 122.
 *
 * @category Scenario
 */
export const MAX_AGE = 125;

/** The most years taken from a table at once. */
const MAX_YEARS = 1000;

/** One cell of a projection: persons of an age (or age band) in an area, a year. */
interface Cell {
  readonly area: string;
  readonly areaLabel: string;
  readonly sex: string | undefined;
  readonly age: string;
  readonly year: string;
  readonly value: number | null;
}

const categorySchema = z.object({
  index: z.union([z.record(z.string(), z.number().int().min(0)), z.array(z.string())]).optional(),
  label: z.record(z.string(), z.string()).optional(),
});
const dimensionSchema = z.object({ label: z.string().optional(), category: categorySchema });
const valueSchema = z.union([z.array(z.number().nullable()), z.record(z.string(), z.number().nullable())]);
/** JSON-stat 2.0: a dataset with id and size at the top. */
const jsonStat2Schema = z.object({
  version: z.string().optional(),
  class: z.literal('dataset'),
  id: z.array(z.string()).min(1),
  size: z.array(z.number().int().min(0)).min(1),
  dimension: z.record(z.string(), dimensionSchema),
  value: valueSchema,
});
/** JSON-stat 1.x: a bundle `{ "dataset": { dimension: { id, size, ... }, value } }`. */
const jsonStat1DatasetSchema = z.object({
  dimension: z
    .object({ id: z.array(z.string()).min(1), size: z.array(z.number().int().min(0)).min(1) })
    .catchall(z.unknown()),
  value: valueSchema,
});

type Role = 'area' | 'sex' | 'age' | 'year' | 'content';

/** Danish and English names of the dimensions, upper case, without diacritics. */
function roleOf(name: string): Role | undefined {
  const n = name.toUpperCase().replace('Å', 'AA').replace('Ø', 'OE').replace('Æ', 'AE');
  if (['OMRAADE', 'OMRADE', 'KOMK', 'KOMMUNE', 'AREA', 'REGION'].includes(n)) return 'area';
  if (['KOEN', 'KON', 'SEX', 'KØN'].includes(n)) return 'sex';
  if (['ALDER', 'AGE'].includes(n)) return 'age';
  if (['TID', 'TIME', 'YEAR', 'AAR'].includes(n)) return 'year';
  if (['INDHOLD', 'CONTENTSCODE', 'CONTENT', 'VALUE'].includes(n)) return 'content';
  return undefined;
}

const isTotal = (code: string, label: string) =>
  /^(TOT|IALT|I ALT|TOTAL)$/i.test(code) || /\bi alt\b|^total$/i.test(label);

function fail(message: string): never {
  throw new PopulationImportError(`populationFromStatbank: ${message}`);
}

/** The cells of one area (matched by code or name, any case), and every area of the table for messages. */
interface AreaCells {
  readonly areas: Map<string, string>;
  readonly cells: Cell[];
}

const sameArea = (wanted: string, code: string, label: string) =>
  code.toLowerCase() === wanted || label.toLowerCase() === wanted;

function cellsFromJsonStat(data: unknown, wanted: string): AreaCells {
  let ids: string[];
  let sizes: number[];
  let dims: Record<string, z.infer<typeof dimensionSchema>>;
  let values: z.infer<typeof valueSchema>;
  const v2 = jsonStat2Schema.safeParse(data);
  if (v2.success) {
    ({ id: ids, size: sizes, dimension: dims, value: values } = v2.data);
  } else {
    const bundle =
      data !== null && typeof data === 'object' && !Array.isArray(data)
        ? Object.values(data as Record<string, unknown>)
        : [];
    const v1 = bundle.length >= 1 ? jsonStat1DatasetSchema.safeParse(bundle[0]) : undefined;
    if (v1 === undefined || !v1.success) {
      const issue = (v1 ?? v2).error!.issues[0]!;
      fail(
        `expected JSON-stat (a {"dataset": ...} bundle or a JSON-stat 2.0 dataset); at ${issue.path.join('.') || '(top)'}: ${issue.message}`,
      );
    }
    ({ id: ids, size: sizes } = v1.data.dimension);
    dims = {};
    for (const id of ids) {
      const d = dimensionSchema.safeParse(v1.data.dimension[id]);
      if (!d.success) fail(`dimension "${id}" has no readable category`);
      dims[id] = d.data;
    }
    values = v1.data.value;
  }
  if (ids.length !== sizes.length)
    fail(`expected as many sizes as dimensions; received ${ids.length} dimensions and ${sizes.length} sizes`);
  const cats = ids.map((id, k) => {
    const dim = dims[id];
    if (dim === undefined) fail(`dimension "${id}" is listed in id but not described`);
    const { index, label = {} } = dim.category;
    const codes =
      index === undefined
        ? Object.keys(label)
        : Array.isArray(index)
          ? index
          : Object.entries(index)
              .sort((a, b) => a[1] - b[1])
              .map(([c]) => c);
    if (codes.length !== sizes[k]) fail(`dimension "${id}": expected ${sizes[k]} categories; received ${codes.length}`);
    return codes.map((c) => ({ code: c, label: label[c] ?? c }));
  });
  const roles = ids.map(roleOf);
  for (const need of ['area', 'age', 'year'] as const)
    if (!roles.includes(need))
      fail(`expected a dimension for ${need} (OMRÅDE, ALDER, Tid); received ${ids.join(', ')}`);
  ids.forEach((id, k) => {
    // A dimension of no role, or of the content (several measures, such as a count and a
    // change), would otherwise be summed over its categories.
    if ((roles[k] === undefined || roles[k] === 'content') && sizes[k] !== 1)
      fail(`dimension "${id}" has ${sizes[k]} categories; expected one (select a single category of it in the query)`);
  });
  const total = sizes.reduce((a, b) => a * b, 1);
  const present = Array.isArray(values) ? values.length : Object.keys(values).length;
  const product = `${ids.map((id, k) => `${id} ${sizes[k]}`).join(' × ')} = ${total.toLocaleString('en-US')} cells`;
  if (total > MAX_STATBANK_CELLS)
    fail(
      `the table's dimensions make too many cells (${product}); at most ${MAX_STATBANK_CELLS.toLocaleString('en-US')} are read: select fewer areas, ages or years in the query`,
    );
  if (Array.isArray(values) ? present !== total : present > total)
    fail(
      `the table's value has ${present} ${Array.isArray(values) ? 'entries' : 'keys'}; its dimensions make ${Array.isArray(values) ? '' : 'at most '}${product.replace(/ cells$/, '')}`,
    );
  const k = {
    area: roles.indexOf('area'),
    sex: roles.indexOf('sex'),
    age: roles.indexOf('age'),
    year: roles.indexOf('year'),
  };
  const keys = cats.map((c) => c.map((x) => `${x.code}\u0000${x.label}`));
  const areas = new Map(cats[k.area]!.map((c) => [c.code, c.label]));
  const mine = new Set<number>();
  cats[k.area]!.forEach((c, j) => {
    if (sameArea(wanted, c.code, c.label)) mine.add(j);
  });
  const cells: Cell[] = [];
  if (mine.size === 0) return { areas, cells };
  const at = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let d = ids.length - 1; d >= 0; d--) {
      at[d] = rest % sizes[d]!;
      rest = Math.floor(rest / sizes[d]!);
    }
    if (!mine.has(at[k.area]!)) continue;
    const area = cats[k.area]![at[k.area]!]!;
    const raw = Array.isArray(values) ? values[i] : values[String(i)];
    cells.push({
      area: area.code,
      areaLabel: area.label,
      sex: k.sex < 0 ? undefined : cats[k.sex]![at[k.sex]!]!.code,
      age: keys[k.age]![at[k.age]!]!,
      year: keys[k.year]![at[k.year]!]!,
      value: raw ?? null,
    });
  }
  return { areas, cells };
}

/** How often a character occurs in a text, counting no further than `most`. */
function countUpTo(text: string, ch: string, most: number): number {
  let n = 0;
  for (let at = text.indexOf(ch); at >= 0 && n < most; at = text.indexOf(ch, at + 1)) n++;
  return n;
}

function cellsFromCsv(text: string, wanted: string): AreaCells {
  if (
    Math.max(countUpTo(text, '\n', MAX_STATBANK_CELLS + 2), countUpTo(text, '\r', MAX_STATBANK_CELLS + 2)) >
    MAX_STATBANK_CELLS + 1
  )
    fail(
      `the CSV export has more than ${(MAX_STATBANK_CELLS + 1).toLocaleString('en-US')} lines; at most ${MAX_STATBANK_CELLS.toLocaleString('en-US')} rows are read: select fewer areas, ages or years in the export`,
    );
  const rows = dsvFormat(';').parseRows(text.replace(/^\ufeff/, '').trim());
  if (rows.length < 2) fail('expected a CSV export with a header row (OMRÅDE;KØN;ALDER;TID;INDHOLD) and data rows');
  const header = rows[0]!.map((h) => h.trim());
  const roles = header.map(roleOf);
  for (const need of ['area', 'age', 'year', 'content'] as const)
    if (!roles.includes(need))
      fail(
        `expected a column for ${need} (OMRÅDE, ALDER, TID, INDHOLD) in the CSV header; received ${header.join(';')}`,
      );
  const col = (role: Role) => roles.indexOf(role);
  const extra = header.filter((_h, k) => roles[k] === undefined);
  const seenExtra = extra.map(() => new Set<string>());
  const areas = new Map<string, string>();
  const cells: Cell[] = [];
  rows.forEach((r, row) => {
    if (row === 0 || !r.some((c) => c.trim() !== '')) return;
    const i = row - 1;
    if (r.length !== header.length) fail(`CSV row ${i + 2}: expected ${header.length} fields; received ${r.length}`);
    header.forEach((h, k) => {
      if (roles[k] === undefined) seenExtra[extra.indexOf(h)]!.add(r[k]!);
    });
    const text = r[col('content')]!.trim();
    const value = text === '..' || text === '' ? null : Number(text.replace(/\./g, '').replace(',', '.'));
    if (value !== null && !Number.isFinite(value))
      fail(`CSV row ${i + 2}: expected a number in ${header[col('content')]}; received "${text}"`);
    const area = r[col('area')]!.trim();
    areas.set(area, area);
    if (!sameArea(wanted, area, area)) return;
    const age = r[col('age')]!.trim();
    const year = r[col('year')]!.trim();
    cells.push({
      area,
      areaLabel: area,
      sex: col('sex') < 0 ? undefined : r[col('sex')]!.trim(),
      age: `${age}\u0000${age}`,
      year: `${year}\u0000${year}`,
      value,
    });
  });
  seenExtra.forEach((seen, k) => {
    if (seen.size > 1)
      fail(`column "${extra[k]}" has ${seen.size} values; expected one (export a single category of it)`);
  });
  return { areas, cells };
}

/** An age category as [first, last] (last Infinity for "100 år og derover"), or 'total'. */
function ageRange(key: string): [number, number] | 'total' {
  const [code, label] = key.split('\u0000') as [string, string];
  for (const s of [code, label]) {
    if (isTotal(s, s) || /alder i alt/i.test(s)) return 'total';
    const open = /^(\d+)\s*(?:år)?\s*(?:\+|og derover|og over|OV|-)$/i.exec(s);
    const band = /^(\d+)\s*-\s*(\d+)\s*(?:år)?$/i.exec(s);
    const one = /^(\d+)\s*(?:år)?$/i.exec(s);
    const range: [number, number] | undefined = open
      ? [Number(open[1]), Infinity]
      : band
        ? [Number(band[1]), Number(band[2])]
        : one
          ? [Number(one[1]), Number(one[1])]
          : undefined;
    if (range === undefined) continue;
    if (range[0] > MAX_AGE || (range[1] !== Infinity && range[1] > MAX_AGE))
      fail(
        `the age category "${label}" (code ${code}) goes above the oldest age ${MAX_AGE}; expected ages 0 to ${MAX_AGE}`,
      );
    if (range[0] > range[1]) fail(`the age category "${label}" (code ${code}) ends before it starts`);
    return range;
  }
  fail(
    `cannot read the age category "${label}" (code ${code}); expected "80", "80 år", "80-84" or "100 år og derover"`,
  );
}

function yearOf(key: string): number {
  const [code, label] = key.split('\u0000') as [string, string];
  const m = /^(\d{4})/.exec(code) ?? /^(\d{4})/.exec(label);
  if (m === null) fail(`cannot read the year "${label}"; expected a four-digit year`);
  return Number(m[1]);
}

/** Parses "67-79" or "80+" into an inclusive range of ages from 0 to {@link MAX_AGE}. */
function groupRange(id: string): [number, number] {
  const open = /^(\d+)\+$/.exec(id);
  const band = /^(\d+)-(\d+)$/.exec(id);
  if (!open && !(band && Number(band[1]) <= Number(band[2])))
    fail(
      `groups: expected an age group as "67-79" or "80+"; received "${id.length > 40 ? `${id.slice(0, 37)}...` : id}"`,
    );
  const range: [number, number] = open ? [Number(open[1]), Infinity] : [Number(band![1]), Number(band![2])];
  const beyond = range[1] === Infinity ? range[0] : range[1];
  if (beyond > MAX_AGE)
    fail(
      `groups: "${id.length > 40 ? `${id.slice(0, 37)}...` : id}" ${open ? 'starts' : 'ends'} at age ${beyond.toLocaleString('en-US', { maximumFractionDigits: 0 })}; expected ages 0 to ${MAX_AGE}`,
    );
  return range;
}

function listAges(ages: readonly number[]): string {
  return ages.length > 6 ? `${ages.slice(0, 5).join(', ')}, ... (${ages.length} ages)` : ages.join(', ');
}

/**
 * Turns a Statistics Denmark population projection into a scenario's population section: picks
 * the municipality, sums single ages (and both sexes, unless the table has a total) into the
 * age groups, year by year.
 *
 * @param data - the JSON-stat answer (parsed, or as text) or the CSV export's text
 * @param options - municipality, age groups and optionally the years
 * @returns `{ groups: [{ id, table: { "2024": 4300, ... } }] }`, ready for a scenario's `population`
 * @throws {@link PopulationImportError} for data that is neither format, an unknown
 *   municipality, an age group the table does not cover, or missing years or ages (named)
 * @example
 * ```ts
 * const csv = 'OMRÅDE;KØN;ALDER;TID;INDHOLD\nLejre;Mænd;80 år;2024;400\nLejre;Kvinder;80 år;2024;450\nLejre;Mænd;81 år og derover;2024;700\nLejre;Kvinder;81 år og derover;2024;900';
 * populationFromStatbank(csv, { municipality: 'Lejre', groups: '80+' }).groups[0].table; //=> { '2024': 2450 }
 * ```
 * @category Scenario
 */
export function populationFromStatbank(data: unknown, options: PopulationImportOptions): PopulationSection {
  const wanted = options.municipality.trim().toLowerCase();
  let read: AreaCells;
  if (typeof data === 'string') {
    const text = data.replace(/^\ufeff/, '');
    if (/^\s*\{/.test(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        fail(`not valid JSON: ${(e as Error).message}`);
      }
      read = cellsFromJsonStat(parsed, wanted);
    } else read = cellsFromCsv(text, wanted);
  } else read = cellsFromJsonStat(data, wanted);

  const { areas, cells } = read;
  const area = [...areas].find(([code, label]) => sameArea(wanted, code, label))?.[0];
  if (area === undefined)
    fail(
      `municipality "${options.municipality}" is not in the table; it has ${[...areas.values()].slice(0, 10).join(', ')}${areas.size > 10 ? ', ...' : ''}`,
    );
  let mine = cells.filter((c) => c.area === area);
  const sexes = new Set(mine.map((c) => c.sex));
  const totalSex = mine.find((c) => c.sex !== undefined && isTotal(c.sex, c.sex))?.sex;
  if (totalSex !== undefined && sexes.size > 1) mine = mine.filter((c) => c.sex === totalSex);

  const groups = (typeof options.groups === 'string' ? options.groups.split(',') : options.groups).map((g) =>
    String(g).trim(),
  );
  if (groups.length === 0 || groups.some((g) => g === ''))
    fail(`groups: expected age groups such as "67-79,80+"; received "${String(options.groups).slice(0, 80)}"`);
  if (groups.length > MAX_AGE + 1)
    fail(
      `groups: expected at most ${MAX_AGE + 1} age groups (one an age from 0 to ${MAX_AGE}); received ${groups.length}`,
    );
  const ranges = groups.map(groupRange);
  ranges.forEach(([lo, hi], i) =>
    ranges.forEach(([lo2, hi2], j) => {
      if (i < j && lo <= hi2 && lo2 <= hi) fail(`groups: "${groups[i]}" and "${groups[j]}" overlap`);
    }),
  );

  const tableYears = [...new Set(mine.map((c) => yearOf(c.year)))].sort((a, b) => a - b);
  let years = tableYears;
  if (options.years !== undefined) {
    const from = options.years.from ?? tableYears[0]!;
    const to = options.years.to ?? tableYears.at(-1)!;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to))
      fail(`years: expected whole years with from <= to; received ${from} to ${to}`);
    if (to - from >= MAX_YEARS) fail(`years: expected at most ${MAX_YEARS} years; received ${from} to ${to}`);
    years = Array.from({ length: to - from + 1 }, (_v, k) => from + k);
    const missing = years.filter((y) => !tableYears.includes(y));
    if (missing.length > 0)
      fail(
        `${options.municipality}: the table has no figures for ${missing.length === 1 ? 'the year' : 'the years'} ${missing.join(', ')} (it covers ${tableYears.join(', ')})`,
      );
  }

  // Per year and age category, summed over the sexes; a missing value ("..") in any makes it missing.
  const byYear = new Map<number, Map<string, number | null>>();
  for (const c of mine) {
    const y = yearOf(c.year);
    if (c.value !== null && !(c.value >= 0))
      fail(
        // A category's key is its code and label joined by a NUL: the label is what a reader knows.
        `${options.municipality}: the count for age ${c.age.slice(c.age.indexOf('\u0000') + 1)}${c.sex === undefined ? '' : `, sex ${c.sex}`}, ${y} is ${c.value}; expected a number of persons ≥ 0`,
      );
    const ages = byYear.get(y) ?? new Map<string, number | null>();
    byYear.set(y, ages);
    const prev = ages.get(c.age);
    ages.set(c.age, prev === undefined ? c.value : prev === null || c.value === null ? null : prev + c.value);
  }
  const out: PopulationSection['groups'] = groups.map((id) => ({ id, table: {} as Record<string, number> }));
  for (const year of years) {
    const bands = [...byYear.get(year)!]
      .map(([key, value]) => ({ range: ageRange(key), value }))
      .filter((b): b is { range: [number, number]; value: number | null } => b.range !== 'total');
    const top = bands.reduce((m, b) => Math.max(m, b.range[1]), -Infinity);
    const oldestStart = bands.reduce((m, b) => Math.max(m, b.range[0]), -Infinity);
    // The band of each age from 0 to MAX_AGE (the first listed where bands overlap), found once a year.
    const bandOf = new Array<{ range: [number, number]; value: number | null } | undefined>(MAX_AGE + 1);
    for (const b of bands) for (let age = b.range[0]; age <= Math.min(b.range[1], MAX_AGE); age++) bandOf[age] ??= b;
    ranges.forEach(([lo, hi], g) => {
      if (hi === Infinity && top !== Infinity && lo > top)
        fail(`${options.municipality}, ${year}: group "${groups[g]}" starts above the table's oldest age ${top}`);
      const last = Math.min(hi === Infinity ? (top === Infinity ? oldestStart : top) : hi, MAX_AGE);
      let sum = 0;
      const missing: number[] = [];
      for (let age = lo; age <= last; age++) {
        const band = bandOf[age];
        if (band === undefined || band.value === null) {
          missing.push(age);
          continue;
        }
        if (band.range[0] < lo || band.range[1] > hi)
          fail(
            `${options.municipality}, ${year}: the table's age band ${band.range[0]}${band.range[1] === Infinity ? '+' : `-${band.range[1]}`} crosses the edge of group "${groups[g]}"`,
          );
        if (band.range[0] === age) sum += band.value;
      }
      if (missing.length > 0)
        fail(
          `${options.municipality}, ${year}: no figures for ${missing.length === 1 ? 'age' : 'ages'} ${listAges(missing)} (group "${groups[g]}")`,
        );
      if (!(sum > 0))
        fail(`${options.municipality}, ${year}: group "${groups[g]}" has no persons; a scenario needs a count above 0`);
      (out[g]!.table as Record<string, number>)[String(year)] = sum;
    });
  }
  return { groups: out };
}
