import type { ScenarioInput } from './schema';

/**
 * Lejre 2023-2034: home care and three care homes for a fast-growing 80+ population.
 *
 * Figures and where they come from:
 * - 80+ citizens 1,605 in 2023 and 2,499 in 2034 (+56 %): Lejre committee minutes 2024
 *   (source document 004), Lejre's population forecast for budget 2025-28.
 * - 67-79 citizens: 4,300 in 2023 growing 0.5 % a year: an assumption of the right order for a
 *   municipality of Lejre's size and age structure (the source gives no figure).
 * - Home-care coverage 28 % of 80+ and 5 % of 67-79 in the base year: VIVE 2022. Healthy
 *   ageing lowers age-specific rates 0.5 % a year (PERT from -1.2 % to +0.2 %): half of
 *   municipalities adjust for it; the national rates fell far faster in 2010-2022.
 * - 3.2 visited hours per recipient per week in the base year: Statistics Denmark 2022; the
 *   drift after it is uncertain (normal, sd 0.5 % a year): an assumption.
 * - Undelivered ("cold") hours 5 % (PERT 3-10 %): assumption.
 * - Share of paid hours with the citizen 60 % (PERT 57-63 %): KL/BDO price models; 74 % is
 *   "unnaturally high".
 * - 282 kr wage cost per paid hour: 470 kr per delivered hour (the default hourly price,
 *   Lejre 2026 490 kr) × 60 %.
 * - Year-to-year noise: the number of recipients varies as a Poisson count, and the average
 *   hours per recipient with a coefficient of variation of 0.5 over recipients (smaller than
 *   the cross-sectional spread of about 1.2, since most recipients keep their hours from one
 *   year to the next): an assumption.
 * - Price and wage index 2.3 % a year forecast, outcome ±0.8 percentage points: state and KL.
 * - Population projection error: 0.6 % a year on the growth rate (0.3 % for 67-79) plus
 *   0.2 % random-walk noise; 10-year errors of 5-15 % for the oldest old are on record.
 * - Three care homes (004 names three and their waiting lists): 90, 75 and 60 places, 225 in
 *   all, 14 % of the 80+ in 2023 (the national coverage): the sizes are an assumption.
 *   Stays: a third short (mean 0.4 years), the rest long (3.7 years), mean 2.6 (national);
 *   guarantee 60 days; an external place 1,900 kr a day (Lejre's inter-municipal price, 004);
 *   15 hours of home care a week while waiting (assumption). Capacity is unchanged to 2034.
 *
 * @returns a fresh scenario object (safe to modify)
 * @example
 * ```ts
 * const result = simulate({ ...lejre2034(), paths: 2000 });
 * ```
 * @category Presets
 */
export function lejre2034(): ScenarioInput {
  return {
    name: 'lejre-2034',
    description:
      'Lejre home care and three care homes 2024-2034 under a growing 80+ population (1,605 in 2023 to 2,499 in 2034).',
    baseYear: 2023,
    horizonYears: 11,
    step: 'month',
    seed: 2034,
    paths: 2000,
    calendar: { adoption: '10-15', followUps: ['03-31', '06-30', '09-30'] },
    population: {
      groups: [
        { id: '67-79', start: 4300, growthPerYear: 0.005, errorGrowthSdPerYear: 0.003, errorNoiseSdPerYear: 0.002 },
        {
          id: '80+',
          start: 1605,
          target: { year: 2034, value: 2499 },
          errorGrowthSdPerYear: 0.006,
          errorNoiseSdPerYear: 0.002,
        },
      ],
      correlation: 0.8,
    },
    prices: { indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0.008 },
    homeCare: {
      label: 'Home care (§83)',
      useRates: { '67-79': 0.05, '80+': 0.28 },
      useRateTrendPerYear: { dist: 'pert', min: -0.012, mode: -0.005, max: 0.002 },
      useRateFactor: 1,
      hoursPerRecipientPerWeek: 3.2,
      hoursTrendPerYear: { dist: 'normal', mean: 0, sd: 0.005 },
      undeliveredShare: { dist: 'pert', min: 0.03, mode: 0.05, max: 0.1 },
      userTimeShare: { dist: 'pert', min: 0.57, mode: 0.6, max: 0.63 },
      wageCostPerPaidHourKr: 282,
      overheadKrPerYear: 0,
      recipientNoise: true,
      individualHoursCv: 0.5,
    },
    careHomes: {
      homes: [
        { id: 'home-1', places: 90 },
        { id: 'home-2', places: 75 },
        { id: 'home-3', places: 60 },
      ],
      stay: { kind: 'mixture', shortShare: 0.33, shortMeanYears: 0.4, longMeanYears: 3.7 },
      guaranteeDays: 60,
      externalKrPerDay: 1900,
      homeCareHoursPerWeekWhileWaiting: 15,
    },
    strategies: [{ kind: 'frame' }, { kind: 'activity' }],
  };
}

