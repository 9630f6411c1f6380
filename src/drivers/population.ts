import { exp, pow } from '../random/detmath';
import { eigs, matrix, multiply, diag, sqrt, max as mmax } from 'mathjs';
import type { Scenario } from '../scenario/schema';
import { standardNormal } from '../random/special';
import { deriveStream, streamKey, type Seed } from '../random/stream';
import type { Driver, World } from './world';

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
 * const b = baselinePopulation({ groups: [{ id: '80+', start: 1605, target: { year: 2034, value: 2499 }, ... }], correlation: 0.8 }, 2023, 11);
 * b[11]; //=> 2499
 * ```
 * @category Drivers
 */
export function baselinePopulation(population: Scenario['population'], baseYear: number, horizonYears: number): Float64Array {
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
 * A factor A with A·Aᵀ = C for a correlation matrix C, from its eigen-decomposition (mathjs).
 * Eigenvalues below zero (a matrix that is not positive semi-definite by rounding) are set to
 * zero. Returned row-major.
 *
 * @param correlation - one correlation for every pair, or a full matrix
 * @param n - the matrix size
 * @returns the factor, row-major, n × n
 * @example
 * ```ts
 * correlationFactor(0, 2); //=> Float64Array [1, 0, 0, 1]
 * ```
 * @category Drivers
 */
export function correlationFactor(correlation: number | readonly (readonly number[])[], n: number): Float64Array {
  const c: number[][] = [];
  for (let i = 0; i < n; i++) {
    c.push([]);
    for (let j = 0; j < n; j++) c[i]!.push(i === j ? 1 : typeof correlation === 'number' ? correlation : correlation[i]![j]!);
  }
  const out = new Float64Array(n * n);
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  const { values, eigenvectors } = eigs(matrix(c));
  const lambdas = (values as unknown as { toArray(): number[] }).toArray();
  const cols = eigenvectors.map((e) => (e.vector as unknown as { toArray(): number[] }).toArray());
  // A = V · diag(sqrt(max(λ, 0)))
  const v = matrix(cols.map((_, i) => cols.map((col) => col[i]!)));
  const a = multiply(v, diag(lambdas.map((l) => sqrt(mmax(l, 0)) as number))) as unknown as { toArray(): number[][] };
  a.toArray().forEach((row, i) => row.forEach((x, j) => (out[i * n + j] = x)));
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
 * @returns a driver
 * @example
 * ```ts
 * const d = populationDriver(s.population, s.baseYear, s.horizonYears, s.seed);
 * d.draw(0, world);
 * ```
 * @category Drivers
 */
export function populationDriver(population: Scenario['population'], baseYear: number, horizonYears: number, seed: Seed): Driver {
  const groups = population.groups;
  const G = groups.length;
  const baseline = baselinePopulation(population, baseYear, horizonYears);
  const factor = correlationFactor(population.correlation, G);
  const growthSd = Float64Array.from(groups, (g) => g.errorGrowthSdPerYear);
  const noiseSd = Float64Array.from(groups, (g) => g.errorNoiseSdPerYear);
  const drift = Float64Array.from(groups, (g) => g.errorDriftPerYear);
  const key = streamKey(seed, 'population');
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
    draw(path: number, world: World): void {
      const rng = deriveStream(key, path);
      const pop = world.population;
      for (let j = 0; j < G; j++) z[j] = standardNormal(rng);
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
