/**
 * carebudget: Monte Carlo projections of municipal care budgets under frame, activity and
 * hybrid steering.
 *
 * Data flows one way: scenario → random → drivers → services → steering → simulation →
 * results → report.
 *
 * @packageDocumentation
 */

// Errors
export { OptionError } from './errors';

// Scenario
export { parseScenario, safeParseScenario, ScenarioError } from './scenario/parse';
export type { ScenarioProblem, ScenarioProblemCode, ScenarioRuleCode, SafeParseScenarioResult } from './scenario/parse';
export { FIELD_ISSUE_CODES, SCENARIO_RULE_CODES } from './scenario/checks/codes';
export {
  scenarioSchema,
  strategySpecSchema,
  careHomesSchema,
  specialisedSchema,
  strategySpecId,
  RESERVED_KEYS,
} from './scenario/schema';
export type { Scenario, ScenarioInput, StrategySpec, CareHomesSpec, SpecialisedSpec } from './scenario/schema';
export { distributionSchema, uncertainSchema } from './scenario/distribution';
export type { Distribution, Uncertain, UncertainInput } from './scenario/distribution';
export { compileFormula, formulaNameProblem, FormulaError, MAX_FORMULA_LENGTH } from './scenario/formula';
export type { CompiledFormula, FormulaCompilation } from './scenario/formula';
export { buildTimeline } from './scenario/timeline';
export type { Timeline, CalendarEvent, CalendarEventKind } from './scenario/timeline';
export {
  lejre2034,
  slagelseHomeCare,
  ishoejCareHomes,
  herningSpecialised,
  hedenstedRecovery,
  presets,
} from './scenario/presets';
export { MAX_AGE, MAX_STATBANK_CELLS, populationFromStatbank, PopulationImportError } from './scenario/statbank';
export type { PopulationImportOptions, PopulationSection } from './scenario/statbank';

// Random
export { deriveStream, streamKey } from './random/stream';
export type { RandomSource, Seed, StreamKey } from './random/stream';
export {
  normalSampler,
  lognormalSampler,
  lognormalParameters,
  uniformSampler,
  triangularSampler,
  pertSampler,
  betaSampler,
  gammaSampler,
  poissonSampler,
  binomialSampler,
  exponentialSampler,
} from './random/samplers';
export { standardExponential } from './random/exponential';
export type { Sampler, LognormalParams } from './random/samplers';
export { normalQuantile, standardNormal } from './random/special';
export { normalCdf } from './random/special';
export { samplerFor, meanOf } from './random/uncertain';
export { quantileFor, cdfFor, percentileOf } from './random/quantiles';
export type { QuantileFunction, CdfFunction } from './random/quantiles';
export {
  pearsonFromSpearman,
  spearmanFromPearson,
  checkCorrelationMatrix,
  nearestCorrelation,
  gaussianCopula,
  correlatedUniforms,
} from './random/copula';
export type {
  CorrelationMatrix,
  NearestCorrelation,
  NearestCorrelationOptions,
  GaussianCopula,
  GaussianCopulaOptions,
} from './random/copula';
export { latinHypercube, lhsUniform } from './random/lhs';
export { InvalidParameterError } from './random/errors';
export { INPUT_GROUPS, createInputs, plainInputs } from './random/inputs';
export type {
  InputGroup,
  InputLevel,
  InputPlan,
  InputSources,
  ScalarControl,
  ScalarInput,
  ScalarOverride,
} from './random/inputs';

// Drivers
export { createWorld } from './drivers/world';
export type { World, Driver } from './drivers/world';
export { populationDriver, baselinePopulation } from './drivers/population';
export { correlationFactor } from './drivers/correlation';
export { priceDriver, forecastIndex } from './drivers/prices';

// Services
export { homeCare } from './services/homeCare';
export { careHomes, WAITING_HOME_CARE_CHANNEL } from './services/careHomes';
export { specialised } from './services/specialised';
export type { HomeCareOptions } from './services/homeCare';
export {
  createHistory,
  createLinks,
  activityLinesOf,
  linesInUnit,
  writtenArrays,
  DEFAULT_ACTIVITY_LINE,
} from './services/service';
export type {
  ServiceDefinition,
  ServiceInstance,
  ServiceSetup,
  ServiceHistory,
  ServiceBaseline,
  ServiceFigure,
  ServiceMetric,
  ServiceLinks,
  ActivityLine,
  ActivityUnits,
  LineBaseline,
  NamesByLanguage,
} from './services/service';

