/**
 * Hedensted (source document 002, `002_0d8dab77f360ee9c.txt`, 2017): the economic development of
 * social care and a recovery plan; quality standards moving from 23 single services to 4
 * packages ("from click to look", fewer cold hours).
 *
 * Figures from the document: the recovery plan of −39 m kr over three years (−19, −6.5 and
 * −13.1 m kr); visited home-help hours per recipient a week of 5.0 in Hedensted (2.0 in the
 * best municipality of the benchmark); §107 temporary housing 23.8 m kr in 2015, +137 % from
 * 2012 to 2017, the price per citizen +42 % from 2015 to 2017. The preset `hedensted-recovery`
 * holds them, with the assumptions it names (how much of the plan is realised: 50 % to 100 %,
 * most likely 80 %; packages cutting paid hours 5 % over 2017; the population).
 *
 * The example runs frame, activity and the hybrid on the preset, and the preset against the same
 * municipality without the recovery plan and the packages: what the plan takes off the cost
 * in its three years, and what is left of the overspend.
 *
 * Run with `npx tsx examples/hedensted.ts [paths]`.
 */
import {
  describe,
  figureValues,
  formatStrategyComparison,
  hedenstedRecovery,
  simulate,
  type ScenarioInput,
  type SimulationResult,
} from '../src/index';
import { pathsArgument } from './paths';

/** The counterfactual: no recovery plan and no packages. */
export function withoutPlan(scenario: ScenarioInput): ScenarioInput {
  return { ...scenario, interventions: [] };
}

/** A year's mean cost and overrun (frame steering) with and without the plan. */
export interface HedenstedRow {
  readonly year: number;
  readonly planCostKr: number;
  readonly noPlanCostKr: number;
  readonly planTreasuryDeviationKr: number;
}

/** Runs Hedensted with and without its recovery plan. */
export function hedenstedExample(paths = 2000): {
  readonly plan: SimulationResult;
  readonly noPlan: SimulationResult;
  readonly rows: HedenstedRow[];
} {
  const plan = simulate({ ...hedenstedRecovery(), paths });
  const noPlan = simulate({ ...withoutPlan(hedenstedRecovery()), paths });
  const mean = (r: SimulationResult, year: number, figure: 'actualCostKr' | 'treasuryDeviationKr') =>
    describe(figureValues(r, { strategy: 'frame', year, figure })).mean;
  return {
    plan,
    noPlan,
    rows: plan.years.map((year) => ({
      year,
      planCostKr: mean(plan, year, 'actualCostKr'),
      noPlanCostKr: mean(noPlan, year, 'actualCostKr'),
      planTreasuryDeviationKr: mean(plan, year, 'treasuryDeviationKr'),
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = pathsArgument(2000);
  const { plan, rows } = hedenstedExample(paths);
  console.log(
    `Hedensted, home care and §107, ${paths} paths: deviations in % of the adopted budget (positive = overspend)\n`,
  );
  console.log(formatStrategyComparison(plan, { years: [2017, 2019, 2026] }));
  console.log('\nFrame steering, mean cost (m kr) with and without the recovery plan and packages');
  for (const r of rows)
    console.log(
      `${r.year}  ${(r.planCostKr / 1e6).toFixed(1).padStart(7)}  ${(r.noPlanCostKr / 1e6).toFixed(1).padStart(7)}  plan takes off ${((r.noPlanCostKr - r.planCostKr) / 1e6).toFixed(1)}; treasury deviation ${(r.planTreasuryDeviationKr / 1e6).toFixed(1)}`,
    );
}
