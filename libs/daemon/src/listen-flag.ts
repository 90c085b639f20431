// The command-line flags every daemon shares: --metrics HOST:PORT and --notify-fd N, each parsed in this one place.
import { checkHostPort, expectedGot, type HostPort } from '@fortros/core';
import { UsageError } from './errors.js';

/** `HOST:PORT` of `flag`, or undefined when the flag is absent; UsageError naming the flag otherwise. */
export function parseListenFlag(flag: string, value: string | undefined): HostPort | undefined {
  if (value === undefined) return undefined;
  const hp = checkHostPort(value, true);
  if (!hp) throw new UsageError(`${flag}: ${expectedGot('HOST:PORT (e.g. 127.0.0.1:9101)', value)}`);
  return hp;
}

/** `--notify-fd N`: an fd of 3 or more (0-2 are stdio), or undefined when absent; UsageError otherwise. */
export function parseNotifyFdFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 3 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--notify-fd: ${expectedGot('an fd number of 3 or more', value)}`);
  }
  return Number(value);
}
