/**
 * Seeded fuzz of the surfaces beside the scenario object: scenario files' text (YAML and JSON,
 * read as the command line reads them), Statistics Denmark's tables (JSON-stat 1 and 2, CSV),
 * result files, and the sensitivity analyses' options. Each case ends in one of the library's
 * errors with a message that says where, or in a correct result with finite numbers: never a
 * TypeError or RangeError from deep inside, never a hang (each batch is one test within the
 * default timeout), never NaN. FUZZ_RUNS scales the cases (default 5,000, as in fuzz.test.ts:
 * YAML a tenth of it, the tables and result files a fifth, the sensitivity options a hundredth);
 * FUZZ_SEED the seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  figureValues,
  FormulaError,
  InvalidParameterError,
  OptionError,
  PopulationImportError,
  presets,
  rankSensitivity,
  resultFromJSON,
  ResultError,
  resultToJSON,
  ScenarioError,
  simulate,
  SimulationError,
  sobolSensitivity,
  summarize,
  tornadoSensitivity,
  twoLevelSensitivity,
  populationFromStatbank,
  lejre2034,
  type PopulationImportOptions,
  type ScenarioInput,
} from '../../src/index';
import { parseDataText, readText } from '../../src/cli/input';
import { validated } from '../../src/cli/common';
import { CliError } from '../../src/cli/errors';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** One test per batch, each with its own seed (SEED + offset + k), sized to a few seconds. */
const batches = (runs: number, size: number, offset: number) => {
  const n = Math.max(1, Math.ceil(runs / size));
  return Array.from({ length: n }, (_, k) => ({
    batch: `${k + 1} of ${n}`,
    seed: SEED + offset + k,
    runs: Math.max(1, Math.min(size, runs - k * size)),
  }));
};

/** The library's error classes: anything else thrown is a crash from inside. */
const LIBRARY_ERRORS = [
  ScenarioError,
  SimulationError,
  OptionError,
  ResultError,
  PopulationImportError,
  InvalidParameterError,
  FormulaError,
  CliError,
] as const;

/** A clear error: one of the library's classes, with a message that is not a bare internal one. */
function expectClearError(e: unknown, context: string): Error {
  const name = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  expect(
    LIBRARY_ERRORS.some((C) => e instanceof C),
    `${context}: expected a library error; received ${name}`,
  ).toBe(true);
  const message = (e as Error).message;
  expect(message.length, context).toBeGreaterThan(10);
  expect(message, context).not.toMatch(/Cannot read propert|is not a function|is not iterable|Maximum call stack/);
  return e as Error;
}

/** Every number in a plain value. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (ArrayBuffer.isView(value)) out.push(...Array.from(value as unknown as ArrayLike<number>));
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

/** The presets, short and quick to run (a short horizon, few paths, few care-home baseline paths). */
const shortPresets: ScenarioInput[] = Object.values(presets).map((make) => {
  const s = make();
  return {
    ...s,
    horizonYears: 2,
    paths: 2,
    ...(s.careHomes === undefined ? {} : { careHomes: { ...s.careHomes, baselinePaths: 5 } }),
  };
});

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'carebudget-fuzz-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Scenario files: YAML and JSON text, mutated, read as the command line reads them.

