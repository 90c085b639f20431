// The value of a listen flag such as --metrics: HOST:PORT, port 0 allowed (the kernel picks one; the daemon logs it).
import { checkHostPort, expectedGot, type HostPort } from '@fortros/core';
import { UsageError } from './errors.js';

/** `HOST:PORT` of `flag`, or undefined when the flag is absent; UsageError naming the flag otherwise. */
export function parseListenFlag(flag: string, value: string | undefined): HostPort | undefined {
  if (value === undefined) return undefined;
  const hp = checkHostPort(value, true);
  if (!hp) throw new UsageError(`${flag}: ${expectedGot('HOST:PORT (e.g. 127.0.0.1:9101)', value)}`);
  return hp;
}
