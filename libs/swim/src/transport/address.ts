// Parsing and formatting of `host:port` addresses: IPv4, bracketed IPv6 ([::1]:7946) and host names.
import { isIP } from 'node:net';
import { SwimAddressError } from '../errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
  /** 4, 6, or 0 for a host name. */
  readonly family: 0 | 4 | 6;
}

export function parseAddress(address: string, what = 'address'): HostPort {
  if (typeof address !== 'string') throw new SwimAddressError(`${what}: expected "host:port", got ${JSON.stringify(address)}`);
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0 || address[close + 1] !== ':') throw new SwimAddressError(`${what}: expected "[ipv6]:port", got ${JSON.stringify(address)}`);
    host = address.slice(1, close);
    portText = address.slice(close + 2);
    if (isIP(host) !== 6) throw new SwimAddressError(`${what}: expected an IPv6 address in brackets, got ${JSON.stringify(address)}`);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon <= 0 || address.indexOf(':') !== colon) throw new SwimAddressError(`${what}: expected "host:port" (IPv6 in brackets), got ${JSON.stringify(address)}`);
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
  }
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new SwimAddressError(`${what}: expected a port in [0, 65535], got ${JSON.stringify(address)}`);
  const family = isIP(host);
  if (family === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) throw new SwimAddressError(`${what}: expected an IP address or host name, got ${JSON.stringify(address)}`);
  return { host, port, family: family as 0 | 4 | 6 };
}

export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
