import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { parse } from 'date-fns/parse';
import type { CareHomesSpec } from '../scenario/schema';
import { AleaGenerator, streamKey, type StreamKey } from '../random/stream';
import { CareHomesPath, Periods, StaySampler } from './careHomesPath';
import type { World } from '../drivers/world';
import { InterventionEffects, interventionsOn } from './interventions';
import { plainInputs, type InputSources } from '../random/inputs';
import {
  createHistory,
  type ActivityLine,
  type ServiceBaseline,
  type ServiceDefinition,
  type ServiceHistory,
  type ServiceInstance,
  type ServiceMetric,
  type ServiceSetup,
} from './service';
import { OptionError } from '../errors';

export { StaySampler } from './careHomesPath';

/** The driver key of the care homes' applicants, on which interventions act. */
const APPLICANTS = 'care-homes.applicants';

/** The channel through which care homes tell home care how many hours a week waiting citizens need. @category Services */
export const WAITING_HOME_CARE_CHANNEL = 'home-care.extraHoursPerWeek';

const METRICS: readonly ServiceMetric[] = [
  { id: 'waiting', label: 'Citizens on the waiting list (average over the days)', aggregate: 'mean' },
  {
    id: 'guaranteeBreaches',
    label: 'Citizens placed externally on the day their waiting guarantee expired',
    aggregate: 'sum',
  },
  { id: 'externalPlacements', label: 'Citizens in external places (average over the days)', aggregate: 'mean' },
  { id: 'occupancy', label: 'Occupied share of own places (occupied place-days over place-days)', aggregate: 'mean' },
  { id: 'admissions', label: 'Admissions to own places', aggregate: 'sum' },
  { id: 'exits', label: 'Residents leaving own places', aggregate: 'sum' },
  {
    id: 'waitDaysOfAdmitted',
    label: 'Days waited, summed over the admitted (divide by admissions for the mean wait)',
    aggregate: 'sum',
  },
];
const M_WAITING = 0;
const M_BREACHES = 1;
const M_EXTERNAL = 2;
const M_OCCUPANCY = 3;
const M_ADMISSIONS = 4;
const M_EXITS = 5;
const M_WAIT_DAYS = 6;

/** Care homes' activity lines: own place-days at the homes' rate, external place-days at the external price. */
const LINES: readonly ActivityLine[] = [
  { id: 'own-place-days', label: 'Occupied place-days in own care homes' },
  { id: 'external-place-days', label: 'Place-days bought externally after the waiting guarantee expired' },
];
const OWN = 0;
const EXTERNAL = 1;

/**
 * Care homes (plejeboliger), a capacity service with a waiting list, simulated in continuous
 * time: every event happens on its own day, so results do not depend on the step. A path is
 * simulated by the applicant recursion (`CareHomesPath`): the applicants are taken one
 * by one in order of arrival, each admitted, placed externally or still waiting at the end, and
 * every stay and wait is booked into the periods it spans when it is known.
 *
 * - Each home has places (changing on the dates of `capacityChanges`), a fixed cost a year and
 *   a cost per place a year (so a large home is cheaper per place: economies of scale).
 * - Residents leave at the end of a stay drawn when they enter (event-time sampling, one draw
 *   per entry): a constant exit rate, or a mixture of short and long exponential stays. Those
 *   present at the start (`occupiedAtStart` of the places, rounded) have the stationary
 *   residual stay (long stays weighted by length).
 * - Applicants arrive as a Poisson process whose rate follows the applicant group (80+) year by
 *   year; a gap that crosses a change of rate is rescaled, so the process is exact for
 *   piecewise-constant rates. The default rate is the steady state of the start: as many
 *   applicants a year as the residents at the start leave, per citizen of the group in the
 *   base year.
 * - A place a resident leaves stays empty for `vacancyDays` (clearing, refurbishing, the
 *   offer), then is ready. An applicant moves in at once when a place is ready, else joins a
 *   first-come waiting list; a place that becomes ready or a new place goes to the first on the
 *   list that day (an applicant who finds several homes with a free place moves into the first
 *   in the scenario's order). A citizen still waiting on the day the guarantee expires
 *   (`guaranteeDays` after applying) is placed externally that day at `externalKrPerDay`, for
 *   a stay drawn like any other, and does not return to the municipality's homes.
 * - While they wait, citizens get `homeCareHoursPerWeekWhileWaiting` hours of home care, which
 *   the home-care service pays (through the channel {@link WAITING_HOME_CARE_CHANNEL}: the
 *   period's average waiting list times those hours).
 * - Two activity lines: occupied place-days in own homes and external place-days, each counted
 *   from the days actually occupied. Needed place-days add the days citizens wait. Cost: the
 *   homes' fixed costs and their places' costs by the days each place exists, plus external
 *   place-days at the external price, times the actual price index.
 * - The baseline (what budgets and prices are set from) is the mean of `baselinePaths` paths
 *   simulated once per run on the baseline world: baseline population, forecast price index,
 *   interventions at their mean effects. So it holds the expected occupancy, waiting list and
 *   external placements, and the own place-day is priced at the occupancy it projects.
 * - Metrics: waiting list, guarantee breaches, external placements, occupancy, admissions,
 *   exits, days waited.
 *
 * Care homes do not depend on the steering ({@link ServiceDefinition.independentOfSteering}):
 * a path is simulated once, from a stream keyed by the service id and path, and every strategy
 * sees the same care-home path.
 *
 * @param spec - the scenario's `careHomes` section (validated)
 * @param id - the service id (default `"care-homes"`)
 * @returns a service plug-in
 * @example
 * ```ts
 * const [homes] = careHomes(parseScenario(lejre2034()).careHomes!);
 * homes!.activityUnit; //=> 'place-days'
 * ```
 * @category Services
 */
