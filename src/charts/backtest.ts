import type { BacktestQuantity, BacktestResult } from '../fit/backtestTypes';
import { ResultError } from '../simulation/result';
import { common, top, type ChartOptions, type ChartSpec } from './specs';

/** Options of the backtest's charts. @category Charts */
export interface BacktestChartOptions extends ChartOptions {
  /** The quantity (default the result's first). */
  readonly quantity?: BacktestQuantity;
}

const TEXT = {
  en: {
    quantity: {
      recipients: 'Recipients of home care',
      hours: 'Visited hours a week',
      costKr: 'Cost of home care',
    } as Record<BacktestQuantity, string>,
    /** The unit after the name, where the name does not carry it. */
    unit: { recipients: '', hours: '', costKr: 'm kr' } as Record<BacktestQuantity, string>,
    pitTitle: (q: string) => `Where what happened fell in the projection: ${q}`,
    pitSubtitle: [
      'Share of outcomes by PIT (the share of paths below the outcome);',
      'dashed: a calibrated projection, flat at 10 %',
    ],
    pitX: 'PIT: share of paths below what happened',
    pitY: 'Share of outcomes',
    uniform: 'calibrated: 10 % in each bin',
    coverageTitle: 'How often the bands held what happened',
    coverageSubtitle: [
      'Share of outcomes inside the central 50 % and 90 % bands,',
      'by years after the origin; dashed: the nominal share',
    ],
    horizon: 'Years after the origin',
    coverage: 'Share of outcomes inside the band',
    band: 'Band',
    band50: '50 % band',
    band90: '90 % band',
    fanTitle: (q: string) => `Projections from each origin against what happened: ${q}`,
    fanSubtitle: 'bands: P5–P95 and P25–P75, line: median; black: what happened; dashed: the straight-line trend',
    year: 'Year',
    origin: 'Origin',
  },
  da: {
    quantity: {
      recipients: 'Modtagere af hjemmepleje',
      hours: 'Visiterede timer om ugen',
      costKr: 'Udgift til hjemmepleje',
    } as Record<BacktestQuantity, string>,
    unit: { recipients: '', hours: '', costKr: 'mio. kr.' } as Record<BacktestQuantity, string>,
    pitTitle: (q: string) => `Hvor udfaldet faldt i fremskrivningen: ${q}`,
    pitSubtitle: [
      'Andel af udfald efter PIT (andelen af forløb under udfaldet);',
      'stiplet: en kalibreret fremskrivning, flad på 10 %',
    ],
    pitX: 'PIT: andel af forløb under udfaldet',
    pitY: 'Andel af udfald',
    uniform: 'kalibreret: 10 % i hver søjle',
    coverageTitle: 'Hvor ofte båndene rummede udfaldet',
    coverageSubtitle: [
      'Andel af udfald inden for de centrale 50 %- og 90 %-bånd',
      'efter år efter udgangsåret; stiplet: den nominelle andel',
    ],
    horizon: 'År efter udgangsåret',
    coverage: 'Andel af udfald inden for båndet',
    band: 'Bånd',
    band50: '50 %-bånd',
    band90: '90 %-bånd',
    fanTitle: (q: string) => `Fremskrivninger fra hvert udgangsår mod udfaldet: ${q}`,
    fanSubtitle: 'bånd: P5–P95 og P25–P75, linje: median; sort: udfaldet; stiplet: den rette linjes trend',
    year: 'År',
    origin: 'Udgangsår',
  },
} as const;

function quantityOf(result: BacktestResult, options: BacktestChartOptions, where: string): BacktestQuantity {
  const q = options.quantity ?? result.quantities[0];
  if (q === undefined || !result.quantities.includes(q))
    throw new ResultError(
      `${where}: quantity ${JSON.stringify(q)} is not in the backtest; expected one of ${result.quantities.map((x) => `"${x}"`).join(', ')}`,
    );
  return q;
}

