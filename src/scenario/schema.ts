import * as z from 'zod';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { correlationMatrixOf, DEFINITE, rankCopulaMatrices } from '../math/correlation';
import { distributionSchema, uncertainSchema, type Uncertain } from './distribution';
import { compileFormula, formulaNameProblem, MAX_FORMULA_LENGTH } from './formula';
import { installFormulaParser } from './formulaParser';
import { addRuleIssue, ruleParams } from './checks/codes';
import { checkMatrixShape } from './checks/correlation';
import { looseObject, type Loose } from './checks/loose';
import { checkScenario } from './checks/scenario';
import { supportOf, typicalOf } from './checks/support';

// Scenarios are validated here and their formulas compiled: the formula parser (mathjs) is
// installed with this module.
installFormulaParser();

export { INTERVENTION_TARGETS, strategySpecId } from './kinds';

const finite = () =>
  z.number().refine(Number.isFinite, { message: 'expected a finite number', params: ruleParams('NOT_FINITE') });
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
const idSchema = () =>
  z
    .string()
    .min(1)
    .refine(notReserved, { message: reservedMessage, params: ruleParams('RESERVED_KEY') });
/** A record with a null prototype, so a lookup of a missing key never finds `Object.prototype`. */
function recordOf<V extends z.ZodType>(key: z.ZodString, value: V) {
  return z
    .record(key.refine(notReserved, { message: reservedMessage, params: ruleParams('RESERVED_KEY') }), value)
    .overwrite((r) => Object.assign(Object.create(null) as typeof r, r));
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
      addRuleIssue(ctx, 'OUT_OF_RANGE', {
        message:
          typeof u === 'number'
            ? `expected ${what} in ${range}`
            : `expected a distribution whose values all lie in ${range} (${what}); a ${u.dist} distribution with these parameters can give values in ${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}]`,
        input: u,
      });
    }
  });
}

