/**
 * A service of your own: rehabilitation courses under Serviceloven §83a, written against the
 * public ServiceDefinition interface and run beside Lejre's built-in care homes and home care,
 * steered, compared and reported like any service.
 *
 * Run with `npx tsx examples/rehabilitation.ts`.
 */
import {
  activity,
  buildModel,
  createHistory,
  deriveStream,
  formatStrategyComparison,
  frame,
  lejre2034,
  OptionError,
  parseScenario,
  poissonSampler,
  runModel,
  streamKey,
  type ServiceDefinition,
  type ServiceHistory,
  type ServiceSetup,
  type World,
} from '../src/index';

export interface RehabilitationOptions {
  /** Courses a year per citizen of the group (for example 0.06 of the 80+). */
  readonly coursesPerCitizenPerYear: number;
  /** The population group the courses come from. */
  readonly group: string;
  /** Cost of a course (kr, base-year prices). */
  readonly costPerCourseKr: number;
}

/** Rehabilitation courses: a Poisson number a month, in proportion to a population group. */
export function rehabilitation(options: RehabilitationOptions): ServiceDefinition {
  return {
    id: 'rehabilitation',
    label: 'Rehabilitation (§83a)',
    labels: { en: 'Rehabilitation (§ 83a)', da: 'Genoptræning (§ 83a)' },
    activityUnit: 'courses',
    metrics: [{ id: 'courses', label: 'Courses started', aggregate: 'sum' }],
    create(setup: ServiceSetup) {
      const { timeline, baselineWorld } = setup;
      const g = baselineWorld.groupIds.indexOf(options.group);
      if (g < 0)
        throw new OptionError(
          `rehabilitation: group must be one of the scenario's population groups (${baselineWorld.groupIds.map((id) => `"${id}"`).join(', ')}); received "${options.group}"`,
          { option: 'rehabilitation: group', received: options.group },
        );
      const G = baselineWorld.groupIds.length;
      const key = streamKey(setup.seed, 'rehabilitation');
      const baseline = createHistory(timeline.horizonYears + 1);
      for (let y = 0; y <= timeline.horizonYears; y++) {
        const courses = options.coursesPerCitizenPerYear * baselineWorld.population[y * G + g]!;
        baseline.neededUnits[y] = baseline.orderedUnits[y] = baseline.deliveredUnits[y] = courses;
        baseline.costKr[y] = courses * options.costPerCourseKr * baselineWorld.priceIndex[y]!;
      }
      let rng = deriveStream(key, 0);
      return {
        baseline,
        reset(path: number) {
          // The same draws for every strategy replaying the path; its own input group, so that a
          // sensitivity analysis can freeze or redraw it as one input.
          rng = deriveStream(key, setup.inputs?.path('rehabilitation', path, 'variability') ?? path);
        },
        step(p: number, world: World, out: ServiceHistory) {
          const y = timeline.periodYearIndex[p]!;
          const mean =
            (options.coursesPerCitizenPerYear * world.population[y * G + g]! * timeline.periodDays[p]!) /
            timeline.yearDays[y]!;
          const needed = poissonSampler(mean)(rng);
          const ordered = Math.round(needed * out.serviceLevel[p]!);
          out.neededUnits[p] = needed;
          out.orderedUnits[p] = ordered;
          out.deliveredUnits[p] = ordered;
          out.costKr[p] = ordered * options.costPerCourseKr * world.priceIndex[y]!;
          out.metrics[0]![p] = ordered;
        },
      };
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scenario = parseScenario({ ...lejre2034(), paths: 2000 });
  // Added to the scenario's own services: care homes, then home care, then rehabilitation.
  const model = buildModel(scenario, {
    services: [rehabilitation({ group: '80+', coursesPerCitizenPerYear: 0.06, costPerCourseKr: 18_000 })],
  });
  const result = runModel(model, [frame({ serviceResponse: {} }), activity()]);
  console.log('Rehabilitation (§83a) beside care homes and home care, Lejre 2024-2034\n');
  console.log(formatStrategyComparison(result, { service: 'rehabilitation' }));
}