export function careHomes(spec: CareHomesSpec, id = 'care-homes'): ServiceDefinition[] {
  return [
    {
      id,
      label: spec.label,
      activityUnit: 'place-days',
      metrics: METRICS,
      activityLines: LINES,
      independentOfSteering: true,
      create: (setup) => new CareHomesInstance(spec, id, setup),
    },
  ];
}

/** The expected care-home path by year (index 0 = base year): the baseline and its channel. */
interface CareHomesBaseline {
  readonly baseline: ServiceBaseline;
  /** Expected home-care hours a week of the waiting, by year. */
  readonly waitingHoursPerWeek: Float64Array;
}

/**
 * Baselines made in this thread, by everything they are made from ({@link baselineKey}); the
 * most recently used {@link BASELINES_KEPT} are kept. The baseline's paths are most of a short
 * run's time (about 33 ms of the 39 a run of 10 paths of `lejre-2034` took), and runs of the
 * same care homes come one after another: a kept pool's runs, a browser's run in chunks of
 * paths (docs/web.md), the explorer's runs as a reader moves the other inputs, a notebook's
 * runs of one scenario under other strategies. Each of them makes the baseline once.
 */
const madeBaselines = new Map<string, CareHomesBaseline>();
const BASELINES_KEPT = 16;

/**
 * What a care-home baseline is made from, as one string: the service's id (its streams and its
 * interventions), the seed, the care homes' section, the interventions on their applicants and
 * their savings plans (those {@link InterventionEffects} reads for them), the timeline (its
 * years, its periods' starts, days and years, its years' days), and the baseline world's
 * population and price index. Finite numbers print exactly (JSON's shortest round trip); -0,
 * NaN and the infinities, which JSON would print as 0 or null, print as `#-0`, `#NaN`,
 * `#Infinity` and `#-Infinity`, and a string that begins with `#` gets another in front. So
 * equal keys mean equal inputs.
 */
function baselineKey(spec: CareHomesSpec, id: string, setup: ServiceSetup): string {
  const { timeline, baselineWorld: world } = setup;
  return JSON.stringify(
    [
      id,
      setup.seed,
      spec,
      interventionsOn(setup.interventions, id, APPLICANTS),
      interventionsOn(setup.interventions, id, 'savings'),
      timeline.years,
      timeline.periodStart.map((d) => d.getTime()),
      Array.from(timeline.periodDays),
      Array.from(timeline.periodYearIndex),
      Array.from(timeline.yearDays),
      world.groupIds,
      Array.from(world.population),
      Array.from(world.priceIndex),
    ],
    (_, v: unknown) =>
      typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
        ? `#${Object.is(v, -0) ? '-0' : v}`
        : typeof v === 'string' && v.startsWith('#')
          ? `#${v}`
          : v,
  );
}

