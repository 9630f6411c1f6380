import type { ScenarioInput } from './schema';

/**
 * Lejre 2023-2034: home care for a fast-growing 80+ population.
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
    description: 'Lejre home care 2024-2034 under a growing 80+ population (1,605 in 2023 to 2,499 in 2034).',
    baseYear: 2023,
    horizonYears: 11,
    step: 'month',
    seed: 2034,
    paths: 2000,
    calendar: { adoption: '10-15', followUps: ['03-31', '06-30', '09-30'] },
    population: {
      groups: [
        { id: '67-79', start: 4300, growthPerYear: 0.005, errorGrowthSdPerYear: 0.003, errorNoiseSdPerYear: 0.002 },
        { id: '80+', start: 1605, target: { year: 2034, value: 2499 }, errorGrowthSdPerYear: 0.006, errorNoiseSdPerYear: 0.002 },
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
    strategies: [{ kind: 'frame' }, { kind: 'activity' }],
  };
}

/**
 * The built-in scenarios by name, for the CLI and for `--preset`.
 * @category Presets
 */
export const presets: Readonly<Record<string, () => ScenarioInput>> = Object.freeze({
  'lejre-2034': lejre2034,
});
