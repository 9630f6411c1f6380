import * as z from 'zod';
import { isValid, parse } from 'date-fns';
import { symmetricEigen } from '../math/linalg';
import { distributionSchema, uncertainSchema, type Uncertain } from './distribution';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const share = () => z.number().min(0).max(1);

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
      return [Math.min(...u.values), Math.max(...u.values)];
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

const monthDay = z.string().superRefine((s, ctx) => {
  const d = /^\d{2}-\d{2}$/.test(s) ? parse(`2001-${s}`, 'yyyy-MM-dd', new Date(2001, 0, 1)) : new Date(NaN);
  if (!isValid(d)) ctx.addIssue({ code: 'custom', message: 'expected a day of the year as "MM-DD", for example "10-15"', input: s });
});

const populationGroupSchema = z
  .strictObject({
    /** Age group label, for example "80+". */
    id: z.string().min(1),
    /** Count in the base year (persons). */
    start: z.number().positive().optional(),
    /** Count in a later year: the baseline grows geometrically from `start` to it. */
    target: z.strictObject({ year: z.number().int(), value: z.number().positive() }).optional(),
    /** Growth a year (0.0411 for 4.11 %), used with `start` instead of a target. */
    growthPerYear: z.number().gt(-1).lt(1).optional(),
    /** Baseline projection by year (persons): keys are years, from the base year to the horizon. */
    table: z.record(z.string().regex(/^\d{4}$/, 'expected a four-digit year'), z.number().positive()).optional(),
    /** Error in the yearly growth rate, drawn once per path (log-space sd; the spread grows linearly with the horizon). */
    errorGrowthSdPerYear: finite().min(0).max(0.2).default(0.006),
    /** Random-walk shocks a year (log-space sd; the spread grows with the square root of the horizon). */
    errorNoiseSdPerYear: finite().min(0).max(0.2).default(0.002),
    /** Systematic drift of the outcome against the baseline a year (log space; +0.002 = forecasts 0.2 % a year too low). */
    errorDriftPerYear: finite().min(-0.1).max(0.1).default(0),
  })
  .superRefine((g, ctx) => {
    const ways = [g.table !== undefined, g.target !== undefined, g.growthPerYear !== undefined].filter(Boolean).length;
    if (g.table !== undefined && (g.start !== undefined || ways > 1)) {
      ctx.addIssue({ code: 'custom', path: ['table'], message: 'expected either a table, or start with target or growthPerYear, not both', input: g.table });
    } else if (g.table === undefined) {
      if (g.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'expected the count in the base year (a number > 0), or a table', input: g.start });
      if (ways !== 1) ctx.addIssue({ code: 'custom', path: ['target'], message: 'expected exactly one of target ({ year, value }) and growthPerYear', input: g.target });
    }
  });

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
  id: z.string().min(1).optional(),
  /** Carry-over caps as shares of the adopted frame; `null` means unlimited, 0 means none. */
  carryOver: capsSchema,
  /** Political adjustments to the frame by year (kr, current prices), for example { "2026": -2000000 }. */
  adjustmentsKr: z.record(yearKey, finite()).default({}),
  /** Tighten service on a forecast overspend (stricter visitation, fewer hours). */
  serviceResponse: responseSchema.optional(),
};

const frameSpecSchema = z.strictObject({ kind: z.literal('frame'), ...frameFields });

