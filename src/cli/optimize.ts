/**
 * `carebudget optimize`: searches the steering designs a problem file names on common random
 * numbers, prints the best with its intervals, and writes the result, the candidates as CSV and
 * an HTML report into a directory, all or nothing, once the search has finished.
 */
import type { Scenario } from '../scenario/schema';
import { DEFAULT_RUN_LIMITS, estimateRun, STEPS_PER_MINUTE } from '../simulation/estimate';
import { SimulationError } from '../simulation/errors';
import { referencesOf, type EvaluatedCandidate, type SteeringOptimization } from '../optimize/optimize';
import {
  parseSteeringProblem,
  SteeringProblemError,
  type MeasureSpec,
  type SteeringProblem,
} from '../optimize/problem';
import { optimizeSteering } from '../node/index';
import { renderOptimizationReport } from '../html/optimize';
import { CliError, invalidInput } from './errors';
import { locator, parseDataText, readText } from './input';
import {
  choiceOption,
  countOption,
  onePositional,
  progressBar,
  readScenario,
  REPORT_LOCALES,
  validated,
  type CliOutput,
  type ReportLocale,
  type Values,
} from './common';
import { checkWritable, planOutputs, prepareOutDir, writeAll, type FileContent } from './outputs';
import { CSV_LOCALES, format, type Cell, type CsvLocale } from './csv';

export { OPTIMIZE_OPTIONS } from './options';

/** What the files are made from: the search's result, the problem as checked and the scenario as run. */
interface Finished {
  readonly result: SteeringOptimization;
  readonly problem: SteeringProblem;
  readonly scenario: Scenario;
  readonly csv: CsvLocale;
  readonly report: ReportLocale;
}

interface OutputSpec {
  readonly option: string;
  readonly defaultName: string;
  content(f: Finished): FileContent | Promise<FileContent>;
}

/** The files written into `--out DIR`. */
const OUTPUTS: readonly OutputSpec[] = [
  {
    option: 'json',
    defaultName: 'result.json',
    // The scenario as run (with the problem's seed) in place of its name: its hash is the record's.
    content: (f) =>
      `${JSON.stringify({ format: 'carebudget-optimization', ...f.result, scenarioAsRun: f.scenario }, null, 1)}\n`,
  },
  { option: 'csv', defaultName: 'candidates.csv', content: (f) => candidatesCsv(f.result, f.problem, f.csv) },
  { option: 'report', defaultName: 'report.html', content: reportHtml },
];

/** The HTML report of the search, in the report's language (from the result as made, its scenario by name). */
function reportHtml(f: Finished): Promise<string> {
  return renderOptimizationReport(f.result, { locale: f.report });
}

/** The exit code of a search stopped by Ctrl-C (128 + SIGINT's 2, as shells report it). */
const INTERRUPTED = 130;

/** `--max-minutes M`: minutes of one core above 0, a decimal number allowed (0.5 is half a minute). */
function minutesOption(text: string | boolean | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = Number(text);
  if (!(/^\d+(\.\d+)?$/.test(text) && m > 0 && m <= 1_000_000))
    throw new CliError(
      `--max-minutes must be a number of minutes above 0 and at most 1,000,000, such as 30 or 0.5; received "${text}"`,
    );
  return m;
}

/**
 * The path of a problem's `where` (`candidates[0].vary.corridor`) as keys, to find its line: a
 * setting varied by a dotted name (`vary.carryOver.deficitCap`) is one key of `vary`.
 */
function pathOf(where: string): (string | number)[] {
  if (where === '(problem)') return [];
  const keys: (string | number)[] = [];
  for (const m of where.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) keys.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  const vary = keys.indexOf('vary');
  return vary === 2 && keys[0] === 'candidates' && keys.length > 4
    ? [...keys.slice(0, 3), keys.slice(3).join('.')]
    : keys;
}

/**
 * The problem file checked against the scenario, or an error naming the file and, for each
 * problem, its line and column (of the field, or of the nearest field around it).
 */
function checkedProblem(file: string, text: string, input: unknown, scenario: Scenario): SteeringProblem {
  try {
    return parseSteeringProblem(input, scenario);
  } catch (e) {
    if (!(e instanceof SteeringProblemError)) throw e;
    const lines = e.message.split('\n');
    const locate = locator(text);
    e.problems.forEach((p, i) => {
      const at = locate(pathOf(p.where));
      const line = lines[i + 1];
      if (at !== undefined && line?.startsWith('  - ') === true)
        lines[i + 1] = `  - ${file}:${at.line}:${at.column}: ${line.slice(4)}`;
    });
    throw invalidInput(`${file}: ${lines.join('\n')}`);
  }
}

