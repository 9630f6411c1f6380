/**
 * The steering-design problem: which strategies and settings to try, what to minimise or
 * maximise, under which constraints, on how many paths. Written by an analyst in YAML or JSON
 * and checked here against the scenario, with every problem named by its path, before any work.
 */
import * as z from 'zod';
import { pathText, safeParseScenario, valueAt } from '../scenario/parse';
import type { Scenario, StrategySpec } from '../scenario/schema';
import { RECORDED_FIGURES } from '../simulation/result';
import type { Figure } from '../results/values';
import { scenarioServices } from '../simulation/assemble';
import { sharedErrorClass } from '../errors';

/** Every figure a measure can read (see {@link Figure}). */
export const MEASURABLE_FIGURES: readonly Figure[] = [
  'treasuryDeviationKr',
  'treasuryShareKr',
  'providerDeviationKr',
  'treasuryDeviationPct',
  'treasurySharePct',
  'providerDeviationPct',
  'serviceGapShare',
  ...RECORDED_FIGURES,
];

/** The strategy kinds a problem can search. */
const KINDS = ['frame', 'demographicFrame', 'hybrid', 'activity'] as const;

/** A number, or a text such as `"0.05"` (YAML writes `5e6` as text). */
const numberLike = z
  .union([z.number(), z.string().regex(/^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i)])
  .transform(Number);

/**
 * A parameter's values: a range to search (`"0..0.10"` or `{ min: 0, max: 0.10 }`) or a set to
 * try every member of (`[full, excess]`, `[0, 0.02, null]`).
 */
const rangeText = z
  .string()
  .regex(
    /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*\.\.\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i,
    'expected a range "MIN..MAX" such as "0..0.10", { min, max }, or a list of values',
  );
const variedSchema = z.union([
  rangeText,
  z.strictObject({ min: numberLike, max: numberLike }),
  z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1),
]);

const candidateSchema = z.strictObject({
  kind: z.enum(KINDS),
  /** Settings of the strategy kept fixed (any field of the strategy's spec). */
  fixed: z.record(z.string(), z.unknown()).default({}),
  /** Settings to search: a path into the strategy's spec (`corridor`, `carryOver.deficitCap`) or `reserveKr`. */
  vary: z.record(z.string(), variedSchema).default({}),
});

const yearSchema = z.union([z.number().int(), z.enum(['first', 'last'])]);
const yearsSchema = z.union([
  z.string().regex(/^\s*\d{4}\s*\.\.\s*\d{4}\s*$/, 'expected a span of years "FROM..TO" such as "2025..2030"'),
  z.tuple([z.number().int(), z.number().int()]),
]);

const measureFields = {
  /**
   * `mean`, `median`, `pNN` (a percentile, `p95`), `esNN` (expected shortfall: the mean of the
   * values at or above the NN-th percentile, `es95`), `P>X` or `P<X` (the probability that the
   * value is above or below X, `P>0`, `P>0.05`).
   */
  measure: z.string().min(1),
  /** A figure ({@link MEASURABLE_FIGURES}); or give `metric` instead. */
  figure: z.string().optional(),
  /** A service's own metric, `"<service id>.<metric id>"` (for example `care-homes.waiting`). */
  metric: z.string().optional(),
  /** A service id or `total` (default). Figures only. */
  service: z.string().default('total'),
  /** One year (a calendar year, `first` or `last`). */
  year: yearSchema.optional(),
  /** A span of years, summed per path (see {@link MeasureSpec}). */
  years: yearsSchema.optional(),
};
const measureSchema = z.strictObject(measureFields);
const constraintSchema = z.strictObject({ ...measureFields, max: numberLike.optional(), min: numberLike.optional() });
const axisSchema = z.strictObject({
  ...measureFields,
  direction: z.enum(['minimize', 'maximize']).default('minimize'),
});

/**
 * The problem as written (before defaults). See docs/optimize.md for a worked example.
 *
 * @category Optimisation
 */
