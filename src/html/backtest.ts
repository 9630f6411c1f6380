import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { da as daLocale } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import { VERSION } from '../version';
import type { BacktestQuantity, BacktestResult, BacktestRow, BacktestSummaryRow } from '../fit/backtestTypes';
import type { HomeCareHistory } from '../scenario/series';
import { backtestFanChart, coverageChart, pitChart } from '../charts/backtest';
import { checkLocale, type ChartLocale } from '../charts/locale';
import { ResultError } from '../simulation/result';
import { OptionError } from '../errors';
import { escapeHtml, page, toSvg } from './render';

/** Options of {@link renderBacktestReport}. @category Report */
export interface BacktestReportOptions {
  /** Language of the page, its charts and its number and date formats (default `"en"`). */
  readonly locale?: ChartLocale;
  /** Title of the page (default "carebudget: how well home care's projection held"). */
  readonly title?: string;
  /** When the report was made, shown on the page (default now). */
  readonly generatedAt?: Date;
  /**
   * The accounts' cost by year in kr, as given to `backtest`, drawn as what happened in the cost's
   * fan chart (default: the realised costs of the result's rows, the projected years only).
   */
  readonly costs?: Readonly<Record<string, number>>;
}

const TEXT = {
  en: {
    title: 'carebudget: how well the projection of home care held',
    made: 'Made',
    with: 'with carebudget',
    question: (origins: string, horizon: number) =>
      `Would the projection have caught what happened? For each origin year (${origins}) home care was fitted on the history up to it and projected ${horizon === 1 ? 'one year' : `${horizon} years`} ahead with the population that came; the projections are scored against the recipients and visited hours that followed.`,
    answer: 'The answer in brief',
    quantity: { recipients: 'recipients', hours: 'visited hours a week', costKr: 'the cost' } as Record<
      BacktestQuantity,
      string
    >,
    Quantity: {
      recipients: 'Recipients',
      hours: 'Visited hours a week',
      costKr: 'Cost of home care (m kr)',
    } as Record<BacktestQuantity, string>,
    unit: { recipients: 'recipients', hours: 'hours a week', costKr: 'm kr' } as Record<BacktestQuantity, string>,
    coverage: (n: number, ahead: string, shares: string) =>
      `Over ${n === 1 ? 'one origin' : `${n} origins`}, ${ahead}, 90 % of the outcomes should lie in the 90 % bands; ${shares} did.`,
    ahead: (h: number) => (h === 1 ? 'one year ahead' : `${h} years ahead`),
    shareOf: (share: string, q: string) => `${share} of ${q}`,
    inner: (shares: string) => `In the 50 % bands, where half should lie: ${shares}.`,
    crps: (parts: string) => `The projection's CRPS is ${parts}.`,
    crpsPart: (crps: string, trend: string, unit: string, first: boolean) =>
      first ? `${crps} ${unit} against the straight line's error of ${trend}` : `${crps} ${unit} against ${trend}`,
    better: (parts: string) => `The projection misses by less than the straight line for ${parts}.`,
    worse: (parts: string) => `The straight line misses by less than the projection for ${parts}.`,
    byPct: (q: string, pct: string) => `${q} (by ${pct})`,
    allHorizons: (h: number, parts: string) =>
      `Over 1 to ${h} years ahead together, the 90 % bands held what happened in ${parts}.`,
    allPart: (share: string, q: string, first: boolean) => `${share}${first ? ' of cases' : ''} for ${q}`,
    and: 'and',
    summary: 'Scores by years ahead',
    summaryCaption:
      'Coverage: the share of outcomes inside the central band. CRPS: the continuous ranked probability score, the projection’s error in the quantity’s unit (lower is better). The straight line: the trend through each origin’s history, its absolute error.',
    head: {
      quantity: 'Quantity',
      horizon: 'Years ahead',
      n: 'Outcomes',
      c50: 'Coverage, 50 % band',
      c90: 'Coverage, 90 % band',
      crps: 'CRPS',
      trend: 'Straight line’s error',
    },
    charts: 'Charts',
    pitTitle: 'Where what happened fell among the paths',
    coverageTitle: 'How often the bands held what happened',
    pitCaption:
      'Where each outcome fell among the paths, in tenths; a calibrated projection is flat at 10 %. Few outcomes: read the shape, not single bars.',
    coverageCaption:
      'The share of outcomes inside the 50 % and 90 % bands, by years after the origin; dashed: the share they should hold.',
    fanCaption:
      'One panel per origin: the 90 % and 50 % bands and the median of the projection, what happened (black) and the straight line (dashed red).',
    read: 'How to read it',
    reading: [
      'A calibrated projection gives a flat PIT histogram (each tenth holds about 10 % of the outcomes) and coverage near the nominal 50 % and 90 %.',
      'A U-shaped PIT histogram, with outcomes piled at the ends, and coverage below nominal mean bands too narrow: the projection is surer than it should be.',
      'A hump in the middle and coverage above nominal mean bands too wide.',
      'A slope (outcomes piled at one end) means bias: the projection runs too high when outcomes pile at the low end, too low when they pile at the high end.',
      'The CRPS is the projection’s error in the quantity’s own unit, counting the whole spread of the paths; for a single number it is the absolute error, so it compares directly with the straight line’s error. Lower is better.',
      'With a handful of origins each share rests on few outcomes: one outcome more or less moves it by many points.',
    ],
    rows: 'Every projected year',
    rowsCaption: (paths: string) => `Projections on ${paths} paths; the band is P5–P95`,
    rowHead: {
      origin: 'Origin',
      year: 'Year',
      horizon: 'Years ahead',
      quantity: 'Quantity',
      realised: 'What happened',
      median: 'Median',
      band: '90 % band',
      pit: 'PIT',
      in50: 'In 50 %',
      in90: 'In 90 %',
      crps: 'CRPS',
      trend: 'Straight line',
      trendError: 'Its error',
    },
    yes: 'yes',
    no: 'no',
    record: 'The backtest',
    origins: 'Origins',
    horizon: 'Years projected after each origin',
    paths: 'Paths per projection',
    seed: 'Seed',
    version: 'Library version',
  },
  da: {
    title: 'carebudget: hvor godt fremskrivningen af hjemmeplejen holdt',
    made: 'Lavet',
    with: 'med carebudget',
    question: (origins: string, horizon: number) =>
      `Ville fremskrivningen have fanget det, der skete? For hvert udgangsår (${origins}) er hjemmeplejen tilpasset historikken til og med udgangsåret og fremskrevet ${horizon === 1 ? 'ét år' : `${horizon} år`} frem med den befolkning, der kom; fremskrivningerne er holdt op mod de modtagere og visiterede timer, der fulgte.`,
    answer: 'Svaret kort',
    quantity: { recipients: 'modtagerne', hours: 'de visiterede timer om ugen', costKr: 'udgiften' } as Record<
      BacktestQuantity,
      string
    >,
    Quantity: {
      recipients: 'Modtagere',
      hours: 'Visiterede timer om ugen',
      costKr: 'Udgift til hjemmepleje (mio. kr.)',
    } as Record<BacktestQuantity, string>,
    unit: { recipients: 'modtagere', hours: 'timer om ugen', costKr: 'mio. kr.' } as Record<BacktestQuantity, string>,
    coverage: (n: number, ahead: string, shares: string) =>
      `På tværs af ${n === 1 ? 'ét udgangsår' : `${n} udgangsår`}, ${ahead}, burde 90 % af udfaldene ligge i 90 %-båndene; det gjorde ${shares}.`,
    ahead: (h: number) => (h === 1 ? 'ét år frem' : `${h} år frem`),
    shareOf: (share: string, q: string) => `${share} af ${q}`,
    inner: (shares: string) => `I 50 %-båndene, hvor halvdelen burde ligge: ${shares}.`,
    crps: (parts: string) => `Fremskrivningens CRPS er ${parts}.`,
    crpsPart: (crps: string, trend: string, unit: string, first: boolean) =>
      first ? `${crps} ${unit} mod den rette linjes fejl på ${trend}` : `${crps} ${unit} mod ${trend}`,
    better: (parts: string) => `Fremskrivningen rammer tættere end den rette linje for ${parts}.`,
    worse: (parts: string) => `Den rette linje rammer tættere end fremskrivningen for ${parts}.`,
    byPct: (q: string, pct: string) => `${q} (med ${pct})`,
    allHorizons: (h: number, parts: string) =>
      `Over 1 til ${h} år frem under ét rummede 90 %-båndene udfaldet i ${parts}.`,
    allPart: (share: string, q: string, first: boolean) => `${share}${first ? ' af tilfældene' : ''} for ${q}`,
    and: 'og',
    summary: 'Træfsikkerhed efter antal år frem',
    summaryCaption:
      'Dækning: andelen af udfald inden for det centrale bånd. CRPS: fremskrivningens fejl i størrelsens egen enhed, hele spredningen medregnet (lavere er bedre). Den rette linje: trenden gennem hvert udgangsårs historik, dens absolutte fejl.',
    head: {
      quantity: 'Størrelse',
      horizon: 'År frem',
      n: 'Udfald',
      c50: 'Dækning, 50 %-bånd',
      c90: 'Dækning, 90 %-bånd',
      crps: 'CRPS',
      trend: 'Den rette linjes fejl',
    },
    charts: 'Figurer',
    pitTitle: 'Hvor udfaldet faldt blandt forløbene',
    coverageTitle: 'Hvor ofte båndene rummede udfaldet',
    pitCaption:
      'Hvor hvert udfald faldt blandt forløbene, i tiendedele; en kalibreret fremskrivning er flad på 10 %. Få udfald: læs formen, ikke den enkelte søjle.',
    coverageCaption:
      'Andelen af udfald inden for 50 %- og 90 %-båndene efter år efter udgangsåret; stiplet: den andel, de burde rumme.',
    fanCaption:
      'Ét panel pr. udgangsår: fremskrivningens 90 %- og 50 %-bånd og median, det, der skete (sort), og den rette linje (stiplet rød).',
    read: 'Sådan læses det',
    reading: [
      'En kalibreret fremskrivning giver et fladt PIT-histogram (hver tiendedel rummer omkring 10 % af udfaldene) og en dækning nær de nominelle 50 % og 90 %.',
      'Et U-formet PIT-histogram, med udfaldene samlet i enderne, og en dækning under det nominelle betyder for smalle bånd: fremskrivningen er mere sikker, end den burde være.',
      'En pukkel i midten og en dækning over det nominelle betyder for brede bånd.',
      'En hældning (udfaldene samlet i den ene ende) betyder skævhed: fremskrivningen ligger for højt, når udfaldene samles i den lave ende, og for lavt, når de samles i den høje.',
      'CRPS er fremskrivningens fejl i størrelsens egen enhed, hvor hele spredningen af forløbene tæller med; for et enkelt tal er den den absolutte fejl, så den kan sammenlignes direkte med den rette linjes fejl. Lavere er bedre.',
      'Med en håndfuld udgangsår hviler hver andel på få udfald: ét udfald mere eller mindre flytter den mange procentpoint.',
    ],
    rows: 'Hvert fremskrevet år',
    rowsCaption: (paths: string) => `Fremskrivninger på ${paths} forløb; båndet er P5–P95`,
    rowHead: {
      origin: 'Udgangsår',
      year: 'År',
      horizon: 'År frem',
      quantity: 'Størrelse',
      realised: 'Udfald',
      median: 'Median',
      band: '90 %-bånd',
      pit: 'PIT',
      in50: 'I 50 %',
      in90: 'I 90 %',
      crps: 'CRPS',
      trend: 'Ret linje',
      trendError: 'Dens fejl',
    },
    yes: 'ja',
    no: 'nej',
    record: 'Tilbagetesten',
    origins: 'Udgangsår',
    horizon: 'År fremskrevet efter hvert udgangsår',
    paths: 'Forløb pr. fremskrivning',
    seed: 'Frø (seed)',
    version: 'Biblioteksversion',
  },
} as const;

