import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/** The report's choices from the command line: the pair, the service and the unit. */
describe('command line: what the report shows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-cli-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...more: string[]) =>
    cli('run', '--preset', 'lejre-2034', '--paths', '150', '--strategies', 'frame,hybrid,activity', '--quiet', ...more);

  it('compares frame with activity by default, and the pair asked for with --compare', async () => {
    const plain = join(dir, 'plain.html');
    expect((await run('--report', plain)).code).toBe(0);
    expect(text(readFileSync(plain, 'utf8'))).toContain(
      'Paired difference, Frame (rammestyring) − Activity (aktivitetsstyring)',
    );
    const asked = join(dir, 'asked.html');
    expect((await run('--report', asked, '--compare', 'hybrid,activity')).code).toBe(0);
    const page = text(readFileSync(asked, 'utf8'));
    expect(page).toContain('Paired difference, Hybrid (frame with activity corridor) − Activity (aktivitetsstyring)');
    expect(page).not.toContain('Paired difference, Frame');
  });

  it('--service chooses the service of the table and the report; --report-unit pct draws % of the budget', async () => {
    const file = join(dir, 'home.html');
    const r = await run('--report', file, '--service', 'home-care', '--report-unit', 'pct');
    expect(r.code).toBe(0);
    const page = readFileSync(file, 'utf8');
    expect(text(page)).toContain('the cost of home care (§83) exceeds the adopted budget');
    expect(page).toContain('Overrun (%)');
    // The table of the terminal is the service's: smaller sums than the total's.
    const total = await run();
    const last = (out: string) => out.split('\n').find((l) => l.startsWith('2034'))!;
    expect(last(r.out)).not.toBe(last(total.out));
  });

  it('names a pair or a service the run does not have, and writes nothing', async () => {
    const file = join(dir, 'never.html');
    const nope = await run('--report', file, '--compare', 'frame,nope');
    expect(nope.code).toBe(2);
    expect(nope.err).toContain(
      '--compare names strategy "nope", which this run does not have; it has "frame", "hybrid", "activity"',
    );
    const one = await run('--report', file, '--compare', 'frame');
    expect(one.code).toBe(2);
    expect(one.err).toContain('--compare needs two different strategy ids separated by a comma');
    const service = await run('--report', file, '--service', 'nursing');
    expect(service.code).toBe(2);
    expect(service.err).toContain('--service "nursing" is not a service of this run; expected one of "total"');
    const unit = await run('--report', file, '--report-unit', 'eur');
    expect(unit.code).not.toBe(0);
    expect(unit.err).toMatch(/--report-unit.*eur/);
    expect(existsSync(file)).toBe(false);
  });
});
