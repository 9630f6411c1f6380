import { randomUUID } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import type { RunResult } from '../results/streaming';
import { renderReport, type ReportOptions } from './render';
import { OptionError } from '../errors';

/**
 * Renders a report with {@link renderReport} and writes it to a file, whole or not at all: the
 * page is rendered first, written to a temporary file beside the target, and renamed over it,
 * so a failure leaves no half-written report (and an existing file untouched).
 *
 * @param file - path of the HTML file to write
 * @param result - a per-path result or a streaming summary
 * @param options - the options of {@link renderReport}
 * @returns when the file is written
 * @throws what {@link renderReport} throws; an `Error` naming the file when it cannot be written
 * @example
 * ```ts
 * await writeReport('report.html', simulate(lejre2034()), { scenario: lejre2034(), locale: 'da' });
 * ```
 * @category Report
 */
export async function writeReport(file: string, result: RunResult, options: ReportOptions = {}): Promise<void> {
  if (typeof file !== 'string' || file === '')
    throw new OptionError(`writeReport: file must be a non-empty path; received ${JSON.stringify(file)}`, {
      option: 'file',
      received: file,
    });
  const html = await renderReport(result, options);
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, html, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, file);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    // The file system's own error (its code says why: ENOENT, EACCES ...), told which file.
    if (e instanceof Error) e.message = `writeReport: could not write ${file}: ${e.message}`;
    throw e;
  }
}
