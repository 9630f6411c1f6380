import { OptionError } from '../errors';
import type { Uncertain } from '../scenario/distribution';
import { parseScenario, pathText, safeParseScenario, valueAt } from '../scenario/parse';
import { RESERVED_KEYS, type Scenario, type ScenarioInput } from '../scenario/schema';
import { lognormalParameters } from '../random/samplers';
import { logGamma } from '../random/special';
import { lognormalParams, meanOf } from '../random/uncertain';
import type { ScalarInput } from '../random/inputs';
import type { Figure } from '../results/values';
import { inputGroupsOf, rankSensitivity, sobolSensitivity } from '../sensitivity/run';

/** The z of a lognormal's 95th percentile (the 90 % interval's half-width in log space is z·sigma). */
const Z95 = 1.6448536269514722;

/**
 * How the spread of an uncertain input is measured: `sd` the distribution's standard deviation
 * (in the field's unit), `logSd` the standard deviation of its logarithm (a lognormal's sigma;
 * the 90 % interval runs from median·e^(−1.645·sigma) to median·e^(1.645·sigma)), `none` for a
 * number known exactly.
 *
 * @category Explorer
 */
export type SpreadKind = 'sd' | 'logSd' | 'none';

/** A text in English and Danish. @category Explorer */
export interface Bilingual {
  readonly en: string;
  readonly da: string;
}

/**
 * The central value and spread of an uncertain input, as {@link adjustInput} moves them.
 *
 * @category Explorer
 */
export interface CentralAndSpread {
  /**
   * The central value: the mode of a triangular or PERT distribution, the median of a lognormal,
   * the mean of every other distribution (normal, uniform (its midpoint), beta, gamma, Poisson,
   * binomial, empirical, Weibull, Pareto, lognormal-Pareto); a number itself.
   */
  readonly central: number;
  /**
   * The spread, measured as `spreadKind` says: the lognormal's sigma (and a lognormal-Pareto's
   * body's sigma), the standard deviation of every other distribution (Infinity for a Pareto with
   * alpha <= 2, whose variance is infinite), 0 for a number.
   */
  readonly spread: number;
  readonly spreadKind: SpreadKind;
}

/**
 * One of a scenario's influential uncertain inputs, as {@link influentialInputs} lists them.
 *
 * @category Explorer
 */
export interface InfluentialInput extends CentralAndSpread {
  /** The model's name of the input, for example `home-care.useRateTrendPerYear`. */
  readonly name: string;
  /** The scenario field it is read from, for example `['homeCare', 'useRateTrendPerYear']`: pass it to {@link adjustInput}. */
  readonly path: readonly (string | number)[];
  /**
   * The input group the Sobol' analysis ranked, for example `use-rates` (groups whose scalar
   * inputs the scenario correlates are analysed as one, named like `use-rates + intensity`).
   */
  readonly group: string;
  /** The group's rank among all the groups analysed, by total-effect index (1 = the largest); groups without scalar inputs (demography, prices ...) take ranks too. */
  readonly groupRank: number;
  /** The group's total-effect Sobol' index, averaged over the strategies. */
  readonly totalIndex: number;
  /** The input's distribution as the validated scenario holds it (defaults filled in, for example a PERT's lambda). */
  readonly distribution: Uncertain;
  /** A short name of the field. */
  readonly label: Bilingual;
  /** The unit of the field's values (and of `central`, and of `spread` when `spreadKind` is `sd`). */
  readonly unit: Bilingual;
}

/** Options of {@link influentialInputs}. @category Explorer */
export interface InfluentialInputsOptions {
  /** At least this many inputs are listed when the scenario has that many (default 5). */
  readonly count?: number;
  /** The Sobol' base sample N (default 100): the run simulates N·(k + 2) paths for k input groups, under every strategy. */
  readonly n?: number;
  /** The simulated year analysed (default the last). */
  readonly year?: number;
  /** The output (default `treasuryDeviationPct`: the treasury's deviation in % of the adopted budget). */
  readonly figure?: Figure;
  /** A service id, a group of units, or `"total"` (default). */
  readonly service?: string;
}

/** The change {@link adjustInput} makes. @category Explorer */
export interface InputChange {
  /** The new central value (see {@link CentralAndSpread}); default the current one. */
  readonly central?: number;
  /** The spread is multiplied by this finite number >= 0 (default 1); ignored for a plain number. */
  readonly spreadFactor?: number;
}

