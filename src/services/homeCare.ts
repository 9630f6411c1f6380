import { DEFAULT_TRENDS_PER_YEAR } from '../scenario/kinds';
import type { Scenario } from '../scenario/schema';
import { StreamSlot, streamKey, type RandomSource, type StreamKey } from '../random/stream';
import { GroupedSequence, plainInputs, type InputLevel, type InputSources } from '../random/inputs';
import { standardNormal } from '../random/special';
import { meanOf, samplerFor } from '../random/uncertain';
import type { World } from '../drivers/world';
import { WAITING_HOME_CARE_CHANNEL } from './careHomes';
import { InterventionEffects } from './interventions';
import { gammaSampler } from '../random/samplers';
import type { Uncertain } from '../scenario/distribution';
import {
  createHistory,
  type ActivityLine,
  type LineBaseline,
  type ServiceBaseline,
  type ServiceDefinition,
  type ServiceHistory,
  type ServiceInstance,
  type ServiceMetric,
  type ServiceSetup,
} from './service';
import { OptionError } from '../errors';
import { compileFormula, describeScope, FormulaError, type CompiledFormula } from '../scenario/formula';

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
 *   `useRateNoiseSdPerYear` σ > 0, every simulated year's rates are multiplied by
 *   exp(σ·u − σ²/2), u standard normal drawn anew each year (white noise around the trend,
 *   mean 1), one u for all groups and all units of the service (from the stream
 *   `<id>#useRateNoise`, so with σ = 0 nothing is drawn and no other draw moves); with
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
 * **Trends as formulas** (`useRateTrend`, `hoursTrend`): the factor of year t (0 in the base year)
 * is a formula of t and named parameters, compiled once by this function; the parameters are
 * drawn per path from their own stream (`<id>#useRateTrend`, `<id>#hoursTrend`, at the stream path
 * of the group `use-rates` or `intensity`), so the draws above keep their places, and are declared
 * as scalar inputs `<id>.useRateTrend.<name>`. The baseline takes the parameters' means. A factor
 * that is negative or not a finite number on a path throws a {@link FormulaError}, which a run
 * reports as a `NON_FINITE_FIGURE` error naming the field, the year and the parameters.
 *
 * **Care levels** (`careLevels`, packages or helhedspleje): the recipients of each age group
 * are split into levels by the group's base shares, and the mix moves month by month by the
 * transition matrix (drawn per path, rows summing to 1, so the number of recipients is kept;
 * entries and exits are in the use rates). Hours a week are Σ citizens × the level's hours
 * (drawn per path; `hoursPerRecipientPerWeek` is not used), and the package model saves the
 * share `coldHoursSavedShare` of paid hours not with the citizen (the price model expects the
 * mean saving). Lines: `hours` (the totals) and `citizen-days:<level>` (unit `citizen-days`),
 * each level priced ex ante at its share of the baseline's delivered hours at the hourly price.
 *
 * **Providers** (`providers`): units `home-care:own` and `home-care:<id>` in group
 * `home-care`, splitting the recipients by market share (the own provider has the rest). The
 * own provider's cost is as above, with its market share of the overhead. A private
 * provider's cost is what the municipality pays it: its delivered hours at the computed price
 * (approval model: the price model's hourly price, set ex ante) or at its bid uprated by the
 * actual price index (tender model), plus, under the approval model, the back-payment: the own
 * provider's actual cost per delivered hour above the computed price, times the private
 * provider's delivered hours of the year, in the last period of the year (`same-year`) or the
 * first of the next (`next-year`, the default; a back-payment for the last simulated year falls
 * outside the horizon). The metric `backPaymentKr` records it; a private provider whose own
 * `costKrPerHour` is given also records `marginKr`, what it is paid minus its own cost.
 *
 * @param options - the scenario's `homeCare` section (validated)
 * @param id - the service id in results (default `"home-care"`)
 * @returns one service plug-in, or one per unit (ids `"home-care:<unit>"`, group `"home-care"`)
 *   when `options.units` or `options.providers` is given
 * @throws RangeError when the private providers' mean market shares sum to 1 or more, or a
 *   trend formula does not compile ({@link OptionError}; a parsed scenario's formulas always do)
 * @example
 * ```ts
 * const scenario = parseScenario(lejre2034());
 * const [service] = homeCare(scenario.homeCare);
 * service.activityUnit; //=> 'hours'
 * ```
 * @category Services
 */
export function homeCare(options: HomeCareOptions, id = 'home-care'): ServiceDefinition[] {
  const levels = options.careLevels;
  const activityLines: readonly ActivityLine[] | undefined =
    levels === undefined
      ? undefined
      : [
          { id: 'hours', label: 'Hours' },
          ...levels.levels.map((l) => ({
            id: `citizen-days:${l.id}`,
            label: `Citizen-days, ${l.label ?? l.id}`,
            unit: 'citizen-days',
          })),
        ];
  const pv = options.providers;
  if (pv !== undefined) {
    const total = pv.private.reduce((a, q) => a + (byYear(q.marketShare) ? 0 : meanOf(q.marketShare)), 0);
    if (!(total < 1))
      throw new OptionError(
        `homeCare: the mean market shares of the private providers must sum to less than 1; they sum to ${total}`,
        { option: 'homeCare: providers.private', received: total },
      );
  }
  // Trend formulas are parsed and checked once, for every unit and run.
  const formulas: TrendFormulas = {
    rate: compileTrend(options.useRateTrend, 'homeCare.useRateTrend'),
    hours: compileTrend(options.hoursTrend, 'homeCare.hoursTrend'),
  };
  const units: UnitSpec[] =
    pv !== undefined
      ? [
          { id: 'own', label: pv.ownLabel, role: 'own', share: 0 },
          ...pv.private.map((q, k): UnitSpec => ({
            id: q.id,
            label: q.label ?? q.id,
            role: 'private',
            share: 0,
            privateIndex: k,
          })),
        ]
      : (options.units ?? [{ id: '', populationShare: 1 }]).map((u): UnitSpec => ({
          id: u.id,
          label: u.id,
          role: u.id === '' ? 'whole' : 'unit',
          share: u.populationShare,
        }));
  return units.map((unit) => {
    const unitId = unit.role === 'whole' ? id : `${id}:${unit.id}`;
    const label = unit.role === 'whole' ? options.label : `${options.label}, ${unit.label}`;
    // A unit's Danish name: home care and the provider's own name (the municipality's own
    // provider under its default name in Danish too); the whole service is named by the charts.
    const own = unit.role === 'own' && unit.label === 'Municipal home care' ? 'Kommunal hjemmepleje' : unit.label;
    return {
      id: unitId,
      ...(unit.role === 'whole' ? {} : { group: id, labels: { en: label, da: `Hjemmepleje, ${own}` } }),
      label,
      activityUnit: 'hours',
      ...(activityLines === undefined ? {} : { activityLines }),
      ...(pv === undefined
        ? {}
        : {
            metrics:
              unit.privateIndex !== undefined && pv.private[unit.privateIndex]!.costKrPerHour !== undefined
                ? [...PROVIDER_METRICS, MARGIN_METRIC]
                : PROVIDER_METRICS,
          }),
      create(setup: ServiceSetup): ServiceInstance {
        return new HomeCareInstance(options, id, unitId, unit, setup, formulas);
      },
    };
  });
}

/** The metrics of home care split into providers. */
const PROVIDER_METRICS: readonly ServiceMetric[] = [
  { id: 'backPaymentKr', label: 'Back-payment to the provider (kr)', aggregate: 'sum' },
];
/** A private provider's margin: what it is paid, back-payment included, minus its own cost (when its cost per hour is given). */
const MARGIN_METRIC: ServiceMetric = {
  id: 'marginKr',
  label: 'The provider’s margin: payment minus its own cost (kr)',
  aggregate: 'sum',
};

/** A unit of home care: the whole service, a district, the own provider or a private one. */
interface UnitSpec {
  readonly id: string;
  readonly label: string;
  readonly role: 'whole' | 'unit' | 'own' | 'private';
  /** Population share of a district (fixed); providers' shares come from their market shares. */
  readonly share: number;
  readonly privateIndex?: number;
}

/** Channels on which the own provider publishes its cost and delivered hours each period. */
const OWN_COST_CHANNEL = 'home-care.own.costKr';
const OWN_HOURS_CHANNEL = 'home-care.own.deliveredHours';

/** A market share given by calendar year, or a number or distribution drawn per path. */
function byYear(m: Uncertain | Readonly<Record<string, number>>): m is Readonly<Record<string, number>> {
  return typeof m === 'object' && !('dist' in m);
}

/**
 * A transition matrix drawn per path: each row from a Dirichlet distribution with the row as
 * mean and the given concentration (gamma draws normalised); zero entries stay zero, so every
 * row sums to 1 and the number of citizens is kept.
 *
 * @internal
 */
export function drawTransitions(
  mean: Float64Array,
  L: number,
  concentration: number | undefined,
  rng: () => number,
  out: Float64Array,
): void {
  for (let i = 0; i < L; i++) {
    let sum = 0;
    for (let j = 0; j < L; j++) {
      const m = mean[i * L + j]!;
      const g = concentration === undefined || m === 0 ? m : gammaSampler(concentration * m)(rng);
      out[i * L + j] = g;
      sum += g;
    }
    for (let j = 0; j < L; j++) out[i * L + j] = sum > 0 ? out[i * L + j]! / sum : i === j ? 1 : 0;
  }
}

/**
 * The level mix month by month: `mixOut[m·G·L + g·L + l]` is the share of group g's recipients
 * at level l during month m (month 0 = January of the first simulated year = the base shares),
 * each month's mix the previous one times the transition matrix.
 *
 * @internal
 */
export function levelMixByMonth(
  base: Float64Array,
  transitions: Float64Array,
  G: number,
  L: number,
  months: number,
  mixOut: Float64Array,
): void {
  const GL = G * L;
  mixOut.set(base.subarray(0, GL), 0);
  for (let m = 1; m < months; m++) {
    for (let g = 0; g < G; g++) {
      for (let j = 0; j < L; j++) {
        let v = 0;
        for (let i = 0; i < L; i++) v += mixOut[(m - 1) * GL + g * L + i]! * transitions[i * L + j]!;
        mixOut[m * GL + g * L + j] = v;
      }
    }
  }
}

/** Home care's parameters drawn once per path, in the order they are drawn from one stream, and their input groups. */
const PARAM_NAMES = [
  'hoursPerRecipientPerWeek',
  'undeliveredShare',
  'userTimeShare',
  'useRateFactor',
  'useRateTrendPerYear',
  'hoursTrendPerYear',
] as const;
const PARAM_GROUPS: readonly string[] = [
  'intensity',
  'productivity',
  'productivity',
  'use-rates',
  'use-rates',
  'intensity',
];
const PARAM_LEVELS: readonly InputLevel[] = PARAM_GROUPS.map(() => 'structural');
const PARAM_COUNT = PARAM_NAMES.length;

class HomeCareInstance implements ServiceInstance {
  readonly baseline: ServiceBaseline;
  private readonly options: HomeCareOptions;
  private readonly unit: UnitSpec;
  private readonly groups: number;
  private readonly horizon: number;
  /** The unit's share of the recipients by year (a district's population share, a provider's market share). */
  private readonly shares: Float64Array;
  /** Base-year use rate by group. */
  private readonly rate: Float64Array;
  /** The path's trend factors by year: (1 + trend)^y. */
  private readonly rateTrend: Float64Array;
  /** `useRateTrendPivotYears` and `hoursTrendPivotYears` (0 with a formula), and 1 + each trend's mean. */
  private readonly ratePivot: number;
  private readonly hoursPivot: number;
  private readonly ratePivotMean: number;
  private readonly hoursPivotMean: number;
  private readonly hoursTrend: Float64Array;
  /** The path's standard normal noise by year: recipients and hours. */
  private readonly zRecipients: Float64Array;
  /** The path's year-to-year factor of the use rates by year, exp(σ·u − σ²/2) (1 in the base year, and every year when σ = 0). */
  private readonly rateNoise: Float64Array;
  /** σ of `useRateNoiseSdPerYear`, and the stream of its draws (keyed by the service id: common to its units). */
  private readonly rateNoiseSd: number;
  private readonly rateNoiseKey: StreamKey;
  private readonly rateNoiseStream = new StreamSlot();
  private readonly zHours: Float64Array;
  /** The path's six parameters, drawn in this order from one stream (see PARAM_NAMES). */
  private readonly params: GroupedSequence;
  private readonly inputs: InputSources;
  private readonly handles: number[];
  /** The path's yearly noise: recipients (use rates) and hours (intensity) interleaved, as drawn. */
  private readonly noise: GroupedSequence;
  /**
   * Needed hours per day by year for the current path, at full service: the same for every
   * strategy replaying the path, so computed once (NaN = not yet).
   */
  private readonly neededPerDay: Float64Array;
  private lastPath = -1;
  /**
   * Per period of the current path (the baseline: per year), what {@link compute} worked out for
   * {@link provide}: needed hours, the paid-hours factor, the interventions' net cost; and
   * whether they are kept for the next strategy, with the waiting list's hours they were
   * computed with. `provide` reads them here rather than as arguments: a double passed to a call
   * V8 does not inline is boxed on the heap, several allocations a period.
   */
  private readonly periodKnown: Uint8Array;
  private readonly periodExtra: Float64Array;
  private readonly periodNeeded: Float64Array;
  private readonly periodPaidFactor: Float64Array;
  private readonly periodInterventionsKr: Float64Array;
  /** Needed hours per day worked out by {@link neededHoursPerDay} (in an array, not returned, for the same reason). */
  private readonly perDayNow = new Float64Array(1);
  /** Channel of extra visited hours a week (citizens waiting for a care home), from other services. */
  private readonly extraChannel: number;
  /** The channel's expected hours a week by year, for the baseline. */
  private readonly extraBaseline: Float64Array;
  /** Interventions on hours per recipient, use rates and paid hours; savings plans. */
  private readonly onHours: InterventionEffects;
  private readonly onRates: InterventionEffects;
  private readonly onPaid: InterventionEffects;
  private readonly onSavings: InterventionEffects;
  /** The timeline's year and days of each period, and days of each year. */
  private readonly periodYear: Int32Array;
  private readonly periodDays: Float64Array;
  private readonly yearDays: Float64Array;
  private readonly links: ServiceSetup['links'];
  private readonly wageKr: number;
  private readonly overheadKrPerYear: number;
  /** A private provider, paid by contract. */
  private readonly isPrivate: boolean;
  /** Whether any intervention acts on this service (else their factors are 1 and their cost 0). */
  private readonly intervened: boolean;
  /** The year whose baseline is being computed, or −1 when stepping a path. */
  private baselineYear = -1;
  // The path's draws.
  private hoursPerWeek = 0;
  private undelivered = 0;
  private userTime = 0;
  private rateFactor = 0;
  /** Care levels (undefined: single services by the hour). */
  private readonly levels: LevelState | undefined;
  /** Free choice of provider (undefined: no providers). */
  private readonly providers: ProviderState | undefined;
  /** The use rates' and hours' trends given as formulas (undefined: a change a year). */
  private readonly rateFormula: TrendFormula | undefined;
  private readonly hoursFormula: TrendFormula | undefined;

  constructor(
    options: HomeCareOptions,
    id: string,
    unitId: string,
    unit: UnitSpec,
    setup: ServiceSetup,
    formulas: TrendFormulas,
  ) {
    this.options = options;
    this.unit = unit;
    const { timeline, baselineWorld } = setup;
    const ids = baselineWorld.groupIds;
    const G = ids.length;
    const H = timeline.horizonYears;
    this.groups = G;
    this.horizon = H;
    this.shares = new Float64Array(H + 1).fill(unit.share);
    this.rate = Float64Array.from(ids, (gid) => options.useRates[gid] ?? 0);
    this.rateTrend = new Float64Array(H + 1);
    this.hoursTrend = new Float64Array(H + 1);
    this.zRecipients = new Float64Array(H + 1);
    this.zHours = new Float64Array(H + 1);
    this.rateNoise = new Float64Array(H + 1).fill(1);
    this.rateNoiseSd = options.useRateNoiseSdPerYear ?? 0;
    this.rateNoiseKey = streamKey(setup.seed, `${id}#useRateNoise`);
    this.neededPerDay = new Float64Array(H + 1).fill(NaN);
    const P = timeline.periodCount;
    this.periodKnown = new Uint8Array(P);
    this.periodExtra = new Float64Array(P);
    // The baseline computes by year (index 0 to H), a path by period.
    this.periodNeeded = new Float64Array(Math.max(P, H + 1));
    this.periodPaidFactor = new Float64Array(Math.max(P, H + 1));
    this.periodInterventionsKr = new Float64Array(Math.max(P, H + 1));
    this.periodYear = timeline.periodYearIndex;
    this.periodDays = timeline.periodDays;
    this.yearDays = timeline.yearDays;
    this.links = setup.links;
    this.wageKr = options.wageCostPerPaidHourKr;
    this.overheadKrPerYear = options.overheadKrPerYear;
    this.isPrivate = unit.role === 'private';
    this.extraChannel = setup.links.channel(WAITING_HOME_CARE_CHANNEL);
    this.extraBaseline = setup.links.baselineValues(this.extraChannel);
    this.onHours = new InterventionEffects(setup, id, 'home-care.hours');
    this.onRates = new InterventionEffects(setup, id, 'home-care.useRate');
    this.onPaid = new InterventionEffects(setup, id, 'home-care.paidHours');
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    this.intervened = this.onHours.count + this.onRates.count + this.onPaid.count + this.onSavings.count > 0;
    const rateTrendPerYear = options.useRateTrendPerYear ?? DEFAULT_TRENDS_PER_YEAR.useRateTrendPerYear;
    const hoursTrendPerYear = options.hoursTrendPerYear ?? DEFAULT_TRENDS_PER_YEAR.hoursTrendPerYear;
    this.ratePivot = options.useRateTrend === undefined ? (options.useRateTrendPivotYears ?? 0) : 0;
    this.hoursPivot = options.hoursTrend === undefined ? (options.hoursTrendPivotYears ?? 0) : 0;
    this.ratePivotMean = 1 + meanOf(rateTrendPerYear);
    this.hoursPivotMean = 1 + meanOf(hoursTrendPerYear);
    const sample = [
      samplerFor(options.hoursPerRecipientPerWeek),
      samplerFor(options.undeliveredShare),
      samplerFor(options.userTimeShare),
      samplerFor(options.useRateFactor),
      samplerFor(rateTrendPerYear),
      samplerFor(hoursTrendPerYear),
    ] as const;
    this.params = new GroupedSequence(streamKey(setup.seed, id), PARAM_GROUPS, PARAM_LEVELS, (rng, out) => {
      for (let k = 0; k < PARAM_COUNT; k++) out[k] = sample[k]!(rng);
    });
    this.inputs = setup.inputs ?? plainInputs();
    const declared = [
      options.hoursPerRecipientPerWeek,
      options.undeliveredShare,
      options.userTimeShare,
      options.useRateFactor,
      rateTrendPerYear,
      hoursTrendPerYear,
    ];
    // A trend given as a formula replaces its change a year: that one is still drawn (so the other draws keep their places) but not declared or used.
    const replaced = [false, false, false, false, options.useRateTrend !== undefined, options.hoursTrend !== undefined];
    this.handles = PARAM_NAMES.map((name, k) =>
      replaced[k]
        ? -1
        : this.inputs.declare({
            name: `${id}.${name}`,
            group: PARAM_GROUPS[k]!,
            level: 'structural',
            distribution: declared[k]!,
          }),
    );
    const years = timeline.years;
    this.rateFormula =
      options.useRateTrend === undefined || formulas.rate === undefined
        ? undefined
        : new TrendFormula(
            options.useRateTrend,
            formulas.rate,
            'homeCare.useRateTrend',
            `${id}.useRateTrend`,
            'use-rates',
            streamKey(setup.seed, `${id}#useRateTrend`),
            this.inputs,
            years,
          );
    this.hoursFormula =
      options.hoursTrend === undefined || formulas.hours === undefined
        ? undefined
        : new TrendFormula(
            options.hoursTrend,
            formulas.hours,
            'homeCare.hoursTrend',
            `${id}.hoursTrend`,
            'intensity',
            streamKey(setup.seed, `${id}#hoursTrend`),
            this.inputs,
            years,
          );
    // The yearly noise: recipients (use rates) and hours (intensity) interleaved, as drawn.
    const noiseGroups: string[] = [];
    for (let y = 1; y <= H; y++) {
      if (options.recipientNoise) noiseGroups.push('use-rates');
      if (options.individualHoursCv > 0) noiseGroups.push('intensity');
    }
    this.noise = new GroupedSequence(
      streamKey(setup.seed, `${unitId}#noise`),
      noiseGroups,
      noiseGroups.map(() => 'variability'),
      (rng, out) => {
        for (let k = 0; k < out.length; k++) out[k] = standardNormal(rng);
      },
    );
    this.levels =
      options.careLevels === undefined
        ? undefined
        : new LevelState(options.careLevels, ids, timeline.periodsPerYear, H, streamKey(setup.seed, `${id}#levels`));
    this.providers =
      options.providers === undefined
        ? undefined
        : new ProviderState(options.providers, unit, timeline.years, setup, streamKey(setup.seed, `${id}#providers`));
    this.providers?.sharesOf(-1, this.shares);
    // The baseline: each input at its mean, no noise, baseline population, forecast index, full service.
    this.hoursPerWeek = meanOf(options.hoursPerRecipientPerWeek);
    this.undelivered = meanOf(options.undeliveredShare);
    this.userTime = meanOf(options.userTimeShare);
    this.rateFactor = meanOf(options.useRateFactor);
    this.setTrends(meanOf(rateTrendPerYear), meanOf(hoursTrendPerYear));
    this.rateFormula?.factors(-1, this.rateTrend);
    this.hoursFormula?.factors(-1, this.hoursTrend);
    const L = this.levels?.count ?? 0;
    const history = createHistory(H + 1, 0, L === 0 ? 1 : L + 1);
    const costByGroupKr = new Float64Array((H + 1) * G);
    const priceKrPerDeliveredUnit = new Float64Array(H + 1);
    const levelPrices = Array.from({ length: L }, () => new Float64Array(H + 1));
    const assumedShare = options.assumedUserTimeShare ?? this.userTime;
    // The package model's expected saving of cold hours, known to the price model.
    const coldFactor = this.levels === undefined ? 1 : 1 - this.levels.coldSaved * (1 - assumedShare);
    let pendingBackPayment = 0;
    for (let y = 0; y <= H; y++) {
      const days = timeline.yearDays[y]!;
      const share = this.shares[y]!;
      const index = baselineWorld.priceIndex[y]!;
      this.baselineYear = y;
      this.compute(y, days, days, baselineWorld, history, y);
      this.baselineYear = -1;
      if (y > 0 && unit.role !== 'private') {
        // The baseline knows the decided interventions: their expected costs and savings.
        let net = 0;
        for (let p = (y - 1) * timeline.periodsPerYear; p < y * timeline.periodsPerYear; p++) {
          net += this.onHours.costKr[p]! + this.onRates.costKr[p]! + this.onPaid.costKr[p]!;
        }
        const periods = Array.from(
          { length: timeline.periodsPerYear },
          (_, k) => (y - 1) * timeline.periodsPerYear + k,
        );
        net -= this.onSavings.baselineSavings(y, periods);
        history.costKr[y] = history.costKr[y]! + net * share * baselineWorld.priceIndex[y]!;
      }
      const delivered = history.deliveredUnits[y]!;
      // The municipality's price model: wage per paid hour over its assumed share, plus overhead per hour.
      priceKrPerDeliveredUnit[y] =
        this.levels === undefined
          ? (this.options.wageCostPerPaidHourKr * index) / assumedShare +
            (delivered > 0 ? (this.options.overheadKrPerYear * index * share) / delivered : 0)
          : ((this.options.wageCostPerPaidHourKr * index) / assumedShare) * coldFactor +
            (delivered > 0 ? (this.options.overheadKrPerYear * index * share) / delivered : 0);
      const pv = this.providers;
      if (pv !== undefined) {
        if (unit.role === 'own') {
          pv.publishBaseline(y, history.costKr[y]!, delivered);
        } else {
          const bid = pv.bidKr;
          if (bid !== undefined) priceKrPerDeliveredUnit[y] = bid * index;
          pv.computedPrice[y] = priceKrPerDeliveredUnit[y]!;
          // A private provider is paid the price for its hours, plus any back-payment.
          history.costKr[y] = delivered * priceKrPerDeliveredUnit[y]!;
          const due = pv.backPaymentDue(pv.baselineOwnUnitCost(y), y, delivered);
          if (pv.sameYear) history.costKr[y] = history.costKr[y]! + due;
          else {
            if (y >= 2) history.costKr[y] = history.costKr[y]! + pendingBackPayment;
            pendingBackPayment = due;
          }
        }
      }
      const lv = this.levels;
      if (lv !== undefined) {
        // Each level's settlement price per citizen-day: its share of the baseline's delivered hours at the hourly price.
        let weighted = 0;
        for (let l = 0; l < L; l++) weighted += lv.levelHours[l]!;
        for (let l = 0; l < L; l++) {
          const citizenDays = history.lines[l + 1]!.deliveredUnits[y]!;
          levelPrices[l]![y] =
            citizenDays > 0 && weighted > 0
              ? (priceKrPerDeliveredUnit[y]! * delivered * (lv.levelHours[l]! / weighted)) / citizenDays
              : 0;
        }
      }
      let recipients = 0;
      for (let g = 0; g < G; g++) recipients += baselineWorld.population[y * G + g]! * this.rate[g]!;
      for (let g = 0; g < G; g++) {
        const part = recipients > 0 ? (baselineWorld.population[y * G + g]! * this.rate[g]!) / recipients : 0;
        costByGroupKr[y * G + g] = history.costKr[y]! * part;
      }
    }
    const lines: LineBaseline[] | undefined =
      L === 0
        ? undefined
        : [
            { ...history.lines[0]!, priceKrPerDeliveredUnit },
            ...levelPrices.map((price, l) => ({ ...history.lines[l + 1]!, priceKrPerDeliveredUnit: price })),
          ];
    this.baseline = { ...history, costByGroupKr, priceKrPerDeliveredUnit, ...(lines === undefined ? {} : { lines }) };
    this.neededPerDay.fill(NaN);
  }

  reset(path: number): void {
    // Every strategy replays the same path with the same draws: draw them once.
    if (path === this.lastPath) return;
    this.lastPath = path;
    this.neededPerDay.fill(NaN);
    this.periodKnown.fill(0);
    const inputs = this.inputs;
    const v = this.params.drawPath(inputs, path);
    for (let k = 0; k < PARAM_COUNT; k++) {
      const handle = this.handles[k]!;
      if (handle >= 0) v[k] = inputs.value(handle, v[k]!, path);
    }
    this.hoursPerWeek = v[0]!;
    this.undelivered = v[1]!;
    this.userTime = v[2]!;
    this.rateFactor = v[3]!;
    this.setTrends(v[4]!, v[5]!);
    this.rateFormula?.factors(path, this.rateTrend);
    this.hoursFormula?.factors(path, this.hoursTrend);
    this.onHours.reset(path);
    this.onRates.reset(path);
    this.onPaid.reset(path);
    this.onSavings.reset(path);
    const z = this.noise.drawPath(inputs, path);
    let k = 0;
    for (let y = 1; y <= this.horizon; y++) {
      this.zRecipients[y] = this.options.recipientNoise ? z[k++]! : 0;
      this.zHours[y] = this.options.individualHoursCv > 0 ? z[k++]! : 0;
    }
    const sd = this.rateNoiseSd;
    if (sd > 0) {
      // Its own stream, drawn only when σ > 0: the draws above keep their places.
      const rng = this.rateNoiseStream.at(this.rateNoiseKey, inputs.path('use-rates', path, 'variability'));
      for (let y = 1; y <= this.horizon; y++) this.rateNoise[y] = Math.exp(sd * standardNormal(rng) - (sd * sd) / 2);
    }
    this.levels?.reset(path, inputs);
    this.providers?.sharesOf(path, this.shares);
  }

  private setTrends(rateTrend: number, hoursTrend: number): void {
    // The pivots turn each line around a year before the base year (factor 1 at the trend's mean).
    this.rateTrend[0] = this.ratePivot === 0 ? 1 : ((1 + rateTrend) / this.ratePivotMean) ** this.ratePivot;
    this.hoursTrend[0] = this.hoursPivot === 0 ? 1 : ((1 + hoursTrend) / this.hoursPivotMean) ** this.hoursPivot;
    for (let y = 1; y <= this.horizon; y++) {
      this.rateTrend[y] = this.rateTrend[y - 1]! * (1 + rateTrend);
      this.hoursTrend[y] = this.hoursTrend[y - 1]! * (1 + hoursTrend);
    }
  }

  step(p: number, world: World, out: ServiceHistory): void {
    const y = this.periodYear[p]!;
    const days = this.periodDays[p]!;
    // Another strategy replaying the path, with the same waiting list: what does not depend on
    // the strategy is the first strategy's (see compute).
    if (this.periodKnown[p] === 1 && this.periodExtra[p] === this.links.values[this.extraChannel]!)
      this.provide(y, days, this.yearDays[y]!, world, out, p);
    else this.compute(y, days, this.yearDays[y]!, world, out, p);
    const pv = this.providers;
    if (pv === undefined) return;
    if (this.unit.role === 'own') pv.publish(out.costKr[p]!, out.deliveredUnits[p]!);
    else pv.settlePrivate(p, y, world.priceIndex[y]!, out);
  }

  /**
   * Needed hours per day at full service in year y (or, with care levels, in the period), into
   * `perDayNow[0]`, writing citizen-days per level.
   */
  private neededHoursPerDay(y: number, days: number, world: World, out: ServiceHistory, at: number): void {
    const lv = this.levels;
    if (lv === undefined) {
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
        lambda *= this.shares[y]! * this.rateFactor * this.rateTrend[y]! * this.rateNoise[y]!;
        // No more recipients than citizens, however high the drawn rate factor and noise.
        const recipients = Math.min(
          citizens * this.shares[y]!,
          Math.max(0, lambda + Math.sqrt(lambda) * this.zRecipients[y]!),
        );
        const h = this.hoursPerWeek * this.hoursTrend[y]!;
        perDay =
          Math.max(0, recipients * h + Math.sqrt(recipients) * this.options.individualHoursCv * h * this.zHours[y]!) /
          7;
        this.neededPerDay[y] = perDay;
      }
      this.perDayNow[0] = perDay;
      return;
    }
    // Care levels: recipients by group, split into levels by the period's (baseline: the year's) mix.
    const G = this.groups;
    const L = lv.count;
    const pop = world.population;
    const factor = this.shares[y]! * this.rateFactor * this.rateTrend[y]! * this.rateNoise[y]!;
    let lambda = 0;
    let population = 0;
    for (let g = 0; g < G; g++) {
      lambda += pop[y * G + g]! * this.rate[g]! * factor;
      population += pop[y * G + g]!;
    }
    // No more recipients than citizens, however high the drawn rate factor and noise.
    const recipients = Math.min(
      population * this.shares[y]!,
      Math.max(0, lambda + Math.sqrt(lambda) * this.zRecipients[y]!),
    );
    const scale = lambda > 0 ? recipients / lambda : 0;
    const mix = this.baselineYear >= 0 ? lv.yearMix : lv.periodMix;
    const offset = at * G * L;
    let hoursPerWeek = 0;
    for (let l = 0; l < L; l++) {
      let citizens = 0;
      for (let g = 0; g < G; g++) citizens += pop[y * G + g]! * this.rate[g]! * factor * mix[offset + g * L + l]!;
      citizens *= scale;
      const hours = citizens * lv.hours[l]! * this.hoursTrend[y]!;
      lv.levelHours[l] = hours;
      hoursPerWeek += hours;
      const line = out.lines[l + 1]!;
      line.orderedUnits[at] = citizens * days;
      line.deliveredUnits[at] = citizens * days;
    }
    const h = recipients > 0 ? hoursPerWeek / recipients : 0;
    this.perDayNow[0] =
      Math.max(0, hoursPerWeek + Math.sqrt(recipients) * this.options.individualHoursCv * h * this.zHours[y]!) / 7;
  }

  /**
   * Period `at` of year y (or, for the baseline, the year itself): the needed hours, the
   * paid-hours factor and the interventions' net cost, then what is provided. On a path these
   * do not depend on the strategy: they are kept for the other strategies, which step the same
   * path with the same world and the same waiting list (checked in step); not with care levels,
   * whose lines are written here.
   */
  private compute(y: number, days: number, yearDays: number, world: World, out: ServiceHistory, at: number): void {
    const b = this.baselineYear;
    const base = b >= 0;
    const share = this.shares[y]!;
    const extraHoursPerWeek = base ? (this.extraBaseline[b] ?? 0) : this.links.values[this.extraChannel]!;
    this.neededHoursPerDay(y, days, world, out, at);
    const perDay = this.perDayNow[0]!;
    // Without interventions the factors are 1 and the net cost 0: nothing to call.
    let driverFactor = 1;
    let paidFactor = 1;
    let interventionsKr = 0;
    if (base) {
      driverFactor = this.onHours.baselineFactor(b) * this.onRates.baselineFactor(b);
      paidFactor = this.onPaid.baselineFactor(b);
    } else if (this.intervened) {
      driverFactor = this.onHours.factor(at) * this.onRates.factor(at);
      paidFactor = this.onPaid.factor(at);
      interventionsKr =
        (this.onHours.costKr[at]! + this.onRates.costKr[at]! + this.onPaid.costKr[at]! - this.onSavings.savings(at)) *
        share;
    }
    // Citizens waiting for a care home get intensive home care: this unit serves its share. The
    // baseline has the expected waiting list's hours (zero without care homes).
    const extraPerDay = (extraHoursPerWeek * share) / 7;
    const needed = (perDay * driverFactor + extraPerDay) * days;
    this.periodNeeded[at] = needed;
    this.periodPaidFactor[at] = paidFactor;
    this.periodInterventionsKr[at] = interventionsKr;
    if (!base && this.levels === undefined) {
      this.periodKnown[at] = 1;
      this.periodExtra[at] = extraHoursPerWeek;
    }
    this.provide(y, days, yearDays, world, out, at);
  }

  /**
   * What is ordered, delivered and paid for at `at` given the needed hours, the paid-hours
   * factor and the interventions' net cost (in the period arrays at `at`): the service level in force, the
   * undelivered share, and the cost of the paid hours, the overhead (its share of the year,
   * `days` of `yearDays`) and the interventions, at the year's price index.
   */
  private provide(y: number, days: number, yearDays: number, world: World, out: ServiceHistory, at: number): void {
    const needed = this.periodNeeded[at]!;
    const paidFactor = this.periodPaidFactor[at]!;
    const interventionsKr = this.periodInterventionsKr[at]!;
    const yearShare = days / yearDays;
    const index = world.priceIndex[y]!;
    const lv = this.levels;
    const ordered = needed * out.serviceLevel[at]!;
    const delivered = ordered * (1 - this.undelivered);
    out.neededUnits[at] = needed;
    out.orderedUnits[at] = ordered;
    out.deliveredUnits[at] = delivered;
    if (lv !== undefined) {
      out.lines[0]!.orderedUnits[at] = ordered;
      out.lines[0]!.deliveredUnits[at] = delivered;
    }
    if (this.isPrivate) {
      // Paid by the contract: the computed price (approval model) or the bid uprated by the actual index (tender model); back-payment at settlement.
      const pv = this.providers!;
      out.costKr[at] = delivered * (pv.bidKr === undefined ? pv.computedPrice[y]! : pv.bidKr * index);
      return;
    }
    const paidHours =
      lv === undefined
        ? (delivered / this.userTime) * paidFactor
        : (delivered / this.userTime) * paidFactor * (1 - lv.coldSavedNow * (1 - this.userTime));
    out.costKr[at] =
      (paidHours * this.wageKr + this.overheadKrPerYear * this.shares[y]! * yearShare + interventionsKr) * index;
  }
}

type CareLevels = NonNullable<HomeCareOptions['careLevels']>;
type Providers = NonNullable<HomeCareOptions['providers']>;

/** Care levels of one unit: the path's transition matrix, level hours and mix by period. */
class LevelState {
  readonly count: number;
  private readonly groups: number;
  private readonly months: number;
  private readonly monthsPerPeriod: number;
  private readonly key: StreamKey;
  private readonly stream = new StreamSlot();
  private readonly options: CareLevels;
  /** Base shares by group and level. */
  private readonly base: Float64Array;
  private readonly meanTransitions: Float64Array;
  private readonly transitions: Float64Array;
  private readonly monthMix: Float64Array;
  /** The mix by period of the current path, `periodMix[p·G·L + g·L + l]`. */
  readonly periodMix: Float64Array;
  /** The baseline mix by year (the months' mean, year 0 = the base shares), with the mean matrix. */
  readonly yearMix: Float64Array;
  /** Hours per citizen a week by level: the path's draws (the means for the baseline). */
  readonly hours: Float64Array;
  /** Scratch: hours a week of each level in the last computed period. */
  readonly levelHours: Float64Array;
  private readonly hourSamplers;
  private readonly coldSampler;
  /** The expected share of cold hours saved (the price model's) and the path's. */
  readonly coldSaved: number;
  coldSavedNow: number;

  constructor(
    options: CareLevels,
    groupIds: readonly string[],
    periodsPerYear: number,
    horizon: number,
    key: StreamKey,
  ) {
    const L = options.levels.length;
    const G = groupIds.length;
    this.count = L;
    this.groups = G;
    this.options = options;
    this.key = key;
    this.months = 12 * horizon;
    this.monthsPerPeriod = 12 / periodsPerYear;
    this.base = new Float64Array(G * L);
    groupIds.forEach((gid, g) => (options.shares[gid] ?? []).forEach((v, l) => (this.base[g * L + l] = v)));
    this.meanTransitions = Float64Array.from(options.transitions.flat());
    this.transitions = new Float64Array(L * L);
    this.monthMix = new Float64Array(this.months * G * L);
    this.periodMix = new Float64Array(periodsPerYear * horizon * G * L);
    this.yearMix = new Float64Array((horizon + 1) * G * L);
    this.hours = Float64Array.from(options.levels, (l) => meanOf(l.hoursPerWeek));
    this.levelHours = new Float64Array(L);
    this.hourSamplers = options.levels.map((l) => samplerFor(l.hoursPerWeek));
    this.coldSampler = samplerFor(options.coldHoursSavedShare);
    this.coldSaved = meanOf(options.coldHoursSavedShare);
    this.coldSavedNow = this.coldSaved;
    // The baseline's mix by year, from the mean matrix.
    levelMixByMonth(this.base, this.meanTransitions, G, L, this.months, this.monthMix);
    this.yearMix.set(this.base, 0);
    this.average(this.yearMix, 12, G * L);
  }

  /** Averages the month mix over blocks of `per` months into `out`, block k at (k + skip)·G·L. */
  private average(out: Float64Array, per: number, skip: number): void {
    const GL = this.groups * this.count;
    const blocks = this.months / per;
    for (let k = 0; k < blocks; k++) {
      for (let i = 0; i < GL; i++) {
        let v = 0;
        for (let m = k * per; m < (k + 1) * per; m++) v += this.monthMix[m * GL + i]!;
        out[skip + k * GL + i] = v / per;
      }
    }
  }

  reset(path: number, inputs: InputSources): void {
    const rng = this.stream.at(this.key, inputs.path('intensity', path, 'structural'));
    for (let l = 0; l < this.count; l++) this.hours[l] = this.hourSamplers[l]!(rng);
    this.coldSavedNow = this.coldSampler(rng);
    drawTransitions(this.meanTransitions, this.count, this.options.transitionConcentration, rng, this.transitions);
    levelMixByMonth(this.base, this.transitions, this.groups, this.count, this.months, this.monthMix);
    this.average(this.periodMix, this.monthsPerPeriod, 0);
  }
}

/** One provider unit's view of free choice: market shares, the computed price, back-payment. */
class ProviderState {
  readonly sameYear: boolean;
  /** Tender model: this private provider's bid per hour (base-year prices). */
  readonly bidKr: number | undefined;
  /** The price paid per delivered hour by year (approval: the municipality's computed price). */
  readonly computedPrice: Float64Array;
  private readonly options: Providers;
  private readonly unit: UnitSpec;
  private readonly years: readonly number[];
  private readonly key: StreamKey;
  private readonly costKey: StreamKey;
  private readonly stream = new StreamSlot();
  private readonly costStream = new StreamSlot();
  private readonly inputs: InputSources;
  private readonly samplers;
  private readonly links: ServiceSetup['links'];
  private readonly costChannel: number;
  private readonly hoursChannel: number;
  private readonly periodsPerYear: number;
  private readonly drawn: Float64Array;
  /** A private provider's own cost per hour: its sampler, and the path's draw (base-year prices). */
  private readonly costSampler: ((rng: () => number) => number) | undefined;
  private costKrPerHour: number;
  // Year-to-date sums while stepping a path, and a back-payment due next year.
  private ownCost = 0;
  private ownHours = 0;
  private myHours = 0;
  private pending = 0;

  constructor(options: Providers, unit: UnitSpec, years: readonly number[], setup: ServiceSetup, key: StreamKey) {
    this.options = options;
    this.unit = unit;
    this.years = years;
    this.key = key;
    this.costKey = streamKey(setup.seed, `${key.component}:${unit.id}#cost`);
    this.inputs = setup.inputs ?? plainInputs();
    this.sameYear = options.backPayment === 'same-year';
    const own = unit.privateIndex === undefined ? undefined : options.private[unit.privateIndex];
    this.bidKr = options.model === 'tender' ? own?.bidPriceKrPerHour : undefined;
    this.costSampler = own?.costKrPerHour === undefined ? undefined : samplerFor(own.costKrPerHour);
    this.costKrPerHour = own?.costKrPerHour === undefined ? NaN : meanOf(own.costKrPerHour);
    this.computedPrice = new Float64Array(years.length);
    this.samplers = options.private.map((q) => (byYear(q.marketShare) ? undefined : samplerFor(q.marketShare)));
    this.links = setup.links;
    this.costChannel = setup.links.channel(OWN_COST_CHANNEL);
    this.hoursChannel = setup.links.channel(OWN_HOURS_CHANNEL);
    this.periodsPerYear = setup.timeline.periodsPerYear;
    this.drawn = new Float64Array(options.private.length);
  }

  /**
   * Writes this unit's market share by year: each private provider's share (given by year, or
   * drawn once per path from a stream shared by all providers; path −1 = the means), scaled
   * down when they exceed 1; the own provider has the rest.
   */
  sharesOf(path: number, out: Float64Array): void {
    const inputs = this.inputs;
    const rng = path < 0 ? undefined : this.stream.at(this.key, inputs.path('providers', path, 'structural'));
    this.options.private.forEach((q, k) => {
      const m = q.marketShare;
      this.drawn[k] = byYear(m) ? NaN : rng === undefined ? meanOf(m) : this.samplers[k]!(rng);
    });
    // The provider's own cost per hour, from a stream of its own (the shares' draws stay as they are).
    if (this.costSampler !== undefined && path >= 0)
      this.costKrPerHour = this.costSampler(
        this.costStream.at(this.costKey, inputs.path('prices', path, 'structural')),
      );
    for (let y = 0; y < this.years.length; y++) {
      let total = 0;
      let mine = 0;
      this.options.private.forEach((q, k) => {
        const m = q.marketShare;
        const v = byYear(m) ? shareInYear(m, this.years[y]!) : this.drawn[k]!;
        total += v;
        if (k === this.unit.privateIndex) mine = v;
      });
      const scale = total > 1 ? 1 / total : 1;
      out[y] = this.unit.role === 'own' ? Math.max(0, 1 - total * scale) : mine * scale;
    }
  }

  publishBaseline(y: number, costKr: number, hours: number): void {
    this.links.baselineValues(this.costChannel)[y] = costKr;
    this.links.baselineValues(this.hoursChannel)[y] = hours;
  }

  baselineOwnUnitCost(y: number): number {
    const hours = this.links.baselineValues(this.hoursChannel)[y]!;
    return hours > 0 ? this.links.baselineValues(this.costChannel)[y]! / hours : 0;
  }

  /** Back-payment for year y: the own provider's unit cost above the price, times the private hours (approval model only). */
  backPaymentDue(ownUnitCost: number, y: number, privateHours: number): number {
    if (this.options.model !== 'approval') return 0;
    return Math.max(0, ownUnitCost - this.computedPrice[y]!) * privateHours;
  }

  publish(costKr: number, hours: number): void {
    this.links.values[this.costChannel] = costKr;
    this.links.values[this.hoursChannel] = hours;
  }

  /** A private provider's period: adds up the year and, at settlement, the back-payment to its cost. */
  settlePrivate(p: number, y: number, index: number, out: ServiceHistory): void {
    const ppy = this.periodsPerYear;
    if (p % ppy === 0) {
      if (p === 0) this.pending = 0;
      this.ownCost = 0;
      this.ownHours = 0;
      this.myHours = 0;
    }
    this.ownCost += this.links.values[this.costChannel]!;
    this.ownHours += this.links.values[this.hoursChannel]!;
    this.myHours += out.deliveredUnits[p]!;
    let paid = 0;
    if (!this.sameYear && p % ppy === 0) {
      paid += this.pending;
      this.pending = 0;
    }
    if (p % ppy === ppy - 1) {
      const due = this.backPaymentDue(this.ownHours > 0 ? this.ownCost / this.ownHours : 0, y, this.myHours);
      if (this.sameYear) paid += due;
      else this.pending = due;
    }
    out.costKr[p] = out.costKr[p]! + paid;
    out.metrics[0]![p] = paid;
    const margin = out.metrics[1];
    if (margin !== undefined) margin[p] = out.costKr[p]! - out.deliveredUnits[p]! * this.costKrPerHour * index;
  }
}

/** A trend given as a formula: `{ formula, parameters }` of the scenario. */
type TrendFormulaSpec = NonNullable<HomeCareOptions['useRateTrend']>;

/** Home care's trend formulas, compiled once by {@link homeCare}. */
interface TrendFormulas {
  readonly rate: CompiledFormula | undefined;
  readonly hours: CompiledFormula | undefined;
}

/** Compiles a trend formula of the scenario, or throws naming its field (a parsed scenario's formulas always compile). */
function compileTrend(spec: TrendFormulaSpec | undefined, field: string): CompiledFormula | undefined {
  if (spec === undefined) return undefined;
  const compiled = compileFormula(spec.formula, {
    parameters: Object.keys(spec.parameters),
    field: `${field}.formula`,
  });
  if (!compiled.ok)
    throw new OptionError(`${field}.formula: ${compiled.problems.join('; ')}`, {
      option: `${field}.formula`,
      received: spec.formula,
    });
  return compiled.formula;
}

/**
 * A driver's trend given as a formula of the year t and named parameters: parsed and checked once,
 * its parameters drawn once per path from their own stream (so the service's other draws do not
 * move), each declared as a scalar input of the driver's group, and the formula evaluated once a
 * year of the path (never per period).
 */
class TrendFormula {
  private readonly formula: CompiledFormula;
  private readonly field: string;
  private readonly names: readonly string[];
  private readonly samplers: readonly ((rng: RandomSource) => number)[];
  private readonly means: readonly number[];
  private readonly handles: readonly number[];
  private readonly group: string;
  private readonly key: StreamKey;
  private readonly stream = new StreamSlot();
  private readonly inputs: InputSources;
  private readonly years: readonly number[];
  private readonly scope: Record<string, number> = Object.create(null) as Record<string, number>;

  constructor(
    spec: TrendFormulaSpec,
    formula: CompiledFormula,
    field: string,
    inputName: string,
    group: string,
    key: StreamKey,
    inputs: InputSources,
    years: readonly number[],
  ) {
    this.names = Object.keys(spec.parameters);
    this.formula = formula;
    this.field = field;
    const distributions = this.names.map((n) => spec.parameters[n]!);
    this.samplers = distributions.map(samplerFor);
    this.means = distributions.map(meanOf);
    this.handles = this.names.map((n, k) =>
      inputs.declare({ name: `${inputName}.${n}`, group, level: 'structural', distribution: distributions[k]! }),
    );
    this.group = group;
    this.key = key;
    this.inputs = inputs;
    this.years = years;
  }

  /**
   * Writes the factor of every year (index 0 = the base year) into `out`: on path `path` with the
   * path's draws of the parameters, or with their means when `path` is −1 (the baseline).
   *
   * @throws {@link FormulaError} when a factor is not a finite number >= 0
   */
  factors(path: number, out: Float64Array): void {
    const scope = this.scope;
    const names = this.names;
    const rng = path < 0 ? undefined : this.stream.at(this.key, this.inputs.path(this.group, path, 'structural'));
    for (let k = 0; k < names.length; k++) {
      scope[names[k]!] =
        rng === undefined ? this.means[k]! : this.inputs.value(this.handles[k]!, this.samplers[k]!(rng), path);
    }
    for (let y = 0; y < out.length; y++) {
      scope.t = y;
      const f = this.formula.evaluate(scope, this.years[y]);
      if (!(f >= 0)) {
        throw new FormulaError(
          `${this.field}.formula: the factor ${this.formula.text} is ${f} in ${this.years[y]} (t = ${y}, ${describeScope(scope, names)}); expected a number >= 0`,
          {
            field: `${this.field}.formula`,
            value: f,
            scope: { ...scope },
            ...(this.years[y] === undefined ? {} : { year: this.years[y] }),
          },
        );
      }
      out[y] = f;
    }
  }
}

/** A share given by calendar year: the latest year given at or before `year`, else the first given. */
function shareInYear(m: Readonly<Record<string, number>>, year: number): number {
  let best: number | undefined;
  let bestYear = -Infinity;
  let first: number | undefined;
  let firstYear = Infinity;
  for (const [k, v] of Object.entries(m)) {
    const yr = Number(k);
    if (yr <= year && yr > bestYear) [best, bestYear] = [v, yr];
    if (yr < firstYear) [first, firstYear] = [v, yr];
  }
  return best ?? first ?? 0;
}
