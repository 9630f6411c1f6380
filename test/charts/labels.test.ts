import { describe, expect, it } from 'vitest';
import { fanChart, mergeResults, overspendChart, resultFromJSON, resultToJSON } from '../../src/index';
import { labelledRun, reserve } from './labelled';

describe('the names of plug-ins in charts: labels[locale], else the built-in term, else label', () => {
  const r = labelledRun();
  const names = (spec: object) => JSON.stringify(spec);

  it('in Danish a strategy and a service of one’s own are named by their Danish labels; built-ins keep their Danish terms', () => {
    const fan = names(fanChart(r, { figure: 'providerDeviationKr', service: 'night-care', locale: 'da' }));
    expect(fan).toContain('Ramme med reservepulje');
    expect(fan).toContain('Rammestyring');
    expect(fan).not.toContain('Frame with a reserve pool');
    expect(fan).toContain('nattepleje');
    const over = names(overspendChart(r, { service: 'night-care', locale: 'da' }));
    expect(over).toContain('Ramme med reservepulje');
  });

  it('in English, without an English label, they are named by label', () => {
    const fan = names(fanChart(r, { figure: 'providerDeviationKr', service: 'night-care', locale: 'en' }));
    expect(fan).toContain('Frame with a reserve pool');
    expect(fan).not.toContain('Ramme med reservepulje');
    expect(fan).toContain('night care');
  });

  it('a label in the locale wins over the built-in term', () => {
    const own = {
      ...r,
      strategies: r.strategies.map((s) => (s.id === 'frame' ? { ...s, labels: { da: 'Vores ramme' } } : s)),
    };
    const fan = names(fanChart(own, { figure: 'providerDeviationKr', service: 'night-care', locale: 'da' }));
    expect(fan).toContain('Vores ramme');
    expect(fan).not.toContain('Rammestyring');
  });
});

describe('a run and its labels', () => {
  it('a run passes the definitions’ labels on to its result (strategies and services), through JSON and merging', () => {
    const r = labelledRun();
    expect(r.strategies).toEqual([
      { id: 'frame', label: 'Frame (rammestyring)' },
      { id: 'reserve', label: 'Frame with a reserve pool', labels: { da: 'Ramme med reservepulje' } },
    ]);
    expect(r.services.map((s) => [s.id, s.labels])).toEqual([['night-care', { da: 'Nattepleje' }]]);
    const back = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON(r))));
    expect(back.strategies).toEqual(r.strategies);
    expect(back.services).toEqual(r.services);
    const merged = mergeResults([labelledRun({ pathStart: 0, paths: 15 }), labelledRun({ pathStart: 15, paths: 25 })]);
    expect(merged.strategies).toEqual(r.strategies);
    expect(merged.services).toEqual(r.services);
  });

  it('the result holds a copy of the names, as plain data', () => {
    const r = labelledRun();
    expect(r.strategies[1]!.labels).not.toBe(reserve.labels);
    expect(structuredClone(r.strategies)).toEqual(r.strategies);
  });
});
