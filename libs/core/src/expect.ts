// The one shape of a validation message: `expected <what>, got <value>`, with the bad value shown short and safe.
import { GOT_MAX_CHARS } from './constants.js';

/** A value as a message shows it: strings quoted, `nothing` for undefined, JSON for the rest, cut to GOT_MAX_CHARS. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  if (typeof value === 'bigint') s = `${value}n`;
  else if (typeof value === 'function' || typeof value === 'symbol') s = `a ${typeof value}`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = Object.prototype.toString.call(value); // cycles
    }
  }
  return s.length > GOT_MAX_CHARS ? `${s.slice(0, GOT_MAX_CHARS)}…` : s;
}

/** `expected <what>, got <value>`, the value shown with describeValue. */
export function expectedGot(what: string, value: unknown): string {
  return `expected ${what}, got ${describeValue(value)}`;
}

/** A field's message: `<field>: expected <what>, got <value>`. */
export function fieldExpected(field: string, what: string, value: unknown): string {
  return `${field}: ${expectedGot(what, value)}`;
}
