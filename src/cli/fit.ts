/**
 * `carebudget fit`: home care's use rates, trend, year-to-year noise and hours fitted to a
 * municipality's history in Statistics Denmark's tables, written as a scenario that runs as it is
 * (commented YAML or JSON), with the fit's diagnostics and provenance as JSON on request.
 */
import { OptionError } from '../errors';
import { FitError, fitHomeCare, fittedScenarioYaml, type FittedLevel, type HomeCareFit } from '../fit/homeCare';
import { ScenarioError } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import type { HomeCareHistory } from '../scenario/series';
import { historyFromStatbank, PopulationImportError } from '../scenario/statbank';
import { VERSION } from '../version';
import { choiceOption, isRecord, readScenario, type CliOutput, type Values } from './common';
import { CliError, invalidInput } from './errors';
import { readText } from './input';
import { checkWritable, writeAll, writesToStdout, type PlannedFile } from './outputs';
import { MAX_STATBANK_BYTES } from './population';

export { FIT_OPTIONS } from './options';

type TableName = 'population' | 'recipients' | 'hours';

/** The two-sided 90 % quantile of the normal: a trend's sd is already widened to Student's t. */
const Z90 = 1.6448536269514722;

function year(name: string, text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (!/^\d{4}$/.test(text)) throw new CliError(`--${name} must be a four-digit year; received "${text}"`);
  return Number(text);
}

function required(values: Values, name: string, example: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new CliError(`fit needs --${name} ${example}`);
  return v;
}

/**
 * `--fixed DIM=VALUE`, given any number of times, as the dimensions to fix; a usage error for an
 * item without `=`, an empty name or value, or a dimension named twice (in any case).
 *
 * @param given - the option's value: a string, a list of strings, or undefined
 * @returns the dimensions by name, or undefined when none is given
 * @example
 * ```ts
 * fixedOption(['YDELSESTYPE=Personlig pleje']); //=> { YDELSESTYPE: 'Personlig pleje' }
 * ```
 * @category Command line
 */
export function fixedOption(given: unknown): Record<string, string> | undefined {
  const items = Array.isArray(given) ? (given as unknown[]) : typeof given === 'string' ? [given] : [];
  if (items.length === 0) return undefined;
  const fixed: Record<string, string> = {};
  for (const item of items) {
    const text = String(item);
    const at = text.indexOf('=');
    const dim = at < 0 ? '' : text.slice(0, at).trim();
    const value = at < 0 ? '' : text.slice(at + 1).trim();
    if (dim === '' || value === '')
      throw new CliError(`--fixed expects DIMENSION=VALUE, such as YDELSESTYPE='Personlig pleje'; received "${text}"`);
    const before = Object.keys(fixed).find((k) => k.toLowerCase() === dim.toLowerCase());
    if (before !== undefined)
      throw new CliError(`--fixed names the dimension "${dim}" twice ("${fixed[before]}" and "${value}"); fix it once`);
    fixed[dim] = value;
  }
  return fixed;
}

/** A number for the summary: four significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** A relative change a year as a signed percentage. */
function pct(x: number, digits = 2): string {
  const s = (x * 100).toFixed(digits);
  return `${x > 0 ? '+' : x < 0 ? '' : '±'}${s} %`;
}

/**
 * The printed summary of a fit: per group the base-year use rate, then the common trend with its
 * standard error and 90 % interval, the year-to-year noise with the overdispersion ratio, hours
 * per recipient and their trend, and R².
 *
 * @param fit - a result of `fitHomeCare`
 * @param where - the municipality and groups, for the first line
 * @returns the lines, ending with a newline
 * @example
 * ```ts
 * io.out(fitSummary(fitHomeCare(history), 'Lejre, groups 67-79, 80+'));
 * ```
 * @category Command line
 */
