import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { resultJSONPieces } from '../../src/simulation/result';
import {
  lejre2034,
  RECORDED_FIGURES,
  ResultError,
  resultFromJSON,
  resultToJSON,
  simulate,
  type SimulationResult,
} from '../../src/index';

/** The bytes of a float64 array, little-endian (this machine's order, checked below). */
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A one-strategy, one-service, one-year result over `values.length` paths, every figure `values`. */
function tiny(values: readonly number[]): SimulationResult {
  const figures = Object.fromEntries(RECORDED_FIGURES.map((f) => [f, Float64Array.from(values)]));
  return {
    format: 'carebudget-result',
    version: 1,
    scenario: { name: 'tiny', baseYear: 2024, seed: 1 },
    years: [2025],
    strategies: [{ id: 'frame', label: 'Frame' }],
    services: [{ id: 'home-care', label: 'Home care', activityUnit: 'hours' }],
    pathStart: 0,
    pathCount: values.length,
    figures: figures as SimulationResult['figures'],
    metrics: { 'home-care.waiting': Float64Array.from(values) },
  };
}

describe('the compact result JSON (base64 float64 arrays)', () => {
  const result = simulate({ ...lejre2034(), paths: 300 });

  it('reads back bit for bit on a seeded run, every figure and metric', () => {
    expect(new Uint8Array(new Float64Array([1]).buffer)[7]).toBe(0x3f); // little-endian machine
    const compact = resultToJSON(result, { compact: true });
    expect(compact.figures.actualCostKr).toMatchObject({ dtype: 'float64' });
    // The text is the array's bytes in standard base64, as Node writes them.
    expect(compact.figures.actualCostKr.base64).toBe(bytes(result.figures.actualCostKr).toString('base64'));
    const back = resultFromJSON(JSON.parse(JSON.stringify(compact)));
    for (const f of RECORDED_FIGURES) expect(bytes(back.figures[f]).equals(bytes(result.figures[f])), f).toBe(true);
    expect(Object.keys(back.metrics)).toEqual(Object.keys(result.metrics));
    for (const [k, v] of Object.entries(result.metrics)) expect(bytes(back.metrics[k]!).equals(bytes(v)), k).toBe(true);
    for (const key of [
      'format',
      'version',
      'scenario',
      'years',
      'strategies',
      'services',
      'pathStart',
      'pathCount',
    ] as const)
      expect(back[key], key).toEqual(result[key]);
    expect(back.pathCount).toBe(300);
  });

  it('is about two thirds of the plain form: 10.7 characters a number', () => {
    const plain = JSON.stringify(resultToJSON(result)).length;
    const compact = JSON.stringify(resultToJSON(result, { compact: true })).length;
    const numbers = [...RECORDED_FIGURES.map((f) => result.figures[f]), ...Object.values(result.metrics)].reduce(
      (a, x) => a + x.length,
      0,
    );
    // Each array of n numbers is ceil(8n / 3) * 4 characters; the rest (names, labels) is small.
    expect(compact / numbers).toBeGreaterThan(10.6);
    expect(compact / numbers).toBeLessThan(10.8);
    // lejre-2034, 300 paths: 69 % (the ratio the docs state).
    expect(compact / plain).toBeGreaterThan(0.64);
    expect(compact / plain).toBeLessThan(0.74);
  });

  it('keeps what a JSON number cannot: −0 and subnormals, bit for bit, for every length of padding', () => {
    const special = [-0, Number.MIN_VALUE, -1e15, 0.1 + 0.2, 5e-324, 1e15, -Number.MIN_VALUE];
    for (const n of [1, 2, 3, 4, 7]) {
      const values = Array.from({ length: n }, (_, i) => special[i % special.length]!);
      const r = tiny(values);
      const back = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON(r, { compact: true }))));
      expect(bytes(back.figures.actualCostKr).equals(bytes(r.figures.actualCostKr)), `${n} paths`).toBe(true);
      expect(bytes(back.metrics['home-care.waiting']!).equals(bytes(r.metrics['home-care.waiting']!))).toBe(true);
      // −0 in the plain form becomes 0: the compact form is the one that keeps it.
      expect(Object.is(back.figures.actualCostKr[0], -0)).toBe(true);
    }
  });

  it('refuses NaN, infinities and magnitudes above 1e15 in either form, as no run writes them', () => {
    for (const bad of [NaN, Infinity, -Infinity, -Number.MAX_VALUE, 2e15]) {
      const json = JSON.parse(JSON.stringify(resultToJSON(tiny([1, bad, 3]), { compact: true })));
      expect(() => resultFromJSON(json), String(bad)).toThrow(/figures\.\w+\[1\]: expected a finite number/);
    }
  });

  it('reads the plain form as before, and both forms mixed in one file', () => {
    const plain = JSON.parse(JSON.stringify(resultToJSON(result)));
    const compact = JSON.parse(JSON.stringify(resultToJSON(result, { compact: true })));
    const mixed = { ...plain, figures: { ...plain.figures, actualCostKr: compact.figures.actualCostKr } };
    for (const json of [plain, mixed]) {
      const back = resultFromJSON(json);
      for (const f of RECORDED_FIGURES) expect(bytes(back.figures[f]).equals(bytes(result.figures[f])), f).toBe(true);
    }
  });

  it('refuses a compact array of the wrong length, alphabet, padding or dtype, naming the field', () => {
    const good = JSON.parse(JSON.stringify(resultToJSON(tiny([1, 2, 3]), { compact: true })));
    const b64 = good.figures.actualCostKr.base64 as string; // 24 bytes: 32 characters, no padding
    const withFigure = (value: unknown) => ({ ...good, figures: { ...good.figures, actualCostKr: value } });
    const cases: [unknown, RegExp][] = [
      [
        { dtype: 'float64', base64: b64.slice(0, 28) },
        /figures\.actualCostKr: expected 32 base64 characters \(3 float64 values\); received 28/,
      ],
      [{ dtype: 'float64', base64: `${b64.slice(0, 31)}!` }, /figures\.actualCostKr: not base64: "!" at character 31/],
      [{ dtype: 'float64', base64: `${b64.slice(0, 31)}=` }, /not base64: "=" at character 31/],
      [{ dtype: 'float64', base64: `é${b64.slice(1)}` }, /not base64: "é" at character 0/],
      [
        { dtype: 'float32', base64: b64 },
        /figures\.actualCostKr: expected an array of 3 numbers or \{ dtype: "float64", base64 \}; received object/,
      ],
      [{ dtype: 'float64' }, /received object/],
      [null, /received null/],
      ['AAAA', /received string/],
      [[1, 2], /expected an array of 3 numbers; received 2/],
    ];
    for (const [value, message] of cases) {
      expect(() => resultFromJSON(withFigure(value))).toThrow(ResultError);
      expect(() => resultFromJSON(withFigure(value))).toThrow(message);
    }
    const badMetric = { ...good, metrics: { 'home-care.waiting': { dtype: 'float64', base64: 'AAAA' } } };
    expect(() => resultFromJSON(badMetric)).toThrow(/metrics\.home-care\.waiting: expected 32 base64 characters/);
    // One value (8 bytes) has one "=" of padding; a padding character in the middle is refused.
    const one = JSON.parse(JSON.stringify(resultToJSON(tiny([2.5]), { compact: true })));
    expect(one.figures.actualCostKr.base64).toBe(Buffer.from(new Float64Array([2.5]).buffer).toString('base64'));
    expect(one.figures.actualCostKr.base64.endsWith('=')).toBe(true);
    const early = { ...one, figures: { ...one.figures, actualCostKr: { dtype: 'float64', base64: 'A=AAAAAAAAA=' } } };
    expect(() => resultFromJSON(early)).toThrow(/not base64: "=" at character 1/);
  });

  it('carebudget rerun reads a compact result file and reproduces it bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebudget-compact-'));
    const cli = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const plainFile = join(dir, 'plain.json');
    const made = await cli(
      'run',
      '--preset',
      'lejre-2034',
      '--paths',
      '60',
      '--json',
      plainFile,
      '--json-form',
      'plain',
      '--quiet',
    );
    expect(made.code, made.err).toBe(0);
    const plainText = JSON.parse(readFileSync(plainFile, 'utf8'));
    expect(Array.isArray(plainText.figures.actualCostKr)).toBe(true);
    const plain = resultFromJSON(plainText);
    const compactFile = join(dir, 'compact.json');
    writeFileSync(compactFile, JSON.stringify(resultToJSON(plain, { compact: true })));
    const again = await cli('rerun', compactFile, '--threads', '1', '--quiet');
    expect(again.code, again.err).toBe(0);
    expect(again.err).toBe('');
    expect(again.out).toMatch(/reproduced bit for bit/);
  });

  it('carebudget run --json writes the compact form by default, the same numbers as --json-form plain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebudget-compact-'));
    const run = async (...extra: string[]) => {
      let err = '';
      const file = join(dir, `${extra.join('') || 'default'}.json`);
      const argv = ['run', '--preset', 'slagelse-homecare', '--paths', '40', '--json', file, '--quiet', ...extra];
      const code = await runCli(argv, { out: () => {}, err: (t) => (err += t) });
      expect(code, err).toBe(0);
      return readFileSync(file, 'utf8');
    };
    const compactText = await run();
    const plainText = await run('--json-form', 'plain');
    expect(JSON.parse(compactText).figures.actualCostKr).toMatchObject({ dtype: 'float64' });
    expect(compactText.length / plainText.length).toBeLessThan(0.8);
    const a = resultFromJSON(JSON.parse(compactText));
    const b = resultFromJSON(JSON.parse(plainText));
    for (const f of RECORDED_FIGURES) expect(bytes(a.figures[f]).equals(bytes(b.figures[f])), f).toBe(true);
    let err = '';
    const code = await runCli(['run', '--preset', 'slagelse-homecare', '--json-form', 'binary', '--quiet'], {
      out: () => {},
      err: (t) => (err += t),
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--json-form.*binary/);
  });
});

describe('the result JSON written in pieces', () => {
  it('joins to the same data as resultToJSON in either form, across slices of 65,535 numbers', () => {
    // 150,001 paths: two whole slices and a remainder, and a byte count that needs padding.
    const values = Array.from({ length: 150_001 }, (_, i) => (i % 7 === 0 ? -0 : Math.sin(i) * 1e9));
    const r = tiny(values);
    for (const compact of [false, true]) {
      const joined = JSON.parse([...resultJSONPieces(r, { compact })].join(''));
      expect(joined, `compact ${compact}`).toEqual(JSON.parse(JSON.stringify(resultToJSON(r, { compact }))));
    }
    const back = resultFromJSON(JSON.parse([...resultJSONPieces(r, { compact: true })].join('')));
    for (const f of RECORDED_FIGURES) expect(bytes(back.figures[f]).equals(bytes(r.figures[f])), f).toBe(true);
  });
});
