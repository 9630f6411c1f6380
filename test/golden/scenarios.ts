/**
 * Scenarios pinned beside the presets: small seeded runs that reach the paths of the code the
 * presets do not (care-home capacity changes, which draw stays through `moveIn`; quarterly and
 * yearly steps; no applicants; the waiting list and the queues growing past their first size).
 * Each is kept small (few baseline paths, a short horizon) so that its golden test is quick.
 */
import { lejre2034, type ScenarioInput } from '../../src/index';

/** Lejre's scenario with care homes as given, over `horizonYears`. */
function lejreWith(
  careHomes: NonNullable<ScenarioInput['careHomes']>,
  overrides: Partial<ScenarioInput> = {},
): ScenarioInput {
  const base = lejre2034();
  return { ...base, horizonYears: 6, careHomes: { ...base.careHomes!, baselinePaths: 8, ...careHomes }, ...overrides };
}

export const goldenScenarios: Readonly<Record<string, () => ScenarioInput>> = {
  /** Capacity cut below the residents, a home closed and reopened, one changed before the start (monthly). */
  'care-home capacity changes': () =>
    lejreWith(
      {
        homes: [
          {
            id: 'bakkegaarden',
            places: 40,
            capacityChanges: [
              { from: '2025-03-01', places: 25 },
              { from: '2028-01-01', places: 45 },
            ],
          },
          {
            id: 'solhoej',
            places: 30,
            occupiedAtStart: 0.5,
            capacityChanges: [
              { from: '2026-07-15', places: 0 },
              { from: '2029-01-01', places: 20 },
            ],
          },
          { id: 'toften', places: 3, capacityChanges: [{ from: '2020-01-01', places: 5 }] },
        ],
      },
      { name: 'golden-capacity-changes', seed: 4101 },
    ),
  /** Yearly steps, constant stays, the guarantee running out, long vacancy: the queues grow. */
  'care homes by year, guarantee running out': () =>
    lejreWith(
      {
        homes: [
          { id: 'a', places: 400 },
          { id: 'b', places: 200, occupiedAtStart: 0.9 },
        ],
        stay: { kind: 'constant', exitPerYear: 0.8 },
        applicantsPerCitizenPerYear: 0.3,
        guaranteeDays: 20,
        vacancyDays: 45.5,
      },
      { name: 'golden-yearly-guarantee', seed: 4102, step: 'year' },
    ),
  /** Quarterly steps, short stays and many applicants with a long guarantee: the waiting list grows. */
  'care homes by quarter, a long waiting list': () =>
    lejreWith(
      {
        homes: [{ id: 'a', places: 10 }],
        stay: { kind: 'mixture', shortShare: 1, shortMeanYears: 0.05, longMeanYears: 3 },
        applicantsPerCitizenPerYear: 0.6,
        guaranteeDays: 3650,
        vacancyDays: 2.5,
      },
      { name: 'golden-quarterly-waiting', seed: 4104, step: 'quarter' },
    ),
  /** Quarterly steps, no applicants, a cut, short stays only. */
  'care homes by quarter, no applicants and a cut': () =>
    lejreWith(
      {
        homes: [{ id: 'a', places: 50, capacityChanges: [{ from: '2026-05-01', places: 20 }] }],
        stay: { kind: 'mixture', shortShare: 1, shortMeanYears: 0.05, longMeanYears: 3 },
        applicantsPerCitizenPerYear: 0,
      },
      { name: 'golden-quarterly-cut', seed: 4103, step: 'quarter' },
    ),
};