/**
 * Forgets the care-home baselines made so far in this thread (for tests of the memory itself).
 *
 * @returns how many there were
 * @internal
 */
export function forgetCareHomeBaselines(): number {
  const n = madeBaselines.size;
  madeBaselines.clear();
  return n;
}

/**
 * A path of the care homes: the homes' layout from the scenario, the baseline, and a
 * `CareHomesPath` simulated once a path and read period by period. Its fields are
 * protected, not private, so that the event loop of test/services/careHomes.reference.ts can
 * subclass it (the same layout and baseline, another algorithm for the path).
 *
 * @internal
 */
export class CareHomesInstance implements ServiceInstance {
  readonly baseline: ServiceBaseline;
  protected readonly key: StreamKey;
  protected readonly inputs: InputSources;
  protected readonly spec: CareHomesSpec;
  protected readonly setup: ServiceSetup;
  protected readonly stay: StaySampler;
  protected readonly H: number;
  /** Day (from the first simulated day) each period starts; entry P is the horizon's end. */
  protected readonly periodStartDay: Float64Array;
  /** Places of each home on the first simulated day. */
  protected readonly initialPlaces: Int32Array;
  /** Capacity changes after the first day, in time order: day, home, new places. */
  protected readonly changeDay: Float64Array;
  protected readonly changeHome: Int32Array;
  protected readonly changePlaces: Int32Array;
  protected readonly groupIndex: number;
  protected readonly applicantRate: number;
  protected readonly linkIndex: number;
  protected readonly onApplicants: InterventionEffects;
  protected readonly onSavings: InterventionEffects;
  protected readonly rng = new AleaGenerator();
  /** The path, simulated at the first step after a reset. */
  private readonly path: CareHomesPath;
  private readonly applicantsPerDay: Float64Array;
  private simulated = false;

  constructor(spec: CareHomesSpec, id: string, setup: ServiceSetup) {
    this.spec = spec;
    this.setup = setup;
    this.key = streamKey(setup.seed, id);
    this.inputs = setup.inputs ?? plainInputs();
    this.stay = new StaySampler(spec.stay);
    const { timeline, baselineWorld } = setup;
    const P = timeline.periodCount;
    this.H = timeline.horizonYears;
    this.periodStartDay = new Float64Array(P + 1);
    for (let p = 0; p < P; p++) this.periodStartDay[p + 1] = this.periodStartDay[p]! + timeline.periodDays[p]!;
    const first = timeline.periodStart[0]!;
    const homes = spec.homes;
    this.initialPlaces = Int32Array.from(homes, (h) => h.places);
    const changes: { day: number; home: number; places: number }[] = [];
    homes.forEach((home, h) => {
      for (const c of home.capacityChanges) {
        const day = differenceInCalendarDays(parse(c.from, 'yyyy-MM-dd', first), first);
        changes.push({ day, home: h, places: c.places });
      }
    });
    changes.sort((a, b) => a.day - b.day || a.home - b.home);
    for (const c of changes) if (c.day <= 0) this.initialPlaces[c.home] = c.places;
    const later = changes.filter((c) => c.day > 0);
    this.changeDay = Float64Array.from(later, (c) => c.day);
    this.changeHome = Int32Array.from(later, (c) => c.home);
    this.changePlaces = Int32Array.from(later, (c) => c.places);
    const initialResidents = Int32Array.from(homes, (h, i) => Math.round(this.initialPlaces[i]! * h.occupiedAtStart));
    const periods = new Periods(this.periodStartDay);
    const within = later.filter((c) => c.day < periods.endDay);
    this.path = new CareHomesPath({
      periods,
      stay: this.stay,
      guaranteeDays: spec.guaranteeDays,
      vacancyDays: spec.vacancyDays,
      initialPlaces: this.initialPlaces,
      initialResidents,
      fixedCostKrPerYear: Float64Array.from(homes, (h) => h.fixedCostKrPerYear),
      costPerPlaceKrPerYear: Float64Array.from(homes, (h) => h.costPerPlaceKrPerYear),
      changeDay: Float64Array.from(within, (c) => c.day),
      changeHome: Int32Array.from(within, (c) => c.home),
      changePlaces: Int32Array.from(within, (c) => c.places),
    });
    this.applicantsPerDay = new Float64Array(P);
    this.groupIndex = baselineWorld.groupIds.indexOf(spec.applicantGroup);
    const residents0 = initialResidents.reduce((a, n) => a + n, 0);
    const group0 = baselineWorld.population[this.groupIndex]!;
    this.applicantRate =
      spec.applicantsPerCitizenPerYear ?? (group0 > 0 ? residents0 / (this.stay.meanDays / 365.25) / group0 : 0);
    this.linkIndex = setup.links.channel(WAITING_HOME_CARE_CHANNEL);
    this.onApplicants = new InterventionEffects(setup, id, APPLICANTS);
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    const published = setup.links.baselineValues(this.linkIndex);
    if (published.length < this.H + 1) {
      throw new OptionError(
        `careHomes: the links hold ${published.length} years of baselines; the run needs ${this.H + 1} (createLinks(capacity, horizonYears + 1))`,
      );
    }
    const key = baselineKey(spec, id, setup);
    let expected = madeBaselines.get(key);
    if (expected === undefined) {
      expected = this.simulateBaseline(id);
      if (madeBaselines.size >= BASELINES_KEPT) madeBaselines.delete(madeBaselines.keys().next().value!);
    } else {
      // Used again: to the back of the line, the last to be dropped.
      madeBaselines.delete(key);
    }
    madeBaselines.set(key, expected);
    // A copy: strategies read the baseline through their setup, and one that wrote into it
    // would otherwise change the next run's.
    this.baseline = structuredClone(expected.baseline);
    published.set(expected.waitingHoursPerWeek);
  }