/** The default base sample of {@link influentialInputs}. */
const DEFAULT_N = 100;
/** Resamples of the analyses' bootstrap: the fewest allowed, since only the estimates are used. */
const BOOTSTRAP = 20;

const SHARE: Bilingual = { en: 'a share', da: 'andel' };
const TREND: Bilingual = { en: 'a relative change a year', da: 'relativ ændring pr. år' };

/** The home-care fields drawn once per path, by the name the model declares them under. */
const HOME_CARE_FIELDS: Readonly<Record<string, { label: Bilingual; unit: Bilingual }>> = {
  hoursPerRecipientPerWeek: {
    label: { en: 'Visited hours per recipient a week', da: 'Visiterede timer pr. modtager pr. uge' },
    unit: { en: 'hours per week', da: 'timer pr. uge' },
  },
  undeliveredShare: {
    label: { en: 'Share of visited hours not delivered', da: 'Andel visiterede timer, der ikke leveres' },
    unit: SHARE,
  },
  userTimeShare: {
    label: { en: 'Share of paid hours with the citizen', da: 'Brugertid (andel af betalte timer hos borgeren)' },
    unit: SHARE,
  },
  useRateFactor: {
    label: { en: 'Factor on the use rates', da: 'Faktor på visitationsraterne' },
    unit: { en: 'a multiplier', da: 'faktor' },
  },
  useRateTrendPerYear: {
    label: { en: 'Trend in the use rates', da: 'Udvikling i visitationsraterne' },
    unit: TREND,
  },
  hoursTrendPerYear: {
    label: { en: 'Trend in hours per recipient', da: 'Udvikling i timer pr. modtager' },
    unit: TREND,
  },
};

/** The home-care trends given as formulas, by the name the model declares their parameters under. */
const FORMULA_FIELDS: Readonly<Record<string, Bilingual>> = {
  useRateTrend: { en: 'use-rate trend', da: 'visitationsraternes udvikling' },
  hoursTrend: { en: 'trend in hours', da: 'udviklingen i timer' },
};

const INTERVENTION_UNITS: Readonly<Record<string, Bilingual>> = {
  savingsPlan: { en: 'a share of the amounts realised', da: 'andel af beløbene, der realiseres' },
  ownProduction: { en: 'a rise of the own share', da: 'stigning i egenandelen' },
};

/** Where a model's scalar input is read from in the scenario, with its label and unit; undefined for an input with no single field. */
function fieldOf(
  name: string,
  s: Scenario,
): { path: (string | number)[]; label: Bilingual; unit: Bilingual } | undefined {
  const home = 'home-care.';
  if (name.startsWith(home) && s.homeCare !== undefined) {
    const rest = name.slice(home.length);
    const field = Object.hasOwn(HOME_CARE_FIELDS, rest) ? HOME_CARE_FIELDS[rest] : undefined;
    if (field !== undefined) return { path: ['homeCare', rest], ...field };
    const dot = rest.indexOf('.');
    const trend = dot < 0 ? '' : rest.slice(0, dot);
    const parameter = rest.slice(dot + 1);
    const what = Object.hasOwn(FORMULA_FIELDS, trend) ? FORMULA_FIELDS[trend] : undefined;
    const spec =
      trend === 'useRateTrend' ? s.homeCare.useRateTrend : trend === 'hoursTrend' ? s.homeCare.hoursTrend : undefined;
    if (what === undefined || spec === undefined || !Object.hasOwn(spec.parameters, parameter)) return undefined;
    return {
      path: ['homeCare', trend, 'parameters', parameter],
      label: { en: `Parameter ${parameter} of the ${what.en}`, da: `Parameteren ${parameter} i ${what.da}` },
      unit: { en: 'as the formula uses it', da: 'som formlen bruger den' },
    };
  }
  if (name === 'specialised.priceGrowthPerYear' && s.specialised !== undefined)
    return {
      path: ['specialised', 'priceGrowthPerYear'],
      label: {
        en: 'Growth of the cost per case beyond prices',
        da: 'Vækst i prisen pr. sag ud over pris- og lønudviklingen',
      },
      unit: { en: 'a growth a year', da: 'vækst pr. år' },
    };
  const prefix = 'interventions.';
  const suffix = '.effect';
  if (name.startsWith(prefix) && name.endsWith(suffix) && name.length > prefix.length + suffix.length) {
    const id = name.slice(prefix.length, -suffix.length);
    const i = s.interventions.findIndex((iv) => iv.id === id);
    if (i < 0) return undefined;
    const kind = s.interventions[i]!.kind;
    return {
      path: ['interventions', i, 'effect'],
      label: { en: `Effect of the intervention "${id}"`, da: `Effekt af indsatsen "${id}"` },
      unit: (Object.hasOwn(INTERVENTION_UNITS, kind) ? INTERVENTION_UNITS[kind] : undefined) ?? {
        en: 'a relative reduction',
        da: 'relativ reduktion',
      },
    };
  }
  return undefined;
}

