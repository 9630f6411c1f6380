/**
 * `carebudget fit-dist values.csv`: distributions fitted to a column of values by maximum
 * likelihood, ranked by AIC; the best printed as the YAML a scenario file takes, and with
 * `--out DIR` written as fit.json, best.yaml and qq.html (the Q-Q chart as inline SVG).
 */
import { join } from 'node:path';
import { stringify as yamlStringify } from 'yaml';
import { fitDistribution, FIT_FAMILIES, type DistributionFit, type FitFamily } from '../fit/distributions';
import type { Distribution } from '../scenario/distribution';
import { qqChart, familyName } from '../charts/fit';
import { escapeHtml, page, toSvg } from '../html/render';
import { OptionError } from '../errors';
import { csvRows, delimiterOf, rowWidthProblem } from '../scenario/csvRows';
import { VERSION } from '../version';
import { CliError, invalidInput } from './errors';
import { countOption, listOption, seedOption, type CliOutput, type Values } from './common';
import { readText } from './input';
import { checkWritable, prepareOutDir, writeAll, type PlannedFile } from './outputs';

export { FIT_DIST_OPTIONS } from './options';

/** The largest file read. */
const MAX_FIT_BYTES = 64 * 1024 * 1024;
/** The most values fitted: the spliced fit tries 20 thresholds, each a Nelder-Mead search over the body. */
export const MAX_FIT_VALUES = 100_000;
/** The most bootstrap resamples. */
const MAX_RESAMPLES = 100_000;

/** The values of one column of a CSV file, and where they came from. */
interface Column {
  readonly values: number[];
  /** The column's header, when the file has one. */
  readonly name: string | undefined;
  /** Empty cells skipped. */
  readonly skipped: number;
}

