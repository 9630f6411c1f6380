import type { Uncertain } from '../scenario/distribution';
import { StreamSlot, type RandomSource, type StreamKey } from './stream';
import { OptionError } from '../errors';

/**
 * The named groups of uncertainty that the built-in drivers and services draw from. Each random
 * draw of a path belongs to one group; a sensitivity analysis freezes or redraws a group as one
 * input. Custom services and drivers may use their own group names.
 *
 * - `demography`: the population projection's error (growth error and yearly shocks)
 * - `use-rates`: home care's use-rate factor and trend, and the yearly noise in recipients
 * - `intensity`: hours per recipient and their trend, care levels' hours and transitions, the
 *   yearly noise in hours
 * - `productivity`: undelivered hours and user time (the share of paid time spent with citizens)
 * - `prices`: the price and wage index's outcome, a private provider's own cost
 * - `providers`: private providers' market shares
 * - `care-home-flows`: care-home applicants, stays and external placements
 * - `specialised-cases`: the specialised area's growth, new cases, their costs and lengths
 * - `interventions`: the drawn effects of interventions
 *
 * @category Sensitivity
 */
export const INPUT_GROUPS = [
  'demography',
  'use-rates',
  'intensity',
  'productivity',
  'prices',
  'providers',
  'care-home-flows',
  'specialised-cases',
  'interventions',
] as const;

/** A built-in input group's id. @category Sensitivity */
export type InputGroup = (typeof INPUT_GROUPS)[number];

/**
 * The level of a draw: `structural` for parameters drawn once per path (trends, use-rate
 * factors, hours per recipient, interventions' effects), `variability` for year-to-year and
 * event-level randomness within a path (yearly shocks, arrivals, stays, cases).
 *
 * @category Sensitivity
 */
export type InputLevel = 'structural' | 'variability';

/**
 * How a run maps its paths to the streams of each input group. Plain data, so it travels to
 * worker threads.
 *
 * - `pickFreeze`: paths come in blocks of `n`; block 0 draws every group from stream path `j`
 *   (sample A), block 1 from `n + j` (sample B), block `2 + i` draws the groups in `blocks[i]`
 *   from `n + j` and all others from `j` (A with group set i taken from B). Path `b·n + j`.
 * - `twoLevel`: paths come in outer draws of `inner` paths; structural draws come from the outer
 *   draw's stream path `⌊path / inner⌋`, variability from the path's own.
 *
 * @category Sensitivity
 */
export type InputPlan =
  | { readonly kind: 'pickFreeze'; readonly n: number; readonly blocks: readonly (readonly string[])[] }
  | { readonly kind: 'twoLevel'; readonly inner: number };

/**
 * Control of the declared scalar inputs (inputs drawn once per path): fix some at a
 * probability of their distribution (a tornado's P10 and P90 runs), the others optionally at
 * their medians.
 *
 * @category Sensitivity
 */
export interface ScalarControl {
  /** Input name → probability in [0, 1] at which the input is fixed (0.1 = its P10). */
  readonly fixed?: Readonly<Record<string, number>>;
  /** Fix every other declared scalar input at its median (default false). */
  readonly othersAtMedian?: boolean;
}

/** A scalar input declared by a service: drawn once per path from a distribution. @category Sensitivity */
export interface ScalarInput {
  /** For example `home-care.hoursPerRecipientPerWeek`. */
  readonly name: string;
  readonly group: string;
  readonly level: InputLevel;
  readonly distribution: Uncertain;
}

/**
 * The run's mapping of input groups to stream paths, and of scalar inputs to their values. A
 * service gets it as `setup.inputs`; a driver as the third argument of `draw`.
 *
 * A plain run maps every group to the path itself and returns every scalar as drawn, so a
 * service that never asks gives the same numbers as one that does.
 *
 * @category Sensitivity
 */
export interface InputSources {
  /**
   * The stream path from which `group`'s draws of `level` (default `structural`) come for run
   * path `path`. Derive the group's streams from it.
   */
  path(group: string, path: number, level?: InputLevel): number;
  /**
   * Declares a scalar input drawn once per path (at `create`), so that it can be correlated,
   * Latin-hypercube sampled, fixed for a tornado and reported. Returns its handle for
   * {@link InputSources.value}. Declaring the same name twice returns the same handle.
   */
  declare(input: ScalarInput): number;
  /**
   * The value of a declared scalar input on path `path`: `drawn` (the service's own draw) unless
   * the run controls the input.
   */
  value(handle: number, drawn: number, path: number): number;
}

