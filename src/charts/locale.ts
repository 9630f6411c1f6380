import type { Figure } from '../results/values';
import type { NamesByLanguage } from '../services/service';
import { OptionError } from '../errors';
import { DANISH_STRATEGY_NAMES } from '../steering/strategy';

/** Languages of chart and report labels. @category Charts */
export type ChartLocale = 'da' | 'en';

/** The locales charts and reports speak. @internal */
export const LOCALES: readonly ChartLocale[] = ['da', 'en'];

/**
 * The locale asked for, or a RangeError naming the value received.
 *
 * @internal
 */
export function checkLocale(locale: unknown, where: string): ChartLocale {
  if (locale === undefined) return 'en';
  if (typeof locale === 'string' && (LOCALES as readonly string[]).includes(locale)) return locale as ChartLocale;
  throw new OptionError(`${where}: locale must be "da" or "en"; received ${JSON.stringify(locale)}`, {
    option: `${where}: locale`,
    received: locale,
  });
}

/** How a figure is shown: the factor from its own unit to the shown one, and the unit in words. @internal */
export interface DisplayUnit {
  /** Shown value = value × scale. */
  readonly scale: number;
  /** Unit in words, for axis titles ("m kr", "%", "hours"). */
  readonly unit: string;
  /** Vega-Lite / d3 number format of tooltips and labels (fixed decimals). */
  readonly format: string;
  /** d3 number format of an axis's ticks: no spurious decimals (`40`, not `40.0`). */
  readonly axisFormat: string;
  /** Whether the shown value is a share (drawn as %). */
  readonly share: boolean;
}

/** The display unit of a figure: money in millions of kr, shares in %, activity in its own units. @internal */
export function displayUnit(figure: Figure, locale: ChartLocale, activityUnit?: string): DisplayUnit {
  if (figure.endsWith('Kr'))
    return {
      scale: 1e-6,
      unit: locale === 'da' ? 'mio. kr.' : 'm kr',
      format: ',.1f',
      axisFormat: ',~f',
      share: false,
    };
  if (figure.endsWith('Pct') || figure === 'serviceGapShare')
    return { scale: 1, unit: '%', format: '.1%', axisFormat: '~%', share: true };
  return {
    scale: 1,
    unit: activityUnit ?? (locale === 'da' ? 'enheder' : 'units'),
    format: ',.0f',
    axisFormat: ',~f',
    share: false,
  };
}

const FIGURES: Readonly<Record<Figure, readonly [en: string, da: string]>> = {
  adoptedBudgetKr: ['Adopted budget', 'Vedtaget budget'],
  openingBudgetKr: ['Opening budget', 'Korrigeret budget ved årets start'],
  finalBudgetKr: ['Final budget', 'Endeligt budget'],
  actualCostKr: ['Actual cost', 'Regnskab (faktisk udgift)'],
  carryOverKr: ['Carry-over', 'Overførsel'],
  neededUnits: ['Needed activity', 'Behov (aktivitet)'],
  orderedUnits: ['Ordered activity', 'Bestilt aktivitet'],
  deliveredUnits: ['Delivered activity', 'Leveret aktivitet'],
  treasuryDeviationKr: ['Overrun (actual cost − adopted budget)', 'Merforbrug (regnskab − vedtaget budget)'],
  treasuryShareKr: ['Treasury’s share (final − adopted budget)', 'Kassens andel (endeligt − vedtaget budget)'],
  providerDeviationKr: [
    'Provider’s share (actual cost − final budget)',
    'Udførerens andel (regnskab − endeligt budget)',
  ],
  treasuryDeviationPct: ['Overrun in % of the adopted budget', 'Merforbrug i pct. af vedtaget budget'],
  treasurySharePct: ['Treasury’s share in % of the adopted budget', 'Kassens andel i pct. af vedtaget budget'],
  providerDeviationPct: ['Provider’s share in % of the adopted budget', 'Udførerens andel i pct. af vedtaget budget'],
  serviceGapShare: [
    'Service gap (share of needs not ordered)',
    'Serviceefterslæb (andel af behov, der ikke bestilles)',
  ],
};