export function fitSummary(fit: HomeCareFit, where: string): string {
  const d = fit.diagnostics;
  const h = fit.homeCare;
  const se = (field: string) => fit.provenance.find((p) => p.field === field)?.standardError ?? 0;
  const out: string[] = [
    `Home care fitted to ${where}, ${d.years[0]}-${d.years[d.years.length - 1]} (${d.years.length} years, ${d.n} observations), base year ${d.baseYear}`,
    '',
  ];
  const header = ['group', `use rate ${d.baseYear}`, 'standard error'];
  const rows = d.groups.map((g) => {
    const rate = h.useRates[g]!;
    return [g, `${(rate * 100).toFixed(2)} %`, `${(se(`homeCare.useRates.${g}`) * 100).toFixed(2)} pp`];
  });
  const widths = header.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(line(header), ...rows.map(line), '');
  const t = h.useRateTrendPerYear;
  out.push(
    `use-rate trend a year (all groups): ${pct(t.mean)} (standard error ${pct(t.sd).replace(/^\+/, '')}; 90 % interval ${pct(t.mean - Z90 * t.sd)} to ${pct(t.mean + Z90 * t.sd)})`,
  );
  out.push(
    `the drawn trend turns the line around the history's middle, ${num(h.useRateTrendPivotYears)} years before ${d.baseYear}, where its level has a standard error of ${pct(levelSd(h.useRateFactor)).replace(/^\+/, '')}`,
  );
  out.push(
    `year-to-year noise σ: ${num(h.useRateNoiseSdPerYear)} (standard error ${num(se('homeCare.useRateNoiseSdPerYear'))}); overdispersion ratio ${num(d.overdispersionRatio)} (1: sampling alone)`,
  );
  if (h.hoursPerRecipientPerWeek !== undefined && h.hoursTrendPerYear !== undefined) {
    const ht = h.hoursTrendPerYear;
    out.push(
      `hours per recipient a week: ${num(h.hoursPerRecipientPerWeek.median)} (standard error ${num(se('homeCare.hoursPerRecipientPerWeek'))}${d.hoursBasis === 'total' ? '; from the total hours' : ''}); trend a year ${pct(ht.mean)} (90 % interval ${pct(ht.mean - Z90 * ht.sd)} to ${pct(ht.mean + Z90 * ht.sd)})`,
    );
  } else out.push('hours per recipient: not fitted (no --hours table)');
  out.push(`R² within groups: ${num(d.rSquared)}`);
  return `${out.join('\n')}\n`;
}

/** The log standard deviation of a fitted lognormal level. */
function levelSd(level: FittedLevel): number {
  return Math.log(level.p95 / level.median) / Z90;
}

