import { parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import type { Seed } from '../random/stream';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { scenarioServices } from '../simulation/assemble';
import { progressOf, runModel, type Progress } from '../simulation/engine';
import type { RunLimits } from '../simulation/estimate';
import { buildModel } from '../simulation/model';
import { RECORDED_FIGURES, type ResultLabel, type SimulationResult } from '../simulation/result';
import { meanSd, quantileSorted } from './statistics';
import { figureValues, TOTAL, type Figure } from './values';
import { OptionError } from '../errors';

/** Every figure {@link compareScenarios} can compare. @internal */
export const COMPARABLE_FIGURES: readonly Figure[] = [
  'treasuryDeviationKr',
  'providerDeviationKr',
  'treasuryDeviationPct',
  'providerDeviationPct',
  'serviceGapShare',
  ...RECORDED_FIGURES,
];

/** The figures compared when none are named. @internal */
export const DEFAULT_COMPARISON_FIGURES: readonly Figure[] = [
  'treasuryDeviationKr',
  'actualCostKr',
  'providerDeviationKr',
];

/** Options of {@link compareScenarios}. @category Results */
export interface CompareScenariosOptions {
  /** Strategy ids to compare (default: every strategy both scenarios name, in the base's order). */
  readonly strategies?: readonly string[];
  /** Figures to compare (default `treasuryDeviationKr`, `actualCostKr`, `providerDeviationKr`). */
  readonly figures?: readonly Figure[];
  /** A service id, a group of units (`home-care`), or `"total"` (default). */
  readonly service?: string;
  /** The seed of both runs (default: the scenarios' seed, which must then be the same). */
  readonly seed?: Seed;
  /** The paths of both runs (default: the scenarios' `paths`, which must then be the same). */
  readonly paths?: number;
  /** Called after every chunk of paths of either run, counting both runs' paths. */
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the runs between chunks. */
  readonly signal?: AbortSignal;
  /** Limits of memory and work, checked before each run (see {@link estimateRun}). */
  readonly limits?: RunLimits;
}

/** A scenario of a comparison, as its rows name it. @category Results */
export interface ComparedScenario {
  readonly name: string;
  readonly description?: string;
}

/**
 * One strategy, year and figure of {@link compareScenarios}: the paired difference variant − base
 * over the paths, and what pairing gained against two independent runs. Money in kr, shares as
 * fractions, as the figure is.
 *
 * @category Results
 */
export interface ScenarioDifferenceRow {
  readonly strategy: string;
  readonly year: number;
  readonly figure: Figure;
  readonly service: string;
  /** Paths. */
  readonly n: number;
  /** Mean of the figure in the base scenario. */
  readonly baseMean: number;
  /** Mean of the figure in the variant. */
  readonly variantMean: number;
  /** Mean of the paired difference variant − base (= variantMean − baseMean, up to rounding). */
  readonly mean: number;
  /** Sample standard deviation of the paired differences (n − 1). */
  readonly sd: number;
  /** Monte Carlo standard error of `mean`: sd / √n. */
  readonly mcse: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  /** Share of the paths where the variant's figure is greater than the base's. */
  readonly pVariantGreater: number;
  /** Share of the paths where it is smaller (ties, such as years before a change acts, count in neither). */
  readonly pVariantLower: number;
  /** The sd two independent runs would give the difference: √(sd_base² + sd_variant²). */
  readonly independentSd: number;
  /** The share of that variance pairing removed: 1 − sd² / independentSd² (0 when both are 0). */
  readonly varianceReduction: number;
}

/**
 * The result of {@link compareScenarios}: the two scenarios, the common seed, paths and years,
 * and a row per strategy, year and figure. Plain data: `JSON.stringify` keeps all of it.
 *
 * @category Results
 */
export interface ScenarioComparison {
  readonly format: 'carebudget-comparison';
  readonly base: ComparedScenario;
  readonly variant: ComparedScenario;
  /** The seed both runs used. */
  readonly seed: Seed;
  /** The paths of each run. */
  readonly paths: number;
  readonly baseYear: number;
  /** Simulated calendar years. */
  readonly years: readonly number[];
  readonly step: Scenario['step'];
  /** The service compared, or `"total"`. */
  readonly service: string;
  /** The services of the base run (for their names in charts and reports). */
  readonly services: readonly (ResultLabel & { readonly activityUnit: string; readonly group?: string })[];
  readonly figures: readonly Figure[];
  readonly strategies: readonly ResultLabel[];
  /** The top-level sections of the scenario (`careHomes`, `interventions` ...) where the two differ, `name` and `description` left out. */
  readonly differences: readonly string[];
  readonly rows: readonly ScenarioDifferenceRow[];
}

/** Sections that name a scenario, not what it simulates. */
const NAMING = new Set(['name', 'description']);

/** A value's canonical JSON (keys sorted), to tell whether two parsed sections differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function mismatch(
  option: 'baseYear' | 'horizonYears' | 'step' | 'seed' | 'paths',
  what: string,
  base: unknown,
  variant: unknown,
  hint: string,
  show: (x: unknown) => string = String,
): OptionError {
  return new OptionError(
    `compareScenarios: the scenarios cannot be paired: ${what} ${show(base)} in the base and ${show(variant)} in the variant; ${hint}`,
    { option, received: { base, variant } },
  );
}

/** Checks that the two runs can share their random numbers; the first mismatch found, named with both values. */
function checkPairing(base: Scenario, variant: Scenario): void {
  if (base.baseYear !== variant.baseYear)
    throw mismatch(
      'baseYear',
      'the base year is',
      base.baseYear,
      variant.baseYear,
      'both must simulate the same years',
    );
  if (base.horizonYears !== variant.horizonYears)
    throw mismatch(
      'horizonYears',
      'the horizon is',
      base.horizonYears,
      variant.horizonYears,
      'both must simulate the same years',
      (x) => `${String(x)} years`,
    );
  if (base.step !== variant.step)
    throw mismatch('step', 'the step is', base.step, variant.step, 'both must step alike (month, quarter or year)');
  if (base.seed !== variant.seed)
    throw mismatch(
      'seed',
      'the seed is',
      base.seed,
      variant.seed,
      'paired runs need one seed; set the same seed in both, or pass seed to run both with it',
      (x) => JSON.stringify(x),
    );
  if (base.paths !== variant.paths)
    throw mismatch(
      'paths',
      'the number of paths is',
      base.paths,
      variant.paths,
      'paired runs need the same paths; set the same number in both, or pass paths to run both with it',
    );
}

function chooseStrategies(base: Scenario, variant: Scenario, asked: readonly string[] | undefined): string[] {
  const baseIds = strategiesFromSpecs(base.strategies).map((s) => s.id);
  const variantIds = strategiesFromSpecs(variant.strategies).map((s) => s.id);
  const list = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(', ');
  if (asked === undefined) {
    const both = baseIds.filter((id) => variantIds.includes(id));
    if (both.length === 0)
      throw new OptionError(
        `compareScenarios: the scenarios name no strategy in common: the base has ${list(baseIds)}, the variant ${list(variantIds)}; give both one of the same id`,
        { option: 'strategies', received: { base: baseIds, variant: variantIds } },
      );
    return both;
  }
  if (!Array.isArray(asked) || asked.length === 0 || asked.some((s) => typeof s !== 'string'))
    throw new OptionError(
      `compareScenarios: strategies must be a non-empty list of strategy ids; received ${JSON.stringify(asked)}`,
      { option: 'strategies', received: asked },
    );
  for (const id of asked) {
    const inBase = baseIds.includes(id);
    const inVariant = variantIds.includes(id);
    if (!inBase || !inVariant)
      throw new OptionError(
        `compareScenarios: strategy "${id}" is not in ${inBase ? 'the variant' : inVariant ? 'the base' : 'either scenario'}: the base has ${list(baseIds)}, the variant ${list(variantIds)}`,
        { option: 'strategies', received: { strategy: id, base: baseIds, variant: variantIds } },
      );
  }
  if (new Set(asked).size !== asked.length)
    throw new OptionError(`compareScenarios: strategies names one twice; received ${JSON.stringify(asked)}`, {
      option: 'strategies',
      received: asked,
    });
  return [...asked];
}

function checkFigures(figures: readonly Figure[] | undefined): readonly Figure[] {
  if (figures === undefined) return DEFAULT_COMPARISON_FIGURES;
  if (!Array.isArray(figures) || figures.length === 0)
    throw new OptionError(`compareScenarios: figures must be a non-empty list; received ${JSON.stringify(figures)}`, {
      option: 'figures',
      received: figures,
    });
  for (const f of figures)
    if (!COMPARABLE_FIGURES.includes(f))
      throw new OptionError(
        `compareScenarios: unknown figure ${JSON.stringify(f)}; expected one of ${COMPARABLE_FIGURES.join(', ')}`,
        { option: 'figures', received: f },
      );
  return [...new Set(figures)];
}

function checkService(base: Scenario, variant: Scenario, service: unknown): string {
  if (service === undefined || service === TOTAL) return TOTAL;
  const ids = (s: Scenario) => [
    ...new Set(scenarioServices(s).flatMap((d) => (d.group === undefined ? [d.id] : [d.group, d.id]))),
  ];
  const b = ids(base);
  const v = ids(variant);
  if (typeof service !== 'string' || !b.includes(service) || !v.includes(service))
    throw new OptionError(
      `compareScenarios: service ${JSON.stringify(service)} is not a service of both scenarios; expected "total" or one of ${b
        .filter((id) => v.includes(id))
        .map((id) => `"${id}"`)
        .join(', ')} (the base has ${b.join(', ')}, the variant ${v.join(', ')})`,
      { option: 'service', received: service },
    );
  return service;
}

/**
 * The paired summary of one cell: `a` the base's values, `b` the variant's, path by path.
 *
 * @internal
 */
export function pairedRow(
  base: ArrayLike<number>,
  variant: ArrayLike<number>,
): Omit<ScenarioDifferenceRow, 'strategy' | 'year' | 'figure' | 'service'> {
  const n = base.length;
  const d = new Float64Array(n);
  let greater = 0;
  let lower = 0;
  for (let i = 0; i < n; i++) {
    const x = variant[i]! - base[i]!;
    d[i] = x;
    if (x > 0) greater++;
    else if (x < 0) lower++;
  }
  const diff = meanSd(d);
  const a = meanSd(base);
  const b = meanSd(variant);
  d.sort();
  const independentVar = a.sd * a.sd + b.sd * b.sd;
  const q = (p: number) => quantileSorted(d, p);
  return {
    n,
    baseMean: a.mean,
    variantMean: b.mean,
    mean: diff.mean,
    sd: diff.sd,
    mcse: n > 0 ? diff.sd / Math.sqrt(n) : 0,
    p5: q(0.05),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p95: q(0.95),
    min: d[0]!,
    max: d[n - 1]!,
    pVariantGreater: greater / n,
    pVariantLower: lower / n,
    independentSd: Math.sqrt(independentVar),
    varianceReduction: independentVar > 0 ? 1 - (diff.sd * diff.sd) / independentVar : 0,
  };
}

/**
 * Compares a scenario with a variant of itself on common random numbers: runs both with the same
 * seed and paths under the same strategies, and summarises the difference variant − base path by
 * path, per strategy, year and figure.
 *
 * Every random number of a run comes from a stream derived from (seed, component, path), where a
 * component is `population`, `prices`, a service (`home-care`, `care-homes`, `specialised`, and
 * their sub-streams such as `home-care#levels`), an intervention (`intervention:<id>`) or a
 * sampling design (`lhs:<input>`, `copula:<k>`). So path i of the base and path i of the variant
 * draw the same numbers for every component both have, as long as that component consumes its
 * draws in the same order: the same seed and the same path indices are what this function
 * ensures. What weakens the pairing (the difference stays right, its spread and MCSE grow): a
 * component present in one scenario only (its draws are independent of the other's), a changed
 * number of draws inside one stream (an input turned from a distribution into a fixed number, a
 * population group added, more or fewer care-home places, so that admissions and stays fall at
 * other times), or another `sampling` section. What breaks it: another seed or other path
 * indices, which this function refuses. `varianceReduction` in every row says how much pairing
 * gained.
 *
 * @param base - the base scenario (a parsed `Scenario` or a `ScenarioInput` as written; validated here)
 * @param variant - the variant, likewise
 * @param options - strategies, figures, service, a common seed or number of paths, progress,
 *   abort and run limits
 * @returns the comparison: a row per strategy, year and figure
 * @throws {@link ScenarioError} for a scenario that does not parse
 * @throws {@link OptionError} when the two cannot be paired (option `baseYear`, `horizonYears`,
 *   `step`, `seed` or `paths`, `received` holding both values), for a strategy either lacks
 *   (`strategies`), a service either lacks (`service`) or an unknown figure (`figures`)
 * @throws {@link SimulationError} as {@link simulate} does (abort, limits, a failing plug-in)
 * @example
 * ```ts
 * const base = { ...lejre2034(), paths: 20 };
 * const c = compareScenarios(base, base, { strategies: ['frame'], figures: ['actualCostKr'] });
 * c.rows.every((r) => r.min === 0 && r.max === 0); //=> true
 * ```
 * @category Results
 */
export function compareScenarios(
  base: unknown,
  variant: unknown,
  options: CompareScenariosOptions = {},
): ScenarioComparison {
  const overrides = (s: Scenario): Scenario => ({
    ...s,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.paths === undefined ? {} : { paths: options.paths }),
  });
  // Parsed twice where there are overrides, so the schema checks the seed and paths given.
  const a = parseScenario(overrides(parseScenario(base)));
  const b = parseScenario(overrides(parseScenario(variant)));
  checkPairing(a, b);
  const ids = chooseStrategies(a, b, options.strategies);
  const figures = checkFigures(options.figures);
  const service = checkService(a, b, options.service);
  const total = a.paths * 2;
  const started = Date.now();
  const run = (s: Scenario, offset: number): SimulationResult => {
    const all = strategiesFromSpecs(s.strategies);
    const strategies = ids.map((id) => all.find((x) => x.id === id)!);
    const onProgress = options.onProgress;
    return runModel(buildModel(s), strategies, {
      ...(onProgress === undefined
        ? {}
        : { onProgress: (p: Progress) => onProgress(progressOf(offset + p.pathsDone, total, started)) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
  };
  const ra = run(a, 0);
  const rb = run(b, a.paths);
  const rows: ScenarioDifferenceRow[] = [];
  for (const strategy of ids)
    for (const figure of figures)
      for (const year of ra.years) {
        const x = figureValues(ra, { strategy, service, year, figure });
        const y = figureValues(rb, { strategy, service, year, figure });
        rows.push({ strategy, year, figure, service, ...pairedRow(x, y) });
      }
  const named = (s: Scenario): ComparedScenario =>
    s.description === undefined ? { name: s.name } : { name: s.name, description: s.description };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !NAMING.has(k));
  const differences = keys.filter(
    (k) => canonical((a as Record<string, unknown>)[k]) !== canonical((b as Record<string, unknown>)[k]),
  );
  return {
    format: 'carebudget-comparison',
    base: named(a),
    variant: named(b),
    seed: a.seed,
    paths: a.paths,
    baseYear: a.baseYear,
    years: [...ra.years],
    step: a.step,
    service,
    services: ra.services.map(({ id, label, labels, activityUnit, group }) => ({
      id,
      label,
      activityUnit,
      ...(labels === undefined ? {} : { labels }),
      ...(group === undefined ? {} : { group }),
    })),
    figures,
    strategies: ra.strategies.map(({ id, label, labels }) => ({
      id,
      label,
      ...(labels === undefined ? {} : { labels }),
    })),
    differences,
    rows,
  };
}
