import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { compareScenarios, lejre2034 } from '../../src/index';
import { runCli } from '../../src/cli/run';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'compare');
const BASE = join(EXAMPLES, 'base.yaml');
const VARIANT = join(EXAMPLES, 'variant.yaml');

describe('carebudget compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-compare-'));

  it('runs the example files and writes CSV and JSON equal to the library call', async () => {
    const csv = join(dir, 'compare.csv');
    const json = join(dir, 'compare.json');
    const r = await cli('compare', BASE, VARIANT, '--paths', '40', '--strategy', 'frame', '--csv', csv, '--json', json);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'carebudget compare: "lejre-2034-screen-visits" − "lejre-2034", path by path: 40 paths each, seed 2034, all services',
    );
    expect(r.out).toContain('The variant differs in: interventions');
    expect(r.out).toContain(
      'Frame (rammestyring): Overrun (actual cost − adopted budget) [treasuryDeviationKr] (m kr)',
    );
    expect(r.out).toMatch(/year\s+base\s+variant\s+difference: median \[P5, P95\]\s+mean ± 1.96·MCSE\s+P\(v > b\)/);
    // Nothing acts before 2026: the same in 2024 on every path.
    expect(r.out).toMatch(
      /\n2024\s+(-?\d+\.\d\d)\s+\1\s+0\.00 \[0\.00, 0\.00\]\s+0\.00 ± 0\.00\s+0 %\s+0\.00 \/ \d+\.\d\d\n/,
    );
    expect(r.out).toContain(`wrote ${csv}`);

    const direct = compareScenarios(parseYaml(readFileSync(BASE, 'utf8')), parseYaml(readFileSync(VARIANT, 'utf8')), {
      paths: 40,
      strategies: ['frame'],
    });
    const saved = JSON.parse(readFileSync(json, 'utf8')) as typeof direct & {
      runs: {
        base: { seed: number; paths: number; scenario: { name: string } };
        variant: { scenario: { name: string } };
      };
    };
    expect(saved.format).toBe('carebudget-comparison');
    expect(saved.rows).toEqual(JSON.parse(JSON.stringify(direct.rows)));
    expect([saved.runs.base.seed, saved.runs.base.paths]).toEqual([2034, 40]);
    expect([saved.runs.base.scenario.name, saved.runs.variant.scenario.name]).toEqual([
      'lejre-2034',
      'lejre-2034-screen-visits',
    ]);
    const rows = parseCsv(readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(direct.rows.length);
    expect(Object.keys(rows[0]!).slice(0, 8)).toEqual([
      'base',
      'variant',
      'strategy',
      'service',
      'figure',
      'year',
      'n',
      'base_mean',
    ]);
    const last = direct.rows.find((x) => x.figure === 'actualCostKr' && x.year === 2034)!;
    const row = rows.find((x) => x.figure === 'actualCostKr' && x.year === '2034')!;
    expect(Number(row.mean_difference)).toBe(last.mean);
    expect(Number(row.mcse)).toBe(last.mcse);
    expect(Number(row.p_variant_greater)).toBe(last.pVariantGreater);
    expect(last.p95).toBeLessThan(0);
  });

  it('compares presets, and a scenario with itself gives 0 on every path', async () => {
    const r = await cli(
      'compare',
      'preset:lejre-2034',
      'preset:lejre-2034',
      '--paths',
      '20',
      '--figure',
      'actualCostKr',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('The variant differs in: nothing (the two scenarios are the same)');
    const lines = r.out.split('\n').filter((l) => /^20\d\d /.test(l));
    expect(lines).toHaveLength(2 * 11);
    for (const l of lines) expect(l).toMatch(/0\.00 \[0\.00, 0\.00\]\s+0\.00 ± 0\.00\s+0 %\s+0\.00 \//);
  });

  it('writes the CSV in English and Danish forms', async () => {
    const en = join(dir, 'en.csv');
    const da = join(dir, 'da.csv');
    const args = [
      'compare',
      BASE,
      VARIANT,
      '--paths',
      '20',
      '--strategy',
      'activity',
      '--figure',
      'treasuryDeviationKr',
    ];
    expect((await cli(...args, '--csv', en, '--csv-locale', 'en', '--quiet')).code).toBe(0);
    expect((await cli(...args, '--csv', da, '--csv-locale', 'da')).code).toBe(0);
    const enText = readFileSync(en, 'utf8');
    expect(enText.split('\n')[0]).toBe(
      'Base,Variant,Strategy,Service,Figure,Unit,Year,Paths,Base mean,Variant mean,Mean difference,SD of difference,MCSE,P5,P25,P50,P75,P95,Min,Max,P(variant > base),P(variant < base),SD of independent runs,Variance removed by pairing',
    );
    const enRows = parseCsv(enText, { columns: true }) as Record<string, string>[];
    expect(enRows).toHaveLength(11);
    expect(enRows[0]!.Strategy).toBe('Activity (aktivitetsstyring)');
    expect(enRows[0]!.Unit).toBe('kr');
    expect(enRows[10]!['Mean difference']).toMatch(/^-?\d+$/);
    const daText = readFileSync(da, 'utf8');
    expect(
      daText.startsWith('\ufeffBasis;Variant;Styring;Ydelse;Tal;Enhed;År;Forløb;Gns. basis;Gns. variant;Gns. forskel'),
    ).toBe(true);
    const daRows = parseCsv(daText.slice(1), { columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(daRows[0]!.Styring).toBe('Aktivitetsstyring');
    expect(daRows[0]!.Ydelse).toBe('Alle ydelser');
    expect(daRows[0]!.Tal).toBe('Merforbrug (regnskab − vedtaget budget)');
    // Decimal commas, never points.
    expect(daRows[10]!['P(variant > basis)']).toMatch(/^(0|1|0,\d+)$/);
    expect(daRows[10]!['Varians fjernet ved parring']).toMatch(/^0,9\d*$/);
    expect(Number(daRows[10]!['Gns. forskel'])).toBe(Number(enRows[10]!['Mean difference']));
  });

  it('writes the report in Danish', async () => {
    const html = join(dir, 'compare.html');
    const r = await cli(
      'compare',
      BASE,
      VARIANT,
      '--paths',
      '20',
      '--strategy',
      'frame',
      '--report',
      html,
      '--report-locale',
      'da',
    );
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<html lang="da">');
    expect(page).toContain('Under rammestyring sænker varianten afvigelsen fra det vedtagne budget i 2034');
  });

  it('refuses scenarios it cannot pair, naming both files and values (exit 1)', async () => {
    const other = join(dir, 'other-seed.json');
    writeFileSync(other, JSON.stringify({ ...lejre2034(), seed: 7 }));
    const r = await cli('compare', 'preset:lejre-2034', other, '--paths', '10');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `carebudget: preset lejre-2034 and ${other}: the scenarios cannot be paired: the seed is 2034 in the base and 7 in the variant; paired runs need one seed; set the same seed in both, or pass --seed to run both with it\n`,
    );
    // With --seed both run with it.
    const s = await cli('compare', 'preset:lejre-2034', other, '--paths', '10', '--seed', '5', '--strategy', 'frame');
    expect(s.code).toBe(0);
    expect(s.out).toContain('10 paths each, seed 5');
    const years = join(dir, 'other-years.json');
    writeFileSync(years, JSON.stringify({ ...lejre2034(), horizonYears: 5 }));
    expect((await cli('compare', 'preset:lejre-2034', years)).err).toMatch(
      /the horizon is 11 years in the base and 5 years in the variant/,
    );
  });

  it('gives usage errors with the option at fault (exit 2)', async () => {
    const one = await cli('compare', BASE);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(
      /compare takes two scenarios, the base and the variant \(files or preset:NAME\); received 1/,
    );
    const preset = await cli('compare', 'preset:lejre', BASE);
    expect(preset.code).toBe(2);
    expect(preset.err).toMatch(/unknown preset "lejre" in preset:lejre; expected preset: and one of lejre-2034/);
    const strategy = await cli('compare', BASE, VARIANT, '--strategy', 'hybrid', '--paths', '5');
    expect(strategy.code).toBe(2);
    expect(strategy.err).toMatch(
      /--strategy: strategy "hybrid" is not in either scenario: the base has "frame", "activity"/,
    );
    const figure = await cli('compare', BASE, VARIANT, '--figure', 'overrun');
    expect(figure.err).toMatch(/--figure: unknown figure "overrun"; expected one of treasuryDeviationKr/);
    const service = await cli('compare', BASE, VARIANT, '--service', 'specialised', '--paths', '5');
    expect(service.code).toBe(2);
    expect(service.err).toMatch(/--service: service "specialised" is not a service of both scenarios/);
  });

  it('has a help with an example', async () => {
    const r = await cli('compare', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('carebudget compare <base> <variant> [options]');
    expect(r.out).toContain('carebudget compare examples/compare/base.yaml examples/compare/variant.yaml');
    expect(r.out).toMatch(/--csv-locale LOCALE/);
    expect((await cli('--help')).out).toMatch(/compare\s+compare a scenario with a variant of itself/);
  });
});
