import type { SpecialisedSpec } from '../scenario/schema';
import { exp, log, pow } from '../math/detmath';
import { StreamSlot, streamKey, type AleaGenerator, type StreamKey } from '../random/stream';
import { lognormalParameters } from '../random/samplers';
import { standardNormalOf } from '../random/special';
import { meanOf, samplerFor } from '../random/uncertain';
import type { World } from '../drivers/world';
import { InterventionEffects } from './interventions';
import { plainInputs, type InputSources } from '../random/inputs';
import { OpenCases } from './openCases';

/** The input group of the specialised area's draws: its cost growth (structural) and its cases (variability). */
const GROUP = 'specialised-cases';
import {
  createHistory,
  type ServiceBaseline,
  type ServiceDefinition,
  type ServiceHistory,
  type ServiceInstance,
  type ServiceMetric,
  type ServiceSetup,
} from './service';

const METRICS: readonly ServiceMetric[] = [
  { id: 'cases', label: 'Open cases (mean of period ends)', aggregate: 'mean' },
  { id: 'inflow', label: 'New cases, transitions at 18 included', aggregate: 'sum' },
  { id: 'outflow', label: 'Closed cases', aggregate: 'sum' },
  {
    id: 'topFiveShare',
    label: 'Share of the cost carried by the five most expensive cases (mean of periods)',
    aggregate: 'mean',
  },
  { id: 'ownShare', label: 'Share of cases in own places (mean of periods)', aggregate: 'mean' },
  { id: 'emptyOwnPlaces', label: 'Own places standing empty (mean of periods)', aggregate: 'mean' },
];

/**
 * The specialised adult social area (botilbud §107/§108, support §85), a case-based service.
 *
 * - A stock of cases; new cases arrive as Poisson counts (adults and transitions at 18), each
 *   with a yearly cost drawn at its start (lognormal body, Pareto tail) and an exponential
 *   length (`exitPerYear`): one draw each per case.
 * - The cost per case grows with the price index and `priceGrowthPerYear` (drawn per path).
 * - Own places are planned ex ante: the own share of the year times the baseline's expected
 *   cases. The earliest cases fill them; own production costs (1 − `ownDiscount`) of the
 *   case's price, and an own place that stands empty still costs the average own place.
 *   Other cases are bought at their price.
 * - Activity is case-days. Metrics: cases, inflow, outflow, the five most expensive cases'
 *   share of cost, own share, empty own places.
 *
 * @param spec - the scenario's `specialised` section (validated)
 * @param id - the service id (default `"specialised"`)
 * @returns a service plug-in
 * @example
 * ```ts
 * const [area] = specialised(parseScenario(herningSpecialised()).specialised!);
 * area!.activityUnit; //=> 'case-days'
 * ```
 * @category Services
 */
export function specialised(spec: SpecialisedSpec, id = 'specialised'): ServiceDefinition[] {
  return [
    {
      id,
      label: spec.label,
      activityUnit: 'case-days',
      metrics: METRICS,
      independentOfSteering: true,
      create: (setup) => new SpecialisedInstance(spec, id, setup),
    },
  ];
}

class SpecialisedInstance implements ServiceInstance {
  readonly baseline: ServiceBaseline;
  private readonly spec: SpecialisedSpec;
  private readonly setup: ServiceSetup;
  private readonly key: StreamKey;
  private readonly mu: number;
  private readonly sigma: number;
  private readonly meanCaseKr: number;
  /** Own places by year (index 0 = base year) for the current path. */
  private readonly ownPlaces: Int32Array;
  private readonly plannedShare: Float64Array;
  private readonly expectedCases: Float64Array;
  private readonly onOwn: InterventionEffects;
  private readonly onSavings: InterventionEffects;
  private readonly sampleGrowth;
  private readonly inputs: InputSources;
  private readonly growthHandle: number;
  private growth = 0;
  /** The path's cost growth by year, (1 + growth)^y. */
  private readonly growthFactor: Float64Array;
  /** The path's stream; the draws of the cases read its generator directly (see `StreamSlot.generator`). */
  private readonly stream = new StreamSlot();
  /** The open cases, in order of their start: yearly cost (base-year prices) and the period each closes in. */
  private readonly cases: OpenCases;
  private readonly periodStartDay: Float64Array;
  /** The expected new cases of each period, λ, and the chance of none, e^−λ (the same on every path). */
  private readonly arrivals: Float64Array;
  private readonly noArrival: Float64Array;
  private readonly H: number;

