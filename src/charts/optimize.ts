import type { EvaluatedCandidate, SteeringOptimization } from '../optimize/optimize';
import type { MeasureSpec } from '../optimize/problem';
import { ResultError } from '../simulation/result';
import { common, displayName, round, top, type ChartOptions, type ChartSpec } from './specs';
import { displayUnit, figureShortName, metricName, serviceName, type ChartLocale, type DisplayUnit } from './locale';

/** Options of {@link frontierChart}. @category Charts */
export type FrontierChartOptions = ChartOptions;

/** The colours of the frontier chart, from the charts' palette. */
const COLOURS = { tried: '#bab0ac', frontier: '#4c78a8', defaults: '#f58518', best: '#e45756', limit: '#555' };

const TEXT = {
  en: {
    title: (x: string, y: string) => `Trade-off: ${x} against ${y}`,
    subtitle: (paths: string) =>
      `Every design tried, on the same ${paths} paths; the line joins the designs no other beats on both measures`,
    tried: 'Design tried',
    frontier: 'Frontier (no design better on both)',
    defaults: 'Built-in steering, default settings',
    best: 'Best design (after re-evaluation)',
    bestLabel: 'Best',
    design: 'Design',
    id: 'Id',
    keeps: 'Keeps every limit',
    yes: 'yes',
    no: 'no',
    limitAtMost: (v: string) => `limit: at most ${v}`,
    limitAtLeast: (v: string) => `limit: at least ${v}`,
  },
  da: {
    title: (x: string, y: string) => `Afvejning: ${x} over for ${y}`,
    subtitle: (paths: string) =>
      `Alle afprøvede styringsmodeller på de samme ${paths} forløb; linjen forbinder dem, som ingen anden slår på begge mål`,
    tried: 'Afprøvet styringsmodel',
    frontier: 'Effektiv front (ingen anden er bedre på begge)',
    defaults: 'Indbygget styring, standardindstillinger',
    best: 'Bedste styringsmodel (efter genberegning)',
    bestLabel: 'Bedst',
    design: 'Styringsmodel',
    id: 'Id',
    keeps: 'Overholder alle grænser',
    yes: 'ja',
    no: 'nej',
    limitAtMost: (v: string) => `grænse: højst ${v}`,
    limitAtLeast: (v: string) => `grænse: mindst ${v}`,
  },
} as const;

/** The built-in strategies' names by kind, short (a chart label), English and Danish. */
const KIND_NAMES: Readonly<Record<string, readonly [en: string, da: string]>> = {
  frame: ['Frame', 'Rammestyring'],
  'demographic-frame': ['Demographic frame', 'Demografireguleret ramme'],
  demographicFrame: ['Demographic frame', 'Demografireguleret ramme'],
  hybrid: ['Hybrid', 'Hybrid'],
  'hybrid-next-year': ['Hybrid (next year)', 'Hybrid (næste år)'],
  activity: ['Activity steering', 'Aktivitetsstyring'],
};

/** How a setting's value reads: a share in %, an amount in m kr, or a word from a table. */
type SettingKind = 'share' | 'kr' | 'number';

/** The searchable settings of the built-in strategies: English, Danish, how the value reads. */
const SETTINGS: Readonly<Record<string, readonly [en: string, da: string, kind: SettingKind]>> = {
  corridor: ['corridor', 'korridor', 'share'],
  marginalRate: ['marginal rate', 'marginalsats', 'share'],
  priceCorrection: ['price correction', 'efterregulering', 'share'],
  healthyAgeingPerYear: ['healthy ageing a year', 'sund aldring pr. år', 'share'],
  reserveKr: ['reserve', 'reserve', 'kr'],
  pricePerUnitKr: ['price per unit', 'pris pr. enhed', 'number'],
};

