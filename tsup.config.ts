import { defineConfig } from 'tsup';

// No source maps in the build that is published: they were 64 % of the unpacked package (5.8 of
// 9.0 MB). To debug the built files, set it to true for a local build.
const sourcemap = false;

/**
 * mathjs's factories that carebudget uses, bundled into every build: its package index builds
 * every one of its functions as it loads (about half a second); bundled, only the factories
 * imported are.
 */
const MATHJS = ['mathjs'];
/** And small ES-module-only libraries, bundled so the CommonJS build needs no require() of an ES module. */
const BUNDLED = ['d3-dsv', 'hyparquet-writer', 'hyparquet', ...MATHJS];

/** CommonJS has no import.meta: every CJS file gets its own URL, from its own __filename. */
const CJS_URL_BANNER = "const __cjsFileUrl = require('node:url').pathToFileURL(__filename).href;";

/**
 * Drops the banner above from the CommonJS files of a build that do not read their URL (the core's
 * among them): its require('node:url') would stop a bundler from taking the core's CommonJS build
 * to a browser.
 */
async function dropUnreadUrlBanners(dir: string): Promise<void> {
  const { readdir, readFile, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  for (const entry of await readdir(dir, { recursive: true })) {
    // Only this build's files: the report's is another build's, which may be writing it now.
    if (!entry.endsWith('.cjs') || entry.startsWith('report')) continue;
    const file = join(dir, entry);
    const text = await readFile(file, 'utf8');
    const rest = text.replace(`${CJS_URL_BANNER}\n`, '');
    if (rest !== text && !rest.includes('__cjsFileUrl')) await writeFile(file, rest);
  }
}

export default defineConfig([
  {
    // The core (browser-safe) and the Node entry, ESM and CJS with declarations.
    entry: {
      index: 'src/index.ts',
      'node/index': 'src/node/index.ts',
      'data/index': 'src/data/index.ts',
      'testing/index': 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap,
    clean: true,
    // Shared chunks in both formats, so carebudget and carebudget/node share one copy of each
    // class (an error thrown by the pool is instanceof the core's SimulationError).
    splitting: true,
    // CommonJS has no import.meta: give every CJS file that reads it its own URL (see dropUnreadUrlBanners).
    banner: (ctx) => (ctx.format === 'cjs' ? { js: CJS_URL_BANNER } : {}),
    esbuildOptions(options, ctx) {
      if (ctx.format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__cjsFileUrl' };
    },
    target: 'es2022',
    platform: 'node',
    noExternal: BUNDLED,
    onSuccess: () => dropUnreadUrlBanners('dist'),
  },
  {
    // The HTML report (carebudget/report), built apart: vega and vega-lite load there only, by
    // import() (they are ES modules with top-level await, which require() cannot load), and the
    // CJS chunk splitting above would turn that import() into a require().
    entry: { 'report/index': 'src/html/index.ts' },
    format: ['esm', 'cjs'],
    noExternal: MATHJS,
    dts: true,
    sourcemap,
    target: 'node20',
    platform: 'node',
    // The explorer page finds its script by its own URL: the CJS build gets one from __filename.
    banner: (ctx) => (ctx.format === 'cjs' ? { js: CJS_URL_BANNER } : {}),
    // The explorer's fallback for a source checkout builds its script with esbuild, a development
    // dependency: never bundled.
    external: ['esbuild'],
    esbuildOptions(options, ctx) {
      if (ctx.format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__cjsFileUrl' };
    },
  },
  {
    // The explorer page's script, inlined into each page: the engine, vega and vega-lite in one
    // browser bundle that also runs as the page's Web Workers.
    entry: { 'explore/client': 'src/html/explore/client.ts' },
    format: ['iife'],
    sourcemap,
    minify: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
  },
  {
    // The worker thread's entry, loaded by file URL.
    entry: { 'node/worker': 'src/node/worker.ts' },
    format: ['esm'],
    noExternal: MATHJS,
    sourcemap,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    noExternal: BUNDLED,
    external: ['esbuild'],
    format: ['esm'],
    sourcemap,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
