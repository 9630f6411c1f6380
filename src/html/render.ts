import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
// The two locales the reports use, not date-fns's index of all of them (about 170 ms to load).
import { da as daLocale } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import type { TopLevelSpec } from 'vega-lite';
import { VERSION } from '../version';
import { baselinePopulation } from '../drivers/population';
import { parseScenario, type ScenarioError } from '../scenario/parse';
import type { Scenario, ScenarioInput } from '../scenario/schema';
import type { RunResult } from '../results/streaming';
import { differenceRows, metricRows, summaryRows, type MetricFlatRow, type SummaryFlatRow } from '../results/rows';
import { ResultError } from '../simulation/result';
import {
  checkUnit,
  differenceChart,
  distributionChart,
  exceedanceChart,
  fanChart,
  metricsChart,
  overspendChart,
  whoBearsChart,
  type ChartSpec,
} from '../charts/specs';
import { identicalStrategies } from '../results/identical';
import type { Figure } from '../results/values';
import { checkLocale, metricName, serviceName, strategyName, type ChartLocale } from '../charts/locale';
import { OptionError } from '../errors';

/** Options of {@link renderReport} and {@link writeReport}. @category Report */
export interface ReportOptions {
  /** Language of the page, its charts and its number and date formats (default `"en"`). */
  readonly locale?: ChartLocale;
  /** The scenario that was run (parsed or as written), for the key inputs: population growth, prices, services. */
  readonly scenario?: Scenario | ScenarioInput;
  /** Title of the page (default "carebudget: " and the scenario's name). */
  readonly title?: string;
  /** The question the run answers, shown first (default: the library's question in words). */
  readonly question?: string;
  /** The year the plain-language reading speaks of (default the last simulated year). */
  readonly year?: number;
  /** A service id, a group of units, or `"total"` (default) for the charts, tables and reading. */
  readonly service?: string;
  /**
   * The pair of strategies whose paired difference the report draws, `[a, b]` for a − b. Default:
   * frame against activity steering when the result has both (ids `frame` and `activity`), else
   * every strategy against the first.
   */
  readonly compare?: readonly [string, string];
  /** Money in the charts in m kr (`"kr"`, default) or in % of the adopted budget (`"pct"`). */
  readonly unit?: 'kr' | 'pct';
  /** When the report was made, shown on the page (default now). */
  readonly generatedAt?: Date;
}

/**
 * A whole report page: the document's head (language, generator, title, style) and the title as
 * its heading, around `body`, the page's content. @internal
 */