/** Settings whose value is a word: `regulate=full` reads "regulates the whole deviation". */
const SETTING_WORDS: Readonly<Record<string, readonly [en: string, da: string]>> = {
  'regulate=full': ['regulates the whole deviation', 'regulerer hele afvigelsen'],
  'regulate=excess': ['regulates the excess only', 'regulerer kun det overskydende'],
  'basis=delivered': ['paid for delivered activity', 'afregnet efter leveret aktivitet'],
  'basis=ordered': ['paid for ordered activity', 'afregnet efter bestilt aktivitet'],
  'mode=corridor': ['corridor', 'korridor'],
  'mode=nextYear': ["next year's frame from this year's activity", 'næste års ramme fra årets aktivitet'],
  'expost=none': ['no ex-post correction', 'ingen efterregulering'],
  'expost=same': ['ex-post correction the same year', 'efterregulering samme år'],
  'expost=next': ['ex-post correction the next year', 'efterregulering næste år'],
};

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function numberText(x: number, locale: ChartLocale, options: Intl.NumberFormatOptions): string {
  const text = new Intl.NumberFormat(locale === 'da' ? 'da-DK' : 'en-GB', options).format(x);
  return Number(text.replace(/[^\d]/g, '')) === 0 ? text.replace(/^[-\u2212]/, '') : text.replace(/^-/, '\u2212');
}

function settingText(name: string, value: unknown, locale: ChartLocale): string {
  const da = locale === 'da';
  const word = own(SETTING_WORDS, `${name}=${String(value)}`);
  if (word !== undefined) return da ? word[1] : word[0];
  const known = own(SETTINGS, name);
  const label = known === undefined ? name : da ? known[1] : known[0];
  if (typeof value !== 'number') return `${label} ${value === null ? (da ? 'ingen' : 'none') : String(value)}`;
  switch (known?.[2]) {
    case 'share':
      return `${label} ${numberText(value, locale, { style: 'percent', maximumFractionDigits: 2 })}`;
    case 'kr':
      return `${label} ${numberText(value / 1e6, locale, { maximumFractionDigits: 2 })}\u00a0${da ? 'mio. kr.' : 'm kr'}`;
    default:
      return `${label} ${numberText(value, locale, { maximumSignificantDigits: 4 })}`;
  }
}

/**
 * A candidate's name in words: its strategy's name, then its settings ("Hybrid (corridor 1.41%,
 * marginal rate 100%, regulates the whole deviation)" / "Hybrid (korridor 1,41 %, marginalsats
 * 100 %, regulerer hele afvigelsen)"); a built-in at its defaults as "Frame (default)" /
 * "Rammestyring (standard)".
 *
 * @internal
 */
export function candidateName(
  candidate: Pick<EvaluatedCandidate, 'kind' | 'settings' | 'isDefault' | 'spec'>,
  locale: ChartLocale,
): string {
  const da = locale === 'da';
  const mode = candidate.spec.mode;
  const key = candidate.kind === 'hybrid' && mode === 'nextYear' ? 'hybrid-next-year' : candidate.kind;
  const names = own(KIND_NAMES, key);
  const base = names === undefined ? candidate.kind : da ? names[1] : names[0];
  if (candidate.isDefault) return `${base} (${da ? 'standard' : 'default'})`;
  // Numbers first, then the settings that read as words ("regulates the whole deviation").
  const entries = Object.entries(candidate.settings);
  const parts = [
    ...entries.filter(([, v]) => typeof v === 'number'),
    ...entries.filter(([, v]) => typeof v !== 'number'),
  ].map(([k, v]) => settingText(k, v, locale));
  return parts.length === 0 ? base : `${base} (${parts.join(', ')})`;
}

/**
 * The unit a measure is shown in: a probability in %, a figure's own display unit (m kr, %),
 * a metric's (% for a share, m kr for kr, else the number as it is).
 *
 * @internal
 */
export function measureUnit(m: MeasureSpec, locale: ChartLocale): DisplayUnit {
  const percent = { scale: 1, unit: '%', format: '.1%', axisFormat: '~%', share: true };
  if (m.statistic.kind === 'probability') return percent;
  if (m.figure !== undefined) return displayUnit(m.figure, locale);
  const metric = m.metric ?? '';
  if (metricName(metric, [], locale).share) return percent;
  if (metric.endsWith('Kr')) return displayUnit('actualCostKr', locale);
  return { scale: 1, unit: '', format: ',.1f', axisFormat: ',~f', share: false };
}

/**
 * A measure's value as text in its unit: "44.8 m kr", "6.5%" / "44,8 mio. kr.", "6,5 %". `bare`
 * leaves the unit of kr out (a table whose header names it); `number` leaves every unit out, the %
 * too (the low end of a range "6.2–6.7%"); `limit` writes a limit as given, without trailing
 * zeros ("5%", "10 m kr").
 *
 * @internal
 */
