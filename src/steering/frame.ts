import { pow } from '../math/detmath';
import {
  builtInName,
  type DecisionContext,
  type StrategyDefinition,
  type StrategyInstance,
  type StrategySetup,
} from './strategy';
import { annualisedValue, priceLines, projectedValue, yearProgress, type ActivityBasis } from './pricing';
import { OptionError } from '../errors';
import type { NamesByLanguage } from '../services/service';

/**
 * Carry-over caps as shares of the adopted frame: a surplus up to `surplusCap` and a deficit up
 * to `deficitCap` move to next year's budget; `null` means unlimited, 0 none.
 *
 * @category Steering
 */
export interface CarryOverCaps {
  readonly surplusCap: number | null;
  readonly deficitCap: number | null;
}

/**
 * How a frame-steered unit responds to a forecast overspend: at each follow-up it projects the
 * year's cost from its actuals so far (run rate); when that exceeds the budget by more than
 * `threshold`, it tightens service (stricter visitation, fewer hours) by the share needed to
 * close the gap over the rest of the year, at most `maxCutPerYear` a year and never below
 * `minLevel`. A tightening persists into later years. The cut shows in the results as needed
 * activity not delivered.
 *
 * @category Steering
 */
export interface ServiceResponse {
  /** Forecast overspend, as a share of the budget, that triggers tightening (default 0.01). */
  readonly threshold?: number;
  /** Largest cut of the service level in one year (default 0.03). */
  readonly maxCutPerYear?: number;
  /** Lowest service level (default 0.8). */
  readonly minLevel?: number;
}

/**
 * A deficit guarantee (underskudsgaranti), as Danish municipalities give a new facility or
 * provider for its first years: in each covered year the treasury covers the provider's deficit
 * at settlement, up to `kr`. The strategy settles the year as it otherwise would (activity
 * regulation, ex-post correction), then adds `min(max(actual cost − that budget, 0), kr)` to
 * the final budget; carry-over works on what is left. Outside the covered years, and for
 * services not listed, nothing changes.
 *
 * The covered years are those of `from`, …, `from + years − 1` that the run simulates: a
 * plug-in given a range outside the run's years covers nothing (a scenario file refuses a
 * `from` outside the simulated years, as it refuses an `adjustmentsKr` year outside them).
 *
 * @example
 * ```ts
 * // The treasury covers the care homes' deficit in 2025-2027, at most 2 m kr a year.
 * frame({ deficitGuarantee: { kr: 2_000_000, from: '2025', years: 3, services: ['care-homes'] } });
 * // The whole deficit of every service in the first three simulated years.
 * frame({ deficitGuarantee: { kr: null } });
 * ```
 * @category Steering
 */
export interface DeficitGuarantee {
  /** The most the treasury covers a year (kr, current prices, ≥ 0); `null` covers the whole deficit. */
  readonly kr: number | null;
  /** The first calendar year covered, four digits (`'2025'`); default the first simulated year. */
  readonly from?: string;
  /** How many years from `from` are covered (an integer ≥ 1; default 3). */
  readonly years?: number;
  /**
   * Ids of the services covered (default every service). A group's id (`home-care`) covers
   * every unit of the group (`home-care:own`, `home-care:north`); a unit's id covers that unit
   * only. An id that names neither a service nor a group of the run is an {@link OptionError}
   * when the run starts.
   */
  readonly services?: readonly string[];
}

/** Options shared by {@link frame}, {@link demographicFrame} and {@link hybrid}. @category Steering */
export interface FrameOptions {
  /** Id in results. */
  readonly id?: string;
  /** Name in reports. */
  readonly label?: string;
  /** Default `{ surplusCap: 0.05, deficitCap: 0.02 }`. */
  readonly carryOver?: CarryOverCaps;
  /** Political adjustments by calendar year (kr, current prices), added to that year's frame and kept in later frames. */
  readonly adjustmentsKr?: Readonly<Record<string, number>>;
  /** Tighten service on a forecast overspend; off (the unit simply overspends) when not given. */
  readonly serviceResponse?: ServiceResponse;
  /**
   * The treasury covers the provider's deficit, up to a sum a year, in the first years (see
   * {@link DeficitGuarantee}); none when not given. For example `{ kr: null, from: '2025', years: 3 }`.
   */
  readonly deficitGuarantee?: DeficitGuarantee;
}

