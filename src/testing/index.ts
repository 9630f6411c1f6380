/**
 * carebudget/testing: the properties every steering strategy and every service keeps, as
 * checks a plug-in writer runs on their own strategy or service in any test runner (vitest,
 * jest, node:test). Each check runs the plug-in on a few small seeded scenarios of different
 * shapes through the public API and throws a {@link PropertyViolation} naming the scenario,
 * service, year and path where a property fails.
 *
 * A separate entry, so the core's bundle does not carry it. It needs no test library.
 *
 * @packageDocumentation
 */
import {
  buildModel,
  figureValues,
  LookAheadError,
  OptionError,
  parseScenario,
  RECORDED_FIGURES,
  runModel,
  ishoejCareHomes,
  hedenstedRecovery,
  lejre2034,
  type CarryOverCaps,
  type Driver,
  type Scenario,
  type ScenarioInput,
  activityLinesOf,
  linesInUnit,
  writtenArrays,
  type ServiceBaseline,
  type ServiceDefinition,
  type ServiceHistory,
  type SimulationResult,
  type StrategyDefinition,
} from '../index';
import { sharedErrorClass } from '../errors';

/**
 * One named property check: `run()` returns when the property holds and throws a
 * {@link PropertyViolation} when it does not. Register each as a test of its own.
 *
 * @category Testing
 */
export interface PropertyCheck {
  /** What the check asserts, for example `"same seed, same decisions"`. */
  readonly name: string;
  /** Runs the check; throws {@link PropertyViolation} on the first violation found. */
  run(): void;
}

/**
 * Thrown by a {@link PropertyCheck} whose property does not hold.
 *
 * @category Testing
 */
export class PropertyViolation extends Error {
  /** Always `PROPERTY_VIOLATION`. */
  readonly code = 'PROPERTY_VIOLATION' as const;
  /** The name of the check that failed. */
  readonly check: string;

  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super(`${check}: ${message}`, options);
    this.name = 'PropertyViolation';
    this.check = check;
  }
}
sharedErrorClass(PropertyViolation, 'PropertyViolation');

/** Options shared by {@link strategyProperties} and {@link serviceProperties}. @category Testing */
export interface PropertyOptions {
  /**
   * The scenarios to run on (default: three small seeded scenarios of different shapes: home
   * care and care homes by month over 4 years, home care and the specialised area by quarter
   * over 3 years, home care and two care homes by year over 3 years; all with the age groups
   * 67-79 and 80+).
   */
  readonly scenarios?: readonly ScenarioInput[];
  /** Paths per scenario (default 4). */
  readonly paths?: number;
}

/** Options of {@link strategyProperties}: which of the optional identities the strategy keeps. @category Testing */
export interface StrategyPropertyOptions extends PropertyOptions {
  /**
   * Carry-over caps the strategy keeps: each year's carry-over lies within
   * [−deficitCap × adopted, surplusCap × adopted] (`null`: no cap on that side).
   */
  readonly carryOverCaps?: CarryOverCaps;
  /** `true` when a year opens at its adopted budget plus last year's carry-over (a frame without other opening changes). */
  readonly opensWithCarryOver?: boolean;
  /** `true` when the strategy does not regulate in the year: the final budget equals the opening budget. */
  readonly fixedInYear?: boolean;
}

/** Options of {@link serviceProperties}. @category Testing */
export type ServicePropertyOptions = PropertyOptions;

/**
 * The service or services to check: one definition, several (the units of one service), or a
 * function that makes them from each scenario (for example
 * `(s) => homeCare(s.homeCare!)`).
 *
 * @category Testing
 */
export type ServicesUnderTest =
  ServiceDefinition | readonly ServiceDefinition[] | ((scenario: Scenario) => readonly ServiceDefinition[]);

