import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  attributionChart,
  deriveStream,
  normalSampler,
  OptionError,
  rankCorrelation,
  rankCorrelationChart,
  sobolChart,
  sobolIndices,
  sobolRows,
  streamKey,
  tornadoChart,
  twoLevelChart,
  twoLevelVariance,
  type ChartSpec,
  type RankCorrelationRow,
  type SensitivityIndexRow,
  type TornadoRow,
  type TwoLevelRow,
} from '../../src/index';

type Row = Record<string, unknown>;
const valuesOf = (spec: ChartSpec): Row[] => (spec.data as { values: Row[] }).values;
const z = normalSampler(0, 1);

/** Sobol' rows of y = w_d·x_d + w_p·x_p + x_d·x_p for two strategies and three years, weights shifting over the years. */
function indexRows(): SensitivityIndexRow[] {
  const n = 400;
  const rows: SensitivityIndexRow[] = [];
  for (const [s, strategy] of ['frame', 'activity'].entries()) {
    for (const [t, year] of [2026, 2030, 2034].entries()) {
      const wd = 1 + t;
      const wp = 3 - t + s;
      const f = (d: number, p: number) => wd * d + wp * p + 0.5 * d * p;
      const fA = new Float64Array(n);
      const fB = new Float64Array(n);
      const fAB = [new Float64Array(n), new Float64Array(n)];
      for (let j = 0; j < n; j++) {
        const ra = deriveStream(streamKey(year, 'A'), j);
        const rb = deriveStream(streamKey(year, 'B'), j);
        const [ad, ap, bd, bp] = [z(ra), z(ra), z(rb), z(rb)];
        fA[j] = f(ad, ap);
        fB[j] = f(bd, bp);
        fAB[0]![j] = f(bd, ap);
        fAB[1]![j] = f(ad, bp);
      }
      rows.push(...sobolRows(strategy, year, ['demography', 'prices'], sobolIndices(fA, fB, fAB, { bootstrap: 100 })));
    }
  }
  return rows;
}

const sobol = indexRows();
const tornado: TornadoRow[] = [
  {
    strategy: 'frame',
    year: 2034,
    input: 'wage drift',
    group: 'prices',
    base: 1.2,
    low: 0.4,
    high: 2.1,
    inputLow: 0.002,
    inputHigh: 0.011,
  },
  {
    strategy: 'frame',
    year: 2034,
    input: 'use rate trend',
    group: 'use rates',
    base: 1.2,
    low: -1.5,
    high: 4.0,
    inputLow: -0.02,
    inputHigh: 0.01,
  },
  {
    strategy: 'frame',
    year: 2034,
    input: 'hours per recipient',
    group: 'intensity',
    base: 1.2,
    low: 1.0,
    high: 1.5,
    inputLow: 5.1,
    inputHigh: 6.3,
  },
  {
    strategy: 'activity',
    year: 2034,
    input: 'wage drift',
    group: 'prices',
    base: 0.1,
    low: 0,
    high: 0.3,
    inputLow: 0.002,
    inputHigh: 0.011,
  },
  {
    strategy: 'frame',
    year: 2030,
    input: 'wage drift',
    group: 'prices',
    base: 0.5,
    low: 0.2,
    high: 0.9,
    inputLow: 0.002,
    inputHigh: 0.011,
  },
];
const rank: RankCorrelationRow[] = (() => {
  const n = 300;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const rng = deriveStream(streamKey(1, 'rank'), j);
    x[j] = z(rng);
    y[j] = 0.7 * x[j]! + z(rng);
  }
  const r = rankCorrelation(x, y, { bootstrap: 100 });
  const q = rankCorrelation(
    x,
    y.map((v) => -v),
    { bootstrap: 100 },
  );
  return [
    { strategy: 'frame', year: 2034, input: 'wage drift', group: 'prices', rho: r.estimate, low: r.low, high: r.high },
    {
      strategy: 'frame',
      year: 2034,
      input: 'mortality',
      group: 'demography',
      rho: q.estimate / 2,
      low: q.low / 2,
      high: q.high / 2,
    },
    {
      strategy: 'activity',
      year: 2034,
      input: 'wage drift',
      group: 'prices',
      rho: r.estimate / 3,
      low: r.low / 3,
      high: r.high / 3,
    },
  ];
})();
const twoLevel: TwoLevelRow[] = [2026, 2030, 2034].map((year, t) => {
  const outer = 40;
  const inner = 20;
  const values = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const mu = (1 + t) * z(deriveStream(streamKey(year, 'outer'), o));
    const rng = deriveStream(streamKey(year, 'inner'), o);
    for (let w = 0; w < inner; w++) values[o * inner + w] = mu + z(rng);
  }
  const e = twoLevelVariance(values, outer, inner, { bootstrap: 100 });
  return {
    strategy: 'frame',
    year,
    structural: e.structural.estimate,
    structuralLow: e.structural.low,
    structuralHigh: e.structural.high,
    within: e.within.estimate,
    withinLow: e.within.low,
    withinHigh: e.within.high,
    sd: Math.sqrt(e.variance),
  };
});

