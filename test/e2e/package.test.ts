import { beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import tsupConfig from '../../tsup.config';
import { schemaLink, shippedSchemaFile } from '../../src/cli/init';
import { VERSION } from '../../src/version';

/**
 * The package as a new user meets it: the commands the README and the getting-started page give
 * exist, the schema link `init` writes works offline, the published build carries no source
 * maps, and the bundle figures in docs/web.md are the measured ones.
 */

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
  files: string[];
  devDependencies: Record<string, string>;
};
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The shell blocks of a Markdown file, as lines (continuations joined, comments dropped). */
function shellBlocks(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks.map((b) =>
    b
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

describe('the commands the docs give', () => {
  const pages = ['README.md', 'docs/getting-started.md', 'docs/notebooks.md', 'CONTRIBUTING.md'];

  it('every `npm run` names a script of package.json, every `npx` a command the package or its tools install', () => {
    const bins = new Set([...Object.keys(pkg.bin), 'tsc', 'esbuild', 'tsx', 'vitest', 'prettier', 'deno']);
    for (const tool of ['esbuild', 'tsx', 'vitest', 'prettier', 'typescript'])
      expect(pkg.devDependencies, tool).toHaveProperty(tool);
    let runs = 0;
    for (const page of pages) {
      const text = read(page);
      for (const m of text.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) {
        runs++;
        expect(pkg.scripts, `${page}: npm run ${m[1]}`).toHaveProperty(m[1]!);
      }
      for (const m of text.matchAll(/\bnpx ([\w@./-]+)/g)) {
        const name = m[1]!;
        if (name === 'deno') continue; // "npx deno": the notebook page's own suggestion, fetched by npx
        expect(bins.has(name), `${page}: npx ${name}`).toBe(true);
      }
    }
    expect(runs).toBeGreaterThan(10);
    expect(pkg.scripts.cli).toBe('tsx src/cli/main.ts');
  });

  it("the README's command line runs from a clone through `npm run cli --`; `npx carebudget` only after the package is installed", () => {
    const blocks = shellBlocks(read('README.md'));
    const cliBlock = blocks.find((b) => b.some((l) => l.includes(' init my-scenario.yaml --preset')))!;
    expect(cliBlock.length).toBeGreaterThanOrEqual(6);
    for (const line of cliBlock)
      expect(line, line).toMatch(/^npm run cli -- (init|validate|run|rerun|population|sensitivity) /);
    // In order: the file init writes is the one the next commands read; rerun reads what run wrote.
    expect(cliBlock[0]).toContain('init my-scenario.yaml');
    expect(cliBlock.find((l) => l.startsWith('npm run cli -- run '))).toContain('--out results');
    expect(cliBlock.find((l) => l.startsWith('npm run cli -- rerun '))).toContain('results/result.json');
    for (const block of blocks) {
      const installed = block.findIndex((l) => /npm install \S+\.tgz/.test(l));
      block.forEach((line, i) => {
        if (/\bnpx carebudget\b/.test(line)) expect(installed >= 0 && installed < i, line).toBe(true);
      });
    }
    // The tarball's name is the one npm pack writes for this version; the build comes before it.
    const pack = blocks.flat().find((l) => l.includes('npm pack'))!;
    expect(pack).toMatch(/npm run build && npm pack/);
    expect(read('README.md')).toContain(`carebudget-${VERSION}.tgz`);
    expect(read('docs/getting-started.md')).toContain(`carebudget-${VERSION}.tgz`);
  });

  it('the files the commands name are in the repository', () => {
    for (const page of pages)
      for (const m of read(page).matchAll(/\b((?:examples|test\/fixtures)\/[\w./-]+\.(?:json|ts|yaml))\b/g))
        expect(existsSync(join(root, m[1]!)), `${page}: ${m[1]}`).toBe(true);
  });
});

describe('the schema link that init writes', () => {
  it('from a clone, the repository file; from an installed package, its own file in node_modules', () => {
    expect(shippedSchemaFile()).toBe(join(root, 'scenario.schema.json'));
    // An installed package: the bundled command line is dist/cli.js under node_modules/carebudget.
    const project = mkdtempSync(join(tmpdir(), 'carebudget-project-'));
    const installed = join(project, 'node_modules', 'carebudget');
    mkdirSync(join(installed, 'dist'), { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'carebudget', version: VERSION }));
    writeFileSync(join(installed, 'scenario.schema.json'), '{}');
    writeFileSync(join(installed, 'dist', 'cli.js'), '');
    const schema = shippedSchemaFile(pathToFileURL(join(installed, 'dist', 'cli.js')).href)!;
    expect(schema).toBe(join(installed, 'scenario.schema.json'));
    // A schema file of another package on the way up does not count.
    mkdirSync(join(project, 'other', 'lib'), { recursive: true });
    writeFileSync(join(project, 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    writeFileSync(join(project, 'other', 'scenario.schema.json'), '{}');
    expect(shippedSchemaFile(pathToFileURL(join(project, 'other', 'lib', 'x.js')).href)).toBeUndefined();

    const cases: [string | undefined, string][] = [
      ['my-scenario.yaml', './node_modules/carebudget/scenario.schema.json'],
      ['scenarios/lejre.yaml', '../node_modules/carebudget/scenario.schema.json'],
      [join(project, 'a', 'b', 'c.yaml'), '../../node_modules/carebudget/scenario.schema.json'],
      [undefined, './node_modules/carebudget/scenario.schema.json'],
    ];
    for (const [file, link] of cases) {
      expect(schemaLink(file, schema, project), String(file)).toBe(link);
      // Relative to the file, as editors read it, the link reaches the schema.
      const from = file === undefined ? project : dirname(resolve(project, file));
      expect(resolve(from, link)).toBe(schema);
    }
    // A file written outside the project, or a package run from npx's cache: the absolute path.
    const elsewhere = mkdtempSync(join(tmpdir(), 'carebudget-elsewhere-'));
    expect(schemaLink(join(elsewhere, 's.yaml'), schema, project)).toBe(schema.split(sep).join('/'));
    expect(schemaLink('s.yaml', schema, elsewhere)).toBe(schema.split(sep).join('/'));
    // No schema file found: the published one.
    expect(schemaLink('s.yaml', undefined, project)).toBe(
      `https://unpkg.com/carebudget@${VERSION}/scenario.schema.json`,
    );
  });

  it('the schema is in the published files', () => {
    expect(pkg.files).toContain('scenario.schema.json');
  });
});

describe('sizes', () => {
  it('the published build carries no source maps', () => {
    const configs = Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig];
    expect(configs.length).toBeGreaterThan(0);
    for (const c of configs as { sourcemap?: unknown }[]) expect(c.sourcemap ?? false).toBe(false);
    expect(pkg.files.some((f) => f.endsWith('.map'))).toBe(false);
  });

  it('every build bundles the mathjs factories it uses, so mathjs is only a development dependency', () => {
    // Its package index builds every mathjs function as it loads (about half a second).
    const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as { noExternal?: unknown[] }[];
    for (const c of configs)
      expect(
        (c.noExternal ?? []).some((x) => x === 'mathjs' || (x instanceof RegExp && x.test('mathjs'))),
        JSON.stringify(c.noExternal),
      ).toBe(true);
    const deps = (pkg as unknown as { dependencies: Record<string, string> }).dependencies;
    expect(deps).not.toHaveProperty('mathjs');
    expect(pkg.devDependencies).toHaveProperty('mathjs');
  });

  describe('docs/web.md gives the bundle figures measured now', () => {
    let minified = 0;
    let gzipped = 0;
    const parts: Record<string, number> = {};

    beforeAll(async () => {
      // The core as browser.test.ts bundles it: one esbuild build.
      const out = await build({
        entryPoints: [join(root, 'src', 'index.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        minify: true,
        metafile: true,
      });
      const text = out.outputFiles[0]!.text;
      minified = text.length;
      gzipped = gzipSync(text).length;
      for (const [input, { bytesInOutput }] of Object.entries(Object.values(out.metafile.outputs)[0]!.inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const key = m === null ? 'carebudget' : m[1]!;
        parts[key] = (parts[key] ?? 0) + bytesInOutput;
      }
    }, 60_000);

    const page = read('docs/web.md');
    const kib = (pattern: RegExp) => {
      const m = pattern.exec(page);
      expect(m, String(pattern)).not.toBeNull();
      return Number(m![1]) * 1024;
    };
    const near = (stated: number, measured: number, tolerance: number, what: string) =>
      expect(
        Math.abs(stated - measured) / measured,
        `${what}: stated ${stated / 1024} KiB, measured ${(measured / 1024).toFixed(1)} KiB`,
      ).toBeLessThanOrEqual(tolerance);

    it('minified and gzipped, within 5 %', () => {
      near(kib(/about (\d+) KiB minified/), minified, 0.05, 'minified');
      near(kib(/(\d+) KiB gzipped/), gzipped, 0.05, 'gzipped');
      // The limit the page states is the one browser.test.ts holds the bundle to.
      const limit = /above (\d+) KiB/.exec(page)![1]!;
      expect(read('test/e2e/browser.test.ts')).toContain(`expect(bundleBytes).toBeLessThan(${limit} * 1024)`);
      expect(minified).toBeLessThan(Number(limit) * 1024);
    });

    it('the parts, within 10 %', () => {
      const mathjs = ['mathjs', 'decimal.js', 'complex.js', 'fraction.js', 'typed-function'].reduce(
        (a, k) => a + (parts[k] ?? 0),
        0,
      );
      near(kib(/typed-function\) are about (\d+) KiB/), mathjs, 0.1, 'mathjs and its number types');
      near(kib(/zod about (\d+) KiB/), parts.zod!, 0.1, 'zod');
      near(kib(/date-fns about (\d+) KiB/), parts['date-fns']!, 0.1, 'date-fns');
      near(kib(/own\s+code about (\d+) KiB/), parts.carebudget!, 0.1, "carebudget's own code");
      expect(Object.keys(parts).filter((k) => k.startsWith('vega'))).toEqual([]);
    });
  });
});
