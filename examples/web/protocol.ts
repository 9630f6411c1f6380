import type { SummaryResult } from '../../src/index';

/** What the page asks of the worker. */
export type Request =
  { readonly type: 'run'; readonly paths: number; readonly chunk: number } | { readonly type: 'cancel' };

/** What the worker tells the page. */
export type Reply =
  | { readonly type: 'progress'; readonly pathsDone: number; readonly pathsTotal: number }
  | { readonly type: 'done'; readonly summary: SummaryResult }
  | { readonly type: 'cancelled'; readonly pathsDone: number }
  | { readonly type: 'error'; readonly message: string };
