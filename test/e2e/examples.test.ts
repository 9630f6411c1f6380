import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { figureValues, frame, lejre2034, parseScenario, simulate } from '../../src/index';
import { frameWithReserve } from '../../examples/custom-strategy';
import { lejreHomeCare } from '../fixtures';
import { ishoejHomeCare, ishoejStrategies } from '../../examples/ishoej';
import { describe as stats, formatStrategyComparison } from '../../src/index';

describe('examples', () => {
  it('a custom strategy runs and is reported like a built-in one', () => {
    const r = simulate(
      { ...lejreHomeCare(), paths: 300 },
      { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }), frameWithReserve(0.02)] },
    );
    expect(r.strategies.map((s) => s.id)).toEqual(['frame', 'frame-reserve']);
    for (const year of r.years) {
      const plain = figureValues(r, { strategy: 'frame', year, figure: 'providerDeviationPct' });
      const pooled = figureValues(r, { strategy: 'frame-reserve', year, figure: 'providerDeviationPct' });
      for (let i = 0; i < r.pathCount; i++) {
        expect(pooled[i]!).toBeLessThanOrEqual(0.02 + 1e-12);
        expect(pooled[i]!).toBeCloseTo(Math.min(plain[i]!, 0.02), 12);
      }
    }
  });

  it('the example scenario file is the lejre-2034 preset and is valid', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'lejre-2034.json'), 'utf8'));
    expect(parseScenario(file)).toEqual(parseScenario({ ...lejre2034(), paths: 5000 }));
  });

  it("Ishøj's question: the provider's risk falls from frame to hybrid to activity, the treasury's rises, and only frame-type steering costs service", () => {
    const r = simulate(ishoejHomeCare(1500), { strategies: ishoejStrategies() });
    const sel = (strategy: string, figure: 'providerDeviationPct' | 'treasuryDeviationPct' | 'serviceGapShare') =>
      stats(figureValues(r, { strategy, year: 2028, figure }), { percentiles: [5, 50, 95] });
    const provider = {
      frame: sel('frame', 'providerDeviationPct'),
      hybrid: sel('hybrid', 'providerDeviationPct'),
      activity: sel('activity', 'providerDeviationPct'),
    };
    expect(provider.frame.percentiles[50]!).toBeGreaterThan(provider.hybrid.percentiles[50]!);
    expect(provider.hybrid.percentiles[50]!).toBeGreaterThan(Math.abs(provider.activity.percentiles[50]!));
    expect(provider.activity.sd).toBeLessThan(provider.hybrid.sd);
    expect(sel('activity', 'treasuryDeviationPct').sd).toBeGreaterThan(0.05);
    expect(Math.abs(sel('activity', 'treasuryDeviationPct').percentiles[50]!)).toBeLessThan(0.02);
    expect(sel('activity', 'serviceGapShare').max).toBe(0);
    expect(sel('frame', 'serviceGapShare').mean).toBeGreaterThan(sel('hybrid', 'serviceGapShare').mean);
    expect(sel('hybrid', 'serviceGapShare').mean).toBeGreaterThan(0);
    const table = formatStrategyComparison(r, { years: [2019, 2028] });
    expect(table.split('\n')).toHaveLength(1 + 2 * 3);
    expect(table).toContain('hybrid');
  });
});

describe('a service of your own', () => {
  it('runs beside the care homes and home care through the same interface, steered and reported like a built-in one', async () => {
    const { rehabilitation } = await import('../../examples/rehabilitation');
    const { buildModel, parseScenario, runModel, metricValues, formatStrategyComparison } =
      await import('../../src/index');
    const s = parseScenario({ ...lejre2034(), paths: 300 });
    const model = buildModel(s, {
      services: [rehabilitation({ group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 })],
    });
    const r = runModel(model, [
      frame({ carryOver: { surplusCap: 0, deficitCap: 0 } }),
      (await import('../../src/index')).activity(),
    ]);
    // Lejre's care homes stay: the services are the scenario's, then the one given.
    expect(r.services.map((x) => x.id)).toEqual(['care-homes', 'home-care', 'rehabilitation']);
    const courses = stats(metricValues(r, { strategy: 'frame', year: 2034, metric: 'rehabilitation.courses' }));
    expect(courses.mean / (0.06 * 2499)).toBeCloseTo(1, 1);
    // Its own stream: the courses do not move when the care homes join (148.71 a path in 2034).
    expect(courses.mean).toBeCloseTo(148.71, 2);
    const total = figureValues(r, { strategy: 'frame', year: 2034, figure: 'actualCostKr' });
    const parts = ['care-homes', 'home-care', 'rehabilitation'].map((service) =>
      figureValues(r, { strategy: 'frame', service, year: 2034, figure: 'actualCostKr' }),
    );
    for (let i = 0; i < 20; i++) expect(total[i]).toBeCloseTo(parts[0]![i]! + parts[1]![i]! + parts[2]![i]!, 3);
    // The care homes' waiting list feeds home care: 2034's mean cost, 298.74 m kr in all, of which
    // home care 91.99 m kr (83.49 m kr, and 86.93 m kr in all, when home care ran without them).
    expect(stats(total).mean / 1e6).toBeCloseTo(298.74, 1);
    expect(stats(parts[1]!).mean / 1e6).toBeCloseTo(91.99, 1);
    // The activity strategy pays the courses at their ex-ante price: no provider deviation.
    expect(
      Math.abs(
        stats(
          figureValues(r, {
            strategy: 'activity',
            service: 'rehabilitation',
            year: 2030,
            figure: 'providerDeviationPct',
          }),
        ).mean,
      ),
    ).toBeLessThan(0.01);
    expect(formatStrategyComparison(r, { service: 'rehabilitation' })).toContain('activity');
  });

  it('names itself in both languages and rejects an unknown group with the library’s OptionError', async () => {
    const { rehabilitation } = await import('../../examples/rehabilitation');
    const { buildModel, OptionError, runModel } = await import('../../src/index');
    const options = { group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 };
    expect(rehabilitation(options).labels).toEqual({ en: 'Rehabilitation (§ 83a)', da: 'Genoptræning (§ 83a)' });
    const s = parseScenario({ ...lejre2034(), paths: 2 });
    let error: unknown;
    try {
      runModel(buildModel(s, { services: [rehabilitation({ ...options, group: '90+' })] }), [frame()]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'rehabilitation: group', received: '90+' });
    expect((error as Error).message).toBe(
      'rehabilitation: group must be one of the scenario\'s population groups ("67-79", "80+"); received "90+"',
    );
  });
});

