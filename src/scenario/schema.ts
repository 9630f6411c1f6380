import * as z from 'zod';
import { isValid, parse } from 'date-fns';
import { symmetricEigen } from '../math/linalg';
import { correlationMatrixOf, DEFINITE, rankCopulaMatrices } from '../math/correlation';
import { distributionSchema, uncertainSchema, type Uncertain } from './distribution';
import { compileFormula, describeScope, formulaNameProblem, MAX_FORMULA_LENGTH } from './formula';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const share = () => z.number().min(0).max(1);

/*
 * Bounds that reality sets. A value beyond them cannot describe a Danish municipality, and some
 * would overflow or never finish at run time; each bound is far outside what any municipality
 * has, so no real scenario meets it.
 */
/** Persons in an age group: Denmark has about 6 million inhabitants. */
const MAX_PERSONS = 10_000_000;
/** Kr a year for one item (overhead, fixed costs, savings, adjustments): 100 bn kr is more than all municipalities spend on care together (about 60 bn kr). */
const MAX_KR_PER_YEAR = 1e11;
/** A price of one unit (an hour, a place-day, a case-day): 1 kr to 1 m kr (an hour of home care costs about 500 kr, a place-day about 1,500 kr). */
const MIN_KR_PER_UNIT = 1;
const MAX_KR_PER_UNIT = 1_000_000;
/** The yearly cost of one case or place: 1,000 kr to 100 m kr (the dearest specialised cases cost about 10 m kr). */
const MIN_KR_PER_CASE = 1_000;
const MAX_KR_PER_CASE = 100_000_000;
/** An exit rate a year: at least 0.01 (a mean stay of 100 years, longer than a life). */
const MIN_EXIT_PER_YEAR = 0.01;
/** A mean stay: at least a week (1/52 year); shorter is respite care, not a place. */
const MIN_STAY_YEARS = 1 / 52;
/** Places in one care home: the largest Danish care centres have a few hundred. */
const MAX_PLACES = 2_000;
/** The lowest share of paid hours spent with the citizen: price models assume 40-75 %; below 5 % a paid hour buys almost no care. */
const MIN_USER_TIME_SHARE = 0.05;

/**
 * Keys that would reach `Object.prototype` if used as a record key or looked up by id: refused
 * wherever a scenario names something, so no input can change or read the prototype chain.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
const notReserved = (k: string) => !RESERVED_KEYS.includes(k);
const reservedMessage = `expected a name other than ${RESERVED_KEYS.map((k) => `"${k}"`).join(', ')} (reserved)`;
/** An id of something a scenario names: a group, unit, home, intervention or strategy. */
const idSchema = () => z.string().min(1).refine(notReserved, { message: reservedMessage });
/** A record with a null prototype, so a lookup of a missing key never finds `Object.prototype`. */
function recordOf<V extends z.ZodType>(key: z.ZodString, value: V) {
  return z
    .record(key.refine(notReserved, { message: reservedMessage }), value)
    .overwrite((r) => Object.assign(Object.create(null) as typeof r, r));
}

/** The interval a distribution's values can fall in; the third entry is true when the lower end is open. */
export function supportOf(u: Uncertain): [number, number, boolean?] {
  if (typeof u === 'number') return [u, u];
  switch (u.dist) {
    case 'normal':
      // Draws are made by inversion of a 32-bit uniform, so they lie within ±6.4 sd.
      return [u.mean - 6.5 * u.sd, u.mean + 6.5 * u.sd];
    case 'lognormal':
    case 'gamma':
      return [0, Infinity, true];
    case 'triangular':
    case 'pert':
    case 'uniform':
      return [u.min, u.max];
    case 'beta':
      return [0, 1];
    case 'poisson':
      return [0, Infinity];
    case 'binomial':
      return [0, u.n];
    case 'empirical':
      // A loop, not Math.min(...values): a spread of some 100,000 values overflows the stack.
      return [
        u.values.reduce((a, x) => Math.min(a, x), Infinity),
        u.values.reduce((a, x) => Math.max(a, x), -Infinity),
      ];
  }
}

/**
 * An uncertain input whose every possible value must lie in [min, max] (or (min, max] when
 * `minExclusive`), so that no draw can make a share above 1 or a negative number of hours.
 */
function uncertainWithin(min: number, max: number, what: string, minExclusive = false) {
  return uncertainSchema.superRefine((u, ctx) => {
    const [lo, hi, loOpen = false] = supportOf(u);
    const lowOk = minExclusive ? lo > min || (lo === min && loOpen) : lo >= min;
    if (!lowOk || hi > max) {
      const range = `${minExclusive ? '(' : '['}${min}, ${max === Infinity ? '∞)' : `${max}]`}`;
      ctx.addIssue({
        code: 'custom',
        message:
          typeof u === 'number'
            ? `expected ${what} in ${range}`
            : `expected a distribution whose values all lie in ${range} (${what}); a ${u.dist} distribution with these parameters can give values in ${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}]`,
        input: u,
      });
    }
  });
}

/** The typical value of an uncertain input: the number itself, or its distribution's mean or median. */
function typicalOf(u: Uncertain): number {
  if (typeof u === 'number') return u;
  switch (u.dist) {
    case 'normal':
    case 'poisson':
      return u.mean;
    case 'lognormal':
      return u.median ?? (u.mu !== undefined ? Math.exp(u.mu) : Math.sqrt((u.p5 ?? 0) * (u.p95 ?? 0)));
    case 'gamma':
      return u.shape * u.scale;
    case 'triangular':
    case 'pert':
      return u.mode;
    case 'uniform':
      return (u.min + u.max) / 2;
    case 'beta':
      return u.alpha / (u.alpha + u.beta);
    case 'binomial':
      return u.n * u.p;
    case 'empirical':
      return u.values.reduce((a, x) => a + x, 0) / u.values.length;
  }
}

