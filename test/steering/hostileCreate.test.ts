import { describe, expect, it } from 'vitest';
import { simulate, type StrategyDefinition } from '../../src/index';
import { lejreHomeCare } from '../fixtures';

const failing = (create: () => unknown): StrategyDefinition => ({ id: 'mine', label: 'Mine', create: create as never });

describe("a strategy's create that fails is named", () => {
  it('a create that throws: STRATEGY_FAILED naming the strategy, create and the service', () => {
    expect(() =>
      simulate(
        { ...lejreHomeCare(), paths: 2 },
        {
          strategies: [
            failing(() => {
              throw new Error('no budget model');
            }),
          ],
        },
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'STRATEGY_FAILED',
        strategy: 'mine',
        hook: 'create',
        service: 'home-care',
        message: 'strategy "mine" failed in create for service "home-care": no budget model',
      }) as never,
    );
  });

  it.each([null, undefined, 42])('a create that returns %s: STRATEGY_FAILED naming the strategy', (value) => {
    expect(() => simulate({ ...lejreHomeCare(), paths: 2 }, { strategies: [failing(() => value)] })).toThrow(
      expect.objectContaining({ code: 'STRATEGY_FAILED', strategy: 'mine', hook: 'create' }) as never,
    );
  });
});
