/**
 * Reading the command line's input files: scenarios in YAML or JSON (a byte-order mark
 * accepted), syntax errors with line and column, and a nesting limit checked before validation.
 */
import { readFileSync } from 'node:fs';
import { isNode, parse as parseYaml, parseDocument, YAMLParseError } from 'yaml';
import { CliError, invalidInput } from './errors';

/** Deeper than any scenario needs (the deepest field is about 6 levels down). */
export const MAX_DEPTH = 64;

/** Reads a text file (UTF-8, without a byte-order mark), or a usage error naming the file. */
export function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Line and column (both from 1) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const { line, column } = lineColumn(text, at === null ? text.length : Number(at[1]));
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw invalidInput(`${file}:${line}:${column}: not valid JSON: ${reason}`);
  }
}

function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
      throw invalidInput(
        `${where}: not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    }
    if (e instanceof RangeError) throw invalidInput(`${file}: nested too deeply to read (at most ${MAX_DEPTH} levels)`);
    throw e;
  }
}

/**
 * Parses a data file's text: JSON when the name ends in .json or the text starts with `{` or
 * `[`, else YAML.
 */
export function parseDataText(file: string, text: string): unknown {
  const json = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*[[{]/.test(text));
  const value = json ? parseJson(file, text) : parseYamlText(file, text);
  checkDepth(file, value);
  return value;
}

/** Reads and parses a scenario (or other data) file in YAML or JSON. */
export function readDataFile(file: string): unknown {
  return parseDataText(file, readText(file));
}

/**
 * Refuses values nested deeper than {@link MAX_DEPTH}, naming where, before validation walks
 * them recursively. Iterative, so it cannot itself overflow the stack.
 */
export function checkDepth(file: string, value: unknown): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH)
      throw invalidInput(
        `${file}: nested more than ${MAX_DEPTH} levels deep at ${path.length > 60 ? `${path.slice(0, 57)}...` : path}`,
      );
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: `${path}[${i}]` }));
    else
      for (const [k, x] of Object.entries(v))
        stack.push({ v: x, depth: depth + 1, path: path === '' ? k : `${path}.${k}` });
  }
}

/**
 * Finds where in a file's text the value at a path lies (line and column from 1), or where its
 * nearest parent lies when the value is missing; undefined when the text cannot be read as YAML.
 * The text is parsed once, however many paths are looked up. JSON is read through the YAML
 * parser too (a JSON document is YAML), only to find positions.
 */
export function locator(
  text: string,
): (path: readonly (string | number)[]) => { line: number; column: number } | undefined {
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    doc = undefined;
  }
  if (doc === undefined || doc.errors.length > 0) return () => undefined;
  const parsed = doc;
  return (path) => positionOf(text, parsed, path);
}

function positionOf(
  text: string,
  doc: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
): { line: number; column: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    let node: unknown;
    try {
      node = doc.getIn(path.slice(0, n), true);
    } catch {
      continue;
    }
    if (isNode(node) && node.range) return lineColumn(text, node.range[0]);
  }
  return undefined;
}
