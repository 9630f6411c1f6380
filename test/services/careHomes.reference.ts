/**
 * The care homes' event loop of version 0.4 (plain, with the library's samplers): the reference
 * that the applicant recursion of src/services/careHomesPath.ts is compared with in
 * careHomes.reference.test.ts, statistically, on independent streams.
 *
 * Every event happens on its own day: capacity changes, exits, ready places, external exits,
 * arrivals and expiries are taken one at a time, the earliest first, and the day-weighted
 * stocks are summed between them. The instance subclasses the library's `CareHomesInstance`,
 * so it has the same layout (places, changes, rates) and the same baseline; only the paths
 * come from the event loop. It counts how often each branch of the loop was taken
 * ({@link branchCounts}), so the test can check that its scenarios reach them all.
 */
import { careHomesSchema, type CareHomesSpec } from '../../src/scenario/schema';
import type { World } from '../../src/drivers/world';
import { standardExponentialOf } from '../../src/random/exponential';
import { careHomes, CareHomesInstance } from '../../src/services/careHomes';
import type { AleaGenerator } from '../../src/random/stream';
import type { ServiceDefinition, ServiceHistory, ServiceSetup } from '../../src/services/service';
import { OptionError } from '../../src/errors';

/** How often each branch of the step was taken, over every reference instance (for the test's coverage check). */
export const branchCounts = {
  capacityChange: 0,
  admittedOnCapacityChange: 0,
  exitClosingPlace: 0,
  exitVacatingPlace: 0,
  readyAdmitting: 0,
  readyIdle: 0,
  externalExit: 0,
  arrivalAdmitted: 0,
  arrivalWaiting: 0,
  noApplicants: 0,
  guaranteeExpired: 0,
  stayEndingInItsPeriod: 0,
  stayEndingInALaterPeriod: 0,
  stayEndingAfterHorizon: 0,
  externalEndingInItsPeriod: 0,
  externalEndingInALaterPeriod: 0,
  waitingListGrown: 0,
  vacatedQueueGrown: 0,
  stayNodesGrown: 0,
  externalNodesGrown: 0,
  stayKindDrawn: 0,
  stayKindFixed: 0,
};

/** Clears {@link branchCounts}. */
export function resetBranchCounts(): void {
  for (const k of Object.keys(branchCounts) as (keyof typeof branchCounts)[]) branchCounts[k] = 0;
}

/**
 * Days that come in order, each at least the one before (the days vacated places are ready: an
 * exit's day plus the fixed vacancy days), with tags (a home's index): a first-in-first-out
 * array in which a day is put in its place among the last (equal days by tag), so they come out
 * as from a heap.
 *
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

  /** Adds a day no earlier than the last one's (a tie goes in order of tag). */
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

/** `PeriodQueue.open` in plain steps: period p's deferred days put in their places one by one. */
function openPeriod(queue: PeriodQueue, p: number): void {
  queue.current = p;
  queue.first = 0;
  queue.end = 0;
  for (let k = queue.head[p]!; k >= 0; k = queue.nodeNext[k]!) queue.insert(queue.nodeDay[k]!, queue.nodeTag[k]!);
  queue.head[p] = -1;
}

/** The care homes by the event loop: the library's layout and baseline, the paths event by event. */
export class ReferenceCareHomesInstance extends CareHomesInstance {
  // The path's state.
  private readonly places: Int32Array;
  private readonly residents: Int32Array;
  /** Exit days of the residents, tagged with their home. */
  private readonly stays: PeriodQueue;
  /** Days on which vacated places are ready for the next resident, tagged with their home. */
  private readonly vacated = new DayFifo(64);
  /** Places of each home being made ready. */
  private readonly vacating: Int32Array;
  /** Exit days of the externally placed. */
  private readonly external: PeriodQueue;
  /** Citizens in external places (some of whose exits fall after the horizon, not in the queue). */
  private externalCount = 0;
  /** The waiting list's arrival days, a ring buffer whose length is a power of two. */
  private queue: Float64Array;
  private qMask: number;
  private qHead = 0;
  private qLen = 0;
  private totalResidents = 0;
  /** Places that stand in each home: its places, or more while a cut waits for residents to leave. */
  private readonly standing: Int32Array;
  private totalPlaces = 0;
  /** Σ fixed cost over the homes with standing places (kr a year, base-year prices). */
  private fixedNowKrPerYear = 0;
  /** Σ cost per place × places over the homes (kr a year, base-year prices). */
  private placeCostKrPerYear = 0;
  /** The cumulative arrival intensity left until the next applicant (a standard exponential draw). */
  private hazard = 0;
  private nextChange = 0;

  constructor(...args: ConstructorParameters<typeof CareHomesInstance>) {
    super(...args);
    const homes = this.spec.homes;
    this.places = new Int32Array(homes.length);
    this.standing = new Int32Array(homes.length);
    this.residents = new Int32Array(homes.length);
    this.vacating = new Int32Array(homes.length);
    this.stays = new PeriodQueue(this.periodStartDay, 256);
    this.external = new PeriodQueue(this.periodStartDay, 256);
    this.queue = new Float64Array(1024);
    this.qMask = this.queue.length - 1;
  }

