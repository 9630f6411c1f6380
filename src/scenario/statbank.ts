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

function cellsFromJsonStat(data: unknown): Cell[] {
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
    if (roles[k] === undefined && sizes[k] !== 1)
      fail(`dimension "${id}" has ${sizes[k]} categories; expected one (select a single category of it in the query)`);
  });
  const total = sizes.reduce((a, b) => a * b, 1);
  const cells: Cell[] = [];
  const at = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let k = ids.length - 1; k >= 0; k--) {
      at[k] = rest % sizes[k]!;
      rest = Math.floor(rest / sizes[k]!);
    }
    const pick = (role: Role) => {
      const k = roles.indexOf(role);
      return k < 0 ? undefined : cats[k]![at[k]!]!;
    };
    const raw = Array.isArray(values) ? values[i] : values[String(i)];
    const area = pick('area')!;
    cells.push({
      area: area.code,
      areaLabel: area.label,
      sex: pick('sex')?.code,
      age: `${pick('age')!.code}\u0000${pick('age')!.label}`,
      year: `${pick('year')!.code}\u0000${pick('year')!.label}`,
      value: raw ?? null,
    });
  }
  return cells;
}

function cellsFromCsv(text: string): Cell[] {
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
  const cells = rows
    .slice(1)
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r, i): Cell => {
      if (r.length !== header.length) fail(`CSV row ${i + 2}: expected ${header.length} fields; received ${r.length}`);
      header.forEach((h, k) => {
        if (roles[k] === undefined) seenExtra[extra.indexOf(h)]!.add(r[k]!);
      });
      const text = r[col('content')]!.trim();
      const value = text === '..' || text === '' ? null : Number(text.replace(/\./g, '').replace(',', '.'));
      if (value !== null && !Number.isFinite(value))
        fail(`CSV row ${i + 2}: expected a number in ${header[col('content')]}; received "${text}"`);
      const area = r[col('area')]!.trim();
      const age = r[col('age')]!.trim();
      const year = r[col('year')]!.trim();
      return {
        area,
        areaLabel: area,
        sex: col('sex') < 0 ? undefined : r[col('sex')]!.trim(),
        age: `${age}\u0000${age}`,
        year: `${year}\u0000${year}`,
        value,
      };
    });
  seenExtra.forEach((seen, k) => {
    if (seen.size > 1)
      fail(`column "${extra[k]}" has ${seen.size} values; expected one (export a single category of it)`);
  });
  return cells;
}

/** An age category as [first, last] (last Infinity for "100 år og derover"), or 'total'. */
function ageRange(key: string): [number, number] | 'total' {
  const [code, label] = key.split('\u0000') as [string, string];
  for (const s of [code, label]) {
    if (isTotal(s, s) || /alder i alt/i.test(s)) return 'total';
    const open = /^(\d+)\s*(?:år)?\s*(?:\+|og derover|og over|OV|-)$/i.exec(s);
    if (open) return [Number(open[1]), Infinity];
    const band = /^(\d+)\s*-\s*(\d+)\s*(?:år)?$/i.exec(s);
    if (band) return [Number(band[1]), Number(band[2])];
    const one = /^(\d+)\s*(?:år)?$/i.exec(s);
    if (one) return [Number(one[1]), Number(one[1])];
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

/** Parses "67-79" or "80+" into an inclusive range. */
function groupRange(id: string): [number, number] {
  const open = /^(\d+)\+$/.exec(id);
  if (open) return [Number(open[1]), Infinity];
  const band = /^(\d+)-(\d+)$/.exec(id);
  if (band && Number(band[1]) <= Number(band[2])) return [Number(band[1]), Number(band[2])];
  fail(`groups: expected an age group as "67-79" or "80+"; received "${id}"`);
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
  let cells: Cell[];
  if (typeof data === 'string') {
    const text = data.replace(/^\ufeff/, '');
    if (/^\s*\{/.test(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        fail(`not valid JSON: ${(e as Error).message}`);
      }
      cells = cellsFromJsonStat(parsed);
    } else cells = cellsFromCsv(text);
  } else cells = cellsFromJsonStat(data);

  const wanted = options.municipality.trim().toLowerCase();
  const areas = new Map(cells.map((c) => [c.area, c.areaLabel]));
  const area = [...areas].find(([code, label]) => code.toLowerCase() === wanted || label.toLowerCase() === wanted)?.[0];
  if (area === undefined)
    fail(
      `municipality "${options.municipality}" is not in the table; it has ${[...areas.values()].slice(0, 10).join(', ')}${areas.size > 10 ? ', ...' : ''}`,
    );
  let mine = cells.filter((c) => c.area === area);
  const sexes = new Set(mine.map((c) => c.sex));
  const totalSex = mine.find((c) => c.sex !== undefined && isTotal(c.sex, c.sex))?.sex;
  if (totalSex !== undefined && sexes.size > 1) mine = mine.filter((c) => c.sex === totalSex);

  const groups = (typeof options.groups === 'string' ? options.groups.split(',') : options.groups).map((g) => g.trim());
  if (groups.length === 0 || groups.some((g) => g === ''))
    fail(`groups: expected age groups such as "67-79,80+"; received "${String(options.groups)}"`);
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
    const top = Math.max(...bands.map((b) => b.range[1]));
    const oldestStart = Math.max(...bands.map((b) => b.range[0]));
    ranges.forEach(([lo, hi], g) => {
      if (hi === Infinity && top !== Infinity && lo > top)
        fail(`${options.municipality}, ${year}: group "${groups[g]}" starts above the table's oldest age ${top}`);
      const last = hi === Infinity ? (top === Infinity ? oldestStart : top) : hi;
      let sum = 0;
      const missing: number[] = [];
      for (let age = lo; age <= last; age++) {
        const band = bands.find((b) => b.range[0] <= age && age <= b.range[1]);
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