/** The default scenarios: small, seeded, of different shapes. */
function defaultScenarios(): ScenarioInput[] {
  return [
    { ...lejre2034(), horizonYears: 4, step: 'month' },
    { ...hedenstedRecovery(), horizonYears: 3, step: 'quarter' },
    { ...ishoejCareHomes(), horizonYears: 3, step: 'year' },
  ];
}

/** The scenarios of a run of checks, validated once. */
function scenariosOf(options: PropertyOptions): { name: string; scenario: Scenario; paths: number }[] {
  const paths = options.paths ?? 4;
  if (!(Number.isInteger(paths) && paths >= 2))
    throw new OptionError(`property checks: paths must be an integer ≥ 2; received ${String(paths)}`, {
      option: 'paths',
      received: paths,
    });
  return (options.scenarios ?? defaultScenarios()).map((input) => {
    const scenario = parseScenario({ ...input, paths });
    return { name: scenario.name, scenario, paths };
  });
}

/** Drivers that poison the world from a year index on: prices × 1.5, population × 2. */
function poisonedDrivers(scenario: Scenario, fromYearIndex: number): Driver[] {
  return buildModel(scenario).drivers.map((d) => ({
    ...d,
    draw(path, world, inputs) {
      d.draw(path, world, inputs);
      const G = world.groupIds.length;
      for (let y = fromYearIndex; y < world.priceIndex.length; y++) {
        world.priceIndex[y] = world.priceIndex[y]! * 1.5;
        for (let g = 0; g < G; g++) world.population[y * G + g] = world.population[y * G + g]! * 2;
      }
    },
  }));
}

/** Where a value sits in a result: `scenario "…", service "…", year …, path …`. */
function at(scenario: string, service: string, year: number, path: number): string {
  return `scenario "${scenario}", service "${service}", year ${year}, path ${path}`;
}

/**
 * Runs `fn`, turning any error into a violation of `check`. A read of the future is named where
 * the run caught it (hook, service, year, path); `reword` may rewrite another error's message
 * (for example its hint on how to reproduce it).
 */
function running<T>(check: string, what: string, fn: () => T, reword?: (text: string) => string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PropertyViolation) throw e;
    const lookAhead =
      e instanceof LookAheadError ? e : e instanceof Error && e.cause instanceof LookAheadError ? e.cause : undefined;
    if (lookAhead?.hook !== undefined) {
      const known = `${lookAhead.known} ${lookAhead.what === 'period' ? 'periods are' : 'years are'} known`;
      throw new PropertyViolation(
        check,
        `${what} read the future in ${lookAhead.hook} for service "${lookAhead.service}", year ${lookAhead.year}, path ${lookAhead.path}: it asked for ${lookAhead.what} ${lookAhead.asked}, but only ${known} at this decision`,
        { cause: e },
      );
    }
    const text = e instanceof Error ? e.message : String(e);
    throw new PropertyViolation(
      check,
      `${what} failed${lookAhead ? ' (it read the future)' : ''}: ${reword === undefined ? text : reword(text)}`,
      { cause: e },
    );
  }
}

/**
 * A run's hint `replayPath(scenario, n) reproduces it`, for services that `replayPath` cannot
 * rebuild (it builds only the scenario's own services): how to reproduce it instead.
 */
function reproducing(scenario: Scenario): (text: string) => string {
  return (text) =>
    text.replace(
      /replayPath\(scenario, (\d+)\) reproduces it/g,
      (_, path: string) =>
        `the services run on scenario "${scenario.name}" with seed ${String(scenario.seed)}, path ${path} alone (runModel(buildModel(scenario, { services, replaceServices: true }), strategies, { pathStart: ${path}, paths: 1 })) reproduce it`,
    );
}

/** Index of a strategy or service in a result's figure arrays. */
function block(result: SimulationResult, s: number, v: number, y: number): number {
  return ((s * result.services.length + v) * result.years.length + y) * result.pathCount;
}

/**
 * Compares the figures (and metrics) of strategy `s` in `a` with those of strategy `t` in `b`,
 * path `offset + i` of `a` against path `i` of `b`; returns the first difference in words.
 */