const SHORT: Readonly<Record<Figure, readonly [en: string, da: string]>> = {
  adoptedBudgetKr: ['Adopted budget', 'Vedtaget budget'],
  openingBudgetKr: ['Opening budget', 'Budget ved årets start'],
  finalBudgetKr: ['Final budget', 'Endeligt budget'],
  actualCostKr: ['Actual cost', 'Regnskab'],
  carryOverKr: ['Carry-over', 'Overførsel'],
  neededUnits: ['Needed', 'Behov'],
  orderedUnits: ['Ordered', 'Bestilt'],
  deliveredUnits: ['Delivered', 'Leveret'],
  treasuryDeviationKr: ['Overrun', 'Merforbrug'],
  treasuryShareKr: ['Treasury’s share', 'Kassens andel'],
  providerDeviationKr: ['Provider’s share', 'Udførerens andel'],
  treasuryDeviationPct: ['Overrun', 'Merforbrug'],
  treasurySharePct: ['Treasury’s share', 'Kassens andel'],
  providerDeviationPct: ['Provider’s share', 'Udførerens andel'],
  serviceGapShare: ['Service gap', 'Serviceefterslæb'],
};

/** A figure's short name, for axis titles (a long axis title would widen the chart). @internal */
export function figureShortName(figure: Figure, locale: ChartLocale): string {
  const names = SHORT[figure];
  return locale === 'da' ? names[1] : names[0];
}

/** A figure's name in words. @internal */
export function figureName(figure: Figure, locale: ChartLocale): string {
  const names = FIGURES[figure];
  return locale === 'da' ? names[1] : names[0];
}

