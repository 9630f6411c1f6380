import type { Scenario, StrategySpec } from '../scenario/schema';
import type { StreamingOptions } from '../results/streaming';

/** A chunk of work sent to a worker thread. @internal */
export interface WorkerTask {
  readonly runId: string;
  /** Validated on the calling thread; workers do not validate again. */
  readonly scenario: Scenario;
  /** The population groups' correlation factor, computed once on the calling thread. */
  readonly correlationFactor: readonly number[];
  readonly strategies: { readonly kind: 'specs'; readonly specs: readonly StrategySpec[] } | { readonly kind: 'module'; readonly url: string; readonly exportName: string };
  readonly pathStart: number;
  readonly paths: number;
  readonly mode: 'exact' | 'streaming';
  readonly streaming: StreamingOptions;
}
