import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { historyFromStatbank } from '../../src/scenario/statbank';
import { backtest } from '../../src/fit/backtest';
import type { BacktestResult } from '../../src/fit/backtestTypes';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const DATA = join(__dirname, '..', '..', 'examples', 'data');
const TYPE = 'Personlig og/eller praktisk hjælp';
const TABLES = [
  '--population',
  join(DATA, 'lejre-folk1am.json'),
  '--recipients',
  join(DATA, 'lejre-aed06.csv'),
  '--hours',
  join(DATA, 'lejre-aed022.json'),
  '--municipality',
  'Lejre',
  '--groups',
  '67-79,80+',
  '--fixed',
  `YDELSESTYPE=${TYPE}`,
];
const dir = mkdtempSync(join(tmpdir(), 'carebudget-backtest-'));

describe('carebudget backtest', () => {
  it('prints the scores by years ahead and writes backtest.json, rows.csv and report.html, as the library computes them', async () => {
    const out = join(dir, 'out');
    const r = await cli(
      'backtest',
      ...TABLES,
      '--origins',
      '2018..2020',
      '--horizon',
      '2',
      '--paths',
      '200',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['backtest.json', 'report.html', 'rows.csv']);
    const read = (f: string) => readFileSync(join(DATA, f), 'utf8');
    const history = historyFromStatbank(
      { population: read('lejre-folk1am.json'), recipients: read('lejre-aed06.csv'), hours: read('lejre-aed022.json') },
      { municipality: 'Lejre', groups: '67-79,80+', fixed: { YDELSESTYPE: TYPE } },
    );
    const expected = backtest(undefined, history, { origins: [2018, 2019, 2020], horizon: 2, paths: 200 });
    const json = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8')) as BacktestResult & {
      format: string;
      municipality: string;
    };
    expect(json.format).toBe('carebudget-backtest');
    expect(json.municipality).toBe('Lejre');
    expect(json.summary).toEqual(expected.summary);
    expect(json.rows).toEqual(expected.rows);
    // The table: a header and one line per quantity and horizon, with the result's numbers.
    expect(r.out).toContain(
      'Backtest of Lejre, groups 67-79,80+: 3 origins (2018, 2019, 2020), 2 years ahead, 200 paths, seed 1',
    );
    expect(r.out).toMatch(/quantity\s+years ahead\s+n\s+in 50 % band\s+in 90 % band\s+CRPS\s+straight line error/);
    const value = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
    for (const s of expected.summary) {
      const name = s.quantity === 'recipients' ? 'recipients' : 'hours a week';
      const cells = [
        s.horizon,
        s.n,
        `${Math.round(s.coverage50 * 100)} %`,
        `${Math.round(s.coverage90 * 100)} %`,
        value(s.crps),
        value(s.trendError),
      ];
      expect(r.out).toMatch(new RegExp(`^${name}\\s+${cells.map(String).join('\\s+')}$`, 'm'));
    }
    // rows.csv in the raw form: one line per row, full precision.
    const csv = readFileSync(join(out, 'rows.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'origin,year,horizon,quantity,realised,mean,p5,p25,p50,p75,p95,pit,in50,in90,crps,trend,trend_error',
    );
    expect(csv).toHaveLength(expected.rows.length + 1);
    const first = expected.rows[0]!;
    expect(csv[1]).toBe(
      [
        first.origin,
        first.year,
        first.horizon,
        first.quantity,
        first.realised,
        first.mean,
        first.p5,
        first.p25,
        first.p50,
        first.p75,
        first.p95,
        first.pit,
        first.in50,
        first.in90,
        first.crps,
        first.trend,
        first.trendError,
      ].join(','),
    );
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Over 3 origins, one year ahead');
    expect(html.match(/<svg /g)).toHaveLength(6);
  });

  it('writes the Danish report and the Danish CSV, with a base scenario and a seed', async () => {
    const out = join(dir, 'da');
    const r = await cli(
      'backtest',
      '--preset',
      'lejre-2034',
      ...TABLES,
      '--origins',
      '2019,2021',
      '--horizon',
      '1',
      '--paths',
      '100',
      '--seed',
      'seven',
      '--report-locale',
      'da',
      '--csv-locale',
      'da',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 origins (2019, 2021), 1 year ahead, 100 paths, seed seven');
    const csv = readFileSync(join(out, 'rows.csv'), 'utf8');
    expect(csv.startsWith('\ufeffUdgangsår;År;År frem;Størrelse;Udfald;')).toBe(true);
    expect(csv).toMatch(/\n2019;2020;1;Modtagere;\d+;\d+(,\d)?;(\d+(,\d)?;){5}0,\d+;(ja|nej);(ja|nej);/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('På tværs af 2 udgangsår, ét år frem');
    const json = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8')) as { seed: unknown; scenario: string };
    expect(json.seed).toBe('seven');
    expect(json.scenario).toBe('preset lejre-2034');
  });

  it('refuses an origin outside the history with the library message, exit 1 and nothing written', async () => {
    const out = join(dir, 'late');
    const r = await cli('backtest', ...TABLES, '--origins', '2020..2023', '--paths', '100', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'carebudget: backtest: origin 2023 must leave at least three years of history from 2010 and one year after it before 2024; expected 2012 to 2022',
    );
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
    const early = await cli('backtest', ...TABLES, '--origins', '2011', '--paths', '100', '--out', out);
    expect(early.code).toBe(1);
    expect(early.err).toContain('origin 2011 must leave at least three years of history from 2010');
    expect(existsSync(out)).toBe(false);
  });

  it('names a missing option, a malformed --origins and an unknown fixed dimension', async () => {
    const out = join(dir, 'never');
    const noHours = TABLES.filter((_a, i) => i !== 4 && i !== 5);
    const a = await cli('backtest', ...noHours, '--origins', '2018', '--out', out);
    expect(a.code).toBe(2);
    expect(a.err).toContain('backtest needs --hours FILE');
    const b = await cli('backtest', ...TABLES, '--origins', '2018-2020', '--out', out);
    expect(b.code).toBe(2);
    expect(b.err).toContain(
      '--origins must be a range such as 2016..2021 or four-digit years separated by commas; received "2018-2020"',
    );
    const c = await cli('backtest', ...TABLES, '--origins', '2020..2018', '--out', out);
    expect(c.err).toContain('the range runs backwards');
    const d = await cli('backtest', ...TABLES, '--origins', '2018', '--horizon', '0', '--out', out);
    expect(d.code).toBe(2);
    expect(d.err).toContain('--horizon must be a whole number from 1 to 30; received "0"');
    const e = await cli('backtest', ...TABLES, '--origins', '2018', '--fixed', 'YDELSE=x', '--out', out);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/fixed: no table has a dimension "YDELSE"/);
    const f = await cli('backtest', ...TABLES, '--origins', '2018');
    expect(f.code).toBe(2);
    expect(f.err).toContain('backtest needs --out DIR');
    expect(existsSync(out)).toBe(false);
  });

  it('leaves an existing directory as it was when the backtest fails, and refuses a file as --out', async () => {
    const out = join(dir, 'kept');
    await cli('backtest', ...TABLES, '--origins', '2020', '--horizon', '1', '--paths', '50', '--out', out);
    const before = readFileSync(join(out, 'backtest.json'), 'utf8');
    const r = await cli('backtest', ...TABLES, '--origins', '2030', '--paths', '50', '--out', out);
    expect(r.code).toBe(1);
    expect(readFileSync(join(out, 'backtest.json'), 'utf8')).toBe(before);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const s = await cli('backtest', ...TABLES, '--origins', '2020', '--paths', '50', '--out', file);
    expect(s.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('is listed in the help, with its options', async () => {
    const r = await cli('backtest', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('carebudget backtest [scenario.yaml|json] --population FILE');
    expect(r.out).toContain('--origins FROM..TO');
    const g = await cli('--help');
    expect(g.out).toMatch(/^ {2}backtest {4}score home care's projection/m);
  });

  it('with the accounts, scores the cost of home care too; refuses an ambiguous or unknown service', async () => {
    const out = join(dir, 'accounts');
    const accounts = join(DATA, 'lejre-accounts.csv');
    const common = ['backtest', ...TABLES, '--origins', '2019,2020', '--horizon', '1', '--paths', '100'];
    const r = await cli(...common, '--accounts', accounts, '--service', 'Hjemmehjælp', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cost \(kr\)\s+1\s+2 /);
    const json = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8')) as BacktestResult;
    expect(json.quantities).toEqual(['recipients', 'hours', 'costKr']);
    const several = await cli(...common, '--accounts', accounts, '--out', join(dir, 'several'));
    expect(several.code).toBe(1);
    expect(several.err).toMatch(/the file has several services; pass --service NAME; expected one of "Hjemmehjælp"/);
    const unknown = await cli(...common, '--accounts', accounts, '--service', 'Pleje', '--out', join(dir, 'unknown'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no service "Pleje"/);
    expect(existsSync(join(dir, 'several'))).toBe(false);
    expect(existsSync(join(dir, 'unknown'))).toBe(false);
  });

  it('refuses accounts with a decimal comma in a comma-separated file, naming the file and line, and writes nothing', async () => {
    const accounts = join(dir, 'accounts-comma.csv');
    writeFileSync(accounts, 'service,year,cost\nHome care,2019,54000000\nHome care,2020,54952270,34\n');
    const out = join(dir, 'accounts-comma');
    const r = await cli(
      'backtest',
      ...TABLES,
      '--origins',
      '2019',
      '--horizon',
      '1',
      '--accounts',
      accounts,
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `carebudget: ${accounts}: accountsFromCsv: line 3 has 4 cells ("Home care", "2020", "54952270", "34") but the header has 3 ("service", "year", "cost"); if the numbers use a decimal comma, save the file with ';' as the separator\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
