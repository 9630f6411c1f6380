import { describe, expect, it } from 'vitest';
import {
  activity,
  buildModel,
  createHistory,
  frame,
  parseScenario,
  runModel,
  type ServiceDefinition,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

/**
 * A plug-in service of constant activity that skips writing one figure in the periods `skips`
 * says, on the paths it says: the figure is the previous path's, if the engine reuses histories.
 */
function skipping(
  figure: 'costKr' | 'deliveredUnits' | 'metric' | 'line',
  skips: (path: number, period: number) => boolean,
): ServiceDefinition {
  return {
    id: 'skipper',
    label: 'Skipper',
    activityUnit: 'visits',
    metrics: [{ id: 'visits', label: 'Visits', aggregate: 'sum' }],
    ...(figure === 'line'
      ? {
          activityLines: [
            { id: 'day', label: 'Day' },
            { id: 'night', label: 'Night' },
          ],
        }
      : {}),
    create(setup) {
      const baseline = createHistory(setup.timeline.horizonYears + 1, 0, figure === 'line' ? 2 : 1);
      baseline.costKr.fill(1000);
      baseline.neededUnits.fill(10);
      baseline.orderedUnits.fill(10);
      baseline.deliveredUnits.fill(10);
      for (const line of baseline.lines) {
        line.orderedUnits.fill(10 / baseline.lines.length);
        line.deliveredUnits.fill(10 / baseline.lines.length);
      }
      let path = 0;
      return {
        baseline,
        reset(p) {
          path = p;
        },
        step(p, _world, out) {
          // Each path's own values: path 0 writes 1s, path 1 writes 2s ...
          const x = path + 1;
          const skip = skips(path, p);
          out.neededUnits[p] = x;
          out.orderedUnits[p] = x;
          if (!(skip && figure === 'deliveredUnits')) out.deliveredUnits[p] = x;
          if (!(skip && figure === 'costKr')) out.costKr[p] = 100 * x;
          if (!(skip && figure === 'metric')) out.metrics[0]![p] = x;
          for (let l = 0; l < out.lines.length && out.lines.length > 1; l++) {
            if (skip && figure === 'line' && l === 1) continue;
            out.lines[l]!.orderedUnits[p] = x / 2;
            out.lines[l]!.deliveredUnits[p] = x / 2;
          }
        },
      };
    },
  };
}

describe("a plug-in never inherits the previous path's numbers", () => {
  const scenario = parseScenario({ ...lejreHomeCare(), paths: 4 });
  /** Path 1 leaves the figure unwritten in the periods of 2025 and 2027, the others write it. */
  const skips = (path: number, p: number) => path === 1 && (Math.floor(p / 12) === 1 || Math.floor(p / 12) === 3);
  const key = (r: ReturnType<typeof runModel>, i: number, year: number) => {
    const k = r.services.findIndex((x) => x.id === 'skipper');
    return (k * r.years.length + r.years.indexOf(year)) * r.pathCount + i;
  };

  for (const figure of ['costKr', 'deliveredUnits', 'metric', 'line'] as const) {
    it(`a ${figure} left unwritten in a period is 0 there, not the last path's value, and the path equals itself run alone`, () => {
      const model = buildModel(scenario, { services: [skipping(figure, skips)] });
      const strategies = [frame(), activity()];
      const r = runModel(model, strategies);
      // Path 1 writes 2s; in 2025 and 2027 the skipped figure is 0, not path 0's 1s.
      const at2025 = key(r, 1, 2025);
      const at2026 = key(r, 1, 2026);
      if (figure === 'costKr') {
        expect(r.figures.actualCostKr[at2025]).toBe(0);
        expect(r.figures.actualCostKr[at2026]).toBe(200 * 12);
      }
      if (figure === 'deliveredUnits') {
        expect(r.figures.deliveredUnits[at2025]).toBe(0);
        expect(r.figures.deliveredUnits[at2026]).toBe(2 * 12);
      }
      if (figure === 'metric') {
        const visits = r.metrics['skipper.visits']!;
        const H = r.years.length;
        expect(visits[(0 * H + 1) * r.pathCount + 1]).toBe(0);
        expect(visits[(0 * H + 2) * r.pathCount + 1]).toBe(2 * 12);
      }
      // Every path's figures equal those of the path run on its own, after no other path.
      for (let i = 0; i < r.pathCount; i++) {
        const alone = runModel(model, strategies, { pathStart: i, paths: 1 });
        for (const [name, values] of Object.entries(alone.figures) as [string, Float64Array][]) {
          const all = (r.figures as unknown as Record<string, Float64Array>)[name]!;
          values.forEach((v, j) => expect(all[j * r.pathCount + i], `${name} path ${i}`).toBe(v));
        }
      }
    });
  }

  it('a line left unwritten is 0 to the strategies that read it', () => {
    const seen: number[] = [];
    const model = buildModel(scenario, { services: [skipping('line', skips)] });
    runModel(model, [
      {
        id: 'reader',
        label: 'Reader',
        create: (setup) => ({
          reset() {},
          adopt: () => 0,
          open: (ctx) => ctx.currentBudgetKr,
          followUp: (ctx) => ctx.currentBudgetKr,
          settle(ctx) {
            if (setup.serviceId === 'skipper' && ctx.year === 2025)
              seen.push(ctx.actualLineSum(1, 'deliveredUnits', 12, 24));
            return ctx.currentBudgetKr;
          },
          carryOver: () => 0,
        }),
      },
    ]);
    // x / 2 a period for path x − 1 (path 1 skipped): 0.5, 1.5 and 2 × 12.
    expect(seen).toEqual([6, 0, 18, 24]);
  });
});
