import { sharedErrorClass } from '../errors';

/**
 * Thrown when a sampler factory receives parameters outside its domain: a programmer error,
 * since scenario input is validated before it reaches a factory.
 *
 * @category Random
 */
export class InvalidParameterError extends RangeError {
  /** Always `INVALID_PARAMETER`. */
  readonly code = 'INVALID_PARAMETER' as const;
  /** The sampler, for example `"normal"`. */
  readonly sampler: string;
  /** The parameter's name, for example `"sd"`. */
  readonly parameter: string;
  /** What was expected, for example `"a finite number >= 0"`. */
  readonly expected: string;
  /** The value received. */
  readonly received: unknown;

  constructor(sampler: string, parameter: string, expected: string, received: unknown) {
    super(`${sampler}: ${parameter} must be ${expected}; received ${String(received)}`);
    this.name = 'InvalidParameterError';
    this.sampler = sampler;
    this.parameter = parameter;
    this.expected = expected;
    this.received = received;
  }
}
sharedErrorClass(InvalidParameterError, 'InvalidParameterError');

/** @internal */
export function requireFinite(sampler: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new InvalidParameterError(sampler, name, 'a finite number', value);
}

/** @internal */
export function requirePositive(sampler: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidParameterError(sampler, name, 'a finite number > 0', value);
  }
}
