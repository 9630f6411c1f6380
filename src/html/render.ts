import { format as formatDate, isValid } from 'date-fns';
import { da as daLocale, enGB } from 'date-fns/locale';
import type { TopLevelSpec } from 'vega-lite';
import { VERSION } from '../version';
import { baselinePopulation } from '../drivers/population';
import { parseScenario, type ScenarioError } from '../scenario/parse';
import type { Scenario, ScenarioInput } from '../scenario/schema';
import type { RunResult } from '../results/streaming';
import { differenceRows, metricRows, summaryRows, type MetricFlatRow, type SummaryFlatRow } from '../results/rows';
import { ResultError } from '../simulation/result';
import {
  differenceChart,
  distributionChart,
  fanChart,
  metricsChart,
  overspendChart,
  type ChartSpec,
} from '../charts/specs';
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

/** One chart of the page: a caption and the SVG that vega drew. */
interface RenderedChart {
  readonly id: string;
  readonly caption: string;
  readonly svg: string;
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
  const unit = locale === 'da' ? 'mio. kr.' : 'm kr';
  return {
    /** kr as millions with the unit in words: "17.3 m kr" / "17,3 mio. kr.". */
    mkr: (kr: number) => `${mkr.format(kr / 1e6)}\u00a0${unit}`,
    /** kr as millions without the unit, for tables whose header names it. */
    mkrBare: (kr: number) => mkr.format(kr / 1e6),
    int: (x: number) => int.format(x),
    dec: (x: number) => dec.format(x),
    pct: (x: number) => pct.format(x),
    pct1: (x: number) => pct1.format(x),
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
    inputs: 'Key inputs',
    reading: 'Reading',
    charts: 'Charts',
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
    treasury: 'Treasury deviation (actual − adopted), m kr',
    provider: 'Provider deviation (actual − final), m kr',
    pOver: 'P(overspend)',
    measures: 'Service measures in',
    measure: 'Measure',
    medianRange: 'median (P5–P95)',
    note: 'Deviation = actual cost − budget; positive is an overspend. Percentiles are over the simulated paths (type 7; from a t-digest for a streaming summary). Money in millions of kr.',
    fan: 'Fan chart: the deviation per year, bands P5–P95 and P25–P75, line the median.',
    over: 'Probability that the cost exceeds the adopted budget, per year.',
    dist: (y: number) => `Distribution of the deviation in ${y}, steering strategies side by side.`,
    diff: 'Paired difference between two steering strategies on the same random numbers.',
    metrics: 'The services’ own measures over time.',
    noDiff: 'The paired difference is not in this result (a streaming summary keeps it for the total only).',
  },
  da: {
    titlePrefix: 'carebudget',
    question:
      'For hver måde at styre budgettet på: Hvor store og hvor sandsynlige er budgetafvigelserne, hvem bærer dem (kassen eller udføreren), og hvad koster de i service?',
    made: 'Lavet',
    with: 'med carebudget',
    inputs: 'Vigtigste forudsætninger',
    reading: 'Sådan læses tallene',
    charts: 'Figurer',
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
    treasury: 'Kassens afvigelse (regnskab − vedtaget), mio. kr.',
    provider: 'Udførerens afvigelse (regnskab − endeligt), mio. kr.',
    pOver: 'P(merforbrug)',
    measures: 'Ydelsernes mål i',
    measure: 'Mål',
    medianRange: 'median (P5–P95)',
    note: 'Afvigelse = faktisk udgift − budget; positiv er merforbrug. Percentiler er over de simulerede forløb (type 7; fra en t-digest for et strømmende resumé). Beløb i mio. kr.',
    fan: 'Viftediagram: afvigelsen pr. år, bånd P5–P95 og P25–P75, linjen er medianen.',
    over: 'Sandsynligheden for at udgiften overstiger det vedtagne budget, pr. år.',
    dist: (y: number) => `Fordelingen af afvigelsen i ${y}, styringsmodellerne side om side.`,
    diff: 'Parret forskel mellem to styringsmodeller på de samme tilfældige tal.',
    metrics: 'Ydelsernes egne mål over tid.',
    noDiff:
      'Den parrede forskel findes ikke i dette resultat (et strømmende resumé gemmer den kun for det samlede område).',
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
function inSentence(name: string): string {
  return /^\p{Lu}\p{Ll}/u.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

function pick(rows: readonly SummaryFlatRow[], strategy: string, year: number, figure: string): SummaryFlatRow {
  return rows.find((r) => r.strategy === strategy && r.year === year && r.figure === figure)!;
}

/** The plain-language reading: a few sentences per strategy, a comparison and the service measures, all from the numbers. */
function reading(
  result: RunResult,
  rows: readonly SummaryFlatRow[],
  metricsOfYear: readonly MetricFlatRow[],
  year: number,
  service: string,
  locale: ChartLocale,
  f: Formats,
): string[] {
  const out: string[] = [];
  const where = serviceName(service, result.services, locale);
  for (const st of result.strategies) {
    const name = strategyName(st, locale);
    const t = pick(rows, st.id, year, 'treasuryDeviationKr');
    const p = pick(rows, st.id, year, 'providerDeviationKr');
    const adjust = t.mean - p.mean;
    if (locale === 'da') {
      const dir = t.p50 >= 0 ? 'et merforbrug' : 'et mindreforbrug';
      out.push(
        `Under ${inSentence(name)} overstiger udgiften til ${inSentence(where)} det vedtagne budget i ${year} med sandsynlighed ${f.pct(t.pOverspend)}; medianafvigelsen er ${dir} på ${f.mkr(Math.abs(t.p50))} ` +
          `(${f.pct(0.9)} af forløbene mellem ${f.mkr(t.p5)} og ${f.mkr(t.p95)}). Udføreren overskrider sit endelige budget med sandsynlighed ${f.pct(p.pOverspend)} (median ${f.mkr(p.p50)}); ` +
          `budgetkorrektionerne (endeligt − vedtaget budget), som kassen bærer, er i gennemsnit ${f.mkr(adjust)} det år.`,
      );
    } else {
      const dir = t.p50 >= 0 ? 'an overspend' : 'an underspend';
      out.push(
        `Under ${name}, the cost of ${inSentence(where)} exceeds the adopted budget in ${year} with probability ${f.pct(t.pOverspend)}; the median deviation is ${dir} of ${f.mkr(Math.abs(t.p50))} ` +
          `(${f.pct(0.9)} of paths between ${f.mkr(t.p5)} and ${f.mkr(t.p95)}). The provider overspends its final budget with probability ${f.pct(p.pOverspend)} (median ${f.mkr(p.p50)}); ` +
          `the budget adjustments the treasury carries (final − adopted budget) average ${f.mkr(adjust)} that year.`,
      );
    }
  }
  if (result.strategies.length >= 2) {
    const [a, b] = result.strategies as readonly [RunResult['strategies'][number], RunResult['strategies'][number]];
    const d = tryOrUndefined(() => differenceRows(result, a.id, b.id, { service }).find((r) => r.year === year)!);
    if (d !== undefined) {
      const na = strategyName(a, locale);
      const nb = strategyName(b, locale);
      out.push(
        locale === 'da'
          ? `På de samme forløb koster ${inSentence(na)} kassen ${f.mkr(Math.abs(d.p50))} ${d.p50 >= 0 ? 'mere' : 'mindre'} end ${inSentence(nb)} i ${year} (median), og mere i ${f.pct(d.pAGreater)} af forløbene.`
          : `On the same paths, ${na} costs the treasury ${f.mkr(Math.abs(d.p50))} ${d.p50 >= 0 ? 'more' : 'less'} than ${nb} in ${year} (median), and more in ${f.pct(d.pAGreater)} of the paths.`,
      );
    }
  }
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
      const head = `<tr><th rowspan="2">${t.year}</th><th colspan="4">${escapeHtml(t.treasury)}</th><th colspan="2">${escapeHtml(t.provider)}</th></tr><tr><th>P5</th><th>P50</th><th>P95</th><th>${t.pOver}</th><th>P50</th><th>${t.pOver}</th></tr>`;
      const body = result.years
        .map((year) => {
          const tr = pick(rows, st.id, year, 'treasuryDeviationKr');
          const pr = pick(rows, st.id, year, 'providerDeviationKr');
          const cells = [
            f.mkrBare(tr.p5),
            f.mkrBare(tr.p50),
            f.mkrBare(tr.p95),
            f.pct(tr.pOverspend),
            f.mkrBare(pr.p50),
            f.pct(pr.pOverspend),
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
  const t = TEXT[locale];
  const f = formats(locale);
  const rows = summaryRows(result, { figures: ['treasuryDeviationKr', 'providerDeviationKr'], services: [service] });

  const specs: { id: string; caption: string; spec: ChartSpec }[] = [
    { id: 'fan', caption: t.fan, spec: fanChart(result, { locale, service }) },
    { id: 'overspend', caption: t.over, spec: overspendChart(result, { locale, service }) },
    { id: 'distribution', caption: t.dist(year), spec: distributionChart(result, { locale, service, year }) },
  ];
  let differenceNote = '';
  if (result.strategies.length >= 2) {
    const spec = tryOrUndefined(() => differenceChart(result, { locale, service }));
    if (spec === undefined) differenceNote = `<p class="note">${escapeHtml(t.noDiff)}</p>`;
    else specs.push({ id: 'difference', caption: t.diff, spec });
  }
  const metrics = tryOrUndefined(() => metricsChart(result, { locale }));
  if (metrics !== undefined) specs.push({ id: 'metrics', caption: t.metrics, spec: metrics });
  // One chart at a time: each view is finalised before the next is built.
  const charts: RenderedChart[] = [];
  for (const s of specs) charts.push({ id: s.id, caption: s.caption, svg: await toSvg(s.spec) });

  const title = options.title ?? `${t.titlePrefix}: ${result.scenario.name}`;
  // The year's metric rows once, for the reading and the table (each a pass over every path).
  const metricsOfYear = tryOrUndefined(() => metricRows(result).filter((r) => r.year === year)) ?? [];
  const paragraphs = reading(result, rows, metricsOfYear, year, service, locale, f);
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${f.date(generatedAt)} ${t.with} ${VERSION}`)}</p>
<p class="question">${escapeHtml(options.question ?? t.question)}</p>
<h2>${t.reading}</h2>
<section class="reading">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}</section>
<h2>${t.inputs}</h2>
${inputsTable(result, scenario, locale, f, generatedAt)}
<h2>${t.charts}</h2>
${charts.map((c) => `<figure class="chart" id="chart-${c.id}">${c.svg}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`).join('\n')}
${differenceNote}
<h2>${t.tables}</h2>
<p class="note">${escapeHtml(t.note)}</p>
${summaryTables(result, rows, locale, f)}
${metricsTable(result, metricsOfYear, year, locale, f)}
`,
  );
}
