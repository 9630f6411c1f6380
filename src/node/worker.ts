import { createRequire } from 'node:module';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Scenario } from '../scenario/schema';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { StrategyDefinition } from '../steering/strategy';
import { runModel } from '../simulation/engine';
import { assembleModel, type Model } from '../simulation/assemble';
import { resultBuffer, resultMeta } from '../simulation/result';
import { toSummaryTree } from '../results/streaming';
import { carryError, strategyModuleExport, type WorkerTask } from './protocol';
import { OptionError } from '../errors';
import { useFormulaParser } from '../scenario/formula';

// This module imports neither the scenario schema (zod) nor mathjs: the calling thread validated
// the scenario and computed the correlation factor, and the eigen-decomposition of correlated
// inputs is the library's own (src/math/linalg.ts), so a worker starts quickly. The formula
// parser (mathjs) is imported only for a scenario with formulas.

let cachedKey = '';
let cached: { model: Model; strategies: StrategyDefinition[] } | undefined;

async function load(task: WorkerTask): Promise<{ model: Model; strategies: StrategyDefinition[] }> {
  if (cached !== undefined && cachedKey === task.runId) return cached;
  const scenario: Scenario = task.scenario;
  // mathjs (a second to load) only for a scenario with a formula, whose services compile it here.
  if (JSON.stringify(scenario).includes('"formula"'))
    (
      await importPart<typeof import('../scenario/formulaParser.js')>(
        'scenario/formulaParser',
        () => import('../scenario/formulaParser.js'),
      )
    ).installFormulaParser(useFormulaParser);
  let strategies: StrategyDefinition[];
  if (task.strategies.kind === 'specs') {
    strategies = strategiesFromSpecs(task.strategies.specs);
  } else {
    const url = task.strategies.url;
    const value = await strategyModuleExport(url, task.strategies.exportName, scenario);
    if (!Array.isArray(value))
      throw new OptionError(
        `strategy module ${url}: export "${task.strategies.exportName}" must be an array of strategies or a function returning one`,
        { option: 'strategyModule', received: typeof value },
      );
    strategies = value as StrategyDefinition[];
  }
  cached = {
    model: assembleModel(scenario, { correlationFactor: Float64Array.from(task.correlationFactor) }),
    strategies,
  };
  cachedKey = task.runId;
  return cached;
}

/**
 * A module of the library imported on demand. In the built package the bundler resolves the
 * import to its chunk; run from the sources (a worker started with tsx, whose hooks reach the
 * worker's require but not its dynamic import), it is required by its path.
 */
async function importPart<T>(path: string, bundled: () => Promise<T>): Promise<T> {
  try {
    return await bundled();
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND' || !import.meta.url.endsWith('.ts')) throw e;
    return createRequire(import.meta.url)(`../${path}.ts`) as T;
  }
}

/** Runs one chunk of paths; the per-path result's buffer is transferred, not copied. */
export default async function runChunk(task: WorkerTask): Promise<unknown> {
  try {
    return await runChunkOrThrow(task);
  } catch (e) {
    // A plain object crosses the thread boundary whole; an Error would lose its name and fields.
    throw carryError(e);
  }
}

async function runChunkOrThrow(task: WorkerTask): Promise<unknown> {
  const { model, strategies } = await load(task);
  let observed: readonly Float64Array[] | undefined;
  const result = runModel(model, strategies, {
    pathStart: task.pathStart,
    paths: task.paths,
    ...(task.inputs === undefined ? {} : { inputs: task.inputs }),
    ...(task.limits === undefined ? {} : { limits: task.limits }),
    ...(task.observeInputs === true ? { observeInputs: (seen) => (observed = seen.values) } : {}),
    // The calling thread's buffer, sized for this chunk's result there (a buffer of another
    // size is a bug, refused by the result's allocation as INVALID_RESULT).
    ...(task.resultBuffer === undefined ? {} : { resultBuffer: task.resultBuffer }),
  });
  if (task.mode === 'streaming') return toSummaryTree(result, task.streaming);
  const meta = resultMeta(result);
  // Written into the calling thread's shared buffer: only the shape goes back.
  if (task.resultBuffer !== undefined) return observed === undefined ? { meta } : { meta, observed };
  const buffer = resultBuffer(result)!;
  // Piscina's transferable protocol: the payload goes back with its buffer in the transfer list
  // (one transferable; the scalar inputs' values, a number per input and path, are copied).
  const value = observed === undefined ? { meta, buffer } : { meta, buffer, observed };
  return move({ [transferableSymbol]: buffer, [valueSymbol]: value } as never);
}