// Steering
export { frame, demographicFrame, hybrid } from './steering/frame';
export type {
  FrameOptions,
  DemographicFrameOptions,
  HybridOptions,
  CarryOverCaps,
  ServiceResponse,
  DeficitGuarantee,
} from './steering/frame';
export type { ActivityBasis, LinePrices } from './steering/pricing';
export { activity } from './steering/activity';
export type { ActivityOptions } from './steering/activity';
export { strategiesFromSpecs } from './steering/fromSpec';
export { LookAheadError, withDefaultHooks } from './steering/strategy';
export type {
  StrategyDefinition,
  StrategyInstance,
  CompleteStrategyInstance,
  StrategySetup,
  DecisionContext,
} from './steering/strategy';

// Simulation
export { simulate } from './simulation/simulate';
export { runModel } from './simulation/engine';
export { SimulationError } from './simulation/errors';
export { buildModel } from './simulation/model';
export { replayPath } from './simulation/replay';
export { estimateRun, DEFAULT_RUN_LIMITS, STEPS_PER_MINUTE } from './simulation/estimate';
export type { RunLimits, RunEstimate } from './simulation/estimate';
export type { SimulationErrorCode, SimulationErrorDetails } from './simulation/errors';
export type { PathReplay, PathTrace, TracedDecision } from './simulation/replay';
export type { Model } from './simulation/assemble';
export type { ModelOptions } from './simulation/model';
export type { SimulateOptions, Progress, RunInputs } from './simulation/engine';
export { mergeResults, resultToJSON, resultFromJSON, ResultError, RECORDED_FIGURES } from './simulation/result';
export type {
  SimulationResult,
  SimulationResultJSON,
  SimulationResultCompactJSON,
  Float64ArrayJSON,
  ResultJSONOptions,
  RecordedFigure,
  ResultLabel,
} from './simulation/result';
export { runRecord, scenarioHash, shardRange } from './simulation/record';
export type { RunRecord } from './simulation/record';
export { VERSION } from './version';

// Results
export { FIGURE_NAMES, figureValues, metricValues, TOTAL } from './results/values';
export type { Figure, FigureSelector } from './results/values';
export { summarize, summarizeMetrics, describe, compareStrategies } from './results/summary';
export { identicalStrategies } from './results/identical';
export type {
  SummaryOptions,
  DistributionSummary,
  SummaryRow,
  ComparisonRow,
  MetricSummaryRow,
} from './results/summary';
export { toSummaryResult, mergeSummaries } from './results/streaming';
export { simulateSummary, simulateUntilConverged, estimateStatistic } from './results/run';
export { summaryRows, metricRows, differenceRows } from './results/rows';
export type {
  FlatStatistics,
  SummaryFlatRow,
  SummaryRowsOptions,
  MetricFlatRow,
  DifferenceFlatRow,
} from './results/rows';
export type { StatisticSpec, StatisticEstimate, ConvergenceCriterion, ConvergenceReport } from './results/run';
export { compareScenarios } from './results/compareScenarios';
export type {
  CompareScenariosOptions,
  ComparedScenario,
  ScenarioComparison,
  ScenarioDifferenceRow,
} from './results/compareScenarios';
export type { SummaryResult, SummaryCellData, RunResult, StreamingOptions } from './results/streaming';
export { quantileSorted, meanSd, expectedShortfallSorted } from './results/statistics';
export { TDigest } from './results/tdigest';
export type { TDigestData } from './results/tdigest';

