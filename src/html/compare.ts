import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { da as daLocale } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import { VERSION } from '../version';
import type { ScenarioComparison, ScenarioDifferenceRow } from '../results/compareScenarios';
import type { Figure } from '../results/values';
import { comparisonChart } from '../charts/compare';
import {
  checkLocale,
  displayUnit,
  figureName,
  figureShortName,
  serviceName,
  strategyName,
  type ChartLocale,
} from '../charts/locale';
import { OptionError } from '../errors';
import { escapeHtml, inSentence, page, toSvg } from './render';

/** Options of {@link renderComparisonReport}. @category Report */
export interface ComparisonReportOptions {
  /** Language of the page, its charts and its number and date formats (default `"en"`). */
  readonly locale?: ChartLocale;
  /** Title of the page (default "carebudget: " and the two scenarios' names). */
  readonly title?: string;
  /** The year the headlines speak of (default the last simulated year). */
  readonly year?: number;
  /** When the report was made, shown on the page (default now). */
  readonly generatedAt?: Date;
}

/** The scenario's top-level sections in words, for the list of what the two scenarios change. */
const SECTIONS: Readonly<Record<string, readonly [en: string, da: string]>> = {
  baseYear: ['base year', 'basisår'],
  horizonYears: ['horizon', 'tidshorisont'],
  step: ['time step', 'tidsskridt'],
  seed: ['seed', 'frø (seed)'],
  paths: ['paths', 'forløb'],
  calendar: ['budget calendar', 'budgetkalender'],
  population: ['population', 'befolkning'],
  prices: ['prices', 'priser'],
  homeCare: ['home care', 'hjemmepleje'],
  careHomes: ['care homes', 'plejeboliger'],
  specialised: ['specialised adult social area', 'det specialiserede voksenområde'],
  interventions: ['interventions', 'indsatser'],
  strategies: ['steering strategies', 'styringsmodeller'],
  sampling: ['sampling of the inputs', 'udtrækning af forudsætningerne'],
};

/** A figure inside a sentence, after "lowers" / "sænker". */
const IN_SENTENCE: Partial<Record<Figure, readonly [en: string, da: string]>> = {
  treasuryDeviationKr: ['the deviation from the adopted budget', 'afvigelsen fra det vedtagne budget'],
  providerDeviationKr: [
    "the provider's deviation from the final budget",
    'udførerens afvigelse fra det endelige budget',
  ],
  actualCostKr: ['the actual cost', 'den faktiske udgift'],
  adoptedBudgetKr: ['the adopted budget', 'det vedtagne budget'],
  finalBudgetKr: ['the final budget', 'det endelige budget'],
};

