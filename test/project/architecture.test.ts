import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The layers, upstream first: a module may import only from its own layer or those before it. */
const LAYERS = [
  'math',
  'scenario',
  'random',
  'drivers',
  'services',
  'steering',
  'simulation',
  'results',
  'sensitivity',
  'optimize',
  'fit',
  'charts',
  'explore',
  'report',
  'html',
  'data',
  'testing',
  'node',
  'cli',
];
const SRC = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

/**
 * The modules and packages a file loads before it runs: its static value imports, followed
 * through src/ (type-only imports and import() excluded).
 */
function staticValueImports(entry: string): { packages: Set<string>; seen: Set<string> } {
  const valueImports = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map(
      (m) => m[1]!,
    );
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(file)) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const base = join(file, '..', spec);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
      if (target !== undefined) visit(target);
    }
  };
  visit(entry);
  return { packages, seen };
}

describe('architecture', () => {
  const all = files(SRC);

  it('imports point downstream only (math -> scenario -> random -> drivers -> services -> steering -> simulation -> results -> report -> cli)', () => {
    const violations: string[] = [];
    for (const file of all) {
      const layer = relative(SRC, file).split('/')[0]!;
      if (!LAYERS.includes(layer)) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(file, '..', spec)).split('/')[0]!;
        if (LAYERS.includes(target) && LAYERS.indexOf(target) > LAYERS.indexOf(layer))
          violations.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('no import cycle among src/ modules, type-only imports included (the architecture has none at all)', () => {
    // The graph of relative imports and re-exports, each resolved to its file.
    const resolve = (from: string, spec: string): string | undefined => {
      const base = join(from, '..', spec).replace(/\.js$/, '');
      return [base, `${base}.ts`, join(base, 'index.ts')].find((p) => p.endsWith('.ts') && existsSync(p));
    };
    const graph = new Map(
      all.map((file) => [
        file,
        imports(file)
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => resolve(file, spec))
          .filter((p): p is string => p !== undefined),
      ]),
    );
    // Depth-first search: a module met again while still on the stack closes a cycle.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open')
          cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f)).join(' -> '));
        else if (state.get(next) === undefined) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of all) if (state.get(file) === undefined) visit(file);
    expect(cycles).toEqual([]);
  });

  it('the core has no Node-only imports, no Math.random and no clock (outside the Node entry, the CLI and progress timing)', () => {
    const problems: string[] = [];
    for (const file of all) {
      const rel = relative(SRC, file);
      if (rel.startsWith('cli/') || rel.startsWith('node/') || rel.startsWith('html/') || rel.startsWith('types/'))
        continue;
      const text = readFileSync(file, 'utf8');
      for (const spec of imports(file))
        if (spec.startsWith('node:') || ['fs', 'path', 'worker_threads', 'os'].includes(spec))
          problems.push(`${rel}: ${spec}`);
      if (/Math\.random\s*\(/.test(text)) problems.push(`${rel}: Math.random`);
      if (/new Date\(\)/.test(text)) problems.push(`${rel}: new Date()`);
    }
    expect(problems).toEqual([]);
  });

  it('the engine never branches on a strategy id or a service id', () => {
    for (const file of ['engine.ts', 'pathRun.ts', 'ledger.ts']) {
      const engine = readFileSync(join(SRC, 'simulation', file), 'utf8');
      expect(engine).not.toMatch(/'frame'|'activity'|"frame"|"activity"|'home-care'/);
    }
  });

  it('the core entry does not reach the Node entry', () => {
    for (const file of all.filter(
      (f) =>
        !relative(SRC, f).startsWith('node/') &&
        !relative(SRC, f).startsWith('cli/') &&
        !relative(SRC, f).startsWith('html/'),
    )) {
      for (const spec of imports(file)) expect(spec.includes('/node/') || spec === 'piscina').toBe(false);
    }
  });

  it("the command line's help, version and presets load none of the library's heavy dependencies", () => {
    // What `carebudget --help` and `carebudget presets` load before they answer.
    const { packages, seen } = staticValueImports(join(SRC, 'cli', 'main.ts'));
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect([...seen].map((f) => relative(SRC, f)).sort()).toEqual([
      'cli/errors.ts',
      'cli/main.ts',
      'cli/options.ts',
      // Node's file functions only: it removes the --out directory a failed command made.
      'cli/outputs.ts',
      'cli/run.ts',
      'errors.ts',
      'scenario/presets.ts',
      'version.ts',
    ]);
  });

  it('the commands load Apache Arrow only for --arrow and --parquet (import() then)', () => {
    const { packages, seen } = staticValueImports(join(SRC, 'cli', 'commands.ts'));
    expect([...packages].filter((p) => /apache-arrow|hyparquet/.test(p))).toEqual([]);
    expect([...seen].map((f) => relative(SRC, f))).not.toContain('data/index.ts');
    expect(readFileSync(join(SRC, 'cli', 'commands.ts'), 'utf8')).toMatch(/await import\('\.\/data'\)/);
  });

  it('a worker thread loads neither zod nor mathjs (the formula parser is imported only for formulas)', () => {
    const { packages, seen } = staticValueImports(join(SRC, 'node', 'worker.ts'));
    expect([...packages].filter((p) => /^(zod|mathjs)/.test(p))).toEqual([]);
    expect([...seen].map((f) => relative(SRC, f))).not.toContain('scenario/formulaParser.ts');
    expect([...seen].map((f) => relative(SRC, f))).toContain('services/homeCare.ts');
  });

  it('index.ts re-exports by name (no export *)', () => {
    expect(readFileSync(join(SRC, 'index.ts'), 'utf8')).not.toMatch(/export \*/);
  });
});
