// The command-line rules every daemon shares: --metrics HOST:PORT, --notify-fd N and one-of-a-list flags (--log-level,
// --log-format), each parsed in this one place.
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

/** `flag`'s value when it is one of `allowed`, `fallback` when absent; UsageError naming the flag otherwise. */
export function parseChoiceFlag<T extends string>(flag: string, allowed: readonly T[], value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: ${expectedGot(`one of ${allowed.join(', ')}`, value)}`);
}
