import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figureValues, frame, lejre2034, parseScenario, simulate } from '../src/index';
import { frameWithReserve } from '../examples/custom-strategy';

describe('examples', () => {
  it('a custom strategy runs and is reported like a built-in one', () => {
    const r = simulate({ ...lejre2034(), paths: 300 }, { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }), frameWithReserve(0.02)] });
    expect(r.strategies.map((s) => s.id)).toEqual(['frame', 'frame-reserve']);
    for (const year of r.years) {
      const plain = figureValues(r, { strategy: 'frame', year, figure: 'providerDeviationPct' });
      const pooled = figureValues(r, { strategy: 'frame-reserve', year, figure: 'providerDeviationPct' });
      for (let i = 0; i < r.pathCount; i++) {
        expect(pooled[i]!).toBeLessThanOrEqual(0.02 + 1e-12);
        expect(pooled[i]!).toBeCloseTo(Math.min(plain[i]!, 0.02), 12);
      }
    }
  });

  it('the example scenario file is the lejre-2034 preset and is valid', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'lejre-2034.json'), 'utf8'));
    expect(parseScenario(file)).toEqual(parseScenario({ ...lejre2034(), paths: 5000 }));
  });
});
