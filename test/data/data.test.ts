import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { tableFromIPC } from 'apache-arrow';
import {
  figureValues,
  lejre2034,
  metricValues,
  parseScenario,
  RECORDED_FIGURES,
  runRecord,
  simulate,
  VERSION,
} from '../../src/index';
import { resultToArrow, resultToParquet } from '../../src/data/index';
import { runCli } from '../../src/cli/run';

const toArrayBuffer = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('per-path results as Arrow and Parquet (carebudget/data)', () => {
  const scenario = parseScenario({ ...lejre2034(), paths: 60 });
  const plain = simulate(scenario);
  const result = {
    ...plain,
    run: runRecord(
      scenario,
      plain.strategies.map((s) => s.id),
    ),
  };

  it('a Parquet file in wide form reads back in an independent reader (hyparquet) equal to figureValues, value by value, with the run in its metadata', async () => {
    const bytes = resultToParquet(result);
    const file = toArrayBuffer(bytes);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows).toHaveLength(2 * 2 * 11 * 60);
    expect(Object.keys(rows[0]!)).toEqual(['strategy', 'service', 'year', 'path', ...RECORDED_FIGURES]);
    let compared = 0;
    for (const strategy of result.strategies) {
      for (const service of result.services) {
        for (const year of result.years) {
          const mine = rows.filter((r) => r.strategy === strategy.id && r.service === service.id && r.year === year);
          expect(mine.map((r) => r.path)).toEqual(Array.from({ length: 60 }, (_v, i) => i));
          for (const f of RECORDED_FIGURES) {
            const expected = figureValues(result, { strategy: strategy.id, service: service.id, year, figure: f });
            mine.forEach((r, i) =>
              expect(Object.is(r[f], expected[i]), `${strategy.id} ${service.id} ${year} ${f} ${i}`).toBe(true),
            );
            compared += mine.length;
          }
        }
      }
    }
    expect(compared).toBe(RECORDED_FIGURES.length * rows.length);
    const meta = Object.fromEntries((parquetMetadata(file).key_value_metadata ?? []).map((kv) => [kv.key, kv.value]));
    expect(meta['carebudget.version']).toBe(VERSION);
    expect(meta['carebudget.seed']).toBe('2034');
    expect(meta['carebudget.form']).toBe('wide');
    expect(JSON.parse(meta['carebudget.scenario']!)).toEqual(JSON.parse(JSON.stringify(scenario)));
    expect(meta['carebudget.scenarioHash']).toBe(result.run.scenarioHash);
  });

  it('the long form holds every figure and metric, one value a row, equal to figureValues and metricValues', async () => {
    const rows = (await parquetReadObjects({ file: toArrayBuffer(resultToParquet(result, { form: 'long' })) })) as {
      strategy: string;
      service: string;
      year: number;
      path: number;
      figure: string;
      value: number;
    }[];
    const metricKeys = Object.keys(result.metrics);
    expect(rows).toHaveLength(RECORDED_FIGURES.length * 2 * 2 * 11 * 60 + metricKeys.length * 2 * 11 * 60);
    const index = new Map(rows.map((r) => [`${r.strategy}|${r.service}|${r.year}|${r.path}|${r.figure}`, r.value]));
    expect(index.size).toBe(rows.length);
    for (const s of result.strategies) {
      for (const year of [2024, 2030, 2034]) {
        for (const v of result.services) {
          for (const f of RECORDED_FIGURES)
            figureValues(result, { strategy: s.id, service: v.id, year, figure: f }).forEach((x, i) =>
              expect(Object.is(index.get(`${s.id}|${v.id}|${year}|${i}|${f}`), x)).toBe(true),
            );
        }
        for (const key of metricKeys) {
          const [service, metric] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
          metricValues(result, { strategy: s.id, year, metric: key }).forEach((x, i) =>
            expect(Object.is(index.get(`${s.id}|${service}|${year}|${i}|${metric}`), x)).toBe(true),
          );
        }
      }
    }
  });

  it("the Arrow table shares the result's memory: figure columns in wide form, the value column in long form", () => {
    const wide = resultToArrow(result);
    for (const f of RECORDED_FIGURES) {
      const column = wide.getChild(f)!;
      expect(column.data).toHaveLength(1);
      expect(column.data[0]!.values.buffer).toBe(result.figures[f].buffer);
      expect(column.data[0]!.values.byteOffset).toBe(result.figures[f].byteOffset);
    }
    expect(wide.getChild('strategy')!.get(0)).toBe('frame');
    expect(wide.schema.metadata.get('carebudget.scenarioHash')).toBe(result.run.scenarioHash);
    const long = resultToArrow(result, { form: 'long' });
    expect(long.getChild('value')!.data[0]!.values.buffer).toBe(result.figures.adoptedBudgetKr.buffer);
    expect(() => resultToArrow(result, { form: 'tall' as 'wide' })).toThrow(
      'form must be "wide" or "long"; received "tall"',
    );
  });

  it('carebudget run --parquet --arrow writes both files; they read back equal to the JSON result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebudget-data-'));
    let err = '';
    const code = await runCli(
      [
        'run',
        '--preset',
        'lejre-2034',
        '--paths',
        '40',
        '--out',
        dir,
        '--parquet',
        'paths.parquet',
        '--arrow',
        'paths.arrow',
        '--data-form',
        'long',
        '--quiet',
      ],
      { out: () => {}, err: (t) => (err += t) },
    );
    expect(code, err).toBe(0);
    const direct = simulate({ ...lejre2034(), paths: 40 });
    const arrow = tableFromIPC(readFileSync(join(dir, 'paths.arrow')));
    expect(arrow.schema.metadata.get('carebudget.form')).toBe('long');
    const values = arrow.getChild('value')!.toArray() as Float64Array;
    const size = direct.figures.actualCostKr.length;
    RECORDED_FIGURES.forEach((f, k) =>
      expect(
        Buffer.from(values.buffer, values.byteOffset + k * size * 8, size * 8).equals(
          Buffer.from(direct.figures[f].buffer, direct.figures[f].byteOffset, size * 8),
        ),
        f,
      ).toBe(true),
    );
    const parquet = (await parquetReadObjects({ file: toArrayBuffer(readFileSync(join(dir, 'paths.parquet'))) })) as {
      value: number;
    }[];
    expect(parquet.map((r) => r.value)).toEqual(Array.from(values));
  });
});
