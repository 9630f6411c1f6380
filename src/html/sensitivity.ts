import { format as formatDate, isValid } from 'date-fns';
import { da as daLocale, enGB } from 'date-fns/locale';
import { VERSION } from '../version';
import { estimatorText, levelPercent } from '../sensitivity/text';
import type { RankSensitivity, SobolSensitivity, TornadoSensitivity, TwoLevelSensitivity } from '../sensitivity/run';
import { attributionChart, rankCorrelationChart, sobolChart, tornadoChart, twoLevelChart } from '../charts/sensitivity';
import type { ChartSpec } from '../charts/specs';
import { checkLocale, strategyName, type ChartLocale } from '../charts/locale';
import { OptionError } from '../errors';
import { escapeHtml, page, toSvg } from './render';

/** Any sensitivity analysis the report draws. @category Report */
export type AnySensitivity = SobolSensitivity | TornadoSensitivity | RankSensitivity | TwoLevelSensitivity;

/** Options of {@link renderSensitivityReport}. @category Report */
export interface SensitivityReportOptions {
  /** Language of the page and its charts (default `"en"`). */
  readonly locale?: ChartLocale;
  /** Title of the page (default: the question and the scenario's name). */
  readonly title?: string;
  /** When the report was made, shown on the page (default now). */
  readonly generatedAt?: Date;
}

/** The built-in input groups' names in words. */
const GROUP_NAMES: Record<ChartLocale, Readonly<Record<string, string>>> = {
  en: {
    demography: 'demography',
    'use-rates': 'use rates',
    intensity: 'hours per recipient',
    productivity: 'productivity',
    prices: 'prices and wages',
    providers: "providers' market shares",
    'care-home-flows': 'care-home flows',
    'specialised-cases': 'specialised cases',
    interventions: "interventions' effects",
  },
  da: {
    demography: 'demografi',
    'use-rates': 'modtagerandele',
    intensity: 'timer pr. modtager',
    productivity: 'produktivitet',
    prices: 'priser og lønninger',
    providers: 'leverandørernes markedsandele',
    'care-home-flows': 'plejeboligforløb',
    'specialised-cases': 'specialområdets sager',
    interventions: 'indsatsernes effekt',
  },
};

