import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  lejre2034,
  optimizeSteering,
  OptionError,
  ResultError,
  type ChartSpec,
  type SteeringOptimization,
} from '../../src/index';
import { frontierChart } from '../../src/html/index';
import { candidateName, measureName, measureUnit, measureValue } from '../../src/charts/optimize';
import { toSvg } from '../../src/html/render';

/**
 * Real results of optimizeSteering on Lejre (hybrid corridor, marginal rate and regulation; mean
 * treasury's share in 2030 against the provider's P95 in 2030): the limit at 10 % (kept by some
 * designs) and at 5 % (kept by none of the kinds searched).
 */
const load = (name: string): SteeringOptimization =>
  JSON.parse(readFileSync(new URL(`../fixtures/optimize/lejre-${name}.json`, import.meta.url), 'utf8'));
const feasible = load('feasible');
const infeasible = load('infeasible');

type Row = {
  id: string;
  name: string;
  x: number;
  y: number;
  isDefault: boolean;
  front: boolean;
  frontOrder: number;
  best: boolean;
};
type Layer = {
  mark: { type: string } & Record<string, unknown>;
  transform?: Record<string, unknown>[];
  encoding: Record<string, Record<string, unknown>>;
  data?: unknown;
};
const rowsOf = (spec: ChartSpec): Row[] => (spec.data as { values: Row[] }).values;
const layersOf = (spec: ChartSpec): Layer[] => spec.layer as Layer[];
const filterOf = (l: Layer): unknown => l.transform?.find((t) => 'filter' in t)?.filter;

/** The visible text of an SVG: its text elements' content. */
function svgText(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' | ');
}

