import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { formulaNameProblem, lejre2034 } from '../../src/index';
import {
  MAX_ALIASES,
  MAX_DATA_BYTES,
  MAX_DATA_VALUES,
  MAX_DEPTH,
  parseDataText,
  readDataFile,
  readText,
} from '../../src/cli/input';
import { CliError } from '../../src/cli/errors';
import { runCli } from '../../src/cli/run';

const dir = mkdtempSync(join(tmpdir(), 'carebudget-input-'));

/** The message of the error a parse gives, checking it is an input error (exit code 1). */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(1);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

async function cli(...argv: string[]) {
  let err = '';
  const code = await runCli(argv, { out: () => {}, err: (t) => (err += t) });
  return { code, err };
}

/** A YAML map of n keys, one a line. */
const keys = (n: number) => Array.from({ length: n }, (_v, i) => `k${i}: ${i}`).join('\n');

/** The billion laughs: ten levels, each an anchor holding nine aliases of the level below. */
function aliasBomb(levels = 10): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

describe('reading YAML and JSON input in bounded, linear work', () => {
  it('checks a map of 20,000 keys for duplicates in linear time, finding one at the end with its line', () => {
    // The parser's own check compared every key with those before it: 20,000 keys took seconds.
    expect(refusal(() => parseDataText('many.yaml', `${keys(20_000)}\nk17: 1`))).toBe(
      'many.yaml:20001:1: not valid YAML: Map keys must be unique',
    );
  });

  it('refuses duplicate keys as the parser did: at the second key, nested, quoted or in flow maps', () => {
    expect(refusal(() => parseDataText('f.yaml', 'a: 1\nb:\n  c: 1\n  c: 2\n'))).toBe(
      'f.yaml:4:3: not valid YAML: Map keys must be unique',
    );
    expect(refusal(() => parseDataText('f.yaml', 'a: 1\n"a": 2\n'))).toBe(
      'f.yaml:2:1: not valid YAML: Map keys must be unique',
    );
    expect(refusal(() => parseDataText('f.yaml', 'x: {a: 1, b: 2, a: 3}'))).toBe(
      'f.yaml:1:17: not valid YAML: Map keys must be unique',
    );
    // 1 and "1" are different keys to YAML.
    expect(parseDataText('f.yaml', '1: x\n"2": y\n')).toEqual({ '1': 'x', '2': 'y' });
    // Anchors and aliases as such still read.
    expect(parseDataText('f.yaml', 'x: &d {p: 1}\ny: *d\n')).toEqual({ x: { p: 1 }, y: { p: 1 } });
  });

  it('refuses an alias bomb, an unresolved alias and an alias to its own node, naming the alias (exit 1)', () => {
    const bomb = refusal(() => parseDataText('bomb.yaml', aliasBomb()));
    expect(bomb).toMatch(
      /^bomb\.yaml: expands to more than 1,000,000 values through the alias \*a\d at bomb\.yaml:\d+:\d+/,
    );
    expect(refusal(() => parseDataText('f.yaml', 'x: &a 1\ny: *b\n'))).toBe(
      'f.yaml:2:4: the alias *b names no anchor &b before it',
    );
    expect(refusal(() => parseDataText('f.yaml', 'a: &r [1, *r]\n'))).toBe(
      'f.yaml:1:11: the alias *r refers to a node that contains it',
    );
    const many = ['x: &x 1', ...Array.from({ length: MAX_ALIASES + 1 }, (_v, i) => `y${i}: *x`)].join('\n');
    expect(refusal(() => parseDataText('f.yaml', many))).toContain(`one of more than ${MAX_ALIASES} aliases`);
    // An alias whose value, where it is used, nests too deeply.
    const deep = `a: &d ${'['.repeat(40)}${']'.repeat(40)}\nb: ${'['.repeat(30)}*d${']'.repeat(30)}`;
    expect(refusal(() => parseDataText('f.yaml', deep))).toContain(
      `nests its value more than ${MAX_DEPTH} levels deep`,
    );
  });

  it('says a file is empty, or holds only comments, rather than that a scenario is not an object', () => {
    expect(refusal(() => parseDataText('empty.yaml', ''))).toBe('empty.yaml: the file is empty; expected YAML or JSON');
    expect(refusal(() => parseDataText('empty.json', ' \n'))).toBe(
      'empty.json: the file is empty; expected YAML or JSON',
    );
    expect(refusal(() => parseDataText('notes.yaml', '# only\n  # comments\n\n'))).toBe(
      'notes.yaml: the file is empty (it holds only comments); expected YAML or JSON',
    );
    // A comment beside a value is no empty file.
    expect(parseDataText('one.yaml', '# a note\npaths: 10 # ten\n')).toEqual({ paths: 10 });
  });

  it('refuses a file over the size limit, too many values, and nesting too deep, in YAML and JSON', () => {
    expect(MAX_DATA_BYTES).toBe(10 * 1024 * 1024);
    expect(refusal(() => parseDataText('big.yaml', `# ${'x'.repeat(MAX_DATA_BYTES)}`))).toContain(
      'expected at most 10 MiB',
    );
    const list = `[${'0,'.repeat(MAX_DATA_VALUES)}0]`;
    expect(refusal(() => parseDataText('list.json', list))).toContain('holds more than 1,000,000 values');
    expect(refusal(() => parseDataText('deep.yaml', `${'['.repeat(100)}${']'.repeat(100)}`))).toContain(
      `nested more than ${MAX_DEPTH} levels deep`,
    );
    expect(refusal(() => parseDataText('deep.json', `${'['.repeat(100)}${']'.repeat(100)}`))).toContain(
      `nested more than ${MAX_DEPTH} levels deep`,
    );
  });

  it('reads CR-only and CR LF line endings, and UTF-16 with a byte-order mark; refuses UTF-16 without one', () => {
    const yaml = 'name: x\nseed: 3\n';
    const expected = { name: 'x', seed: 3 };
    const files: [string, Buffer][] = [
      ['cr.yaml', Buffer.from(yaml.replace(/\n/g, '\r'))],
      ['crlf.yaml', Buffer.from(yaml.replace(/\n/g, '\r\n'))],
      ['utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')])],
      ['utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(yaml, 'utf16le').swap16()])],
      ['bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)])],
    ];
    for (const [name, bytes] of files) {
      writeFileSync(join(dir, name), bytes);
      expect(readDataFile(join(dir, name)), name).toEqual(expected);
    }
    writeFileSync(join(dir, 'nobom.yaml'), Buffer.from(yaml, 'utf16le'));
    expect(refusal(() => readDataFile(join(dir, 'nobom.yaml')))).toContain('expected UTF-8 text');
    // A file larger than the reader's limit is refused before it is read.
    expect(refusal(() => readText(join(dir, 'cr.yaml'), 4))).toContain('expected at most');
  });

  it('the command line exits 1, not 70, on an alias bomb, an unresolved alias, and a UTF-16 scenario', async () => {
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, aliasBomb());
    const unresolved = join(dir, 'unresolved.yaml');
    writeFileSync(unresolved, 'name: *nowhere\n');
    for (const file of [bomb, unresolved]) {
      const r = await cli('validate', file);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/alias \*(a\d|nowhere)/);
    }
    const utf16 = join(dir, 'scenario16.yaml');
    writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(stringifyYaml(lejre2034()), 'utf16le')]),
    );
    const ok = await cli('validate', utf16);
    expect(ok.code, ok.err).toBe(0);
  });
});

describe('formula parameters', () => {
  it('refuses the words the formula parser reserves, naming the parameter', async () => {
    for (const name of ['end', 'mod', 'to', 'in', 'and', 'or', 'not', 'true', 'NaN'])
      expect(formulaNameProblem(name), name).toContain(`"${name}" is a word the formula parser reserves`);
    expect(formulaNameProblem('ending')).toBeUndefined();
    const scenario = lejre2034();
    const { useRateTrendPerYear: _drop, ...homeCare } = scenario.homeCare as typeof scenario.homeCare & {
      useRateTrendPerYear?: unknown;
    };
    const file = join(dir, 'end.yaml');
    writeFileSync(
      file,
      stringifyYaml({
        ...scenario,
        homeCare: { ...homeCare, useRateTrend: { formula: '(1 - end)^t', parameters: { end: 0.01 } } },
      }),
    );
    const r = await cli('validate', file);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain('"end" is a word the formula parser reserves');
  });
});
