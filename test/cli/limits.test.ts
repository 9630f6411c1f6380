import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('the run limit on the command line', () => {
  it('a run of hours is refused before it starts, naming its estimate and --max-minutes', async () => {
    const r = await cli('run', '--preset', 'lejre-2034', '--paths', '12000000', '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hours of one core/);
    expect(r.err).toContain('--max-minutes');
  });

  it('--max-minutes lowers the limit knowingly: a small run above it is refused, below it runs', async () => {
    const refused = await cli(
      'run',
      '--preset',
      'herning-specialised',
      '--paths',
      '200000',
      '--max-minutes',
      '1',
      '--quiet',
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/minutes of one core/);
    const runs = await cli('run', '--preset', 'herning-specialised', '--paths', '50', '--max-minutes', '1', '--quiet');
    expect(runs.code, runs.err).toBe(0);
  });

  it('--max-minutes takes a whole number of minutes', async () => {
    const r = await cli('run', '--preset', 'lejre-2034', '--paths', '10', '--max-minutes', '0');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--max-minutes');
  });
});