/** The built-in strategies the search evaluates at their defaults, for reference: frame, activity and the kinds searched. */
function defaultCount(p: SteeringProblem): number {
  return p.defaults ? new Set(['frame', 'activity', ...p.families.map((f) => f.kind)]).size : 0;
}

/** Minutes or hours of one core, at {@link STEPS_PER_MINUTE}. */
function duration(steps: number): string {
  const minutes = steps / STEPS_PER_MINUTE;
  if (minutes >= 120) return `${(minutes / 60).toPrecision(3)} hours`;
  if (minutes >= 1) return `${minutes.toPrecision(3)} minutes`;
  if (minutes * 60 < 1) return `${(minutes * 60).toPrecision(1)} seconds`;
  const seconds = Math.round(minutes * 60);
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Runs `carebudget optimize`. */
export async function optimizeCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const file = onePositional('optimize', positionals, 'scenario file');
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const threads = countOption('threads', values.threads, 1, 1024) ?? 1;
  const maxMinutes = minutesOption(values['max-minutes']);
  const problemFile = typeof values.problem === 'string' ? values.problem : undefined;
  if (problemFile === undefined || problemFile === '')
    throw new CliError('optimize needs --problem FILE, the steering problem in YAML or JSON (see --help)');
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (outDir === undefined || outDir === '')
    throw new CliError('optimize needs --out DIR, the directory the result is written into (see --help)');

  // Every input checked before any work: the scenario, then the problem against it.
  const { input, source, text } = readScenario(file, values.preset);
  const scenario = validated(input, source, text);
  const problemText = readText(problemFile);
  const problem = checkedProblem(problemFile, problemText, parseDataText(problemFile, problemText), scenario);
  const run: Scenario = { ...scenario, seed: problem.seed };

  // The estimate, in strategy-paths and steps, and the whole search's limit.
  const searched = problem.evaluations + defaultCount(problem);
  const verified = problem.verify.top;
  const work = searched * problem.paths + verified * problem.verify.paths;
  const steps =
    estimateRun(run, { paths: problem.paths, strategies: searched }).steps +
    estimateRun(run, { paths: problem.verify.paths, strategies: verified }).steps;
  io.out(
    `carebudget optimize: ${scenario.name}, ${problemFile}: up to ${count(problem.evaluations)} evaluations on ${count(problem.paths)} paths, then the best ${verified} on ${count(problem.verify.paths)} fresh paths, seed ${String(problem.seed)}, ${threads === 1 ? 'one thread' : `${threads} threads`}\n`,
  );
  io.out(
    `Estimate: up to ${count(work)} strategy-paths (${searched} designs × ${count(problem.paths)} paths + ${verified} × ${count(problem.verify.paths)} fresh paths), about ${duration(steps)} of one core\n`,
  );
  const maxSteps = maxMinutes === undefined ? DEFAULT_RUN_LIMITS.maxSteps : maxMinutes * STEPS_PER_MINUTE;
  if (steps > maxSteps)
    throw invalidInput(
      `this search needs about ${steps.toExponential(2)} steps, about ${duration(steps)} of one core, above the limit of ${duration(maxSteps)}${maxMinutes === undefined ? ' (the default of --max-minutes)' : ` (--max-minutes ${String(values['max-minutes'])})`}: use fewer evaluations or paths in ${problemFile}, or raise --max-minutes knowingly`,
    );

  const planned = planOutputs(OUTPUTS, {}, outDir).map((p) => ({ ...p, label: '--out' }));
  prepareOutDir(outDir);
  checkWritable(planned);

  // Ctrl-C aborts the search through its signal; nothing is written until it has finished.
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Error('interrupted (Ctrl-C)'));
  process.once('SIGINT', onInterrupt);
  const bar = progressBar(io, values.quiet === true, 1000, false);
  let result: SteeringOptimization;
  try {
    try {
      result = await optimizeSteering(run, problem.input, {
        threads,
        signal: controller.signal,
        ...(maxMinutes === undefined ? {} : { limits: { maxSteps: maxMinutes * STEPS_PER_MINUTE } }),
        // Per mille of the planned work (an upper bound: the search may stop early).
        ...(bar === undefined
          ? {}
          : { onProgress: (p) => bar.update(Math.min(1000, Math.round((1000 * p.workDone) / p.workTotal))) }),
      });
    } finally {
      bar?.stop();
      process.removeListener('SIGINT', onInterrupt);
    }
  } catch (e) {
    if (controller.signal.aborted && e instanceof SimulationError && e.code === 'ABORTED') {
      io.err('carebudget: interrupted: the search stopped and nothing was written\n');
      return INTERRUPTED;
    }
    throw e;
  }

  // Every file's content is made before any is written, so all or nothing holds.
  const finished: Finished = { result, problem, scenario: run, csv: csvLocale, report: reportLocale };
  const contents = await Promise.all(planned.map((p) => OUTPUTS.find((o) => o.option === p.option)!.content(finished)));
  writeAll(planned.map((p, i) => ({ ...p, content: () => contents[i]! })));
  io.out(`\n${describeOptimization(result, problem)}`);
  for (const { file: f } of planned) io.out(`wrote ${f}\n`);
  return 0;
}

