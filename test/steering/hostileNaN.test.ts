import { describe, expect, it } from 'vitest';
import { figureValues, frame, hedenstedRecovery, simulate, slagelseHomeCare } from '../../src/index';

describe('legal options that used to give NaN after the run started', () => {
  it('frame with serviceResponse minLevel 0 and maxCutPerYear 1: a level cut to 0 stays 0, never 0/0', () => {
    const strategy = frame({ serviceResponse: { threshold: 0, maxCutPerYear: 1, minLevel: 0 } });
    const r = simulate({ ...hedenstedRecovery(), paths: 3 }, { strategies: [strategy] });
    for (const a of Object.values(r.figures)) expect(a.every(Number.isFinite)).toBe(true);
  });

  it('an unlimited carry-over of a provider with no market share is 0, not Infinity × 0', () => {
    const s = slagelseHomeCare();
    const providers = s.homeCare!.providers as { private: { marketShare: unknown }[] };
    providers.private[1]!.marketShare = 0;
    const strategy = frame({ id: 'squeeze', carryOver: { surplusCap: null, deficitCap: null } });
    const r = simulate({ ...s, paths: 3 }, { strategies: [strategy] });
    const v = figureValues(r, {
      strategy: 'squeeze',
      service: 'home-care:antvorskov',
      year: 2023,
      figure: 'carryOverKr',
    });
    for (const a of Object.values(r.figures)) expect(a.every(Number.isFinite)).toBe(true);
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
  });
});
