import type * as z from 'zod';
import { uncertainSchema } from '../distribution';
import { INTERVENTION_TARGETS, strategySpecId } from '../kinds';
import { addRuleIssue } from './codes';
import { checkCorrelation, checkUniformCorrelation } from './correlation';
import { looseArray, looseInt, looseObject, type Loose } from './loose';
import { supportOf } from './support';
import { checkTrendFormula } from './trend';

/** What the sections' checks share: the simulated years and the population groups' ids. */
interface ScenarioFacts {
  readonly baseYear: number | undefined;
  readonly horizon: number | undefined;
  /** The last simulated year: baseYear + horizonYears. */
  readonly last: number | undefined;
  /** The groups' ids that are strings. */
  readonly ids: readonly string[];
  /** Every group has an id: checks against the groups' ids need them all (the others use those there are). */
  readonly idsKnown: boolean;
  /** The ids, for messages. */
  readonly groupList: string;
}

function scenarioFacts(s: Loose): ScenarioFacts {
  const baseYear = looseInt(s.baseYear);
  const horizon = looseInt(s.horizonYears);
  const population = looseObject(s.population);
  const rawIds = looseArray(population?.groups).map((g) => {
    const id = looseObject(g)?.id;
    return typeof id === 'string' ? id : undefined;
  });
  const ids = rawIds.filter((id): id is string => id !== undefined);
  return {
    baseYear,
    horizon,
    last: baseYear !== undefined && horizon !== undefined ? baseYear + horizon : undefined,
    ids,
    idsKnown: Array.isArray(population?.groups) && rawIds.every((id) => id !== undefined),
    groupList: ids.join(', '),
  };
}

/**
 * The scenario's cross-field rules, section by section, each problem with its rule's code. They
 * run even when other fields fail (zod's `when`), so one round of validation lists every
 * problem: each rule reads only fields of the right shape and skips what it cannot check.
 * Lookups use `Object.hasOwn`, so an id such as `toString` never finds `Object.prototype`.
 *
 * @internal
 */
export function checkScenario(s: Loose, ctx: z.RefinementCtx): void {
  const facts = scenarioFacts(s);
  checkPopulationGroups(s, facts, ctx);
  checkSomeService(s, ctx);
  const hc = looseObject(s.homeCare);
  if (hc !== undefined) checkHomeCare(hc, facts, ctx);
  checkInterventions(s, ctx);
  const ch = looseObject(s.careHomes);
  if (ch !== undefined) checkCareHomes(ch, facts, ctx);
  checkPopulationCorrelation(s, facts, ctx);
  checkStrategies(s, facts, ctx);
}

