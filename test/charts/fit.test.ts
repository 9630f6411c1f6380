import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { qqChart, familyName } from '../../src/charts/fit';
import { fitDistribution } from '../../src/fit/distributions';
import { quantileFor } from '../../src/random/quantiles';
import { samplerFor } from '../../src/random/uncertain';
import { deriveStream, streamKey } from '../../src/random/stream';
import { toSvg } from '../../src/html/render';
import { OptionError } from '../../src/errors';

const rng = deriveStream(streamKey(3, 'qq'), 0);
const sampler = samplerFor({ dist: 'lognormal', mu: 6, sigma: 0.5 });
const values = Array.from({ length: 80 }, () => sampler(rng));
const fit = fitDistribution(values, { candidates: ['normal', 'lognormal', 'gamma'] });

type Layer = { data: { values: Record<string, number | string>[] }; encoding: Record<string, { title?: string }> };

describe('qqChart', () => {
  it('plots the sorted values against the best fit quantiles at (i − ½)/n, with the identity line', () => {
    const spec = qqChart(fit, values);
    const [line, points] = spec.layer as Layer[];
    const rows = points!.data.values;
    expect(rows).toHaveLength(80);
    const sorted = [...values].sort((a, b) => a - b);
    const q = quantileFor(fit.best);
    rows.forEach((r, i) => {
      expect(r.fit).toBe(familyName(fit.bestFamily));
      expect(r.sample).toBeCloseTo(sorted[i]!, 6);
      expect(r.fitted).toBeCloseTo(q((i + 0.5) / 80), 6);
    });
    // The identity line spans every point on both axes.
    const [a, b] = line!.data.values;
    expect(a!.x).toBe(a!.y);
    expect(b!.x).toBe(b!.y);
    const all = rows.flatMap((r) => [r.fitted as number, r.sample as number]);
    expect(a!.x).toBe(Math.min(...all));
    expect(b!.x).toBe(Math.max(...all));
  });

  it('names the axes with the unit, in English and Danish', () => {
    const en = (qqChart(fit, values, { unit: 'kr' }).layer as Layer[])[1]!.encoding;
    expect(en.x!.title).toBe('Fitted quantile (kr)');
    expect(en.y!.title).toBe('Sample quantile (kr)');
    const daSpec = qqChart(fit, values, { unit: 'timer om ugen', locale: 'da' });
    const da = (daSpec.layer as Layer[])[1]!.encoding;
    expect(da.x!.title).toBe('Tilpasset fraktil (timer om ugen)');
    expect(da.y!.title).toBe('Observeret fraktil (timer om ugen)');
    expect((daSpec.title as { text: string }).text).toBe('Q-Q-plot: data mod den tilpassede fordeling');
    expect((qqChart(fit, values).layer as Layer[])[1]!.encoding.x!.title).toBe('Fitted quantile');
  });

  it('draws the runner-up as a second series when asked', () => {
    const rows = (qqChart(fit, values, { runnerUp: true }).layer as Layer[])[1]!.data.values;
    expect(rows).toHaveLength(160);
    expect(new Set(rows.map((r) => r.fit))).toEqual(
      new Set([familyName(fit.candidates[0]!.family), familyName(fit.candidates[1]!.family)]),
    );
  });

  it('compiles with vega-lite and renders to SVG with a point per value', async () => {
    const spec = qqChart(fit, values, { unit: 'kr' });
    expect(() => compile(spec as unknown as TopLevelSpec)).not.toThrow();
    const svg = await toSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Sample quantile (kr)');
    expect(svg.match(/role-mark[^"]*"/g)?.length).toBeGreaterThan(0);
  });

  it('refuses values that are not the fit’s, a value that is not finite, and a bad size', () => {
    expect(() => qqChart(fit, values.slice(1))).toThrow(
      'qqChart: values must be the 80 values the fit was made from; received 79',
    );
    const bad = [...values];
    bad[4] = NaN;
    expect(() => qqChart(fit, bad)).toThrow('qqChart: values[4] must be a finite number; received NaN');
    expect(() => qqChart(fit, values, { width: 5 })).toThrow(OptionError);
  });
});
