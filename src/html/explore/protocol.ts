/**
 * What the explorer page and its Web Workers say to each other, and what the page is built with.
 * @internal
 */
import type { ScenarioInput } from '../../scenario/schema';
import type { InfluentialInput } from '../../explore/inputs';
import type { ControlLimits } from '../../explore/state';

/** The page asks a worker to run paths [pathStart, pathStart + paths) of a scenario. */
export interface RunRequest {
  readonly type: 'run';
  /** The page's run number: a part of an older run is dropped. */
  readonly run: number;
  readonly scenario: ScenarioInput;
  readonly pathStart: number;
  readonly paths: number;
  /** The whole run's paths (a Latin hypercube is laid over all of them). */
  readonly total: number;
}

/** A worker's answer: the part's result (its buffer transferred), or the error that stopped it. */
export type WorkerReply =
  | {
      readonly type: 'part';
      readonly run: number;
      readonly pathStart: number;
      readonly meta: unknown;
      readonly buffer: ArrayBuffer;
    }
  | { readonly type: 'error'; readonly run: number; readonly message: string };

/** What the page is built with, as JSON in the page. */
export interface ExplorerConfig {
  readonly scenario: ScenarioInput;
  readonly inputs: readonly InfluentialInput[];
  readonly locale: 'en' | 'da';
  readonly version: string;
  /** The paths of the first answer, before the refinement to the full count. */
  readonly firstPaths: number;
  /** Paths a worker runs at a time while refining. */
  readonly chunk: number;
  /** The widest moves of each assumption control the scenario accepts, by its key. */
  readonly limits: Readonly<Record<string, ControlLimits>>;
  /** The built-in kinds the scenario lacks that run on it (offered, hidden until chosen). */
  readonly offered: readonly string[];
}
