import { parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import { INPUT_GROUPS, type InputPlan, type ScalarInput } from '../random/inputs';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { checkedStrategies, valueInWords, type StrategyDefinition } from '../steering/strategy';
import { progressOf, runModel, type Progress, type RunInputs } from '../simulation/engine';
import type { Model } from '../simulation/assemble';
import { buildModel } from '../simulation/model';
import { checkRunSize, type RunLimits } from '../simulation/estimate';
import { resultLabel, type ResultLabel, type SimulationResult } from '../simulation/result';
import { FIGURE_NAMES, figureValues, TOTAL, type Figure } from '../results/values';
import { OptionError } from '../errors';
import {
  bootstrapOptions,
  rankCorrelation,
  sobolIndices,
  sobolRows,
  twoLevelVariance,
  type RankCorrelationRow,
  type SensitivityIndexRow,
  type SobolOptions,
  type TornadoRow,
  type TwoLevelRow,
} from './estimators';
import { quantileFor } from '../random/quantiles';
import { quantileSorted } from '../results/statistics';
import { estimatorText } from './text';

/**
 * What every sensitivity analysis takes: the output (a figure of one service or the total, in
 * each year, under each strategy), the strategies, and the bootstrap.
 *
 * @category Sensitivity
 */
export interface SensitivityOptions {
  /** The output (default `treasuryDeviationPct`: the treasury's deviation in % of the adopted budget). */
  readonly figure?: Figure;
  /** A service id, a group of units, or `"total"` (default). */
  readonly service?: string;
  /** Strategies (default: the scenario's, built in). */
  readonly strategies?: readonly StrategyDefinition[];
  /** Years to analyse (default: every simulated year). */
  readonly years?: readonly number[];
  /** Bootstrap resamples for the intervals (default 500). */
  readonly bootstrap?: number;
  /** Confidence level of the intervals (default 0.95). */
  readonly confidence?: number;
  /** Called as the paths are simulated. */
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the run between chunks of paths. */
  readonly signal?: AbortSignal;
  /** Limits of memory and work, checked before the run. */
  readonly limits?: RunLimits;
}

/** What the analyses with bootstrap intervals (Sobol', rank, two-level) say of them. @category Sensitivity */
export interface WithIntervals {
  /** The level of the bootstrap intervals (`confidence` of the options; 0.95 by default). */
  readonly confidence: number;
}

/** An input group as analysed: its id and the model's groups in it. @category Sensitivity */
export interface SensitivityGroup {
  readonly id: string;
  readonly members: readonly string[];
}

/** What every sensitivity result says about itself. @category Sensitivity */
export interface SensitivityMeta {
  readonly scenario: string;
  readonly figure: Figure;
  readonly service: string;
  readonly strategies: readonly ResultLabel[];
  readonly years: readonly number[];
  /** Paths simulated, each under every strategy. */
  readonly paths: number;
  /** How the numbers are estimated, in a sentence or two. */
  readonly estimator: string;
  /** Anything the reader should know: merged groups, inputs left out. */
  readonly notes: readonly string[];
}

/**
 * Options of {@link sobolSensitivity}.
 *
 * @category Sensitivity
 */
export interface SobolSensitivityOptions extends SensitivityOptions {
  /** The base sample N (default 1,000): the run simulates N·(k + 2) paths for k groups. */
  readonly n?: number;
  /**
   * Regrouping: a name for each set of the model's input groups (for example
   * `{ demand: ['demography', 'use-rates'], cost: ['intensity', 'productivity', 'prices'] }`).
   * Groups not named stay on their own. Default: every group the model draws from, on its own.
   */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
}

/** Sobol' indices and attribution shares by year, strategy and input group. @category Sensitivity */
export interface SobolSensitivity extends SensitivityMeta, WithIntervals {
  readonly method: 'sobol';
  readonly groups: readonly SensitivityGroup[];
  /** The base sample N. */
  readonly n: number;
  /** One row per strategy, year and group. */
  readonly rows: readonly SensitivityIndexRow[];
  /** Per strategy and year: the attribution shares' residual (interactions among three or more groups, and error), with its interval. */
  readonly residuals: readonly {
    readonly strategy: string;
    readonly year: number;
    readonly residual: number;
    readonly low: number;
    readonly high: number;
    readonly sd: number;
  }[];
}

/** Options of {@link rankSensitivity}. @category Sensitivity */
export interface RankSensitivityOptions extends SensitivityOptions {
  /** Paths (default: the scenario's). */
  readonly paths?: number;
}

/** Spearman rank correlations of the scalar inputs with the output. @category Sensitivity */
export interface RankSensitivity extends SensitivityMeta, WithIntervals {
  readonly method: 'rank';
  /** The scalar inputs that vary (constant ones are listed in `notes`). */
  readonly inputs: readonly ScalarInput[];
  readonly rows: readonly RankCorrelationRow[];
}

/** Options of {@link tornadoSensitivity}. @category Sensitivity */
export interface TornadoSensitivityOptions extends SensitivityOptions {
  /** Paths of each run (default: the scenario's). */
  readonly paths?: number;
  /** The scalar inputs to swing (default: every one that is uncertain). */
  readonly inputs?: readonly string[];
  /** The low and high probabilities (default 0.1 and 0.9: P10 and P90). */
  readonly low?: number;
  readonly high?: number;
}

/** A tornado: the output's median with each scalar input at its low and high percentile. @category Sensitivity */
export interface TornadoSensitivity extends SensitivityMeta {
  readonly method: 'tornado';
  readonly inputs: readonly ScalarInput[];
  readonly low: number;
  readonly high: number;
  /** One row per strategy, year and input, sorted by swing within each strategy and year. */
  readonly rows: readonly TornadoRow[];
}

/** Options of {@link twoLevelSensitivity}. @category Sensitivity */
export interface TwoLevelSensitivityOptions extends SensitivityOptions {
  /** Outer draws of the structural parameters (default 200). */
  readonly outer?: number;
  /** Paths of year-to-year variability per outer draw (default 20). */
  readonly inner?: number;
}

/** The split of each year's variance into structural parameters and variability. @category Sensitivity */
export interface TwoLevelSensitivity extends SensitivityMeta, WithIntervals {
  readonly method: 'twoLevel';
  readonly outer: number;
  readonly inner: number;
  readonly rows: readonly TwoLevelRow[];
}

interface Prepared {
  readonly scenario: Scenario;
  /** The scenario's model, built once for every run of the analysis. */
  readonly model: Model;
  /** The bootstrap's options as the user gave them, checked before any path is run. */
  readonly bootstrap: Pick<SobolOptions, 'bootstrap' | 'confidence'>;
  readonly confidence: number;
  readonly strategies: readonly StrategyDefinition[];
  readonly figure: Figure;
  readonly service: string;
  readonly years: readonly number[];
}

/**
 * A value as a message quotes it, without calling anything of the value's own (an option may be
 * any object, even one whose `toString` is not a function).
 */
const shown = (x: unknown): string => valueInWords(x, false);

function prepare(scenario: unknown, options: SensitivityOptions): Prepared {
  const parsed = parseScenario(scenario);
  const strategies =
    options.strategies === undefined ? strategiesFromSpecs(parsed.strategies) : checkedStrategies(options.strategies);
  const simulated = Array.from({ length: parsed.horizonYears }, (_, k) => parsed.baseYear + 1 + k);
  const years = options.years ?? simulated;
  if (!Array.isArray(years) || years.length === 0)
    throw new OptionError(
      `years: expected a non-empty array of simulated years (${simulated[0]} to ${simulated[simulated.length - 1]}); received ${JSON.stringify(years)}`,
      { option: 'years', received: years },
    );
  for (const y of years) {
    if (!simulated.includes(y))
      throw new OptionError(
        `years: ${JSON.stringify(y)} is not a simulated year; expected ${simulated[0]} to ${simulated[simulated.length - 1]}`,
        { option: 'years', received: y },
      );
  }
  const figure = options.figure ?? 'treasuryDeviationPct';
  if (!(FIGURE_NAMES as readonly unknown[]).includes(figure))
    throw new OptionError(`figure: expected one of ${FIGURE_NAMES.join(', ')}; received ${JSON.stringify(figure)}`, {
      option: 'figure',
      received: figure,
    });
  const service = options.service ?? TOTAL;
  const model = buildModel(parsed);
  const defs = model.services;
  const ids = [...new Set(defs.flatMap((d) => (d.group === undefined ? [d.id] : [d.group, d.id])))];
  if (service !== TOTAL && !ids.includes(service))
    throw new OptionError(
      `service: "${shown(service)}" is not a service of this scenario; expected ${TOTAL} or one of ${ids.join(', ')}`,
      { option: 'service', received: service },
    );
  if (UNIT_FIGURES.includes(figure)) {
    // Activity is summed over the services chosen: they must count it in the same unit.
    const members = defs.filter((d) => service === TOTAL || d.id === service || d.group === service);
    const units = [...new Set(members.map((d) => d.activityUnit))];
    if (units.length > 1)
      throw new OptionError(
        `figure ${figure} sums activity over ${members.map((d) => `${d.id} (${d.activityUnit})`).join(', ')}, which count it in different units; choose one service (service / --service: ${ids.join(', ')})`,
        { option: 'service', received: service },
      );
  }
  if (options.bootstrap !== undefined) count('bootstrap', options.bootstrap, 20, 1e6);
  const bootstrap = {
    ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
    ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
  };
  const { confidence } = bootstrapOptions(bootstrap, 'options');
  return { scenario: parsed, model, bootstrap, confidence, strategies, figure, service, years };
}

/** The figures that sum activity over services. */
const UNIT_FIGURES: readonly Figure[] = ['neededUnits', 'orderedUnits', 'deliveredUnits', 'serviceGapShare'];

function count(name: string, value: unknown, min: number, max: number): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new OptionError(`${name}: expected an integer from ${min} to ${max}; received ${JSON.stringify(value)}`, {
      option: name,
      received: value,
    });
  }
  return value;
}

