/**
 * Home care's uncertain inputs fitted to a municipality's history: use rates, their trend and
 * year-to-year variation, hours per recipient and their trend, each with its standard error and
 * where it came from. Browser-safe: no Node built-ins, and no YAML library (the commented YAML
 * is written here, from plain data).
 */
import { OptionError, sharedErrorClass } from '../errors';
import { parseScenario } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import { normalQuantile, regularizedBeta } from '../random/special';
import type { GroupSeries, HomeCareHistory } from '../scenario/series';

/** What is wrong with a history, in {@link FitError.problem}. @category Fitting */
export type FitProblem =
  | 'too-few-years'
  | 'missing-group'
  | 'missing-value'
  | 'non-finite'
  | 'zero-population'
  | 'zero-recipients'
  | 'recipients-exceed-population'
  | 'out-of-range'
  | 'scenario-groups';

/**
 * Thrown by {@link fitHomeCare} when the history cannot be fitted: fewer than three years, a
 * group missing in one of the tables, a missing or non-finite value, a zero population, no
 * recipients, more recipients than citizens, or a fitted value outside what a scenario takes.
 * The message names the table, the group and the year.
 *
 * @category Fitting
 */
export class FitError extends Error {
  /** Always `INVALID_HISTORY`. */
  readonly code = 'INVALID_HISTORY' as const;
  /** What is wrong. */
  readonly problem: FitProblem;
  /** The table (`population`, `recipients`, `hours`), where one is at fault. */
  readonly table?: 'population' | 'recipients' | 'hours';
  /** The group, where one is at fault. */
  readonly group?: string;
  /** The year, where one is at fault. */
  readonly year?: number;

  /**
   * @param message - what is wrong, naming the table, group and year, for people
   * @param fields - the problem and where it is
   */
  constructor(
    message: string,
    fields: {
      readonly problem: FitProblem;
      readonly table?: 'population' | 'recipients' | 'hours';
      readonly group?: string;
      readonly year?: number;
    },
  ) {
    super(message);
    this.name = 'FitError';
    this.problem = fields.problem;
    if (fields.table !== undefined) this.table = fields.table;
    if (fields.group !== undefined) this.group = fields.group;
    if (fields.year !== undefined) this.year = fields.year;
  }
}
sharedErrorClass(FitError, 'FitError');

/** Options of {@link fitHomeCare}. @category Fitting */
export interface FitHomeCareOptions {
  /** The first year of history used (default: the first year of the recipients table). */
  readonly from?: number;
  /** The last year of history used (default: the last year of the recipients table). */
  readonly to?: number;
  /**
   * The year the fitted use rates and hours refer to (default: the base scenario's base year,
   * else the last year used); a year after the history extrapolates along the fitted trend.
   */
  readonly baseYear?: number;
  /** The population groups fitted (default: the recipients table's groups, `total` excepted). */
  readonly groups?: readonly string[];
  /**
   * A scenario to merge the fitted values into (its other sections and home-care fields are
   * kept; trend formulas of the fitted trends are dropped). Default: a minimal scenario with the
   * history's population in the base year, its mean growth a year, and 10 years' horizon.
   */
  readonly scenario?: ScenarioInput;
  /**
   * The sampling variance of a year's recipients that needs no extra noise: `binomial` (the
   * default; n·p·(1 − p)) or `poisson` (n·p, the model's own recipient noise).
   */
  readonly sampling?: 'binomial' | 'poisson';
}

/** A trend drawn once per path: normal with the estimate as mean and its standard error as sd. @category Fitting */
export interface FittedTrend {
  readonly dist: 'normal';
  readonly mean: number;
  readonly sd: number;
}

/** A level drawn once per path: lognormal with the given median and 95th percentile. @category Fitting */
export interface FittedLevel {
  readonly dist: 'lognormal';
  readonly median: number;
  readonly p95: number;
}

/** The fitted home-care fields, as the scenario takes them. @category Fitting */
export interface FittedHomeCare {
  /** Use rate by group in the base year: the fitted trend line's mean rate. */
  readonly useRates: Readonly<Record<string, number>>;
  /** The common relative change a year of the use rates. */
  readonly useRateTrendPerYear: FittedTrend;
  /** The years before the base year around which the drawn trend turns the line: the history's weighted middle. */
  readonly useRateTrendPivotYears: number;
  /** The uncertainty of the line's level in the history's middle, common to the groups (mean 1). */
  readonly useRateFactor: FittedLevel;
  /** The standard deviation of the use rates' log year-to-year variation beyond sampling. */
  readonly useRateNoiseSdPerYear: number;
  /** The sampling noise of the recipients is simulated (Poisson-like), as the fit assumes. */
  readonly recipientNoise: true;
  /** Visited hours per recipient a week in the base year, with the uncertainty of the line's level in the history's middle (when the history has hours). */
  readonly hoursPerRecipientPerWeek?: FittedLevel;
  /** The relative change a year of hours per recipient (when the history has hours). */
  readonly hoursTrendPerYear?: FittedTrend;
  /** The years before the base year around which the drawn hours trend turns the line (when the history has hours). */
  readonly hoursTrendPivotYears?: number;
}