const TEXT = {
  en: {
    title: (base: string, variant: string) => `carebudget: ${variant} against ${base}`,
    made: 'Made',
    with: 'with carebudget',
    question:
      'What does the variant change against the base scenario? Both are run on the same random numbers, so each path is the same future with and without the change, and the difference path by path is the change alone.',
    reading: 'Reading',
    inputs: 'The comparison',
    charts: 'Charts',
    tables: 'Tables',
    base: 'Base scenario',
    variant: 'Variant',
    differs: 'What the variant changes',
    nothing: 'nothing: the two scenarios are the same',
    years: 'Years simulated',
    paths: 'Paths (simulated futures), each scenario',
    seed: 'Seed (both runs)',
    service: 'Service',
    strategies: 'Steering strategies',
    version: 'Library version',
    under: 'Under',
    lowers: 'the variant lowers',
    raises: 'the variant raises',
    leaves: 'the variant leaves',
    unchanged: 'unchanged in the median',
    unchangedAll: 'unchanged on every path',
    in: 'in',
    by: 'by',
    median: 'median',
    between: (lo: string, hi: string) => `90% of paths between ${lo} and ${hi}`,
    lower: 'lower',
    higher: 'higher',
    /** "it is lower in 83 % of the paths", then ", higher in 17 %". */
    share: (word: string, p: string, first: boolean) =>
      first ? `it is ${word} in ${p} of the paths` : `${word} in ${p}`,
    same: 'the same',
    pairing: (year: number, paired: string, independent: string, removed: string, ci: string) =>
      `Pairing on common random numbers: in ${year} the paired differences spread with a standard deviation of ${paired}, against ${independent} for two independent runs (${removed} of the variance removed); the mean difference is known to ±${ci} (1.96 × its Monte Carlo standard error).`,
    fan: (strategy: string) =>
      `Paired difference variant − base per year under ${strategy}: bands P5–P95 and P25–P75 over the paths, line the median, dashed line no difference.`,
    caption: (figure: string, strategy: string) => `${figure}: ${strategy}`,
    year: 'Year',
    baseMean: 'Base, mean',
    variantMean: 'Variant, mean',
    diffMedian: 'Difference, median',
    pLower: 'P(variant < base)',
    diffMean: 'Mean difference ± 1.96·MCSE',
    pGreater: 'P(variant > base)',
    sdPaired: 'SD paired',
    sdIndependent: 'SD independent',
    note: 'Difference = variant − base on the same path; a negative difference in a deviation or a cost is a saving. Percentiles are over the paths (type 7). MCSE: the Monte Carlo standard error of the mean difference, its standard deviation / √paths. SD independent: √(var base + var variant), the spread two runs on different random numbers would give.',
    mkr: 'm kr',
    pp: 'percentage points',
  },
  da: {
    title: (base: string, variant: string) => `carebudget: ${variant} over for ${base}`,
    made: 'Lavet',
    with: 'med carebudget',
    question:
      'Hvad ændrer varianten i forhold til basisscenariet? Begge køres på de samme tilfældige tal, så hvert forløb er den samme fremtid med og uden ændringen, og forskellen forløb for forløb er ændringen alene.',
    reading: 'Sådan læses tallene',
    inputs: 'Sammenligningen',
    charts: 'Figurer',
    tables: 'Tabeller',
    base: 'Basisscenarie',
    variant: 'Variant',
    differs: 'Hvad varianten ændrer',
    nothing: 'intet: de to scenarier er ens',
    years: 'Simulerede år',
    paths: 'Forløb (simulerede fremtider) pr. scenarie',
    seed: 'Frø (seed), begge kørsler',
    service: 'Ydelse',
    strategies: 'Styringsmodeller',
    version: 'Biblioteksversion',
    under: 'Under',
    lowers: 'sænker varianten',
    raises: 'hæver varianten',
    leaves: 'lader varianten',
    unchanged: 'uændret i medianen',
    unchangedAll: 'uændret i alle forløb',
    in: 'i',
    by: 'med',
    median: 'median',
    between: (lo: string, hi: string) => `i 90 % af forløbene mellem ${lo} og ${hi}`,
    lower: 'lavere',
    higher: 'højere',
    share: (word: string, p: string, first: boolean) =>
      first ? `den er ${word} i ${p} af forløbene` : `${word} i ${p}`,
    same: 'den samme',
    pairing: (year: number, paired: string, independent: string, removed: string, ci: string) =>
      `Parring på de samme tilfældige tal: i ${year} har de parrede forskelle en standardafvigelse på ${paired} mod ${independent} for to uafhængige kørsler (${removed} af variansen fjernet); den gennemsnitlige forskel kendes med ±${ci} (1,96 × dens Monte Carlo-standardfejl).`,
    fan: (strategy: string) =>
      `Parret forskel variant − basis pr. år under ${strategy}: bånd P5–P95 og P25–P75 over forløbene, linjen er medianen, den stiplede linje ingen forskel.`,
    caption: (figure: string, strategy: string) => `${figure}: ${strategy}`,
    year: 'År',
    baseMean: 'Basis, gennemsnit',
    variantMean: 'Variant, gennemsnit',
    diffMedian: 'Forskel, median',
    pLower: 'P(variant < basis)',
    diffMean: 'Gns. forskel ± 1,96·MCSE',
    pGreater: 'P(variant > basis)',
    sdPaired: 'Std.afv. parret',
    sdIndependent: 'Std.afv. uafhængig',
    note: 'Forskel = variant − basis på samme forløb; en negativ forskel i en afvigelse eller en udgift er en besparelse. Percentiler er over forløbene (type 7). MCSE: Monte Carlo-standardfejlen på den gennemsnitlige forskel, dens standardafvigelse / √forløb. Std.afv. uafhængig: √(varians basis + varians variant), den spredning to kørsler på forskellige tilfældige tal ville give.',
    mkr: 'mio.\u00a0kr.',
    pp: 'procentpoint',
  },
} as const;