type TextMutation = (text: string, r: number) => string;
const lineOf = (text: string, r: number) => {
  const lines = text.split('\n');
  return { lines, i: Math.floor(r * lines.length) % Math.max(1, lines.length) };
};
const textMutations: Record<string, TextMutation> = {
  /** A key line given twice in its map. */
  duplicateKey: (t, r) => {
    const { lines, i } = lineOf(t, r);
    const k = lines.findIndex((l, j) => j >= i && /^\s*[\w-]+:/.test(l));
    if (k < 0) return t;
    const key = /^(\s*[\w-]+:)/.exec(lines[k]!)![1]!;
    lines.splice(k + 1, 0, `${key} 1`);
    return lines.join('\n');
  },
  /** A value replaced by an alias to no anchor. */
  unresolvedAlias: (t, r) => {
    const { lines, i } = lineOf(t, r);
    const k = lines.findIndex((l, j) => j >= i && /:\s+\S/.test(l));
    if (k < 0) return t;
    lines[k] = lines[k]!.replace(/:\s+.*$/, ': *nowhere');
    return lines.join('\n');
  },
  /** An anchored value and an alias to it, as extra keys. */
  alias: (t, r) => `${t}\nx-anchor: &a [${Math.floor(r * 100)}, 2, 3]\nx-alias: *a\n`,
  /** An alias to the node that contains it. */
  selfAlias: (t) => `${t}\nx-loop: &loop [1, *loop]\n`,
  /** A merge key from an anchor. */
  merge: (t) => `base: &b { name: merged }\n${t.replace(/^name:/m, '<<: *b\nname:')}`,
  /** An alias bomb of 10^depth values. */
  aliasBomb: (t, r) => {
    const depth = 2 + Math.floor(r * 8);
    const lines = ['b0: &b0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let k = 1; k <= depth; k++)
      lines.push(`b${k}: &b${k} [${Array.from({ length: 10 }, () => `*b${k - 1}`).join(', ')}]`);
    return `${lines.join('\n')}\n${t}`;
  },
  /** Flow sequences nested deeply. */
  deepFlow: (t, r) => {
    const d = 1 + Math.floor(r * 300);
    return `${t}\nx-deep: ${'['.repeat(d)}1${']'.repeat(d)}\n`;
  },
  /** Block maps nested deeply. */
  deepBlock: (t, r) => {
    const d = 1 + Math.floor(r * 120);
    return `${t}\nx-deep:\n${Array.from({ length: d }, (_, k) => `${' '.repeat(2 * (k + 1))}k${k}:`).join('\n')} 1\n`;
  },
  /** Line endings: CR only, CR LF, mixed. */
  crOnly: (t) => t.replace(/\n/g, '\r'),
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  mixedEndings: (t, r) =>
    t.replace(/\n/g, (m, offset: number) => ((offset * 7919 + Math.floor(r * 97)) % 3 === 0 ? '\r' : m)),
  /** Cut anywhere. */
  truncate: (t, r) => t.slice(0, Math.floor(r * t.length)),
  /** A character with a meaning in YAML, inserted anywhere. */
  special: (t, r) => {
    const chars = [
      ':',
      '-',
      '[',
      ']',
      '{',
      '}',
      '&',
      '*',
      '!',
      '|',
      '>',
      '%',
      '@',
      '`',
      "'",
      '"',
      '#',
      '\t',
      '? ',
      ',',
      '\\',
      '\u2028',
      '\ufeff',
      '\0',
    ];
    const at = Math.floor(r * t.length);
    return t.slice(0, at) + chars[Math.floor(r * 1e6) % chars.length]! + t.slice(at);
  },
  /** A tag on a value. */
  tag: (t, r) => {
    const tags = [
      '!!binary aGVsbG8=',
      "!!js/function 'x'",
      '!!timestamp 2001-12-14',
      '!!set { a, b }',
      '!!str 12',
      '!!float .nan',
      '!!int 0x1F',
      '!custom 1',
      '!!map [1]',
    ];
    const { lines, i } = lineOf(t, r);
    const k = lines.findIndex((l, j) => j >= i && /:\s+\S/.test(l));
    if (k < 0) return t;
    lines[k] = lines[k]!.replace(/:\s+.*$/, `: ${tags[Math.floor(r * 1e6) % tags.length]}`);
    return lines.join('\n');
  },
  /** A second document. */
  secondDocument: (t) => `${t}\n---\nname: second\n`,
  /** A very long key and value. */
  longLine: (t, r) => `${t}\n${'k'.repeat(1 + Math.floor(r * 100_000))}: ${'v'.repeat(1000)}\n`,
  /** A number written as YAML reads it: .inf, .nan, 1e999, 0x10, 1_000, 0o17. */
  oddNumber: (t, r) => {
    const odd = [
      '.inf',
      '-.inf',
      '.nan',
      '1e999',
      '0x10',
      '1_000',
      '0o17',
      '-0',
      '1e-320',
      '9007199254740993',
      '~',
      'null',
      'yes',
      'on',
    ];
    const { lines, i } = lineOf(t, r);
    const k = lines.findIndex((l, j) => j >= i && /:\s+-?\d/.test(l));
    if (k < 0) return t;
    lines[k] = lines[k]!.replace(/:\s+.*$/, `: ${odd[Math.floor(r * 1e6) % odd.length]}`);
    return lines.join('\n');
  },
  /** A line removed. */
  dropLine: (t, r) => {
    const { lines, i } = lineOf(t, r);
    lines.splice(i, 1);
    return lines.join('\n');
  },
  /** Indentation shifted on one line. */
  indent: (t, r) => {
    const { lines, i } = lineOf(t, r);
    lines[i] = (r < 0.5 ? ' ' : '') + (r < 0.5 ? lines[i]! : lines[i]!.replace(/^ /, ''));
    return lines.join('\n');
  },
};
const textMutationNames = Object.keys(textMutations);

type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'utf16le' | 'latin1' | 'bad-byte';
function encode(text: string, how: Encoding, r: number): Buffer {
  const utf16le = (s: string) => Buffer.from(s, 'utf16le');
  switch (how) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(text)]);
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), utf16le(text).swap16()]);
    case 'utf16le':
      return utf16le(text);
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'bad-byte': {
      const b = Buffer.from(text, 'utf8');
      const at = Math.floor(r * b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xc3]), b.subarray(at)]);
    }
  }
}
const encodings: Encoding[] = [
  'utf8',
  'utf8',
  'utf8',
  'utf8-bom',
  'utf16le-bom',
  'utf16be-bom',
  'utf16le',
  'latin1',
  'bad-byte',
];