/** Options of {@link demographicFrame}. @category Steering */
export interface DemographicFrameOptions extends FrameOptions {
  /**
   * Cost per citizen a year by population group (kr, base-year prices). Default: the service's
   * baseline cost of the group in the base year divided by the group's population.
   */
  readonly unitCostKr?: Readonly<Record<string, number>>;
  /**
   * Ex-post correction to the actual population: `none` (default), in the `same` year (at
   * settlement) or in the `next` year's budget.
   */
  readonly expost?: 'none' | 'same' | 'next';
  /** Healthy-ageing discount on the unit costs, a year (0.005 = 0.5 %; default 0). */
  readonly healthyAgeingPerYear?: number;
}

/** Options of {@link hybrid}. @category Steering */
export interface HybridOptions extends FrameOptions {
  /**
   * `corridor` (default): activity regulation in the year when activity leaves the corridor;
   * `nextYear`: next year's frame is regulated by this year's activity as measured at the
   * budget's adoption (ressourcetildeling as in Rebild).
   */
  readonly mode?: 'corridor' | 'nextYear';
  /** Corridor half-width k as a share of the budgeted activity (default 0.03). Ignored in `nextYear` mode. */
  readonly corridor?: number;
  /** Marginal rate m: the share of the price paid for activity above (or repaid below) the budget (default 0.7). */
  readonly marginalRate?: number;
  /** Outside the corridor regulate the `full` deviation (default) or only the `excess` beyond the corridor. */
  readonly regulate?: 'full' | 'excess';
  /** Activity measured: delivered (default) or ordered. */
  readonly basis?: ActivityBasis;
}

interface Core {
  id: string;
  label: string;
  labels?: NamesByLanguage;
  caps: CarryOverCaps;
  adjustmentsKr: Readonly<Record<string, number>>;
  response: Required<ServiceResponse> | undefined;
  guarantee:
    { capKr: number; from: number | undefined; years: number; services: readonly string[] | undefined } | undefined;
  demography:
    | {
        unitCostKr: Readonly<Record<string, number>> | undefined;
        expost: 'none' | 'same' | 'next';
        healthyAgeing: number;
      }
    | undefined;
  activity:
    | {
        mode: 'corridor' | 'nextYear';
        corridor: number;
        marginalRate: number;
        regulate: 'full' | 'excess';
        basis: ActivityBasis;
      }
    | undefined;
}

function share(name: string, v: number | undefined, fallback: number, max = 1): number {
  if (v === undefined) return fallback;
  if (!(Number.isFinite(v) && v >= 0 && v <= max))
    throw new OptionError(`${name} must be a number in [0, ${max}]; received ${String(v)}`, {
      option: `${name}`,
      received: v,
    });
  return v;
}

/** A deficit guarantee's options, checked, with their defaults. */
function guaranteeOf(kind: string, g: DeficitGuarantee | undefined): Core['guarantee'] {
  if (g === undefined) return undefined;
  const fail = (field: string, expected: string, received: unknown): never => {
    throw new OptionError(
      `${kind}: deficitGuarantee.${field} must be ${expected}; received ${typeof received === 'string' ? `"${received}"` : String(received)}`,
      { option: `deficitGuarantee.${field}`, received },
    );
  };
  if (g === null || typeof g !== 'object')
    throw new OptionError(
      `${kind}: deficitGuarantee must be an object { kr, from?, years?, services? }; received ${String(g)}`,
      { option: 'deficitGuarantee', received: g },
    );
  const { kr, from, years = 3, services } = g;
  if (kr !== null && !(typeof kr === 'number' && Number.isFinite(kr) && kr >= 0))
    fail('kr', 'null (the whole deficit) or a number >= 0', kr);
  if (from !== undefined && !(typeof from === 'string' && /^\d{4}$/.test(from)))
    fail('from', 'a four-digit year such as "2025"', from);
  if (!(Number.isInteger(years) && years >= 1)) fail('years', 'an integer >= 1', years);
  if (services !== undefined) {
    if (!Array.isArray(services)) fail('services', 'an array of service ids', services);
    services.forEach((id, i) => {
      if (!(typeof id === 'string' && id.length > 0)) fail(`services[${i}]`, 'a service id (a non-empty string)', id);
      if (services.indexOf(id) !== i) fail(`services[${i}]`, 'an id not listed before', id);
    });
  }
  return {
    capKr: kr ?? Infinity,
    from: from === undefined ? undefined : Number(from),
    years,
    services: services === undefined ? undefined : [...services],
  };
}