/** Personal care as in Lejre, a fresh object every call so that no two presets share a nested object. */
const personalCare = () =>
  ({
    useRateTrendPerYear: { dist: 'pert', min: -0.012, mode: -0.005, max: 0.002 },
    hoursTrendPerYear: { dist: 'normal', mean: 0, sd: 0.005 },
    undeliveredShare: { dist: 'pert', min: 0.03, mode: 0.05, max: 0.1 },
    userTimeShare: { dist: 'pert', min: 0.57, mode: 0.6, max: 0.63 },
    wageCostPerPaidHourKr: 282,
    recipientNoise: true,
    individualHoursCv: 0.5,
  }) as const;

/**
 * Slagelse 2022: home care under §83 with free choice, and care homes replacing half their
 * residents a year.
 *
 * - Home-care budget 2022: 255,283,723 kr; 478 FTE; about 2,500 citizens (2020) (001). The
 *   model comes close with 2,496 recipients at 4.4 visited hours a week: 254.3 m kr in the
 *   base year and about 469 FTE of 1,924 paid hours. The age split (12,000 aged 67-79 at 6.5 %, 5,200 aged
 *   80+ at 33 %) and its growth (1 % and 4 % a year) are assumptions.
 * - Care homes: residents replaced at about 50 % a year (001): a constant exit rate of 0.69 a
 *   year. 520 places in five homes: an assumption.
 * - Free choice under the approval model (001: private providers approved under
 *   godkendelsesmodellen, and the self-governing institution Antvorskov under an operating
 *   agreement in part of the town): home care is split into the municipal provider
 *   (`home-care:own`), private providers (`home-care:private`, a market share drawn per path,
 *   PERT 10 % / 15 % / 25 %) and Antvorskov (`home-care:antvorskov`, 10 %). The shares are
 *   assumptions (the source gives none), and Antvorskov is assumed paid like the private
 *   providers: the computed hourly price and any back-payment, in the year after. The 2022
 *   budget is taken to include the payments to other providers.
 *
 * @returns a fresh scenario object
 * @example
 * ```ts
 * simulate({ ...slagelseHomeCare(), paths: 1000 });
 * ```
 * @category Presets
 */
export function slagelseHomeCare(): ScenarioInput {
  return {
    name: 'slagelse-homecare',
    description: 'Slagelse home care (255.3 m kr, 478 FTE, 2,500 citizens in 2022) and care homes with 50 % turnover.',
    baseYear: 2022,
    horizonYears: 10,
    seed: 2022,
    paths: 2000,
    population: {
      groups: [
        { id: '67-79', start: 12000, growthPerYear: 0.01, errorGrowthSdPerYear: 0.003 },
        { id: '80+', start: 5200, growthPerYear: 0.04, errorGrowthSdPerYear: 0.006 },
      ],
    },
    homeCare: {
      ...personalCare(),
      label: 'Home care (§83)',
      useRates: { '67-79': 0.065, '80+': 0.33 },
      hoursPerRecipientPerWeek: 4.4,
      providers: {
        model: 'approval',
        ownLabel: 'Municipal home care',
        private: [
          { id: 'private', label: 'Private providers', marketShare: { dist: 'pert', min: 0.1, mode: 0.15, max: 0.25 } },
          { id: 'antvorskov', label: 'Antvorskov (self-governing institution)', marketShare: 0.1 },
        ],
        backPayment: 'next-year',
      },
    },
    careHomes: {
      homes: [
        { id: 'a', places: 120 },
        { id: 'b', places: 110 },
        { id: 'c', places: 100 },
        { id: 'd', places: 100 },
        { id: 'e', places: 90 },
      ],
      stay: { kind: 'constant', exitPerYear: 0.69 },
    },
    strategies: [{ kind: 'frame' }, { kind: 'activity' }, { kind: 'hybrid' }],
  };
}