/** A scenario's file: YAML or JSON text, a few mutations, an encoding. */
const scenarioFile = fc.record({
  base: fc.nat({ max: shortPresets.length - 1 }),
  json: fc.boolean(),
  mutations: fc.array(
    fc.record({
      name: fc.constantFrom(...textMutationNames),
      r: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    }),
    {
      minLength: 0,
      maxLength: 3,
    },
  ),
  encoding: fc.constantFrom(...encodings),
  r: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
});

describe('fuzz: scenario files (YAML and JSON text) are refused with a place, or read and run', () => {
  const runs = Math.round(RUNS / 10);
  it.each(batches(runs, 50, 100))('$runs seeded files, batch $batch (seed $seed)', ({ seed, runs: n }) => {
    const outcomes = { refused: 0, ran: 0 };
    let k = 0;
    fc.assert(
      fc.property(scenarioFile, (c) => {
        const scenario = shortPresets[c.base]!;
        let text = c.json ? JSON.stringify(scenario, null, 2) : stringify(scenario);
        for (const m of c.mutations) text = textMutations[m.name]!(text, m.r);
        const file = join(dir, `case-${seed}-${k++}.${c.json ? 'json' : 'yaml'}`);
        writeFileSync(file, encode(text, c.encoding, c.r));
        const context = `${c.mutations.map((m) => m.name).join('+') || 'none'} (${c.encoding}, ${c.json ? 'JSON' : 'YAML'})`;
        let parsed;
        try {
          // As the command line reads a scenario file (readScenario, then validated).
          const read = readText(file);
          parsed = validated(parseDataText(file, read), file, read);
        } catch (e) {
          const error = expectClearError(e, context);
          expect(error).toBeInstanceOf(CliError);
          expect((error as CliError).exitCode, context).toBe(1);
          // The message names the file, and for a problem within it a line and column or a field.
          expect(error.message, context).toContain(file);
          outcomes.refused++;
          return;
        } finally {
          rmSync(file, { force: true });
        }
        let result;
        try {
          result = simulate(parsed, { paths: 2 });
        } catch (e) {
          expectClearError(e, context);
          outcomes.refused++;
          return;
        }
        for (const [f, a] of Object.entries(result.figures))
          expect(a.every(Number.isFinite), `${context}: ${f}`).toBe(true);
        for (const [m, a] of Object.entries(result.metrics))
          expect(a.every(Number.isFinite), `${context}: ${m}`).toBe(true);
        outcomes.ran++;
      }),
      { seed, numRuns: n },
    );
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
    expect(outcomes.refused + outcomes.ran).toBe(n);
    if (n >= 50) {
      expect(outcomes.refused).toBeGreaterThan(n / 10);
      expect(outcomes.ran).toBeGreaterThan(n / 20);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Values: mutations of plain JSON data at a path (shared by the tables and the result files).

type Json = unknown;
type Path = (string | number)[];

/** Every path into a value, the root excluded, at most 8 deep; long arrays give their first few entries. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object' && prefix.length < 8) {
    const entries = Object.entries(value);
    for (const [k, v] of Array.isArray(value) ? entries.slice(0, 4).concat(entries.slice(-2)) : entries) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      pathsOf(v, p, out);
    }
  }
  return out;
}

const oddValues: readonly Json[] = [
  null,
  undefined,
  true,
  '',
  'abc',
  '12',
  '1e999',
  0,
  -1,
  -0,
  0.5,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53 + 1,
  1e-320,
  4_000_000_000,
  [],
  [1, 2, 3],
  ['a', null],
  {},
  { a: 1 },
  { length: 5 },
];

type ValueMutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'grow'; at: number; by: number }
  | { kind: 'shrink'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'proto'; at: number }
  | { kind: 'nest'; at: number; depth: number };

const valueMutation: fc.Arbitrary<ValueMutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat({ max: oddValues.length - 1 }) }),
  fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), by: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant('shrink' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 200 }) }),
);

function parentOf(root: Json, path: Path): { parent: Record<string | number, Json>; key: string | number } {
  let node = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  return { parent: node, key: path.at(-1)! };
}

/** Applies the mutations to a deep copy; `keep` tells which values may be replaced (numbers of arrays, say). */
function mutateValue(
  base: Json,
  ms: readonly ValueMutation[],
  keep: (path: Path, v: Json) => boolean = () => false,
): Json {
  const root = structuredClone(base);
  for (const m of ms) {
    const paths = pathsOf(root);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length]!;
    const { parent, key } = parentOf(root, path);
    const value = parent[key];
    if (keep(path, value)) continue;
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 'set':
        parent[key] = structuredClone(oddValues[m.value]);
        break;
      case 'grow':
        if (Array.isArray(value))
          for (let i = 0; i < m.by; i++) value.push(structuredClone(value[i % Math.max(1, value.length)] ?? 0));
        else if (typeof value === 'number') parent[key] = value * (m.by + 1) + m.by;
        else if (typeof value === 'string') parent[key] = value.repeat(Math.min(m.by, 50));
        break;
      case 'shrink':
        if (Array.isArray(value)) value.length = Math.floor(value.length / 2);
        else if (typeof value === 'number') parent[key] = -value;
        else if (typeof value === 'string') parent[key] = value.slice(1);
        break;
      case 'duplicate':
        if (Array.isArray(value) && value.length > 0) value.push(structuredClone(value[0]));
        else if (Array.isArray(parent)) parent.push(structuredClone(value));
        else parent[`${String(key)}`.toUpperCase()] = structuredClone(value);
        break;
      case 'proto':
        if (value !== null && typeof value === 'object')
          Object.defineProperty(value, '__proto__', {
            value: { polluted: 1 },
            enumerable: true,
            configurable: true,
            writable: true,
          });
        break;
      case 'nest': {
        let v: Json = value;
        for (let i = 0; i < m.depth; i++) v = [v];
        parent[key] = v;
        break;
      }
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Statistics Denmark's tables.

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'statbank', name), 'utf8');
const csvText = fixture('frkm124.csv');
const v1 = JSON.parse(fixture('frkm124-jsonstat1.json')) as Json;
const v2 = JSON.parse(fixture('frkm124-jsonstat2.json')) as Json;

const csvMutations: Record<string, TextMutation> = {
  separator: (t, r) => t.replace(/;/g, [',', '\t', ' ', ';;', '|'][Math.floor(r * 5)]!),
  noHeader: (t) => t.slice(t.indexOf('\n') + 1),
  dropColumn: (t, r) => {
    const c = Math.floor(r * 5);
    return t
      .split('\n')
      .map((l) =>
        l
          .split(';')
          .filter((_, i) => i !== c)
          .join(';'),
      )
      .join('\n');
  },
  oddValue: (t, r) => {
    const odd = ['-5', 'NaN', '1e999', '', 'abc', '..', '1.5', '9007199254740993', '"260"', '"2"6"0"', '-0', '1e308'];
    const { lines, i } = lineOf(t, r);
    const k = Math.max(1, i);
    if (lines[k] === undefined) return t;
    lines[k] = lines[k]!.replace(/;[^;]*$/, `;${odd[Math.floor(r * 1e6) % odd.length]}`);
    return lines.join('\n');
  },
  oddAge: (t, r) => {
    const ages = [
      '999999999 år',
      '-3 år',
      '100 år og derover',
      'alder i alt',
      '',
      '60',
      '1e3 år',
      '67-79 år',
      'NaN år',
    ];
    const { lines, i } = lineOf(t, r);
    const k = Math.max(1, i);
    if (lines[k] === undefined) return t;
    const cells = lines[k]!.split(';');
    if (cells.length > 2) cells[2] = ages[Math.floor(r * 1e6) % ages.length]!;
    lines[k] = cells.join(';');
    return lines.join('\n');
  },
  oddYear: (t, r) => {
    const years = ['20x4', '-2024', '99999', '2024.5', '', '2024K1', '1e3'];
    const { lines, i } = lineOf(t, r);
    const k = Math.max(1, i);
    if (lines[k] === undefined) return t;
    const cells = lines[k]!.split(';');
    if (cells.length > 3) cells[3] = years[Math.floor(r * 1e6) % years.length]!;
    lines[k] = cells.join(';');
    return lines.join('\n');
  },
  duplicateRow: (t, r) => {
    const { lines, i } = lineOf(t, r);
    lines.splice(i, 0, lines[i]!);
    return lines.join('\n');
  },
  quote: (t, r) => {
    const at = Math.floor(r * t.length);
    return `${t.slice(0, at)}"${t.slice(at)}`;
  },
  crOnly: (t) => t.replace(/\n/g, '\r'),
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  blankLines: (t) => t.replace(/\n/g, '\n\n'),
  truncate: (t, r) => t.slice(0, Math.floor(r * t.length)),
  dropLine: textMutations.dropLine!,
  special: textMutations.special!,
};
const csvMutationNames = Object.keys(csvMutations);

/** The options: mostly ones the fixtures hold (so that mutated tables are read), else odd ones. */
const oddImportOptions = fc.record({
  municipality: fc.constantFrom(
    'Lejre',
    'lejre',
    '350',
    'Slagelse',
    ' Lejre ',
    '',
    'Nowhere',
    '__proto__',
    'toString',
    '0',
  ),
  groups: fc.constantFrom<string | string[]>(
    '67-79,80+',
    '80+',
    ['67-79', '80+'],
    '0-125',
    '67-999999999',
    '80-67',
    '',
    'abc',
    ['80+', '80+'],
    '67-79,70-85',
    '125+',
    '-5-10',
    '60-60',
    '1e2+',
    ' 80+ ',
  ),
  years: fc.option(
    fc.record({
      from: fc.option(fc.constantFrom(2024, 2026, 2030, 2031, 1900, 2024.5, Number.NaN), { nil: undefined }),
      to: fc.option(fc.constantFrom(2024, 2027, 2030, 2020, 1e9, Number.POSITIVE_INFINITY), { nil: undefined }),
    }),
    { nil: undefined },
  ),
});
const importOptions = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      { municipality: 'Lejre', groups: '67-79,80+' },
      { municipality: '350', groups: '80+' },
      { municipality: 'slagelse', groups: ['60-69', '70+'], years: { from: 2025 } },
    ),
  },
  { weight: 1, arbitrary: oddImportOptions },
);

const statbankCase = fc.oneof(
  fc.record({
    form: fc.constant('csv' as const),
    mutations: fc.array(
      fc.record({
        name: fc.constantFrom(...csvMutationNames),
        r: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      }),
      {
        minLength: 0,
        maxLength: 3,
      },
    ),
    options: importOptions,
  }),
  fc.record({
    form: fc.constantFrom('v1' as const, 'v2' as const),
    asText: fc.boolean(),
    mutations: fc.array(valueMutation, { minLength: 0, maxLength: 2 }),
    options: importOptions,
  }),
);

describe('fuzz: Statistics Denmark tables are refused with a reason, or read to finite counts', () => {
  const runs = Math.round(RUNS / 5);
  it.each(batches(runs, 150, 200))('$runs seeded tables, batch $batch (seed $seed)', ({ seed, runs: n }) => {
    const outcomes = { refused: 0, read: 0 };
    fc.assert(
      fc.property(statbankCase, (c) => {
        let data: unknown;
        let context: string;
        if (c.form === 'csv') {
          let text = csvText;
          for (const m of c.mutations) text = csvMutations[m.name]!(text, m.r);
          data = text;
          context = `CSV ${c.mutations.map((m) => m.name).join('+') || 'as is'}`;
        } else {
          const value = mutateValue(c.form === 'v1' ? v1 : v2, c.mutations);
          data = c.asText ? JSON.stringify(value) : value;
          context = `JSON-stat ${c.form} ${JSON.stringify(c.mutations)}`;
        }
        context += ` with ${JSON.stringify(c.options)}`;
        let section;
        try {
          section = populationFromStatbank(data, c.options as PopulationImportOptions);
        } catch (e) {
          expect(expectClearError(e, context)).toBeInstanceOf(PopulationImportError);
          outcomes.refused++;
          return;
        }
        expect(section.groups.length, context).toBeGreaterThan(0);
        for (const g of section.groups) {
          expect(typeof g.id, context).toBe('string');
          const entries = Object.entries(g.table);
          expect(entries.length, context).toBeGreaterThan(0);
          for (const [year, count] of entries) {
            expect(year, context).toMatch(/^\d{4}$/);
            expect(Number.isFinite(count) && count >= 0, `${context}: ${g.id} ${year} = ${count}`).toBe(true);
          }
        }
        outcomes.read++;
      }),
      { seed, numRuns: n },
    );
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
    if (n >= 100) {
      expect(outcomes.refused).toBeGreaterThan(n / 10);
      expect(outcomes.read).toBeGreaterThan(n / 20);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Result files.

const smallResult = simulate({ ...shortPresets.find((s) => s.name === 'lejre-2034')!, paths: 3 });
const plainJSON = JSON.parse(JSON.stringify(resultToJSON(smallResult))) as Json;
/** The compact form (base64 float64 arrays). */
const compactJSON = JSON.parse(JSON.stringify(resultToJSON(smallResult, { compact: true }))) as Json;

describe('fuzz: result files are refused with the field, or read to finite results', () => {
  const runs = Math.round(RUNS / 5);
  it.each(batches(runs, 200, 300))('$runs seeded result files, batch $batch (seed $seed)', ({ seed, runs: n }) => {
    const outcomes = { refused: 0, read: 0 };
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(valueMutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (compact, ms, asText) => {
          let json = mutateValue(compact ? compactJSON : plainJSON, ms);
          // Through text, as a file is read (NaN and Infinity become null, undefined entries vanish).
          if (asText) json = JSON.parse(JSON.stringify(json) ?? 'null');
          const context = `${compact ? 'compact' : 'plain'} ${JSON.stringify(ms)}`;
          let result;
          try {
            result = resultFromJSON(json);
          } catch (e) {
            expect(expectClearError(e, context)).toBeInstanceOf(ResultError);
            outcomes.refused++;
            return;
          }
          for (const [f, a] of Object.entries(result.figures))
            expect(a.every(Number.isFinite), `${context}: ${f}`).toBe(true);
          // Reading the figures back: a library error or finite numbers.
          let read: number[] = [];
          try {
            const rows = summarize(result, { figures: ['treasuryDeviationKr', 'actualCostKr'] });
            const values = figureValues(result, {
              strategy: result.strategies[0]!.id,
              service: result.services[0]!.id,
              year: result.years[0]!,
              figure: 'providerDeviationPct',
            });
            read = [...numbersIn(rows), ...values];
          } catch (e) {
            expectClearError(e, context);
          }
          expect(read.every(Number.isFinite), context).toBe(true);
          outcomes.read++;
        },
      ),
      { seed, numRuns: n },
    );
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
    if (n >= 100) expect(outcomes.refused).toBeGreaterThan(n / 10);
  });
});

// ---------------------------------------------------------------------------------------------
// The sensitivity analyses' options.

const sensitivityBase: ScenarioInput = { ...lejre2034(), horizonYears: 2, paths: 4, careHomes: undefined };
const oddOption = fc.constantFrom<unknown>(
  undefined,
  null,
  0,
  1,
  2,
  3,
  -1,
  0.5,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e9,
  '10',
  'abc',
  '',
  true,
  [],
  {},
  [2024],
  [2024, 2024],
  [1999],
  ['2024'],
  'home-care',
  'total',
  'care-homes',
  'treasuryDeviationPct',
  'nope',
  '__proto__',
  'toString',
  { demand: ['use-rates'] },
  { x: ['weather'] },
  { a: ['prices'], b: ['prices'] },
  { a: [] },
  ['home-care.hoursPerRecipientPerWeek'],
  ['nope'],
);
const sensitivityCase = fc.record({
  method: fc.constantFrom('sobol' as const, 'rank' as const, 'twoLevel' as const, 'tornado' as const),
  options: fc.dictionary(
    fc.constantFrom(
      'n',
      'paths',
      'outer',
      'inner',
      'bootstrap',
      'confidence',
      'years',
      'figure',
      'service',
      'groups',
      'inputs',
      'low',
      'high',
      'strategies',
      'limits',
    ),
    oddOption,
    { maxKeys: 3 },
  ),
});
/** Tiny sizes in place of each method's defaults, so a case that runs stays small. */
const tiny = {
  sobol: { n: 4, bootstrap: 5 },
  rank: { paths: 6, bootstrap: 5 },
  twoLevel: { outer: 3, inner: 2, bootstrap: 5 },
  tornado: { paths: 3 },
};

describe('fuzz: sensitivity options are refused by name, or analysed to finite numbers', () => {
  const runs = Math.max(10, Math.round(RUNS / 100));
  it.each(batches(runs, 10, 400))('$runs seeded option sets, batch $batch (seed $seed)', ({ seed, runs: n }) => {
    const outcomes = { refused: 0, ran: 0 };
    fc.assert(
      fc.property(sensitivityCase, (c) => {
        const options = { ...tiny[c.method], ...c.options } as Record<string, unknown>;
        // A size an option set makes large is refused by the run's limits before the work; keep the cases that run small.
        for (const k of ['n', 'paths', 'outer', 'inner', 'bootstrap'] as const)
          if (typeof options[k] === 'number' && (options[k] as number) > 50) options[k] = 1e9;
        const context = `${c.method} ${JSON.stringify(options)}`;
        const run = {
          sobol: () => sobolSensitivity(sensitivityBase, options),
          rank: () => rankSensitivity(sensitivityBase, options),
          twoLevel: () => twoLevelSensitivity(sensitivityBase, options),
          tornado: () => tornadoSensitivity(sensitivityBase, options),
        }[c.method];
        let analysis;
        try {
          analysis = run();
        } catch (e) {
          expectClearError(e, context);
          outcomes.refused++;
          return;
        }
        const numbers = numbersIn((analysis as { rows: unknown }).rows);
        expect(
          numbers.every((x) => !Number.isNaN(x)),
          context,
        ).toBe(true);
        outcomes.ran++;
      }),
      { seed, numRuns: n },
    );
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
  });
});

/** Entries of a result file that are not what a run writes are refused, naming the entry. */
describe('result files: entries checked one by one', () => {
  it.each([
    ['"abc"', 'abc', /figures\.actualCostKr\[0\]: expected a finite number .*; received "abc"/],
    ['null', null, /figures\.actualCostKr\[0\]: .*received null/],
    ['1e308', 1e308, /figures\.actualCostKr\[0\]: .*received 1e\+308/],
    ['an object', {}, /figures\.actualCostKr\[0\]: .*received object/],
  ])('a figure entry of %s is refused', (_, value, message) => {
    const json = structuredClone(plainJSON) as { figures: Record<string, unknown[]> };
    json.figures.actualCostKr![0] = value;
    expect(() => resultFromJSON(json)).toThrow(ResultError);
    expect(() => resultFromJSON(json)).toThrow(message);
  });

  it('a strategy or service that is null, an id twice and a year that is not whole are refused', () => {
    const strategyNull = structuredClone(plainJSON) as { strategies: unknown[] };
    strategyNull.strategies[0] = null;
    expect(() => resultFromJSON(strategyNull)).toThrow(
      /strategies\[0\]: expected \{ id, label \} as text; received null/,
    );
    const serviceNull = structuredClone(plainJSON) as { services: unknown[] };
    serviceNull.services[0] = null;
    expect(() => resultFromJSON(serviceNull)).toThrow(/services\[0\]: expected \{ id, label, activityUnit \}/);
    const twice = structuredClone(plainJSON) as { strategies: { id: string }[] };
    if (twice.strategies.length > 1) {
      twice.strategies[1]!.id = twice.strategies[0]!.id;
      expect(() => resultFromJSON(twice)).toThrow(/appears twice/);
    }
    const year = structuredClone(plainJSON) as { years: unknown[] };
    year.years[0] = Infinity;
    expect(() => resultFromJSON(year)).toThrow(/years: expected a non-empty list of whole calendar years/);
  });
});

/** Options of the sensitivity analyses that are not what they should be are refused by name. */
describe('sensitivity options: refused by name', () => {
  it('the tornado refuses strategies that are not a list of strategies', () => {
    expect(() => tornadoSensitivity(sensitivityBase, { paths: 3, strategies: 1 as never })).toThrow(
      /strategies: expected a non-empty list of strategies; received 1/,
    );
    expect(() => tornadoSensitivity(sensitivityBase, { paths: 3, strategies: [2024] as never })).toThrow(
      /strategies\[0\]: expected a strategy/,
    );
    expect(() => tornadoSensitivity(sensitivityBase, { paths: 3, strategies: [null] as never })).toThrow(OptionError);
  });

  it('the tornado refuses inputs that are not a list of names', () => {
    expect(() => tornadoSensitivity(sensitivityBase, { paths: 3, inputs: 'abc' as never })).toThrow(
      /inputs: expected a list of input names; received abc/,
    );
  });

  it('a service named by an object whose toString is not a function is refused', () => {
    expect(() => rankSensitivity(sensitivityBase, { paths: 6, service: { toString: [] } as never })).toThrow(
      /service: "an object" is not a service of this scenario/,
    );
  });
});
