/**
 * One path of the care homes, simulated by the applicant recursion (see {@link CareHomesPath}).
 *
 * @internal
 * @module
 */
import type { CareHomesSpec } from '../scenario/schema';
import { standardExponentialOf } from '../random/exponential';
import type { AleaGenerator } from '../random/stream';
import { OptionError } from '../errors';

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

/** The simulated days cut into periods. @internal */
export class Periods {
  readonly count: number;
  /** Day each period starts; entry `count` is the horizon's end. */
  readonly startDay: Float64Array;
  readonly endDay: number;
  /** Period of each whole day of the horizon. */
  readonly ofDay: Int32Array;

  constructor(startDay: Float64Array) {
    this.count = startDay.length - 1;
    this.startDay = startDay;
    this.endDay = startDay[this.count]!;
    this.ofDay = new Int32Array(this.endDay);
    for (let p = 0; p < this.count; p++) this.ofDay.fill(p, startDay[p]!, startDay[p + 1]!);
  }

  /** The period of a day before the horizon's end. */
  of(day: number): number {
    return this.ofDay[Math.floor(day)]!;
  }
}

/**
 * A head count over time, kept as the intervals each citizen is counted in (a stay, a wait),
 * booked when the interval is known: the days counted in each period come out in O(1) an
 * interval however many periods it spans (a difference array for the periods it covers whole).
 *
 * @internal
 */
export class DayStock {
  /** Days counted in each period from intervals that cover it only in part. */
  private readonly partial: Float64Array;
  /** Difference array of the intervals that cover a period whole (entry p: starting at p, less ending). */
  private readonly whole: Float64Array;

  constructor(private readonly periods: Periods) {
    this.partial = new Float64Array(periods.count);
    this.whole = new Float64Array(periods.count + 1);
  }

  clear(): void {
    this.partial.fill(0);
    this.whole.fill(0);
  }

  /** Counts one citizen from day `from` to day `to` (cut at the horizon's end). */
  add(from: number, to: number): void {
    const periods = this.periods;
    const endDay = periods.endDay;
    if (!(from < to) || !(from < endDay)) return;
    const p = periods.of(from);
    const next = periods.startDay[p + 1]!;
    if (to <= next) {
      this.partial[p]! += to - from;
      return;
    }
    this.partial[p]! += next - from;
    const q = to < endDay ? periods.of(to) : periods.count;
    this.whole[p + 1]!++;
    this.whole[q]!--;
    if (q < periods.count) this.partial[q]! += to - periods.startDay[q]!;
  }

  /** Writes the citizen-days of each period into `out`. */
  daysByPeriod(out: Float64Array): void {
    const start = this.periods.startDay;
    let covering = 0;
    for (let p = 0; p < this.periods.count; p++) {
      covering += this.whole[p]!;
      out[p] = this.partial[p]! + covering * (start[p + 1]! - start[p]!);
    }
  }
}

/**
 * The residents' exit days within the horizon, tagged with their home, taken earliest first.
 *
 * A calendar queue rather than a heap: each exit goes into the bucket of its whole day (a list
 * threaded through typed arrays), and the earliest is found by walking the days from the
 * earliest non-empty one. Exits are pushed on or after the day being simulated and a bucket
 * holds a fraction of one exit on average, so a push and a pop cost O(1) where a heap of a
 * few hundred residents costs about eight unpredictable comparisons each; over a path the
 * walk passes each day of the horizon once or a few times. Two exits on the same day are
 * taken earliest first, as a heap would (equal days, which continuous draws do not give, in
 * no particular order).
 *
 * @internal
 */
export class ExitQueue {
  /** First entry of each day's bucket (-1: empty). */
  private head: Int32Array;
  private nextOf = new Int32Array(256);
  days = new Float64Array(256);
  homes = new Int32Array(256);
  /** Entries in use, and the free list of those removed. */
  private used = 0;
  private free = -1;
  size = 0;
  /** No bucket before this day holds an exit. */
  private cursor = 0;
  /** The earliest exit's entry, found by {@link ExitQueue.nextDay} (-1: not looked for yet). */
  private found = -1;

  constructor(endDay = 0) {
    this.head = new Int32Array(Math.ceil(endDay) + 1).fill(-1);
  }

  clear(): void {
    // Only the buckets still holding exits need clearing: those from the cursor on.
    const head = this.head;
    if (this.size > 0) head.fill(-1, this.cursor);
    this.used = 0;
    this.free = -1;
    this.size = 0;
    this.cursor = 0;
    this.found = -1;
  }

