import { addMonths } from 'date-fns/addMonths';
import { addYears } from 'date-fns/addYears';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { parse } from 'date-fns/parse';
import { INTERVENTION_TARGETS } from '../scenario/kinds';
import { StreamSlot, streamKey, type StreamKey } from '../random/stream';
import { meanOf, samplerFor } from '../random/uncertain';
import type { Sampler } from '../random/samplers';
import type { ServiceSetup } from './service';
import { plainInputs, type InputSources } from '../random/inputs';

/**
 * The interventions that an {@link InterventionEffects} of service `serviceId` on `target`
 * reads (its effects, and the running costs among them): a savings plan of the service for
 * `savings`, else those whose driver is `target`, in the scenario's order.
 *
 * @param all - the scenario's interventions
 * @param serviceId - the service's id
 * @param target - the driver key, for example `care-homes.applicants`, or `savings`
 * @returns those interventions
 * @example
 * ```ts
 * interventionsOn(scenario.interventions, 'care-homes', 'savings'); // the care homes' savings plans
 * ```
 * @internal
 */
export function interventionsOn(
  all: ServiceSetup['interventions'],
  serviceId: string,
  target: string,
): ServiceSetup['interventions'] {
  return all.filter((iv) =>
    iv.kind === 'savingsPlan'
      ? target === 'savings' && iv.service === serviceId
      : INTERVENTION_TARGETS[iv.kind] === target,
  );
}

/**
 * The interventions acting on one driver of one service, period by period: their ramps (0
 * before the start, rising linearly to 1 over `rampMonths`), their effects (drawn once per
 * path), their running costs and, for savings plans, the amounts saved. Built once per run by
 * the service; nothing is allocated per period.
 *
 * @internal
 */
export class InterventionEffects {
  private readonly ramps: Float64Array[];
  private readonly rampsByYear: Float64Array[];
  private readonly samplers: Sampler[];
  private readonly means: Float64Array;
  private readonly keys: StreamKey[];
  private readonly stream = new StreamSlot();
  private readonly inputs: InputSources;
  /** The effects' handles as declared scalar inputs. */
  private readonly handles: number[];
  private readonly effects: Float64Array;
  /** Running costs of this service's interventions by period (kr, base-year prices). */
  readonly costKr: Float64Array;
  /** Savings-plan amounts by period (kr, base-year prices), before the realised share. */
  private readonly savingsKr: Float64Array[];
  readonly count: number;

