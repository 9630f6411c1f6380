import type { ScenarioComparison } from '../results/compareScenarios';
import type { Figure } from '../results/values';
import { ResultError } from '../simulation/result';
import { common, displayName, round, top, type ChartOptions, type ChartSpec } from './specs';
import { displayUnit, figureName, figureShortName, serviceName, strategyName, words } from './locale';

/** Options of {@link comparisonChart}. @category Charts */
export interface ComparisonChartOptions extends ChartOptions {
  /** The strategy (default the comparison's first). */
  readonly strategy?: string;
  /** The figure (default the comparison's first). */
  readonly figure?: Figure;
}

const TEXT = {
  en: {
    title: (figure: string, strategy: string) => `Variant − base: ${figure}, ${strategy}`,
    subtitle: (base: string, variant: string) => `“${variant}” − “${base}”, path by path on the same random numbers`,
    pLower: 'Share of paths where the variant is lower',
    // Two bands: a comparison's rows keep P5, P25, P75 and P95 of the difference.
    band: 'bands: P5–P95 and P25–P75, line: median',
  },
  da: {
    title: (figure: string, strategy: string) => `Variant − basis: ${figure}, ${strategy}`,
    subtitle: (base: string, variant: string) =>
      `“${variant}” − “${base}”, forløb for forløb på de samme tilfældige tal`,
    pLower: 'Andel af forløb, hvor varianten er lavere',
    band: 'bånd: P5–P95 og P25–P75, linje: median',
  },
} as const;

/**
 * A fan chart of the paired difference variant − base of a `compareScenarios` comparison,
 * for one strategy and figure: the P5–P95 and P25–P75 bands of the difference per year, its
 * median line and a rule at zero. Money is shown in millions of kr, shares in %.
 *
 * @param comparison - from `compareScenarios`
 * @param options - strategy and figure (default the comparison's first of each), locale, size and title
 * @returns a Vega-Lite specification
 * @throws `OptionError` for an unknown locale or size; {@link ResultError} for a strategy
 *   or figure the comparison does not hold
 * @example
 * ```ts
 * const base = { ...lejre2034(), paths: 20 };
 * const spec = comparisonChart(compareScenarios(base, base, { strategies: ['frame'] }), { locale: 'da' });
 * (spec.data as { values: unknown[] }).values.length; //=> 11
 * ```
 * @category Charts
 */
export function comparisonChart(comparison: ScenarioComparison, options: ComparisonChartOptions = {}): ChartSpec {
  const c = common(options, 'comparisonChart');
  const strategy = options.strategy ?? comparison.strategies[0]?.id;
  const label = comparison.strategies.find((s) => s.id === strategy);
  if (label === undefined)
    throw new ResultError(
      `comparisonChart: strategy ${JSON.stringify(strategy)} is not in the comparison; expected one of ${comparison.strategies.map((s) => `"${s.id}"`).join(', ')}`,
    );
  const figure = options.figure ?? comparison.figures[0]!;
  if (!comparison.figures.includes(figure))
    throw new ResultError(
      `comparisonChart: figure ${JSON.stringify(figure)} is not in the comparison; expected one of ${comparison.figures.join(', ')}`,
    );
  const w = words(c.locale);
  const t = TEXT[c.locale];
  const own = comparison.services.find((s) => s.id === comparison.service || s.group === comparison.service);
  const unit = displayUnit(figure, c.locale, own?.activityUnit);
  const values = comparison.rows
    .filter((r) => r.strategy === strategy && r.figure === figure)
    .map((r) => ({
      year: r.year,
      p5: round(r.p5 * unit.scale),
      p25: round(r.p25 * unit.scale),
      p50: round(r.p50 * unit.scale),
      p75: round(r.p75 * unit.scale),
      p95: round(r.p95 * unit.scale),
      pLower: round(r.pVariantLower),
    }));
  const y = {
    type: 'quantitative',
    title: `${w.differenceAxis} (${unit.share ? (c.locale === 'da' ? 'procentpoint' : 'percentage points') : unit.unit})`,
    axis: { format: unit.share ? '.1%' : unit.format },
  };
  const x = {
    field: 'year',
    type: 'quantitative',
    title: w.year,
    axis: { format: 'd', tickMinStep: 1 },
    scale: { nice: false, zero: false },
  };
  const layer = [
    {
      mark: { type: 'area', opacity: 0.25, color: '#6a51a3' },
      encoding: { x, y: { field: 'p5', ...y }, y2: { field: 'p95' } },
    },
    {
      mark: { type: 'area', opacity: 0.45, color: '#6a51a3' },
      encoding: { x, y: { field: 'p25', ...y }, y2: { field: 'p75' } },
    },
    {
      mark: { type: 'line', strokeWidth: 2, point: true, color: '#3f007d' },
      encoding: {
        x,
        y: { field: 'p50', ...y },
        tooltip: [
          { field: 'year', type: 'quantitative', title: w.year, format: 'd' },
          { field: 'p50', type: 'quantitative', title: w.median, format: y.axis.format },
          { field: 'p5', type: 'quantitative', title: 'P5', format: y.axis.format },
          { field: 'p95', type: 'quantitative', title: 'P95', format: y.axis.format },
          { field: 'pLower', type: 'quantitative', title: t.pLower, format: '.0%' },
        ],
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { datum: 0 } } },
  ];
  const service = serviceName(comparison.service, comparison.services, c.locale).toLowerCase();
  const title =
    options.title ??
    t.title(
      `${figureShortName(figure, c.locale).toLowerCase()}, ${service}`,
      displayName(strategyName(label, c.locale)).toLowerCase(),
    );
  const subtitle = [
    t.subtitle(displayName(comparison.base.name), displayName(comparison.variant.name)),
    `${figureName(figure, c.locale)}; ${t.band}`,
  ];
  return top(c.locale, title, subtitle, { data: { values }, width: c.width ?? 520, height: c.height, layer });
}