/** A value of a measure as a reader takes it: a probability or share in %, kr in m kr, units as they are. */
export function measureText(m: MeasureSpec, x: number): string {
  const fixed = (y: number, digits: number) => {
    const t = y.toFixed(digits);
    return Number(t) === 0 ? (0).toFixed(digits) : t;
  };
  if (m.statistic.kind === 'probability') return `${fixed(100 * x, 1)} %`;
  if (m.figure === undefined) return fixed(x, 2);
  if (m.figure.endsWith('Kr')) return `${fixed(x / 1e6, 2)} m kr`;
  if (m.figure.endsWith('Pct') || m.figure === 'serviceGapShare') return `${fixed(100 * x, 2)} %`;
  return fixed(x, 1);
}

/** A constraint's limit in words: `at most 5.00 %`, `at least 0.0 %`, or both. */
function limitText(c: { readonly max?: number; readonly min?: number }, m: MeasureSpec): string {
  const parts: string[] = [];
  if (c.min !== undefined) parts.push(`at least ${measureText(m, c.min)}`);
  if (c.max !== undefined) parts.push(`at most ${measureText(m, c.max)}`);
  return parts.join(' and ');
}

/** A share in whole per cent; one that is not 0 or 1 never shows as 0 % or 100 %. */
function percent(x: number): string {
  const r = Math.round(100 * x);
  return r === 0 && x > 0 ? '<1 %' : r === 100 && x < 1 ? '>99 %' : `${r} %`;
}

/**
 * The answer at the terminal: when no design kept the constraints, that first, with the closest
 * for each and the reference designs (built-in defaults of kinds not searched) that kept them;
 * then the best design with its objective and constraints on the fresh paths (90 % intervals)
 * and the probability that it beats the runner-up; then the reference designs that kept the
 * constraints with a better objective than the best's on the search paths.
 */
export function describeOptimization(r: SteeringOptimization, p: SteeringProblem): string {
  const lines: string[] = [];
  const { kept, better, best: own } = referencesOf(r);
  const values = (c: EvaluatedCandidate) =>
    `  ${c.id}: ${[
      `${r.objective.label} ${measureText(p.objective, c.objective)}`,
      ...p.constraints.map((k, i) => `${k.label} ${measureText(k, c.constraints[i]!)}`),
    ].join(', ')}`;
  if (!r.feasible) {
    lines.push('No design of the kinds searched kept every constraint on the search paths. Closest:');
    for (const x of r.infeasible) {
      const i = p.constraints.findIndex((c) => c.label === x.label);
      const c = p.constraints[i]!;
      lines.push(`  ${x.label} (${limitText(c, c)}): ${x.closest}, at ${measureText(c, x.value)}`);
    }
    if (kept.length > 0)
      lines.push(
        'Kept every constraint on the search paths, evaluated for reference (a kind not searched, never the best):',
        ...kept.map(values),
      );
    lines.push(
      'The best below is the design of the kinds searched that came closest; it does not keep the constraints.',
      '',
    );
  }
  const best = r.verified[0]!;
  const interval = (m: MeasureSpec, e: { value: number; low: number; high: number }) =>
    `${measureText(m, e.value)} (90 % interval ${measureText(m, e.low)} to ${measureText(m, e.high)})`;
  lines.push(
    `Best design: ${best.id}`,
    `  on ${count(r.search.verifyPaths)} fresh paths, after ${r.search.evaluations} of ${r.search.budget} evaluations on ${count(r.search.paths)} paths`,
    `  ${r.objective.direction === 'minimize' ? 'minimise' : 'maximise'} ${r.objective.label}: ${interval(p.objective, best.objective)}`,
  );
  best.constraints.forEach((c, i) => {
    const m = p.constraints[i]!;
    lines.push(
      `  ${c.label}, ${limitText(c, m)}: ${interval(m, c.estimate)}: ${c.met ? 'kept' : 'not kept'} (kept in ${percent(c.probabilityMet)} of resamples)`,
    );
  });
  const runnerUp = r.verified[1];
  if (runnerUp?.probabilityBestIsBetter !== undefined)
    lines.push(
      `  better on the objective than the runner-up, ${runnerUp.id} (${measureText(p.objective, runnerUp.objective.value)}), with probability ${percent(runnerUp.probabilityBestIsBetter)}`,
    );
  else lines.push('  no runner-up was verified (verify.top is 1)');
  if (better.length > 0)
    lines.push(
      `Also kept every constraint on the search paths, with a better objective than the best's there (${measureText(p.objective, own!.objective)}), evaluated for reference (a kind not searched, never the best):`,
      ...better.map(values),
    );
  return `${lines.join('\n')}\n`;
}

