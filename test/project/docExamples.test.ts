import { describe, expect, it } from 'vitest';
import { transform } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as api from '../../src/index';

/**
 * Every `@example` in src/ that shows a result (`expr; //=> value`, or `//=> value` on the line
 * after a statement) is run, and the value compared. Conventions of the shown value: a JavaScript
 * literal (`'hours'`, `[1, 2]`, `{ mean: 2, sd: 1 }`); a number ending in `…` is a prefix of the
 * value's digits (`0.2380…`); `Float64Array [1, 0]` is a typed array with those elements. The
 * example runs with the public API and its own module's exports in scope.
 */

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Example {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of the @example tags of a file, as code. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example/.test(lines[i]!)) continue;
    let j = i + 1;
    while (j < lines.length && !/^\s*\*\s*```/.test(lines[j]!)) j++;
    const start = j + 1;
    let k = start;
    while (k < lines.length && !/^\s*\*\s*```/.test(lines[k]!)) k++;
    const code = lines
      .slice(start, k)
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    out.push({ file, line: start + 1, code });
    i = k;
  }
  return out;
}

/** A shown value, as a JavaScript expression whose `__prefix("…")` parts match by digits. */
function expectedExpression(shown: string): string {
  let s = shown.trim();
  const typed = /^(Float64Array|Int32Array|Uint32Array)\s+(\[.*\])$/.exec(s);
  if (typed !== null) s = `__typed(${JSON.stringify(typed[1])}, ${typed[2]})`;
  return s.replace(/(-?\d+(?:\.\d+)?)…/g, (_, digits: string) => `__prefix(${JSON.stringify(digits)})`);
}

/** Rewrites an example so every shown result is checked: `__check(value, expected, where, expression, shown)`. */
function instrument(example: Example): { code: string; checks: number } {
  const lines = example.code.split('\n');
  const out: string[] = [];
  let checks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // The example runs with the package's names in scope: its imports of them are dropped.
    if (/^import\s.*\sfrom\s+['"]carebudget(\/[\w-]+)?['"];?\s*$/.test(line)) {
      out.push('');
      continue;
    }
    const inline = /^(.*?);?\s*\/\/=>\s*(.+)$/.exec(line);
    if (inline === null) {
      out.push(line);
      continue;
    }
    checks++;
    const where = `${relative(SRC, example.file)}:${example.line + i}`;
    const [, expr, shown] = inline;
    // The value of the statement before, when the line shows only a result.
    const expression = expr!.trim() === '' ? out.pop()!.replace(/;\s*$/, '') : expr!;
    const words = [where, expression.trim(), shown!.trim()].map((w) => JSON.stringify(w)).join(', ');
    out.push(`__check((${expression}), (${expectedExpression(shown!)}), ${words});`);
  }
  return { code: out.join('\n'), checks };
}

const PREFIX = Symbol('prefix');
const TYPED = Symbol('typed');
interface Prefix {
  readonly [PREFIX]: string;
}

function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'object' && expected !== null && PREFIX in expected) {
    const digits = (expected as Prefix)[PREFIX];
    // The digits shown, and as many before the decimal point: `1…` is not 10.
    const whole = (x: string) => x.replace(/^-/, '').split('.')[0]!.length;
    return typeof actual === 'number' && String(actual).startsWith(digits) && whole(String(actual)) === whole(digits);
  }
  if (typeof expected === 'object' && expected !== null && TYPED in expected) {
    const { [TYPED]: name, values } = expected as { [TYPED]: string; values: unknown[] };
    return ArrayBuffer.isView(actual) && (actual as object).constructor.name === name && matches(actual, values);
  }
  if (Array.isArray(expected)) {
    const list = ArrayBuffer.isView(actual) ? Array.from(actual as unknown as ArrayLike<unknown>) : actual;
    return Array.isArray(list) && list.length === expected.length && expected.every((e, i) => matches(list[i], e));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) => matches((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]))
    );
  }
  return Object.is(actual, expected);
}

/** A value as the failure shows it: typed arrays by name and elements, others as JSON. */
function shownAs(actual: unknown): string {
  if (ArrayBuffer.isView(actual))
    return `${(actual as object).constructor.name} [${Array.from(actual as unknown as ArrayLike<number>).join(', ')}]`;
  if (typeof actual === 'number' || actual === undefined) return String(actual);
  try {
    return JSON.stringify(actual) ?? String(actual);
  } catch {
    return String(actual);
  }
}

/**
 * Runs an example with its checks; returns a line for each shown value it does not give:
 * `file:line: expression shows value, gives value`.
 */
async function runExample(example: Example): Promise<{ failures: string[]; ran: number; checks: number }> {
  const { code, checks } = instrument(example);
  const js = (await transform(code, { loader: 'ts', format: 'esm' })).code;
  const own = (await import(pathToFileURL(example.file).href)) as Record<string, unknown>;
  const scope: Record<string, unknown> = { ...api, ...own };
  const failures: string[] = [];
  let ran = 0;
  scope.__prefix = (digits: string): Prefix => ({ [PREFIX]: digits });
  scope.__typed = (name: string, values: unknown[]) => ({ [TYPED]: name, values });
  scope.__check = (actual: unknown, expected: unknown, where: string, expression: string, shown: string) => {
    ran++;
    if (!matches(actual, expected)) failures.push(`${where}: ${expression} shows ${shown}, gives ${shownAs(actual)}`);
  };
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function(...names, `return (async () => {\n${js}\n})();`) as (...args: unknown[]) => Promise<void>;
  await run(...names.map((n) => scope[n]));
  return { failures, ran, checks };
}

const examples = sourceFiles(SRC)
  .flatMap(examplesOf)
  .filter((e) => e.code.includes('//=>'));

describe('doc examples show what the code gives', () => {
  it('finds the examples that show a result', () => {
    expect(examples.length).toBeGreaterThan(25);
  });

  it('a wrong shown value is reported with its file:line, the expression, the value shown and the value got', async () => {
    const example: Example = {
      file: join(SRC, 'math', 'detmath.ts'),
      line: 10,
      code: 'const xs = [1, 2];\nxs.length + 1; //=> 4\nxs.map((x) => x * 2);\n//=> [2, 4]\n[0.5, 1]; //=> [0.5, 2]',
    };
    const { failures, ran, checks } = await runExample(example);
    expect([ran, checks]).toEqual([3, 3]);
    expect(failures).toEqual([
      'math/detmath.ts:11: xs.length + 1 shows 4, gives 3',
      'math/detmath.ts:14: [0.5, 1] shows [0.5, 2], gives [0.5,1]',
    ]);
  });

  for (const example of examples) {
    it(`${relative(SRC, example.file)}:${example.line}`, async () => {
      const { failures, ran, checks } = await runExample(example);
      expect(
        ran,
        `${relative(SRC, example.file)}:${example.line}: an example stopped before its last shown value`,
      ).toBe(checks);
      if (failures.length > 0) expect.fail(`the example does not give what it shows:\n${failures.join('\n')}`);
    });
  }
});