/**
 * Steps a bootstrap resample element costs, measured (a step is about 0.1 µs; see
 * STEPS_PER_MINUTE): a rank correlation re-ranks its paths (about 0.15 µs each), the Sobol' and
 * two-level estimators only re-sum them.
 */
const RESAMPLE_STEP = { rank: 1.5, sobol: 0.01, twoLevel: 0.1 } as const;

/**
 * Refuses, before any path, an analysis whose paths and bootstrap together exceed the limits:
 * the bootstrap's work is its resamples × the rows it gives intervals for × the values each
 * resample draws. With `scope` `merge` (the parts of an analysis made in shards, whose paths are
 * run), only the per-path results' memory and the bootstrap's work are checked.
 */
function checkWork(
  p: Prepared,
  paths: number,
  options: SensitivityOptions,
  method: keyof typeof RESAMPLE_STEP,
  rowsPerYear: number,
  valuesPerResample: number,
  scope: CheckScope = 'whole',
): void {
  const { resamples } = bootstrapOptions(p.bootstrap, 'options');
  const extraSteps =
    resamples * p.strategies.length * p.years.length * rowsPerYear * valuesPerResample * RESAMPLE_STEP[method];
  checkRunSize(p.scenario, {
    paths,
    strategies: p.strategies.length,
    perPathResults: true,
    limits: options.limits,
    services: p.model.services,
    extraSteps,
    // A merge's paths were simulated by its parts: only their results and the bootstrap are here.
    simulated: scope !== 'merge',
  });
}