  override reset(path: number): void {
    super.reset(path);
    this.start(this.rng);
  }

  /** Clears the state and fills the homes as on the first day, from the generator (seeded by reset). */
  private start(rng: AleaGenerator): void {
    const homes = this.spec.homes;
    this.stays.clear();
    this.vacated.clear();
    this.vacating.fill(0);
    this.totalResidents = 0;
    this.totalPlaces = 0;
    this.placeCostKrPerYear = 0;
    this.fixedNowKrPerYear = 0;
    for (let h = 0; h < homes.length; h++) {
      const places = this.initialPlaces[h]!;
      const n = Math.round(places * homes[h]!.occupiedAtStart);
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
    this.hazard = standardExponentialOf(rng);
  }

  /** Doubles the waiting list's ring buffer, its entries moved to the front. */
  private growQueue(): void {
    const grown = new Float64Array(this.queue.length * 2);
    for (let i = 0; i < this.qLen; i++) grown[i] = this.queue[(this.qHead + i) & this.qMask]!;
    this.queue = grown;
    this.qMask = grown.length - 1;
    this.qHead = 0;
  }

  private pop(): number {
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
  private restand(h: number): void {
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
  private taken(h: number): number {
    return this.residents[h]! + this.vacating[h]!;
  }

  /** Moves a citizen into home h on `day` for a freshly drawn stay. */
  private moveIn(h: number, day: number): void {
    this.stays.push(day + this.stay.draw(this.rng), h);
    this.residents[h]!++;
    this.totalResidents++;
  }

  /** A citizen joins the waiting list on `day` (the list grown when full). */
  private join(day: number): void {
    if (this.qLen === this.queue.length) {
      this.growQueue();
      branchCounts.waitingListGrown++;
    }
    this.queue[(this.qHead + this.qLen) & this.qMask] = day;
    this.qLen++;
  }

  /** A home with a ready place, the first in order (−1: none). */
  private freeHome(): number {
    for (let h = 0; h < this.spec.homes.length; h++) if (this.taken(h) < this.places[h]!) return h;
    return -1;
  }

  /** Counts whether a new stay's kind is drawn (both kinds possible) or fixed. */
  private countKind(): void {
    const share = this.stay.shortShare;
    if (share > 0 && share < 1) branchCounts.stayKindDrawn++;
    else branchCounts.stayKindFixed++;
  }

  /** Moves a citizen into home h on `day` (`moveIn`), counting where the stay's end goes. */
  private admit(h: number, day: number): void {
    const nodes = this.stays.nodeDay.length;
    const used = this.stays.used;
    const end = this.stays.end;
    this.countKind();
    this.moveIn(h, day);
    if (this.stays.end > end) branchCounts.stayEndingInItsPeriod++;
    else if (this.stays.used > used) branchCounts.stayEndingInALaterPeriod++;
    else branchCounts.stayEndingAfterHorizon++;
    if (this.stays.nodeDay.length > nodes) branchCounts.stayNodesGrown++;
  }

  /** Places a citizen externally on `day` for a freshly drawn stay. */
  private placeExternally(day: number): void {
    const nodes = this.external.nodeDay.length;
    const end = this.external.end;
    this.countKind();
    this.external.push(day + this.stay.draw(this.rng), 0);
    this.externalCount++;
    if (this.external.end > end) branchCounts.externalEndingInItsPeriod++;
    else branchCounts.externalEndingInALaterPeriod++;
    if (this.external.nodeDay.length > nodes) branchCounts.externalNodesGrown++;
  }

  override step(p: number, world: World, out: ServiceHistory): void {
    const { timeline } = this.setup;
    const spec = this.spec;
    const y = timeline.periodYearIndex[p]!;
    const t0 = this.periodStartDay[p]!;
    const t1 = this.periodStartDay[p + 1]!;
    const perDay = this.applicantsPerDayIn(p, world);
    if (!(perDay > 0)) branchCounts.noApplicants++;
    openPeriod(this.stays, p);
    openPeriod(this.external, p);
    // Day-weighted stocks over the period.
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
    let t = t0;
    for (;;) {
      const tChange = this.nextChange < this.changeDay.length ? this.changeDay[this.nextChange]! : Infinity;
      const tExit = this.stays.first < this.stays.end ? this.stays.days[this.stays.first]! : Infinity;
      const tReady = this.vacated.first < this.vacated.end ? this.vacated.days[this.vacated.first]! : Infinity;
      const tExternal = this.external.first < this.external.end ? this.external.days[this.external.first]! : Infinity;
      const tExpiry = this.qLen > 0 ? this.queue[this.qHead]! + spec.guaranteeDays : Infinity;
      const tArrival = perDay > 0 ? t + this.hazard / perDay : Infinity;
      const next = Math.min(tChange, tExit, tReady, tExternal, tExpiry, tArrival);
      if (!(next >= t)) throw new OptionError(`careHomes (reference): the next event falls on day ${String(next)}`);
      const until = Math.min(next, t1);
      const dt = until - t;
      occupiedDays += this.totalResidents * dt;
      externalDays += this.externalCount * dt;
      waitingDays += this.qLen * dt;
      placeDays += this.totalPlaces * dt;
      placeCostDays += this.placeCostKrPerYear * dt;
      fixedCostDays += this.fixedNowKrPerYear * dt;
      this.hazard -= perDay * dt;
      t = until;
      if (next >= t1) break;
      // Events on the same day: capacity changes, exits, ready places, external exits,
      // arrivals, expiries, in that order.
      if (next === tChange) {
        branchCounts.capacityChange++;
        const h = this.changeHome[this.nextChange]!;
        this.places[h] = this.changePlaces[this.nextChange]!;
        this.nextChange++;
        this.restand(h);
        while (this.taken(h) < this.places[h]! && this.qLen > 0) {
          branchCounts.admittedOnCapacityChange++;
          waitDaysOfAdmitted += t - this.pop();
          this.admit(h, t);
          admissions++;
        }
      } else if (next === tExit) {
        const h = this.stays.tags[this.stays.first++]!;
        this.residents[h]!--;
        this.totalResidents--;
        exits++;
        if (this.taken(h) >= this.places[h]!) {
          // Above a cut capacity: the place closes.
          branchCounts.exitClosingPlace++;
          this.restand(h);
        } else {
          branchCounts.exitVacatingPlace++;
          const room = this.vacated.days.length;
          this.vacated.push(t + spec.vacancyDays, h);
          if (this.vacated.days.length > room) branchCounts.vacatedQueueGrown++;
          this.vacating[h]!++;
        }
      } else if (next === tReady) {
        const h = this.vacated.tags[this.vacated.first++]!;
        this.vacating[h]!--;
        if (this.qLen > 0 && this.taken(h) < this.places[h]!) {
          branchCounts.readyAdmitting++;
          waitDaysOfAdmitted += t - this.pop();
          this.admit(h, t);
          admissions++;
        } else branchCounts.readyIdle++;
      } else if (next === tExternal) {
        branchCounts.externalExit++;
        this.external.first++;
        this.externalCount--;
      } else if (next === tArrival) {
        const h = this.freeHome();
        if (h >= 0) {
          branchCounts.arrivalAdmitted++;
          this.admit(h, t);
          admissions++;
        } else {
          branchCounts.arrivalWaiting++;
          this.join(t);
        }
        // The next applicant's gap: a standard exponential of cumulative intensity.
        this.hazard = standardExponentialOf(this.rng);
      } else if (next === tExpiry) {
        // The guarantee expires today for the first on the list: an external place.
        branchCounts.guaranteeExpired++;
        this.pop();
        breaches++;
        this.placeExternally(t);
      }
    }
    const days = t1 - t0;
    const index = world.priceIndex[y]!;
    const capacityKr = (fixedCostDays + placeCostDays) / timeline.yearDays[y]!;
    const cost =
      capacityKr + externalDays * spec.externalKrPerDay + this.onApplicants.costKr[p]! - this.onSavings.savings(p);
    out.costKr[p] = cost * index;
    out.neededUnits[p] = occupiedDays + externalDays + waitingDays;
    out.orderedUnits[p] = occupiedDays + externalDays;
    out.deliveredUnits[p] = occupiedDays + externalDays;
    const [own, ext] = out.lines;
    own!.orderedUnits[p] = occupiedDays;
    own!.deliveredUnits[p] = occupiedDays;
    ext!.orderedUnits[p] = externalDays;
    ext!.deliveredUnits[p] = externalDays;
    const metric = (id: string) => out.metrics[METRIC_IDS.indexOf(id)]!;
    metric('waiting')[p] = waitingDays / days;
    metric('guaranteeBreaches')[p] = breaches;
    metric('externalPlacements')[p] = externalDays / days;
    metric('occupancy')[p] = placeDays > 0 ? occupiedDays / placeDays : 0;
    metric('admissions')[p] = admissions;
    metric('exits')[p] = exits;
    metric('waitDaysOfAdmitted')[p] = waitDaysOfAdmitted;
    this.setup.links.values[this.linkIndex] = (waitingDays / days) * spec.homeCareHoursPerWeekWhileWaiting;
  }
}

/** The care homes' metric ids, in the order of their definition (as the history holds them). */
const METRIC_IDS = careHomes(careHomesSchema.parse({ homes: [{ id: 'a', places: 1 }] }))[0]!.metrics!.map((m) => m.id);

/**
 * {@link careHomes} with the reference step: the same definition, whose instances step their
 * paths through {@link ReferenceCareHomesInstance} (the baseline is the library's).
 */
export function referenceCareHomes(spec: CareHomesSpec, id = 'care-homes'): ServiceDefinition[] {
  const [definition] = careHomes(spec, id);
  return [
    {
      ...definition!,
      create: (setup: ServiceSetup) => new ReferenceCareHomesInstance(spec, id, setup),
    },
  ];
}
