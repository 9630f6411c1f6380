import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  AccountsImportError,
  FitError,
  FormulaError,
  PopulationImportError,
  SteeringProblemError,
  strategySpecId,
} from '../../src/index';
import { join, relative } from 'node:path';
import { PropertyViolation } from '../../src/testing/index';
import {
  activity,
  buildModel,
  hybrid,
  InvalidParameterError,
  LookAheadError,
  mergeResults,
  normalSampler,
  OptionError,
  ResultError,
  figureValues,
  DEFAULT_RUN_LIMITS,
  estimateRun,
  frame,
  homeCare,
  runModel,
  SimulationError,
  type Driver,
  type ServiceDefinition,
  type StrategySetup,
  herningSpecialised,
  lejre2034,
  parseScenario,
  presets,
  safeParseScenario,
  ScenarioError,
  simulate,
  simulateSummary,
  strategiesFromSpecs,
  summarize,
  summarizeMetrics,
  type SimulationResult,
} from '../../src/index';
import { deepFreeze, lejreHomeCare } from '../fixtures';

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
  return [...Object.values(r.figures), ...Object.values(r.metrics)]
    .map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'))
    .join('|');
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
      const options = deepFreeze({
        figures: ['treasuryDeviationKr', 'actualCostKr'] as const,
        percentiles: [5, 50, 95],
      });
      summarize(r, { figures: [...options.figures], percentiles: [...options.percentiles] });
      summarizeMetrics(r);
      const s = simulateSummary(input, deepFreeze({ figures: ['treasuryDeviationKr'] }));
      summarize(s, { figures: ['treasuryDeviationKr'] });
      expect(fingerprint(r), name).toBe(print);
      expect(JSON.stringify(input), name).toBe(before);
    }
  });
});

