/**
 * The command line's output files: checked before the run, then written all or nothing.
 *
 * What an output name may be, decided before any work:
 *
 * - `-`: standard output.
 * - a regular file, or a name not yet taken in an existing directory: written to a temporary
 *   name beside it and renamed over it once every output was written (atomic). A symbolic link
 *   is followed: the file it points to is replaced, the link stays a link.
 * - a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe): written in place,
 *   never replaced. A name for the very file, pipe or socket that standard output goes to
 *   (`/dev/stdout` in a pipe) counts as standard output.
 * - anything else is refused: a directory, a symbolic link to nothing, a block device, a socket.
 *
 * One output named twice (as the same file or under two names for it, compared by the file's
 * identity or its directory's real path) and two outputs to standard output are refused too.
 */
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CliError } from './errors';

/** The text or bytes of one output file, whole or in pieces. */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array>;

/** One output file to write: where, and what. */
export interface PlannedFile {
  readonly option: string;
  readonly file: string;
  /** How errors name it, when not `--option` (a command's positional file: `init`). */
  readonly label?: string;
}

const named = (p: { readonly option: string; readonly label?: string }) => p.label ?? `--${p.option}`;

/** Where standard output goes: text, and bytes for the binary outputs (Arrow, Parquet). */
export interface StdoutSink {
  out(text: string): void;
  outBytes?(bytes: Uint8Array): void;
}

/** The name that means standard output. */
export const STDOUT = '-';

/**
 * Where one output goes. `file`: a regular file (existing or not) at `path`, its real place
 * when the name was a symbolic link; `stream`: a character device or FIFO written in place.
 */
export type OutputTarget =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'stream'; readonly path: string; readonly identity: string }
  | { readonly kind: 'file'; readonly path: string; readonly identity: string };

const tmpName = (file: string) => `${file}.${process.pid}.tmp`;

/** An I/O error's reason without the temporary file's name. */
const reason = (e: unknown) => (e as Error).message.replace(/, \w+ '[^']*'$/, '');

/**
 * The files a run will write. An output option names its file; with `--out DIR` a relative name
 * lies in DIR, and outputs with a default name are written there under it. `-` is standard
 * output, with or without `--out`.
 */
export function planOutputs(
  specs: readonly { readonly option: string; readonly defaultName?: string }[],
  values: Readonly<Record<string, unknown>>,
  outDir: string | undefined,
): PlannedFile[] {
  const planned: PlannedFile[] = [];
  for (const spec of specs) {
    const given = values[spec.option];
    const name = typeof given === 'string' ? given : outDir !== undefined ? spec.defaultName : undefined;
    if (name === undefined) continue;
    if (name === '') throw new CliError(`--${spec.option} needs a file name (or - for standard output)`);
    planned.push({
      option: spec.option,
      file: outDir !== undefined && name !== STDOUT && !isAbsolute(name) ? join(outDir, name) : name,
    });
  }
  return planned;
}

/**
 * The directories {@link prepareOutDir} made for the command being run (the deepest made first
 * last): a command that fails removes those it left empty ({@link removeEmptyOutDirs}), so that
 * a failed run leaves nothing behind.
 */
const madeDirs: string[] = [];

/** Forgets the directories made for an earlier command (a new command starts). */
export function forgetOutDirs(): void {
  madeDirs.length = 0;
}

/** Removes the directories made for this command that are still empty, deepest first. */
export function removeEmptyOutDirs(): void {
  for (const dir of madeDirs.splice(0).reverse()) {
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // Gone already, or not ours to remove any more: leave it.
    }
  }
}

/** The directory and those of its parents that do not exist, the outermost first. */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  return missing;
}

