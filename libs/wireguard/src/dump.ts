// Parses `wg show NAME dump` into a typed state. The interface line's private key is dropped at once: it never
// leaves this function.
import { MAX_PEERS } from './constants.js';
import { DumpParseError } from './errors.js';
import { isKey } from './validate.js';

export interface PeerState {
  publicKey: string;
  hasPresharedKey: boolean;
  /** host:port, or undefined before the peer was ever heard from or given one. */
  endpoint: string | undefined;
  allowedIps: string[];
  /** Unix seconds of the latest handshake; 0 when none yet. */
  latestHandshakeS: number;
  rxBytes: number;
  txBytes: number;
  /** Seconds; 0 when off. */
  persistentKeepaliveS: number;
}

export interface InterfaceState {
  publicKey: string | undefined;
  listenPort: number;
  fwmark: number;
  peers: PeerState[];
}

const NONE = '(none)';

function count(raw: string, iface: string, line: number, field: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new DumpParseError(iface, line, `${field}: expected a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function key(raw: string, iface: string, line: number, field: string): string {
  if (!isKey(raw)) throw new DumpParseError(iface, line, `${field}: expected a key`);
  return raw;
}

/** Parse the dump of one interface (`wg show NAME dump`: no interface column). */
export function parseDump(iface: string, text: string): InterfaceState {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) throw new DumpParseError(iface, 1, 'empty output');
  if (lines.length - 1 > MAX_PEERS) throw new DumpParseError(iface, MAX_PEERS + 2, `more than ${MAX_PEERS} peers`);
  const head = lines[0]!.split('\t');
  if (head.length !== 4) throw new DumpParseError(iface, 1, `expected 4 fields on the interface line, got ${head.length}`);
  const publicKey = head[1] === NONE ? undefined : key(head[1]!, iface, 1, 'public key');
  const fwmark = head[3] === 'off' ? 0 : count(head[3]!, iface, 1, 'fwmark');
  const state: InterfaceState = { publicKey, listenPort: count(head[2]!, iface, 1, 'listen port'), fwmark, peers: [] };
  for (let i = 1; i < lines.length; i++) {
    const n = i + 1;
    const f = lines[i]!.split('\t');
    if (f.length !== 8) throw new DumpParseError(iface, n, `expected 8 fields on a peer line, got ${f.length}`);
    state.peers.push({
      publicKey: key(f[0]!, iface, n, 'peer public key'),
      hasPresharedKey: f[1] !== NONE,
      endpoint: f[2] === NONE ? undefined : f[2],
      allowedIps: f[3] === NONE ? [] : f[3]!.split(','),
      latestHandshakeS: count(f[4]!, iface, n, 'latest handshake'),
      rxBytes: count(f[5]!, iface, n, 'rx bytes'),
      txBytes: count(f[6]!, iface, n, 'tx bytes'),
      persistentKeepaliveS: f[7] === 'off' ? 0 : count(f[7]!, iface, n, 'persistent keepalive'),
    });
  }
  return state;
}
