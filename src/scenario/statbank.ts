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
import { csvRows, rowWidthProblem } from './csvRows';
import type { GroupSeries, HomeCareHistory } from './series';
import { sharedErrorClass } from '../errors';

/**
 * Thrown by {@link populationFromStatbank}, {@link seriesFromStatbank} and
 * {@link historyFromStatbank} when a table cannot give what was asked for: unreadable data, an
 * unknown municipality, or missing years or ages (named in the message, which starts with the
 * function's name).
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
sharedErrorClass(PopulationImportError, 'PopulationImportError');

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

/**
 * Options of {@link seriesFromStatbank}: the municipality, the model's age groups (or `total`),
 * the years, and how to read a table whose dimensions are named otherwise than the population
 * table's or that has dimensions to fix to one category.
 *
 * @category Scenario
 */
export interface SeriesImportOptions {
  /** The municipality, by name (`"Lejre"`, any case) or code (`"350"`; the CSV export names areas only). */
  readonly municipality: string;
  /** Age groups as `"67-79"` (inclusive) or `"80+"`, in a list or comma-separated. Give this or `total`. */
  readonly groups?: readonly string[] | string;
  /**
   * `true` to sum all ages into the one group `total` (or take the table's "Alder i alt"), for a
   * table without an age dimension or when only totals are wanted. Give this or `groups`.
   */
  readonly total?: boolean;
  /** The first year to take (default: the table's first); every year from `from` to `to` must be in the table. */
  readonly from?: number;
  /** The last year to take (default: the table's last). */
  readonly to?: number;
  /**
   * The ids of the area, age and time dimensions (and the CSV export's value column) when they are
   * not among Statistics Denmark's usual ones: OMRÅDE, KOMK, area; ALDER, age; Tid, TID, time;
   * INDHOLD. Matched in any case.
   */
  readonly dimensions?: {
    readonly area?: string;
    readonly age?: string;
    readonly time?: string;
    readonly value?: string;
  };
  /**
   * Other dimensions fixed to one category, by its code or label in any case: for example
   * `{ YDELSESTYPE: 'Personlig pleje', KØN: 'I alt' }`. A dimension of several categories that is
   * neither fixed nor a sex (whose total is taken, or whose sexes are summed) is refused.
   */
  readonly fixed?: Readonly<Record<string, string>>;
}

type Role = 'area' | 'sex' | 'age' | 'year' | 'content';

/** How a table is read: who is reading (for messages), which municipality, what is fixed. */
interface Ctx {
  readonly fail: (message: string) => never;
  /** The generic reader's rules (fixed dimensions, aggregate bands, zero allowed), or populationFromStatbank's. */
  readonly generic: boolean;
  readonly wanted: string;
  readonly fixed: ReadonlyMap<string, { readonly name: string; readonly value: string }>;
  /** A fixed dimension the table lacks is passed over (historyFromStatbank's tables share one `fixed`). */
  readonly absentFixedOk: boolean;
  readonly names: Partial<Record<'area' | 'age' | 'year' | 'content', string>>;
}

/** One cell of a table: a count (or hours) for an age (or age band) in an area, a year. */
interface Cell {
  readonly area: string;
  readonly areaLabel: string;
  readonly sex: string | undefined;
  /** The age category's code and label joined by a NUL, or undefined for a table without ages. */
  readonly age: string | undefined;
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
  label: z.string().optional(),
  id: z.array(z.string()).min(1),
  size: z.array(z.number().int().min(0)).min(1),
  dimension: z.record(z.string(), dimensionSchema),
  value: valueSchema,
});
/** JSON-stat 1.x: a bundle `{ "dataset": { dimension: { id, size, ... }, value } }`. */
const jsonStat1DatasetSchema = z.object({
  label: z.string().optional(),
  dimension: z
    .object({ id: z.array(z.string()).min(1), size: z.array(z.number().int().min(0)).min(1) })
    .catchall(z.unknown()),
  value: valueSchema,
});

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

const OPTION_OF_ROLE = { area: 'area', age: 'age', year: 'time', content: 'value' } as const;

/** The role of each dimension: those named in `dimensions` first, then the usual ids. */
function rolesOf(ids: readonly string[], ctx: Ctx): (Role | undefined)[] {
  const roles = ids.map((): Role | undefined => undefined);
  const taken = new Set<Role>();
  for (const role of ['area', 'age', 'year', 'content'] as const) {
    const name = ctx.names[role];
    if (name === undefined) continue;
    const k = ids.findIndex((id) => id.toLowerCase() === name.toLowerCase());
    if (k < 0)
      ctx.fail(`dimensions.${OPTION_OF_ROLE[role]}: the table has no dimension "${name}"; it has ${ids.join(', ')}`);
    roles[k] = role;
    taken.add(role);
  }
  ids.forEach((id, k) => {
    const role = roleOf(id);
    if (roles[k] === undefined && role !== undefined && !taken.has(role)) roles[k] = role;
  });
  return roles;
}

const isTotal = (code: string, label: string) =>
  /^(TOT|IALT|I ALT|TOTAL)$/i.test(code) || /\bi alt\b|^total$/i.test(label);