export function measureValue(
  m: MeasureSpec,
  value: number,
  locale: ChartLocale,
  style: 'full' | 'bare' | 'number' | 'limit' = 'full',
): string {
  const unit = measureUnit(m, locale);
  const least = style === 'limit' ? 0 : 1;
  if (unit.share && style === 'number')
    return numberText(value * 100, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (unit.share)
    return numberText(value, locale, {
      style: 'percent',
      minimumFractionDigits: least,
      maximumFractionDigits: style === 'limit' ? 2 : 1,
    });
  const shown = value * unit.scale;
  const digits = unit.scale !== 1 && Math.abs(shown) < 0.995 ? 2 : 1;
  const text = numberText(shown, locale, {
    minimumFractionDigits: style === 'limit' ? 0 : digits,
    maximumFractionDigits: style === 'limit' ? 3 : digits,
  });
  return style === 'bare' || style === 'number' || unit.unit === '' ? text : `${text}\u00a0${unit.unit}`;
}

/** The threshold of a probability, in the figure's unit. */
function thresholdText(m: MeasureSpec, threshold: number, locale: ChartLocale): string {
  const plain: MeasureSpec = { ...m, statistic: { kind: 'mean' } };
  return measureValue(plain, threshold, locale, 'limit');
}

/**
 * What a measure reads: the figure or metric, and the service when not the total.
 *
 * @internal
 */
export function whatOf(m: MeasureSpec, locale: ChartLocale): string {
  const name = m.figure !== undefined ? figureShortName(m.figure, locale) : metricName(m.metric ?? '', [], locale).name;
  return m.figure !== undefined && m.service !== 'total' ? `${name} (${serviceName(m.service, [], locale)})` : name;
}

function yearsOf(m: MeasureSpec): string {
  return m.from === m.to ? String(m.from) : `${m.from}–${m.to}`;
}

function percentOf(p: number): string {
  return `${Number((p * 100).toPrecision(10))}`;
}

function lower(name: string): string {
  return /^\p{Lu}\p{Ll}/u.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

/**
 * A measure's name in words. As a title (default): the figure first, then the statistic and the
 * years, "Treasury’s share, mean 2030" / "Kassens andel, gennemsnit 2030". In a sentence
 * (`sentence` true): "the mean of the treasury’s share in 2030" / "gennemsnittet af kassens
 * andel i 2030".
 *
 * @internal
 */
export function measureName(m: MeasureSpec, locale: ChartLocale, sentence = false): string {
  const da = locale === 'da';
  const what = whatOf(m, locale);
  const years = yearsOf(m);
  const s = m.statistic;
  if (!sentence) {
    const stat =
      s.kind === 'mean'
        ? da
          ? 'gennemsnit'
          : 'mean'
        : s.kind === 'quantile'
          ? s.p === 0.5
            ? 'median'
            : `P${percentOf(s.p)}`
          : s.kind === 'es'
            ? da
              ? `gns. af de værste ${percentOf(1 - s.p)}\u00a0%`
              : `mean of the worst ${percentOf(1 - s.p)}%`
            : `${da ? 'sandsynlighed for' : 'probability'} ${s.above ? '>' : '<'} ${thresholdText(m, s.threshold, locale)}`;
    return `${what}, ${stat} ${years}`;
  }
  const it = `${da ? '' : 'the '}${lower(what)} ${da ? 'i' : 'in'} ${years}`;
  switch (s.kind) {
    case 'mean':
      return da ? `gennemsnittet af ${it}` : `the mean of ${it}`;
    case 'quantile':
      return s.p === 0.5
        ? da
          ? `medianen af ${it}`
          : `the median of ${it}`
        : da
          ? `P${percentOf(s.p)} for ${it}`
          : `the P${percentOf(s.p)} of ${it}`;
    case 'es':
      return da
        ? `gennemsnittet af de værste ${percentOf(1 - s.p)}\u00a0% for ${it}`
        : `the mean of the worst ${percentOf(1 - s.p)}% of ${it}`;
    case 'probability': {
      const t = thresholdText(m, s.threshold, locale);
      return da
        ? `sandsynligheden for at ${it} er ${s.above ? 'over' : 'under'} ${t}`
        : `the probability that ${it} is ${s.above ? 'above' : 'below'} ${t}`;
    }
  }
}

/** A measure's axis title: its name and its unit, "Treasury’s share, mean 2030 (m kr)". */
function axisTitle(m: MeasureSpec, locale: ChartLocale): string {
  const unit = measureUnit(m, locale);
  return unit.unit === '' ? measureName(m, locale) : `${measureName(m, locale)} (${unit.unit})`;
}

/** Whether two measures are the same (the same statistic of the same figure, service and years). */
function sameMeasure(a: MeasureSpec, b: MeasureSpec): boolean {
  return a.label === b.label;
}

/**
 * The trade-off of an `optimizeSteering` result: every candidate evaluated as a grey point on
 * the frontier's two measures (by default the objective against the first constraint), the
 * frontier (the candidates no other beats on both, the reference designs included) joined by a
 * line, the built-in strategies at their defaults as labelled squares, the best design after
 * re-evaluation ringed, and a dashed rule at a constraint's limit where a constraint limits one of
 * the two measures (a limit on y named in the right margin). Axes name the
 * measure in words with its unit (m kr, %); tooltips give each candidate's name, id and values.
 *
 * @param result - from `optimizeSteering`, with a frontier (a problem with a constraint or a frontier)
 * @param options - locale, size and title
 * @returns a Vega-Lite specification
 * @throws `OptionError` for an unknown locale or size; {@link ResultError} for a result without
 *   a frontier or without its measures
 * @example
 * ```ts
 * const r = await optimizeSteering(lejre2034(), {
 *   candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
 *   objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
 *   constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
 *   paths: 60,
 *   evaluations: 10,
 * });
 * const spec = frontierChart(r, { locale: 'da' });
 * ```
 * @category Charts
 */
export function frontierChart(result: SteeringOptimization, options: FrontierChartOptions = {}): ChartSpec {
  const c = common(options, 'frontierChart');
  if (result.frontier === undefined)
    throw new ResultError(
      'frontierChart: the optimisation has no frontier; give the problem a constraint or a frontier { x, y }',
    );
  const axes = result.measures?.frontier;
  if (axes === undefined)
    throw new ResultError(
      'frontierChart: the optimisation has no measures.frontier (a result from before the measures were recorded); run optimizeSteering again',
    );
  const t = TEXT[c.locale];
  const ux = measureUnit(axes.x, c.locale);
  const uy = measureUnit(axes.y, c.locale);
  const front = new Map(result.frontier.ids.map((id, i) => [id, i]));
  const width = c.width ?? 680;
  // A default's label runs right of its square, or left of it where it would run past the plot's
  // right edge (into the margin where a limit on y is named): its x on the data's range, its
  // width at about 6.2 px a character of 11 px type.
  const xs = result.candidates.map((k) => k.frontier![0]);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const leftward = (x: number, name: string) =>
    xMax > xMin && ((x - xMin) / (xMax - xMin)) * width + 9 + 6.2 * [...name].length > width;
  const values = result.candidates.map((k) => {
    const name = displayName(candidateName(k, c.locale));
    return {
      id: k.id,
      name,
      x: round(k.frontier![0] * ux.scale),
      y: round(k.frontier![1] * uy.scale),
      isDefault: k.isDefault,
      front: front.has(k.id),
      frontOrder: front.get(k.id) ?? -1,
      best: k.id === result.best,
      keeps: k.feasible ? t.yes : t.no,
      labelLeft: k.isDefault && leftward(k.frontier![0], name),
    };
  });
  const xTitle = axisTitle(axes.x, c.locale);
  const yTitle = axisTitle(axes.y, c.locale);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: xTitle,
    axis: { format: ux.axisFormat, tickCount: 8 },
    scale: { zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: yTitle,
    axis: { format: uy.axisFormat, tickCount: 8 },
    scale: { zero: false },
  };
  const roles = [t.tried, t.frontier, t.defaults, t.best];
  const role = (name: string) => ({ calculate: JSON.stringify(name), as: 'role' });
  const legend = {
    field: 'role',
    type: 'nominal',
    title: null,
    scale: { domain: roles, range: [COLOURS.tried, COLOURS.frontier, COLOURS.defaults, COLOURS.best] },
    legend: { orient: 'bottom', direction: 'horizontal', columns: 2, symbolStrokeWidth: 2, labelLimit: 420 },
  };
  const shape = {
    field: 'role',
    type: 'nominal',
    title: null,
    scale: { domain: roles, range: ['circle', 'circle', 'square', 'circle'] },
  };
  const tooltip = [
    { field: 'name', type: 'nominal', title: t.design },
    { field: 'id', type: 'nominal', title: t.id },
    { field: 'x', type: 'quantitative', title: xTitle, format: ux.format },
    { field: 'y', type: 'quantitative', title: yTitle, format: uy.format },
    { field: 'keeps', type: 'nominal', title: t.keeps },
  ];
  const layer: Record<string, unknown>[] = [
    {
      transform: [{ filter: '!datum.isDefault' }, role(t.tried)],
      mark: { type: 'point', filled: true, size: 40, opacity: 0.75 },
      encoding: { x, y, color: legend, shape, tooltip },
    },
    {
      transform: [{ filter: 'datum.front' }, role(t.frontier)],
      mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 60 } },
      encoding: { x, y, color: legend, order: { field: 'frontOrder', type: 'quantitative' }, tooltip },
    },
    {
      transform: [{ filter: 'datum.isDefault' }, role(t.defaults)],
      mark: { type: 'point', filled: true, size: 90, stroke: '#111', strokeWidth: 0.8, opacity: 1 },
      encoding: { x, y, color: legend, shape, tooltip },
    },
    {
      transform: [{ filter: 'datum.isDefault && !datum.labelLeft' }],
      mark: { type: 'text', align: 'left', dx: 9, dy: -7, fontSize: 11, color: '#8a4a00' },
      encoding: { x, y, text: { field: 'name', type: 'nominal' } },
    },
    {
      transform: [{ filter: 'datum.isDefault && datum.labelLeft' }],
      mark: { type: 'text', align: 'right', dx: -9, dy: -7, fontSize: 11, color: '#8a4a00' },
      encoding: { x, y, text: { field: 'name', type: 'nominal' } },
    },
    {
      transform: [{ filter: 'datum.best' }, role(t.best)],
      mark: { type: 'point', filled: false, size: 320, strokeWidth: 2.5, opacity: 1 },
      encoding: { x, y, color: legend, tooltip },
    },
    {
      transform: [{ filter: 'datum.best' }],
      mark: { type: 'text', align: 'center', dy: 22, fontSize: 11, fontWeight: 'bold', color: COLOURS.best },
      encoding: { x, y, text: { value: t.bestLabel } },
    },
  ];
  // A rule at each limit a constraint sets on one of the two measures.
  result.measures.constraints.forEach((m, i) => {
    const limits = result.constraints[i];
    if (limits === undefined) return;
    for (const [axis, spec, unit] of [
      ['x', axes.x, ux],
      ['y', axes.y, uy],
    ] as const) {
      if (!sameMeasure(m, spec)) continue;
      for (const [bound, text] of [
        [limits.max, t.limitAtMost],
        [limits.min, t.limitAtLeast],
      ] as const) {
        if (bound === undefined) continue;
        const datum = round(bound * unit.scale);
        const label = text(measureValue(spec, bound, c.locale, 'limit'));
        layer.push({
          data: { values: [{}] },
          mark: { type: 'rule', strokeDash: [5, 4], color: COLOURS.limit },
          encoding: { [axis]: { datum, type: 'quantitative' } },
        });
        // A limit on y is named in the right margin, past its line's end by more than half the
        // width of the best's ring and label (at the right edge when the best has the largest x),
        // where no other label lies: inside the plot it overlapped the designs' labels near it.
        layer.push({
          data: { values: [{}] },
          mark:
            axis === 'y'
              ? { type: 'text', align: 'left', baseline: 'middle', dx: 18, fontSize: 11, color: COLOURS.limit }
              : { type: 'text', align: 'left', baseline: 'top', dx: 4, fontSize: 11, color: COLOURS.limit, angle: 0 },
          encoding:
            axis === 'y'
              ? { y: { datum, type: 'quantitative' }, x: { value: width }, text: { value: label } }
              : { x: { datum, type: 'quantitative' }, y: { value: 2 }, text: { value: label } },
        });
      }
    }
  });
  const title = options.title ?? t.title(lower(whatOf(axes.x, c.locale)), lower(whatOf(axes.y, c.locale)));
  const paths = numberText(result.search.paths, c.locale, { maximumFractionDigits: 0 });
  const subtitle = t.subtitle(paths);
  return top(c.locale, displayName(title), subtitle, {
    data: { values },
    width,
    height: c.height === 220 && options.height === undefined ? 360 : c.height,
    layer,
  });
}