describe('frontierChart', () => {
  it('compiles with vega-lite and renders to SVG with vega in Node, in English and Danish', async () => {
    for (const result of [feasible, infeasible])
      for (const locale of ['en', 'da'] as const) {
        const spec = frontierChart(result, { locale });
        expect(() => compile(spec as unknown as TopLevelSpec)).not.toThrow();
        const svg = await toSvg(spec);
        expect(svg.startsWith('<svg')).toBe(true);
        // One point per candidate is drawn (vega writes each symbol as a path).
        expect(svg.split('<path').length).toBeGreaterThan(result.candidates.length);
      }
  });

  it('draws every candidate, and the frontier line through exactly the frontier ids in their order', () => {
    const spec = frontierChart(feasible);
    const rows = rowsOf(spec);
    expect(rows.map((r) => r.id)).toEqual(feasible.candidates.map((c) => c.id));
    const front = rows.filter((r) => r.front).sort((a, b) => a.frontOrder - b.frontOrder);
    expect(front.map((r) => r.id)).toEqual(feasible.frontier!.ids);
    const line = layersOf(spec).find((l) => l.mark.type === 'line')!;
    expect(filterOf(line)).toBe('datum.front');
    expect(line.encoding.order).toEqual({ field: 'frontOrder', type: 'quantitative' });
    // Coordinates are the candidates' frontier measures in the display units (m kr; a share as is).
    const c = feasible.candidates[5]!;
    expect(rows[5]!.x).toBeCloseTo(c.frontier![0] / 1e6, 9);
    expect(rows[5]!.y).toBeCloseTo(c.frontier![1], 12);
  });

  it('marks the built-in defaults with squares and labels them, and rings the best', async () => {
    const spec = frontierChart(feasible);
    const rows = rowsOf(spec);
    const defaults = feasible.candidates.filter((c) => c.isDefault).map((c) => c.id);
    expect(defaults).toEqual(['frame (default)', 'hybrid (default)', 'activity (default)']);
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual(defaults);
    const layers = layersOf(spec);
    const marked = layers.find((l) => l.mark.type === 'point' && filterOf(l) === 'datum.isDefault')!;
    const shape = marked.encoding.shape as { scale: { domain: string[]; range: string[] } };
    const role = (marked.transform!.find((t) => 'calculate' in t)!.calculate as string).replace(/"/g, '');
    expect(shape.scale.range[shape.scale.domain.indexOf(role)]).toBe('square');
    // Each default is labelled once: right of its square, or left of it near the plot's right edge.
    const labels = layers.filter((l) => l.mark.type === 'text' && String(filterOf(l)).startsWith('datum.isDefault'));
    expect(labels.map((l) => [filterOf(l), l.mark.align])).toEqual([
      ['datum.isDefault && !datum.labelLeft', 'left'],
      ['datum.isDefault && datum.labelLeft', 'right'],
    ]);
    expect(rows.filter((r) => r.best).map((r) => r.id)).toEqual([feasible.best]);
    const ring = layers.find((l) => l.mark.type === 'point' && filterOf(l) === 'datum.best')!;
    expect(ring.mark.filled).toBe(false);
    const text = svgText(await toSvg(spec));
    for (const name of ['Frame (default)', 'Hybrid (default)', 'Activity steering (default)', 'Best'])
      expect(text).toContain(name);
  });

  it('titles the axes with the measures in words and their units', () => {
    const en = layersOf(frontierChart(feasible))[0]!.encoding;
    expect(en.x!.title).toBe('Treasury’s share, mean 2030 (m kr)');
    expect(en.y!.title).toBe('Provider’s share, P95 2030 (%)');
    const da = layersOf(frontierChart(feasible, { locale: 'da' }))[0]!.encoding;
    expect(da.x!.title).toBe('Kassens andel, gennemsnit 2030 (mio. kr.)');
    expect(da.y!.title).toBe('Udførerens andel, P95 2030 (%)');
  });

  it('draws a rule at a constraint’s limit on its axis, and none where no constraint limits an axis', () => {
    const rules = (spec: ChartSpec) => layersOf(spec).filter((l) => l.mark.type === 'rule');
    const [rule] = rules(frontierChart(feasible));
    expect(rule!.encoding.y).toEqual({ datum: 0.1, type: 'quantitative' });
    expect(rules(frontierChart(infeasible))[0]!.encoding.y).toEqual({ datum: 0.05, type: 'quantitative' });
    // A frontier whose y is another measure than the constraint's: no limit to draw.
    const other: SteeringOptimization = {
      ...feasible,
      measures: {
        ...feasible.measures,
        frontier: {
          x: feasible.measures.frontier!.x,
          y: {
            ...feasible.measures.frontier!.y,
            statistic: { kind: 'mean' },
            label: 'mean of providerDeviationPct in 2030',
          },
        },
      },
    };
    expect(rules(frontierChart(other))).toEqual([]);
  });

  it('names a limit on y in the right margin, beyond the points and their labels', () => {
    for (const [result, label] of [
      [feasible, 'limit: at most 10%'],
      [infeasible, 'limit: at most 5%'],
    ] as const) {
      const spec = frontierChart(result);
      const named = layersOf(spec).find((l) => l.mark.type === 'text' && l.encoding.text?.value === label)!;
      // Its left end past the plot's right edge (the chart's width), centred on the line.
      expect(named.encoding.x).toEqual({ value: spec.width });
      expect(named.mark).toMatchObject({ align: 'left', baseline: 'middle' });
      expect(named.mark.dx).toBeGreaterThan(0);
    }
  });

  it('labels a default left of its square where its label would run past the plot', () => {
    const rows = rowsOf(frontierChart(infeasible));
    const byId = new Map(rows.map((r) => [r.id, r as Row & { labelLeft: boolean }]));
    // Frame and activity at their defaults lie left on the x axis; the hybrid's default far right.
    expect(byId.get('frame (default)')!.labelLeft).toBe(false);
    expect(byId.get('activity (default)')!.labelLeft).toBe(false);
    const moved = {
      ...infeasible,
      candidates: infeasible.candidates.map((c) =>
        c.id === 'activity (default)' ? { ...c, frontier: [40e6, c.frontier![1]] as const } : c,
      ),
    };
    expect(rowsOf(frontierChart(moved)).find((r) => r.id === 'activity (default)')).toMatchObject({
      labelLeft: true,
    });
    // Only defaults carry a label.
    expect(rows.filter((r) => !r.isDefault).every((r) => !(r as Row & { labelLeft: boolean }).labelLeft)).toBe(true);
  });

  it('draws the frontier through a reference design no other beats', () => {
    // Activity steering at its defaults beats every hybrid on both measures here.
    const rows = rowsOf(frontierChart(infeasible));
    expect(rows.filter((r) => r.front).map((r) => r.id)).toEqual(['frame (default)', 'activity (default)']);
  });

  it('speaks Danish on the Danish chart', async () => {
    const text = svgText(await toSvg(frontierChart(feasible, { locale: 'da' })));
    for (const word of [
      'Afvejning: kassens andel over for udførerens andel',
      'Rammestyring (standard)',
      'Aktivitetsstyring (standard)',
      'Bedst',
      'grænse: højst 10\u00a0%',
      'Effektiv front',
      'Afprøvet styringsmodel',
      'forløb',
    ])
      expect(text).toContain(word);
    for (const word of [/\bFrame\b/, /\bdefault\b/, /\bTreasury/i, /\bProvider/i, /\blimit\b/, /\bBest\b/, /\bthe\b/])
      expect(text).not.toMatch(word);
  });

  it('names candidates, measures and values in words', () => {
    const c = feasible.candidates.find((k) => k.id === 'hybrid(regulate=excess, corridor=0.05, marginalRate=0.5)')!;
    expect(candidateName(c, 'en')).toBe('Hybrid (corridor 5%, marginal rate 50%, regulates the excess only)');
    expect(candidateName(c, 'da')).toBe(
      'Hybrid (korridor 5\u00a0%, marginalsats 50\u00a0%, regulerer kun det overskydende)',
    );
    const m = feasible.measures.constraints[0]!;
    expect(measureName(m, 'en', true)).toBe('the P95 of the provider’s share in 2030');
    expect(measureName(m, 'da', true)).toBe('P95 for udførerens andel i 2030');
    const p = { ...m, statistic: { kind: 'probability', above: true, threshold: 0 } as const, from: 2026, to: 2030 };
    expect(measureName(p, 'en')).toBe('Provider’s share, probability > 0% 2026–2030');
    expect(measureUnit(p, 'en').share).toBe(true);
    expect(measureValue(feasible.measures.objective, 34_705_032, 'en')).toBe('34.7\u00a0m kr');
    expect(measureValue(feasible.measures.objective, 34_705_032, 'da')).toBe('34,7\u00a0mio. kr.');
    expect(measureValue(feasible.measures.objective, -420_000, 'en')).toBe('\u22120.42\u00a0m kr');
  });

  it('refuses a result without a frontier and an unknown locale, naming them', () => {
    const { frontier: _omit, ...rest } = feasible;
    expect(() => frontierChart(rest)).toThrow(ResultError);
    expect(() => frontierChart(rest)).toThrow(/no frontier/);
    expect(() => frontierChart(feasible, { locale: 'fr' as 'da' })).toThrow(OptionError);
  });

  it('draws a small real result', async () => {
    const r = await optimizeSteering(lejre2034(), {
      candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
      objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
      constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
      paths: 60,
      evaluations: 10,
      verify: { paths: 100 },
    });
    const spec = frontierChart(r, { locale: 'da' });
    const front = rowsOf(spec)
      .filter((x) => x.front)
      .sort((a, b) => a.frontOrder - b.frontOrder);
    expect(front.map((x) => x.id)).toEqual(r.frontier!.ids);
    expect(svgText(await toSvg(spec))).toContain('Kassens andel, gennemsnit 2030 (mio. kr.)');
  }, 60_000);
});