describe('validation in one round, reserved keys and strategy ids', () => {
  const where = (input: unknown) => {
    const r = safeParseScenario(input);
    expect(r.success).toBe(false);
    return r.success ? [] : r.error.problems.map((p) => p.where);
  };

  it('a scenario with six faults, three of them cross-field, lists all six at once', () => {
    const s = lejre2034();
    const input = {
      ...s,
      horizonYears: 0,
      homeCare: { ...s.homeCare!, userTimeShare: 'most', useRates: { '67-79': 0.05, '90+': 0.3 } },
      interventions: [{ id: 'x', kind: 'ownProduction', from: '2025-01-01' }],
      strategies: [{ kind: 'frame' }, { kind: 'frame', adjustmentsKr: { '2030': 'none' } }],
    };
    expect(where(input)).toEqual(
      expect.arrayContaining([
        'horizonYears',
        'homeCare.userTimeShare',
        'strategies[1].adjustmentsKr.2030',
        'homeCare.useRates.90+',
        'homeCare.useRates.80+',
        'interventions[0].kind',
        'strategies[1].id',
      ]),
    );
  });

  it('names reserved keys and ids, and never finds Object.prototype by lookup', () => {
    const s = lejre2034();
    const proto = JSON.parse('{"67-79": 0.05, "80+": 0.28, "__proto__": 0.5}') as Record<string, number>;
    const r = safeParseScenario({ ...s, homeCare: { ...s.homeCare!, useRates: proto } });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.problems[0]).toMatchObject({ where: 'homeCare.useRates.__proto__', received: 0.5 });
    expect(r.success ? '' : r.error.message).toContain('reserved');
    // Group ids that would reach the prototype are refused by name; toString is an ordinary id.
    const groups = (id: string) => ({
      ...s,
      population: { groups: [{ id, start: 100, growthPerYear: 0 }] },
      homeCare: { ...s.homeCare!, useRates: {} },
      careHomes: undefined,
    });
    for (const id of ['__proto__', 'constructor', 'prototype'])
      expect(where(groups(id))).toContain('population.groups[0].id');
    expect(where(groups('toString'))).toEqual(['homeCare.useRates.toString']);
    const parsed = parseScenario(lejre2034());
    expect(Object.getPrototypeOf(parsed.homeCare!.useRates)).toBe(null);
  });

  it('checks a single population correlation as it checks the same matrix', () => {
    const s = herningSpecialised();
    const three = {
      ...s,
      population: { groups: ['a', 'b', 'c'].map((id) => ({ id, start: 1000, growthPerYear: 0 })), correlation: -0.6 },
    };
    expect(where(three)).toEqual(['population.correlation']);
    const matrix = [
      [1, -0.6, -0.6],
      [-0.6, 1, -0.6],
      [-0.6, -0.6, 1],
    ];
    expect(where({ ...three, population: { ...three.population, correlation: matrix } })).toEqual([
      'population.correlation',
    ]);
    expect(safeParseScenario({ ...three, population: { ...three.population, correlation: -0.4 } }).success).toBe(true);
  });

  it('computes strategy ids once for validation and run', () => {
    const s = lejreHomeCare();
    expect(
      where({ ...s, strategies: [{ kind: 'frame', id: 'demographic-frame' }, { kind: 'demographicFrame' }] }),
    ).toEqual(['strategies[1].id']);
    const r = simulate({ ...s, paths: 3, strategies: [{ kind: 'hybrid' }, { kind: 'hybrid', mode: 'nextYear' }] });
    expect(r.strategies.map((x) => x.id)).toEqual(['hybrid', 'hybrid-next-year']);
    expect(
      strategiesFromSpecs(
        parseScenario({
          ...s,
          strategies: [{ kind: 'demographicFrame' }, { kind: 'hybrid', mode: 'nextYear' }, { kind: 'activity' }],
        }).strategies,
      ).map((x) => x.id),
    ).toEqual(['demographic-frame', 'hybrid-next-year', 'activity']);
  });

  it('refuses a demographic frame that no cost by age group can scale', () => {
    expect(where({ ...herningSpecialised(), strategies: [{ kind: 'demographicFrame' }] })).toEqual([
      'strategies[0].unitCostKr',
    ]);
    expect(() =>
      simulate({
        ...herningSpecialised(),
        paths: 3,
        strategies: [{ kind: 'demographicFrame', unitCostKr: { '18-64': 6000 } }],
      }),
    ).not.toThrow();
  });

  it('returns a problem for input nested 100,000 deep or referring to itself, without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = safeParseScenario({ ...lejre2034(), description: deep });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.problems[0]!.where).toMatch(/^description(\[0\])+$/);
    const cyclic: Record<string, unknown> = { ...lejre2034() };
    cyclic.self = cyclic;
    expect(safeParseScenario(cyclic).success).toBe(false);
    expect(() => parseScenario(deep)).toThrow(ScenarioError);
  });

  it('returns a problem for input whose reading throws', () => {
    const hostile = { ...lejre2034() };
    Object.defineProperty(hostile, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('no access');
      },
    });
    const r = safeParseScenario(hostile);
    expect(r.success).toBe(false);
    expect(r.success ? '' : r.error.message).toContain('no access');
  });

  it('checks a distribution of 200,000 values without overflowing the stack', () => {
    const values = Array.from({ length: 200_000 }, (_, i) => 0.55 + (i % 10) / 100);
    const s = lejreHomeCare();
    expect(
      safeParseScenario({ ...s, homeCare: { ...s.homeCare!, userTimeShare: { dist: 'empirical', values } } }).success,
    ).toBe(true);
    const r = safeParseScenario({
      ...s,
      homeCare: { ...s.homeCare!, userTimeShare: { dist: 'empirical', values: [...values, 2] } },
    });
    expect(r.success ? [] : r.error.problems.map((p) => p.where)).toEqual(['homeCare.userTimeShare']);
  });

  it('the examples in the doc comments of estimateRun and strategySpecId give what they show', () => {
    expect(estimateRun(parseScenario(lejre2034()), { paths: 1000 }).resultBytes).toBe(4048000);
    expect(strategySpecId({ kind: 'hybrid', mode: 'nextYear' })).toBe('hybrid-next-year');
  });
});

