import type * as z from 'zod';

/**
 * The codes of the scenario's own rules, one per rule: the checks of a field's value beyond its
 * type and bounds (a distribution's order, a range every draw must lie in) and the cross-field
 * rules (ids unique, shares summing to 1, a correlation matrix positive definite). Listed with
 * their meaning in docs/errors.md.
 *
 * @example
 * ```ts
 * SCENARIO_RULE_CODES.includes('CORRELATION_NOT_DEFINITE'); //=> true
 * ```
 * @category Scenario
 */
export const SCENARIO_RULE_CODES = [
  // Values
  'NOT_FINITE',
  'RESERVED_KEY',
  'OUT_OF_RANGE',
  'TYPICAL_VALUE_TOO_BIG',
  'INVALID_MONTH_DAY',
  'INVALID_DATE',
  // Distributions
  'LOGNORMAL_TOO_WIDE',
  'LOGNORMAL_BOTH_FORMS',
  'LOGNORMAL_INCOMPLETE',
  'QUANTILE_ORDER',
  'LOGNORMAL_ASYMMETRIC',
  'MIN_MODE_MAX_ORDER',
  'MIN_MAX_ORDER',
  // Population
  'GROUP_TABLE_AND_GROWTH',
  'GROUP_START_MISSING',
  'GROUP_GROWTH_NOT_ONE',
  'TARGET_YEAR_NOT_AFTER_BASE',
  'TABLE_YEAR_MISSING',
  // Every section
  'DUPLICATE_ID',
  'UNKNOWN_GROUP',
  'GROUP_MISSING',
  'NO_SERVICE',
  // Home care
  'UNIT_SHARES_SUM',
  'UNITS_AND_PROVIDERS',
  'PROVIDER_ID_OWN',
  'MARKET_SHARES_SUM',
  'BID_PRICE_MISSING',
  'TRANSITION_ROWS',
  'TRANSITION_ROW_SUM',
  'LEVEL_SHARES_SUM',
  'TREND_BOTH_WAYS',
  'FORMULA_PARAMETER_NAME',
  'FORMULA_INVALID',
  'TREND_FORMULA_FAILS',
  'TREND_NOT_ONE_AT_BASE',
  'TREND_NOT_POSITIVE',
  // Specialised area
  'COST_P95_ORDER',
  // Interventions
  'SAVINGS_AMOUNTS_MISSING',
  'INTERVENTION_SERVICE_MISSING',
  // Strategies
  'UNIT_COSTS_MISSING',
  'YEAR_NOT_SIMULATED',
  // Correlations and sampling
  'CORRELATION_SHAPE',
  'CORRELATION_DIAGONAL',
  'CORRELATION_NOT_SYMMETRIC',
  'CORRELATION_NOT_DEFINITE',
  'CORRELATION_INPUT_TWICE',
  'CORRELATION_INPUT_SHARED',
] as const;

/** The code of one of the scenario's own rules, each listed with its rule in docs/errors.md. @category Scenario */
export type ScenarioRuleCode = (typeof SCENARIO_RULE_CODES)[number];

/**
 * The code of each kind of zod issue a field's type and bounds give: the issue's kind in capitals.
 *
 * @example
 * ```ts
 * FIELD_ISSUE_CODES.too_small; //=> 'TOO_SMALL'
 * ```
 * @category Scenario
 */
export const FIELD_ISSUE_CODES = {
  invalid_type: 'INVALID_TYPE',
  too_small: 'TOO_SMALL',
  too_big: 'TOO_BIG',
  invalid_format: 'INVALID_FORMAT',
  not_multiple_of: 'NOT_MULTIPLE_OF',
  unrecognized_keys: 'UNRECOGNIZED_KEYS',
  invalid_union: 'INVALID_UNION',
  invalid_key: 'INVALID_KEY',
  invalid_element: 'INVALID_ELEMENT',
  invalid_value: 'INVALID_VALUE',
  /** A check without a code of its own (none of the scenario's checks: each has its rule's code). */
  custom: 'CUSTOM',
} as const satisfies Record<z.core.$ZodIssue['code'], string>;

/**
 * What a program can switch on in a `ScenarioProblem`: a field's type or bounds (the zod
 * issue's kind in capitals: `INVALID_TYPE`, `TOO_SMALL` ...), one of the scenario's own rules
 * ({@link ScenarioRuleCode}), `TOO_DEEP` for input nested deeper than 32 levels or cyclic,
 * or `UNREADABLE_INPUT` for input that cannot be read as plain data (a getter that throws).
 *
 * @category Scenario
 */
export type ScenarioProblemCode =
  (typeof FIELD_ISSUE_CODES)[keyof typeof FIELD_ISSUE_CODES] | ScenarioRuleCode | 'TOO_DEEP' | 'UNREADABLE_INPUT';

/** The params of a rule's issue: they carry its code to the scenario's problem. @internal */
export const ruleParams = (code: ScenarioRuleCode) => ({ code });

/** The issue of one of the scenario's rules: zod's custom issue with the rule's code in its params. */
export interface RuleIssue {
  readonly path?: PropertyKey[];
  readonly message: string;
  readonly input: unknown;
}

/**
 * Reports that a rule is broken: a custom issue whose params carry the rule's code.
 *
 * @internal
 */
export function addRuleIssue(ctx: z.RefinementCtx, code: ScenarioRuleCode, issue: RuleIssue): void {
  ctx.addIssue({ code: 'custom', ...issue, params: ruleParams(code) });
}

/** The rule's code a custom issue carries, or undefined. @internal */
export function ruleCodeOf(params: Readonly<Record<string, unknown>> | undefined): ScenarioRuleCode | undefined {
  const code = params?.code;
  return typeof code === 'string' && (SCENARIO_RULE_CODES as readonly string[]).includes(code)
    ? (code as ScenarioRuleCode)
    : undefined;
}
