import type { DistributionFit, FitFamily, FittedCandidate } from '../fit/distributions';
import { quantileFor } from '../random/quantiles';
import { OptionError } from '../errors';
import { common, displayName, round, top, type ChartOptions, type ChartSpec } from './specs';
import type { ChartLocale } from './locale';

/** Options of {@link qqChart}. @category Charts */
export interface QqChartOptions extends ChartOptions {
  /** The unit of the values, shown on both axes (for example `"kr"` or `"hours a week"`). */
  readonly unit?: string;
  /** Draw the runner-up fit's points too (default false). */
  readonly runnerUp?: boolean;
}

const FAMILY_NAMES: Readonly<Record<FitFamily, readonly [en: string, da: string]>> = {
  normal: ['Normal', 'Normal'],
  lognormal: ['Lognormal', 'Lognormal'],
  gamma: ['Gamma', 'Gamma'],
  weibull: ['Weibull', 'Weibull'],
  beta: ['Beta', 'Beta'],
  pert: ['PERT', 'PERT'],
  pareto: ['Pareto', 'Pareto'],
  lognormalPareto: ['Lognormal body, Pareto tail', 'Lognormal krop, Pareto-hale'],
};

/**
 * A fitted family's name in words, for a chart's legend or a report's table.
 *
 * @param family - the family
 * @param locale - `"en"` (default) or `"da"`
 * @returns the name, for example "Lognormal body, Pareto tail"
 * @example
 * ```ts
 * familyName('lognormalPareto', 'da'); //=> 'Lognormal krop, Pareto-hale'
 * ```
 * @category Charts
 */
export function familyName(family: FitFamily, locale: ChartLocale = 'en'): string {
  return FAMILY_NAMES[family][locale === 'da' ? 1 : 0];
}

const TEXT = {
  en: {
    title: 'Q-Q plot: the data against the fitted distribution',
    subtitle: (n: number) => [
      `Each point is one of the ${n} values, sorted, against the fit's quantile at (i − ½)/n;`,
      'the points lie on the line where the fit is right',
    ],
    fitted: 'Fitted quantile',
    sample: 'Sample quantile',
    fit: 'Fit',
  },
  da: {
    title: 'Q-Q-plot: data mod den tilpassede fordeling',
    subtitle: (n: number) => [
      `Hvert punkt er en af de ${n} værdier, sorteret, mod fordelingens fraktil ved (i − ½)/n;`,
      'punkterne ligger på linjen, hvor tilpasningen passer',
    ],
    fitted: 'Tilpasset fraktil',
    sample: 'Observeret fraktil',
    fit: 'Fordeling',
  },
} as const;

/**
 * A quantile-quantile chart of a `fitDistribution` result: the sorted values against the
 * best fit's quantiles at the plotting positions (i − ½)/n, with the identity line; the points
 * lie on it where the fit is right, and bend away where the data's tail is heavier or lighter
 * than the fit's. With `runnerUp`, the second-ranked fit's points too, in a second colour.
 *
 * @param fit - from `fitDistribution`
 * @param values - the values the fit was made from (any order), finite numbers
 * @param options - unit of the values, runner-up, locale, size and title
 * @returns a Vega-Lite specification
 * @throws `OptionError` when the values are not the fit's (their count differs), a value is
 *   not finite, or for an unknown locale or size
 * @example
 * ```ts
 * const values = [310, 420, 515, 390, 1210, 610, 450, 380, 720, 505];
 * const spec = qqChart(fitDistribution(values), values, { unit: 'kr', locale: 'da' });
 * (spec.layer as unknown[]).length; //=> 2
 * ```
 * @category Charts
 */
export function qqChart(fit: DistributionFit, values: readonly number[], options: QqChartOptions = {}): ChartSpec {
  const c = common(options, 'qqChart');
  if (values.length !== fit.n)
    throw new OptionError(
      `qqChart: values must be the ${fit.n} values the fit was made from; received ${values.length}`,
      { option: 'qqChart: values', received: values.length },
    );
  values.forEach((x, i) => {
    if (!Number.isFinite(x))
      throw new OptionError(`qqChart: values[${i}] must be a finite number; received ${String(x)}`, {
        option: `qqChart: values[${i}]`,
        received: x,
      });
  });
  const unit = options.unit;
  if (unit !== undefined && typeof unit !== 'string')
    throw new OptionError(`qqChart: unit must be a text; received ${String(unit)}`, {
      option: 'qqChart: unit',
      received: unit,
    });
  const t = TEXT[c.locale];
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const shown: FittedCandidate[] = fit.candidates.slice(0, options.runnerUp === true ? 2 : 1);
  const points = shown.flatMap((candidate) => {
    const q = quantileFor(candidate.distribution);
    const name = familyName(candidate.family, c.locale);
    return sorted.map((x, i) => ({ fit: name, fitted: round(q((i + 0.5) / n)), sample: round(x) }));
  });
  // The range in one pass (a spread of up to 400,000 values would overflow the call stack).
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points)
    for (const v of [p.fitted, p.sample])
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  const suffix = unit === undefined || unit === '' ? '' : ` (${displayName(unit)})`;
  const scale = { zero: false, nice: true };
  const layer = [
    {
      data: {
        values: [
          { x: lo, y: lo },
          { x: hi, y: hi },
        ],
      },
      mark: { type: 'line', color: '#555', strokeDash: [4, 3], strokeWidth: 1 },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale },
        y: { field: 'y', type: 'quantitative', scale },
      },
    },
    {
      data: { values: points },
      mark: { type: 'point', filled: true, size: 28, opacity: 0.75 },
      encoding: {
        x: { field: 'fitted', type: 'quantitative', title: `${t.fitted}${suffix}`, scale },
        y: { field: 'sample', type: 'quantitative', title: `${t.sample}${suffix}`, scale },
        color: {
          field: 'fit',
          type: 'nominal',
          title: t.fit,
          scale: { domain: shown.map((s) => familyName(s.family, c.locale)), range: ['#3f007d', '#e6550d'] },
        },
        shape: { field: 'fit', type: 'nominal', title: t.fit },
        tooltip: [
          { field: 'fit', type: 'nominal', title: t.fit },
          { field: 'fitted', type: 'quantitative', title: t.fitted },
          { field: 'sample', type: 'quantitative', title: t.sample },
        ],
      },
    },
  ];
  return top(c.locale, options.title ?? t.title, t.subtitle(n), {
    width: c.width ?? 420,
    height: options.height ?? 420,
    layer,
  });
}
