import { describe, expect, it } from 'vitest';
import { activity, demographicFrame, frame, hybrid, lejre2034, simulate } from '../../src/index';
import { renderReport } from '../../src/html/index';

describe('a built-in strategy given an id of its own is named with it', () => {
  it('two frames strict and loose are told apart; the default id keeps the plain name', () => {
    expect(frame({ id: 'strict' }).label).toBe('Frame (rammestyring): strict');
    expect(frame({ id: 'loose' }).label).toBe('Frame (rammestyring): loose');
    expect(frame().label).toBe('Frame (rammestyring)');
    expect(frame({ id: 'x', label: 'Mine' }).label).toBe('Mine');
    expect(activity({ id: 'a2' }).label).toBe('Activity (aktivitetsstyring): a2');
  });

  it('in Danish too: the Danish term with the id, carried by the result into the Danish report', async () => {
    expect(frame({ id: 'strict' }).labels).toEqual({ en: 'Frame (rammestyring): strict', da: 'Rammestyring: strict' });
    expect(demographicFrame({ id: 'd' }).labels?.da).toBe('Demografireguleret ramme: d');
    expect(hybrid({ id: 'h' }).labels?.da).toBe('Hybrid (ramme med aktivitetskorridor): h');
    expect(activity({ id: 'a2' }).labels?.da).toBe('Aktivitetsstyring: a2');
    // A label of one's own is the name in every language.
    expect(frame({ id: 'x', label: 'Mine' }).labels).toBeUndefined();
    expect(frame().labels).toBeUndefined();
    const result = simulate(
      { ...lejre2034(), paths: 20, horizonYears: 2 },
      { strategies: [frame({ id: 'strict' }), activity({ id: 'kl', label: 'KL-model' })] },
    );
    expect(result.strategies[0]!.labels?.da).toBe('Rammestyring: strict');
    const da = await renderReport(result, { locale: 'da', generatedAt: new Date(2026, 11, 6) });
    // In a sentence a capitalised word is lower case; an acronym keeps its case.
    expect(da).toContain('Under rammestyring: strict overstiger');
    expect(da).toContain('Under KL-model overstiger');
    expect(da).not.toContain('Frame (rammestyring)');
    const en = await renderReport(result, { locale: 'en', generatedAt: new Date(2026, 11, 6) });
    expect(en).toContain('Under Frame (rammestyring): strict, the cost');
  });
});
