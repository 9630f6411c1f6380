/**
 * Reading the command line's input files: scenarios in YAML or JSON (UTF-8, or UTF-16 with a
 * byte-order mark; any line endings), syntax errors with line and column, and limits on size,
 * nesting, values and aliases checked before validation, each in time linear in the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  parseDocument,
  YAMLParseError,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { CliError, invalidInput } from './errors';

/** Deeper than any scenario needs (the deepest field is about 6 levels down). */
export const MAX_DEPTH = 64;

/** The largest scenario (or other data) file read: a scenario is a few KB. */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;

/**
 * The most values (keys, list entries and values, counted after aliases are expanded) a data
 * file may hold: a scenario has a few hundred.
 */
export const MAX_DATA_VALUES = 1_000_000;

/** The most aliases (`*name`) a YAML file may use. */
export const MAX_ALIASES = 1000;

/** The largest file read at all (a result file of many paths; Node's strings end near 512 MiB). */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** Reads at most `max + 1` bytes of an open file: the whole of a regular file, a FIFO's stream up to the limit. */
function readUpTo(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > max) break;
  }
  return Buffer.concat(chunks, total);
}

/**
 * Decodes a file's bytes: UTF-8 (a byte-order mark dropped), or UTF-16 little- or big-endian
 * when a byte-order mark says so; line endings CR LF and CR become LF.
 */
export function decodeText(file: string, bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0))
      throw invalidInput(
        `${file}: expected UTF-8 text; the file starts with a zero byte (UTF-16 without a byte-order mark, or not text): save it as UTF-8`,
      );
    text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Reads a text file (see {@link decodeText}), or a usage error naming the file; a file larger
 * than `maxBytes` is refused (exit code 1) before it is read.
 */
export function readText(file: string, maxBytes: number = MAX_TEXT_BYTES): string {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new Error('it is a directory');
    if (stat.isFile() && stat.size > maxBytes)
      throw invalidInput(`${file}: the file has ${mib(stat.size)}; expected at most ${mib(maxBytes)}`);
    bytes = readUpTo(fd, maxBytes);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.length > maxBytes)
    throw invalidInput(`${file}: the input has more than ${mib(maxBytes)}; expected at most ${mib(maxBytes)}`);
  return decodeText(file, bytes);
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