describe('bounds that reality sets', () => {
  const problemAt = (input: unknown) => {
    const r = safeParseScenario(input);
    return r.success ? [] : r.error.problems.map((p) => p.where);
  };
  const lejre = lejre2034();
  const herning = herningSpecialised();

  it('refuses values that could not finish or would overflow, naming the field', () => {
    const cases: [unknown, string][] = [
      [
        {
          ...lejre,
          careHomes: {
            ...lejre.careHomes!,
            stay: { kind: 'mixture', shortShare: 0.33, shortMeanYears: 1e-6, longMeanYears: 3.7 },
          },
        },
        'careHomes.stay.shortMeanYears',
      ],
      [
        {
          ...lejre,
          careHomes: {
            ...lejre.careHomes!,
            stay: { kind: 'mixture', shortShare: 0.33, shortMeanYears: 5e-324, longMeanYears: 3.7 },
          },
        },
        'careHomes.stay.shortMeanYears',
      ],
      [
        { ...lejre, careHomes: { ...lejre.careHomes!, stay: { kind: 'constant', exitPerYear: 5e-324 } } },
        'careHomes.stay.exitPerYear',
      ],
      [{ ...lejre, homeCare: { ...lejre.homeCare!, wageCostPerPaidHourKr: 1e308 } }, 'homeCare.wageCostPerPaidHourKr'],
      [{ ...lejre, homeCare: { ...lejre.homeCare!, userTimeShare: 5e-324 } }, 'homeCare.userTimeShare'],
      [
        { ...lejre, homeCare: { ...lejre.homeCare!, hoursPerRecipientPerWeek: 1e308 } },
        'homeCare.hoursPerRecipientPerWeek',
      ],
      [
        { ...lejre, homeCare: { ...lejre.homeCare!, useRateFactor: { dist: 'lognormal', p5: 1e-300, p95: 1e300 } } },
        'homeCare.useRateFactor.p95',
      ],
      [{ ...lejre, strategies: [{ kind: 'activity', pricePerUnitKr: 5e-324 }] }, 'strategies[0].pricePerUnitKr'],
      [{ ...herning, specialised: { ...herning.specialised!, exitPerYear: 5e-324 } }, 'specialised.exitPerYear'],
      [
        { ...herning, specialised: { ...herning.specialised!, costPerCase: { medianKr: 1e308, p95Kr: Infinity } } },
        'specialised.costPerCase.medianKr',
      ],
      [
        {
          ...lejre,
          population: {
            groups: [
              { id: '80+', start: 5e-324, growthPerYear: 0 },
              { id: '67-79', start: 100, growthPerYear: 0.9 },
            ],
          },
        },
        'population.groups[1].growthPerYear',
      ],
    ];
    for (const [input, field] of cases) expect(problemAt(input), field).toContain(field);
  });
});

