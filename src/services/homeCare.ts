import type { Scenario } from '../scenario/schema';
import { deriveStream, streamKey, type StreamKey } from '../random/stream';
import { standardNormal } from '../random/special';
import { meanOf, samplerFor } from '../random/uncertain';
import type { World } from '../drivers/world';
import { WAITING_HOME_CARE_CHANNEL } from './careHomes';
import { InterventionEffects } from './interventions';
import { createHistory, type ServiceBaseline, type ServiceDefinition, type ServiceHistory, type ServiceInstance, type ServiceSetup } from './service';

/** The home-care section of a scenario. @category Services */
export type HomeCareOptions = NonNullable<Scenario['homeCare']>;

/**
 * Home care under Serviceloven §83, a rate-based service.
 *
 * Per year, with population N by group, use rate r (trended by `useRateTrendPerYear` and
 * scaled by the path's `useRateFactor`) and h visited hours per recipient per week (trended by
 * `hoursTrendPerYear`):
 *
 * - expected recipients λ = Σ N·r (times the unit's population share); with
 *   `recipientNoise`, the year's recipients are λ + √λ·z (the normal approximation of a
 *   Poisson count), and with `individualHoursCv` the year's hours per week are the sum over
 *   recipients of individual hours with that coefficient of variation (R·h + √R·cv·h·z);
 * - needed hours = recipients · h · days/7; ordered (visited) = needed · serviceLevel;
 *   delivered = ordered · (1 − c), c the undelivered share;
 * - cost = delivered / b · w · I + overhead · I · days/yearDays, with b the share of paid
 *   hours with the citizen, w the wage cost per paid hour and I the actual price index.
 *
 * Citizens waiting for a care home add the hours a week published on the channel
 * {@link WAITING_HOME_CARE_CHANNEL} (each unit serves its population share); the baseline adds
 * the expected waiting list's hours that care homes publish with the channel's baseline.
 *
 * The path's parameter draws (trends, levels) come from a stream keyed by the service id and
 * are shared by its units; each unit's recipient and hours noise has its own stream, so units
 * vary independently around the common trend.
 *
 * @param options - the scenario's `homeCare` section (validated)
 * @param id - the service id in results (default `"home-care"`)
 * @returns one service plug-in, or one per unit (ids `"home-care:<unit>"`, group `"home-care"`)
 *   when `options.units` is given
 * @example
 * ```ts
 * const scenario = parseScenario(lejre2034());
 * const [service] = homeCare(scenario.homeCare);
 * service.activityUnit; //=> 'hours'
 * ```
 * @category Services
 */
export function homeCare(options: HomeCareOptions, id = 'home-care'): ServiceDefinition[] {
  const units = options.units ?? [{ id: '', populationShare: 1 }];
  return units.map((unit) => {
    const unitId = unit.id === '' ? id : `${id}:${unit.id}`;
    const label = unit.id === '' ? options.label : `${options.label}, ${unit.id}`;
    return {
      id: unitId,
      ...(unit.id === '' ? {} : { group: id }),
      label,
      activityUnit: 'hours',
      create(setup: ServiceSetup): ServiceInstance {
        return new HomeCareInstance(options, id, unitId, unit.populationShare, setup);
      },
    };
  });
}

class HomeCareInstance implements ServiceInstance {
  readonly baseline: ServiceBaseline;
  private readonly setup: ServiceSetup;
  private readonly paramKey: StreamKey;
  private readonly noiseKey: StreamKey;
  private readonly options: HomeCareOptions;
  private readonly groups: number;
  private readonly horizon: number;
  private readonly share: number;
  /** Base-year use rate by group. */
  private readonly rate: Float64Array;
  /** The path's trend factors by year: (1 + trend)^y. */
  private readonly rateTrend: Float64Array;
  private readonly hoursTrend: Float64Array;
  /** The path's standard normal noise by year: recipients and hours. */
  private readonly zRecipients: Float64Array;
  private readonly zHours: Float64Array;
  private readonly sample;
  /**
   * Needed hours per day by year for the current path, at full service: the same for every
   * strategy replaying the path, so computed once (NaN = not yet).
   */
  private readonly neededPerDay: Float64Array;
  private lastPath = -1;
  /** Channel of extra visited hours a week (citizens waiting for a care home), from other services. */
  private readonly extraChannel: number;
  /** The channel's expected hours a week by year, for the baseline. */
  private readonly extraBaseline: Float64Array;
  /** Interventions on hours per recipient, use rates and paid hours; savings plans. */
  private readonly onHours: InterventionEffects;
  private readonly onRates: InterventionEffects;
  private readonly onPaid: InterventionEffects;
  private readonly onSavings: InterventionEffects;
  /** The year whose baseline is being computed, or −1 when stepping a path. */
  private baselineYear = -1;
  // The path's draws.
  private hoursPerWeek = 0;
  private undelivered = 0;
  private userTime = 0;
  private rateFactor = 0;