/** `DUPLICATE_ID` for each string id met before in `ids`, at `pathOf(i)`: "expected a unique <what> id". */
function checkUniqueIds(
  ids: readonly unknown[],
  pathOf: (i: number) => PropertyKey[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  ids.forEach((id, i) => {
    if (typeof id === 'string' && ids.indexOf(id) !== i)
      addRuleIssue(ctx, 'DUPLICATE_ID', { path: pathOf(i), message: `expected a unique ${what} id`, input: id });
  });
}

/** `UNKNOWN_GROUP` for each key of `record` that is not a population group. */
function checkKeysAreGroups(
  record: Loose,
  path: readonly PropertyKey[],
  facts: ScenarioFacts,
  ctx: z.RefinementCtx,
): void {
  for (const key of Object.keys(record)) {
    if (!facts.ids.includes(key))
      addRuleIssue(ctx, 'UNKNOWN_GROUP', {
        path: [...path, key],
        message: `expected one of the population groups (${facts.groupList})`,
        input: record[key],
      });
  }
}

/** `GROUP_MISSING` for each population group that is not a key of `record` ("expected <what> for every population group"). */
function checkEveryGroup(
  record: Loose,
  path: readonly PropertyKey[],
  what: string,
  facts: ScenarioFacts,
  ctx: z.RefinementCtx,
): void {
  for (const id of facts.ids) {
    if (!Object.hasOwn(record, id))
      addRuleIssue(ctx, 'GROUP_MISSING', {
        path: [...path, id],
        message: `expected ${what} for every population group`,
        input: undefined,
      });
  }
}

/**
 * Population: group ids unique (`DUPLICATE_ID`), a target's year after the base year
 * (`TARGET_YEAR_NOT_AFTER_BASE`), a table with a count for every year (`TABLE_YEAR_MISSING`).
 */
function checkPopulationGroups(s: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const { baseYear, last } = facts;
  const groups = looseArray(looseObject(s.population)?.groups).map(looseObject);
  const rawIds = groups.map((g) => (typeof g?.id === 'string' ? g.id : undefined));
  groups.forEach((g, i) => {
    const id = rawIds[i];
    if (id !== undefined && rawIds.indexOf(id) !== i)
      addRuleIssue(ctx, 'DUPLICATE_ID', {
        path: ['population', 'groups', i, 'id'],
        message: 'expected a unique group id',
        input: id,
      });
    const targetYear = looseInt(looseObject(g?.target)?.year);
    if (baseYear !== undefined && targetYear !== undefined && targetYear <= baseYear) {
      addRuleIssue(ctx, 'TARGET_YEAR_NOT_AFTER_BASE', {
        path: ['population', 'groups', i, 'target', 'year'],
        message: `expected a year after the base year ${baseYear}`,
        input: targetYear,
      });
    }
    const table = looseObject(g?.table);
    if (table !== undefined && baseYear !== undefined && last !== undefined) {
      for (let y = baseYear; y <= last; y++) {
        if (!Object.hasOwn(table, String(y))) {
          addRuleIssue(ctx, 'TABLE_YEAR_MISSING', {
            path: ['population', 'groups', i, 'table', String(y)],
            message: `expected a count for every year ${baseYear} to ${last}`,
            input: undefined,
          });
          break;
        }
      }
    }
  });
}

/** At least one service (`NO_SERVICE`). */
function checkSomeService(s: Loose, ctx: z.RefinementCtx): void {
  if (s.homeCare === undefined && s.careHomes === undefined && s.specialised === undefined) {
    addRuleIssue(ctx, 'NO_SERVICE', {
      path: ['homeCare'],
      message: 'expected at least one service: homeCare, careHomes or specialised',
      input: undefined,
    });
  }
}

/**
 * Home care: use rates and care levels' shares for the population groups (`UNKNOWN_GROUP`,
 * `GROUP_MISSING`), its providers and units, and its trends.
 */
function checkHomeCare(hc: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const useRates = looseObject(hc.useRates);
  if (useRates !== undefined && facts.idsKnown) checkKeysAreGroups(useRates, ['homeCare', 'useRates'], facts, ctx);
  const levelShares = looseObject(looseObject(hc.careLevels)?.shares);
  if (levelShares !== undefined && facts.idsKnown)
    checkEveryGroup(levelShares, ['homeCare', 'careLevels', 'shares'], 'shares per level', facts, ctx);
  const pv = looseObject(hc.providers);
  if (pv !== undefined) checkProviders(hc, pv, ctx);
  if (Array.isArray(hc.units)) checkUnits(hc.units.map(looseObject), ctx);
  if (useRates !== undefined) checkEveryGroup(useRates, ['homeCare', 'useRates'], 'a use rate in [0, 1]', facts, ctx);
  checkTrends(hc, facts, ctx);
}

/**
 * The least share a private provider can have: a number itself, a share by year its largest
 * value, a distribution the least it can draw (draws above 1 in total are scaled down per path).
 */
function leastMarketShare(m: unknown): number | undefined {
  if (typeof m === 'number') return m;
  const o = looseObject(m);
  if (o === undefined) return undefined;
  if ('dist' in o) {
    const parsed = uncertainSchema.safeParse(m);
    return parsed.success ? supportOf(parsed.data)[0] : undefined;
  }
  let most: number | undefined;
  for (const v of Object.values(o)) if (typeof v === 'number' && (most === undefined || v > most)) most = v;
  return most;
}

/**
 * Home care's providers: not with units (`UNITS_AND_PROVIDERS`), private market shares summing
 * to less than 1 (`MARKET_SHARES_SUM`), a bid price under the tender model
 * (`BID_PRICE_MISSING`), provider ids unique (`DUPLICATE_ID`).
 */
function checkProviders(hc: Loose, pv: Loose, ctx: z.RefinementCtx): void {
  if (hc.units !== undefined)
    addRuleIssue(ctx, 'UNITS_AND_PROVIDERS', {
      path: ['homeCare', 'providers'],
      message: 'expected either units or providers, not both',
      input: undefined,
    });
  const providers = looseArray(pv.private).map(looseObject);
  const shares = providers.map((p) => leastMarketShare(p?.marketShare));
  if (shares.length > 0 && shares.every((x) => x !== undefined)) {
    const total = (shares as number[]).reduce((a, x) => a + x, 0);
    if (!(total < 1))
      addRuleIssue(ctx, 'MARKET_SHARES_SUM', {
        path: ['homeCare', 'providers', 'private'],
        message: `expected private market shares that sum to less than 1 (their numbers, largest yearly shares or least possible draws sum to ${total})`,
        input: undefined,
      });
  }
  const providerIds = providers.map((p) => p?.id);
  providers.forEach((p, i) => {
    if (pv.model === 'tender' && p !== undefined && p.bidPriceKrPerHour === undefined)
      addRuleIssue(ctx, 'BID_PRICE_MISSING', {
        path: ['homeCare', 'providers', 'private', i, 'bidPriceKrPerHour'],
        message: 'expected a bid price per hour under the tender model',
        input: undefined,
      });
    if (typeof providerIds[i] === 'string' && providerIds.indexOf(providerIds[i]) !== i)
      addRuleIssue(ctx, 'DUPLICATE_ID', {
        path: ['homeCare', 'providers', 'private', i, 'id'],
        message: 'expected a unique provider id',
        input: providerIds[i],
      });
  });
}

/** Home care's units: population shares summing to 1 (`UNIT_SHARES_SUM`), unit ids unique (`DUPLICATE_ID`). */
function checkUnits(units: readonly (Loose | undefined)[], ctx: z.RefinementCtx): void {
  const shares = units.map((u) => u?.populationShare);
  if (shares.every((x) => typeof x === 'number')) {
    const total = (shares as number[]).reduce((a, x) => a + x, 0);
    if (Math.abs(total - 1) > 1e-9)
      addRuleIssue(ctx, 'UNIT_SHARES_SUM', {
        path: ['homeCare', 'units'],
        message: `expected population shares that sum to 1 (they sum to ${total})`,
        input: shares,
      });
  }
  checkUniqueIds(
    units.map((u) => u?.id),
    (i) => ['homeCare', 'units', i, 'id'],
    'unit',
    ctx,
  );
}

/**
 * Home care's trends: a formula or a change a year, not both (`TREND_BOTH_WAYS`; given a
 * formula, the change a year must be left out, its default is not used), and each formula's
 * values over the years ({@link checkTrendFormula}).
 */
function checkTrends(hc: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  for (const [formula, perYear] of [
    ['useRateTrend', 'useRateTrendPerYear'],
    ['hoursTrend', 'hoursTrendPerYear'],
  ] as const) {
    if (hc[formula] !== undefined && hc[perYear] !== undefined)
      addRuleIssue(ctx, 'TREND_BOTH_WAYS', {
        path: ['homeCare', formula],
        message: `expected either ${formula} (a formula) or ${perYear} (a change a year), not both`,
        input: hc[perYear],
      });
    const pivot = `${perYear.slice(0, -'PerYear'.length)}PivotYears`;
    if (hc[formula] !== undefined && hc[pivot] !== undefined)
      addRuleIssue(ctx, 'TREND_BOTH_WAYS', {
        path: ['homeCare', pivot],
        message: `${pivot} turns ${perYear}'s line; with ${formula} (a formula), leave it out and write the pivot into the formula`,
        input: hc[pivot],
      });
  }
  const { horizon, baseYear } = facts;
  if (horizon !== undefined && baseYear !== undefined) {
    for (const field of ['useRateTrend', 'hoursTrend'] as const)
      checkTrendFormula(looseObject(hc[field]), field, baseYear, horizon, ctx);
  }
}

/**
 * Interventions: the scenario has the service each changes (`INTERVENTION_SERVICE_MISSING`),
 * intervention ids unique (`DUPLICATE_ID`).
 */
function checkInterventions(s: Loose, ctx: z.RefinementCtx): void {
  const interventions = looseArray(s.interventions).map(looseObject);
  interventions.forEach((iv, i) => {
    const kind = iv?.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(INTERVENTION_TARGETS, kind)) return;
    const target =
      kind === 'savingsPlan'
        ? (iv?.service ?? 'home-care')
        : INTERVENTION_TARGETS[kind as keyof typeof INTERVENTION_TARGETS].split('.')[0]!;
    const present =
      (target === 'home-care' && s.homeCare !== undefined) ||
      (target === 'care-homes' && s.careHomes !== undefined) ||
      (target === 'specialised' && s.specialised !== undefined);
    if (!present && typeof target === 'string')
      addRuleIssue(ctx, 'INTERVENTION_SERVICE_MISSING', {
        path: ['interventions', i, 'kind'],
        message: `expected the scenario to have the service it changes (${target})`,
        input: kind,
      });
  });
  checkUniqueIds(
    interventions.map((iv) => iv?.id),
    (i) => ['interventions', i, 'id'],
    'intervention',
    ctx,
  );
}

