import { describe, expect, it } from 'vitest';
import {
  buildModel,
  frame,
  parseScenario,
  runModel,
  withDefaultHooks,
  type DecisionContext,
  type SimulationResult,
  type StrategyDefinition,
  type StrategySetup,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

/** The frame uprated by the forecast index, with a surplus or deficit of 1 % of the cost carried over when `carry`. */
const adoptOf = (setup: StrategySetup) => (ctx: DecisionContext) =>
  setup.baseline.costKr[0]! * setup.baselineWorld.priceIndex[ctx.yearIndex]!;
const carryOf = (ctx: DecisionContext) => 0.01 * (ctx.currentBudgetKr - ctx.actualCostKr(ctx.yearIndex));

/** Every hook written out by hand, as the defaults document them. */
const full = (carry: boolean): StrategyDefinition => ({
  id: 'full',
  label: 'Full',
  create(setup) {
    return {
      reset() {},
      adopt: adoptOf(setup),
      open: (ctx) => ctx.currentBudgetKr + (carry && ctx.yearIndex > 1 ? ctx.carryOverKr(ctx.yearIndex - 1) : 0),
      followUp: (ctx) => ctx.currentBudgetKr,
      settle: (ctx) => ctx.currentBudgetKr,
      carryOver: carry ? carryOf : () => 0,
    };
  },
});

/** The same in the hooks it changes only. */
const short = (carry: boolean): StrategyDefinition => ({
  id: 'short',
  label: 'Short',
  create: (setup) => (carry ? { adopt: adoptOf(setup), carryOver: carryOf } : { adopt: adoptOf(setup) }),
});

/** The same as a class whose hooks read private fields through `this`. */
class Uprated {
  readonly #setup: StrategySetup;
  #adopted = 0;
  constructor(setup: StrategySetup) {
    this.#setup = setup;
  }
  adopt(ctx: DecisionContext): number {
    this.#adopted = adoptOf(this.#setup)(ctx);
    return this.#adopted;
  }
  settle(ctx: DecisionContext): number {
    return this.#unchanged(ctx);
  }
  #unchanged(ctx: DecisionContext): number {
    return this.#adopted === 0 ? NaN : ctx.currentBudgetKr;
  }
}

/** Every recorded figure of one strategy, as one array per figure. */
const figuresOf = (r: SimulationResult) => Object.entries(r.figures).map(([k, a]) => [k, Array.from(a)]);

describe('strategy hooks have defaults', () => {
  const model = buildModel(parseScenario({ ...lejreHomeCare(), paths: 50 }));

  it('a strategy that writes only adopt gives the results of the hand-written full strategy', () => {
    const a = runModel(model, [full(false)]);
    const b = runModel(model, [short(false)]);
    expect(figuresOf(b)).toEqual(figuresOf(a));
    expect(b.figures.finalBudgetKr.some((x) => x !== 0)).toBe(true);
  });

  it('with carryOver alone, open adds the carry-over from the year before, as the full strategy does', () => {
    const a = runModel(model, [full(true)]);
    const b = runModel(model, [short(true)]);
    expect(figuresOf(b)).toEqual(figuresOf(a));
    expect(b.figures.carryOverKr.some((x) => x !== 0)).toBe(true);
    // The carry-over moves the next year's opening budget away from the adopted one.
    expect(Array.from(b.figures.openingBudgetKr)).not.toEqual(Array.from(b.figures.adoptedBudgetKr));
  });

  it('a class instance keeps its `this` (private fields included) and its own hooks', () => {
    const byClass: StrategyDefinition = { id: 'class', label: 'Class', create: (setup) => new Uprated(setup) };
    expect(figuresOf(runModel(model, [byClass]))).toEqual(figuresOf(runModel(model, [full(false)])));
  });

  it('an instance with every hook is used as it is; a built-in one with a service response is complete', () => {
    const seen: boolean[] = [];
    const inner = frame({ serviceResponse: {} });
    const watched: StrategyDefinition = {
      id: 'watched',
      label: 'Watched',
      create(setup) {
        const inst = inner.create(setup);
        seen.push(withDefaultHooks(inst) === inst);
        return inst;
      },
    };
    runModel(model, [watched], { paths: 1 });
    expect(seen).toEqual([true]);
  });

  it('an instance without adopt is refused, naming the strategy', () => {
    const broken = { id: 'broken', label: 'Broken', create: () => ({}) as never } satisfies StrategyDefinition;
    expect(() => runModel(model, [broken])).toThrow(
      'strategy "broken": create must return an instance with an adopt hook (a function); the other hooks are optional',
    );
  });
});
