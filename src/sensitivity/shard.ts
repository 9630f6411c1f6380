/**
 * Sensitivity analyses made in shards: the paths of an analysis's runs, laid end to end, cut
 * into N contiguous blocks that run as separate jobs (on other machines), and the parts merged
 * into the analysis, number for number the analysis made in one process.
 */
import { OptionError } from '../errors';
import { mergeResults, ResultError, resultFromJSON, resultToJSON, type SimulationResult } from '../simulation/result';
import { isShard, scenarioHash, shardRange } from '../simulation/record';
import { VERSION } from '../version';
import {
  planRank,
  planSobol,
  planTornado,
  planTwoLevel,
  runPlan,
  type RankSensitivity,
  type RankSensitivityOptions,
  type SensitivityPlan,
  type SensitivityRun,
  type SensitivityRunOutput,
  type SobolSensitivity,
  type SobolSensitivityOptions,
  type TornadoSensitivity,
  type TornadoSensitivityOptions,
  type TwoLevelSensitivity,
  type TwoLevelSensitivityOptions,
} from './run';

/** The analyses by name: `sobol`, `tornado`, `rank` and `twoLevel`. @category Sensitivity */
export type SensitivityMethod = 'sobol' | 'tornado' | 'rank' | 'twoLevel';

/** Each analysis's options and result, by its name. @category Sensitivity */
export interface SensitivityMethodTypes {
  sobol: [SobolSensitivityOptions, SobolSensitivity];
  tornado: [TornadoSensitivityOptions, TornadoSensitivity];
  rank: [RankSensitivityOptions, RankSensitivity];
  twoLevel: [TwoLevelSensitivityOptions, TwoLevelSensitivity];
}

/** The options of an analysis by its name (`SobolSensitivityOptions` for `sobol`, ...). @category Sensitivity */
export type SensitivityOptionsOf<M extends SensitivityMethod> = SensitivityMethodTypes[M][0];
/** The result of an analysis by its name (`SobolSensitivity` for `sobol`, ...). @category Sensitivity */
export type SensitivityResultOf<M extends SensitivityMethod> = SensitivityMethodTypes[M][1];

/** Each analysis's plan. */
const PLANS: {
  readonly [M in SensitivityMethod]: (
    s: unknown,
    o: SensitivityMethodTypes[M][0],
  ) => SensitivityPlan<SensitivityMethodTypes[M][1]>;
} = { sobol: planSobol, tornado: planTornado, rank: planRank, twoLevel: planTwoLevel };

/** The analyses' names, in the order the command line lists them. @category Sensitivity */
export const SENSITIVITY_METHODS: readonly SensitivityMethod[] = ['sobol', 'tornado', 'rank', 'twoLevel'];

/**
 * The plan of an analysis by its name.
 *
 * @param method - `sobol`, `tornado`, `rank` or `twoLevel`
 * @param scenario - a scenario
 * @param options - the analysis's options
 * @returns its plan: its options checked and its runs planned
 * @throws {@link OptionError} when `method` is not an analysis
 * @example
 * ```ts
 * planFor('twoLevel', { ...lejre2034(), horizonYears: 2 }, { outer: 20, inner: 5 }).runs[0].paths; //=> 100
 * ```
 * @internal
 */
export function planFor<M extends SensitivityMethod>(
  method: M,
  scenario: unknown,
  options: SensitivityOptionsOf<M>,
): SensitivityPlan<SensitivityResultOf<M>> {
  if (!(SENSITIVITY_METHODS as readonly unknown[]).includes(method))
    throw new OptionError(
      `method: expected one of ${SENSITIVITY_METHODS.join(', ')}; received ${JSON.stringify(method) ?? typeof method}`,
      { option: 'method', received: method },
    );
  return (PLANS[method] as (s: unknown, o: SensitivityOptionsOf<M>) => SensitivityPlan<SensitivityResultOf<M>>)(
    scenario,
    options,
  );
}

/** Which part of N a shard is: the K-th (`index`, from 1) of `count`. @category Sensitivity */
export interface SensitivityShard {
  readonly index: number;
  readonly count: number;
}