/** An uncertain input whose typical value is at most `max` (for a field whose distributions may have no upper end). */
function typicalAtMost<T extends z.ZodType<Uncertain>>(schema: T, max: number, what: string) {
  return schema.superRefine((u, ctx) => {
    const typical = typicalOf(u as Uncertain);
    if (!(typical <= max))
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} of at most ${max}${typeof u === 'number' ? '' : ` (this distribution's typical value is ${typical})`}`,
        input: u,
      });
  });
}

const monthDay = z.string().superRefine((s, ctx) => {
  const d = /^\d{2}-\d{2}$/.test(s) ? parse(`2001-${s}`, 'yyyy-MM-dd', new Date(2001, 0, 1)) : new Date(NaN);
  if (!isValid(d))
    ctx.addIssue({ code: 'custom', message: 'expected a day of the year as "MM-DD", for example "10-15"', input: s });
});

const populationGroupSchema = z
  .strictObject({
    /** Age group label, for example "80+". */
    id: idSchema(),
    /** Count in the base year (persons). */
    start: z.number().min(1).max(MAX_PERSONS).optional(),
    /** Count in a later year: the baseline grows geometrically from `start` to it. */
    target: z
      .strictObject({ year: z.number().int().min(1990).max(2200), value: z.number().min(1).max(MAX_PERSONS) })
      .optional(),
    /** Growth a year (0.0411 for 4.11 %), used with `start` instead of a target; within ±50 % (no age group halves or grows by half in a year). */
    growthPerYear: z.number().min(-0.5).max(0.5).optional(),
    /** Baseline projection by year (persons): keys are years, from the base year to the horizon. */
    table: recordOf(
      z.string().regex(/^\d{4}$/, 'expected a four-digit year'),
      z.number().min(1).max(MAX_PERSONS),
    ).optional(),
    /** Error in the yearly growth rate, drawn once per path (log-space sd; the spread grows linearly with the horizon). */
    errorGrowthSdPerYear: finite().min(0).max(0.2).default(0.006),
    /** Random-walk shocks a year (log-space sd; the spread grows with the square root of the horizon). */
    errorNoiseSdPerYear: finite().min(0).max(0.2).default(0.002),
    /** Systematic drift of the outcome against the baseline a year (log space; +0.002 = forecasts 0.2 % a year too low). */
    errorDriftPerYear: finite().min(-0.1).max(0.1).default(0),
  })
  .superRefine(
    (g, ctx) => {
      const ways = [g.table !== undefined, g.target !== undefined, g.growthPerYear !== undefined].filter(
        Boolean,
      ).length;
      if (g.table !== undefined && (g.start !== undefined || ways > 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['table'],
          message: 'expected either a table, or start with target or growthPerYear, not both',
          input: g.table,
        });
      } else if (g.table === undefined) {
        if (g.start === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['start'],
            message: 'expected the count in the base year (a number > 0), or a table',
            input: g.start,
          });
        if (ways !== 1)
          ctx.addIssue({
            code: 'custom',
            path: ['target'],
            message: 'expected exactly one of target ({ year, value }) and growthPerYear',
            input: g.target,
          });
      }
    },
    { when: (payload) => looseObject(payload.value) !== undefined },
  );

const capsSchema = z
  .strictObject({ surplusCap: share().nullable().default(0.05), deficitCap: share().nullable().default(0.02) })
  .default({ surplusCap: 0.05, deficitCap: 0.02 });
const yearKey = z.string().regex(/^\d{4}$/, 'expected a four-digit year');
const responseSchema = z.strictObject({
  threshold: share().default(0.01),
  maxCutPerYear: share().default(0.03),
  minLevel: share().default(0.8),
});
const frameFields = {
  id: idSchema().optional(),
  /** Carry-over caps as shares of the adopted frame; `null` means unlimited, 0 means none. */
  carryOver: capsSchema,
  /** Political adjustments to the frame by year (kr, current prices), for example { "2026": -2000000 }. */
  adjustmentsKr: recordOf(yearKey, z.number().min(-MAX_KR_PER_YEAR).max(MAX_KR_PER_YEAR)).default({}),
  /** Tighten service on a forecast overspend (stricter visitation, fewer hours). */
  serviceResponse: responseSchema.optional(),
};

const frameSpecSchema = z.strictObject({ kind: z.literal('frame'), ...frameFields });

const demographicFrameSpecSchema = z.strictObject({
  kind: z.literal('demographicFrame'),
  ...frameFields,
  /** Cost per citizen a year by population group (kr, base-year prices); default from the service's baseline. */
  unitCostKr: recordOf(z.string(), z.number().min(0).max(MAX_KR_PER_CASE)).optional(),
  expost: z.enum(['none', 'same', 'next']).default('none'),
  healthyAgeingPerYear: z.number().min(0).max(0.5).default(0),
});

const hybridSpecSchema = z.strictObject({
  kind: z.literal('hybrid'),
  ...frameFields,
  mode: z.enum(['corridor', 'nextYear']).default('corridor'),
  corridor: share().default(0.03),
  marginalRate: z.number().min(0).max(2).default(0.7),
  regulate: z.enum(['full', 'excess']).default('full'),
  basis: z.enum(['delivered', 'ordered']).default('delivered'),
});

const activitySpecSchema = z.strictObject({
  kind: z.literal('activity'),
  id: idSchema().optional(),
  /** Which activity the provider is paid for: delivered hours (default) or visited (ordered) hours. */
  basis: z.enum(['delivered', 'ordered']).default('delivered'),
  /** Price per unit in base-year prices, uprated by the forecast index; default: the service's price model. */
  pricePerUnitKr: z.number().min(MIN_KR_PER_UNIT).max(MAX_KR_PER_UNIT).optional(),
  /** Share of the year-end gap between cost per unit and price that is corrected (efterregulering). */
  priceCorrection: share().default(0),
  /** The unit of the activity lines paid for, for example "citizen-days" (payment per citizen and care level); default the service's own unit. */
  unit: z.string().min(1).optional(),
});

/**
 * A built-in steering strategy named in a scenario file (the CLI and the demo turn these into
 * strategy plug-ins; code passes plug-ins directly).
 *
 * @category Scenario
 */
export const strategySpecSchema = z.discriminatedUnion('kind', [
  frameSpecSchema,
  demographicFrameSpecSchema,
  hybridSpecSchema,
  activitySpecSchema,
]);

/**
 * The defaults of home care's trends a year, used when neither the change a year nor a formula is
 * given (they are not filled in by the schema, so that giving both can be told apart).
 *
 * @internal
 */
export const DEFAULT_TRENDS_PER_YEAR = { useRateTrendPerYear: -0.005, hoursTrendPerYear: 0 } as const;

/**
 * A driver's trend as a formula: the factor by year t (t = 0 in the base year, 1 the first
 * simulated year) of named parameters, each a number or a distribution drawn once per path. The
 * formula is checked here (its syntax, its names); its values for every simulated year at the
 * parameters' means in the scenario's cross-field checks.
 */
const trendFormulaSchema = z
  .strictObject({
    /** For example `(1 - healthyAgeing)^t`: 1 at t = 0, multiplying the base year's value. */
    formula: z.string().min(1).max(MAX_FORMULA_LENGTH),
    /** The formula's parameters by name: numbers or distributions, drawn once per path. */
    parameters: recordOf(z.string(), uncertainSchema).default({}),
  })
  .superRefine((f, ctx) => {
    const names = Object.keys(f.parameters);
    let namesOk = true;
    for (const name of names) {
      const problem = formulaNameProblem(name);
      if (problem !== undefined) {
        namesOk = false;
        ctx.addIssue({ code: 'custom', path: ['parameters', name], message: problem, input: name });
      }
    }
    if (names.includes('t')) {
      namesOk = false;
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', 't'],
        message: '"t" is the year of the formula; choose another name for the parameter',
        input: 't',
      });
    }
    if (!namesOk) return;
    const compiled = compileFormula(f.formula, { parameters: names, field: 'formula' });
    if (!compiled.ok)
      for (const message of compiled.problems)
        ctx.addIssue({ code: 'custom', path: ['formula'], message, input: f.formula });
  });

const homeCareSchema = z.strictObject({
  label: z.string().min(1).default('Home care (§83)'),
  /** Share of each age group receiving home care in the base year; one entry per population group. */
  useRates: recordOf(z.string(), share()),
  /** Relative change a year of the age-specific use rates (healthy ageing: -0.005), drawn once per path; default -0.005 unless `useRateTrend` is given. */
  useRateTrendPerYear: uncertainWithin(-0.2, 0.2, 'a relative change a year')
    .optional()
    .meta({ default: DEFAULT_TRENDS_PER_YEAR.useRateTrendPerYear }),
  /** The use rates' factor by year as a formula of t (0 in the base year) and named parameters, instead of `useRateTrendPerYear`. */
  useRateTrend: trendFormulaSchema.optional(),
  /** Multiplicative error on all use rates, drawn once per path (1 = none); its typical value (mean or median) at most 3. */
  useRateFactor: typicalAtMost(uncertainWithin(0, Infinity, 'a multiplier', true), 3, 'a multiplier').default(1),
  /** Visited (ordered) hours per recipient per week; its typical value (mean or median) at most 168, the hours of a week. */
  hoursPerRecipientPerWeek: typicalAtMost(
    uncertainWithin(0, Infinity, 'hours per week', true),
    168,
    'hours per week',
  ).default(3.2),
  /** Relative change a year of visited hours per recipient (0 = none), drawn once per path; default 0 unless `hoursTrend` is given. */
  hoursTrendPerYear: uncertainWithin(-0.2, 0.2, 'a relative change a year')
    .optional()
    .meta({ default: DEFAULT_TRENDS_PER_YEAR.hoursTrendPerYear }),
  /** The factor of visited hours per recipient by year as a formula of t and named parameters, instead of `hoursTrendPerYear`. */
  hoursTrend: trendFormulaSchema.optional(),
  /** Share of visited hours not delivered (cancellations, hospital stays: "cold hours"). */
  undeliveredShare: uncertainWithin(0, 0.99, 'a share').default(0.05),
  /** Share of paid staff hours spent with the citizen (brugertid), at least 5 %. */
  userTimeShare: uncertainWithin(MIN_USER_TIME_SHARE, 1, 'a share of at least 5 %').default(0.6),
  /** Wage cost per paid staff hour, base-year prices (kr; 1 kr to 1 m kr). */
  wageCostPerPaidHourKr: z.number().min(MIN_KR_PER_UNIT).max(MAX_KR_PER_UNIT).default(282),
  /** Fixed overhead a year, base-year prices (kr; at most 100 bn kr). */
  overheadKrPerYear: z.number().min(0).max(MAX_KR_PER_YEAR).default(0),
  /**
   * The share of paid hours with the citizen that the municipality's price model assumes when
   * it sets the hourly price (default: the mean of `userTimeShare`). An optimistic assumption
   * under-prices the hour and gives the provider systematic deficits under activity steering.
   */
  assumedUserTimeShare: z.number().min(MIN_USER_TIME_SHARE).max(1).optional(),
  /** Year-to-year noise in the number of recipients (Poisson-like, independent per unit). */
  recipientNoise: z.boolean().default(true),
  /** Coefficient of variation of visited hours between recipients (1.2 matches DST's spread: most under 2 h, 2 % over 20 h). */
  individualHoursCv: z.number().min(0).max(10).default(1.2),
  /** Split into units (districts) each steered with its own budget; population shares must sum to 1. */
  units: z
    .array(
      z.strictObject({
        id: idSchema().regex(/^[^:]+$/, 'expected an id without ":"'),
        populationShare: z.number().min(0.001).max(1),
      }),
    )
    .min(1)
    .optional(),
  /**
   * Home care granted in care levels (packages; helhedspleje under the Elderly Act) instead of
   * single services: citizens move between levels month by month, each level takes its own
   * hours, and the package model saves administrative ("cold") paid hours. Adds the activity
   * lines citizen-days per level (unit `citizen-days`) beside the hours.
   */
  careLevels: z
    .strictObject({
      /** The levels, lowest need first; hours per citizen a week at the level (drawn once per path, replaces `hoursPerRecipientPerWeek`). */
      levels: z
        .array(
          z.strictObject({
            id: z
              .string()
              .min(1)
              .regex(/^[^:]+$/, 'expected an id without ":"'),
            label: z.string().min(1).optional(),
            hoursPerWeek: uncertainWithin(0, 168, 'hours per week', true),
          }),
        )
        .min(1)
        .max(12),
      /** Share of recipients at each level by population group in the base year (one share per level, summing to 1). */
      shares: z.record(z.string(), z.array(share()).min(1)),
      /** Monthly probability of moving from level i (row) to level j (column); rows sum to 1. */
      transitions: z.array(z.array(share()).min(1)).min(1),
      /**
       * Uncertainty of the transition matrix: each row is drawn per path from a Dirichlet
       * distribution with the row as mean and this concentration (larger = surer; about the
       * number of observed moves behind the row). Omitted: the matrix is certain.
       */
      transitionConcentration: z.number().gt(0).max(1e9).optional(),
      /** Share of the paid hours not spent with the citizen that the package model saves (fewer "cold" hours), drawn once per path. */
      coldHoursSavedShare: uncertainWithin(0, 1, 'a share').default(0),
    })
    .superRefine((c, ctx) => {
      const L = c.levels.length;
      if (c.transitions.length !== L)
        ctx.addIssue({
          code: 'custom',
          path: ['transitions'],
          message: `expected ${L} rows, one per level`,
          input: c.transitions.length,
        });
      c.transitions.forEach((row, i) => {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9)
          ctx.addIssue({
            code: 'custom',
            path: ['transitions', i],
            message: `expected ${L} probabilities that sum to 1 (this row has ${row.length} summing to ${sum})`,
            input: row,
          });
      });
      for (const [g, row] of Object.entries(c.shares)) {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9)
          ctx.addIssue({
            code: 'custom',
            path: ['shares', g],
            message: `expected ${L} shares that sum to 1 (received ${row.length} summing to ${sum})`,
            input: row,
          });
      }
    })
    .optional(),
  /**
   * Free choice of provider: the municipality's own provider and private providers with market
   * shares, each a unit of home care in results (`home-care:own`, `home-care:<id>`). Under the
   * approval model (godkendelsesmodellen) private providers are paid the municipality's
   * computed hourly price and, when its own provider's actual cost per delivered hour exceeds
   * it, the gap times their hours afterwards (efterbetaling); under the tender model their bid.
   */
  providers: z
    .strictObject({
      model: z.enum(['approval', 'tender']).default('approval'),
      /** Name of the municipality's own provider. */
      ownLabel: z.string().min(1).default('Municipal home care'),
      private: z
        .array(
          z.strictObject({
            id: z
              .string()
              .min(1)
              .regex(/^[^:]+$/, 'expected an id without ":"')
              .refine((x) => x !== 'own', {
                message: 'expected an id other than "own" (the municipality\'s own provider)',
              }),
            label: z.string().min(1).optional(),
            /** Share of the recipients: a number or distribution drawn once per path, or a share by calendar year (years not given keep the latest given). */
            marketShare: z.union([
              uncertainWithin(0, 1, 'a share'),
              z.record(z.string().regex(/^\d{4}$/, 'expected a calendar year'), share()),
            ]),
            /** Tender model: the bid per delivered hour, base-year prices (uprated by the actual price index). */
            bidPriceKrPerHour: z.number().positive().optional(),
            /** The provider's own cost per delivered hour, base-year prices (uprated by the actual index), drawn once per path; given, its margin is recorded. */
            costKrPerHour: uncertainWithin(0, Infinity, 'kr per hour', true).optional(),
          }),
        )
        .min(1),
      /** The budget year the back-payment falls on: the year after (default: the actual cost is known from the accounts after year end) or the same year. */
      backPayment: z.enum(['next-year', 'same-year']).default('next-year'),
    })
    .optional(),
});

const isoDate = z.string().superRefine((v, ctx) => {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parse(v, 'yyyy-MM-dd', new Date(2001, 0, 1)) : new Date(NaN);
  if (!isValid(d)) ctx.addIssue({ code: 'custom', message: 'expected a date as "YYYY-MM-DD"', input: v });
});

const careHomeSchema = z.strictObject({
  id: idSchema(),
  /** Places at the start (at most 2,000: the largest Danish care centres have a few hundred). */
  places: z.number().int().min(1).max(MAX_PLACES),
  /** Share of places occupied at the start. */
  occupiedAtStart: share().default(0.97),
  /**
   * Fixed cost of the home a year (kr, base-year prices): management, building, night cover.
   * With the default cost per place, a place costs 600,000 kr a year in a home of 45 places and
   * 450,000 kr in one of 90: about 25 % cheaper, as KL found in 2012.
   */
  fixedCostKrPerYear: z.number().min(0).max(MAX_KR_PER_YEAR).default(13_500_000),
  /** Cost per place a year (kr, base-year prices). */
  costPerPlaceKrPerYear: z.number().min(0).max(MAX_KR_PER_CASE).default(300_000),
  /** Capacity changes from a date: a new wing, a closed floor. */
  capacityChanges: z
    .array(z.strictObject({ from: isoDate, places: z.number().int().min(0).max(MAX_PLACES) }))
    .default([]),
});

/**
 * The schema of a scenario's `careHomes` section, for checking that section alone (a form that
 * edits the care homes, say).
 *
 * @category Scenario
 */
export const careHomesSchema = z.strictObject({
  label: z.string().min(1).default('Care homes (plejeboliger)'),
  homes: z.array(careHomeSchema).min(1).max(100),
  /**
   * Length of stay: a constant exit rate (`exitPerYear`, 0.69 a year is 5.6 % a month and
   * half of the residents present leave within a year), or a mixture of short and long stays with
   * exponential lengths (means in years). An exit rate is at least 0.01 a year (a mean stay of
   * 100 years) and at most 52 (a week); a mean stay at least a week.
   */
  stay: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('constant'), exitPerYear: z.number().min(MIN_EXIT_PER_YEAR).max(52) }),
      z.strictObject({
        kind: z.literal('mixture'),
        shortShare: share(),
        shortMeanYears: z.number().min(MIN_STAY_YEARS).max(50),
        longMeanYears: z.number().min(MIN_STAY_YEARS).max(50),
      }),
    ])
    .default({ kind: 'mixture', shortShare: 0.33, shortMeanYears: 0.4, longMeanYears: 3.7 }),
  /** The population group applicants come from, in proportion to its size. */
  applicantGroup: idSchema().default('80+'),
  /** Applicants a year per citizen of that group; default: as many as the residents at the start leave a year (steady state). */
  applicantsPerCitizenPerYear: z.number().min(0).max(1).optional(),
  /** The waiting guarantee (days); beyond it the citizen is placed externally. */
  guaranteeDays: z.number().int().min(1).max(3650).default(60),
  /**
   * Days a place stays empty after a resident leaves before the next moves in: clearing the
   * flat, refurbishing it, the offer and its acceptance (default 14, an assumption that puts
   * occupancy at about 98.5 % with the default stays, within the 95-99 % of municipal practice).
   */
  vacancyDays: z.number().min(0).max(365).default(14),
  /** Price of an external place a day (kr, base-year prices). Default: 1,900 kr (an inter-municipal place in Lejre, 004). */
  externalKrPerDay: z.number().min(0).max(MAX_KR_PER_UNIT).default(1900),
  /** Home care a waiting citizen receives (visited hours a week), paid by the home-care service. */
  homeCareHoursPerWeekWhileWaiting: z.number().min(0).max(168).default(15),
  /**
   * Paths simulated once per run on the baseline world (baseline population, forecast index,
   * interventions at their mean effects) to form the ex-ante expectation of occupancy, the
   * waiting list and external placements that budgets and prices are set from.
   */
  baselinePaths: z.number().int().min(1).max(10_000).default(200),
});

/**
 * The schema of a scenario's `specialised` section, for checking that section alone.
 *
 * @category Scenario
 */
export const specialisedSchema = z.strictObject({
  label: z.string().min(1).default('Specialised adult social area (§107/§108/§85)'),
  /** Cases at the start. */
  casesAtStart: z.number().int().min(0).max(100_000),
  /** New adult cases a year (Poisson mean). */
  inflowPerYear: z.number().min(0).max(100_000),
  /** Young people moving from the children's area at 18, a year (Poisson mean). */
  transitionsAt18PerYear: z.number().min(0).max(100_000).default(0),
  /** Exit rate a year (cases are long: 0.1 is a mean of ten years). */
  exitPerYear: z.number().min(MIN_EXIT_PER_YEAR).max(10).default(0.1),
  /**
   * Yearly cost of a case, drawn when it starts (kr, base-year prices): a lognormal body
   * (median and P95) and, with probability `tailShare`, a Pareto tail above `tailFromKr` with
   * index `tailAlpha` (smaller is heavier; below 2 the variance is infinite). Costs per case lie
   * in 1,000 kr to 100 m kr a year (the dearest cases cost about 10 m kr).
   */
  costPerCase: z
    .strictObject({
      medianKr: z.number().min(MIN_KR_PER_CASE).max(MAX_KR_PER_CASE),
      p95Kr: z.number().min(MIN_KR_PER_CASE).max(MAX_KR_PER_CASE),
      tailShare: share().default(0.05),
      tailFromKr: z.number().min(MIN_KR_PER_CASE).max(MAX_KR_PER_CASE).default(2_000_000),
      tailAlpha: z.number().gt(1).max(10).default(2.5),
    })
    .superRefine(
      (c, ctx) => {
        if (typeof c.p95Kr === 'number' && typeof c.medianKr === 'number' && !(c.p95Kr > c.medianKr))
          ctx.addIssue({
            code: 'custom',
            path: ['p95Kr'],
            message: `expected p95Kr > medianKr (${c.medianKr})`,
            input: c.p95Kr,
          });
      },
      { when: (payload) => looseObject(payload.value) !== undefined },
    ),
  /** Growth of the cost per case beyond the price index, a year (heavier needs), drawn once per path. */
  priceGrowthPerYear: uncertainWithin(-0.2, 0.5, 'a growth a year').default(0),
  /** Share of cases served in own places, by calendar year (linear between the years given, flat outside). */
  ownShare: recordOf(z.string().regex(/^\d{4}$/, 'expected a four-digit year'), share()).default({}),
  /** Own production is cheaper than buying by this share (0.15 in Herning, 003). */
  ownDiscount: share().default(0.15),
});

/** The driver each kind of intervention changes. */
export const INTERVENTION_TARGETS = {
  /** Screen visits: shorter visits, less driving (Lejre, 004): visited hours per recipient fall. */
  screenVisits: 'home-care.hours',
  /** Rehabilitation: fewer citizens need home care (lower use rates). */
  rehabilitation: 'home-care.useRate',
  /** Packages instead of single services: fewer administrative and travel hours (Hedensted, 002): paid hours per delivered hour fall. */
  packages: 'home-care.paidHours',
  /** A flexible home-care package that delays care-home entry (Slagelse, 001): fewer care-home applicants. */
  flexiblePackage: 'care-homes.applicants',
  /** More own production (Herning, 003): the own share of specialised cases rises by the effect (absolute). */
  ownProduction: 'specialised.ownShare',
  /** A savings plan (Hedensted, 002): the service's cost falls by the amounts, times the effect (the share realised). */
  savingsPlan: 'savings',
} as const;

const interventionSchema = z
  .strictObject({
    id: idSchema(),
    kind: z.enum(['screenVisits', 'rehabilitation', 'packages', 'flexiblePackage', 'ownProduction', 'savingsPlan']),
    /** The first day it acts. */
    from: isoDate,
    /** Months until the full effect (linear ramp; 0 = at once). */
    rampMonths: z.number().int().min(0).max(360).default(12),
    /**
     * The full effect, a relative reduction of the driver (0.1 = 10 % fewer hours), or for
     * `ownProduction` the rise of the own share, or for `savingsPlan` the share of the amounts
     * realised; may be a distribution (drawn once per path).
     */
    effect: uncertainWithin(-1, 1, 'an effect').default(1),
    /** For `savingsPlan`: the amounts by calendar year (kr, base-year prices). */
    amountsKr: recordOf(
      z.string().regex(/^\d{4}$/, 'expected a four-digit year'),
      z.number().min(0).max(MAX_KR_PER_YEAR),
    ).default({}),
    /** For `savingsPlan`: the service whose cost falls (default home care). */
    service: z.enum(['home-care', 'care-homes', 'specialised']).default('home-care'),
    /** What it costs a year (kr, base-year prices) ... */
    costKrPerYear: z.number().min(0).max(MAX_KR_PER_YEAR).default(0),
    /** ... for this many years from its start (0 = as long as it runs). */
    costYears: z.number().min(0).max(100).default(0),
  })
  .superRefine(
    (v, ctx) => {
      if (v.kind === 'savingsPlan' && looseObject(v.amountsKr) !== undefined && Object.keys(v.amountsKr).length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['amountsKr'],
          message: 'expected the amounts of the savings plan by year',
          input: v.amountsKr,
        });
    },
    { when: (payload) => looseObject(payload.value) !== undefined },
  );

/**
 * A rank correlation between scalar inputs: `inputs` are the names of inputs drawn once per path
 * (for example `home-care.hoursPerRecipientPerWeek`; `carebudget.inputGroupsOf` lists a model's),
 * `rank` one Spearman correlation for every pair or a full matrix. The matrix must be positive
 * definite (after the Gaussian copula's 2·sin(πρ/6)), unless `repair` asks for the nearest valid
 * one.
 */
const correlationSpecSchema = z
  .strictObject({
    inputs: z.array(z.string().min(1).max(200)).min(2).max(50),
    rank: z.union([z.number().min(-1).max(1), z.array(z.array(z.number().min(-1).max(1)))]),
    repair: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const n = c.inputs.length;
    c.inputs.forEach((name, i) => {
      if (c.inputs.indexOf(name) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['inputs', i],
          message: `expected each input once; "${name}" appears twice`,
          input: name,
        });
    });
    if (
      typeof c.rank !== 'number' &&
      !checkMatrixShape(
        c.rank,
        n,
        ['rank'],
        `expected one correlation or a ${n}×${n} matrix (one row and column per input)`,
        ctx,
      )
    )
      return;
    const m = typeof c.rank === 'number' ? correlationMatrixOf(c.rank, n) : c.rank;
    if (c.repair) return;
    // The copula's own computation, so that what passes here passes when the run builds it.
    const { lambdaSpearman, lambdaPearson } = rankCopulaMatrices(m);
    const min = Math.min(lambdaSpearman, lambdaPearson);
    if (!(min > DEFINITE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rank'],
        message: `expected a positive definite correlation matrix (its smallest eigenvalue is ${min.toPrecision(3)}): some correlations contradict each other; fix them, or set repair: true for the nearest valid matrix`,
        input: c.rank,
      });
    }
  });

/** How a scenario's scalar inputs are sampled. */
const samplingSchema = z.strictObject({
  /** `random` (default): each path draws its inputs from its own streams; `latinHypercube`: the paths of a run split each input's distribution into equal strata, each used once. */
  method: z.enum(['random', 'latinHypercube']).default('random'),
  /** Rank correlations between scalar inputs (a Gaussian copula per entry); an input may appear in one entry only. */
  correlations: z
    .array(correlationSpecSchema)
    .max(20)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((c, k) =>
        c.inputs.forEach((name, i) => {
          const other = seen.get(name);
          if (other !== undefined && other !== k)
            ctx.addIssue({
              code: 'custom',
              path: [k, 'inputs', i],
              message: `expected each input in one correlation entry; "${name}" is also in entry ${other}`,
              input: name,
            });
          seen.set(name, k);
        }),
      );
    }),
});

/**
 * The scenario schema: everything a run needs, validated once at the edge.
 *
 * Units: money in kr (base-year prices unless a field says otherwise), hours per week, shares
 * as fractions (0.05 = 5 %), rates per year.
 *
 * @category Scenario
 */
export const scenarioSchema = z
  .strictObject({
    /** A short name, shown in reports. */
    name: z.string().min(1),
    description: z.string().optional(),
    /** The last year with known figures; the first simulated year is baseYear + 1. */
    baseYear: z.number().int().min(1990).max(2100),
    /** Number of simulated years (1 to 30). */
    horizonYears: z.number().int().min(1).max(30),
    /** Time step of the simulation within a year. */
    step: z.enum(['month', 'quarter', 'year']).default('month'),
    /** The run's seed: a non-negative integer or a string. */
    seed: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1)]).default(1),
    /** Number of Monte Carlo paths. */
    paths: z.number().int().min(1).max(100_000_000).default(1000),
    /** The budget calendar: budget adoption in the autumn before the year, follow-ups during it. */
    calendar: z
      .strictObject({
        adoption: monthDay.default('10-15'),
        followUps: z.array(monthDay).max(12).default(['03-31', '06-30', '09-30']),
      })
      .default({ adoption: '10-15', followUps: ['03-31', '06-30', '09-30'] }),
    population: z.strictObject({
      groups: z.array(populationGroupSchema).min(1).max(50),
      /** Correlation of the projection errors across age groups: one number for every pair, or a full matrix. */
      correlation: z.union([z.number().min(-1).max(1), z.array(z.array(z.number().min(-1).max(1)))]).default(0.8),
    }),
    prices: z
      .strictObject({
        /** Forecast price and wage index growth a year, used to uprate budgets (0.023 = 2.3 %). */
        indexForecastPerYear: z.number().gt(-0.5).lt(0.5).default(0.023),
        /** Standard deviation of the outcome around the forecast, a year (0.008 = 0.8 percentage points). */
        indexOutcomeSdPerYear: z.number().min(0).max(0.2).default(0.008),
      })
      .default({ indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0.008 }),
    /** Home care (§83). Optional, but a scenario needs at least one service. */
    homeCare: homeCareSchema.optional(),
    /** Care homes: capacity with a waiting list, linked to home care. Optional. */
    careHomes: careHomesSchema.optional(),
    /** The specialised adult social area: a stock of cases with heavy-tailed costs. Optional. */
    specialised: specialisedSchema.optional(),
    /** Interventions, each changing one driver from a date with a ramp. */
    interventions: z.array(interventionSchema).max(100).default([]),
    /** Strategies to compare when none are passed in code. */
    strategies: z
      .array(strategySpecSchema)
      .min(1)
      .prefault([{ kind: 'frame' }, { kind: 'activity' }]),
    /** How the scalar inputs (the parameters drawn once per path) are sampled: plain or Latin hypercube, and rank correlations between them. */
    sampling: samplingSchema.prefault({}),
  })
  .superRefine((s, ctx) => checkScenario(s as unknown as Loose, ctx), {
    when: (payload) => looseObject(payload.value) !== undefined,
  });

/** A value seen by the cross-field checks: typed when its field passed, raw input when it failed. */
type Loose = Readonly<Record<string, unknown>>;
const looseObject = (v: unknown): Loose | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
const looseArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const looseInt = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);

/**
 * The scenario's cross-field rules. They run even when other fields fail (zod's `when`), so one
 * round of validation lists every problem: each rule reads only fields of the right shape and
 * skips what it cannot check. Lookups use `Object.hasOwn`, so an id such as `toString` never
 * finds `Object.prototype`.
 */
function checkScenario(s: Loose, ctx: z.RefinementCtx): void {
  const baseYear = looseInt(s.baseYear);
  const horizon = looseInt(s.horizonYears);
  const last = baseYear !== undefined && horizon !== undefined ? baseYear + horizon : undefined;
  const population = looseObject(s.population);
  const groups = looseArray(population?.groups).map(looseObject);
  const rawIds = groups.map((g) => (typeof g?.id === 'string' ? g.id : undefined));
  // Checks against the groups' ids need every id; the others use those there are.
  const idsKnown = Array.isArray(population?.groups) && rawIds.every((id) => id !== undefined);
  const ids = rawIds.filter((id): id is string => id !== undefined);
  const groupList = ids.join(', ');
  groups.forEach((g, i) => {
    const id = rawIds[i];
    if (id !== undefined && rawIds.indexOf(id) !== i)
      ctx.addIssue({
        code: 'custom',
        path: ['population', 'groups', i, 'id'],
        message: 'expected a unique group id',
        input: id,
      });
    const target = looseObject(g?.target);
    const targetYear = looseInt(target?.year);
    if (baseYear !== undefined && targetYear !== undefined && targetYear <= baseYear) {
      ctx.addIssue({
        code: 'custom',
        path: ['population', 'groups', i, 'target', 'year'],
        message: `expected a year after the base year ${baseYear}`,
        input: targetYear,
      });
    }
    const table = looseObject(g?.table);
    if (table !== undefined && baseYear !== undefined && last !== undefined) {
      for (let y = baseYear; y <= last; y++) {
        if (!Object.hasOwn(table, String(y))) {
          ctx.addIssue({
            code: 'custom',
            path: ['population', 'groups', i, 'table', String(y)],
            message: `expected a count for every year ${baseYear} to ${last}`,
            input: undefined,
          });
          break;
        }
      }
    }
  });
  const hc = looseObject(s.homeCare);
  if (s.homeCare === undefined && s.careHomes === undefined && s.specialised === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['homeCare'],
      message: 'expected at least one service: homeCare, careHomes or specialised',
      input: undefined,
    });
  }
  if (hc !== undefined) {
    const useRates = looseObject(hc.useRates);
    if (useRates !== undefined && idsKnown) {
      for (const key of Object.keys(useRates)) {
        if (!ids.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'useRates', key],
            message: `expected one of the population groups (${groupList})`,
            input: useRates[key],
          });
      }
    }
    const levelShares = looseObject(looseObject(hc.careLevels)?.shares);
    if (levelShares !== undefined && idsKnown) {
      for (const id of ids) {
        if (!Object.hasOwn(levelShares, id))
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'careLevels', 'shares', id],
            message: 'expected shares per level for every population group',
            input: undefined,
          });
      }
    }
    const pv = looseObject(hc.providers);
    if (pv !== undefined) {
      if (hc.units !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['homeCare', 'providers'],
          message: 'expected either units or providers, not both',
          input: undefined,
        });
      const providers = looseArray(pv.private).map(looseObject);
      // A share by year counts with its largest value, a distribution with the least it can draw (draws above 1 in total are scaled down per path).
      const least = (m: unknown): number | undefined => {
        if (typeof m === 'number') return m;
        const o = looseObject(m);
        if (o === undefined) return undefined;
        if ('dist' in o) {
          const parsed = uncertainSchema.safeParse(m);
          return parsed.success ? supportOf(parsed.data)[0] : undefined;
        }
        let most: number | undefined;
        for (const v of Object.values(o)) if (typeof v === 'number' && (most === undefined || v > most)) most = v;
        return most;
      };
      const shares = providers.map((p) => least(p?.marketShare));
      if (shares.length > 0 && shares.every((x) => x !== undefined)) {
        const total = (shares as number[]).reduce((a, x) => a + x, 0);
        if (!(total < 1))
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'providers', 'private'],
            message: `expected private market shares that sum to less than 1 (their numbers, largest yearly shares or least possible draws sum to ${total})`,
            input: undefined,
          });
      }
      const providerIds = providers.map((p) => p?.id);
      providers.forEach((p, i) => {
        if (pv.model === 'tender' && p !== undefined && p.bidPriceKrPerHour === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'providers', 'private', i, 'bidPriceKrPerHour'],
            message: 'expected a bid price per hour under the tender model',
            input: undefined,
          });
        if (typeof providerIds[i] === 'string' && providerIds.indexOf(providerIds[i]) !== i)
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'providers', 'private', i, 'id'],
            message: 'expected a unique provider id',
            input: providerIds[i],
          });
      });
    }
    const units = Array.isArray(hc.units) ? hc.units.map(looseObject) : undefined;
    if (units !== undefined) {
      const shares = units.map((u) => u?.populationShare);
      if (shares.every((x) => typeof x === 'number')) {
        const total = (shares as number[]).reduce((a, x) => a + x, 0);
        if (Math.abs(total - 1) > 1e-9)
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'units'],
            message: `expected population shares that sum to 1 (they sum to ${total})`,
            input: shares,
          });
      }
      const unitIds = units.map((u) => u?.id);
      unitIds.forEach((u, i) => {
        if (typeof u === 'string' && unitIds.indexOf(u) !== i)
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'units', i, 'id'],
            message: 'expected a unique unit id',
            input: u,
          });
      });
    }
    if (useRates !== undefined) {
      for (const id of ids) {
        if (!Object.hasOwn(useRates, id))
          ctx.addIssue({
            code: 'custom',
            path: ['homeCare', 'useRates', id],
            message: 'expected a use rate in [0, 1] for every population group',
            input: undefined,
          });
      }
    }
    // Given a formula, the change a year must be left out (its default is not used).
    for (const [formula, perYear] of [
      ['useRateTrend', 'useRateTrendPerYear'],
      ['hoursTrend', 'hoursTrendPerYear'],
    ] as const) {
      if (hc[formula] !== undefined && hc[perYear] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['homeCare', formula],
          message: `expected either ${formula} (a formula) or ${perYear} (a change a year), not both`,
          input: hc[perYear],
        });
    }
    if (horizon !== undefined && baseYear !== undefined) {
      for (const field of ['useRateTrend', 'hoursTrend'] as const)
        checkTrendFormula(looseObject(hc[field]), field, baseYear, horizon, ctx);
    }
  }
  const interventions = looseArray(s.interventions).map(looseObject);
  interventions.forEach((iv, i) => {
    const kind = iv?.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(INTERVENTION_TARGETS, kind)) return;
    const target =
      kind === 'savingsPlan'
        ? (iv?.service ?? 'home-care')
        : INTERVENTION_TARGETS[kind as keyof typeof INTERVENTION_TARGETS].split('.')[0]!;
    const present =
      (target === 'home-care' && s.homeCare !== undefined) ||
      (target === 'care-homes' && s.careHomes !== undefined) ||
      (target === 'specialised' && s.specialised !== undefined);
    if (!present && typeof target === 'string')
      ctx.addIssue({
        code: 'custom',
        path: ['interventions', i, 'kind'],
        message: `expected the scenario to have the service it changes (${target})`,
        input: kind,
      });
  });
  const ivIds = interventions.map((iv) => iv?.id);
  ivIds.forEach((x, i) => {
    if (typeof x === 'string' && ivIds.indexOf(x) !== i)
      ctx.addIssue({
        code: 'custom',
        path: ['interventions', i, 'id'],
        message: 'expected a unique intervention id',
        input: x,
      });
  });
  const ch = looseObject(s.careHomes);
  if (ch !== undefined) {
    const applicantGroup = ch.applicantGroup ?? '80+';
    if (typeof applicantGroup === 'string' && idsKnown && !ids.includes(applicantGroup))
      ctx.addIssue({
        code: 'custom',
        path: ['careHomes', 'applicantGroup'],
        message: `expected one of the population groups (${groupList})`,
        input: applicantGroup,
      });
    const homeIds = looseArray(ch.homes).map((h) => looseObject(h)?.id);
    homeIds.forEach((h, i) => {
      if (typeof h === 'string' && homeIds.indexOf(h) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['careHomes', 'homes', i, 'id'],
          message: 'expected a unique home id',
          input: h,
        });
    });
  }
  const corr = population?.correlation;
  if (idsKnown && ids.length > 1) {
    if (Array.isArray(corr) && corr.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number')))
      checkCorrelation(corr as number[][], ids.length, ctx);
    else if (typeof corr === 'number' && corr >= -1 && corr <= 1) checkUniformCorrelation(corr, ids.length, ctx);
  }
  const strategies = Array.isArray(s.strategies) ? s.strategies.map(looseObject) : [];
  const sIds = strategies.map((st) => (st === undefined ? undefined : strategySpecId(st as unknown as StrategySpec)));
  sIds.forEach((id, i) => {
    if (id !== undefined && sIds.indexOf(id) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', i, 'id'],
        message: `expected a unique strategy id ("${id}" is used twice; set id)`,
        input: strategies[i]?.id,
      });
    }
  });
  strategies.forEach((st, i) => {
    if (st === undefined || st.kind === 'activity') return;
    if (st.kind === 'demographicFrame') {
      const unitCostKr = looseObject(st.unitCostKr);
      if (unitCostKr !== undefined && idsKnown) {
        for (const key of Object.keys(unitCostKr)) {
          if (!ids.includes(key))
            ctx.addIssue({
              code: 'custom',
              path: ['strategies', i, 'unitCostKr', key],
              message: `expected one of the population groups (${groupList})`,
              input: unitCostKr[key],
            });
        }
        for (const id of ids) {
          if (!Object.hasOwn(unitCostKr, id))
            ctx.addIssue({
              code: 'custom',
              path: ['strategies', i, 'unitCostKr', id],
              message: 'expected a unit cost for every population group',
              input: undefined,
            });
        }
      }
      if (st.unitCostKr === undefined && s.specialised !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['strategies', i, 'unitCostKr'],
          message:
            'expected unit costs by population group: the specialised area has no cost by age group for a demographic frame to scale',
          input: undefined,
        });
      }
    }
    const adjustments = looseObject(st.adjustmentsKr);
    if (adjustments !== undefined && baseYear !== undefined && last !== undefined) {
      for (const year of Object.keys(adjustments)) {
        const y = Number(year);
        if (y <= baseYear || y > last)
          ctx.addIssue({
            code: 'custom',
            path: ['strategies', i, 'adjustmentsKr', year],
            message: `expected a simulated year (${baseYear + 1} to ${last})`,
            input: adjustments[year],
          });
      }
    }
  });
}

/**
 * A trend formula's values at its parameters' means, for every year from the base year to the
 * horizon: 1 at t = 0 (within 1e-9), finite and positive after. Skipped when the formula or a
 * parameter is not valid (their own problems are reported where they are).
 */
function checkTrendFormula(
  spec: Loose | undefined,
  field: string,
  baseYear: number,
  horizon: number,
  ctx: z.RefinementCtx,
): void {
  const parameters = looseObject(spec?.parameters) ?? {};
  if (typeof spec?.formula !== 'string') return;
  const names = Object.keys(parameters);
  const compiled = names.some((n) => formulaNameProblem(n) !== undefined || n === 't')
    ? undefined
    : compileFormula(spec.formula, { parameters: names, field: `homeCare.${field}.formula` });
  if (compiled === undefined || !compiled.ok) return;
  const scope: Record<string, number> = {};
  for (const name of names) {
    const parsed = uncertainSchema.safeParse(parameters[name]);
    if (!parsed.success) return;
    scope[name] = meanOfUncertain(parsed.data);
  }
  const path = ['homeCare', field, 'formula'];
  for (let t = 0; t <= horizon; t++) {
    scope.t = t;
    let value: number;
    try {
      value = compiled.formula.evaluate(scope, baseYear + t);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${e instanceof Error ? e.message.replace(/^[^:]*: /, '') : String(e)}, at the parameters' means`,
        input: spec.formula,
      });
      return;
    }
    const at = `in ${baseYear + t} (t = ${t}) at the parameters' means (${describeScope(scope, names) || 'no parameters'})`;
    if (t === 0 && Math.abs(value - 1) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `expected a factor of 1 in the base year: the formula gives ${value} ${at}; normalise it, for example divide by its value at t = 0`,
        input: spec.formula,
      });
      return;
    }
    if (!(value > 0)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `expected a factor > 0 for every year: the formula gives ${value} ${at}`,
        input: spec.formula,
      });
      return;
    }
  }
}