  /** The earliest exit's day (Infinity: none). */
  nextDay(): number {
    if (this.size === 0) return Infinity;
    if (this.found < 0) this.find();
    return this.days[this.found]!;
  }

  push(day: number, home: number): void {
    const b = Math.floor(day);
    if (b >= this.head.length) this.growDays(b + 1);
    let e = this.free;
    if (e >= 0) this.free = this.nextOf[e]!;
    else {
      if (this.used === this.days.length) this.grow();
      e = this.used++;
    }
    this.days[e] = day;
    this.homes[e] = home;
    this.nextOf[e] = this.head[b]!;
    this.head[b] = e;
    this.size++;
    if (b < this.cursor) this.cursor = b;
    if (this.found >= 0 && day < this.days[this.found]!) this.found = -1;
  }

  /** Removes the earliest exit and returns its home. */
  pop(): number {
    if (this.found < 0) this.find();
    const e = this.found;
    const b = this.cursor;
    // Unlink e from its bucket (the cursor's).
    const head = this.head;
    const nextOf = this.nextOf;
    if (head[b] === e) head[b] = nextOf[e]!;
    else {
      let q = head[b]!;
      while (nextOf[q] !== e) q = nextOf[q]!;
      nextOf[q] = nextOf[e]!;
    }
    nextOf[e] = this.free;
    this.free = e;
    this.size--;
    this.found = -1;
    return this.homes[e]!;
  }

  /** Moves the cursor to the first non-empty bucket and finds its earliest exit. */
  private find(): void {
    const head = this.head;
    let b = this.cursor;
    while (head[b]! < 0) b++;
    this.cursor = b;
    let best = head[b]!;
    for (let q = this.nextOf[best]!; q >= 0; q = this.nextOf[q]!) if (this.days[q]! < this.days[best]!) best = q;
    this.found = best;
  }

  private grow(): void {
    const n = this.days.length * 2;
    const days = new Float64Array(n);
    days.set(this.days);
    const homes = new Int32Array(n);
    homes.set(this.homes);
    const nextOf = new Int32Array(n);
    nextOf.set(this.nextOf);
    this.days = days;
    this.homes = homes;
    this.nextOf = nextOf;
  }

  private growDays(n: number): void {
    const head = new Int32Array(Math.max(n, this.head.length * 2)).fill(-1);
    head.set(this.head);
    this.head = head;
  }
}

/**
 * The days vacated places are ready, tagged with their home. A place is ready a fixed number of
 * days after its resident left and residents leave in order of day, so the days come in order:
 * a first-in-first-out array.
 *
 * @internal
 */
export class ReadyQueue {
  days = new Float64Array(256);
  homes = new Int32Array(256);
  first = 0;
  end = 0;

  clear(): void {
    this.first = 0;
    this.end = 0;
  }

  push(day: number, home: number): void {
    if (this.end === this.days.length) this.makeRoom();
    this.days[this.end] = day;
    this.homes[this.end++] = home;
  }

  /** Removes the earliest ready place and returns its home. */
  shift(): number {
    return this.homes[this.first++]!;
  }

  /** Room for one more: the entries moved to the front, the arrays doubled if full. */
  private makeRoom(): void {
    if (this.first > 0) {
      this.days.copyWithin(0, this.first, this.end);
      this.homes.copyWithin(0, this.first, this.end);
      this.end -= this.first;
      this.first = 0;
    }
    if (this.end === this.days.length) {
      const days = new Float64Array(this.days.length * 2);
      days.set(this.days);
      const homes = new Int32Array(days.length);
      homes.set(this.homes);
      this.days = days;
      this.homes = homes;
    }
  }
}

/** The homes and their rules, fixed for a run. @internal */
export interface CareHomesLayout {
  readonly periods: Periods;
  readonly stay: StaySampler;
  readonly guaranteeDays: number;
  readonly vacancyDays: number;
  /** Places of each home on the first simulated day. */
  readonly initialPlaces: Int32Array;
  /** Residents of each home on the first simulated day. */
  readonly initialResidents: Int32Array;
  readonly fixedCostKrPerYear: Float64Array;
  readonly costPerPlaceKrPerYear: Float64Array;
  /** Capacity changes after the first day and before the horizon's end, in time order: day, home, new places. */
  readonly changeDay: Float64Array;
  readonly changeHome: Int32Array;
  readonly changePlaces: Int32Array;
}

