import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { lejre2034, presets, safeParseScenario, simulate, type ScenarioInput } from '../../src/index';
import { VERSION } from '../../src/version';
import { scenarioJsonSchemaText } from '../../scripts/scenario-schema';
import { starterYaml } from '../../src/cli/init';

const root = join(__dirname, '..', '..');
const shipped = readFileSync(join(root, 'scenario.schema.json'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  exports: Record<string, unknown>;
};

describe('JSON Schema of the scenario file', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(shipped) as object);

  it('is up to date with the zod schema (regenerate with npm run schema) and shipped in the package', () => {
    expect(shipped).toBe(scenarioJsonSchemaText());
    expect(pkg.files).toContain('scenario.schema.json');
    expect(pkg.exports['./scenario.schema.json']).toBe('./scenario.schema.json');
    expect(VERSION).toBe(pkg.version);
  });

  it('accepts every preset and the starter files init writes, checked by an independent validator (ajv)', () => {
    for (const [name, make] of Object.entries(presets)) {
      expect(validate(make()), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const starter = parseYaml(starterYaml(make(), { preset: name, schema: 'x' }));
      expect(validate(starter), name).toBe(true);
    }
  });

  it("init's starter ends with a commented sampling section that, uncommented, is valid and runs with the preset's own inputs", () => {
    for (const [name, make] of Object.entries(presets)) {
      const text = starterYaml(make(), { preset: name, schema: 'x' });
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('# How the inputs drawn once per path are sampled'));
      expect(at, name).toBeGreaterThan(0);
      const count = Number(/the next (\d+) lines/.exec(lines[at]!)![1]);
      const uncommented = [
        ...lines.slice(0, at),
        ...lines.slice(at + 1, at + 1 + count).map((l) => l.replace(/^# /, '')),
      ].join('\n');
      const scenario = parseYaml(uncommented) as Record<string, unknown>;
      expect(scenario.sampling, name).toBeDefined();
      expect(validate(scenario), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const result = simulate({ ...scenario, paths: 20 } as ScenarioInput);
      expect(result.pathCount, name).toBe(20);
    }
  });

  it('refuses what the zod schema refuses field by field: wrong types, unknown fields, out-of-range values', () => {
    const bad = [
      { ...lejre2034(), horizonYears: 'ten' },
      { ...lejre2034(), colour: 'blue' },
      { ...lejre2034(), paths: 0 },
      { ...lejre2034(), step: 'week' },
      { ...lejre2034(), homeCare: { ...lejre2034().homeCare!, userTimeShare: { dist: 'pert', min: 0.5, mode: 0.6 } } },
      { ...lejre2034(), strategies: [{ kind: 'budget' }] },
    ];
    for (const s of bad) {
      expect(validate(s), JSON.stringify(s).slice(0, 80)).toBe(false);
      expect(safeParseScenario(s).success).toBe(false);
    }
  });
});
