import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import { presets, safeParseScenario } from '../../src/index';
import { runCli } from '../../src/cli/run';

/** Every path to a value in a JSON-like object. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

const junk = fc.oneof(
  fc.constantFrom(
    null,
    true,
    '',
    'x',
    -1,
    0,
    1e308,
    -1e308,
    5e-324,
    1.5,
    2.5e9,
    [],
    {},
    [[[]]],
    { __proto__: 1 },
    '__proto__',
    { dist: 'pert' },
  ),
  fc.integer(),
  fc.double(),
  fc.string(),
);

async function exitCode(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(argv, { out: () => {}, err: (t) => (err += t) });
  return { code, err };
}

describe('the command line never exits 0 on an invalid file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-invalid-'));
  const names = Object.keys(presets);

  it('on presets with a field changed, removed or replaced, written as JSON or YAML (seeded)', async () => {
    const cases = fc.sample(
      fc.record({
        preset: fc.constantFrom(...names),
        pick: fc.nat(),
        value: junk,
        remove: fc.boolean(),
        yaml: fc.boolean(),
      }),
      { numRuns: 150, seed: 20261123 },
    );
    let invalid = 0;
    for (const [n, c] of cases.entries()) {
      const base = presets[c.preset]!();
      const all = paths(base).slice(1);
      const input = setAt(base, all[c.pick % all.length]!, c.value, c.remove);
      const file = join(dir, `case-${n}.${c.yaml ? 'yaml' : 'json'}`);
      writeFileSync(file, c.yaml ? stringifyYaml(input) : JSON.stringify(input));
      const valid = safeParseScenario(input).success;
      const { code, err } = await exitCode(['validate', file]);
      if (!valid) invalid++;
      expect(code, `${file}: ${err}`).toBe(valid ? 0 : 1);
      expect(err).not.toMatch(/\n\s+at /);
    }
    expect(invalid).toBeGreaterThan(50);
  });
});
