import { differenceInCalendarDays, parse } from 'date-fns';
import type { CareHomesSpec } from '../scenario/schema';
import { kTable, standardExponentialOf, standardExponentialRest, wTable } from '../random/exponential';
import { AleaGenerator, INV_2_32, streamKey, type StreamKey } from '../random/stream';
import type { World } from '../drivers/world';
import { InterventionEffects } from './interventions';
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
 * time: every event happens on its own day, so results do not depend on the step.
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
 *   list that day. A citizen
 *   still waiting on the day the guarantee expires (`guaranteeDays` after applying) is placed
 *   externally that day at `externalKrPerDay`, for a stay drawn like any other, and does not
 *   return to the municipality's homes.
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
  // The baseline paths are simulated once per model, not once per call of the engine.
  const baselines = new WeakMap<World, CareHomesBaseline[]>();
  return [
    {
      id,
      label: spec.label,
      activityUnit: 'place-days',
      metrics: METRICS,
      activityLines: LINES,
      independentOfSteering: true,
      create: (setup) => new CareHomesInstance(spec, id, setup, baselines),
    },
  ];
}

/** The expected care-home path by year (index 0 = base year): the baseline and its channel, with what it was made from. */
interface CareHomesBaseline {
  readonly timeline: ServiceSetup['timeline'];
  readonly seed: ServiceSetup['seed'];
  readonly interventions: ServiceSetup['interventions'];
  readonly baseline: ServiceBaseline;
  /** Expected home-care hours a week of the waiting, by year. */
  readonly waitingHoursPerWeek: Float64Array;
}

/** Stay lengths in days. @internal */
export class StaySampler {
  /** Share of short stays among new entrants. */
  readonly shortShare: number;
  readonly shortMean: number;
  readonly longMean: number;
  /** Share of short stays among residents present at a given time (length-biased). */
  readonly residentShortShare: number;
  readonly meanDays: number;

  constructor(stay: CareHomesSpec['stay']) {
    if (stay.kind === 'constant') {
      this.shortShare = 0;
      this.shortMean = 365.25 / stay.exitPerYear;
      this.longMean = this.shortMean;
    } else {
      this.shortShare = stay.shortShare;
      this.shortMean = stay.shortMeanYears * 365.25;
      this.longMean = stay.longMeanYears * 365.25;
    }
    this.meanDays = this.shortShare * this.shortMean + (1 - this.shortShare) * this.longMean;
    this.residentShortShare = (this.shortShare * this.shortMean) / this.meanDays;
  }

  /** A new entrant's stay. */
  draw(g: AleaGenerator): number {
    return this.meanFor(this.shortShare, g) * standardExponentialOf(g);
  }

  /** The remaining stay of someone present (exponential stays are memoryless). */
  residual(g: AleaGenerator): number {
    return this.meanFor(this.residentShortShare, g) * standardExponentialOf(g);
  }

  /** The mean stay of a short stay with probability `share`: a uniform is drawn only when both kinds are possible. */
  private meanFor(share: number, g: AleaGenerator): number {
    if (share <= 0) return this.longMean;
    if (share >= 1) return this.shortMean;
    return g.next() < share ? this.shortMean : this.longMean;
  }
}

/**
 * Days that come in order, each at least the one before (the days vacated places are ready: an
 * exit's day plus the fixed vacancy days), with tags (a home's index): a first-in-first-out
 * array in which a day is put in its place among the last (equal days by tag), so they come out
 * as from a heap. Written by hand, in typed arrays with no object per entry, so the event loop
 * can keep its ends in local variables.
 *
 * @internal
 */
export class DayFifo {
  days: Float64Array;
  tags: Int32Array;
  first = 0;
  end = 0;

  constructor(capacity: number) {
    this.days = new Float64Array(Math.max(4, capacity));
    this.tags = new Int32Array(this.days.length);
  }

  clear(): void {
    this.first = 0;
    this.end = 0;
  }