  /**
   * @param setup - the service's setup (timeline, seed, interventions)
   * @param serviceId - the service (`home-care`, `care-homes`, `specialised`)
   * @param target - the driver key, for example `home-care.hours`, or `savings`
   */
  constructor(setup: ServiceSetup, serviceId: string, target: string) {
    const { timeline } = setup;
    const P = timeline.periodCount;
    const all = setup.interventions;
    const mine = interventionsOn(all, serviceId, target);
    this.count = mine.length;
    this.ramps = [];
    this.rampsByYear = [];
    this.savingsKr = [];
    this.samplers = mine.map((iv) => samplerFor(iv.effect));
    this.means = Float64Array.from(mine, (iv) => meanOf(iv.effect));
    this.keys = mine.map((iv) => streamKey(setup.seed, `intervention:${iv.id}`));
    this.inputs = setup.inputs ?? plainInputs();
    this.handles = mine.map((iv) =>
      this.inputs.declare({
        name: `interventions.${iv.id}.effect`,
        group: 'interventions',
        level: 'structural',
        distribution: iv.effect,
      }),
    );
    this.effects = new Float64Array(mine.length);
    const first = timeline.periodStart[0]!;
    for (const iv of mine) {
      const from = parse(iv.from, 'yyyy-MM-dd', first);
      const rampDays = Math.max(1, differenceInCalendarDays(addMonths(from, iv.rampMonths), from));
      const ramp = new Float64Array(P);
      const byYear = new Float64Array(timeline.horizonYears + 1);
      const savings = new Float64Array(P);
      for (let p = 0; p < P; p++) {
        const start = timeline.periodStart[p]!;
        const days = timeline.periodDays[p]!;
        // Mean of the ramp over the period's days (0 for a period wholly before the start).
        const startSince = differenceInCalendarDays(start, from);
        let sum = 0;
        for (let d = 0; d < days; d++) {
          const since = startSince + d;
          sum += since < 0 ? 0 : iv.rampMonths === 0 ? 1 : Math.min(1, (since + 1) / rampDays);
        }
        ramp[p] = sum / days;
        const y = timeline.periodYearIndex[p]!;
        byYear[y] = byYear[y]! + (ramp[p]! * days) / timeline.yearDays[y]!;
        savings[p] = ((iv.amountsKr[String(timeline.years[y])] ?? 0) * days) / timeline.yearDays[y]!;
      }
      this.ramps.push(ramp);
      this.rampsByYear.push(byYear);
      this.savingsKr.push(savings);
    }
    // Running costs belong to the service whose driver the intervention changes.
    this.costKr = new Float64Array(P);
    if (target !== 'savings') {
      for (const iv of all.filter(
        (x) =>
          x.kind !== 'savingsPlan' &&
          INTERVENTION_TARGETS[x.kind].startsWith(`${serviceId}.`) &&
          INTERVENTION_TARGETS[x.kind] === target,
      )) {
        const from = parse(iv.from, 'yyyy-MM-dd', first);
        const until = iv.costYears > 0 ? addYears(from, iv.costYears) : undefined;
        for (let p = 0; p < P; p++) {
          const start = timeline.periodStart[p]!;
          const days = timeline.periodDays[p]!;
          // The period's days from the start on and before the end (the days counted once a period, not a day).
          const startSince = differenceInCalendarDays(start, from);
          const untilAfter = until === undefined ? Infinity : differenceInCalendarDays(until, start);
          let active = 0;
          for (let d = 0; d < days; d++) if (startSince + d >= 0 && untilAfter - d > 0) active++;
          this.costKr[p] =
            this.costKr[p]! + (iv.costKrPerYear * active) / timeline.yearDays[timeline.periodYearIndex[p]!]!;
        }
      }
    }
  }

  /** Draws the path's effects (the same for every strategy replaying the path). */
  reset(path: number): void {
    const inputs = this.inputs;
    for (let i = 0; i < this.count; i++) {
      const drawn = this.samplers[i]!(this.stream.at(this.keys[i]!, inputs.path('interventions', path, 'structural')));
      this.effects[i] = inputs.value(this.handles[i]!, drawn, path);
    }
  }

  /** Sets every effect to its mean instead of a path's draw (for a baseline simulated path by path). */
  useMeans(): void {
    this.effects.set(this.means);
  }

  /** Π (1 − effect · ramp) in period p: the driver's factor after relative reductions. */
  factor(p: number): number {
    let f = 1;
    for (let i = 0; i < this.count; i++) f *= 1 - this.effects[i]! * this.ramps[i]![p]!;
    return f;
  }

  /** Σ effect · ramp in period p: an absolute change (own share). */
  shift(p: number): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.effects[i]! * this.ramps[i]![p]!;
    return s;
  }

  /** Σ effect · (the ramp's mean over year y): this path's absolute change in year y. */
  shiftOfYear(y: number): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.effects[i]! * this.rampsByYear[i]![y]!;
    return s;
  }

  /** Σ effect · savings in period p (kr, base-year prices). */
  savings(p: number): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.effects[i]! * this.savingsKr[i]![p]!;
    return s;
  }

  /** The factor of year y with each effect at its mean and the ramp at its yearly mean: the baseline's. */
  baselineFactor(y: number): number {
    let f = 1;
    for (let i = 0; i < this.count; i++) f *= 1 - this.means[i]! * this.rampsByYear[i]![y]!;
    return f;
  }

  /** The shift of year y at the effects' means. */
  baselineShift(y: number): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.means[i]! * this.rampsByYear[i]![y]!;
    return s;
  }

  /** Savings of year y at the effects' means (kr, base-year prices), given the periods of the year. */
  baselineSavings(y: number, periods: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) for (const p of periods) s += this.means[i]! * this.savingsKr[i]![p]!;
    return s;
  }
}
