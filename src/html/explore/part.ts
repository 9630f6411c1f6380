/**
 * One part of an explorer run, as a Web Worker of the page runs it: the scenario's model built
 * once per scenario, then paths [pathStart, pathStart + paths) of a run of `total` paths.
 * @internal
 */
import { parseScenario } from '../../scenario/parse';
import { buildModel } from '../../simulation/model';
import { runModel } from '../../simulation/engine';
import type { SimulationResult } from '../../simulation/result';
import { strategiesFromSpecs } from '../../steering/fromSpec';
import type { RunRequest } from './protocol';

/** A worker's model, kept while the scenario stays the same. */
export interface PartCache {
  key: string;
  built?: {
    readonly model: ReturnType<typeof buildModel>;
    readonly strategies: ReturnType<typeof strategiesFromSpecs>;
  };
}

/** Runs one part of a run; the merge of the parts equals `simulate` of the whole run. */
export function runPart(
  cache: PartCache,
  r: Pick<RunRequest, 'scenario' | 'pathStart' | 'paths' | 'total'>,
): SimulationResult {
  const key = JSON.stringify(r.scenario);
  if (cache.built === undefined || key !== cache.key) {
    const parsed = parseScenario(r.scenario);
    cache.built = { model: buildModel(parsed), strategies: strategiesFromSpecs(parsed.strategies) };
    cache.key = key;
  }
  // The whole run's path count: a Latin hypercube is laid over all of it, as in one run.
  return runModel(cache.built.model, cache.built.strategies, {
    pathStart: r.pathStart,
    paths: r.paths,
    inputs: { designPaths: r.total },
  });
}
