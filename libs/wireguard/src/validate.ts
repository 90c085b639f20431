// Checks of every value that goes onto a wg or ip command line: names, keys, ports, CIDRs, endpoints.
import { isIP } from 'node:net';
import { KEY_BYTES, MAX_INTERFACE_NAME_LENGTH, MAX_MTU, MAX_PORT, MIN_MTU } from './constants.js';
import { InvalidArgumentError, InvalidKeyError } from './errors.js';

const KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** True when `key` is the base64 of exactly 32 bytes. */
export function isKey(key: string): boolean {
  return KEY_PATTERN.test(key) && Buffer.from(key, 'base64').length === KEY_BYTES;
}

export function checkKey(key: string, field: string): string {
  if (typeof key !== 'string' || !isKey(key)) throw new InvalidKeyError(field);
  return key;
}

export function checkInterfaceName(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_INTERFACE_NAME_LENGTH || !NAME_PATTERN.test(name) || name === '.' || name === '..') {
    throw new InvalidArgumentError('interface', `a name of 1-${MAX_INTERFACE_NAME_LENGTH} characters [A-Za-z0-9_.-]`, name);
  }
  return name;
}

/** A network namespace name as `ip netns` accepts it. */
export function checkNetns(netns: string): string {
  if (typeof netns !== 'string' || netns.length === 0 || netns.length > 255 || !NAME_PATTERN.test(netns) || netns.startsWith('.')) {
    throw new InvalidArgumentError('netns', 'a namespace name [A-Za-z0-9_.-]', netns);
  }
  return netns;
}

export function checkPort(port: number, field: string): number {
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) throw new InvalidArgumentError(field, `an integer port 0-${MAX_PORT}`, port);
  return port;
}

export function checkMtu(mtu: number): number {
  if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU) throw new InvalidArgumentError('mtu', `an integer ${MIN_MTU}-${MAX_MTU}`, mtu);
  return mtu;
}

/** An address with a prefix length, e.g. 10.42.0.7/16 or fd00::7/64. Returned in the form given. */
export function checkCidr(cidr: string, field: string): string {
  const m = typeof cidr === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(cidr) : null;
  const family = m ? isIP(m[1]!) : 0;
  if (!m || family === 0 || Number(m[2]) > (family === 4 ? 32 : 128)) throw new InvalidArgumentError(field, 'an address with a prefix length (a.b.c.d/n)', cidr);
  return cidr;
}

/** host:port with an IPv4 address, or [IPv6]:port. */
export function checkEndpoint(endpoint: string, field: string): string {
  const m = typeof endpoint === 'string' ? /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(endpoint) : null;
  const host = m ? (m[1] ?? m[2]!) : '';
  const ok = m !== null && (m[1] !== undefined ? isIP(host) === 6 : isIP(host) === 4) && Number(m[3]) > 0 && Number(m[3]) <= MAX_PORT;
  if (!ok) throw new InvalidArgumentError(field, 'an endpoint a.b.c.d:port or [v6]:port', endpoint);
  return endpoint;
}