function baseCore(kind: string, options: FrameOptions, defaults: { id: string; label: string }): Core {
  const caps = options.carryOver ?? { surplusCap: 0.05, deficitCap: 0.02 };
  for (const [name, v] of Object.entries(caps)) {
    if (v !== null && !(Number.isFinite(v) && v >= 0))
      throw new OptionError(
        `${kind}: carryOver.${name} must be null (unlimited) or a number >= 0; received ${String(v)}`,
        { option: `carryOver.${name}`, received: v },
      );
  }
  for (const [year, v] of Object.entries(options.adjustmentsKr ?? {})) {
    if (!Number.isFinite(v))
      throw new OptionError(`${kind}: adjustmentsKr.${year} must be a finite number; received ${String(v)}`, {
        option: `adjustmentsKr.${year}`,
        received: v,
      });
  }
  const r = options.serviceResponse;
  return {
    guarantee: guaranteeOf(kind, options.deficitGuarantee),
    ...builtInName(defaults, options),
    caps,
    adjustmentsKr: options.adjustmentsKr ?? {},
    response:
      r === undefined
        ? undefined
        : {
            threshold: share(`${kind}: serviceResponse.threshold`, r.threshold, 0.01),
            maxCutPerYear: share(`${kind}: serviceResponse.maxCutPerYear`, r.maxCutPerYear, 0.03),
            minLevel: share(`${kind}: serviceResponse.minLevel`, r.minLevel, 0.8),
          },
    demography: undefined,
    activity: undefined,
  };
}

/**
 * Frame steering (rammestyring): the frame for year y is last year's frame uprated by the
 * forecast price and wage index, plus political adjustments. The first frame is the baseline
 * cost of the base year (at base-year prices, over its 365 or 366 days). The frame is fixed
 * during the year; the result, within the carry-over caps, is added to the next year's budget
 * when it opens (the carry-over out of the last simulated year is reported but goes nowhere).
 * The unit bears the demand risk: it overspends or, with a `serviceResponse`, tightens service.
 * Every activity line is inside the frame: for care homes the homes also bear the external
 * placements beyond the guarantee.
 *
 * @param options - see {@link FrameOptions}
 * @returns a strategy plug-in
 * @throws RangeError when a cap, adjustment, response or deficit-guarantee parameter is out of
 *   range; at run start when the deficit guarantee names a service the run does not have
 * @example
 * ```ts
 * simulate(scenario, { strategies: [frame({ carryOver: { surplusCap: 0, deficitCap: 0 }, serviceResponse: { maxCutPerYear: 0.03 } })] });
 * ```
 * @category Steering
 */
export function frame(options: FrameOptions = {}): StrategyDefinition {
  return frameFamily(baseCore('frame', options, { id: 'frame', label: 'Frame (rammestyring)' }));
}

/**
 * Demographic regulation (demografiregulering): a frame that is also uprated, ex ante, by the
 * projected change in population per age group times a unit cost per age group (VIVE's type 1
 * model: ΔB = Σ (N̂ₜ − N̂ₜ₋₁) · u · (1 − healthy ageing)ᵗ · index), optionally corrected ex post
 * to the actual population (Σ (N − N̂) · u · …) in the same or the next year. The unit bears
 * the projection error (without ex-post correction) and changes in use and intensity; for care
 * homes also the external placements, whose expected cost is in the unit cost of the applicant
 * group but whose deviations are not regulated.
 *
 * @param options - see {@link DemographicFrameOptions}
 * @returns a strategy plug-in
 * @throws RangeError for options out of range; at run start when no unit costs are given and
 *   the service has no cost by age group, or the deficit guarantee names a service the run
 *   does not have
 * @example
 * ```ts
 * demographicFrame({ expost: 'next', healthyAgeingPerYear: 0.005 });
 * ```
 * @category Steering
 */