/** The regression's figures behind a fit, for checking it. @category Fitting */
export interface HomeCareFitDiagnostics {
  /** The years of history used. */
  readonly years: readonly number[];
  /** The base year the fitted levels refer to. */
  readonly baseYear: number;
  /** The groups fitted. */
  readonly groups: readonly string[];
  /** Observations of the use-rate regression: groups × years. */
  readonly n: number;
  /** The sampling variance assumed (see {@link FitHomeCareOptions.sampling}). */
  readonly sampling: 'binomial' | 'poisson';
  /** Log use rate minus the fitted line (with the noise's mean), `residuals[group][year]`. */
  readonly residuals: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Pearson's χ² of the weighted regression over its degrees of freedom: 1 when the rates vary as sampling alone would. */
  readonly overdispersionRatio: number;
  /** The share of the weighted variation of the log rates within groups that the common trend explains. */
  readonly rSquared: number;
  /** The log rates' slope a year (log(1 + trend)) and its standard error. */
  readonly slope: number;
  readonly slopeSe: number;
  /**
   * Satterthwaite's degrees of freedom of the slope's standard error, which depends on the
   * estimated σ² (`Infinity` when σ̂² = 0); the trend's sd is the standard error widened so that
   * its 90 % interval is Student's t's.
   */
  readonly slopeDf: number;
  /** The moment estimate of the year-to-year variance σ² before it is floored at 0, and its standard error. */
  readonly noiseVariance: number;
  readonly noiseVarianceSe: number;
  /** Hours per recipient: `groups` (a fixed-mix index of the groups' hours) or `total`. */
  readonly hoursBasis?: 'groups' | 'total';
  /** The log hours per recipient's slope a year and its standard error. */
  readonly hoursSlope?: number;
  readonly hoursSlopeSe?: number;
  /** Log hours per recipient minus the fitted line, by year. */
  readonly hoursResiduals?: Readonly<Record<string, number>>;
}

/** Where one fitted value came from. @category Fitting */
export interface FittedValueSource {
  /** The scenario field, for example `homeCare.useRates.80+`. */
  readonly field: string;
  /** The value written to the scenario (for a trend, its mean). */
  readonly value: number;
  /** The tables read (the history's `sources`, else their names). */
  readonly tables: readonly string[];
  /** The first and last year of history used. */
  readonly years: readonly [number, number];
  /** How the value was estimated. */
  readonly method: string;
  /** The value's standard error. */
  readonly standardError: number;
}

/** The result of {@link fitHomeCare}. @category Fitting */
export interface HomeCareFit {
  /** The fitted home-care fields. */
  readonly homeCare: FittedHomeCare;
  /** The scenario with the fitted values merged in: it validates with `parseScenario` and runs with `simulate`. */
  readonly scenario: ScenarioInput;
  /** The regression's figures. */
  readonly diagnostics: HomeCareFitDiagnostics;
  /** Where each fitted value came from, in the order of the scenario's fields. */
  readonly provenance: readonly FittedValueSource[];
}

/** The minimal scenario's horizon when no scenario is given. */
const DEFAULT_HORIZON_YEARS = 10;
/** The widest trend a scenario takes: a normal's values within ±6.5 sd must lie in ±0.2 a year. */
const MAX_TREND = 0.2;
const NORMAL_REACH = 6.5;
/** The largest `useRateNoiseSdPerYear` a scenario takes. */
const MAX_NOISE_SD = 0.5;
/** Significant digits of the values written to the scenario. */
const DIGITS = 6;

/**
 * Fits home care's uncertain inputs to a municipality's history of population, recipients and
 * (optionally) visited hours by group and year, and merges them into a scenario.
 *
 * **Use rates.** With p̂ = recipients / population of group g in year t, the log rates are
 * regressed on the year with an intercept per group and a common slope b:
 * log p̂ = a_g + b·(t − base year) + u_t + e_gt. The sampling error e has the binomial variance
 * (1 − p)/(n·p) on the log scale (`sampling: 'poisson'`: 1/(n·p)), so the first stage is a
 * weighted least-squares fit with weights n·p/(1 − p). The year-to-year variation u_t, common to
 * all groups, has variance σ²: Pearson's χ² of the first stage, Q = Σ w·r², has expectation
 * (n − k) + σ²·c (k the coefficients, c = Σ_t 1'·(W − WX(X'WX)⁻¹X'W)·1 over the observations
 * of year t), so σ̂² = max(0, (Q − (n − k)) / c), unbiased before the floor (a moment estimator
 * of the DerSimonian–Laird kind), with standard error √(2·tr((A·V)²)) / c (A the matrix of Q,
 * V the fitted covariance, normal errors). The second stage is generalised least squares with
 * that covariance (sampling variance plus σ̂² shared within a year), which is the first stage
 * when σ̂² = 0: the slope's standard error counts both sources. As σ̂² is itself estimated (from
 * about T − 2 degrees of freedom when it dominates), the slope's standard error is widened so that
 * the normal's 90 % interval is Student's t's, with Satterthwaite's degrees of freedom
 * 2·Var(b)² / ((∂Var(b)/∂σ²)²·Var(σ̂²)) (none when σ̂² = 0). Then:
 *
 * - `useRateTrendPerYear` = normal with mean e^b − 1 and sd e^b times that widened standard
 *   error (parameter uncertainty, drawn once per path);
 * - `useRateNoiseSdPerYear` = σ̂ (0 when the rates vary no more than sampling explains);
 * - `useRates[g]` = e^(a_g + σ̂²/2): the fitted line's mean rate in the base year (the model's
 *   yearly factor exp(σ·z − σ²/2) has mean 1), not the last year's observed rate, which carries
 *   that year's noise.
 *
 * **Hours.** Hours per recipient by year: with hours by group, a fixed-mix index (each group's
 * hours per recipient weighted by its recipients in the last year used, so a changing age mix,
 * which the model makes itself, does not enter the trend); with the total only (group `total`),
 * total hours over the fitted groups' recipients. Ordinary least squares of its log on the year:
 * `hoursPerRecipientPerWeek` is the line in the base year, `hoursTrendPerYear` normal with mean
 * e^d − 1 and sd e^d·se(d), se from the residual variance on T − 2 degrees of freedom, widened to
 * Student's t on T − 2 degrees of freedom as above.
 *
 * A trend's sd is capped so that its normal stays within the ±0.2 a year a scenario takes over
 * ±6.5 sd (the provenance says so when it is: too few years). Each value's `provenance` names its
 * tables, years, method and standard error; `fittedScenarioYaml` writes them as comments.
 *
 * @param history - population, recipients and optionally hours by group and year
 * @param options - years, base year, groups, a scenario to merge into, the sampling variance
 * @returns the fitted fields, the merged scenario, diagnostics and provenance
 * @throws {@link FitError} when the history cannot be fitted (naming the table, group and year),
 *   or a fitted trend's mean lies beyond ±0.2 a year; {@link OptionError} for invalid options;
 *   `ScenarioError` when the merged base scenario does not validate
 * @example
 * ```ts
 * const fit = fitHomeCare({
 *   population: { '80+': { '2019': 1400, '2020': 1450, '2021': 1500, '2022': 1560, '2023': 1605 } },
 *   recipients: { '80+': { '2019': 420, '2020': 428, '2021': 430, '2022': 441, '2023': 449 } },
 * });
 * fit.homeCare.useRateTrendPerYear; //=> { dist: 'normal', mean: -0.0181049, sd: 0.0125568 }
 * simulate({ ...fit.scenario, paths: 200 });
 * ```
 * @category Fitting
 */