/** A built-in term by id: own entries only, so an id like `toString` finds nothing. */
function term<T>(table: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

const STRATEGIES = DANISH_STRATEGY_NAMES;

/**
 * A strategy's or service's names by language, as its definition gives them (`labels`), and as
 * a result carries them when its maker passed them on.
 *
 * @internal
 */
export interface Named {
  readonly id: string;
  readonly label: string;
  readonly labels?: NamesByLanguage;
}

/**
 * A strategy's name: its own name in the locale (`labels`) when it gives one; else its label in
 * English and the Danish term for the built-in strategies in Danish.
 *
 * @internal
 */
export function strategyName(strategy: Named, locale: ChartLocale): string {
  const own = strategy.labels?.[locale];
  if (own !== undefined) return own;
  return locale === 'da' ? (term(STRATEGIES, strategy.id) ?? strategy.label) : strategy.label;
}

const SERVICES: Readonly<Record<string, readonly [en: string, da: string]>> = {
  total: ['All services', 'Alle ydelser'],
  'home-care': ['Home care', 'Hjemmepleje'],
  'care-homes': ['Care homes', 'Plejeboliger'],
  specialised: ['Specialised adult social area', 'Det specialiserede voksenområde'],
};

/**
 * A service's name: its own name in the locale (`labels`) when it gives one; else its label in
 * English and the Danish term for the built-in services in Danish.
 *
 * @internal
 */
export function serviceName(
  id: string,
  services: readonly (Named & { readonly group?: string })[],
  locale: ChartLocale,
): string {
  const own = services.find((s) => s.id === id);
  const named = own?.labels?.[locale];
  if (named !== undefined) return named;
  const known = term(SERVICES, id);
  if (locale === 'da' && known !== undefined) return known[1];
  if (own !== undefined) return own.label;
  if (known !== undefined) return known[0];
  return id;
}

/** A service's name without its parenthesis ("Care homes (plejeboliger)" → "Care homes"), for panel headers. @internal */
export function shortServiceName(
  id: string,
  services: readonly (Named & { readonly group?: string })[],
  locale: ChartLocale,
): string {
  return serviceName(id, services, locale).replace(/\s*\(.*\)\s*$/, '');
}

const METRICS: Readonly<Record<string, readonly [en: string, da: string, share?: boolean]>> = {
  waiting: ['Citizens on the waiting list', 'Borgere på venteliste'],
  guaranteeBreaches: ['Guarantee breaches (placed externally)', 'Brudt garanti (placeret eksternt)'],
  externalPlacements: ['Citizens in external places', 'Borgere i eksterne pladser'],
  occupancy: ['Occupied share of own places', 'Belægning af egne pladser', true],
  admissions: ['Admissions to own places', 'Indflytninger i egne pladser'],
  exits: ['Residents leaving own places', 'Fraflytninger fra egne pladser'],
  waitDaysOfAdmitted: ['Days waited by the admitted (sum)', 'Ventedage for de indflyttede (sum)'],
  cases: ['Open cases', 'Åbne sager'],
  inflow: ['New cases', 'Nye sager'],
  outflow: ['Closed cases', 'Lukkede sager'],
  topFiveShare: ['Cost share of the five most expensive cases', 'Udgiftsandel for de fem dyreste sager', true],
  ownShare: ['Share of cases in own places', 'Andel af sager i egne tilbud', true],
  emptyOwnPlaces: ['Own places standing empty', 'Tomme egne pladser'],
  backPaymentKr: ['Back-payment to the provider (kr)', 'Efterbetaling til leverandøren (kr.)'],
  marginKr: [
    'The provider’s margin: payment minus its own cost (kr)',
    'Leverandørens margin: betaling minus egne udgifter (kr.)',
  ],
};

/** A metric key `"<service>.<metric>"` in words, and whether it is a share. @internal */
export function metricName(
  key: string,
  services: readonly { readonly id: string; readonly label: string }[],
  locale: ChartLocale,
): { readonly name: string; readonly share: boolean } {
  const dot = key.lastIndexOf('.');
  const service = dot > 0 ? key.slice(0, dot) : '';
  const id = dot > 0 ? key.slice(dot + 1) : key;
  const known = term(METRICS, id);
  const what = known === undefined ? id : locale === 'da' ? known[1] : known[0];
  const where = service === '' ? '' : `${shortServiceName(service, services, locale)}: `;
  return { name: `${where}${what}`, share: known?.[2] === true };
}

/** Words used by more than one chart. @internal */
export function words(locale: ChartLocale) {
  return locale === 'da'
    ? {
        year: 'År',
        strategy: 'Styring',
        median: 'Median',
        band: 'Bånd: P5–P95, P10–P90 og P25–P75, linje: median',
        pOverspend: 'Sandsynlighed for merforbrug',
        probability: 'Sandsynlighed',
        overspendTitle: 'Sandsynlighed for merforbrug pr. år',
        difference: 'Parret forskel',
        differenceAxis: 'Forskel',
        differenceSub: 'Pr. forløb, på de samme tilfældige tal; bånd: P5–P95, P10–P90 og P25–P75, linje: median',
        metricsTitle: 'Ydelsernes egne mål over tid',
        value: 'Værdi',
        distributionOf: 'Fordeling i',
        persons: 'personer',
        whoTitle: 'Hvem bærer merforbruget',
        whoSub:
          'Gennemsnit pr. år: kassens andel (endeligt − vedtaget budget) og udførerens andel (regnskab − endeligt budget) lagt sammen; den sorte streg er merforbruget (regnskab − vedtaget budget), de to andeles sum',
        part: 'Hvem bærer det',
        total: 'Merforbrug i alt',
        exceedTitle: 'Sandsynligheden for at overskride et beløb',
        exceedAxis: 'Sandsynlighed for at overstige',
        shareOfPaths: 'Andel af forløb',
        binNote: (width: string) =>
          `Søjlebredde ${width}; højden er andelen af forløbene i søjlen; samme skala for alle styringsmodeller`,
        from: 'Fra',
        to: 'Til',
        sameAs: 'som',
        mean: 'Gennemsnit',
        sameAll: 'ens under alle styringsmodeller',
      }
    : {
        year: 'Year',
        strategy: 'Steering',
        median: 'Median',
        band: 'Bands: P5–P95, P10–P90 and P25–P75, line: median',
        pOverspend: 'Probability of overspend',
        probability: 'Probability',
        overspendTitle: 'Probability of overspend per year',
        difference: 'Paired difference',
        differenceAxis: 'Difference',
        differenceSub: 'Path by path, on the same random numbers; bands: P5–P95, P10–P90 and P25–P75, line: median',
        metricsTitle: "The services' own measures over time",
        value: 'Value',
        distributionOf: 'Distribution in',
        persons: 'persons',
        whoTitle: 'Who bears the overrun',
        whoSub:
          "Mean per year: the treasury's share (final − adopted budget) and the provider's share (actual cost − final budget) stacked; the black line is the overrun (actual cost − adopted budget), the two shares' sum",
        part: 'Who bears it',
        total: 'Overrun in all',
        exceedTitle: 'The probability of exceeding an amount',
        exceedAxis: 'Probability of exceeding',
        shareOfPaths: 'Share of paths',
        binNote: (width: string) =>
          `Bars ${width} wide; the height is the share of paths in the bar; one scale for every strategy`,
        from: 'From',
        to: 'To',
        sameAs: 'as',
        mean: 'Mean',
        sameAll: 'the same under every strategy',
      };
}

/**
 * Vega's number locale (d3-format): Danish decimal comma and thousands point, or English.
 *
 * @internal
 */
export function vegaNumberLocale(locale: ChartLocale): {
  decimal: string;
  thousands: string;
  grouping: number[];
  currency: [string, string];
  percent: string;
} {
  // Danish writes a space before the per cent sign ("100 %"), English none ("100%").
  return locale === 'da'
    ? { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' kr.'], percent: '\u00a0%' }
    : { decimal: '.', thousands: ',', grouping: [3], currency: ['', ' kr'], percent: '%' };
}