/** Number formats of a locale; a value that rounds to zero is shown as 0, never −0. */
function formats(locale: ChartLocale) {
  const tag = locale === 'da' ? 'da-DK' : 'en-GB';
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const pct1 = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const tidy = (x: number, digits: number) => {
    const r = Number(x.toFixed(digits));
    return r === 0 ? 0 : r;
  };
  return {
    one: (x: number) => one.format(tidy(x, 1)),
    two: (x: number) => two.format(tidy(x, 2)),
    int: (x: number) => int.format(tidy(x, 0)),
    pct: (x: number) => {
      // A share that rounds to 0 % or 100 % but is not shown as such.
      const shown = tidy(x * 100, 0);
      if (shown === 0 && x > 0) return `< ${pct.format(0.01)}`;
      if (shown === 100 && x < 1) return `> ${pct.format(0.99)}`;
      return pct.format(shown / 100);
    },
    pct1: (x: number) => pct1.format(tidy(x * 100, 1) / 100),
    date: (d: Date) => formatDate(d, 'PPP', { locale: locale === 'da' ? daLocale : enGB }),
  };
}

type Formats = ReturnType<typeof formats>;

/** How a figure's values are shown: money in millions with the unit, shares in percentage points, activity as it is. */
function valueFormat(figure: Figure, comparison: ScenarioComparison, locale: ChartLocale, f: Formats) {
  const t = TEXT[locale];
  if (figure.endsWith('Kr')) {
    // One decimal, or two below 1 m kr, where one would say little.
    const digits = (x: number) => (Math.abs(x) < 0.995e6 ? f.two(x / 1e6) : f.one(x / 1e6));
    return {
      bare: digits,
      level: (x: number) => f.one(x / 1e6),
      difference: (x: number) => f.two(x / 1e6),
      unit: t.mkr,
      withUnit: (x: number) => `${digits(x)}\u00a0${t.mkr}`,
    };
  }
  if (figure.endsWith('Pct') || figure === 'serviceGapShare') {
    const bare = (x: number) => f.two(x * 100);
    return { bare, level: bare, difference: bare, unit: t.pp, withUnit: (x: number) => `${bare(x)}\u00a0${t.pp}` };
  }
  const own = comparison.services.find((s) => s.id === comparison.service || s.group === comparison.service);
  const unit = displayUnit(figure, locale, own?.activityUnit).unit;
  return { bare: f.int, level: f.int, difference: f.one, unit, withUnit: (x: number) => `${f.int(x)}\u00a0${unit}` };
}

