import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../src/cli/run';
import { fitDistribution } from '../../src/fit/distributions';
import { distributionSchema } from '../../src/scenario/distribution';
import { samplerFor } from '../../src/random/uncertain';
import { deriveStream, streamKey } from '../../src/random/stream';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'csv');
const fixture = (name: string) => join(FIXTURES, name);

const dir = mkdtempSync(join(tmpdir(), 'carebudget-fit-dist-'));
const rng = deriveStream(streamKey(5, 'fit-dist-cli'), 0);
const draw = samplerFor({ dist: 'lognormal', mu: 13, sigma: 0.6 });
const costs = Array.from({ length: 120 }, () => Math.round(draw(rng)));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('carebudget fit-dist', () => {
  it('fits a named column, prints the ranking and the best as YAML, and writes fit.json, best.yaml and qq.html', async () => {
    const csv = file('costs.csv', `case,kr\n${costs.map((c, i) => `${i + 1},${c}`).join('\n')}\n`);
    const out = join(dir, 'out');
    const r = await cli('fit-dist', csv, '--column', 'kr', '--unit', 'kr', '--out', out, '--bootstrap', '20');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fit = fitDistribution(costs, { bootstrap: 20 });
    expect(r.out).toContain(`120 values from ${csv}, column "kr"; 20 bootstrap resamples, seed 1`);
    expect(r.out).toMatch(/family\s+parameters\s+log-lik\s+AIC\s+KS D\s+AD A²/);
    // The table in the order of the library's ranking, each with its AIC.
    const lines = r.out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('family'));
    fit.candidates.forEach((c, i) => {
      expect(lines[start + 1 + i]!.startsWith(`${c.family} `)).toBe(true);
      expect(lines[start + 1 + i]).toContain(c.aic.toFixed(2));
    });
    expect(r.out).toContain(`Best: ${fit.bestFamily}. As a scenario input:\n# `);
    expect(r.out).toContain(`\ndist: ${fit.bestFamily}\n`);
    // What is printed is what best.yaml holds.
    expect(r.out).toContain(readFileSync(join(out, 'best.yaml'), 'utf8'));
    expect(r.out).toMatch(/ {2}lognormal: 90 % intervals mu \d/);
    expect(readdirSync(out).sort()).toEqual(['best.yaml', 'fit.json', 'qq.html']);
    const best = parseYaml(readFileSync(join(out, 'best.yaml'), 'utf8'));
    expect(distributionSchema.parse(best)).toEqual(best);
    expect(best.dist).toBe(fit.bestFamily);
    const json = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(json.format).toBe('carebudget-fit');
    expect(json.column).toBe('kr');
    expect(json.values).toEqual(costs);
    expect(json.best).toEqual(fit.best);
    expect(json.candidates.map((c: { family: string }) => c.family)).toEqual(fit.candidates.map((c) => c.family));
    const html = readFileSync(join(out, 'qq.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).toContain('Sample quantile (kr)');
    expect(html).not.toMatch(/<script/);
  });

  it('reads a Danish file: semicolons, decimal commas and thousands points, and a one-column file of decimal commas', async () => {
    const rows = costs.map((c, i) => `${i + 1};${(c / 1000).toFixed(3).replace('.', ',')}`);
    rows[3] = '4;1.234,5';
    const danish = file('da.csv', `\ufeffsag;tusind kr\n${rows.join('\n')}\n`);
    const r = await cli('fit-dist', danish, '--column', 'tusind kr', '--candidates', 'normal,lognormal');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const values = costs.map((c) => Number((c / 1000).toFixed(3)));
    values[3] = 1234.5;
    const fit = fitDistribution(values, { candidates: ['normal', 'lognormal'] });
    expect(r.out).toContain(fit.candidates[0]!.aic.toFixed(2));
    const single = file('single.csv', '2,5\n3,25\n4\n1,75\n2,0\n3,5\n');
    const s = await cli('fit-dist', single, '--candidates', 'normal');
    expect(s.code).toBe(0);
    expect(s.out).toContain('6 values from');
    expect(s.out).toContain(`mean=${Number(((2.5 + 3.25 + 4 + 1.75 + 2 + 3.5) / 6).toPrecision(4))}`);
  });

  it('refuses a cell that is not a number, naming the line and column, and writes nothing', async () => {
    const bad = file('bad.csv', 'case,kr\n1,100\n2,200\n3,abc\n4,400\n5,500\n6,600\n');
    const out = join(dir, 'never');
    const r = await cli('fit-dist', bad, '--column', 'kr', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `carebudget: ${bad}: line 4, column "kr": "abc" is not a number (decimal commas are read in files separated by semicolons)\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a missing column, several columns without --column, too few values, and an unknown family', async () => {
    const two = file('two.csv', 'a,b\n1,2\n3,4\n');
    expect((await cli('fit-dist', two, '--column', 'c')).err).toBe(
      `carebudget: ${two}: no column "c"; the header has "a", "b"\n`,
    );
    const wide = await cli('fit-dist', two);
    expect(wide.code).toBe(1);
    expect(wide.err).toBe(`carebudget: ${two}: the file has 2 columns ("a", "b"); name the one to fit with --column\n`);
    const few = await cli('fit-dist', two, '--column', 'a');
    expect(few.code).toBe(1);
    expect(few.err).toBe(
      `carebudget: ${two}, column "a": expected at least 5 values to fit a distribution; received 2\n`,
    );
    const unknown = await cli('fit-dist', two, '--column', 'a', '--candidates', 'normal,cauchy');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--candidates: unknown family "cauchy"; expected one of normal, lognormal, gamma');
    const noHeader = file('nohead.csv', '1\n2\n3\n4\n5\n');
    expect((await cli('fit-dist', noHeader, '--column', 'x')).err).toContain(
      '--column x names a column, but the file has no header line',
    );
    expect((await cli('fit-dist', noHeader, '--bootstrap', '-3')).code).toBe(2);
    expect((await cli('fit-dist')).err).toContain('fit-dist takes one CSV file of values; received 0');
  });

  it('refuses a row with more cells than the header, naming the line, the cells and the decimal comma, and writes nothing', async () => {
    // Three cells under two columns: `100000,50` was a decimal comma.
    const ragged = fixture('costs-ragged.csv');
    const out = join(dir, 'never-ragged');
    for (const args of [[], ['--column', 'kr'], ['--column', 'case', '--out', out]]) {
      const r = await cli('fit-dist', ragged, ...args);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `carebudget: ${ragged}: line 2 has 3 cells ("0", "100000", "50") but the header has 2 ("case", "kr"); if the numbers use a decimal comma, save the file with ';' as the separator\n`,
      );
    }
    expect(existsSync(out)).toBe(false);
    // A column of numbers in two forms: the Danish one is refused, not read as 864.827.
    const mixed = file('mixed.csv', 'kr\n912951.69\n864.827,42\n145241.09\n167897.60\n312000\n');
    const m = await cli('fit-dist', mixed);
    expect(m.code).toBe(1);
    expect(m.err).toBe(
      `carebudget: ${mixed}: line 3 has 2 cells ("864.827", "42") but the header has 1 ("kr"); if the numbers use a decimal comma, save the file with ';' as the separator\n`,
    );
  });

  it('reads a row with fewer cells as empty in those it lacks; refuses one with more, the line counted as in the file', async () => {
    const short = file('short.csv', 'case;kr\n1;100\n\n2\n3;300\n4;400\n5;500;\n6;600\n');
    const out = join(dir, 'short-out');
    const r = await cli('fit-dist', short, '--column', 'kr', '--candidates', 'normal', '--out', out);
    expect(r.err).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).values).toEqual([100, 300, 400, 500, 600]);
    const wide = file('wide.csv', 'case;kr\n1;100\n2;200\n3;300;x\n');
    expect((await cli('fit-dist', wide, '--column', 'kr')).err).toBe(
      `carebudget: ${wide}: line 4 has 3 cells ("3", "300", "x") but the header has 2 ("case", "kr"); expected at most 2 cells in a row\n`,
    );
    // A quoted cell over two lines counts both: the row after it is on line 4.
    const quoted = file('quoted.csv', 'case,kr\n"a\nb",100\n2,200,5\n');
    expect((await cli('fit-dist', quoted, '--column', 'kr')).err).toContain(`${quoted}: line 4 has 3 cells`);
  });

  it('reads the same numbers from well-formed files: English, Danish semicolons, one Danish column', async () => {
    const records: { kr: string }[] = parseCsv(readFileSync(fixture('costs-en.csv'), 'utf8'), { columns: true });
    const expected = records.map((r) => Number(r.kr));
    expect(expected).toHaveLength(120);
    for (const [name, args] of [
      ['costs-en.csv', ['--column', 'kr']],
      ['costs-da.csv', ['--column', 'kr']],
      ['costs-1col.csv', []],
    ] as const) {
      const out = join(dir, `same-${name}`);
      const r = await cli('fit-dist', fixture(name), ...args, '--candidates', 'normal', '--out', out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).values).toEqual(expected);
    }
    // Decimal commas in quotes in a comma file are still refused by name.
    const quoted = await cli('fit-dist', fixture('costs-dacomma.csv'), '--column', 'kr');
    expect(quoted.code).toBe(1);
    expect(quoted.err).toContain('line 2, column "kr": "912951,69" is not a number');
  });

  it('reads a one-column file of Danish numbers with thousands points and decimal commas as the numbers written', async () => {
    // The analyst's file: `864.827,42` is 864827.42, not 864.827 (and not a row of two cells).
    const th2 = fixture('costs-th2.csv');
    const lines = readFileSync(th2, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('kr');
    const expected = lines.slice(1).map((l) => Number(l.replace(/\./g, '').replace(',', '.')));
    expect(expected[0]).toBe(864827.42);
    const out = join(dir, 'th2');
    const r = await cli('fit-dist', th2, '--candidates', 'normal', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`50 values from ${th2}, column "kr"`);
    const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
    expect(r.out).toContain(`mean=${Number(mean.toPrecision(4))} `);
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).values).toEqual(expected);
    // The same 120 values with and without thousands points, and as English numbers.
    const values = async (name: string, ...args: string[]) => {
      const o = join(dir, `values-${name}`);
      expect((await cli('fit-dist', fixture(name), ...args, '--candidates', 'normal', '--out', o)).code).toBe(0);
      return JSON.parse(readFileSync(join(o, 'fit.json'), 'utf8')).values as number[];
    };
    const thousands = await values('costs-thousands.csv');
    expect(thousands).toHaveLength(120);
    expect(thousands[1]).toBe(1012208.55);
    expect(thousands).toEqual(await values('costs-1col.csv'));
    expect(thousands).toEqual(await values('costs-en.csv', '--column', 'kr'));
    // Headerless, and negative: still one column of Danish numbers.
    const bare = file('bare.csv', '1.234,5\n−2.000\n12,25\n7\n1.000.000,5\n');
    const b = await cli('fit-dist', bare, '--candidates', 'normal', '--out', join(dir, 'bare'));
    expect(b.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'bare', 'fit.json'), 'utf8')).values).toEqual([
      1234.5, -2000, 12.25, 7, 1000000.5,
    ]);
  });

  it('is listed in the help with its options', async () => {
    const r = await cli('fit-dist', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('carebudget fit-dist <values.csv> [--column NAME]');
    for (const o of ['--column NAME', '--candidates LIST', '--bootstrap B', '--seed S', '--unit TEXT', '--out DIR'])
      expect(r.out).toContain(o);
    expect((await cli('--help')).out).toMatch(/\n {2}fit-dist {4}fit distributions to data/);
  });
});
