// The page: starts the worker, shows its progress, cancels it, and draws the fan chart of the
// streaming summary it returns. In an application, import from 'carebudget' instead of the source.
import embed from 'vega-embed';
import { fanChart } from '../../src/index';
import type { Reply, Request } from './protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pathsInput = $<HTMLInputElement>('paths');
const runButton = $<HTMLButtonElement>('run');
const cancelButton = $<HTMLButtonElement>('cancel');
const progress = $<HTMLProgressElement>('progress');
const status = $<HTMLOutputElement>('status');
const number = new Intl.NumberFormat('en-GB');

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (request: Request) => worker.postMessage(request);

function setState(state: 'idle' | 'running' | 'done' | 'cancelled' | 'error', text: string): void {
  document.body.dataset.state = state;
  status.value = text;
  runButton.disabled = state === 'running';
  cancelButton.disabled = state !== 'running';
}

runButton.addEventListener('click', () => {
  const paths = Number(pathsInput.value);
  if (!Number.isInteger(paths) || paths < 100 || paths > 1_000_000) {
    setState('error', `Paths must be a whole number from 100 to 1,000,000; received ${pathsInput.value}`);
    return;
  }
  progress.value = 0;
  progress.max = paths;
  setState('running', `Running ${number.format(paths)} paths…`);
  send({ type: 'run', paths, chunk: 250 });
});

cancelButton.addEventListener('click', () => send({ type: 'cancel' }));

worker.onmessage = async (event: MessageEvent<Reply>) => {
  const message = event.data;
  switch (message.type) {
    case 'progress':
      progress.value = message.pathsDone;
      status.value = `${number.format(message.pathsDone)} of ${number.format(message.pathsTotal)} paths`;
      break;
    case 'cancelled':
      setState('cancelled', `Cancelled after ${number.format(message.pathsDone)} paths.`);
      break;
    case 'error':
      setState('error', message.message);
      break;
    case 'done': {
      const spec = fanChart(message.summary, { layout: 'overlay' });
      await embed('#chart', spec as Parameters<typeof embed>[1], { renderer: 'svg', actions: false });
      setState('done', `Done: ${number.format(message.summary.pathCount)} paths.`);
      break;
    }
  }
};
worker.onerror = (event) => setState('error', event.message);