function firstDifference(
  a: SimulationResult,
  s: number,
  b: SimulationResult,
  t: number,
  offset = 0,
  metrics = false,
): string | undefined {
  for (const f of RECORDED_FIGURES) {
    for (let v = 0; v < a.services.length; v++) {
      for (let y = 0; y < a.years.length; y++) {
        const x = block(a, s, v, y) + offset;
        const z = block(b, t, v, y);
        for (let i = 0; i < b.pathCount; i++) {
          const p = a.figures[f][x + i]!;
          const q = b.figures[f][z + i]!;
          if (!Object.is(p, q))
            return `${f} of service "${a.services[v]!.id}", year ${a.years[y]}, path ${a.pathStart + offset + i}: ${p} then ${q}`;
        }
      }
    }
  }
  if (metrics) {
    for (const key of Object.keys(a.metrics)) {
      for (let y = 0; y < a.years.length; y++) {
        const x = (s * a.years.length + y) * a.pathCount + offset;
        const z = (t * b.years.length + y) * b.pathCount;
        for (let i = 0; i < b.pathCount; i++) {
          const p = a.metrics[key]![x + i]!;
          const q = b.metrics[key]![z + i]!;
          if (!Object.is(p, q))
            return `metric "${key}", year ${a.years[y]}, path ${a.pathStart + offset + i}: ${p} then ${q}`;
        }
      }
    }
  }
  return undefined;
}

/** A strategy that adopts the baseline and never regulates, at the service level given. */
function baselineStrategy(id: string, label: string, level: number): StrategyDefinition {
  return {
    id,
    label,
    create: (setup) => ({
      reset() {},
      adopt: (ctx) => setup.baseline.costKr[ctx.yearIndex]!,
      open: (ctx) => ctx.currentBudgetKr,
      followUp: (ctx) => ctx.currentBudgetKr,
      settle: (ctx) => ctx.currentBudgetKr,
      carryOver: () => 0,
      serviceLevel: () => level,
    }),
  };
}

/** The neutral partner in a run: all needed activity provided. */
const NEUTRAL = baselineStrategy('property-check-neutral', 'Neutral (property check)', 1);
/** A strategy that squeezes the service level to 0.9. */
const SQUEEZE = baselineStrategy('property-check-squeeze', 'Squeeze (property check)', 0.9);

/**
 * The properties every steering strategy keeps, as named checks to register in a test runner.
 * Each check runs the strategy on small seeded scenarios (of the built-in services) and throws
 * a {@link PropertyViolation} naming where a property fails:
 *
 * - `runs with finite budgets`: every run completes and every recorded figure is finite
 * - `budget identities`: overrun (actual − adopted) = provider's share (actual − final) +
 *   treasury's share (final − adopted budget);
 *   and the identities named in `options` (carry-over caps, opening = adopted + last year's
 *   carry-over, final = opening)
 * - `same seed, same decisions`: two runs give identical figures, also beside another strategy
 * - `each path on its own`: a path run alone gives the figures it gives among others (`reset`
 *   clears all per-path state)
 * - `no look-ahead`: the strategy never asks for a value not yet known (see
 *   {@link LookAheadError}), and poisoning the world from a year on changes no budget decided
 *   before it
 *
 * @param strategy - the strategy to check
 * @param options - scenarios, paths, and the optional identities the strategy keeps
 * @returns the checks, each with a `name` and a `run()` that throws on violation
 * @throws `OptionError` when `options.paths` is not an integer ≥ 2; `ScenarioError` (both from `carebudget`) for an
 *   invalid scenario
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { strategyProperties } from 'carebudget/testing';
 *
 * describe('my strategy', () => {
 *   for (const check of strategyProperties(myStrategy())) it(check.name, () => check.run());
 * });
 * ```
 * @example
 * ```ts
 * strategyProperties(frame()).map((c) => c.name);
 * //=> ['runs with finite budgets', 'budget identities', 'same seed, same decisions', 'each path on its own', 'no look-ahead']
 * ```
 * @category Testing
 */