/** What {@link SensitivityPlan.check} checks: a whole analysis, or the merge of its parts. @internal */
export type CheckScope = 'whole' | 'merge';

/**
 * One run of a sensitivity analysis: paths 0 to `paths` − 1, with their inputs planned or
 * controlled. Plain data, so it travels to worker threads.
 *
 * @internal
 */
export interface SensitivityRun {
  readonly paths: number;
  /**
   * The first path (default 0): a part of a run of the analysis, as a shard runs it (its
   * `inputs.designPaths` then says the whole run's paths).
   */
  readonly pathStart?: number;
  readonly inputs?: RunInputs;
  /** Record every scalar input's value on every path (the rank correlations need them). */
  readonly observe?: boolean;
  /** With `observe`: the number of scalar inputs the model declares, whose values it records. */
  readonly observedInputs?: number;
}

/** What a run gives its analysis. @internal */
export interface SensitivityRunOutput {
  /** The per-path result of the run's paths. */
  readonly result: SimulationResult;
  /** When the run observes: per declared scalar input (in the order declared), its value on each path. */
  readonly observed?: readonly Float64Array[];
}

/**
 * An analysis prepared: its options checked before any path, the runs it needs, and the maths
 * that turns their outputs into its result. The analyses of this module run the runs with
 * {@link SensitivityPlan.runHere}, on the calling thread; `carebudget/node` runs them on a pool
 * of worker threads and gives the same outputs, so the same result.
 *
 * @internal
 */
export interface SensitivityPlan<R> {
  /** The scenario, parsed. */
  readonly scenario: Scenario;
  /** The ids of the strategies the analysis runs, in order. */
  readonly strategies: readonly string[];
  readonly runs: readonly SensitivityRun[];
  /**
   * Refuses, before any path, runs whose paths (and the analysis's bootstrap) exceed the
   * options' limits ({@link checkRunSize}'s `RUN_TOO_LARGE`); with `merge`, before the parts
   * of the analysis made in shards are merged, the per-path results' memory and the bootstrap.
   */
  check(scope?: CheckScope): void;
  /** Runs one of the runs on the calling thread, with the options' limits, progress and signal. */
  runHere(run: SensitivityRun): SensitivityRunOutput;
  /**
   * The options' `onProgress` for one of the runs, told the paths of the whole analysis: a run's
   * paths done count after those of the runs before it, so the progress of an analysis of many
   * runs (a tornado's 2k + 1) rises once from 0 to all its paths.
   */
  progressOf(run: SensitivityRun): ((progress: Progress) => void) | undefined;
  /** The result from the runs' outputs, in the order of `runs`. */
  analyse(outputs: readonly SensitivityRunOutput[]): R;
  /**
   * A plan of other runs of the same analysis (a shard's parts of its runs) with the same
   * options, limits checked on those runs' paths, and `analyse` as given.
   */
  withRuns<T>(
    runs: readonly SensitivityRun[],
    analyse: (outputs: readonly SensitivityRunOutput[]) => T,
  ): SensitivityPlan<T>;
}

/** Runs a plan's runs on the calling thread, one after the other, and analyses them. @internal */
export function runPlan<R>(plan: SensitivityPlan<R>): R {
  plan.check();
  return plan.analyse(plan.runs.map((r) => plan.runHere(r)));
}