/** A plain run: every group from the path's own streams, every scalar as drawn. */
class PlainInputs implements InputSources {
  readonly declared: ScalarInput[] = [];
  path(_group: string, path: number): number {
    return path;
  }
  declare(input: ScalarInput): number {
    return declareInto(this.declared, input);
  }
  value(_handle: number, drawn: number): number {
    return drawn;
  }
}

function declareInto(list: ScalarInput[], input: ScalarInput): number {
  const k = list.findIndex((d) => d.name === input.name);
  if (k >= 0) return k;
  list.push(input);
  return list.length - 1;
}

/**
 * The input sources of a plain run (each group from the path's own streams, scalars as drawn),
 * for services created outside a run.
 *
 * @returns fresh input sources
 * @example
 * ```ts
 * plainInputs().path('demography', 17); //=> 17
 * ```
 * @category Sensitivity
 */
export function plainInputs(): InputSources & { readonly declared: readonly ScalarInput[] } {
  return new PlainInputs();
}

/**
 * The probability (in [0, 1]) at which a declared scalar input is taken on a path, or
 * `undefined` to keep the service's own draw: how a run fixes inputs for a tornado, correlates
 * them or samples them by Latin hypercube without the services knowing.
 *
 * @category Sensitivity
 */
export type ScalarOverride = (input: ScalarInput, path: number, streamPath: number) => number | undefined;

class PlannedInputs implements InputSources {
  readonly declared: ScalarInput[] = [];
  private readonly plan: InputPlan | undefined;
  private readonly blockSets: ReadonlySet<string>[];
  private readonly override: ScalarOverride | undefined;
  private readonly quantiles: ((p: number) => number)[] = [];
  private readonly quantileOf: ((u: Uncertain) => (p: number) => number) | undefined;

  constructor(
    plan: InputPlan | undefined,
    override: ScalarOverride | undefined,
    quantileOf: ((u: Uncertain) => (p: number) => number) | undefined,
  ) {
    this.plan = plan;
    this.blockSets = plan?.kind === 'pickFreeze' ? plan.blocks.map((b) => new Set(b)) : [];
    this.override = override;
    this.quantileOf = quantileOf;
  }

  path(group: string, path: number, level: InputLevel = 'structural'): number {
    const plan = this.plan;
    if (plan === undefined) return path;
    if (plan.kind === 'twoLevel') return level === 'structural' ? Math.floor(path / plan.inner) : path;
    const n = plan.n;
    const b = Math.floor(path / n);
    const j = path - b * n;
    if (b === 0) return j;
    if (b === 1) return n + j;
    return this.blockSets[b - 2]!.has(group) ? n + j : j;
  }

  declare(input: ScalarInput): number {
    const k = declareInto(this.declared, input);
    if (this.quantileOf !== undefined && this.quantiles[k] === undefined)
      this.quantiles[k] = this.quantileOf(input.distribution);
    return k;
  }

  value(handle: number, drawn: number, path: number): number {
    const over = this.override;
    if (over === undefined) return drawn;
    const input = this.declared[handle]!;
    const p = over(input, path, this.path(input.group, path, input.level));
    if (p === undefined) return drawn;
    return this.quantiles[handle]!(p);
  }
}

/**
 * Input sources for a run with a plan and/or control of its scalar inputs.
 *
 * @param plan - how paths map to each group's streams (undefined: plain)
 * @param override - a probability for controlled scalar inputs (undefined: all as drawn)
 * @param quantileOf - the inverse distribution function of a distribution (needed with `override`)
 * @returns input sources
 * @throws {@link OptionError} when the plan's sizes are not positive integers
 * @example
 * ```ts
 * const inputs = createInputs({ kind: 'pickFreeze', n: 100, blocks: [['prices']] });
 * [inputs.path('prices', 205), inputs.path('demography', 205)]; //=> [105, 5]
 * ```
 * @category Sensitivity
 */
export function createInputs(
  plan?: InputPlan,
  override?: ScalarOverride,
  quantileOf?: (u: Uncertain) => (p: number) => number,
): InputSources & { readonly declared: readonly ScalarInput[] } {
  if (plan !== undefined) {
    const size = plan.kind === 'pickFreeze' ? plan.n : plan.inner;
    const field = plan.kind === 'pickFreeze' ? 'plan.n' : 'plan.inner';
    if (!Number.isSafeInteger(size) || size < 1)
      throw new OptionError(`${field}: expected a positive integer; received ${String(size)}`, {
        option: field,
        received: size,
      });
  }
  if (override !== undefined && quantileOf === undefined)
    throw new OptionError('quantileOf: expected a function when scalar inputs are controlled', {
      option: 'quantileOf',
      received: undefined,
    });
  return plan === undefined && override === undefined
    ? new PlainInputs()
    : new PlannedInputs(plan, override, quantileOf);
}

