import { describe, expect, it } from 'vitest';
import { frame, simulate, type StrategyDefinition } from '../../src/index';
import { lejreHomeCare } from '../fixtures';

/** A frame whose adopt returns the given value instead of its budget. */
const returning = (value: unknown): StrategyDefinition => {
  const inner = frame();
  return {
    id: 'odd',
    label: 'Odd',
    create(setup) {
      const inst = inner.create(setup);
      return { ...inst, adopt: () => value as number };
    },
  };
};

describe('budgets are numbers within ±1e15 kr', () => {
  it.each([
    [1e308, /returned 1e\+308 from adopt.*from -1e15 to 1e15/],
    [-1e16, /returned -10000000000000000 from adopt/],
    ['123', /returned a value of type string, not a number, from adopt/],
    [{ valueOf: (): number => 5 }, /returned a value of type object, not a number, from adopt/],
  ])('refuses %s with NON_FINITE_BUDGET', (value, message) => {
    expect(() => simulate({ ...lejreHomeCare(), paths: 2 }, { strategies: [returning(value)] })).toThrow(
      expect.objectContaining({
        code: 'NON_FINITE_BUDGET',
        strategy: 'odd',
        hook: 'adopt',
        message: expect.stringMatching(message),
      }) as never,
    );
  });

  it('accepts a budget of 1e14 kr, and its summary rows stay finite', () => {
    const r = simulate({ ...lejreHomeCare(), paths: 2 }, { strategies: [returning(1e14)] });
    for (const a of Object.values(r.figures)) expect(a.every(Number.isFinite)).toBe(true);
  });
});
