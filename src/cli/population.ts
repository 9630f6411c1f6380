/**
 * `carebudget population`: a Statistics Denmark projection (JSON-stat or CSV) into a scenario's
 * population section, printed as YAML or JSON or written to a file.
 */
import { stringify as yamlStringify } from 'yaml';
import { PopulationImportError, populationFromStatbank } from '../scenario/statbank';
import { CliError, invalidInput } from './errors';
import { POPULATION_OPTIONS } from './options';

export { POPULATION_OPTIONS };
import { readText } from './input';
import { checkWritable, writeAll } from './outputs';

/** The largest table read: every municipality's projection by sex, age and year is about 30 MB as CSV. */
export const MAX_STATBANK_BYTES = 64 * 1024 * 1024;

interface Io {
  out(text: string): void;
}

function year(name: string, text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (!/^\d{4}$/.test(text)) throw new CliError(`--${name} must be a four-digit year; received "${text}"`);
  return Number(text);
}

/** Runs the population command. */
export async function populationCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (positionals.length !== 1)
    throw new CliError(
      `population expects one file (a Statistics Denmark projection in JSON-stat or CSV); received ${positionals.length}`,
    );
  const file = positionals[0]!;
  const municipality = values.municipality;
  const groups = values.groups;
  if (typeof municipality !== 'string' || municipality.trim() === '')
    throw new CliError('population needs --municipality NAME');
  if (typeof groups !== 'string' || groups.trim() === '')
    throw new CliError('population needs --groups, for example --groups 67-79,80+');
  const from = year('from', values.from);
  const to = year('to', values.to);
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json')
    throw new CliError(`--format must be yaml or json; received "${String(format)}"`);
  const output = typeof values.output === 'string' ? values.output : undefined;
  if (output !== undefined) checkWritable([{ option: 'output', file: output }]);
  const text = readText(file, MAX_STATBANK_BYTES);
  let section;
  try {
    section = populationFromStatbank(text, {
      municipality,
      groups,
      ...(from === undefined && to === undefined
        ? {}
        : { years: { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) } }),
    });
  } catch (e) {
    if (e instanceof PopulationImportError)
      throw invalidInput(`${file}: ${e.message.replace(/^populationFromStatbank: /, '')}`);
    throw e;
  }
  const body = { population: section };
  const out =
    format === 'json'
      ? `${JSON.stringify(body, null, 2)}\n`
      : `# From ${file}: ${municipality}, groups ${groups}\n${yamlStringify(body)}`;
  if (output === undefined) io.out(out);
  else writeAll([{ option: 'output', file: output, content: () => out }], io);
  return 0;
}