describe('examples for the source documents of Slagelse, Herning and Hedensted', () => {
  it('Slagelse: the flexible package shortens the care-home waiting list and places fewer citizens outside', async () => {
    const { slagelseExample } = await import('../../examples/slagelse');
    const { base, flexible, rows } = slagelseExample(300);
    expect(base.strategies.map((s) => s.id)).toEqual(['frame', 'activity', 'hybrid']);
    // Home care runs its approval model: the municipal provider, private providers and Antvorskov, pooled as home-care.
    expect(flexible.services.map((s) => s.id).sort()).toEqual([
      'care-homes',
      'home-care:antvorskov',
      'home-care:own',
      'home-care:private',
    ]);
    expect(new Set(flexible.services.filter((s) => s.id.startsWith('home-care')).map((s) => s.group))).toEqual(
      new Set(['home-care']),
    );
    expect(rows.map((r) => r.year)).toEqual(base.years);
    // Before the package starts (2023) both runs are the same.
    expect(rows[0]!.waiting[1]).toBe(rows[0]!.waiting[0]);
    const y2028 = rows.find((r) => r.year === 2028)!;
    expect(y2028.waiting[1]).toBeLessThan(y2028.waiting[0]);
    expect(y2028.externalPlacements[1]).toBeLessThanOrEqual(y2028.externalPlacements[0]);
    for (const r of rows)
      for (const v of [...r.waiting, ...r.homeCareCostKr, ...r.careHomeCostKr]) expect(Number.isFinite(v)).toBe(true);
  });

  it('Herning: raising own production from 43 % towards 50 % at 15 % below the external price costs less than keeping it at 43 %', async () => {
    const { herningExample } = await import('../../examples/herning');
    const { plan, rows } = herningExample(300);
    expect(plan.strategies.map((s) => s.id)).toEqual(['frame', 'activity', 'hybrid']);
    expect(plan.services.map((s) => s.id)).toEqual(['specialised']);
    for (const r of rows.filter((x) => x.year >= 2022)) expect(r.planCostKr).toBeLessThan(r.flatCostKr);
  });

  it('Hedensted: the recovery plan takes cost off in each of its three years', async () => {
    const { hedenstedExample } = await import('../../examples/hedensted');
    const { plan, rows } = hedenstedExample(300);
    expect(plan.strategies.map((s) => s.id)).toEqual(['frame', 'activity', 'hybrid']);
    for (const r of rows.filter((x) => x.year <= 2019)) expect(r.planCostKr).toBeLessThan(r.noPlanCostKr);
    for (const r of rows) expect(Number.isFinite(r.planTreasuryDeviationKr)).toBe(true);
  });

  // One test an example, each sized by one process (tsx's start-up included), so each stays
  // within the timeout on a loaded machine.
  it.each([
    ['slagelse', 'Slagelse, 60 paths'],
    ['herning', 'Herning, specialised adult area, 60 paths'],
    ['hedensted', 'Hedensted, home care and §107, 60 paths'],
    ['ishoej', 'Ishøj-like home care, 60 paths'],
  ] as const)('examples/%s.ts runs with npx tsx and prints its comparison', (name, heading) => {
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, [join(__dirname, '..', '..', 'examples', `${name}.ts`), '60'], { encoding: 'utf8' });
    expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(heading);
    expect(r.stdout).toContain('frame');
  });

  it('an example refuses a number of paths it cannot read, by name and without a stack trace', () => {
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    for (const given of ['2.000', 'abc']) {
      const r = spawnSync(tsx, [join(__dirname, '..', '..', 'examples', 'demo.ts'), given], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(
        `paths: expected a whole number of paths from 1, without a thousands separator (such as 2000); received "${given}"`,
      );
      expect(r.stdout).toBe('');
    }
  });
});
