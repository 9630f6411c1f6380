import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Scenario } from '../scenario/schema';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { StrategyDefinition } from '../steering/strategy';
import { assembleModel, runModel, type Model } from '../simulation/engine';
import { resultBuffer, resultMeta } from '../simulation/result';
import { toSummaryResult } from '../results/streaming';
import { carryError, type WorkerTask } from './protocol';
import { OptionError } from '../errors';

// This module imports neither the scenario schema (zod) nor the matrix library (mathjs): the
// calling thread validated the scenario and computed the correlation factor, so a worker starts
// quickly.

let cachedKey = '';
let cached: { model: Model; strategies: StrategyDefinition[] } | undefined;

async function load(task: WorkerTask): Promise<{ model: Model; strategies: StrategyDefinition[] }> {
  if (cached !== undefined && cachedKey === task.runId) return cached;
  const scenario: Scenario = task.scenario;
  let strategies: StrategyDefinition[];
  if (task.strategies.kind === 'specs') {
    strategies = strategiesFromSpecs(task.strategies.specs);
  } else {
    // TypeScript modules (development, under tsx) load through require; JavaScript by import().
    const url = task.strategies.url;
    const mod = (
      url.endsWith('.ts') ? createRequire(import.meta.url)(fileURLToPath(url)) : await import(url)
    ) as Record<string, unknown>;
    const exported = mod[task.strategies.exportName];
    const value = typeof exported === 'function' ? (exported as (s: Scenario) => unknown)(scenario) : exported;
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
  const result = runModel(model, strategies, {
    pathStart: task.pathStart,
    paths: task.paths,
    ...(task.inputs === undefined ? {} : { inputs: task.inputs }),
    ...(task.limits === undefined ? {} : { limits: task.limits }),
  });
  if (task.mode === 'streaming') return toSummaryResult(result, task.streaming);
  const meta = resultMeta(result);
  const buffer = resultBuffer(result)!;
  // Piscina's transferable protocol: the payload goes back with its buffer in the transfer list.
  return move({ [transferableSymbol]: buffer, [valueSymbol]: { meta, buffer } } as never);
}
