/**
 * `optimizeSteering`: searches the steering designs of a problem on common random numbers,
 * re-evaluates the best on fresh paths, and returns every candidate, the best with its Monte
 * Carlo intervals, and the frontier of two measures.
 */
import { parseScenario } from '../scenario/parse';
import type { Scenario, StrategySpec } from '../scenario/schema';
import { strategySpecId } from '../scenario/kinds';
import { simulate } from '../simulation/simulate';
import { SimulationError } from '../simulation/errors';
import type { SimulationResult } from '../simulation/result';
import { checkRunSize, type RunLimits } from '../simulation/estimate';
import { scenarioHash } from '../simulation/record';
import { VERSION } from '../version';
import {
  candidateSpec,
  parseSteeringProblem,
  type ConstraintSpec,
  type MeasureSpec,
  type SteeringProblem,
} from './problem';
import { bootstrapIndices, bootstrapStatistics, interval, measureValues, statisticOf, type Estimate } from './measure';
import { patternSearch, type SearchPoint, type SettingValue } from './search';

/**
 * Runs one batch of candidate strategies on a range of paths and returns the per-path result.
 * The default runs {@link simulate} on the calling thread; `carebudget/node` passes one that runs
 * on a pool of worker threads (bit-identical).
 *
 * @category Optimisation
 */
export type BatchRunner = (
  scenario: Scenario,
  strategies: readonly StrategySpec[],
  range: { readonly pathStart: number; readonly paths: number },
  hooks: {
    readonly signal?: AbortSignal;
    readonly onPaths?: (pathsDone: number) => void;
    /** The search's limits, for the runner to pass to each run. */
    readonly limits?: RunLimits;
  },
) => Promise<SimulationResult>;

/** Progress of {@link optimizeSteering}. @category Optimisation */
export interface OptimizeProgress {
  /** `search` while candidates are evaluated on the search paths, `verify` for the re-evaluation. */
  readonly phase: 'search' | 'verify';
  /** Candidates evaluated so far, of the budget (the defaults not counted). */
  readonly evaluations: number;
  readonly budget: number;
  /** Work done and planned, in strategy-paths (the plan is an upper bound: the search may stop early). */
  readonly workDone: number;
  readonly workTotal: number;
}

/** Options of {@link optimizeSteering}. @category Optimisation */
export interface OptimizeOptions {
  readonly onProgress?: (progress: OptimizeProgress) => void;
  /** Stops the search between batches and within a batch's paths. */
  readonly signal?: AbortSignal;
  /** Limits of work checked before anything runs (see {@link estimateRun}). */
  readonly limits?: RunLimits;
  /** Runs a batch of candidates (default: {@link simulate} on this thread). */
  readonly runner?: BatchRunner;
  /** Bootstrap resamples for the intervals (default 500). */
  readonly resamples?: number;
}

/** A candidate evaluated on the search paths. @category Optimisation */
export interface EvaluatedCandidate {
  /** Its name: the kind and the settings searched, `hybrid(corridor=0.05, marginalRate=0.6)`. */
  readonly id: string;
  readonly kind: StrategySpec['kind'];
  /** The values of the parameters searched. */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** The strategy as a scenario file writes it. */
  readonly spec: Readonly<Record<string, unknown>>;
  /**
   * A built-in strategy at its defaults, evaluated for reference (and a candidate for the best
   * only when its kind is one the problem searches; otherwise a reference design, see
   * {@link SteeringOptimization.best}).
   */
  readonly isDefault: boolean;
  /** The objective's value on the search paths. */
  readonly objective: number;
  /** Each constraint's measure on the search paths, in the problem's order. */
  readonly constraints: readonly number[];
  /** The total violation of the constraints (0 when all hold), in steps of 1 m kr, 1 percentage point or 1 unit. */
  readonly violation: number;
  readonly feasible: boolean;
  /** The frontier's two measures, when the problem has a frontier. */
  readonly frontier?: readonly [number, number];
}

/** A constraint of a re-evaluated candidate. @category Optimisation */
export interface VerifiedConstraint {
  readonly label: string;
  readonly max?: number;
  readonly min?: number;
  readonly estimate: Estimate;
  /** Whether the estimate keeps the limit. */
  readonly met: boolean;
  /** The share of bootstrap resamples in which it keeps the limit. */
  readonly probabilityMet: number;
}

