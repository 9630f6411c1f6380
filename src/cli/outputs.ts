/**
 * A run's output files: checked before the run (the directory exists, the name is not a
 * directory, a file can be created there), then written all or nothing (every file to a
 * temporary name first; renamed only when all were written).
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError } from './errors';

/** The text or bytes of one output file, whole or in pieces. */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array>;

/** One output file to write: where, and what. */
export interface PlannedFile {
  readonly option: string;
  readonly file: string;
}

const tmpName = (file: string) => `${file}.${process.pid}.tmp`;

/** An I/O error's reason without the temporary file's name. */
const reason = (e: unknown) => (e as Error).message.replace(/, \w+ '[^']*'$/, '');

/**
 * The files a run will write. An output option names its file; with `--out DIR` a relative name
 * lies in DIR, and outputs with a default name are written there under it.
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
    if (name === '') throw new CliError(`--${spec.option} needs a file name`);
    planned.push({ option: spec.option, file: outDir !== undefined && !isAbsolute(name) ? join(outDir, name) : name });
  }
  const seen = new Map<string, string>();
  for (const p of planned) {
    const other = seen.get(p.file);
    if (other !== undefined) throw new CliError(`--${other} and --${p.option} both name ${p.file}`);
    seen.set(p.file, p.option);
  }
  return planned;
}

/** Makes `--out DIR` (and its parents) if missing; a usage error when it cannot. */
export function prepareOutDir(dir: string): void {
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

/** Checks before the run that every planned file can be written, by creating and removing a temporary file beside it. */
export function checkWritable(files: readonly PlannedFile[]): void {
  for (const { option, file } of files) {
    if (existsSync(file) && statSync(file).isDirectory()) throw new CliError(`--${option} ${file}: is a directory`);
    const dir = dirname(file);
    if (!existsSync(dir)) throw new CliError(`--${option} ${file}: cannot write: the directory ${dir} does not exist`);
    const tmp = tmpName(file);
    try {
      closeSync(openSync(tmp, 'w'));
      unlinkSync(tmp);
    } catch (e) {
      throw new CliError(`--${option} ${file}: cannot write: ${reason(e)}`);
    }
  }
}

function writeContent(fd: number, content: FileContent): void {
  const pieces = typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
  for (const piece of pieces) {
    if (typeof piece === 'string') writeSync(fd, piece);
    else for (let off = 0; off < piece.byteLength;) off += writeSync(fd, piece, off);
  }
}

/**
 * Writes every file or none: each to a temporary name, then all renamed. When one cannot be
 * written, the temporary files are removed and the files already there stay as they were.
 */
export function writeAll(
  files: readonly { readonly option: string; readonly file: string; readonly content: () => FileContent }[],
): void {
  const written: string[] = [];
  try {
    for (const { option, file, content } of files) {
      const tmp = tmpName(file);
      let fd: number;
      try {
        fd = openSync(tmp, 'w');
      } catch (e) {
        throw new CliError(`--${option} ${file}: cannot write: ${reason(e)}`);
      }
      written.push(tmp);
      try {
        writeContent(fd, content());
      } catch (e) {
        throw e instanceof CliError ? e : new CliError(`--${option} ${file}: cannot write: ${reason(e)}`);
      } finally {
        closeSync(fd);
      }
    }
    for (const [i, { file }] of files.entries()) renameSync(written[i]!, file);
  } catch (e) {
    for (const tmp of written) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or never made
      }
    }
    throw e instanceof CliError ? e : new CliError(`cannot write the outputs: ${(e as Error).message}`);
  }
}
