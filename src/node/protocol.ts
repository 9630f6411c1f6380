import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RunInputs } from '../simulation/engine';
import type { RunLimits } from '../simulation/estimate';
import type { Scenario, StrategySpec } from '../scenario/schema';
import type { StreamingOptions } from '../results/streaming';

/** A chunk of work sent to a worker thread. @internal */
export interface WorkerTask {
  readonly runId: string;
  /** Validated on the calling thread; workers do not validate again. */
  readonly scenario: Scenario;
  /** The population groups' correlation factor, computed once on the calling thread. */
  readonly correlationFactor: readonly number[];
  readonly strategies:
    | { readonly kind: 'specs'; readonly specs: readonly StrategySpec[] }
    | { readonly kind: 'module'; readonly url: string; readonly exportName: string };
  readonly pathStart: number;
  readonly paths: number;
  readonly mode: 'exact' | 'streaming';
  readonly streaming: StreamingOptions;
  readonly inputs?: RunInputs;
  /** The run's limits: each chunk's runModel checks its own paths against them. */
  readonly limits?: RunLimits;
  /** Send back, with the per-path result, each declared scalar input's value on each of the chunk's paths. */
  readonly observeInputs?: boolean;
  /**
   * Exact mode: a buffer shared with the calling thread, of the chunk's per-path result's size,
   * to write the result into (its figures are then not sent back, only the result's shape). The
   * calling thread keeps one per lane of tasks and copies each chunk out of it before the lane's
   * next task, so no buffer is allocated, transferred and collected per chunk.
   */
  readonly resultBuffer?: SharedArrayBuffer;
}

/**
 * An error as a worker sends it back: a plain object, so that its name and structured fields
 * survive the thread boundary (structured clone keeps only an Error's message).
 *
 * @internal
 */
export interface CarriedError {
  readonly carebudgetError: true;
  readonly name: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly stack?: string;
}

/** @internal */
export function isCarriedError(e: unknown): e is CarriedError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { carebudgetError?: unknown }).carebudgetError === true &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/**
 * What a worker throws in place of `e`: an Error keeps its name, message and own fields; a
 * thrown string or other value becomes a message that says what it was.
 *
 * @internal
 */
export function carryError(e: unknown): CarriedError {
  if (e instanceof Error) {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
    return {
      carebudgetError: true,
      name: e.name,
      message: e.name === 'SimulationError' ? e.message : `${e.name}: ${e.message}`,
      fields,
      ...(e.stack === undefined ? {} : { stack: e.stack }),
    };
  }
  let text: string;
  try {
    text =
      typeof e === 'string'
        ? `a strategy or service threw the string ${JSON.stringify(e)}`
        : `a strategy or service threw ${JSON.stringify(e) ?? String(e)} (not an Error)`;
  } catch {
    text = `a strategy or service threw a ${typeof e} (not an Error)`;
  }
  return { carebudgetError: true, name: 'Error', message: text, fields: {} };
}

/**
 * What a strategy module exports for a scenario: its export `exportName`, or what that export
 * returns for the scenario when it is a function. The caller checks that it is a list of
 * strategies. TypeScript modules (development, under tsx) load through require, or by import()
 * where require cannot compile them (a test runner's loader); JavaScript by import(). The calling
 * thread (to count the strategies, or to run a sensitivity analysis's small runs) and each worker
 * load it alike.
 *
 * @internal
 */
export async function strategyModuleExport(url: string, exportName: string, scenario: Scenario): Promise<unknown> {
  const mod = (url.endsWith('.ts') ? await requireOrImport(url) : await import(url)) as Record<string, unknown>;
  const exported = mod[exportName];
  return typeof exported === 'function' ? (exported as (s: Scenario) => unknown)(scenario) : exported;
}

async function requireOrImport(url: string): Promise<unknown> {
  try {
    return createRequire(import.meta.url)(fileURLToPath(url)) as unknown;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return (await import(url)) as unknown;
  }
}
