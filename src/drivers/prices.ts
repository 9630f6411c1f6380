import type { Scenario } from '../scenario/schema';
import { standardNormal } from '../random/special';
import { StreamSlot, streamKey, type Seed } from '../random/stream';
import type { Driver, World } from './world';
import type { InputSources } from '../random/inputs';

/**
 * The forecast price and wage index (base year = 1) by year: what budgets are uprated with.
 *
 * @param prices - the scenario's prices section
 * @param horizonYears - simulated years
 * @returns `out[y] = (1 + forecast)^y`
 * @example
 * ```ts
 * forecastIndex({ indexForecastPerYear: 0.023, indexOutcomeSdPerYear: 0 }, 2); //=> Float64Array [1, 1.023, 1.04652…]
 * ```
 * @category Drivers
 */
export function forecastIndex(prices: Scenario['prices'], horizonYears: number): Float64Array {
  const out = new Float64Array(horizonYears + 1);
  out[0] = 1;
  for (let y = 1; y <= horizonYears; y++) out[y] = out[y - 1]! * (1 + prices.indexForecastPerYear);
  return out;
}

/**
 * The price driver: each year's actual index growth is the forecast plus a normal error
 * (sd `indexOutcomeSdPerYear`), so the outcome drifts away from what budgets were uprated with.
 *
 * @param prices - the scenario's prices section
 * @param horizonYears - simulated years
 * @param seed - the run's seed (the stream is keyed `prices`)
 * @returns a driver
 * @example
 * ```ts
 * priceDriver(s.prices, s.horizonYears, s.seed).draw(0, world);
 * ```
 * @category Drivers
 */
export function priceDriver(prices: Scenario['prices'], horizonYears: number, seed: Seed): Driver {
  const key = streamKey(seed, 'prices');
  const slot = new StreamSlot();
  const f = prices.indexForecastPerYear;
  const sd = prices.indexOutcomeSdPerYear;
  return {
    id: 'prices',
    inputGroups: ['prices'],
    draw(path: number, world: World, inputs?: InputSources): void {
      const rng = slot.at(key, inputs === undefined ? path : inputs.path('prices', path, 'variability'));
      const idx = world.priceIndex;
      idx[0] = 1;
      for (let y = 1; y <= horizonYears; y++) {
        const growth = f + sd * standardNormal(rng);
        idx[y] = idx[y - 1]! * Math.max(0, 1 + growth);
      }
    },
  };
}
