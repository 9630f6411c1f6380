// Smoke check of the built package from an ES module: the core, the Node entry's pool, shared classes.
import assert from 'node:assert';
import * as core from 'carebudget';
import { simulateParallel } from 'carebudget/node';

const scenario = { ...core.lejre2034(), paths: 3000 };
const { result, threads } = await simulateParallel(scenario, { threads: 2, minParallelPaths: 0 });
assert.strictEqual(threads, 2);
assert.deepStrictEqual(
  Array.from(result.figures.actualCostKr),
  Array.from(core.simulate(scenario).figures.actualCostKr),
);
await assert.rejects(simulateParallel(scenario, { threads: 0 }), (e) => e instanceof core.SimulationError);
const { renderReport } = await import('carebudget/report');
assert.match(await renderReport(core.simulate({ ...scenario, paths: 200 })), /^<!doctype html>[\s\S]*<svg/);
// Errors keep their classes across copies of the library: the report's own copy of the core, and
// the CommonJS build loaded beside this one.
const { createRequire: requireFrom } = await import('node:module');
const cjsCore = requireFrom(import.meta.url)('carebudget');
await assert.rejects(
  renderReport(core.simulate({ ...scenario, paths: 20 }), { locale: 'fr' }),
  (e) => e instanceof core.OptionError && e instanceof cjsCore.OptionError,
);
assert.throws(
  () => cjsCore.simulate({}),
  (e) => e instanceof core.ScenarioError && !(e instanceof core.OptionError),
);
// The core's CommonJS build bundles for a browser: it requires no Node module.
const { build } = await import('esbuild');
const { fileURLToPath } = await import('node:url');
const { dirname } = await import('node:path');
await build({
  stdin: { contents: "require('carebudget')", resolveDir: dirname(fileURLToPath(import.meta.url)) },
  bundle: true,
  platform: 'browser',
  write: false,
  logLevel: 'silent',
});
console.log('dist (ES module): ok');

// The installed command line runs on the pool from its bundle (dist/cli.js finds dist/node/worker.js).
const { execFileSync } = await import('node:child_process');
const { createRequire } = await import('node:module');
const bin = createRequire(import.meta.url)
  .resolve('carebudget/package.json')
  .replace(/package\.json$/, 'dist/cli.js');
const out = execFileSync(
  process.execPath,
  [bin, 'run', '--preset', 'lejre-2034', '--paths', '2500', '--threads', '2', '--quiet'],
  { encoding: 'utf8' },
);
assert.match(out, /2500 paths, seed 2034, 2 threads, every path kept/);
console.log('dist command line: ok');

// The command line's YAML starter validates; the data entry loads from an ES module.
const { mkdtempSync } = await import('node:fs');
const { join } = await import('node:path');
const { tmpdir } = await import('node:os');
const dir = mkdtempSync(join(tmpdir(), 'carebudget-smoke-'));
execFileSync(process.execPath, [bin, 'init', join(dir, 's.yaml')], { encoding: 'utf8' });
assert.match(execFileSync(process.execPath, [bin, 'validate', join(dir, 's.yaml')], { encoding: 'utf8' }), /valid/);
const data = await import('carebudget/data');
assert.strictEqual(typeof data.resultToParquet, 'function');
console.log('dist command line init, carebudget/data: ok');

// A reader that closes the pipe early: the bundled command line ends quietly with code 0.
const piped = execFileSync(
  'bash',
  ['-c', `"${process.execPath}" "${bin}" presets | head -1; echo "exit \${PIPESTATUS[0]}"`],
  { encoding: 'utf8' },
);
assert.match(piped, /^lejre-2034: .*\nexit 0\n$/);
console.log('dist command line closed pipe: ok');