/** The mean of an uncertain input (the value the baseline uses), for checks made at validation. */
function meanOfUncertain(u: Uncertain): number {
  if (typeof u !== 'object' || u.dist !== 'lognormal')
    return typeof u === 'number'
      ? u
      : u.dist === 'triangular'
        ? (u.min + u.mode + u.max) / 3
        : u.dist === 'pert'
          ? (u.min + u.lambda * u.mode + u.max) / (u.lambda + 2)
          : typicalOf(u);
  const z95 = 1.6448536269514722;
  let mu: number;
  let sigma: number;
  if (u.mu !== undefined && u.sigma !== undefined) [mu, sigma] = [u.mu, u.sigma];
  else if (u.median === undefined)
    [mu, sigma] = [(Math.log(u.p5!) + Math.log(u.p95!)) / 2, (Math.log(u.p95!) - Math.log(u.p5!)) / (2 * z95)];
  else {
    mu = Math.log(u.median);
    const spreads = [
      u.p5 === undefined ? undefined : (mu - Math.log(u.p5)) / z95,
      u.p95 === undefined ? undefined : (Math.log(u.p95) - mu) / z95,
    ].filter((x): x is number => x !== undefined);
    sigma = spreads.reduce((a, x) => a + x, 0) / Math.max(1, spreads.length);
  }
  return Math.exp(mu + (sigma * sigma) / 2);
}