describe('the numeric guard', () => {
  /** Home care whose cost turns NaN in one period of one path, as a broken input would make it. */
  function poisoned(path: number, period: number): ServiceDefinition[] {
    const [inner] = homeCare(parseScenario(lejreHomeCare()).homeCare!);
    return [
      {
        ...inner!,
        create(setup) {
          const instance = inner!.create(setup);
          let current = -1;
          return {
            baseline: instance.baseline,
            reset(p: number) {
              current = p;
              instance.reset(p);
            },
            step(p, world, out) {
              instance.step(p, world, out);
              if (current === path && p === period) out.costKr[p] = NaN;
            },
          };
        },
      },
    ];
  }

  it('stops the run naming path, period, service and figure, and the same path alone reproduces it', () => {
    const model = buildModel(parseScenario({ ...lejreHomeCare(), paths: 20 }), {
      services: poisoned(13, 30),
      replaceServices: true,
    });
    let error: unknown;
    try {
      runModel(model, [frame(), activity()]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationError);
    expect(error).toMatchObject({
      code: 'NON_FINITE_FIGURE',
      path: 13,
      period: 30,
      service: 'home-care',
      figure: 'costKr',
      year: 2026,
    });
    expect((error as Error).message).toContain('replayPath(scenario, 13)');
    expect(() => runModel(model, [frame(), activity()], { pathStart: 13, paths: 1 })).toThrow(
      expect.objectContaining({ path: 13, period: 30 }) as never,
    );
    expect(() => runModel(model, [frame(), activity()], { pathStart: 14, paths: 5 })).not.toThrow();
  });

  it('names the input behind a non-finite figure where the world shows it', () => {
    const scenario = parseScenario({ ...lejreHomeCare(), paths: 2 });
    const model = buildModel(scenario);
    const [population, prices] = model.drivers;
    const broken: Driver = {
      ...population!,
      draw(path, world) {
        population!.draw(path, world);
        if (path === 1) world.population[3 * world.groupIds.length + 1] = Infinity;
      },
    };
    const m = buildModel(scenario, { drivers: [broken, prices!] });
    expect(() => runModel(m, [frame()])).toThrow(
      expect.objectContaining({
        code: 'NON_FINITE_FIGURE',
        path: 1,
        year: 2026,
        input: 'population 80+ Infinity',
      }) as never,
    );
  });

  it('a non-finite budget names strategy, hook, service, year and path', () => {
    const broken = {
      ...frame(),
      id: 'broken',
      create: (setup: StrategySetup) => ({ ...frame().create(setup), settle: () => NaN }),
    };
    expect(() => simulate({ ...lejreHomeCare(), paths: 2 }, { strategies: [broken] })).toThrow(
      expect.objectContaining({
        code: 'NON_FINITE_BUDGET',
        strategy: 'broken',
        hook: 'settle',
        service: 'home-care',
        year: 2024,
        path: 0,
      }) as never,
    );
  });
});

describe('runs refused up front by their estimate', () => {
  it('refuses 100,000,000 paths with per-path results before any work, with the bytes and the alternative', () => {
    const started = Date.now();
    let error: unknown;
    try {
      simulate({ ...lejre2034(), paths: 100_000_000 });
    } catch (e) {
      error = e;
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ name: 'SimulationError', code: 'RUN_TOO_LARGE' });
    expect((error as Error).message).toMatch(/377 GiB .*4048 bytes a path × 100000000 paths.*streaming summaries/);
  });

  it('refuses work that would not finish: a specialised area of 100,000 cases and 100,000 new a year, care homes turning over weekly', () => {
    const herning = herningSpecialised();
    const big = { ...herning, specialised: { ...herning.specialised!, casesAtStart: 100_000, inflowPerYear: 100_000 } };
    expect(() => simulate(big)).toThrow(expect.objectContaining({ code: 'RUN_TOO_LARGE' }) as never);
    // Streaming summaries bound the memory, not the work.
    expect(() => simulateSummary(big, { figures: ['treasuryDeviationKr'] })).toThrow(
      expect.objectContaining({ code: 'RUN_TOO_LARGE' }) as never,
    );
    const lejre = lejre2034();
    const homes = Array.from({ length: 100 }, (_, i) => ({ id: `h${i}`, places: 2000 }));
    const weekly = { ...lejre, careHomes: { ...lejre.careHomes!, homes, stay: { kind: 'constant', exitPerYear: 52 } } };
    expect(() => simulate(weekly)).toThrow(/one path of this scenario needs about .* steps/);
    // The estimate is what the check reads; limits can be raised or lowered per run.
    const e = estimateRun(parseScenario(weekly));
    expect(e.stepsPerPath).toBeGreaterThan(1e8);
    expect(() => simulate({ ...lejre, paths: 10 }, { limits: { maxResultBytes: 1000 } })).toThrow(
      /per-path results of this run need/,
    );
  });

  it('passes every preset at its own paths with room to spare', () => {
    for (const make of Object.values(presets)) {
      const e = estimateRun(parseScenario(make()));
      expect(e.steps).toBeLessThan(DEFAULT_RUN_LIMITS.maxSteps / 100);
      expect(e.resultBytes).toBeLessThan(DEFAULT_RUN_LIMITS.maxResultBytes / 100);
    }
  });
});