/**
 * A sequence of numbers drawn from one stream whose entries belong to different groups (and
 * levels), drawn so that each entry comes from its own group's stream path: the whole sequence is
 * drawn once per distinct stream path and each entry is taken from the draw of its group's path.
 * In a plain run (every group on the path itself) that is a single draw, bit for bit the sequence
 * as before. The run is asked once per distinct group and level, not once per entry.
 *
 * @internal
 */
export class GroupedSequence {
  /** The sequence of the last path drawn. */
  readonly values: Float64Array;
  private readonly scratch: Float64Array;
  private readonly key: StreamKey;
  private readonly stream = new StreamSlot();
  private readonly draw: (rng: RandomSource, out: Float64Array) => void;
  /** The distinct (group, level) pairs, and each entry's pair. */
  private readonly groups: string[] = [];
  private readonly levels: InputLevel[] = [];
  private readonly slot: Uint16Array;
  /** Each pair's stream path on the path being drawn. */
  private readonly paths: Float64Array;

  /**
   * @param key - the stream's key
   * @param groups - the group of each entry of the sequence
   * @param levels - the level of each entry
   * @param draw - writes the whole sequence into its second argument from the stream
   */
  constructor(
    key: StreamKey,
    groups: readonly string[],
    levels: readonly InputLevel[],
    draw: (rng: RandomSource, out: Float64Array) => void,
  ) {
    const n = groups.length;
    this.key = key;
    this.draw = draw;
    this.values = new Float64Array(n);
    this.scratch = new Float64Array(n);
    this.slot = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      let k = this.groups.findIndex((g, j) => g === groups[i] && this.levels[j] === levels[i]);
      if (k < 0) {
        k = this.groups.length;
        this.groups.push(groups[i]!);
        this.levels.push(levels[i]!);
      }
      this.slot[i] = k;
    }
    this.paths = new Float64Array(Math.max(1, this.groups.length));
  }

  /** Draws the sequence of run path `path` into {@link GroupedSequence.values} and returns it. */
  drawPath(inputs: InputSources, path: number): Float64Array {
    const out = this.values;
    const pairs = this.groups.length;
    const paths = this.paths;
    let mixed = false;
    for (let j = 0; j < pairs; j++) {
      paths[j] = inputs.path(this.groups[j]!, path, this.levels[j]);
      if (paths[j] !== paths[0]) mixed = true;
    }
    const first = pairs === 0 ? path : paths[this.slot[0] ?? 0]!;
    this.draw(this.stream.at(this.key, first), out);
    if (!mixed) return out;
    // Each other distinct stream path once (a pair whose path an earlier pair has is skipped),
    // its draw taken by the entries on that path.
    const slot = this.slot;
    const n = out.length;
    for (let j = 0; j < pairs; j++) {
      const p = paths[j]!;
      let seen = p === first;
      for (let q = 0; q < j && !seen; q++) seen = paths[q] === p;
      if (seen) continue;
      this.draw(this.stream.at(this.key, p), this.scratch);
      for (let k = 0; k < n; k++) if (paths[slot[k]!] === p) out[k] = this.scratch[k]!;
    }
    return out;
  }
}

/**
 * Input sources that note every group asked for and every scalar input's value by path (to list
 * a model's input groups and correlate the inputs with an output).
 *
 * @internal
 */
export class RecordingInputs implements InputSources {
  readonly groups = new Set<string>();
  /** Per declared input, its value on each path of the run (index: path − start). */
  readonly values: Float64Array[] = [];
  private readonly inner: InputSources & { readonly declared: readonly ScalarInput[] };
  private readonly start: number;
  private readonly count: number;
  constructor(inner: InputSources & { readonly declared: readonly ScalarInput[] }, start: number, count: number) {
    this.inner = inner;
    this.start = start;
    this.count = count;
  }
  get declared(): readonly ScalarInput[] {
    return this.inner.declared;
  }
  path(group: string, path: number, level?: InputLevel): number {
    this.groups.add(group);
    return this.inner.path(group, path, level);
  }
  declare(input: ScalarInput): number {
    this.groups.add(input.group);
    const k = this.inner.declare(input);
    this.values[k] ??= new Float64Array(this.count).fill(NaN);
    return k;
  }
  value(handle: number, drawn: number, path: number): number {
    const v = this.inner.value(handle, drawn, path);
    const i = path - this.start;
    if (i >= 0 && i < this.count) this.values[handle]![i] = v;
    return v;
  }
}