  /**
   * The expected path: the mean of `baselinePaths` paths on the baseline world, with the
   * interventions' effects at their means, from a stream of its own.
   */
  private simulateBaseline(id: string): CareHomesBaseline {
    const { timeline, baselineWorld } = this.setup;
    const P = timeline.periodCount;
    const H = this.H;
    const K = this.spec.baselinePaths;
    const key = streamKey(this.setup.seed, `${id}#baseline`);
    const scratch = createHistory(P, METRICS.length, LINES.length);
    const own = new Float64Array(H + 1);
    const external = new Float64Array(H + 1);
    const waiting = new Float64Array(H + 1);
    const cost = new Float64Array(H + 1);
    this.onApplicants.useMeans();
    this.onSavings.useMeans();
    for (let k = 0; k < K; k++) {
      this.rng.seed(key, k);
      this.simulatePath(baselineWorld);
      for (let p = 0; p < P; p++) {
        this.writePeriod(p, baselineWorld, scratch);
        const y = timeline.periodYearIndex[p]!;
        own[y] = own[y]! + scratch.lines[OWN]!.deliveredUnits[p]! / K;
        external[y] = external[y]! + scratch.lines[EXTERNAL]!.deliveredUnits[p]! / K;
        waiting[y] = waiting[y]! + (scratch.neededUnits[p]! - scratch.deliveredUnits[p]!) / K;
        cost[y] = cost[y]! + scratch.costKr[p]! / K;
      }
    }
    // The base year is not simulated: its homes at their starting places and occupancy.
    const days0 = timeline.yearDays[0]!;
    own[0] = this.spec.homes.reduce((a, h, i) => a + Math.round(this.initialPlaces[i]! * h.occupiedAtStart), 0) * days0;
    cost[0] = this.spec.homes.reduce(
      (a, h, i) =>
        a + (this.initialPlaces[i]! > 0 ? h.fixedCostKrPerYear : 0) + h.costPerPlaceKrPerYear * this.initialPlaces[i]!,
      0,
    );
    const history = createHistory(H + 1, 0, LINES.length);
    const G = baselineWorld.groupIds.length;
    const costByGroupKr = new Float64Array((H + 1) * G);
    const ownPrice = new Float64Array(H + 1);
    const externalPrice = new Float64Array(H + 1);
    const waitingHoursPerWeek = new Float64Array(H + 1);
    for (let y = 0; y <= H; y++) {
      const index = baselineWorld.priceIndex[y]!;
      const total = own[y]! + external[y]!;
      history.costKr[y] = y === 0 ? cost[0]! * index : cost[y]!;
      history.neededUnits[y] = total + waiting[y]!;
      history.orderedUnits[y] = total;
      history.deliveredUnits[y] = total;
      for (const [l, units] of [own, external].entries()) {
        history.lines[l]!.orderedUnits[y] = units[y]!;
        history.lines[l]!.deliveredUnits[y] = units[y]!;
      }
      externalPrice[y] = this.spec.externalKrPerDay * index;
      ownPrice[y] = own[y]! > 0 ? (history.costKr[y]! - external[y]! * externalPrice[y]!) / own[y]! : 0;
      waitingHoursPerWeek[y] = (waiting[y]! / timeline.yearDays[y]!) * this.spec.homeCareHoursPerWeekWhileWaiting;
      // Its cost belongs to the applicant group, whose size drives demand (demographic regulation).
      costByGroupKr[y * G + this.groupIndex] = history.costKr[y]!;
    }
    const baseline: ServiceBaseline = {
      ...history,
      costByGroupKr,
      lines: [
        { ...history.lines[OWN]!, priceKrPerDeliveredUnit: ownPrice },
        { ...history.lines[EXTERNAL]!, priceKrPerDeliveredUnit: externalPrice },
      ],
    };
    return { baseline, waitingHoursPerWeek };
  }