/** Deep equality of plain data (numbers, strings, arrays, objects). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function integerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max))
    throw new OptionError(`${name}: expected an integer from ${min} to ${max}; received ${JSON.stringify(value)}`, {
      option: name,
      received: value,
    });
  return v;
}

/**
 * The scenario's most influential uncertain inputs, for an explorer that lets an analyst move
 * them: the input groups ranked by their total-effect Sobol' index (averaged over the
 * strategies) for the output in one year, and the scalar inputs of those groups (the parameters
 * the model declares, drawn once per path, that the scenario gives as a distribution rather than
 * a number), each with the scenario field to change it by {@link adjustInput}.
 *
 * The groups are taken in the order of their rank (ties: the order the analysis lists them),
 * each with all its inputs, until at least `count` inputs are listed (all, when the scenario has
 * fewer). Within a group, the inputs are ordered by the absolute Spearman correlation with the
 * same output and year (averaged over the strategies; from a plain run of 2·N paths, made only
 * when a group listed has more than one input), larger first, ties by name. Groups without
 * scalar inputs (the population's error, the price index, care-home flows ...) are ranked but
 * list nothing. A scalar input with no single field of the scenario is left out (none of the
 * scenario's own services declares such an input).
 *
 * Work: one Sobol' run of N·(k + 2) paths under every strategy, k the number of input groups,
 * with a bootstrap of 20 resamples (its intervals are not used), and the rank run of 2·N paths
 * when needed. With the default N = 100, `lejre2034()` (six groups, two strategies, eleven years
 * by month: 800 paths, then 200) takes about 1.5 s in all (measured 1.3-1.7 s on a shared
 * 2-core machine; 3.7 s as the first call of a fresh process, which also compiles the code).
 * The ranks of groups with similar indices can change with N (from N = 50 to N = 100,
 * lejre's total indices moved by up to 0.01 for its three smallest groups, whose order held, and
 * by 0.09 for care-home flows); a larger N costs
 * proportionally more. The result is deterministic for a given scenario (its seed) and options.
 *
 * @param scenario - a scenario (validated here)
 * @param options - how many inputs, the base sample N, the year, the output figure and service
 * @returns the inputs, most influential group first
 * @throws `ScenarioError` when the scenario is invalid
 * @throws `OptionError` on a bad option (count, n, year, figure, service)
 * @example
 * ```ts
 * const inputs = influentialInputs(lejre2034(), { n: 50 });
 * inputs.map((x) => x.path.join('.')); // the trends, user time and undelivered hours, by rank
 * ```
 * @category Explorer
 */