/**
 * The id a built-in strategy gets in results: its `id`, or the default of its kind (as the
 * strategy factories name them). Validation and {@link strategiesFromSpecs} both use it, so two
 * strategies that would share an id in a run are refused up front.
 *
 * @param spec - a strategy spec
 * @returns its id
 * @example
 * ```ts
 * strategySpecId({ kind: 'hybrid', mode: 'nextYear' }); //=> 'hybrid-next-year'
 * ```
 * @category Scenario
 */
export function strategySpecId(spec: {
  readonly kind: string;
  readonly id?: string | undefined;
  readonly mode?: string | undefined;
}): string {
  if (typeof spec.id === 'string') return spec.id;
  switch (spec.kind) {
    case 'demographicFrame':
      return 'demographic-frame';
    case 'hybrid':
      return spec.mode === 'nextYear' ? 'hybrid-next-year' : 'hybrid';
    default:
      return spec.kind;
  }
}

/** A single correlation for every pair of n groups: the matrix is positive definite for r in (−1/(n−1), 1). */
function checkUniformCorrelation(r: number, n: number, ctx: z.RefinementCtx): void {
  const smallest = Math.min(1 - r, 1 + (n - 1) * r);
  if (!(smallest > DEFINITE)) {
    const low = -1 / (n - 1);
    ctx.addIssue({
      code: 'custom',
      path: ['population', 'correlation'],
      message: `expected a correlation in (${Number(low.toPrecision(3))}, 1) for ${n} population groups: one correlation for every pair must leave the matrix positive definite (its smallest eigenvalue is ${smallest.toPrecision(3)})`,
      input: r,
    });
  }
}