  constructor(spec: SpecialisedSpec, id: string, setup: ServiceSetup) {
    this.spec = spec;
    this.setup = setup;
    this.key = streamKey(setup.seed, id);
    const { timeline } = setup;
    const H = timeline.horizonYears;
    this.H = H;
    const P = timeline.periodCount;
    const { mu, sigma } = lognormalParameters({ median: spec.costPerCase.medianKr, p95: spec.costPerCase.p95Kr });
    this.mu = mu;
    this.sigma = sigma;
    const c = spec.costPerCase;
    const tailMean = (c.tailAlpha * c.tailFromKr) / (c.tailAlpha - 1);
    this.meanCaseKr = (1 - c.tailShare) * exp(mu + (sigma * sigma) / 2) + c.tailShare * tailMean;
    this.sampleGrowth = samplerFor(spec.priceGrowthPerYear);
    this.inputs = setup.inputs ?? plainInputs();
    this.growthHandle = this.inputs.declare({
      name: `${id}.priceGrowthPerYear`,
      group: GROUP,
      level: 'structural',
      distribution: spec.priceGrowthPerYear,
    });
    this.periodStartDay = new Float64Array(P + 1);
    for (let p = 0; p < P; p++) this.periodStartDay[p + 1] = this.periodStartDay[p]! + timeline.periodDays[p]!;
    this.arrivals = new Float64Array(P);
    this.noArrival = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      const lambda = ((spec.inflowPerYear + spec.transitionsAt18PerYear) * timeline.periodDays[p]!) / 365.25;
      this.arrivals[p] = lambda;
      this.noArrival[p] = exp(-lambda);
    }
    this.cases = new OpenCases(this.periodStartDay.subarray(1));
    // Baseline: expected cases follow inflow and exits from the start; costs at the mean.
    const inflow = spec.inflowPerYear + spec.transitionsAt18PerYear;
    const steady = inflow / spec.exitPerYear;
    const expectedCases = (y: number) => steady + (spec.casesAtStart - steady) * exp(-spec.exitPerYear * y);
    const years = Object.keys(spec.ownShare)
      .map(Number)
      .sort((a, b) => a - b);
    const shareIn = (year: number): number => {
      if (years.length === 0) return 0;
      if (year <= years[0]!) return spec.ownShare[String(years[0])]!;
      if (year >= years[years.length - 1]!) return spec.ownShare[String(years[years.length - 1])]!;
      let i = 0;
      while (years[i + 1]! < year) i++;
      const a = years[i]!;
      const b = years[i + 1]!;
      return (
        spec.ownShare[String(a)]! + ((year - a) / (b - a)) * (spec.ownShare[String(b)]! - spec.ownShare[String(a)]!)
      );
    };
    this.ownPlaces = new Int32Array(H + 1);
    this.growthFactor = new Float64Array(H + 1);
    this.plannedShare = new Float64Array(H + 1);
    this.expectedCases = new Float64Array(H + 1);
    this.onOwn = new InterventionEffects(setup, id, 'specialised.ownShare');
    this.onSavings = new InterventionEffects(setup, id, 'savings');
    const history = createHistory(H + 1);
    const g = meanOf(spec.priceGrowthPerYear);
    for (let y = 0; y <= H; y++) {
      const cases = expectedCases(y);
      this.expectedCases[y] = cases;
      this.plannedShare[y] = shareIn(timeline.years[y]!);
      this.ownPlaces[y] = Math.round(
        Math.min(1, Math.max(0, this.plannedShare[y]! + this.onOwn.baselineShift(y))) * cases,
      );
      const own = Math.min(this.ownPlaces[y]!, cases);
      const price = this.meanCaseKr * pow(1 + g, y) * setup.baselineWorld.priceIndex[y]!;
      // Own places cost (1 − discount) full or empty; the other cases are bought.
      let net = 0;
      if (y > 0) {
        const periods = Array.from(
          { length: timeline.periodsPerYear },
          (_, k) => (y - 1) * timeline.periodsPerYear + k,
        );
        for (const q of periods) net += this.onOwn.costKr[q]!;
        net -= this.onSavings.baselineSavings(y, periods);
      }
      history.costKr[y] =
        (this.ownPlaces[y]! * (1 - spec.ownDiscount) + (cases - own)) * price +
        net * setup.baselineWorld.priceIndex[y]!;
      const days = timeline.yearDays[y]!;
      history.neededUnits[y] = cases * days;
      history.orderedUnits[y] = cases * days;
      history.deliveredUnits[y] = cases * days;
    }
    this.baseline = history;
  }

  /** A case's yearly cost, base-year prices. */
  private drawCost(g: AleaGenerator): number {
    const c = this.spec.costPerCase;
    if (g.next() < c.tailShare) return c.tailFromKr * pow(1 - g.next(), -1 / c.tailAlpha);
    return exp(this.mu + this.sigma * standardNormalOf(g.next()));
  }

  reset(path: number): void {
    // The growth is structural, the cases variability: one stream, the cases after the growth's
    // draw. Where a run takes the two from different stream paths, the cases' stream skips it.
    const inputs = this.inputs;
    const pS = inputs.path(GROUP, path, 'structural');
    const pV = inputs.path(GROUP, path, 'variability');
    const stream = this.stream;
    this.growth = inputs.value(this.growthHandle, this.sampleGrowth(stream.at(this.key, pS)), path);
    if (pV !== pS) this.sampleGrowth(stream.at(this.key, pV));
    const g = stream.generator;
    for (let y = 0; y <= this.H; y++) this.growthFactor[y] = pow(1 + this.growth, y);
    this.onOwn.reset(path);
    this.onSavings.reset(path);
    // Own places with this path's effect of own-production interventions.
    for (let y = 0; y <= this.H; y++)
      this.ownPlaces[y] = Math.round(
        Math.min(1, Math.max(0, this.plannedShare[y]! + this.onOwn.shiftOfYear(y))) * this.expectedCases[y]!,
      );
    this.cases.clear();
    const meanDays = 365.25 / this.spec.exitPerYear;
    for (let i = 0; i < this.spec.casesAtStart; i++)
      this.cases.open(this.drawCost(g), -meanDays * log(1 - g.next()), -1);
  }

  step(p: number, world: World, out: ServiceHistory): void {
    const { timeline } = this.setup;
    const y = timeline.periodYearIndex[p]!;
    const days = timeline.periodDays[p]!;
    const t0 = this.periodStartDay[p]!;
    const g = this.stream.generator;
    const spec = this.spec;
    // The cases that close this period leave; then the new ones, a Poisson count by inversion,
    // each with its cost and length, join after the others.
    const cases = this.cases;
    const outflow = cases.closeIn(p);
    const lambda = this.arrivals[p]!;
    let k = 0;
    if (lambda > 0) {
      let prob = this.noArrival[p]!;
      let cum = prob;
      const u = g.next();
      while (u > cum && k < 10_000) {
        k++;
        prob *= lambda / k;
        cum += prob;
      }
    }
    const meanDays = 365.25 / spec.exitPerYear;
    for (let j = 0; j < k; j++) {
      const cost = this.drawCost(g);
      cases.open(cost, t0 + g.next() * days - meanDays * log(1 - g.next()), p);
    }
    // The earliest cases hold the year's own places: an own place costs (1 − discount) of the case's price.
    const places = this.ownPlaces[y]!;
    cases.fill(places);
    const count = cases.count;
    const gross = cases.grossKr;
    const largest = cases.fiveLargest();
    const own = cases.ownCount;
    const empty = places - own;
    const ownFactor = 1 - spec.ownDiscount;
    const cost = ownFactor * cases.ownKr + cases.otherKr + empty * this.meanCaseKr * ownFactor;
    const price = this.growthFactor[y]! * world.priceIndex[y]! * (days / timeline.yearDays[y]!);
    out.costKr[p] = cost * price + (this.onOwn.costKr[p]! - this.onSavings.savings(p)) * world.priceIndex[y]!;
    out.neededUnits[p] = count * days;
    out.orderedUnits[p] = count * days;
    out.deliveredUnits[p] = count * days;
    const m = out.metrics;
    m[0]![p] = count;
    m[1]![p] = k;
    m[2]![p] = outflow;
    m[3]![p] = gross > 0 ? (largest[0]! + largest[1]! + largest[2]! + largest[3]! + largest[4]!) / gross : 0;
    m[4]![p] = count > 0 ? own / count : 0;
    m[5]![p] = empty;
  }
}
