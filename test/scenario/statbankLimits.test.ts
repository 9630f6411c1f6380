import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_AGE, MAX_STATBANK_CELLS, populationFromStatbank, PopulationImportError } from '../../src/index';
import { runCli } from '../../src/cli/run';

const FIXTURES = join(__dirname, '..', 'fixtures', 'statbank');
const csvText = readFileSync(join(FIXTURES, 'frkm124.csv'), 'utf8');

/** A dimension of n categories, by index only (as small as JSON-stat allows). */
const dim = (n: number, code: (i: number) => string) => ({
  category: { index: Array.from({ length: n }, (_v, i) => code(i)) },
});

/** A JSON-stat 2.0 table of four dimensions of n categories each, with the values given. */
function table(n: number, value: unknown) {
  return {
    version: '2.0',
    class: 'dataset',
    id: ['OMRÅDE', 'KØN', 'ALDER', 'Tid'],
    size: [n, n, n, n],
    dimension: {
      OMRÅDE: dim(n, (i) => `A${i}`),
      KØN: dim(n, (i) => `S${i}`),
      ALDER: dim(n, (i) => String(i)),
      Tid: dim(n, (i) => String(2000 + i)),
    },
    value,
  };
}

function failure(data: unknown, options: Parameters<typeof populationFromStatbank>[1]): string {
  try {
    populationFromStatbank(data, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PopulationImportError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

async function cli(...argv: string[]) {
  let err = '';
  const code = await runCli(argv, { out: () => {}, err: (t) => (err += t) });
  return { code, err };
}

describe('the Statistics Denmark readers do bounded work', () => {
  it('refuse a small JSON-stat file whose dimensions make billions of cells, before allocating them', () => {
    // Four dimensions of 400 categories: about 17 KB of text, 400^4 = 2.56e10 cells.
    const text = JSON.stringify(table(400, {}));
    expect(text.length).toBeLessThan(40_000);
    const message = failure(text, { municipality: 'A0', groups: '80+' });
    expect(message).toContain('OMRÅDE 400 × KØN 400 × ALDER 400 × Tid 400 = 25,600,000,000 cells');
    expect(message).toContain(`at most ${MAX_STATBANK_CELLS.toLocaleString('en-US')}`);
    // The first JSON-stat version, too.
    const { id, size, dimension } = table(400, []);
    const v1 = { dataset: { dimension: { ...dimension, id, size }, value: [] } };
    expect(failure(v1, { municipality: 'A0', groups: '80+' })).toContain('= 25,600,000,000 cells');
  });

  it('refuse a value array of another length than the dimensions make, and a sparse value with more keys', () => {
    expect(failure(table(3, [1, 2, 3]), { municipality: 'A0', groups: '1+' })).toContain(
      "the table's value has 3 entries; its dimensions make OMRÅDE 3 × KØN 3 × ALDER 3 × Tid 3 = 81",
    );
    const keys = Object.fromEntries(Array.from({ length: 17 }, (_v, i) => [String(i), 1]));
    expect(failure(table(2, keys), { municipality: 'A0', groups: '1+' })).toContain(
      "the table's value has 17 keys; its dimensions make at most OMRÅDE 2 × KØN 2 × ALDER 2 × Tid 2 = 16",
    );
  });

  it('refuse a CSV export of more lines than the limit by counting them, before splitting rows', () => {
    const text = `OMRÅDE;KØN;ALDER;TID;INDHOLD${'\n'.repeat(MAX_STATBANK_CELLS + 2)}`;
    expect(failure(text, { municipality: 'Lejre', groups: '80+' })).toContain(
      `has more than ${(MAX_STATBANK_CELLS + 1).toLocaleString('en-US')} lines`,
    );
  });

  it('bound age groups by the oldest age, naming the group and the value', () => {
    expect(MAX_AGE).toBe(125);
    const options = (groups: string) => ({ municipality: 'Lejre', groups });
    expect(failure(csvText, options('67-999999999'))).toContain(
      'groups: "67-999999999" ends at age 999,999,999; expected ages 0 to 125',
    );
    expect(failure(csvText, options('67-79,200+'))).toContain(
      'groups: "200+" starts at age 200; expected ages 0 to 125',
    );
    expect(failure(csvText, options('67-126'))).toContain('ends at age 126');
    const many = Array.from({ length: 100_000 }, (_v, i) => `${i}-${i}`).join(',');
    expect(failure(csvText, options(many))).toContain('expected at most 126 age groups');
    // The oldest age itself is allowed: the table's "100 år og derover" covers 100 to 125.
    expect(failure(csvText, options('100-125'))).toContain('crosses the edge of group "100-125"');
    expect(populationFromStatbank(csvText, options('100+')).groups[0]!.table['2024']).toBeGreaterThan(0);
  });

  it("refuse a table's age category above the oldest age, and a range of years beyond a thousand", () => {
    const old = csvText.replace('Lejre;Mænd;60 år;2024;', 'Lejre;Mænd;130 år;2024;');
    expect(failure(old, { municipality: 'Lejre', groups: '80+' })).toContain(
      'the age category "130 år" (code 130 år) goes above the oldest age 125',
    );
    expect(failure(csvText, { municipality: 'Lejre', groups: '80+', years: { from: 0, to: 1e9 } })).toContain(
      'years: expected at most 1000 years; received 0 to 1000000000',
    );
  });

  it('carebudget population exits 1 on --groups 67-999999999, naming the group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebudget-statbank-'));
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(table(400, {})));
    const cells = await cli('population', big, '--municipality', 'A0', '--groups', '80+');
    expect(cells.code).toBe(1);
    expect(cells.err).toContain('= 25,600,000,000 cells');
    const groups = await cli(
      'population',
      join(FIXTURES, 'frkm124.csv'),
      '--municipality',
      'Lejre',
      '--groups',
      '67-999999999',
    );
    expect(groups.code).toBe(1);
    expect(groups.err).toContain('"67-999999999" ends at age 999,999,999; expected ages 0 to 125');
  });
});
