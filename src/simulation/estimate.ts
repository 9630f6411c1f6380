import type { Scenario } from '../scenario/schema';
import type { ServiceDefinition } from '../services/service';
import { baselinePopulation } from '../drivers/population';
import { resultBytesPerPath as bytesPerPath } from './result';
import { scenarioServices } from './assemble';
import { SimulationError } from './errors';

/**
 * The limits a run is checked against before it starts (see {@link estimateRun}).
 *
 * @category Simulation
 */
export interface RunLimits {
  /** Bytes of per-path results (default 2 GiB, 2³¹ bytes: a typed array beyond it fails to allocate on many machines). */
  readonly maxResultBytes?: number;
  /**
   * Steps of the whole run (default 10¹⁰: a step is about 0.1 µs of one core, so about 17 minutes
   * of one core; see {@link STEPS_PER_MINUTE}).
   */
  readonly maxSteps?: number;
  /** Steps of one path (default 10⁹: one path alone would take minutes and its care-home waiting list could hold gigabytes). */
  readonly maxStepsPerPath?: number;
}

/** The default {@link RunLimits}. @category Simulation */
export const DEFAULT_RUN_LIMITS: Required<RunLimits> = Object.freeze({
  maxResultBytes: 2 ** 31,
  maxStepsPerPath: 1e9,
  maxSteps: 1e10,
});

/**
 * Steps of {@link estimateRun} that one core does in about a minute (a step is about 0.1 µs,
 * measured on the presets; the estimate is an upper bound of the right order, not a prediction).
 * A limit of minutes is `maxSteps: minutes * STEPS_PER_MINUTE`.
 *
 * @category Simulation
 */
export const STEPS_PER_MINUTE = 6e8;

/** Steps of a service's step in one period, per strategy and unit (home care: about 2 µs). */
const SERVICE_STEP = 20;
/** Steps of one specialised case carried through a period (about 15 ns). */
const CASE_STEP = 0.15;
/**
 * The care homes' baseline paths record every month's figures for their mean: each costs about
 * twice a path's care-home work.
 */
const BASELINE_PATH = 2;

/** What a run will need, from {@link estimateRun}. @category Simulation */
export interface RunEstimate {
  /** Bytes of per-path results: every figure per strategy, service, year and path, and every metric per strategy, year and path. */
  readonly resultBytesPerPath: number;
  readonly resultBytes: number;
  /**
   * Steps of one path, a step being about 0.1 µs of one core ({@link STEPS_PER_MINUTE}): a
   * service's step in a period (per strategy for a service steered by it, and per unit of a
   * split service) counts 20, the care homes 1 a period, 1 a resident at the start, 2 an
   * applicant (the arrival and the place's exit), each resident's exit ½ more (its place in
   * the calendar queue of exits) and each admission ⅛ a home (the homes are searched in order
   * for a free place), every specialised case drawn 1 and every open case in every period 0.15.
   */
  readonly stepsPerPath: number;
  /** Steps of the whole run: every path's, the care homes' baseline paths (each counted twice) and {@link RunEstimate.extraSteps}. */
  readonly steps: number;
  /** Of {@link RunEstimate.steps}, those of the care homes' baseline paths (simulated once a run). */
  readonly baselineSteps: number;
  /** Of {@link RunEstimate.steps}, those of work after the paths (a sensitivity analysis's bootstrap). */
  readonly extraSteps: number;
}

/**
 * Estimates a run's memory and work from its scenario before anything runs: the bytes of
 * per-path results and the number of steps (see {@link RunEstimate}). The estimate is an
 * upper bound of the right order, not a prediction of time.
 *
 * @param scenario - a validated scenario
 * @param options - `paths` (default the scenario's), the number of `strategies` (default the
 *   scenario's), the model's `services` (default those the scenario describes: their number
 *   and metrics size the results; the work counted is that of the scenario's own services) and
 *   `extraSteps`, work after the paths (default 0)
 * @returns the estimate
 * @example
 * ```ts
 * const e = estimateRun(parseScenario(lejre2034()), { paths: 1000 });
 * e.resultBytes; //=> 4048000
 * ```
 * @category Simulation
 */