/** How a measure's values are written in the readable CSV forms: its unit's name and a value in it. */
function csvMeasure(m: MeasureSpec, locale: 'en' | 'da'): { unit: string; value: (x: number) => Cell } {
  const tidy = (x: number, digits: number): Cell => {
    if (!Number.isFinite(x)) return '';
    const r = Number(x.toFixed(digits));
    return r === 0 ? 0 : r;
  };
  if (m.statistic.kind === 'probability' || m.figure?.endsWith('Pct') === true || m.figure === 'serviceGapShare')
    return { unit: '%', value: (x) => tidy(100 * x, 2) };
  if (m.figure?.endsWith('Kr') === true) return { unit: 'kr', value: (x) => tidy(x, 0) };
  return { unit: locale === 'da' ? 'enheder' : 'units', value: (x) => tidy(x, 2) };
}

/**
 * One row per candidate: its id and kind, each setting searched in a column of its own (empty
 * where the candidate has none), the objective, each constraint, the violation, and whether it
 * kept the constraints, lies on the frontier and is a built-in default. `raw`: code names, full
 * precision; `en` and `da`: headers in the language with units, numbers rounded (kr to whole
 * kroner, shares and probabilities in % to 0.01), `da` with semicolons and decimal commas.
 */
export function candidatesCsv(r: SteeringOptimization, p: SteeringProblem, locale: CsvLocale): string {
  const settings = [...new Set(r.candidates.flatMap((c) => Object.keys(c.settings)))];
  const frontier = new Set(r.frontier?.ids ?? []);
  const setting = (v: unknown): Cell =>
    v === undefined ? '' : typeof v === 'number' || typeof v === 'string' ? v : v === null ? 'null' : String(v);
  if (locale === 'raw') {
    const head = [
      'id',
      'kind',
      ...settings,
      'objective',
      ...r.constraints.map((c) => c.label),
      'violation',
      'feasible',
      'on_frontier',
      'default',
    ];
    return format(
      locale,
      head,
      r.candidates.map((c) => [
        c.id,
        c.kind,
        ...settings.map((s) => setting(c.settings[s])),
        c.objective,
        ...c.constraints,
        c.violation,
        String(c.feasible),
        String(frontier.has(c.id)),
        String(c.isDefault),
      ]),
    );
  }
  const da = locale === 'da';
  const yes = (b: boolean) => (b ? (da ? 'ja' : 'yes') : da ? 'nej' : 'no');
  const objective = csvMeasure(p.objective, locale);
  const constraints = p.constraints.map((c) => csvMeasure(c, locale));
  const head = [
    da ? 'Design' : 'Design',
    da ? 'Styringsform' : 'Kind',
    ...settings,
    `${da ? 'Mål' : 'Objective'}: ${r.objective.label} (${objective.unit})`,
    ...r.constraints.map((c, i) => `${c.label} (${constraints[i]!.unit})`),
    da ? 'Overskridelse af grænserne' : 'Violation',
    da ? 'Holder grænserne' : 'Keeps the constraints',
    da ? 'På fronten' : 'On the frontier',
    da ? 'Standard' : 'Default',
  ];
  const rows = r.candidates.map((c): Cell[] => [
    c.id,
    c.kind,
    ...settings.map((s) => setting(c.settings[s])),
    objective.value(c.objective),
    ...c.constraints.map((x, i) => constraints[i]!.value(x)),
    Number(c.violation.toFixed(4)),
    yes(c.feasible),
    yes(frontier.has(c.id)),
    yes(c.isDefault),
  ]);
  return format(locale, head, rows);
}
