import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lejre2034, safeParseScenario, type ScenarioProblemCode } from '../../src/index';
import { FIELD_ISSUE_CODES, SCENARIO_RULE_CODES } from '../../src/scenario/checks/codes';

/** A scenario as plain data, to break one rule in (any field may be set to anything). */
type Raw = Record<string, any>;

/** lejre-2034 (home care, care homes, two population groups) changed by `edit`. */
function broken(edit: (s: Raw) => void): Raw {
  const s = structuredClone(lejre2034()) as Raw;
  edit(s);
  return s;
}
const specialised = { casesAtStart: 10, inflowPerYear: 2, costPerCase: { medianKr: 500_000, p95Kr: 900_000 } };
const careLevels = () => ({
  levels: [
    { id: 'low', hoursPerWeek: 2 },
    { id: 'high', hoursPerWeek: 8 },
  ],
  shares: { '67-79': [0.8, 0.2], '80+': [0.5, 0.5] },
  transitions: [
    [0.9, 0.1],
    [0, 1],
  ],
});
const table = Object.fromEntries(Array.from({ length: 12 }, (_, k) => [String(2023 + k), 4300 + k]));
const ln = (d: Raw) => broken((s) => (s.homeCare.useRateFactor = { dist: 'lognormal', ...d }));

/** Each rule broken once (some in more than one place), and the problems expected: [where, code, message]. */
const cases: [string, () => unknown, [string, ScenarioProblemCode, string][]][] = [
  [
    'an infinite number is a wrong type',
    () => broken((s) => (s.population.groups[0].errorDriftPerYear = Infinity)),
    [['population.groups[0].errorDriftPerYear', 'INVALID_TYPE', 'expected number']],
  ],
  [
    'an infinite distribution parameter is a wrong type',
    () => broken((s) => (s.homeCare.useRateFactor = { dist: 'normal', mean: Infinity, sd: 1 })),
    [['homeCare.useRateFactor.mean', 'INVALID_TYPE', 'expected number']],
  ],
  [
    'an id that is a reserved name',
    () => broken((s) => (s.careHomes.homes[0].id = 'constructor')),
    [
      [
        'careHomes.homes[0].id',
        'RESERVED_KEY',
        'expected a name other than "__proto__", "constructor", "prototype" (reserved)',
      ],
    ],
  ],
  [
    'a key that is a reserved name',
    () => broken((s) => (s.homeCare.useRates = JSON.parse('{"67-79":0.05,"80+":0.28,"__proto__":0.1}'))),
    [
      [
        'homeCare.useRates.__proto__',
        'RESERVED_KEY',
        '"__proto__" is a reserved name and cannot be a key (it would reach Object.prototype)',
      ],
    ],
  ],
  [
    'a number outside its range',
    () => broken((s) => (s.homeCare.undeliveredShare = 1.5)),
    [['homeCare.undeliveredShare', 'OUT_OF_RANGE', 'expected a share in [0, 0.99]']],
  ],
  [
    'a distribution that can draw outside the range',
    () => broken((s) => (s.homeCare.undeliveredShare = { dist: 'normal', mean: 0.05, sd: 0.05 })),
    [
      [
        'homeCare.undeliveredShare',
        'OUT_OF_RANGE',
        'expected a distribution whose values all lie in [0, 0.99] (a share); a normal distribution with these parameters can give values in [-0.275, 0.375]',
      ],
    ],
  ],
  [
    'a typical value above its bound',
    () => broken((s) => (s.homeCare.hoursPerRecipientPerWeek = 200)),
    [['homeCare.hoursPerRecipientPerWeek', 'TYPICAL_VALUE_TOO_BIG', 'expected hours per week of at most 168']],
  ],
  [
    'a day of the year that does not exist',
    () => broken((s) => (s.calendar.adoption = '13-45')),
    [['calendar.adoption', 'INVALID_MONTH_DAY', 'expected a day of the year as "MM-DD", for example "10-15"']],
  ],
  [
    'a date that does not exist',
    () => broken((s) => (s.careHomes.homes[0].capacityChanges = [{ from: '2024-13-01', places: 10 }])),
    [['careHomes.homes[0].capacityChanges[0].from', 'INVALID_DATE', 'expected a date as "YYYY-MM-DD"']],
  ],
  [
    'a lognormal too wide',
    () => ln({ median: 1, p95: 1e6 }),
    [
      [
        'homeCare.useRateFactor.p95',
        'LOGNORMAL_TOO_WIDE',
        'expected a 90 % interval within a factor 3730 of the median (a log-space sd of at most 5; this one is 8.40)',
      ],
    ],
  ],
  [
    'a lognormal given both ways',
    () => ln({ median: 1, p95: 1.2, mu: 0, sigma: 0.1 }),
    [
      [
        'homeCare.useRateFactor.mu',
        'LOGNORMAL_BOTH_FORMS',
        'give either mu and sigma, or the median and 90 % interval (p5, p95), not both',
      ],
    ],
  ],
  [
    'a lognormal with mu but no sigma',
    () => ln({ mu: 0 }),
    [
      [
        'homeCare.useRateFactor.sigma',
        'LOGNORMAL_INCOMPLETE',
        'expected a number >= 0 (mu is given, so sigma is needed)',
      ],
    ],
  ],
  [
    'a lognormal with p5 alone',
    () => ln({ p5: 0.9 }),
    [
      [
        'homeCare.useRateFactor.p95',
        'LOGNORMAL_INCOMPLETE',
        'expected the median with p5 and/or p95, or both p5 and p95',
      ],
    ],
  ],
  [
    'a lognormal with the median alone',
    () => ln({ median: 1 }),
    [
      [
        'homeCare.useRateFactor.p95',
        'LOGNORMAL_INCOMPLETE',
        'expected p5 and/or p95 with the median (a lognormal needs a spread)',
      ],
    ],
  ],
  [
    'a lognormal with p95 below p5',
    () => ln({ p5: 1.2, p95: 1 }),
    [['homeCare.useRateFactor.p95', 'QUANTILE_ORDER', 'expected p95 > p5 (1.2)']],
  ],
  [
    'a lognormal with p5 above the median',
    () => ln({ median: 1, p5: 1.1 }),
    [['homeCare.useRateFactor.p5', 'QUANTILE_ORDER', 'expected p5 <= median (1)']],
  ],
  [
    'a lognormal whose interval is not symmetric in log space',
    () => ln({ median: 1, p5: 0.9, p95: 2 }),
    [
      [
        'homeCare.useRateFactor.p95',
        'LOGNORMAL_ASYMMETRIC',
        "expected p95 close to median²/p5 = 1.111111: a lognormal's 90 % interval is symmetric around the median in log space (give only one of p5, p95 to fix the spread)",
      ],
    ],
  ],
  [
    'a PERT distribution with its mode below min',
    () => broken((s) => (s.homeCare.useRateTrendPerYear = { dist: 'pert', min: -0.01, mode: -0.02, max: 0.01 })),
    [['homeCare.useRateTrendPerYear.mode', 'MIN_MODE_MAX_ORDER', 'expected min (-0.01) <= mode']],
  ],
  [
    'a triangular distribution with its mode above max',
    () => broken((s) => (s.homeCare.useRateTrendPerYear = { dist: 'triangular', min: -0.01, mode: 0.02, max: 0.01 })),
    [['homeCare.useRateTrendPerYear.max', 'MIN_MODE_MAX_ORDER', 'expected max >= mode (0.02)']],
  ],
  [
    'a uniform distribution with max below min',
    () => broken((s) => (s.homeCare.useRateTrendPerYear = { dist: 'uniform', min: 0.01, max: -0.01 })),
    [['homeCare.useRateTrendPerYear.max', 'MIN_MAX_ORDER', 'expected max >= min (0.01)']],
  ],
  [
    'a group with a table and a start',
    () => broken((s) => (s.population.groups[0].table = table)),
    [
      [
        'population.groups[0].table',
        'GROUP_TABLE_AND_GROWTH',
        'expected either a table, or start with target or growthPerYear, not both',
      ],
    ],
  ],
  [
    'a group without its count in the base year',
    () => broken((s) => delete s.population.groups[0].start),
    [
      [
        'population.groups[0].start',
        'GROUP_START_MISSING',
        'expected the count in the base year (a number > 0), or a table',
      ],
    ],
  ],
  [
    'a group with neither target nor growth',
    () => broken((s) => delete s.population.groups[0].growthPerYear),
    [
      [
        'population.groups[0].target',
        'GROUP_GROWTH_NOT_ONE',
        'expected exactly one of target ({ year, value }) and growthPerYear',
      ],
    ],
  ],
  [
    "a group's target in the base year",
    () => broken((s) => (s.population.groups[1].target.year = 2023)),
    [['population.groups[1].target.year', 'TARGET_YEAR_NOT_AFTER_BASE', 'expected a year after the base year 2023']],
  ],
  [
    "a group's table without the last year",
    () =>
      broken((s) => {
        const { '2034': _, ...t } = table;
        s.population.groups[0] = { id: '67-79', table: t };
      }),
    [['population.groups[0].table.2034', 'TABLE_YEAR_MISSING', 'expected a count for every year 2023 to 2034']],
  ],
  [
    'two homes with one id',
    () => broken((s) => (s.careHomes.homes[1].id = 'home-1')),
    [['careHomes.homes[1].id', 'DUPLICATE_ID', 'expected a unique home id']],
  ],
  [
    'two groups with one id (the groups named elsewhere are then unknown)',
    () => broken((s) => (s.population.groups[1].id = '67-79')),
    [
      ['population.groups[1].id', 'DUPLICATE_ID', 'expected a unique group id'],
      ['homeCare.useRates.80+', 'UNKNOWN_GROUP', 'expected one of the population groups (67-79, 67-79)'],
      ['careHomes.applicantGroup', 'UNKNOWN_GROUP', 'expected one of the population groups (67-79, 67-79)'],
    ],
  ],
  [
    'two strategies with one id',
    () => broken((s) => (s.strategies = [{ kind: 'frame' }, { kind: 'frame' }])),
    [['strategies[1].id', 'DUPLICATE_ID', 'expected a unique strategy id ("frame" is used twice; set id)']],
  ],
  [
    'two interventions with one id',
    () =>
      broken(
        (s) =>
          (s.interventions = [
            { id: 'x', kind: 'screenVisits', from: '2024-01-01' },
            { id: 'x', kind: 'packages', from: '2024-01-01' },
          ]),
      ),
    [['interventions[1].id', 'DUPLICATE_ID', 'expected a unique intervention id']],
  ],
  [
    'applicants from a group that does not exist',
    () => broken((s) => (s.careHomes.applicantGroup = '90+')),
    [['careHomes.applicantGroup', 'UNKNOWN_GROUP', 'expected one of the population groups (67-79, 80+)']],
  ],
  [
    'a use rate of a group that does not exist',
    () => broken((s) => (s.homeCare.useRates['90+'] = 0.5)),
    [['homeCare.useRates.90+', 'UNKNOWN_GROUP', 'expected one of the population groups (67-79, 80+)']],
  ],
  [
    'a group without a use rate',
    () => broken((s) => delete s.homeCare.useRates['80+']),
    [['homeCare.useRates.80+', 'GROUP_MISSING', 'expected a use rate in [0, 1] for every population group']],
  ],
  [
    'no service',
    () =>
      broken((s) => {
        delete s.homeCare;
        delete s.careHomes;
      }),
    [['homeCare', 'NO_SERVICE', 'expected at least one service: homeCare, careHomes or specialised']],
  ],
  [
    "units' population shares that do not sum to 1",
    () =>
      broken(
        (s) =>
          (s.homeCare.units = [
            { id: 'a', populationShare: 0.5 },
            { id: 'b', populationShare: 0.4 },
          ]),
      ),
    [['homeCare.units', 'UNIT_SHARES_SUM', 'expected population shares that sum to 1 (they sum to 0.9)']],
  ],
  [
    'two units with one id',
    () =>
      broken(
        (s) =>
          (s.homeCare.units = [
            { id: 'a', populationShare: 0.5 },
            { id: 'a', populationShare: 0.5 },
          ]),
      ),
    [['homeCare.units[1].id', 'DUPLICATE_ID', 'expected a unique unit id']],
  ],
  [
    'units and providers',
    () =>
      broken((s) => {
        s.homeCare.units = [{ id: 'a', populationShare: 1 }];
        s.homeCare.providers = { private: [{ id: 'p', marketShare: 0.2 }] };
      }),
    [['homeCare.providers', 'UNITS_AND_PROVIDERS', 'expected either units or providers, not both']],
  ],
  [
    'a private provider named own',
    () => broken((s) => (s.homeCare.providers = { private: [{ id: 'own', marketShare: 0.2 }] })),
    [
      [
        'homeCare.providers.private[0].id',
        'PROVIDER_ID_OWN',
        'expected an id other than "own" (the municipality\'s own provider)',
      ],
    ],
  ],
  [
    'private market shares of 1 or more',
    () =>
      broken(
        (s) =>
          (s.homeCare.providers = {
            private: [
              { id: 'p', marketShare: 0.6 },
              { id: 'q', marketShare: { '2024': 0.5 } },
            ],
          }),
      ),
    [
      [
        'homeCare.providers.private',
        'MARKET_SHARES_SUM',
        'expected private market shares that sum to less than 1 (their numbers, largest yearly shares or least possible draws sum to 1.1)',
      ],
    ],
  ],
  [
    'a tender without a bid price',
    () => broken((s) => (s.homeCare.providers = { model: 'tender', private: [{ id: 'p', marketShare: 0.2 }] })),
    [
      [
        'homeCare.providers.private[0].bidPriceKrPerHour',
        'BID_PRICE_MISSING',
        'expected a bid price per hour under the tender model',
      ],
    ],
  ],
  [
    'two providers with one id',
    () =>
      broken(
        (s) =>
          (s.homeCare.providers = {
            private: [
              { id: 'p', marketShare: 0.2 },
              { id: 'p', marketShare: 0.2 },
            ],
          }),
      ),
    [['homeCare.providers.private[1].id', 'DUPLICATE_ID', 'expected a unique provider id']],
  ],
  [
    'care levels with a row of transitions missing',
    () => broken((s) => (s.homeCare.careLevels = { ...careLevels(), transitions: [[0.9, 0.1]] })),
    [['homeCare.careLevels.transitions', 'TRANSITION_ROWS', 'expected 2 rows, one per level']],
  ],
  [
    'a row of transitions that does not sum to 1',
    () =>
      broken(
        (s) =>
          (s.homeCare.careLevels = {
            ...careLevels(),
            transitions: [
              [0.5, 0.4],
              [0, 1],
            ],
          }),
      ),
    [
      [
        'homeCare.careLevels.transitions[0]',
        'TRANSITION_ROW_SUM',
        'expected 2 probabilities that sum to 1 (this row has 2 summing to 0.9)',
      ],
    ],
  ],
  [
    'shares of the care levels that do not sum to 1',
    () =>
      broken((s) => {
        s.homeCare.careLevels = careLevels();
        s.homeCare.careLevels.shares['80+'] = [0.5, 0.4];
      }),
    [
      [
        'homeCare.careLevels.shares.80+',
        'LEVEL_SHARES_SUM',
        'expected 2 shares that sum to 1 (received 2 summing to 0.9)',
      ],
    ],
  ],
  [
    'a group without shares of the care levels',
    () =>
      broken((s) => {
        s.homeCare.careLevels = careLevels();
        delete s.homeCare.careLevels.shares['80+'];
      }),
    [['homeCare.careLevels.shares.80+', 'GROUP_MISSING', 'expected shares per level for every population group']],
  ],
  [
    'a trend as a formula and as a change a year',
    () => broken((s) => (s.homeCare.useRateTrend = { formula: '1' })),
    [
      [
        'homeCare.useRateTrend',
        'TREND_BOTH_WAYS',
        'expected either useRateTrend (a formula) or useRateTrendPerYear (a change a year), not both',
      ],
    ],
  ],
  [
    'a formula parameter named t',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '1', parameters: { t: 1 } };
      }),
    [
      [
        'homeCare.hoursTrend.parameters.t',
        'FORMULA_PARAMETER_NAME',
        '"t" is the year of the formula; choose another name for the parameter',
      ],
    ],
  ],
  [
    'a formula parameter whose name is not plain',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '1', parameters: { 'a b': 1 } };
      }),
    [
      [
        'homeCare.hoursTrend.parameters.a b',
        'FORMULA_PARAMETER_NAME',
        '"a b" is not a plain name: expected a letter followed by letters, digits or _',
      ],
    ],
  ],
  [
    'a formula that cannot be read',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '(1 +' };
      }),
    [
      [
        'homeCare.hoursTrend.formula',
        'FORMULA_INVALID',
        'cannot read the formula: Unexpected end of expression (char 5)',
      ],
    ],
  ],
  [
    'a formula that gives no number in a year',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '1 + 0 * log(1 - t)' };
      }),
    [
      [
        'homeCare.hoursTrend.formula',
        'TREND_FORMULA_FAILS',
        "the formula 1 + 0 * log(1 - t) gave NaN in 2024 (t = 1); expected a finite number (look for a division by zero, the logarithm or root of a negative number, or an overflow), at the parameters' means",
      ],
    ],
  ],
  [
    'a formula with a condition',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: 't == 0 ? 1 : 1 / 0' };
      }),
    [['homeCare.hoursTrend.formula', 'FORMULA_INVALID', 'conditions (a ? b : c) are not allowed: use min and max']],
  ],
  [
    'a formula that is not 1 in the base year',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '2' };
      }),
    [
      [
        'homeCare.hoursTrend.formula',
        'TREND_NOT_ONE_AT_BASE',
        "expected a factor of 1 in the base year: the formula gives 2 in 2023 (t = 0) at the parameters' means (no parameters); normalise it, for example divide by its value at t = 0",
      ],
    ],
  ],
  [
    'a formula that reaches 0',
    () =>
      broken((s) => {
        delete s.homeCare.hoursTrendPerYear;
        s.homeCare.hoursTrend = { formula: '1 - t' };
      }),
    [
      [
        'homeCare.hoursTrend.formula',
        'TREND_NOT_POSITIVE',
        "expected a factor > 0 for every year: the formula gives 0 in 2024 (t = 1) at the parameters' means (no parameters)",
      ],
    ],
  ],
  [
    "a case's P95 cost below its median",
    () => broken((s) => (s.specialised = { ...specialised, costPerCase: { medianKr: 500_000, p95Kr: 400_000 } })),
    [['specialised.costPerCase.p95Kr', 'COST_P95_ORDER', 'expected p95Kr > medianKr (500000)']],
  ],
  [
    'a savings plan without amounts',
    () => broken((s) => (s.interventions = [{ id: 'x', kind: 'savingsPlan', from: '2024-01-01' }])),
    [['interventions[0].amountsKr', 'SAVINGS_AMOUNTS_MISSING', 'expected the amounts of the savings plan by year']],
  ],
  [
    'an intervention on a service the scenario lacks',
    () => broken((s) => (s.interventions = [{ id: 'x', kind: 'ownProduction', from: '2024-01-01' }])),
    [
      [
        'interventions[0].kind',
        'INTERVENTION_SERVICE_MISSING',
        'expected the scenario to have the service it changes (specialised)',
      ],
    ],
  ],
  [
    'a demographic frame without unit costs beside the specialised area',
    () =>
      broken((s) => {
        s.specialised = specialised;
        s.strategies = [{ kind: 'demographicFrame' }];
      }),
    [
      [
        'strategies[0].unitCostKr',
        'UNIT_COSTS_MISSING',
        'expected unit costs by population group: the specialised area has no cost by age group for a demographic frame to scale',
      ],
    ],
  ],
  [
    'a unit cost of a group that does not exist',
    () =>
      broken(
        (s) => (s.strategies = [{ kind: 'demographicFrame', unitCostKr: { '67-79': 1000, '80+': 2000, '90+': 3000 } }]),
      ),
    [['strategies[0].unitCostKr.90+', 'UNKNOWN_GROUP', 'expected one of the population groups (67-79, 80+)']],
  ],
  [
    'a group without a unit cost',
    () => broken((s) => (s.strategies = [{ kind: 'demographicFrame', unitCostKr: { '67-79': 1000 } }])),
    [['strategies[0].unitCostKr.80+', 'GROUP_MISSING', 'expected a unit cost for every population group']],
  ],
  [
    'an adjustment in the base year',
    () => broken((s) => (s.strategies = [{ kind: 'frame', adjustmentsKr: { '2023': 1 } }])),
    [['strategies[0].adjustmentsKr.2023', 'YEAR_NOT_SIMULATED', 'expected a simulated year (2024 to 2034)']],
  ],
  [
    "the groups' correlation matrix of the wrong size",
    () => broken((s) => (s.population.correlation = [[1]])),
    [
      [
        'population.correlation',
        'CORRELATION_SHAPE',
        'expected a 2×2 matrix (one row and column per population group)',
      ],
    ],
  ],
  [
    'a correlation matrix without 1 on its diagonal',
    () =>
      broken(
        (s) =>
          (s.population.correlation = [
            [0.9, 0.5],
            [0.5, 1],
          ]),
      ),
    [['population.correlation[0][0]', 'CORRELATION_DIAGONAL', 'expected 1 on the diagonal']],
  ],
  [
    'a correlation matrix that is not symmetric',
    () =>
      broken(
        (s) =>
          (s.population.correlation = [
            [1, 0.5],
            [0.4, 1],
          ]),
      ),
    [
      [
        'population.correlation[1][0]',
        'CORRELATION_NOT_SYMMETRIC',
        'expected a symmetric matrix (the value at [0][1] is 0.5)',
      ],
    ],
  ],
  [
    'one correlation of -1 for two groups',
    () => broken((s) => (s.population.correlation = -1)),
    [
      [
        'population.correlation',
        'CORRELATION_NOT_DEFINITE',
        'expected a correlation in (-1, 1) for 2 population groups: one correlation for every pair must leave the matrix positive definite (its smallest eigenvalue is 0.00)',
      ],
    ],
  ],
  [
    "the groups' correlation matrix not positive definite",
    () =>
      broken((s) => {
        s.population.groups.push({ id: '90+', start: 100, growthPerYear: 0 });
        s.homeCare.useRates['90+'] = 0.5;
        s.population.correlation = [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9, 0.9, 1],
        ];
      }),
    [
      [
        'population.correlation',
        'CORRELATION_NOT_DEFINITE',
        'expected a positive definite correlation matrix (its smallest eigenvalue is -0.800): some correlations contradict each other',
      ],
    ],
  ],
  [
    "the groups' correlation matrix not positive definite, and off symmetric by 1e-13",
    () =>
      broken((s) => {
        s.population.groups.push({ id: '90+', start: 100, growthPerYear: 0 });
        s.homeCare.useRates['90+'] = 0.5;
        s.population.correlation = [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9 + 1e-13, 0.9, 1],
        ];
      }),
    [
      [
        'population.correlation[2][0]',
        'CORRELATION_NOT_SYMMETRIC',
        'expected a symmetric matrix (the value at [0][2] is -0.9)',
      ],
      [
        'population.correlation',
        'CORRELATION_NOT_DEFINITE',
        'expected a positive definite correlation matrix (its smallest eigenvalue is -0.800): some correlations contradict each other',
      ],
    ],
  ],
  [
    'a sampling rank correlation matrix not positive definite',
    () =>
      broken(
        (s) =>
          (s.sampling = {
            correlations: [
              {
                inputs: ['a', 'b', 'c'],
                rank: [
                  [1, 0.9, -0.9],
                  [0.9, 1, 0.9],
                  [-0.9, 0.9, 1],
                ],
              },
            ],
          }),
      ),
    [
      [
        'sampling.correlations[0].rank',
        'CORRELATION_NOT_DEFINITE',
        'expected a positive definite correlation matrix (its smallest eigenvalue is -0.816): some correlations contradict each other; fix them, or set repair: true for the nearest valid matrix',
      ],
    ],
  ],
  [
    'a sampling rank correlation matrix of the wrong size',
    () =>
      broken(
        (s) =>
          (s.sampling = {
            correlations: [
              {
                inputs: ['a', 'b', 'c'],
                rank: [
                  [1, 0.5],
                  [0.5, 1],
                ],
              },
            ],
          }),
      ),
    [
      [
        'sampling.correlations[0].rank',
        'CORRELATION_SHAPE',
        'expected one correlation or a 3×3 matrix (one row and column per input)',
      ],
    ],
  ],
  [
    'an input twice in one correlation entry',
    () => broken((s) => (s.sampling = { correlations: [{ inputs: ['a', 'a'], rank: 0.5 }] })),
    [['sampling.correlations[0].inputs[1]', 'CORRELATION_INPUT_TWICE', 'expected each input once; "a" appears twice']],
  ],
  [
    'an input in two correlation entries',
    () =>
      broken(
        (s) =>
          (s.sampling = {
            correlations: [
              { inputs: ['a', 'b'], rank: 0.5 },
              { inputs: ['c', 'a'], rank: 0.5 },
            ],
          }),
      ),
    [
      [
        'sampling.correlations[1].inputs[1]',
        'CORRELATION_INPUT_SHARED',
        'expected each input in one correlation entry; "a" is also in entry 0',
      ],
    ],
  ],
  [
    'a text for a number',
    () => broken((s) => (s.horizonYears = 'x')),
    [['horizonYears', 'INVALID_TYPE', 'expected number']],
  ],
  [
    'a text for a number or distribution',
    () => broken((s) => (s.homeCare.useRateFactor = 'x')),
    [
      [
        'homeCare.useRateFactor',
        'INVALID_TYPE',
        'expected a number or a distribution object such as { "dist": "pert", "min": 1, "mode": 2, "max": 4 }',
      ],
    ],
  ],
  [
    'a number below its minimum',
    () => broken((s) => (s.horizonYears = 0)),
    [['horizonYears', 'TOO_SMALL', 'expected >= 1']],
  ],
  [
    'a number above its maximum',
    () => broken((s) => (s.horizonYears = 31)),
    [['horizonYears', 'TOO_BIG', 'expected <= 30']],
  ],
  [
    'an id with a colon',
    () => broken((s) => (s.homeCare.units = [{ id: 'a:b', populationShare: 1 }])),
    [['homeCare.units[0].id', 'INVALID_FORMAT', 'expected an id without ":"']],
  ],
  [
    'a misspelt field',
    () => broken((s) => (s.horizonYear = 11)),
    [['(scenario)', 'UNRECOGNIZED_KEYS', 'unknown field "horizonYear" (check the spelling)']],
  ],
  [
    'an unknown kind of strategy',
    () => broken((s) => (s.strategies = [{ kind: 'nope' }])),
    [
      [
        'strategies[0].kind',
        'INVALID_UNION',
        'expected kind to be one of "frame", "demographicFrame", "hybrid", "activity"',
      ],
    ],
  ],
  [
    'a table key that is not a year',
    () => broken((s) => (s.population.groups[0] = { id: '67-79', table: { ...table, abcd: 1 } })),
    [['population.groups[0].table.abcd', 'INVALID_KEY', 'expected a four-digit year']],
  ],
  [
    'an unknown step',
    () => broken((s) => (s.step = 'week')),
    [['step', 'INVALID_VALUE', 'expected one of "month", "quarter", "year"']],
  ],
  [
    'input nested too deep',
    () =>
      (() => {
        let v: unknown = 1;
        for (let i = 0; i < 40; i++) v = [v];
        return broken((s) => (s.description = v));
      })(),
    [
      [
        'description[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]',
        'TOO_DEEP',
        'expected at most 32 levels of nesting (a scenario nests 5 deep; this input nests deeper or refers to itself)',
      ],
    ],
  ],
  [
    'a cycle',
    () =>
      (() => {
        const s = broken(() => {});
        s.self = s;
        return s;
      })(),
    [
      [
        'self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.self.population.groups[1].target',
        'TOO_DEEP',
        'expected at most 32 levels of nesting (a scenario nests 5 deep; this input nests deeper or refers to itself)',
      ],
    ],
  ],
  [
    'a getter that throws',
    () =>
      Object.defineProperty(
        broken(() => {}),
        'name',
        {
          get() {
            throw new Error('no');
          },
          enumerable: true,
        },
      ),
    [
      [
        '(scenario)',
        'UNREADABLE_INPUT',
        'expected plain data (objects, arrays, strings, numbers); reading the input failed: no',
      ],
    ],
  ],
];

