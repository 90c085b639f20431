// The pure core of applying a peer set: compare the interface's peers with the desired ones and plan the `wg set`
// operations (add, update only what changed, remove), so no untouched peer loses its session.
import { MAX_ALLOWED_IPS_PER_PEER, MAX_PEERS } from './constants.js';
import { InvalidArgumentError } from './errors.js';
import type { PeerState } from './dump.js';
import { checkCidr, checkEndpoint, checkKey } from './validate.js';

export interface DesiredPeer {
  publicKey: string;
  /** host:port; undefined leaves the endpoint to WireGuard (learnt from the peer's packets). */
  endpoint?: string | undefined;
  allowedIps: string[];
  /** Seconds; 0 or undefined is off. */
  persistentKeepaliveS?: number | undefined;
}

export type PeerOp =
  | { kind: 'add'; peer: DesiredPeer }
  | { kind: 'update'; publicKey: string; endpoint?: string; allowedIps?: string[]; persistentKeepaliveS?: number }
  | { kind: 'remove'; publicKey: string };

/** An IPv4 CIDR with its host bits cleared, as wg prints it (10.42.0.7/16 → 10.42.0.0/16); others lower-cased. */
export function canonicalCidr(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return cidr.toLowerCase();
  const bits = Number(m[5]);
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const net = bits === 0 ? 0 : (ip & (0xffffffff << (32 - bits))) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${bits}`;
}

/** Allowed-IP lists compared as sets of canonical CIDRs. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a.map(canonicalCidr));
  const sb = new Set(b.map(canonicalCidr));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Validate a desired peer set: keys, endpoints, CIDRs, bounds, no duplicates. */
export function checkDesiredPeers(peers: readonly DesiredPeer[]): void {
  if (peers.length > MAX_PEERS) throw new InvalidArgumentError('peers', `at most ${MAX_PEERS} peers`, peers.length);
  const seen = new Set<string>();
  peers.forEach((p, i) => {
    const field = `peers[${i}]`;
    checkKey(p.publicKey, `${field}.publicKey`);
    if (seen.has(p.publicKey)) throw new InvalidArgumentError(`${field}.publicKey`, 'each peer once', p.publicKey);
    seen.add(p.publicKey);
    if (p.endpoint !== undefined) checkEndpoint(p.endpoint, `${field}.endpoint`);
    if (!Array.isArray(p.allowedIps) || p.allowedIps.length > MAX_ALLOWED_IPS_PER_PEER) {
      throw new InvalidArgumentError(`${field}.allowedIps`, `a list of at most ${MAX_ALLOWED_IPS_PER_PEER} CIDRs`, p.allowedIps);
    }
    p.allowedIps.forEach((c, j) => checkCidr(c, `${field}.allowedIps[${j}]`));
    const k = p.persistentKeepaliveS ?? 0;
    if (!Number.isInteger(k) || k < 0 || k > 65_535) throw new InvalidArgumentError(`${field}.persistentKeepaliveS`, 'an integer 0-65535', k);
  });
}

/** Plan the operations that turn `current` into `desired`: removals first, then updates, then additions. */
export function planPeerDiff(current: readonly PeerState[], desired: readonly DesiredPeer[]): PeerOp[] {
  checkDesiredPeers(desired);
  const want = new Map(desired.map((p) => [p.publicKey, p]));
  const have = new Map(current.map((p) => [p.publicKey, p]));
  const ops: PeerOp[] = [];
  for (const p of current) if (!want.has(p.publicKey)) ops.push({ kind: 'remove', publicKey: p.publicKey });
  for (const d of desired) {
    const c = have.get(d.publicKey);
    if (!c) {
      ops.push({ kind: 'add', peer: d });
      continue;
    }
    const op: Extract<PeerOp, { kind: 'update' }> = { kind: 'update', publicKey: d.publicKey };
    if (d.endpoint !== undefined && d.endpoint !== c.endpoint) op.endpoint = d.endpoint;
    if (!sameSet(d.allowedIps, c.allowedIps)) op.allowedIps = d.allowedIps;
    const k = d.persistentKeepaliveS ?? 0;
    if (k !== c.persistentKeepaliveS) op.persistentKeepaliveS = k;
    if (op.endpoint !== undefined || op.allowedIps !== undefined || op.persistentKeepaliveS !== undefined) ops.push(op);
  }
  return ops.sort((a, b) => rank(a) - rank(b));
}

function rank(op: PeerOp): number {
  return op.kind === 'remove' ? 0 : op.kind === 'update' ? 1 : 2;
}

/** The `wg set NAME …` arguments (after the interface name) of one operation. */
export function opArgs(op: PeerOp): string[] {
  switch (op.kind) {
    case 'remove':
      return ['peer', op.publicKey, 'remove'];
    case 'add':
      return [
        'peer',
        op.peer.publicKey,
        ...(op.peer.endpoint !== undefined ? ['endpoint', op.peer.endpoint] : []),
        ...(op.peer.persistentKeepaliveS ? ['persistent-keepalive', String(op.peer.persistentKeepaliveS)] : []),
        'allowed-ips',
        op.peer.allowedIps.join(','),
      ];
    case 'update':
      return [
        'peer',
        op.publicKey,
        ...(op.endpoint !== undefined ? ['endpoint', op.endpoint] : []),
        ...(op.persistentKeepaliveS !== undefined ? ['persistent-keepalive', op.persistentKeepaliveS === 0 ? 'off' : String(op.persistentKeepaliveS)] : []),
        ...(op.allowedIps !== undefined ? ['allowed-ips', op.allowedIps.join(',')] : []),
      ];
  }
}
