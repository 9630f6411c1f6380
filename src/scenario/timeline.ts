// date-fns one function at a time: its index imports every function, some 250 files, which
// costs each worker thread about 45 ms to load (and the command line as much at start-up).
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { parse } from 'date-fns/parse';
import type { Scenario } from './schema';

/** What happens at a point of the budget calendar. @category Simulation */
export type CalendarEventKind = 'settle' | 'open' | 'followUp' | 'adopt';

/**
 * A point of the budget calendar. `knownPeriods` is how many periods' actuals exist when it
 * happens: the event is processed after period `knownPeriods - 1` and before period
 * `knownPeriods` is simulated.
 *
 * @category Simulation
 */
export interface CalendarEvent {
  readonly kind: CalendarEventKind;
  /** The budget year concerned, as an index: 1 is the first simulated year. */
  readonly yearIndex: number;
  readonly knownPeriods: number;
  /** The calendar date of the decision. */
  readonly date: Date;
}

/**
 * The run's time axis: the periods (months, quarters or years) of every simulated year and the
 * budget calendar's events. Built once per run with date-fns.
 *
 * Year index 0 is the base year (known, not simulated); 1..horizonYears are simulated.
 *
 * @category Simulation
 */
export interface Timeline {
  readonly baseYear: number;
  readonly horizonYears: number;
  /** Calendar years, index 0 = base year. */
  readonly years: readonly number[];
  readonly periodsPerYear: number;
  readonly periodCount: number;
  /** Year index (1..horizonYears) of each period. */
  readonly periodYearIndex: Int32Array;
  /** Length of each period in days. */
  readonly periodDays: Float64Array;
  /** First day of each period. */
  readonly periodStart: readonly Date[];
  /** Days in each year, index 0 = base year. */
  readonly yearDays: Float64Array;
  /** Budget calendar events, in the order they happen. */
  readonly events: readonly CalendarEvent[];
}

const MONTHS_PER_PERIOD = { month: 1, quarter: 3, year: 12 } as const;

function dayOfYear(year: number, monthDay: string): Date {
  return parse(`${year}-${monthDay}`, 'yyyy-MM-dd', new Date(year, 0, 1));
}

const ORDER: Record<CalendarEventKind, number> = { adopt: 0, open: 1, followUp: 2, settle: 3 };

/**
 * Builds the timeline of a scenario.
 *
 * @param scenario - a validated scenario
 * @returns the periods and the budget calendar
 * @example
 * ```ts
 * const t = buildTimeline(parseScenario(lejre2034()));
 * t.periodCount; //=> 132
 * ```
 * @category Simulation
 */
export function buildTimeline(scenario: Pick<Scenario, 'baseYear' | 'horizonYears' | 'step' | 'calendar'>): Timeline {
  const { baseYear, horizonYears, step, calendar } = scenario;
  const months = MONTHS_PER_PERIOD[step];
  const periodsPerYear = 12 / months;
  const periodCount = periodsPerYear * horizonYears;
  const periodYearIndex = new Int32Array(periodCount);
  const periodDays = new Float64Array(periodCount);
  const periodStart: Date[] = [];
  const periodEnd: Date[] = [];
  const first = new Date(baseYear + 1, 0, 1);
  for (let p = 0; p < periodCount; p++) {
    const start = addMonths(first, p * months);
    const end = addMonths(first, (p + 1) * months);
    periodStart.push(start);
    periodEnd.push(end);
    periodYearIndex[p] = 1 + Math.floor(p / periodsPerYear);
    periodDays[p] = differenceInCalendarDays(end, start);
  }
  const years: number[] = [];
  const yearDays = new Float64Array(horizonYears + 1);
  for (let y = 0; y <= horizonYears; y++) {
    years.push(baseYear + y);
    yearDays[y] = differenceInCalendarDays(new Date(baseYear + y + 1, 0, 1), new Date(baseYear + y, 0, 1));
  }
  /**
   * Periods whose end (exclusive) is on or before the day after `date`. The periods end in
   * order, so they are a prefix, found by halving: a few date computations an event, not one a
   * period.
   */
  const knownAt = (date: Date): number => {
    let lo = 0;
    let hi = periodCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (differenceInCalendarDays(periodEnd[mid]!, date) <= 1) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const events: CalendarEvent[] = [];
  for (let y = 1; y <= horizonYears; y++) {
    const year = baseYear + y;
    const adoption = dayOfYear(year - 1, calendar.adoption);
    events.push({ kind: 'adopt', yearIndex: y, knownPeriods: knownAt(adoption), date: adoption });
    events.push({ kind: 'open', yearIndex: y, knownPeriods: (y - 1) * periodsPerYear, date: new Date(year, 0, 1) });
    for (const md of calendar.followUps) {
      const date = dayOfYear(year, md);
      events.push({
        kind: 'followUp',
        yearIndex: y,
        knownPeriods: Math.max((y - 1) * periodsPerYear, knownAt(date)),
        date,
      });
    }
    events.push({ kind: 'settle', yearIndex: y, knownPeriods: y * periodsPerYear, date: new Date(year, 11, 31) });
  }
  // Same moment: earlier budget years first; within a year adopt, open, follow up, settle. So a year is
  // settled before the next opens, and an autumn adoption sees that day's follow-up.
  events.sort((a, b) => a.knownPeriods - b.knownPeriods || a.yearIndex - b.yearIndex || ORDER[a.kind] - ORDER[b.kind]);
  return {
    baseYear,
    horizonYears,
    years,
    periodsPerYear,
    periodCount,
    periodYearIndex,
    periodDays,
    periodStart,
    yearDays,
    events,
  };
}