export function demographicFrame(options: DemographicFrameOptions = {}): StrategyDefinition {
  const core = baseCore('demographicFrame', options, {
    id: 'demographic-frame',
    label: 'Demographic frame (demografiregulering)',
  });
  const expost = options.expost ?? 'none';
  if (!['none', 'same', 'next'].includes(expost))
    throw new OptionError(`demographicFrame: expost must be "none", "same" or "next"; received ${String(expost)}`, {
      option: 'demographicFrame: expost',
      received: expost,
    });
  for (const [g, v] of Object.entries(options.unitCostKr ?? {})) {
    if (!(Number.isFinite(v) && v >= 0))
      throw new OptionError(`demographicFrame: unitCostKr.${g} must be a number >= 0; received ${String(v)}`, {
        option: `demographicFrame: unitCostKr.${g}`,
        received: v,
      });
  }
  core.demography = {
    unitCostKr: options.unitCostKr,
    expost,
    healthyAgeing: share('demographicFrame: healthyAgeingPerYear', options.healthyAgeingPerYear, 0, 0.5),
  };
  return frameFamily(core);
}

/**
 * Hybrid steering (ressourcetildeling): a frame with activity regulation. Activity is measured
 * by its value V at the ex-ante prices of {@link activity}, summed over the service's activity
 * lines (for a service with one line, V = price × units); the adopted frame B pays for V⁰ = B.
 * In `corridor` mode the budget moves by m · (V − B) when V leaves the corridor B · (1 ± k)
 * (checked at each follow-up on known activity plus the forecast of the rest, and at year end
 * on the year's activity); m below 1 reflects that part of the cost is fixed (Herning's
 * recommendation). In `nextYear` mode the frame is fixed within the year, and next year's
 * frame is regulated by m · (V̂' − B · V̂'/V̂), with V̂ this year's activity as known at the
 * budget's adoption, annualised and valued at this year's prices, and V̂' the same activity at
 * next year's prices (for one line: m · price' · (Â − B / price)); with m = 1 next year's frame
 * is this year's activity at next year's prices (Rebild's model). Inside the corridor the unit bears the deviation, external
 * care-home placements included; outside it the treasury pays m of it.
 *
 * @param options - see {@link HybridOptions}
 * @returns a strategy plug-in
 * @throws RangeError for options out of range; at run start when the deficit guarantee names a
 *   service the run does not have
 * @example
 * ```ts
 * hybrid({ corridor: 0.03, marginalRate: 0.7 });
 * hybrid({ id: 'rebild', mode: 'nextYear', carryOver: { surplusCap: 0.01, deficitCap: 0.01 } });
 * ```
 * @category Steering
 */
export function hybrid(options: HybridOptions = {}): StrategyDefinition {
  const mode = options.mode ?? 'corridor';
  if (mode !== 'corridor' && mode !== 'nextYear')
    throw new OptionError(`hybrid: mode must be "corridor" or "nextYear"; received ${String(mode)}`, {
      option: 'hybrid: mode',
      received: mode,
    });
  const core = baseCore('hybrid', options, {
    id: mode === 'corridor' ? 'hybrid' : 'hybrid-next-year',
    label:
      mode === 'corridor'
        ? 'Hybrid (frame with activity corridor)'
        : 'Hybrid (next year from this year\u2019s activity)',
  });
  const regulate = options.regulate ?? 'full';
  if (regulate !== 'full' && regulate !== 'excess')
    throw new OptionError(`hybrid: regulate must be "full" or "excess"; received ${String(regulate)}`, {
      option: 'hybrid: regulate',
      received: regulate,
    });
  const basis = options.basis ?? 'delivered';
  if (basis !== 'delivered' && basis !== 'ordered')
    throw new OptionError(`hybrid: basis must be "delivered" or "ordered"; received ${String(basis)}`, {
      option: 'hybrid: basis',
      received: basis,
    });
  core.activity = {
    mode,
    corridor: share('hybrid: corridor', options.corridor, 0.03),
    marginalRate: share('hybrid: marginalRate', options.marginalRate, 0.7, 2),
    regulate,
    basis,
  };
  return frameFamily(core);
}

/**
 * The years (by index, 1 = first simulated) in which the deficit guarantee covers this service:
 * 1 where covered; undefined when the strategy has no guarantee or it does not cover the service.
 * Checks the guarantee's service ids against the run's services and groups, when the setup
 * gives them.
 */