/** Makes `--out DIR` (and its parents) if missing; a usage error when it cannot. */
export function prepareOutDir(dir: string): void {
  if (dir === STDOUT) throw new CliError('--out needs a directory; - (standard output) is for one output file');
  madeDirs.push(...missingDirs(dir));
  try {
    // Where the parent exists, one plain mkdir: Node's recursive mkdir never returns on some
    // special file systems (it loops on /proc/x, where a plain mkdir fails at once).
    if (existsSync(dirname(dir))) {
      if (!existsSync(dir)) mkdirSync(dir);
    } else mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`--out ${dir}: cannot make the directory: ${(e as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw new CliError(`--out ${dir}: not a directory`);
}

const identity = (s: Stats) => `${s.dev}:${s.ino}`;

/** Standard output's file, pipe or socket, when it is one (not a terminal or other device). */
function stdoutIdentity(): string | undefined {
  try {
    const s = fstatSync(1);
    return s.isFile() || s.isFIFO() || s.isSocket() ? identity(s) : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'a special file';
}

/**
 * Where an output named `file` goes, or a usage error naming the option and the file: see the
 * module's comment for what is accepted.
 */
export function outputTarget(option: string, file: string, label?: string): OutputTarget {
  if (file === STDOUT) return { kind: 'stdout' };
  const fail = (why: string) => new CliError(`${label ?? `--${option}`} ${file}: ${why}`);
  let stats: Stats | undefined;
  try {
    stats = statSync(file); // follows symbolic links
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw fail(`cannot write: ${reason(e)}`);
  }
  if (stats === undefined) {
    let link = false;
    try {
      link = lstatSync(file).isSymbolicLink();
    } catch {
      // no entry at all: a new file
    }
    if (link) throw fail('is a symbolic link to a file that does not exist; name the file itself');
    const dir = dirname(file);
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      throw fail(`cannot write: the directory ${dir} does not exist`);
    }
    if (!statSync(real).isDirectory()) throw fail(`cannot write: ${dir} is not a directory`);
    const path = join(real, basename(file));
    return { kind: 'file', path, identity: `new:${path}` };
  }
  // `/dev/stdout` and the like: standard output's own file, pipe or socket (a socket can be
  // reached no other way), so that what is said for a reader goes to standard error.
  if (!stats.isCharacterDevice() && identity(stats) === stdoutIdentity()) return { kind: 'stdout' };
  if (stats.isFile() || stats.isFIFO()) {
    const id = identity(stats);
    if (stats.isFIFO()) return { kind: 'stream', path: file, identity: id };
    let path: string;
    try {
      path = realpathSync(file);
    } catch {
      path = resolve(file);
    }
    return { kind: 'file', path, identity: id };
  }
  if (stats.isCharacterDevice()) return { kind: 'stream', path: file, identity: identity(stats) };
  throw fail(`is ${kindOf(stats)}; expected a regular file, a character device, a FIFO or - for standard output`);
}

/**
 * Checks before the run that every planned file can be written: where it goes (see
 * {@link outputTarget}), that no file or standard output is named twice, and that a file can be
 * made beside each regular file (created and removed) or each device or FIFO is writable (not
 * opened: a FIFO would wait for its reader). Returns where each goes, in order.
 */
export function checkWritable(files: readonly PlannedFile[]): OutputTarget[] {
  const targets = files.map((f) => outputTarget(f.option, f.file, f.label));
  const seen = new Map<string, PlannedFile>();
  targets.forEach((t, i) => {
    const key = t.kind === 'stdout' ? 'stdout' : t.identity;
    const other = seen.get(key);
    const p = files[i]!;
    if (other !== undefined)
      throw new CliError(
        t.kind === 'stdout'
          ? `${named(other)} and ${named(p)} both write to standard output; at most one output may`
          : `${named(other)} and ${named(p)} both name ${other.file === p.file ? p.file : `one file (${other.file} and ${p.file})`}`,
      );
    seen.set(key, p);
  });
  targets.forEach((t, i) => {
    const { file } = files[i]!;
    if (t.kind === 'stdout') return;
    try {
      if (t.kind === 'stream') accessSync(t.path, constants.W_OK);
      else {
        const tmp = tmpName(t.path);
        closeSync(openSync(tmp, 'w'));
        unlinkSync(tmp);
      }
    } catch (e) {
      throw new CliError(`${named(files[i]!)} ${file}: cannot write: ${reason(e)}`);
    }
  });
  return targets;
}

/** True when one of the files goes to standard output (so the run's messages go to standard error). */
export function writesToStdout(targets: readonly OutputTarget[]): boolean {
  return targets.some((t) => t.kind === 'stdout');
}

function pieces(content: FileContent): Iterable<string | Uint8Array> {
  return typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
}

function writeContent(fd: number, content: FileContent): void {
  for (const piece of pieces(content)) {
    if (typeof piece === 'string') writeSync(fd, piece);
    else for (let off = 0; off < piece.byteLength;) off += writeSync(fd, piece, off);
  }
}

/**
 * Writes every file or none: regular files to temporary names first, then devices, FIFOs and
 * standard output in place, then the temporary files renamed over their names. When one cannot
 * be written, the temporary files are removed and the files already there stay as they were.
 * Where each goes is decided again here, as {@link checkWritable} did before the run.
 *
 * @param stdout - where `-` writes; without it, an output to standard output is refused
 */
export function writeAll(
  files: readonly (PlannedFile & { readonly content: () => FileContent })[],
  stdout?: StdoutSink,
): void {
  const targets = checkWritable(files);
  const written: { tmp: string; path: string }[] = [];
  try {
    const inPlace: number[] = [];
    for (const [i, f] of files.entries()) {
      const t = targets[i]!;
      if (t.kind !== 'file') {
        inPlace.push(i);
        continue;
      }
      const tmp = tmpName(t.path);
      let fd: number;
      try {
        fd = openSync(tmp, 'w');
      } catch (e) {
        throw new CliError(`${named(f)} ${f.file}: cannot write: ${reason(e)}`);
      }
      written.push({ tmp, path: t.path });
      try {
        writeContent(fd, f.content());
      } catch (e) {
        throw e instanceof CliError ? e : new CliError(`${named(f)} ${f.file}: cannot write: ${reason(e)}`);
      } finally {
        closeSync(fd);
      }
    }
    for (const i of inPlace) writeInPlace(files[i]!, targets[i]!, stdout);
    for (const { tmp, path } of written) renameSync(tmp, path);
  } catch (e) {
    for (const { tmp } of written) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or never made
      }
    }
    throw e instanceof CliError ? e : new CliError(`cannot write the outputs: ${(e as Error).message}`);
  }
}

/** Writes to standard output, or to a device or FIFO opened without creating or truncating anything. */
function writeInPlace(
  f: PlannedFile & { readonly content: () => FileContent },
  t: OutputTarget,
  stdout: StdoutSink | undefined,
): void {
  const fail = (why: string) => new CliError(`${named(f)} ${f.file}: cannot write: ${why}`);
  if (t.kind === 'stdout') {
    if (stdout === undefined) throw fail('this command cannot write to standard output');
    for (const piece of pieces(f.content())) {
      if (typeof piece === 'string') stdout.out(piece);
      else if (stdout.outBytes !== undefined) stdout.outBytes(piece);
      else throw fail('binary output to standard output is not supported here');
    }
    return;
  }
  let fd: number;
  try {
    // No O_CREAT: should the device or FIFO have gone since the check, nothing is made in its place.
    fd = openSync(t.path, constants.O_WRONLY);
  } catch (e) {
    throw fail(reason(e));
  }
  try {
    const s = fstatSync(fd);
    if (!s.isCharacterDevice() && !s.isFIFO()) throw fail('no longer a device or FIFO');
    writeContent(fd, f.content());
  } catch (e) {
    throw e instanceof CliError ? e : fail(reason(e));
  } finally {
    closeSync(fd);
  }
}
