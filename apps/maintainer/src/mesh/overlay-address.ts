// A joiner's overlay address: the one its public key derives (node/identity.ts), or, when another member holds that
// one, the next free address of the range after it (wrapping; never the network or broadcast address).
import { overlayIpOf } from '../node/identity.js';

const toInt = (ip: string): number => ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');

/** The key's own address if free, else the next free one in `cidr`; undefined when every address is taken. */
export function freeOverlayIp(publicKey: string, cidr: string, taken: ReadonlySet<string>): string | undefined {
  const own = overlayIpOf(publicKey, cidr);
  if (!taken.has(own)) return own;
  const len = Number(cidr.split('/')[1]);
  const hosts = 2 ** (32 - len) - 2;
  const base = (toInt(cidr.split('/')[0]!) & (len === 0 ? 0 : ~(2 ** (32 - len) - 1))) >>> 0;
  const start = toInt(own) - base - 1; // host index 0 … hosts-1
  for (let i = 1; i < hosts; i++) {
    const ip = toIp(base + 1 + ((start + i) % hosts));
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