describe('errors are part of the API', () => {
  const src = join(__dirname, '..', '..', 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory()
        ? d.name === 'cli'
          ? []
          : files(join(dir, d.name))
        : d.name.endsWith('.ts')
          ? [join(dir, d.name)]
          : [],
    );
  const classes = {
    ScenarioError,
    SimulationError,
    LookAheadError,
    ResultError,
    InvalidParameterError,
    OptionError,
    PopulationImportError,
    FormulaError,
    PropertyViolation,
    SteeringProblemError,
    AccountsImportError,
    FitError,
  };

  /** Each `throw new X` under `dir` whose X is not one of the classes: `src/file.ts:line: throw new X`. */
  const foreignThrows = (dir: string): string[] =>
    files(dir).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return [...text.matchAll(/throw new (\w+)/g)]
        .filter((m) => !(m[1]! in classes))
        .map((m) => `${relative(join(dir, '..'), f)}:${text.slice(0, m.index).split('\n').length}: throw new ${m[1]}`);
    });
  const foreignThrowsMessage = (offending: readonly string[]): string =>
    `src/ throws only the library's error classes (src/errors.ts and the classes in docs/errors.md: ${Object.keys(classes).join(', ')}); these throw others:\n${offending.join('\n')}`;

  it('a throw of another class is named by its file and line', () => {
    const root = mkdtempSync(join(tmpdir(), 'carebudget-throws-'));
    const dir = join(root, 'src');
    mkdirSync(join(dir, 'services'), { recursive: true });
    writeFileSync(
      join(dir, 'services', 'mine.ts'),
      "export function f(x: number) {\n  if (x < 0) throw new RangeError('x');\n  if (x > 9) throw new OptionError('x');\n}\n",
    );
    const offending = foreignThrows(dir);
    rmSync(root, { recursive: true, force: true });
    expect(offending).toEqual([`${join('src', 'services', 'mine.ts')}:2: throw new RangeError`]);
    expect(foreignThrowsMessage(offending)).toContain(
      "src/ throws only the library's error classes (src/errors.ts and the classes in docs/errors.md",
    );
  });

  it('the library throws only its exported error classes, each listed in docs/errors.md with its codes', () => {
    const offending = foreignThrows(src);
    if (offending.length > 0) expect.fail(foreignThrowsMessage(offending));
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    const codes = [
      'INVALID_SCENARIO',
      'INVALID_OPTION',
      'NON_FINITE_BUDGET',
      'INVALID_SERVICE_LEVEL',
      'NON_FINITE_FIGURE',
      'STRATEGY_FAILED',
      'SERVICE_FAILED',
      'RUN_TOO_LARGE',
      'ABORTED',
      'WORKER_FAILED',
      'LOOK_AHEAD',
      'NOT_IN_RESULT',
      'CANNOT_MERGE',
      'INVALID_RESULT',
      'MIXED_UNITS',
      'INVALID_PARAMETER',
      'INVALID_POPULATION_TABLE',
      'INVALID_FORMULA_VALUE',
      'PROPERTY_VIOLATION',
      'INVALID_PROBLEM',
      'INVALID_ACCOUNTS',
      'INVALID_HISTORY',
    ];
    for (const name of [...Object.keys(classes), ...codes]) expect(doc, name).toContain(`\`${name}\``);
    // Every SimulationError code of the type is documented.
    const errors = readFileSync(join(src, 'simulation', 'errors.ts'), 'utf8');
    const union = /export type SimulationErrorCode =\s*([^;]+);/
      .exec(errors)![1]!
      .match(/'[A-Z_]+'/g)!
      .map((c) => c.slice(1, -1));
    for (const c of union) expect(codes).toContain(c);
  });

  it('each error carries a stable code and its fields', () => {
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as Record<string, unknown>;
      }
      throw new Error('expected a throw');
    };
    expect(caught(() => parseScenario({ ...lejre2034(), horizonYears: 0 }))).toMatchObject({
      code: 'INVALID_SCENARIO',
      problems: [{ where: 'horizonYears', path: ['horizonYears'] }],
    });
    expect(caught(() => simulate(lejre2034(), { paths: 0 }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(() => simulate(lejre2034(), { signal: AbortSignal.abort() }))).toMatchObject({ code: 'ABORTED' });
    const r = simulate({ ...lejre2034(), paths: 5 });
    expect(caught(() => figureValues(r, { strategy: 'hybrid', year: 2030, figure: 'actualCostKr' }))).toMatchObject({
      code: 'NOT_IN_RESULT',
    });
    expect(caught(() => mergeResults([r, r]))).toMatchObject({ code: 'CANNOT_MERGE' });
    expect(caught(() => normalSampler(0, -1))).toMatchObject({
      code: 'INVALID_PARAMETER',
      sampler: 'normal',
      parameter: 'sd',
      received: -1,
    });
    const e = caught(() => hybrid({ corridor: 2 }));
    expect(e).toBeInstanceOf(RangeError);
    expect(e).toMatchObject({ name: 'OptionError', code: 'INVALID_OPTION', option: 'hybrid: corridor', received: 2 });
  });
});