/**
 * Ishøj 2018: home care and two care homes of different size, the question of frame versus
 * activity steering and of economies of scale between care centres (000).
 *
 * - Kærbo and Torsbo: 90 and 45 places (an assumption; the source gives no sizes). With the
 *   default costs a place costs 450,000 kr a year in the larger and 600,000 kr in the smaller.
 * - Population and home care as in `examples/ishoej.ts`: 2,300 aged 67-79 (+1.5 % a year) and
 *   750 aged 80+ (+5 % a year), national coverage and hours (assumptions).
 *
 * @returns a fresh scenario object
 * @example
 * ```ts
 * simulate({ ...ishoejCareHomes(), paths: 1000 });
 * ```
 * @category Presets
 */
export function ishoejCareHomes(): ScenarioInput {
  return {
    name: 'ishoej-care-homes',
    description: 'Ishøj: home care and the care homes Kærbo (90 places) and Torsbo (45), 2019-2028.',
    baseYear: 2018,
    horizonYears: 10,
    seed: 2018,
    paths: 2000,
    population: {
      groups: [
        { id: '67-79', start: 2300, growthPerYear: 0.015, errorGrowthSdPerYear: 0.004, errorNoiseSdPerYear: 0.003 },
        { id: '80+', start: 750, growthPerYear: 0.05, errorGrowthSdPerYear: 0.008, errorNoiseSdPerYear: 0.004 },
      ],
    },
    homeCare: {
      ...personalCare(),
      label: 'Home care (§83)',
      useRates: { '67-79': 0.05, '80+': 0.28 },
      hoursPerRecipientPerWeek: 3.2,
    },
    careHomes: {
      homes: [
        { id: 'kaerbo', places: 90 },
        { id: 'torsbo', places: 45 },
      ],
    },
    strategies: [{ kind: 'frame', serviceResponse: {} }, { kind: 'activity' }, { kind: 'hybrid' }],
  };
}

/**
 * Herning 2019: disability and psychiatry, own production against purchase (003).
 *
 * - Own production 144 m kr of about 335 m kr in 2019 (43 %), rising to 169 m kr, over 50 %,
 *   in 2024; own provision 15 % cheaper than purchase; 0.5 m kr a year for two years invested
 *   in staff (as the running cost of the own-production step).
 * - About 350 cases at a mean of about 1 m kr a year (median 0.75 m kr, P95 2 m kr, 5 % above
 *   2 m kr with a Pareto tail): assumptions that give about 333 m kr in the base year, of which
 *   own places about 39 % (the source's 43 % suggests heavier cases in own places); inflow 37
 *   adults and 7 transitions at 18 a year, exits 0.12 a year; costs per case rising 2 % a year beyond
 *   prices (assumptions; 002 saw +42 % in two years for §107 in Hedensted).
 *
 * @returns a fresh scenario object
 * @example
 * ```ts
 * simulate({ ...herningSpecialised(), paths: 1000 });
 * ```
 * @category Presets
 */
export function herningSpecialised(): ScenarioInput {
  return {
    name: 'herning-specialised',
    description: 'Herning: the specialised adult area, own production 43 % rising to 50 %, 2020-2029.',
    baseYear: 2019,
    horizonYears: 10,
    seed: 2019,
    paths: 2000,
    population: { groups: [{ id: '18-64', start: 53000, growthPerYear: 0.002, errorGrowthSdPerYear: 0.002 }] },
    specialised: {
      casesAtStart: 350,
      inflowPerYear: 37,
      transitionsAt18PerYear: 7,
      exitPerYear: 0.12,
      costPerCase: { medianKr: 750_000, p95Kr: 2_000_000, tailShare: 0.05, tailFromKr: 2_000_000, tailAlpha: 2.5 },
      priceGrowthPerYear: { dist: 'normal', mean: 0.02, sd: 0.01 },
      ownShare: { '2019': 0.43, '2024': 0.5 },
      ownDiscount: 0.15,
    },
    interventions: [
      {
        id: 'own-production-staff',
        kind: 'ownProduction',
        from: '2020-01-01',
        rampMonths: 0,
        effect: 0,
        costKrPerYear: 500_000,
        costYears: 2,
      },
    ],
    strategies: [{ kind: 'frame' }, { kind: 'activity' }, { kind: 'hybrid', corridor: 0.03, marginalRate: 0.7 }],
  };
}

