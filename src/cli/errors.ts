import { sharedErrorClass } from '../errors';

/**
 * The command line's own errors, each with its exit code: 1 for input that cannot be used (a
 * scenario, result or population file), 2 for a usage error or a file that cannot be read or
 * written.
 */
export class CliError extends Error {
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2 = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
sharedErrorClass(CliError, 'CliError');

/** Input that cannot be used: exit code 1. */
export const invalidInput = (message: string): CliError => new CliError(message, 1);