/** A candidate re-evaluated on fresh paths. @category Optimisation */
export interface VerifiedCandidate {
  readonly id: string;
  readonly objective: Estimate;
  readonly constraints: readonly VerifiedConstraint[];
  readonly feasible: boolean;
  /**
   * The probability that the best design is truly better than this one on the objective: the
   * share of paired bootstrap resamples of the fresh paths in which it is (undefined for the best).
   */
  readonly probabilityBestIsBetter?: number;
}

/** The result of {@link optimizeSteering}: plain data. @category Optimisation */
export interface SteeringOptimization {
  readonly scenario: string;
  readonly objective: { readonly label: string; readonly direction: 'minimize' | 'maximize' };
  readonly constraints: readonly { readonly label: string; readonly max?: number; readonly min?: number }[];
  /** Every candidate evaluated on the search paths, in the order evaluated (the defaults first). */
  readonly candidates: readonly EvaluatedCandidate[];
  /** The best design after re-evaluation, then the runners-up, ranked on the fresh paths. */
  readonly verified: readonly VerifiedCandidate[];
  /**
   * The best design's id: always a design of a kind the problem searches. A built-in strategy at
   * its defaults of a kind not searched (a reference design) is evaluated on the search paths
   * beside the candidates but is never the best, nor re-evaluated, even when it keeps every
   * constraint and no searched design does.
   */
  readonly best: string;
  /**
   * Whether some candidate of the kinds searched kept every constraint on the search paths (a
   * reference design that keeps them does not count; its own `feasible` says so).
   */
  readonly feasible: boolean;
  /**
   * Constraints no candidate of the kinds searched kept, each with the one of those that came
   * closest and its value (a reference design may keep such a constraint).
   */
  readonly infeasible: readonly { readonly label: string; readonly closest: string; readonly value: number }[];
  /**
   * The candidates no other beats on both measures, ordered by the first: among every candidate
   * evaluated, reference designs included, so a design off it is beaten by one shown (or has the
   * same values as one on it).
   */
  readonly frontier?: {
    readonly x: { readonly label: string; readonly direction: 'minimize' | 'maximize' };
    readonly y: { readonly label: string; readonly direction: 'minimize' | 'maximize' };
    readonly ids: readonly string[];
  };
  /**
   * The measures as structured data (statistic, figure or metric, service, years), for naming
   * them in words and units: the objective, each constraint in the problem's order, and the
   * frontier's two axes when the problem has a frontier.
   */
  readonly measures: {
    readonly objective: MeasureSpec;
    readonly constraints: readonly MeasureSpec[];
    readonly frontier?: { readonly x: MeasureSpec; readonly y: MeasureSpec };
  };
  /** Evaluations used of the budget, paths and seed of the two phases. */
  readonly search: {
    readonly evaluations: number;
    readonly budget: number;
    readonly paths: number;
    readonly verifyPaths: number;
    readonly seed: number | string;
  };
  /** What produced it: the library's version, the scenario's hash and the problem as given. */
  readonly record: {
    readonly libraryVersion: string;
    readonly scenarioHash: string;
    readonly problem: unknown;
  };
}

/** The unit a violation is counted in, by measure: 1 m kr, 1 percentage point, or 1. */
function scaleOf(m: MeasureSpec): number {
  if (m.statistic.kind === 'probability') return 0.01;
  if (m.figure === undefined) return 1;
  if (m.figure.endsWith('Kr')) return 1e6;
  if (m.figure.endsWith('Pct') || m.figure === 'serviceGapShare') return 0.01;
  return 1;
}

function violationOf(c: ConstraintSpec, v: number): number {
  const s = scaleOf(c);
  let out = 0;
  if (c.max !== undefined && v > c.max) out += (v - c.max) / s;
  if (c.min !== undefined && v < c.min) out += (c.min - v) / s;
  return out;
}