  /** Room for one more at the end: the entries moved to the front, the arrays doubled if full. */
  makeRoom(): void {
    if (this.first > 0) {
      this.days.copyWithin(0, this.first, this.end);
      this.tags.copyWithin(0, this.first, this.end);
      this.end -= this.first;
      this.first = 0;
    }
    if (this.end === this.days.length) {
      const days = new Float64Array(this.days.length * 2);
      days.set(this.days);
      const tags = new Int32Array(days.length);
      tags.set(this.tags);
      this.days = days;
      this.tags = tags;
    }
  }

  /**
   * Adds a day no earlier than the last one's (a tie goes in order of tag). The event loop in
   * {@link CareHomesInstance.step} writes this out; its reference step calls it.
   */
  push(day: number, tag: number): void {
    if (this.end === this.days.length) this.makeRoom();
    const d = this.days;
    const t = this.tags;
    let j = this.end++;
    while (j > this.first && (d[j - 1]! > day || (d[j - 1] === day && t[j - 1]! > tag))) {
      d[j] = d[j - 1]!;
      t[j] = t[j - 1]!;
      j--;
    }
    d[j] = day;
    t[j] = tag;
  }
}

/**
 * Exit days by period: the days of the period being simulated sorted in an array (by day, equal
 * days by tag), later ones in one list per period (linked through typed arrays), sorted into
 * the array when their period starts; days after the horizon are dropped, as they never come
 * out. A period holds about ten exits (against the 225 residents of a path), so taking the
 * earliest is reading the next entry, and a stay that ends in the period it starts is put in
 * its place among a few. The days come out in the same order as from one heap of all of them.
 *
 * @internal
 */
export class PeriodQueue {
  /** The current period's days and tags, sorted, in [first, end). */
  days: Float64Array;
  tags: Int32Array;
  first = 0;
  end = 0;
  /** Period of each whole day of the horizon. */
  readonly periodOfDay: Int32Array;
  /** The horizon's end: days from it on are dropped. */
  readonly endDay: number;
  /** First node of each period's list (−1: none). */
  readonly head: Int32Array;
  nodeDay: Float64Array;
  nodeTag: Int32Array;
  nodeNext: Int32Array;
  /** Nodes in use. */
  used = 0;
  /** The period whose days are in the array (−1: none yet). */
  current = -1;

  constructor(periodStartDay: Float64Array, capacity: number) {
    const P = periodStartDay.length - 1;
    this.endDay = periodStartDay[P]!;
    this.periodOfDay = new Int32Array(this.endDay);
    for (let p = 0; p < P; p++) this.periodOfDay.fill(p, periodStartDay[p]!, periodStartDay[p + 1]!);
    this.head = new Int32Array(P).fill(-1);
    this.days = new Float64Array(64);
    this.tags = new Int32Array(64);
    const n = Math.max(64, capacity);
    this.nodeDay = new Float64Array(n);
    this.nodeTag = new Int32Array(n);
    this.nodeNext = new Int32Array(n);
  }

  clear(): void {
    this.first = 0;
    this.end = 0;
    this.head.fill(-1);
    this.used = 0;
    this.current = -1;
  }

  /** Adds a day of a later period than the current one (or of any period before the first is opened). */
  defer(day: number, tag: number): void {
    if (!(day < this.endDay)) {
      // NaN (from inputs no scenario passes) would never come out: refuse it, as the event loop would.
      if (day !== day) throw new OptionError(`careHomes: an exit falls on day ${String(day)}`);
      return;
    }
    const q = this.periodOfDay[Math.floor(day)]!;
    if (this.used === this.nodeDay.length) this.growNodes();
    const k = this.used++;
    this.nodeDay[k] = day;
    this.nodeTag[k] = tag;
    this.nodeNext[k] = this.head[q]!;
    this.head[q] = k;
  }

  /** Doubles the room for nodes. */
  growNodes(): void {
    const n = this.nodeDay.length * 2;
    const days = new Float64Array(n);
    days.set(this.nodeDay);
    const tags = new Int32Array(n);
    tags.set(this.nodeTag);
    const next = new Int32Array(n);
    next.set(this.nodeNext);
    this.nodeDay = days;
    this.nodeTag = tags;
    this.nodeNext = next;
  }

