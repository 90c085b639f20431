// The one rule for signal names, shared by the service tree (down-signal), init's Signal call and fortctl.
//
// Rule: a name of os.constants.signals, in any case, with or without `SIG` (`SIGHUP`, `HUP`, `hup`), or the number of
// one (`1`), is normalised to its canonical name (`SIGHUP`). Nothing else is a signal: Node's process.kill() throws on
// names it does not know, so real-time signals (`SIGRTMIN+3`) and unnamed numbers (`34`) are refused up front.
import { constants } from 'node:os';
import { SIGNAL_RULE_TEXT } from './constants.js';
import { describeValue } from './expect.js';
import { SignalNameError } from './errors.js';

export type SignalCheck = { ok: true; value: NodeJS.Signals } | { ok: false; expected: string; got: string };

const TABLE = constants.signals as Readonly<Record<string, number>>;

/** Every signal name a FortrOS program accepts (aliases such as SIGIOT included), in the table's order. */
export const SIGNAL_NAMES: readonly NodeJS.Signals[] = Object.keys(TABLE) as NodeJS.Signals[];

/** The pure form of the rule: the canonical name, or what was expected and what was found (for problem lists). */
export function checkSignal(input: string): SignalCheck {
  const text = input.trim();
  const fail: SignalCheck = { ok: false, expected: SIGNAL_RULE_TEXT, got: describeValue(text) };
  if (/^[0-9]+$/.test(text)) {
    const num = Number(text);
    const name = SIGNAL_NAMES.find((k) => TABLE[k] === num);
    return name === undefined ? fail : { ok: true, value: name };
  }
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(TABLE, name) ? { ok: true, value: name as NodeJS.Signals } : fail;
}

/** `SIGHUP`, `HUP`, `hup` or `1` → `SIGHUP`; anything else throws SignalNameError. */
export function parseSignalName(input: string): NodeJS.Signals {
  const r = checkSignal(input);
  if (!r.ok) throw new SignalNameError(input);
  return r.value;
}

/** The number of a canonical signal name. */
export function signalNumber(name: NodeJS.Signals): number {
  const n = TABLE[name];
  if (n === undefined) throw new SignalNameError(name);
  return n;
}