/**
 * Hedensted 2016: the recovery plan for social care (002).
 *
 * - §107 temporary housing: 23.8 m kr (2015), +137 % from 2012 to 2017, the price per citizen
 *   +42 % from 2015 to 2017, the five most expensive citizens 5.6 m kr (24 %). Modelled as the
 *   specialised area: 30 cases at a median of 0.72 m kr a year (P95 1.15 m kr, 1 % in a Pareto
 *   tail above 2 m kr), which gives about 24 m kr and a top-five share of about a quarter;
 *   inflow 5 a year and exits 0.1 a year (the number of cases grows); price per case +15 % a
 *   year beyond prices (normal, sd 5 %: 42 % in two years is 19 % a year). The §85 support area
 *   (64 m kr) is not modelled here.
 * - The recovery plan for social care: −19, −6.5 and −13.1 m kr in 2017-2019, realised between
 *   50 % and 100 % (PERT, mode 80 %: an assumption). The plan covers the social-care area as a
 *   whole; it is modelled on home care, its largest budget.
 * - Home care at 5.0 visited hours per recipient a week (Hedensted, the highest of the
 *   benchmark) and the move from 23 single services to 4 packages, cutting paid hours 5 % over a
 *   year from 2017 (an assumption for "fewer cold hours"). The population (6,000 aged 67-79,
 *   2,000 aged 80+) is an assumption.
 *
 * @returns a fresh scenario object
 * @example
 * ```ts
 * simulate({ ...hedenstedRecovery(), paths: 1000 });
 * ```
 * @category Presets
 */
export function hedenstedRecovery(): ScenarioInput {
  return {
    name: 'hedensted-recovery',
    description: 'Hedensted: §107 growth and the 39 m kr recovery plan, with home care moving to packages, 2017-2026.',
    baseYear: 2016,
    horizonYears: 10,
    seed: 2016,
    paths: 2000,
    population: {
      groups: [
        { id: '67-79', start: 6000, growthPerYear: 0.01, errorGrowthSdPerYear: 0.003 },
        { id: '80+', start: 2000, growthPerYear: 0.04, errorGrowthSdPerYear: 0.006 },
      ],
    },
    homeCare: {
      ...personalCare(),
      label: 'Home care (§83)',
      useRates: { '67-79': 0.05, '80+': 0.28 },
      hoursPerRecipientPerWeek: 5.0,
    },
    specialised: {
      label: 'Temporary housing (§107)',
      casesAtStart: 30,
      inflowPerYear: 5,
      exitPerYear: 0.1,
      costPerCase: { medianKr: 720_000, p95Kr: 1_150_000, tailShare: 0.01, tailFromKr: 2_000_000, tailAlpha: 2.5 },
      priceGrowthPerYear: { dist: 'normal', mean: 0.15, sd: 0.05 },
    },
    interventions: [
      {
        id: 'recovery-plan',
        kind: 'savingsPlan',
        service: 'home-care',
        from: '2017-01-01',
        amountsKr: { '2017': 19_000_000, '2018': 6_500_000, '2019': 13_100_000 },
        effect: { dist: 'pert', min: 0.5, mode: 0.8, max: 1 },
      },
      { id: 'packages', kind: 'packages', from: '2017-01-01', rampMonths: 12, effect: 0.05 },
    ],
    strategies: [{ kind: 'frame' }, { kind: 'activity' }, { kind: 'hybrid' }],
  };
}

/**
 * The built-in scenarios by name, for the CLI and for `--preset`.
 * @category Presets
 */
export const presets: Readonly<Record<string, () => ScenarioInput>> = Object.freeze({
  'lejre-2034': lejre2034,
  'slagelse-homecare': slagelseHomeCare,
  'ishoej-care-homes': ishoejCareHomes,
  'herning-specialised': herningSpecialised,
  'hedensted-recovery': hedenstedRecovery,
});