/**
 * One path of the care homes, by the applicant recursion.
 *
 * The waiting list is first come, first served and every applicant waits at most the
 * guarantee, so applicants can be taken one by one in order of arrival: each is admitted on
 * arrival if a place is free, else on the first day after it a place becomes free, if that is
 * within the guarantee, else placed externally on the day the guarantee expires; those who
 * come later cannot change that. The places' own events (a resident leaves, a vacated place is
 * ready after the vacancy days, a home's capacity changes) are taken in order of day up to the
 * day the applicant needs ({@link CareHomesPath.advance}); a resident's stay is drawn on
 * admission and booked at once into the periods it spans, as are the waits and the external
 * stays, so nothing else needs an event.
 *
 * A home's places are counted, not tracked one by one: `busy` are occupied or being made ready,
 * the rest are free. After a cut, a home can have more busy places than places; then a place
 * closes when its resident leaves or when it would be ready, until the home is within its
 * places again (nobody is moved out).
 *
 * @internal
 */
export class CareHomesPath {
  // Per period, read after simulate().
  readonly occupiedDays: Float64Array;
  readonly externalDays: Float64Array;
  readonly waitingDays: Float64Array;
  /** Standing places × days (a cut home's places stand while its residents stay). */
  readonly placeDays: Float64Array;
  /** Σ cost per place a year × standing places × days. */
  readonly placeCostDays: Float64Array;
  /** Σ fixed cost a year × days, over the homes with standing places. */
  readonly fixedCostDays: Float64Array;
  readonly admissions: Float64Array;
  readonly exits: Float64Array;
  readonly breaches: Float64Array;
  readonly waitDaysOfAdmitted: Float64Array;

  private readonly layout: CareHomesLayout;
  private readonly occupied: DayStock;
  private readonly external: DayStock;
  private readonly waiting: DayStock;
  private readonly exitQueue: ExitQueue;
  private readonly ready = new ReadyQueue();
  // Each home's state.
  private readonly places: Int32Array;
  private readonly residents: Int32Array;
  /** Places occupied or being made ready. */
  private readonly busy: Int32Array;
  /** Places that stand: the places, or the residents while a cut waits for them to leave. */
  private readonly standing: Int32Array;
  /** Σ max(0, places − busy) over the homes. */
  private freePlaces = 0;
  /** Homes with more busy places than places (after a cut). */
  private homesAbove = 0;
  /** The day up to which the places' events are taken. */
  private clock = 0;
  private nextChange = 0;
  /** Day from which the standing places' sums below hold (booked into the periods when they change). */
  private standingSince = 0;
  private totalStanding = 0;
  private placeCostKrPerYear = 0;
  private fixedCostKrPerYear = 0;

  constructor(layout: CareHomesLayout) {
    this.layout = layout;
    const P = layout.periods.count;
    const H = layout.initialPlaces.length;
    this.occupiedDays = new Float64Array(P);
    this.externalDays = new Float64Array(P);
    this.waitingDays = new Float64Array(P);
    this.placeDays = new Float64Array(P);
    this.placeCostDays = new Float64Array(P);
    this.fixedCostDays = new Float64Array(P);
    this.admissions = new Float64Array(P);
    this.exits = new Float64Array(P);
    this.breaches = new Float64Array(P);
    this.waitDaysOfAdmitted = new Float64Array(P);
    this.exitQueue = new ExitQueue(layout.periods.endDay);
    this.occupied = new DayStock(layout.periods);
    this.external = new DayStock(layout.periods);
    this.waiting = new DayStock(layout.periods);
    this.places = new Int32Array(H);
    this.residents = new Int32Array(H);
    this.busy = new Int32Array(H);
    this.standing = new Int32Array(H);
  }

  /**
   * Simulates the path: the homes as on the first day, then the applicants in order of arrival,
   * a Poisson process of `applicantsPerDay[p]` a day in period p.
   */
  simulate(rng: AleaGenerator, applicantsPerDay: Float64Array): void {
    this.fillHomes(rng);
    const periods = this.layout.periods;
    const endDay = periods.endDay;
    // The arrivals: a standard exponential of cumulative intensity between two, carried over
    // the periods' changes of rate (exact for piecewise-constant rates).
    let hazard = standardExponentialOf(rng);
    let t = 0;
    for (let p = 0; p < periods.count;) {
      const perDay = applicantsPerDay[p]!;
      if (!(perDay >= 0 && perDay < Infinity))
        throw new OptionError(
          `careHomes: applicants a day in period ${p} is ${String(perDay)}; expected a finite number >= 0`,
        );
      const next = periods.startDay[p + 1]!;
      const arrival = perDay > 0 ? t + hazard / perDay : Infinity;
      if (arrival < next) {
        this.serve(arrival, rng);
        hazard = standardExponentialOf(rng);
        t = arrival;
      } else {
        hazard -= perDay * (next - t);
        if (hazard < 0) hazard = 0;
        t = next;
        p++;
      }
    }
    this.advance(endDay, false);
    this.bookStanding(endDay);
    this.occupied.daysByPeriod(this.occupiedDays);
    this.external.daysByPeriod(this.externalDays);
    this.waiting.daysByPeriod(this.waitingDays);
  }