export const steeringProblemSchema = z.strictObject({
  /** The strategy kinds to try, each with settings fixed and settings to vary. */
  candidates: z.array(candidateSchema).min(1),
  /** What to minimise or maximise: one of the two. */
  objective: z.union([z.strictObject({ minimize: measureSchema }), z.strictObject({ maximize: measureSchema })]),
  /** Limits every chosen design must keep: a measure with `max`, `min` or both. */
  constraints: z.array(constraintSchema).default([]),
  /** Two measures whose trade-off is drawn (default: the objective against the first constraint). */
  frontier: z.strictObject({ x: axisSchema, y: axisSchema }).optional(),
  /** Paths each candidate is evaluated on in the search (default 500; all candidates see the same paths). */
  paths: z.number().int().min(10).max(1_000_000).default(500),
  /** Seed (default: the scenario's). */
  seed: z.union([z.number().int(), z.string().min(1)]).optional(),
  /** How many candidates the search may evaluate (default 60). */
  evaluations: z.number().int().min(1).max(10_000).default(60),
  /** The re-evaluation of the best designs on fresh paths. */
  verify: z
    .strictObject({
      /** Fresh paths (default 2,000). */
      paths: z.number().int().min(10).max(1_000_000).default(2000),
      /** How many of the best designs (default 3). */
      top: z.number().int().min(1).max(20).default(3),
    })
    .default({ paths: 2000, top: 3 }),
  /** Evaluate the built-in strategies at their defaults too, for reference (default true). */
  defaults: z.boolean().default(true),
});

/** A steering problem as written: the input of {@link parseSteeringProblem}. @category Optimisation */
export type SteeringProblemInput = z.input<typeof steeringProblemSchema>;

/**
 * A measure of one figure: its per-path values, in one year or summed over a span of years, and
 * a statistic of them. Over a span, kr and units add up; a share of the budget is the span's sum
 * over the span's adopted budget (the service gap: 1 − Σ ordered / Σ needed); a metric is the
 * mean over the years.
 *
 * @category Optimisation
 */
export interface MeasureSpec {
  readonly statistic: Statistic;
  /** The figure, or undefined for a metric. */
  readonly figure?: Figure;
  readonly metric?: string;
  readonly service: string;
  readonly from: number;
  readonly to: number;
  /** How it was written, for tables and errors (`p95 of providerDeviationPct in 2030`). */
  readonly label: string;
}

/** A statistic of per-path values. @category Optimisation */
export type Statistic =
  | { readonly kind: 'mean' }
  | { readonly kind: 'quantile'; readonly p: number }
  | { readonly kind: 'es'; readonly p: number }
  | { readonly kind: 'probability'; readonly above: boolean; readonly threshold: number };

/** A limit on a measure. @category Optimisation */
export interface ConstraintSpec extends MeasureSpec {
  readonly max?: number;
  readonly min?: number;
}

/** One parameter the search varies. @category Optimisation */
export type Parameter =
  | { readonly name: string; readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly name: string; readonly kind: 'set'; readonly values: readonly (string | number | boolean | null)[] };

/** One family of candidates: a strategy kind with its fixed settings and the parameters varied. @category Optimisation */
export interface CandidateFamily {
  readonly kind: StrategySpec['kind'];
  readonly fixed: Readonly<Record<string, unknown>>;
  readonly parameters: readonly Parameter[];
}

/**
 * A checked steering problem with every default filled in ({@link parseSteeringProblem}).
 *
 * @category Optimisation
 */
export interface SteeringProblem {
  readonly families: readonly CandidateFamily[];
  readonly objective: MeasureSpec & { readonly direction: 'minimize' | 'maximize' };
  readonly constraints: readonly ConstraintSpec[];
  readonly frontier?: {
    readonly x: MeasureSpec & { readonly direction: 'minimize' | 'maximize' };
    readonly y: MeasureSpec & { readonly direction: 'minimize' | 'maximize' };
  };
  readonly paths: number;
  readonly seed: number | string;
  readonly evaluations: number;
  readonly verify: { readonly paths: number; readonly top: number };
  readonly defaults: boolean;
  /** The problem as it was given, for the run's record. */
  readonly input: unknown;
}

/** One problem found in a steering problem. @category Optimisation */
export interface ProblemIssue {
  /** Where, as text: `candidates[0].vary.corridor`. */
  readonly where: string;
  readonly message: string;
  readonly received: unknown;
}

/**
 * Thrown by {@link parseSteeringProblem}: every problem found, each with its path, what was
 * received and what was expected, before any path is run.
 *
 * @category Optimisation
 */