function problemsOf(input: unknown): [string, ScenarioProblemCode, string][] {
  const r = safeParseScenario(input);
  return r.success ? [] : r.error.problems.map((p) => [p.where, p.code, p.message]);
}

describe('every problem of a scenario has a stable code', () => {
  it.each(cases)('%s', (_, input, expected) => {
    expect(problemsOf(input())).toEqual(expected);
  });

  it('every code the scenario can give is met above, but NOT_FINITE (numbers refuse non-finite values first) and the zod issues the schema has no use for', () => {
    const met = new Set(cases.flatMap(([, , expected]) => expected.map(([, code]) => code)));
    const unused = ['NOT_FINITE', 'NOT_MULTIPLE_OF', 'INVALID_ELEMENT', 'CUSTOM'];
    const all = [...SCENARIO_RULE_CODES, ...Object.values(FIELD_ISSUE_CODES), 'TOO_DEEP', 'UNREADABLE_INPUT'];
    expect(all.filter((c) => !met.has(c as ScenarioProblemCode) && !unused.includes(c))).toEqual([]);
  });

  it('docs/errors.md lists every code', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    const all = [...SCENARIO_RULE_CODES, ...Object.values(FIELD_ISSUE_CODES), 'TOO_DEEP', 'UNREADABLE_INPUT'];
    expect(all.filter((c) => !doc.includes(`| \`${c}\` |`))).toEqual([]);
  });
});
