/**
 * Slagelse (source document 001, `001_89c5209b6a20c838.txt`, 2021): home care under Serviceloven
 * §83 with free choice of provider, and care homes whose residents are replaced at about 50 % a
 * year. The document proposes a flexible home-care package so that more citizens stay at home
 * instead of moving to a care home.
 *
 * Figures from the document: home-care budget 2022 255,283,723 kr; 478 FTE; about 2,500
 * citizens receiving home care (2020); care-home residents replaced at about 50 % a year (a
 * constant exit rate of 0.69 a year). The preset `slagelse-homecare` holds them, with the
 * assumptions it names (age groups, 520 places in five homes).
 *
 * The flexible package is modelled as an intervention that lowers care-home applicants by 20 %
 * over a year from 1 January 2024 (an assumption: the document gives no size). The example runs
 * the preset with and without it and compares the care homes' waiting list, the citizens placed
 * outside the municipality and the cost of both services.
 *
 * Run with `npx tsx examples/slagelse.ts [paths]`.
 */
import {
  describe,
  formatStrategyComparison,
  metricValues,
  figureValues,
  simulate,
  slagelseHomeCare,
  type ScenarioInput,
  type SimulationResult,
} from '../src/index';
import { pathsArgument } from './paths';

/** The flexible package: 20 % fewer care-home applicants, ramped in over 2024 (an assumption). */
export function withFlexiblePackage(scenario: ScenarioInput): ScenarioInput {
  return {
    ...scenario,
    interventions: [
      ...(scenario.interventions ?? []),
      { id: 'flexible-package', kind: 'flexiblePackage', from: '2024-01-01', rampMonths: 12, effect: 0.2 },
    ],
  };
}

/** One line of the comparison: a year's means without and with the flexible package. */
export interface SlagelseRow {
  readonly year: number;
  readonly waiting: readonly [number, number];
  readonly externalPlacements: readonly [number, number];
  readonly homeCareCostKr: readonly [number, number];
  readonly careHomeCostKr: readonly [number, number];
}

/** Runs Slagelse without and with the flexible package under frame steering. */
export function slagelseExample(paths = 2000): {
  readonly base: SimulationResult;
  readonly flexible: SimulationResult;
  readonly rows: SlagelseRow[];
} {
  const base = simulate({ ...slagelseHomeCare(), paths });
  const flexible = simulate({ ...withFlexiblePackage(slagelseHomeCare()), paths });
  const mean = (r: SimulationResult, read: (r: SimulationResult) => Float64Array) => describe(read(r)).mean;
  const both = (read: (r: SimulationResult) => Float64Array) => [mean(base, read), mean(flexible, read)] as const;
  const rows = base.years.map((year) => ({
    year,
    waiting: both((r) => metricValues(r, { strategy: 'frame', year, metric: 'care-homes.waiting' })),
    externalPlacements: both((r) =>
      metricValues(r, { strategy: 'frame', year, metric: 'care-homes.externalPlacements' }),
    ),
    homeCareCostKr: both((r) =>
      figureValues(r, { strategy: 'frame', service: 'home-care', year, figure: 'actualCostKr' }),
    ),
    careHomeCostKr: both((r) =>
      figureValues(r, { strategy: 'frame', service: 'care-homes', year, figure: 'actualCostKr' }),
    ),
  }));
  return { base, flexible, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = pathsArgument(2000);
  const { base, rows } = slagelseExample(paths);
  console.log(
    `Slagelse, ${paths} paths: deviations in % of the adopted budget (positive = overspend), without the flexible package\n`,
  );
  console.log(formatStrategyComparison(base, { years: [2023, 2027, 2032] }));
  console.log('\nFrame steering, means without -> with the flexible package');
  console.log('Year   waiting list   placed outside   home care m kr     care homes m kr');
  const m = (x: number) => (x / 1e6).toFixed(1);
  for (const r of rows) {
    console.log(
      `${r.year}  ${r.waiting[0].toFixed(0).padStart(5)} -> ${r.waiting[1].toFixed(0).padEnd(5)} ${r.externalPlacements[0].toFixed(0).padStart(6)} -> ${r.externalPlacements[1].toFixed(0).padEnd(6)} ${m(r.homeCareCostKr[0]).padStart(7)} -> ${m(r.homeCareCostKr[1]).padEnd(7)} ${m(r.careHomeCostKr[0]).padStart(7)} -> ${m(r.careHomeCostKr[1])}`,
    );
  }
}
