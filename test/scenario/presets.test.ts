import { describe, expect, it } from 'vitest';
import {
  buildModel,
  createLinks,
  figureValues,
  meanSd,
  metricValues,
  parseScenario,
  presets,
  simulate,
} from '../../src/index';

const mean = (xs: Float64Array) => meanSd(xs).mean;

describe('presets', () => {
  it('every preset is valid and runs', () => {
    expect(Object.keys(presets)).toEqual([
      'lejre-2034',
      'slagelse-homecare',
      'ishoej-care-homes',
      'herning-specialised',
      'hedensted-recovery',
    ]);
    for (const make of Object.values(presets)) {
      const r = simulate({ ...make(), paths: 20 });
      for (const f of Object.values(r.figures)) expect(f.every(Number.isFinite)).toBe(true);
    }
  });

  it('slagelse-homecare reproduces the 2022 home-care budget (255.3 m kr) and 478 FTE within 1 %', () => {
    const s = parseScenario(presets['slagelse-homecare']!());
    const model = buildModel(s);
    // Home care is split into the municipal provider and two others; the budget pays them all.
    const links = createLinks(64, s.horizonYears + 1);
    const units = model.services
      .filter((x) => x.group === 'home-care')
      .map(
        (x) =>
          x.create({
            timeline: model.timeline,
            seed: s.seed,
            baselineWorld: model.baselineWorld,
            links,
            interventions: [],
          }).baseline,
      );
    expect(units).toHaveLength(3);
    const baseline = {
      costKr: [units.reduce((a, b) => a + b.costKr[0]!, 0)],
      deliveredUnits: [units.reduce((a, b) => a + b.deliveredUnits[0]!, 0)],
    };
    expect(baseline.costKr[0]! / 255_283_723).toBeCloseTo(1, 1);
    const fte = baseline.deliveredUnits[0]! / 0.6 / 1924;
    expect(Math.abs(fte / 478 - 1)).toBeLessThan(0.03);
  });

  it('hedensted-recovery: the five most expensive §107 cases carry about a quarter of its cost', () => {
    const r = simulate({ ...presets['hedensted-recovery']!(), paths: 300 });
    const share = mean(metricValues(r, { strategy: 'frame', year: 2017, metric: 'specialised.topFiveShare' }));
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.32);
    const cost2017 = mean(
      figureValues(r, { strategy: 'frame', service: 'specialised', year: 2017, figure: 'actualCostKr' }),
    );
    expect(cost2017 / 1e6).toBeGreaterThan(24);
    expect(cost2017 / 1e6).toBeLessThan(34);
  });

  it('herning-specialised: own share 43 % rising to 50 % by 2024, about 335 m kr', () => {
    const r = simulate({ ...presets['herning-specialised']!(), paths: 200 });
    const own = (y: number) => mean(metricValues(r, { strategy: 'frame', year: y, metric: 'specialised.ownShare' }));
    expect(own(2020)).toBeGreaterThan(0.42);
    expect(own(2020)).toBeLessThan(0.47);
    expect(own(2024)).toBeGreaterThan(0.48);
    expect(
      mean(figureValues(r, { strategy: 'frame', service: 'specialised', year: 2020, figure: 'actualCostKr' })) /
        1e6 /
        1.023,
    ).toBeGreaterThan(320);
  });

  it('lejre-2034 holds three care homes beside home care; ishoej two of different size', () => {
    expect(parseScenario(presets['lejre-2034']!()).careHomes!.homes).toHaveLength(3);
    const places = parseScenario(presets['ishoej-care-homes']!()).careHomes!.homes.map((h) => h.places);
    expect(new Set(places).size).toBe(2);
  });
});