function yamlError(file: string, e: YAMLParseError): CliError {
  const pos = e.linePos?.[0];
  const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
  return invalidInput(
    `${where}: not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  );
}

function parseYamlText(file: string, text: string): unknown {
  let doc: Document.Parsed;
  try {
    // Keys are checked for duplicates by checkYamlNodes, in linear time (the parser's own check
    // compares each key with every key before it).
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  } catch (e) {
    if (e instanceof RangeError) throw invalidInput(`${file}: nested too deeply to read (at most ${MAX_DEPTH} levels)`);
    throw e;
  }
  if (doc.errors.length > 0) throw yamlError(file, doc.errors[0]!);
  checkYamlNodes(file, text, doc);
  try {
    // The checks above bound what aliases expand to, so the parser's own alias count is not needed.
    return doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    if (e instanceof RangeError) throw invalidInput(`${file}: nested too deeply to read (at most ${MAX_DEPTH} levels)`);
    if (e instanceof ReferenceError) throw invalidInput(`${file}: not valid YAML: ${e.message}`);
    throw e;
  }
}

/** `file:line:column` of a YAML node. */
function at(file: string, text: string, node: YamlNode): string {
  if (node.range === undefined || node.range === null) return file;
  const { line, column } = lineColumn(text, node.range[0]);
  return `${file}:${line}:${column}`;
}

/**
 * Walks a parsed YAML document once, in document order and without recursion: refuses a key
 * given twice in one map (as the parser's `uniqueKeys` would, at the second key), nesting deeper
 * than {@link MAX_DEPTH}, an alias to no anchor before it or to a node that contains it, more
 * than {@link MAX_ALIASES} aliases, and more than {@link MAX_DATA_VALUES} values once aliases
 * are expanded (an alias bomb), naming the alias.
 */
function checkYamlNodes(file: string, text: string, doc: Document.Parsed): void {
  const root = doc.contents;
  if (root === null) return;
  /** Values each finished node expands to (itself, its keys and values, aliases expanded). */
  const size = new Map<YamlNode, number>();
  /** Levels of collections each finished node holds, itself included (0 for a scalar). */
  const height = new Map<YamlNode, number>();
  const anchors = new Map<string, YamlNode>();
  let aliases = 0;
  let lastAlias: { name: string; where: string } | undefined;
  const tooMany = (count: number) =>
    invalidInput(
      `${file}: expands to more than ${MAX_DATA_VALUES.toLocaleString('en-US')} values${lastAlias === undefined ? '' : ` through the alias *${lastAlias.name} at ${lastAlias.where}`} (${count.toLocaleString('en-US')} at least); expected at most ${MAX_DATA_VALUES.toLocaleString('en-US')}`,
    );
  type Frame = { node: YamlNode; depth: number; exit: boolean };
  const stack: Frame[] = [{ node: root, depth: 0, exit: false }];
  while (stack.length > 0) {
    const { node, depth, exit } = stack.pop()!;
    if (exit) {
      let n = 1;
      let h = 0;
      const add = (child: unknown) => {
        n += isNode(child) ? size.get(child)! : 1;
        if (isNode(child)) h = Math.max(h, height.get(child)!);
      };
      for (const item of (node as { items: unknown[] }).items)
        if (isPair(item)) {
          add(item.key);
          add(item.value);
        } else add(item);
      if (n > MAX_DATA_VALUES) throw tooMany(n);
      size.set(node, n);
      height.set(node, h + 1);
      continue;
    }
    if (depth >= MAX_DEPTH && isCollection(node))
      throw invalidInput(`${at(file, text, node)}: nested more than ${MAX_DEPTH} levels deep`);
    if (node.anchor !== undefined && node.anchor !== null) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      const where = at(file, text, node);
      if (++aliases > MAX_ALIASES)
        throw invalidInput(
          `${where}: the alias *${node.source} is one of more than ${MAX_ALIASES} aliases; expected at most ${MAX_ALIASES}`,
        );
      const target = anchors.get(node.source);
      if (target === undefined)
        throw invalidInput(`${where}: the alias *${node.source} names no anchor &${node.source} before it`);
      const n = size.get(target);
      if (n === undefined) throw invalidInput(`${where}: the alias *${node.source} refers to a node that contains it`);
      lastAlias = { name: node.source, where };
      if (n > MAX_DATA_VALUES) throw tooMany(n);
      if (depth + height.get(target)! > MAX_DEPTH)
        throw invalidInput(`${where}: the alias *${node.source} nests its value more than ${MAX_DEPTH} levels deep`);
      size.set(node, n);
      height.set(node, height.get(target)!);
      continue;
    }
    if (!isCollection(node)) {
      size.set(node, 1);
      height.set(node, 0);
      continue;
    }
    stack.push({ node, depth, exit: true });
    const children: YamlNode[] = [];
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          // The parser's uniqueKeys check: equal scalar values (1 and 1.0 alike, 1 and "1" not).
          if (keys.has(key.value))
            throw invalidInput(`${at(file, text, key)}: not valid YAML: Map keys must be unique`);
          keys.add(key.value);
        }
        if (isNode(key)) children.push(key);
        if (isNode(pair.value)) children.push(pair.value);
      }
    } else for (const item of node.items) if (isNode(item)) children.push(item);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: depth + 1, exit: false });
  }
}

/**
 * Parses a data file's text: JSON when the name ends in .json or the text starts with `{` or
 * `[`, else YAML.
 */
export function parseDataText(file: string, given: string): unknown {
  const text = given.includes('\r') ? given.replace(/\r\n?/g, '\n') : given;
  if (text.length > MAX_DATA_BYTES)
    throw invalidInput(
      `${file}: the file has ${mib(text.length)} of text; expected at most ${mib(MAX_DATA_BYTES)} (a scenario is a few KB)`,
    );
  const json = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*[[{]/.test(text));
  if (text.trim() === '' || (!json && /^\s*$/.test(text.replace(/^[ \t]*#.*$/gm, ''))))
    throw invalidInput(
      `${file}: the file is empty${text.trim() === '' ? '' : ' (it holds only comments)'}; expected YAML or JSON`,
    );
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
  let values = 0;
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (++values > MAX_DATA_VALUES)
      throw invalidInput(
        `${file}: holds more than ${MAX_DATA_VALUES.toLocaleString('en-US')} values; expected at most ${MAX_DATA_VALUES.toLocaleString('en-US')}`,
      );
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