/**
 * Whether a value keeps a constraint's limits (at most `max`, at least `min`, those given).
 *
 * @param c - the constraint's limits
 * @param v - the measure's value
 * @returns true when v is within them
 * @example
 * ```ts
 * keeps({ max: 0.05 } as ConstraintSpec, 0.04); //=> true
 * ```
 * @internal
 */
export function keeps(c: Pick<ConstraintSpec, 'max' | 'min'>, v: number): boolean {
  return (c.max === undefined || v <= c.max) && (c.min === undefined || v >= c.min);
}

/** A measure's own fields, without a constraint's limits or an axis's direction: plain data. */
function plainMeasure(m: MeasureSpec): MeasureSpec {
  return {
    statistic: { ...m.statistic },
    ...(m.figure === undefined ? {} : { figure: m.figure }),
    ...(m.metric === undefined ? {} : { metric: m.metric }),
    service: m.service,
    from: m.from,
    to: m.to,
    label: m.label,
  };
}

/** A candidate's name: the kind's id and the settings searched. */
function candidateId(
  kind: StrategySpec['kind'],
  fixed: Readonly<Record<string, unknown>>,
  values: Readonly<Record<string, SettingValue>>,
): string {
  const base = strategySpecId({ kind, ...(typeof fixed.mode === 'string' ? { mode: fixed.mode } : {}) });
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`);
  return parts.length === 0 ? base : `${base}(${parts.join(', ')})`;
}

function aborted(): SimulationError {
  return new SimulationError('the search was aborted', { code: 'ABORTED' });
}

/** Runs a batch with {@link simulate} on the calling thread. @internal */
export const defaultRunner: BatchRunner = (scenario, strategies, range, hooks) =>
  Promise.resolve(
    simulate(
      { ...scenario, strategies },
      {
        pathStart: range.pathStart,
        paths: range.paths,
        ...(hooks.limits === undefined ? {} : { limits: hooks.limits }),
        ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
        ...(hooks.onPaths === undefined ? {} : { onProgress: (p) => hooks.onPaths!(p.pathsDone), chunkSize: 100 }),
      },
    ),
  );

/**
 * Searches the steering designs a problem names for the one that best meets the municipality's
 * risk appetite.
 *
 * Every candidate runs on the same paths (common random numbers), in batches of one simulation
 * run each, so differences between candidates are the designs' own and not noise. Sets are tried
 * exhaustively; ranges on a grid, then by a pattern search around the best point. The best
 * designs are then re-evaluated on fresh paths (against the optimiser's curse), with a 90 %
 * bootstrap interval for the objective and each constraint and the probability that the best is
 * truly better than each runner-up.
 *
 * @param scenario - the scenario (validated here); its own strategies are ignored
 * @param problem - the problem as written ({@link SteeringProblemInput}), checked here before any work
 * @param options - progress, abort, limits, the batch runner
 * @returns the candidates, the best with its intervals, the frontier and the record
 * @throws {@link ScenarioError} or {@link SteeringProblemError} before any work;
 *   {@link SimulationError} `RUN_TOO_LARGE` before any work, `ABORTED` on abort
 * @example
 * ```ts
 * const r = await optimizeSteering(lejre2034(), {
 *   candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
 *   objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
 *   constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
 *   paths: 300,
 *   evaluations: 30,
 * });
 * r.best; // the chosen design's id
 * ```
 * @category Optimisation
 */
export async function optimizeSteering(
  scenario: unknown,
  problem: unknown,
  options: OptimizeOptions = {},
): Promise<SteeringOptimization> {
  const parsedScenario = parseScenario(scenario);
  const p: SteeringProblem = parseSteeringProblem(problem, parsedScenario);
  const run: Scenario = { ...parsedScenario, seed: p.seed };
  const firstYear = run.baseYear + 1;
  const runner = options.runner ?? defaultRunner;
  const resamples = options.resamples ?? 500;

  // The built-in strategies at their defaults, for reference: the kinds searched, frame and activity.
  const kinds = new Set<StrategySpec['kind']>(['frame', ...p.families.map((f) => f.kind), 'activity']);
  const defaults = p.defaults ? [...kinds].map((kind) => ({ kind, id: `${strategySpecId({ kind })} (default)` })) : [];

  // Refused before any work: the search's and the verification's runs.
  checkRunSize(run, {
    // The whole search as one run of its strategy-paths (an upper bound: a round's strategies
    // share their driver paths).
    paths: (p.evaluations + defaults.length) * p.paths + p.verify.top * p.verify.paths,
    strategies: 1,
    perPathResults: false,
    limits: options.limits,
  });
  checkRunSize(run, {
    paths: p.verify.paths,
    strategies: p.verify.top,
    perPathResults: true,
    limits: options.limits,
  });
  if (options.signal?.aborted) throw aborted();

  const measures: MeasureSpec[] = [p.objective, ...p.constraints, ...(p.frontier ? [p.frontier.x, p.frontier.y] : [])];
  const sign = p.objective.direction === 'minimize' ? 1 : -1;
  const workTotal = (p.evaluations + defaults.length) * p.paths + p.verify.top * p.verify.paths;
  let workDone = 0;
  let evaluations = 0;
  const report = (phase: OptimizeProgress['phase'], extra = 0) =>
    options.onProgress?.({ phase, evaluations, budget: p.evaluations, workDone: workDone + extra, workTotal });

  const candidates: EvaluatedCandidate[] = [];
  const ids = new Set<string>();
  const uniqueId = (id: string) => {
    let out = id;
    for (let k = 2; ids.has(out); k++) out = `${id} #${k}`;
    ids.add(out);
    return out;
  };
  /** Runs a batch on the search paths and records each candidate's measures. */
  const evaluate = async (
    batch: readonly {
      id: string;
      spec: Record<string, unknown>;
      kind: StrategySpec['kind'];
      settings: Record<string, SettingValue>;
      isDefault: boolean;
    }[],
  ): Promise<EvaluatedCandidate[]> => {
    if (options.signal?.aborted) throw aborted();
    const result = await runner(
      run,
      batch.map((b) => b.spec as StrategySpec),
      { pathStart: 0, paths: p.paths },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        onPaths: (done) => report('search', done * batch.length),
      },
    );
    workDone += batch.length * p.paths;
    return batch.map((b) => {
      // A measure named twice (the default frontier is the objective against the first
      // constraint) is computed once: its label names the statistic, figure, service and years.
      const byLabel = new Map<string, number>();
      const values = measures.map((m) => {
        let v = byLabel.get(m.label);
        if (v === undefined) byLabel.set(m.label, (v = statisticOf(measureValues(result, b.id, m), m.statistic)));
        return v;
      });
      const constraints = values.slice(1, 1 + p.constraints.length);
      const violation = p.constraints.reduce((a, c, i) => a + violationOf(c, constraints[i]!), 0);
      const e: EvaluatedCandidate = {
        id: b.id,
        kind: b.kind,
        settings: b.settings,
        spec: b.spec,
        isDefault: b.isDefault,
        objective: values[0]!,
        constraints,
        violation,
        feasible: violation === 0,
        ...(p.frontier ? { frontier: [values[values.length - 2]!, values[values.length - 1]!] as const } : {}),
      };
      candidates.push(e);
      return e;
    });
  };

  if (defaults.length > 0)
    await evaluate(
      defaults.map((d) => ({ id: uniqueId(d.id), spec: { ...d }, kind: d.kind, settings: {}, isDefault: true })),
    );
  report('search');
  await patternSearch(p.families, p.evaluations, async (points: readonly SearchPoint[]) => {
    const batch = points.map((pt) => {
      const f = p.families[pt.family]!;
      const id = uniqueId(candidateId(f.kind, f.fixed, pt.values));
      return {
        id,
        spec: candidateSpec(f, pt.values, firstYear, id),
        kind: f.kind,
        settings: { ...pt.values },
        isDefault: false,
      };
    });
    const out = await evaluate(batch);
    evaluations += out.length;
    report('search');
    return out.map((e) => ({ objective: sign * e.objective, violation: e.violation }));
  });

  // Ranked on the search paths: feasible first, then the objective. A default competes when its kind is searched.
  const searched = new Set(p.families.map((f) => f.kind));
  const eligible = candidates.filter((c) => !c.isDefault || searched.has(c.kind));
  const rank = (a: EvaluatedCandidate, b: EvaluatedCandidate) =>
    a.violation - b.violation || sign * (a.objective - b.objective);
  const ranked = [...eligible].sort(rank);
  // The best, then the best of each other kind and combination of sets (so that the runners-up
  // are other designs, not the best's neighbours on a range), then the next in rank.
  const designOf = (c: EvaluatedCandidate) =>
    `${c.kind}|${c.isDefault ? 'default' : ''}|${Object.entries(c.settings)
      .filter(([, v]) => typeof v !== 'number')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('|')}`;
  const top: EvaluatedCandidate[] = [];
  const designs = new Set<string>();
  for (const c of ranked) {
    if (top.length >= p.verify.top) break;
    if (!designs.has(designOf(c))) {
      designs.add(designOf(c));
      top.push(c);
    }
  }
  for (const c of ranked) if (top.length < p.verify.top && !top.includes(c)) top.push(c);

  // Re-evaluation on fresh paths: the paths after the search's, with the same seed.
  if (options.signal?.aborted) throw aborted();
  report('verify');
  const fresh = await runner(
    run,
    top.map((c) => c.spec as StrategySpec),
    { pathStart: p.paths, paths: p.verify.paths },
    {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      onPaths: (done) => report('verify', done * top.length),
    },
  );
  workDone = workTotal;
  report('verify');
  const indices = bootstrapIndices(p.verify.paths, resamples, `${String(p.seed)}:optimize`);
  const verifiedRaw = top.map((c) => {
    const objValues = measureValues(fresh, c.id, p.objective);
    const objBoot = bootstrapStatistics(objValues, p.objective.statistic, indices);
    const constraints = p.constraints.map((k) => {
      const v = measureValues(fresh, c.id, k);
      const value = statisticOf(v, k.statistic);
      const boot = bootstrapStatistics(v, k.statistic, indices);
      let kept = 0;
      for (const b of boot) if (keeps(k, b)) kept++;
      return {
        label: k.label,
        ...(k.max === undefined ? {} : { max: k.max }),
        ...(k.min === undefined ? {} : { min: k.min }),
        estimate: interval(value, boot),
        met: keeps(k, value),
        probabilityMet: kept / boot.length,
      };
    });
    const violation = p.constraints.reduce((a, k, i) => a + violationOf(k, constraints[i]!.estimate.value), 0);
    return {
      id: c.id,
      objective: interval(statisticOf(objValues, p.objective.statistic), objBoot),
      objBoot,
      constraints,
      violation,
    };
  });
  verifiedRaw.sort((a, b) => a.violation - b.violation || sign * (a.objective.value - b.objective.value));
  const bestRaw = verifiedRaw[0]!;
  const verified: VerifiedCandidate[] = verifiedRaw.map((v, i) => {
    const base = { id: v.id, objective: v.objective, constraints: v.constraints, feasible: v.violation === 0 };
    if (i === 0) return base;
    let wins = 0;
    for (let b = 0; b < v.objBoot.length; b++) {
      const d = sign * (bestRaw.objBoot[b]! - v.objBoot[b]!);
      wins += d < 0 ? 1 : d === 0 ? 0.5 : 0;
    }
    return { ...base, probabilityBestIsBetter: wins / v.objBoot.length };
  });

  // Constraints that no candidate of the kinds searched kept, with the closest of those.
  const infeasible = p.constraints.flatMap((k, i) => {
    if (eligible.some((c) => keeps(k, c.constraints[i]!))) return [];
    const closest = [...eligible].sort(
      (a, b) => violationOf(k, a.constraints[i]!) - violationOf(k, b.constraints[i]!),
    )[0]!;
    return [{ label: k.label, closest: closest.id, value: closest.constraints[i]! }];
  });

  let frontier: SteeringOptimization['frontier'];
  if (p.frontier !== undefined) {
    const dx = p.frontier.x.direction === 'minimize' ? 1 : -1;
    const dy = p.frontier.y.direction === 'minimize' ? 1 : -1;
    frontier = {
      x: { label: p.frontier.x.label, direction: p.frontier.x.direction },
      y: { label: p.frontier.y.label, direction: p.frontier.y.direction },
      // Over every candidate, references included: "no other beats it on both" holds of every design shown.
      ids: paretoFront(candidates.map((c) => ({ id: c.id, x: dx * c.frontier![0], y: dy * c.frontier![1] }))),
    };
  }

  return {
    scenario: parsedScenario.name,
    objective: { label: p.objective.label, direction: p.objective.direction },
    constraints: p.constraints.map((c) => ({
      label: c.label,
      ...(c.max === undefined ? {} : { max: c.max }),
      ...(c.min === undefined ? {} : { min: c.min }),
    })),
    candidates,
    verified,
    best: bestRaw.id,
    feasible: eligible.some((c) => c.feasible),
    infeasible,
    ...(frontier === undefined ? {} : { frontier }),
    measures: {
      objective: plainMeasure(p.objective),
      constraints: p.constraints.map(plainMeasure),
      ...(p.frontier === undefined
        ? {}
        : { frontier: { x: plainMeasure(p.frontier.x), y: plainMeasure(p.frontier.y) } }),
    },
    search: { evaluations, budget: p.evaluations, paths: p.paths, verifyPaths: p.verify.paths, seed: p.seed },
    record: { libraryVersion: VERSION, scenarioHash: scenarioHash(run), problem: p.input },
  };
}