/** A number as written in a cell: `1234.5`, or in a semicolon file also `1234,5` and `1.234,5`. */
function parseNumber(cell: string, decimalComma: boolean): number | undefined {
  let t = cell.trim().replace(/[\u00a0\u202f ]/g, '');
  if (decimalComma) {
    if (/^[-+−]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) t = t.replace(/\./g, '');
    t = t.replace(',', '.');
  }
  t = t.replace(/^−/, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * Reads the column to fit. The delimiter: a semicolon when the first line has one, else a tab
 * when it has one, else a comma; a file of one column with decimal commas (`12,5` or `1.234,5`;
 * a header, if any, without a comma) is read as Danish numbers. The first line is a header unless
 * every cell in it is a number. Every row has as many cells as the first.
 */
export function readColumn(file: string, text: string, column: string | undefined): Column {
  const lines = text.split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const filled = lines.filter((l) => l.trim() !== '');
  // One column of Danish numbers: no semicolon or tab, a header (if any) without a comma, and
  // every other line a number with at most one decimal comma and perhaps thousands points
  // (`864.827,42`), at least one with a comma. Read with commas, each such line would be two cells.
  const headed = filled.length > 0 && !/\d/.test(filled[0]!);
  const numbers = headed ? filled.slice(1) : filled;
  const danishSingle =
    !first.includes(';') &&
    !first.includes('\t') &&
    !(headed && first.includes(',')) &&
    numbers.every((l) => /^\s*[-−]?([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?\s*$/.test(l)) &&
    numbers.some((l) => l.includes(','));
  const delimiter = danishSingle ? ';' : delimiterOf(first);
  const decimalComma = delimiter === ';';
  const numbered = csvRows(text, delimiter);
  if (numbered.length === 0) throw invalidInput(`${file}: the file has no values`);
  const head = numbered[0]!;
  const header = head.cells.every((c) => parseNumber(c, decimalComma) !== undefined) ? undefined : head.cells;
  const body = header === undefined ? numbered : numbered.slice(1);
  // Every row as wide as the first: a comma-separated row of `864.827,42` is two cells, not one number.
  const ragged = rowWidthProblem(head, body, delimiter, header !== undefined);
  if (ragged !== undefined) throw invalidInput(`${file}: ${ragged.message}`);
  const width = head.cells.length;
  let index = 0;
  if (column !== undefined) {
    if (header === undefined)
      throw invalidInput(
        `${file}: --column ${column} names a column, but the file has no header line (its first line is numbers)`,
      );
    const names = header.map((h) => h.trim());
    index = names.indexOf(column.trim());
    if (index < 0) index = names.findIndex((h) => h.toLowerCase() === column.trim().toLowerCase());
    if (index < 0)
      throw invalidInput(`${file}: no column "${column}"; the header has ${names.map((n) => `"${n}"`).join(', ')}`);
  } else if (width > 1) {
    throw invalidInput(
      `${file}: the file has ${width} columns${header === undefined ? '' : ` (${header.map((h) => `"${h.trim()}"`).join(', ')})`}; name the one to fit with --column`,
    );
  }
  const name = header?.[index]?.trim();
  const where = (line: number) => `${file}: line ${line}${name === undefined ? '' : `, column "${name}"`}`;
  const values: number[] = [];
  let skipped = 0;
  for (const { cells, line } of body) {
    const cell = cells[index];
    if (cell === undefined || cell.trim() === '') {
      skipped++;
      continue;
    }
    const x = parseNumber(cell, decimalComma);
    if (x === undefined)
      throw invalidInput(
        `${where(line)}: "${cell.trim()}" is not a number${decimalComma ? '' : ' (decimal commas are read in files separated by semicolons)'}`,
      );
    if (!Number.isFinite(x)) throw invalidInput(`${where(line)}: "${cell.trim()}" is not a finite number`);
    values.push(x);
    if (values.length > MAX_FIT_VALUES)
      throw invalidInput(
        `${file}: more than ${MAX_FIT_VALUES.toLocaleString('en-US')} values; expected at most that many`,
      );
  }
  return { values, name, skipped };
}

function candidatesOption(text: string | boolean | undefined): FitFamily[] | undefined {
  const items = listOption('candidates', text);
  if (items === undefined) return undefined;
  for (const c of items)
    if (!(FIT_FAMILIES as readonly string[]).includes(c))
      throw new CliError(`--candidates: unknown family "${c}"; expected one of ${FIT_FAMILIES.join(', ')}`);
  return items as FitFamily[];
}

/** Six significant digits: what a scenario file needs, and what a reader takes in. */
function short(x: number): number {
  return Number(x.toPrecision(6));
}

function shortDistribution(d: Distribution): Distribution {
  return Object.fromEntries(
    Object.entries(d).map(([k, v]) => [k, typeof v === 'number' ? short(v) : v]),
  ) as Distribution;
}

function shown(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e7 || a < 1e-3) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/** The ranking as a table of fixed-width columns. */
export function rankingTable(fit: DistributionFit): string {
  const header = ['family', 'parameters', 'log-lik', 'AIC', 'KS D', 'AD A²'];
  const rows = fit.candidates.map((c) => [
    c.family,
    Object.entries(c.parameters)
      .map(([k, v]) => `${k}=${shown(v)}`)
      .join(' '),
    c.logLikelihood.toFixed(2),
    c.aic.toFixed(2),
    c.ks.toFixed(4),
    c.ad.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const c of fit.candidates) {
    if (c.intervals === undefined) continue;
    const parts = Object.entries(c.intervals).map(([k, [lo, hi]]) => `${k} ${shown(lo)} to ${shown(hi)}`);
    const failed = c.bootstrapFailures ? ` (${c.bootstrapFailures} resamples could not be fitted)` : '';
    out.push(`  ${c.family}: 90 % intervals ${parts.join(', ')}${failed}`);
  }
  for (const s of fit.skipped) out.push(`skipped ${s.family}: ${s.reason}`);
  return `${out.join('\n')}\n`;
}

/** The small page of the Q-Q chart. */
async function qqPage(fit: DistributionFit, values: readonly number[], unit: string | undefined, source: string) {
  const spec = qqChart(fit, values, { runnerUp: fit.candidates.length > 1, ...(unit === undefined ? {} : { unit }) });
  const svg = await toSvg(spec);
  const best = fit.candidates[0]!;
  const title = `Q-Q plot: ${familyName(best.family)} fit to ${source}`;
  const body = [
    `<p>${fit.n} values; the best fit by AIC is ${escapeHtml(familyName(best.family).toLowerCase())} (AIC ${best.aic.toFixed(2)}, KS D ${best.ks.toFixed(4)}, AD A² ${best.ad.toFixed(3)})${fit.candidates.length > 1 ? `, drawn with the runner-up, ${escapeHtml(familyName(fit.candidates[1]!.family).toLowerCase())}` : ''}. Made with carebudget ${escapeHtml(VERSION)}.</p>`,
    `<figure>${svg}</figure>`,
    `<pre>${escapeHtml(rankingTable(fit))}</pre>`,
  ].join('\n');
  return page('en', title, `${body}\n`);
}

/** Runs `carebudget fit-dist`. */
export async function fitDistCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length !== 1)
    throw new CliError(
      `fit-dist takes one CSV file of values; received ${positionals.length}${positionals.length === 0 ? '' : `: ${positionals.join(' ')}`}`,
    );
  const file = positionals[0]!;
  const candidates = candidatesOption(values.candidates);
  const bootstrap = countOption('bootstrap', values.bootstrap, 0, MAX_RESAMPLES) ?? 0;
  const seed = seedOption(values.seed);
  const column = typeof values.column === 'string' ? values.column : undefined;
  const unit = typeof values.unit === 'string' ? values.unit : undefined;
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (outDir === '') throw new CliError('--out needs a directory');
  const names = ['fit.json', 'best.yaml', 'qq.html'] as const;
  const planned: PlannedFile[] | undefined =
    outDir === undefined
      ? undefined
      : names.map((n) => ({ option: 'out', file: join(outDir, n), label: `--out ${n}` }));

  const text = readText(file, MAX_FIT_BYTES);
  const data = readColumn(file, text, column);
  let fit: DistributionFit;
  try {
    fit = fitDistribution(data.values, {
      ...(candidates === undefined ? {} : { candidates }),
      bootstrap,
      ...(seed === undefined ? {} : { seed }),
    });
  } catch (e) {
    if (e instanceof OptionError)
      throw invalidInput(
        `${file}${data.name === undefined ? '' : `, column "${data.name}"`}: ${e.message.replace(/^fitDistribution: /, '')}`,
      );
    throw e;
  }
  const source = data.name === undefined ? file : `${file}, column "${data.name}"`;
  const best = shortDistribution(fit.best);
  const yaml = `# ${familyName(fit.bestFamily)} fitted to ${fit.n} values of ${source} (maximum likelihood, best by AIC)\n${yamlStringify(best)}`;
  io.out(
    `${fit.n} values from ${source}${data.skipped > 0 ? ` (${data.skipped} empty cells skipped)` : ''}${fit.bootstrap === undefined ? '' : `; ${fit.bootstrap.resamples} bootstrap resamples, seed ${String(fit.bootstrap.seed)}`}\n\n`,
  );
  io.out(rankingTable(fit));
  io.out(`\nBest: ${fit.bestFamily}. As a scenario input:\n${yaml}`);
  if (outDir !== undefined && planned !== undefined) {
    const json = `${JSON.stringify(
      {
        format: 'carebudget-fit',
        version: 1,
        carebudget: VERSION,
        source: file,
        ...(data.name === undefined ? {} : { column: data.name }),
        ...(unit === undefined ? {} : { unit }),
        ...fit,
        values: data.values,
      },
      null,
      1,
    )}\n`;
    const html = await qqPage(fit, data.values, unit, source);
    prepareOutDir(outDir);
    checkWritable(planned);
    const contents = [json, yaml, html];
    writeAll(planned.map((p, i) => ({ ...p, content: () => contents[i]! })));
    io.out(`\nWrote ${planned.map((p) => p.file).join(', ')}\n`);
  }
  return 0;
}
