import type { StrategySpec } from '../scenario/schema';
import type { StreamingOptions } from '../results/streaming';

/** A chunk of work sent to a worker thread. @internal */
export interface WorkerTask {
  readonly runId: string;
  readonly scenario: unknown;
  readonly strategies: { readonly kind: 'specs'; readonly specs: readonly StrategySpec[] } | { readonly kind: 'module'; readonly url: string; readonly exportName: string };
  readonly pathStart: number;
  readonly paths: number;
  readonly mode: 'exact' | 'streaming';
  readonly streaming: StreamingOptions;
}