/**
 * The PIT histogram of a backtest: for one quantity, the share of outcomes in each tenth of the
 * probability integral transform (where what happened fell among the paths), with the flat line a
 * calibrated projection gives. A U shape means bands too narrow; a hump, too wide; a slope, bias.
 *
 * @param result - from `backtest`
 * @param options - quantity (default the first), locale, size, title
 * @returns a Vega-Lite specification
 * @throws `OptionError` for an unknown locale or size; `ResultError` for a quantity the backtest lacks
 * @example
 * ```ts
 * pitChart(result, { quantity: 'recipients', locale: 'da' });
 * ```
 * @category Charts
 */
export function pitChart(result: BacktestResult, options: BacktestChartOptions = {}): ChartSpec {
  const c = common(options, 'pitChart');
  const t = TEXT[c.locale];
  const q = quantityOf(result, options, 'pitChart');
  const counts = result.pit.find((p) => p.quantity === q)!.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  const values = counts.map((n, i) => ({ from: i / 10, to: (i + 1) / 10, share: total > 0 ? n / total : 0 }));
  return top(c.locale, options.title ?? t.pitTitle(t.quantity[q]), t.pitSubtitle, {
    width: c.width ?? 420,
    height: c.height,
    layer: [
      {
        data: { values },
        mark: { type: 'rect', color: '#4c78a8', stroke: 'white' },
        encoding: {
          x: { field: 'from', type: 'quantitative', title: t.pitX, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          x2: { field: 'to' },
          y: { field: 'share', type: 'quantitative', title: t.pitY, axis: { format: '.0%' } },
          tooltip: [
            { field: 'from', title: 'PIT ≥', format: '.1f' },
            { field: 'share', title: t.pitY, format: '.0%' },
          ],
        },
      },
      {
        data: { values: [{ y: 0.1, label: t.uniform }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
        encoding: { y: { field: 'y', type: 'quantitative' }, tooltip: { field: 'label' } },
      },
    ],
  });
}

/**
 * The coverage of a backtest's bands by horizon: for one quantity, the share of outcomes inside
 * the central 50 % and 90 % bands at each number of years after the origin, against the nominal
 * 50 % and 90 %.
 *
 * @param result - from `backtest`
 * @param options - quantity (default the first), locale, size, title
 * @returns a Vega-Lite specification
 * @throws `OptionError` for an unknown locale or size; `ResultError` for a quantity the backtest lacks
 * @example
 * ```ts
 * coverageChart(result, { quantity: 'hours' });
 * ```
 * @category Charts
 */
export function coverageChart(result: BacktestResult, options: BacktestChartOptions = {}): ChartSpec {
  const c = common(options, 'coverageChart');
  const t = TEXT[c.locale];
  const q = quantityOf(result, options, 'coverageChart');
  const rows = result.summary.filter((s) => s.quantity === q);
  const values = rows.flatMap((s) => [
    { horizon: s.horizon, band: t.band50, coverage: s.coverage50, n: s.n },
    { horizon: s.horizon, band: t.band90, coverage: s.coverage90, n: s.n },
  ]);
  const colour = {
    field: 'band',
    type: 'nominal',
    title: t.band,
    scale: { domain: [t.band50, t.band90], range: ['#f58518', '#4c78a8'] },
  };
  return top(c.locale, options.title ?? `${t.coverageTitle}: ${t.quantity[q]}`, t.coverageSubtitle, {
    width: c.width ?? 420,
    height: c.height,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'horizon', type: 'ordinal', title: t.horizon, axis: { labelAngle: 0 } },
          y: {
            field: 'coverage',
            type: 'quantitative',
            title: t.coverage,
            scale: { domain: [0, 1] },
            axis: { format: '.0%' },
          },
          color: colour,
          tooltip: [
            { field: 'horizon', title: t.horizon },
            { field: 'band', title: t.band },
            { field: 'coverage', title: t.coverage, format: '.0%' },
            { field: 'n', title: 'n' },
          ],
        },
      },
      {
        data: {
          values: [
            { band: t.band50, y: 0.5 },
            { band: t.band90, y: 0.9 },
          ],
        },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: { y: { field: 'y', type: 'quantitative' }, color: colour },
      },
    ],
  });
}

