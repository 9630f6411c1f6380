import { describe, expect, it } from 'vitest';
import {
  activity,
  frame,
  hedenstedRecovery,
  lejre2034,
  mergeSensitivityParts,
  OptionError,
  rankSensitivity,
  ResultError,
  sensitivityPart,
  sensitivityPartFromJSON,
  sensitivityPartToJSON,
  SimulationError,
  sobolSensitivity,
  tornadoSensitivity,
  twoLevelSensitivity,
  type ScenarioInput,
  type SensitivityMethod,
  type SensitivityPart,
} from '../../src/index';
import { sensitivityPart as partOnThreads } from '../../src/node/index';

const short: ScenarioInput = { ...lejre2034(), horizonYears: 2 };
const two = [frame(), activity()];

/** Equal as a whole, and to the bit: JSON keeps every digit of every number. */
function expectSame(a: unknown, b: unknown): void {
  expect(a).toEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

/** All N parts of an analysis, each through its JSON as a file would carry it, in reverse order. */
function partsOf<M extends SensitivityMethod>(
  method: M,
  scenario: unknown,
  options: Parameters<typeof sensitivityPart<M>>[2],
  count: number,
): SensitivityPart[] {
  return Array.from({ length: count }, (_, i) => count - i).map((index) =>
    sensitivityPartFromJSON(
      JSON.parse(JSON.stringify(sensitivityPartToJSON(sensitivityPart(method, scenario, options, { index, count })))),
    ),
  );
}

describe('sensitivity analyses in shards', () => {
  // Each analysis a few hundred paths at most: once whole, once in parts.
  it('a Sobol analysis merged from 3 parts is the analysis in one process, bit for bit', () => {
    const options = { n: 10, bootstrap: 30, strategies: two };
    const parts = partsOf('sobol', short, options, 3);
    // 10 × (6 + 2) = 80 paths: 26, 27 and 27.
    expect(parts.map((p) => p.pieces.reduce((n, x) => n + x.result.pathCount, 0)).reverse()).toEqual([26, 27, 27]);
    expectSame(mergeSensitivityParts('sobol', short, options, parts), sobolSensitivity(short, options));
  });

  it('rank correlations merge the scalar inputs observed in each part', () => {
    const options = { paths: 40, bootstrap: 30, strategies: two };
    const parts = partsOf('rank', short, options, 4);
    expect(parts[0]!.pieces[0]!.observed!.length).toBeGreaterThan(0);
    expectSame(mergeSensitivityParts('rank', short, options, parts), rankSensitivity(short, options));
  });

  it('rank correlations on a Latin hypercube laid over the whole run, not each part', () => {
    const base = hedenstedRecovery();
    const scenario = { ...base, horizonYears: 2, sampling: { ...base.sampling, method: 'latinHypercube' as const } };
    const options = { paths: 30, bootstrap: 30 };
    expectSame(
      mergeSensitivityParts('rank', scenario, options, partsOf('rank', scenario, options, 3)),
      rankSensitivity(scenario, options),
    );
  });

  it('a two-level analysis split inside its outer draws', () => {
    const options = { outer: 6, inner: 5, bootstrap: 30, strategies: two };
    const parts = partsOf('twoLevel', short, options, 4);
    expectSame(mergeSensitivityParts('twoLevel', short, options, parts), twoLevelSensitivity(short, options));
  });

  it("a tornado's 2k + 1 runs, laid end to end, cut across the runs' ends", () => {
    const options = { paths: 9, strategies: [frame()], years: [2025] };
    const parts = partsOf('tornado', short, options, 4);
    // Some part holds pieces of more than one run.
    expect(parts.some((p) => new Set(p.pieces.map((x) => x.run)).size > 1)).toBe(true);
    const runs = parts[0]!.runPaths.length;
    expect(runs).toBeGreaterThanOrEqual(3);
    expectSame(mergeSensitivityParts('tornado', short, options, parts), tornadoSensitivity(short, options));
  });

  it('options that do not change the runs may differ at the merge: the same paths, another figure', () => {
    const options = { outer: 4, inner: 3, bootstrap: 30, strategies: two };
    const parts = partsOf('twoLevel', short, options, 2);
    const other = { ...options, figure: 'actualCostKr' as const, years: [2025] };
    expectSame(mergeSensitivityParts('twoLevel', short, other, parts), twoLevelSensitivity(short, other));
  });

  it('the limits apply to each part: an analysis refused whole runs in parts', () => {
    const options = { paths: 300, bootstrap: 20, strategies: [frame()], years: [2025] };
    let limit = 0;
    try {
      rankSensitivity(short, { ...options, limits: { maxSteps: 1 } });
    } catch (e) {
      limit = Number((e as SimulationError).value);
    }
    expect(limit).toBeGreaterThan(0);
    // Three quarters of the whole analysis's estimated work: the whole is refused, a half is not.
    const limits = { maxSteps: 0.75 * limit };
    expect(() => rankSensitivity(short, { ...options, limits })).toThrow(/limit/);
    const parts = [1, 2].map((index) => sensitivityPart('rank', short, { ...options, limits }, { index, count: 2 }));
    expectSame(mergeSensitivityParts('rank', short, options, parts), rankSensitivity(short, options));
  });

  it('on worker threads a part is the part made on the calling thread', async () => {
    const options = { n: 8, bootstrap: 30, strategies: [{ kind: 'frame' }] as const };
    const here = sensitivityPart('sobol', short, { ...options, strategies: [frame()] }, { index: 2, count: 3 });
    const pooled = await partOnThreads(
      'sobol',
      short,
      { ...options, threads: 2, chunkSize: 5, minParallelPaths: 0 },
      { index: 2, count: 3 },
    );
    expectSame(sensitivityPartToJSON(pooled), sensitivityPartToJSON(here));
  }, 60_000);
});

describe('sensitivity analyses in shards: errors', () => {
  const options = { outer: 4, inner: 3, bootstrap: 30, strategies: [frame()] };
  const parts = [1, 2, 3].map((index) => sensitivityPart('twoLevel', short, options, { index, count: 3 }));

  it('refuses a bad shard or method by name', () => {
    for (const shard of [{ index: 0, count: 2 }, { index: 3, count: 2 }, { index: 1.5, count: 2 }, null])
      expect(() => sensitivityPart('twoLevel', short, options, shard as never)).toThrow(OptionError);
    expect(() => sensitivityPart('twoLevel', short, options, { index: 1, count: 13 })).toThrow(
      /count 13 is more than the analysis's 12 paths/,
    );
    expect(() => sensitivityPart('anova' as 'twoLevel', short, options, { index: 1, count: 2 })).toThrow(
      /method: expected one of sobol, tornado, rank, twoLevel; received "anova"/,
    );
  });

  it('refuses a missing part, a part given twice, and parts of other options or another scenario', () => {
    const merge =
      (ps: SensitivityPart[], o = options, s: unknown = short) =>
      () =>
        mergeSensitivityParts('twoLevel', s, o, ps);
    expect(merge([parts[0]!, parts[2]!])).toThrow(/part 2 of 3 is missing/);
    expect(merge([...parts, parts[1]!])).toThrow(/part 2 of 3 is given twice/);
    expect(merge(parts, { ...options, outer: 6, inner: 2 })).toThrow(/made with other options/);
    expect(merge(parts, options, { ...short, seed: 7 })).toThrow(/scenario hash/);
    expect(merge([])).toThrow(ResultError);
    expect(() => mergeSensitivityParts('sobol', short, { n: 2, strategies: [frame()] }, parts)).toThrow(
      /a part of a twoLevel analysis, not sobol/,
    );
    try {
      merge([parts[0]!])();
    } catch (e) {
      expect((e as ResultError).code).toBe('CANNOT_MERGE');
    }
  });

  it('refuses parts made under other strategies, even where the runs are alike', () => {
    const tornado = { paths: 5, strategies: [frame()], years: [2025] };
    const made = [1, 2].map((index) => sensitivityPart('tornado', short, tornado, { index, count: 2 }));
    for (const strategies of [[frame(), activity()], [activity()]])
      expect(() => mergeSensitivityParts('tornado', short, { ...tornado, strategies }, made)).toThrow(
        /made under the strategies frame, the analysis runs/,
      );
  });

  it('checks the merge against the limits: the bootstrap and the merged results', () => {
    const rank = { paths: 30, bootstrap: 2000, strategies: [frame()] };
    const made = [1, 2].map((index) => sensitivityPart('rank', short, rank, { index, count: 2 }));
    expect(() => mergeSensitivityParts('rank', short, { ...rank, limits: { maxSteps: 1e5 } }, made)).toThrow(
      /the work after this run's paths \(the bootstrap\) needs about/,
    );
    expect(() => mergeSensitivityParts('rank', short, { ...rank, limits: { maxResultBytes: 100 } }, made)).toThrow(
      /per-path results of this run need/,
    );
    expect(mergeSensitivityParts('rank', short, rank, made).paths).toBe(30);
  });

  it("refuses a rank part whose observed inputs are not the model's, and a part built by hand without its fields", () => {
    const rank = { paths: 12, bootstrap: 20, strategies: [frame()] };
    const made = [1, 2].map((index) => sensitivityPart('rank', short, rank, { index, count: 2 }));
    const fewer = made.map((p) => ({
      ...p,
      pieces: p.pieces.map((x) => ({ ...x, observed: x.observed!.slice(1) })),
    }));
    expect(() => mergeSensitivityParts('rank', short, rank, fewer)).toThrow(
      /observes the model's \d+ scalar inputs, and its piece from path 0 holds the values of \d+/,
    );
    const { shard: _s, ...noShard } = made[0]!;
    expect(() => mergeSensitivityParts('rank', short, rank, [noShard as never, made[1]!])).toThrow(
      /parts\[0\]\.shard: expected \{ index, count \}/,
    );
    expect(() => mergeSensitivityParts('rank', short, rank, [{ ...made[0]!, pieces: undefined } as never])).toThrow(
      /parts\[0\]\.pieces: expected a list/,
    );
    const odd = { ...made[0]!.pieces[0]!, result: { ...made[0]!.pieces[0]!.result, strategies: 'frame' } };
    expect(() => mergeSensitivityParts('rank', short, rank, [{ ...made[0]!, pieces: [odd] } as never])).toThrow(
      /parts\[0\]\.pieces\[0\]\.result\.strategies: expected the part's strategies \(frame\)/,
    );
  });

  it('refuses JSON that is not a part, naming the field', () => {
    const json = sensitivityPartToJSON(parts[0]!) as Record<string, unknown>;
    expect(() => sensitivityPartFromJSON({ ...json, shard: { index: 4, count: 3 } })).toThrow(/shard must be/);
    expect(() => sensitivityPartFromJSON({ ...json, method: 'anova' })).toThrow(/method must be/);
    expect(() => sensitivityPartFromJSON({ ...json, pieces: [{ run: 5 }] })).toThrow(/pieces\[0\]\.run/);
    expect(() => sensitivityPartFromJSON(null)).toThrow(/must be an object/);
    // The checks a part given in code has: its results' strategies, and its observed inputs.
    expect(() => sensitivityPartFromJSON({ ...json, strategies: ['other'] })).toThrow(
      /pieces\[0\]\.result\.strategies must be the part's strategies \(other\)/,
    );
    const rankJson = sensitivityPartToJSON(
      sensitivityPart('rank', short, { paths: 12, strategies: [frame()] }, { index: 1, count: 2 }),
    ) as { pieces: { observed: number[][] }[] };
    // The first input that is wrong is named, with what it holds.
    const piece = rankJson.pieces[0]!;
    const shortened = { ...rankJson, pieces: [{ ...piece, observed: [piece.observed[0]!, [1, 2]] }] };
    expect(() => sensitivityPartFromJSON(shortened)).toThrow(
      /pieces\[0\]\.observed\[1\] must be the input's 6 values; received "2 values"/,
    );
    const words = { ...rankJson, pieces: [{ ...piece, observed: [piece.observed[0]!.map(String)] }] };
    expect(() => sensitivityPartFromJSON(words)).toThrow(/observed\[0\] must be .*"6 values, not all numbers"/);
    // The part's own fields before its pieces; a piece's result named by its index.
    expect(() => sensitivityPartFromJSON({ ...rankJson, format: 'nope', pieces: [{ run: 0, result: {} }] })).toThrow(
      /format must be "carebudget-sensitivity-part"/,
    );
    expect(() => sensitivityPartFromJSON({ ...rankJson, pieces: [{ run: 0, result: {} }] })).toThrow(
      /a sensitivity part: pieces\[0\]\.result: /,
    );
    expect(sensitivityPartFromJSON(rankJson).pieces[0]!.observed![0]).toBeInstanceOf(Float64Array);
  });
});
