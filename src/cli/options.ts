/**
 * The command line's options and the small helpers that read them, without loading the library:
 * `carebudget --help`, `--version` and a command's `--help` need only this, so they start at once
 * (the library, with mathjs, zod and the worker pool, is imported when a command runs).
 */
/** Where the command line writes: standard output and standard error, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  /** Bytes to standard output (`--parquet -`); without it, binary output to standard output is refused. */
  outBytes?(bytes: Uint8Array): void;
  err(text: string): void;
  /** True when standard error is a terminal: only then is a progress bar drawn. */
  readonly isTTY?: boolean;
  /** Where the progress bar is drawn (default standard error). */
  readonly progressStream?: NodeJS.WritableStream;
}

export const PROCESS_OUTPUT: CliOutput = {
  out: (t) => process.stdout.write(t),
  outBytes: (b) => process.stdout.write(b),
  err: (t) => process.stderr.write(t),
  get isTTY() {
    return process.stderr.isTTY === true;
  },
};

/** An option of a command: its type, its value's name and its help line. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly arg?: string;
  readonly help: string;
  /** The option may be given more than once; its value is then the list of the values given. */
  readonly multiple?: boolean;
}

export type Values = Record<string, string | boolean | undefined>;

/** The options every command takes. */
export const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'this text' },
  version: { type: 'boolean', short: 'V', help: "carebudget's version" },
  debug: { type: 'boolean', help: 'print the stack trace of an error' },
};

/**
 * A run's output files as the options see them: the option, its help, the name under `--out`
 * and whether it needs every path. What each writes is in `commands.ts` (loaded with the run).
 */
export interface OutputOption {
  readonly option: string;
  readonly help: string;
  /** The name under `--out DIR`; outputs without one are written only when named. */
  readonly defaultName?: string;
  /** Needs every path's figures (not streaming summaries). */
  readonly perPath?: boolean;
}

/** The forms `--data-form` accepts for `--arrow` and `--parquet` (carebudget/data's `DataForm`). */
export const DATA_FORMS = ['wide', 'long'] as const;

/** The run's outputs, in the order of the help. A new output is one more entry here and its content in `commands.ts`. */
export const RUN_OUTPUTS: readonly OutputOption[] = [
  {
    option: 'json',
    defaultName: 'result.json',
    help: 'the result as JSON (every path, or the streaming summaries), with what rebuilds the run',
  },
  {
    option: 'summary-json',
    help: "the summary per strategy, year and figure as JSON rows (the raw CSV's columns), for jq or DuckDB",
  },
  { option: 'csv', defaultName: 'summary.csv', help: 'the summary per strategy, year and figure as CSV' },
  {
    option: 'metrics-csv',
    defaultName: 'metrics.csv',
    help: "the services' own metrics (waiting list, guarantee breaches, ...) per strategy and year as CSV",
  },
  { option: 'arrow', perPath: true, help: "every path's figures as an Apache Arrow IPC file" },
  { option: 'parquet', perPath: true, help: "every path's figures as a Parquet file" },
  {
    option: 'report',
    defaultName: 'report.html',
    help: 'a self-contained HTML report: charts, tables and a reading in words (see --report-locale)',
  },
];

const OUTPUT_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  RUN_OUTPUTS.map((o) => [o.option, { type: 'string', arg: 'FILE', help: `${o.help} (- for standard output)` }]),
);