/** The fixed dimensions that the table has none of, refused unless the caller allows them. */
function checkFixedPresent(ids: readonly string[], roles: readonly (Role | undefined)[], ctx: Ctx): void {
  for (const [key, { name }] of ctx.fixed) {
    const k = ids.findIndex((id) => id.toLowerCase() === key);
    if (k < 0) {
      if (ctx.absentFixedOk) continue;
      ctx.fail(`fixed: the table has no dimension "${name}"; it has ${ids.join(', ')}`);
    }
    const role = roles[k];
    if (role === 'area' || role === 'age' || role === 'year')
      ctx.fail(
        `fixed: "${name}" is the table's ${role === 'year' ? 'time' : role} dimension; it cannot be fixed (${role === 'area' ? 'choose it with municipality' : role === 'age' ? 'use groups or total' : 'use from and to'})`,
      );
  }
}

const listSome = (values: readonly string[]) =>
  `${values
    .slice(0, 8)
    .map((v) => `"${v}"`)
    .join(', ')}${values.length > 8 ? `, ... (${values.length})` : ''}`;

/** The refusal of a dimension of several categories that nothing chooses among. */
function several(ctx: Ctx, what: 'dimension' | 'column', id: string, values: readonly string[]): never {
  if (!ctx.generic)
    ctx.fail(
      what === 'dimension'
        ? `dimension "${id}" has ${values.length} categories; expected one (select a single category of it in the query)`
        : `column "${id}" has ${values.length} values; expected one (export a single category of it)`,
    );
  ctx.fail(
    `${what} "${id}" has ${values.length} ${what === 'dimension' ? 'categories' : 'values'} (${listSome(values)}); expected one: fix it with fixed: { ${id}: '<code or label>' }, or select a single category in the query`,
  );
}

/** The cells of one area (matched by code or name, any case), and every area of the table for messages. */
interface AreaCells {
  readonly areas: Map<string, string>;
  readonly cells: Cell[];
  /** Whether the table has an age dimension. */
  readonly hasAge: boolean;
  /** The table's dimension ids, for messages. */
  readonly ids: readonly string[];
  /** What the table is, for a history's sources: its label and format. */
  readonly source: string;
}

const sameArea = (wanted: string, code: string, label: string) =>
  code.toLowerCase() === wanted || label.toLowerCase() === wanted;