const TEXT = {
  en: {
    title: 'Which driver makes the deviation',
    made: 'Made',
    with: 'with carebudget',
    design: 'How it is estimated',
    reading: 'Reading',
    charts: 'Charts',
    notes: 'Notes',
    attribution:
      'The share of the variance of the figure that each input group explains, year by year; the grey band is what the shares leave: interactions among three or more groups, and estimation error.',
    indices: (y: number, level: string) => `First-order and total Sobol' indices in ${y}, with ${level} % intervals.`,
    tornado: (s: string, y: number) =>
      `Tornado, ${s}, ${y}: the figure's median with each input at its low and high percentile, the others at their medians.`,
    rank: (y: number, level: string) =>
      `Spearman rank correlations of the inputs with the figure in ${y}, with ${level} % intervals.`,
    twoLevel:
      "The share of each year's variance from the structural parameters (drawn once per outer draw) and from year-to-year variability.",
    sobolReading: (
      strategy: string,
      first: number,
      gFirst: string,
      sFirst: number,
      last: number,
      gLast: string,
      sLast: number,
    ) =>
      `Under ${strategy}, ${gFirst} explains the largest share of the deviation's variance in ${first} (${pct(sFirst)}), and ${gLast} in ${last} (${pct(sLast)}).`,
    tornadoReading: (strategy: string, year: number, input: string, low: string, high: string) =>
      `Under ${strategy}, ${input} swings the median most in ${year}: from ${low} at its low percentile to ${high} at its high one.`,
    rankReading: (strategy: string, year: number, input: string, rho: number) =>
      `Under ${strategy}, ${input} is the scalar input most closely ranked with the figure in ${year} (Spearman ${rho.toFixed(2)}).`,
    twoLevelReading: (strategy: string, first: number, a: number, last: number, b: number) =>
      `Under ${strategy}, structural parameters carry ${pct(a)} of the variance in ${first} and ${pct(b)} in ${last}; the rest is year-to-year variability.`,
  },
  da: {
    title: 'Hvilken driver giver afvigelsen',
    made: 'Lavet',
    with: 'med carebudget',
    design: 'Sådan er det beregnet',
    reading: 'Læsning',
    charts: 'Figurer',
    notes: 'Bemærkninger',
    attribution:
      'Andelen af variansen i tallet, som hver gruppe af input forklarer, år for år; det grå bånd er resten: samspil mellem tre eller flere grupper og usikkerhed i beregningen.',
    indices: (y: number, level: string) =>
      `Sobol-indeks af første orden og totale indeks i ${y} med ${level} %-intervaller.`,
    tornado: (s: string, y: number) =>
      `Tornado, ${s}, ${y}: tallets median med hvert input ved sin lave og høje percentil, de andre ved deres median.`,
    rank: (y: number, level: string) =>
      `Spearmans rangkorrelation mellem input og tallet i ${y} med ${level} %-intervaller.`,
    twoLevel:
      'Andelen af hvert års varians fra de strukturelle parametre (trukket én gang pr. ydre træk) og fra variationen fra år til år.',
    sobolReading: (
      strategy: string,
      first: number,
      gFirst: string,
      sFirst: number,
      last: number,
      gLast: string,
      sLast: number,
    ) =>
      `Under ${strategy} forklarer ${gFirst} den største andel af afvigelsens varians i ${first} (${pct(sFirst, 'da')}) og ${gLast} i ${last} (${pct(sLast, 'da')}).`,
    tornadoReading: (strategy: string, year: number, input: string, low: string, high: string) =>
      `Under ${strategy} flytter ${input} medianen mest i ${year}: fra ${low} ved den lave percentil til ${high} ved den høje.`,
    rankReading: (strategy: string, year: number, input: string, rho: number) =>
      `Under ${strategy} er ${input} det input, der rangmæssigt hænger tættest sammen med tallet i ${year} (Spearman ${rho.toFixed(2).replace('.', ',')}).`,
    twoLevelReading: (strategy: string, first: number, a: number, last: number, b: number) =>
      `Under ${strategy} bærer de strukturelle parametre ${pct(a, 'da')} af variansen i ${first} og ${pct(b, 'da')} i ${last}; resten er variation fra år til år.`,
  },
} as const;

function pct(x: number, locale: ChartLocale = 'en'): string {
  return new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(x);
}

function number(x: number, locale: ChartLocale): string {
  return new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', { maximumSignificantDigits: 3 }).format(x);
}

function maxBy<T>(items: readonly T[], key: (t: T) => number): T {
  return items.reduce((a, b) => (key(b) > key(a) ? b : a));
}

/**
 * Renders a sensitivity analysis as a self-contained HTML page: the reading in words, how it is
 * estimated, its charts as inline SVG (drawn with vega in Node: no browser, no network) and its
 * notes, in English or Danish.
 *
 * @param s - the result of `sobolSensitivity`, `tornadoSensitivity`, `rankSensitivity` or `twoLevelSensitivity`
 * @param options - locale, title, date
 * @returns the page
 * @throws `OptionError` on a bad option or a result without rows
 * @example
 * ```ts
 * const html = await renderSensitivityReport(sobolSensitivity(lejre2034(), { n: 200 }), { locale: 'da' });
 * html.includes('Hvilken driver giver afvigelsen'); //=> true
 * ```
 * @category Report
 */
