import { describe, expect, it } from 'vitest';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { buildTimeline, parseScenario, lejre2034 } from '../../src/index';

describe('budget calendar', () => {
  const monthly = buildTimeline(parseScenario(lejre2034()));

  it('has months of the right length, leap years included', () => {
    expect(monthly.periodCount).toBe(132);
    expect(monthly.periodDays[1]).toBe(29); // February 2024
    expect(monthly.periodDays[13]).toBe(28); // February 2025
    expect(Array.from(monthly.yearDays.slice(0, 3))).toEqual([365, 366, 365]);
  });

  it('adopts each budget in October of the year before, knowing the actuals to the end of September', () => {
    const adopt = monthly.events.filter((e) => e.kind === 'adopt');
    expect(adopt[0]).toMatchObject({ yearIndex: 1, knownPeriods: 0 });
    expect(adopt[1]).toMatchObject({ yearIndex: 2, knownPeriods: 9 });
    expect(adopt[1]!.date.getMonth()).toBe(9);
    const follow = monthly.events.filter((e) => e.kind === 'followUp' && e.yearIndex === 2).map((e) => e.knownPeriods);
    expect(follow).toEqual([15, 18, 21]);
  });

  it('orders events: a year is settled before the next opens; an adoption sees the same day\u2019s follow-up', () => {
    const kinds = monthly.events.filter((e) => e.knownPeriods === 12).map((e) => `${e.kind}${e.yearIndex}`);
    expect(kinds).toEqual(['settle1', 'open2']);
    const sept = monthly.events.filter((e) => e.knownPeriods === 9).map((e) => `${e.kind}${e.yearIndex}`);
    expect(sept).toEqual(['followUp1', 'adopt2']);
  });

  it('follows a configured calendar and step', () => {
    const t = buildTimeline(
      parseScenario({ ...lejre2034(), step: 'quarter', calendar: { adoption: '06-30', followUps: ['06-30'] } }),
    );
    expect(t.periodCount).toBe(44);
    expect(t.events.filter((e) => e.kind === 'adopt')[1]).toMatchObject({ knownPeriods: 2 });
    expect(
      t.events
        .filter((e) => e.kind === 'followUp')
        .map((e) => e.knownPeriods)
        .slice(0, 2),
    ).toEqual([2, 6]);
    const yearly = buildTimeline(parseScenario({ ...lejre2034(), step: 'year' }));
    expect(yearly.periodCount).toBe(11);
    expect(yearly.events.filter((e) => e.kind === 'adopt')[3]).toMatchObject({ knownPeriods: 2 });
  });

  it('knows at each adoption and follow-up the periods that end by the day after it, whatever the step and dates', () => {
    for (const step of ['month', 'quarter', 'year'] as const) {
      for (const calendar of [
        { adoption: '10-01', followUps: ['03-31', '06-30', '09-30'] },
        { adoption: '01-15', followUps: ['01-01', '12-30'] },
        { adoption: '12-31', followUps: ['02-28', '07-31'] },
      ]) {
        const t = buildTimeline(parseScenario({ ...lejre2034(), step, calendar }));
        for (const e of t.events.filter((x) => x.kind === 'adopt' || x.kind === 'followUp')) {
          // Counted one period at a time, as the definition reads.
          let known = 0;
          while (known < t.periodCount) {
            const end = t.periodStart[known + 1] ?? new Date(t.years[t.horizonYears]! + 1, 0, 1);
            if (differenceInCalendarDays(end, e.date) > 1) break;
            known++;
          }
          const floor = e.kind === 'followUp' ? (e.yearIndex - 1) * t.periodsPerYear : 0;
          expect(e.knownPeriods, `${step} ${e.kind} ${e.date.toDateString()}`).toBe(Math.max(floor, known));
        }
      }
    }
  });
});
