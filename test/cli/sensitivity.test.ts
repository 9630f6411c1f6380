import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { lejre2034 } from '../../src/index';
import { runCli } from '../../src/cli/run';
import { sobolSensitivity } from '../../src/sensitivity/run';
import { sensitivityGroupNames } from '../../src/charts/locale';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('carebudget sensitivity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-sens-'));
  const file = join(dir, 'short.json');
  writeFileSync(file, JSON.stringify({ ...lejre2034(), horizonYears: 4 }));

  it('prints the shares by year and writes JSON and CSV equal to the library call', async () => {
    const r = await cli(
      'sensitivity',
      file,
      '--n',
      '60',
      '--bootstrap',
      '50',
      '--strategy',
      'frame',
      '--year',
      '2025,2027',
      '--out',
      join(dir, 'out'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/demography\s+\d+ %\s+\d+ %/);
    expect(r.out).toMatch(/Saltelli \(2010\)/);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'sensitivity.json'), 'utf8')) as {
      format: string;
      rows: unknown[];
      n: number;
    };
    expect(json.format).toBe('carebudget-sensitivity');
    const direct = sobolSensitivity(
      { ...lejre2034(), horizonYears: 4, strategies: [{ kind: 'frame' }] },
      { n: 60, bootstrap: 50, years: [2025, 2027] },
    );
    expect(json.rows).toEqual(JSON.parse(JSON.stringify(direct.rows)));
    const csv = parseCsv(readFileSync(join(dir, 'out', 'sensitivity.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(csv).toHaveLength(direct.rows.length + direct.residuals.length);
    expect(Number(csv[0]!.share)).toBe(direct.rows[0]!.share);
    const residual = csv.find((r) => r.group === 'residual' && r.year === '2027')!;
    expect(Number(residual.share)).toBe(direct.residuals.find((r) => r.year === 2027)!.residual);
    expect((json as unknown as { run: { seed: number; libraryVersion: string } }).run.seed).toBe(lejre2034().seed);
  });

  it('runs rank correlations and two-level runs, with a Danish CSV', async () => {
    const rank = await cli(
      'sensitivity',
      file,
      '--method',
      'rank',
      '--paths',
      '200',
      '--bootstrap',
      '50',
      '--strategy',
      'frame',
      '--csv',
      join(dir, 'rank.csv'),
      '--csv-locale',
      'da',
    );
    expect(rank.code).toBe(0);
    // Inputs by name, as the report shows them, never by id.
    expect(rank.out).toMatch(/Home care: trend in hours per recipient\s+-?\d\.\d\d\s+\[/);
    expect(rank.out).not.toContain('home-care.');
    const da = readFileSync(join(dir, 'rank.csv'), 'utf8');
    expect(
      da.startsWith('\ufeffmethod;figure;service;strategy;year;input;inputName;group;groupName;rho;low;high'),
    ).toBe(true);
    expect(da).toContain(
      ';home-care.hoursTrendPerYear;Hjemmepleje: udvikling i timer pr. modtager;intensity;timer pr. modtager;',
    );
    const two = await cli(
      'sensitivity',
      file,
      '--method',
      'two-level',
      '--outer',
      '10',
      '--inner',
      '4',
      '--bootstrap',
      '50',
      '--strategy',
      'frame',
    );
    expect(two.code).toBe(0);
    expect(two.out).toMatch(/2027\s+\d+ %/);
  });

  it('gives intervals at the level --confidence asks for, in the JSON and the report', async () => {
    const out = join(dir, 'level');
    const r = await cli(
      'sensitivity',
      file,
      '--method',
      'rank',
      '--paths',
      '150',
      '--bootstrap',
      '60',
      '--strategy',
      'frame',
      '--year',
      '2027',
      '--confidence',
      '80',
      '--out',
      out,
      '--report-locale',
      'da',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'sensitivity.json'), 'utf8')) as {
      confidence: number;
      estimator: string;
      rows: { low: number; high: number; rho: number }[];
    };
    expect(json.confidence).toBe(0.8);
    expect(r.out).toContain('Spearman rank correlation with the overrun (80 % interval)');
    expect(json.estimator).toMatch(/80 % percentile bootstrap intervals/);
    const wide = JSON.parse(readFileSync(join(dir, 'out', 'sensitivity.json'), 'utf8')) as { confidence: number };
    expect(wide.confidence).toBe(0.95);
    // The same paths and resamples at 95 %: every interval at least as wide as at 80 %.
    const at95 = await cli(
      'sensitivity',
      file,
      '--method',
      'rank',
      '--paths',
      '150',
      '--bootstrap',
      '60',
      '--strategy',
      'frame',
      '--year',
      '2027',
      '--json',
      join(dir, 'level95.json'),
    );
    expect(at95.code).toBe(0);
    const rows95 = (
      JSON.parse(readFileSync(join(dir, 'level95.json'), 'utf8')) as { rows: { low: number; high: number }[] }
    ).rows;
    json.rows.forEach((row, i) => expect(rows95[i]!.high - rows95[i]!.low).toBeGreaterThanOrEqual(row.high - row.low));
    expect(readFileSync(join(out, 'sensitivity.html'), 'utf8')).toContain('med 80\u00a0%-intervaller');
  });

  it('refuses bad options before any work, naming them, and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--method', 'morris'], /--method must be sobol, tornado, rank or two-level; received "morris"/],
      [['--figure', 'happiness'], /--figure must be/],
      [['--year', '1999'], /--year: "1999" is not a simulated year; expected 2024 to 2027/],
      [['--n', '0'], /--n must be a whole number from 2/],
      [['--method', 'rank', '--n', '50'], /--n applies to --method sobol/],
      [['--groups', 'demand'], /--groups: expected NAME=group\+group/],
      [
        ['--service', 'dentistry'],
        /--service: "dentistry" is not a service of this scenario; expected total or one of care-homes, home-care/,
      ],
      [['--strategy', 'lottery'], /unknown strategy "lottery"/],
      [
        ['--confidence', '100'],
        /--confidence must be a level in per cent from 50 to 99\.9, such as 90; received "100"/,
      ],
      [['--confidence', '0.9'], /--confidence must be a level in per cent/],
      [
        ['--method', 'tornado', '--confidence', '90'],
        /--confidence applies to --method sobol or rank or two-level; this is --method tornado/,
      ],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, `never-${args[0]!.slice(2)}`);
      const r = await cli('sensitivity', file, ...args, '--out', out);
      expect(r.err).toMatch(message);
      expect(r.code).toBeGreaterThan(0);
      expect(existsSync(join(out, 'sensitivity.json'))).toBe(false);
    }
    const groups = await cli('sensitivity', file, '--n', '10', '--groups', 'x=weather');
    expect(groups.code).toBe(2);
    expect(groups.err).not.toMatch(/internal error/);
    expect(groups.err).toMatch(/"weather" is not an input group of this model/);
    const gap = await cli('sensitivity', file, '--n', '10', '--figure', 'serviceGapShare');
    expect(gap.code).toBe(2);
    expect(gap.err).toMatch(/figure serviceGapShare sums activity over .*different units; choose one service/);
    expect((await cli('sensitivity', file, '--n', '10', '--bootstrap', '0')).err).toMatch(
      /--bootstrap must be a whole number from 20/,
    );
  });

  it('validate checks the inputs a correlation names against the model', async () => {
    const bad = join(dir, 'bad-correlation.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...lejre2034(),
        sampling: { correlations: [{ inputs: ['home-care.useRateTrendPerYear', 'home-care.nope'], rank: 0.5 }] },
      }),
    );
    const v = await cli('validate', bad);
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/"home-care\.nope" is not a scalar input of this scenario/);
  });

  it('has its own help', async () => {
    const h = await cli('sensitivity', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('--method M');
    expect(h.out).toContain('--groups SPEC');
    // Every built-in group's id with the name the report, the charts and the tables show.
    const help = h.out.replace(/\s+/g, ' ');
    for (const [id, name] of sensitivityGroupNames('en'))
      if (id !== 'residual') expect(help).toContain(id === name ? id : `${id} (${name})`);
  });

  it('names the groups and inputs as the report does: table, notes and CSV in English and Danish', async () => {
    const r = await cli(
      'sensitivity',
      file,
      '--n',
      '20',
      '--bootstrap',
      '20',
      '--strategy',
      'frame',
      '--year',
      '2027',
      '--groups',
      'demand=demography+use-rates',
      '--csv',
      join(dir, 'named.csv'),
      '--csv-locale',
      'en',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^care-home flows\s+\d+ %/m);
    expect(r.out).toMatch(/^hours per recipient\s+/m);
    expect(r.out).toMatch(/^interactions and error\s+/m);
    expect(r.out).not.toMatch(/^(intensity|care-home-flows|use-rates)\s/m);
    // A group of one's own naming keeps its name; the note names its parts in words.
    expect(r.out).toMatch(/^demand\s+/m);
    expect(r.out).toContain('Note: "demand" is one input made of demography and use rates.');
    const csv = parseCsv(readFileSync(join(dir, 'named.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.find((x) => x.group === 'intensity')!.groupName).toBe('hours per recipient');
    expect(csv.find((x) => x.group === 'residual')!.groupName).toBe('interactions and error');
    const t = await cli(
      'sensitivity',
      file,
      '--method',
      'tornado',
      '--paths',
      '20',
      '--strategy',
      'frame',
      '--year',
      '2027',
    );
    expect(t.code).toBe(0);
    // Each input's range in its own units: a change a year in per cent.
    expect(t.out).toMatch(/Home care: trend in hours per recipient .*−0\.\d% to \+0\.\d% a year/);
    expect(t.out).toContain(
      'Note: Known exactly in the scenario, so left out: the hours per recipient a week (home care)',
    );
  });
});

describe('carebudget sensitivity --threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-sens-threads-'));
  const file = join(dir, 'two-years.json');
  writeFileSync(file, JSON.stringify({ ...lejre2034(), horizonYears: 2 }));
  const files = ['sensitivity.json', 'sensitivity.csv', 'sensitivity.html'];

  // Each run is a test of its own (sized by its work), then the outputs are compared.
  const runs: Record<string, Awaited<ReturnType<typeof cli>>> = {};
  const run = (threads: string) =>
    cli(
      'sensitivity',
      file,
      '--method',
      'rank',
      '--paths',
      '2000',
      '--bootstrap',
      '20',
      '--strategy',
      'frame',
      '--threads',
      threads,
      '--out',
      join(dir, `t${threads}`),
    );
  for (const threads of ['1', '2'])
    it(`runs a rank analysis of 2,000 paths on ${threads} thread${threads === '1' ? '' : 's'}`, async () => {
      runs[threads] = await run(threads);
      expect(runs[threads].code, runs[threads].err).toBe(0);
    });

  it('writes the same output, byte for byte, on 2 threads as on 1 (a run of 2,000 paths goes to the pool)', () => {
    const one = runs['1']!;
    const two = runs['2']!;
    expect(two.err).toBe(one.err);
    expect(two.out.replaceAll('t2', 't1')).toBe(one.out);
    expect(one.out).toMatch(/Spearman rank correlation/);
    for (const f of files)
      expect(readFileSync(join(dir, 't2', f), 'utf8'), f).toBe(readFileSync(join(dir, 't1', f), 'utf8'));
  });

  it('refuses --threads that is not a whole number of at least 1, before any work', async () => {
    const r = await cli(
      'sensitivity',
      file,
      '--method',
      'rank',
      '--paths',
      '2000',
      '--threads',
      '0',
      '--out',
      join(dir, 'bad'),
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--threads/);
    expect(existsSync(join(dir, 'bad', 'sensitivity.json'))).toBe(false);
  });
});