/** The headline of one strategy: the median change in the year, its 90 % range and how often the variant is lower. */
function headline(
  r: ScenarioDifferenceRow,
  strategy: string,
  comparison: ScenarioComparison,
  locale: ChartLocale,
  f: Formats,
): string {
  const t = TEXT[locale];
  const v = valueFormat(r.figure, comparison, locale, f);
  const what =
    IN_SENTENCE[r.figure]?.[locale === 'da' ? 1 : 0] ??
    (locale === 'da' ? '' : 'the ') + inSentence(figureShortName(r.figure, locale));
  const side = (x: number) =>
    v.bare(x) === v.bare(0) ? v.withUnit(0) : `${v.withUnit(Math.abs(x))} ${x < 0 ? t.lower : t.higher}`;
  // Both ends on one side of zero: "between 8.8 and 3.6 m kr lower"; else each end with its side.
  const range =
    r.p5 < 0 && r.p95 < 0
      ? t.between(v.bare(Math.abs(r.p5)), `${v.withUnit(Math.abs(r.p95))} ${t.lower}`)
      : r.p5 > 0 && r.p95 > 0
        ? t.between(v.bare(r.p5), `${v.withUnit(r.p95)} ${t.higher}`)
        : t.between(side(r.p5), side(r.p95));
  const median = v.bare(r.p50) === v.bare(0) ? 0 : r.p50;
  const verb = median < 0 ? t.lowers : median > 0 ? t.raises : t.leaves;
  const amount = median === 0 ? t.unchanged : `${t.by} ${v.withUnit(Math.abs(median))}`;
  // In whole paths, so that 1 − 0.37 − 0.63 is 0, not a rounding error.
  const same = Math.max(0, Math.round((1 - r.pVariantLower - r.pVariantGreater) * r.n)) / r.n;
  // The shares that are not 0, lower first: "it is lower in 83 % of the paths, higher in 17 %".
  const how = (
    [
      [t.lower, r.pVariantLower],
      [t.higher, r.pVariantGreater],
      [t.same, same],
    ] as const
  )
    .filter(([, p]) => p > 0)
    .map(([word, p], i) => t.share(word, f.pct(p), i === 0))
    .join(', ');
  const head = `${t.under} ${inSentence(strategy)} ${verb} ${what} ${t.in} ${r.year}`;
  if (r.min === 0 && r.max === 0) return `${head} ${t.unchangedAll}.`;
  // "unchanged in the median" says "median" already.
  return `${head} ${amount} (${median === 0 ? '' : `${t.median}; `}${range}); ${how}.`;
}

/**
 * Renders a self-contained HTML report of a `compareScenarios` comparison: a headline per
 * strategy written from the numbers (the median change in the year, the range of 90 % of the
 * paths, how often the variant is lower), what pairing on common random numbers gained, the two
 * scenarios and what the variant changes, a fan chart of the paired difference per strategy
 * (drawn to inline SVG with vega in Node) and a table per strategy and figure. English or Danish,
 * numbers through `Intl.NumberFormat`; nothing outside the page is fetched.
 *
 * @param comparison - from `compareScenarios`
 * @param options - locale, title, the year of the headlines (default the last), the date shown
 * @returns the HTML page
 * @throws `OptionError` for an unknown locale, an invalid date or a year the comparison does not hold
 * @example
 * ```ts
 * const base = { ...lejre2034(), paths: 20 };
 * const html = await renderComparisonReport(compareScenarios(base, base), { locale: 'da' });
 * html.includes('<html lang="da">'); //=> true
 * ```
 * @category Report
 */