// Sensitivity
export { sobolIndices, spearman, rankCorrelation, twoLevelVariance, sobolRows } from './sensitivity/estimators';
export type {
  IndexEstimate,
  SobolOptions,
  SobolEstimate,
  TwoLevelEstimate,
  SensitivityIndexRow,
  TornadoRow,
  RankCorrelationRow,
  TwoLevelRow,
} from './sensitivity/estimators';
export {
  sobolSensitivity,
  tornadoSensitivity,
  rankSensitivity,
  twoLevelSensitivity,
  inputGroupsOf,
} from './sensitivity/run';
export type {
  SensitivityOptions,
  SobolSensitivityOptions,
  TornadoSensitivityOptions,
  RankSensitivityOptions,
  TwoLevelSensitivityOptions,
  SobolSensitivity,
  TornadoSensitivity,
  RankSensitivity,
  TwoLevelSensitivity,
  SensitivityGroup,
  SensitivityMeta,
} from './sensitivity/run';
export {
  sensitivityPart,
  mergeSensitivityParts,
  sensitivityPartToJSON,
  sensitivityPartFromJSON,
  SENSITIVITY_METHODS,
} from './sensitivity/shard';
export type {
  SensitivityMethod,
  SensitivityMethodTypes,
  SensitivityOptionsOf,
  SensitivityResultOf,
  SensitivityShard,
  SensitivityPiece,
  SensitivityPart,
} from './sensitivity/shard';

// Charts
export {
  fanChart,
  distributionChart,
  exceedanceChart,
  whoBearsChart,
  differenceChart,
  overspendChart,
  metricsChart,
} from './charts/specs';
export type { ChartSpec, ChartOptions, FigureChartOptions } from './charts/specs';
export type { ChartLocale } from './charts/locale';
export { attributionChart, sobolChart, tornadoChart, rankCorrelationChart, twoLevelChart } from './charts/sensitivity';
export type { SensitivityChartOptions, SensitivityYearChartOptions, TornadoChartOptions } from './charts/sensitivity';

// Report
export { formatDeviationTable, formatStrategyComparison } from './report/table';
export type { ComparisonTableOptions } from './report/table';

// Optimisation
export { optimizeSteering, paretoFront } from './optimize/optimize';
export type {
  OptimizeOptions,
  OptimizeProgress,
  BatchRunner,
  EvaluatedCandidate,
  VerifiedCandidate,
  VerifiedConstraint,
  SteeringOptimization,
} from './optimize/optimize';
export {
  parseSteeringProblem,
  steeringProblemSchema,
  SteeringProblemError,
  MEASURABLE_FIGURES,
} from './optimize/problem';
export type {
  SteeringProblem,
  SteeringProblemInput,
  MeasureSpec,
  Statistic,
  ConstraintSpec,
  Parameter,
  CandidateFamily,
  ProblemIssue,
} from './optimize/problem';
export type { Estimate } from './optimize/measure';
export type { SettingValue } from './optimize/search';

// History
export { seriesFromStatbank, historyFromStatbank } from './scenario/statbank';
export type { SeriesImportOptions, HistoryTables, HistoryImportOptions } from './scenario/statbank';
export { accountsFromCsv, AccountsImportError, MAX_ACCOUNTS_ROWS } from './scenario/accounts';
export type { AccountsImportOptions, AccountsImportProblem, AccountsSeries } from './scenario/accounts';

// Fitting the home-care inputs
export { fitHomeCare, fittedScenarioYaml, FitError } from './fit/homeCare';
export type {
  FitHomeCareOptions,
  FitProblem,
  FittedHomeCare,
  FittedLevel,
  FittedTrend,
  FittedValueSource,
  HomeCareFit,
  HomeCareFitDiagnostics,
} from './fit/homeCare';
export type { GroupSeries, HomeCareHistory } from './scenario/series';

// Fitting
export { fitDistribution, FIT_FAMILIES } from './fit/distributions';
export type { FitFamily, FitOptions, FittedCandidate, SkippedCandidate, DistributionFit } from './fit/distributions';
export { ksStatistic, andersonDarling } from './fit/goodness';
export { weibullSampler, paretoSampler, lognormalParetoSampler } from './random/samplers';
export type { LognormalParetoParams } from './random/samplers';

// Backtesting
export { backtest } from './fit/backtest';
export type { BacktestOptions } from './fit/backtest';
export type { BacktestQuantity, BacktestResult, BacktestRow, BacktestSummaryRow } from './fit/backtestTypes';
export { scoreOutcome, linearTrend } from './fit/scores';
export type { OutcomeScore } from './fit/scores';
