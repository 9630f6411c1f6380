import { describe, expect, it } from 'vitest';
import {
  closeSync,
  constants,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { checkWritable, writeAll } from '../../src/cli/outputs';
import { CliError } from '../../src/cli/errors';

interface Ran {
  code: number;
  out: string;
  err: string;
  bytes: Uint8Array[];
}

async function cli(...argv: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const bytes: Uint8Array[] = [];
  const code = await runCli(argv, {
    out: (t) => (out += t),
    outBytes: (b) => bytes.push(b),
    err: (t) => (err += t),
  });
  return { code, out, err, bytes };
}

/** A short run of a preset, quiet. */
const RUN = ['run', '--preset', 'lejre-2034', '--paths', '20', '--quiet'];

/** A character device of our own (a copy of /dev/null, made with mknod), or undefined where mknod is not permitted. */
function makeNullDevice(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  try {
    execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return statSync(path).isCharacterDevice() ? path : undefined;
}

/** A refusal before the run: usage exit code, the option and path named, nothing on standard output. */
function expectRefused(r: Ran, ...words: string[]): void {
  expect(r.code, r.err).toBe(2);
  for (const w of words) expect(r.err).toContain(w);
  expect(r.out).toBe('');
  expect(r.err).not.toContain('paths, seed');
}

describe('output files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-outputs-'));
  // Links to directories point here, outside `dir`, so that no link makes a loop in `dir`.
  const other = mkdtempSync(join(tmpdir(), 'carebudget-outputs-other-'));
  const tmpLeft = () =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.tmp'));

  it('writes a regular file by renaming a temporary file over it', async () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, 'old');
    const before = statSync(file).ino;
    const r = await cli(...RUN, '--csv', file);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^strategy,/);
    expect(statSync(file).ino).not.toBe(before);
    expect(tmpLeft()).toEqual([]);
  });

  it('writes to a character device in place: it stays a device', async (ctx) => {
    const device = makeNullDevice(dir, 'null-device');
    if (device === undefined) return ctx.skip();
    const r = await cli(...RUN, '--json', device, '--csv', join(dir, 'beside-device.csv'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${device}`);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(existsSync(join(dir, 'beside-device.csv'))).toBe(true);
    expect(tmpLeft()).toEqual([]);
  });

  it('init writes to a character device without --force, and leaves it a device', async (ctx) => {
    const device = makeNullDevice(dir, 'init-device');
    if (device === undefined) return ctx.skip();
    const r = await cli('init', device);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('leaves the system /dev/null a character device (read-only check)', () => {
    // Only looked at, never written to by the suite: the devices written to are made in a temporary directory.
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes to a FIFO in place: the reader gets the file, the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The reader is open before the run (without blocking), so the writer's open does not wait.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const r = await cli(...RUN, '--csv', fifo);
      expect(r.code, r.err).toBe(0);
      const buf = Buffer.alloc(1 << 16);
      const n = readSync(reader, buf);
      expect(buf.subarray(0, n).toString('utf8')).toMatch(/^strategy,[^]*frame/);
    } finally {
      closeSync(reader);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a command that fails leaves no --out directory it made behind, nor its parents; one that existed stays', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'paths: -1\n');
    const fresh = join(dir, 'fresh', 'a', 'b');
    const r = await cli('run', bad, '--out', fresh, '--quiet');
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
    const kept = join(dir, 'kept');
    mkdirSync(kept);
    expect((await cli('run', bad, '--out', kept, '--quiet')).code).toBe(1);
    expect(existsSync(kept)).toBe(true);
    // A run that succeeds keeps the directory it made, with its files.
    const made = join(dir, 'made');
    expect((await cli(...RUN, '--out', made)).code).toBe(0);
    expect(readdirSync(made).length).toBeGreaterThan(0);
  });

  it('refuses a directory before the run, naming the option and the path', async () => {
    const d = join(dir, 'a-directory');
    mkdirSync(d);
    expectRefused(await cli(...RUN, '--report', d), `--report ${d}: is a directory`);
  });

  it('follows a symbolic link to a regular file: the file is replaced, the link stays a link', async () => {
    const target = join(dir, 'linked-target.csv');
    const link = join(dir, 'link.csv');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    const r = await cli(...RUN, '--csv', link);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toMatch(/^strategy,/);
    expect(tmpLeft()).toEqual([]);
  });

  it('refuses a symbolic link to a directory and one to nothing', async () => {
    const toDir = join(dir, 'link-to-dir');
    symlinkSync(other, toDir);
    expectRefused(await cli(...RUN, '--json', toDir), `--json ${toDir}: is a directory`);
    const dangling = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'nowhere', 'x.json'), dangling);
    expectRefused(
      await cli(...RUN, '--json', dangling),
      `--json ${dangling}: is a symbolic link to a file that does not exist`,
    );
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a socket before the run', async () => {
    const sock = join(dir, 'socket');
    const server = createServer();
    await new Promise<void>((done) => server.listen(sock, done));
    try {
      expectRefused(
        await cli(...RUN, '--csv', sock),
        `--csv ${sock}: is a socket; expected a regular file, a character device, a FIFO or - for standard output`,
      );
      expect(lstatSync(sock).isSocket()).toBe(true);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses a block device before the run', async (ctx) => {
    const block = join(dir, 'block');
    try {
      execFileSync('mknod', [block, 'b', '7', '200'], { stdio: 'ignore' });
    } catch {
      return ctx.skip();
    }
    expectRefused(await cli(...RUN, '--parquet', block), `--parquet ${block}: is a block device`);
    expect(lstatSync(block).isBlockDevice()).toBe(true);
  });

  it('refuses one file named twice before the run, under another spelling or through a link', async () => {
    const same = join(other, 'same.json');
    expectRefused(
      await cli(...RUN, '--json', same, '--csv', `${other}/./same.json`),
      '--json and --csv both name one file',
    );
    expect(existsSync(same)).toBe(false);
    mkdirSync(join(other, 'sub'));
    symlinkSync(other, join(dir, 'dir-link'));
    expectRefused(
      await cli(...RUN, '--json', same, '--metrics-csv', join(dir, 'dir-link', 'same.json')),
      '--json and --metrics-csv both name one file',
    );
    writeFileSync(same, 'kept');
    linkSync(same, join(other, 'hard-link.json'));
    expectRefused(
      await cli(...RUN, '--csv', `${other}/sub/../hard-link.json`, '--report', same),
      '--csv and --report both name one file',
    );
    expect(readFileSync(same, 'utf8')).toBe('kept');
    expect(tmpLeft()).toEqual([]);
  });

  it('writes - to standard output, with the run table on standard error, and makes no file named -', async () => {
    const r = await cli(...RUN, '--csv', '-');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^strategy,/);
    expect(r.err).toContain('20 paths');
    expect(r.err).not.toContain('wrote');
    expect(existsSync('-')).toBe(false);
  });

  it('the summary CSV and JSON hold the service --service names (all services by default)', async () => {
    const column = (csv: string) =>
      new Set(
        csv
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[1]),
      );
    expect(column((await cli(...RUN, '--csv', '-')).out)).toEqual(new Set(['total']));
    expect(column((await cli(...RUN, '--service', 'home-care', '--csv', '-')).out)).toEqual(new Set(['home-care']));
    const json = JSON.parse((await cli(...RUN, '--service', 'care-homes', '--summary-json', '-')).out) as {
      service: string;
    }[];
    expect(new Set(json.map((r) => r.service))).toEqual(new Set(['care-homes']));
  });

  it('writes - to standard output under --out too, the other outputs in the directory', async () => {
    const out = join(dir, 'out-dir');
    const r = await cli(...RUN, '--out', out, '--json', '-');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).format).toBe('carebudget-result');
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'summary.csv']);
  });

  it('--summary-json - prints the summary rows as JSON for jq: the raw CSV columns and numbers', async () => {
    const csvFile = join(dir, 'rows.csv');
    const r = await cli(...RUN, '--summary-json', '-', '--csv', csvFile);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, string | number | null>[];
    const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    expect(rows).toHaveLength(csv.length - 1);
    expect(Object.keys(rows[0]!)).toEqual(header);
    // Every number equals the raw CSV's, to the last digit; kr rows have no 1 % and 5 % thresholds.
    for (const [i, line] of csv.slice(1).entries()) {
      const cells = line.split(',');
      for (const [k, name] of header.entries()) {
        const v = rows[i]![name];
        expect(v === null ? '' : String(v), `${i} ${name}`).toBe(cells[k]);
      }
    }
    expect(rows.find((x) => x.figure === 'treasuryDeviationKr')!.p_over_1pct).toBeNull();
    expect(typeof rows.find((x) => x.figure === 'treasuryDeviationPct')!.p_over_1pct).toBe('number');
    expect(r.err).toContain('20 paths');
  });

  it('writes binary outputs to standard output as bytes', async () => {
    const r = await cli(...RUN, '--parquet', '-');
    expect(r.code, r.err).toBe(0);
    const bytes = Buffer.concat(r.bytes);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(-4).toString('latin1')).toBe('PAR1');
  });

  it('refuses two outputs to standard output before the run', async () => {
    expectRefused(
      await cli(...RUN, '--json', '-', '--csv', '-'),
      '--json and --csv both write to standard output; at most one output may',
    );
  });

  it('refuses --out - before the run', async () => {
    expectRefused(await cli(...RUN, '--out', '-'), '--out needs a directory');
  });

  it('sensitivity writes - to standard output and refuses outputs named twice', async () => {
    const args = ['sensitivity', '--preset', 'lejre-2034', '--method', 'rank', '--paths', '30', '--bootstrap', '20'];
    const r = await cli(...args, '--strategy', 'frame', '--csv', '-', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^method,/);
    expect(r.err).toContain('carebudget sensitivity:');
    const same = join(dir, 'sens.json');
    expectRefused(await cli(...args, '--json', same, '--report', `${dir}/./sens.json`), 'both name one file');
  });

  it('init refuses a directory and writes - to standard output', async () => {
    expectRefused(await cli('init', dir), `init ${dir}: is a directory`);
    const r = await cli('init', '-', '--preset', 'herning-specialised');
    expect(r.code).toBe(0);
    expect(r.out).toContain('started from the preset herning-specialised');
  });

  it("the writer sends - to the caller's standard output and refuses it without one", () => {
    let out = '';
    writeAll([{ option: 'output', file: '-', content: () => 'population: {}\n' }], { out: (t) => (out += t) });
    expect(out).toBe('population: {}\n');
    expect(() => writeAll([{ option: 'output', file: '-', content: () => 'x' }])).toThrow(CliError);
    expect(() => checkWritable([{ option: 'output', file: join(dir, 'no-dir', 'x.yaml') }])).toThrow(
      /--output .*x\.yaml: cannot write: the directory .* does not exist/,
    );
  });

  it('/dev/stdout on a pipe or socket is standard output: the CSV alone there, the table on standard error', async () => {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [main, ...RUN, '--csv', '/dev/stdout'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code, err).toBe(0);
    expect(out).toMatch(/^strategy,/);
    expect(err).toContain('20 paths');
  });
});