export function strategyProperties(
  strategy: StrategyDefinition,
  options: StrategyPropertyOptions = {},
): PropertyCheck[] {
  const cases = scenariosOf(options);
  const id = strategy.id;
  const clean = new Map<number, SimulationResult>();
  /** The strategy's run on scenario k (once, shared by the checks). */
  const runOf = (k: number, check: string): SimulationResult => {
    let r = clean.get(k);
    if (r === undefined) {
      const c = cases[k]!;
      r = running(check, `strategy "${id}" on scenario "${c.name}"`, () =>
        runModel(buildModel(c.scenario), [strategy]),
      );
      clean.set(k, r);
    }
    return r;
  };

  const finite = 'runs with finite budgets';
  const identities = 'budget identities';
  const determinism = 'same seed, same decisions';
  const perPath = 'each path on its own';
  const lookAhead = 'no look-ahead';

  return [
    {
      name: finite,
      run() {
        cases.forEach((c, k) => {
          const r = runOf(k, finite);
          for (const f of RECORDED_FIGURES)
            r.figures[f].forEach((x, j) => {
              if (Number.isFinite(x)) return;
              const i = j % r.pathCount;
              const y = Math.floor(j / r.pathCount) % r.years.length;
              const v = Math.floor(j / (r.pathCount * r.years.length)) % r.services.length;
              throw new PropertyViolation(
                finite,
                `strategy "${id}" gives ${f} = ${x} (${at(c.name, r.services[v]!.id, r.years[y]!, i)})`,
              );
            });
        });
      },
    },
    {
      name: identities,
      run() {
        const caps = options.carryOverCaps;
        cases.forEach((c, k) => {
          const r = runOf(k, identities);
          for (const { id: service } of r.services) {
            for (let y = 0; y < r.years.length; y++) {
              const year = r.years[y]!;
              const sel = { strategy: id, service, year };
              const adopted = figureValues(r, { ...sel, figure: 'adoptedBudgetKr' });
              const opening = figureValues(r, { ...sel, figure: 'openingBudgetKr' });
              const final = figureValues(r, { ...sel, figure: 'finalBudgetKr' });
              const actual = figureValues(r, { ...sel, figure: 'actualCostKr' });
              const carry = figureValues(r, { ...sel, figure: 'carryOverKr' });
              const treasury = figureValues(r, { ...sel, figure: 'treasuryDeviationKr' });
              const provider = figureValues(r, { ...sel, figure: 'providerDeviationKr' });
              const before = y > 0 ? figureValues(r, { ...sel, year: year - 1, figure: 'carryOverKr' }) : undefined;
              for (let i = 0; i < r.pathCount; i++) {
                const where = at(c.name, service, year, r.pathStart + i);
                const tol = 1e-9 * Math.max(1, Math.abs(adopted[i]!), Math.abs(actual[i]!), Math.abs(final[i]!));
                const fail = (what: string): never => {
                  throw new PropertyViolation(identities, `${what} under strategy "${id}" (${where})`);
                };
                if (!(Math.abs(treasury[i]! - provider[i]! - (final[i]! - adopted[i]!)) <= tol))
                  fail(
                    `overrun ${treasury[i]} ≠ provider's share ${provider[i]} + final ${final[i]} − adopted ${adopted[i]}`,
                  );
                if (options.fixedInYear && !(Math.abs(final[i]! - opening[i]!) <= tol))
                  fail(`final budget ${final[i]} ≠ opening budget ${opening[i]} (fixedInYear)`);
                if (options.opensWithCarryOver) {
                  const expected = adopted[i]! + (before === undefined ? 0 : before[i]!);
                  if (!(Math.abs(opening[i]! - expected) <= tol))
                    fail(
                      `opening budget ${opening[i]} ≠ adopted ${adopted[i]} + last year's carry-over ${before === undefined ? 0 : before[i]} (opensWithCarryOver)`,
                    );
                }
                if (caps !== undefined) {
                  const high = caps.surplusCap === null ? Infinity : caps.surplusCap * adopted[i]!;
                  const low = caps.deficitCap === null ? -Infinity : -caps.deficitCap * adopted[i]!;
                  if (!(carry[i]! <= high + tol && carry[i]! >= low - tol))
                    fail(`carry-over ${carry[i]} outside the caps [${low}, ${high}]`);
                }
              }
            }
          }
        });
      },
    },
    {
      name: determinism,
      run() {
        cases.forEach((c, k) => {
          const first = runOf(k, determinism);
          const again = running(determinism, `strategy "${id}" run again on scenario "${c.name}"`, () =>
            runModel(buildModel(c.scenario), [strategy]),
          );
          const d = firstDifference(first, 0, again, 0);
          if (d !== undefined)
            throw new PropertyViolation(
              determinism,
              `strategy "${id}" run twice with seed ${String(c.scenario.seed)} on scenario "${c.name}" differs in ${d}; keep no state outside create() and reset()`,
            );
          const beside = running(determinism, `strategy "${id}" beside another on scenario "${c.name}"`, () =>
            runModel(buildModel(c.scenario), [NEUTRAL, strategy]),
          );
          const e = firstDifference(first, 0, beside, 1);
          if (e !== undefined)
            throw new PropertyViolation(
              determinism,
              `strategy "${id}" run after another strategy on scenario "${c.name}" differs in ${e}; instances must not share state`,
            );
        });
      },
    },
    {
      name: perPath,
      run() {
        cases.forEach((c, k) => {
          const all = runOf(k, perPath);
          for (const path of [all.pathCount - 1, 1]) {
            const alone = running(perPath, `strategy "${id}" on path ${path} of scenario "${c.name}"`, () =>
              runModel(buildModel(c.scenario), [strategy], { pathStart: path, paths: 1 }),
            );
            const d = firstDifference(all, 0, alone, 0, path);
            if (d !== undefined)
              throw new PropertyViolation(
                perPath,
                `strategy "${id}" gives path ${path} of scenario "${c.name}" other figures alone than after paths 0-${path - 1}: ${d}; reset() must clear all per-path state`,
              );
          }
        });
      },
    },
    {
      name: lookAhead,
      run() {
        cases.forEach((c, k) => {
          const r = runOf(k, lookAhead);
          const H = r.years.length;
          const again = running(lookAhead, `strategy "${id}" run again on scenario "${c.name}"`, () =>
            runModel(buildModel(c.scenario), [strategy]),
          );
          if (firstDifference(r, 0, again, 0) !== undefined)
            throw new PropertyViolation(
              lookAhead,
              `cannot be checked: strategy "${id}" gives other decisions when run again with the same seed on scenario "${c.name}" (see "${determinism}")`,
            );
          for (const from of [1, Math.max(1, H - 1)]) {
            const dirty = running(
              lookAhead,
              `strategy "${id}" on scenario "${c.name}" with the world poisoned from ${r.years[from - 1]}`,
              () => runModel(buildModel(c.scenario, { drivers: poisonedDrivers(c.scenario, from) }), [strategy]),
            );
            for (const { id: service } of r.services) {
              for (let y = 0; y < H; y++) {
                const yearIndex = y + 1;
                const year = r.years[y]!;
                // Adopted in the autumn before the year and opened on 1 January: before a poisoned year `from`.
                const decided: readonly ('adoptedBudgetKr' | 'openingBudgetKr' | 'finalBudgetKr' | 'carryOverKr')[] =
                  yearIndex < from
                    ? ['adoptedBudgetKr', 'openingBudgetKr', 'finalBudgetKr', 'carryOverKr']
                    : yearIndex === from
                      ? ['adoptedBudgetKr', 'openingBudgetKr']
                      : [];
                for (const figure of decided) {
                  const a = figureValues(r, { strategy: id, service, year, figure });
                  const b = figureValues(dirty, { strategy: id, service, year, figure });
                  for (let i = 0; i < r.pathCount; i++)
                    if (!Object.is(a[i], b[i]))
                      throw new PropertyViolation(
                        lookAhead,
                        `strategy "${id}" decided ${figure} ${a[i]} with the true world and ${b[i]} with the world changed from ${r.years[from - 1]} on, a decision taken before then (${at(c.name, service, year, r.pathStart + i)})`,
                      );
                }
              }
            }
          }
        });
      },
    },
  ];
}