  reset(path: number): void {
    this.onApplicants.reset(path);
    this.onSavings.reset(path);
    this.rng.seed(this.key, this.inputs.path('care-home-flows', path, 'variability'));
    this.simulated = false;
  }

  /** Applicants a day in period p on this path: the rate per citizen of the group, after the interventions. */
  protected applicantsPerDayIn(p: number, world: World): number {
    const y = this.setup.timeline.periodYearIndex[p]!;
    return (
      (this.applicantRate *
        this.onApplicants.factor(p) *
        world.population[y * world.groupIds.length + this.groupIndex]!) /
      365.25
    );
  }

  /** Simulates the whole path from the generator's stream (the world holds the path's population for every year). */
  private simulatePath(world: World): void {
    for (let p = 0; p < this.applicantsPerDay.length; p++) this.applicantsPerDay[p] = this.applicantsPerDayIn(p, world);
    this.path.simulate(this.rng, this.applicantsPerDay);
    this.simulated = true;
  }

  step(p: number, world: World, out: ServiceHistory): void {
    if (!this.simulated) this.simulatePath(world);
    this.writePeriod(p, world, out);
  }

  /** Writes period p of the simulated path: cost, units, lines, metrics and the waiting list's home care. */
  private writePeriod(p: number, world: World, out: ServiceHistory): void {
    const path = this.path;
    const y = this.setup.timeline.periodYearIndex[p]!;
    const days = this.periodStartDay[p + 1]! - this.periodStartDay[p]!;
    const occupiedDays = path.occupiedDays[p]!;
    const externalDays = path.externalDays[p]!;
    const waitingDays = path.waitingDays[p]!;
    const placeDays = path.placeDays[p]!;
    const capacityKr = (path.fixedCostDays[p]! + path.placeCostDays[p]!) / this.setup.timeline.yearDays[y]!;
    const cost =
      capacityKr + externalDays * this.spec.externalKrPerDay + this.onApplicants.costKr[p]! - this.onSavings.savings(p);
    out.costKr[p] = cost * world.priceIndex[y]!;
    out.neededUnits[p] = occupiedDays + externalDays + waitingDays;
    out.orderedUnits[p] = occupiedDays + externalDays;
    out.deliveredUnits[p] = occupiedDays + externalDays;
    const own = out.lines[OWN]!;
    own.orderedUnits[p] = occupiedDays;
    own.deliveredUnits[p] = occupiedDays;
    const ext = out.lines[EXTERNAL]!;
    ext.orderedUnits[p] = externalDays;
    ext.deliveredUnits[p] = externalDays;
    const m = out.metrics;
    m[M_WAITING]![p] = waitingDays / days;
    m[M_BREACHES]![p] = path.breaches[p]!;
    m[M_EXTERNAL]![p] = externalDays / days;
    m[M_OCCUPANCY]![p] = placeDays > 0 ? occupiedDays / placeDays : 0;
    m[M_ADMISSIONS]![p] = path.admissions[p]!;
    m[M_EXITS]![p] = path.exits[p]!;
    m[M_WAIT_DAYS]![p] = path.waitDaysOfAdmitted[p]!;
    this.setup.links.values[this.linkIndex] = (waitingDays / days) * this.spec.homeCareHoursPerWeekWhileWaiting;
  }
}
