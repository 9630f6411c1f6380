import { describe, expect, it } from 'vitest';
import {
  figureValues,
  frame,
  hybrid,
  lejre2034,
  OptionError,
  parseScenario,
  ScenarioError,
  simulate,
  type ScenarioInput,
  type SimulationResult,
} from '../../src/index';

const PATHS = 300;
const scenario = (): ScenarioInput => ({ ...lejre2034(), paths: PATHS });
const SERVICES = ['care-homes', 'home-care'] as const;

const at = (
  r: SimulationResult,
  strategy: string,
  year: number,
  figure: Parameters<typeof figureValues>[1]['figure'],
  service: string,
): Float64Array => figureValues(r, { strategy, year, figure, service });

/** The year's figures of two strategies are equal, bit for bit, on every path. */
const identical = (r: SimulationResult, a: string, b: string, year: number, service: string): void => {
  for (const figure of [
    'adoptedBudgetKr',
    'openingBudgetKr',
    'finalBudgetKr',
    'actualCostKr',
    'carryOverKr',
    'providerDeviationKr',
    'treasuryShareKr',
    'treasuryDeviationKr',
  ] as const)
    expect([...at(r, b, year, figure, service)], `${b} ${figure} ${service} ${year}`).toEqual([
      ...at(r, a, year, figure, service),
    ]);
};

