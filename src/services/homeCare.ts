import type { Scenario } from '../scenario/schema';
import { deriveStream, streamKey } from '../random/stream';
import { meanOf, samplerFor } from '../random/uncertain';
import type { World } from '../drivers/world';
import { createHistory, type ServiceDefinition, type ServiceHistory, type ServiceInstance, type ServiceSetup } from './service';

/** The home-care section of a scenario. @category Services */
export type HomeCareOptions = Scenario['homeCare'];

/**
 * Home care under Serviceloven §83, a rate-based service.
 *
 * Per period, with population N by group, use rate r (trended by `useRateTrendPerYear` and
 * scaled by the path's `useRateFactor`), h visited hours per recipient per week (trended by
 * `hoursTrendPerYear`), undelivered
 * share c, share of paid hours with the citizen b, wage cost per paid hour w uprated by the
 * actual price index I:
 *
 * - recipients = Σ N·r; needed hours = recipients · h · days/7
 * - ordered (visited) hours = needed · serviceLevel
 * - delivered hours = ordered · (1 − c)
 * - cost = delivered / b · w · I + overhead · I · days/yearDays
 *
 * The path's draws (the trends, h, c, b and the use-rate factor), once per path, come from the
 * stream keyed by the service id. Levels that are known in the base year are best given as
 * numbers and the uncertainty put in the trends, so that the base year is reproduced exactly.
 *
 * @param options - the scenario's `homeCare` section (validated)
 * @param id - the service id in results (default `"home-care"`)
 * @returns a service plug-in
 * @example
 * ```ts
 * const scenario = parseScenario(lejre2034());
 * const service = homeCare(scenario.homeCare);
 * service.activityUnit; //=> 'hours'
 * ```
 * @category Services
 */
export function homeCare(options: HomeCareOptions, id = 'home-care'): ServiceDefinition {
  return {
    id,
    label: options.label,
    activityUnit: 'hours',
    create(setup: ServiceSetup): ServiceInstance {
      return new HomeCareInstance(options, id, setup);
    },
  };
}

class HomeCareInstance implements ServiceInstance {
  readonly baseline: ServiceHistory;
  private readonly setup: ServiceSetup;
  private readonly key;
  private readonly groups: number;
  /** Base-year use rate by group. */
  private readonly rate: Float64Array;
  private readonly horizon: number;
  /** The path's trend factors by year: (1 + trend)^y. */
  private readonly rateTrend: Float64Array;
  private readonly hoursTrend: Float64Array;
  private readonly wageKr: number;
  private readonly overheadKr: number;
  private readonly sample;
  // The path's draws.
  private hoursPerWeek = 0;
  private undelivered = 0;
  private userTime = 0;
  private rateFactor = 0;

  constructor(options: HomeCareOptions, id: string, setup: ServiceSetup) {
    this.setup = setup;
    this.key = streamKey(setup.seed, id);
    const { timeline, baselineWorld } = setup;
    const ids = baselineWorld.groupIds;
    const G = ids.length;
    this.groups = G;
    const H = timeline.horizonYears;
    this.horizon = H;
    this.rate = Float64Array.from(ids, (id) => options.useRates[id] ?? 0);
    this.rateTrend = new Float64Array(H + 1);
    this.hoursTrend = new Float64Array(H + 1);
    this.wageKr = options.wageCostPerPaidHourKr;
    this.overheadKr = options.overheadKrPerYear;
    this.sample = {
      hours: samplerFor(options.hoursPerRecipientPerWeek),
      undelivered: samplerFor(options.undeliveredShare),
      userTime: samplerFor(options.userTimeShare),
      rateFactor: samplerFor(options.useRateFactor),
      rateTrend: samplerFor(options.useRateTrendPerYear),
      hoursTrend: samplerFor(options.hoursTrendPerYear),
    };
    // The baseline: each input at its mean, baseline population, forecast index, full service.
    this.hoursPerWeek = meanOf(options.hoursPerRecipientPerWeek);
    this.undelivered = meanOf(options.undeliveredShare);
    this.userTime = meanOf(options.userTimeShare);
    this.rateFactor = meanOf(options.useRateFactor);
    this.setTrends(meanOf(options.useRateTrendPerYear), meanOf(options.hoursTrendPerYear));
    this.baseline = createHistory(H + 1);
    for (let y = 0; y <= H; y++) this.compute(y, timeline.yearDays[y]!, timeline.yearDays[y]!, baselineWorld, 1, this.baseline, y);
  }

  reset(path: number): void {
    const rng = deriveStream(this.key, path);
    this.hoursPerWeek = this.sample.hours(rng);
    this.undelivered = this.sample.undelivered(rng);
    this.userTime = this.sample.userTime(rng);
    this.rateFactor = this.sample.rateFactor(rng);
    this.setTrends(this.sample.rateTrend(rng), this.sample.hoursTrend(rng));
  }

  private setTrends(rateTrend: number, hoursTrend: number): void {
    this.rateTrend[0] = 1;
    this.hoursTrend[0] = 1;
    for (let y = 1; y <= this.horizon; y++) {
      this.rateTrend[y] = this.rateTrend[y - 1]! * (1 + rateTrend);
      this.hoursTrend[y] = this.hoursTrend[y - 1]! * (1 + hoursTrend);
    }
  }

  step(p: number, world: World, serviceLevel: number, out: ServiceHistory): void {
    const t = this.setup.timeline;
    const y = t.periodYearIndex[p]!;
    this.compute(y, t.periodDays[p]!, t.yearDays[y]!, world, serviceLevel, out, p);
  }

  private compute(y: number, days: number, yearDays: number, world: World, level: number, out: ServiceHistory, at: number): void {
    const G = this.groups;
    const pop = world.population;
    let recipients = 0;
    for (let g = 0; g < G; g++) recipients += pop[y * G + g]! * this.rate[g]!;
    recipients *= this.rateFactor * this.rateTrend[y]!;
    const needed = recipients * this.hoursPerWeek * this.hoursTrend[y]! * (days / 7);
    const ordered = needed * level;
    const delivered = ordered * (1 - this.undelivered);
    const index = world.priceIndex[y]!;
    out.neededUnits[at] = needed;
    out.orderedUnits[at] = ordered;
    out.deliveredUnits[at] = delivered;
    out.costKr[at] = (delivered / this.userTime) * this.wageKr * index + this.overheadKr * index * (days / yearDays);
  }
}
