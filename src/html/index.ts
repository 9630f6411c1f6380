/**
 * carebudget/report: a self-contained HTML report of a run, its charts drawn to inline SVG with
 * vega in Node. A Node entry: vega and vega-lite load here only, never in the core.
 *
 * @packageDocumentation
 */
export { renderReport } from './render';
export type { ReportOptions } from './render';
export { writeReport } from './write';
export { renderSensitivityReport } from './sensitivity';
export type { SensitivityReportOptions, AnySensitivity } from './sensitivity';
export { renderComparisonReport } from './compare';
export type { ComparisonReportOptions } from './compare';
export { comparisonChart } from '../charts/compare';
export type { ComparisonChartOptions } from '../charts/compare';
export { renderOptimizationReport } from './optimize';
export type { OptimizationReportOptions } from './optimize';
export { frontierChart } from '../charts/optimize';
export type { FrontierChartOptions } from '../charts/optimize';
export { qqChart } from '../charts/fit';
export type { QqChartOptions } from '../charts/fit';
export { pitChart, coverageChart, backtestFanChart } from '../charts/backtest';
export type { BacktestChartOptions } from '../charts/backtest';
export { renderBacktestReport } from './backtest';
export type { BacktestReportOptions } from './backtest';
export { renderExplorer } from './explore/page';
export type { ExplorerOptions } from './explore/page';
export { influentialInputs, adjustInput, centralAndSpread } from '../explore/inputs';
export type {
  Bilingual,
  CentralAndSpread,
  InfluentialInput,
  InfluentialInputsOptions,
  InputChange,
  SpreadKind,
} from '../explore/inputs';
export {
  STRATEGY_CONTROLS,
  EXPLORER_PATHS,
  assumptionControls,
  centralRange,
  controlLimits,
  decodeState,
  encodeState,
  explorerStrategies,
  scenarioOfState,
} from '../explore/state';
export type {
  AssumptionControl,
  ControlLimits,
  ExplorerSpec,
  ExplorerState,
  ExplorerStrategy,
  StrategyControl,
} from '../explore/state';