function runHere(
  p: Prepared,
  options: SensitivityOptions,
  r: SensitivityRun,
  onProgress: ((progress: Progress) => void) | undefined,
): SensitivityRunOutput {
  let observed: readonly Float64Array[] | undefined;
  // runModel refuses a run beyond the limits before any work.
  const result = runModel(p.model, p.strategies, {
    paths: r.paths,
    ...(r.pathStart === undefined ? {} : { pathStart: r.pathStart }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(r.inputs === undefined ? {} : { inputs: r.inputs }),
    ...(r.observe === true ? { observeInputs: (s: { values: readonly Float64Array[] }) => (observed = s.values) } : {}),
    ...(onProgress === undefined ? {} : { onProgress }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return observed === undefined ? { result } : { result, observed };
}

/**
 * A plan of the prepared analysis: its runs, its check of their size (by default the paths of
 * the runs with no bootstrap), and its analysis.
 */
function planOf<R>(
  p: Prepared,
  options: SensitivityOptions,
  runs: readonly SensitivityRun[],
  analyse: (outputs: readonly SensitivityRunOutput[]) => R,
  check?: (scope?: CheckScope) => void,
): SensitivityPlan<R> {
  const report = options.onProgress;
  const started = Date.now();
  const total = runs.reduce((sum, r) => sum + r.paths, 0);
  const progressOfRun = (r: SensitivityRun): ((progress: Progress) => void) | undefined => {
    if (report === undefined) return undefined;
    const i = runs.indexOf(r);
    const before = runs.slice(0, i < 0 ? 0 : i).reduce((sum, x) => sum + x.paths, 0);
    return (q) => report(progressOf(before + q.pathsDone, total, started));
  };
  return {
    scenario: p.scenario,
    strategies: p.strategies.map((x) => x.id),
    runs,
    check: check ?? ((scope) => checkWork(p, total, options, 'sobol', 0, 0, scope)),
    runHere: (r) => runHere(p, options, r, progressOfRun(r)),
    progressOf: progressOfRun,
    analyse,
    withRuns: (other, analyseOther) => planOf(p, options, other, analyseOther),
  };
}

/** The model's input groups and scalar inputs, found by simulating one path. */
function discover(p: Prepared): { groups: string[]; scalars: readonly ScalarInput[] } {
  let seen: { groups: readonly string[]; scalars: readonly ScalarInput[] } = { groups: [], scalars: [] };
  runModel(p.model, p.strategies, { paths: 1, observeInputs: (s) => (seen = s) });
  const known = INPUT_GROUPS.filter((g) => seen.groups.includes(g));
  const custom = seen.groups.filter((g) => !(INPUT_GROUPS as readonly string[]).includes(g)).sort();
  return { groups: [...known, ...custom], scalars: seen.scalars };
}

/**
 * Lists the input groups a scenario's model draws from, in the order of {@link INPUT_GROUPS}
 * (custom groups last), and its declared scalar inputs. Simulates one path.
 *
 * @param scenario - a scenario
 * @param options - strategies (default: the scenario's)
 * @returns the groups and the scalar inputs
 * @throws {@link ScenarioError} when the scenario is invalid
 * @example
 * ```ts
 * inputGroupsOf(lejre2034()).groups; //=> ['demography', 'use-rates', 'intensity', 'productivity', 'prices', 'care-home-flows']
 * ```
 * @category Sensitivity
 */
export function inputGroupsOf(
  scenario: unknown,
  options: { readonly strategies?: readonly StrategyDefinition[] } = {},
): { readonly groups: readonly string[]; readonly scalars: readonly ScalarInput[] } {
  return discover(prepare(scenario, options));
}

function meta(p: Prepared, result: SimulationResult, estimator: string, notes: readonly string[]): SensitivityMeta {
  return {
    scenario: p.scenario.name,
    figure: p.figure,
    service: p.service,
    strategies: result.strategies.map(resultLabel),
    years: p.years,
    paths: result.pathCount,
    estimator,
    notes,
  };
}

function sdOf(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (const x of a) sum += x;
  for (const x of b) sum += x;
  const mean = sum / (a.length + b.length);
  let ss = 0;
  for (const x of a) ss += (x - mean) ** 2;
  for (const x of b) ss += (x - mean) ** 2;
  return Math.sqrt(ss / Math.max(1, a.length + b.length - 1));
}

/**
 * Variance-based sensitivity of the output to each input group, year by year and strategy by
 * strategy: first-order and total Sobol' indices by pick-freeze on the keyed streams, and the
 * share of the variance each group explains.
 *
 * Each group is one input, however many numbers it draws: freezing `prices` freezes the index's
 * whole path of yearly outcomes. The run simulates N paths of sample A (every group from its own
 * stream path j), N of sample B (from path N + j) and, for each group i, N paths of A with group
 * i's streams taken from B: N·(k + 2) paths under every strategy. First-order indices use
 * Saltelli's (2010) estimator, total indices Jansen's (1999); intervals come from a percentile
 * bootstrap over the N base draws. The attribution share of a group is (S_i + ST_i)/2: with
 * independent groups (as the keyed streams make them) it is the group's Shapley effect when
 * interactions are at most pairwise, and the shares then sum to one; the rest is reported as
 * the residual.
 *
 * @param scenario - a scenario
 * @param options - output, strategies, years, N, regrouping, bootstrap
 * @returns the indices and shares as rows, with the estimator and the number of runs
 * @throws {@link ScenarioError} when the scenario is invalid
 * @throws {@link OptionError} on a bad option (N, a group name, a year)
 * @throws {@link SimulationError} when the run fails or is too large
 * @example
 * ```ts
 * const s = sobolSensitivity({ ...lejre2034(), horizonYears: 3 }, { n: 200, strategies: [frame()], years: [2026] });
 * s.groups.map((g) => g.id); //=> ['demography', 'use-rates', 'intensity', 'productivity', 'prices', 'care-home-flows']
 * s.paths; //=> 1600
 * ```
 * @category Sensitivity
 */
export function sobolSensitivity(scenario: unknown, options: SobolSensitivityOptions = {}): SobolSensitivity {
  return runPlan(planSobol(scenario, options));
}

/** {@link sobolSensitivity} prepared: its options checked, its one run planned. @internal */
export function planSobol(scenario: unknown, options: SobolSensitivityOptions): SensitivityPlan<SobolSensitivity> {
  const p = prepare(scenario, options);
  const n = count('n', options.n ?? 1000, 2, 1e7);
  const found = discover(p);
  const { groups, merged, mergedIds } = mergeCorrelated(
    regroup(found.groups, options.groups),
    p.scenario,
    found.scalars,
  );
  const k = groups.length;
  const plan: InputPlan = { kind: 'pickFreeze', n, blocks: groups.map((g) => g.members) };
  return planOf(
    p,
    options,
    [{ paths: n * (k + 2), inputs: { plan } }],
    (outputs) => analyseSobol(p, n, groups, merged, mergedIds, outputs[0]!.result),
    (scope) => checkWork(p, n * (k + 2), options, 'sobol', k, n * (k + 2), scope),
  );
}

function analyseSobol(
  p: Prepared,
  n: number,
  groups: readonly SensitivityGroup[],
  merged: readonly string[],
  mergedIds: ReadonlySet<string>,
  result: SimulationResult,
): SobolSensitivity {
  const rows: SensitivityIndexRow[] = [];
  const residuals: SobolSensitivity['residuals'][number][] = [];
  const constant: string[] = [];
  const boot = { ...p.bootstrap, seed: `${String(p.scenario.seed)}:sobol` };
  for (const strategy of result.strategies) {
    for (const year of p.years) {
      const all = figureValues(result, { strategy: strategy.id, service: p.service, year, figure: p.figure });
      const fA = all.subarray(0, n);
      const fB = all.subarray(n, 2 * n);
      const fAB = groups.map((_, i) => all.subarray((2 + i) * n, (3 + i) * n));
      const e = sobolIndices(fA, fB, fAB, boot);
      if (e.degenerate) constant.push(`${strategy.id} ${year}`);
      rows.push(
        ...sobolRows(
          strategy.id,
          year,
          groups.map((g) => g.id),
          e,
        ),
      );
      residuals.push({
        strategy: strategy.id,
        year,
        residual: e.residual.estimate,
        low: e.residual.low,
        high: e.residual.high,
        sd: sdOf(fA, fB),
      });
    }
  }
  const notes = [
    ...groups
      .filter((g) => g.members.length > 1 && !mergedIds.has(g.id))
      .map((g) => `"${g.id}" is one input made of ${g.members.join(', ')}`),
    ...merged,
  ];
  if (constant.length > 0)
    notes.push(
      `${p.figure} does not vary (the same on every path), so its indices and shares are 0, in: ${constant.join(', ')}`,
    );
  const estimator = estimatorText({ method: 'sobol', n, groups, confidence: p.confidence }, 'en');
  return {
    method: 'sobol',
    ...meta(p, result, estimator, notes),
    groups,
    n,
    confidence: p.confidence,
    rows,
    residuals,
  };
}

/**
 * Groups whose scalar inputs the scenario correlates are analysed as one: the indices assume
 * independent inputs, and the copula's shared variance cannot be split between them by
 * pick-freeze. Returns the groups and a note for each merge.
 */
function mergeCorrelated(
  groups: SensitivityGroup[],
  scenario: Scenario,
  scalars: readonly ScalarInput[],
): { groups: SensitivityGroup[]; merged: string[]; mergedIds: Set<string> } {
  const merged: string[] = [];
  const mergedIds = new Set<string>();
  let out = groups;
  for (const c of scenario.sampling.correlations) {
    const linked = new Set(
      c.inputs.map((name) => scalars.find((x) => x.name === name)?.group).filter((g): g is string => g !== undefined),
    );
    const parts = out.filter((g) => g.members.some((m) => linked.has(m)));
    if (parts.length < 2) continue;
    const id = parts.map((g) => g.id).join(' + ');
    const members = parts.flatMap((g) => g.members);
    merged.push(
      `${parts.map((g) => `"${g.id}"`).join(' and ')} are analysed as one group ("${id}"), because the scenario correlates ${c.inputs.join(', ')}`,
    );
    mergedIds.add(id);
    const at = out.indexOf(parts[0]!);
    out = out.filter((g) => !parts.includes(g));
    out.splice(at, 0, { id, members });
  }
  return { groups: out, merged, mergedIds };
}

function regroup(
  found: readonly string[],
  given: Readonly<Record<string, readonly string[]>> | undefined,
): SensitivityGroup[] {
  if (given === undefined) return found.map((g) => ({ id: g, members: [g] }));
  const proto: unknown = given === null || typeof given !== 'object' ? undefined : Object.getPrototypeOf(given);
  if (
    given === null ||
    typeof given !== 'object' ||
    Array.isArray(given) ||
    (proto !== Object.prototype && proto !== null)
  )
    throw new OptionError(
      `groups: expected a plain object of group name → list of input groups; received ${proto !== undefined && proto !== Object.prototype && proto !== null ? 'an object with a prototype of its own (a key "__proto__" in an object literal sets the prototype: build the object with Object.create(null) or JSON.parse)' : JSON.stringify(given)}`,
      { option: 'groups', received: given },
    );
  const taken = new Map<string, string>();
  const out: SensitivityGroup[] = [];
  for (const [id, members] of Object.entries(given)) {
    if (!Array.isArray(members) || members.length === 0)
      throw new OptionError(
        `groups.${id}: expected a non-empty list of input groups (${found.join(', ')}); received ${JSON.stringify(members)}`,
        { option: `groups.${id}`, received: members },
      );
    for (const m of members) {
      if (!found.includes(m))
        throw new OptionError(
          `groups.${id}: "${shown(m)}" is not an input group of this model; expected one of ${found.join(', ')}`,
          { option: `groups.${id}`, received: m },
        );
      const other = taken.get(m);
      if (other !== undefined)
        throw new OptionError(`groups.${id}: "${m}" is already in group "${other}"; a group belongs to one set`, {
          option: `groups.${id}`,
          received: m,
        });
      taken.set(m, id);
    }
    out.push({ id, members: [...members] });
  }
  for (const g of found) if (!taken.has(g)) out.push({ id: g, members: [g] });
  return out;
}

/**
 * Spearman rank correlations of each scalar input (a parameter drawn once per path, such as the
 * hours per recipient or an intervention's effect) with the output, by year and strategy, from
 * one plain run; intervals by a percentile bootstrap over the paths.
 *
 * @param scenario - a scenario
 * @param options - output, strategies, years, paths, bootstrap
 * @returns one row per strategy, year and input that varies
 * @throws {@link ScenarioError} when the scenario is invalid
 * @throws {@link OptionError} on a bad option
 * @example
 * ```ts
 * const r = rankSensitivity({ ...lejre2034(), horizonYears: 2 }, { paths: 200, strategies: [frame()], years: [2025] });
 * r.inputs.map((i) => i.name); //=> ['home-care.undeliveredShare', 'home-care.userTimeShare', 'home-care.useRateTrendPerYear', 'home-care.hoursTrendPerYear']
 * ```
 * @category Sensitivity
 */
export function rankSensitivity(scenario: unknown, options: RankSensitivityOptions = {}): RankSensitivity {
  return runPlan(planRank(scenario, options));
}

/** {@link rankSensitivity} prepared: its options checked, its one run planned. @internal */
export function planRank(scenario: unknown, options: RankSensitivityOptions): SensitivityPlan<RankSensitivity> {
  const p = prepare(scenario, options);
  const paths = count('paths', options.paths ?? p.scenario.paths, 3, 1e8);
  // The scalar inputs are known from one path (every run declares them alike, in the same
  // order); each gets an interval per strategy and year.
  const { scalars } = discover(p);
  return planOf(
    p,
    options,
    [{ paths, observe: true, observedInputs: scalars.length }],
    (outputs) => analyseRank(p, paths, { scalars, values: outputs[0]!.observed ?? [] }, outputs[0]!.result),
    (scope) => checkWork(p, paths, options, 'rank', scalars.length, paths, scope),
  );
}

function analyseRank(
  p: Prepared,
  paths: number,
  seen: { readonly scalars: readonly ScalarInput[]; readonly values: readonly Float64Array[] },
  result: SimulationResult,
): RankSensitivity {
  const varying: number[] = [];
  const constant: string[] = [];
  seen.scalars.forEach((input, k) => {
    const v = seen.values[k]!;
    let differs = false;
    for (let i = 1; i < v.length && !differs; i++) differs = v[i] !== v[0];
    if (differs) varying.push(k);
    else constant.push(input.name);
  });
  const rows: RankCorrelationRow[] = [];
  const boot = { ...p.bootstrap, seed: `${String(p.scenario.seed)}:rank` };
  for (const strategy of result.strategies) {
    for (const year of p.years) {
      const y = figureValues(result, { strategy: strategy.id, service: p.service, year, figure: p.figure });
      for (const k of varying) {
        const input = seen.scalars[k]!;
        const e = rankCorrelation(seen.values[k]!, y, boot);
        rows.push({
          strategy: strategy.id,
          year,
          input: input.name,
          group: input.group,
          rho: e.estimate,
          low: e.low,
          high: e.high,
        });
      }
    }
  }
  const notes = constant.length === 0 ? [] : [`Known exactly, so left out: ${constant.join(', ')}`];
  const estimator = estimatorText({ method: 'rank', paths, confidence: p.confidence }, 'en');
  return {
    method: 'rank',
    ...meta(p, result, estimator, notes),
    inputs: varying.map((k) => seen.scalars[k]!),
    confidence: p.confidence,
    rows,
  };
}

/**
 * Two-level Monte Carlo: the structural parameters (trends, use-rate factors, hours per
 * recipient, productivity, interventions' effects, the population's growth error, the
 * specialised area's cost growth) are drawn once per outer draw, the year-to-year variability
 * (yearly shocks, care-home flows, cases) within; each year's variance is split into the part
 * between outer draws and the part within, by a one-way random-effects analysis of variance
 * (between = variance of the outer means − within/inner), with bootstrap intervals over the
 * outer draws.
 *
 * @param scenario - a scenario
 * @param options - output, strategies, years, outer and inner draws, bootstrap
 * @returns one row per strategy and year
 * @throws {@link ScenarioError} when the scenario is invalid
 * @throws {@link OptionError} on a bad option
 * @example
 * ```ts
 * const t = twoLevelSensitivity({ ...lejre2034(), horizonYears: 2 }, { outer: 20, inner: 5, strategies: [frame()] });
 * [t.paths, t.rows.length]; //=> [100, 2]
 * ```
 * @category Sensitivity
 */
export function twoLevelSensitivity(scenario: unknown, options: TwoLevelSensitivityOptions = {}): TwoLevelSensitivity {
  return runPlan(planTwoLevel(scenario, options));
}

/** {@link twoLevelSensitivity} prepared: its options checked, its one run planned. @internal */
export function planTwoLevel(
  scenario: unknown,
  options: TwoLevelSensitivityOptions,
): SensitivityPlan<TwoLevelSensitivity> {
  const p = prepare(scenario, options);
  const outer = count('outer', options.outer ?? 200, 2, 1e7);
  const inner = count('inner', options.inner ?? 20, 2, 1e6);
  return planOf(
    p,
    options,
    [{ paths: outer * inner, inputs: { plan: { kind: 'twoLevel', inner } } }],
    (outputs) => analyseTwoLevel(p, outer, inner, outputs[0]!.result),
    (scope) => checkWork(p, outer * inner, options, 'twoLevel', 2, outer, scope),
  );
}

function analyseTwoLevel(p: Prepared, outer: number, inner: number, result: SimulationResult): TwoLevelSensitivity {
  const rows: TwoLevelRow[] = [];
  const boot = { ...p.bootstrap, seed: `${String(p.scenario.seed)}:twoLevel` };
  for (const strategy of result.strategies) {
    for (const year of p.years) {
      const v = figureValues(result, { strategy: strategy.id, service: p.service, year, figure: p.figure });
      const e = twoLevelVariance(v, outer, inner, boot);
      rows.push({
        strategy: strategy.id,
        year,
        structural: e.structural.estimate,
        structuralLow: e.structural.low,
        structuralHigh: e.structural.high,
        within: e.within.estimate,
        withinLow: e.within.low,
        withinHigh: e.within.high,
        sd: Math.sqrt(e.variance),
      });
    }
  }
  const estimator = estimatorText({ method: 'twoLevel', outer, inner, confidence: p.confidence }, 'en');
  return { method: 'twoLevel', ...meta(p, result, estimator, []), outer, inner, confidence: p.confidence, rows };
}

function probability(name: string, value: unknown, fallback: number): number {
  const p = value ?? fallback;
  if (!(typeof p === 'number' && p > 0 && p < 1))
    throw new OptionError(
      `${name}: expected a probability strictly between 0 and 1; received ${JSON.stringify(value)}`,
      { option: name, received: value },
    );
  return p;
}

function median(values: Float64Array): number {
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}

/**
 * A tornado of the scalar inputs: the output's median over the paths with one input at its P10
 * (`low`) and then at its P90 (`high`), every other scalar input at its median, and the random
 * processes (demography, prices, care-home flows, ...) drawn as usual on the same paths in every
 * run; `base` is the median with every scalar input at its median. 2k + 1 runs for k inputs.
 *
 * @param scenario - a scenario
 * @param options - output, strategies, years, paths, inputs, percentiles
 * @returns one row per strategy, year and input, largest swing first
 * @throws {@link ScenarioError} when the scenario is invalid
 * @throws {@link OptionError} on a bad option, or an input that is not a scalar input of the model or is known exactly
 * @example
 * ```ts
 * const t = tornadoSensitivity({ ...lejre2034(), horizonYears: 2 }, { paths: 50, strategies: [frame()], years: [2025] });
 * t.rows[0].input; //=> 'home-care.userTimeShare'
 * ```
 * @category Sensitivity
 */
export function tornadoSensitivity(scenario: unknown, options: TornadoSensitivityOptions = {}): TornadoSensitivity {
  return runPlan(planTornado(scenario, options));
}

/**
 * {@link tornadoSensitivity} prepared: its options checked, its 2k + 1 runs planned (every
 * input at its median, then each input at its low and at its high percentile). @internal
 */
export function planTornado(
  scenario: unknown,
  options: TornadoSensitivityOptions,
): SensitivityPlan<TornadoSensitivity> {
  const p = prepare(scenario, options);
  const paths = count('paths', options.paths ?? p.scenario.paths, 3, 1e8);
  const low = probability('low', options.low, 0.1);
  const high = probability('high', options.high, 0.9);
  if (!(low < high))
    throw new OptionError(`low: expected low < high; received ${low} and ${high}`, { option: 'low', received: low });
  const found = discover(p);
  const uncertain = found.scalars.filter((x) => typeof x.distribution !== 'number');
  let inputs = uncertain;
  if (options.inputs !== undefined) {
    if (!Array.isArray(options.inputs))
      throw new OptionError(`inputs: expected a list of input names; received ${shown(options.inputs)}`, {
        option: 'inputs',
        received: options.inputs,
      });
    inputs = options.inputs.map((name, i) => {
      const x = found.scalars.find((d) => d.name === name);
      if (x === undefined)
        throw new OptionError(
          `inputs[${i}]: "${shown(name)}" is not a scalar input of this model; expected one of ${found.scalars.map((d) => d.name).join(', ')}`,
          { option: `inputs[${i}]`, received: name },
        );
      // Its percentiles are all one number: the swing would be zero, which reads as "no effect".
      if (typeof x.distribution === 'number') {
        throw new OptionError(
          `inputs[${i}]: "${x.name}" is known exactly (${x.distribution}), so it has no low and high percentile to swing between; give it a distribution in the scenario, or choose among ${uncertain.map((d) => d.name).join(', ') || 'no input: none is uncertain'}`,
          { option: `inputs[${i}]`, received: name },
        );
      }
      return x;
    });
  }
  const runOf = (fixed: Record<string, number>): SensitivityRun => ({
    paths,
    inputs: { control: { fixed, othersAtMedian: true } },
  });
  const runs = [runOf({}), ...inputs.flatMap((x) => [runOf({ [x.name]: low }), runOf({ [x.name]: high })])];
  return planOf(p, options, runs, (outputs) => analyseTornado(p, paths, inputs, found.scalars, low, high, outputs));
}

function analyseTornado(
  p: Prepared,
  paths: number,
  inputs: readonly ScalarInput[],
  scalars: readonly ScalarInput[],
  low: number,
  high: number,
  outputs: readonly SensitivityRunOutput[],
): TornadoSensitivity {
  const medians = (r: SimulationResult): Map<string, number> => {
    const out = new Map<string, number>();
    for (const strategy of r.strategies)
      for (const year of p.years)
        out.set(
          `${strategy.id} ${year}`,
          median(figureValues(r, { strategy: strategy.id, service: p.service, year, figure: p.figure })),
        );
    return out;
  };
  const base = medians(outputs[0]!.result);
  const swings = inputs.map((x, i) => ({
    x,
    lo: medians(outputs[1 + 2 * i]!.result),
    hi: medians(outputs[2 + 2 * i]!.result),
    q: quantileFor(x.distribution),
  }));
  const strategies = p.strategies.map((s) => s.id);
  const rows: TornadoRow[] = [];
  for (const strategy of strategies) {
    for (const year of p.years) {
      const k = `${strategy} ${year}`;
      const block = swings.map(({ x, lo, hi, q }) => ({
        strategy,
        year,
        input: x.name,
        group: x.group,
        base: base.get(k)!,
        low: lo.get(k)!,
        high: hi.get(k)!,
        inputLow: q(low),
        inputHigh: q(high),
      }));
      block.sort((a, b) => Math.abs(b.high - b.low) - Math.abs(a.high - a.low));
      rows.push(...block);
    }
  }
  const left = scalars.filter((x) => typeof x.distribution === 'number').map((x) => x.name);
  const notes = left.length === 0 ? [] : [`Known exactly, so left out: ${left.join(', ')}`];
  const estimator = estimatorText(
    { method: 'tornado', paths: paths * (2 * inputs.length + 1), inputs, low, high },
    'en',
  );
  const strategyMeta = p.strategies.map(resultLabel);
  return {
    method: 'tornado',
    scenario: p.scenario.name,
    figure: p.figure,
    service: p.service,
    strategies: strategyMeta,
    years: p.years,
    paths: paths * (2 * inputs.length + 1),
    estimator,
    notes,
    inputs,
    low,
    high,
    rows,
  };
}
