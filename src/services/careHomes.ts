import { differenceInCalendarDays, parse } from 'date-fns';
import type { CareHomesSpec } from '../scenario/schema';
import { standardExponential } from '../random/exponential';
import { deriveStream, streamKey, type RandomSource, type StreamKey } from '../random/stream';
import type { World } from '../drivers/world';
import { InterventionEffects } from './interventions';
import { createHistory, type ServiceBaseline, type ServiceDefinition, type ServiceHistory, type ServiceInstance, type ServiceMetric, type ServiceSetup } from './service';

/** The channel through which care homes tell home care how many hours a week waiting citizens need. @category Services */
export const WAITING_HOME_CARE_CHANNEL = 'home-care.extraHoursPerWeek';

const METRICS: readonly ServiceMetric[] = [
  { id: 'waiting', label: 'Citizens on the waiting list (mean of period ends)', aggregate: 'mean' },
  { id: 'guaranteeBreaches', label: 'Citizens placed externally after waiting beyond the guarantee', aggregate: 'sum' },
  { id: 'externalPlacements', label: 'Citizens in external places (mean of period ends)', aggregate: 'mean' },
  { id: 'occupancy', label: 'Occupied share of own places (mean of period ends)', aggregate: 'mean' },
  { id: 'admissions', label: 'Admissions to own places', aggregate: 'sum' },
  { id: 'exits', label: 'Residents leaving own places', aggregate: 'sum' },
  { id: 'waitDaysOfAdmitted', label: 'Days waited, summed over the admitted (divide by admissions for the mean wait)', aggregate: 'sum' },
];
const M_WAITING = 0;
const M_BREACHES = 1;
const M_EXTERNAL = 2;
const M_OCCUPANCY = 3;
const M_ADMISSIONS = 4;
const M_EXITS = 5;
const M_WAIT_DAYS = 6;

/**
 * Care homes (plejeboliger), a capacity service with a waiting list.
 *
 * - Each home has places (changing on dates), a fixed cost a year and a cost per place a year
 *   (so a large home is cheaper per place: economies of scale).
 * - Residents leave at the end of a stay drawn when they enter (event-time sampling, one draw
 *   per entry, counted in the period the stay ends): a constant exit rate, or a mixture of
 *   short and long exponential stays. Those present at the start have the stationary residual
 *   stay (long stays weighted by length).
 * - Applicants arrive as a Poisson process in proportion to the applicant group (80+),
 *   joining a first-come waiting list; at each period's end free places are filled from the
 *   list. Citizens still waiting beyond the guarantee are placed externally at
 *   `externalKrPerDay`, for a stay drawn like any other.
 * - While they wait, citizens get `homeCareHoursPerWeekWhileWaiting` hours of home care, which
 *   the home-care service pays (through the channel {@link WAITING_HOME_CARE_CHANNEL}).
 * - Activity is occupied place-days; needed place-days count residents, the waiting and the
 *   externally placed. Metrics: waiting list, guarantee breaches, external placements,
 *   occupancy, admissions, exits, days waited.
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
 * const [homes] = careHomes(parseScenario(scenario).careHomes!);
 * homes.activityUnit; //=> 'place-days'
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
      independentOfSteering: true,
      create: (setup) => new CareHomesInstance(spec, id, setup),
    },
  ];
}

/** Stay lengths in days. */
class StaySampler {
  private readonly shortShare: number;
  private readonly shortMean: number;
  private readonly longMean: number;
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
  draw(rng: RandomSource): number {
    return this.meanFor(this.shortShare, rng) * standardExponential(rng);
  }

  /** The remaining stay of someone present (exponential stays are memoryless). */
  residual(rng: RandomSource): number {
    return this.meanFor(this.residentShortShare, rng) * standardExponential(rng);
  }

  /** The mean stay of a short stay with probability `share`: a uniform is drawn only when both kinds are possible. */
  private meanFor(share: number, rng: RandomSource): number {
    if (share <= 0) return this.longMean;
    if (share >= 1) return this.shortMean;
    return rng() < share ? this.shortMean : this.longMean;
  }
}

class CareHomesInstance implements ServiceInstance {
  readonly baseline: ServiceBaseline;
  private readonly key: StreamKey;
  private readonly spec: CareHomesSpec;
  private readonly setup: ServiceSetup;
  private readonly stay: StaySampler;
  private readonly H: number;
  /** Places by home and period: capacity[h * P + p]. */
  private readonly capacity: Int32Array;
  /** All homes' fixed and per-place cost a year in each period, at base-year prices. */
  private readonly capacityCostKrPerYear: Float64Array;
  /** Day (from the first simulated day) each period starts. */
  private readonly periodStartDay: Float64Array;
  /**
   * Exits by home and period, exitsDue[h * P + p]: a stay is drawn when a resident enters and
   * counted in the period in which it ends, so a period's exits cost one read, not a scan of
   * every resident.
   */
  private readonly exitsDue: Int32Array;
  /** External placements ending in each period. */
  private readonly externalExitsDue: Int32Array;
  /** For a whole day d (0 to the last simulated day), the first period ending on or after d. */
  private readonly periodEndingBy: Int32Array;
  private readonly residents: Int32Array;
  /** The waiting list's arrival days, a ring buffer whose length is a power of two. */
  private queue: Float64Array;
  private qMask: number;
  private qHead = 0;
  private qLen = 0;
  private externalCount = 0;
  private readonly groupIndex: number;
  private readonly applicantRate: number;
  private readonly linkIndex: number;
  private rng: RandomSource = () => 0;
  private nextArrival = 0;
  private readonly onApplicants: InterventionEffects;
  private readonly onSavings: InterventionEffects;

