/**
 * Ishøj's question (source document 000, 2018): what are the pros and cons of frame steering of
 * home care versus activity-steered home help? Frame, activity and a hybrid side by side over
 * ten years (2019-2028), with the overrun, the provider's share and the
 * service level.
 *
 * Run with `npx tsx examples/ishoej.ts [paths]`.
 */
import {
  activity,
  formatStrategyComparison,
  frame,
  hybrid,
  simulate,
  type ScenarioInput,
  type StrategyDefinition,
} from '../src/index';
import { pathsArgument } from './paths';

/**
 * An Ishøj-like municipality in 2018. The source gives no population or home-care figures, so
 * these are assumptions of the right order for a municipality of about 23,000 inhabitants with
 * a fast-ageing population: 2,300 citizens aged 67-79 (+1.5 % a year) and 750 aged 80+
 * (+5 % a year); national coverage and hours (VIVE, Statistics Denmark); 470 kr per delivered
 * hour at 60 % user time.
 */
export function ishoejHomeCare(paths = 4000): ScenarioInput {
  return {
    name: 'ishoej-homecare-2028',
    description: 'An Ishøj-like municipality, home care 2019-2028: frame, activity and hybrid steering compared.',
    baseYear: 2018,
    horizonYears: 10,
    seed: 2018,
    paths,
    population: {
      groups: [
        { id: '67-79', start: 2300, growthPerYear: 0.015, errorGrowthSdPerYear: 0.004, errorNoiseSdPerYear: 0.003 },
        { id: '80+', start: 750, growthPerYear: 0.05, errorGrowthSdPerYear: 0.008, errorNoiseSdPerYear: 0.004 },
      ],
      correlation: 0.8,
    },
    prices: { indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0.008 },
    homeCare: {
      useRates: { '67-79': 0.05, '80+': 0.28 },
      useRateTrendPerYear: { dist: 'pert', min: -0.012, mode: -0.005, max: 0.002 },
      hoursPerRecipientPerWeek: 3.2,
      hoursTrendPerYear: { dist: 'normal', mean: 0, sd: 0.005 },
      undeliveredShare: { dist: 'pert', min: 0.03, mode: 0.05, max: 0.1 },
      userTimeShare: { dist: 'pert', min: 0.57, mode: 0.6, max: 0.63 },
      wageCostPerPaidHourKr: 282,
      recipientNoise: true,
      individualHoursCv: 0.5,
    },
  };
}

/** The three ways of steering compared. */
export function ishoejStrategies(): StrategyDefinition[] {
  return [
    frame({
      carryOver: { surplusCap: 0.05, deficitCap: 0.02 },
      serviceResponse: { threshold: 0.01, maxCutPerYear: 0.03, minLevel: 0.8 },
    }),
    activity(),
    hybrid({
      corridor: 0.03,
      marginalRate: 0.7,
      carryOver: { surplusCap: 0.05, deficitCap: 0.02 },
      serviceResponse: { threshold: 0.01, maxCutPerYear: 0.03, minLevel: 0.8 },
    }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = pathsArgument(4000);
  const result = simulate(ishoejHomeCare(paths), { strategies: ishoejStrategies() });
  console.log(`Ishøj-like home care, ${paths} paths: deviations in % of the adopted budget (positive = overspend)\n`);
  console.log(formatStrategyComparison(result, { years: [2019, 2023, 2028] }));
}