/** Care homes: applicants from a population group (`UNKNOWN_GROUP`), home ids unique (`DUPLICATE_ID`). */
function checkCareHomes(ch: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const applicantGroup = ch.applicantGroup ?? '80+';
  if (typeof applicantGroup === 'string' && facts.idsKnown && !facts.ids.includes(applicantGroup))
    addRuleIssue(ctx, 'UNKNOWN_GROUP', {
      path: ['careHomes', 'applicantGroup'],
      message: `expected one of the population groups (${facts.groupList})`,
      input: applicantGroup,
    });
  checkUniqueIds(
    looseArray(ch.homes).map((h) => looseObject(h)?.id),
    (i) => ['careHomes', 'homes', i, 'id'],
    'home',
    ctx,
  );
}

/** The population groups' correlation, one number or a matrix, for two groups or more ({@link checkCorrelation}). */
function checkPopulationCorrelation(s: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const corr = looseObject(s.population)?.correlation;
  const n = facts.ids.length;
  if (!facts.idsKnown || n <= 1) return;
  if (Array.isArray(corr) && corr.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number')))
    checkCorrelation(corr as number[][], n, ctx);
  else if (typeof corr === 'number' && corr >= -1 && corr <= 1) checkUniformCorrelation(corr, n, ctx);
}

/**
 * Strategies: ids unique as a run names them (`DUPLICATE_ID`), a demographic frame's unit
 * costs, and adjustments and a deficit guarantee's first year in simulated years
 * (`YEAR_NOT_SIMULATED`).
 */
function checkStrategies(s: Loose, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const strategies = Array.isArray(s.strategies) ? s.strategies.map(looseObject) : [];
  const sIds = strategies.map((st) => (st === undefined ? undefined : strategySpecId(st as { kind: string })));
  sIds.forEach((id, i) => {
    if (id !== undefined && sIds.indexOf(id) !== i) {
      addRuleIssue(ctx, 'DUPLICATE_ID', {
        path: ['strategies', i, 'id'],
        message: `expected a unique strategy id ("${id}" is used twice; set id)`,
        input: strategies[i]?.id,
      });
    }
  });
  strategies.forEach((st, i) => {
    if (st === undefined || st.kind === 'activity') return;
    if (st.kind === 'demographicFrame') checkDemographicFrame(s, st, i, facts, ctx);
    const { baseYear, last } = facts;
    const adjustments = looseObject(st.adjustmentsKr);
    if (adjustments !== undefined && baseYear !== undefined && last !== undefined) {
      for (const year of Object.keys(adjustments)) {
        const y = Number(year);
        if (y <= baseYear || y > last)
          addRuleIssue(ctx, 'YEAR_NOT_SIMULATED', {
            path: ['strategies', i, 'adjustmentsKr', year],
            message: `expected a simulated year (${baseYear + 1} to ${last})`,
            input: adjustments[year],
          });
      }
    }
    const from = looseObject(st.deficitGuarantee)?.from;
    if (typeof from === 'string' && /^\d{4}$/.test(from) && baseYear !== undefined && last !== undefined) {
      const y = Number(from);
      if (y <= baseYear || y > last)
        addRuleIssue(ctx, 'YEAR_NOT_SIMULATED', {
          path: ['strategies', i, 'deficitGuarantee', 'from'],
          message: `expected a simulated year (${baseYear + 1} to ${last})`,
          input: from,
        });
    }
  });
}

/**
 * A demographic frame's unit costs: one for every population group and no other
 * (`UNKNOWN_GROUP`, `GROUP_MISSING`), and given when the scenario has the specialised area,
 * which has no cost by age group (`UNIT_COSTS_MISSING`).
 */
function checkDemographicFrame(s: Loose, st: Loose, i: number, facts: ScenarioFacts, ctx: z.RefinementCtx): void {
  const unitCostKr = looseObject(st.unitCostKr);
  if (unitCostKr !== undefined && facts.idsKnown) {
    const path = ['strategies', i, 'unitCostKr'];
    checkKeysAreGroups(unitCostKr, path, facts, ctx);
    checkEveryGroup(unitCostKr, path, 'a unit cost', facts, ctx);
  }
  if (st.unitCostKr === undefined && s.specialised !== undefined) {
    addRuleIssue(ctx, 'UNIT_COSTS_MISSING', {
      path: ['strategies', i, 'unitCostKr'],
      message:
        'expected unit costs by population group: the specialised area has no cost by age group for a demographic frame to scale',
      input: undefined,
    });
  }
}
