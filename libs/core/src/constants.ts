// Limits of the shared rules, each with its unit.

/** Longest rendering of a bad value in an `expected …, got …` message, in characters (longer ones are cut with …). */
export const GOT_MAX_CHARS = 80;
/** Cap of a doubling backoff's exponent: 2^30 times the first delay is already far past any cap in use. */
export const BACKOFF_MAX_DOUBLINGS = 30;
/**
 * What a signal may be, for messages. Node's process.kill() sends only the names of os.constants.signals (it throws
 * on any other name), so that table is the rule; the real-time signals (SIGRTMIN+n) have no name there and are refused.
 */
export const SIGNAL_RULE_TEXT = 'a signal name such as SIGHUP, HUP or hup, or its number (real-time signals are not supported)';