/** A shard's paths of one of the analysis's runs: the run's index, its first path and its per-path results. @category Sensitivity */
export interface SensitivityPiece {
  /** The index of the run in the analysis (a tornado has 2k + 1 runs, the others one). */
  readonly run: number;
  /** The per-path results of the piece's paths (its `pathStart` and `pathCount`). */
  readonly result: SimulationResult;
  /** In a run that observes its scalar inputs (rank correlations): per input, its value on each path. */
  readonly observed?: readonly Float64Array[];
}

/**
 * One part of a sensitivity analysis made in shards ({@link sensitivityPart}): the K-th of N
 * contiguous blocks of the analysis's paths, its runs' paths laid end to end. Plain data; as
 * JSON with {@link sensitivityPartToJSON}.
 *
 * @category Sensitivity
 */
export interface SensitivityPart {
  readonly format: 'carebudget-sensitivity-part';
  /** The carebudget version that made the part. */
  readonly libraryVersion: string;
  readonly method: SensitivityMethod;
  readonly shard: SensitivityShard;
  /** {@link scenarioHash} of the validated scenario. */
  readonly scenarioHash: string;
  /** The ids of the strategies the analysis runs, in order. */
  readonly strategies: readonly string[];
  /** A hash of the analysis's runs (their paths and inputs) and strategies: parts of other options do not merge. */
  readonly runsHash: string;
  /** The paths of each of the analysis's runs. */
  readonly runPaths: readonly number[];
  /** The shard's paths, by run, in order. */
  readonly pieces: readonly SensitivityPiece[];
}

/** The K-th of N from an option, checked: whole numbers with 1 <= K <= N <= the analysis's paths. */
function checkShard(shard: unknown, total: number): SensitivityShard {
  if (!isShard(shard))
    throw new OptionError(
      `shard: expected { index, count } with whole numbers 1 <= index <= count; received ${JSON.stringify(shard) ?? typeof shard}`,
      { option: 'shard', received: shard },
    );
  if (shard.count > total)
    throw new OptionError(
      `shard: count ${shard.count} is more than the analysis's ${total} paths, so a part would be empty; expected at most ${total}`,
      { option: 'shard', received: shard },
    );
  return { index: shard.index, count: shard.count };
}

/**
 * The pieces of the analysis's runs that the K-th of N shards runs: of the T paths of all runs
 * laid end to end, paths floor((K − 1)·T/N) to floor(K·T/N) − 1 ({@link shardRange}), cut at
 * the runs' ends. A piece keeps its run's inputs, with `designPaths` the whole run's paths (a
 * Latin hypercube is laid over the whole run).
 *
 * @param runs - the analysis's runs
 * @param shard - K of N
 * @returns per piece, the index of its run and the piece as a run of its own
 * @example
 * ```ts
 * shardPieces([{ paths: 10 }, { paths: 10 }], { index: 2, count: 3 }).map((p) => [p.run, p.piece.pathStart, p.piece.paths]); //=> [[0, 6, 4], [1, 0, 3]]
 * ```
 * @internal
 */
export function shardPieces(
  runs: readonly SensitivityRun[],
  shard: SensitivityShard,
): { readonly run: number; readonly piece: SensitivityRun }[] {
  const total = runs.reduce((sum, r) => sum + r.paths, 0);
  const { pathStart, paths } = shardRange(total, shard.index, shard.count);
  const end = pathStart + paths;
  const out: { run: number; piece: SensitivityRun }[] = [];
  let offset = 0;
  runs.forEach((r, run) => {
    const from = Math.max(pathStart, offset);
    const to = Math.min(end, offset + r.paths);
    if (from < to)
      out.push({
        run,
        piece: {
          ...r,
          pathStart: from - offset,
          paths: to - from,
          inputs: { ...r.inputs, designPaths: r.paths },
        },
      });
    offset += r.paths;
  });
  return out;
}

/** The hash of an analysis's runs (their paths, inputs and what they observe) and strategies. */
function runsHashOf(plan: SensitivityPlan<unknown>): string {
  return scenarioHash({
    runs: plan.runs.map((r) => ({ paths: r.paths, inputs: r.inputs ?? null, observe: r.observe === true })),
    strategies: plan.strategies,
  });
}