function cellsFromJsonStat(data: unknown, ctx: Ctx): AreaCells {
  const fail: (message: string) => never = ctx.fail;
  const wanted = ctx.wanted;
  let ids: string[];
  let sizes: number[];
  let dims: Record<string, z.infer<typeof dimensionSchema>>;
  let values: z.infer<typeof valueSchema>;
  let source: string;
  const v2 = jsonStat2Schema.safeParse(data);
  if (v2.success) {
    ({ id: ids, size: sizes, dimension: dims, value: values } = v2.data);
    source = `${v2.data.label ?? ids.join(', ')} (JSON-stat ${v2.data.version ?? '2.0'})`;
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
    source = `${v1.data.label ?? ids.join(', ')} (JSON-stat 1)`;
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
  const roles = rolesOf(ids, ctx);
  const needed = ctx.generic && ctx.names.age === undefined && !roles.includes('age') ? ['area', 'year'] : null;
  for (const need of needed ?? (['area', 'age', 'year'] as const))
    if (!roles.includes(need as Role))
      fail(`expected a dimension for ${need} (OMRÅDE, ALDER, Tid); received ${ids.join(', ')}`);
  checkFixedPresent(ids, roles, ctx);
  // The category each fixed dimension is held at, by position in the dimension.
  const holdAt = new Map<number, number>();
  ids.forEach((id, k) => {
    const fixed = ctx.fixed.get(id.toLowerCase());
    if (fixed !== undefined) {
      const want = fixed.value.trim().toLowerCase();
      const j = cats[k]!.findIndex((c) => c.code.toLowerCase() === want || c.label.toLowerCase() === want);
      if (j < 0)
        fail(
          `fixed: dimension "${id}" has no category "${fixed.value}"; it has ${listSome(cats[k]!.map((c) => (c.code === c.label ? c.code : `${c.code}: ${c.label}`)))}`,
        );
      holdAt.set(k, j);
      return;
    }
    // A dimension of no role, or of the content (several measures, such as a count and a
    // change), would otherwise be summed over its categories.
    if ((roles[k] === undefined || roles[k] === 'content') && sizes[k] !== 1)
      several(
        ctx,
        'dimension',
        id,
        cats[k]!.map((c) => c.label),
      );
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
  const result = { areas, cells, hasAge: k.age >= 0, ids, source };
  if (mine.size === 0) return result;
  const at = new Array<number>(ids.length).fill(0);
  cells: for (let i = 0; i < total; i++) {
    let rest = i;
    for (let d = ids.length - 1; d >= 0; d--) {
      at[d] = rest % sizes[d]!;
      rest = Math.floor(rest / sizes[d]!);
    }
    if (!mine.has(at[k.area]!)) continue;
    for (const [d, j] of holdAt) if (at[d] !== j) continue cells;
    const area = cats[k.area]![at[k.area]!]!;
    const raw = Array.isArray(values) ? values[i] : values[String(i)];
    cells.push({
      area: area.code,
      areaLabel: area.label,
      sex: k.sex < 0 ? undefined : cats[k.sex]![at[k.sex]!]!.code,
      age: k.age < 0 ? undefined : keys[k.age]![at[k.age]!]!,
      year: keys[k.year]![at[k.year]!]!,
      value: raw ?? null,
    });
  }
  return result;
}

/** How often a character occurs in a text, counting no further than `most`. */
function countUpTo(text: string, ch: string, most: number): number {
  let n = 0;
  for (let at = text.indexOf(ch); at >= 0 && n < most; at = text.indexOf(ch, at + 1)) n++;
  return n;
}

/**
 * Why a CSV header may not name the columns, where it shows: letters lost to another encoding
 * (Æ, Ø, Å read as U+FFFD), or a file separated by commas, not semicolons.
 */
function csvHeaderHint(header: readonly string[]): string {
  if (header.some((h) => h.includes('\ufffd')))
    return ' (the file is not UTF-8: its Æ, Ø and Å are lost; save it as UTF-8, or export it from Statistics Denmark in UTF-8)';
  if (header.length === 1 && header[0]!.includes(','))
    return " (the file is separated by commas; Statistics Denmark's CSV export, which this reads, is separated by semicolons)";
  return '';
}

function cellsFromCsv(text: string, ctx: Ctx): AreaCells {
  const fail: (message: string) => never = ctx.fail;
  const wanted = ctx.wanted;
  if (
    Math.max(countUpTo(text, '\n', MAX_STATBANK_CELLS + 2), countUpTo(text, '\r', MAX_STATBANK_CELLS + 2)) >
    MAX_STATBANK_CELLS + 1
  )
    fail(
      `the CSV export has more than ${(MAX_STATBANK_CELLS + 1).toLocaleString('en-US')} lines; at most ${MAX_STATBANK_CELLS.toLocaleString('en-US')} rows are read: select fewer areas, ages or years in the export`,
    );
  const rows = csvRows(text.replace(/^\ufeff/, ''), ';');
  if (rows.length < 2) fail('expected a CSV export with a header row (OMRÅDE;KØN;ALDER;TID;INDHOLD) and data rows');
  const header = rows[0]!.cells.map((h) => h.trim());
  const ragged = rowWidthProblem(rows[0]!, rows.slice(1), ';', true, true);
  if (ragged !== undefined) fail(`CSV ${ragged.message}`);
  const roles = rolesOf(header, ctx);
  const noAge = ctx.generic && ctx.names.age === undefined && !roles.includes('age');
  for (const need of noAge ? (['area', 'year', 'content'] as const) : (['area', 'age', 'year', 'content'] as const))
    if (!roles.includes(need))
      fail(
        `expected a column for ${need} (OMRÅDE, ALDER, TID, INDHOLD) in the CSV header; received ${header.join(';')}${csvHeaderHint(header)}`,
      );
  checkFixedPresent(header, roles, ctx);
  const col = (role: Role) => roles.indexOf(role);
  // The columns held at one value (fixed), and those of no role that must have one value only.
  const hold = header.flatMap((h, k) => {
    const fixed = ctx.fixed.get(h.toLowerCase());
    return fixed === undefined ? [] : [{ k, name: h, value: fixed.value.trim().toLowerCase(), given: fixed.value }];
  });
  const extra = header.filter((h, k) => roles[k] === undefined && !hold.some((x) => x.k === k));
  const seenExtra = extra.map(() => new Set<string>());
  const seenHeld = hold.map(() => new Set<string>());
  const matchedHeld = hold.map(() => false);
  const areas = new Map<string, string>();
  const cells: Cell[] = [];
  for (const { cells: r, line } of rows.slice(1)) {
    header.forEach((h, k) => {
      if (roles[k] === undefined && !hold.some((x) => x.k === k)) seenExtra[extra.indexOf(h)]!.add(r[k]!);
    });
    const text = r[col('content')]!.trim();
    const value = text === '..' || text === '' ? null : Number(text.replace(/\./g, '').replace(',', '.'));
    if (value !== null && !Number.isFinite(value))
      fail(`CSV line ${line}: expected a number in ${header[col('content')]}; received "${text}"`);
    const area = r[col('area')]!.trim();
    areas.set(area, area);
    let held = true;
    hold.forEach((x, j) => {
      const v = r[x.k]!.trim();
      seenHeld[j]!.add(v);
      if (v.toLowerCase() === x.value) matchedHeld[j] = true;
      else held = false;
    });
    if (!held || !sameArea(wanted, area, area)) continue;
    const age = col('age') < 0 ? undefined : r[col('age')]!.trim();
    const year = r[col('year')]!.trim();
    cells.push({
      area,
      areaLabel: area,
      sex: col('sex') < 0 ? undefined : r[col('sex')]!.trim(),
      age: age === undefined ? undefined : `${age}\u0000${age}`,
      year: `${year}\u0000${year}`,
      value,
    });
  }
  seenExtra.forEach((seen, k) => {
    if (seen.size > 1) several(ctx, 'column', extra[k]!, [...seen]);
  });
  hold.forEach((x, j) => {
    if (!matchedHeld[j])
      fail(`fixed: column "${x.name}" has no value "${x.given}"; it has ${listSome([...seenHeld[j]!])}`);
  });
  return { areas, cells, hasAge: col('age') >= 0, ids: header, source: `CSV export (${header.join(';')})` };
}

/** An age category as [first, last] (last Infinity for "100 år og derover"), or 'total'. */
function ageRange(key: string, ctx: Ctx): [number, number] | 'total' {
  const [code, label] = key.split('\u0000') as [string, string];
  // The generic reader reads the label first: band codes such as "6566" (65-66 år) read as one age.
  for (const s of ctx.generic ? [label, code] : [code, label]) {
    if (isTotal(s, s) || /alder i alt/i.test(s)) return 'total';
    const open = /^(\d+)\s*(?:år)?\s*(?:\+|og derover|og over|OV|-)$/i.exec(s);
    const band = /^(\d+)\s*-\s*(\d+)\s*(?:år)?$/i.exec(s);
    const one = /^(\d+)\s*(?:år)?$/i.exec(s);
    const under = /^under\s*(\d+)\s*(?:år)?$/i.exec(s);
    const range: [number, number] | undefined = open
      ? [Number(open[1]), Infinity]
      : band
        ? [Number(band[1]), Number(band[2])]
        : one
          ? [Number(one[1]), Number(one[1])]
          : under && Number(under[1]) >= 1
            ? [0, Number(under[1]) - 1]
            : undefined;
    if (range === undefined) continue;
    if (range[0] > MAX_AGE || (range[1] !== Infinity && range[1] > MAX_AGE))
      ctx.fail(
        `the age category "${label}" (code ${code}) goes above the oldest age ${MAX_AGE}; expected ages 0 to ${MAX_AGE}`,
      );
    if (range[0] > range[1]) ctx.fail(`the age category "${label}" (code ${code}) ends before it starts`);
    return range;
  }
  ctx.fail(
    `cannot read the age category "${label}" (code ${code}); expected "80", "80 år", "80-84"${ctx.generic ? ', "Under 65 år"' : ''} or "100 år og derover"`,
  );
}

function yearOf(key: string, ctx: Ctx): number {
  const [code, label] = key.split('\u0000') as [string, string];
  const m = /^(\d{4})/.exec(code) ?? /^(\d{4})/.exec(label);
  if (m === null) ctx.fail(`cannot read the year "${label}"; expected a four-digit year`);
  return Number(m[1]);
}

/** Parses "67-79" or "80+" into an inclusive range of ages from 0 to {@link MAX_AGE}. */
function groupRange(id: string, ctx: Ctx): [number, number] {
  const open = /^(\d+)\+$/.exec(id);
  const band = /^(\d+)-(\d+)$/.exec(id);
  if (!open && !(band && Number(band[1]) <= Number(band[2])))
    ctx.fail(
      `groups: expected an age group as "67-79" or "80+"; received "${id.length > 40 ? `${id.slice(0, 37)}...` : id}"`,
    );
  const range: [number, number] = open ? [Number(open[1]), Infinity] : [Number(band![1]), Number(band![2])];
  const beyond = range[1] === Infinity ? range[0] : range[1];
  if (beyond > MAX_AGE)
    ctx.fail(
      `groups: "${id.length > 40 ? `${id.slice(0, 37)}...` : id}" ${open ? 'starts' : 'ends'} at age ${beyond.toLocaleString('en-US', { maximumFractionDigits: 0 })}; expected ages 0 to ${MAX_AGE}`,
    );
  return range;
}

function listAges(ages: readonly number[]): string {
  return ages.length > 6 ? `${ages.slice(0, 5).join(', ')}, ... (${ages.length} ages)` : ages.join(', ');
}

const bandName = ([lo, hi]: readonly [number, number]) =>
  hi === Infinity ? `${lo}+` : lo === hi ? `${lo}` : `${lo}-${hi}`;

/** Reads the text or the parsed JSON-stat into the cells of the wanted municipality. */
function readCells(data: unknown, ctx: Ctx): AreaCells {
  if (typeof data === 'string') {
    const text = data.replace(/^\ufeff/, '');
    if (/^\s*\{/.test(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        ctx.fail(`not valid JSON: ${(e as Error).message}`);
      }
      return cellsFromJsonStat(parsed, ctx);
    }
    return cellsFromCsv(text, ctx);
  }
  return cellsFromJsonStat(data, ctx);
}

/** What to aggregate the cells to: the age groups or the total, and which years. */
interface Aggregation {
  readonly municipality: string;
  readonly groups: readonly string[] | string | undefined;
  readonly total: boolean;
  /** A range of years, each of which must be in the table, or a list of them (historyFromStatbank's common years). */
  readonly years: { readonly from?: number; readonly to?: number } | readonly number[] | undefined;
}

/** The municipality's cells (after the sex total is chosen) and the years the table has for it. */
function areaCellsOf(read: AreaCells, municipality: string, ctx: Ctx): { mine: Cell[]; tableYears: number[] } {
  const { areas, cells } = read;
  const area = [...areas].find(([code, label]) => sameArea(ctx.wanted, code, label))?.[0];
  if (area === undefined)
    ctx.fail(
      `municipality "${municipality}" is not in the table; it has ${[...areas.values()].slice(0, 10).join(', ')}${areas.size > 10 ? ', ...' : ''}`,
    );
  let mine = cells.filter((c) => c.area === area);
  const sexes = new Set(mine.map((c) => c.sex));
  const totalSex = mine.find((c) => c.sex !== undefined && isTotal(c.sex, c.sex))?.sex;
  if (totalSex !== undefined && sexes.size > 1) mine = mine.filter((c) => c.sex === totalSex);
  if (ctx.generic) {
    // A quarterly or monthly table would otherwise have its periods summed into the year.
    const periods = new Map<number, string>();
    for (const c of mine) {
      const y = yearOf(c.year, ctx);
      const seen = periods.get(y);
      if (seen !== undefined && seen !== c.year)
        ctx.fail(
          `the time categories "${seen.split('\u0000')[1]}" and "${c.year.split('\u0000')[1]}" are both in ${y}; expected one per year (select one quarter or month, such as ${y}K1, in the query)`,
        );
      periods.set(y, c.year);
    }
  }
  return { mine, tableYears: [...new Set(mine.map((c) => yearOf(c.year, ctx)))].sort((a, b) => a - b) };
}

/** Band ranges that are exactly tiled by other bands of the table (such as "65 år og derover" beside 65-66, 67-74, ...): aggregates, dropped. */
function aggregates(ranges: readonly [number, number][]): Set<string> {
  const out = new Set<string>();
  for (const r of ranges) {
    const inner = ranges
      .filter((x) => x[0] >= r[0] && x[1] <= r[1] && !(x[0] === r[0] && x[1] === r[1]))
      .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let next = r[0];
    for (const x of inner) {
      if (x[0] === next) next = x[1] === Infinity ? Infinity : x[1] + 1;
      if (next === Infinity) break;
    }
    if (inner.length > 0 && (r[1] === Infinity ? next === Infinity : next === r[1] + 1)) out.add(bandName(r));
  }
  return out;
}

/** Sums the cells into the groups (or the total) by year; the checks of both readers. */
function aggregate(
  read: AreaCells,
  how: Aggregation,
  ctx: Ctx,
): { series: Record<string, Record<string, number>>; years: number[] } {
  const { municipality } = how;
  const { mine, tableYears } = areaCellsOf(read, municipality, ctx);
  let groups: string[];
  let ranges: [number, number][];
  if (how.total) {
    if (how.groups !== undefined) ctx.fail('groups and total: expected one of them; received both');
    groups = ['total'];
    ranges = [[0, Infinity]];
  } else {
    if (how.groups === undefined)
      ctx.fail('groups: expected age groups such as "67-79,80+", or total: true to sum all ages');
    if (!read.hasAge)
      ctx.fail(
        `groups: the table has no age dimension (it has ${read.ids.join(', ')}); pass total: true to take its totals`,
      );
    groups = (typeof how.groups === 'string' ? how.groups.split(',') : how.groups).map((g) => String(g).trim());
    if (groups.length === 0 || groups.some((g) => g === ''))
      ctx.fail(`groups: expected age groups such as "67-79,80+"; received "${String(how.groups).slice(0, 80)}"`);
    if (groups.length > MAX_AGE + 1)
      ctx.fail(
        `groups: expected at most ${MAX_AGE + 1} age groups (one an age from 0 to ${MAX_AGE}); received ${groups.length}`,
      );
    ranges = groups.map((g) => groupRange(g, ctx));
    ranges.forEach(([lo, hi], i) =>
      ranges.forEach(([lo2, hi2], j) => {
        if (i < j && lo <= hi2 && lo2 <= hi) ctx.fail(`groups: "${groups[i]}" and "${groups[j]}" overlap`);
      }),
    );
  }

  let years = tableYears;
  if (Array.isArray(how.years)) years = [...(how.years as readonly number[])];
  else if (how.years !== undefined) {
    const span = how.years as { readonly from?: number; readonly to?: number };
    const from = span.from ?? tableYears[0]!;
    const to = span.to ?? tableYears.at(-1)!;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to))
      ctx.fail(
        `${ctx.generic ? 'from and to' : 'years'}: expected whole years with from <= to; received ${from} to ${to}`,
      );
    if (to - from >= MAX_YEARS)
      ctx.fail(
        `${ctx.generic ? 'from and to' : 'years'}: expected at most ${MAX_YEARS} years; received ${from} to ${to}`,
      );
    years = Array.from({ length: to - from + 1 }, (_v, k) => from + k);
    const missing = years.filter((y) => !tableYears.includes(y));
    if (missing.length > 0)
      ctx.fail(
        `${municipality}: the table has no figures for ${missing.length === 1 ? 'the year' : 'the years'} ${missing.join(', ')} (it covers ${tableYears.join(', ')})`,
      );
  }

  // Per year and age category, summed over the sexes; a missing value ("..") in any makes it missing.
  const byYear = new Map<number, Map<string, number | null>>();
  const NO_AGE = 'alder i alt\u0000all ages';
  for (const c of mine) {
    const y = yearOf(c.year, ctx);
    // A category's key is its code and label joined by a NUL: the label is what a reader knows.
    const ageLabel = c.age === undefined ? 'all ages' : c.age.slice(c.age.indexOf('\u0000') + 1);
    if (c.value !== null && !(c.value >= 0))
      ctx.fail(
        ctx.generic
          ? `${municipality}: the value for age ${ageLabel}${c.sex === undefined ? '' : `, sex ${c.sex}`}, ${y} is ${c.value}; expected a count ≥ 0`
          : `${municipality}: the count for age ${ageLabel}${c.sex === undefined ? '' : `, sex ${c.sex}`}, ${y} is ${c.value}; expected a number of persons ≥ 0`,
      );
    const ages = byYear.get(y) ?? new Map<string, number | null>();
    byYear.set(y, ages);
    const key = c.age ?? NO_AGE;
    const prev = ages.get(key);
    ages.set(key, prev === undefined ? c.value : prev === null || c.value === null ? null : prev + c.value);
  }
  const out: Record<string, Record<string, number>> = Object.fromEntries(groups.map((g) => [g, {}]));
  for (const year of years) {
    const all = [...(byYear.get(year) ?? new Map<string, number | null>())].map(([key, value]) => ({
      key,
      range: key === NO_AGE ? ('total' as const) : ageRange(key, ctx),
      value,
    }));
    const missingValue: (key: string) => never = (key) =>
      ctx.fail(
        `${municipality}, ${year}: the value for age ${key === NO_AGE ? 'all ages' : key.slice(key.indexOf('\u0000') + 1)} is missing ("..")`,
      );
    if (how.total) {
      const totals = all.filter((b) => b.range === 'total');
      if (totals.length > 0) {
        const t = totals[0]!;
        if (t.value === null) missingValue(t.key);
        out.total![String(year)] = t.value;
        continue;
      }
    }
    let bands = all.filter(
      (b): b is { key: string; range: [number, number]; value: number | null } => b.range !== 'total',
    );
    if (ctx.generic) {
      const drop = aggregates(bands.map((b) => b.range));
      bands = bands.filter((b) => !drop.has(bandName(b.range)));
    }
    const top = bands.reduce((m, b) => Math.max(m, b.range[1]), -Infinity);
    const oldestStart = bands.reduce((m, b) => Math.max(m, b.range[0]), -Infinity);
    // The band of each age from 0 to MAX_AGE (the first listed where bands overlap), found once a year.
    const bandOf = new Array<{ key: string; range: [number, number]; value: number | null } | undefined>(MAX_AGE + 1);
    for (const b of bands)
      for (let age = b.range[0]; age <= Math.min(b.range[1], MAX_AGE); age++) {
        const seen = bandOf[age];
        if (seen !== undefined && ctx.generic)
          ctx.fail(
            `${municipality}, ${year}: the table's age bands ${bandName(seen.range)} and ${bandName(b.range)} overlap at age ${age}; expected bands that do not overlap (select them in the query)`,
          );
        bandOf[age] ??= b;
      }
    if (how.total) {
      // Every age the table has, each band once.
      let sum = 0;
      for (const b of bands) {
        if (b.value === null) missingValue(b.key);
        sum += b.value;
      }
      if (bands.length === 0) ctx.fail(`${municipality}, ${year}: the table has no figures`);
      out.total![String(year)] = sum;
      continue;
    }
    ranges.forEach(([lo, hi], g) => {
      if (hi === Infinity && top !== Infinity && lo > top)
        ctx.fail(`${municipality}, ${year}: group "${groups[g]}" starts above the table's oldest age ${top}`);
      const last = Math.min(hi === Infinity ? (top === Infinity ? oldestStart : top) : hi, MAX_AGE);
      let sum = 0;
      const missing: number[] = [];
      for (let age = lo; age <= last; age++) {
        const band = bandOf[age];
        if (band !== undefined && band.value === null && ctx.generic) missingValue(band.key);
        if (band === undefined || band.value === null) {
          missing.push(age);
          continue;
        }
        if (band.range[0] < lo || band.range[1] > hi)
          ctx.fail(
            `${municipality}, ${year}: the table's age band ${band.range[0]}${band.range[1] === Infinity ? '+' : `-${band.range[1]}`} crosses the edge of group "${groups[g]}"`,
          );
        if (band.range[0] === age) sum += band.value;
      }
      if (missing.length > 0)
        ctx.fail(
          `${municipality}, ${year}: no figures for ${missing.length === 1 ? 'age' : 'ages'} ${listAges(missing)} (group "${groups[g]}")`,
        );
      if (!(sum > 0) && !ctx.generic)
        ctx.fail(`${municipality}, ${year}: group "${groups[g]}" has no persons; a scenario needs a count above 0`);
      out[groups[g]!]![String(year)] = sum;
    });
  }
  return { series: out, years };
}

function contextOf(
  prefix: string,
  generic: boolean,
  municipality: string,
  options: Pick<SeriesImportOptions, 'fixed' | 'dimensions'>,
  absentFixedOk = false,
): Ctx {
  const fixed = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(options.fixed ?? {})) {
    if (typeof value !== 'string' || value.trim() === '')
      throw new PopulationImportError(
        `${prefix}fixed.${name}: expected the code or label of a category; received ${JSON.stringify(value)}`,
      );
    fixed.set(name.toLowerCase(), { name, value });
  }
  const d = options.dimensions ?? {};
  return {
    fail: (message: string): never => {
      throw new PopulationImportError(`${prefix}${message}`);
    },
    generic,
    wanted: municipality.trim().toLowerCase(),
    fixed,
    absentFixedOk,
    names: {
      ...(d.area === undefined ? {} : { area: d.area }),
      ...(d.age === undefined ? {} : { age: d.age }),
      ...(d.time === undefined ? {} : { year: d.time }),
      ...(d.value === undefined ? {} : { content: d.value }),
    },
  };
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
  const ctx = contextOf('populationFromStatbank: ', false, options.municipality, {});
  const { series } = aggregate(
    readCells(data, ctx),
    { municipality: options.municipality, groups: options.groups, total: false, years: options.years },
    ctx,
  );
  return { groups: Object.entries(series).map(([id, table]) => ({ id, table })) };
}

/**
 * Reads any Statistics Denmark table with an area, a time and (usually) an age dimension into
 * values by the model's age groups and years: the population, the recipients of home care
 * (AED06-like tables, by area, type of benefit, age and sex) or the visited hours (AED022-like).
 * Takes the JSON-stat answer (the first version's `{"dataset": ...}` form, or JSON-stat 2.0)
 * or the CSV export. Sums the ages (single years or bands) each group covers and the sexes
 * (or takes the sexes' total when the table has one); a band that is exactly the sum of other
 * bands (such as "65 år og derover" beside 65-66, 67-74, ...) is left out.
 *
 * @param data - the JSON-stat answer (parsed, or as text) or the CSV export's text
 * @param options - municipality, `groups` or `total`, optionally the years, dimension names and fixed dimensions
 * @returns `series[group][year]`, for example `{ '67-79': { '2010': 231, ... }, '80+': { ... } }`
 * @throws {@link PopulationImportError} (its message starting `seriesFromStatbank:`) for an
 *   unreadable table, an unknown municipality or a missing year (listing what the table has), a
 *   missing or negative value (naming its age and year), age bands that leave a gap in a group,
 *   cross its edge or overlap, and a dimension of several categories that is not fixed
 * @example
 * ```ts
 * const csv = [
 *   'OMRÅDE;YDELSESTYPE;ALDER;TID;INDHOLD',
 *   'Lejre;Personlig pleje;80-84 år;2023;120',
 *   'Lejre;Personlig pleje;85 år og derover;2023;260',
 *   'Lejre;Praktisk hjælp;80-84 år;2023;150',
 *   'Lejre;Praktisk hjælp;85 år og derover;2023;240',
 * ].join('\n');
 * seriesFromStatbank(csv, { municipality: 'Lejre', groups: '80+', fixed: { YDELSESTYPE: 'Personlig pleje' } });
 * //=> { '80+': { '2023': 380 } }
 * ```
 * @category Scenario
 */
export function seriesFromStatbank(data: unknown, options: SeriesImportOptions): GroupSeries {
  const ctx = contextOf('seriesFromStatbank: ', true, options.municipality, options);
  return aggregate(readCells(data, ctx), aggregationOf(options), ctx).series;
}

function aggregationOf(options: SeriesImportOptions): Aggregation {
  return {
    municipality: options.municipality,
    groups: options.groups,
    total: options.total === true,
    years:
      options.from === undefined && options.to === undefined
        ? undefined
        : {
            ...(options.from === undefined ? {} : { from: options.from }),
            ...(options.to === undefined ? {} : { to: options.to }),
          },
  };
}

/**
 * The tables of {@link historyFromStatbank}: each the JSON-stat answer (parsed or as text) or
 * the CSV export's text.
 *
 * @category Scenario
 */
export interface HistoryTables {
  /** Citizens by area, age (and sex) and year, such as FOLK1AM. */
  readonly population: unknown;
  /** Recipients of home care by area, type of benefit, age (and sex) and year, such as AED06. */
  readonly recipients: unknown;
  /** Visited hours a week by area, type of benefit, age or in total, and year, such as AED022. */
  readonly hours?: unknown;
}

/**
 * Options of {@link historyFromStatbank}.
 *
 * @category Scenario
 */
export interface HistoryImportOptions {
  /** The municipality, by name or code, as in {@link SeriesImportOptions}. */
  readonly municipality: string;
  /** The model's age groups, as `"67-79,80+"` or a list. */
  readonly groups: readonly string[] | string;
  /** The first year to take (default: the first the tables have in common); every table must have it. */
  readonly from?: number;
  /** The last year to take (default: the last the tables have in common). */
  readonly to?: number;
  /**
   * Dimensions fixed to one category in every table that has them, such as
   * `{ YDELSESTYPE: 'Personlig og/eller praktisk hjælp' }`; each must be in one of the tables.
   */
  readonly fixed?: Readonly<Record<string, string>>;
  /** Dimension ids that differ from the usual ones, as in {@link SeriesImportOptions}. */
  readonly dimensions?: NonNullable<SeriesImportOptions['dimensions']>;
  /** Where the tables came from (file names or table ids); by default each table's label and format. */
  readonly sources?: HomeCareHistory['sources'];
}

type TableName = 'population' | 'recipients' | 'hours';

/**
 * Reads a municipality's home-care history from Statistics Denmark's tables: the population,
 * the recipients of home care and optionally the visited hours, by the model's age groups, over
 * the years the tables have in common. The hours are read by group, or as their `total` when
 * the hours table has no age dimension.
 *
 * @param tables - the population, recipients and (optionally) hours tables, each JSON-stat or the CSV export
 * @param options - municipality, groups, optionally the years, fixed dimensions, dimension names and sources
 * @returns the {@link HomeCareHistory}, with `sources` filled from the options or the tables' labels
 * @throws {@link PopulationImportError} (its message starting `historyFromStatbank:` and the
 *   table's name) for any error of {@link seriesFromStatbank}, tables with no year in common
 *   (naming each table's years), a year from `from` to `to` that a table lacks, a fixed
 *   dimension in none of the tables, and more recipients than citizens in a group and year
 * @example
 * ```ts
 * const history = historyFromStatbank(
 *   { population: folk1am, recipients: aed06Csv, hours: aed022 },
 *   { municipality: 'Lejre', groups: '67-79,80+', fixed: { YDELSESTYPE: 'Personlig og/eller praktisk hjælp' } },
 * );
 * history.recipients['80+']['2023'] / history.population['80+']['2023']; // the use rate
 * ```
 * @category Scenario
 */
export function historyFromStatbank(tables: HistoryTables, options: HistoryImportOptions): HomeCareHistory {
  const prefix = 'historyFromStatbank: ';
  const names: TableName[] =
    tables.hours === undefined ? ['population', 'recipients'] : ['population', 'recipients', 'hours'];
  const ctxs = Object.fromEntries(
    names.map((name) => [name, contextOf(`${prefix}${name} table: `, true, options.municipality, options, true)]),
  ) as Record<TableName, Ctx>;
  const fail = (message: string): never => {
    throw new PopulationImportError(`${prefix}${message}`);
  };
  const reads = Object.fromEntries(names.map((name) => [name, readCells(tables[name], ctxs[name])])) as Record<
    TableName,
    AreaCells
  >;
  for (const [key, { name }] of ctxs.population.fixed)
    if (!names.some((t) => reads[t].ids.some((id) => id.toLowerCase() === key)))
      fail(
        `fixed: no table has a dimension "${name}"; they have ${names.map((t) => `${t} ${reads[t].ids.join(', ')}`).join('; ')}`,
      );
  const yearsOf = Object.fromEntries(
    names.map((t) => [t, areaCellsOf(reads[t], options.municipality, ctxs[t]).tableYears]),
  ) as Record<TableName, number[]>;
  const span = (ys: readonly number[]) => (ys.length === 0 ? 'none' : `${ys[0]}-${ys.at(-1)}`);
  let common = yearsOf.population.filter((y) => names.every((t) => yearsOf[t].includes(y)));
  if (common.length === 0)
    fail(
      `the tables have no year in common for ${options.municipality}: ${names.map((t) => `${t} ${span(yearsOf[t])}`).join(', ')}`,
    );
  if (options.from !== undefined || options.to !== undefined) {
    const from = options.from ?? common[0]!;
    const to = options.to ?? common.at(-1)!;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to))
      fail(`from and to: expected whole years with from <= to; received ${from} to ${to}`);
    if (to - from >= MAX_YEARS) fail(`from and to: expected at most ${MAX_YEARS} years; received ${from} to ${to}`);
    for (const t of names) {
      const missing: number[] = [];
      for (let y = from; y <= to; y++) if (!yearsOf[t].includes(y)) missing.push(y);
      if (missing.length > 0)
        fail(
          `${t} table: ${options.municipality} has no figures for ${missing.length === 1 ? 'the year' : 'the years'} ${missing.join(', ')} (it covers ${span(yearsOf[t])})`,
        );
    }
    common = common.filter((y) => y >= from && y <= to);
  }
  const series = (t: TableName, total: boolean) =>
    aggregate(
      reads[t],
      {
        municipality: options.municipality,
        groups: total ? undefined : options.groups,
        total,
        years: common,
      },
      ctxs[t],
    ).series;
  const population = series('population', false);
  const recipients = series('recipients', false);
  for (const [group, byYear] of Object.entries(recipients))
    for (const [year, n] of Object.entries(byYear)) {
      const of = population[group]?.[year] ?? 0;
      if (n > of)
        fail(
          `${options.municipality}, group "${group}", ${year}: ${n.toLocaleString('en-US')} recipients of home care but ${of.toLocaleString('en-US')} citizens; expected recipients ≤ population (are the tables for the same area and ages?)`,
        );
    }
  const hours = tables.hours === undefined ? undefined : series('hours', !reads.hours.hasAge);
  const sources = Object.fromEntries(names.map((t) => [t, options.sources?.[t] ?? reads[t].source]));
  return { population, recipients, ...(hours === undefined ? {} : { hours }), sources };
}