export function fitHomeCare(history: HomeCareHistory, options: FitHomeCareOptions = {}): HomeCareFit {
  const sampling = options.sampling ?? 'binomial';
  if (sampling !== 'binomial' && sampling !== 'poisson')
    throw new OptionError(`sampling: expected "binomial" or "poisson"; received ${JSON.stringify(sampling)}`, {
      option: 'sampling',
      received: sampling,
    });
  const groups = groupsOf(history, options.groups);
  const years = yearsOf(history.recipients, groups, options);
  const baseYear = baseYearOf(years, options);
  const T = years.length;
  const G = groups.length;
  // The observations, group by group and year by year (index g·T + t).
  const pop = new Float64Array(G * T);
  const rec = new Float64Array(G * T);
  groups.forEach((group, g) =>
    years.forEach((year, t) => {
      const n = valueOf(history.population, 'population', group, year);
      const r = valueOf(history.recipients, 'recipients', group, year);
      if (!(n > 0))
        throw new FitError(`population: ${group} ${year}: expected a population above 0; received ${n}`, {
          problem: 'zero-population',
          table: 'population',
          group,
          year,
        });
      if (!(r > 0))
        throw new FitError(
          `recipients: ${group} ${year}: expected at least one recipient (a log rate needs one; join the group to another); received ${r}`,
          { problem: 'zero-recipients', table: 'recipients', group, year },
        );
      if (r > n || (sampling === 'binomial' && r === n))
        throw new FitError(
          `recipients: ${group} ${year}: expected fewer recipients than citizens (${n}); received ${r}`,
          { problem: 'recipients-exceed-population', table: 'recipients', group, year },
        );
      pop[g * T + t] = n;
      rec[g * T + t] = r;
    }),
  );
  const rates = fitRates(pop, rec, G, years, baseYear, sampling);
  const hours = history.hours === undefined ? undefined : fitHours(history.hours, rec, groups, years, baseYear);

  const sources = history.sources ?? {};
  const span: readonly [number, number] = [years[0]!, years[T - 1]!];
  const rateTables = [sources.population ?? 'population', sources.recipients ?? 'recipients'];
  const growth = Math.exp(rates.slope);
  const { trend, note: rateNote } = fittedTrend(
    'homeCare.useRateTrendPerYear',
    growth - 1,
    growth * rates.slopeSe * widening(rates.slopeDf),
    'recipients',
  );
  const sigma = Math.sqrt(rates.noiseVariance);
  if (!(sigma <= MAX_NOISE_SD))
    throw new FitError(
      `homeCare.useRateNoiseSdPerYear: the rates vary from year to year with a log sd of ${sigma}, more than ${MAX_NOISE_SD}: check the recipients table`,
      { problem: 'out-of-range', table: 'recipients' },
    );
  const useRates: Record<string, number> = {};
  groups.forEach((group, g) => (useRates[group] = round(Math.min(1, Math.exp(rates.intercepts[g]! + sigma ** 2 / 2)))));
  const provenance: FittedValueSource[] = [];
  const rateMethod = `weighted least squares of log(recipients / population) on the year (an intercept per group, a common slope, ${sampling} weights), then generalised least squares with the year-to-year variance`;
  groups.forEach((group, g) =>
    provenance.push({
      field: `homeCare.useRates.${group}`,
      value: useRates[group]!,
      tables: rateTables,
      years: span,
      method: `${rateMethod}; the line in ${baseYear} times e^(σ²/2)`,
      standardError: round(useRates[group]! * rates.interceptSe[g]!),
    }),
  );
  provenance.push({
    field: 'homeCare.useRateTrendPerYear',
    value: trend.mean,
    tables: rateTables,
    years: span,
    method: `${rateMethod}; e^slope − 1, sd = its standard error${Number.isFinite(rates.slopeDf) ? ` widened to Student's t on ${round(rates.slopeDf)} df (Satterthwaite)` : ''}${rateNote}`,
    standardError: trend.sd,
  });
  const sigmaSe = sigma > 0 ? rates.noiseVarianceSe / (2 * sigma) : Math.sqrt(Math.max(0, rates.noiseVarianceSe));
  provenance.push({
    field: 'homeCare.useRateNoiseSdPerYear',
    value: round(sigma),
    tables: rateTables,
    years: span,
    method:
      sigma > 0
        ? `the square root of the moment estimate of the log rates' year-to-year variance beyond ${sampling} sampling (Pearson χ² ${round(rates.q)} on ${rates.df} df)`
        : `the moment estimate of the log rates' year-to-year variance beyond ${sampling} sampling (Pearson χ² ${round(rates.q)} on ${rates.df} df) is at most 0: no extra variation (standard error: the square root of the variance's)`,
    standardError: round(sigmaSe),
  });
  // The line's level and slope are correlated at the base year: it turns around the history's
  // (weighted) middle, where its level is independent of the slope. With the groups weighted by
  // their recipients in the last year, c = Cov(level, slope)/Var(slope) years before the base
  // year, and the level's variance left there is Var(level) − c²·Var(slope).
  const { pivot, levelSd } = pivotOf(rates, rec, G, T);
  const widen = widening(rates.slopeDf);
  const rateLevelSd = levelSd * widen;
  const rateFactor = fittedLevel(Math.exp(-(rateLevelSd ** 2) / 2), rateLevelSd);
  provenance.push(
    {
      field: 'homeCare.useRateTrendPivotYears',
      value: round(pivot),
      tables: rateTables,
      years: span,
      method: `the years from the history's middle (weighted by the regression) to ${baseYear}: Cov(level, slope) / Var(slope), the groups weighted by their recipients in ${span[1]}; a steeper drawn trend means a higher rate in ${baseYear}`,
      standardError: 0,
    },
    {
      field: 'homeCare.useRateFactor',
      value: 1,
      tables: rateTables,
      years: span,
      method: `the use rates' level in the history's middle: lognormal with mean 1 and log sd its standard error${Number.isFinite(rates.slopeDf) ? ', widened as the trend' : ''}, common to the groups`,
      standardError: round(rateLevelSd),
    },
  );
  const fitted: {
    -readonly [K in keyof FittedHomeCare]: FittedHomeCare[K];
  } = {
    useRates,
    useRateTrendPerYear: trend,
    useRateTrendPivotYears: round(pivot),
    useRateFactor: rateFactor,
    useRateNoiseSdPerYear: round(sigma),
    recipientNoise: true,
  };
  provenance.push({
    field: 'homeCare.recipientNoise',
    value: 1,
    tables: rateTables,
    years: span,
    method: `the recipients' sampling noise that the fit separates from the year-to-year variation`,
    standardError: 0,
  });
  if (hours !== undefined) {
    const hoursTables = [sources.hours ?? 'hours', sources.recipients ?? 'recipients'];
    const g = Math.exp(hours.slope);
    const { trend: hoursTrend, note: hoursNote } = fittedTrend(
      'homeCare.hoursTrendPerYear',
      g - 1,
      g * hours.slopeSe * widening(T - 2),
      'hours',
    );
    const hoursWiden = widening(T - 2);
    fitted.hoursPerRecipientPerWeek = fittedLevel(hours.level, hours.centreSe * hoursWiden);
    fitted.hoursTrendPerYear = hoursTrend;
    fitted.hoursTrendPivotYears = round(hours.pivot);
    const what =
      hours.basis === 'groups'
        ? `ordinary least squares of log hours per recipient (the groups weighted by their recipients in ${span[1]}) on the year`
        : 'ordinary least squares of log(total hours / recipients) on the year';
    provenance.push(
      {
        field: 'homeCare.hoursPerRecipientPerWeek',
        value: fitted.hoursPerRecipientPerWeek.median,
        tables: hoursTables,
        years: span,
        method: `${what}; the line in ${baseYear}, lognormal with the log sd of the line's level in the history's middle widened to Student's t on ${T - 2} df`,
        standardError: round(hours.level * hours.levelSe),
      },
      {
        field: 'homeCare.hoursTrendPivotYears',
        value: fitted.hoursTrendPivotYears,
        tables: hoursTables,
        years: span,
        method: `the years from the history's middle to ${baseYear}, around which the drawn trend turns the line`,
        standardError: 0,
      },
      {
        field: 'homeCare.hoursTrendPerYear',
        value: hoursTrend.mean,
        tables: hoursTables,
        years: span,
        method: `${what}; e^slope − 1, sd = its standard error widened to Student's t on ${T - 2} df${hoursNote}`,
        standardError: hoursTrend.sd,
      },
    );
  }
  const residuals: Record<string, Record<string, number>> = {};
  groups.forEach((group, g) => {
    const row: Record<string, number> = {};
    years.forEach((year, t) => (row[String(year)] = rates.residuals[g * T + t]!));
    residuals[group] = row;
  });
  const diagnostics: HomeCareFitDiagnostics = {
    years,
    baseYear,
    groups,
    n: G * T,
    sampling,
    residuals,
    overdispersionRatio: rates.q / rates.df,
    rSquared: rates.rSquared,
    slope: rates.slope,
    slopeSe: rates.slopeSe,
    slopeDf: rates.slopeDf,
    noiseVariance: rates.noiseVarianceRaw,
    noiseVarianceSe: rates.noiseVarianceSe,
    ...(hours === undefined
      ? {}
      : {
          hoursBasis: hours.basis,
          hoursSlope: hours.slope,
          hoursSlopeSe: hours.slopeSe,
          hoursResiduals: Object.fromEntries(years.map((year, t) => [String(year), hours.residuals[t]!])),
        }),
  };
  const scenario = mergedScenario(fitted, history.population, groups, years, baseYear, options.scenario, provenance);
  parseScenario(scenario);
  return { homeCare: fitted, scenario, diagnostics, provenance };
}