/**
 * Checks a correlation matrix's shape (n × n, else `shapeMessage` at `path`), unit diagonal and
 * symmetry, each problem at its entry; false when the shape is wrong (nothing more is checked).
 */
function checkMatrixShape(
  m: readonly (readonly number[])[],
  n: number,
  path: (string | number)[],
  shapeMessage: string,
  ctx: z.RefinementCtx,
): boolean {
  if (m.length !== n || m.some((row) => row.length !== n)) {
    ctx.addIssue({ code: 'custom', path, message: shapeMessage, input: m });
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (m[i]![i] !== 1)
      ctx.addIssue({ code: 'custom', path: [...path, i, i], message: 'expected 1 on the diagonal', input: m[i]![i] });
    for (let j = 0; j < i; j++) {
      if (m[i]![j] !== m[j]![i])
        ctx.addIssue({
          code: 'custom',
          path: [...path, i, j],
          message: `expected a symmetric matrix (the value at [${j}][${i}] is ${m[j]![i]})`,
          input: m[i]![j],
        });
    }
  }
  return true;
}

function checkCorrelation(m: number[][], n: number, ctx: z.RefinementCtx): void {
  const path = ['population', 'correlation'];
  if (!checkMatrixShape(m, n, path, `expected a ${n}×${n} matrix (one row and column per population group)`, ctx))
    return;
  if (n > 1) {
    const { values } = symmetricEigen(m);
    const min = Math.min(...values);
    if (!(min > DEFINITE)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `expected a positive definite correlation matrix (its smallest eigenvalue is ${min.toPrecision(3)}): some correlations contradict each other`,
        input: m,
      });
    }
  }
}

/** A validated scenario, with every default filled in. @category Scenario */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as a user writes it: optional fields may be left out. @category Scenario */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A built-in strategy named in a scenario. @category Scenario */
export type StrategySpec = z.output<typeof strategySpecSchema>;
/** An intervention of a scenario. @category Scenario */
export type InterventionSpec = z.output<typeof interventionSchema>;
/** The specialised section of a scenario. @category Scenario */
export type SpecialisedSpec = z.output<typeof specialisedSchema>;
/** The care-home section of a scenario. @category Scenario */
export type CareHomesSpec = z.output<typeof careHomesSchema>;
export { distributionSchema };
