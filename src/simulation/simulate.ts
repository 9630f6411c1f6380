import { parseScenario } from '../scenario/parse';
import { strategiesFromSpecs } from '../steering/fromSpec';
import { runModel, type SimulateOptions } from './engine';
import { buildModel } from './model';
import type { SimulationResult } from './result';

/**
 * Runs a Monte Carlo projection of a scenario: validates it, builds its model and runs every
 * path under every strategy.
 *
 * @param scenario - a scenario (validated here; see {@link parseScenario})
 * @param options - strategies (default: the scenario's), path range, progress, abort
 * @returns per path, year, strategy and service: adopted and final budget, actual cost,
 *   carry-over and activity; summarise with {@link summarize}
 * @throws {@link ScenarioError} when the scenario is invalid (nothing is run)
 * @throws {@link SimulationError} on bad options, a misbehaving plug-in, a non-finite figure, an
 *   abort, or a run whose memory or work exceeds `limits` (code `RUN_TOO_LARGE`, before any work)
 * @example
 * ```ts
 * const result = simulate({ ...lejre2034(), paths: 1000 }, { strategies: [frame(), activity()] });
 * const rows = summarize(result, { figures: ['treasuryDeviationKr'] });
 * ```
 * @category Simulation
 */
export function simulate(scenario: unknown, options: SimulateOptions = {}): SimulationResult {
  const parsed = parseScenario(scenario);
  const strategies = options.strategies ?? strategiesFromSpecs(parsed.strategies);
  // runModel checks the run's size (options.limits) before any work.
  const model = buildModel(parsed);
  return runModel(model, strategies, options);
}
