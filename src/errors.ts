/**
 * Thrown when a function of the library receives an option or argument outside its domain (a
 * programmer error: scenario files are checked by the schema and give a ScenarioError instead).
 * It is a `RangeError`, so code that caught those before still catches it.
 *
 * @category Errors
 */
export class OptionError extends RangeError {
  /** Always `INVALID_OPTION`. */
  readonly code = 'INVALID_OPTION' as const;
  /** The option or argument, for example `hybrid: corridor` or `percentile`. */
  readonly option?: string;
  /** The value received, where there is one. */
  readonly received?: unknown;

  /**
   * @param message - the option, the constraint and the value received, for people
   * @param fields - the option's name and the value received
   */
  constructor(message: string, fields: { readonly option?: string; readonly received?: unknown } = {}) {
    super(message);
    this.name = 'OptionError';
    if (fields.option !== undefined) this.option = fields.option;
    if ('received' in fields) this.received = fields.received;
  }
}
