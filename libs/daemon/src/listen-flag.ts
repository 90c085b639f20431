// The command-line rules every daemon shares: --metrics HOST:PORT, --notify-fd N and one-of-a-list flags (--log-level,
// --log-format), each parsed in this one place.
import { checkHostPort, expectedGot, type HostPort } from '@fortros/core';
import { checkNotifyFd, ReadinessError } from '@fortros/readiness';
import { UsageError } from './errors.js';

/** `HOST:PORT` of `flag`, or undefined when the flag is absent; UsageError naming the flag otherwise. */
export function parseListenFlag(flag: string, value: string | undefined): HostPort | undefined {
  if (value === undefined) return undefined;
  const hp = checkHostPort(value, true);
  if (!hp) throw new UsageError(`${flag}: ${expectedGot('HOST:PORT (e.g. 127.0.0.1:9101)', value)}`);
  return hp;
}

/** `--notify-fd N` by readiness' rule (checkNotifyFd), or undefined when absent; UsageError otherwise. */
export function parseNotifyFdFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return checkNotifyFd(value);
  } catch (err) {
    if (err instanceof ReadinessError) throw new UsageError(err.message);
    throw err;
  }
}

/** `flag`'s value when it is one of `allowed`, `fallback` when absent; UsageError naming the flag otherwise. */
export function parseChoiceFlag<T extends string>(flag: string, allowed: readonly T[], value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: ${expectedGot(`one of ${allowed.join(', ')}`, value)}`);
}