describe('deficit guarantee (underskudsgaranti) of the frame family', () => {
  const run = simulate(scenario(), {
    strategies: [
      frame(),
      frame({ id: 'guaranteed', deficitGuarantee: { kr: null, from: '2025', years: 3 } }),
      frame({ id: 'care-homes-only', deficitGuarantee: { kr: null, from: '2024', services: ['care-homes'] } }),
      hybrid(),
      hybrid({ id: 'hybrid-guaranteed', deficitGuarantee: { kr: null, from: '2024', years: 2 } }),
    ],
  });

  it('with kr: null the provider bears no deficit in the covered years, and the treasury pays it', () => {
    let covered = 0;
    for (const service of SERVICES) {
      for (const year of [2025, 2026, 2027]) {
        const provider = at(run, 'guaranteed', year, 'providerDeviationKr', service);
        const share = at(run, 'guaranteed', year, 'treasuryShareKr', service);
        const opening = at(run, 'guaranteed', year, 'openingBudgetKr', service);
        const adopted = at(run, 'guaranteed', year, 'adoptedBudgetKr', service);
        const actual = at(run, 'guaranteed', year, 'actualCostKr', service);
        for (let i = 0; i < PATHS; i++) {
          expect(provider[i], `${service} ${year} path ${i}`).toBeLessThanOrEqual(1e-6);
          // A frame's own regulation is the carry-over it opens with; the guarantee adds the deficit.
          const deficit = Math.max(actual[i]! - opening[i]!, 0);
          if (deficit > 0) covered++;
          expect(share[i]).toBeCloseTo(opening[i]! - adopted[i]! + deficit, 3);
        }
      }
    }
    // The guarantee was tested: some paths had a deficit to cover.
    expect(covered).toBeGreaterThan(0);
  });

  it('leaves the year before unchanged, and the later years differ only through the carry-over', () => {
    for (const service of SERVICES) identical(run, 'frame', 'guaranteed', 2024, service);
    for (const service of SERVICES) {
      // After 2027 the guarantee is over: the provider may run a deficit again.
      const later = at(run, 'guaranteed', 2030, 'providerDeviationKr', service);
      expect(later.some((x) => x > 1)).toBe(true);
      // With the caps 5 % / -2 %, a covered 2027 carries no deficit into 2028.
      const carried = at(run, 'guaranteed', 2027, 'carryOverKr', service);
      expect(carried.every((x) => x >= -1e-6)).toBe(true);
    }
  });

  it('keeps overrun = treasury share + provider share on every path, in every year', () => {
    for (const strategy of ['guaranteed', 'care-homes-only', 'hybrid-guaranteed'])
      for (const service of SERVICES)
        for (const year of run.years) {
          const overrun = at(run, strategy, year, 'treasuryDeviationKr', service);
          const share = at(run, strategy, year, 'treasuryShareKr', service);
          const provider = at(run, strategy, year, 'providerDeviationKr', service);
          for (let i = 0; i < PATHS; i++) expect(overrun[i]).toBeCloseTo(share[i]! + provider[i]!, 3);
        }
  });

  it('with a finite kr the treasury covers the deficit up to kr, path by path', () => {
    // The plain frame's provider share in 2024 is the deficit before the guarantee: the first year
    // has no carry-over and is the same for both strategies until its settlement.
    const before = at(run, 'frame', 2024, 'providerDeviationKr', 'home-care');
    const deficits = [...before].filter((x) => x > 0).sort((a, b) => a - b);
    expect(deficits.length).toBeGreaterThan(10);
    const kr = Math.round(deficits[Math.floor(deficits.length / 2)]!);
    const capped = simulate(scenario(), {
      strategies: [frame(), frame({ id: 'capped', deficitGuarantee: { kr, from: '2024', years: 1 } })],
    });
    const plain = at(capped, 'frame', 2024, 'providerDeviationKr', 'home-care');
    expect([...plain]).toEqual([...before]); // the same paths
    const share = at(capped, 'capped', 2024, 'treasuryShareKr', 'home-care');
    let binding = 0;
    for (let i = 0; i < PATHS; i++) {
      const expected = Math.min(Math.max(plain[i]!, 0), kr);
      if (expected === kr) binding++;
      expect(share[i], `path ${i}`).toBeCloseTo(expected, 3);
    }
    // The cap bound on some paths and not on others.
    expect(binding).toBeGreaterThan(0);
    expect(binding).toBeLessThan(deficits.length);
    // In 2025 (not covered) the treasury's share is again only the carry-over.
    const share2025 = at(capped, 'capped', 2025, 'treasuryShareKr', 'home-care');
    const carried = at(capped, 'capped', 2024, 'carryOverKr', 'home-care');
    for (let i = 0; i < PATHS; i++) expect(share2025[i]).toBeCloseTo(carried[i]!, 3);
  });

  it('covers only the services listed: home care is as under the plain frame', () => {
    for (const year of run.years) identical(run, 'frame', 'care-homes-only', year, 'home-care');
    for (const year of [2024, 2025, 2026]) {
      const provider = at(run, 'care-homes-only', year, 'providerDeviationKr', 'care-homes');
      expect(provider.every((x) => x <= 1e-6)).toBe(true);
    }
    // The care homes did run deficits the guarantee covered.
    expect(at(run, 'frame', 2024, 'providerDeviationKr', 'care-homes').some((x) => x > 1)).toBe(true);
  });

  it('works for a hybrid: no deficit left to the provider in its covered years', () => {
    for (const service of SERVICES)
      for (const year of [2024, 2025])
        expect(at(run, 'hybrid-guaranteed', year, 'providerDeviationKr', service).every((x) => x <= 1e-6)).toBe(true);
    // The plain hybrid does leave deficits to the provider.
    expect(at(run, 'hybrid', 2024, 'providerDeviationKr', 'home-care').some((x) => x > 1)).toBe(true);
  });

  it("a group's id covers every unit of a service split into units; a unit's id that unit only", () => {
    const base = scenario();
    const split: ScenarioInput = {
      ...base,
      paths: 100,
      homeCare: {
        ...base.homeCare!,
        units: [
          { id: 'north', populationShare: 0.4 },
          { id: 'south', populationShare: 0.6 },
        ],
      },
    };
    const r = simulate(split, {
      strategies: [
        frame(),
        frame({ id: 'group', deficitGuarantee: { kr: null, services: ['home-care'] } }),
        frame({ id: 'unit', deficitGuarantee: { kr: null, services: ['home-care:north'] } }),
      ],
    });
    for (const unit of ['home-care:north', 'home-care:south']) {
      expect(at(r, 'frame', 2024, 'providerDeviationKr', unit).some((x) => x > 1)).toBe(true);
      expect(at(r, 'group', 2024, 'providerDeviationKr', unit).every((x) => x <= 1e-6)).toBe(true);
    }
    expect(at(r, 'unit', 2024, 'providerDeviationKr', 'home-care:north').every((x) => x <= 1e-6)).toBe(true);
    for (const year of r.years) identical(r, 'frame', 'unit', year, 'home-care:south');
    identical(r, 'frame', 'group', 2024, 'care-homes');
  });

  it('refuses a service id that is neither a service nor a group of the run, naming it', () => {
    const run = () =>
      simulate(
        { ...scenario(), paths: 2 },
        { strategies: [frame({ deficitGuarantee: { kr: null, services: ['care-homes', 'nursing'] } })] },
      );
    expect(run).toThrow(OptionError);
    expect(run).toThrow(/deficitGuarantee\.services names "nursing".*"care-homes", "home-care"/);
  });

  it('refuses out-of-range options in the constructor, naming the option and the value', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ kr: -1 }, 'deficitGuarantee.kr', /deficitGuarantee\.kr must be null .* or a number >= 0; received -1/],
      [{ kr: Infinity }, 'deficitGuarantee.kr', /received Infinity/],
      [{ kr: null, years: 0 }, 'deficitGuarantee.years', /deficitGuarantee\.years must be an integer >= 1; received 0/],
      [{ kr: null, years: 1.5 }, 'deficitGuarantee.years', /received 1\.5/],
      [
        { kr: null, from: '25' },
        'deficitGuarantee.from',
        /deficitGuarantee\.from must be a four-digit year .*received "25"/,
      ],
      [{ kr: null, services: ['care-homes', ''] }, 'deficitGuarantee.services[1]', /received ""/],
    ];
    for (const make of [frame, hybrid]) {
      for (const [options, option, message] of cases) {
        let error: unknown;
        try {
          make({ deficitGuarantee: options as never });
        } catch (e) {
          error = e;
        }
        expect(error, option).toBeInstanceOf(OptionError);
        expect((error as OptionError).option).toBe(option);
        expect((error as OptionError).message).toMatch(message);
      }
    }
  });

  it('the scenario file refuses them by path, and a first year outside the run', () => {
    const problems = (deficitGuarantee: unknown) => {
      try {
        parseScenario({ ...lejre2034(), strategies: [{ kind: 'frame', deficitGuarantee }] });
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as ScenarioError).problems.map((p) => p.where);
      }
      return [];
    };
    expect(problems({ kr: -1 })).toEqual(['strategies[0].deficitGuarantee.kr']);
    expect(problems({ kr: null, years: 0 })).toEqual(['strategies[0].deficitGuarantee.years']);
    expect(problems({ kr: null, years: 2.5 })).toEqual(['strategies[0].deficitGuarantee.years']);
    expect(problems({ kr: null, from: '25' })).toEqual(['strategies[0].deficitGuarantee.from']);
    expect(problems({ kr: null, from: '2023' })).toEqual(['strategies[0].deficitGuarantee.from']);
    expect(problems({ kr: null, unknown: 1 })).toEqual(['strategies[0].deficitGuarantee']);
    expect(problems({ from: '2025' })).toEqual(['strategies[0].deficitGuarantee.kr']);
    // A valid guarantee parses, with its defaults, on every kind of the frame family.
    const parsed = parseScenario({
      ...lejre2034(),
      strategies: [
        { kind: 'frame', deficitGuarantee: { kr: 1_000_000 } },
        { kind: 'hybrid', deficitGuarantee: { kr: null, from: '2030', services: ['care-homes'] } },
        { kind: 'demographicFrame', deficitGuarantee: { kr: 0 } },
      ],
    });
    expect(parsed.strategies.map((s) => ('deficitGuarantee' in s ? s.deficitGuarantee : undefined))).toEqual([
      { kr: 1_000_000, years: 3 },
      { kr: null, from: '2030', years: 3, services: ['care-homes'] },
      { kr: 0, years: 3 },
    ]);
  });

  it('a scenario file with a guarantee runs as the plug-in does', () => {
    const fromFile = simulate({
      ...scenario(),
      paths: 50,
      strategies: [{ kind: 'frame', deficitGuarantee: { kr: null, from: '2025', years: 3 } }],
    });
    const direct = simulate(
      { ...scenario(), paths: 50 },
      { strategies: [frame({ deficitGuarantee: { kr: null, from: '2025', years: 3 } })] },
    );
    for (const service of SERVICES)
      for (const year of fromFile.years)
        expect([...at(fromFile, 'frame', year, 'finalBudgetKr', service)], `${service} ${year}`).toEqual([
          ...at(direct, 'frame', year, 'finalBudgetKr', service),
        ]);
  });
});
