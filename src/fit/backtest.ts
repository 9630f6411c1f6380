/**
 * Backtesting: for each origin year, fit home care on the history up to it, project the
 * following years, and score the projections of recipients and visited hours against what
 * happened, beside the straight line a spreadsheet would draw.
 */
import { getDaysInYear } from 'date-fns/getDaysInYear';
import { OptionError } from '../errors';
import type { ScenarioInput } from '../scenario/schema';
import type { HomeCareHistory } from '../scenario/series';
import { simulate } from '../simulation/simulate';
import { parseScenario } from '../scenario/parse';
import { meanOf } from '../random/uncertain';
import { figureValues } from '../results/values';
import { quantileSorted } from '../results/statistics';
import { fitHomeCare } from './homeCare';
import { linearTrend, scoreSorted } from './scores';
import type { BacktestQuantity, BacktestResult, BacktestRow, BacktestSummaryRow } from './backtestTypes';

export type { BacktestQuantity, BacktestResult, BacktestRow, BacktestSummaryRow } from './backtestTypes';

/** Options of {@link backtest}. @category Fitting */
export interface BacktestOptions {
  /** The origin years: the last year of history each fit uses (at least one). */
  readonly origins: readonly number[];
  /** Years projected after each origin (at least 1); years after the history's last are not scored. */
  readonly horizon: number;
  /** The first year of history each fit uses (default: the history's first). */
  readonly from?: number;
  /** Paths of each projection (default 2,000). */
  readonly paths?: number;
  /** Seed (default: the base scenario's, else 1). */
  readonly seed?: number | string;
  /**
   * Home care's cost by year in kr, current prices (for example `accountsFromCsv(text)['Hjemmepleje']`):
   * with it, the cost is scored too. The model's cost per unit is calibrated to the accounts in each
   * origin year (what the accounts say a year of the fitted activity cost then), so the score is of
   * the cost's growth, not of the model's default wage.
   */
  readonly costs?: Readonly<Record<string, number>>;
  /** Called after each origin. */
  readonly onProgress?: (done: number, total: number) => void;
}

const BASE_QUANTITIES: readonly BacktestQuantity[] = ['recipients', 'hours'];

/** The years of a history table (of any group), sorted. */
function yearsOf(series: Readonly<Record<string, Readonly<Record<string, number>>>>): number[] {
  const years = new Set<number>();
  for (const g of Object.values(series)) for (const y of Object.keys(g)) years.add(Number(y));
  return [...years].sort((a, b) => a - b);
}

/** A table's total over its groups in a year (the group `total` when it has one). */
function totalOf(series: Readonly<Record<string, Readonly<Record<string, number>>>>, year: number): number {
  const t = series.total?.[String(year)];
  if (t !== undefined) return t;
  let s = 0;
  for (const [g, byYear] of Object.entries(series)) if (g !== 'total') s += byYear[String(year)] ?? NaN;
  return s;
}

/**
 * Backtests home care's projection on a municipality's own history. For each origin year it
 * fits home care with {@link fitHomeCare} on the years up to the origin, projects the following
 * `horizon` years with the realised population (so that the score is home care's own, not the
 * population forecast's), and scores what happened in each projected year: the PIT (where it fell
 * among the paths), whether it lay in the central 50 % and 90 % bands, and the CRPS, beside the
 * absolute error of the straight line through the origin's history. Recipients are projected by
 * the model run with one hour per recipient and no spread of hours, hours by the model as fitted
 * (two runs on the same seed: each quantity's own distribution).
 *
 * @param scenario - a base scenario to merge each fit into (its calendar, prices, strategies),
 *   or `undefined` for the fit's minimal scenario; its care homes and specialised area are left out
 * @param history - population, recipients and visited hours by group and year
 * @param options - origins, horizon, first year of history, paths, seed, progress
 * @returns the rows per origin, year and quantity, the scores by horizon and the PIT histogram
 * @throws `OptionError` for origins outside the history, a horizon below 1, a history without
 *   hours; `FitError` when a fit fails (too few years before an origin)
 * @example
 * ```ts
 * const r = backtest(undefined, history, { origins: [2016, 2017, 2018], horizon: 3, paths: 500 });
 * r.summary.find((s) => s.quantity === 'recipients' && s.horizon === 1)?.coverage90;
 * ```
 * @category Fitting
 */