/** The groups fitted: the option's, or the recipients table's (`total` excepted), each in both tables. */
function groupsOf(history: HomeCareHistory, chosen: readonly string[] | undefined): string[] {
  const own = Object.keys(history.recipients);
  const groups = chosen === undefined ? (own.length > 1 ? own.filter((g) => g !== 'total') : own) : [...chosen];
  if (groups.length === 0)
    throw new FitError('recipients: expected at least one population group; the table has none', {
      problem: 'missing-group',
      table: 'recipients',
    });
  for (const table of ['population', 'recipients'] as const) {
    for (const group of groups) {
      if (!Object.hasOwn(history[table], group))
        throw new FitError(
          `${table}: the group ${group} is missing (the table has ${Object.keys(history[table]).join(', ') || 'no groups'})`,
          { problem: 'missing-group', table, group },
        );
    }
  }
  return groups;
}

/** The years of the recipients table of any fitted group within [from, to], sorted; at least three. */
function yearsOf(recipients: GroupSeries, groups: readonly string[], options: FitHomeCareOptions): number[] {
  for (const key of ['from', 'to', 'baseYear'] as const) {
    const v = options[key];
    if (v !== undefined && !Number.isInteger(v))
      throw new OptionError(`${key}: expected a year (an integer); received ${String(v)}`, {
        option: key,
        received: v,
      });
  }
  const found = new Set<number>();
  for (const group of groups) {
    for (const key of Object.keys(recipients[group]!)) {
      const year = Number(key);
      if (!/^\d{4}$/.test(key))
        throw new FitError(`recipients: ${group}: expected four-digit years as keys; received "${key}"`, {
          problem: 'missing-value',
          table: 'recipients',
          group,
        });
      if ((options.from === undefined || year >= options.from) && (options.to === undefined || year <= options.to))
        found.add(year);
    }
  }
  const years = [...found].sort((a, b) => a - b);
  if (years.length < 3)
    throw new FitError(
      `recipients: expected at least 3 years of history${options.from !== undefined || options.to !== undefined ? ` within ${options.from ?? '…'}-${options.to ?? '…'}` : ''}; found ${years.length}${years.length > 0 ? ` (${years.join(', ')})` : ''}`,
      { problem: 'too-few-years', table: 'recipients' },
    );
  return years;
}

