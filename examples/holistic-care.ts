/**
 * Home care granted in packages (Hedensted, source document 002, 2017: "from 23 single services
 * to 4 packages", "from click to look", fewer cold hours), steered three ways on the same paths:
 * hourly activity steering, payment per citizen and care level, and a frame. See
 * docs/holistic-care.md for the reading.
 *
 * Run with `npx tsx examples/holistic-care.ts [paths]`.
 */
import {
  activity,
  formatStrategyComparison,
  frame,
  simulate,
  type ScenarioInput,
  type StrategyDefinition,
} from '../src/index';
import { pathsArgument } from './paths';

/**
 * A Hedensted-like municipality in 2017 with home care in four packages. From the source: 5.0
 * visited hours per recipient a week (the highest of the municipalities compared; the best 2.0),
 * and the move from 23 single services to 4 packages. Assumptions: 6,000 citizens aged 67-79
 * (+1.5 % a year) and 2,000 aged 80+ (+4 % a year), use rates 6 % and 30 %; the packages take
 * 1.5, 4, 8 and 16 hours a week (each ±15 %, drawn per path), which with the base shares by age
 * gives about 5 hours a recipient; citizens move up a package with a probability of 3 % a month
 * and down so that the mix is stable on average (drawn per path, concentration 400); the
 * package model saves 0 to 20 % (PERT, mode 10 %) of the paid hours not spent with citizens.
 *
 * @param paths - number of paths
 * @returns a scenario
 */
export function hedenstedPackages(paths = 4000): ScenarioInput {
  const hours = (h: number) => ({ dist: 'pert' as const, min: h * 0.85, mode: h, max: h * 1.15 });
  return {
    name: 'hedensted-packages',
    description:
      'A Hedensted-like municipality with home care in four packages, 2018-2027: hourly activity steering, payment per citizen and package, and a frame.',
    baseYear: 2017,
    horizonYears: 10,
    seed: 2017,
    paths,
    population: {
      groups: [
        { id: '67-79', start: 6000, growthPerYear: 0.015, errorGrowthSdPerYear: 0.004, errorNoiseSdPerYear: 0.003 },
        { id: '80+', start: 2000, growthPerYear: 0.04, errorGrowthSdPerYear: 0.007, errorNoiseSdPerYear: 0.003 },
      ],
      correlation: 0.8,
    },
    prices: { indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0.008 },
    homeCare: {
      label: 'Home care in packages',
      useRates: { '67-79': 0.06, '80+': 0.3 },
      useRateTrendPerYear: { dist: 'pert', min: -0.012, mode: -0.005, max: 0.002 },
      hoursTrendPerYear: { dist: 'normal', mean: 0, sd: 0.005 },
      undeliveredShare: { dist: 'pert', min: 0.03, mode: 0.05, max: 0.1 },
      userTimeShare: { dist: 'pert', min: 0.57, mode: 0.6, max: 0.63 },
      wageCostPerPaidHourKr: 282,
      recipientNoise: true,
      individualHoursCv: 0.5,
      careLevels: {
        levels: [
          { id: '1', label: 'Package 1', hoursPerWeek: hours(1.5) },
          { id: '2', label: 'Package 2', hoursPerWeek: hours(4) },
          { id: '3', label: 'Package 3', hoursPerWeek: hours(8) },
          { id: '4', label: 'Package 4', hoursPerWeek: hours(16) },
        ],
        shares: { '67-79': [0.45, 0.32, 0.16, 0.07], '80+': [0.3, 0.3, 0.25, 0.15] },
        // Up 3 % a month; down at the rate that keeps the mix [0.37, 0.3, 0.21, 0.12] stationary.
        transitions: [
          [0.97, 0.03, 0, 0],
          [0.037, 0.933, 0.03, 0],
          [0, 0.043, 0.927, 0.03],
          [0, 0, 0.0525, 0.9475],
        ],
        transitionConcentration: 400,
        coldHoursSavedShare: { dist: 'pert', min: 0, mode: 0.1, max: 0.2 },
      },
    },
  };
}

/** Hourly activity steering, payment per citizen and package, and a frame without carry-over. */
export function holisticStrategies(): StrategyDefinition[] {
  return [
    activity({ id: 'hourly', label: 'Activity, by the hour' }),
    activity({ id: 'per-citizen', label: 'Activity, per citizen and package', unit: 'citizen-days' }),
    frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = pathsArgument(4000);
  const result = simulate(hedenstedPackages(paths), { strategies: holisticStrategies() });
  console.log(
    `Hedensted-like home care in four packages, ${paths} paths: deviations in % of the adopted budget (positive = overspend)\n`,
  );
  console.log(formatStrategyComparison(result, { years: [2018, 2022, 2027] }));
}
