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

/**
 * Makes `instanceof` an error class of the library hold for its instances from another copy of
 * the library in the same program: the CommonJS and the ES module builds loaded side by side, or
 * `carebudget/report`, which carries a copy of the core. Each instance carries a registered symbol
 * named for its class (`Symbol.for('carebudget.OptionError')`); `instanceof` checks the prototype
 * chain first, then that symbol. A subclass's own `instanceof` is left as JavaScript's.
 *
 * @param cls - the error class
 * @param name - its name, the same in every copy
 * @example
 * ```ts
 * const e = new OptionError('x');
 * e instanceof OptionError; //=> true
 * const other = Object.assign(new RangeError('y'), { [Symbol.for('carebudget.OptionError')]: true });
 * other instanceof OptionError; //=> true
 * ```
 * @internal
 */
export function sharedErrorClass(cls: abstract new (...args: never[]) => Error, name: string): void {
  const mark = Symbol.for(`carebudget.${name}`);
  Object.defineProperty(cls.prototype, mark, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, x: unknown): boolean {
      if (Function.prototype[Symbol.hasInstance].call(this, x)) return true;
      return this === cls && typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[mark] === true;
    },
  });
}

sharedErrorClass(OptionError, 'OptionError');