/** The base year: the option, the base scenario's, or the last year used. */
function baseYearOf(years: readonly number[], options: FitHomeCareOptions): number {
  const fromScenario = options.scenario?.baseYear;
  if (options.baseYear !== undefined && fromScenario !== undefined && options.baseYear !== fromScenario)
    throw new OptionError(
      `baseYear: expected the scenario's base year ${fromScenario} (or no baseYear); received ${options.baseYear}`,
      { option: 'baseYear', received: options.baseYear },
    );
  return options.baseYear ?? fromScenario ?? years[years.length - 1]!;
}

/** A value of a table, or a FitError naming the table, group and year. */
function valueOf(
  series: GroupSeries,
  table: 'population' | 'recipients' | 'hours',
  group: string,
  year: number,
): number {
  const row = series[group];
  const v = row === undefined || !Object.hasOwn(row, String(year)) ? undefined : row[String(year)];
  if (v === undefined)
    throw new FitError(`${table}: ${group} ${year}: the value is missing`, {
      problem: 'missing-value',
      table,
      group,
      year,
    });
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new FitError(`${table}: ${group} ${year}: expected a finite number; received ${String(v)}`, {
      problem: 'non-finite',
      table,
      group,
      year,
    });
  if (v < 0)
    throw new FitError(`${table}: ${group} ${year}: expected a number >= 0; received ${v}`, {
      problem: 'out-of-range',
      table,
      group,
      year,
    });
  return v;
}

/**
 * A fitted trend as the scenario takes it: a mean within ±0.2 a year (else a FitError), and an sd
 * capped so that ±6.5 sd stay within ±0.2 (the note says so when it is).
 */
function fittedTrend(
  field: string,
  mean: number,
  sd: number,
  table: 'recipients' | 'hours',
): { trend: FittedTrend; note: string } {
  const m = round(mean);
  if (!(Math.abs(m) < MAX_TREND))
    throw new FitError(
      `${field}: the fitted trend is ${m} a year, beyond the ±${MAX_TREND} a scenario takes: check the ${table} table`,
      { problem: 'out-of-range', table },
    );
  const cap = ((MAX_TREND - Math.abs(m)) / NORMAL_REACH) * (1 - 1e-5);
  if (sd <= cap) return { trend: { dist: 'normal', mean: m, sd: round(sd) }, note: '' };
  return {
    trend: { dist: 'normal', mean: m, sd: round(cap) },
    note: `; sd capped at ${round(cap)}, the widest a scenario takes within ±${MAX_TREND} a year (fitted: ${round(sd)})`,
  };
}

/**
 * The factor that widens a standard error with `df` degrees of freedom so that the normal's
 * 90 % interval is Student's t's (1 for a normal).
 */
function widening(df: number): number {
  const z = normalQuantile(0.95);
  if (!(df < 1e7)) return 1;
  const cdf = (x: number) => 1 - 0.5 * regularizedBeta(df / 2, 0.5, df / (df + x * x)).lower;
  let lo = z;
  let hi = 2 * z;
  while (cdf(hi) < 0.95) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 0.95) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2 / z;
}

/** A value rounded to DIGITS significant digits (−0 written 0). */
function round(x: number): number {
  const r = Number(x.toPrecision(DIGITS));
  return r === 0 ? 0 : r;
}

/** The use-rate regression's results. */
interface RateFit {
  /** The covariance of [intercepts at the base year, slope] (the generalised least squares'). */
  readonly cov: readonly Float64Array[];
  readonly intercepts: Float64Array;
  readonly interceptSe: Float64Array;
  readonly slope: number;
  readonly slopeSe: number;
  readonly slopeDf: number;
  readonly noiseVariance: number;
  readonly noiseVarianceRaw: number;
  readonly noiseVarianceSe: number;
  readonly q: number;
  readonly df: number;
  readonly rSquared: number;
  readonly residuals: Float64Array;
}

/**
 * The two-stage regression of the log rates (see {@link fitHomeCare}): observation i = g·T + t,
 * design [group dummies, year − base year].
 */