  /** Doubles the room of the current period's array. */
  private grow(): void {
    const days = new Float64Array(this.days.length * 2);
    days.set(this.days);
    const tags = new Int32Array(days.length);
    tags.set(this.tags);
    this.days = days;
    this.tags = tags;
  }

  /** Puts a day of the current period in its place among those not yet taken. */
  insert(day: number, tag: number): void {
    if (this.end === this.days.length) this.grow();
    const d = this.days;
    const t = this.tags;
    let j = this.end++;
    while (j > this.first && (d[j - 1]! > day || (d[j - 1] === day && t[j - 1]! > tag))) {
      d[j] = d[j - 1]!;
      t[j] = t[j - 1]!;
      j--;
    }
    d[j] = day;
    t[j] = tag;
  }

  /** Adds a day of any period from the current one on. */
  push(day: number, tag: number): void {
    if (this.current >= 0 && day < this.endDay && this.periodOfDay[Math.floor(day)] === this.current)
      this.insert(day, tag);
    else this.defer(day, tag);
  }

  /** Starts period p: its days, sorted, replace the previous period's (all taken by then). */
  open(p: number): void {
    this.current = p;
    this.first = 0;
    this.end = 0;
    let d = this.days;
    let t = this.tags;
    const nodeDay = this.nodeDay;
    const nodeTag = this.nodeTag;
    const nodeNext = this.nodeNext;
    let n = 0;
    // An insertion sort of the list (about ten days), without a call per day.
    for (let k = this.head[p]!; k >= 0; k = nodeNext[k]!) {
      if (n === d.length) {
        this.end = n;
        this.grow();
        d = this.days;
        t = this.tags;
      }
      const day = nodeDay[k]!;
      const tag = nodeTag[k]!;
      let j = n++;
      while (j > 0 && (d[j - 1]! > day || (d[j - 1] === day && t[j - 1]! > tag))) {
        d[j] = d[j - 1]!;
        t[j] = t[j - 1]!;
        j--;
      }
      d[j] = day;
      t[j] = tag;
    }
    this.end = n;
    this.head[p] = -1;
  }
}