export function influentialInputs(scenario: unknown, options: InfluentialInputsOptions = {}): InfluentialInput[] {
  const parsed = parseScenario(scenario);
  if (options === null || typeof options !== 'object')
    throw new OptionError(`options: expected an object; received ${JSON.stringify(options)}`, {
      option: 'options',
      received: options,
    });
  const count = integerOption('count', options.count, 5, 1, 1000);
  const n = integerOption('n', options.n, DEFAULT_N, 2, 1e7);
  const first = parsed.baseYear + 1;
  const last = parsed.baseYear + parsed.horizonYears;
  const year = options.year ?? last;
  if (!(typeof year === 'number' && Number.isInteger(year) && year >= first && year <= last))
    throw new OptionError(
      `year: expected a simulated year, ${first} to ${last}; received ${JSON.stringify(options.year)}`,
      {
        option: 'year',
        received: options.year,
      },
    );
  const common = {
    years: [year],
    bootstrap: BOOTSTRAP,
    ...(options.figure === undefined ? {} : { figure: options.figure }),
    ...(options.service === undefined ? {} : { service: options.service }),
  };
  const sobol = sobolSensitivity(scenario, { ...common, n });
  const totals = sobol.groups.map((g) => {
    const rows = sobol.rows.filter((r) => r.group === g.id);
    return { group: g, total: rows.reduce((a, r) => a + r.total, 0) / Math.max(1, rows.length) };
  });
  const ranked = totals
    .map((t, i) => ({ ...t, i }))
    .sort((a, b) => b.total - a.total || a.i - b.i)
    .map((t, k) => ({ ...t, rank: k + 1 }));

  const uncertain = inputGroupsOf(scenario).scalars.filter((x) => typeof x.distribution !== 'number');
  const located = uncertain.flatMap((x) => {
    const field = fieldOf(x.name, parsed);
    if (field === undefined) return [];
    const distribution = valueAt(parsed, field.path) as Uncertain | undefined;
    // The field must hold what the model drew from; anything else is not this input's field.
    if (distribution === undefined || !same(distribution, x.distribution)) return [];
    return [{ input: x, field, distribution }];
  });

  const chosen: { group: (typeof ranked)[number]; members: typeof located }[] = [];
  let listed = 0;
  for (const g of ranked) {
    if (listed >= count) break;
    const members = located.filter((l) => g.group.members.includes(l.input.group));
    if (members.length === 0) continue;
    chosen.push({ group: g, members });
    listed += members.length;
  }

  const strength = new Map<string, number>();
  if (chosen.some((c) => c.members.length > 1)) {
    const rank = rankSensitivity(scenario, { ...common, paths: 2 * n });
    for (const input of rank.inputs) {
      const rows = rank.rows.filter((r) => r.input === input.name);
      strength.set(input.name, rows.reduce((a, r) => a + Math.abs(r.rho), 0) / Math.max(1, rows.length));
    }
  }
  const byStrength = (a: ScalarInput, b: ScalarInput) =>
    (strength.get(b.name) ?? 0) - (strength.get(a.name) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

  return chosen.flatMap(({ group, members }) =>
    [...members]
      .sort((a, b) => byStrength(a.input, b.input))
      .map(({ input, field, distribution }) => ({
        name: input.name,
        path: field.path,
        group: group.group.id,
        groupRank: group.rank,
        totalIndex: group.total,
        distribution,
        ...centralAndSpread(distribution),
        label: field.label,
        unit: field.unit,
      })),
  );
}

function sdOfValues(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** Γ(1 + 2/k)/Γ(1 + 1/k)² − 1: a Weibull's squared coefficient of variation at shape k. */
function weibullCv2(k: number): number {
  return Math.exp(logGamma(1 + 2 / k) - 2 * logGamma(1 + 1 / k)) - 1;
}

/**
 * The central value and spread of an uncertain input (see {@link CentralAndSpread} for the
 * rules): what {@link adjustInput} moves and scales.
 *
 * @param u - a number or a validated distribution
 * @returns the central value, the spread and how the spread is measured
 * @example
 * ```ts
 * centralAndSpread({ dist: 'uniform', min: 0, max: 6 }); //=> { central: 3, spread: 1.7320…, spreadKind: 'sd' }
 * centralAndSpread({ dist: 'lognormal', mu: 0, sigma: 0.5 }); //=> { central: 1, spread: 0.5, spreadKind: 'logSd' }
 * ```
 * @category Explorer
 */
export function centralAndSpread(u: Uncertain): CentralAndSpread {
  if (typeof u === 'number') return { central: u, spread: 0, spreadKind: 'none' };
  const sd = (central: number, spread: number): CentralAndSpread => ({ central, spread, spreadKind: 'sd' });
  switch (u.dist) {
    case 'normal':
      return sd(u.mean, u.sd);
    case 'lognormal': {
      const { mu, sigma } = lognormalParameters(lognormalParams(u));
      return { central: u.median ?? Math.exp(mu), spread: sigma, spreadKind: 'logSd' };
    }
    case 'triangular': {
      const { min: a, mode: c, max: b } = u;
      return sd(c, Math.sqrt(Math.max(0, (a * a + b * b + c * c - a * b - a * c - b * c) / 18)));
    }
    case 'pert': {
      const m = meanOf(u);
      return sd(u.mode, Math.sqrt(Math.max(0, ((m - u.min) * (u.max - m)) / (u.lambda + 3))));
    }
    case 'uniform':
      return sd((u.min + u.max) / 2, (u.max - u.min) / Math.sqrt(12));
    case 'beta': {
      const s = u.alpha + u.beta;
      return sd(u.alpha / s, Math.sqrt((u.alpha * u.beta) / (s * s * (s + 1))));
    }
    case 'gamma':
      return sd(u.shape * u.scale, Math.sqrt(u.shape) * u.scale);
    case 'poisson':
      return sd(u.mean, Math.sqrt(u.mean));
    case 'binomial':
      return sd(u.n * u.p, Math.sqrt(u.n * u.p * (1 - u.p)));
    case 'empirical':
      return sd(meanOf(u), sdOfValues(u.values));
    case 'weibull': {
      const m = meanOf(u);
      return sd(m, m * Math.sqrt(Math.max(0, weibullCv2(u.shape))));
    }
    case 'pareto':
      return sd(meanOf(u), u.alpha > 2 ? (u.min / (u.alpha - 1)) * Math.sqrt(u.alpha / (u.alpha - 2)) : Infinity);
    case 'lognormalPareto':
      return { central: meanOf(u), spread: u.sigma, spreadKind: 'logSd' };
  }
}

/** The shape of a Weibull whose squared coefficient of variation is `cv2`, by bisection on log k. */
function weibullShapeFor(cv2: number, where: string, received: unknown): number {
  let lo = Math.log(0.05);
  let hi = Math.log(1000);
  if (!(cv2 <= weibullCv2(Math.exp(lo)) && cv2 >= weibullCv2(Math.exp(hi))))
    throw new OptionError(
      `${where}: expected a Weibull's coefficient of variation (sd/mean) within the shapes 0.05 to 1000 (${Math.sqrt(weibullCv2(1000)).toPrecision(3)} to ${Math.sqrt(weibullCv2(0.05)).toPrecision(3)}); this change asks for ${Math.sqrt(cv2).toPrecision(3)}`,
      { option: where, received },
    );
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (weibullCv2(Math.exp(mid)) > cv2) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** The distribution `u` with its central value at `central` and its spread times `f`, of the same family and form. */
function moved(u: Uncertain, central: number, f: number, where: string): Uncertain {
  if (typeof u === 'number') return central;
  const refuse = (expected: string): never => {
    throw new OptionError(
      `${where}: ${expected}; received central ${central} and spreadFactor ${f} for a ${u.dist} distribution`,
      {
        option: where,
        received: { central, spreadFactor: f },
      },
    );
  };
  const { spread } = centralAndSpread(u);
  const sd = spread * f;
  switch (u.dist) {
    case 'normal':
      return { dist: 'normal', mean: central, sd };
    case 'lognormal': {
      if (!(central > 0)) refuse('expected a central value (the median) > 0 for a lognormal');
      if (u.mu !== undefined) return { dist: 'lognormal', mu: Math.log(central), sigma: sd };
      const p5 = central * Math.exp(-Z95 * sd);
      const p95 = central * Math.exp(Z95 * sd);
      if (u.median === undefined) return { dist: 'lognormal', p5, p95 };
      return {
        dist: 'lognormal',
        median: central,
        ...(u.p5 === undefined ? {} : { p5 }),
        ...(u.p95 === undefined ? {} : { p95 }),
      };
    }
    case 'triangular':
    case 'pert': {
      const min = central + f * (u.min - u.mode);
      const max = central + f * (u.max - u.mode);
      return u.dist === 'pert'
        ? { dist: 'pert', min, mode: central, max, lambda: u.lambda }
        : { dist: 'triangular', min, mode: central, max };
    }
    case 'uniform': {
      const half = (f * (u.max - u.min)) / 2;
      return { dist: 'uniform', min: central - half, max: central + half };
    }
    case 'empirical': {
      const mean = meanOf(u);
      return { dist: 'empirical', values: u.values.map((v) => central + f * (v - mean)) };
    }
    case 'beta': {
      // Mean m and sd s: alpha + beta = m(1 − m)/s² − 1.
      if (!(central > 0 && central < 1))
        refuse('expected a central value (the mean) strictly between 0 and 1 for a beta');
      const total = (central * (1 - central)) / (sd * sd) - 1;
      if (!(total > 0 && Number.isFinite(total)))
        refuse(
          `expected a beta's sd above 0 and below √(mean·(1 − mean)) = ${Math.sqrt(central * (1 - central)).toPrecision(4)} (the new sd would be ${sd.toPrecision(4)})`,
        );
      return { dist: 'beta', alpha: central * total, beta: (1 - central) * total };
    }
    case 'gamma': {
      // Mean m and sd s: shape m²/s², scale s²/m.
      if (!(central > 0)) refuse('expected a central value (the mean) > 0 for a gamma');
      if (!(sd > 0)) refuse('expected spreadFactor > 0 for a gamma (its sd cannot be 0)');
      return { dist: 'gamma', shape: (central * central) / (sd * sd), scale: (sd * sd) / central };
    }
    case 'weibull': {
      // The coefficient of variation sets the shape (bisection), the mean then the scale.
      if (!(central > 0)) refuse('expected a central value (the mean) > 0 for a Weibull');
      if (!(sd > 0)) refuse('expected spreadFactor > 0 for a Weibull (its sd cannot be 0)');
      const shape = weibullShapeFor((sd * sd) / (central * central), where, { central, spreadFactor: f });
      return { dist: 'weibull', shape, scale: central / Math.exp(logGamma(1 + 1 / shape)) };
    }
    case 'pareto': {
      // alpha > 2: sd/mean = 1/√(alpha(alpha − 2)), so alpha = 1 + √(1 + mean²/sd²); min = mean(alpha − 1)/alpha.
      if (!(central > 0)) refuse('expected a central value (the mean) > 0 for a Pareto');
      let alpha = u.alpha;
      if (f !== 1) {
        if (!(u.alpha > 2))
          refuse('expected spreadFactor 1 for a Pareto with alpha <= 2 (its sd is infinite, so it cannot be scaled)');
        if (!(sd > 0)) refuse('expected spreadFactor > 0 for a Pareto (its sd cannot be 0)');
        alpha = 1 + Math.sqrt(1 + (central * central) / (sd * sd));
      }
      return { dist: 'pareto', min: (central * (alpha - 1)) / alpha, alpha };
    }
    case 'poisson':
      if (f !== 1)
        refuse(
          'expected spreadFactor 1 for a Poisson (its sd is the square root of its mean, so it moves with the central value)',
        );
      if (!(central >= 0)) refuse('expected a central value (the mean) >= 0 for a Poisson');
      return { dist: 'poisson', mean: central };
    case 'binomial':
      if (f !== 1) refuse('expected spreadFactor 1 for a binomial (its sd follows from n and p)');
      if (!(central >= 0 && central <= u.n && u.n > 0))
        refuse(`expected a central value (the mean n·p) from 0 to n = ${u.n}`);
      return { dist: 'binomial', n: u.n, p: central / u.n };
    case 'lognormalPareto':
      return refuse(
        'a lognormal-Pareto cannot be moved by a central value and a spread (give its mu, sigma, threshold, tailShare and alpha instead)',
      );
  }
}

/**
 * A copy of a scenario with the uncertain input at `path` moved: its central value (see
 * {@link CentralAndSpread}) set to `central` and its spread multiplied by `spreadFactor`, the
 * distribution's family and form kept; the scenario given is not changed.
 *
 * - normal: the mean, and the sd times the factor
 * - triangular and PERT: the mode set, min and max moved with it and their distances from the
 *   mode times the factor (the sd scales by the factor; PERT's lambda kept)
 * - uniform: around its midpoint, the width times the factor
 * - lognormal: the median set and sigma (the log-space sd) times the factor, written in the
 *   form given (median with p5 and/or p95; p5 and p95; mu and sigma)
 * - empirical: every value v becomes central + factor·(v − mean)
 * - beta, gamma, Weibull: the mean and sd set exactly (beta: alpha + beta = m(1 − m)/s² − 1;
 *   gamma: shape m²/s², scale s²/m; Weibull: the shape from sd/mean by bisection to 1e-15 in
 *   log shape, within shapes 0.05 to 1000, then the scale from the mean)
 * - Pareto: the mean set; with a factor other than 1 (alpha > 2 only) alpha from sd/mean
 * - Poisson, binomial: the mean set; a factor other than 1 is refused (their sd follows)
 * - lognormal-Pareto: refused
 * - a plain number (any numeric field): replaced by `central`; the factor is ignored
 *
 * The new scenario is validated: a distribution that would reach outside the field's range (a
 * trend whose every possible value must lie in ±0.2, a share in [0, 1] ...) or break any other
 * rule of the scenario is refused.
 *
 * @param scenario - a valid scenario
 * @param path - the field, for example `['homeCare', 'useRateTrendPerYear']` (an
 *   {@link InfluentialInput}'s `path`); a field left out of the scenario is read at its default
 * @param change - the new central value and the factor on the spread
 * @returns a new scenario
 * @throws `ScenarioError` when `scenario` is invalid
 * @throws `OptionError` on a bad path or change, a change the family cannot make, or a
 *   result the scenario's rules refuse (naming the field, the new value and what was expected)
 * @example
 * ```ts
 * const s = adjustInput(lejre2034(), ['homeCare', 'useRateTrendPerYear'], { central: 0, spreadFactor: 2 });
 * s.homeCare?.useRateTrendPerYear; //=> { dist: 'pert', min: -0.014, mode: 0, max: 0.014, lambda: 4 }
 * ```
 * @category Explorer
 */
export function adjustInput(
  scenario: ScenarioInput,
  path: readonly (string | number)[],
  change: InputChange,
): ScenarioInput {
  const parsed = parseScenario(scenario);
  if (
    !Array.isArray(path) ||
    path.length === 0 ||
    !path.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isSafeInteger(k) && k >= 0))
  )
    throw new OptionError(
      `path: expected a non-empty list of field names and indices, for example ['homeCare', 'useRateTrendPerYear']; received ${JSON.stringify(path)}`,
      { option: 'path', received: path },
    );
  const where = pathText(path);
  const reserved = path.find((k) => typeof k === 'string' && RESERVED_KEYS.includes(k));
  if (reserved !== undefined)
    throw new OptionError(
      `path: "${reserved}" is reserved, not a field of a scenario; received ${JSON.stringify(path)}`,
      {
        option: 'path',
        received: path,
      },
    );
  if (change === null || typeof change !== 'object')
    throw new OptionError(
      `change: expected an object { central?, spreadFactor? }; received ${JSON.stringify(change)}`,
      {
        option: 'change',
        received: change,
      },
    );
  const f = change.spreadFactor ?? 1;
  if (!(typeof f === 'number' && Number.isFinite(f) && f >= 0))
    throw new OptionError(
      `spreadFactor: expected a finite number >= 0; received ${JSON.stringify(change.spreadFactor)}`,
      {
        option: 'spreadFactor',
        received: change.spreadFactor,
      },
    );
  if (change.central !== undefined && !(typeof change.central === 'number' && Number.isFinite(change.central)))
    throw new OptionError(`central: expected a finite number; received ${JSON.stringify(change.central)}`, {
      option: 'central',
      received: change.central,
    });
  const current = valueAt(parsed, path);
  const isDistribution =
    current !== null &&
    typeof current === 'object' &&
    !Array.isArray(current) &&
    typeof (current as { dist?: unknown }).dist === 'string';
  if (!(typeof current === 'number' || isDistribution))
    throw new OptionError(
      `${where}: expected a field holding a number or a distribution; the scenario has ${current === undefined ? 'no such field (nor a default for it)' : `${Array.isArray(current) ? 'a list' : typeof current} there`}`,
      { option: where, received: current },
    );
  const u = current as Uncertain;
  const central = change.central ?? centralAndSpread(u).central;
  const next = moved(u, central, f, where);

  const copy = structuredClone(scenario) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let child = Object.hasOwn(node, key) ? node[key] : undefined;
    if (child === undefined) {
      // A section left to its defaults: start it empty, the schema fills in the rest.
      child = {};
      node[key] = child;
    }
    if (child === null || typeof child !== 'object')
      throw new OptionError(
        `${where}: expected ${pathText(path.slice(0, i + 1))} to be a section of the scenario; received ${JSON.stringify(child)}`,
        {
          option: where,
          received: child,
        },
      );
    node = child as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = next;

  const r = safeParseScenario(copy);
  if (!r.success)
    throw new OptionError(
      `${where}: the change to ${JSON.stringify(next)} is outside what the scenario allows: ${r.error.problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
      { option: where, received: next },
    );
  return copy as ScenarioInput;
}