const charts = {
  attributionChart: () => (o: { locale: 'da' | 'en' }) => attributionChart(sobol, o),
  sobolChart: () => (o: { locale: 'da' | 'en' }) => sobolChart(sobol, o),
  tornadoChart: () => (o: { locale: 'da' | 'en' }) => tornadoChart(tornado, o),
  rankCorrelationChart: () => (o: { locale: 'da' | 'en' }) => rankCorrelationChart(rank, o),
  twoLevelChart: () => (o: { locale: 'da' | 'en' }) => twoLevelChart(twoLevel, o),
};

/** Every mark of a compiled Vega spec, nested groups included. */
function marks(node: { marks?: unknown[] }): { type: string }[] {
  return (node.marks ?? []).flatMap((m) => [m as { type: string }, ...marks(m as { marks?: unknown[] })]);
}

describe('sensitivity charts', () => {
  for (const locale of ['da', 'en'] as const) {
    for (const [name, make] of Object.entries(charts)) {
      it(`${name} (${locale}) compiles with vega-lite, its data in the spec, numbers finite, the number locale set`, () => {
        const spec = make()({ locale });
        expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
        const vega = compile(spec as unknown as TopLevelSpec).spec;
        const source = vega.data?.find((d) => d.name === 'source_0') as { values?: Row[] } | undefined;
        expect(source?.values).toEqual(valuesOf(spec));
        expect(valuesOf(spec).length).toBeGreaterThan(0);
        for (const row of valuesOf(spec))
          for (const v of Object.values(row)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        const drawn = marks(vega as { marks?: unknown[] }).map((m) => m.type);
        expect(drawn.some((t) => ['rect', 'rule', 'symbol'].includes(t))).toBe(true);
        expect((vega.config as { locale?: { number?: { decimal?: string } } }).locale?.number?.decimal).toBe(
          locale === 'da' ? ',' : '.',
        );
      });
    }
  }

  it('attribution: every row in the data as given, plus one residual per strategy and year equal to 1 − Σ shares, grey and last', () => {
    const spec = attributionChart(sobol, {
      locale: 'da',
      labels: { demography: 'Demografi', prices: 'Priser og lønninger' },
    });
    const values = valuesOf(spec);
    for (const row of sobol) {
      const v = values.find((x) => x.strategy === row.strategy && x.year === row.year && x.group === row.group)!;
      for (const [key, value] of Object.entries(row)) expect(v[key]).toBe(value);
      // Drawn as estimated where the clipped shares leave room; scaled to 100 % where they do not.
      const cell = sobol.filter((x) => x.strategy === row.strategy && x.year === row.year);
      const sum = cell.reduce((a, x) => a + Math.max(0, x.share), 0);
      expect(v.stack).toBeCloseTo(Math.max(0, row.share) / Math.max(1, sum), 10);
    }
    const residuals = values.filter((v) => v.group === 'residual');
    expect(residuals).toHaveLength(6);
    for (const r of residuals) {
      const sum = sobol.filter((x) => x.strategy === r.strategy && x.year === r.year).reduce((a, x) => a + x.share, 0);
      expect(r.share).toBeCloseTo(1 - sum, 10);
      expect(r.groupLabel).toBe('samspil og usikkerhed');
    }
    const color = ((spec.spec as Row).encoding as Record<string, { scale?: { domain: string[]; range: string[] } }>)
      .color!.scale!;
    expect(color.domain).toEqual(['Demografi', 'Priser og lønninger', 'samspil og usikkerhed']);
    expect(color.range[2]).toBe('#d0d0d0');
    expect((spec.facet as { sort: string[] }).sort).toEqual(['Rammestyring', 'Aktivitetsstyring']);
    expect((spec.title as { text: string }).text).toBe(
      'Hvilken drivkraft skaber afvigelsen: andel af variansen pr. år',
    );
    const en = attributionChart(sobol);
    expect(valuesOf(en).find((v) => v.group === 'residual')!.groupLabel).toBe('interactions and error');
    expect((en.facet as { sort: string[] }).sort).toEqual(['frame', 'activity']);
  });

  it('attribution: a negative share is drawn as 0, shares above 100 % are scaled down to it, and the subtitle says so', () => {
    const base = sobol[0]!;
    const rows = [
      { ...base, group: 'a', share: 0.9 },
      { ...base, group: 'b', share: 0.4 },
      { ...base, group: 'c', share: -0.02 },
    ];
    const spec = attributionChart(rows);
    const values = valuesOf(spec);
    expect(values.find((v) => v.group === 'c')!.stack).toBe(0);
    expect(values.find((v) => v.group === 'a')!.stack).toBeCloseTo(0.9 / 1.3, 10);
    expect(values.find((v) => v.group === 'b')!.stack).toBeCloseTo(0.4 / 1.3, 10);
    // The estimates stay in the data (and the tooltip); only what is drawn is capped.
    expect(values.find((v) => v.group === 'a')!.share).toBe(0.9);
    expect(values.find((v) => v.group === 'residual')).toMatchObject({
      share: Number((1 - 1.28).toPrecision(12)),
      stack: 0,
    });
    const total = values.reduce((a, v) => a + (v.stack as number), 0);
    expect(total).toBeCloseTo(1, 10);
    const y = ((spec.spec as Row).encoding as Record<string, { scale?: { domain: number[] } }>).y!.scale!.domain;
    expect(y).toEqual([0, 1]);
    const subtitle = (spec.title as { subtitle: string[] }).subtitle.join(' ');
    expect(subtitle).toContain('Negative estimates drawn as 0');
    expect(subtitle).toContain('scaled down to 100%');
    const da = (attributionChart(rows, { locale: 'da' }).title as { subtitle: string[] }).subtitle.join(' ');
    expect(da).toContain('Negative estimater tegnes som 0');
    expect(da).toContain('skaleres de ned til 100\u00a0%');
  });

  it("sobol: the chosen year's first-order and total indices with their intervals, the last year by default", () => {
    const spec = sobolChart(sobol);
    const values = valuesOf(spec);
    const last = sobol.filter((r) => r.year === 2034);
    expect(values).toHaveLength(last.length * 2);
    for (const r of last) {
      expect(values.find((v) => v.strategy === r.strategy && v.group === r.group && v.index === 'first')).toMatchObject(
        { estimate: r.first, low: r.firstLow, high: r.firstHigh, year: 2034 },
      );
      expect(values.find((v) => v.strategy === r.strategy && v.group === r.group && v.index === 'total')).toMatchObject(
        { estimate: r.total, low: r.totalLow, high: r.totalHigh },
      );
    }
    expect(valuesOf(sobolChart(sobol, { year: 2026 })).every((v) => v.year === 2026)).toBe(true);
    expect((sobolChart(sobol, { locale: 'da' }).title as { text: string }).text).toBe('Sobol-indeks, 2034');
    expect(() => sobolChart(sobol, { year: 2029 })).toThrow(
      "sobolChart: year must be one of the rows' years (2026, 2030, 2034); received 2029",
    );
  });

  it('tornado: one strategy and year, rows as given, sorted by swing, the base as a rule', () => {
    const spec = tornadoChart(tornado);
    const values = valuesOf(spec);
    expect(values.map((v) => v.input)).toEqual(['use rate trend', 'wage drift', 'hours per recipient']);
    for (const v of values) {
      const row = tornado.find((r) => r.strategy === 'frame' && r.year === 2034 && r.input === v.input)!;
      for (const [key, value] of Object.entries(row)) expect(v[key]).toBe(value);
      expect(v.swing).toBeCloseTo(Math.abs(row.high - row.low), 10);
    }
    const layers = spec.layer as {
      mark: { type: string };
      encoding: { x: { field?: string; datum?: number }; x2?: { field: string } };
    }[];
    expect(layers.map((l) => [l.mark.type, l.encoding.x.field ?? l.encoding.x.datum, l.encoding.x2?.field])).toEqual([
      ['bar', 'low', 'base'],
      ['bar', 'high', 'base'],
      ['rule', 1.2, undefined],
    ]);
    expect(valuesOf(tornadoChart(tornado, { year: 2030 }))).toHaveLength(1);
    expect(valuesOf(tornadoChart(tornado, { strategy: 'activity' }))[0]!.base).toBe(0.1);
    expect((tornadoChart(tornado, { locale: 'da' }).title as { text: string }).text).toBe(
      'Tornado: Rammestyring, 2034',
    );
    expect(() => tornadoChart(tornado, { strategy: 'hybrid' })).toThrow(
      `tornadoChart: strategy must be one of the rows' strategies (frame, activity); received "hybrid"`,
    );
  });

  it("tornado: the output in the figure's unit, the inputs by name with their P10 to P90 in their own units", () => {
    const row = { strategy: 'frame', year: 2034, group: 'intensity', base: 0.465 };
    const rows: TornadoRow[] = [
      { ...row, input: 'home-care.hoursTrendPerYear', low: 0.436, high: 0.495, inputLow: -0.00641, inputHigh: 0.00641 },
      { ...row, input: 'home-care.userTimeShare', low: 0.47, high: 0.46, inputLow: 0.5848, inputHigh: 0.6152 },
      { ...row, input: 'my-service.someParameter', low: 0.45, high: 0.47, inputLow: 12.5, inputHigh: 14 },
    ];
    const pct = (locale: 'en' | 'da') => tornadoChart(rows, { locale, figure: 'treasuryDeviationPct' });
    const axis = (spec: ChartSpec) =>
      (spec.layer as { encoding: { x: { title: string; axis: { format: string } } } }[])[0]!.encoding.x;
    expect(axis(pct('en'))).toMatchObject({ title: 'Overrun, median (%)', axis: { format: '.1~%' } });
    expect(axis(pct('da')).title).toBe('Merforbrug, median (%)');
    // Danish percentages with a non-breaking space before the sign.
    expect((pct('da').config as { locale: { number: { percent: string } } }).locale.number.percent).toBe('\u00a0%');
    const labels = (spec: ChartSpec) => valuesOf(spec).map((v) => v.inputLabel);
    expect(labels(pct('en'))).toEqual([
      'Home care: trend in hours per recipient\n−0.6% to +0.6% a year',
      // An input it does not know: its id, whole, and plain numbers.
      'my-service.someParameter\n12.5 to 14',
      'Home care: share of paid time with citizens\n58.5% to 61.5%',
    ]);
    expect(labels(pct('da'))[0]).toBe(
      'Hjemmepleje: udvikling i timer pr. modtager\n−0,6\u00a0% til +0,6\u00a0% pr. år',
    );
    // Kr in millions, with the unit in the axis title.
    const kr = tornadoChart(
      rows.map((r) => ({ ...r, base: 2e6, low: 1.5e6, high: 3.25e6 })),
      { locale: 'da', figure: 'treasuryDeviationKr' },
    );
    expect(axis(kr)).toMatchObject({ title: 'Merforbrug, median (mio. kr.)', axis: { format: ',.1f' } });
    expect(valuesOf(kr)[0]).toMatchObject({ base: 2, low: 1.5, high: 3.25 });
  });

  it('rank correlations: the rows of the year as given, inputs sorted by |ρ|, on −1 to 1', () => {
    const spec = rankCorrelationChart(rank);
    const values = valuesOf(spec);
    expect(values).toHaveLength(3);
    rank.forEach((r, i) => {
      for (const [key, value] of Object.entries(r)) expect(values[i]![key]).toBe(value);
    });
    const layers = (
      spec.spec as { layer: { encoding: { y?: { sort: unknown }; x: { scale: { domain: number[] } } } }[] }
    ).layer;
    // Sorted by a number per input (a list of names would reach vega's expressions).
    expect(layers[0]!.encoding.y!.sort).toEqual({ field: 'inputOrder', op: 'min' });
    const order = (spec.data as { values: { inputLabel: string; inputOrder: number }[] }).values;
    expect(
      [...new Map(order.map((v) => [v.inputOrder, v.inputLabel])).entries()]
        .sort((a, b) => a[0] - b[0])
        .map((e) => e[1]),
    ).toEqual(['wage drift', 'mortality']);
    expect(layers[0]!.encoding.x.scale.domain).toEqual([-1, 1]);
    expect(rank[0]!.rho).toBeGreaterThan(0.4);
  });

  it('two levels: per row the structural and the within share with intervals and the standard deviation', () => {
    const values = valuesOf(twoLevelChart(twoLevel));
    expect(values).toHaveLength(6);
    for (const r of twoLevel) {
      expect(values.find((v) => v.year === r.year && v.level === 'structural')).toMatchObject({
        share: r.structural,
        low: r.structuralLow,
        high: r.structuralHigh,
        sd: r.sd,
      });
      expect(values.find((v) => v.year === r.year && v.level === 'within')).toMatchObject({
        share: r.within,
        low: r.withinLow,
        high: r.withinHigh,
        sd: r.sd,
      });
    }
    // The model's structural part grows over the years.
    expect(twoLevel[2]!.structural).toBeGreaterThan(twoLevel[0]!.structural);
    expect(valuesOf(twoLevelChart(twoLevel, { locale: 'da' }))[0]!.levelLabel).toBe(
      'Strukturelle parametre (mellem ydre træk)',
    );
  });

  it('empty input, a NaN in a row, a bad locale or size: a clear OptionError naming it', () => {
    for (const [name, chart] of [
      ['attributionChart', attributionChart],
      ['sobolChart', sobolChart],
      ['tornadoChart', tornadoChart],
      ['rankCorrelationChart', rankCorrelationChart],
      ['twoLevelChart', twoLevelChart],
    ] as const) {
      expect(() => (chart as (rows: readonly never[]) => ChartSpec)([])).toThrow(
        `${name}: rows must hold at least one row; received none`,
      );
      expect(() => (chart as (rows: readonly never[]) => ChartSpec)([])).toThrow(OptionError);
    }
    expect(() => attributionChart([{ ...sobol[0]!, share: NaN }])).toThrow(
      'attributionChart: rows[0].share must be a finite number; received NaN',
    );
    expect(() => twoLevelChart(twoLevel, { locale: 'de' as 'da' })).toThrow(
      'twoLevelChart: locale must be "da" or "en"; received "de"',
    );
    expect(() => sobolChart(sobol, { width: 5 })).toThrow(
      'sobolChart: width must be a number of pixels from 20 to 5000; received 5',
    );
  });
});