/** The options of `run` and `rerun` beside the scenario. */
export const RUN_SETTINGS: Record<string, OptionSpec> = {
  'max-minutes': {
    type: 'string',
    arg: 'N',
    help: 'refuse a run estimated above N minutes of one core (default 17: 1e10 steps at 6e8 a minute); raise it knowingly',
  },
  threads: {
    type: 'string',
    arg: 'N',
    help: 'worker threads (default: all cores, and one for a run too small for threads to pay: under 2,000 paths, or under about 10 s of one core by its estimate unless N is given)',
  },
  summary: {
    type: 'string',
    arg: 'MODE',
    help: 'auto (default): every path unless it would take more than --memory-mib, then streaming summaries; exact; or streaming',
  },
  'memory-mib': { type: 'string', arg: 'N', help: 'memory allowed for per-path figures in auto mode (default 1024)' },
  'block-paths': {
    type: 'string',
    arg: 'N',
    help: 'paths a block of streaming summaries (default 10000): runs and shards cut on whole blocks merge bit for bit',
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write result.json, summary.csv, metrics.csv and report.html into DIR (made if missing); other output names are taken inside DIR',
  },
  ...OUTPUT_OPTIONS,
  'json-form': {
    type: 'string',
    arg: 'FORM',
    help: 'compact (default: each array as base64 float64 bytes, bit for bit) or plain (arrays of JSON numbers) for --json',
  },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default: comma, full precision, code names), en (readable, rounded) or da (Danish Excel: semicolons, decimal commas, byte-order mark)',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of --report',
  },
  service: {
    type: 'string',
    arg: 'ID',
    help: 'the service the table, --report, --csv and --summary-json show: a service id, a group of units (home-care), or total (default)',
  },
  compare: {
    type: 'string',
    arg: 'A,B',
    help: 'the two strategies --report compares path by path, A − B (default: frame and activity when both run, else each against the first)',
  },
  'report-unit': {
    type: 'string',
    arg: 'UNIT',
    help: "kr (default: money in m kr) or pct (in % of the adopted budget) for --report's charts",
  },
  'data-form': {
    type: 'string',
    arg: 'FORM',
    help: 'wide (default: a column per figure) or long (path, strategy, service, year, figure, value; metrics included) for --arrow and --parquet',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

/**
 * The options of `carebudget merge`: the run's outputs and their forms, and the limit of a
 * sensitivity analysis's merge (its bootstrap; a run's merge simulates nothing).
 */
export const MERGE_OPTIONS: Record<string, OptionSpec> = {
  ...Object.fromEntries(
    Object.entries(RUN_SETTINGS).filter(
      ([k]) => !['max-minutes', 'threads', 'summary', 'memory-mib', 'block-paths'].includes(k),
    ),
  ),
  'max-minutes': {
    type: 'string',
    arg: 'N',
    help: "the parts of a sensitivity analysis: refuse a bootstrap estimated above N minutes of one core (default 17); a run's merge takes no limit",
  },
};

/** The options of `carebudget sensitivity`. */
export const SENSITIVITY_OPTIONS: Record<string, OptionSpec> = {
  preset: { type: 'string', arg: 'NAME', help: 'analyse a built-in scenario (see `carebudget presets`)' },
  method: {
    type: 'string',
    arg: 'M',
    help: `sobol (default: variance-based indices and the share of the variance each input group explains, year by year), tornado (the median with each scalar input at its P10 and P90), rank (Spearman rank correlations of the scalar inputs with the figure) or two-level (structural parameters against year-to-year variability)`,
  },
  figure: {
    type: 'string',
    arg: 'F',
    help: 'the output: treasuryDeviationPct (default), providerDeviationPct, treasuryDeviationKr, providerDeviationKr, actualCostKr, serviceGapShare, ...',
  },
  service: { type: 'string', arg: 'ID', help: 'a service id, a group of units (home-care), or total (default)' },
  strategy: {
    type: 'string',
    arg: 'LIST',
    help: "strategies, comma-separated: ids from the scenario's strategies section, or frame, demographicFrame, hybrid, activity (default: the scenario's)",
  },
  year: { type: 'string', arg: 'LIST', help: 'years to analyse, comma-separated (default: every simulated year)' },
  n: {
    type: 'string',
    arg: 'N',
    help: 'sobol: the base sample N (default 1000); the run simulates N × (groups + 2) paths',
  },
  groups: {
    type: 'string',
    arg: 'SPEC',
    // The ids with the names the report, its charts and the tables show (charts/locale.ts); a test keeps them alike.
    help: "sobol: analyse input groups together, e.g. demand=demography+use-rates,cost=intensity+prices; the groups: demography, use-rates (use rates), intensity (hours per recipient), productivity, prices (prices and wages), providers (providers' market shares), care-home-flows (care-home flows), specialised-cases (specialised cases), interventions (interventions' effects)",
  },
  paths: { type: 'string', arg: 'N', help: "tornado and rank: paths of each run (default: the scenario's)" },
  outer: { type: 'string', arg: 'N', help: 'two-level: outer draws of the structural parameters (default 200)' },
  inner: { type: 'string', arg: 'N', help: 'two-level: paths of variability per outer draw (default 20)' },
  bootstrap: { type: 'string', arg: 'N', help: 'bootstrap resamples for the intervals, 20 or more (default 500)' },
  'max-minutes': {
    type: 'string',
    arg: 'N',
    help: 'refuse an analysis estimated above N minutes of one core (default 17: 1e10 steps at 6e8 a minute); raise it knowingly',
  },
  threads: {
    type: 'string',
    arg: 'N',
    help: 'worker threads (default: all cores, and one for an analysis too small for threads to pay: runs under 2,000 paths, or all its runs under about 10 s of one core by the estimate unless N is given; the result is the same whatever N)',
  },
  confidence: {
    type: 'string',
    arg: 'PCT',
    help: "sobol, rank and two-level: the intervals' level in per cent, from 50 to 99.9 (default 95)",
  },
  seed: { type: 'string', arg: 'S', help: "seed: a whole number or a text (default: the scenario's)" },
  shard: {
    type: 'string',
    arg: 'K/N',
    help: "run only the K-th of N contiguous blocks of the analysis's paths (its runs' paths end to end) and write it as a part (needs --json); `carebudget merge` makes the analysis from the N parts, number for number the analysis in one process",
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write sensitivity.json, sensitivity.csv and sensitivity.html into DIR (made if missing)',
  },
  report: {
    type: 'string',
    arg: 'FILE',
    help: 'a self-contained HTML page: the reading, the charts and how they are estimated (- for standard output)',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of --report',
  },
  json: {
    type: 'string',
    arg: 'FILE',
    help: 'the analysis as JSON: rows, design, estimator and notes (- for standard output)',
  },
  csv: { type: 'string', arg: 'FILE', help: 'the rows as CSV (- for standard output)' },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default), en or da (Danish Excel: semicolons, decimal commas, byte-order mark)',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

/** The options of `carebudget compare`. */
export const COMPARE_OPTIONS: Record<string, OptionSpec> = {
  strategy: {
    type: 'string',
    arg: 'LIST',
    help: 'strategy ids both scenarios name, comma-separated (default: every strategy both name)',
  },
  figure: {
    type: 'string',
    arg: 'LIST',
    help: "figures, comma-separated (default treasuryDeviationKr,actualCostKr,providerDeviationKr; also providerDeviationPct, treasuryDeviationPct, adoptedBudgetKr, finalBudgetKr, serviceGapShare, ...); the first is the report's headline",
  },
  service: { type: 'string', arg: 'ID', help: 'a service id, a group of units (home-care), or total (default)' },
  paths: { type: 'string', arg: 'N', help: "paths of both runs (default: the scenarios', which must then agree)" },
  seed: {
    type: 'string',
    arg: 'S',
    help: "seed of both runs: a whole number or a text (default: the scenarios', which must then agree)",
  },
  csv: { type: 'string', arg: 'FILE', help: 'the rows as CSV (- for standard output)' },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default: comma, full precision, code names), en (readable, rounded) or da (Danish Excel: semicolons, decimal commas, byte-order mark, Danish headers)',
  },
  json: {
    type: 'string',
    arg: 'FILE',
    help: 'the comparison as JSON: its rows, and what rebuilds both runs (- for standard output)',
  },
  report: {
    type: 'string',
    arg: 'FILE',
    help: 'a self-contained HTML page: the headlines, a fan chart of the difference per strategy and the tables (- for standard output)',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of --report',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

/** The options of `carebudget optimize`. */
export const OPTIMIZE_OPTIONS: Record<string, OptionSpec> = {
  preset: { type: 'string', arg: 'NAME', help: 'optimise on a built-in scenario (see `carebudget presets`)' },
  problem: {
    type: 'string',
    arg: 'FILE',
    help: 'the steering problem, YAML or JSON: the candidates and the settings to vary, the objective, the constraints, paths, seed, evaluations and verify (see docs/optimize.md)',
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write result.json, candidates.csv and report.html into DIR (made if missing), all or nothing, once the search has finished',
  },
  threads: {
    type: 'string',
    arg: 'N',
    help: "worker threads for the search's batches (default 1: threads pay only for batches of thousands of paths; the result is the same whatever N)",
  },
  'max-minutes': {
    type: 'string',
    arg: 'M',
    help: 'refuse a search estimated above M minutes of one core, search and verification together (default 17: 1e10 steps at 6e8 a minute; 0.5 is half a minute); raise it knowingly',
  },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default: comma, full precision, code names), en (readable, rounded) or da (Danish Excel: semicolons, decimal commas, byte-order mark, Danish headers) for candidates.csv',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of report.html',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

/** The explore command's options. */
export const EXPLORE_OPTIONS: Record<string, OptionSpec> = {
  preset: { type: 'string', arg: 'NAME', help: 'explore a built-in scenario (see `carebudget presets`)' },
  out: {
    type: 'string',
    arg: 'FILE',
    help: 'write the page to FILE (one self-contained HTML file that works offline) instead of serving it',
  },
  locale: { type: 'string', arg: 'LOCALE', help: 'en (default) or da: the language the page opens in (it can switch)' },
  'no-open': { type: 'boolean', help: 'serve the page without opening a browser' },
};

/** The population command's options. */
export const POPULATION_OPTIONS = {
  municipality: { type: 'string', arg: 'NAME', help: 'the municipality, by name (Lejre) or code (350)' },
  groups: { type: 'string', arg: 'LIST', help: 'age groups, comma-separated: 67-79,80+' },
  from: { type: 'string', arg: 'YEAR', help: "the first year to take (default: the table's first)" },
  to: { type: 'string', arg: 'YEAR', help: "the last year to take (default: the table's last)" },
  format: { type: 'string', arg: 'FORMAT', help: 'yaml (default) or json' },
  output: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE instead of standard output' },
} as const;

/** The fit-dist command's options. */
export const FIT_DIST_OPTIONS = {
  column: { type: 'string', arg: 'NAME', help: "the column to fit, by its header (default: the file's only column)" },
  candidates: {
    type: 'string',
    arg: 'LIST',
    help: 'families to try, comma-separated: normal, lognormal, gamma, weibull, beta, pert, pareto, lognormalPareto (default: all)',
  },
  bootstrap: {
    type: 'string',
    arg: 'B',
    help: 'refit on B resamples for 90 % intervals of the parameters (default 0: none)',
  },
  seed: { type: 'string', arg: 'S', help: 'seed of the resamples: a whole number or a text (default 1)' },
  unit: { type: 'string', arg: 'TEXT', help: "the values' unit, for the Q-Q chart's axes (kr, hours a week)" },
  out: { type: 'string', arg: 'DIR', help: 'write fit.json, best.yaml and qq.html (the Q-Q chart) into DIR' },
} as const;

/**
 * The fit command's options: the tables, the municipality and groups, the years, the fixed
 * dimensions, a base scenario, the format and the output files.
 *
 * @example
 * ```ts
 * FIT_OPTIONS['fixed']?.multiple; //=> true
 * ```
 * @category Command line
 */
export const FIT_OPTIONS: Record<string, OptionSpec> = {
  population: {
    type: 'string',
    arg: 'FILE',
    help: 'citizens by area, age (and sex) and year, such as FOLK1AM: JSON-stat or the CSV export',
  },
  recipients: {
    type: 'string',
    arg: 'FILE',
    help: 'recipients of home care by area, age (and sex, type of benefit) and year, such as AED06',
  },
  hours: {
    type: 'string',
    arg: 'FILE',
    help: 'visited hours a week by area, age or in total, and year, such as AED022 (optional: without it no hours are fitted)',
  },
  municipality: { type: 'string', arg: 'NAME', help: 'the municipality, by name (Lejre) or code (350)' },
  groups: { type: 'string', arg: 'LIST', help: 'age groups, comma-separated: 67-79,80+' },
  from: {
    type: 'string',
    arg: 'YEAR',
    help: 'the first year of history (default: the first the tables have in common)',
  },
  to: { type: 'string', arg: 'YEAR', help: 'the last year of history (default: the last the tables have in common)' },
  fixed: {
    type: 'string',
    arg: 'DIM=VALUE',
    multiple: true,
    help: "fix a table's dimension to one category, by its code or label: YDELSESTYPE='Personlig pleje' (repeat for several)",
  },
  scenario: {
    type: 'string',
    arg: 'FILE',
    help: "a scenario (YAML or JSON) to merge the fitted values into (default: a minimal one with the history's population)",
  },
  preset: { type: 'string', arg: 'NAME', help: 'a built-in scenario to merge the fitted values into' },
  format: { type: 'string', arg: 'FORMAT', help: 'yaml (default: commented with where each value came from) or json' },
  out: { type: 'string', arg: 'FILE', help: 'the fitted scenario (- for standard output)' },
  diagnostics: {
    type: 'string',
    arg: 'FILE',
    help: "the fit's diagnostics (residuals, overdispersion, R², slopes) and each value's provenance as JSON",
  },
};

/**
 * The backtest command's options: the tables, municipality, groups and fixed dimensions as `fit`
 * takes them, the origins and horizon, the projection's paths and seed, and the output directory.
 *
 * @example
 * ```ts
 * BACKTEST_OPTIONS['origins']?.arg; //=> 'FROM..TO'
 * ```
 * @category Command line
 */
export const BACKTEST_OPTIONS: Record<string, OptionSpec> = {
  preset: { type: 'string', arg: 'NAME', help: 'a built-in scenario as the base each fit merges into' },
  population: FIT_OPTIONS.population!,
  recipients: FIT_OPTIONS.recipients!,
  hours: {
    type: 'string',
    arg: 'FILE',
    help: 'visited hours a week by area, age or in total, and year, such as AED022 (needed: the backtest scores hours)',
  },
  municipality: FIT_OPTIONS.municipality!,
  groups: FIT_OPTIONS.groups!,
  fixed: FIT_OPTIONS.fixed!,
  accounts: {
    type: 'string',
    arg: 'FILE',
    help: 'the accounts (service, year, cost in kr; Danish or English numbers): the cost of home care is scored too',
  },
  service: {
    type: 'string',
    arg: 'NAME',
    help: "the accounts' service that is home care (needed when the file has several)",
  },
  origins: {
    type: 'string',
    arg: 'FROM..TO',
    help: 'the origin years, the last year of history each fit uses: a range 2016..2021 or a list 2016,2018,2020',
  },
  horizon: { type: 'string', arg: 'N', help: 'years projected after each origin, 1 to 30 (default 3)' },
  from: { type: 'string', arg: 'YEAR', help: "the first year of history each fit uses (default: the tables' first)" },
  paths: { type: 'string', arg: 'N', help: 'paths of each projection, 10 to 1,000,000 (default 2,000)' },
  seed: { type: 'string', arg: 'S', help: "seed: a whole number or a text (default: the scenario's, else 1)" },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write backtest.json, rows.csv and report.html into DIR (made if missing), all or nothing',
  },
  'report-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'en (default) or da: the language and number format of report.html',
  },
  'csv-locale': {
    type: 'string',
    arg: 'LOCALE',
    help: 'raw (default: comma, full precision, code names), en (readable, rounded) or da (Danish Excel: semicolons, decimal commas, byte-order mark, Danish headers) for rows.csv',
  },
  quiet: { type: 'boolean', help: 'no progress bar (one is drawn only on a terminal)' },
};

/**
 * Edit distance (Levenshtein, with a swap of two neighbours counted as one edit) between two
 * short names. Written here rather than taken from a package: a dozen lines for option and
 * command names of a few letters, where a dependency would outweigh its use.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/**
 * The known names closest to an unknown one, closest first (at most two): those within an edit
 * or so (a third of the name's length), and those of which it is a whole hyphenated part
 * (`locale` for `csv-locale`).
 */
export function closest(name: string, known: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k) }))
    .filter(({ k, d }) => d <= limit || (name.length >= 3 && k.split('-').includes(name.toLowerCase())))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, 2)
    .map(({ k }) => k);
}

/** " (did you mean --paths?)"-style words for a list of suggestions, or '' when there are none. */
export function didYouMean(suggestions: readonly string[], prefix = ''): string {
  return suggestions.length === 0 ? '' : `did you mean ${suggestions.map((s) => `${prefix}${s}`).join(' or ')}?`;
}
