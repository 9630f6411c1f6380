/** The driver each kind of intervention changes. */
export const INTERVENTION_TARGETS = {
  /** Screen visits: shorter visits, less driving (Lejre, 004): visited hours per recipient fall. */
  screenVisits: 'home-care.hours',
  /** Rehabilitation: fewer citizens need home care (lower use rates). */
  rehabilitation: 'home-care.useRate',
  /** Packages instead of single services: fewer administrative and travel hours (Hedensted, 002): paid hours per delivered hour fall. */
  packages: 'home-care.paidHours',
  /** A flexible home-care package that delays care-home entry (Slagelse, 001): fewer care-home applicants. */
  flexiblePackage: 'care-homes.applicants',
  /** More own production (Herning, 003): the own share of specialised cases rises by the effect (absolute). */
  ownProduction: 'specialised.ownShare',
  /** A savings plan (Hedensted, 002): the service's cost falls by the amounts, times the effect (the share realised). */
  savingsPlan: 'savings',
} as const;

/**
 * The id a built-in strategy gets in results: its `id`, or the default of its kind (as the
 * strategy factories name them). Validation and {@link strategiesFromSpecs} both use it, so two
 * strategies that would share an id in a run are refused up front.
 *
 * @param spec - a strategy spec
 * @returns its id
 * @example
 * ```ts
 * strategySpecId({ kind: 'hybrid', mode: 'nextYear' }); //=> 'hybrid-next-year'
 * ```
 * @category Scenario
 */
export function strategySpecId(spec: {
  readonly kind: string;
  readonly id?: string | undefined;
  readonly mode?: string | undefined;
}): string {
  if (typeof spec.id === 'string') return spec.id;
  switch (spec.kind) {
    case 'demographicFrame':
      return 'demographic-frame';
    case 'hybrid':
      return spec.mode === 'nextYear' ? 'hybrid-next-year' : 'hybrid';
    default:
      return spec.kind;
  }
}

/**
 * The defaults of home care's trends a year, used when neither the change a year nor a formula is
 * given (they are not filled in by the schema, so that giving both can be told apart).
 *
 * @internal
 */
export const DEFAULT_TRENDS_PER_YEAR = { useRateTrendPerYear: -0.005, hoursTrendPerYear: 0 } as const;
