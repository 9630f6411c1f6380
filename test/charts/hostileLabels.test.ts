import { describe, expect, it } from 'vitest';
import { fanChart, metricsChart, runModel, frame, buildModel, parseScenario, lejre2034 } from '../../src/index';
import { NAME_LIMIT } from '../../src/charts/specs';

describe('charts with a very long service name', () => {
  it('cut titles and panel headers to the stated length; the width stays as given', () => {
    const long = 'x'.repeat(100_000);
    const model = buildModel(parseScenario({ ...lejre2034(), paths: 4, horizonYears: 2 }));
    const services = model.services.map((s) => (s.id === 'care-homes' ? { ...s, label: long } : s));
    const result = runModel({ ...model, services }, [frame()]);
    const fan = fanChart(result, { service: 'care-homes', width: 300 });
    const title = (fan.title as { text: string }).text;
    expect(title.length).toBeLessThan(NAME_LIMIT + 40);
    expect(title).toContain('…');
    expect((fan.spec as { width: number }).width).toBe(300);
    const metrics = metricsChart(result, { width: 300 });
    const measures = (metrics.data as { values: { measure: string }[] }).values.map((v) => v.measure);
    for (const m of measures)
      for (const part of m.split(': ')) expect([...part].length).toBeLessThanOrEqual(NAME_LIMIT + 4);
    expect((metrics.spec as { width: number }).width).toBe(300);
  });
});