export async function renderSensitivityReport(
  s: AnySensitivity,
  options: SensitivityReportOptions = {},
): Promise<string> {
  const locale = checkLocale(options.locale, 'renderSensitivityReport');
  const generatedAt = options.generatedAt ?? new Date();
  if (!(generatedAt instanceof Date) || !isValid(generatedAt))
    throw new OptionError(
      `renderSensitivityReport: generatedAt must be a valid Date; received ${String(generatedAt)}`,
      { option: 'generatedAt', received: generatedAt },
    );
  if (s === null || typeof s !== 'object' || !Array.isArray((s as { rows?: unknown }).rows) || s.rows.length === 0) {
    throw new OptionError('renderSensitivityReport: expected the result of a sensitivity analysis with rows', {
      option: 's',
      received: s,
    });
  }
  const t = TEXT[locale];
  // No prototype: a group or strategy named toString or __proto__ is a label like any other.
  const labels = Object.assign(Object.create(null) as Record<string, string>, GROUP_NAMES[locale]);
  for (const st of s.strategies) labels[st.id] = strategyName(st, locale);
  const name = (id: string) => (Object.hasOwn(labels, id) ? labels[id]! : id);
  const first = s.years[0]!;
  const last = s.years[s.years.length - 1]!;
  const specs: { caption: string; spec: ChartSpec }[] = [];
  const reading: string[] = [];
  const chart = { locale, labels };
  for (const st of s.strategies) {
    const who = locale === 'da' ? name(st.id).toLowerCase() : name(st.id);
    if (s.method === 'sobol') {
      const at = (y: number) =>
        maxBy(
          s.rows.filter((r) => r.strategy === st.id && r.year === y),
          (r) => r.share,
        );
      const a = at(first);
      const b = at(last);
      reading.push(t.sobolReading(who, first, name(a.group), a.share, last, name(b.group), b.share));
    } else if (s.method === 'tornado') {
      const top = s.rows.find((r) => r.strategy === st.id && r.year === last)!;
      reading.push(t.tornadoReading(who, last, top.input, number(top.low, locale), number(top.high, locale)));
      specs.push({
        caption: t.tornado(name(st.id), last),
        spec: tornadoChart(s.rows, { ...chart, strategy: st.id, year: last }),
      });
    } else if (s.method === 'rank') {
      const rows = s.rows.filter((r) => r.strategy === st.id && r.year === last);
      if (rows.length > 0) {
        const top = maxBy(rows, (r) => Math.abs(r.rho));
        reading.push(t.rankReading(who, last, top.input, top.rho));
      }
    } else {
      const at = (y: number) => s.rows.find((r) => r.strategy === st.id && r.year === y)!;
      reading.push(t.twoLevelReading(who, first, at(first).structural, last, at(last).structural));
    }
  }
  if (s.method === 'sobol') {
    specs.push({ caption: t.attribution, spec: attributionChart(s.rows, chart) });
    specs.push({
      caption: t.indices(last, levelPercent(s.confidence, locale)),
      spec: sobolChart(s.rows, { ...chart, year: last }),
    });
  } else if (s.method === 'rank')
    specs.push({
      caption: t.rank(last, levelPercent(s.confidence, locale)),
      spec: rankCorrelationChart(s.rows, { ...chart, year: last }),
    });
  else if (s.method === 'twoLevel') specs.push({ caption: t.twoLevel, spec: twoLevelChart(s.rows, chart) });
  const charts: string[] = [];
  // One chart at a time: each view is finalised before the next is built.
  for (const c of specs)
    charts.push(
      `<figure class="chart">${await toSvg(c.spec)}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`,
    );
  const title = options.title ?? `${t.title}: ${s.scenario}`;
  const date = formatDate(generatedAt, 'PPP', { locale: locale === 'da' ? daLocale : enGB });
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${date} ${t.with} ${VERSION}: ${s.figure}, ${s.service}, ${s.paths} paths`)}</p>
<h2>${t.reading}</h2>
<section class="reading">${reading.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}</section>
<h2>${t.charts}</h2>
${charts.join('\n')}
<h2>${t.design}</h2>
<p class="note">${escapeHtml(locale === 'da' ? estimatorText(s, 'da') : s.estimator)}</p>
${s.notes.length === 0 ? '' : `<h2>${t.notes}</h2>\n${s.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}`}
`,
  );
}
