import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { scenarioHash, type Scenario, type SteeringOptimization } from '../../src/index';
import { runCli } from '../../src/cli/run';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'carebudget-optimize-'));

/** A problem file in `dir`: the small hybrid search of the tests, with `extra` lines. */
function problemFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const SMALL = `candidates:
  - kind: hybrid
    vary:
      corridor: 0..0.10
      marginalRate: 0..1
objective:
  minimize: { measure: mean, figure: treasuryShareKr, year: 2030 }
constraints:
  - { measure: p95, figure: providerDeviationPct, year: 2030, max: 0.08 }
paths: 60
evaluations: 8
verify: { paths: 100 }
`;
const small = problemFile('small.yaml', SMALL);

type Written = SteeringOptimization & { format: string; scenarioAsRun: Scenario };

describe('carebudget optimize', () => {
  it('prints the estimate and the best design, and writes result.json, candidates.csv and report.html', async () => {
    const out = join(dir, 'one');
    const r = await cli('optimize', '--preset', 'lejre-2034', '--problem', small, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `carebudget optimize: lejre-2034, ${small}: up to 8 evaluations on 60 paths, then the best 3 on 100 fresh paths, seed 2034, one thread`,
    );
    // 8 evaluations and frame, hybrid and activity at their defaults, then 3 designs again.
    expect(r.out).toContain('Estimate: up to 960 strategy-paths (11 designs × 60 paths + 3 × 100 fresh paths), about');
    expect(r.out).toMatch(/\nBest design: hybrid\(corridor=[\d.]+, marginalRate=[\d.]+\)\n/);
    expect(r.out).toMatch(
      /minimise mean of treasuryShareKr in 2030: -?\d+\.\d\d m kr \(90 % interval -?\d+\.\d\d m kr to -?\d+\.\d\d m kr\)/,
    );
    expect(r.out).toMatch(/p95 of providerDeviationPct in 2030, at most 8\.00 %: \d+\.\d\d % .*: (kept|not kept) \(/);
    expect(r.out).toMatch(
      /better on the objective than the runner-up, hybrid\(.*\) \(.* m kr\), with probability [<>]?\d+ %/,
    );
    expect(r.out).toMatch(
      new RegExp(
        `wrote ${join(out, 'result.json')}\nwrote ${join(out, 'candidates.csv')}\nwrote ${join(out, 'report.html')}\n$`,
      ),
    );
    expect(readdirSync(out).sort()).toEqual(['candidates.csv', 'report.html', 'result.json']);
    expect(r.out).not.toMatch(/No design/);

    const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Written;
    expect(saved.format).toBe('carebudget-optimization');
    // The report: the scenario by name, the best design named, in English.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('lejre-2034');
    expect(html).not.toContain('[object Object]');
    const ids = saved.candidates.map((c) => c.id);
    expect(ids).toContain(saved.best);
    expect(saved.verified[0]!.id).toBe(saved.best);
    expect(saved.search).toMatchObject({ budget: 8, paths: 60, verifyPaths: 100, seed: 2034 });
    // The scenario as run: its hash is the record's, and its name the scenario's.
    expect(saved.scenario).toBe('lejre-2034');
    expect(saved.scenarioAsRun.name).toBe('lejre-2034');
    expect(scenarioHash(saved.scenarioAsRun)).toBe(saved.record.scenarioHash);

    const rows = parseCsv(readFileSync(join(out, 'candidates.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(saved.candidates.length);
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'kind',
      'corridor',
      'marginalRate',
      'objective',
      'p95 of providerDeviationPct in 2030',
      'violation',
      'feasible',
      'on_frontier',
      'default',
    ]);
    saved.candidates.forEach((c, i) => {
      const row = rows[i]!;
      expect(row.id).toBe(c.id);
      expect(row.corridor).toBe(c.settings.corridor === undefined ? '' : String(c.settings.corridor));
      expect(Number(row.objective)).toBe(c.objective);
      expect(Number(row['p95 of providerDeviationPct in 2030'])).toBe(c.constraints[0]);
      expect(row.feasible).toBe(String(c.feasible));
      expect(row.default).toBe(String(c.isDefault));
      expect(row.on_frontier).toBe(String(saved.frontier!.ids.includes(c.id)));
    });
    expect(rows.filter((x) => x.default === 'true').map((x) => x.id)).toEqual([
      'frame (default)',
      'hybrid (default)',
      'activity (default)',
    ]);
  }, 60_000);

  it('writes candidates.csv and the report in Danish: semicolons, decimal commas, kroner and per cent', async () => {
    const out = join(dir, 'da');
    const r = await cli(
      'optimize',
      '--preset',
      'lejre-2034',
      '--problem',
      small,
      '--out',
      out,
      '--csv-locale',
      'da',
      '--report-locale',
      'da',
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<html lang="da">');
    const text = readFileSync(join(out, 'candidates.csv'), 'utf8');
    expect(
      text.startsWith('\ufeffDesign;Styringsform;corridor;marginalRate;Mål: mean of treasuryShareKr in 2030 (kr);'),
    ).toBe(true);
    const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Written;
    const rows = parseCsv(text.slice(1), { columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(rows).toHaveLength(saved.candidates.length);
    const c = saved.candidates.find((x) => x.settings.corridor === 0.05)!;
    const row = rows.find((x) => x.Design === c.id)!;
    expect(row.corridor).toBe('0,05');
    expect(row['Mål: mean of treasuryShareKr in 2030 (kr)']).toBe(String(Math.round(c.objective)));
    expect(row['p95 of providerDeviationPct in 2030 (%)']).toBe(
      String(Number((100 * c.constraints[0]!).toFixed(2))).replace('.', ','),
    );
    expect(row['Holder grænserne']).toBe(c.feasible ? 'ja' : 'nej');
  }, 60_000);

  it('says first when no design kept the constraints, naming the closest', async () => {
    const tight = problemFile('tight.yaml', SMALL.replace('max: 0.08', 'max: 0.001'));
    const r = await cli('optimize', '--preset', 'lejre-2034', '--problem', tight, '--out', join(dir, 'tight'));
    expect(r.code, r.err).toBe(0);
    const answer = r.out.slice(r.out.indexOf('\n\n') + 2);
    expect(answer).toMatch(
      /^No design of the kinds searched kept every constraint on the search paths\. Closest:\n {2}p95 of providerDeviationPct in 2030 \(at most 0\.10 %\): hybrid\(.*\), at \d+\.\d\d %\n/,
    );
    expect(answer.indexOf('No design')).toBeLessThan(answer.indexOf('Best design'));
    expect(answer).toContain(': not kept (kept in');
  }, 60_000);

  it('names a reference design that kept the constraints when no design of the kinds searched did', async () => {
    // Hybrids only, the provider's P95 within 5 %: no hybrid keeps it, activity steering at its defaults does.
    const five = problemFile('five.yaml', SMALL.replace('max: 0.08', 'max: 0.05'));
    const out = join(dir, 'five');
    const r = await cli('optimize', '--preset', 'lejre-2034', '--problem', five, '--out', out);
    expect(r.code, r.err).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Written;
    const activity = saved.candidates.find((c) => c.id === 'activity (default)')!;
    expect(saved.feasible).toBe(false);
    expect(activity.feasible).toBe(true);
    const answer = r.out.slice(r.out.indexOf('\n\n') + 2);
    expect(answer).toContain(
      `Kept every constraint on the search paths, evaluated for reference (a kind not searched, never the best):\n  activity (default): mean of treasuryShareKr in 2030 ${(activity.objective / 1e6).toFixed(2)} m kr, p95 of providerDeviationPct in 2030 ${(100 * activity.constraints[0]!).toFixed(2)} %\nThe best below is the design of the kinds searched that came closest`,
    );
    // The report says so too, and nowhere that no design kept the limit.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      'No design of the kinds searched kept every limit; Activity steering (default), shown for reference, did.',
    );
    expect(html).not.toContain('No design kept every limit');
    expect(html).not.toContain('no design tried kept');
    expect(saved.frontier!.ids).toContain('activity (default)');
  }, 60_000);

  it.each([
    [
      'an unknown parameter',
      SMALL.replace('marginalRate: 0..1', 'marginalRate: 0..1\n      speed: 0..1'),
      /bad\.yaml:6:14: candidates\[0\]\.vary\.speed: .*unknown field "speed"/,
    ],
    [
      "a range outside the strategy's bounds",
      SMALL.replace('marginalRate: 0..1', 'marginalRate: 0..3'),
      /bad\.yaml:5:21: candidates\[0\]\.vary\.marginalRate: 3 is not a valid marginalRate: .*; received "0\.\.3"/,
    ],
    [
      'a year not in the run',
      SMALL.replace('year: 2030 }\nconstraints', 'year: 2050 }\nconstraints'),
      /bad\.yaml:7:\d+: objective\.minimize\.year: expected a simulated year, 2024 to 2034; received 2050/,
    ],
  ])('refuses %s with the file, line and path, exit code 1, writing nothing', async (_what, text, message) => {
    const bad = problemFile('bad.yaml', text);
    const out = join(dir, 'bad');
    const r = await cli('optimize', '--preset', 'lejre-2034', '--problem', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^carebudget: ${bad.replace(/[.\\]/g, '\\$&')}: Invalid steering problem`));
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unparsable problem file with its line and column', async () => {
    const bad = problemFile('broken.json', '{ "candidates": [ }');
    const r = await cli('optimize', '--preset', 'lejre-2034', '--problem', bad, '--out', join(dir, 'broken'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.json:1:\d+: /);
  });

  it('refuses a search above --max-minutes before any work, after printing its estimate', async () => {
    const out = join(dir, 'large');
    const r = await cli(
      'optimize',
      '--preset',
      'lejre-2034',
      '--problem',
      small,
      '--out',
      out,
      '--max-minutes',
      '0.001',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^carebudget optimize: .*\nEstimate: up to 960 strategy-paths .*\n$/);
    expect(r.err).toMatch(/this search needs about .* steps, .* above the limit of .* \(--max-minutes 0\.001\)/);
    expect(r.err).toContain('raise --max-minutes knowingly');
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--problem', small], /needs --out DIR/],
    [['--out', join(dir, 'x')], /needs --problem FILE/],
    [['--problem', small, '--out', join(dir, 'x'), '--threads', '0'], /--threads must be a whole number/],
    [['--problem', small, '--out', join(dir, 'x'), '--max-minutes', '-1'], /--max-minutes must be a number/],
    [['--problem', small, '--out', join(dir, 'x'), '--csv-locale', 'fr'], /--csv-locale must be raw, en or da/],
  ])('a usage error for %j: exit code 2', async (args, message) => {
    const r = await cli('optimize', '--preset', 'lejre-2034', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('gives the same files on 1 and 2 threads', async () => {
    const one = join(dir, 't1');
    const two = join(dir, 't2');
    const a = await cli('optimize', '--preset', 'lejre-2034', '--problem', small, '--out', one);
    const b = await cli('optimize', '--preset', 'lejre-2034', '--problem', small, '--out', two, '--threads', '2');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toContain('seed 2034, 2 threads');
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    expect(JSON.parse(read(two, 'result.json'))).toEqual(JSON.parse(read(one, 'result.json')));
    expect(read(two, 'result.json')).toBe(read(one, 'result.json'));
    expect(read(two, 'candidates.csv')).toBe(read(one, 'candidates.csv'));
  }, 120_000);

  it('draws a progress bar on a terminal only, and not with --quiet', async () => {
    let drawn = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _enc, done) => ((drawn += String(chunk)), done()) }), {
      isTTY: true,
      columns: 100,
    });
    const io = { out: () => {}, err: () => {}, isTTY: true, progressStream: terminal };
    const args = ['optimize', '--preset', 'lejre-2034', '--problem', small, '--out', join(dir, 'bar')];
    expect(await runCli(args, io)).toBe(0);
    expect(drawn).toMatch(/\d+%/);
    drawn = '';
    expect(await runCli([...args, '--quiet'], io)).toBe(0);
    expect(drawn).toBe('');
  }, 60_000);

  it('stops on Ctrl-C (SIGINT) with exit code 130 and writes nothing', async () => {
    const large = problemFile(
      'large.yaml',
      SMALL.replace('paths: 60', 'paths: 1000').replace('evaluations: 8', 'evaluations: 40'),
    );
    const out = join(dir, 'interrupted');
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, 'optimize', '--preset', 'lejre-2034', '--problem', large, '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    // Interrupted once the search has started: after its estimate, with the directory made.
    child.stdout.on('data', (d) => {
      stdout += String(d);
      if (stdout.includes('Estimate:')) setTimeout(() => child.kill('SIGINT'), 500);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).not.toContain('Best design');
    expect(stderr).toBe('carebudget: interrupted: the search stopped and nothing was written\n');
    expect(code).toBe(130);
    // Nothing written, and the directory made for the outputs removed again.
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('is in the command list and has its own help', async () => {
    const list = await cli('--help');
    expect(list.out).toMatch(/\n {2}optimize {4}search steering designs for the one that best meets an objective/);
    const help = await cli('optimize', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('carebudget optimize --preset NAME --problem problem.yaml --out DIR [options]');
    for (const option of [
      '--problem FILE',
      '--out DIR',
      '--threads N',
      '--max-minutes M',
      '--csv-locale',
      '--report-locale',
      '--quiet',
    ])
      expect(help.out).toContain(option);
    expect(help.out).toContain('Ctrl-C stops the search (exit code\n130) and writes nothing');
  });
});