  /** Clears the path and fills the homes as on the first day: residents with residual stays, the empty places free. */
  private fillHomes(rng: AleaGenerator): void {
    const { initialPlaces, initialResidents, stay } = this.layout;
    this.placeDays.fill(0);
    this.placeCostDays.fill(0);
    this.fixedCostDays.fill(0);
    this.admissions.fill(0);
    this.exits.fill(0);
    this.breaches.fill(0);
    this.waitDaysOfAdmitted.fill(0);
    this.occupied.clear();
    this.external.clear();
    this.waiting.clear();
    this.exitQueue.clear();
    this.ready.clear();
    this.clock = 0;
    this.nextChange = 0;
    this.freePlaces = 0;
    this.homesAbove = 0;
    this.standingSince = 0;
    this.totalStanding = 0;
    this.placeCostKrPerYear = 0;
    this.fixedCostKrPerYear = 0;
    for (let h = 0; h < initialPlaces.length; h++) {
      const n = initialResidents[h]!;
      for (let i = 0; i < n; i++) this.stayUntil(0, stay.residual(rng), h);
      this.places[h] = initialPlaces[h]!;
      this.residents[h] = n;
      this.busy[h] = n;
      this.freePlaces += initialPlaces[h]! - n;
      this.standing[h] = 0;
      this.restand(h);
    }
  }

  /** Takes one applicant, arrived on day `arrival`: admitted, placed externally, or still waiting at the horizon's end. */
  private serve(arrival: number, rng: AleaGenerator): void {
    const endDay = this.layout.periods.endDay;
    if (arrival > this.clock) this.advance(arrival, false);
    if (this.freePlaces === 0) {
      const expiry = arrival + this.layout.guaranteeDays;
      if (!this.advance(expiry < endDay ? expiry : endDay, true)) {
        if (expiry < endDay) this.placeExternally(arrival, expiry, rng);
        else this.waiting.add(arrival, endDay);
        return;
      }
    }
    // A place is free now: on arrival, or on the day it became free while the applicant waited.
    this.admit(arrival, this.clock, rng);
  }

  /**
   * Takes the places' events in order of day up to `limit` (capacity changes first, then exits,
   * then ready places, on the same day). With `untilFree`, stops after the first that frees a
   * place and returns true (the clock on its day); else returns false with the clock at `limit`.
   *
   * While no home is above its places, a resident's exit changes nothing the applicants see
   * until the place is ready, so the exit and the ready place are one event on the ready day
   * (the exit queue read `vacancyDays` late). While a home is above its places, after a cut,
   * exits are taken on their day, as they may close a place.
   */
  private advance(limit: number, untilFree: boolean): boolean {
    const { changeDay, vacancyDays } = this.layout;
    const exits = this.exitQueue;
    const ready = this.ready;
    for (;;) {
      const tChange = this.nextChange < changeDay.length ? changeDay[this.nextChange]! : Infinity;
      const exitsNow = this.homesAbove > 0;
      const tExit = exitsNow ? exits.nextDay() : exits.nextDay() + vacancyDays;
      const tReady = ready.first < ready.end ? ready.days[ready.first]! : Infinity;
      if (tChange <= tExit && tChange <= tReady) {
        if (!(tChange <= limit)) break;
        this.clock = tChange;
        this.changeCapacity();
      } else if (tExit <= tReady) {
        if (!(tExit <= limit)) break;
        this.clock = tExit;
        const h = exits.pop();
        if (exitsNow) this.leave(h, tExit);
        else {
          this.residents[h]!--;
          this.makeReady(h);
        }
      } else {
        if (!(tReady <= limit)) break;
        this.clock = tReady;
        this.makeReady(ready.shift());
      }
      if (untilFree && this.freePlaces > 0) return true;
    }
    this.clock = limit;
    return false;
  }

