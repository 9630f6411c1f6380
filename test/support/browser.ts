import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** Flags for a headless Chromium on a machine without a network beyond loopback. */
const QUIET = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium for the browser tests: `CHROMIUM_PATH` when set, else Debian's
 * `/usr/bin/chromium` when present, else the binary that the `@sparticuz/chromium` dev dependency
 * brings with `npm install` (unpacked to the temporary folder on first use). So the tests need no
 * system browser, and use one where a machine has it.
 */
export async function launchChromium(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (process.env.CHROMIUM_PATH !== undefined && !existsSync(system)) {
    throw new Error(`CHROMIUM_PATH is ${system}, but no file is there`);
  }
  if (existsSync(system) && process.env.CHROMIUM_BUNDLED !== '1') {
    return chromium.launch({ executablePath: system, args: QUIET });
  }
  const bundled = (await import('@sparticuz/chromium')).default;
  const executablePath = await bundled.executablePath();
  return chromium.launch({ executablePath, args: [...bundled.args, ...QUIET], headless: true });
}

/** Files served on loopback for a browser test: path to [content type, body]. */
export type ServedFiles = Record<string, readonly [string, string]>;

/**
 * Serves fixed files on 127.0.0.1 (an unknown path answers 404), for a browser test to open.
 * Returns the base address and a close function.
 */
export async function serveFiles(files: ServedFiles): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const f = Object.hasOwn(files, req.url ?? '/') ? files[req.url ?? '/'] : undefined;
    if (f === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