export class SteeringProblemError extends Error {
  readonly code = 'INVALID_PROBLEM' as const;
  readonly problems: readonly ProblemIssue[];
  constructor(problems: readonly ProblemIssue[]) {
    super(
      `Invalid steering problem (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p.where}: ${p.message}; received ${show(p.received)}`)
        .join('\n')}`,
    );
    this.name = 'SteeringProblemError';
    this.problems = problems;
  }
}
sharedErrorClass(SteeringProblemError, 'SteeringProblemError');

function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return typeof value;
  }
}

function zodMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if (issue.errors.length > 0) {
        // The branch that came closest: the one with the fewest issues.
        const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
        if (best.length > 0) return best.map(zodMessage).join('; ');
      }
      return issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** The statistic a measure names, or a message saying what was expected. */
export function parseStatistic(text: string): Statistic | string {
  const t = text.trim();
  if (t === 'mean') return { kind: 'mean' };
  if (t === 'median') return { kind: 'quantile', p: 0.5 };
  const q = /^(p|es)(\d{1,2}(\.\d+)?)$/i.exec(t);
  if (q !== null) {
    const p = Number(q[2]) / 100;
    if (p > 0 && p < 1) return { kind: q[1]!.toLowerCase() === 'p' ? 'quantile' : 'es', p };
  }
  const pr = /^P\s*\(?\s*([<>])\s*(-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)\s*\)?$/i.exec(t);
  if (pr !== null) return { kind: 'probability', above: pr[1] === '>', threshold: Number(pr[2]) };
  return 'expected mean, median, pNN (a percentile such as p95), esNN (expected shortfall such as es95), P>X or P<X';
}

/** The text of a statistic, as written. */
export function statisticText(s: Statistic): string {
  switch (s.kind) {
    case 'mean':
      return 'mean';
    case 'quantile':
      return s.p === 0.5 ? 'median' : `p${Number((s.p * 100).toPrecision(10))}`;
    case 'es':
      return `es${Number((s.p * 100).toPrecision(10))}`;
    case 'probability':
      return `P(${s.above ? '>' : '<'} ${s.threshold})`;
  }
}

/** Sets `value` at a dotted path in a copy of `spec`. */
export function withSetting(spec: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const keys = name.split('.');
  const out: Record<string, unknown> = { ...spec };
  let at = out;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const inner = at[k];
    const copy: Record<string, unknown> =
      inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? { ...(inner as object) } : {};
    at[k] = copy;
    at = copy;
  }
  at[keys[keys.length - 1]!] = value;
  return out;
}

/** The name of the parameter that adds a reserve to the frame from the first simulated year on. */
export const RESERVE = 'reserveKr';

/**
 * A candidate's spec: the family's kind and fixed settings with the parameters' values. The
 * reserve is added to the political adjustments of the first simulated year, so it is kept,
 * uprated, in every later frame.
 */
export function candidateSpec(
  family: Pick<CandidateFamily, 'kind' | 'fixed'>,
  values: Readonly<Record<string, unknown>>,
  firstYear: number,
  id: string | undefined,
): Record<string, unknown> {
  let spec: Record<string, unknown> = { ...family.fixed, kind: family.kind };
  for (const [name, value] of Object.entries(values)) {
    if (name === RESERVE) {
      const adjustments = { ...((spec.adjustmentsKr as Record<string, number> | undefined) ?? {}) };
      adjustments[String(firstYear)] = (adjustments[String(firstYear)] ?? 0) + (value as number);
      spec = { ...spec, adjustmentsKr: adjustments };
    } else spec = withSetting(spec, name, value);
  }
  if (id !== undefined) spec.id = id;
  return spec;
}

const FORBIDDEN_NAMES = new Set(['kind', 'id', '__proto__', 'constructor', 'prototype']);

/**
 * Checks a steering problem against the scenario it will run on and fills in its defaults: the
 * strategy kinds and every parameter (its name, its range or set against the strategy's own
 * bounds), the measures (figure or metric, service, years in the run), the limits, paths and
 * budget. Nothing is run.
 *
 * @param input - the problem as written (the parsed YAML or JSON of a problem file)
 * @param scenario - the checked scenario the problem will run on
 * @returns the checked problem
 * @throws {@link SteeringProblemError} listing every problem with its path
 * @example
 * ```ts
 * const problem = parseSteeringProblem(
 *   {
 *     candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
 *     objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
 *     constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
 *   },
 *   parseScenario(lejre2034()),
 * );
 * problem.families[0].parameters.length; //=> 2
 * ```
 * @category Optimisation
 */
export function parseSteeringProblem(input: unknown, scenario: Scenario): SteeringProblem {
  const parsed = steeringProblemSchema.safeParse(input);
  if (!parsed.success) {
    throw new SteeringProblemError(
      parsed.error.issues.map((issue) => {
        const path =
          issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path] : (issue.path as PropertyKey[]);
        return { where: pathText(path, '(problem)'), message: zodMessage(issue), received: valueAt(input, path) };
      }),
    );
  }
  const p = parsed.data;
  const issues: ProblemIssue[] = [];
  const add = (path: readonly PropertyKey[], message: string, received: unknown) =>
    issues.push({ where: pathText(path, '(problem)'), message, received });
  const years = Array.from({ length: scenario.horizonYears }, (_, i) => scenario.baseYear + 1 + i);
  const firstYear = years[0]!;

  // Candidates: every setting is checked by the scenario's own strategy schema, at both ends of a range.
  const families: CandidateFamily[] = [];
  p.candidates.forEach((c, i) => {
    const at = ['candidates', i];
    const specProblems = (spec: Record<string, unknown>) => {
      const r = safeParseScenario({ ...scenario, strategies: [spec] });
      return r.success ? [] : r.error.problems.filter((x) => x.path[0] === 'strategies');
    };
    const parameters: Parameter[] = [];
    for (const [name, raw] of Object.entries(c.vary)) {
      const where = [...at, 'vary', name];
      if (FORBIDDEN_NAMES.has(name) || name.split('.').some((k) => k === '' || FORBIDDEN_NAMES.has(k))) {
        add(where, 'expected a setting of the strategy, not its kind or id', name);
        continue;
      }
      if (name === RESERVE && c.kind === 'activity') {
        add(where, `${RESERVE} adds to a frame; activity steering has no frame`, name);
        continue;
      }
      if (Array.isArray(raw)) parameters.push({ name, kind: 'set', values: [...new Set(raw)] });
      else {
        const [min, max] = typeof raw === 'string' ? raw.split('..').map((s) => Number(s.trim())) : [raw.min, raw.max];
        if (!(min! < max!)) add(where, 'expected a range whose MIN is below its MAX', raw);
        else parameters.push({ name, kind: 'range', min: min!, max: max! });
      }
    }
    // The fixed settings with every parameter at its first value; then each parameter's values
    // with the others there (a fixed setting may need a varied one, as deficitGuarantee its kr).
    const first = Object.fromEntries(parameters.map((x) => [x.name, x.kind === 'range' ? x.min : x.values[0]]));
    const fixedProblems = specProblems(candidateSpec({ kind: c.kind, fixed: c.fixed }, first, firstYear, undefined));
    const checked: Parameter[] = [];
    for (const parameter of parameters) {
      const where = [...at, 'vary', parameter.name];
      const probes = parameter.kind === 'range' ? [parameter.min, parameter.max] : parameter.values;
      let ok = true;
      const known = new Set(fixedProblems.map((x) => `${x.where}|${x.message}`));
      for (const value of probes) {
        const spec = candidateSpec(
          { kind: c.kind, fixed: c.fixed },
          { ...first, [parameter.name]: value },
          firstYear,
          undefined,
        );
        const found = specProblems(spec).filter((x) => !known.has(`${x.where}|${x.message}`));
        if (found.length > 0) {
          ok = false;
          const x = found[0]!;
          add(
            where,
            `${value === null ? 'null' : String(value)} is not a valid ${parameter.name}: ${x.where.replace(/^strategies\[0\]\.?/, '') || parameter.name} ${x.message}`,
            c.vary[parameter.name],
          );
          break;
        }
      }
      if (ok) checked.push(parameter);
    }
    for (const x of fixedProblems) {
      const unknown = /^unknown fields? "([^"]+)"/.exec(x.message);
      const key = x.path.length === 2 && unknown !== null ? unknown[1]! : x.path.slice(2).join('.');
      const varied = parameters.find((q) => key === q.name || key.startsWith(`${q.name}.`));
      add(varied ? [...at, 'vary', varied.name] : [...at, 'fixed', ...x.path.slice(2)], x.message, x.received);
    }
    families.push({ kind: c.kind, fixed: c.fixed, parameters: checked });
  });

  // Measures.
  const serviceIds = new Set<string>(['total']);
  for (const d of scenarioServices(scenario)) {
    serviceIds.add(d.id);
    const group = d.id.split(':')[0]!;
    serviceIds.add(group);
  }
  const metricIds = new Set<string>();
  for (const d of scenarioServices(scenario)) for (const m of d.metrics ?? []) metricIds.add(`${d.id}.${m.id}`);
  const yearOf = (y: number | 'first' | 'last') =>
    y === 'first' ? firstYear : y === 'last' ? years[years.length - 1]! : y;
  const measure = (m: z.output<typeof measureSchema>, at: readonly PropertyKey[]): MeasureSpec | undefined => {
    let bad = false;
    const statistic = parseStatistic(m.measure);
    if (typeof statistic === 'string') {
      add([...at, 'measure'], statistic, m.measure);
      bad = true;
    }
    if ((m.figure === undefined) === (m.metric === undefined)) {
      add([...at, 'figure'], 'expected exactly one of figure and metric', m.figure ?? m.metric);
      bad = true;
    } else if (m.figure !== undefined && !MEASURABLE_FIGURES.includes(m.figure as Figure)) {
      add([...at, 'figure'], `expected one of ${MEASURABLE_FIGURES.join(', ')}`, m.figure);
      bad = true;
    } else if (m.metric !== undefined && !metricIds.has(m.metric)) {
      add(
        [...at, 'metric'],
        metricIds.size === 0 ? 'the scenario has no service metrics' : `expected one of ${[...metricIds].join(', ')}`,
        m.metric,
      );
      bad = true;
    }
    if (!serviceIds.has(m.service)) {
      add([...at, 'service'], `expected one of ${[...serviceIds].join(', ')}`, m.service);
      bad = true;
    }
    let from: number;
    let to: number;
    if ((m.year === undefined) === (m.years === undefined)) {
      add([...at, 'year'], 'expected exactly one of year and years', m.year ?? m.years);
      return undefined;
    }
    if (m.year !== undefined) from = to = yearOf(m.year);
    else {
      const span = typeof m.years === 'string' ? m.years.split('..').map((s) => Number(s.trim())) : m.years!;
      from = span[0]!;
      to = span[1]!;
      if (!(from! <= to!)) {
        add([...at, 'years'], 'expected FROM at or before TO', m.years);
        return undefined;
      }
    }
    if (!years.includes(from!) || !years.includes(to!)) {
      add(
        [...at, m.year !== undefined ? 'year' : 'years'],
        `expected a simulated year, ${firstYear} to ${years[years.length - 1]}`,
        m.year ?? m.years,
      );
      return undefined;
    }
    if (bad) return undefined;
    const span = from! === to! ? `in ${from!}` : `in ${from!}-${to!}`;
    const what = m.figure ?? m.metric!;
    return {
      statistic: statistic as Statistic,
      ...(m.figure === undefined ? { metric: m.metric! } : { figure: m.figure as Figure }),
      service: m.service,
      from: from!,
      to: to!,
      label: `${statisticText(statistic as Statistic)} of ${what}${m.service === 'total' || m.metric !== undefined ? '' : ` (${m.service})`} ${span}`,
    };
  };
  const direction = 'minimize' in p.objective ? 'minimize' : 'maximize';
  const objectiveInput = 'minimize' in p.objective ? p.objective.minimize : p.objective.maximize;
  const objective = measure(objectiveInput, ['objective', direction]);
  const constraints: ConstraintSpec[] = [];
  p.constraints.forEach((c, i) => {
    const m = measure(c, ['constraints', i]);
    if (c.max === undefined && c.min === undefined)
      add(['constraints', i, 'max'], 'expected max, min or both', undefined);
    else if (c.max !== undefined && c.min !== undefined && !(c.min <= c.max))
      add(['constraints', i, 'min'], `expected min at or below max (${c.max})`, c.min);
    else if (
      m !== undefined &&
      m.statistic.kind === 'probability' &&
      [c.min, c.max].some((v) => v !== undefined && (v < 0 || v > 1))
    )
      add(['constraints', i, c.max !== undefined ? 'max' : 'min'], 'expected a probability in [0, 1]', c.max ?? c.min);
    else if (m !== undefined)
      constraints.push({
        ...m,
        ...(c.max === undefined ? {} : { max: c.max }),
        ...(c.min === undefined ? {} : { min: c.min }),
      });
  });
  let frontier: SteeringProblem['frontier'];
  if (p.frontier !== undefined) {
    const x = measure(p.frontier.x, ['frontier', 'x']);
    const y = measure(p.frontier.y, ['frontier', 'y']);
    if (x !== undefined && y !== undefined)
      frontier = { x: { ...x, direction: p.frontier.x.direction }, y: { ...y, direction: p.frontier.y.direction } };
  } else if (objective !== undefined && constraints[0] !== undefined) {
    const c = constraints[0];
    frontier = {
      x: { ...objective, direction },
      y: { ...stripLimits(c), direction: c.max !== undefined ? 'minimize' : 'maximize' },
    };
  }
  if (issues.length > 0 || objective === undefined) throw new SteeringProblemError(issues);
  return {
    families,
    objective: { ...objective, direction },
    constraints,
    ...(frontier === undefined ? {} : { frontier }),
    paths: p.paths,
    seed: p.seed ?? scenario.seed,
    evaluations: p.evaluations,
    verify: p.verify,
    defaults: p.defaults,
    input,
  };
}

function stripLimits(c: ConstraintSpec): MeasureSpec {
  const { max: _max, min: _min, ...rest } = c;
  return rest;
}
