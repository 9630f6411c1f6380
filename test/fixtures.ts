import { lejre2034, type ScenarioInput } from '../src/index';

/** Lejre's 80+ alone, every uncertainty switched off. */
export function certainScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'certain-80plus',
    baseYear: 2023,
    horizonYears: 11,
    step: 'month',
    seed: 7,
    paths: 3,
    population: {
      groups: [
        {
          id: '80+',
          start: 1605,
          target: { year: 2034, value: 2499 },
          errorGrowthSdPerYear: 0,
          errorNoiseSdPerYear: 0,
        },
      ],
    },
    prices: { indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0 },
    homeCare: {
      useRates: { '80+': 0.28 },
      useRateTrendPerYear: 0,
      hoursPerRecipientPerWeek: 3.2,
      undeliveredShare: 0.05,
      userTimeShare: 0.6,
      wageCostPerPaidHourKr: 282,
      recipientNoise: false,
      individualHoursCv: 0,
    },
    strategies: [{ kind: 'frame', carryOver: { surplusCap: 0, deficitCap: 0 } }, { kind: 'activity' }],
    ...overrides,
  };
}

/** Deep-freezes an object graph, to prove that nothing mutates an input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** The lejre-2034 preset with home care only (no care homes): for tests about one service. */
export function lejreHomeCare(): ScenarioInput {
  const { careHomes, ...rest } = lejre2034();
  void careHomes;
  return rest;
}