type Text = (typeof TEXT)[ChartLocale];

function formats(locale: ChartLocale) {
  const tag = locale === 'da' ? 'da-DK' : 'en-GB';
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  /** A value of a quantity: whole numbers from 100, one decimal below. */
  const value = (x: number) => (Math.abs(x) >= 100 ? int.format(x) : one.format(x));
  return {
    int: (x: number) => int.format(x),
    value,
    /** A value of a quantity as shown: the cost in millions of kroner (one decimal), the others as `value`. */
    of: (quantity: BacktestQuantity, x: number) => (quantity === 'costKr' ? one.format(x / 1e6) : value(x)),
    two: (x: number) => two.format(x),
    /** A share in whole per cent, with a space before the sign in both languages. */
    pct: (x: number) => `${int.format(Math.round(x * 100))} %`,
    date: (d: Date) => formatDate(d, 'PPP', { locale: locale === 'da' ? daLocale : enGB }),
  };
}

type Formats = ReturnType<typeof formats>;

/** Joins phrases: "a", "a and b", "a, b and c". */
function joinAnd(parts: readonly string[], t: Text): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${t.and} ${parts[parts.length - 1]!}`;
}

/** A history table's total in a year: the group `total` when it has one, else the sum of the groups. */
function totalOf(series: Readonly<Record<string, Readonly<Record<string, number>>>>, year: string): number | undefined {
  const t = series.total?.[year];
  if (t !== undefined) return t;
  let s = 0;
  for (const [g, byYear] of Object.entries(series)) {
    if (g === 'total') continue;
    const v = byYear[year];
    if (v === undefined) return undefined;
    s += v;
  }
  return s;
}

/**
 * What happened, by year, for one quantity: the history's totals over its groups, or for the cost
 * the accounts given, else the realised costs of the rows.
 */
function realisedByYear(
  result: BacktestResult,
  history: HomeCareHistory,
  quantity: BacktestQuantity,
  costs: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  if (quantity === 'costKr') {
    if (costs !== undefined) return { ...costs };
    const out: Record<string, number> = {};
    for (const r of result.rows) if (r.quantity === 'costKr') out[String(r.year)] = r.realised;
    return out;
  }
  const table = quantity === 'recipients' ? history.recipients : history.hours;
  if (table === undefined)
    throw new ResultError('renderBacktestReport: the history has no visited hours, but the backtest scored hours');
  const years = new Set<string>();
  for (const g of Object.values(table)) for (const y of Object.keys(g)) years.add(y);
  const out: Record<string, number> = {};
  for (const y of [...years].sort()) {
    const v = totalOf(table, y);
    if (v !== undefined) out[y] = v;
  }
  return out;
}

/** The coverage of one band over the rows of one quantity (all horizons, or one). */
function share(rows: readonly BacktestRow[], band: 'in50' | 'in90'): number {
  return rows.length === 0 ? NaN : rows.filter((r) => r[band]).length / rows.length;
}

/**
 * The headline in words, from the result: the 90 % and 50 % bands' coverage one year ahead (the
 * next budget year), the CRPS beside the straight line's error, which misses by less, and the
 * 90 % coverage over every horizon together.
 */
function headline(result: BacktestResult, locale: ChartLocale, f: Formats): string[] {
  const t = TEXT[locale];
  const first = (q: BacktestQuantity) => result.summary.find((s) => s.quantity === q && s.horizon === 1);
  const scored = result.quantities.filter((q) => first(q) !== undefined);
  const at = scored.map((q) => first(q)!);
  const shares = (band: 'coverage50' | 'coverage90') =>
    joinAnd(
      at.map((s) => t.shareOf(f.pct(s[band]), t.quantity[s.quantity])),
      t,
    );
  const lines = [
    t.coverage(result.origins.length, t.ahead(1), shares('coverage90')),
    t.inner(shares('coverage50')),
    t.crps(
      joinAnd(
        at.map((s, i) =>
          t.crpsPart(f.of(s.quantity, s.crps), f.of(s.quantity, s.trendError), t.unit[s.quantity], i === 0),
        ),
        t,
      ),
    ),
  ];
  const rel = (s: BacktestSummaryRow) => t.byPct(t.quantity[s.quantity], f.pct(Math.abs(1 - s.crps / s.trendError)));
  const better = at.filter((s) => s.crps < s.trendError);
  const worse = at.filter((s) => s.crps >= s.trendError && s.trendError > 0);
  if (better.length > 0) lines.push(t.better(joinAnd(better.map(rel), t)));
  if (worse.length > 0) lines.push(t.worse(joinAnd(worse.map(rel), t)));
  if (result.horizon > 1)
    lines.push(
      t.allHorizons(
        result.horizon,
        joinAnd(
          scored.map((q, i) =>
            t.allPart(
              f.pct(
                share(
                  result.rows.filter((r) => r.quantity === q),
                  'in90',
                ),
              ),
              t.quantity[q],
              i === 0,
            ),
          ),
          t,
        ),
      ),
    );
  return lines;
}

function summaryTable(result: BacktestResult, t: Text, f: Formats): string {
  const h = t.head;
  const head = [h.quantity, h.horizon, h.n, h.c50, h.c90, h.crps, h.trend];
  const rows = result.summary.map((s, i) => {
    const firstOfQuantity = i === 0 || result.summary[i - 1]!.quantity !== s.quantity;
    const cells = [
      f.int(s.horizon),
      f.int(s.n),
      f.pct(s.coverage50),
      f.pct(s.coverage90),
      f.of(s.quantity, s.crps),
      f.of(s.quantity, s.trendError),
    ];
    return `<tr${firstOfQuantity ? ' class="first"' : ''}><th scope="row">${firstOfQuantity ? escapeHtml(`${t.Quantity[s.quantity]}`) : ''}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="summary headline"><caption>${escapeHtml(t.summary)}</caption>