/**
 * A path of the care homes. Its fields and helpers are protected, not private, so that the
 * reference step of test/services/careHomes.reference.ts can subclass it.
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
  // The path's state.
  protected readonly rng = new AleaGenerator();
  protected readonly places: Int32Array;
  protected readonly residents: Int32Array;
  /** Exit days of the residents, tagged with their home. */
  protected readonly stays: PeriodQueue;
  /** Days on which vacated places are ready for the next resident, tagged with their home. */
  protected readonly vacated: DayFifo;
  /** Places of each home being made ready. */
  protected readonly vacating: Int32Array;
  /** Exit days of the externally placed. */
  protected readonly external: PeriodQueue;
  /** Citizens in external places (some of whose exits fall after the horizon, not in the queue). */
  protected externalCount = 0;
  /** The waiting list's arrival days, a ring buffer whose length is a power of two. */
  protected queue: Float64Array;
  protected qMask: number;
  protected qHead = 0;
  protected qLen = 0;
  protected totalResidents = 0;
  /** Places that stand in each home: its places, or more while a cut waits for residents to leave. */
  protected readonly standing: Int32Array;
  protected totalPlaces = 0;
  /** Σ fixed cost over the homes with standing places (kr a year, base-year prices). */
  protected fixedNowKrPerYear = 0;
  /** Σ cost per place × places over the homes (kr a year, base-year prices). */
  protected placeCostKrPerYear = 0;
  /** The cumulative arrival intensity left until the next applicant (a standard exponential draw). */
  protected hazard = 0;
  protected nextChange = 0;
  /** False while no home has a free place (see step). */
  protected maybeRoom = true;

  constructor(spec: CareHomesSpec, id: string, setup: ServiceSetup, baselines: WeakMap<World, CareHomesBaseline[]>) {
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
    this.places = new Int32Array(homes.length);
    this.standing = new Int32Array(homes.length);
    this.residents = new Int32Array(homes.length);
    this.stays = new PeriodQueue(
      this.periodStartDay,
      8 *
        homes.reduce(
          (a, h, i) => a + Math.max(h.places, this.initialPlaces[i]!, ...h.capacityChanges.map((c) => c.places)),
          0,
        ),
    );
    this.vacated = new DayFifo(64);
    this.vacating = new Int32Array(homes.length);
    this.external = new PeriodQueue(this.periodStartDay, 256);
    const totalPlaces = this.initialPlaces.reduce((a, x) => a + x, 0);
    this.queue = new Float64Array(2 ** Math.ceil(Math.log2(Math.max(1024, 4 * totalPlaces))));
    this.qMask = this.queue.length - 1;
    this.groupIndex = baselineWorld.groupIds.indexOf(spec.applicantGroup);
    const residents0 = homes.reduce((a, h, i) => a + Math.round(this.initialPlaces[i]! * h.occupiedAtStart), 0);
    const group0 = baselineWorld.population[this.groupIndex]!;
    this.applicantRate =
      spec.applicantsPerCitizenPerYear ?? (group0 > 0 ? residents0 / (this.stay.meanDays / 365.25) / group0 : 0);
    this.linkIndex = setup.links.channel(WAITING_HOME_CARE_CHANNEL);
    this.onApplicants = new InterventionEffects(setup, id, 'care-homes.applicants');
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    const published = setup.links.baselineValues(this.linkIndex);
    if (published.length < this.H + 1) {
      throw new OptionError(
        `careHomes: the links hold ${published.length} years of baselines; the run needs ${this.H + 1} (createLinks(capacity, horizonYears + 1))`,
      );
    }
    const made = baselines.get(baselineWorld) ?? [];
    let expected = made.find(
      (b) => b.timeline === timeline && b.seed === setup.seed && b.interventions === setup.interventions,
    );
    if (expected === undefined) {
      expected = this.simulateBaseline(id);
      baselines.set(baselineWorld, [...made, expected]);
    }
    this.baseline = expected.baseline;
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
      this.start(key, k);
      for (let p = 0; p < P; p++) {
        this.step(p, baselineWorld, scratch);
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
    return { timeline, seed: this.setup.seed, interventions: this.setup.interventions, baseline, waitingHoursPerWeek };
  }

  reset(path: number): void {
    this.onApplicants.reset(path);
    this.onSavings.reset(path);
    this.start(this.key, this.inputs.path('care-home-flows', path, 'variability'));
  }

  /** Clears the state and fills the homes as on the first day, from the stream of `path` under `key`. */
  private start(key: StreamKey, path: number): void {
    const rng = this.rng.seed(key, path);
    const homes = this.spec.homes;
    this.stays.clear();
    this.vacated.clear();
    this.vacating.fill(0);
    this.totalResidents = 0;
    this.totalPlaces = 0;
    this.placeCostKrPerYear = 0;
    this.fixedNowKrPerYear = 0;
    for (let h = 0; h < homes.length; h++) {
      const home = homes[h]!;
      const places = this.initialPlaces[h]!;
      const n = Math.round(places * home.occupiedAtStart);
      // Once a path, about two hundred draws: through the sampler, not written out as in step.
      for (let i = 0; i < n; i++) this.stays.push(this.stay.residual(rng), h);
      this.places[h] = places;
      this.residents[h] = n;
      this.totalResidents += n;
      this.standing[h] = 0;
      this.restand(h);
    }
    this.external.clear();
    this.externalCount = 0;
    this.qHead = 0;
    this.qLen = 0;
    this.nextChange = 0;
    this.maybeRoom = true;
    this.hazard = standardExponentialOf(rng);
  }

  /** Doubles the waiting list's ring buffer, its entries moved to the front. */
  protected growQueue(): void {
    const grown = new Float64Array(this.queue.length * 2);
    for (let i = 0; i < this.qLen; i++) grown[i] = this.queue[(this.qHead + i) & this.qMask]!;
    this.queue = grown;
    this.qMask = grown.length - 1;
    this.qHead = 0;
  }

  protected pop(): number {
    const day = this.queue[this.qHead]!;
    this.qHead = (this.qHead + 1) & this.qMask;
    this.qLen--;
    return day;
  }

  /**
   * Brings home h's standing places up to date: its places, or its residents while a cut waits
   * for them to leave (nobody is moved out; a place closes when its resident leaves). A home's
   * fixed cost runs while it has standing places.
   */
  protected restand(h: number): void {
    const now = Math.max(this.places[h]!, this.residents[h]!);
    const before = this.standing[h]!;
    if (now === before) return;
    const home = this.spec.homes[h]!;
    this.standing[h] = now;
    this.totalPlaces += now - before;
    this.placeCostKrPerYear += home.costPerPlaceKrPerYear * (now - before);
    if (now > 0 && before === 0) this.fixedNowKrPerYear += home.fixedCostKrPerYear;
    else if (now === 0 && before > 0) this.fixedNowKrPerYear -= home.fixedCostKrPerYear;
  }

  /** Places of home h that are occupied or being made ready after a resident left. */
  protected taken(h: number): number {
    return this.residents[h]! + this.vacating[h]!;
  }

  /** Moves a citizen into home h on `day` for a freshly drawn stay. */
  protected moveIn(h: number, day: number): void {
    this.stays.push(day + this.stay.draw(this.rng), h);
    this.residents[h]!++;
    this.totalResidents++;
  }

  /**
   * Simulates period p. A hot loop: the Alea step, StaySampler.draw, the ziggurat's rectangle
   * test of standardExponentialOf and the queues' methods (DayFifo.push, PeriodQueue.defer and
   * insert) are written out in it, on local copies of the state. Its plain version, with the
   * real methods, is the reference step in test/services/careHomes.reference.ts;
   * test/services/careHomes.reference.test.ts holds the two equal bit for bit. Change both.
   */
  step(p: number, world: World, out: ServiceHistory): void {
    const { timeline } = this.setup;
    const y = timeline.periodYearIndex[p]!;
    const t0 = this.periodStartDay[p]!;
    const t1 = this.periodStartDay[p + 1]!;
    const days = t1 - t0;
    const homes = this.spec.homes;
    const nHomes = homes.length;
    const guarantee = this.spec.guaranteeDays;
    const vacancyDays = this.spec.vacancyDays;
    const perDay =
      (this.applicantRate *
        this.onApplicants.factor(p) *
        world.population[y * world.groupIds.length + this.groupIndex]!) /
      365.25;
    const places = this.places;
    const residents = this.residents;
    const vacating = this.vacating;
    const changeDay = this.changeDay;
    const stay = this.stay;
    const shortShare = stay.shortShare;
    const shortMean = stay.shortMean;
    const longMean = stay.longMean;
    // As StaySampler.meanFor: the kind of a new stay is drawn only when both kinds are possible.
    const drawsKind = !(shortShare <= 0) && !(shortShare >= 1);
    const fixedMean = shortShare >= 1 ? shortMean : longMean;
    // The loop's state in local variables, written back after it: the generator's, the heaps'
    // sizes, the waiting list's. The draws are StaySampler.draw and standardExponentialOf
    // written out, the same uniforms in the same order, so the same days bit for bit.
    const rng = this.rng;
    let s0 = rng.s0;
    let s1 = rng.s1;
    let s2 = rng.s2;
    let c = rng.c;
    const stayQueue = this.stays;
    stayQueue.open(p);
    let stayDays = stayQueue.days;
    let stayTags = stayQueue.tags;
    let stayFirst = stayQueue.first;
    let stayEnd = stayQueue.end;
    const vacated = this.vacated;
    let vacatedDays = vacated.days;
    let vacatedTags = vacated.tags;
    let vacatedFirst = vacated.first;
    let vacatedEnd = vacated.end;
    // Later periods' exits go straight into their lists (PeriodQueue.defer written out).
    const periodOfDay = stayQueue.periodOfDay;
    const endDay = stayQueue.endDay;
    const listHead = stayQueue.head;
    let nodeDay = stayQueue.nodeDay;
    let nodeTag = stayQueue.nodeTag;
    let nodeNext = stayQueue.nodeNext;
    const externalQueue = this.external;
    externalQueue.open(p);
    let externalDaysOut = externalQueue.days;
    let externalFirst = externalQueue.first;
    let externalEnd = externalQueue.end;
    let externalCount = this.externalCount;
    let queue = this.queue;
    let qMask = this.qMask;
    let qHead = this.qHead;
    let qLen = this.qLen;
    let totalResidents = this.totalResidents;
    let hazard = this.hazard;
    // Changed only where a home's standing places change (restand): reloaded there.
    let totalPlaces = this.totalPlaces;
    let placeCostKrPerYear = this.placeCostKrPerYear;
    let fixedNowKrPerYear = this.fixedNowKrPerYear;
    /** False once an arrival found no home with a free place, until a place is ready or capacity changes. */
    let maybeRoom = this.maybeRoom;
    let occupiedDays = 0;
    let externalDays = 0;
    let waitingDays = 0;
    let placeDays = 0;
    let placeCostDays = 0;
    let fixedCostDays = 0;
    let admissions = 0;
    let exits = 0;
    let breaches = 0;
    let waitDaysOfAdmitted = 0;
    let tChange = this.nextChange < changeDay.length ? changeDay[this.nextChange]! : Infinity;
    let t = t0;
    for (;;) {
      const tArrival = perDay > 0 ? t + hazard / perDay : Infinity;
      const tExit = stayFirst < stayEnd ? stayDays[stayFirst]! : Infinity;
      const tReady = vacatedFirst < vacatedEnd ? vacatedDays[vacatedFirst]! : Infinity;
      const tExternal = externalFirst < externalEnd ? externalDaysOut[externalFirst]! : Infinity;
      const tExpiry = qLen > 0 ? queue[qHead]! + guarantee : Infinity;
      // The arrival last: the other times do not wait for the arrival hazard, so only the last
      // minimum does (Math.min does not depend on the order of its arguments).
      const next = Math.min(tExit, tReady, tExternal, tExpiry, tChange, tArrival);
      // Events never go back in time; NaN (from inputs no scenario passes) would loop for ever.
      if (!(next >= t))
        throw new OptionError(
          `careHomes: the next event falls on day ${String(next)}, before day ${String(t)} (applicants a day: ${String(perDay)})`,
        );
      const until = next < t1 ? next : t1;
      // Day-weighted stocks up to the event (or the period's end).
      const dt = until - t;
      occupiedDays += totalResidents * dt;
      externalDays += externalCount * dt;
      waitingDays += qLen * dt;
      placeDays += totalPlaces * dt;
      placeCostDays += placeCostKrPerYear * dt;
      fixedCostDays += fixedNowKrPerYear * dt;
      hazard -= perDay * dt;
      t = until;
      if (next >= t1) break;
      /** The home someone moves into now (−1: none), or −2 for an external place; either draws a stay. */
      let into = -1;
      let arrival = false;
      if (next === tChange) {
        // Rare (a few a path): through the object's state.
        rng.s0 = s0;
        rng.s1 = s1;
        rng.s2 = s2;
        rng.c = c;
        stayQueue.first = stayFirst;
        stayQueue.end = stayEnd;
        this.qHead = qHead;
        this.qLen = qLen;
        this.totalResidents = totalResidents;
        const h = this.changeHome[this.nextChange]!;
        const placesNow = this.changePlaces[this.nextChange]!;
        this.nextChange++;
        tChange = this.nextChange < changeDay.length ? changeDay[this.nextChange]! : Infinity;
        places[h] = placesNow;
        this.restand(h);
        maybeRoom = true;
        while (this.taken(h) < placesNow && this.qLen > 0) {
          waitDaysOfAdmitted += t - this.pop();
          this.moveIn(h, t);
          admissions++;
        }
        s0 = rng.s0;
        s1 = rng.s1;
        s2 = rng.s2;
        c = rng.c;
        stayDays = stayQueue.days;
        stayTags = stayQueue.tags;
        stayFirst = stayQueue.first;
        stayEnd = stayQueue.end;
        nodeDay = stayQueue.nodeDay;
        nodeTag = stayQueue.nodeTag;
        nodeNext = stayQueue.nodeNext;
        qHead = this.qHead;
        qLen = this.qLen;
        totalResidents = this.totalResidents;
        totalPlaces = this.totalPlaces;
        placeCostKrPerYear = this.placeCostKrPerYear;
        fixedNowKrPerYear = this.fixedNowKrPerYear;
      } else if (next === tExit) {
        const h = stayTags[stayFirst++]!;
        residents[h]!--;
        totalResidents--;
        exits++;
        if (residents[h]! + vacating[h]! >= places[h]!) {
          // Above a cut capacity: the place closes.
          this.restand(h);
          totalPlaces = this.totalPlaces;
          placeCostKrPerYear = this.placeCostKrPerYear;
          fixedNowKrPerYear = this.fixedNowKrPerYear;
        } else {
          // The place is empty for the vacancy days, then ready for the next resident
          // (DayFifo.push written out).
          if (vacatedEnd === vacatedDays.length) {
            vacated.first = vacatedFirst;
            vacated.end = vacatedEnd;
            vacated.makeRoom();
            vacatedDays = vacated.days;
            vacatedTags = vacated.tags;
            vacatedFirst = vacated.first;
            vacatedEnd = vacated.end;
          }
          const ready = t + vacancyDays;
          let j = vacatedEnd++;
          while (
            j > vacatedFirst &&
            (vacatedDays[j - 1]! > ready || (vacatedDays[j - 1] === ready && vacatedTags[j - 1]! > h))
          ) {
            vacatedDays[j] = vacatedDays[j - 1]!;
            vacatedTags[j] = vacatedTags[j - 1]!;
            j--;
          }
          vacatedDays[j] = ready;
          vacatedTags[j] = h;
          vacating[h]!++;
        }
      } else if (next === tReady) {
        const h = vacatedTags[vacatedFirst++]!;
        vacating[h]!--;
        if (qLen > 0 && residents[h]! + vacating[h]! < places[h]!) {
          waitDaysOfAdmitted += t - queue[qHead]!;
          qHead = (qHead + 1) & qMask;
          qLen--;
          into = h;
          admissions++;
        } else maybeRoom = true;
      } else if (next === tExternal) {
        externalFirst++;
        externalCount--;
      } else if (next === tArrival) {
        let h = nHomes;
        if (maybeRoom) {
          h = 0;
          while (h < nHomes && residents[h]! + vacating[h]! >= places[h]!) h++;
          if (h === nHomes) maybeRoom = false;
        }
        if (h < nHomes) {
          into = h;
          admissions++;
        } else {
          if (qLen === queue.length) {
            this.qHead = qHead;
            this.qLen = qLen;
            this.growQueue();
            queue = this.queue;
            qMask = this.qMask;
            qHead = this.qHead;
          }
          queue[(qHead + qLen) & qMask] = t;
          qLen++;
        }
        arrival = true;
      } else if (next === tExpiry) {
        // The guarantee expires today for the first on the list: an external place.
        qHead = (qHead + 1) & qMask;
        qLen--;
        into = -2;
        breaches++;
      }
      if (into !== -1) {
        // A new stay (StaySampler.draw): the kind of stay, then a standard exponential.
        let mean = fixedMean;
        if (drawsKind) {
          const u = 2091639 * s0 + c * INV_2_32;
          s0 = s1;
          s1 = s2;
          c = u | 0;
          s2 = u - c;
          mean = s2 < shortShare ? shortMean : longMean;
        }
        const u = 2091639 * s0 + c * INV_2_32;
        s0 = s1;
        s1 = s2;
        c = u | 0;
        s2 = u - c;
        const bits = (s2 * 4294967296) >>> 0;
        const layer = bits & 0xff;
        const position = bits >>> 8;
        let e: number;
        if (position < kTable[layer]!) e = position * wTable[layer]!;
        else {
          rng.s0 = s0;
          rng.s1 = s1;
          rng.s2 = s2;
          rng.c = c;
          // The unary plus types the call as a number: the variable stays an unboxed double.
          e = +standardExponentialRest(rng, layer, position);
          s0 = rng.s0;
          s1 = rng.s1;
          s2 = rng.s2;
          c = rng.c;
        }
        const end = t + mean * e;
        if (into >= 0) {
          residents[into]!++;
          totalResidents++;
          if (!(end < t1)) {
            if (end !== end) throw new OptionError(`careHomes: an exit falls on day ${String(end)}`);
            if (end < endDay) {
              const q = periodOfDay[Math.floor(end)]!;
              if (stayQueue.used === nodeDay.length) {
                stayQueue.growNodes();
                nodeDay = stayQueue.nodeDay;
                nodeTag = stayQueue.nodeTag;
                nodeNext = stayQueue.nodeNext;
              }
              const node = stayQueue.used++;
              nodeDay[node] = end;
              nodeTag[node] = into;
              nodeNext[node] = listHead[q]!;
              listHead[q] = node;
            }
          } else {
            // A stay that ends in the period it starts (rare): in its place among the period's.
            stayQueue.first = stayFirst;
            stayQueue.end = stayEnd;
            stayQueue.insert(end, into);
            stayDays = stayQueue.days;
            stayTags = stayQueue.tags;
            stayEnd = stayQueue.end;
          }
        } else {
          externalCount++;
          if (!(end < t1)) externalQueue.defer(end, 0);
          else {
            externalQueue.first = externalFirst;
            externalQueue.end = externalEnd;
            externalQueue.insert(end, 0);
            externalDaysOut = externalQueue.days;
            externalEnd = externalQueue.end;
          }
        }
      }
      if (arrival) {
        // The next applicant's gap: a standard exponential of cumulative intensity.
        const u = 2091639 * s0 + c * INV_2_32;
        s0 = s1;
        s1 = s2;
        c = u | 0;
        s2 = u - c;
        const bits = (s2 * 4294967296) >>> 0;
        const layer = bits & 0xff;
        const position = bits >>> 8;
        if (position < kTable[layer]!) hazard = position * wTable[layer]!;
        else {
          rng.s0 = s0;
          rng.s1 = s1;
          rng.s2 = s2;
          rng.c = c;
          // The unary plus types the call as a number: the variable stays an unboxed double.
          hazard = +standardExponentialRest(rng, layer, position);
          s0 = rng.s0;
          s1 = rng.s1;
          s2 = rng.s2;
          c = rng.c;
        }
      }
    }
    rng.s0 = s0;
    rng.s1 = s1;
    rng.s2 = s2;
    rng.c = c;
    stayQueue.first = stayFirst;
    stayQueue.end = stayEnd;
    vacated.first = vacatedFirst;
    vacated.end = vacatedEnd;
    externalQueue.first = externalFirst;
    externalQueue.end = externalEnd;
    this.externalCount = externalCount;
    this.qHead = qHead;
    this.qLen = qLen;
    this.totalResidents = totalResidents;
    this.hazard = hazard;
    this.maybeRoom = maybeRoom;
    const index = world.priceIndex[y]!;
    const yearDays = timeline.yearDays[y]!;
    const capacityKr = (fixedCostDays + placeCostDays) / yearDays;
    const cost =
      capacityKr + externalDays * this.spec.externalKrPerDay + this.onApplicants.costKr[p]! - this.onSavings.savings(p);
    out.costKr[p] = cost * index;
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
    m[M_BREACHES]![p] = breaches;
    m[M_EXTERNAL]![p] = externalDays / days;
    m[M_OCCUPANCY]![p] = placeDays > 0 ? occupiedDays / placeDays : 0;
    m[M_ADMISSIONS]![p] = admissions;
    m[M_EXITS]![p] = exits;
    m[M_WAIT_DAYS]![p] = waitDaysOfAdmitted;
    this.setup.links.values[this.linkIndex] = (waitingDays / days) * this.spec.homeCareHoursPerWeekWhileWaiting;
  }
}