function fitRates(
  pop: Float64Array,
  rec: Float64Array,
  G: number,
  years: readonly number[],
  baseYear: number,
  sampling: 'binomial' | 'poisson',
): RateFit {
  const T = years.length;
  const n = G * T;
  const k = G + 1;
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = rec[i]! / pop[i]!;
    y[i] = Math.log(p);
    w[i] = sampling === 'binomial' ? rec[i]! / (1 - p) : rec[i]!;
  }
  const x = (i: number): Float64Array => {
    const row = new Float64Array(k);
    row[Math.floor(i / T)] = 1;
    row[G] = years[i % T]! - baseYear;
    return row;
  };
  const X = Array.from({ length: n }, (_, i) => x(i));
  // Stage 1: weighted least squares.
  const xtwx = zeros(k, k);
  const xtwy = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const xi = X[i]!;
    for (let a = 0; a < k; a++) {
      xtwy[a] = xtwy[a]! + w[i]! * xi[a]! * y[i]!;
      for (let b = 0; b < k; b++) xtwx[a]![b] = xtwx[a]![b]! + w[i]! * xi[a]! * xi[b]!;
    }
  }
  const inv1 = invertSpd(xtwx);
  const beta1 = multiply(inv1, xtwy);
  let q = 0;
  for (let i = 0; i < n; i++) q += w[i]! * (y[i]! - dot(X[i]!, beta1)) ** 2;
  const df = n - k;
  // A = W − W X (X'WX)⁻¹ X' W: Q = y'Ay; c = Σ over years of the sums of A's within-year blocks.
  const A = zeros(n, n);
  for (let i = 0; i < n; i++) {
    const hi = multiply(inv1, X[i]!);
    for (let j = 0; j < n; j++) A[i]![j] = (i === j ? w[i]! : 0) - w[i]! * w[j]! * dot(hi, X[j]!);
  }
  let c = 0;
  for (let t = 0; t < T; t++) for (let g = 0; g < G; g++) for (let h = 0; h < G; h++) c += A[g * T + t]![h * T + t]!;
  const raw = df > 0 && c > 0 ? (q - df) / c : 0;
  const s2 = Math.max(0, raw);
  // Var(Q) = 2 tr((A V)²), V = W⁻¹ + σ̂² within-year blocks of ones.
  const AV = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = A[i]![j]! / w[j]!;
      if (s2 > 0) {
        const t = j % T;
        for (let h = 0; h < G; h++) v += A[i]![h * T + t]! * s2;
      }
      AV[i]![j] = v;
    }
  let trace = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) trace += AV[i]![j]! * AV[j]![i]!;
  const varianceSe = c > 0 ? Math.sqrt(2 * trace) / c : NaN;
  // Stage 2: generalised least squares, each year's block inverted by Sherman–Morrison:
  // (D + s²11')⁻¹ = W − s²(W1)(W1)' / (1 + s²·1'W1), D = W⁻¹.
  const gls = (s2: number): { cov: Float64Array[]; beta: Float64Array } => {
    const xvx = zeros(k, k);
    const xvy = new Float64Array(k);
    for (let t = 0; t < T; t++) {
      const idx = Array.from({ length: G }, (_, g) => g * T + t);
      const sw = idx.reduce((a, i) => a + w[i]!, 0);
      const f = s2 > 0 ? s2 / (1 + s2 * sw) : 0;
      // Σ_i w_i x_i and Σ_i w_i y_i within the year, for the rank-one part.
      const wx = new Float64Array(k);
      let wy = 0;
      for (const i of idx) {
        for (let a = 0; a < k; a++) wx[a] = wx[a]! + w[i]! * X[i]![a]!;
        wy += w[i]! * y[i]!;
      }
      for (const i of idx)
        for (let a = 0; a < k; a++) {
          xvy[a] = xvy[a]! + w[i]! * X[i]![a]! * y[i]!;
          for (let b = 0; b < k; b++) xvx[a]![b] = xvx[a]![b]! + w[i]! * X[i]![a]! * X[i]![b]!;
        }
      for (let a = 0; a < k; a++) {
        xvy[a] = xvy[a]! - f * wx[a]! * wy;
        for (let b = 0; b < k; b++) xvx[a]![b] = xvx[a]![b]! - f * wx[a]! * wx[b]!;
      }
    }
    const cov = invertSpd(xvx);
    return { cov, beta: multiply(cov, xvy) };
  };
  const { cov, beta } = gls(s2);
  // Satterthwaite's degrees of freedom of the slope's variance, which depends on σ̂²:
  // 2·Var(b)² / ((∂Var(b)/∂σ²)²·Var(σ̂²)); none (a normal) when σ̂² = 0.
  let slopeDf = Infinity;
  if (s2 > 0 && varianceSe > 0) {
    const h = s2 * 1e-4;
    const derivative = (gls(s2 + h).cov[G]![G]! - cov[G]![G]!) / h;
    slopeDf = Math.max(1, (2 * cov[G]![G]! ** 2) / (derivative ** 2 * varianceSe ** 2));
  }
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - dot(X[i]!, beta);
  // R² within groups: 1 − Σw·r² / Σw·(y − the group's weighted mean)².
  let within = 0;
  let rss = 0;
  for (let g = 0; g < G; g++) {
    let sw = 0;
    let swy = 0;
    for (let t = 0; t < T; t++) {
      sw += w[g * T + t]!;
      swy += w[g * T + t]! * y[g * T + t]!;
    }
    for (let t = 0; t < T; t++) {
      const i = g * T + t;
      within += w[i]! * (y[i]! - swy / sw) ** 2;
      rss += w[i]! * residuals[i]! ** 2;
    }
  }
  return {
    cov,
    intercepts: beta.subarray(0, G),
    interceptSe: Float64Array.from({ length: G }, (_, g) => Math.sqrt(cov[g]![g]!)),
    slope: beta[G]!,
    slopeSe: Math.sqrt(cov[G]![G]!),
    slopeDf,
    noiseVariance: s2,
    noiseVarianceRaw: raw,
    noiseVarianceSe: varianceSe,
    q,
    df,
    rSquared: within > 0 ? 1 - rss / within : 0,
    residuals,
  };
}

/** A lognormal level with median `median` and log sd `sd`, as its median and 95th percentile. */
function fittedLevel(median: number, sd: number): FittedLevel {
  return { dist: 'lognormal', median: round(median), p95: round(median * Math.exp(normalQuantile(0.95) * sd)) };
}

