import type { Seed } from './stream';
import { StreamSlot, streamKey, type StreamKey } from './stream';
import { normalQuantile, standardNormal } from './special';
import { correlatedUniforms, gaussianCopula } from './copula';
import { latinHypercube, lhsUniform } from './lhs';
import type { InputPlan, ScalarControl, ScalarInput, ScalarOverride } from './inputs';
import { OptionError } from '../errors';
import { correlationMatrixOf } from '../math/correlation';

/** A scenario's sampling section: how its scalar inputs are drawn. */
export interface SamplingSpec {
  readonly method: 'random' | 'latinHypercube';
  readonly correlations: readonly {
    readonly inputs: readonly string[];
    readonly rank: number | readonly (readonly number[])[];
    readonly repair: boolean;
  }[];
}

interface CorrelatedSet {
  readonly names: readonly string[];
  readonly factor: Float64Array;
  readonly key: StreamKey;
  /** The path whose uniforms `u` hold, and the uniforms. */
  path: number;
  readonly u: Float64Array;
  readonly z: Float64Array;
}

/**
 * The control of a run's scalar inputs, as a {@link ScalarOverride}: fixed probabilities (a
 * tornado's runs) first, then the scenario's rank correlations (a Gaussian copula per set of
 * inputs), then Latin hypercube sampling; inputs under none of them keep their own draws.
 *
 * Latin hypercube: the n paths of the design are split into n equal strata of each input's
 * probability, each stratum used once, in an order drawn from the seed, the input's name and n;
 * within a stratum the point is drawn from the path's own stream. With a Gaussian copula, the
 * hypercube's uniforms are the normal scores' sources, so the first input of a set keeps its
 * strata exactly and the others approximately. A run with a plan (pick-freeze or two-level)
 * samples plainly: its estimators assume independent draws.
 *
 * @param sampling - the scenario's sampling section
 * @param control - fixed probabilities, if any
 * @param seed - the run's seed
 * @param designPaths - the number of paths of the whole run (the Latin hypercube's n)
 * @param plan - the run's plan, if any
 * @returns the override, or undefined when nothing is controlled
 * @throws {@link OptionError} when a correlation's matrix is invalid (see {@link gaussianCopula})
 * @internal
 */
export function scalarOverride(
  sampling: SamplingSpec | undefined,
  control: ScalarControl | undefined,
  seed: Seed,
  designPaths: number,
  plan: InputPlan | undefined,
): ScalarOverride | undefined {
  const fixed = control?.fixed ?? {};
  const othersAtMedian = control?.othersAtMedian === true;
  const lhs = sampling?.method === 'latinHypercube' && plan === undefined;
  const sets: CorrelatedSet[] = (sampling?.correlations ?? []).map((c, k) => {
    const copula = gaussianCopula(correlationMatrixOf(c.rank, c.inputs.length), { repair: c.repair });
    return {
      names: c.inputs,
      factor: copula.factor,
      key: streamKey(seed, `copula:${k}`),
      path: -1,
      u: new Float64Array(c.inputs.length),
      z: new Float64Array(c.inputs.length),
    };
  });
  const member = new Map<string, { set: CorrelatedSet; index: number }>();
  for (const set of sets) set.names.forEach((name, index) => member.set(name, { set, index }));
  if (!lhs && sets.length === 0 && Object.keys(fixed).length === 0 && !othersAtMedian) return undefined;
  // Per input: its permutation of the strata and the key of its points' streams, made on first use.
  const designs = new Map<string, { readonly perm: Uint32Array; readonly key: StreamKey }>();
  // One generator for the points and the copulas' normals: a run draws one kind or the other.
  const stream = new StreamSlot();
  const lhsU = (name: string, path: number): number => {
    if (path >= designPaths)
      throw new OptionError(
        `a Latin hypercube of ${designPaths} paths has no path ${path}; run paths 0 to ${designPaths - 1}, or pass the whole run's size as inputs.designPaths`,
        { option: 'inputs.designPaths', received: designPaths },
      );
    let design = designs.get(name);
    if (design === undefined) {
      design = { perm: latinHypercube(seed, name, designPaths), key: streamKey(seed, `lhs-point:${name}`) };
      designs.set(name, design);
    }
    // The path's first uniform of the point's stream, as deriveStream(key, path)() gives it.
    return lhsUniform(design.perm, path, stream.at(design.key, path)());
  };
  return (input: ScalarInput, path: number, streamPath: number): number | undefined => {
    const f = fixed[input.name];
    if (f !== undefined) return f;
    if (othersAtMedian) return 0.5;
    const m = member.get(input.name);
    if (m !== undefined) {
      const set = m.set;
      if (set.path !== streamPath) {
        const rng = lhs ? undefined : stream.at(set.key, streamPath);
        for (let j = 0; j < set.names.length; j++)
          set.z[j] = rng === undefined ? normalQuantile(lhsU(set.names[j]!, path)) : standardNormal(rng);
        correlatedUniforms(set.factor, set.names.length, set.z, set.u);
        set.path = streamPath;
      }
      return set.u[m.index]!;
    }
    return lhs ? lhsU(input.name, path) : undefined;
  };
}