  constructor(spec: CareHomesSpec, id: string, setup: ServiceSetup) {
    this.spec = spec;
    this.setup = setup;
    this.key = streamKey(setup.seed, id);
    this.stay = new StaySampler(spec.stay);
    const { timeline, baselineWorld } = setup;
    const P = timeline.periodCount;
    this.H = timeline.horizonYears;
    this.periodStartDay = new Float64Array(P + 1);
    for (let p = 0; p < P; p++) this.periodStartDay[p + 1] = this.periodStartDay[p]! + timeline.periodDays[p]!;
    const first = timeline.periodStart[0]!;
    this.capacity = new Int32Array(spec.homes.length * P);
    spec.homes.forEach((home, h) => {
      const changes = home.capacityChanges
        .map((c) => ({ day: differenceInCalendarDays(parse(c.from, 'yyyy-MM-dd', first), first), places: c.places }))
        .sort((a, b) => a.day - b.day);
      for (let p = 0; p < P; p++) {
        let places = home.places;
        for (const c of changes) if (c.day <= this.periodStartDay[p]!) places = c.places;
        this.capacity[h * P + p] = places;
      }
    });
    this.capacityCostKrPerYear = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      let cost = 0;
      spec.homes.forEach((home, h) => (cost += home.fixedCostKrPerYear + home.costPerPlaceKrPerYear * this.capacity[h * P + p]!));
      this.capacityCostKrPerYear[p] = cost;
    }
    this.exitsDue = new Int32Array(spec.homes.length * P);
    this.externalExitsDue = new Int32Array(P);
    const lastDay = this.periodStartDay[P]!;
    this.periodEndingBy = new Int32Array(lastDay + 1);
    for (let d = 0, q = 0; d <= lastDay; d++) {
      while (this.periodStartDay[q + 1]! < d) q++;
      this.periodEndingBy[d] = q;
    }
    this.residents = new Int32Array(spec.homes.length);
    const totalPlaces = spec.homes.reduce((a, x) => a + x.places, 0);
    this.queue = new Float64Array(2 ** Math.ceil(Math.log2(Math.max(1024, 4 * totalPlaces))));
    this.qMask = this.queue.length - 1;
    this.groupIndex = baselineWorld.groupIds.indexOf(spec.applicantGroup);
    const residents0 = spec.homes.reduce((a, x) => a + Math.round(x.places * x.occupiedAtStart), 0);
    const group0 = baselineWorld.population[this.groupIndex]!;
    this.applicantRate = spec.applicantsPerCitizenPerYear ?? (group0 > 0 ? residents0 / (this.stay.meanDays / 365.25) / group0 : 0);
    this.linkIndex = setup.links.channel(WAITING_HOME_CARE_CHANNEL);
    this.onApplicants = new InterventionEffects(setup, id, 'care-homes.applicants');
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    // Baseline: capacity cost and expected occupancy, no external placements, by year. Its
    // cost belongs to the applicant group, whose size drives demand (demographic regulation).
    const history = createHistory(this.H + 1);
    const G = baselineWorld.groupIds.length;
    const costByGroupKr = new Float64Array((this.H + 1) * G);
    for (let y = 0; y <= this.H; y++) {
      const days = timeline.yearDays[y]!;
      const p = Math.min(P - 1, Math.max(0, (y - 1) * timeline.periodsPerYear));
      let cost = 0;
      let occupied = 0;
      spec.homes.forEach((home, h) => {
        const places = y === 0 ? home.places : this.capacity[h * P + p]!;
        cost += home.fixedCostKrPerYear + home.costPerPlaceKrPerYear * places;
        occupied += places * home.occupiedAtStart;
      });
      let net = 0;
      if (y > 0) {
        const periods = Array.from({ length: timeline.periodsPerYear }, (_, k) => (y - 1) * timeline.periodsPerYear + k);
        for (const q of periods) net += this.onApplicants.costKr[q]!;
        net -= this.onSavings.baselineSavings(y, periods);
      }
      history.costKr[y] = (cost + net) * baselineWorld.priceIndex[y]!;
      history.neededUnits[y] = occupied * days;
      history.orderedUnits[y] = occupied * days;
      history.deliveredUnits[y] = occupied * days;
      costByGroupKr[y * G + this.groupIndex] = history.costKr[y]!;
    }
    this.baseline = { ...history, costByGroupKr };
  }

  reset(path: number): void {
    this.rng = deriveStream(this.key, path);
    const rng = this.rng;
    this.onApplicants.reset(path);
    this.onSavings.reset(path);
    this.exitsDue.fill(0);
    this.externalExitsDue.fill(0);
    const P = this.setup.timeline.periodCount;
    const homes = this.spec.homes;
    for (let h = 0; h < homes.length; h++) {
      const home = homes[h]!;
      const n = Math.round(home.places * home.occupiedAtStart);
      for (let i = 0; i < n; i++) {
        const q = this.exitPeriod(this.stay.residual(rng), 0);
        if (q >= 0) this.exitsDue[h * P + q]!++;
      }
      this.residents[h] = n;
    }
    this.qHead = 0;
    this.qLen = 0;
    this.externalCount = 0;
    this.nextArrival = -1;
  }

  private push(day: number): void {
    if (this.qLen === this.queue.length) {
      const grown = new Float64Array(this.queue.length * 2);
      for (let i = 0; i < this.qLen; i++) grown[i] = this.queue[(this.qHead + i) & this.qMask]!;
      this.queue = grown;
      this.qMask = grown.length - 1;
      this.qHead = 0;
    }
    this.queue[(this.qHead + this.qLen) & this.qMask] = day;
    this.qLen++;
  }

  private pop(): number {
    const day = this.queue[this.qHead]!;
    this.qHead = (this.qHead + 1) & this.qMask;
    this.qLen--;
    return day;
  }

  /**
   * The period in which a stay ending on `day` is counted as an exit: the first period whose
   * end is on or after the day, and not before `earliest` (a stay that begins at a period's
   * end cannot end in that period); -1 beyond the horizon.
   */
  private exitPeriod(day: number, earliest: number): number {
    const d = Math.ceil(day);
    if (d >= this.periodEndingBy.length) return -1;
    const q = this.periodEndingBy[d]!;
    return q < earliest ? earliest : q;
  }

  step(p: number, world: World, out: ServiceHistory): void {
    const { timeline } = this.setup;
    const P = timeline.periodCount;
    const y = timeline.periodYearIndex[p]!;
    const t0 = this.periodStartDay[p]!;
    const days = timeline.periodDays[p]!;
    const t1 = t0 + days;
    const rng = this.rng;
    const homes = this.spec.homes;
    const m = out.metrics;
    // Exits during the period: stays ending on or before the period's end.
    let exits = 0;
    for (let h = 0; h < homes.length; h++) {
      const n = this.exitsDue[h * P + p]!;
      this.residents[h] = this.residents[h]! - n;
      exits += n;
    }
    this.externalCount -= this.externalExitsDue[p]!;
    // Applicants: a Poisson process with this year's rate, simulated by exponential gaps.
    const perDay = (this.applicantRate * this.onApplicants.factor(p) * world.population[y * world.groupIds.length + this.groupIndex]!) / 365.25;
    if (this.nextArrival < 0) this.nextArrival = perDay > 0 ? standardExponential(rng) / perDay : Infinity;
    while (this.nextArrival <= t1) {
      this.push(this.nextArrival);
      this.nextArrival += perDay > 0 ? standardExponential(rng) / perDay : Infinity;
    }
    // Admissions at the period's end, first come first served, home by home.
    let admissions = 0;
    let waitDays = 0;
    let occupied = 0;
    let places = 0;
    for (let h = 0; h < homes.length; h++) {
      const cap = this.capacity[h * P + p]!;
      while (this.residents[h]! < cap && this.qLen > 0) {
        waitDays += t1 - this.pop();
        const q = this.exitPeriod(t1 + this.stay.draw(rng), p + 1);
        if (q >= 0) this.exitsDue[h * P + q]!++;
        this.residents[h]!++;
        admissions++;
      }
      occupied += this.residents[h]!;
      places += cap;
    }
    // Beyond the guarantee: external placement.
    let breaches = 0;
    while (this.qLen > 0 && t1 - this.queue[this.qHead]! > this.spec.guaranteeDays) {
      this.pop();
      const q = this.exitPeriod(t1 + this.stay.draw(rng), p + 1);
      if (q >= 0) this.externalExitsDue[q]!++;
      this.externalCount++;
      breaches++;
    }
    const index = world.priceIndex[y]!;
    const yearDays = timeline.yearDays[y]!;
    const cost = (this.capacityCostKrPerYear[p]! * days) / yearDays + this.externalCount * days * this.spec.externalKrPerDay + this.onApplicants.costKr[p]! - this.onSavings.savings(p);
    out.costKr[p] = cost * index;
    out.neededUnits[p] = (occupied + this.qLen + this.externalCount) * days;
    out.orderedUnits[p] = occupied * days;
    out.deliveredUnits[p] = occupied * days;
    m[M_WAITING]![p] = this.qLen;
    m[M_BREACHES]![p] = breaches;
    m[M_EXTERNAL]![p] = this.externalCount;
    m[M_OCCUPANCY]![p] = places > 0 ? occupied / places : 0;
    m[M_ADMISSIONS]![p] = admissions;
    m[M_EXITS]![p] = exits;
    m[M_WAIT_DAYS]![p] = waitDays;
    this.setup.links.values[this.linkIndex] = this.qLen * this.spec.homeCareHoursPerWeekWhileWaiting;
  }
}
