import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { closest, editDistance } from '../../src/cli/common';
import { VERSION } from '../../src/version';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('command-line conventions', () => {
  it('prints the version with --version and -V, alone or after a command', async () => {
    for (const args of [['--version'], ['-V'], ['run', '--version'], ['population', '-V']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toBe(`${VERSION}\n`);
      expect(r.err).toBe('');
    }
  });

  it('suggests the nearest option for an unknown one', async () => {
    const r = await cli('run', '--preset', 'lejre-2034', '--path', '100');
    expect(r.code).toBe(2);
    expect(r.err).toBe('carebudget: unknown option --path; did you mean --paths? (see carebudget run --help)\n');
    expect(r.out).toBe('');
  });

  it('suggests the options an unknown one is part of, the closest first', async () => {
    const r = await cli('run', '--preset', 'lejre-2034', '--locale', 'da');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --locale; did you mean --csv-locale or --report-locale?');
  });

  it('suggests within the command, for an option written with =', async () => {
    const r = await cli('sensitivity', '--preset', 'lejre-2034', '--metod=rank');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --metod; did you mean --method?');
  });

  it('names an unknown option with nothing near it, and an unknown short option', async () => {
    expect((await cli('run', '--colour')).err).toBe(
      'carebudget: unknown option --colour (see carebudget run --help)\n',
    );
    const short = await cli('run', '-x');
    expect(short.code).toBe(2);
    expect(short.err).toBe('carebudget: unknown option -x (see carebudget run --help)\n');
  });

  it('suggests the nearest command for an unknown one, in help too', async () => {
    const r = await cli('rnu', 'x.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "rnu" (did you mean run?); expected one of run, rerun,');
    expect((await cli('help', 'sensitivty')).err).toContain('(did you mean sensitivity?)');
    expect((await cli('simulate')).err).toContain('unknown command "simulate"; expected one of');
  });

  it('lists every exit code in the general and per-command help, 70 included', async () => {
    const general = await cli('--help');
    expect(general.out).toContain('70 a fault in carebudget itself');
    expect(general.out).toContain('--version');
    expect(general.out).toContain('- for standard output');
    const run = await cli('run', '--help');
    expect(run.out).toContain('70 a fault in carebudget itself');
    expect(run.out).toContain('-V, --version');
    expect(run.out).toMatch(/--json FILE[^]*\(- for standard output\)/);
  });

  it('measures edit distance with a swap of neighbours as one edit', () => {
    expect(editDistance('path', 'paths')).toBe(1);
    expect(editDistance('sumamry', 'summary')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('thread', ['threads', 'quiet', 'seed'])).toEqual(['threads']);
    expect(closest('zzz', ['threads', 'quiet', 'seed'])).toEqual([]);
  });
});
