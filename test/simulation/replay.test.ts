import { describe, expect, it } from 'vitest';
import { figureValues, frame, hybrid, RECORDED_FIGURES, replayPath, simulate, SimulationError } from '../../src/index';
import { lejreHomeCare } from '../fixtures';

describe('replayPath', () => {
  const scenario = { ...lejreHomeCare(), paths: 200 };
  const strategies = [frame({ serviceResponse: {} }), hybrid()];
  const full = simulate(scenario, { strategies });

  it('gives the same numbers as the path inside the full run, bit for bit', () => {
    const replay = replayPath(scenario, 137, { strategies });
    expect(replay.result.pathStart).toBe(137);
    for (const f of RECORDED_FIGURES) {
      for (const st of strategies) {
        for (const year of full.years) {
          const a = figureValues(full, { strategy: st.id, year, figure: f })[137];
          const b = figureValues(replay.result, { strategy: st.id, year, figure: f })[0];
          expect(b).toBe(a);
        }
      }
    }
  });

  it('traces every period and every decision consistently with the yearly figures', () => {
    const replay = replayPath(scenario, 5, { strategies });
    expect(replay.periodStart).toHaveLength(132);
    expect(replay.periodStart[0]).toBe('2024-01-01');
    expect(replay.world.groupIds).toEqual(['67-79', '80+']);
    expect(replay.world.population).toHaveLength(12);
    const t = replay.traces.find((x) => x.strategy === 'frame')!;
    expect(t.costKr).toHaveLength(132);
    const cost2030 = t.costKr.slice(72, 84).reduce((a, b) => a + b, 0);
    expect(cost2030).toBeCloseTo(
      figureValues(replay.result, { strategy: 'frame', year: 2030, figure: 'actualCostKr' })[0]!,
      4,
    );
    // 11 years × (adopt, open, 3 follow-ups, settle)
    expect(t.decisions).toHaveLength(66);
    const adopt2030 = t.decisions.find((d) => d.kind === 'adopt' && d.year === 2030)!;
    expect(adopt2030.date).toBe('2029-10-15');
    expect(adopt2030.budgetKr).toBe(
      figureValues(replay.result, { strategy: 'frame', year: 2030, figure: 'adoptedBudgetKr' })[0],
    );
    expect(JSON.parse(JSON.stringify(replay.traces))).toEqual(replay.traces);
  });

  it('rejects a bad path index', () => {
    expect(() => replayPath(scenario, -1)).toThrow(SimulationError);
    expect(() => replayPath(scenario, 1.5)).toThrow(/non-negative integer/);
  });
});