/**
 * The pivot of the use rates' line (years before the base year where its level and slope are
 * uncorrelated) and the standard error of the log level there, for the groups' recipient mix.
 */
function pivotOf(rates: RateFit, rec: Float64Array, G: number, T: number): { pivot: number; levelSd: number } {
  const c = rates.cov;
  let total = 0;
  for (let g = 0; g < G; g++) total += rec[g * T + T - 1]!;
  const share = Array.from({ length: G }, (_, g) => rec[g * T + T - 1]! / total);
  const v = c[G]![G]!;
  let cl = 0;
  let vl = 0;
  for (let g = 0; g < G; g++) {
    cl += share[g]! * c[g]![G]!;
    for (let h = 0; h < G; h++) vl += share[g]! * share[h]! * c[g]![h]!;
  }
  return { pivot: cl / v, levelSd: Math.sqrt(Math.max(0, vl - (cl * cl) / v)) };
}

/** The hours regression's results. */
interface HoursFit {
  readonly basis: 'groups' | 'total';
  readonly level: number;
  /** The standard error of the level's log. */
  readonly levelSe: number;
  /** The years from the history's mean year to the base year, and the standard error of the log level there. */
  readonly pivot: number;
  readonly centreSe: number;
  readonly slope: number;
  readonly slopeSe: number;
  readonly residuals: Float64Array;
}

/** Hours per recipient by year (a fixed-mix index or total over recipients), regressed in logs on the year. */
function fitHours(
  hours: GroupSeries,
  rec: Float64Array,
  groups: readonly string[],
  years: readonly number[],
  baseYear: number,
): HoursFit {
  const T = years.length;
  const byGroup = groups.every((g) => Object.hasOwn(hours, g));
  if (!byGroup && !Object.hasOwn(hours, 'total')) {
    const missing = groups.find((g) => !Object.hasOwn(hours, g))!;
    throw new FitError(
      `hours: the group ${missing} is missing, and there is no total (the table has ${Object.keys(hours).join(', ') || 'no groups'})`,
      { problem: 'missing-group', table: 'hours', group: missing },
    );
  }
  const perRecipient = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    if (byGroup) {
      // Each group's hours per recipient, weighted by its recipients in the last year used.
      let num = 0;
      let den = 0;
      groups.forEach((group, g) => {
        const weight = rec[g * T + T - 1]!;
        num += (weight * valueOf(hours, 'hours', group, years[t]!)) / rec[g * T + t]!;
        den += weight;
      });
      perRecipient[t] = num / den;
    } else {
      let r = 0;
      for (let g = 0; g < groups.length; g++) r += rec[g * T + t]!;
      perRecipient[t] = valueOf(hours, 'hours', 'total', years[t]!) / r;
    }
    if (!(perRecipient[t]! > 0))
      throw new FitError(`hours: ${byGroup ? 'the groups' : 'total'} ${years[t]}: expected visited hours above 0`, {
        problem: 'out-of-range',
        table: 'hours',
        ...(byGroup ? {} : { group: 'total' }),
        year: years[t]!,
      });
  }
  const xs = years.map((yr) => yr - baseYear);
  const ys = Array.from(perRecipient, Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / T;
  const my = ys.reduce((a, b) => a + b, 0) / T;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < T; t++) {
    sxx += (xs[t]! - mx) ** 2;
    sxy += (xs[t]! - mx) * (ys[t]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = Float64Array.from(ys, (v, t) => v - intercept - slope * xs[t]!);
  const s2 = residuals.reduce((a, r) => a + r * r, 0) / (T - 2);
  return {
    basis: byGroup ? 'groups' : 'total',
    level: Math.exp(intercept),
    levelSe: Math.sqrt(s2 * (1 / T + mx ** 2 / sxx)),
    pivot: -mx,
    centreSe: Math.sqrt(s2 / T),
    slope,
    slopeSe: Math.sqrt(s2 / sxx),
    residuals,
  };
}

/** The scenario with the fitted values: the base scenario's, or a minimal one from the history's population. */
function mergedScenario(
  fitted: FittedHomeCare,
  population: GroupSeries,
  groups: readonly string[],
  years: readonly number[],
  baseYear: number,
  base: ScenarioInput | undefined,
  provenance: FittedValueSource[],
): ScenarioInput {
  if (base !== undefined) {
    const ids = base.population.groups.map((g) => g.id);
    const missing = groups.find((g) => !ids.includes(g));
    if (missing !== undefined)
      throw new FitError(
        `scenario: population.groups has no group ${missing}, which the history has (the scenario's groups: ${ids.join(', ')})`,
        { problem: 'scenario-groups', group: missing },
      );
    // The fitted trends replace trend formulas; a formula of hours stays when no hours are fitted.
    const { useRateTrend, hoursTrend, ...own } = base.homeCare ?? {};
    void useRateTrend;
    const homeCare = {
      ...own,
      ...(fitted.hoursTrendPerYear === undefined && hoursTrend !== undefined ? { hoursTrend } : {}),
      ...fitted,
      useRates: { ...(base.homeCare?.useRates ?? {}), ...fitted.useRates },
    };
    return { ...base, homeCare } as ScenarioInput;
  }
  const last = years[years.length - 1]!;
  const first = years[0]!;
  const groupsOut = groups.map((id) => {
    const row = population[id]!;
    const n0 = row[String(first)]!;
    const n1 = row[String(last)]!;
    const growth = Math.min(0.5, Math.max(-0.5, (n1 / n0) ** (1 / (last - first)) - 1));
    const known = Object.hasOwn(row, String(baseYear)) ? row[String(baseYear)] : undefined;
    const start =
      known !== undefined && Number.isFinite(known) && known > 0 ? known : n1 * (1 + growth) ** (baseYear - last);
    return { id, start: Math.max(1, Math.round(start)), growthPerYear: round(growth) };
  });
  provenance.push({
    field: 'population.groups',
    value: groupsOut.reduce((a, g) => a + g.start, 0),
    tables: ['population'],
    years: [first, last],
    method: `each group's population in ${baseYear}${baseYear > last ? ' (extrapolated)' : ''} and its mean growth a year over ${first}-${last}; a population forecast is better`,
    standardError: 0,
  });
  return {
    name: 'fitted-home-care',
    description: `Home care with use rates, trends and year-to-year variation fitted to ${first}-${last}.`,
    baseYear,
    horizonYears: DEFAULT_HORIZON_YEARS,
    population: { groups: groupsOut },
    homeCare: { ...fitted },
  };
}

/**
 * The fitted scenario as a YAML document, each fitted value preceded by a comment saying where
 * it came from: its tables, years, method and standard error. The document parses back (with
 * any YAML 1.2 parser) to the scenario, which validates with `parseScenario` and runs as it is.
 * As JSON: `JSON.stringify(fit.scenario)`.
 *
 * @param fit - a result of {@link fitHomeCare}
 * @returns the YAML text
 * @example
 * ```ts
 * const text = fittedScenarioYaml(fitHomeCare(history));
 * // #   Fitted to population and recipients 2019-2023, standard error 0.0125568: weighted least squares …
 * //   useRateTrendPerYear: { dist: normal, mean: -0.0181049, sd: 0.0125568 }
 * ```
 * @category Fitting
 */
export function fittedScenarioYaml(fit: HomeCareFit): string {
  const comments = new Map<string, string>();
  for (const p of fit.provenance) {
    const [a, b] = p.years;
    const rate = 'homeCare.useRates.';
    // A group's id may hold dots: the path of a use rate is its three parts.
    const path = p.field.startsWith(rate) ? ['homeCare', 'useRates', p.field.slice(rate.length)] : p.field.split('.');
    comments.set(
      path.join('\u0000'),
      `Fitted to ${p.tables.join(' and ')} ${a}-${b}${p.standardError > 0 ? `, standard error ${p.standardError}` : ''}: ${p.method}.`,
    );
  }
  const d = fit.diagnostics;
  const header = [
    `carebudget scenario with home care fitted to ${d.years[0]}-${d.years[d.years.length - 1]} (base year ${d.baseYear}),`,
    `groups ${d.groups.join(', ')}: ${d.n} observations, overdispersion ratio ${round(d.overdispersionRatio)}, R² within groups ${round(d.rSquared)}.`,
    'Check it with `carebudget validate FILE` and run it with `carebudget run FILE`.',
  ];
  const lines = header.map((h) => `# ${h}`);
  writeMap(fit.scenario as Readonly<Record<string, unknown>>, '', [], comments, lines);
  return `${lines.join('\n')}\n`;
}

/** The widest line of a comment. */
const COMMENT_WIDTH = 100;

/** Writes a mapping in block style, a comment before each key that has one. */
function writeMap(
  map: Readonly<Record<string, unknown>>,
  indent: string,
  path: readonly string[],
  comments: ReadonlyMap<string, string>,
  lines: string[],
): void {
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const at = [...path, key];
    const comment = comments.get(at.join('\u0000'));
    if (comment !== undefined)
      for (const l of wrap(comment, COMMENT_WIDTH - indent.length)) lines.push(`${indent}# ${l}`);
    const head = `${indent}${scalar(key)}:`;
    if (isBlockMap(value)) {
      lines.push(head);
      writeMap(value, `${indent}  `, at, comments, lines);
    } else if (Array.isArray(value) && value.some((v) => isBlockMap(v))) {
      lines.push(head);
      for (const item of value) {
        if (isBlockMap(item)) {
          const inner: string[] = [];
          writeMap(item, `${indent}    `, at, comments, inner);
          // The item's first key (after any comment) carries the dash.
          const first = inner.findIndex((l) => !l.trimStart().startsWith('#'));
          inner[first] = `${indent}  - ${inner[first]!.slice(indent.length + 4)}`;
          lines.push(...inner);
        } else lines.push(`${indent}  - ${flow(item)}`);
      }
    } else lines.push(`${head} ${flow(value)}`);
  }
}

