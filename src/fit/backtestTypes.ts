/**
 * What a backtest returns: for each origin year, the projection of the following years against
 * what happened, and scores of the bands' coverage, the PIT and the CRPS beside a straight-line
 * trend's.
 */

/** The quantities a backtest projects and scores. @category Fitting */
export type BacktestQuantity = 'recipients' | 'hours' | 'costKr';

/** One projected year of one origin. @category Fitting */
export interface BacktestRow {
  /** The last year of history the fit used. */
  readonly origin: number;
  readonly year: number;
  /** Years after the origin (1 = the first projected year). */
  readonly horizon: number;
  readonly quantity: BacktestQuantity;
  /** What happened. */
  readonly realised: number;
  /** The projection's mean and percentiles over paths. */
  readonly mean: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  /** The share of paths below what happened (ties half). */
  readonly pit: number;
  readonly in50: boolean;
  readonly in90: boolean;
  /** The continuous ranked probability score, in the quantity's unit. */
  readonly crps: number;
  /** The straight line through the origin's history, extrapolated: what a spreadsheet would draw. */
  readonly trend: number;
  /** Its absolute error (a point forecast's CRPS). */
  readonly trendError: number;
}

/** The scores of one quantity at one horizon, over the origins. @category Fitting */
export interface BacktestSummaryRow {
  readonly quantity: BacktestQuantity;
  readonly horizon: number;
  /** Outcomes scored. */
  readonly n: number;
  /** The share of outcomes inside the central 50 % and 90 % bands. */
  readonly coverage50: number;
  readonly coverage90: number;
  /** The mean CRPS of the projection and the mean absolute error of the straight line. */
  readonly crps: number;
  readonly trendError: number;
}

/** The result of a backtest. @category Fitting */
export interface BacktestResult {
  readonly origins: readonly number[];
  readonly horizon: number;
  readonly paths: number;
  readonly seed: number | string;
  readonly quantities: readonly BacktestQuantity[];
  readonly rows: readonly BacktestRow[];
  readonly summary: readonly BacktestSummaryRow[];
  /** The PIT values' histogram in ten bins of 0.1, counts per quantity (all horizons). */
  readonly pit: readonly { readonly quantity: BacktestQuantity; readonly counts: readonly number[] }[];
}
