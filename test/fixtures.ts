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

/**
 * Four care levels (1, 3, 7 and 15 hours a week) for the 80+, base shares 40/30/20/10 %, and
 * monthly moves (drawn around the matrix, concentration 300) that keep the mix near the base
 * shares on average.
 */
export function fourCareLevels() {
  return {
    levels: [
      { id: '1', hoursPerWeek: 1 },
      { id: '2', hoursPerWeek: 3 },
      { id: '3', hoursPerWeek: 7 },
      { id: '4', hoursPerWeek: 15 },
    ],
    shares: { '80+': [0.4, 0.3, 0.2, 0.1] },
    transitions: [
      [0.97, 0.03, 0, 0],
      [0.04, 0.93, 0.03, 0],
      [0, 0.045, 0.925, 0.03],
      [0, 0, 0.06, 0.94],
    ],
    transitionConcentration: 300,
  };
}