/**
 * A plan of the K-th of N shards of an analysis: its runs are the shard's pieces, its limits are
 * checked on the shard's paths, and its result is the part.
 *
 * @param method - the analysis
 * @param plan - the analysis's plan
 * @param shard - K of N
 * @returns the plan of the part
 * @example
 * ```ts
 * const plan = planFor('twoLevel', { ...lejre2034(), horizonYears: 2 }, { outer: 20, inner: 5 });
 * shardPlan('twoLevel', plan, { index: 1, count: 4 }).runs[0].paths; //=> 25
 * ```
 * @internal
 */
export function shardPlan<R>(
  method: SensitivityMethod,
  plan: SensitivityPlan<R>,
  shard: SensitivityShard,
): SensitivityPlan<SensitivityPart> {
  const checked = checkShard(
    shard,
    plan.runs.reduce((sum, r) => sum + r.paths, 0),
  );
  const pieces = shardPieces(plan.runs, checked);
  const head = {
    format: 'carebudget-sensitivity-part' as const,
    libraryVersion: VERSION,
    method,
    shard: checked,
    scenarioHash: scenarioHash(plan.scenario),
    strategies: plan.strategies,
    runsHash: runsHashOf(plan),
    runPaths: plan.runs.map((r) => r.paths),
  };
  return plan.withRuns(
    pieces.map((p) => p.piece),
    (outputs): SensitivityPart => ({
      ...head,
      pieces: outputs.map((o, i) => ({
        run: pieces[i]!.run,
        result: o.result,
        ...(o.observed === undefined ? {} : { observed: o.observed }),
      })),
    }),
  );
}

/**
 * Runs one shard of a sensitivity analysis: the K-th of N contiguous blocks of its paths (its
 * runs' paths laid end to end), on the calling thread. Run every K from 1 to N, anywhere (as
 * separate jobs of a cluster, say), and {@link mergeSensitivityParts} gives the analysis, number
 * for number the one {@link sobolSensitivity} (or its kin) gives in one process. The limits of
 * `options.limits` apply to the shard's paths. `carebudget/node` has one that runs the shard on
 * worker threads.
 *
 * @param method - `sobol`, `tornado`, `rank` or `twoLevel`
 * @param scenario - a scenario
 * @param options - the analysis's options, as for the analysis itself
 * @param shard - `{ index: K, count: N }`, 1 <= K <= N
 * @returns the part: its paths' per-path results, by run
 * @throws {@link OptionError} on a bad method, option or shard
 * @throws {@link SimulationError} when the run fails or is too large
 * @example
 * ```ts
 * const s = { ...lejre2034(), horizonYears: 2 };
 * const o = { outer: 20, inner: 5, strategies: [frame()] };
 * const parts = [1, 2, 3].map((index) => sensitivityPart('twoLevel', s, o, { index, count: 3 }));
 * parts.map((p) => p.pieces[0].result.pathCount); //=> [33, 33, 34]
 * mergeSensitivityParts('twoLevel', s, o, parts).rows[0].sd === twoLevelSensitivity(s, o).rows[0].sd; //=> true
 * ```
 * @category Sensitivity
 */
export function sensitivityPart<M extends SensitivityMethod>(
  method: M,
  scenario: unknown,
  options: SensitivityOptionsOf<M>,
  shard: SensitivityShard,
): SensitivityPart {
  return runPlan(shardPlan(method, planFor(method, scenario, options), shard));
}

/** What is wrong with the shape of a part, for its error: the field, what it should be and what it is. */
interface PartProblem {
  readonly field: string;
  readonly expected: string;
  readonly received: unknown;
}

/**
 * What is wrong with the shape of a part (a part given in code, or one read from JSON and
 * decoded), or undefined: every field the merge reads, the first wrong one. The field is named
 * as in the part (`pieces[2].observed`; the empty name for the part itself).
 */
