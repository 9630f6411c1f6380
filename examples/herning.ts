/**
 * Herning (source document 003, `003_0fd1a99260e5206c.txt`, 2019): disability and psychiatry,
 * the specialised adult social area. The document recommends combining frame steering with a
 * degree of activity steering (a resource-regulation model) and raising own production.
 *
 * Figures from the document: own production 144 m kr in 2019 rising to 169 m kr in 2024, a
 * share of 43 % rising to over 50 %; own provision on average 15 % cheaper than buying
 * externally; 0.5 m kr a year for two years invested in staff. The preset `herning-specialised`
 * holds them, with the assumptions it names (about 350 cases, their costs, inflow and exits).
 *
 * The example runs frame, activity and the hybrid (frame with an activity corridor) on the
 * preset, and the preset against a counterfactual in which the own share stays at 43 %: what the
 * move to 50 % saves, year by year.
 *
 * Run with `npx tsx examples/herning.ts [paths]`.
 */
import {
  describe,
  figureValues,
  formatStrategyComparison,
  herningSpecialised,
  simulate,
  type ScenarioInput,
  type SimulationResult,
} from '../src/index';
import { pathsArgument } from './paths';

/** The counterfactual: own production stays at 43 % and the staff investment is not made. */
export function ownShareFlat(scenario: ScenarioInput): ScenarioInput {
  return { ...scenario, specialised: { ...scenario.specialised!, ownShare: { '2019': 0.43 } }, interventions: [] };
}

/** A year's mean cost with own production rising to 50 % and with it flat at 43 %. */
export interface HerningRow {
  readonly year: number;
  readonly planCostKr: number;
  readonly flatCostKr: number;
}

/** Runs Herning's plan and the flat counterfactual. */
export function herningExample(paths = 2000): {
  readonly plan: SimulationResult;
  readonly flat: SimulationResult;
  readonly rows: HerningRow[];
} {
  const plan = simulate({ ...herningSpecialised(), paths });
  const flat = simulate({ ...ownShareFlat(herningSpecialised()), paths });
  const cost = (r: SimulationResult, year: number) =>
    describe(figureValues(r, { strategy: 'frame', year, figure: 'actualCostKr' })).mean;
  return {
    plan,
    flat,
    rows: plan.years.map((year) => ({ year, planCostKr: cost(plan, year), flatCostKr: cost(flat, year) })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = pathsArgument(2000);
  const { plan, rows } = herningExample(paths);
  console.log(
    `Herning, specialised adult area, ${paths} paths: deviations in % of the adopted budget (positive = overspend)\n`,
  );
  console.log(formatStrategyComparison(plan, { years: [2020, 2024, 2029] }));
  console.log('\nMean cost (m kr): own production rising 43 % -> 50 % against flat at 43 %');
  for (const r of rows)
    console.log(
      `${r.year}  ${(r.planCostKr / 1e6).toFixed(1).padStart(7)}  ${(r.flatCostKr / 1e6).toFixed(1).padStart(7)}  saving ${((r.flatCostKr - r.planCostKr) / 1e6).toFixed(1)}`,
    );
}