function coveredYears(core: Core, setup: StrategySetup): Uint8Array | undefined {
  const g = core.guarantee;
  if (g === undefined) return undefined;
  const { timeline, serviceId, group, serviceIds } = setup;
  if (g.services !== undefined) {
    if (serviceIds !== undefined) {
      const unknown = g.services.filter((id) => !serviceIds.includes(id));
      if (unknown.length > 0)
        throw new OptionError(
          `${core.id}: deficitGuarantee.services names ${unknown.map((id) => `"${id}"`).join(', ')}, not a service or group of the run; expected some of ${serviceIds.map((id) => `"${id}"`).join(', ')}`,
          { option: 'deficitGuarantee.services', received: unknown },
        );
    }
    if (!g.services.includes(serviceId) && (group === undefined || !g.services.includes(group))) return undefined;
  }
  const H = timeline.horizonYears;
  const first = g.from ?? timeline.years[1]!;
  const covered = new Uint8Array(H + 1);
  for (let y = 1; y <= H; y++) {
    const year = timeline.years[y]!;
    if (year >= first && year < first + g.years) covered[y] = 1;
  }
  return covered;
}

function frameFamily(core: Core): StrategyDefinition {
  return {
    id: core.id,
    label: core.label,
    ...(core.labels === undefined ? {} : { labels: core.labels }),
    create(setup: StrategySetup): StrategyInstance {
      const { timeline, baseline, baselineWorld } = setup;
      const H = timeline.horizonYears;
      const index = baselineWorld.priceIndex;
      const G = baselineWorld.groupIds.length;
      const adjust = new Float64Array(H + 1);
      for (let y = 1; y <= H; y++) adjust[y] = core.adjustmentsKr[String(timeline.years[y])] ?? 0;
      const surplusCap = core.caps.surplusCap ?? Infinity;
      const deficitCap = core.caps.deficitCap ?? Infinity;
      const guaranteed = coveredYears(core, setup);
      const guaranteeKr = core.guarantee?.capKr ?? 0;

      // Demographic unit costs per group and year (current prices, healthy ageing applied).
      const demo = core.demography;
      const unitCost = new Float64Array((H + 1) * G);
      if (demo !== undefined) {
        for (let g = 0; g < G; g++) {
          const gid = baselineWorld.groupIds[g]!;
          let u0: number;
          if (demo.unitCostKr !== undefined) {
            if (demo.unitCostKr[gid] === undefined)
              throw new OptionError(`${core.id}: unitCostKr has no entry for population group "${gid}"`, {
                option: 'unitCostKr',
              });
            u0 = demo.unitCostKr[gid];
          } else {
            if (baseline.costByGroupKr === undefined)
              throw new OptionError(
                `${core.id}: service "${setup.serviceId}" gives no cost by age group; pass unitCostKr`,
                { option: 'unitCostKr' },
              );
            const n0 = baselineWorld.population[g]!;
            u0 = n0 > 0 ? baseline.costByGroupKr[g]! / n0 : 0;
          }
          for (let y = 0; y <= H; y++) unitCost[y * G + g] = u0 * pow(1 - demo.healthyAgeing, y) * index[y]!;
        }
      }
      const act = core.activity;
      // Only the hybrid values activity; a pure or demographic frame needs no prices.
      const priced =
        act === undefined
          ? undefined
          : priceLines(baseline, setup.lines, baselineWorld, act.basis, undefined, [], {
              serviceUnit: setup.activityUnit,
            });
      const response = core.response;
      const progress = yearProgress(timeline);

      let frameKr = 0;
      let openKr = 0;
      let level = 1;
      let cutThisYear = 0;
      let pendingKr = 0;

      const trueUp = (ctx: DecisionContext, y: number): number => {
        let s = 0;
        for (let g = 0; g < G; g++)
          s += (ctx.actualPopulation(y, g) - baselineWorld.population[y * G + g]!) * unitCost[y * G + g]!;
        return s;
      };
      /** Regulation when the value of activity leaves the corridor around the adopted frame. */
      const corridorRegulation = (ctx: DecisionContext, y: number): number => {
        const funded = ctx.adoptedBudgetKr(y);
        const d = projectedValue(ctx, priced!, progress) - funded;
        const band = act!.corridor * Math.abs(funded);
        if (Math.abs(d) <= band) return 0;
        const regulated = act!.regulate === 'full' ? d : d - Math.sign(d) * band;
        return act!.marginalRate * regulated;
      };
      const respond = (ctx: DecisionContext, y: number, budget: number): void => {
        if (response === undefined) return;
        const { first, done, doneShare } = progress(ctx.knownPeriods, y);
        if (done === 0 || doneShare >= 1) return;
        const known = ctx.actualSum('costKr', first, first + done);
        const forecast = known / doneShare;
        if (!(forecast > budget * (1 + response.threshold))) return;
        const rest = forecast - known;
        const needed = rest > 0 ? (forecast - budget) / rest : 0;
        const cut = Math.min(needed, response.maxCutPerYear - cutThisYear);
        // A level of 0 (minLevel 0 reached) has nothing left to cut: (level - next) / level would be 0/0.
        if (cut <= 0 || level <= 0) return;
        const next = Math.max(response.minLevel, level * (1 - cut));
        cutThisYear += (level - next) / level;
        level = next;
      };

      const instance: StrategyInstance = {
        reset(): void {
          frameKr = baseline.costKr[0]!;
          level = 1;
          cutThisYear = 0;
          pendingKr = 0;
        },
        adopt(ctx: DecisionContext): number {
          const y = ctx.yearIndex;
          frameKr = frameKr * (index[y]! / index[y - 1]!) + adjust[y]!;
          if (demo !== undefined) {
            for (let g = 0; g < G; g++) {
              frameKr +=
                (baselineWorld.population[y * G + g]! - baselineWorld.population[(y - 1) * G + g]!) *
                unitCost[y * G + g]!;
            }
          }
          if (act?.mode === 'nextYear' && y > 1) {
            // This year's activity as known now (at adoption), annualised, valued at next year's
            // prices, against the activity this year's budget pays for, valued likewise: the
            // budget times the change of the activity's value from this year's prices to next.
            const atNext = annualisedValue(ctx, priced!, progress, y - 1, y);
            if (atNext === atNext) {
              const atThis = annualisedValue(ctx, priced!, progress, y - 1, y - 1);
              const uprate = atThis > 0 ? atNext / atThis : index[y]! / index[y - 1]!;
              frameKr += act.marginalRate * (atNext - ctx.adoptedBudgetKr(y - 1) * uprate);
            }
          }
          return frameKr;
        },
        open(ctx: DecisionContext): number {
          const y = ctx.yearIndex;
          cutThisYear = 0;
          openKr = ctx.currentBudgetKr + (y > 1 ? ctx.carryOverKr(y - 1) : 0) + pendingKr;
          pendingKr = 0;
          return openKr;
        },
        settle(ctx: DecisionContext): number {
          const y = ctx.yearIndex;
          let budget = act?.mode === 'corridor' ? openKr + corridorRegulation(ctx, y) : ctx.currentBudgetKr;
          if (demo !== undefined && demo.expost === 'same') budget += trueUp(ctx, y);
          if (demo !== undefined && demo.expost === 'next') pendingKr = trueUp(ctx, y);
          // The deficit guarantee: the treasury covers the deficit left, up to its sum.
          if (guaranteed !== undefined && guaranteed[y] === 1)
            budget += Math.min(Math.max(ctx.actualCostKr(y) - budget, 0), guaranteeKr);
          return budget;
        },
        carryOver(ctx: DecisionContext): number {
          const result = ctx.currentBudgetKr - ctx.actualCostKr(ctx.yearIndex);
          const adopted = ctx.adoptedBudgetKr(ctx.yearIndex);
          // An unlimited cap (Infinity) of a unit with no budget (a provider of no market share)
          // is no bound: Infinity × 0 would be NaN.
          const cap = (c: number) => (c === Infinity ? Infinity : c * adopted);
          return Math.min(Math.max(result, -cap(deficitCap)), cap(surplusCap));
        },
      };
      // A follow-up changes something only under a corridor or a service response, and the level
      // only under a response: without them the hooks are left out (their defaults keep the
      // budget and the level), so a run need not call them and may share the services' paths
      // with other strategies that keep the level (see StrategyInstance.serviceLevel).
      if (act?.mode === 'corridor' || response !== undefined)
        instance.followUp = (ctx: DecisionContext): number => {
          const y = ctx.yearIndex;
          const budget = act?.mode === 'corridor' ? openKr + corridorRegulation(ctx, y) : ctx.currentBudgetKr;
          respond(ctx, y, budget);
          return budget;
        };
      if (response !== undefined) instance.serviceLevel = (): number => level;
      return instance;
    },
  };
}
