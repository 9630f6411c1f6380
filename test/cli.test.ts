import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORDED_FIGURES, resultFromJSON, simulate, summarizeMetrics, type SummaryResult } from '../src/index';
import { runCli } from '../src/cli/run';
import { lejreHomeCare } from './fixtures';

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-cli-'));
  const homeCareFile = join(dir, 'home-care.json');
  writeFileSync(homeCareFile, JSON.stringify({ ...lejreHomeCare(), paths: 3500 }));

  it('lists presets, prints help, and rejects a missing command', async () => {
    const presets = await cli('presets');
    expect(presets.code).toBe(0);
    expect(presets.out).toContain('lejre-2034:');
    expect((await cli('--help')).out).toContain('--summary MODE');
    expect((await cli()).code).toBe(2);
  });

  it('validates a file, naming every problem, and names a file it cannot read', async () => {
    expect((await cli('validate', homeCareFile)).out).toContain('valid (11 years from 2024, 3500 paths)');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...lejreHomeCare(), paths: -5 }));
    const invalid = await cli('validate', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('paths');
    const missing = await cli('validate', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.json/);
  });

  it('runs on the worker pool and writes a JSON result that reads back bit for bit, and both CSVs', async () => {
    const json = join(dir, 'result.json');
    const csv = join(dir, 'summary.csv');
    const run = await cli('run', homeCareFile, '--threads', '2', '--json', json, '--csv', csv, '--quiet');
    expect(run.code).toBe(0);
    expect(run.out).toContain('3500 paths, seed 2034, 2 threads, every path kept');
    expect(run.out).toContain('2034');
    const back = resultFromJSON(JSON.parse(readFileSync(json, 'utf8')));
    const direct = simulate({ ...lejreHomeCare(), paths: 3500 });
    // Each figure holds 2 strategies x 1 service x 11 years x 3,500 paths: written in slices.
    expect(back.figures.actualCostKr.length).toBeGreaterThan(65_536);
    for (const f of RECORDED_FIGURES) expect(bytes(back.figures[f]).equals(bytes(direct.figures[f])), f).toBe(true);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^strategy,service,year,figure,n,mean/);
    expect(lines).toHaveLength(1 + 2 * 11 * 4);
  });

  it('writes the care homes\' metrics as CSV, and streaming summaries when asked or when per-path results exceed the memory allowed', async () => {
    const metrics = join(dir, 'metrics.csv');
    const json = join(dir, 'summary.json');
    const run = await cli('run', '--preset', 'lejre-2034', '--paths', '300', '--summary', 'streaming', '--json', json, '--metrics-csv', metrics, '--quiet');
    expect(run.code).toBe(0);
    expect(run.out).toContain('streaming summaries');
    const summary = JSON.parse(readFileSync(json, 'utf8')) as SummaryResult;
    expect(summary.format).toBe('carebudget-summary');
    const lines = readFileSync(metrics, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('strategy,service,year,metric,n,mean,sd,mcse,min,max,p5,p50,p95,p_over_0');
    expect(lines).toHaveLength(1 + 7 * 2 * 11);
    const waiting = lines.find((l) => l.startsWith('frame,care-homes,2030,waiting,300,'))!;
    const expected = summarizeMetrics(summary, { metrics: ['care-homes.waiting'] }).find((r) => r.strategy === 'frame' && r.year === 2030)!;
    expect(Number(waiting.split(',')[5])).toBe(expected.mean);
    const auto = await cli('run', homeCareFile, '--memory-mib', '1', '--threads', '2', '--quiet');
    expect(auto.code).toBe(0);
    expect(auto.out).toContain('streaming summaries');
  });

  it('rejects bad options with the option and the value named, before running, and writes nothing half', async () => {
    for (const [args, message] of [
      [['--threads', '0'], '--threads must be a whole number >= 1; received "0"'],
      [['--threads', '2.5'], '--threads must be a whole number >= 1; received "2.5"'],
      [['--summary', 'fast'], '--summary must be auto, exact or streaming; received "fast"'],
      [['--memory-mib', 'lots'], '--memory-mib must be a whole number >= 1; received "lots"'],
      [['--colour'], 'Unknown option'],
    ] as const) {
      const r = await cli('run', homeCareFile, ...args, '--quiet');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.out).toBe('');
    }
    const badPaths = await cli('run', homeCareFile, '--paths', 'many', '--quiet');
    expect(badPaths.code).toBe(1);
    expect(badPaths.err).toContain('paths');
    const unwritable = join(dir, 'no-such-dir', 'result.json');
    const r = await cli('run', homeCareFile, '--paths', '50', '--json', unwritable, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write ${unwritable}`);
    expect(existsSync(unwritable)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
