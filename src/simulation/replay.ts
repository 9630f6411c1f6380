import { parseScenario } from '../scenario/parse';
import { strategiesFromSpecs } from '../steering/fromSpec';
import type { StrategyDefinition } from '../steering/strategy';
import type { CalendarEventKind } from '../scenario/timeline';
import { runModel } from './engine';
import { requireCount, SimulationError } from './errors';
import { buildModel } from './model';
import type { SimulationResult } from './result';

/** A budget decision on a replayed path. @category Simulation */
export interface TracedDecision {
  readonly kind: CalendarEventKind;
  /** The budget year concerned. */
  readonly year: number;
  /** The decision's date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Periods whose actuals were known. */
  readonly knownPeriods: number;
  /** The budget in force after the decision (kr). */
  readonly budgetKr: number;
  /** The service level in force after it. */
  readonly serviceLevel: number;
}

/** One strategy and service on a replayed path, period by period. @category Simulation */
export interface PathTrace {
  readonly strategy: string;
  readonly service: string;
  /** Service level in force in each period. */
  readonly serviceLevel: number[];
  readonly neededUnits: number[];
  readonly orderedUnits: number[];
  readonly deliveredUnits: number[];
  readonly costKr: number[];
  /** The service's metrics in each period, by metric id (for example `waiting` for care homes). */
  readonly metrics: Record<string, number[]>;
  readonly decisions: TracedDecision[];
}

/** The result of {@link replayPath}: plain, JSON-ready data. @category Simulation */
export interface PathReplay {
  readonly path: number;
  /** First day of each period, `YYYY-MM-DD`. */
  readonly periodStart: string[];
  /** The path's world: population by year (index 0 = base year) and group, and the price index. */
  readonly world: { readonly groupIds: string[]; readonly population: number[][]; readonly priceIndex: number[] };
  readonly traces: PathTrace[];
  /** The path's yearly figures, exactly as in a full run. */
  readonly result: SimulationResult;
}

function isoDate(d: Date): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${day}`;
}

/**
 * Re-runs one path on its own, with its full trace: the world it drew, every service's figures
 * period by period and every budget decision. Its yearly figures equal those of the same path in
 * a full run, bit for bit.
 *
 * @param scenario - a scenario (validated here)
 * @param path - the path index, a non-negative integer
 * @param options - strategies (default: the scenario's)
 * @returns the trace, as plain data
 * @throws {@link ScenarioError} for an invalid scenario; {@link SimulationError} for a bad path index
 * @example
 * ```ts
 * const worst = replayPath(lejre2034(), 1234);
 * worst.traces[0].decisions.filter((d) => d.kind === 'followUp');
 * ```
 * @category Simulation
 */
export function replayPath(
  scenario: unknown,
  path: number,
  options: { readonly strategies?: readonly StrategyDefinition[] } = {},
): PathReplay {
  requireCount('path', path, 0);
  const parsed = parseScenario(scenario);
  const model = buildModel(parsed);
  const strategies = options.strategies ?? strategiesFromSpecs(parsed.strategies);
  const V = model.services.length;
  const traces: PathTrace[] = [];
  for (const st of strategies) {
    for (const sv of model.services) {
      const metrics = Object.fromEntries((sv.metrics ?? []).map((m) => [m.id, [] as number[]]));
      traces.push({
        strategy: st.id,
        service: sv.id,
        serviceLevel: [],
        neededUnits: [],
        orderedUnits: [],
        deliveredUnits: [],
        costKr: [],
        metrics,
        decisions: [],
      });
    }
  }
  let world: PathReplay['world'] | undefined;
  const result = runModel(model, strategies, {
    pathStart: path,
    paths: 1,
    // A Latin hypercube is laid over the scenario's whole run.
    inputs: { designPaths: parsed.paths },
    tracer: {
      decision(s, v, ev, budgetKr, serviceLevel) {
        traces[s * V + v]!.decisions.push({
          kind: ev.kind,
          year: model.timeline.years[ev.yearIndex]!,
          date: isoDate(ev.date),
          knownPeriods: ev.knownPeriods,
          budgetKr,
          serviceLevel,
        });
      },
      pathDone(s, histories, w) {
        histories.forEach((h, v) => {
          const t = traces[s * V + v]!;
          t.serviceLevel.push(...h.serviceLevel);
          t.neededUnits.push(...h.neededUnits);
          t.orderedUnits.push(...h.orderedUnits);
          t.deliveredUnits.push(...h.deliveredUnits);
          t.costKr.push(...h.costKr);
          (model.services[v]!.metrics ?? []).forEach((m, k) => t.metrics[m.id]!.push(...h.metrics[k]!));
        });
        const G = w.groupIds.length;
        world ??= {
          groupIds: [...w.groupIds],
          population: Array.from({ length: w.priceIndex.length }, (_, y) =>
            Array.from(w.population.subarray(y * G, (y + 1) * G)),
          ),
          priceIndex: Array.from(w.priceIndex),
        };
      },
    },
  });
  return { path, periodStart: model.timeline.periodStart.map(isoDate), world: world!, traces, result };
}
