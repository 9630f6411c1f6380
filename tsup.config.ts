import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The core (browser-safe) and the Node entry, ESM and CJS with declarations.
    entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
    shims: true,
  },
  {
    // The worker thread's entry, loaded by file URL.
    entry: { 'node/worker': 'src/node/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