const demographicFrameSpecSchema = z.strictObject({
  kind: z.literal('demographicFrame'),
  ...frameFields,
  /** Cost per citizen a year by population group (kr, base-year prices); default from the service's baseline. */
  unitCostKr: z.record(z.string(), z.number().min(0)).optional(),
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
  id: z.string().min(1).optional(),
  /** Which activity the provider is paid for: delivered hours (default) or visited (ordered) hours. */
  basis: z.enum(['delivered', 'ordered']).default('delivered'),
  /** Price per unit in base-year prices, uprated by the forecast index; default: the service's price model. */
  pricePerUnitKr: z.number().positive().optional(),
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
export const strategySpecSchema = z.discriminatedUnion('kind', [frameSpecSchema, demographicFrameSpecSchema, hybridSpecSchema, activitySpecSchema]);

const homeCareSchema = z.strictObject({
  label: z.string().min(1).default('Home care (§83)'),
  /** Share of each age group receiving home care in the base year; one entry per population group. */
  useRates: z.record(z.string(), share()),
  /** Relative change a year of the age-specific use rates (healthy ageing: -0.005), drawn once per path. */
  useRateTrendPerYear: uncertainWithin(-0.2, 0.2, 'a relative change a year').default(-0.005),
  /** Multiplicative error on all use rates, drawn once per path (1 = none). */
  useRateFactor: uncertainWithin(0, Infinity, 'a multiplier', true).default(1),
  /** Visited (ordered) hours per recipient per week. */
  hoursPerRecipientPerWeek: uncertainWithin(0, Infinity, 'hours per week', true).default(3.2),
  /** Relative change a year of visited hours per recipient (0 = none), drawn once per path. */
  hoursTrendPerYear: uncertainWithin(-0.2, 0.2, 'a relative change a year').default(0),
  /** Share of visited hours not delivered (cancellations, hospital stays: "cold hours"). */
  undeliveredShare: uncertainWithin(0, 0.99, 'a share').default(0.05),
  /** Share of paid staff hours spent with the citizen (brugertid). */
  userTimeShare: uncertainWithin(0, 1, 'a share', true).default(0.6),
  /** Wage cost per paid staff hour, base-year prices (kr). */
  wageCostPerPaidHourKr: z.number().positive().default(282),
  /** Fixed overhead a year, base-year prices (kr). */
  overheadKrPerYear: z.number().min(0).default(0),
  /**
   * The share of paid hours with the citizen that the municipality's price model assumes when
   * it sets the hourly price (default: the mean of `userTimeShare`). An optimistic assumption
   * under-prices the hour and gives the provider systematic deficits under activity steering.
   */
  assumedUserTimeShare: z.number().gt(0).max(1).optional(),
  /** Year-to-year noise in the number of recipients (Poisson-like, independent per unit). */
  recipientNoise: z.boolean().default(true),
  /** Coefficient of variation of visited hours between recipients (1.2 matches DST's spread: most under 2 h, 2 % over 20 h). */
  individualHoursCv: z.number().min(0).max(10).default(1.2),
  /** Split into units (districts) each steered with its own budget; population shares must sum to 1. */
  units: z
    .array(z.strictObject({ id: z.string().min(1).regex(/^[^:]+$/, 'expected an id without ":"'), populationShare: z.number().gt(0).max(1) }))
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
        .array(z.strictObject({ id: z.string().min(1).regex(/^[^:]+$/, 'expected an id without ":"'), label: z.string().min(1).optional(), hoursPerWeek: uncertainWithin(0, 168, 'hours per week', true) }))
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
      if (c.transitions.length !== L) ctx.addIssue({ code: 'custom', path: ['transitions'], message: `expected ${L} rows, one per level`, input: c.transitions.length });
      c.transitions.forEach((row, i) => {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['transitions', i], message: `expected ${L} probabilities that sum to 1 (this row has ${row.length} summing to ${sum})`, input: row });
      });
      for (const [g, row] of Object.entries(c.shares)) {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.length !== L || Math.abs(sum - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['shares', g], message: `expected ${L} shares that sum to 1 (received ${row.length} summing to ${sum})`, input: row });
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
            id: z.string().min(1).regex(/^[^:]+$/, 'expected an id without ":"').refine((x) => x !== 'own', { message: 'expected an id other than "own" (the municipality\'s own provider)' }),
            label: z.string().min(1).optional(),
            /** Share of the recipients: a number or distribution drawn once per path, or a share by calendar year (years not given keep the latest given). */
            marketShare: z.union([uncertainWithin(0, 1, 'a share'), z.record(z.string().regex(/^\d{4}$/, 'expected a calendar year'), share())]),
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
  id: z.string().min(1),
  /** Places at the start. */
  places: z.number().int().min(1).max(10_000),
  /** Share of places occupied at the start. */
  occupiedAtStart: share().default(0.97),
  /**
   * Fixed cost of the home a year (kr, base-year prices): management, building, night cover.
   * With the default cost per place, a place costs 600,000 kr a year in a home of 45 places and
   * 450,000 kr in one of 90: about 25 % cheaper, as KL found in 2012.
   */
  fixedCostKrPerYear: z.number().min(0).default(13_500_000),
  /** Cost per place a year (kr, base-year prices). */
  costPerPlaceKrPerYear: z.number().min(0).default(300_000),
  /** Capacity changes from a date: a new wing, a closed floor. */
  capacityChanges: z.array(z.strictObject({ from: isoDate, places: z.number().int().min(0).max(10_000) })).default([]),
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
   * exponential lengths (means in years).
   */
  stay: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('constant'), exitPerYear: z.number().gt(0).max(50) }),
      z.strictObject({ kind: z.literal('mixture'), shortShare: share(), shortMeanYears: z.number().gt(0).max(50), longMeanYears: z.number().gt(0).max(50) }),
    ])
    .default({ kind: 'mixture', shortShare: 0.33, shortMeanYears: 0.4, longMeanYears: 3.7 }),
  /** The population group applicants come from, in proportion to its size. */
  applicantGroup: z.string().min(1).default('80+'),
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
  externalKrPerDay: z.number().min(0).default(1900),
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
  exitPerYear: z.number().gt(0).max(10).default(0.1),
  /**
   * Yearly cost of a case, drawn when it starts (kr, base-year prices): a lognormal body
   * (median and P95) and, with probability `tailShare`, a Pareto tail above `tailFromKr` with
   * index `tailAlpha` (smaller is heavier; below 2 the variance is infinite).
   */
  costPerCase: z
    .strictObject({
      medianKr: z.number().positive(),
      p95Kr: z.number().positive(),
      tailShare: share().default(0.05),
      tailFromKr: z.number().positive().default(2_000_000),
      tailAlpha: z.number().gt(1).max(10).default(2.5),
    })
    .superRefine((c, ctx) => {
      if (!(c.p95Kr > c.medianKr)) ctx.addIssue({ code: 'custom', path: ['p95Kr'], message: `expected p95Kr > medianKr (${c.medianKr})`, input: c.p95Kr });
    }),
  /** Growth of the cost per case beyond the price index, a year (heavier needs), drawn once per path. */
  priceGrowthPerYear: uncertainWithin(-0.2, 0.5, 'a growth a year').default(0),
  /** Share of cases served in own places, by calendar year (linear between the years given, flat outside). */
  ownShare: z.record(z.string().regex(/^\d{4}$/, 'expected a four-digit year'), share()).default({}),
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
    id: z.string().min(1),
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
    amountsKr: z.record(z.string().regex(/^\d{4}$/, 'expected a four-digit year'), z.number().min(0)).default({}),
    /** For `savingsPlan`: the service whose cost falls (default home care). */
    service: z.enum(['home-care', 'care-homes', 'specialised']).default('home-care'),
    /** What it costs a year (kr, base-year prices) ... */
    costKrPerYear: z.number().min(0).default(0),
    /** ... for this many years from its start (0 = as long as it runs). */
    costYears: z.number().min(0).max(100).default(0),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'savingsPlan' && Object.keys(v.amountsKr).length === 0) ctx.addIssue({ code: 'custom', path: ['amountsKr'], message: 'expected the amounts of the savings plan by year', input: v.amountsKr });
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
    strategies: z.array(strategySpecSchema).min(1).prefault([{ kind: 'frame' }, { kind: 'activity' }]),
  })
  .superRefine((s, ctx) => {
    const last = s.baseYear + s.horizonYears;
    const ids = s.population.groups.map((g) => g.id);
    s.population.groups.forEach((g, i) => {
      if (ids.indexOf(g.id) !== i) ctx.addIssue({ code: 'custom', path: ['population', 'groups', i, 'id'], message: 'expected a unique group id', input: g.id });
      if (g.target !== undefined && g.target.year <= s.baseYear) {
        ctx.addIssue({ code: 'custom', path: ['population', 'groups', i, 'target', 'year'], message: `expected a year after the base year ${s.baseYear}`, input: g.target.year });
      }
      if (g.table !== undefined) {
        for (let y = s.baseYear; y <= last; y++) {
          if (g.table[String(y)] === undefined) {
            ctx.addIssue({ code: 'custom', path: ['population', 'groups', i, 'table', String(y)], message: `expected a count for every year ${s.baseYear} to ${last}`, input: undefined });
            break;
          }
        }
      }
    });
    const hc = s.homeCare;
    if (hc === undefined && s.careHomes === undefined && s.specialised === undefined) {
      ctx.addIssue({ code: 'custom', path: ['homeCare'], message: 'expected at least one service: homeCare, careHomes or specialised', input: undefined });
    }
    if (hc !== undefined) {
      for (const key of Object.keys(hc.useRates)) {
        if (!ids.includes(key)) ctx.addIssue({ code: 'custom', path: ['homeCare', 'useRates', key], message: `expected one of the population groups (${ids.join(', ')})`, input: hc.useRates[key] });
      }
      const units = hc.units;
      if (units !== undefined) {
        const total = units.reduce((a, u) => a + u.populationShare, 0);
        if (Math.abs(total - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['homeCare', 'units'], message: `expected population shares that sum to 1 (they sum to ${total})`, input: units.map((u) => u.populationShare) });
        const unitIds = units.map((u) => u.id);
        unitIds.forEach((u, i) => {
          if (unitIds.indexOf(u) !== i) ctx.addIssue({ code: 'custom', path: ['homeCare', 'units', i, 'id'], message: 'expected a unique unit id', input: u });
        });
      }
      for (const id of ids) {
        if (hc.useRates[id] === undefined) ctx.addIssue({ code: 'custom', path: ['homeCare', 'useRates', id], message: 'expected a use rate in [0, 1] for every population group', input: undefined });
      }
      if (hc.careLevels !== undefined) {
        for (const id of ids) {
          if (hc.careLevels.shares[id] === undefined) ctx.addIssue({ code: 'custom', path: ['homeCare', 'careLevels', 'shares', id], message: 'expected shares per level for every population group', input: undefined });
        }
      }
      const pv = hc.providers;
      if (pv !== undefined) {
        if (hc.units !== undefined) ctx.addIssue({ code: 'custom', path: ['homeCare', 'providers'], message: 'expected either units or providers, not both', input: undefined });
        // A share by year counts with its largest value, a distribution with the least it can draw (draws above 1 in total are scaled down per path).
        const least = (m: (typeof pv.private)[number]['marketShare']): number => (typeof m === 'object' && !('dist' in m) ? Math.max(...Object.values(m)) : supportOf(m as Uncertain)[0]);
        const total = pv.private.reduce((a, p) => a + least(p.marketShare), 0);
        if (!(total < 1)) ctx.addIssue({ code: 'custom', path: ['homeCare', 'providers', 'private'], message: `expected private market shares that sum to less than 1 (their numbers, largest yearly shares or least possible draws sum to ${total})`, input: undefined });
        pv.private.forEach((p, i) => {
          if (pv.model === 'tender' && p.bidPriceKrPerHour === undefined) ctx.addIssue({ code: 'custom', path: ['homeCare', 'providers', 'private', i, 'bidPriceKrPerHour'], message: 'expected a bid price per hour under the tender model', input: undefined });
          if (pv.private.findIndex((q) => q.id === p.id) !== i) ctx.addIssue({ code: 'custom', path: ['homeCare', 'providers', 'private', i, 'id'], message: 'expected a unique provider id', input: p.id });
        });
      }
    }
    s.interventions.forEach((iv, i) => {
      const target = iv.kind === 'savingsPlan' ? iv.service : INTERVENTION_TARGETS[iv.kind].split('.')[0]!;
      const present = (target === 'home-care' && s.homeCare !== undefined) || (target === 'care-homes' && s.careHomes !== undefined) || (target === 'specialised' && s.specialised !== undefined);
      if (!present) ctx.addIssue({ code: 'custom', path: ['interventions', i, 'kind'], message: `expected the scenario to have the service it changes (${target})`, input: iv.kind });
    });
    const ivIds = s.interventions.map((iv) => iv.id);
    ivIds.forEach((x, i) => {
      if (ivIds.indexOf(x) !== i) ctx.addIssue({ code: 'custom', path: ['interventions', i, 'id'], message: 'expected a unique intervention id', input: x });
    });
    const ch = s.careHomes;
    if (ch !== undefined) {
      if (!ids.includes(ch.applicantGroup)) ctx.addIssue({ code: 'custom', path: ['careHomes', 'applicantGroup'], message: `expected one of the population groups (${ids.join(', ')})`, input: ch.applicantGroup });
      const homeIds = ch.homes.map((h) => h.id);
      homeIds.forEach((h, i) => {
        if (homeIds.indexOf(h) !== i) ctx.addIssue({ code: 'custom', path: ['careHomes', 'homes', i, 'id'], message: 'expected a unique home id', input: h });
      });
    }
    const corr = s.population.correlation;
    if (Array.isArray(corr)) checkCorrelation(corr, ids.length, ctx);
    const sIds = s.strategies.map((st) => st.id ?? st.kind);
    sIds.forEach((id, i) => {
      if (sIds.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'id'], message: `expected a unique strategy id ("${id}" is used twice; set id)`, input: s.strategies[i]?.id });
    });
    s.strategies.forEach((st, i) => {
      if (st.kind === 'activity') return;
      if (st.kind === 'demographicFrame' && st.unitCostKr !== undefined) {
        for (const key of Object.keys(st.unitCostKr)) {
          if (!ids.includes(key)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'unitCostKr', key], message: `expected one of the population groups (${ids.join(', ')})`, input: st.unitCostKr[key] });
        }
        for (const id of ids) {
          if (st.unitCostKr[id] === undefined) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'unitCostKr', id], message: 'expected a unit cost for every population group', input: undefined });
        }
      }
      for (const year of Object.keys(st.adjustmentsKr)) {
        const y = Number(year);
        if (y <= s.baseYear || y > last) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'adjustmentsKr', year], message: `expected a simulated year (${s.baseYear + 1} to ${last})`, input: st.adjustmentsKr[year] });
      }
    });
  });

function checkCorrelation(m: number[][], n: number, ctx: z.RefinementCtx): void {
  const path = ['population', 'correlation'];
  if (m.length !== n || m.some((row) => row.length !== n)) {
    ctx.addIssue({ code: 'custom', path, message: `expected a ${n}×${n} matrix (one row and column per population group)`, input: m });
    return;
  }
  for (let i = 0; i < n; i++) {
    if (m[i]![i] !== 1) ctx.addIssue({ code: 'custom', path: [...path, i, i], message: 'expected 1 on the diagonal', input: m[i]![i] });
    for (let j = 0; j < i; j++) {
      if (m[i]![j] !== m[j]![i]) ctx.addIssue({ code: 'custom', path: [...path, i, j], message: `expected a symmetric matrix (the value at [${j}][${i}] is ${m[j]![i]})`, input: m[i]![j] });
    }
  }
  if (n > 1) {
    const { values } = symmetricEigen(m);
    const min = Math.min(...values);
    if (!(min > 1e-10)) {
      ctx.addIssue({ code: 'custom', path, message: `expected a positive definite correlation matrix (its smallest eigenvalue is ${min.toPrecision(3)}): some correlations contradict each other`, input: m });
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
