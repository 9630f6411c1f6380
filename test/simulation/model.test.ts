import { describe, expect, it } from 'vitest';
import {
  buildModel,
  createHistory,
  homeCare,
  lejre2034,
  parseScenario,
  SimulationError,
  type ServiceDefinition,
} from '../../src/index';

/** A service that does nothing, with the id given. */
const idle = (id: string): ServiceDefinition => ({
  id,
  label: id,
  activityUnit: 'units',
  create: (setup) => ({ baseline: createHistory(setup.timeline.horizonYears + 1), reset() {}, step() {} }),
});

describe('buildModel adds the services given to the scenario’s', () => {
  const s = parseScenario(lejre2034());

  it('keeps the scenario’s services first, then those given, in order', () => {
    expect(buildModel(s).services.map((d) => d.id)).toEqual(['care-homes', 'home-care']);
    expect(buildModel(s, { services: [idle('a'), idle('b')] }).services.map((d) => d.id)).toEqual([
      'care-homes',
      'home-care',
      'a',
      'b',
    ]);
  });

  it('replaces them only when asked', () => {
    const model = buildModel(s, { services: [...homeCare(s.homeCare!), idle('a')], replaceServices: true });
    expect(model.services.map((d) => d.id)).toEqual(['home-care', 'a']);
    expect(() => buildModel(s, { replaceServices: true })).toThrow(/replaceServices: expected services/);
  });

  it('refuses an id given twice, naming it', () => {
    const again = () => buildModel(s, { services: [...homeCare(s.homeCare!)] });
    expect(again).toThrow(SimulationError);
    expect(again).toThrow(
      'services: "home-care" is one of the scenario\'s own services and is given again; give yours another id, or pass replaceServices: true to run only the services given',
    );
    expect(again).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', service: 'home-care' }) as never);
    expect(() => buildModel(s, { services: [idle('a'), idle('a')] })).toThrow(
      expect.objectContaining({
        message: 'services: "a" is given twice; expected unique service ids',
        service: 'a',
      }) as never,
    );
  });
});
