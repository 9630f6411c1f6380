import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { da as daLocale } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import { VERSION } from '../version';
import { estimatorText, levelPercent, listText, noteText } from '../sensitivity/text';
import type { RankSensitivity, SobolSensitivity, TornadoSensitivity, TwoLevelSensitivity } from '../sensitivity/run';
import type { Figure } from '../results/values';
import { attributionChart, rankCorrelationChart, sobolChart, tornadoChart, twoLevelChart } from '../charts/sensitivity';
import type { ChartSpec } from '../charts/specs';
import {
  checkLocale,
  displayUnit,
  figureName,
  figureShortName,
  scalarInputName,
  scalarInputValue,
  sensitivityGroupName,
  serviceName,
  strategyName,
  type ChartLocale,
} from '../charts/locale';
import { OptionError } from '../errors';
import { escapeHtml, inSentence, page, toSvg } from './render';

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

const TEXT = {
  en: {
    title: 'Which driver makes the deviation',
    made: 'Made',
    with: 'with carebudget',
    paths: (n: string, sobol: boolean) => `${n} paths${sobol ? ' under each strategy' : ''}`,
    design: 'How it is estimated',
    reading: 'Reading',
    charts: 'Charts',
    notes: 'Notes',
    attribution:
      'The share of the variance of the figure that each input group explains, year by year; the grey band is what the shares leave: interactions among three or more groups, and estimation error. A negative estimate is drawn as 0, and where the estimated shares add to more than 100% they are scaled down to 100% and no grey band is drawn; the tooltip gives every estimate as it is.',
    indices: (y: number, level: string) => `First-order and total Sobol' indices in ${y}, with ${level} % intervals.`,
    tornado: (s: string, y: number, figure: string) =>
      `Tornado, ${s}, ${y}: the median of the ${figure} with each input at its low and high percentile, the others at their medians; under each input's name, its low to its high percentile.`,
    rank: (y: number, level: string) =>
      `Spearman rank correlations of the inputs with the figure in ${y}, with ${level} % intervals.`,
    twoLevel:
      "The share of each year's variance from the structural parameters (drawn once per outer draw) and from year-to-year variability.",
    largest: (plural: boolean) => `${plural ? 'explain' : 'explains'} the largest share of the variance of the`,
    upTo: 'up to',
    also: (plural: boolean, ten: string) => `also ${plural ? 'explain' : 'explains'} more than ${ten}`,
    tornadoReading: (strategy: string, year: number, input: string, low: string, high: string, base: string) =>
      `Under ${strategy}, ${input} moves the median most in ${year}: from ${low} with the input at its low percentile to ${high} at its high one (${base} with every input at its median).`,
    inputAt: (low: string, high: string) => ` The input's low and high percentiles: ${low} and ${high}.`,
    rankReading: (strategy: string, year: number, input: string, rho: string, figure: string) =>
      `Under ${strategy}, ${input} is the scalar input most closely ranked with the ${figure} in ${year} (Spearman ${rho}).`,
    twoLevelReading: (strategy: string, first: number, a: string, last: number, b: string) =>
      `Under ${strategy}, structural parameters carry ${a} of the variance in ${first} and ${b} in ${last}; the rest is year-to-year variability.`,
  },
  da: {
    title: 'Hvad driver afvigelsen',
    made: 'Lavet',
    with: 'med carebudget',
    paths: (n: string, sobol: boolean) => `${n} forløb${sobol ? ' under hver strategi' : ''}`,
    design: 'Sådan er det beregnet',
    reading: 'Læsning',
    charts: 'Figurer',
    notes: 'Bemærkninger',
    attribution:
      'Andelen af variansen i tallet, som hver gruppe af input forklarer, år for år; det grå bånd er resten: samspil mellem tre eller flere grupper og usikkerhed i beregningen. Et negativt estimat tegnes som 0, og summerer de estimerede andele til over 100\u00a0%, skaleres de ned til 100\u00a0% uden gråt bånd; værktøjstippet viser estimaterne, som de er.',
    indices: (y: number, level: string) =>
      `Sobol-indeks af første orden og totale indeks i ${y} med ${level}\u00a0%-intervaller.`,
    tornado: (s: string, y: number, figure: string) =>
      `Tornado, ${s}, ${y}: medianen af ${figure} med hvert input ved sin lave og høje percentil, de andre ved deres median; under hvert inputs navn dets lave til høje percentil.`,
    rank: (y: number, level: string) =>
      `Spearmans rangkorrelation mellem input og tallet i ${y} med ${level}\u00a0%-intervaller.`,
    twoLevel:
      'Andelen af hvert års varians fra de strukturelle parametre (trukket én gang pr. ydre træk) og fra variationen fra år til år.',
    largest: (_plural: boolean) => 'den største andel af variansen i',
    upTo: 'op til',
    also: (_plural: boolean, ten: string) => `forklarer også mere end ${ten}`,
    tornadoReading: (strategy: string, year: number, input: string, low: string, high: string, base: string) =>
      `Under ${strategy} flytter ${input} medianen mest i ${year}: fra ${low} med inputtet ved sin lave percentil til ${high} ved den høje (${base} med alle input ved deres median).`,
    inputAt: (low: string, high: string) => ` Inputtets lave og høje percentil: ${low} og ${high}.`,
    rankReading: (strategy: string, year: number, input: string, rho: string, figure: string) =>
      `Under ${strategy} er ${input} det input, der rangmæssigt hænger tættest sammen med ${figure} i ${year} (Spearman ${rho}).`,
    twoLevelReading: (strategy: string, first: number, a: string, last: number, b: string) =>
      `Under ${strategy} bærer de strukturelle parametre ${a} af variansen i ${first} og ${b} i ${last}; resten er variation fra år til år.`,
  },
} as const;

