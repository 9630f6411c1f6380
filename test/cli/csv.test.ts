import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { runCli } from '../../src/cli/run';
import { RECORDED_FIGURES, resultFromJSON, summarize, summarizeMetrics } from '../../src/index';
import type { Figure } from '../../src/results/values';
import type { RunResult } from '../../src/results/streaming';
import { csvFigureName, csvHeader, csvMetricName, figureName } from '../../src/charts/locale';

/**
 * The readable CSV files of a run speak one language: the Danish form has Danish headers and
 * Danish names in every cell, the English form readable English; the raw form keeps code ids and
 * full precision, byte for byte as before.
 */

const dir = mkdtempSync(join(tmpdir(), 'carebudget-csv-'));

/** A small run of the Lejre preset with three strategies, its CSV files in one form. */
async function run(locale: 'raw' | 'en' | 'da'): Promise<{ summary: string; metrics: string; json: string }> {
  const file = (name: string) => join(dir, `${locale}-${name}`);
  let err = '';
  const code = await runCli(
    [
      'run',
      '--preset',
      'lejre-2034',
      '--paths',
      '150',
      '--strategies',
      'frame,hybrid,activity',
      '--quiet',
      '--csv',
      file('summary.csv'),
      '--metrics-csv',
      file('metrics.csv'),
      '--summary-json',
      file('summary.json'),
      '--json',
      file('result.json'),
      '--csv-locale',
      locale,
    ],
    { out: () => undefined, err: (t) => (err += t) },
  );
  expect(code, err).toBe(0);
  return {
    summary: readFileSync(file('summary.csv'), 'utf8'),
    metrics: readFileSync(file('metrics.csv'), 'utf8'),
    json: readFileSync(file('summary.json'), 'utf8'),
  };
}

/** Each form is made once, when a test first asks for it. */
const made = new Map<string, ReturnType<typeof run>>();
const form = (locale: 'raw' | 'en' | 'da') => made.get(locale) ?? made.set(locale, run(locale)).get(locale)!;
const result = async (): Promise<RunResult> => {
  await form('raw');
  return resultFromJSON(JSON.parse(readFileSync(join(dir, 'raw-result.json'), 'utf8')));
};

const ALL_FIGURES: readonly Figure[] = [
  ...RECORDED_FIGURES,
  'treasuryDeviationKr',
  'providerDeviationKr',
  'treasuryDeviationPct',
  'providerDeviationPct',
  'serviceGapShare',
];

/** Every code id a reader must not meet: strategies, services, figures, metric keys and metric ids. */
function codeIds(r: RunResult): Set<string> {
  const metricKeys = r.format === 'carebudget-result' ? Object.keys(r.metrics) : (r.metricKeys ?? []);
  expect(metricKeys).toContain('care-homes.waiting');
  return new Set(
    [
      'frame',
      'hybrid',
      'activity',
      'home-care',
      'care-homes',
      'specialised',
      'total',
      ...r.strategies.map((s) => s.id),
      ...r.services.map((s) => s.id),
      ...ALL_FIGURES,
      ...metricKeys,
      ...metricKeys.map((k) => k.slice(k.indexOf('.') + 1)),
    ].map((id) => id.toLowerCase()),
  );
}

/** A file read as a reader's spreadsheet reads it: header and rows of cells. */
function table(text: string, locale: 'en' | 'da'): { header: string[]; rows: string[][] } {
  if (locale === 'da') expect(text.startsWith('\ufeff')).toBe(true);
  const all = parseCsv(text, { bom: true, delimiter: locale === 'da' ? ';' : ',' }) as string[][];
  expect(all.length).toBeGreaterThan(10);
  return { header: all[0]!, rows: all.slice(1) };
}

/** The distinct values of a column, in order of first appearance. */
const distinct = (t: { rows: string[][] }, column: number) => [...new Set(t.rows.map((r) => r[column]!))];

const ENGLISH = [
  'strategy',
  'service',
  'year',
  'figure',
  'mean',
  'median',
  'deviation',
  'treasury',
  'provider',
  'waiting',
  'paths',
  'probability',
  'overspend',
  'shortfall',
  'share',
  'measure',
  'citizens',
  'places',
  'care',
  'home',
  'all ',
];

/** A code-like word: camelCase (`treasuryDeviationKr`), kebab-case (`care-homes`) or a dotted key. */
const CODE_LIKE = /^[a-z]+([A-Z][a-z0-9]*)+$|^[a-z0-9]+(-[a-z0-9]+)+$|^[\w-]+\.[\w-]+$/;

/** Numbers as the form writes them, and never a negative zero. */
function expectNumbers(t: { rows: string[][] }, from: number, locale: 'en' | 'da'): void {
  const number = locale === 'da' ? /^-?\d+(,\d+)?$/ : /^-?\d+(\.\d+)?$/;
  for (const row of t.rows)
    for (const cell of row.slice(from)) {
      if (cell === '') continue;
      expect(cell, row.join('|')).toMatch(number);
      expect(cell, row.join('|')).not.toMatch(/^-0([.,]0*)?$/);
    }
}