  /**
   * The next capacity change: the home's free places follow its places. The exits before today
   * are taken first (their places made ready in turn), so that the homes' residents are today's.
   */
  private changeCapacity(): void {
    const { changeHome, changePlaces } = this.layout;
    const exits = this.exitQueue;
    while (exits.nextDay() < this.clock) {
      const day = exits.nextDay();
      this.leave(exits.pop(), day);
    }
    const h = changeHome[this.nextChange]!;
    const places = changePlaces[this.nextChange]!;
    this.nextChange++;
    const busy = this.busy[h]!;
    const before = this.places[h]!;
    this.freePlaces += Math.max(0, places - busy) - Math.max(0, before - busy);
    this.homesAbove += Number(busy > places) - Number(busy > before);
    this.places[h] = places;
    this.restand(h);
  }

  /** A resident of home h leaves on `day`: the place is made ready, or closes if the home is above its places. */
  private leave(h: number, day: number): void {
    this.residents[h]!--;
    if (this.busy[h]! > this.places[h]!) {
      if (--this.busy[h]! === this.places[h]!) this.homesAbove--;
      this.restand(h);
    } else {
      const readyDay = day + this.layout.vacancyDays;
      if (readyDay < this.layout.periods.endDay) this.ready.push(readyDay, h);
    }
  }

  /** A vacated place of home h is ready today: free, unless the home is at or above its places (then it closes). */
  private makeReady(h: number): void {
    const busy = --this.busy[h]!;
    const places = this.places[h]!;
    if (busy < places) this.freePlaces++;
    else if (busy === places) this.homesAbove--;
  }

  /** Admits an applicant who arrived on day `arrival` on day `day` into the first home with a free place. */
  private admit(arrival: number, day: number, rng: AleaGenerator): void {
    const p = this.layout.periods.of(day);
    let h = 0;
    while (this.busy[h]! >= this.places[h]!) h++;
    this.busy[h]!++;
    this.residents[h]!++;
    this.freePlaces--;
    this.admissions[p]!++;
    this.waitDaysOfAdmitted[p]! += day - arrival;
    this.waiting.add(arrival, day);
    this.stayUntil(day, day + this.layout.stay.draw(rng), h);
  }

  /** Books a resident of home h from `day` to `end`, and their exit if it falls within the horizon. */
  private stayUntil(day: number, end: number, h: number): void {
    if (!(end >= day)) throw new OptionError(`careHomes: an exit falls on day ${String(end)}`);
    this.occupied.add(day, end);
    if (end < this.layout.periods.endDay) {
      this.exits[this.layout.periods.of(end)]!++;
      this.exitQueue.push(end, h);
    }
  }

  /** The guarantee of an applicant who arrived on `arrival` expires on `expiry`: an external place for a drawn stay. */
  private placeExternally(arrival: number, expiry: number, rng: AleaGenerator): void {
    this.breaches[this.layout.periods.of(expiry)]!++;
    this.waiting.add(arrival, expiry);
    const end = expiry + this.layout.stay.draw(rng);
    if (!(end >= expiry)) throw new OptionError(`careHomes: an external stay ends on day ${String(end)}`);
    this.external.add(expiry, end);
  }

  /**
   * Brings home h's standing places up to date (its places, or its residents while a cut waits
   * for them to leave), booking the standing sums so far first. A home's fixed cost runs while
   * it has standing places.
   */
  private restand(h: number): void {
    const now = Math.max(this.places[h]!, this.residents[h]!);
    const before = this.standing[h]!;
    if (now === before) return;
    this.bookStanding(this.clock);
    this.standing[h] = now;
    this.totalStanding += now - before;
    this.placeCostKrPerYear += this.layout.costPerPlaceKrPerYear[h]! * (now - before);
    if (now > 0 && before === 0) this.fixedCostKrPerYear += this.layout.fixedCostKrPerYear[h]!;
    else if (now === 0 && before > 0) this.fixedCostKrPerYear -= this.layout.fixedCostKrPerYear[h]!;
  }

  /** Books the standing places' sums from the day they last changed up to `day`, period by period (a few times a path). */
  private bookStanding(day: number): void {
    const periods = this.layout.periods;
    let from = this.standingSince;
    this.standingSince = day;
    while (from < day) {
      const p = periods.of(from);
      const next = periods.startDay[p + 1]!;
      const until = day < next ? day : next;
      const dt = until - from;
      this.placeDays[p]! += this.totalStanding * dt;
      this.placeCostDays[p]! += this.placeCostKrPerYear * dt;
      this.fixedCostDays[p]! += this.fixedCostKrPerYear * dt;
      from = until;
    }
  }
}
