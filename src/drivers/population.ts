import { exp, pow } from '../math/detmath';
import type { Scenario } from '../scenario/schema';
import { standardNormal } from '../random/special';
import { StreamSlot, streamKey, type Seed } from '../random/stream';
import type { Driver, World } from './world';
import type { InputSources } from '../random/inputs';

/** The input group of the population's draws. */
const GROUP = 'demography';
import { OptionError } from '../errors';

/**
 * The baseline projection (the municipality's own forecast) by year and group:
 * `out[y * groups + g]`, index 0 = base year.
 *
 * @param population - the scenario's population section
 * @param baseYear - the base year
 * @param horizonYears - simulated years
 * @returns persons by year and group
 * @example
 * ```ts
 * // lejre-2034's groups are 67-79 and 80+: year y, group g at b[y * 2 + g].
 * const b = baselinePopulation(parseScenario(lejre2034()).population, 2023, 11);
 * b[11 * 2 + 1]; //=> 2499
 * ```
 * @category Drivers
 */
export function baselinePopulation(
  population: Scenario['population'],
  baseYear: number,
  horizonYears: number,
): Float64Array {
  const G = population.groups.length;
  const out = new Float64Array((horizonYears + 1) * G);
  population.groups.forEach((g, gi) => {
    for (let y = 0; y <= horizonYears; y++) {
      let v: number;
      if (g.table !== undefined) v = g.table[String(baseYear + y)]!;
      else if (g.target !== undefined) v = g.start! * pow(g.target.value / g.start!, y / (g.target.year - baseYear));
      else v = g.start! * pow(1 + g.growthPerYear!, y);
      out[y * G + gi] = v;
    }
  });
  return out;
}

/**
 * The population driver: baseline × exp(error), where the log error of each group follows a
 * random walk whose step has a persistent part (an error in the growth rate, drawn once per
 * path: spread ∝ horizon), a shock part (spread ∝ √horizon) and an optional drift; both parts
 * are correlated across groups.
 *
 * @param population - the scenario's population section
 * @param baseYear - the base year
 * @param horizonYears - simulated years
 * @param seed - the run's seed (the stream is keyed `population`)
 * @param factor - the correlation factor of the groups (row-major, from {@link correlationFactor})
 * @returns a driver
 * @throws RangeError when `factor` does not have one entry per pair of groups
 * @example
 * ```ts
 * const d = populationDriver(s.population, s.baseYear, s.horizonYears, s.seed, correlationFactor(s.population.correlation, 2));
 * d.draw(0, world);
 * ```
 * @category Drivers
 */
export function populationDriver(
  population: Scenario['population'],
  baseYear: number,
  horizonYears: number,
  seed: Seed,
  factor: Float64Array,
): Driver {
  const groups = population.groups;
  const G = groups.length;
  const baseline = baselinePopulation(population, baseYear, horizonYears);
  if (factor.length !== G * G)
    throw new OptionError(
      `populationDriver: factor must have ${G * G} entries (${G} groups); received ${factor.length}`,
      { option: 'populationDriver: factor', received: factor.length },
    );
  const growthSd = Float64Array.from(groups, (g) => g.errorGrowthSdPerYear);
  const noiseSd = Float64Array.from(groups, (g) => g.errorNoiseSdPerYear);
  const drift = Float64Array.from(groups, (g) => g.errorDriftPerYear);
  const key = streamKey(seed, 'population');
  const slot = new StreamSlot();
  const z = new Float64Array(G);
  const trend = new Float64Array(G);
  const err = new Float64Array(G);
  const correlate = (into: Float64Array): void => {
    for (let i = 0; i < G; i++) {
      let s = 0;
      for (let j = 0; j < G; j++) s += factor[i * G + j]! * z[j]!;
      into[i] = s;
    }
  };
  return {
    id: 'population',
    inputGroups: [GROUP],
    draw(path: number, world: World, inputs?: InputSources): void {
      // The growth error is structural, the yearly shocks variability: one stream, the shocks
      // after the growth error's G draws. Where a run takes the two from different stream paths,
      // the shocks' stream skips the growth error's draws, so each part is what its path gives.
      const pS = inputs === undefined ? path : inputs.path(GROUP, path, 'structural');
      const pV = inputs === undefined ? path : inputs.path(GROUP, path, 'variability');
      let rng = slot.at(key, pS);
      const pop = world.population;
      for (let j = 0; j < G; j++) z[j] = standardNormal(rng);
      if (pV !== pS) {
        rng = slot.at(key, pV);
        // standardNormal takes one uniform a draw: skip the growth error's G uniforms.
        for (let j = 0; j < G; j++) rng();
      }
      correlate(trend);
      for (let g = 0; g < G; g++) {
        trend[g] = drift[g]! + growthSd[g]! * trend[g]!;
        err[g] = 0;
        pop[g] = baseline[g]!;
      }
      for (let y = 1; y <= horizonYears; y++) {
        for (let j = 0; j < G; j++) z[j] = standardNormal(rng);
        for (let i = 0; i < G; i++) {
          let s = 0;
          for (let j = 0; j < G; j++) s += factor[i * G + j]! * z[j]!;
          err[i] = err[i]! + trend[i]! + noiseSd[i]! * s;
          pop[y * G + i] = baseline[y * G + i]! * exp(err[i]!);
        }
      }
    },
  };
}