function partProblem(part: unknown): PartProblem | undefined {
  const wrong = (field: string, expected: string, received: unknown): PartProblem => ({ field, expected, received });
  const p = part as Record<string, unknown> | null;
  if (p === null || typeof p !== 'object') return wrong('', 'an object', part);
  if (p.format !== 'carebudget-sensitivity-part') return wrong('format', '"carebudget-sensitivity-part"', p.format);
  if (!(SENSITIVITY_METHODS as readonly unknown[]).includes(p.method))
    return wrong('method', SENSITIVITY_METHODS.join(', '), p.method);
  for (const k of ['libraryVersion', 'scenarioHash', 'runsHash'])
    if (typeof p[k] !== 'string') return wrong(k, 'a text', p[k]);
  if (!Array.isArray(p.strategies) || !p.strategies.every((x) => typeof x === 'string'))
    return wrong('strategies', 'a list of strategy ids', p.strategies);
  const strategies = p.strategies as string[];
  if (!isShard(p.shard)) return wrong('shard', '{ index, count } with whole numbers 1 <= index <= count', p.shard);
  const runPaths = p.runPaths;
  if (!Array.isArray(runPaths) || runPaths.length === 0 || !runPaths.every((x) => Number.isSafeInteger(x) && x >= 1))
    return wrong('runPaths', 'a list of whole numbers of paths', runPaths);
  if (!Array.isArray(p.pieces)) return wrong('pieces', 'a list', p.pieces);
  for (const [j, x] of (p.pieces as unknown[]).entries()) {
    const q = x as Record<string, unknown> | null;
    if (q === null || typeof q !== 'object') return wrong(`pieces[${j}]`, 'an object', x);
    if (!(Number.isSafeInteger(q.run) && (q.run as number) >= 0 && (q.run as number) < runPaths.length))
      return wrong(`pieces[${j}].run`, `a run's index from 0 to ${runPaths.length - 1}`, q.run);
    const r = q.result as Record<string, unknown> | null | undefined;
    if (r === null || typeof r !== 'object' || r.format !== 'carebudget-result')
      return wrong(`pieces[${j}].result`, 'a per-path result', r);
    const ids = Array.isArray(r.strategies) ? r.strategies.map((s: { id?: unknown } | null) => s?.id) : undefined;
    if (ids?.join(',') !== strategies.join(','))
      return wrong(`pieces[${j}].result.strategies`, `the part's strategies (${strategies.join(', ')})`, ids);
    const observed = q.observed;
    if (observed === undefined) continue;
    if (!Array.isArray(observed))
      return wrong(`pieces[${j}].observed`, 'a list, an entry per observed input', observed);
    for (const [k, v] of observed.entries())
      if (!(v instanceof Float64Array && v.length === r.pathCount))
        return wrong(`pieces[${j}].observed[${k}]`, `the input's ${String(r.pathCount)} values`, valuesText(v));
  }
  return undefined;
}

/** An observed input's values as an error names them: how many, and whether they are all numbers. */
function valuesText(v: unknown): unknown {
  if (v instanceof Float64Array) return `${v.length} values`;
  if (!Array.isArray(v)) return v;
  return `${v.length} values${v.every((x) => typeof x === 'number') ? ' (not a Float64Array)' : ', not all numbers'}`;
}

/** A part given in code, checked for the fields the merge reads: a `CANNOT_MERGE` error naming the field. */
function checkPartShape(part: unknown, i: number): void {
  const problem = partProblem(part);
  if (problem !== undefined)
    throw new ResultError(
      `mergeSensitivityParts: parts[${i}]${problem.field === '' ? '' : `.${problem.field}`}: expected ${problem.expected} (a part made by sensitivityPart)`,
      'CANNOT_MERGE',
    );
}

/** What is wrong with a part against the analysis's plan and the first part, or undefined. */
function partDiffers(
  part: SensitivityPart,
  first: SensitivityPart,
  method: SensitivityMethod,
  hash: string,
  strategies: readonly string[],
  runsHash: string,
): string | undefined {
  if (part.method !== method) return `it is a part of a ${String(part.method)} analysis, not ${method}`;
  if (part.scenarioHash !== hash) return `its scenario hash is ${part.scenarioHash}, the scenario's ${hash}`;
  if (part.strategies.join(',') !== strategies.join(','))
    return `it was made under the strategies ${part.strategies.join(', ')}, the analysis runs ${strategies.join(', ')}`;
  if (part.runsHash !== runsHash)
    return `its runs (${part.runPaths.join(' + ')} paths) are not this analysis's: it was made with other options (N, paths, inputs, percentiles, outer, inner or groups)`;
  if (part.libraryVersion !== first.libraryVersion)
    return `it was made by carebudget ${part.libraryVersion}, part ${first.shard.index} by ${first.libraryVersion}`;
  if (part.shard.count !== first.shard.count)
    return `it is a part of ${part.shard.count}, part ${first.shard.index} of ${first.shard.count}`;
  return undefined;
}