/** A number as the language writes it, with the minus sign U+2212 and no sign on a zero ("-0,0"). */
function localNumber(x: number, locale: ChartLocale, options: Intl.NumberFormatOptions): string {
  const text = new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', options).format(x);
  return /[1-9]/.test(text) ? text.replace(/^-/, '\u2212') : text.replace(/^[-\u2212]/, '');
}

/** A share in whole per cent: 39% / 39 % (a non-breaking space in Danish). */
function pct(x: number, locale: ChartLocale = 'en'): string {
  return localNumber(x, locale, { style: 'percent', maximumFractionDigits: 0 });
}

/** A value of the figure in its unit: a share in % with one decimal, kr in millions, else three digits. */
function figureValue(x: number, figure: Figure, locale: ChartLocale): string {
  const unit = displayUnit(figure, locale);
  if (unit.share)
    return localNumber(x, locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (figure.endsWith('Kr'))
    return `${localNumber(x * unit.scale, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${unit.unit}`;
  return localNumber(x, locale, { maximumSignificantDigits: 3 });
}

function maxBy<T>(items: readonly T[], key: (t: T) => number): T {
  return items.reduce((a, b) => (key(b) > key(a) ? b : a));
}

/** Years as runs: 2024, 2025, 2026, 2030 → "2024–2026 and 2030" ("2024–2026 og 2030"). */
function yearsText(years: readonly number[], locale: ChartLocale): string {
  const sorted = [...years].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j === i ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return listText(runs, locale);
}

/** Where a reading names its strategy, until {@link together} fills it in. */
const WHO = '\u0000';

/**
 * The readings of the strategies, where strategies read alike in one paragraph: "Under frame and
 * activity, …".
 */
function together(reading: readonly { who: string; text: string }[], locale: ChartLocale): string[] {
  const byText = new Map<string, string[]>();
  for (const r of reading) byText.set(r.text, [...(byText.get(r.text) ?? []), r.who]);
  return [...byText.entries()].map(([text, who]) => text.replace(WHO, () => listText(who, locale)));
}

/** A sentence's first letter in upper case. */
function capital(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The reading of a Sobol' analysis for one strategy: the group with the largest share in each
 * year, with the years it leads and its largest share in them, in the order they first lead; then
 * every other group whose share is above 10 % in some year, with those years.
 */
function sobolReading(
  s: SobolSensitivity,
  strategy: string,
  who: string,
  name: (id: string) => { name: string; plural: boolean },
  locale: ChartLocale,
): string {
  const t = TEXT[locale];
  const rows = s.rows.filter((r) => r.strategy === strategy);
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const capped = (x: number) => Math.min(1, Math.max(0, x));
  const share = (years: readonly number[], values: readonly number[]) =>
    years.length === 1 ? pct(capped(values[0]!), locale) : `${t.upTo} ${pct(capped(Math.max(...values)), locale)}`;
  const led = new Map<string, { years: number[]; shares: number[] }>();
  for (const year of years) {
    const top = maxBy(
      rows.filter((r) => r.year === year),
      (r) => r.share,
    );
    const entry = led.get(top.group) ?? { years: [], shares: [] };
    entry.years.push(year);
    entry.shares.push(top.share);
    led.set(top.group, entry);
  }
  const figure = figureShortName(s.figure, locale).toLowerCase();
  const clauses = [...led.entries()].map(([group, e], i) => {
    const { name: n, plural } = name(group);
    const when = `${locale === 'da' ? 'i' : 'in'} ${yearsText(e.years, locale)} (${share(e.years, e.shares)})`;
    if (i > 0) return `${n} ${when}`;
    return locale === 'da'
      ? `Under ${who} forklarer ${n} ${t.largest(plural)} ${figure} ${when}`
      : `Under ${who}, ${n} ${t.largest(plural)} ${figure} ${when}`;
  });
  let sentence = `${listText(clauses, locale)}.`;
  const others: string[] = [];
  let plural = false;
  for (const group of [...new Set(rows.map((r) => r.group))]) {
    if (led.has(group)) continue;
    const above = rows.filter((r) => r.group === group && r.share > 0.1).sort((a, b) => a.year - b.year);
    if (above.length === 0) continue;
    const ys = above.map((r) => r.year);
    const shares = above.map((r) => r.share);
    others.push(`${name(group).name} (${yearsText(ys, locale)}, ${share(ys, shares)})`);
    plural = plural || name(group).plural;
  }
  if (others.length > 0)
    sentence += ` ${capital(listText(others, locale))} ${t.also(plural || others.length > 1, pct(0.1, locale))}.`;
  return sentence;
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
 * html.includes('Hvad driver afvigelsen'); //=> true
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
  const labels = Object.create(null) as Record<string, string>;
  for (const st of s.strategies) labels[st.id] = strategyName(st, locale);
  const name = (id: string) => (Object.hasOwn(labels, id) ? labels[id]! : id);
  const group = (id: string) => sensitivityGroupName(id, locale);
  const figure = figureShortName(s.figure, locale).toLowerCase();
  const first = s.years[0]!;
  const last = s.years[s.years.length - 1]!;
  const specs: { caption: string; spec: ChartSpec }[] = [];
  const reading: { who: string; text: string }[] = [];
  const chart = { locale, labels };
  const rho = (x: number) => localNumber(x, locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  for (const st of s.strategies) {
    // The strategy's place in the sentence, filled in by together(): strategies that read alike share one.
    const who = WHO;
    const said = (text: string) => reading.push({ who: locale === 'da' ? inSentence(name(st.id)) : name(st.id), text });
    if (s.method === 'sobol') {
      if (s.rows.some((r) => r.strategy === st.id)) said(sobolReading(s, st.id, who, group, locale));
    } else if (s.method === 'tornado') {
      const top = s.rows.find((r) => r.strategy === st.id && r.year === last);
      if (top === undefined) continue;
      const v = (x: number) => figureValue(x, s.figure, locale);
      said(
        t.tornadoReading(who, last, scalarInputName(top.input, locale, true), v(top.low), v(top.high), v(top.base)) +
          t.inputAt(
            scalarInputValue(top.input, top.inputLow, locale),
            scalarInputValue(top.input, top.inputHigh, locale),
          ),
      );
      specs.push({
        caption: t.tornado(name(st.id), last, figure),
        spec: tornadoChart(s.rows, { ...chart, strategy: st.id, year: last, figure: s.figure }),
      });
    } else if (s.method === 'rank') {
      const rows = s.rows.filter((r) => r.strategy === st.id && r.year === last);
      if (rows.length > 0) {
        const top = maxBy(rows, (r) => Math.abs(r.rho));
        said(t.rankReading(who, last, scalarInputName(top.input, locale, true), rho(top.rho), figure));
      }
    } else {
      const at = (y: number) => s.rows.find((r) => r.strategy === st.id && r.year === y);
      const a = at(first);
      const b = at(last);
      if (a !== undefined && b !== undefined)
        said(t.twoLevelReading(who, first, pct(a.structural, locale), last, pct(b.structural, locale)));
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
  const service = inSentence(serviceName(s.service, [], locale));
  const paths = t.paths(localNumber(s.paths, locale, { maximumFractionDigits: 0 }), s.method === 'sobol');
  const notes = s.notes.map((n) =>
    noteText(n, locale, {
      group: (id) => group(id).name,
      input: (id) => scalarInputName(id, locale, true),
      figure: (f) => (f === s.figure ? figureShortName(s.figure, locale) : f),
      strategy: name,
    }),
  );
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${date} ${t.with} ${VERSION}`)}</p>
<p class="meta">${escapeHtml(`${figureName(s.figure, locale)}, ${service}, ${paths}`)}</p>
<h2>${t.reading}</h2>
<section class="reading">${together(reading, locale)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n')}</section>
<h2>${t.charts}</h2>
${charts.join('\n')}
<h2>${t.design}</h2>
<p class="note">${escapeHtml(locale === 'da' ? estimatorText(s, 'da') : s.estimator)}</p>
${notes.length === 0 ? '' : `<h2>${t.notes}</h2>\n${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}`}
`,
  );
}
