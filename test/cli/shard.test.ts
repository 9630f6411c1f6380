import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/run';
import { shardRange } from '../../src/index';

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
const RUN = ['run', '--preset', 'slagelse-homecare', '--paths', '103', '--threads', '1', '--quiet'];

describe('shardRange', () => {
  it('cuts the paths into N contiguous blocks that differ by at most one path and make the run', () => {
    expect(shardRange(10, 2, 4)).toEqual({ pathStart: 2, paths: 3 });
    for (const [paths, n] of [
      [103, 4],
      [7, 7],
      [1_000_003, 13],
    ] as const) {
      const blocks = Array.from({ length: n }, (_, k) => shardRange(paths, k + 1, n));
      expect(blocks[0]!.pathStart).toBe(0);
      for (let k = 1; k < n; k++) expect(blocks[k]!.pathStart).toBe(blocks[k - 1]!.pathStart + blocks[k - 1]!.paths);
      expect(blocks.reduce((a, b) => a + b.paths, 0)).toBe(paths);
      const sizes = blocks.map((b) => b.paths);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('carebudget run --shard and merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-shard-'));
  const part = (k: number) => join(dir, `part-${k}.json`);

  // Each shard in a process of its own, one test each (a process loads the sources: seconds on a busy machine).
  for (const k of [1, 2, 3, 4])
    it(`shard ${k} of 4 runs in a process of its own`, async () => {
      await run(tsx, [main, ...RUN, '--shard', `${k}/4`, '--json', part(k)]);
      expect(JSON.parse(readFileSync(part(k), 'utf8')).run.shard).toEqual({ index: k, count: 4 });
    });

  it('the four parts merge into the one-process run, byte for byte', async () => {
    const whole = join(dir, 'whole.json');
    expect((await cli(...RUN, '--json', whole)).code).toBe(0);
    const parts = [1, 2, 3, 4].map((k) => JSON.parse(readFileSync(part(k), 'utf8')));
    expect(parts.map((p) => [p.pathStart, p.pathCount])).toEqual([
      [0, 25],
      [25, 26],
      [51, 26],
      [77, 26],
    ]);
    expect(parts[2].run.shard).toEqual({ index: 3, count: 4 });
    const merged = join(dir, 'merged.json');
    // The parts in any order.
    const m = await cli('merge', part(3), part(1), part(4), part(2), '--json', merged, '--quiet');
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain('merged from 4 parts');
    expect(sha256(merged)).toBe(sha256(whole));
    // A part reruns alone, bit for bit.
    const again = await cli('rerun', part(2), '--threads', '1', '--quiet');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/shard 2 of 4: paths 25-50 of 103 paths[\s\S]*reproduced bit for bit/);
  });

  it('refuses a missing, doubled or foreign part, and a file that is no part, naming it', async () => {
    const refused = async (args: string[], message: string) => {
      const r = await cli('merge', ...args, '--json', join(dir, 'never.json'), '--quiet');
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(message);
    };
    await refused([part(1), part(2), part(4)], 'part 3 of 4 is missing; merge needs all 4');
    await refused(
      [part(1), part(2), part(2), part(3), part(4)],
      `part 2 of 4 is given twice (${part(2)} and ${part(2)})`,
    );
    const other = join(dir, 'other-1.json');
    expect((await cli(...RUN, '--seed', '7', '--shard', '1/4', '--json', other)).code).toBe(0);
    await refused([other, part(2), part(3), part(4)], 'is not a part of the same run as');
    const whole = join(dir, 'whole.json');
    await refused([whole], 'is not a part of a run made in shards');
    const edited = join(dir, 'edited.json');
    const json = JSON.parse(readFileSync(part(4), 'utf8'));
    json.run.shard.index = 3;
    writeFileSync(edited, JSON.stringify(json));
    await refused([part(1), part(2), edited], 'holds paths 77-102; part 3 of 4 of 103 paths is 51-76');
  });

  it('refuses a shard that is not K/N, an N above the paths and a shard without --json, before the run', async () => {
    for (const [shard, message] of [
      ['0/4', '--shard must be K/N with whole numbers 1 <= K <= N'],
      ['5/4', '--shard must be K/N'],
      ['1/x', '--shard must be K/N'],
      ['1/200', "--shard 1/200: N must be at most the run's 103 paths"],
    ] as const) {
      const r = await cli(...RUN, '--shard', shard, '--json', join(dir, 'never.json'));
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
    const r = await cli(...RUN, '--shard', '1/4');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--shard needs --json FILE');
  });

  it('refuses more shards of streaming summaries than the run has blocks, before the run', async () => {
    const r = await cli(...RUN, '--summary', 'streaming', '--shard', '1/3', '--json', join(dir, 'never.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "--shard 1/3: streaming summaries are cut into shards of whole blocks of 10000 paths, and the run's 103 paths make 1 block; N must be at most 1",
    );
  });
});

describe('carebudget run --summary streaming --shard and merge', () => {
  // Four blocks of 1,000 paths, the last short: shards of whole blocks (paths 0-999, 1000-1999,
  // 2000-2999 and 3000-3199).
  const STREAM = [
    'run',
    '--preset',
    'slagelse-homecare',
    '--paths',
    '3200',
    '--summary',
    'streaming',
    '--block-paths',
    '1000',
    '--quiet',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-shard-streaming-'));
  const part = (k: number) => join(dir, `part-${k}.json`);
  const whole = join(dir, 'whole.json');

  for (const k of [1, 2, 3, 4])
    it(`streaming shard ${k} of 4 runs in a process of its own, on whole blocks`, async () => {
      await run(tsx, [main, ...STREAM, '--threads', '1', '--shard', `${k}/4`, '--json', part(k)]);
      const json = JSON.parse(readFileSync(part(k), 'utf8'));
      expect(json.run.shard).toEqual({ index: k, count: 4, blockPaths: 1000 });
      expect([json.pathStart, json.pathCount]).toEqual([(k - 1) * 1000, k === 4 ? 200 : 1000]);
    });

  it('the one-process run on two threads', async () => {
    const r = await cli(...STREAM, '--threads', '2', '--json', whole);
    expect(r.code, r.err).toBe(0);
  });

  it('the four parts merge into the one-process run, byte for byte', async () => {
    const merged = join(dir, 'merged.json');
    const m = await cli('merge', part(4), part(2), part(1), part(3), '--json', merged, '--quiet');
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain('merged from 4 parts');
    // The parts keep their block trees' nodes; the whole run's file keeps its cells only.
    const nodes = (file: string) =>
      (JSON.parse(readFileSync(file, 'utf8')).nodes as { level: number; index: number }[] | undefined)?.map((n) => [
        n.level,
        n.index,
      ]);
    expect([1, 2, 3, 4].map((k) => nodes(part(k)))).toEqual([[[0, 0]], [[0, 1]], [[0, 2]], [[0, 3]]]);
    expect(nodes(whole)).toBeUndefined();
    expect(sha256(merged)).toBe(sha256(whole));
    const arrow = await cli(
      'merge',
      part(1),
      part(2),
      part(3),
      part(4),
      '--arrow',
      join(dir, 'never.arrow'),
      '--quiet',
    );
    expect(arrow.code).toBe(2);
    expect(arrow.err).toContain("--arrow needs every path's figures; the parts hold streaming summaries");
  });

  it.each([
    ['a part', 4],
    ['the whole run', 0],
  ])('%s of streaming summaries reruns bit for bit', async (_, k) => {
    const again = await cli('rerun', k === 0 ? whole : part(k), '--threads', '2', '--quiet');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('reproduced bit for bit');
  });
});
