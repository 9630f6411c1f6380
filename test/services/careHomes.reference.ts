/**
 * The plain version of the care homes' event loop: the reference that the hot loop of
 * `CareHomesInstance.step` (src/services/careHomes.ts) must match bit for bit.
 *
 * The hot loop writes out the Alea step, `StaySampler.draw`, the rectangle test of
 * `standardExponentialOf`, and the queues' methods on local copies of the state. This step
 * calls the real ones instead, on the instance's own fields: `AleaGenerator.next()` through
 * `StaySampler.draw` and `standardExponentialOf`, `PeriodQueue.push`, `DayFifo.push`, and the
 * instance's `moveIn`, `pop` and `restand`. It keeps none of the loop's shortcuts: it scans the
 * homes for a free place at every arrival (no `maybeRoom`), and opens a period's queue by
 * `PeriodQueue.insert` (not the sort written out in `PeriodQueue.open`).
 *
 * careHomes.reference.test.ts runs seeded paths through both and compares every figure and
 * metric.
 */
import { careHomesSchema, type CareHomesSpec } from '../../src/scenario/schema';
import type { World } from '../../src/drivers/world';
import { standardExponentialOf } from '../../src/random/exponential';
import { careHomes, CareHomesInstance, type PeriodQueue } from '../../src/services/careHomes';
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

/** `PeriodQueue.open` in plain steps: period p's deferred days put in their places one by one. */
function openPeriod(queue: PeriodQueue, p: number): void {
  queue.current = p;
  queue.first = 0;
  queue.end = 0;
  for (let k = queue.head[p]!; k >= 0; k = queue.nodeNext[k]!) queue.insert(queue.nodeDay[k]!, queue.nodeTag[k]!);
  queue.head[p] = -1;
}

/** The care homes with the reference step: the same state, the same constructor, a plain event loop. */
export class ReferenceCareHomesInstance extends CareHomesInstance {
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
    const perDay =
      (this.applicantRate *
        this.onApplicants.factor(p) *
        world.population[y * world.groupIds.length + this.groupIndex]!) /
      365.25;
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
 * {@link careHomes} with the reference step: the same definition, whose instances step through
 * {@link ReferenceCareHomesInstance} (the baseline paths too).
 */
export function referenceCareHomes(spec: CareHomesSpec, id = 'care-homes'): ServiceDefinition[] {
  const [definition] = careHomes(spec, id);
  const baselines: ConstructorParameters<typeof CareHomesInstance>[3] = new WeakMap();
  return [
    {
      ...definition!,
      create: (setup: ServiceSetup) => new ReferenceCareHomesInstance(spec, id, setup, baselines),
    },
  ];
}