/**
 * The reference designs of a result: the built-in strategies at their defaults of a kind the
 * problem does not search (no other candidate has their kind). They run on the search paths
 * beside the candidates and may lie on the frontier, but are never the best nor re-evaluated, and
 * `feasible` and `infeasible` leave them out.
 *
 * @internal
 */
export function referenceCandidates(result: Pick<SteeringOptimization, 'candidates'>): EvaluatedCandidate[] {
  const searched = new Set(result.candidates.filter((c) => !c.isDefault).map((c) => c.kind));
  return result.candidates.filter((c) => c.isDefault && !searched.has(c.kind));
}

/**
 * The reference designs (built-in strategies at their defaults of a kind not searched, never the
 * best) as the answer must mention them, all on the search paths: `kept`, those that kept every
 * limit, best on the objective first; `better`, those of them better on the objective than the
 * best design (when a searched design kept every limit); `closer`, those that missed the limits
 * less than every searched design (when none kept them).
 *
 * @internal
 */
export interface References {
  readonly all: readonly EvaluatedCandidate[];
  readonly kept: readonly EvaluatedCandidate[];
  readonly better: readonly EvaluatedCandidate[];
  readonly closer: readonly EvaluatedCandidate[];
  /** The best design's candidate on the search paths (undefined when the result has none). */
  readonly best: EvaluatedCandidate | undefined;
}