export async function renderComparisonReport(
  comparison: ScenarioComparison,
  options: ComparisonReportOptions = {},
): Promise<string> {
  const locale = checkLocale(options.locale, 'renderComparisonReport');
  const generatedAt = options.generatedAt ?? new Date();
  if (!(generatedAt instanceof Date) || !isValid(generatedAt))
    throw new OptionError(`renderComparisonReport: generatedAt must be a valid Date; received ${String(generatedAt)}`, {
      option: 'generatedAt',
      received: generatedAt,
    });
  const years = comparison.years;
  const year = options.year ?? years[years.length - 1]!;
  if (!years.includes(year))
    throw new OptionError(
      `renderComparisonReport: year ${String(year)} is not in the comparison; expected ${years[0]} to ${years[years.length - 1]}`,
      { option: 'year', received: year },
    );
  const t = TEXT[locale];
  const f = formats(locale);
  const figure = comparison.figures[0]!;
  const names = new Map(comparison.strategies.map((s) => [s.id, strategyName(s, locale)]));
  const rowOf = (strategy: string, fig: Figure, y: number) =>
    comparison.rows.find((r) => r.strategy === strategy && r.figure === fig && r.year === y)!;

  const paragraphs: string[] = [];
  for (const s of comparison.strategies)
    paragraphs.push(headline(rowOf(s.id, figure, year), names.get(s.id)!, comparison, locale, f));
  const first = rowOf(comparison.strategies[0]!.id, figure, year);
  const v = valueFormat(figure, comparison, locale, f);
  paragraphs.push(
    t.pairing(
      year,
      v.withUnit(first.sd),
      v.withUnit(first.independentSd),
      f.pct1(first.varianceReduction),
      v.withUnit(1.96 * first.mcse),
    ),
  );

  const charts: string[] = [];
  for (const s of comparison.strategies) {
    const svg = await toSvg(comparisonChart(comparison, { locale, strategy: s.id, figure }));
    charts.push(
      `<figure class="chart" id="chart-${escapeHtml(s.id)}">${svg}<figcaption>${escapeHtml(t.fan(inSentence(names.get(s.id)!)))}</figcaption></figure>`,
    );
  }

  const differs =
    comparison.differences.length === 0
      ? t.nothing
      : comparison.differences
          .map((k) => (Object.hasOwn(SECTIONS, k) ? SECTIONS[k]![locale === 'da' ? 1 : 0] : k))
          .join(', ');
  const cell = (k: string, value: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(value)}</td></tr>`;
  const inputs = `<table class="inputs"><tbody>
${cell(t.base, comparison.base.name)}
${cell(t.variant, comparison.variant.name)}
${cell(t.differs, differs)}
${cell(t.years, `${years[0]}–${years[years.length - 1]}`)}
${cell(t.paths, f.int(comparison.paths))}
${cell(t.seed, String(comparison.seed))}
${cell(t.service, serviceName(comparison.service, comparison.services, locale))}
${cell(t.strategies, comparison.strategies.map((s) => names.get(s.id)!).join(', '))}
${cell(t.version, VERSION)}
</tbody></table>`;

  const tables: string[] = [];
  for (const s of comparison.strategies)
    for (const fig of comparison.figures) {
      const fv = valueFormat(fig, comparison, locale, f);
      const head = [
        t.year,
        t.baseMean,
        t.variantMean,
        t.diffMedian,
        'P5',
        'P95',
        t.diffMean,
        t.pLower,
        t.pGreater,
        t.sdPaired,
        t.sdIndependent,
      ]
        .map((h) => `<th>${escapeHtml(h)}</th>`)
        .join('');
      const body = years
        .map((y) => {
          const r = rowOf(s.id, fig, y);
          const cells = [
            fv.level(r.baseMean),
            fv.level(r.variantMean),
            fv.difference(r.p50),
            fv.difference(r.p5),
            fv.difference(r.p95),
            `${fv.difference(r.mean)} ± ${fv.difference(1.96 * r.mcse)}`,
            f.pct(r.pVariantLower),
            f.pct(r.pVariantGreater),
            fv.difference(r.sd),
            fv.difference(r.independentSd),
          ];
          return `<tr><th>${y}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
        })
        .join('');
      const caption = `${t.caption(figureName(fig, locale), names.get(s.id)!)} (${fv.unit})`;
      tables.push(
        `<table class="summary"><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
      );
    }

  const title = options.title ?? t.title(comparison.base.name, comparison.variant.name);
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${f.date(generatedAt)} ${t.with} ${VERSION}`)}</p>
<p class="question">${escapeHtml(t.question)}</p>
<h2>${escapeHtml(t.reading)}</h2>
<section class="reading">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}</section>
<h2>${escapeHtml(t.inputs)}</h2>
${inputs}
<h2>${escapeHtml(t.charts)}</h2>
${charts.join('\n')}
<h2>${escapeHtml(t.tables)}</h2>
<p class="note">${escapeHtml(t.note)}</p>
${tables.join('\n')}
`,
  );
}
