import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { simulateParallel } from '../../src/node/index';
import {
  compileFormula,
  figureValues,
  FormulaError,
  lejre2034,
  MAX_FORMULA_LENGTH,
  safeParseScenario,
  simulate,
  SimulationError,
  type ScenarioInput,
} from '../../src/index';

const options = { parameters: ['h', 'rate0'], field: 'homeCare.useRateTrend.formula' } as const;

/** The problems of a formula that must be refused (fails the test when it compiles). */
function problemsOf(text: string, opts: Parameters<typeof compileFormula>[1] = options): readonly string[] {
  const c = compileFormula(text, opts);
  if (c.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return c.problems;
}

function compiled(text: string, opts: Parameters<typeof compileFormula>[1] = options) {
  const c = compileFormula(text, opts);
  if (!c.ok) throw new Error(c.problems.join('; '));
  return c.formula;
}

describe('compileFormula', () => {
  it('evaluates arithmetic of the parameters and t, with pi, e and the whitelisted functions', () => {
    const f = compiled('rate0 * (1 - h)^t');
    expect(f.names).toEqual(['h', 'rate0', 't']);
    expect(f.evaluate({ h: 0.5, rate0: 2, t: 3 })).toBe(0.25);
    expect(f.evaluate({ h: 0.01, rate0: 1, t: 0 })).toBe(1);
    expect(compiled('exp(-h * t) + log(e) - 1').evaluate({ h: 0.1, t: 2 })).toBeCloseTo(Math.exp(-0.2), 15);
    expect(
      compiled('max(0.5, min(1, 1 - h * t)) + abs(-2) + sqrt(4) + pow(2, 3) + log(8, 2)').evaluate({ h: 0.1, t: 7 }),
    ).toBeCloseTo(0.5 + 2 + 2 + 8 + 3, 12);
    expect(compiled('-h + +rate0 + 2 pi / pi').evaluate({ h: 1, rate0: 3 })).toBe(4);
    // Names not used need not be given; t is the default variable.
    expect(compiled('1 + t / 10').evaluate({ t: 5 })).toBe(1.5);
    expect(compiled('1 + x', { parameters: [], variables: ['x'], field: 'f' }).evaluate({ x: 2 })).toBe(3);
  });

  it('refuses an unknown name, saying which and listing the names allowed', () => {
    expect(problemsOf('(1 - healthyAgeing)^t')).toEqual([
      'unknown name "healthyAgeing"; the names allowed are h, rate0, t, pi, e',
    ]);
    expect(problemsOf('exp')).toEqual(['"exp" is a function: call it as exp(...)']);
    expect(problemsOf('h(2)')).toEqual([
      'the function "h" is not allowed; the functions allowed are abs, exp, log, sqrt, pow, min, max',
    ]);
    expect(problemsOf('sqrt(1, 2) + min()')).toEqual([
      'sqrt takes 1 argument; received 2',
      'min takes 1 to 100 arguments; received 0',
    ]);
    expect(problemsOf('1 +')[0]).toMatch(/^cannot read the formula: /);
    expect(problemsOf('   ')).toEqual(['expected a formula, for example (1 - h)^t']);
  });

  it('refuses parameter names that are not plain or clash with functions, constants or the variable', () => {
    expect(problemsOf('1', { parameters: ['exp', 'a-b', 't'], field: 'f' })).toEqual([
      '"exp" is a function or constant of formulas; choose another name',
      '"a-b" is not a plain name: expected a letter followed by letters, digits or _',
      'the name "t" is declared twice',
    ]);
    expect(problemsOf('1', { parameters: ['__proto__'], field: 'f' })[0]).toMatch(/not a plain name/);
    expect(problemsOf('1', { parameters: ['constructor', 'toString', 'prototype'], field: 'f' })).toEqual([
      '"constructor" is reserved (a property of every object); choose another name',
      '"toString" is reserved (a property of every object); choose another name',
      '"prototype" is reserved (a property of every object); choose another name',
    ]);
  });

  it('refuses a non-finite value with the field, the year and the value (division by zero, log of a negative, overflow)', () => {
    const caught = (text: string, scope: Record<string, number>, year?: number): FormulaError => {
      try {
        compiled(text).evaluate(scope, year);
      } catch (e) {
        expect(e).toBeInstanceOf(FormulaError);
        return e as FormulaError;
      }
      throw new Error('expected a throw');
    };
    const byZero = caught('rate0 / t', { rate0: 1, t: 0 }, 2025);
    expect(byZero).toMatchObject({
      code: 'INVALID_FORMULA_VALUE',
      field: 'homeCare.useRateTrend.formula',
      value: Infinity,
      year: 2025,
      scope: { rate0: 1, t: 0 },
    });
    expect(byZero.message).toMatchInlineSnapshot(
      `"homeCare.useRateTrend.formula: the formula rate0 / t gave Infinity in 2025 (rate0 = 1, t = 0); expected a finite number (look for a division by zero, the logarithm or root of a negative number, or an overflow)"`,
    );
    expect(caught('log(h - 1)', { h: 0.5 }, 2030)).toMatchObject({ value: NaN, year: 2030, scope: { h: 0.5 } });
    expect(caught('sqrt(h - 1)', { h: 0.5 })).toMatchObject({ value: NaN });
    expect(caught('exp(h * t)', { h: 100, t: 10 }, 2034)).toMatchObject({ value: Infinity, year: 2034 });
    expect(caught('(1 + h)^t', { h: 1e300, t: 2 })).toMatchObject({ value: Infinity });
    // A scope without a used name, or with a non-finite value, is the caller's error.
    expect(() => compiled('h * t').evaluate({ t: 1 })).toThrow(/expected a finite number for "h"; received undefined/);
    expect(() => compiled('h * t').evaluate({ h: NaN, t: 1 })).toThrow(
      /expected a finite number for "h"; received NaN/,
    );
  });

  it('refuses the known mathjs escapes before anything is evaluated', () => {
    const marker = globalThis as { escaped?: unknown };
    delete marker.escaped;
    const escapes: Record<string, RegExp> = {
      'import({}, {override: true})': /the function "import" is not allowed/,
      'evaluate("1+1")': /the function "evaluate" is not allowed/,
      'parse("1").compile().evaluate()': /calling the result of an expression is not allowed/,
      'compile("1")': /the function "compile" is not allowed/,
      'createUnit("x")': /the function "createUnit" is not allowed/,
      'f(x) = x': /defining a function \(f\(x\) = \.\.\.\) is not allowed/,
      'x = 1': /assignment \(x = \.\.\.\) is not allowed/,
      'cos.constructor("return process")()': /cannot read the formula/,
      'cos.constructor("globalThis.escaped = 1")': /access to a property or element/,
      'exp.constructor("globalThis.escaped = 1")(1)': /access to a property or element/,
      '[1,2]': /lists and matrices/,
      '{a: 1}': /objects/,
      '"abc"': /text \("abc"\) is not allowed/,
      "'abc'": /text \("abc"\) is not allowed/,
      'a.b': /access to a property or element/,
      'a[1]': /access to a property or element/,
      'h[1]': /access to a property or element/,
      '(1; 2)': /cannot read the formula/,
      '1; 2': /several expressions/,
      '1\n2': /several expressions/,
      'simplify("x")': /the function "simplify" is not allowed/,
      'derivative("x^2", "x")': /the function "derivative" is not allowed/,
      'resolve(h)': /the function "resolve" is not allowed/,
      'chain(1)': /the function "chain" is not allowed/,
      'config({})': /the function "config" is not allowed/,
      'typed(h)': /the function "typed" is not allowed/,
      reviver: /unknown name "reviver"/,
      'e.__proto__': /access to a property or element/,
      'pi["constructor"]': /access to a property or element/,
      'h.constructor': /access to a property or element/,
      '1:3': /ranges/,
      'h ? 1 : 2': /conditions/,
      'h == 1': /the operator "==" is not allowed/,
      'h and 1': /the operator "and" is not allowed/,
      't!': /the operator "!" is not allowed/,
      '5 cm': /unknown name "cm"/,
      'h to t': /the operator "to" is not allowed/,
      true: /the value true is not allowed/,
      '1e400': /too large/,
    };
    for (const [text, reason] of Object.entries(escapes)) {
      const problems = problemsOf(text);
      expect(problems.join('\n'), text).toMatch(reason);
    }
    expect(marker.escaped).toBeUndefined();
    // The instance is untouched: arithmetic still works as before.
    expect(compiled('1 + 1').evaluate({})).toBe(2);
  });

  it('bounds the length and the nesting of a formula, with a clear message', () => {
    expect(problemsOf('1+'.repeat(MAX_FORMULA_LENGTH) + '1')).toEqual([
      `expected a formula of at most ${MAX_FORMULA_LENGTH} characters; this one has ${2 * MAX_FORMULA_LENGTH + 1}`,
    ]);
    expect(problemsOf('('.repeat(600) + '1' + ')'.repeat(600))[0]).toMatch(/at most 1000 characters/);
    expect(problemsOf('('.repeat(300) + '1' + ')'.repeat(300))).toEqual([
      'expected brackets nested at most 40 deep; this formula nests them 300 deep',
    ]);
    // Long chains without brackets (a deep tree all the same) are read and evaluated.
    expect(compiled('1' + '+1'.repeat(490)).evaluate({})).toBe(491);
    expect(compiled('-'.repeat(999) + '1').evaluate({})).toBe(-1);
  });
});

/** Lejre's home care with the use rates' trend given another way. */
function withRateTrend(trend: { useRateTrendPerYear: unknown } | { useRateTrend: unknown }, paths = 60): ScenarioInput {
  const s = lejre2034();
  const { useRateTrendPerYear: _dropped, ...homeCare } = s.homeCare!;
  return { ...s, paths, homeCare: { ...homeCare, ...trend } } as ScenarioInput;
}

function problems(input: unknown): string[] {
  const r = safeParseScenario(input);
  return r.success ? [] : r.error.problems.map((p) => `${p.where}: ${p.message}`);
}

describe('trends as formulas in a scenario', () => {
  it('(1 - h)^t with h = 0.01 gives what useRateTrendPerYear -0.01 gives, within 1e-12 relative', () => {
    const a = simulate(withRateTrend({ useRateTrendPerYear: -0.01 }));
    const b = simulate(withRateTrend({ useRateTrend: { formula: '(1 - h)^t', parameters: { h: 0.01 } } }));
    let worst = 0;
    let differing = 0;
    for (const key of ['actualCostKr', 'neededUnits', 'deliveredUnits', 'adoptedBudgetKr'] as const) {
      const x = a.figures[key];
      const y = b.figures[key];
      expect(y.length).toBe(x.length);
      for (let i = 0; i < x.length; i++) {
        const rel = Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(x[i]!));
        worst = Math.max(worst, rel);
        if (x[i] !== y[i]) differing++;
      }
    }
    expect(worst).toBeLessThan(1e-12);
    // Not bit for bit: the change a year compounds (1 + r) year by year, the formula computes
    // 0.99^t by pow, and the two round differently in the last bits (0.99³ is 0.970299 by pow
    // and 0.9702989999999999 by products).
    expect(differing).toBeGreaterThan(0);
  });

  it("an uncertain parameter is drawn per path from the use-rates group's structural stream, and declared as a scalar input", () => {
    // Without recipient and hours noise, and without care homes (whose waiting citizens add
    // hours no trend scales), needed hours are proportional to the trend factor.
    const quiet = (trend: { useRateTrend: unknown }): ScenarioInput => {
      const { careHomes: _none, ...s } = withRateTrend(trend, 60);
      return { ...s, homeCare: { ...s.homeCare!, recipientNoise: false, individualHoursCv: 0 } } as ScenarioInput;
    };
    const trend = {
      useRateTrend: { formula: '(1 - h)^t', parameters: { h: { dist: 'normal', mean: 0.01, sd: 0.01 } } },
    };
    let scalars: readonly { name: string; group: string; level: string }[] = [];
    const uncertain = simulate(quiet(trend), { observeInputs: (seen) => (scalars = seen.scalars) });
    const fixed = simulate(quiet({ useRateTrend: { formula: '(1 - h)^t', parameters: { h: 0.01 } } }));
    expect(scalars.filter((s) => s.name.includes('useRateTrend'))).toEqual([
      expect.objectContaining({ name: 'home-care.useRateTrend.h', group: 'use-rates', level: 'structural' }),
    ]);
    const needed = (r: typeof fixed) =>
      figureValues(r, { strategy: 'frame', service: 'home-care', year: 2034, figure: 'neededUnits' });
    // The path's h, from the ratio of its factor in 2034 (t = 11) to the fixed run's 0.99^11.
    const impliedH = (r: typeof fixed, base = fixed) =>
      Array.from(needed(r), (x, i) => 1 - 0.99 * (x / needed(base)[i]!) ** (1 / 11));
    const hs = impliedH(uncertain);
    const mean = hs.reduce((a, x) => a + x, 0) / hs.length;
    const sd = Math.sqrt(hs.reduce((a, x) => a + (x - mean) ** 2, 0) / (hs.length - 1));
    expect(Math.abs(mean - 0.01)).toBeLessThan(0.004);
    expect(sd).toBeGreaterThan(0.007);
    expect(sd).toBeLessThan(0.013);
    // Two-level runs take structural draws from the outer draw: 60 inner paths share one h.
    const plan = { kind: 'twoLevel', inner: 60 } as const;
    const shared = impliedH(
      simulate(quiet(trend), { inputs: { plan } }),
      simulate(quiet({ useRateTrend: { formula: '(1 - h)^t', parameters: { h: 0.01 } } }), { inputs: { plan } }),
    );
    for (const h of shared) expect(h).toBeCloseTo(shared[0]!, 10);
    expect(shared[0]).toBeCloseTo(hs[0]!, 10);
  });

  it('the other draws do not move: a formula of a constant gives the same noise and parameters as before', () => {
    const a = simulate(withRateTrend({ useRateTrendPerYear: 0 }));
    const b = simulate(withRateTrend({ useRateTrend: { formula: '1', parameters: {} } }));
    expect(Array.from(b.figures.actualCostKr)).toEqual(Array.from(a.figures.actualCostKr));
  });

  it('hoursTrend acts on hours per recipient', () => {
    const s = lejre2034();
    const { hoursTrendPerYear: _dropped, ...homeCare } = s.homeCare!;
    // Without care homes, whose waiting citizens add hours that no trend scales.
    const { careHomes: _none, ...withoutCareHomes } = s;
    const grown = simulate({
      ...withoutCareHomes,
      paths: 20,
      homeCare: { ...homeCare, hoursTrend: { formula: '1 + g * t', parameters: { g: 0.05 } } },
    });
    const flat = simulate({
      ...withoutCareHomes,
      paths: 20,
      homeCare: { ...homeCare, hoursTrend: { formula: '1', parameters: {} } },
    });
    // The same recipients and noise; hours scale by 1 + 0.05 t (t = 11 in 2034).
    const needed = (r: typeof grown) =>
      figureValues(r, { strategy: 'frame', service: 'home-care', year: 2034, figure: 'neededUnits' });
    const g = needed(grown);
    const f = needed(flat);
    for (let i = 0; i < g.length; i++) {
      expect(g[i]! / f[i]!).toBeCloseTo(1.55, 10);
    }
  });

  it('a factor that turns negative or non-finite on a path stops the run with NON_FINITE_FIGURE naming the field, year and parameters', () => {
    const run = (formula: string) => {
      try {
        simulate(
          withRateTrend(
            { useRateTrend: { formula, parameters: { h: { dist: 'normal', mean: 0.01, sd: 0.05 } } } },
            200,
          ),
        );
      } catch (e) {
        return e as SimulationError;
      }
      throw new Error('expected a throw');
    };
    const negative = run('1 - h * t');
    expect(negative).toBeInstanceOf(SimulationError);
    expect(negative).toMatchObject({
      code: 'NON_FINITE_FIGURE',
      service: 'home-care',
      figure: 'homeCare.useRateTrend.formula',
    });
    expect(negative.value).toBeLessThan(0);
    expect(negative.year).toBeGreaterThan(2023);
    expect(negative.input).toMatch(/^h = 0\.\d+, t = \d+$/);
    expect(negative.message).toMatch(
      /^service "home-care" on path \d+: homeCare\.useRateTrend\.formula: the factor 1 - h \* t is -[\d.e-]+ in 20\d\d \(t = \d+, h = [\d.]+\); expected a number >= 0; replayPath\(scenario, \d+\) reproduces it$/,
    );
    const nan = run('sqrt(1 - h * t)');
    expect(nan).toMatchObject({ code: 'NON_FINITE_FIGURE', figure: 'homeCare.useRateTrend.formula', value: NaN });
    expect(nan.message).toMatch(/gave NaN in 20\d\d \(h = [\d.]+, t = \d+\)/);
  });

  it('in worker threads, the same path stops the run with the same error', async () => {
    const scenario = withRateTrend(
      { useRateTrend: { formula: '1 - h * t', parameters: { h: { dist: 'normal', mean: 0.01, sd: 0.05 } } } },
      200,
    );
    const inProcess = (() => {
      try {
        simulate(scenario);
      } catch (e) {
        return e as SimulationError;
      }
      throw new Error('expected a throw');
    })();
    const inWorkers = await simulateParallel(scenario, { threads: 2, minParallelPaths: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(inWorkers).toBeInstanceOf(SimulationError);
    expect(inWorkers).toMatchObject({
      code: 'NON_FINITE_FIGURE',
      path: inProcess.path,
      year: inProcess.year,
      figure: inProcess.figure,
      value: inProcess.value,
      input: inProcess.input,
    });
  }, 60_000);

  it('the schema refuses a formula with problems, each at its field', () => {
    const s = lejre2034();
    expect(problems(withRateTrend({ useRateTrend: { formula: '(1 - x)^t', parameters: { h: 0.01 } } }))).toEqual([
      'homeCare.useRateTrend.formula: unknown name "x"; the names allowed are h, t, pi, e',
    ]);
    expect(
      problems({ ...s, homeCare: { ...s.homeCare, useRateTrend: { formula: '(1 - h)^t', parameters: { h: 0.01 } } } }),
    ).toEqual([
      'homeCare.useRateTrend: expected either useRateTrend (a formula) or useRateTrendPerYear (a change a year), not both',
    ]);
    expect(
      problems(
        withRateTrend({
          useRateTrend: {
            formula: 'rate0 * (1 - h)^t',
            parameters: { h: 0.01, rate0: { dist: 'uniform', min: 1, max: 3 } },
          },
        }),
      ),
    ).toEqual([
      "homeCare.useRateTrend.formula: expected a factor of 1 in the base year: the formula gives 2 in 2023 (t = 0) at the parameters' means (h = 0.01, rate0 = 2); normalise it, for example divide by its value at t = 0",
    ]);
    expect(problems(withRateTrend({ useRateTrend: { formula: '1 - h * t', parameters: { h: 0.2 } } }))).toEqual([
      "homeCare.useRateTrend.formula: expected a factor > 0 for every year: the formula gives 0 in 2028 (t = 5) at the parameters' means (h = 0.2)",
    ]);
    expect(problems(withRateTrend({ useRateTrend: { formula: '1 + 1 / (t - 4) + 1 / 4', parameters: {} } }))).toEqual([
      "homeCare.useRateTrend.formula: the formula 1 + 1 / (t - 4) + 1 / 4 gave Infinity in 2027 (t = 4); expected a finite number (look for a division by zero, the logarithm or root of a negative number, or an overflow), at the parameters' means",
    ]);
    expect(
      problems(
        withRateTrend({ useRateTrend: { formula: 'import({}, {override: true})', parameters: { exp: 1, t: 2 } } }),
      ),
    ).toEqual([
      'homeCare.useRateTrend.parameters.exp: "exp" is a function or constant of formulas; choose another name',
      'homeCare.useRateTrend.parameters.t: "t" is the year of the formula; choose another name for the parameter',
    ]);
    expect(problems(withRateTrend({ useRateTrend: { formula: 'x'.repeat(1001) } }))[0]).toMatch(
      /^homeCare\.useRateTrend\.formula: .*1000/,
    );
    expect(
      problems(withRateTrend({ useRateTrend: { formula: '1', parameters: { h: { dist: 'normal', mean: 0 } } } }))[0],
    ).toMatch(/^homeCare\.useRateTrend\.parameters\.h/);
    // The mean of a lognormal, not its median, is where the formula is checked.
    expect(
      problems(
        withRateTrend({ useRateTrend: { formula: 'h', parameters: { h: { dist: 'lognormal', median: 1, p95: 2 } } } }),
      )[0],
    ).toMatch(/factor of 1 in the base year: the formula gives 1\.0928/);
  });
});

describe("the guide's example of a trend as a formula", () => {
  it('parses and runs', () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Trends as formulas'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const fragment = parseYaml(yaml!) as { homeCare: Record<string, unknown> };
    const s = lejre2034();
    const { useRateTrendPerYear: _dropped, ...homeCare } = s.homeCare!;
    const scenario = { ...s, paths: 20, homeCare: { ...homeCare, ...fragment.homeCare } };
    expect(problems(scenario)).toEqual([]);
    const r = simulate(scenario);
    expect(r.figures.actualCostKr.every(Number.isFinite)).toBe(true);
  });
});