/** What a watched service calls: when it is created, and around each step. */
interface Watch {
  created?(baseline: ServiceBaseline, service: ServiceDefinition): void;
  stepped?(p: number, out: ServiceHistory, path: number, poisoned: readonly [string, Float64Array][]): void;
}

/**
 * The service, watched: `created` sees its baseline; before each step the period's figures are
 * set to NaN (so a figure the step does not write shows; not when `poison` is false: then the
 * service runs as in a plain run), and `stepped` sees them after.
 */
function watched(service: ServiceDefinition, watch: Watch, poison = true): ServiceDefinition {
  return {
    ...service,
    create(setup) {
      const inner = service.create(setup);
      const metricIds = (service.metrics ?? []).map((m) => m.id);
      watch.created?.(inner.baseline, service);
      let path = 0;
      return {
        baseline: inner.baseline,
        reset(p) {
          path = p;
          inner.reset(p);
        },
        step(p, world, out) {
          const arrays = writtenArrays(out, metricIds).map((a): [string, Float64Array] => [a.name, a.values]);
          if (poison) for (const [, a] of arrays) a[p] = NaN;
          inner.step(p, world, out);
          watch.stepped?.(p, out, path, arrays);
        },
      };
    },
  };
}

/**
 * The properties every service keeps, as named checks to register in a test runner. Each check
 * runs the service (alone, or with the services it is given beside it) on small seeded
 * scenarios and throws a {@link PropertyViolation} naming where a property fails:
 *
 * - `runs with finite, non-negative figures`: every run completes; the baseline and every
 *   recorded needed, ordered and delivered activity and cost is finite and ≥ 0; every metric is
 *   finite
 * - `writes every figure each period`: `step` writes needed, ordered and delivered activity,
 *   cost, every metric and every activity line of its period
 * - `activity lines add up to the totals`: a service with several lines in its own unit
 *   reports ordered and delivered units that are the sums of those lines (every service passes
 *   trivially with one line)
 * - `same seed, same figures`: two runs give identical figures and metrics
 * - `each path on its own`: a path run alone gives the figures it gives among others
 *   (`reset(path)` clears all per-path state and draws from streams keyed by the path)
 * - `independent of the steering, as declared`: a service declaring `independentOfSteering`
 *   gives the same figures under a strategy that squeezes the service level
 *
 * @param services - the service, its units, or a function making them from each scenario
 * @param options - scenarios and paths
 * @returns the checks, each with a `name` and a `run()` that throws on violation
 * @throws `OptionError` when `options.paths` is not an integer ≥ 2; `ScenarioError` (both from `carebudget`) for an
 *   invalid scenario
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { serviceProperties } from 'carebudget/testing';
 *
 * for (const check of serviceProperties(rehabilitation({ group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 })))
 *   test(check.name, () => check.run());
 * ```
 * @category Testing
 */