<thead><tr>${head.map((x) => `<th>${escapeHtml(x)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p class="note">${escapeHtml(t.summaryCaption)}</p>`;
}

function rowsTable(result: BacktestResult, t: Text, f: Formats): string {
  const h = t.rowHead;
  const head = [
    h.quantity,
    h.origin,
    h.year,
    h.horizon,
    h.realised,
    h.median,
    h.band,
    h.pit,
    h.in50,
    h.in90,
    h.crps,
    h.trend,
    h.trendError,
  ];
  const yes = (b: boolean) => (b ? t.yes : t.no);
  const rows = result.rows.map((r) => {
    const cells = [
      String(r.origin),
      String(r.year),
      f.int(r.horizon),
      f.of(r.quantity, r.realised),
      f.of(r.quantity, r.p50),
      `${f.of(r.quantity, r.p5)}–${f.of(r.quantity, r.p95)}`,
      f.two(r.pit),
      yes(r.in50),
      yes(r.in90),
      f.of(r.quantity, r.crps),
      f.of(r.quantity, r.trend),
      f.of(r.quantity, r.trendError),
    ];
    return `<tr><th scope="row">${escapeHtml(t.Quantity[r.quantity])}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="summary rows"><caption>${escapeHtml(t.rowsCaption(f.int(result.paths)))}</caption>
<thead><tr>${head.map((x, i) => `<th${i === 0 ? ' style="text-align: left;"' : ''}>${escapeHtml(x)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * Renders a self-contained HTML report of a `backtest`: the question in words, a headline a
 * finance committee can read (how often the 90 % and 50 % bands held what happened one year
 * ahead, the projection's CRPS beside the straight line's error, and the coverage over every
 * horizon), the scores by years ahead, the charts per quantity ({@link pitChart},
 * {@link coverageChart} and {@link backtestFanChart}, drawn to inline SVG with vega in Node), how
 * to read them, and every projected year. English or Danish; nothing outside the page is fetched.
 *
 * @param result - from `backtest`
 * @param history - the history the backtest ran on (what happened, drawn in the fan charts)
 * @param options - locale, title and the date shown
 * @returns the HTML page
 * @throws `OptionError` for an unknown locale or an invalid date; {@link ResultError} for a
 *   result without scored outcomes, or a history without the hours the result scored
 * @example
 * ```ts
 * const r = backtest(undefined, history, { origins: [2016, 2017, 2018], horizon: 3, paths: 500 });
 * const html = await renderBacktestReport(r, history, { locale: 'da' });
 * ```
 * @category Report
 */
export async function renderBacktestReport(
  result: BacktestResult,
  history: HomeCareHistory,
  options: BacktestReportOptions = {},
): Promise<string> {
  const locale = checkLocale(options.locale, 'renderBacktestReport');
  const generatedAt = options.generatedAt ?? new Date();
  if (!(generatedAt instanceof Date) || !isValid(generatedAt))
    throw new OptionError(`renderBacktestReport: generatedAt must be a valid Date; received ${String(generatedAt)}`, {
      option: 'generatedAt',
      received: generatedAt,
    });
  if (result.rows.length === 0 || result.summary.length === 0)
    throw new ResultError('renderBacktestReport: the backtest scored no outcomes (its rows are empty)');
  const t = TEXT[locale];
  const f = formats(locale);

  const charts: string[] = [];
  for (const quantity of result.quantities) {
    if (!result.rows.some((r) => r.quantity === quantity)) continue;
    const realised = realisedByYear(result, history, quantity, options.costs);
    // The two small charts side by side, each scaled to its half of the row.
    const half = (svg: string) => svg.replace(/^<svg /, '<svg style="width: 100%; height: auto;" ');
    const [pit, coverage, fan] = await Promise.all([
      toSvg(pitChart(result, { quantity, locale, width: 360, title: t.pitTitle })),
      toSvg(coverageChart(result, { quantity, locale, width: 300, title: t.coverageTitle })),
      toSvg(backtestFanChart(result, realised, { quantity, locale })),
    ]);
    charts.push(`<h3>${escapeHtml(t.Quantity[quantity])}</h3>
<div class="pair" style="display: flex; gap: 8px 32px; align-items: flex-start;">
<figure class="chart" id="chart-pit-${quantity}" style="margin-top: 6px; flex: 1 1 0; min-width: 0;">${half(pit)}<figcaption style="max-width: 54ch;">${escapeHtml(t.pitCaption)}</figcaption></figure>
<figure class="chart" id="chart-coverage-${quantity}" style="margin-top: 6px; flex: 1 1 0; min-width: 0;">${half(coverage)}<figcaption style="max-width: 54ch;">${escapeHtml(t.coverageCaption)}</figcaption></figure>
</div>
<figure class="chart" id="chart-fan-${quantity}">${fan}<figcaption>${escapeHtml(t.fanCaption)}</figcaption></figure>`);
  }

  const cell = (k: string, value: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(value)}</td></tr>`;
  const record = `<table class="inputs"><tbody>
${cell(t.origins, result.origins.join(', '))}
${cell(t.horizon, f.int(result.horizon))}
${cell(t.paths, f.int(result.paths))}
${cell(t.seed, String(result.seed))}
${cell(t.version, VERSION)}
</tbody></table>`;

  const title = options.title ?? t.title;
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${f.date(generatedAt)} ${t.with} ${VERSION}`)}</p>
<p class="question">${escapeHtml(t.question(result.origins.join(', '), result.horizon))}</p>
<h2>${escapeHtml(t.answer)}</h2>
<section class="answer">
${headline(result, locale, f)
  .map((line, i) => `<p${i === 0 ? ' class="headline"' : ''}>${escapeHtml(line)}</p>`)
  .join('\n')}
</section>
${summaryTable(result, t, f)}
<h2>${escapeHtml(t.read)}</h2>
<section class="reading">
${t.reading.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</section>
<h2>${escapeHtml(t.charts)}</h2>
${charts.join('\n')}
<h2>${escapeHtml(t.rows)}</h2>
${rowsTable(result, t, f)}
<h2>${escapeHtml(t.record)}</h2>
${record}
`,
  );
}