/** An uncertain input whose typical value is at most `max` (for a field whose distributions may have no upper end). */
function typicalAtMost<T extends z.ZodType<Uncertain>>(schema: T, max: number, what: string) {
  return schema.superRefine((u, ctx) => {
    const typical = typicalOf(u as Uncertain);
    if (!(typical <= max))
      addRuleIssue(ctx, 'TYPICAL_VALUE_TOO_BIG', {
        message: `expected ${what} of at most ${max}${typeof u === 'number' ? '' : ` (this distribution's typical value is ${typical})`}`,
        input: u,
      });
  });
}

const monthDay = z.string().superRefine((s, ctx) => {
  const d = /^\d{2}-\d{2}$/.test(s) ? parse(`2001-${s}`, 'yyyy-MM-dd', new Date(2001, 0, 1)) : new Date(NaN);
  if (!isValid(d))
    addRuleIssue(ctx, 'INVALID_MONTH_DAY', {
      message: 'expected a day of the year as "MM-DD", for example "10-15"',
      input: s,
    });
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
        addRuleIssue(ctx, 'GROUP_TABLE_AND_GROWTH', {
          path: ['table'],
          message: 'expected either a table, or start with target or growthPerYear, not both',
          input: g.table,
        });
      } else if (g.table === undefined) {
        if (g.start === undefined)
          addRuleIssue(ctx, 'GROUP_START_MISSING', {
            path: ['start'],
            message: 'expected the count in the base year (a number > 0), or a table',
            input: g.start,
          });
        if (ways !== 1)
          addRuleIssue(ctx, 'GROUP_GROWTH_NOT_ONE', {
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
const guaranteeSchema = z.strictObject({
  kr: z.number().min(0).max(MAX_KR_PER_YEAR).nullable(),
  from: z
    .string()
    .regex(/^\d{4}$/, 'expected a four-digit year')
    .optional(),
  years: z.number().int().min(1).default(3),
  services: z.array(idSchema()).optional(),
});
const frameFields = {
  id: idSchema().optional(),
  /** Carry-over caps as shares of the adopted frame; `null` means unlimited, 0 means none. */
  carryOver: capsSchema,
  /** Political adjustments to the frame by year (kr, current prices), for example { "2026": -2000000 }. */
  adjustmentsKr: recordOf(yearKey, z.number().min(-MAX_KR_PER_YEAR).max(MAX_KR_PER_YEAR)).default({}),
  /** Tighten service on a forecast overspend (stricter visitation, fewer hours). */
  serviceResponse: responseSchema.optional(),
  /**
   * Deficit guarantee (underskudsgaranti): in the years `from` (a simulated year; default the
   * first) to `from + years − 1` (default 3 years) the treasury covers the provider's deficit at
   * settlement, up to `kr` a year (kr, current prices; null = the whole deficit), for the
   * `services` listed (ids of services or groups; default all), for example
   * { kr: 2000000, from: "2025", years: 3, services: ["care-homes"] }.
   */
  deficitGuarantee: guaranteeSchema.optional(),
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
  /** Ids of activity lines not paid for, budgeted at their baseline value (for example ["external-place-days"]); default none. */
  unpaidLines: z.array(z.string().min(1)).optional(),
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

export { DEFAULT_TRENDS_PER_YEAR } from './kinds';
import { DEFAULT_TRENDS_PER_YEAR } from './kinds';

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
        addRuleIssue(ctx, 'FORMULA_PARAMETER_NAME', { path: ['parameters', name], message: problem, input: name });
      }
    }
    if (names.includes('t')) {
      namesOk = false;
      addRuleIssue(ctx, 'FORMULA_PARAMETER_NAME', {
        path: ['parameters', 't'],
        message: '"t" is the year of the formula; choose another name for the parameter',
        input: 't',
      });
    }
    if (!namesOk) return;
    const compiled = compileFormula(f.formula, { parameters: names, field: 'formula' });
    if (!compiled.ok)
      for (const message of compiled.problems)
        addRuleIssue(ctx, 'FORMULA_INVALID', { path: ['formula'], message, input: f.formula });
  });

const homeCareSchema = z.strictObject({
  label: z.string().min(1).default('Home care (§83)'),
  /** Share of each age group receiving home care in the base year; one entry per population group. */
  useRates: recordOf(z.string(), share()),
  /** Relative change a year of the age-specific use rates (healthy ageing: -0.005), drawn once per path; default -0.005 unless `useRateTrend` is given. */
  useRateTrendPerYear: uncertainWithin(-0.2, 0.2, 'a relative change a year')
    .optional()
    .meta({ default: DEFAULT_TRENDS_PER_YEAR.useRateTrendPerYear }),
  /**
   * The year, counted back from the base year, around which a path's drawn `useRateTrendPerYear`
   * turns the use rates' line (0, the default: around the base year). With pivot c and the
   * trend's mean m, a path's rates in year t are multiplied by ((1 + trend)/(1 + m))^c · (1 + trend)^t:
   * a trend fitted to history is known best in the history's middle, so a steeper drawn trend
   * also means a higher rate in the base year. `fitHomeCare` sets it to the history's middle.
   */
  useRateTrendPivotYears: z.number().min(-50).max(50).optional().meta({ default: 0 }),
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
  /** As `useRateTrendPivotYears`, for `hoursTrendPerYear` and the hours per recipient (0, the default: around the base year). */
  hoursTrendPivotYears: z.number().min(-50).max(50).optional().meta({ default: 0 }),
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
  /**
   * Year-to-year variation of the use rates beyond the recipients' Poisson noise: each simulated
   * year (not the base year) every group's use rate is multiplied by exp(σ·z − σ²/2), z standard
   * normal drawn anew each year and path (white noise around the trend, independent across
   * years), one z common to all groups and units; mean 1. σ is this standard deviation of the log
   * use rate a year (0 = none, the default); `fitHomeCare` estimates it from a municipality's history.
   */
  useRateNoiseSdPerYear: z.number().min(0).max(0.5).optional().meta({ default: 0 }),
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
        addRuleIssue(ctx, 'TRANSITION_ROWS', {
          path: ['transitions'],
          message: `expected ${L} rows, one per level`,
          input: c.transitions.length,
        });
      c.transitions.forEach((row, i) => {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9)
          addRuleIssue(ctx, 'TRANSITION_ROW_SUM', {
            path: ['transitions', i],
            message: `expected ${L} probabilities that sum to 1 (this row has ${row.length} summing to ${sum})`,
            input: row,
          });
      });
      for (const [g, row] of Object.entries(c.shares)) {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9)
          addRuleIssue(ctx, 'LEVEL_SHARES_SUM', {
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
                params: ruleParams('PROVIDER_ID_OWN'),
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
  if (!isValid(d)) addRuleIssue(ctx, 'INVALID_DATE', { message: 'expected a date as "YYYY-MM-DD"', input: v });
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
          addRuleIssue(ctx, 'COST_P95_ORDER', {
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
        addRuleIssue(ctx, 'SAVINGS_AMOUNTS_MISSING', {
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
        addRuleIssue(ctx, 'CORRELATION_INPUT_TWICE', {
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
      addRuleIssue(ctx, 'CORRELATION_NOT_DEFINITE', {
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
            addRuleIssue(ctx, 'CORRELATION_INPUT_SHARED', {
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