/** Non-finite numbers (a slope's degrees of freedom when σ̂² = 0) as the strings JSON has no numbers for. */
function finiteJson(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/**
 * A reader's or the fit's message with the file it is about: the table's file where the message
 * names a table, else every file read.
 */
export function withFile(
  message: string,
  files: Readonly<Partial<Record<TableName, string>>>,
  table?: TableName,
): string {
  // The library's hint names its option (`fixed: { ID: '<code or label>' }`); here it is --fixed.
  const text = message
    .replace(/^historyFromStatbank: /, '')
    .replace(/fix it with fixed: \{ ([^:]+): '<code or label>' \}/, "fix it with --fixed $1='<code or label>'");
  const m = /^(population|recipients|hours) table: /.exec(text);
  const named = (table ?? m?.[1]) as TableName | undefined;
  const file = named === undefined ? undefined : files[named];
  if (file !== undefined) return `${file}: ${m === null ? text : text.slice(m[0].length)}`;
  return `${Object.values(files).join(', ')}: ${text}`;
}

/**
 * Runs `carebudget fit`: reads the tables, fits, prints the summary and writes the scenario (and
 * the diagnostics) all or nothing.
 *
 * @param values - the parsed options
 * @param positionals - the arguments that are not options (none are taken)
 * @param io - where the summary goes (standard error when the scenario goes to standard output)
 * @returns 0 when done; a `CliError` is thrown for a usage error (2) or tables that cannot be fitted (1)
 * @example
 * ```ts
 * await fitCommand({ population: 'pop.json', recipients: 'aed06.csv', municipality: 'Lejre', groups: '80+', out: 'fitted.yaml' }, [], io);
 * ```
 * @category Command line
 */
export async function fitCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length > 0)
    throw new CliError(
      `fit takes its tables as options (--population, --recipients, --hours); received ${positionals.join(' ')}`,
    );
  const files: Partial<Record<TableName, string>> = {
    population: required(values, 'population', 'FILE (citizens by age and year, such as FOLK1AM)'),
    recipients: required(values, 'recipients', 'FILE (recipients of home care, such as AED06)'),
  };
  if (values.hours !== undefined) files.hours = required(values, 'hours', 'FILE');
  const municipality = required(values, 'municipality', 'NAME');
  const groups = required(values, 'groups', 'LIST, for example --groups 67-79,80+');
  const from = year('from', values.from);
  const to = year('to', values.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new CliError(`--from ${from} is after --to ${to}; expected from <= to`);
  const fixed = fixedOption((values as Readonly<Record<string, unknown>>).fixed);
  const format = choiceOption('format', values.format, ['yaml', 'json'] as const, 'yaml');
  const out = required(values, 'out', 'FILE (the fitted scenario; - for standard output)');
  const planned: PlannedFile[] = [{ option: 'out', file: out }];
  if (typeof values.diagnostics === 'string') {
    if (values.diagnostics === '') throw new CliError('--diagnostics needs a file name (or - for standard output)');
    planned.push({ option: 'diagnostics', file: values.diagnostics });
  }
  const scenarioFile = typeof values.scenario === 'string' ? values.scenario : undefined;
  const base =
    scenarioFile !== undefined || values.preset !== undefined ? readScenario(scenarioFile, values.preset) : undefined;
  if (base !== undefined && !isRecord(base.input))
    throw invalidInput(
      `${base.source}: expected a scenario (a mapping of its sections); received ${typeof base.input}`,
    );
  const say = writesToStdout(checkWritable(planned)) ? io.err.bind(io) : io.out.bind(io);

  const texts = Object.fromEntries(Object.entries(files).map(([t, f]) => [t, readText(f, MAX_STATBANK_BYTES)]));
  let history: HomeCareHistory;
  try {
    history = historyFromStatbank(
      {
        population: texts.population,
        recipients: texts.recipients,
        ...(files.hours === undefined ? {} : { hours: texts.hours }),
      },
      {
        municipality,
        groups,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(fixed === undefined ? {} : { fixed }),
        sources: files,
      },
    );
  } catch (e) {
    if (e instanceof PopulationImportError) throw invalidInput(withFile(e.message, files));
    throw e;
  }
  let fit: HomeCareFit;
  try {
    fit = fitHomeCare(history, base === undefined ? {} : { scenario: base.input as ScenarioInput });
  } catch (e) {
    if (e instanceof FitError) throw invalidInput(withFile(e.message, files, e.table));
    if ((e instanceof ScenarioError || e instanceof OptionError) && base !== undefined)
      throw invalidInput(`${base.source}: ${e.message}`);
    throw e;
  }
  const scenarioText = format === 'json' ? `${JSON.stringify(fit.scenario, null, 2)}\n` : fittedScenarioYaml(fit);
  const diagnosticsText = () =>
    `${JSON.stringify(
      {
        format: 'carebudget-home-care-fit',
        version: 1,
        carebudget: VERSION,
        tables: files,
        municipality,
        ...(fixed === undefined ? {} : { fixed }),
        ...(base === undefined ? {} : { scenario: base.source }),
        homeCare: fit.homeCare,
        diagnostics: fit.diagnostics,
        provenance: fit.provenance,
      },
      finiteJson,
      2,
    )}\n`;
  say(fitSummary(fit, `${municipality}, groups ${fit.diagnostics.groups.join(', ')}`));
  writeAll(
    planned.map((p) => ({ ...p, content: p.option === 'out' ? () => scenarioText : diagnosticsText })),
    io,
  );
  say(`\nWrote ${planned.map((p) => (p.file === '-' ? 'standard output' : p.file)).join(', ')}\n`);
  return 0;
}