describe('a strategy that throws', () => {
  it('is named with its hook, service, year and path, the original kept as the cause; a look-ahead passes unchanged', () => {
    const original = new Error('no budget model for 2026');
    const throwing = {
      ...frame(),
      id: 'thrower',
      create: (setup: StrategySetup) => {
        const inst = frame().create(setup);
        return {
          ...inst,
          followUp: (ctx: { year: number; currentBudgetKr: number }) => {
            if (ctx.year === 2026) throw original;
            return ctx.currentBudgetKr;
          },
        };
      },
    };
    let error: unknown;
    try {
      simulate({ ...lejreHomeCare(), paths: 3 }, { strategies: [throwing as never] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      name: 'SimulationError',
      code: 'STRATEGY_FAILED',
      strategy: 'thrower',
      hook: 'followUp',
      service: 'home-care',
      year: 2026,
      path: 0,
      cause: original,
    });
    expect((error as Error).message).toBe(
      'strategy "thrower" failed in followUp for service "home-care", year 2026, path 0: no budget model for 2026',
    );
    const peeking = {
      ...frame(),
      id: 'peek',
      create: (setup: StrategySetup) => ({
        ...frame().create(setup),
        adopt: (ctx: { actual(f: string, p: number): number }) => ctx.actual('costKr', 500),
      }),
    };
    expect(() => simulate({ ...lejreHomeCare(), paths: 1 }, { strategies: [peeking as never] })).toThrow(
      LookAheadError,
    );
  });

  it('a read of the future keeps its class and code, and names the strategy, hook, service, year and path', () => {
    const early = {
      ...frame(),
      id: 'early',
      create: (setup: StrategySetup) => ({
        ...frame().create(setup),
        adopt: (ctx: { yearIndex: number; actualCostKr(y: number): number }) => ctx.actualCostKr(ctx.yearIndex),
      }),
    };
    let error: unknown;
    try {
      simulate({ ...lejre2034(), paths: 2 }, { strategies: [early as never] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LookAheadError);
    expect(error).toMatchObject({
      code: 'LOOK_AHEAD',
      what: 'settled year',
      asked: 1,
      known: 0,
      strategy: 'early',
      hook: 'adopt',
      service: 'care-homes',
      year: 2024,
      path: 0,
    });
    expect((error as Error).message).toBe(
      'look-ahead: a strategy asked for settled year 1, but only 0 years are known at this decision in adopt of strategy "early" for service "care-homes", year 2024, path 0',
    );
  });
});