describe('the Danish CSV files', () => {
  it('have Danish headers: no English word, no code id', async () => {
    const ids = codeIds(await result());
    const { summary, metrics } = await form('da');
    for (const text of [summary, metrics]) {
      const { header } = table(text, 'da');
      for (const h of header) {
        expect(ids.has(h.toLowerCase()), h).toBe(false);
        for (const word of ENGLISH) expect(h.toLowerCase(), `header "${h}"`).not.toContain(word);
      }
    }
    expect(table(summary, 'da').header.slice(0, 5)).toEqual(['Styringsmodel', 'Ydelse', 'År', 'Nøgletal', 'Forløb']);
    expect(table(metrics, 'da').header[3]).toBe('Mål');
  });

  it('name strategies, services, figures and measures in Danish, as the report does', async () => {
    const ids = codeIds(await result());
    const { summary, metrics } = await form('da');
    const s = table(summary, 'da');
    const m = table(metrics, 'da');
    for (const t of [s, m])
      for (const row of t.rows)
        for (const cell of row) {
          expect(ids.has(cell.toLowerCase()), `cell "${cell}" in ${row.join('|')}`).toBe(false);
          expect(cell, row.join('|')).not.toMatch(CODE_LIKE);
        }
    for (const t of [s, m]) {
      expect(distinct(t, 0)).toEqual(['Rammestyring', 'Hybrid (ramme med aktivitetskorridor)', 'Aktivitetsstyring']);
      for (const name of [...distinct(t, 1), ...distinct(t, 3)])
        for (const word of ENGLISH) expect(name.toLowerCase(), `name "${name}"`).not.toContain(word);
    }
    expect(distinct(s, 1)).toEqual(['Alle ydelser']);
    expect(distinct(s, 3)).toEqual([
      'Merforbrug (kr.)',
      'Merforbrug (%)',
      'Kassens andel (kr.)',
      'Kassens andel (%)',
      'Udførerens andel (kr.)',
      'Udførerens andel (%)',
    ]);
    expect(distinct(m, 1)).toEqual(['Plejeboliger']);
    expect(distinct(m, 3)).toContain('Borgere på venteliste');
    expect(distinct(m, 3)).toContain('Belægning af egne pladser (%)');
  });

  it('write numbers with a decimal comma, never -0, and percentages under a (%) header', async () => {
    const r = await result();
    const { summary, metrics } = await form('da');
    const s = table(summary, 'da');
    const m = table(metrics, 'da');
    expectNumbers(s, 4, 'da');
    expectNumbers(m, 4, 'da');
    expect(s.rows.some((row) => row.slice(5).some((c) => c.includes(',')))).toBe(true);
    const num = (t: string) => Number(t.replace(',', '.'));
    // A probability column says (%) and holds percent: 0 to 100, and the values agree with the summary's shares.
    const rows = summarize(r, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
    const pOver = s.header.indexOf('Sandsynlighed for merforbrug (%)');
    expect(pOver).toBeGreaterThan(0);
    rows.forEach((row, i) => {
      const cell = num(s.rows[i]![pOver]!);
      expect(cell).toBeGreaterThanOrEqual(0);
      expect(cell).toBeLessThanOrEqual(100);
      expect(Math.abs(cell - row.exceed[0]! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
    });
    for (const [i, h] of [...s.header.entries(), ...m.header.entries()])
      if (/sandsynlighed|andel/i.test(h)) expect(h, `column ${i}`).toMatch(/\(%\)$/);
    // A share among the measures is in percent too: occupancy of own places is near 100, not near 1.
    const occupancy = m.rows.filter((row) => row[3] === 'Belægning af egne pladser (%)');
    expect(occupancy.length).toBe(3 * r.years.length);
    const mean = m.header.indexOf('Gennemsnit');
    const metric = summarizeMetrics(r, { metrics: ['care-homes.occupancy'] });
    occupancy.forEach((row, i) => expect(Math.abs(num(row[mean]!) - metric[i]!.mean * 100)).toBeLessThanOrEqual(0.05));
  });
});

describe('the English CSV files', () => {
  it('have readable headers and names, no code ids, and never -0', async () => {
    const ids = codeIds(await result());
    const { summary, metrics } = await form('en');
    const s = table(summary, 'en');
    const m = table(metrics, 'en');
    for (const t of [s, m]) {
      for (const h of t.header) {
        expect(ids.has(h.toLowerCase()), h).toBe(false);
        expect(h).not.toMatch(/_/);
      }
      for (const column of [0, 1, 3])
        for (const name of distinct(t, column)) {
          expect(ids.has(name.toLowerCase()), name).toBe(false);
          expect(name).not.toMatch(CODE_LIKE);
        }
      expect(distinct(t, 0)).toEqual([
        'Frame (rammestyring)',
        'Hybrid (frame with activity corridor)',
        'Activity (aktivitetsstyring)',
      ]);
      expectNumbers(t, 4, 'en');
    }
    expect(s.header.slice(0, 4)).toEqual(['Steering strategy', 'Service', 'Year', 'Figure']);
    expect(distinct(s, 1)).toEqual(['All services']);
    expect(distinct(s, 3)).toEqual([
      'Overrun (kr)',
      'Overrun (%)',
      'Treasury’s share (kr)',
      'Treasury’s share (%)',
      'Provider’s share (kr)',
      'Provider’s share (%)',
    ]);
    expect(distinct(m, 3)).toContain('Citizens on the waiting list');
    expect(distinct(m, 3)).toContain('Occupied share of own places (%)');
  });

  it('keep one header per column in both languages, in the same order', async () => {
    const en = table((await form('en')).summary, 'en').header;
    const da = table((await form('da')).summary, 'da').header;
    expect(en).toHaveLength(da.length);
    expect(new Set(en).size).toBe(en.length);
    expect(new Set(da).size).toBe(da.length);
    // The same column is the same column: the percent columns line up.
    expect(en.map((h) => h.endsWith('(%)'))).toEqual(da.map((h) => h.endsWith('(%)')));
  });
});

describe('the raw CSV files', () => {
  /** The raw form as it has always been written: code ids, full precision, empty for no number. */
  const cell = (x: string | number | undefined) =>
    typeof x === 'number' ? (Number.isFinite(x) ? String(x) : '') : (x ?? '');

  it('are byte for byte the raw form: code ids and numbers at full precision', async () => {
    const r = await result();
    const { summary, metrics, json } = await form('raw');
    const rows = summarize(r, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
    const expected = [
      'strategy,service,year,figure,n,mean,sd,mcse,p5,p50,p95,p_over_0,p_over_1pct,p_over_5pct,expected_shortfall_95',
      ...rows.map((x) => {
        const share = x.figure.endsWith('Pct');
        return [
          x.strategy,
          x.service,
          x.year,
          x.figure,
          x.n,
          x.mean,
          x.sd,
          x.mcse,
          x.percentiles[5],
          x.percentiles[50],
          x.percentiles[95],
          x.exceed[0],
          share ? x.exceed[0.01] : '',
          share ? x.exceed[0.05] : '',
          x.expectedShortfall,
        ]
          .map(cell)
          .join(',');
      }),
    ];
    expect(summary).toBe(`${expected.join('\n')}\n`);
    const m = summarizeMetrics(r, { percentiles: [5, 50, 95], thresholds: [0] });
    const expectedMetrics = [
      'strategy,service,year,metric,n,mean,sd,mcse,min,max,p5,p50,p95,p_over_0',
      ...m.map((x) =>
        [
          x.strategy,
          x.metric.slice(0, x.metric.indexOf('.')),
          x.year,
          x.metric.slice(x.metric.indexOf('.') + 1),
          x.n,
          x.mean,
          x.sd,
          x.mcse,
          x.min,
          x.max,
          x.percentiles[5],
          x.percentiles[50],
          x.percentiles[95],
          x.exceed[0],
        ]
          .map(cell)
          .join(','),
      ),
    ];
    expect(metrics).toBe(`${expectedMetrics.join('\n')}\n`);
    expect(summary).toContain('\nframe,total,2024,treasuryDeviationKr,150,');
    expect(metrics).toContain('\nframe,care-homes,2024,waiting,150,');
    // --summary-json keeps the raw columns as keys, whatever the CSV form.
    expect(Object.keys((JSON.parse(json) as object[])[0]!)).toEqual(expected[0]!.split(','));
    expect(json).toBe((await form('da')).json);
  });
});

describe('CSV names', () => {
  it('a figure without a CSV name of its own falls back to its name in words, with its unit', () => {
    const own = ['treasuryDeviationKr', 'providerDeviationKr', 'treasuryDeviationPct', 'providerDeviationPct'];
    for (const figure of ALL_FIGURES.filter((f) => !own.includes(f)))
      for (const locale of ['en', 'da'] as const) {
        const unit = figure.endsWith('Kr')
          ? locale === 'da'
            ? ' (kr.)'
            : ' (kr)'
          : figure.endsWith('Units')
            ? ''
            : ' (%)';
        expect(csvFigureName(figure, locale)).toBe(`${figureName(figure, locale)}${unit}`);
      }
    expect(csvFigureName('actualCostKr', 'da')).toBe('Regnskab (faktisk udgift) (kr.)');
    expect(csvFigureName('serviceGapShare', 'en')).toBe('Service gap (share of needs not ordered) (%)');
    expect(csvFigureName('deliveredUnits', 'da')).toBe('Leveret aktivitet');
    expect(csvFigureName('providerDeviationPct', 'da')).toBe('Udførerens andel (%)');
  });

  it('a measure is named without its service, "(%)" after a share; an unknown one keeps its id', () => {
    expect(csvMetricName('waiting', 'da')).toEqual({ name: 'Borgere på venteliste', share: false });
    expect(csvMetricName('ownShare', 'en')).toEqual({ name: 'Share of cases in own places (%)', share: true });
    expect(csvMetricName('somethingNew', 'da')).toEqual({ name: 'somethingNew', share: false });
    expect(csvHeader('pOverspend', 'da')).toBe('Sandsynlighed for merforbrug (%)');
  });
});
