import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { lejre2034, parseScenario, populationFromStatbank, PopulationImportError, simulate } from '../../src/index';
import { runCli } from '../../src/cli/run';

const FIXTURES = join(__dirname, '..', 'fixtures', 'statbank');
const csvText = readFileSync(join(FIXTURES, 'frkm124.csv'), 'utf8');
const v1 = JSON.parse(readFileSync(join(FIXTURES, 'frkm124-jsonstat1.json'), 'utf8')) as unknown;
const v2Text = readFileSync(join(FIXTURES, 'frkm124-jsonstat2.json'), 'utf8');

/** The expected counts, summed straight from the CSV rows by an independent parser. */
function expectedFromCsv(area: string, lo: number, hi: number): Record<string, number> {
  const rows = parseCsv(csvText, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
  const out: Record<string, number> = {};
  for (const r of rows) {
    const age = Number.parseInt(r.ALDER!, 10);
    if (r['OMRÅDE'] !== area || age < lo || age > hi) continue;
    out[r.TID!] = (out[r.TID!] ?? 0) + Number(r.INDHOLD);
  }
  return out;
}

function expectedFromCsvBySex(area: string, sex: string, lo: number, hi: number): Record<string, number> {
  const rows = parseCsv(csvText, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
  const out: Record<string, number> = {};
  for (const r of rows) {
    const age = Number.parseInt(r.ALDER!, 10);
    if (r['OMRÅDE'] !== area || r['KØN'] !== sex || age < lo || age > hi) continue;
    out[r.TID!] = (out[r.TID!] ?? 0) + Number(r.INDHOLD);
  }
  return out;
}

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('population from Statistics Denmark', () => {
  it('reads JSON-stat 1 ({"dataset": ...}), JSON-stat 2.0 and the CSV export alike, summing ages and sexes into the groups', () => {
    const options = { municipality: 'Lejre', groups: '67-79,80+' };
    const fromCsv = populationFromStatbank(csvText, options);
    expect(fromCsv.groups.map((g) => g.id)).toEqual(['67-79', '80+']);
    expect(fromCsv.groups[0]!.table).toEqual(expectedFromCsv('Lejre', 67, 79));
    expect(fromCsv.groups[1]!.table).toEqual(expectedFromCsv('Lejre', 80, 200));
    expect(Object.keys(fromCsv.groups[0]!.table)).toEqual(['2024', '2025', '2026', '2027', '2028', '2029', '2030']);
    expect(populationFromStatbank(v1, options)).toEqual(fromCsv);
    expect(populationFromStatbank(v2Text, options)).toEqual(fromCsv);
    // By code, any case of the name, and a range of years.
    expect(populationFromStatbank(v1, { municipality: '350', groups: ['67-79', '80+'] })).toEqual(fromCsv);
    const slagelse = populationFromStatbank(csvText, {
      municipality: 'slagelse',
      groups: '80+',
      years: { from: 2025, to: 2027 },
    });
    expect(slagelse.groups[0]!.table).toEqual(
      Object.fromEntries(
        Object.entries(expectedFromCsv('Slagelse', 80, 200)).filter(([y]) => y >= '2025' && y <= '2027'),
      ),
    );
  });

  it('reads a sparse JSON-stat value object, and takes the total of the sexes when the table has one', () => {
    const v2 = JSON.parse(v2Text) as { value: (number | null)[] };
    const sparse = { ...v2, value: Object.fromEntries(v2.value.map((x, i) => [String(i), x])) };
    const options = { municipality: 'Lejre', groups: '67-79,80+' };
    expect(populationFromStatbank(sparse, options)).toEqual(populationFromStatbank(v2, options));
    // Adding "I alt" rows equal to twice the men: the total is taken, not summed with the sexes.
    const lines = csvText
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/);
    const totals = lines
      .filter((l) => l.startsWith('Lejre;Mænd;'))
      .map((l) => {
        const f = l.split(';');
        return ['Lejre', 'I alt', f[2], f[3], String(2 * Number(f[4]))].join(';');
      });
    const withTotal = [...lines, ...totals].join('\n');
    const men = expectedFromCsvBySex('Lejre', 'Mænd', 80, 200);
    expect(populationFromStatbank(withTotal, { municipality: 'Lejre', groups: '80+' }).groups[0]!.table).toEqual(
      Object.fromEntries(Object.entries(men).map(([y, n]) => [y, 2 * n])),
    );
  });

  it("becomes a scenario's population section that validates and runs", () => {
    const population = populationFromStatbank(v1, { municipality: 'Lejre', groups: '67-79,80+' });
    const scenario = { ...lejre2034(), baseYear: 2024, horizonYears: 6, paths: 20, population };
    const parsed = parseScenario(scenario);
    expect(parsed.population.groups[1]!.table).toEqual(population.groups[1]!.table);
    const r = simulate(parsed);
    expect(r.years).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
  });

  it('names missing years, missing ages, an unknown municipality and a bad group', () => {
    const fail = (data: unknown, options: Parameters<typeof populationFromStatbank>[1]) => {
      try {
        populationFromStatbank(data, options);
      } catch (e) {
        expect(e).toBeInstanceOf(PopulationImportError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(fail(csvText, { municipality: 'Lejre', groups: '80+', years: { from: 2022, to: 2031 } })).toContain(
      'no figures for the years 2022, 2023, 2031',
    );
    const holes = csvText
      .replace('Lejre;Kvinder;85 år;2026;', 'Lejre;Kvinder;85 år;2026;..;')
      .replace(/(Lejre;Kvinder;85 år;2026;)\.\.;\d+/, '$1..');
    expect(fail(holes, { municipality: 'Lejre', groups: '80+' })).toContain(
      'Lejre, 2026: no figures for age 85 (group "80+")',
    );
    const noYoung = csvText
      .split('\r\n')
      .filter((l) => !/;6[0-9] år;/.test(l))
      .join('\r\n');
    expect(fail(noYoung, { municipality: 'Lejre', groups: '67-79' })).toContain('no figures for ages 67, 68, 69');
    expect(fail(csvText, { municipality: 'Roskilde', groups: '80+' })).toContain(
      'municipality "Roskilde" is not in the table; it has Lejre, Slagelse',
    );
    expect(fail(csvText, { municipality: 'Lejre', groups: '80 plus' })).toContain(
      'expected an age group as "67-79" or "80+"; received "80 plus"',
    );
    expect(fail(csvText, { municipality: 'Lejre', groups: '67-85,80+' })).toContain('overlap');
    expect(fail({ dataset: { value: [] } }, { municipality: 'Lejre', groups: '80+' })).toContain('expected JSON-stat');
    expect(fail('a;b\n1;2', { municipality: 'Lejre', groups: '80+' })).toContain('expected a column for area');
    expect(fail('a;b\n1;2', { municipality: 'Lejre', groups: '80+' })).not.toContain('(the file');
    // An export read in another encoding, and one separated by commas, are told apart.
    const latin1 = 'OMR\ufffdDE;K\ufffdN;ALDER;TID;INDHOLD\nLejre;M\ufffdnd;80 \ufffdr;2024;400';
    expect(fail(latin1, { municipality: 'Lejre', groups: '80+' })).toContain(
      'received OMR\ufffdDE;K\ufffdN;ALDER;TID;INDHOLD (the file is not UTF-8: its Æ, Ø and Å are lost; save it as UTF-8',
    );
    const commas = 'OMRÅDE,KØN,ALDER,TID,INDHOLD\nLejre,Mænd,80 år,2024,400';
    expect(fail(commas, { municipality: 'Lejre', groups: '80+' })).toContain(
      "(the file is separated by commas; Statistics Denmark's CSV export, which this reads, is separated by semicolons)",
    );
  });

  it('carebudget population prints the section as YAML or JSON, and exits 1 on missing years', async () => {
    const yaml = await cli(
      'population',
      join(FIXTURES, 'frkm124-jsonstat1.json'),
      '--municipality',
      'Lejre',
      '--groups',
      '67-79,80+',
    );
    expect(yaml.code, yaml.err).toBe(0);
    const section = (parseYaml(yaml.out) as { population: unknown }).population;
    expect(section).toEqual(populationFromStatbank(csvText, { municipality: 'Lejre', groups: '67-79,80+' }));
    const dir = mkdtempSync(join(tmpdir(), 'carebudget-pop-'));
    const file = join(dir, 'population.json');
    const json = await cli(
      'population',
      join(FIXTURES, 'frkm124.csv'),
      '--municipality',
      '350',
      '--groups',
      '80+',
      '--from',
      '2026',
      '--format',
      'json',
      '-o',
      file,
    );
    // The CSV export names areas, not codes.
    expect(json.code).toBe(1);
    expect(json.err).toContain('municipality "350" is not in the table');
    expect(
      (
        await cli(
          'population',
          join(FIXTURES, 'frkm124.csv'),
          '--municipality',
          'Lejre',
          '--groups',
          '80+',
          '--from',
          '2026',
          '--format',
          'json',
          '-o',
          file,
        )
      ).code,
    ).toBe(0);
    expect(
      Object.keys(
        (JSON.parse(readFileSync(file, 'utf8')) as { population: { groups: { table: object }[] } }).population
          .groups[0]!.table,
      ),
    ).toEqual(['2026', '2027', '2028', '2029', '2030']);
    const missing = await cli(
      'population',
      join(FIXTURES, 'frkm124.csv'),
      '--municipality',
      'Lejre',
      '--groups',
      '80+',
      '--to',
      '2035',
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('2031, 2032, 2033, 2034, 2035');
    const usage = await cli('population', join(FIXTURES, 'frkm124.csv'), '--groups', '80+');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--municipality');
    writeFileSync(join(dir, 'empty.csv'), '');
    expect((await cli('population', join(dir, 'empty.csv'), '--municipality', 'Lejre', '--groups', '80+')).code).toBe(
      1,
    );
  });

  it('a CSV row with more or fewer cells than the header is refused, naming its line and cells', () => {
    const lines = csvText.split('\r\n');
    const at = lines.findIndex((l) => l.startsWith('Lejre;Kvinder;85 år;2026;'));
    const run = (text: string) => () => populationFromStatbank(text, { municipality: 'Lejre', groups: '80+' });
    const wide = lines.map((l, i) => (i === at ? `${l};7` : l)).join('\r\n');
    expect(run(wide)).toThrow(PopulationImportError);
    const count = lines[at]!.split(';')[4]!;
    expect(run(wide)).toThrow(
      `populationFromStatbank: CSV line ${at + 1} has 6 cells ("Lejre", "Kvinder", "85 år", "2026", "${count}", "7") but the header has 5 ("OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"); expected 5 cells in every row`,
    );
    // A blank line before the row counts: the line is the file's.
    const short = lines.map((l, i) => (i === at ? `\r\nLejre;Kvinder;85 år;2026` : l)).join('\r\n');
    expect(run(short)).toThrow(
      `CSV line ${at + 2} has 4 cells ("Lejre", "Kvinder", "85 år", "2026") but the header has 5`,
    );
  });

  it('a negative count is refused, naming the municipality, age, sex and year', () => {
    const bad = csvText.replace('Lejre;Kvinder;85 år;2026;', 'Lejre;Kvinder;85 år;2026;-');
    expect(bad).not.toBe(csvText);
    expect(() => populationFromStatbank(bad, { municipality: 'Lejre', groups: '80+' })).toThrow(PopulationImportError);
    expect(() => populationFromStatbank(bad, { municipality: 'Lejre', groups: '80+' })).toThrow(
      /Lejre: the count for age 85 år, sex Kvinder, 2026 is -\d+; expected a number of persons ≥ 0/,
    );
  });

  it('a JSON-stat content dimension with several measures is refused, not summed', () => {
    const one = JSON.parse(v2Text) as {
      size: number[];
      value: number[];
      dimension: { ContentsCode: { category: { index: Record<string, number>; label: Record<string, string> } } };
    };
    expect(populationFromStatbank(one, { municipality: 'Lejre', groups: '80+' })).toBeDefined();
    // A second measure (the change from the year before) beside the count: each cell twice.
    const two = structuredClone(one);
    two.size[4] = 2;
    two.dimension.ContentsCode.category.index = { FRKM124: 0, CHANGE: 1 };
    two.dimension.ContentsCode.category.label = { FRKM124: 'Befolkningsfremskrivning 2024', CHANGE: 'Ændring' };
    two.value = one.value.flatMap((v) => [v, 1]);
    expect(() => populationFromStatbank(two, { municipality: 'Lejre', groups: '80+' })).toThrow(
      'populationFromStatbank: dimension "ContentsCode" has 2 categories; expected one (select a single category of it in the query)',
    );
  });

  it('-o - writes the section to standard output, as without -o', async () => {
    const args = ['population', join(FIXTURES, 'frkm124.csv'), '--municipality', 'Lejre', '--groups', '80+'];
    const plain = await cli(...args);
    const dash = await cli(...args, '-o', '-');
    expect(dash.code).toBe(0);
    expect(dash.out).toBe(plain.out);
    expect(parseYaml(dash.out)).toHaveProperty('population.groups');
  });
});