export function backtest(
  scenario: ScenarioInput | undefined,
  history: HomeCareHistory,
  options: BacktestOptions,
): BacktestResult {
  const paths = options.paths ?? 2000;
  if (!(Number.isInteger(paths) && paths >= 10 && paths <= 1_000_000))
    throw new OptionError(`backtest: paths must be a whole number from 10 to 1,000,000; received ${String(paths)}`, {
      option: 'paths',
      received: paths,
    });
  const horizon = options.horizon;
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 30))
    throw new OptionError(
      `backtest: horizon must be a whole number of years from 1 to 30; received ${String(horizon)}`,
      {
        option: 'horizon',
        received: horizon,
      },
    );
  if (history.hours === undefined)
    throw new OptionError('backtest: the history has no visited hours; expected hours by group or in total', {
      option: 'history.hours',
    });
  const years = yearsOf(history.recipients);
  const first = options.from ?? years[0]!;
  const last = years[years.length - 1]!;
  if (options.origins.length === 0)
    throw new OptionError('backtest: expected at least one origin year', { option: 'origins', received: [] });
  for (const o of options.origins)
    if (!(Number.isInteger(o) && o - first >= 2 && o < last))
      throw new OptionError(
        `backtest: origin ${String(o)} must leave at least three years of history from ${first} and one year after it before ${last + 1}; expected ${first + 2} to ${last - 1}`,
        { option: 'origins', received: o },
      );
  const costs = options.costs;
  const QUANTITIES: readonly BacktestQuantity[] =
    costs === undefined ? BASE_QUANTITIES : [...BASE_QUANTITIES, 'costKr'];
  if (costs !== undefined)
    for (const o of options.origins)
      if (!(Number.isFinite(costs[String(o)]) && costs[String(o)]! > 0))
        throw new OptionError(
          `backtest: costs has no positive cost in the origin year ${String(o)}; expected the accounts' cost of each origin year`,
          { option: 'costs', received: costs[String(o)] },
        );
  const seed = options.seed ?? (scenario?.seed as number | string | undefined) ?? 1;
  const groups = Object.keys(history.population).filter((g) => g !== 'total');

  const rows: BacktestRow[] = [];
  const origins = [...options.origins].sort((a, b) => a - b);
  origins.forEach((origin, k) => {
    const end = Math.min(origin + horizon, last);
    // The realised population as the projection's, without error: the score is home care's own.
    const population = {
      groups: groups.map((g) => ({
        id: g,
        table: Object.fromEntries(
          Array.from({ length: end - origin + 1 }, (_, i) => {
            const y = origin + i;
            return [String(y), history.population[g]![String(y)]!];
          }),
        ),
      })),
    };
    const { careHomes: _ch, specialised: _sp, ...base } = scenario ?? ({} as Partial<ScenarioInput>);
    const fit = fitHomeCare(history, {
      ...(options.from === undefined ? {} : { from: options.from }),
      to: origin,
      baseYear: origin,
      scenario: {
        name: `${scenario?.name ?? 'history'}-backtest-${origin}`,
        ...base,
        baseYear: origin,
        horizonYears: end - origin,
        seed,
        paths,
        population,
        strategies: [{ kind: 'activity' }],
      } as ScenarioInput,
    });
    const projected = fit.scenario as ScenarioInput & { homeCare: Record<string, unknown> };
    const { hoursTrend: _ht, ...homeCare } = projected.homeCare;
    // One hour a week per recipient, no spread and no trend of hours: the hours are the recipients.
    const counted = {
      ...projected,
      homeCare: { ...homeCare, hoursPerRecipientPerWeek: 1, hoursTrendPerYear: 0, individualHoursCv: 0 },
    } as ScenarioInput;
    const hoursRun = simulate(projected);
    const runs: Record<BacktestQuantity, ReturnType<typeof simulate>> = {
      recipients: simulate(counted),
      hours: hoursRun,
      costKr: hoursRun,
    };
    // The cost per unit calibrated to the accounts in the origin year: the fitted activity of the
    // origin year at the scenario's mean unit cost, against what the accounts say it cost.
    let costScale = 1;
    if (costs !== undefined) {
      const hc = parseScenario(projected).homeCare!;
      let recipients = 0;
      for (const g of groups) recipients += history.population[g]![String(origin)]! * (hc.useRates[g] ?? 0);
      const visited = recipients * meanOf(hc.hoursPerRecipientPerWeek) * (getDaysInYear(new Date(origin, 0, 1)) / 7);
      const paid = (visited * (1 - meanOf(hc.undeliveredShare))) / meanOf(hc.userTimeShare);
      const modelCost = paid * hc.wageCostPerPaidHourKr + hc.overheadKrPerYear;
      costScale = modelCost > 0 ? costs[String(origin)]! / modelCost : 1;
    }
    const historyYears = years.filter((y) => y >= first && y <= origin);
    for (const quantity of QUANTITIES) {
      const table =
        quantity === 'recipients' ? history.recipients : quantity === 'hours' ? history.hours! : { total: costs! };
      const past = historyYears.map((y) => totalOf(table, y));
      for (let y = origin + 1; y <= end; y++) {
        const realised = totalOf(table, y);
        if (!Number.isFinite(realised)) continue;
        // Weekly values: needed hours of the year over its weeks.
        // Cost in kr scaled to the accounts; recipients and hours weekly: the year's needed hours over its weeks.
        const weeks = getDaysInYear(new Date(y, 0, 1)) / 7;
        const figure = quantity === 'costKr' ? 'actualCostKr' : 'neededUnits';
        const factor = quantity === 'costKr' ? costScale : 1 / weeks;
        const raw = figureValues(runs[quantity], { strategy: 'activity', service: 'home-care', year: y, figure });
        const values = Float64Array.from(raw, (v) => v * factor);
        let mean = 0;
        for (const v of values) mean += v;
        // Sorted in place once, for the percentiles and the score.
        const sorted = values.sort();
        const score = scoreSorted(sorted, realised);
        const trend = linearTrend(historyYears, past, y);
        rows.push({
          origin,
          year: y,
          horizon: y - origin,
          quantity,
          realised,
          mean: mean / sorted.length,
          p5: quantileSorted(sorted, 0.05),
          p25: quantileSorted(sorted, 0.25),
          p50: quantileSorted(sorted, 0.5),
          p75: quantileSorted(sorted, 0.75),
          p95: quantileSorted(sorted, 0.95),
          ...score,
          trend,
          trendError: Math.abs(realised - trend),
        });
      }
    }
    options.onProgress?.(k + 1, origins.length);
  });

  const summary: BacktestSummaryRow[] = [];
  for (const quantity of QUANTITIES)
    for (let h = 1; h <= horizon; h++) {
      const at = rows.filter((r) => r.quantity === quantity && r.horizon === h);
      if (at.length === 0) continue;
      const mean = (f: (r: BacktestRow) => number) => at.reduce((a, r) => a + f(r), 0) / at.length;
      summary.push({
        quantity,
        horizon: h,
        n: at.length,
        coverage50: mean((r) => (r.in50 ? 1 : 0)),
        coverage90: mean((r) => (r.in90 ? 1 : 0)),
        crps: mean((r) => r.crps),
        trendError: mean((r) => r.trendError),
      });
    }
  const pit = QUANTITIES.map((quantity) => {
    const counts = new Array<number>(10).fill(0);
    for (const r of rows) if (r.quantity === quantity) counts[Math.min(9, Math.floor(r.pit * 10))]!++;
    return { quantity, counts };
  });
  return { origins, horizon, paths, seed, quantities: QUANTITIES, rows, summary, pit };
}
