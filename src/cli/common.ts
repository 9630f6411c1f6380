/** What the commands share: output, options, reading and validating a scenario, choosing strategies, the progress bar. */
import { SingleBar } from 'cli-progress';
import { presets } from '../scenario/presets';
import { safeParseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { CliError, invalidInput } from './errors';
import { locator, parseDataText, readText } from './input';
import type { CliOutput } from './options';

export {
  closest,
  didYouMean,
  editDistance,
  PROCESS_OUTPUT,
  type CliOutput,
  type OptionSpec,
  type Values,
} from './options';

/** A whole number from an option, in decimal digits only (`0x10`, `1e3` and `-1` are refused), or a usage error naming the option. */
export function countOption(
  name: string,
  text: string | boolean | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (!(/^\d+$/.test(text) && n >= min && n <= max))
    throw new CliError(
      `--${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}; received "${text}"`,
    );
  return n;
}

export function choiceOption<T extends string>(
  name: string,
  text: string | boolean | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (typeof text !== 'string') return fallback;
  if (!(choices as readonly string[]).includes(text))
    throw new CliError(
      `--${name} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)!}; received "${text}"`,
    );
  return text as T;
}

export function onePositional(command: string, positionals: readonly string[], what: string): string | undefined {
  if (positionals.length > 1)
    throw new CliError(`${command} takes one ${what}; received ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The scenario named on the command line: a preset, or a file in YAML or JSON (with its text, to place errors). */
export function readScenario(
  file: string | undefined,
  preset: string | boolean | undefined,
): { input: unknown; source: string; text?: string } {
  if (typeof preset === 'string') {
    if (file !== undefined)
      throw new CliError(`expected a scenario file or --preset, not both; received ${file} and --preset ${preset}`);
    const make = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
    if (make === undefined)
      throw new CliError(`unknown preset "${preset}"; expected one of ${Object.keys(presets).join(', ')}`);
    return { input: make(), source: `preset ${preset}` };
  }
  if (file === undefined) throw new CliError('expected a scenario file or --preset NAME (see --help)');
  const text = readText(file);
  return { input: parseDataText(file, text), source: file, text };
}

/**
 * Validates, or an error listing every problem (exit code 1). With the file's text, each
 * problem is given the line and column of its field (or of the nearest field around it).
 */
export function validated(input: unknown, source: string, text?: string): Scenario {
  const parsed = safeParseScenario(input);
  if (parsed.success) return parsed.scenario;
  let message = parsed.error.message;
  if (text !== undefined) {
    const lines = message.split('\n');
    const locate = locator(text);
    parsed.error.problems.forEach((p, i) => {
      const at = locate(p.path);
      const k = lines.findIndex((l, j) => j > i && l.startsWith(`  - ${p.where}: `) && !l.startsWith(`  - ${source}:`));
      if (at !== undefined && k >= 0) lines[k] = `  - ${source}:${at.line}:${at.column}: ${lines[k]!.slice(4)}`;
    });
    message = lines.join('\n');
  }
  throw invalidInput(`${source}: ${message}`);
}

/** The locales of the HTML report, in the order the help and errors list them. */
export const REPORT_LOCALES = ['en', 'da'] as const;
export type ReportLocale = (typeof REPORT_LOCALES)[number];

/**
 * `--shard K/N`: whole numbers 1 <= K <= N, the K-th of N blocks of `blocksOf` (for the message).
 * Whether N fits the work is for the command to check.
 */
export function shardOption(text: string, blocksOf: string): { index: number; count: number } {
  const m = /^(\d{1,9})\/(\d{1,9})$/.exec(text);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && count >= 1 && index <= count))
    throw new CliError(
      `--shard must be K/N with whole numbers 1 <= K <= N (the K-th of N blocks of ${blocksOf}); received "${text}"`,
    );
  return { index, count };
}

/** The seed given by `--seed`: a whole number when it is one, else the text; undefined when not given. */
export function seedOption(value: string | boolean | undefined): number | string | undefined {
  const text = typeof value === 'string' ? value : undefined;
  if (text === '') throw new CliError('--seed needs a value');
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/**
 * The scenario named on the command line, validated with the command line's overrides (paths,
 * seed) and, when a strategy list is given, with the strategies it names.
 */
export function scenarioFromCommandLine(
  file: string | undefined,
  preset: string | boolean | undefined,
  overrides: Record<string, unknown>,
  strategies?: { readonly list: string; readonly option: string },
): Scenario {
  const { input, source, text } = readScenario(file, preset);
  if (!isRecord(input)) return validated(input, source, text);
  const withOptions = { ...input, ...overrides };
  const scenario = validated(withOptions, source, text);
  return strategies === undefined
    ? scenario
    : validated({ ...withOptions, strategies: chooseStrategies(scenario, strategies.list, strategies.option) }, source);
}

export const STRATEGY_KINDS = ['frame', 'demographicFrame', 'hybrid', 'activity'] as const;

/**
 * The strategies named by `--strategies`: each an id from the scenario's strategies section, or
 * a built-in kind with its defaults.
 */
export function chooseStrategies(scenario: Scenario, list: string, option = 'strategies'): Scenario['strategies'] {
  const names = list.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new CliError(`--${option} expects names separated by commas; received "${list}"`);
  const ids = strategiesFromSpecs(scenario.strategies).map((s) => s.id);
  return names.map((n) => {
    const i = ids.indexOf(n);
    if (i >= 0) return scenario.strategies[i]!;
    const kind = STRATEGY_KINDS.find((k) => k === n || (k === 'demographicFrame' && n === 'demographic-frame'));
    if (kind !== undefined) return { kind } as Scenario['strategies'][number];
    throw new CliError(
      `--${option}: unknown strategy "${n}"; expected one of the scenario's (${ids.join(', ')}) or a built-in kind (${STRATEGY_KINDS.join(', ')})`,
    );
  });
}

export function progressBar(
  io: CliOutput,
  quiet: boolean,
  total: number,
  counted = true,
): { update(done: number): void; stop(): void } | undefined {
  if (quiet || io.isTTY !== true) return undefined;
  const bar = new SingleBar({
    format: counted
      ? '{bar} {percentage}% | {value}/{total} paths | {eta_formatted} left'
      : '{bar} {percentage}% | {eta_formatted} left',
    stream: io.progressStream ?? process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** A comma-separated option as its items, or undefined when not given; an empty item is refused. */
export function listOption(name: string, text: string | boolean | undefined): string[] | undefined {
  if (typeof text !== 'string') return undefined;
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new CliError(`--${name} expects values separated by commas; received "${text}"`);
  return items;
}