// The readable CSV files (`--csv-locale en` and `da`): their column headers and the names of
// figures and measures as the files give them, in English and Danish. Names are the report's and
// the charts' own (figureName, metricName), with the unit a column holds: "(kr.)" or "(%)".

const CSV_COLUMNS = {
  strategy: ['Steering strategy', 'Styringsmodel'],
  service: ['Service', 'Ydelse'],
  year: ['Year', 'År'],
  figure: ['Figure', 'Nøgletal'],
  metric: ['Measure', 'Mål'],
  paths: ['Paths', 'Forløb'],
  mean: ['Mean', 'Gennemsnit'],
  sd: ['Standard deviation', 'Standardafvigelse'],
  mcse: ['Monte Carlo error of the mean', 'Monte Carlo-fejl på gennemsnittet'],
  min: ['Lowest', 'Laveste'],
  max: ['Highest', 'Højeste'],
  p5: ['P5', 'P5'],
  p50: ['P50', 'P50'],
  p95: ['P95', 'P95'],
  pOverspend: ['Probability of overspend (%)', 'Sandsynlighed for merforbrug (%)'],
  pOverspend1: [
    'Probability of overspend above 1 % of the adopted budget (%)',
    'Sandsynlighed for merforbrug over 1 % af vedtaget budget (%)',
  ],
  pOverspend5: [
    'Probability of overspend above 5 % of the adopted budget (%)',
    'Sandsynlighed for merforbrug over 5 % af vedtaget budget (%)',
  ],
  shortfall: ['Expected shortfall (mean of the worst 5 % of paths)', 'Gennemsnit i de værste 5 % af forløbene'],
  pAboveZero: ['Share of paths above 0 (%)', 'Andel af forløb over 0 (%)'],
} as const satisfies Record<string, readonly [en: string, da: string]>;

/** A column of the readable summary and metrics CSV files. @internal */
export type CsvColumn = keyof typeof CSV_COLUMNS;

/** A readable CSV file's column header in the locale. @internal */
export function csvHeader(column: CsvColumn, locale: ChartLocale): string {
  const names = CSV_COLUMNS[column];
  return locale === 'da' ? names[1] : names[0];
}

const CSV_FIGURES: Partial<Readonly<Record<Figure, readonly [en: string, da: string]>>> = {
  treasuryDeviationKr: ['Overrun (kr)', 'Merforbrug (kr.)'],
  treasuryDeviationPct: ['Overrun (%)', 'Merforbrug (%)'],
  treasuryShareKr: ['Treasury’s share (kr)', 'Kassens andel (kr.)'],
  treasurySharePct: ['Treasury’s share (%)', 'Kassens andel (%)'],
  providerDeviationKr: ['Provider’s share (kr)', 'Udførerens andel (kr.)'],
  providerDeviationPct: ['Provider’s share (%)', 'Udførerens andel (%)'],
};

/**
 * A figure's name in a readable CSV file, with the unit its numbers are given in: its own CSV
 * name where it has one, else its name in words ({@link figureName}) with "(kr.)" for money and
 * "(%)" for a share.
 *
 * @internal
 */