  constructor(options: HomeCareOptions, id: string, unitId: string, share: number, setup: ServiceSetup) {
    this.setup = setup;
    this.options = options;
    this.share = share;
    this.paramKey = streamKey(setup.seed, id);
    this.noiseKey = streamKey(setup.seed, `${unitId}#noise`);
    const { timeline, baselineWorld } = setup;
    const ids = baselineWorld.groupIds;
    const G = ids.length;
    const H = timeline.horizonYears;
    this.groups = G;
    this.horizon = H;
    this.rate = Float64Array.from(ids, (gid) => options.useRates[gid] ?? 0);
    this.rateTrend = new Float64Array(H + 1);
    this.hoursTrend = new Float64Array(H + 1);
    this.zRecipients = new Float64Array(H + 1);
    this.zHours = new Float64Array(H + 1);
    this.neededPerDay = new Float64Array(H + 1).fill(NaN);
    this.extraChannel = setup.links.channel(WAITING_HOME_CARE_CHANNEL);
    this.extraBaseline = setup.links.baselineValues(this.extraChannel);
    this.onHours = new InterventionEffects(setup, id, 'home-care.hours');
    this.onRates = new InterventionEffects(setup, id, 'home-care.useRate');
    this.onPaid = new InterventionEffects(setup, id, 'home-care.paidHours');
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    this.sample = {
      hours: samplerFor(options.hoursPerRecipientPerWeek),
      undelivered: samplerFor(options.undeliveredShare),
      userTime: samplerFor(options.userTimeShare),
      rateFactor: samplerFor(options.useRateFactor),
      rateTrend: samplerFor(options.useRateTrendPerYear),
      hoursTrend: samplerFor(options.hoursTrendPerYear),
    };
    // The baseline: each input at its mean, no noise, baseline population, forecast index, full service.
    this.hoursPerWeek = meanOf(options.hoursPerRecipientPerWeek);
    this.undelivered = meanOf(options.undeliveredShare);
    this.userTime = meanOf(options.userTimeShare);
    this.rateFactor = meanOf(options.useRateFactor);
    this.setTrends(meanOf(options.useRateTrendPerYear), meanOf(options.hoursTrendPerYear));
    const history = createHistory(H + 1);
    const costByGroupKr = new Float64Array((H + 1) * G);
    const priceKrPerDeliveredUnit = new Float64Array(H + 1);
    const assumedShare = options.assumedUserTimeShare ?? this.userTime;
    for (let y = 0; y <= H; y++) {
      const days = timeline.yearDays[y]!;
      this.baselineYear = y;
      this.compute(y, days, days, baselineWorld, history, y);
      this.baselineYear = -1;
      if (y > 0) {
        // The baseline knows the decided interventions: their expected costs and savings.
        let net = 0;
        for (let p = (y - 1) * timeline.periodsPerYear; p < y * timeline.periodsPerYear; p++) {
          net += this.onHours.costKr[p]! + this.onRates.costKr[p]! + this.onPaid.costKr[p]!;
        }
        const periods = Array.from({ length: timeline.periodsPerYear }, (_, k) => (y - 1) * timeline.periodsPerYear + k);
        net -= this.onSavings.baselineSavings(y, periods);
        history.costKr[y] = history.costKr[y]! + net * share * baselineWorld.priceIndex[y]!;
      }
      const index = baselineWorld.priceIndex[y]!;
      const delivered = history.deliveredUnits[y]!;
      // The municipality's price model: wage per paid hour over its assumed share, plus overhead per hour.
      priceKrPerDeliveredUnit[y] = (this.options.wageCostPerPaidHourKr * index) / assumedShare + (delivered > 0 ? (this.options.overheadKrPerYear * index * share) / delivered : 0);
      let recipients = 0;
      for (let g = 0; g < G; g++) recipients += baselineWorld.population[y * G + g]! * this.rate[g]!;
      for (let g = 0; g < G; g++) {
        const part = recipients > 0 ? (baselineWorld.population[y * G + g]! * this.rate[g]!) / recipients : 0;
        costByGroupKr[y * G + g] = history.costKr[y]! * part;
      }
    }
    this.baseline = { ...history, costByGroupKr, priceKrPerDeliveredUnit };
    this.neededPerDay.fill(NaN);
  }