export function estimateRun(
  scenario: Scenario,
  options: {
    readonly paths?: number;
    readonly strategies?: number;
    readonly services?: readonly Pick<ServiceDefinition, 'metrics'>[];
    readonly extraSteps?: number;
  } = {},
): RunEstimate {
  const paths = options.paths ?? scenario.paths;
  const S = options.strategies ?? scenario.strategies.length;
  const H = scenario.horizonYears;
  const ppy = scenario.step === 'month' ? 12 : scenario.step === 'quarter' ? 4 : 1;
  const P = ppy * H;
  const definitions = options.services ?? scenarioServices(scenario);
  let steps = 0;
  /** Work done once per run (and worker), not per path. */
  let onceSteps = 0;
  const hc = scenario.homeCare;
  if (hc !== undefined) {
    const units = hc.units?.length ?? 1;
    steps += SERVICE_STEP * S * P * units;
  }
  const ch = scenario.careHomes;
  if (ch !== undefined) {
    const places = ch.homes.reduce(
      (a, h) => a + h.capacityChanges.reduce((m, c) => Math.max(m, c.places), h.places),
      0,
    );
    const stay = ch.stay;
    const meanYears =
      stay.kind === 'constant'
        ? 1 / stay.exitPerYear
        : stay.shortShare * stay.shortMeanYears + (1 - stay.shortShare) * stay.longMeanYears;
    const groups = scenario.population.groups;
    const g = groups.findIndex((x) => x.id === ch.applicantGroup);
    const pop = baselinePopulation(scenario.population, scenario.baseYear, H);
    const G = groups.length;
    const pop0 = pop[g] ?? 0;
    const rate = ch.applicantsPerCitizenPerYear ?? (pop0 > 0 ? places / meanYears / pop0 : 0);
    let applicants = 0;
    // A forecast error of a few standard deviations can double a group: count twice the baseline.
    for (let y = 1; y <= H; y++) applicants += 2 * rate * (pop[y * G + g] ?? 0);
    // The applicant recursion: each applicant is served once (an arrival, perhaps a stay drawn
    // and booked) and each resident's exit and ready place are one event, through a calendar
    // queue of the residents' exits (O(1) an exit); every period is at least one. The baseline
    // simulates `baselinePaths` such paths once per run. An admission looks through the homes in
    // order for the first with a free place.
    const careSteps = P + places + 2 * applicants + (places + applicants) / 2 + (applicants * ch.homes.length) / 8;
    steps += careSteps;
    onceSteps += BASELINE_PATH * ch.baselinePaths * careSteps;
  }
  const sp = scenario.specialised;
  if (sp !== undefined) {
    const inflow = sp.inflowPerYear + sp.transitionsAt18PerYear;
    const open = sp.casesAtStart + Math.min(inflow * H, inflow / sp.exitPerYear);
    steps += CASE_STEP * P * open + sp.casesAtStart + inflow * H;
  }
  const resultBytesPerPath = bytesPerPath(S, definitions, H);
  const stepsPerPath = Math.ceil(steps);
  const baselineSteps = Math.ceil(onceSteps);
  const extraSteps = Math.ceil(options.extraSteps ?? 0);
  return {
    resultBytesPerPath,
    resultBytes: resultBytesPerPath * paths,
    stepsPerPath,
    steps: stepsPerPath * paths + baselineSteps + extraSteps,
    baselineSteps,
    extraSteps,
  };
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
const count = (n: number) => (n >= 1e6 ? n.toExponential(2) : String(Math.round(n)));
/** Minutes or hours of one core, at {@link STEPS_PER_MINUTE}. */
const duration = (steps: number) => {
  const minutes = steps / STEPS_PER_MINUTE;
  if (minutes >= 120) return `${(minutes / 60).toPrecision(3)} hours`;
  if (minutes >= 1) return `${minutes.toPrecision(3)} minutes`;
  return `${Math.max(1, Math.round(minutes * 60))} seconds`;
};
/** How to raise the work limit knowingly. */
const RAISE =
  'or, to run it knowingly, raise the limit (limits.maxSteps in the API; --max-minutes on the command line, at 6e8 steps a minute)';

/**
 * Refuses a run whose estimate exceeds the limits, before any work, saying what it needs and
 * what to change. {@link runModel} calls it for its own paths; a caller checks a whole run
 * itself only where work comes before the run (threads started, chunks split).
 *
 * @param scenario - a validated scenario
 * @param options - the run's paths and number of strategies, whether it keeps per-path results,
 *   the limits (default {@link DEFAULT_RUN_LIMITS}) and the model's services (see
 *   {@link estimateRun}); `simulated: false` for paths simulated elsewhere (the merge of a
 *   sharded analysis's parts): then only their per-path results' memory and the work after
 *   them (`extraSteps`) are checked
 * @returns the estimate, when within the limits
 * @throws {@link SimulationError} `RUN_TOO_LARGE` when a path's work, the per-path results'
 *   memory or the run's work exceeds its limit
 * @example
 * ```ts
 * checkRunSize(scenario, { paths: 1000, strategies: 2, perPathResults: true, limits: { maxSteps: 1e9 } });
 * ```
 * @internal
 */
export function checkRunSize(
  scenario: Scenario,
  options: {
    readonly paths: number;
    readonly strategies: number;
    readonly perPathResults: boolean;
    readonly limits?: RunLimits | undefined;
    readonly services?: readonly Pick<ServiceDefinition, 'metrics'>[];
    readonly extraSteps?: number;
    readonly simulated?: boolean;
  },
): RunEstimate {
  // Field by field: a limit given as undefined is the default, not no limit.
  const given = options.limits ?? {};
  const limits = {
    maxResultBytes: given.maxResultBytes ?? DEFAULT_RUN_LIMITS.maxResultBytes,
    maxSteps: given.maxSteps ?? DEFAULT_RUN_LIMITS.maxSteps,
    maxStepsPerPath: given.maxStepsPerPath ?? DEFAULT_RUN_LIMITS.maxStepsPerPath,
  };
  const e = estimateRun(scenario, options);
  const simulated = options.simulated ?? true;
  if (simulated && e.stepsPerPath > limits.maxStepsPerPath) {
    throw new SimulationError(
      `one path of this scenario needs about ${count(e.stepsPerPath)} steps (about ${duration(e.stepsPerPath)} of one core), above the limit of ${count(limits.maxStepsPerPath)} (limits.maxStepsPerPath): it would not finish in reasonable time. Check the care homes' stays and applicants and the specialised area's cases and inflow (they are simulated one by one), or shorten the horizon`,
      { code: 'RUN_TOO_LARGE', value: e.stepsPerPath },
    );
  }
  if (options.perPathResults && e.resultBytes > limits.maxResultBytes) {
    throw new SimulationError(
      `per-path results of this run need ${gib(e.resultBytes)} (${e.resultBytesPerPath} bytes a path × ${options.paths} paths), above the limit of ${gib(limits.maxResultBytes)}: use streaming summaries (simulateSummary, or summaryMode "streaming" in simulateParallel), fewer paths or a shorter horizon`,
      { code: 'RUN_TOO_LARGE', value: e.resultBytes },
    );
  }
  if (!simulated && e.extraSteps > limits.maxSteps) {
    throw new SimulationError(
      `the work after this run's paths (the bootstrap) needs about ${count(e.extraSteps)} steps, about ${duration(e.extraSteps)} of one core, above the limit of ${count(limits.maxSteps)} (about ${duration(limits.maxSteps)}): use fewer bootstrap resamples, ${RAISE}`,
      { code: 'RUN_TOO_LARGE', value: e.extraSteps },
    );
  }
  if (simulated && e.steps > limits.maxSteps) {
    throw new SimulationError(
      `this run needs about ${count(e.steps)} steps, about ${duration(e.steps)} of one core (${count(e.stepsPerPath)} a path with ${options.strategies} strategies × ${options.paths} paths${e.baselineSteps > 0 ? `, ${count(e.baselineSteps)} for the care homes' baseline paths` : ''}${e.extraSteps > 0 ? `, ${count(e.extraSteps)} for the bootstrap` : ''}), above the limit of ${count(limits.maxSteps)} (about ${duration(limits.maxSteps)}): use fewer paths (or a convergence criterion that stops early)${e.extraSteps > 0 ? ' or fewer bootstrap resamples' : ''} or a shorter horizon, ${RAISE}`,
      { code: 'RUN_TOO_LARGE', value: e.steps },
    );
  }
  return e;
}