/**
 * Merges the N parts of a sensitivity analysis made in shards ({@link sensitivityPart}) into the
 * analysis: each run's per-path results are joined ({@link mergeResults}) and the analysis
 * computed from them, so the result is number for number the one of the analysis in one
 * process. The scenario and the options must be the ones the parts were made with (checked by
 * hashes); options that do not change the runs (the figure, the service, the years, the
 * bootstrap) may differ, and analyse the same paths another way.
 *
 * @param method - `sobol`, `tornado`, `rank` or `twoLevel`
 * @param scenario - the scenario of the parts
 * @param options - the analysis's options
 * @param parts - the N parts, in any order
 * @returns the analysis
 * @throws {@link ResultError} `CANNOT_MERGE` when a part is missing, given twice, or of another analysis
 * @throws {@link OptionError} on a bad method or option
 * @example
 * ```ts
 * const s = { ...lejre2034(), horizonYears: 2 };
 * const o = { paths: 60, strategies: [frame()], years: [2025] };
 * const parts = [2, 1].map((index) => sensitivityPart('rank', s, o, { index, count: 2 }));
 * mergeSensitivityParts('rank', s, o, parts).paths; //=> 60
 * ```
 * @category Sensitivity
 */
export function mergeSensitivityParts<M extends SensitivityMethod>(
  method: M,
  scenario: unknown,
  options: SensitivityOptionsOf<M>,
  parts: readonly SensitivityPart[],
): SensitivityResultOf<M> {
  // The parts' shapes first: the plan may simulate a path (a rank analysis finds its inputs).
  if (!Array.isArray(parts) || parts.length === 0)
    throw new ResultError('mergeSensitivityParts: expected the parts of the analysis; received none', 'CANNOT_MERGE');
  parts.forEach(checkPartShape);
  const plan = planFor(method, scenario, options);
  const first = parts[0]!;
  const hash = scenarioHash(plan.scenario);
  const runsHash = runsHashOf(plan);
  const byIndex = new Map<number, SensitivityPart>();
  for (const part of parts) {
    const differs = partDiffers(part, first, method, hash, plan.strategies, runsHash);
    if (differs !== undefined)
      throw new ResultError(
        `mergeSensitivityParts: part ${part.shard.index} of ${part.shard.count}: ${differs}`,
        'CANNOT_MERGE',
      );
    if (byIndex.has(part.shard.index))
      throw new ResultError(
        `mergeSensitivityParts: part ${part.shard.index} of ${part.shard.count} is given twice`,
        'CANNOT_MERGE',
      );
    byIndex.set(part.shard.index, part);
  }
  const n = first.shard.count;
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0)
    throw new ResultError(
      `mergeSensitivityParts: part${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${n} ${missing.length === 1 ? 'is' : 'are'} missing; the merge needs all ${n}`,
      'CANNOT_MERGE',
    );
  // The merged results' memory and the analysis's bootstrap, within the limits, before either.
  plan.check('merge');
  const pieces = [...byIndex.keys()].sort((a, b) => a - b).flatMap((k) => byIndex.get(k)!.pieces);
  const outputs = plan.runs.map((run, r): SensitivityRunOutput => {
    const own = pieces.filter((p) => p.run === r);
    if (own.length === 0)
      throw new ResultError(
        `mergeSensitivityParts: run ${r + 1} of the analysis has no paths in the parts`,
        'CANNOT_MERGE',
      );
    // mergeResults refuses gaps and overlaps; the ends are checked here.
    const result = mergeResults(own.map((p) => p.result));
    if (result.pathStart !== 0 || result.pathCount !== run.paths)
      throw new ResultError(
        `mergeSensitivityParts: run ${r + 1} of the analysis has paths ${result.pathStart}-${result.pathStart + result.pathCount - 1} in the parts; expected 0-${run.paths - 1}`,
        'CANNOT_MERGE',
      );
    if (run.observe !== true) return { result };
    const inputs = run.observedInputs ?? 0;
    const wrong = own.find((p) => p.observed?.length !== inputs);
    if (wrong !== undefined)
      throw new ResultError(
        `mergeSensitivityParts: run ${r + 1} of the analysis observes the model's ${inputs} scalar inputs, and its piece from path ${wrong.result.pathStart} holds ${wrong.observed === undefined ? 'none' : `the values of ${wrong.observed.length}`}`,
        'CANNOT_MERGE',
      );
    const observed = Array.from({ length: inputs }, (_, k) => {
      const values = new Float64Array(run.paths);
      for (const p of own) values.set(p.observed![k]!, p.result.pathStart);
      return values;
    });
    return { result, observed };
  });
  return plan.analyse(outputs);
}

