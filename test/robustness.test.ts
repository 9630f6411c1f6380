import { describe, expect, it } from 'vitest';
import { parseScenario, presets, simulate, simulateSummary, summarize, summarizeMetrics, type SimulationResult } from '../src/index';
import { deepFreeze } from './fixtures';

/** Every object reachable from a value (arrays included). */
function objectsOf(value: unknown, out = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object' && !out.has(value)) {
    out.add(value);
    for (const v of Object.values(value)) objectsOf(v, out);
  }
  return out;
}

/** The bytes of every figure and metric of a result, to prove it is not changed. */
function fingerprint(r: SimulationResult): string {
  return [...Object.values(r.figures), ...Object.values(r.metrics)].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|');
}

describe('presets are fresh and inputs are never mutated', () => {
  it('two calls of a preset share no object, however deep', () => {
    for (const [name, make] of Object.entries(presets)) {
      const a = objectsOf(make());
      const shared = [...objectsOf(make())].filter((o) => a.has(o));
      expect(shared, name).toEqual([]);
    }
    // Changing a nested field of one call leaves the next untouched.
    const first = presets['slagelse-homecare']!();
    (first.homeCare!.userTimeShare as { max: number }).max = 5;
    expect((presets['slagelse-homecare']!().homeCare!.userTimeShare as { max: number }).max).toBe(0.63);
  });

  it('parseScenario, simulate and the summaries leave deeply frozen inputs as they were', () => {
    for (const [name, make] of Object.entries(presets)) {
      const input = deepFreeze({ ...make(), paths: 4, horizonYears: 3 });
      const before = JSON.stringify(input);
      expect(() => parseScenario(input), name).not.toThrow();
      const r = simulate(input);
      const print = fingerprint(r);
      const options = deepFreeze({ figures: ['treasuryDeviationKr', 'actualCostKr'] as const, percentiles: [5, 50, 95] });
      summarize(r, { figures: [...options.figures], percentiles: [...options.percentiles] });
      summarizeMetrics(r);
      const s = simulateSummary(input, deepFreeze({ figures: ['treasuryDeviationKr'] }));
      summarize(s, { figures: ['treasuryDeviationKr'] });
      expect(fingerprint(r), name).toBe(print);
      expect(JSON.stringify(input), name).toBe(before);
    }
  });
});
