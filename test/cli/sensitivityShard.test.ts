import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/run';

const run = promisify(execFile);
const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const SOBOL = [
  'sensitivity',
  '--preset',
  'slagelse-homecare',
  '--method',
  'sobol',
  '--n',
  '30',
  '--bootstrap',
  '40',
  '--threads',
  '1',
  '--quiet',
];

describe('carebudget sensitivity --shard and merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-sensitivity-shard-'));
  const part = (k: number) => join(dir, `part-${k}.json`);

  // Two shards in processes of their own, one test each (a process loads the sources: seconds on a busy machine).
  for (const k of [1, 2])
    it(`shard ${k} of 3 runs in a process of its own`, async () => {
      await run(tsx, [main, ...SOBOL, '--shard', `${k}/3`, '--json', part(k)]);
      const json = JSON.parse(readFileSync(part(k), 'utf8'));
      expect(json.format).toBe('carebudget-sensitivity-part');
      expect(json.run.shard).toEqual({ index: k, count: 3 });
      expect(json.analysis).toEqual({
        method: 'sobol',
        options: { figure: 'treasuryDeviationPct', bootstrap: 40, n: 30 },
      });
    });

  it('the three parts merge into the one-process analysis, byte for byte, with its outputs', async () => {
    const third = await cli(...SOBOL, '--shard', '3/3', '--json', part(3));
    expect(third.code, third.err).toBe(0);
    expect(third.out).toMatch(/part 3 of 3: \d+ of the analysis's \d+ paths/);
    const whole = await cli(...SOBOL, '--json', join(dir, 'whole.json'), '--csv', join(dir, 'whole.csv'));
    expect(whole.code, whole.err).toBe(0);
    const m = await cli(
      'merge',
      part(2),
      part(3),
      part(1),
      '--json',
      join(dir, 'merged.json'),
      '--csv',
      join(dir, 'merged.csv'),
    );
    expect(m.code, m.err).toBe(0);
    expect(sha256(join(dir, 'merged.json'))).toBe(sha256(join(dir, 'whole.json')));
    expect(sha256(join(dir, 'merged.csv'))).toBe(sha256(join(dir, 'whole.csv')));
    // The reading printed is the analysis's.
    expect(m.out.split('\nwrote')[0]).toBe(whole.out.split('\nwrote')[0]);
    const r = await cli(
      'merge',
      part(1),
      part(2),
      part(3),
      '--report',
      join(dir, 'merged.html'),
      '--report-locale',
      'da',
    );
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toContain('<html');
  });

  it('refuses a missing part, a part of other options, a run part among them, and a run option', async () => {
    const refused = async (args: string[], message: string, code = 1) => {
      const r = await cli('merge', ...args, '--json', join(dir, 'never.json'));
      expect(r.code, r.err).toBe(code);
      expect(r.err).toContain(message);
    };
    await refused([part(1), part(3)], 'part 2 of 3 is missing');
    const other = join(dir, 'other-2.json');
    expect((await cli(...SOBOL.map((a) => (a === '30' ? '31' : a)), '--shard', '2/3', '--json', other)).code).toBe(0);
    await refused([part(1), other, part(3)], 'is not a part of the same analysis');
    const runPart = join(dir, 'run-1.json');
    expect(
      (
        await cli(
          'run',
          '--preset',
          'slagelse-homecare',
          '--paths',
          '20',
          '--threads',
          '1',
          '--quiet',
          '--shard',
          '1/2',
          '--json',
          runPart,
        )
      ).code,
    ).toBe(0);
    await refused([part(1), runPart], `${runPart} is not a part of a sensitivity analysis`);
    await refused(
      [part(1), part(2), part(3), '--report-unit', 'pct'],
      "--report-unit is an option of a run's merge",
      2,
    );
  });

  it("limits the merge's bootstrap by --max-minutes, which a run's merge refuses", async () => {
    // A rank analysis of a million resamples: each shard runs only its paths, the merge the bootstrap.
    const rank = ['sensitivity', '--preset', 'slagelse-homecare', '--method', 'rank', '--paths', '30'];
    const rankPart = (k: number) => join(dir, `rank-${k}.json`);
    for (const k of [1, 2]) {
      const r = await cli(...rank, '--bootstrap', '1000000', '--quiet', '--shard', `${k}/2`, '--json', rankPart(k));
      expect(r.code, r.err).toBe(0);
    }
    const m = await cli('merge', rankPart(1), rankPart(2), '--max-minutes', '1', '--json', join(dir, 'never.json'));
    expect(m.code).toBe(1);
    expect(m.err).toMatch(
      /the work after this run's paths \(the bootstrap\) needs about .* above the limit of 6\.00e\+8/,
    );
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
    const runPart = join(dir, 'run-limit-1.json');
    const made = await cli(
      'run',
      '--preset',
      'slagelse-homecare',
      '--paths',
      '20',
      '--threads',
      '1',
      '--quiet',
      '--shard',
      '1/2',
      '--json',
      runPart,
    );
    expect(made.code, made.err).toBe(0);
    const runMerge = await cli('merge', runPart, '--max-minutes', '5', '--json', join(dir, 'never.json'));
    expect(runMerge.code).toBe(2);
    expect(runMerge.err).toContain(
      "--max-minutes limits the merge of a sensitivity analysis (its bootstrap); a run's merge simulates nothing",
    );
  });

  it('refuses --shard without --json, beside --csv, and N above the paths, before the run', async () => {
    const cases = [
      [['--shard', '1/3'], '--shard needs --json FILE'],
      [
        ['--shard', '1/3', '--json', join(dir, 'never.json'), '--csv', join(dir, 'never.csv')],
        '--csv does not go with --shard',
      ],
      [['--shard', '0/3', '--json', join(dir, 'never.json')], '--shard must be K/N'],
      [
        ['--shard', '1/3', '--json', join(dir, 'never.json'), '--report-locale', 'da'],
        '--report-locale does not go with --shard',
      ],
      [['--shard', '1/100000', '--json', join(dir, 'never.json')], 'shard: count 100000 is more than the analysis'],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli(...SOBOL, ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(message);
    }
  });
});
