import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'carebudget-explore-cli-'));

/** The page's JSON configuration. */
function configOf(html: string): { scenario: { name: string }; locale: string; inputs: { name: string }[] } {
  const m = /<script id="cb-config" type="application\/json">(.*?)<\/script>/s.exec(html)!;
  return JSON.parse(m[1]!) as never;
}

describe('carebudget explore', () => {
  it('--out writes one self-contained page: the scenario, its ranked inputs and the script inside, nothing fetched', async () => {
    const out = join(dir, 'explorer.html');
    const r = await cli('explore', '--preset', 'herning-specialised', '--out', out, '--locale', 'da');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Wrote .*explorer\.html \(\d+ KB\): open it in a browser; it works offline\.\n$/);
    const html = readFileSync(out, 'utf8');
    const config = configOf(html);
    expect(config.scenario.name).toBe('herning-specialised');
    expect(config.locale).toBe('da');
    expect(config.inputs.length).toBeGreaterThan(0);
    expect(html).toMatch(/^<!doctype html>\n<html lang="da">/);
    // No address outside the file: no src or href to anything but the page itself.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html.match(/<\/script>/g)!.length).toBe(2);
  }, 120_000);

  it('refuses a scenario that is not valid, and an unknown locale, before writing anything', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', baseYear: 2024, horizonYears: 0, population: { groups: [] } }));
    const out = join(dir, 'never.html');
    const r = await cli('explore', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/horizonYears/);
    const l = await cli('explore', '--preset', 'lejre-2034', '--out', out, '--locale', 'de');
    expect(l.code).toBe(2);
    expect(l.err).toMatch(/--locale.*en.*da/);
    expect(existsSync(out)).toBe(false);
  });

  it('without --out serves the page on 127.0.0.1, prints its address, and stops on Ctrl-C', async () => {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'explore', '--preset', 'lejre-2034', '--no-open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        const m = /is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m !== null) resolve(m[1]!);
      });
      child.on('close', () => reject(new Error(`ended before serving: ${stderr}`)));
    });
    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(configOf(await page.text()).scenario.name).toBe('lejre-2034');
    expect((await fetch(`${address}other.js`)).status).toBe(404);
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await code).toBe(0);
    expect(stdout).toContain('Stopped.\n');
  }, 120_000);

  it('is in the command list and has its own help', async () => {
    const list = await cli('--help');
    expect(list.out).toMatch(/\n {2}explore {5}a page where the steering and the assumptions move/);
    const help = await cli('explore', '--help');
    expect(help.code).toBe(0);
    for (const option of ['--preset NAME', '--out FILE', '--locale LOCALE', '--no-open'])
      expect(help.out).toContain(option);
  });
});