/**
 * A backtest's projections against what happened: one panel per origin, the P5–P95 and P25–P75
 * bands and the median of the projected years, what happened as a black line through the history
 * and the projected years, and the straight-line trend a spreadsheet would draw, dashed.
 *
 * @param result - from `backtest`
 * @param history - what happened, by year (the quantity's realised values, history included)
 * @param options - quantity (default the first), locale, size, title
 * @returns a Vega-Lite specification
 * @throws `OptionError` for an unknown locale or size; `ResultError` for a quantity the backtest lacks
 * @example
 * ```ts
 * backtestFanChart(result, { 2016: 410, 2017: 415 }, { quantity: 'recipients' });
 * ```
 * @category Charts
 */
export function backtestFanChart(
  result: BacktestResult,
  history: Readonly<Record<string, number>>,
  options: BacktestChartOptions = {},
): ChartSpec {
  const c = common(options, 'backtestFanChart');
  const t = TEXT[c.locale];
  const q = quantityOf(result, options, 'backtestFanChart');
  const rows = result.rows.filter((r) => r.quantity === q);
  const years = Object.keys(history)
    .map(Number)
    .sort((a, b) => a - b);
  const realised = result.origins.flatMap((origin) =>
    years.filter((y) => y <= origin + result.horizon).map((y) => ({ origin, year: y, value: history[String(y)]! })),
  );
  const last = new Map(realised.filter((r) => r.year === r.origin).map((r) => [r.origin, r.value]));
  // The bands start at the origin's realised value, so each fan grows out of the history.
  const fan = [
    ...result.origins.flatMap((origin) => {
      const v = last.get(origin);
      return v === undefined ? [] : [{ origin, year: origin, p5: v, p25: v, p50: v, p75: v, p95: v, trend: v }];
    }),
    ...rows.map((r) => ({
      origin: r.origin,
      year: r.year,
      p5: r.p5,
      p25: r.p25,
      p50: r.p50,
      p75: r.p75,
      p95: r.p95,
      trend: r.trend,
    })),
  ];
  const x = { field: 'year', type: 'quantitative', title: t.year, axis: { format: 'd', tickMinStep: 1 } };
  // Recipients and hours a week carry their unit in the name; the cost has it in brackets.
  const y = {
    type: 'quantitative',
    title: t.unit[q] === '' ? t.quantity[q] : `${t.quantity[q]} (${t.unit[q]})`,
    scale: { zero: false },
    // The cost in kr, labelled in millions.
    ...(q === 'costKr' ? { axis: { labelExpr: "format(datum.value / 1e6, ',.0f')" } } : {}),
  };
  // One dataset for the facet (a facet splits the top-level data), each layer filtering its kind.
  const values = [...fan.map((f) => ({ kind: 'fan', ...f })), ...realised.map((r) => ({ kind: 'real', ...r }))];
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return top(c.locale, options.title ?? t.fanTitle(t.quantity[q]), t.fanSubtitle, {
    data: { values },
    facet: { field: 'origin', type: 'ordinal', title: t.origin },
    columns: 3,
    spec: {
      width: c.width ?? 220,
      height: c.height,
      layer: [
        {
          transform: only('fan'),
          mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
          encoding: { x, y: { ...y, field: 'p5' }, y2: { field: 'p95' } },
        },
        {
          transform: only('fan'),
          mark: { type: 'area', opacity: 0.35, color: '#4c78a8' },
          encoding: { x, y: { ...y, field: 'p25' }, y2: { field: 'p75' } },
        },
        {
          transform: only('fan'),
          mark: { type: 'line', color: '#4c78a8' },
          encoding: { x, y: { ...y, field: 'p50' } },
        },
        {
          transform: only('fan'),
          mark: { type: 'line', color: '#e45756', strokeDash: [5, 3] },
          encoding: { x, y: { ...y, field: 'trend' } },
        },
        {
          transform: only('real'),
          mark: { type: 'line', color: 'black', point: { size: 12, color: 'black' } },
          encoding: { x, y: { ...y, field: 'value' } },
        },
      ],
    },
    resolve: { scale: { y: 'shared' } },
  });
}