/**
 * A part as JSON: each piece's result in the compact form of {@link resultToJSON} (float64
 * bytes in base64, bit for bit), its observed inputs as numbers.
 *
 * @param part - from {@link sensitivityPart}
 * @returns plain JSON data, for `JSON.stringify`
 * @example
 * ```ts
 * const part = sensitivityPart('twoLevel', { ...lejre2034(), horizonYears: 2 }, { outer: 4, inner: 3, strategies: [frame()] }, { index: 1, count: 2 });
 * sensitivityPartFromJSON(JSON.parse(JSON.stringify(sensitivityPartToJSON(part)))).pieces[0].result.pathCount; //=> 6
 * ```
 * @category Sensitivity
 */
export function sensitivityPartToJSON(part: SensitivityPart): unknown {
  return {
    ...part,
    pieces: part.pieces.map((p) => ({
      run: p.run,
      result: resultToJSON(p.result, { compact: true }),
      ...(p.observed === undefined ? {} : { observed: p.observed.map((v) => Array.from(v)) }),
    })),
  };
}

/**
 * Reads a part from its JSON ({@link sensitivityPartToJSON}), checking its shape.
 *
 * @param json - the parsed JSON
 * @returns the part
 * @throws {@link ResultError} `INVALID_RESULT` when the JSON is not a part, naming the field
 * @example
 * ```ts
 * const part = sensitivityPart('rank', { ...lejre2034(), horizonYears: 2 }, { paths: 9, strategies: [frame()] }, { index: 3, count: 3 });
 * sensitivityPartFromJSON(JSON.parse(JSON.stringify(sensitivityPartToJSON(part)))).shard; //=> { index: 3, count: 3 }
 * ```
 * @category Sensitivity
 */
export function sensitivityPartFromJSON(json: unknown): SensitivityPart {
  const refuse = (problem: PartProblem | undefined): void => {
    if (problem !== undefined)
      throw new ResultError(
        `a sensitivity part: ${problem.field === '' ? 'the part' : problem.field} must be ${problem.expected}; received ${JSON.stringify(problem.received)?.slice(0, 80) ?? typeof problem.received}`,
        'INVALID_RESULT',
      );
  };
  const j = json as Record<string, unknown> | null;
  // The part's own fields first (its pieces aside), then the pieces decoded where they can be
  // (each result from its JSON, each observed input's numbers to a Float64Array), then the whole
  // part checked as one given in code is.
  refuse(partProblem(j !== null && typeof j === 'object' ? { ...j, pieces: [] } : json));
  const pieces = Array.isArray(j!.pieces)
    ? j!.pieces.map((p: unknown, i: number) => {
        const q = p as Record<string, unknown> | null;
        if (q === null || typeof q !== 'object') return p;
        let result = q.result;
        if (result !== undefined)
          try {
            result = resultFromJSON(result);
          } catch (e) {
            if (!(e instanceof ResultError)) throw e;
            throw new ResultError(`a sensitivity part: pieces[${i}].result: ${e.message}`, 'INVALID_RESULT');
          }
        const numbers = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number');
        const observed = Array.isArray(q.observed)
          ? q.observed.map((v: unknown) => (numbers(v) ? Float64Array.from(v as number[]) : v))
          : q.observed;
        return { ...q, result, observed };
      })
    : j!.pieces;
  const part = { ...j, pieces };
  refuse(partProblem(part));
  const p = part as SensitivityPart;
  return {
    format: 'carebudget-sensitivity-part',
    libraryVersion: p.libraryVersion,
    method: p.method,
    shard: { index: p.shard.index, count: p.shard.count },
    scenarioHash: p.scenarioHash,
    strategies: p.strategies,
    runsHash: p.runsHash,
    runPaths: p.runPaths,
    pieces: p.pieces.map((q) => ({
      run: q.run,
      result: q.result,
      ...(q.observed === undefined ? {} : { observed: q.observed }),
    })),
  };
}