export function csvFigureName(figure: Figure, locale: ChartLocale): string {
  const own = CSV_FIGURES[figure];
  if (own !== undefined) return locale === 'da' ? own[1] : own[0];
  const unit = figure.endsWith('Kr') ? (locale === 'da' ? 'kr.' : 'kr') : displayUnit(figure, locale).share ? '%' : '';
  return unit === '' ? figureName(figure, locale) : `${figureName(figure, locale)} (${unit})`;
}

/**
 * A measure's name in a readable CSV file, without its service (which has a column of its own),
 * "(%)" after a share, and whether it is one (given in percent).
 *
 * @internal
 */
export function csvMetricName(metric: string, locale: ChartLocale): { readonly name: string; readonly share: boolean } {
  const m = metricName(metric, [], locale);
  return { name: m.share ? `${m.name} (%)` : m.name, share: m.share };
}

// ---------------------------------------------------------------------------------------------
// Sensitivity analyses: the input groups' and the scalar inputs' names, and how an input's value
// is written. One table for the report, its charts, the command line and the CSV.
// ---------------------------------------------------------------------------------------------

/** The built-in input groups' names: English, Danish, and whether the English name is plural. */
const SENSITIVITY_GROUPS: Readonly<Record<string, readonly [en: string, da: string, plural: boolean]>> = {
  demography: ['demography', 'demografi', false],
  'use-rates': ['use rates', 'modtagerandele', true],
  intensity: ['hours per recipient', 'timer pr. modtager', true],
  productivity: ['productivity', 'produktivitet', false],
  prices: ['prices and wages', 'priser og lønninger', true],
  providers: ["providers' market shares", 'leverandørernes markedsandele', true],
  'care-home-flows': ['care-home flows', 'plejeboligforløb', true],
  'specialised-cases': ['specialised cases', 'specialområdets sager', true],
  interventions: ["interventions' effects", 'indsatsernes effekter', true],
  residual: ['interactions and error', 'samspil og usikkerhed', true],
};

/**
 * The ids of the built-in input groups with their names in a language, in the order of the
 * table (the residual last), for help texts and legends.
 *
 * @internal
 */
export function sensitivityGroupNames(locale: ChartLocale): readonly (readonly [id: string, name: string])[] {
  return Object.entries(SENSITIVITY_GROUPS).map(([id, n]) => [id, locale === 'da' ? n[1] : n[0]] as const);
}

/**
 * An input group's name in words: a built-in group's name in the language, a merged group
 * (`"use-rates + intensity"`, as a correlation makes it) as its parts' names joined by " + ",
 * any other id as it is. `plural` says whether an English verb after it takes the plural.
 *
 * @internal
 */
export function sensitivityGroupName(
  id: string,
  locale: ChartLocale,
): { readonly name: string; readonly plural: boolean } {
  const known = term(SENSITIVITY_GROUPS, id);
  if (known !== undefined) return { name: locale === 'da' ? known[1] : known[0], plural: known[2] };
  const parts = id.split(' + ');
  if (parts.length > 1 && parts.every((p) => term(SENSITIVITY_GROUPS, p) !== undefined))
    return { name: parts.map((p) => sensitivityGroupName(p, locale).name).join(' + '), plural: true };
  return { name: id, plural: false };
}

/** How a scalar input's value reads: a rate a year, a share, hours a week or a factor. */
type InputKind = 'rate' | 'share' | 'hours' | 'factor';

/**
 * The scalar inputs of the built-in services by the last part of their id: English, Danish, the
 * Danish in a sentence (definite), and how the value reads.
 */
const SCALAR_INPUTS: Readonly<Record<string, readonly [en: string, da: string, daDefinite: string, kind: InputKind]>> =
  {
    hoursPerRecipientPerWeek: [
      'hours per recipient a week',
      'timer pr. modtager pr. uge',
      'timerne pr. modtager pr. uge',
      'hours',
    ],
    undeliveredShare: [
      'share of hours not delivered',
      'andel ikke leverede timer',
      'andelen af ikke leverede timer',
      'share',
    ],
    userTimeShare: ['share of paid time with citizens', 'brugertidsandel', 'brugertidsandelen', 'share'],
    useRateFactor: ['use-rate factor', 'faktor på modtagerandele', 'faktoren på modtagerandelene', 'factor'],
    useRateTrendPerYear: ['trend in use rates', 'udvikling i modtagerandele', 'udviklingen i modtagerandelene', 'rate'],
    hoursTrendPerYear: [
      'trend in hours per recipient',
      'udvikling i timer pr. modtager',
      'udviklingen i timer pr. modtager',
      'rate',
    ],
    priceGrowthPerYear: ['growth in cost per case', 'vækst i udgift pr. sag', 'væksten i udgift pr. sag', 'rate'],
  };

