import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  parseScenario,
  RECORDED_FIGURES,
  resultFromJSON,
  simulate,
  summarize,
  summarizeMetrics,
  safeParseScenario,
  type SummaryResult,
} from '../../src/index';
import { scenarioHash } from '../../src/simulation/record';
import { VERSION } from '../../src/version';
import { runCli } from '../../src/cli/run';
import { lejreHomeCare } from '../fixtures';

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
  const tmpLeft = () =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.tmp'));

  it('lists presets, prints general and per-command help, and rejects a missing or unknown command', async () => {
    const presets = await cli('presets');
    expect(presets.code).toBe(0);
    expect(presets.out).toContain('lejre-2034:');
    const general = await cli('--help');
    expect(general.code).toBe(0);
    for (const c of ['run', 'rerun', 'validate', 'presets', 'init', 'population'])
      expect(general.out).toContain(`  ${c} `);
    const helps = await Promise.all(
      ['run', 'rerun', 'validate', 'presets', 'init', 'population'].map((c) => cli(c, '--help')),
    );
    for (const h of helps) expect(h.code).toBe(0);
    expect(new Set(helps.map((h) => h.out)).size).toBe(6);
    expect(helps[0]!.out).toContain('--strategies LIST');
    expect(helps[0]!.out).toContain('--csv-locale LOCALE');
    expect(helps[4]!.out).toContain('--preset NAME');
    expect(helps[4]!.out).not.toContain('--paths');
    expect(helps[5]!.out).toContain('--municipality NAME');
    expect((await cli('help', 'init')).out).toBe(helps[4]!.out);
    expect((await cli()).code).toBe(2);
    const unknown = await cli('simulate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      'unknown command "simulate"; expected one of run, rerun, merge, validate, presets, init, sensitivity, compare, population',
    );
  });

  it('validates a file, naming every problem, and names a file it cannot read', async () => {
    expect((await cli('validate', homeCareFile)).out).toContain(
      'valid (11 years from 2024, 3500 paths, strategies frame, activity)',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...lejreHomeCare(), paths: -5 }));
    const invalid = await cli('validate', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('paths');
    const missing = await cli('validate', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.json/);
  });

  it('reads YAML and JSON with a byte-order mark, and gives syntax errors with line and column', async () => {
    const yamlFile = join(dir, 'home-care.yaml');
    writeFileSync(yamlFile, `\ufeff# a comment\n${stringifyYaml({ ...lejreHomeCare(), name: 'yaml-home-care' })}`);
    expect((await cli('validate', yamlFile)).code).toBe(0);
    const bomJson = join(dir, 'bom.json');
    writeFileSync(bomJson, `\ufeff${JSON.stringify(lejreHomeCare())}`);
    expect((await cli('validate', bomJson)).code).toBe(0);
    const badJson = join(dir, 'syntax.json');
    writeFileSync(badJson, '{\n  "name": "x",\n  "baseYear": 2023,,\n}\n');
    const j = await cli('validate', badJson);
    expect(j.code).toBe(1);
    expect(j.err).toContain(`${badJson}:3:20: not valid JSON`);
    const badYaml = join(dir, 'syntax.yaml');
    writeFileSync(badYaml, 'name: x\nbaseYear: 2023\npopulation:\n  groups: [1, 2\n');
    const y = await cli('validate', badYaml);
    expect(y.code).toBe(1);
    expect(y.err).toMatch(new RegExp(`${badYaml.replace(/[.]/g, '\\.')}:\\d+:\\d+: not valid YAML`));
    expect(y.err).not.toMatch(/\n\s+at /);
    // Schema errors name the path, and the line and column of the field in the file.
    const wrong = join(dir, 'wrong.yaml');
    writeFileSync(
      wrong,
      stringifyYaml({ ...lejreHomeCare(), homeCare: { ...lejreHomeCare().homeCare, userTimeShare: 2 } }),
    );
    const w = await cli('validate', wrong);
    const line =
      readFileSync(wrong, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('userTimeShare: 2')) + 1;
    expect(w.code).toBe(1);
    expect(w.err).toMatch(new RegExp(`wrong\\.yaml:${line}:\\d+: homeCare\\.userTimeShare: `));
  });

  it('init writes a commented YAML starter that points at the JSON Schema, validates and runs; it does not overwrite', async () => {
    const file = join(dir, 'starter.yaml');
    const init = await cli('init', file, '--preset', 'slagelse-homecare');
    expect(init.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    // The repository's own schema (this runs from a clone), by its absolute path: the file is outside the working directory.
    expect(text.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=${join(__dirname, '..', '..', 'scenario.schema.json').split(sep).join('/')}`,
    );
    expect(text).toContain('# Home care (Serviceloven §83).');
    expect(parseScenario(parseYaml(text))).toEqual(parseScenario((await import('../../src/index')).slagelseHomeCare()));
    expect((await cli('validate', file)).code).toBe(0);
    const run = await cli('run', file, '--paths', '40', '--quiet');
    expect(run.code).toBe(0);
    expect(run.out).toContain('40 paths');
    const again = await cli('init', file);
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists; use --force');
    expect((await cli('init', file, '--force')).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('started from the preset lejre-2034');
    // The care homes' places come with the warning that more of them also means more applicants.
    expect(readFileSync(file, 'utf8')).toMatch(
      /# Places on the first day\. .*\n\s*# .*more places here also means more applicants: to add places\n\s*# later, give a home capacityChanges: \[\{ from: '2027-01-01', places: 120 \}\] instead\.\n\s*homes:/,
    );
    const stdout = await cli('init', '-', '--preset', 'herning-specialised');
    expect(safeParseScenario(parseYaml(stdout.out)).success).toBe(true);
    // On standard output, relative to the working directory (here the clone's root).
    expect(process.cwd()).toBe(join(__dirname, '..', '..'));
    expect(stdout.out.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
  });

  it('never exits 0 on an invalid file, and never with a stack trace', async () => {
    const cases: Record<string, string> = {
      'null.json': 'null',
      'array.json': '[1, 2]',
      'number.yaml': '42',
      'empty.yaml': '',
      'text.json': '"a scenario"',
      'truncated.json': JSON.stringify(lejreHomeCare()).slice(0, 200),
      'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'deep-object.json': `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      'deep.yaml': `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      'proto.json': JSON.stringify({
        ...lejreHomeCare(),
        population: { groups: [{ id: '__proto__', start: 100, growthPerYear: 0.01 }] },
      }).replace('"name"', '"__proto__":{"x":1},"name"'),
      'no-service.yaml':
        'name: x\nbaseYear: 2023\nhorizonYears: 3\npopulation:\n  groups:\n    - { id: "80+", start: 100, growthPerYear: 0.01 }\n',
      'wrong-types.json': JSON.stringify({ ...lejreHomeCare(), horizonYears: 'ten', paths: 1.5 }),
      'duplicate-keys.yaml': 'name: a\nname: b\n',
      'binary.json': '\u0000\u0001\u0002',
    };
    for (const [name, content] of Object.entries(cases)) {
      const file = join(dir, name);
      writeFileSync(file, content);
      for (const args of [
        ['validate', file],
        ['run', file, '--paths', '5', '--quiet'],
      ]) {
        const r = await cli(...args);
        expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(1);
        expect(r.err, name).toMatch(/^carebudget: /);
        expect(r.err, name).not.toMatch(/\n\s+at /);
        expect(r.out, name).toBe('');
      }
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('rejects bad options with the option and the value named, before reading or running anything', async () => {
    for (const [args, message] of [
      [['--threads', '0'], '--threads must be a whole number from 1 to 1,024; received "0"'],
      [['--threads', '2.5'], '--threads must be a whole number from 1 to 1,024; received "2.5"'],
      [['--summary', 'fast'], '--summary must be auto, exact or streaming; received "fast"'],
      [['--memory-mib', 'lots'], '--memory-mib must be a whole number'],
      [['--paths', '0x10'], '--paths must be a whole number from 1 to 100,000,000; received "0x10"'],
      [['--paths', '-1'], '--paths must be a whole number from 1 to 100,000,000; received "-1"'],
      [['--paths', '1e3'], 'received "1e3"'],
      [['--paths', 'many'], 'received "many"'],
      [['--csv-locale', 'fr'], '--csv-locale must be raw, en or da; received "fr"'],
      [['--strategies', 'frame,,activity'], '--strategies expects names separated by commas'],
      [['--strategies', 'frame,budget'], '--strategies: unknown strategy "budget"'],
      [['--summary', 'streaming', '--parquet', join(dir, 'x.parquet')], "--parquet needs every path's figures"],
      [['--json', join(dir, 'same'), '--csv', join(dir, 'same')], 'both name'],
      [['--colour'], 'unknown option --colour (see carebudget run --help)'],
    ] as const) {
      const r = await cli('run', homeCareFile, ...args, '--quiet');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    }
    for (const preset of ['__proto__', 'toString', 'constructor', 'nope']) {
      const r = await cli('run', '--preset', preset, '--quiet');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`unknown preset "${preset}"; expected one of lejre-2034`);
    }
    const nullFile = join(dir, 'null-paths.json');
    writeFileSync(nullFile, 'null');
    const n = await cli('run', nullFile, '--paths', '5', '--quiet');
    expect(n.code).toBe(1);
    expect(n.err).toContain('expected object; received null');
    const debug = await cli('run', nullFile, '--debug', '--quiet');
    expect(debug.err).toMatch(/\n\s+at /);
  });

  it('checks every output before the run and writes all or nothing', async () => {
    const ok = join(dir, 'ok.json');
    const r = await cli('run', homeCareFile, '--paths', '50', '--json', ok, '--csv', '/proc/x.csv', '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--csv /proc/x.csv: cannot write');
    expect(r.out).toBe('');
    expect(existsSync(ok)).toBe(false);
    const unwritable = join(dir, 'no-such-dir', 'result.json');
    const u = await cli('run', homeCareFile, '--paths', '50', '--json', unwritable, '--quiet');
    expect(u.code).toBe(2);
    expect(u.err).toContain(`--json ${unwritable}: cannot write: the directory`);
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    expect((await cli('run', homeCareFile, '--json', join(dir, 'a-directory'), '--quiet')).err).toContain(
      'is a directory',
    );
    expect(tmpLeft()).toEqual([]);
  });

  it('runs on the worker pool and writes a JSON result that reads back bit for bit, with the run it came from', async () => {
    const json = join(dir, 'result.json');
    const csv = join(dir, 'summary.csv');
    const run = await cli('run', homeCareFile, '--threads', '2', '--json', json, '--csv', csv, '--quiet');
    expect(run.code).toBe(0);
    expect(run.out).toContain('3500 paths, seed 2034, 2 threads, every path kept');
    const raw = JSON.parse(readFileSync(json, 'utf8'));
    const back = resultFromJSON(raw);
    const direct = simulate({ ...lejreHomeCare(), paths: 3500 });
    // Each figure holds 2 strategies x 1 service x 11 years x 3,500 paths: written in slices.
    expect(back.figures.actualCostKr.length).toBeGreaterThan(65_536);
    for (const f of RECORDED_FIGURES) expect(bytes(back.figures[f]).equals(bytes(direct.figures[f])), f).toBe(true);
    expect(back.run?.libraryVersion).toBe(VERSION);
    expect(back.run?.scenario).toEqual(parseScenario({ ...lejreHomeCare(), paths: 3500 }));
    expect(back.run?.seed).toBe(2034);
    expect(back.run?.paths).toBe(3500);
    expect(back.run?.strategies).toEqual(['frame', 'activity']);
    expect(back.run?.scenarioHash).toBe(scenarioHash(back.run!.scenario));
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^strategy,service,year,figure,n,mean/);
    expect(lines).toHaveLength(1 + 2 * 11 * 6);
  });

  it('rerun reproduces a result bit for bit, warns when the version differs, and says when the file was edited', async () => {
    const json = join(dir, 'rerun-source.json');
    expect(
      (
        await cli(
          'run',
          '--preset',
          'lejre-2034',
          '--paths',
          '120',
          '--strategies',
          'frame,hybrid',
          '--seed',
          'x7',
          '--json',
          json,
          '--quiet',
        )
      ).code,
    ).toBe(0);
    const again = join(dir, 'rerun-again.json');
    const r = await cli('rerun', json, '--threads', '2', '--json', again, '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('120 paths, seed x7');
    expect(r.out).toMatch(/reproduced bit for bit: [\d,]+ values \(8 figures and 7 metrics over 120 paths\)/);
    const a = resultFromJSON(JSON.parse(readFileSync(json, 'utf8')));
    const b = resultFromJSON(JSON.parse(readFileSync(again, 'utf8')));
    expect(b.strategies.map((s) => s.id)).toEqual(['frame', 'hybrid']);
    for (const f of RECORDED_FIGURES) expect(bytes(a.figures[f]).equals(bytes(b.figures[f])), f).toBe(true);
    for (const k of Object.keys(a.metrics)) expect(bytes(a.metrics[k]!).equals(bytes(b.metrics[k]!)), k).toBe(true);
    // Another version made it: a warning, and still a rerun.
    const raw = JSON.parse(readFileSync(json, 'utf8'));
    raw.run.libraryVersion = '0.0.1';
    const old = join(dir, 'rerun-old.json');
    writeFileSync(old, JSON.stringify(raw));
    const w = await cli('rerun', old, '--quiet');
    expect(w.code).toBe(0);
    expect(w.err).toContain(`was made by carebudget 0.0.1; this is ${VERSION}`);
    // An edited scenario: a warning from the hash, and a run that no longer matches: exit 1.
    raw.run.libraryVersion = VERSION;
    raw.run.scenario.homeCare.wageCostPerPaidHourKr = 300;
    const edited = join(dir, 'rerun-edited.json');
    writeFileSync(edited, JSON.stringify(raw));
    const e = await cli('rerun', edited, '--quiet');
    expect(e.err).toContain('does not match its hash');
    expect(e.err).toContain('the rerun differs from the file: figure');
    expect(e.code).toBe(1);
    // A file without a record of its run.
    delete raw.run;
    writeFileSync(edited, JSON.stringify(raw));
    const none = await cli('rerun', edited, '--quiet');
    expect(none.code).toBe(1);
    expect(none.err).toContain('has no record of its run');
  });

  it("says in run's header when the inputs are sampled by Latin hypercube or correlated", async () => {
    const file = join(dir, 'lhs.json');
    const base = lejreHomeCare();
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        horizonYears: 2,
        sampling: {
          method: 'latinHypercube',
          correlations: [{ inputs: ['home-care.undeliveredShare', 'home-care.userTimeShare'], rank: 0.4 }],
        },
      }),
    );
    const r = await cli('run', file, '--paths', '40');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^carebudget: [^\n]*, 40 paths, seed \d+, Latin hypercube sampling, 1 set of correlated inputs, one thread/,
    );
    const plain = join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify({ ...base, horizonYears: 2 }));
    const p = await cli('run', plain, '--paths', '40');
    expect(p.out).not.toMatch(/Latin hypercube|correlated inputs/);
  });

  it('chooses strategies by id from the scenario or by kind, and writes every output under --out', async () => {
    const scenario = join(dir, 'strategies.yaml');
    writeFileSync(
      scenario,
      `${JSON.stringify({ ...lejreHomeCare(), paths: 60, strategies: [{ kind: 'frame', id: 'strict', carryOver: { surplusCap: 0, deficitCap: 0 } }, { kind: 'activity' }] })}\n`,
    );
    const out = join(dir, 'out');
    const r = await cli('run', scenario, '--strategies', 'activity,strict,hybrid', '--out', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'result.json', 'summary.csv']);
    const result = resultFromJSON(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.strategies.map((s) => s.id)).toEqual(['activity', 'strict', 'hybrid']);
    expect(result.run?.scenario.strategies[1]).toMatchObject({
      kind: 'frame',
      id: 'strict',
      carryOver: { surplusCap: 0, deficitCap: 0 },
    });
  });

  it('writes a self-contained HTML report with --report, in Danish with --report-locale da', async () => {
    const file = join(dir, 'r.html');
    const r = await cli(
      'run',
      '--preset',
      'lejre-2034',
      '--paths',
      '300',
      '--report',
      file,
      '--report-locale',
      'da',
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<html lang="da"');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
    // Nothing to fetch: no script, stylesheet or image from anywhere else.
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)=/i);
    const bad = await cli(
      'run',
      '--preset',
      'lejre-2034',
      '--paths',
      '10',
      '--report',
      join(dir, 'x.html'),
      '--report-locale',
      'fr',
      '--quiet',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--report-locale');
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('writes CSV by a library: any id round-trips, and the Danish file reads back as the summary, rounded', async () => {
    const scenario = join(dir, 'odd-ids.json');
    const odd = 'frame, 2% cap; "quoted"\nnew line æøå';
    writeFileSync(
      scenario,
      JSON.stringify({
        ...lejreHomeCare(),
        paths: 200,
        strategies: [{ kind: 'frame', id: odd }, { kind: 'activity' }],
      }),
    );
    const raw = join(dir, 'raw.csv');
    const da = join(dir, 'da.csv');
    const json = join(dir, 'odd.json');
    expect((await cli('run', scenario, '--csv', raw, '--json', json, '--quiet')).code).toBe(0);
    expect((await cli('run', scenario, '--csv', da, '--csv-locale', 'da', '--quiet')).code).toBe(0);
    const rawRows = parseCsv(readFileSync(raw, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rawRows.every((r) => Object.keys(r).length === 15)).toBe(true);
    expect(rawRows[0]!.strategy).toBe(odd);
    const summary = summarize(resultFromJSON(JSON.parse(readFileSync(json, 'utf8'))), {
      percentiles: [5, 50, 95],
      thresholds: [0, 0.01, 0.05],
    });
    expect(rawRows.map((r) => Number(r.mean))).toEqual(summary.map((s) => s.mean));

    const en = join(dir, 'en.csv');
    expect((await cli('run', scenario, '--csv', en, '--csv-locale', 'en', '--quiet')).code).toBe(0);
    const enRows = parseCsv(readFileSync(en, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(enRows[1]!.Figure).toBe('Overrun (%)');
    expect(Number(enRows[1]!.Mean)).toBe(Number((summary[1]!.mean * 100).toFixed(1)));
    expect(enRows[0]!['Steering strategy']).toBe(`Frame (rammestyring): ${odd}`);

    const bytesDa = readFileSync(da);
    expect([...bytesDa.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytesDa, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'Styringsmodel',
      'Ydelse',
      'År',
      'Nøgletal',
      'Forløb',
      'Gennemsnit',
      'Standardafvigelse',
      'Monte Carlo-fejl på gennemsnittet',
      'P5',
      'P50',
      'P95',
      'Sandsynlighed for merforbrug (%)',
      'Sandsynlighed for merforbrug over 1 % af vedtaget budget (%)',
      'Sandsynlighed for merforbrug over 5 % af vedtaget budget (%)',
      'Gennemsnit i de værste 5 % af forløbene',
    ]);
    expect(rows).toHaveLength(summary.length);
    const num = (t: string) => Number(t.replace(',', '.'));
    rows.forEach((row, i) => {
      const s = summary[i]!;
      // Strategies by their Danish names, the odd id whole inside its name.
      expect(row.Styringsmodel).toBe(s.strategy === 'activity' ? 'Aktivitetsstyring' : `Rammestyring: ${odd}`);
      expect(row.Ydelse).toBe('Alle ydelser');
      expect(Number(row['År'])).toBe(s.year);
      const pct = s.figure.endsWith('Pct');
      expect(row['Nøgletal']).toMatch(pct ? /\(%\)$/ : /\(kr\.\)$/);
      for (const [col, value] of [
        ['Gennemsnit', s.mean],
        ['P5', s.percentiles[5]!],
        ['P50', s.percentiles[50]!],
        ['P95', s.percentiles[95]!],
        ['Gennemsnit i de værste 5 % af forløbene', s.expectedShortfall],
      ] as const) {
        const text = row[col]!;
        if (pct) {
          expect(text).toMatch(/^-?\d+(,\d)?$/);
          expect(Math.abs(num(text) - value * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
        } else {
          expect(text).toMatch(/^-?\d+$/);
          expect(Math.abs(num(text) - value)).toBeLessThanOrEqual(0.5);
        }
      }
      // Probabilities in percent, to 0.1 point.
      const p0 = row['Sandsynlighed for merforbrug (%)']!;
      expect(p0).toMatch(/^\d{1,3}(,\d)?$/);
      expect(Math.abs(num(p0) - s.exceed[0]! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      const p1 = row['Sandsynlighed for merforbrug over 1 % af vedtaget budget (%)']!;
      if (pct) expect(Math.abs(num(p1) - s.exceed[0.01]! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      else expect(p1).toBe('');
    });
  });

  it("writes the care homes' metrics as CSV, and streaming summaries when asked or when per-path results exceed the memory allowed", async () => {
    const metrics = join(dir, 'metrics.csv');
    const json = join(dir, 'summary.json');
    const run = await cli(
      'run',
      '--preset',
      'lejre-2034',
      '--paths',
      '300',
      '--summary',
      'streaming',
      '--json',
      json,
      '--metrics-csv',
      metrics,
      '--quiet',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain('streaming summaries');
    const summary = JSON.parse(readFileSync(json, 'utf8')) as SummaryResult & { run: { scenarioHash: string } };
    expect(summary.format).toBe('carebudget-summary');
    expect(summary.run.scenarioHash).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    const lines = readFileSync(metrics, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('strategy,service,year,metric,n,mean,sd,mcse,min,max,p5,p50,p95,p_over_0');
    expect(lines).toHaveLength(1 + 7 * 2 * 11);
    const waiting = lines.find((l) => l.startsWith('frame,care-homes,2030,waiting,300,'))!;
    const expected = summarizeMetrics(summary, { metrics: ['care-homes.waiting'] }).find(
      (r) => r.strategy === 'frame' && r.year === 2030,
    )!;
    expect(Number(waiting.split(',')[5])).toBe(expected.mean);
    const rerun = await cli('rerun', json, '--quiet');
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toContain('reproduced bit for bit: every streaming summary equal');
    const auto = await cli('run', homeCareFile, '--memory-mib', '1', '--threads', '2', '--quiet');
    expect(auto.code).toBe(0);
    expect(auto.out).toContain('streaming summaries');
  });

  it('draws a progress bar on a terminal only, and not with --quiet', async () => {
    let drawn = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _enc, done) => ((drawn += String(chunk)), done()) }), {
      isTTY: true,
      columns: 100,
    });
    let err = '';
    const io = { out: () => {}, err: (t: string) => (err += t), isTTY: true, progressStream: terminal };
    expect(await runCli(['run', '--preset', 'lejre-2034', '--paths', '30'], io)).toBe(0);
    expect(drawn).toMatch(/\/30 paths/);
    expect(err).toBe('');
    drawn = '';
    expect(await runCli(['run', '--preset', 'lejre-2034', '--paths', '30', '--quiet'], io)).toBe(0);
    expect(drawn).toBe('');
    // Not a terminal: nothing, whatever the stream.
    expect(await runCli(['run', '--preset', 'lejre-2034', '--paths', '30'], { ...io, isTTY: false })).toBe(0);
    expect(drawn).toBe('');
  });

  it('draws no progress on a pipe, and ends quietly when the reader closes the pipe', async () => {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [main, 'run', '--preset', 'lejre-2034', '--paths', '30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    // Read the first chunk, then close the pipe as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
