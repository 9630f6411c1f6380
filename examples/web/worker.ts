/// <reference lib="webworker" />
// Runs the scenario in chunks of paths, each a streaming summary merged into the last, and
// yields to the worker's event loop between chunks, so a "cancel" message is read within one
// chunk. In an application, import from 'carebudget' instead of the source.
import { lejre2034, mergeSummaries, simulateSummary, type SummaryResult } from '../../src/index';
import type { Reply, Request } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let cancelled = false;
const reply = (message: Reply) => scope.postMessage(message);
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function run(paths: number, chunk: number): Promise<void> {
  cancelled = false;
  const scenario = { ...lejre2034(), paths };
  let summary: SummaryResult | undefined;
  for (let done = 0; done < paths;) {
    if (cancelled) {
      reply({ type: 'cancelled', pathsDone: done });
      return;
    }
    const n = Math.min(chunk, paths - done);
    const part = simulateSummary(scenario, { pathStart: done, paths: n });
    summary = summary === undefined ? part : mergeSummaries([summary, part]);
    done += n;
    reply({ type: 'progress', pathsDone: done, pathsTotal: paths });
    await nextTurn();
  }
  if (cancelled) reply({ type: 'cancelled', pathsDone: paths });
  else reply({ type: 'done', summary: summary! });
}

scope.onmessage = (event: MessageEvent<Request>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    cancelled = true;
    return;
  }
  run(request.paths, request.chunk).catch((e: unknown) =>
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
};