/** A scalar input's parts: the service it belongs to, its name's entry and kind, or nothing known. */
function scalarInput(id: string): { service?: string; intervention?: string; entry?: (typeof SCALAR_INPUTS)[string] } {
  const iv = /^interventions\.(.+)\.effect$/.exec(id);
  if (iv !== null) return { intervention: iv[1]! };
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return {};
  const entry = term(SCALAR_INPUTS, id.slice(dot + 1));
  return entry === undefined ? {} : { service: id.slice(0, dot), entry };
}

/**
 * A scalar input's name in words, from its id (`"<service>.<parameter>"`,
 * `"interventions.<id>.effect"`): the service's name and the parameter's, "Home care: trend in
 * hours per recipient" / "Hjemmepleje: udvikling i timer pr. modtager". An id it does not know
 * (a trend formula's parameter, a custom service's input) is returned as it is. In a sentence
 * (`sentence` true) the parameter comes first, definite, and the service after it in brackets:
 * "the trend in hours per recipient (home care)" / "udviklingen i timer pr. modtager (hjemmepleje)".
 *
 * @internal
 */
export function scalarInputName(id: string, locale: ChartLocale, sentence = false): string {
  const da = locale === 'da';
  const { service, intervention, entry } = scalarInput(id);
  if (intervention !== undefined) {
    const name = da ? `effekt af indsatsen ${intervention}` : `effect of intervention ${intervention}`;
    return sentence
      ? da
        ? `${name.replace(/^effekt/, 'effekten')}`
        : `the ${name}`
      : name[0]!.toUpperCase() + name.slice(1);
  }
  if (service === undefined || entry === undefined) return id;
  const where = serviceName(service, [], locale);
  if (!sentence) return `${where}: ${da ? entry[1] : entry[0]}`;
  const lower = /^\p{Lu}\p{Ll}/u.test(where) ? where[0]!.toLowerCase() + where.slice(1) : where;
  return `${da ? entry[2] : `the ${entry[0]}`} (${lower})`;
}

/** A number as the language writes it, with a minus sign (U+2212) and never a signed zero. */
function plainNumber(x: number, locale: ChartLocale, options: Intl.NumberFormatOptions): string {
  const text = new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', { ...options }).format(x);
  // A value that rounds to zero is written without a sign.
  const zero = Number(text.replace(/[^\d]/g, '')) === 0;
  return (zero ? text.replace(/^[-+\u2212]/, '') : text).replace(/^-/, '\u2212');
}

/**
 * A scalar input's value, or its range from `low` to `high`, in its own units: a change a year
 * as "−0.6% a year" / "−0,6 % pr. år" (signed), a share in per cent, hours a week, a factor
 * "×1.02"; an input it does not know with three significant digits.
 *
 * @internal
 */
export function scalarInputValue(id: string, low: number, locale: ChartLocale, high?: number): string {
  const da = locale === 'da';
  const { intervention, entry } = scalarInput(id);
  const kind: InputKind | undefined = intervention !== undefined ? 'share' : entry?.[3];
  const one = (x: number): string => {
    switch (kind) {
      case 'rate':
        return plainNumber(x, locale, {
          style: 'percent',
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
          signDisplay: 'exceptZero',
        });
      case 'share':
        return plainNumber(x, locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
      case 'hours':
        return plainNumber(x, locale, { maximumFractionDigits: 1 });
      case 'factor':
        return `×${plainNumber(x, locale, { minimumFractionDigits: 2, maximumFractionDigits: 3 })}`;
      default:
        return plainNumber(x, locale, { maximumSignificantDigits: 3 });
    }
  };
  const unit =
    kind === 'rate' ? (da ? ' pr. år' : ' a year') : kind === 'hours' ? (da ? ' timer pr. uge' : ' hours a week') : '';
  const text = high === undefined ? one(low) : `${one(low)} ${da ? 'til' : 'to'} ${one(high)}`;
  return `${text}${unit}`;
}