export function page(locale: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="carebudget ${escapeHtml(VERSION)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}</main>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Number formats of a locale, built once per report. */
function formats(locale: ChartLocale) {
  const tag = locale === 'da' ? 'da-DK' : 'en-GB';
  const mkr = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const pct1 = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Rounded first, so that a value that rounds to zero shows as 0,0, never -0,0.
  const at = (x: number, digits: number) => {
    const r = Number(x.toFixed(digits));
    return r === 0 ? 0 : r;
  };
  const unit = locale === 'da' ? 'mio. kr.' : 'm kr';
  return {
    /** kr as millions with the unit in words: "17.3 m kr" / "17,3 mio. kr.". */
    mkr: (kr: number) => `${mkr.format(at(kr / 1e6, 1))}\u00a0${unit}`,
    /** kr as millions without the unit, for tables whose header names it. */
    mkrBare: (kr: number) => mkr.format(at(kr / 1e6, 1)),
    int: (x: number) => int.format(at(x, 0)),
    dec: (x: number) => dec.format(at(x, 1)),
    pct: (x: number) => pct.format(at(x, 2)),
    pct1: (x: number) => pct1.format(at(x, 3)),
    date: (d: Date) => formatDate(d, 'PPP', { locale: locale === 'da' ? daLocale : enGB }),
  };
}

type Formats = ReturnType<typeof formats>;

const TEXT = {
  en: {
    titlePrefix: 'carebudget',
    question:
      'For each way of steering the budget: how large and how likely are the budget deviations, who bears them (the treasury or the provider), and what service do they cost?',
    made: 'Made',
    with: 'with carebudget',
    answer: 'The answer in brief',
    inputs: 'Key inputs',
    reading: 'Reading',
    charts: 'Charts',
    comparison: 'Strategy against strategy',
    tables: 'Summary tables',
    scenario: 'Scenario',
    years: 'Years simulated',
    paths: 'Paths (simulated futures)',
    seed: 'Seed',
    strategies: 'Steering strategies',
    services: 'Services',
    population: 'Population (the municipality’s own forecast)',
    prices: 'Price and wage index forecast a year',
    version: 'Library version',
    year: 'Year',
    strategy: 'Steering',
    pOver: 'P(overspend)',
    medianOverrun: 'Median overrun',
    p95Overrun: 'P95 overrun',
    treasuryMean: 'Treasury’s share, mean',
    providerMean: 'Provider’s share, mean',
    overrunHead: 'Overrun (actual − adopted), m kr',
    overrunPct: 'Overrun, % of budget',
    sharesHead: 'Who bears it (mean), m kr',
    treasuryShort: 'Treasury',
    providerShort: 'Provider',
    providerOver: 'P(provider over)',
    headlineNote:
      'Overrun = actual cost − adopted budget; positive is an overspend. It splits into the treasury’s share (final − adopted budget: the corrections the treasury grants) and the provider’s share (actual cost − final budget); the means of the two add up to the mean overrun. % of the adopted budget in brackets.',
    measures: 'Service measures in',
    measure: 'Measure',
    medianRange: 'median (P5–P95)',
    note: 'Percentiles are over the simulated paths (type 7; from a t-digest for a streaming summary). Money in millions of kr. Medians do not add up; means do.',
    who: 'Who bears the overrun: the mean per year, split into the treasury’s share and the provider’s share; the black line is their sum, the mean overrun.',
    fan: 'Fan chart of the overrun per year: bands P5–P95, P10–P90 and P25–P75, line the median; one scale for every strategy.',
    providerFan:
      'The provider’s share per year (actual cost − final budget): what the provider must absorb or carry over.',
    over: 'Probability that the cost exceeds the adopted budget, per year. Lines that coincide are dashed differently and named in the legend.',
    exceed: (y: number) =>
      `The probability that the overrun in ${y} exceeds an amount: read off the chance of going more than a given sum over budget.`,
    dist: (y: number) =>
      `Distribution of the overrun in ${y}: the share of paths per bar, one scale for every strategy.`,
    diff: (a: string, b: string) => `Paired difference, ${a} − ${b}, on the same random numbers.`,
    metrics: 'The services’ own measures over time.',
    noDiff: (a: string, b: string) =>
      `The paired difference ${a} − ${b} is not in this result (a streaming summary keeps the differences of the total in the order of its strategies).`,
  },
  da: {
    titlePrefix: 'carebudget',
    question:
      'For hver måde at styre budgettet på: Hvor store og hvor sandsynlige er budgetafvigelserne, hvem bærer dem (kassen eller udføreren), og hvad koster de i service?',
    made: 'Lavet',
    with: 'med carebudget',
    answer: 'Svaret kort',
    inputs: 'Vigtigste forudsætninger',
    reading: 'Sådan læses tallene',
    charts: 'Figurer',
    comparison: 'Styringsmodel mod styringsmodel',
    tables: 'Oversigtstabeller',
    scenario: 'Scenarie',
    years: 'Simulerede år',
    paths: 'Forløb (simulerede fremtider)',
    seed: 'Frø (seed)',
    strategies: 'Styringsmodeller',
    services: 'Ydelser',
    population: 'Befolkning (kommunens egen prognose)',
    prices: 'Forventet pris- og lønudvikling pr. år',
    version: 'Biblioteksversion',
    year: 'År',
    strategy: 'Styring',
    pOver: 'P(merforbrug)',
    medianOverrun: 'Merforbrug, median',
    p95Overrun: 'Merforbrug, P95',
    treasuryMean: 'Kassens andel, gennemsnit',
    providerMean: 'Udførerens andel, gennemsnit',
    overrunHead: 'Merforbrug (regnskab − vedtaget), mio. kr.',
    overrunPct: 'Merforbrug, pct. af budget',
    sharesHead: 'Hvem bærer det (gennemsnit), mio. kr.',
    treasuryShort: 'Kassen',
    providerShort: 'Udføreren',
    providerOver: 'P(udfører over)',
    headlineNote:
      'Merforbrug = regnskab − vedtaget budget; positivt er et merforbrug. Det deles i kassens andel (endeligt − vedtaget budget: de tillægsbevillinger og korrektioner, kassen giver) og udførerens andel (regnskab − endeligt budget); de to gennemsnit giver tilsammen det gennemsnitlige merforbrug. Pct. af det vedtagne budget i parentes.',
    measures: 'Ydelsernes mål i',
    measure: 'Mål',
    medianRange: 'median (P5–P95)',
    note: 'Percentiler er over de simulerede forløb (type 7; fra en t-digest for et strømmende resumé). Beløb i mio. kr. Medianer kan ikke lægges sammen; gennemsnit kan.',
    who: 'Hvem bærer merforbruget: gennemsnittet pr. år, delt i kassens andel og udførerens andel; den sorte streg er summen, det gennemsnitlige merforbrug.',
    fan: 'Viftediagram over merforbruget pr. år: bånd P5–P95, P10–P90 og P25–P75, linjen er medianen; samme skala for alle styringsmodeller.',
    providerFan: 'Udførerens andel pr. år (regnskab − endeligt budget): det, udføreren selv skal dække eller overføre.',
    over: 'Sandsynligheden for at udgiften overstiger det vedtagne budget, pr. år. Linjer, der falder sammen, har hver sin stiplede streg og er navngivet i signaturforklaringen.',
    exceed: (y: number) =>
      `Sandsynligheden for at merforbruget i ${y} overstiger et beløb: aflæs chancen for at gå mere end en given sum over budget.`,
    dist: (y: number) =>
      `Fordelingen af merforbruget i ${y}: andelen af forløb pr. søjle, samme skala for alle styringsmodeller.`,
    diff: (a: string, b: string) => `Parret forskel, ${a} − ${b}, på de samme tilfældige tal.`,
    metrics: 'Ydelsernes egne mål over tid.',
    noDiff: (a: string, b: string) =>
      `Den parrede forskel ${a} − ${b} findes ikke i dette resultat (et strømmende resumé gemmer forskellene for det samlede område i styringsmodellernes rækkefølge).`,
  },
} as const;

/** Renders a Vega-Lite spec to SVG with vega in Node: no browser, no canvas, no network. */
export async function toSvg(spec: ChartSpec): Promise<string> {
  // Loaded on first use, by import(): vega and vega-lite are ES modules with top-level await,
  // which a CommonJS require cannot load.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A name inside a sentence: a capitalised first word becomes lower case ("Rammestyring: strict"
 * → "rammestyring: strict", "Alle ydelser" → "alle ydelser"); a name whose first word is not
 * capitalised that way (an acronym "KL-model", "toString", "BPA") is kept as written.
 */
export function inSentence(name: string): string {
  return /^\p{Lu}\p{Ll}/u.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

function pick(rows: readonly SummaryFlatRow[], strategy: string, year: number, figure: string): SummaryFlatRow {
  return rows.find((r) => r.strategy === strategy && r.year === year && r.figure === figure)!;
}

/** A sentence's full stop: one, also after an abbreviation that ends in one ("mio. kr."). */
function sentenceEnd(text: string): string {
  return text.replace(/\.\.$/, '.');
}

/** A strategy's row of the headline: its figures next year and in the last year. */
interface HeadlineYear {
  readonly year: number;
  readonly overrun: SummaryFlatRow;
  readonly overrunPct: SummaryFlatRow;
  readonly treasury: SummaryFlatRow;
  readonly provider: SummaryFlatRow;
}

/** The headline's figures of a strategy and year, from {@link summaryRows}. @internal */
function headlineYear(rows: readonly SummaryFlatRow[], strategy: string, year: number): HeadlineYear {
  return {
    year,
    overrun: pick(rows, strategy, year, 'treasuryDeviationKr'),
    overrunPct: pick(rows, strategy, year, 'treasuryDeviationPct'),
    treasury: pick(rows, strategy, year, 'treasuryShareKr'),
    provider: pick(rows, strategy, year, 'providerDeviationKr'),
  };
}

/**
 * The answer in brief: a sentence per strategy a committee can quote, and a table, both for the
 * next budget year (the first simulated) and the last: the probability of an overspend, the
 * median and P95 overrun in kr and in % of the adopted budget, and who bears it (the mean
 * treasury's and provider's shares, which add up to the mean overrun).
 */
function headline(result: RunResult, rows: readonly SummaryFlatRow[], locale: ChartLocale, f: Formats): string {
  const t = TEXT[locale];
  const first = result.years[0]!;
  const last = result.years[result.years.length - 1]!;
  const years = first === last ? [first] : [first, last];
  const sentences: string[] = [];
  const body: string[] = [];
  for (const st of result.strategies) {
    const name = strategyName(st, locale);
    const [h1, hN] = [headlineYear(rows, st.id, first), headlineYear(rows, st.id, last)];
    const amount = (h: HeadlineYear, at: 'p50' | 'p95') => `${f.mkr(h.overrun[at])} (${f.pct1(h.overrunPct[at])})`;
    const bears = (h: HeadlineYear) =>
      locale === 'da'
        ? `kassen bærer i gennemsnit ${f.mkr(h.treasury.mean)} og udføreren ${f.mkr(h.provider.mean)}`
        : `on average the treasury bears ${f.mkr(h.treasury.mean)} and the provider ${f.mkr(h.provider.mean)}`;
    if (locale === 'da') {
      sentences.push(
        `${name}: ` +
          (first === last
            ? ''
            : `merforbrug i ${first} med sandsynlighed ${f.pct(h1.overrun.pOverspend)} (median ${f.mkr(h1.overrun.p50)}); `) +
          `i ${last} med sandsynlighed ${f.pct(hN.overrun.pOverspend)}, median ${amount(hN, 'p50')}, og i 1 af 20 forløb mere end ${amount(hN, 'p95')}; ${bears(hN)}.`,
      );
    } else {
      sentences.push(
        `${name}: ` +
          (first === last
            ? ''
            : `an overspend in ${first} with probability ${f.pct(h1.overrun.pOverspend)} (median ${f.mkr(h1.overrun.p50)}); `) +
          `in ${last} with probability ${f.pct(hN.overrun.pOverspend)}, a median overrun of ${amount(hN, 'p50')}, and more than ${amount(hN, 'p95')} in 1 path in 20; ${bears(hN)}.`,
      );
    }
    years.forEach((year, k) => {
      const h = headlineYear(rows, st.id, year);
      const cells = [
        f.pct(h.overrun.pOverspend),
        amount(h, 'p50'),
        amount(h, 'p95'),
        f.mkr(h.treasury.mean),
        f.mkr(h.provider.mean),
      ];
      body.push(
        `<tr${k === 0 ? ' class="first"' : ''}>${k === 0 ? `<th scope="rowgroup" rowspan="${years.length}">${escapeHtml(name)}</th>` : ''}<th scope="row">${year}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
      );
    });
  }
  const head = `<tr><th>${t.strategy}</th><th>${t.year}</th><th>${t.pOver}</th><th>${t.medianOverrun}</th><th>${t.p95Overrun}</th><th>${t.treasuryMean}</th><th>${t.providerMean}</th></tr>`;
  return `<section class="answer">${sentences.map((x) => `<p>${escapeHtml(sentenceEnd(x))}</p>`).join('\n')}
<table class="headline"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>
<p class="note">${escapeHtml(t.headlineNote)}</p></section>`;
}

/**
 * The report's answer in brief for a result: the sentences and the table of the first and last
 * year (see the report), for the explorer page. @internal
 */
export function headlineHtml(result: RunResult, locale: ChartLocale, service = 'total'): string {
  const rows = summaryRows(result, {
    figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'treasuryShareKr', 'providerDeviationKr'],
    services: [service],
  });
  return headline(result, rows, locale, formats(locale));
}

/**
 * The pairs the report compares: the one asked for; else frame against activity when the result
 * has both; else every strategy against the first (a − b with a the first, in the result's
 * order, which a streaming summary keeps).
 */
function pairsOf(result: RunResult, compare: readonly [string, string] | undefined): [string, string][] {
  const ids = result.strategies.map((s) => s.id);
  if (compare !== undefined) {
    if (!Array.isArray(compare) || compare.length !== 2 || compare[0] === compare[1])
      throw new OptionError(
        `renderReport: compare must be two different strategy ids [a, b]; received ${JSON.stringify(compare)}`,
        { option: 'compare', received: compare },
      );
    for (const id of compare)
      if (!ids.includes(id))
        throw new OptionError(
          `renderReport: compare names strategy ${JSON.stringify(id)}, which is not in the result; expected one of ${ids.map((x) => JSON.stringify(x)).join(', ')}`,
          { option: 'compare', received: compare },
        );
    return [[compare[0], compare[1]]];
  }
  if (ids.includes('frame') && ids.includes('activity')) return [['frame', 'activity']];
  return ids.slice(1).map((id) => [ids[0]!, id]);
}

/**
 * Sentences naming strategies whose overrun (and, separately, whose provider's share) is the
 * same on every path: their lines coincide in the charts.
 */
function sameSentences(result: RunResult, service: string, locale: ChartLocale): string[] {
  const name = (id: string) =>
    strategyName(
      result.strategies.find((s) => s.id === id)!,
      locale,
    );
  const out: string[] = [];
  const overrun = identicalStrategies(result, { figure: 'treasuryDeviationKr', service });
  for (const [first, ...rest] of overrun) {
    const others = rest.map(name);
    out.push(
      locale === 'da'
        ? `${others.join(' og ')} giver samme merforbrug som ${inSentence(name(first!))} i hvert forløb og hvert år: linjerne falder sammen (hvem der bærer det, kan stadig være forskelligt).`
        : `${others.join(' and ')} ${others.length > 1 ? 'give' : 'gives'} the same overrun as ${name(first!)} on every path in every year: their lines coincide (who bears it may still differ).`,
    );
  }
  return out;
}

/** The plain-language reading: a few sentences per strategy, the comparisons and the service measures, all from the numbers. */
function reading(
  result: RunResult,
  rows: readonly SummaryFlatRow[],
  metricsOfYear: readonly MetricFlatRow[],
  year: number,
  service: string,
  comparisons: readonly string[],
  locale: ChartLocale,
  f: Formats,
): string[] {
  const out: string[] = [];
  const where = serviceName(service, result.services, locale);
  for (const st of result.strategies) {
    const name = strategyName(st, locale);
    const t = pick(rows, st.id, year, 'treasuryDeviationKr');
    const p = pick(rows, st.id, year, 'providerDeviationKr');
    const share = pick(rows, st.id, year, 'treasuryShareKr');
    if (locale === 'da') {
      const dir = t.p50 >= 0 ? 'et merforbrug' : 'et mindreforbrug';
      out.push(
        `Under ${inSentence(name)} overstiger udgiften til ${inSentence(where)} det vedtagne budget i ${year} med sandsynlighed ${f.pct(t.pOverspend)}; medianen er ${dir} på ${f.mkr(Math.abs(t.p50))} ` +
          `(${f.pct(0.9)} af forløbene mellem ${f.mkr(t.p5)} og ${f.mkr(t.p95)}). Udføreren overskrider sit endelige budget med sandsynlighed ${f.pct(p.pOverspend)} (median ${f.mkr(p.p50)}); ` +
          `kassens andel (endeligt − vedtaget budget) er i gennemsnit ${f.mkr(share.mean)} det år.`,
      );
    } else {
      const dir = t.p50 >= 0 ? 'an overspend' : 'an underspend';
      out.push(
        `Under ${name}, the cost of ${inSentence(where)} exceeds the adopted budget in ${year} with probability ${f.pct(t.pOverspend)}; the median is ${dir} of ${f.mkr(Math.abs(t.p50))} ` +
          `(${f.pct(0.9)} of paths between ${f.mkr(t.p5)} and ${f.mkr(t.p95)}). The provider overspends its final budget with probability ${f.pct(p.pOverspend)} (median ${f.mkr(p.p50)}); ` +
          `the treasury’s share (final − adopted budget) averages ${f.mkr(share.mean)} that year.`,
      );
    }
  }
  out.push(...comparisons);
  const metrics = metricsOfYear.filter((r) => /\.(waiting|guaranteeBreaches|externalPlacements)$/.test(r.metric));
  for (const key of [...new Set(metrics.map((m) => m.metric))]) {
    const m = metricName(key, result.services, locale);
    const parts = result.strategies.map((st) => {
      const r = metrics.find((x) => x.metric === key && x.strategy === st.id)!;
      const value = m.share ? f.pct(r.p50) : f.dec(r.p50);
      return locale === 'da'
        ? `${value} under ${inSentence(strategyName(st, locale))}`
        : `${value} under ${strategyName(st, locale)}`;
    });
    out.push(
      locale === 'da'
        ? `${m.name} i ${year}, median: ${parts.join(', ')}.`
        : `${m.name} in ${year}, median: ${parts.join(', ')}.`,
    );
  }
  return out;
}

/** A sentence on the paired difference a − b of the overrun in a year. */
function pairSentence(
  result: RunResult,
  a: string,
  b: string,
  d: { readonly p5: number; readonly p50: number; readonly p95: number; readonly pAGreater: number },
  year: number,
  locale: ChartLocale,
  f: Formats,
): string {
  const name = (id: string) =>
    strategyName(
      result.strategies.find((s) => s.id === id)!,
      locale,
    );
  const [na, nb] = [name(a), name(b)];
  // A difference that hardly varies (the same actual cost, budgets that differ by a rule) says so.
  const steady = d.p95 - d.p5 < 0.1e6;
  const band =
    locale === 'da'
      ? steady
        ? 'median; næsten det samme i hvert forløb'
        : `median; ${f.pct(0.9)} af forløbene mellem ${f.mkr(d.p5)} og ${f.mkr(d.p95)}`
      : steady
        ? 'median; nearly the same on every path'
        : `median; ${f.pct(0.9)} of paths between ${f.mkr(d.p5)} and ${f.mkr(d.p95)}`;
  if (d.p5 === 0 && d.p95 === 0 && d.p50 === 0)
    return locale === 'da'
      ? `På de samme forløb giver ${inSentence(na)} og ${inSentence(nb)} stort set samme merforbrug i ${year}.`
      : `On the same paths, ${na} and ${nb} give much the same overrun in ${year}.`;
  return locale === 'da'
    ? `På de samme forløb er merforbruget under ${inSentence(na)} ${f.mkr(Math.abs(d.p50))} ${d.p50 >= 0 ? 'større' : 'mindre'} end under ${inSentence(nb)} i ${year} (${band}), og større i ${f.pct(d.pAGreater)} af forløbene.`
    : `On the same paths, the overrun under ${na} is ${f.mkr(Math.abs(d.p50))} ${d.p50 >= 0 ? 'larger' : 'smaller'} than under ${nb} in ${year} (${band}), and larger in ${f.pct(d.pAGreater)} of the paths.`;
}

function tryOrUndefined<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ResultError) return undefined;
    throw e;
  }
}

function inputsTable(
  result: RunResult,
  scenario: Scenario | undefined,
  locale: ChartLocale,
  f: Formats,
  generatedAt: Date,
): string {
  const t = TEXT[locale];
  const rows: [string, string][] = [
    [t.scenario, result.scenario.name],
    [t.years, `${result.years[0]}–${result.years[result.years.length - 1]}`],
    [
      t.paths,
      result.pathStart === 0
        ? f.int(result.pathCount)
        : `${f.int(result.pathCount)} (${result.pathStart}–${result.pathStart + result.pathCount - 1})`,
    ],
    [t.seed, String(result.scenario.seed)],
    [t.strategies, result.strategies.map((s) => strategyName(s, locale)).join('; ')],
    [t.services, result.services.map((s) => serviceName(s.id, result.services, locale)).join('; ')],
  ];
  if (scenario !== undefined) {
    const groups = scenario.population.groups;
    const base = baselinePopulation(scenario.population, scenario.baseYear, scenario.horizonYears);
    const last = scenario.horizonYears;
    const growth = groups.map((g, i) => {
      const start = base[i]!;
      const end = base[last * groups.length + i]!;
      return `${g.id}: ${f.int(start)} → ${f.int(end)} (${end >= start ? '+' : ''}${f.pct(end / start - 1)}, ${scenario.baseYear}–${scenario.baseYear + last})`;
    });
    rows.push([t.population, growth.join('; ')]);
    rows.push([t.prices, f.pct1(scenario.prices.indexForecastPerYear)]);
  }
  rows.push([t.version, `carebudget ${VERSION}`]);
  rows.push([t.made, f.date(generatedAt)]);
  return `<table class="inputs"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
}

function summaryTables(result: RunResult, rows: readonly SummaryFlatRow[], locale: ChartLocale, f: Formats): string {
  const t = TEXT[locale];
  return result.strategies
    .map((st) => {
      const head =
        `<tr><th rowspan="2">${t.year}</th><th colspan="4">${escapeHtml(t.overrunHead)}</th><th rowspan="2">${escapeHtml(t.overrunPct)}<br><small>P50</small></th>` +
        `<th colspan="2">${escapeHtml(t.sharesHead)}</th><th rowspan="2">${escapeHtml(t.providerOver)}</th></tr>` +
        `<tr><th>P5</th><th>P50</th><th>P95</th><th>${t.pOver}</th><th>${escapeHtml(t.treasuryShort)}</th><th>${escapeHtml(t.providerShort)}</th></tr>`;
      const body = result.years
        .map((year) => {
          const h = headlineYear(rows, st.id, year);
          const cells = [
            f.mkrBare(h.overrun.p5),
            f.mkrBare(h.overrun.p50),
            f.mkrBare(h.overrun.p95),
            f.pct(h.overrun.pOverspend),
            f.pct1(h.overrunPct.p50),
            f.mkrBare(h.treasury.mean),
            f.mkrBare(h.provider.mean),
            f.pct(h.provider.pOverspend),
          ];
          return `<tr><th scope="row">${year}</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
        })
        .join('');
      return `<table class="summary"><caption>${escapeHtml(strategyName(st, locale))}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
    })
    .join('\n');
}

function metricsTable(
  result: RunResult,
  rows: readonly MetricFlatRow[],
  year: number,
  locale: ChartLocale,
  f: Formats,
): string {
  if (rows.length === 0) return '';
  const t = TEXT[locale];
  const keys = [...new Set(rows.map((r) => r.metric))];
  const head = `<tr><th>${t.measure}</th>${result.strategies.map((s) => `<th>${escapeHtml(strategyName(s, locale))}<br><small>${t.medianRange}</small></th>`).join('')}</tr>`;
  const body = keys
    .map((key) => {
      const m = metricName(key, result.services, locale);
      const show = (x: number) => (m.share ? f.pct(x) : f.dec(x));
      const cells = result.strategies.map((s) => {
        const r = rows.find((x) => x.metric === key && x.strategy === s.id)!;
        return `<td>${show(r.p50)} (${show(r.p5)}–${show(r.p95)})</td>`;
      });
      return `<tr><th scope="row">${escapeHtml(m.name)}</th>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table class="summary"><caption>${escapeHtml(`${t.measures} ${year}`)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5b66; --line: #d9d9e0; --band: #f5f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.question { font-size: 17px; color: var(--muted); margin: 8px 0 0; max-width: 70ch; }
.meta { color: var(--muted); font-size: 13px; }
.reading p { max-width: 80ch; margin: 6px 0; }
figure { margin: 18px 0 26px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; margin: 10px 0 22px; font-variant-numeric: tabular-nums; font-size: 13.5px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; }
thead th { background: var(--band); font-weight: 600; }
tbody th { text-align: left; font-weight: 600; }
table.inputs td, table.inputs th { text-align: left; vertical-align: top; }
.answer p { font-size: 16px; max-width: 90ch; margin: 6px 0; }
table.headline { font-size: 14px; }
table.headline td { white-space: nowrap; }
table.headline thead th:nth-child(-n+2) { text-align: left; }
table.headline tr.first > * { border-top: 1px solid #b9b9c4; }
table.headline tbody th[scope="rowgroup"] { vertical-align: top; max-width: 22ch; }
p.pair { max-width: 90ch; }
.note { color: var(--muted); font-size: 13px; max-width: 80ch; }
@media print { main { padding: 0; } figure { break-inside: avoid; } }
`;

/**
 * Renders a self-contained HTML report of a run: the question, the scenario's key inputs
 * (population growth, services, strategies, paths, seed, library version), the charts drawn to
 * inline SVG with vega in Node, summary tables, and a plain-language reading generated from the
 * numbers. Numbers are formatted with `Intl.NumberFormat` and dates with date-fns, in Danish or
 * English. The page references nothing outside itself: no scripts, fonts, images or styles are
 * fetched, so it opens offline and can be mailed as one file.
 *
 * @param result - a per-path result or a streaming summary
 * @param options - locale, the scenario (for its inputs), title, question, the year the reading
 *   speaks of, service, and the date shown
 * @returns the HTML page
 * @throws RangeError for an unknown locale, an invalid date, or a scenario other than the one
 *   the result was run from (name, seed or base year differ); {@link ResultError} for a year or
 *   service the result does not hold; {@link ScenarioError} for a scenario that does not parse
 * @example
 * ```ts
 * const html = await renderReport(simulate(lejre2034()), { scenario: lejre2034(), locale: 'da' });
 * html.startsWith('<!doctype html>'); //=> true
 * ```
 * @category Report
 */
export async function renderReport(result: RunResult, options: ReportOptions = {}): Promise<string> {
  const locale = checkLocale(options.locale, 'renderReport');
  const generatedAt = options.generatedAt ?? new Date();
  if (!(generatedAt instanceof Date) || !isValid(generatedAt))
    throw new OptionError(`renderReport: generatedAt must be a valid Date; received ${String(generatedAt)}`, {
      option: 'generatedAt',
      received: generatedAt,
    });
  const year = options.year ?? result.years[result.years.length - 1]!;
  if (!result.years.includes(year))
    throw new ResultError(
      `renderReport: year ${String(year)} is not in the result; expected ${result.years[0]} to ${result.years[result.years.length - 1]}`,
    );
  const service = options.service ?? 'total';
  const scenario = options.scenario === undefined ? undefined : parseScenario(options.scenario);
  if (scenario !== undefined) {
    const run = result.scenario;
    if (scenario.name !== run.name || scenario.seed !== run.seed || scenario.baseYear !== run.baseYear) {
      throw new OptionError(
        `renderReport: the scenario given (name "${scenario.name}", seed ${String(scenario.seed)}, base year ${scenario.baseYear}) is not the one the result was run from (name "${run.name}", seed ${String(run.seed)}, base year ${run.baseYear})`,
      );
    }
  }
  const unit = options.unit ?? 'kr';
  const pct = checkUnit(unit, 'renderReport');
  const pairs = pairsOf(result, options.compare);
  const t = TEXT[locale];
  const f = formats(locale);
  const rows = summaryRows(result, {
    figures: ['treasuryDeviationKr', 'treasuryDeviationPct', 'treasuryShareKr', 'providerDeviationKr'],
    services: [service],
  });
  const name = (id: string) =>
    strategyName(
      result.strategies.find((s) => s.id === id)!,
      locale,
    );
  const overrun: Figure = pct ? 'treasuryDeviationPct' : 'treasuryDeviationKr';
  const provider: Figure = pct ? 'providerDeviationPct' : 'providerDeviationKr';

  const specs: { id: string; caption: string; spec: ChartSpec }[] = [
    { id: 'who', caption: t.who, spec: whoBearsChart(result, { locale, service, unit }) },
    { id: 'fan', caption: t.fan, spec: fanChart(result, { locale, service, figure: overrun }) },
    { id: 'provider', caption: t.providerFan, spec: fanChart(result, { locale, service, figure: provider }) },
    { id: 'overspend', caption: t.over, spec: overspendChart(result, { locale, service }) },
    {
      id: 'exceedance',
      caption: t.exceed(year),
      spec: exceedanceChart(result, { locale, service, year, figure: overrun }),
    },
    {
      id: 'distribution',
      caption: t.dist(year),
      spec: distributionChart(result, { locale, service, year, figure: overrun }),
    },
  ];
  const comparisons: { id: string; caption: string; spec: ChartSpec; sentence: string }[] = [];
  const missing: string[] = [];
  for (const [a, b] of pairs) {
    const spec = tryOrUndefined(() => differenceChart(result, { locale, service, a, b, figure: overrun }));
    const d = tryOrUndefined(() => differenceRows(result, a, b, { service }).find((r) => r.year === year)!);
    if (spec === undefined || d === undefined) missing.push(t.noDiff(name(a), name(b)));
    else
      comparisons.push({
        id: `difference-${comparisons.length + 1}`,
        caption: t.diff(name(a), name(b)),
        spec,
        sentence: pairSentence(result, a, b, d, year, locale, f),
      });
  }
  const metrics = tryOrUndefined(() => metricsChart(result, { locale }));
  if (metrics !== undefined) specs.push({ id: 'metrics', caption: t.metrics, spec: metrics });
  // One chart at a time: each view is finalised before the next is built.
  const svg = new Map<string, string>();
  for (const s of [...specs, ...comparisons]) svg.set(s.id, await toSvg(s.spec));
  const figure = (c: { id: string; caption: string }) =>
    `<figure class="chart" id="chart-${c.id}">${svg.get(c.id)!}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`;

  const title = options.title ?? `${t.titlePrefix}: ${result.scenario.name}`;
  // The year's metric rows once, for the reading and the table (each a pass over every path).
  const metricsOfYear = tryOrUndefined(() => metricRows(result).filter((r) => r.year === year)) ?? [];
  const same = sameSentences(result, service, locale);
  const paragraphs = reading(
    result,
    rows,
    metricsOfYear,
    year,
    service,
    [...comparisons.map((c) => c.sentence), ...same],
    locale,
    f,
  );
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${f.date(generatedAt)} ${t.with} ${VERSION}`)}</p>
<p class="question">${escapeHtml(options.question ?? t.question)}</p>
<h2>${t.answer}</h2>
${headline(result, rows, locale, f)}
${figure(specs[0]!)}
${
  result.strategies.length >= 2
    ? `<h2>${t.comparison}</h2>
${comparisons.map((c) => `<p class="pair">${escapeHtml(c.sentence)}</p>\n${figure(c)}`).join('\n')}
${[...missing, ...same].map((m) => `<p class="note">${escapeHtml(m)}</p>`).join('\n')}`
    : ''
}
<h2>${t.charts}</h2>
${specs.slice(1).map(figure).join('\n')}
<h2>${t.reading}</h2>
<section class="reading">${paragraphs.map((p) => `<p>${escapeHtml(sentenceEnd(p))}</p>`).join('\n')}</section>
<h2>${t.inputs}</h2>
${inputsTable(result, scenario, locale, f, generatedAt)}
<h2>${t.tables}</h2>
<p class="note">${escapeHtml(t.note)}</p>
${summaryTables(result, rows, locale, f)}
${metricsTable(result, metricsOfYear, year, locale, f)}
`,
  );
}
