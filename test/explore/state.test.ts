import { describe, expect, it } from 'vitest';
import { figureValues, lejre2034, parseScenario, simulate } from '../../src/index';
import { influentialInputs } from '../../src/explore/inputs';
import {
  assumptionControls,
  controlLimits,
  decodeState,
  encodeState,
  explorerStrategies,
  scenarioOfState,
  specId,
  type ExplorerSpec,
} from '../../src/explore/state';

const base = { ...lejre2034(), paths: 20 };
const offered = explorerStrategies(parseScenario(base).strategies as unknown as ExplorerSpec[]);

describe("the explorer's state", () => {
  it('round-trips through the address, and names what in a broken one is wrong', () => {
    const state = {
      paths: 1000,
      seed: 'x',
      inputs: { 'population.80+': { central: 0.01 } },
      compare: ['a', 'b'] as const,
    };
    expect(decodeState(encodeState(state))).toEqual(state);
    expect(decodeState('')).toEqual({});
    expect(() => decodeState('#%7Bbad')).toThrow(/not readable: expected URI-encoded JSON/);
    expect(() => decodeState(encodeState({ paths: 5 }))).toThrow(
      /paths must be a whole number from 200 to 20000; received 5/,
    );
    expect(() => decodeState('#%5B1%5D')).toThrow(/must be an object/);
  });

  it('offers the built-in kinds a scenario lacks, hidden, under the ids a run gives them', () => {
    expect(offered.map((s) => [specId(s.spec), s.shownByDefault])).toEqual([
      ['frame', true],
      ['activity', true],
      ['hybrid', false],
      ['demographic-frame', false],
    ]);
    const s = scenarioOfState(
      base,
      { strategies: { 'demographic-frame': { hidden: false }, activity: { hidden: true } } },
      [],
      offered,
    );
    expect(simulate(s).strategies.map((x) => x.id)).toEqual(['frame', 'demographic-frame']);
    expect(() =>
      scenarioOfState(base, { strategies: { frame: { hidden: true }, activity: { hidden: true } } }, [], offered),
    ).toThrow(/show at least one strategy/);
    expect(() => scenarioOfState(base, { strategies: { nope: {} } }, [], offered)).toThrow(/strategy "nope"/);
  });

  it("adds the reserve to each service's frame: 1 m kr on Lejre's two services is 2 m kr of budget", () => {
    const adopted = (kr: number) =>
      figureValues(
        simulate(scenarioOfState(base, { strategies: { frame: { settings: { reserveKr: kr } } } }, [], offered)),
        {
          strategy: 'frame',
          service: 'total',
          year: 2024,
          figure: 'adoptedBudgetKr',
        },
      )[0]!;
    expect(adopted(1_000_000) - adopted(0)).toBeCloseTo(2_000_000, 3);
  });

  it('limits each assumption to the moves the scenario accepts, and the limits run', () => {
    const controls = assumptionControls(base, influentialInputs(base, { n: 20 }));
    const limits = controlLimits(base, controls);
    const undelivered = controls.find((c) => c.key === 'home-care.undeliveredShare')!;
    // A share's PERT cannot spread three times as wide without going below 0.
    expect(limits[undelivered.key]!.maxSpread).toBeLessThan(3);
    expect(limits[undelivered.key]!.maxSpread).toBeGreaterThan(1);
    for (const c of controls) {
      const l = limits[c.key]!;
      for (const change of [{ central: l.min }, { central: l.max }, { spreadFactor: l.maxSpread }])
        expect(() =>
          parseScenario(scenarioOfState(base, { inputs: { [c.key]: change } }, controls, offered)),
        ).not.toThrow();
    }
    expect(() =>
      parseScenario(scenarioOfState(base, { inputs: { [undelivered.key]: { spreadFactor: 3 } } }, controls, offered)),
    ).toThrow(/undeliveredShare/);
  });
});
