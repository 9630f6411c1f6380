/**
 * `carebudget explore [scenario | --preset NAME] [--out explorer.html]`: the explorer page of a
 * scenario, written as one self-contained file, or served on 127.0.0.1 on a free port (and
 * opened in the default browser where one exists) until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { renderExplorer } from '../html/explore/page';
import { choiceOption, readScenario, validated, type CliOutput, type Values } from './common';
import { CliError } from './errors';
import { checkWritable, writeAll } from './outputs';

/** The command that opens an address in the default browser, where the machine has one. */
function opener(): { command: string; args: string[] } | undefined {
  if (process.platform === 'darwin') return { command: 'open', args: [] };
  if (process.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir !== '' && existsSync(join(dir, 'xdg-open'))) return { command: join(dir, 'xdg-open'), args: [] };
  return undefined;
}

export async function exploreCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length > 1)
    throw new CliError(`explore takes one scenario file; received ${positionals.length}: ${positionals.join(' ')}`);
  const locale = choiceOption('locale', values.locale, ['en', 'da'] as const, 'en');
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out === '') throw new CliError('--out needs a file name');
  const { input, source, text } = readScenario(positionals[0], values.preset);
  const scenario = validated(input, source, text);
  const planned = out === undefined ? [] : [{ option: 'out', file: out, label: '--out' }];
  checkWritable(planned);
  io.err(`Ranking the inputs of ${scenario.name} (a Sobol' analysis)…\n`);
  // The scenario as written (not as parsed): the page's downloaded scenario keeps its form.
  const html = await renderExplorer(input, { locale });
  if (out !== undefined) {
    writeAll(planned.map((p) => ({ ...p, content: () => html })));
    io.out(
      `Wrote ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KB): open it in a browser; it works offline.\n`,
    );
    return 0;
  }
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/' && !req.url?.startsWith('/#') && !req.url?.startsWith('/?'))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  io.out(`The explorer of ${scenario.name} is at ${address} (Ctrl-C to stop)\n`);
  const open = values['no-open'] === true ? undefined : opener();
  if (open !== undefined) {
    const child = spawn(open.command, [...open.args, address], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopped.\n');
  return 0;
}