export function referencesOf(result: SteeringOptimization): References {
  const all = referenceCandidates(result);
  const sign = result.objective.direction === 'minimize' ? 1 : -1;
  const kept = all.filter((c) => c.feasible).sort((a, b) => sign * (a.objective - b.objective));
  const best = result.candidates.find((c) => c.id === result.best);
  const better =
    result.feasible && best !== undefined ? kept.filter((c) => sign * (c.objective - best.objective) < 0) : [];
  const searched = result.candidates.filter((c) => !all.includes(c));
  const least = Math.min(...searched.map((c) => c.violation));
  const closer = result.feasible ? [] : all.filter((c) => c.violation < least);
  return { all, kept, better, closer, best };
}

/**
 * The points no other point beats on both coordinates (both minimised), ordered by x: a point
 * is dominated when another is at most as large on both and smaller on one.
 *
 * @param points - ids with coordinates to minimise
 * @returns the ids of the non-dominated points, by increasing x (ties by y)
 * @example
 * ```ts
 * paretoFront([{ id: 'a', x: 1, y: 3 }, { id: 'b', x: 2, y: 1 }, { id: 'c', x: 2, y: 2 }]); //=> ['a', 'b']
 * ```
 * @category Optimisation
 */
export function paretoFront(
  points: readonly { readonly id: string; readonly x: number; readonly y: number }[],
): string[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const out: string[] = [];
  let bestY = Infinity;
  for (const pt of sorted) {
    if (pt.y < bestY) {
      out.push(pt.id);
      bestY = pt.y;
    }
  }
  return out;
}