/** A plain object written in block style: not empty and not a distribution (written on one line). */
function isBlockMap(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && !('dist' in v);
}

/** A value in flow style, on one line. */
function flow(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return scalar(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${scalar(k)}: ${flow(x)}`).join(', ')} }`;
}

/** Words a YAML parser reads as something other than a string. */
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A string as a plain scalar when it is a simple word, else double-quoted (JSON's escapes are YAML's). */
function scalar(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

/** A comment's text in lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width - 2) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/** A k × m matrix of zeros. */
function zeros(k: number, m: number): Float64Array[] {
  return Array.from({ length: k }, () => new Float64Array(m));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function multiply(m: readonly Float64Array[], v: Float64Array): Float64Array {
  return Float64Array.from(m, (row) => dot(row, v));
}

/** The inverse of a symmetric positive definite matrix, by Cholesky. */
function invertSpd(m: readonly Float64Array[]): Float64Array[] {
  const k = m.length;
  const L = zeros(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i]![j]!;
      for (let l = 0; l < j; l++) s -= L[i]![l]! * L[j]![l]!;
      if (i === j) {
        if (!(s > 0))
          throw new FitError('the regression is singular: every year must differ and every group have recipients', {
            problem: 'too-few-years',
          });
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  // L⁻¹ by forward substitution, then (L L')⁻¹ = L⁻ᵀ L⁻¹.
  const Li = zeros(k, k);
  for (let j = 0; j < k; j++) {
    Li[j]![j] = 1 / L[j]![j]!;
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let l = j; l < i; l++) s -= L[i]![l]! * Li[l]![j]!;
      Li[i]![j] = s / L[i]![i]!;
    }
  }
  const inv = zeros(k, k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = Math.max(i, j); l < k; l++) s += Li[l]![i]! * Li[l]![j]!;
      inv[i]![j] = s;
    }
  return inv;
}
