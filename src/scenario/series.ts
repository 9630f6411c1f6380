/**
 * A municipality's history as the fitting and backtesting read it: values by the model's
 * population groups and calendar years, read from Statistics Denmark's tables or the accounts.
 */

/**
 * Values by population group and calendar year: `series[group][year]`, for example
 * `{ '80+': { '2019': 1480, '2020': 1512 } }`. A total over all groups uses the group `total`.
 *
 * @category Scenario
 */
export type GroupSeries = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * A municipality's home-care history by the model's population groups and year.
 *
 * @category Scenario
 */
export interface HomeCareHistory {
  /** Citizens by group and year. */
  readonly population: GroupSeries;
  /** Recipients of home care by group and year. */
  readonly recipients: GroupSeries;
  /** Visited hours a week by group and year, or their total under the group `total`. */
  readonly hours?: GroupSeries;
  /** Where each table came from (a file name or a table id), for the fitted scenario's comments. */
  readonly sources?: { readonly population?: string; readonly recipients?: string; readonly hours?: string };
}
