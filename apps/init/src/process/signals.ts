// Signal names: normalising user input (`HUP`, `sighup`, `1`) to Node's names.
import { constants } from 'node:os';
import { InvalidSignalError } from '../errors.js';

/** `SIGHUP`, `HUP`, `hup` or `1` → `SIGHUP`; anything else throws InvalidSignalError. */
export function parseSignal(input: string): NodeJS.Signals {
  const signals = constants.signals as Record<string, number>;
  const upper = input.trim().toUpperCase();
  if (/^\d+$/.test(upper)) {
    const found = Object.entries(signals).find(([, n]) => n === Number(upper));
    if (found) return found[0] as NodeJS.Signals;
    throw new InvalidSignalError(input);
  }
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (name in signals) return name as NodeJS.Signals;
  throw new InvalidSignalError(input);
}
