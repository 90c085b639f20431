// Errors of the shared rules, one class per condition.
import { expectedGot } from './expect.js';
import { SIGNAL_RULE_TEXT } from './constants.js';

/** A signal name or number that no FortrOS program accepts (see signals.ts for the rule). */
export class SignalNameError extends Error {
  override readonly name = 'SignalNameError';
  constructor(readonly input: string) {
    super(`signal: ${expectedGot(SIGNAL_RULE_TEXT, input)}`);
  }
}

/** The consumer of a bounded queue fell more than its bound behind. */
export class QueueOverflowError extends Error {
  override readonly name = 'QueueOverflowError';
  constructor(
    readonly what: string,
    readonly max: number,
  ) {
    super(`${what}: fell more than ${max} items behind`);
  }
}