export function serviceProperties(services: ServicesUnderTest, options: ServicePropertyOptions = {}): PropertyCheck[] {
  const cases = scenariosOf(options);
  const make = (scenario: Scenario): readonly ServiceDefinition[] =>
    typeof services === 'function'
      ? services(scenario)
      : Array.isArray(services)
        ? (services as readonly ServiceDefinition[])
        : [services as ServiceDefinition];
  const names = (scenario: Scenario) =>
    make(scenario)
      .map((s) => `"${s.id}"`)
      .join(', ');
  const strategies = [NEUTRAL, SQUEEZE];
  const runWith = (k: number, check: string, defs?: readonly ServiceDefinition[], pathStart = 0, paths?: number) => {
    const c = cases[k]!;
    return running(
      check,
      `service ${names(c.scenario)} on scenario "${c.name}"`,
      () =>
        runModel(buildModel(c.scenario, { services: defs ?? make(c.scenario), replaceServices: true }), strategies, {
          pathStart,
          paths: paths ?? c.paths,
        }),
      reproducing(c.scenario),
    );
  };
  const clean = new Map<number, SimulationResult>();
  const runOf = (k: number, check: string): SimulationResult => {
    let r = clean.get(k);
    if (r === undefined) clean.set(k, (r = runWith(k, check)));
    return r;
  };

  const finite = 'runs with finite, non-negative figures';
  const written = 'writes every figure each period';
  const additive = 'activity lines add up to the totals';
  const determinism = 'same seed, same figures';
  const perPath = 'each path on its own';
  const independent = 'independent of the steering, as declared';
  const UNITS = ['neededUnits', 'orderedUnits', 'deliveredUnits', 'actualCostKr'] as const;

  return [
    {
      name: finite,
      run() {
        cases.forEach((c, k) => {
          // The baselines are known ex ante: finite and non-negative in every year.
          const years = c.scenario.horizonYears + 1;
          const baselineCheck: Watch = {
            created(baseline, d) {
              for (const f of ['neededUnits', 'orderedUnits', 'deliveredUnits', 'costKr'] as const) {
                const xs = baseline[f];
                if (xs.length < years)
                  throw new PropertyViolation(
                    finite,
                    `service "${d.id}" has a baseline ${f} of ${xs.length} years; expected ${years} (scenario "${c.name}")`,
                  );
                for (let y = 0; y < years; y++)
                  if (!(Number.isFinite(xs[y]) && xs[y]! >= 0))
                    throw new PropertyViolation(
                      finite,
                      `service "${d.id}" has baseline ${f} = ${xs[y]} in year index ${y} (scenario "${c.name}"); expected a finite number ≥ 0`,
                    );
              }
            },
          };
          // Run as a plain run runs it (an unwritten figure is 0, not NaN): only the check
          // "writes every figure each period" reports a figure left unwritten.
          runWith(
            k,
            finite,
            make(c.scenario).map((d) => watched(d, baselineCheck, false)),
            0,
            1,
          );
          const r = runOf(k, finite);
          for (const s of r.strategies) {
            for (const { id: service } of r.services) {
              for (const year of r.years) {
                for (const figure of UNITS) {
                  const xs = figureValues(r, { strategy: s.id, service, year, figure });
                  xs.forEach((x, i) => {
                    if (!(Number.isFinite(x) && x >= 0))
                      throw new PropertyViolation(
                        finite,
                        `${figure} = ${x} under strategy "${s.id}" (${at(c.name, service, year, r.pathStart + i)}); expected a finite number ≥ 0`,
                      );
                  });
                }
              }
            }
          }
          for (const [key, xs] of Object.entries(r.metrics))
            xs.forEach((x, j) => {
              if (!Number.isFinite(x))
                throw new PropertyViolation(
                  finite,
                  `metric "${key}" = ${x} (scenario "${c.name}", year ${r.years[Math.floor(j / r.pathCount) % r.years.length]}, path ${j % r.pathCount})`,
                );
            });
        });
      },
    },
    {
      name: written,
      run() {
        cases.forEach((c, k) => {
          const defs = make(c.scenario).map((d) =>
            watched(d, {
              stepped(p, _out, path, poisoned) {
                for (const [name, a] of poisoned)
                  if (Number.isNaN(a[p]))
                    throw new PropertyViolation(
                      written,
                      `service "${d.id}" did not write ${name} in period ${p} (scenario "${c.name}", path ${path}); step() must write every figure of its period`,
                    );
              },
            }),
          );
          runWith(k, written, defs);
        });
      },
    },
    {
      name: additive,
      run() {
        cases.forEach((c, k) => {
          const defs = make(c.scenario).map((d) => {
            const lines = activityLinesOf(d);
            const own = linesInUnit(lines, d.activityUnit);
            if (lines.length < 2) return d;
            return watched(
              d,
              {
                stepped(p, out, path) {
                  for (const figure of ['orderedUnits', 'deliveredUnits'] as const) {
                    let sum = 0;
                    for (const l of own) sum += out.lines[l]![figure][p]!;
                    const total = out[figure][p]!;
                    if (!(Math.abs(sum - total) <= 1e-9 * Math.max(1, Math.abs(total))))
                      throw new PropertyViolation(
                        additive,
                        `service "${d.id}" reports ${figure} ${total} in period ${p} but its lines in ${d.activityUnit} (${own.map((l) => `"${lines[l]!.id}"`).join(', ')}) add up to ${sum} (scenario "${c.name}", path ${path})`,
                      );
                  }
                },
                // Not poisoned: a figure left unwritten is the check "writes every figure each period"'s.
              },
              false,
            );
          });
          runWith(k, additive, defs);
        });
      },
    },
    {
      name: determinism,
      run() {
        cases.forEach((c, k) => {
          const first = runOf(k, determinism);
          const again = runWith(k, determinism);
          for (let s = 0; s < strategies.length; s++) {
            const d = firstDifference(first, s, again, s, 0, true);
            if (d !== undefined)
              throw new PropertyViolation(
                determinism,
                `service ${names(c.scenario)} run twice with seed ${String(c.scenario.seed)} on scenario "${c.name}" differs in ${d}; draw only from streams derived from the seed and the path`,
              );
          }
        });
      },
    },
    {
      name: perPath,
      run() {
        cases.forEach((c, k) => {
          const all = runOf(k, perPath);
          for (const path of [all.pathCount - 1, 1]) {
            const alone = runWith(k, perPath, undefined, path, 1);
            for (let s = 0; s < strategies.length; s++) {
              const d = firstDifference(all, s, alone, s, path, true);
              if (d !== undefined)
                throw new PropertyViolation(
                  perPath,
                  `service ${names(c.scenario)} gives path ${path} of scenario "${c.name}" other figures alone than after paths 0-${path - 1}: ${d}; reset(path) must clear all per-path state`,
                );
            }
          }
        });
      },
    },
    {
      name: independent,
      run() {
        cases.forEach((c, k) => {
          const defs = make(c.scenario);
          if (!defs.some((d) => d.independentOfSteering === true)) return;
          // Stepped under every strategy, the declared-independent services must not see the squeeze.
          const stepped = runWith(
            k,
            independent,
            defs.map((d) => ({ ...d, independentOfSteering: false })),
          );
          defs.forEach((d, v) => {
            if (d.independentOfSteering !== true) return;
            for (let y = 0; y < stepped.years.length; y++) {
              const a = block(stepped, 0, v, y);
              const b = block(stepped, 1, v, y);
              for (const figure of UNITS) {
                for (let i = 0; i < stepped.pathCount; i++) {
                  const p = stepped.figures[figure][a + i]!;
                  const q = stepped.figures[figure][b + i]!;
                  if (!Object.is(p, q))
                    throw new PropertyViolation(
                      independent,
                      `service "${d.id}" declares independentOfSteering but its ${figure} is ${p} at service level 1 and ${q} at 0.9 (${at(c.name, d.id, stepped.years[y]!, i)})`,
                    );
                }
              }
            }
          });
        });
      },
    },
  ];
}