  reset(path: number): void {
    // Every strategy replays the same path with the same draws: draw them once.
    if (path === this.lastPath) return;
    this.lastPath = path;
    this.neededPerDay.fill(NaN);
    const rng = deriveStream(this.paramKey, path);
    this.hoursPerWeek = this.sample.hours(rng);
    this.undelivered = this.sample.undelivered(rng);
    this.userTime = this.sample.userTime(rng);
    this.rateFactor = this.sample.rateFactor(rng);
    this.setTrends(this.sample.rateTrend(rng), this.sample.hoursTrend(rng));
    this.onHours.reset(path);
    this.onRates.reset(path);
    this.onPaid.reset(path);
    this.onSavings.reset(path);
    const noise = deriveStream(this.noiseKey, path);
    for (let y = 1; y <= this.horizon; y++) {
      this.zRecipients[y] = this.options.recipientNoise ? standardNormal(noise) : 0;
      this.zHours[y] = this.options.individualHoursCv > 0 ? standardNormal(noise) : 0;
    }
  }

  private setTrends(rateTrend: number, hoursTrend: number): void {
    this.rateTrend[0] = 1;
    this.hoursTrend[0] = 1;
    for (let y = 1; y <= this.horizon; y++) {
      this.rateTrend[y] = this.rateTrend[y - 1]! * (1 + rateTrend);
      this.hoursTrend[y] = this.hoursTrend[y - 1]! * (1 + hoursTrend);
    }
  }

  step(p: number, world: World, out: ServiceHistory): void {
    const t = this.setup.timeline;
    const y = t.periodYearIndex[p]!;
    this.compute(y, t.periodDays[p]!, t.yearDays[y]!, world, out, p);
  }

  private compute(y: number, days: number, yearDays: number, world: World, out: ServiceHistory, at: number): void {
    let perDay = this.neededPerDay[y]!;
    if (perDay !== perDay) {
      const G = this.groups;
      const pop = world.population;
      let lambda = 0;
      let citizens = 0;
      for (let g = 0; g < G; g++) {
        lambda += pop[y * G + g]! * this.rate[g]!;
        citizens += pop[y * G + g]!;
      }
      lambda *= this.share * this.rateFactor * this.rateTrend[y]!;
      // No more recipients than citizens, however high the drawn rate factor and noise.
      const recipients = Math.min(citizens * this.share, Math.max(0, lambda + Math.sqrt(lambda) * this.zRecipients[y]!));
      const h = this.hoursPerWeek * this.hoursTrend[y]!;
      perDay = Math.max(0, recipients * h + Math.sqrt(recipients) * this.options.individualHoursCv * h * this.zHours[y]!) / 7;
      this.neededPerDay[y] = perDay;
    }
    const b = this.baselineYear;
    const base = b >= 0;
    const driverFactor = base ? this.onHours.baselineFactor(b) * this.onRates.baselineFactor(b) : this.onHours.factor(at) * this.onRates.factor(at);
    const paidFactor = base ? this.onPaid.baselineFactor(b) : this.onPaid.factor(at);
    // Citizens waiting for a care home get intensive home care: this unit serves its share. The
    // baseline has the expected waiting list's hours (zero without care homes).
    const extraHoursPerWeek = base ? (this.extraBaseline[b] ?? 0) : this.setup.links.values[this.extraChannel]!;
    const extraPerDay = (extraHoursPerWeek * this.share) / 7;
    const needed = (perDay * driverFactor + extraPerDay) * days;
    const ordered = needed * out.serviceLevel[at]!;
    const delivered = ordered * (1 - this.undelivered);
    const index = world.priceIndex[y]!;
    out.neededUnits[at] = needed;
    out.orderedUnits[at] = ordered;
    out.deliveredUnits[at] = delivered;
    const interventionsKr = base ? 0 : (this.onHours.costKr[at]! + this.onRates.costKr[at]! + this.onPaid.costKr[at]! - this.onSavings.savings(at)) * this.share;
    out.costKr[at] = ((delivered / this.userTime) * paidFactor * this.options.wageCostPerPaidHourKr + this.options.overheadKrPerYear * this.share * (days / yearDays) + interventionsKr) * index;
  }
}
