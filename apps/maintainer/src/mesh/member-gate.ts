// The mesh's door: SWIM packets and OrgSync streams are accepted only from a current member's overlay address
// (WireGuard's cryptokey routing authenticates it); everything else is dropped and counted.
import type { Logger } from '@fortros/log';
import type { PacketHandler, Transport } from '@fortros/swim';
import { MESH_DROP_LOG_INTERVAL_MS } from '../constants.js';

export interface GateCounters {
  /** SWIM datagrams dropped: not from a member's overlay address. */
  gossipNotMember: number;
  /** OrgSync streams refused: not from a member's overlay address. */
  syncNotMember: number;
}

/** The host part of `host:port`, `[v6]:port` or a gRPC peer string (`ipv4:1.2.3.4:5`, `ipv6:[::1]:5`). */
export function hostOf(address: string): string {
  const a = address.replace(/^ipv[46]:/, '');
  const colon = a.lastIndexOf(':');
  const host = colon < 0 ? a : a.slice(0, colon);
  return host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
}

export class MemberGate {
  readonly counters: GateCounters = { gossipNotMember: 0, syncNotMember: 0 };
  private allowed = new Set<string>();
  private lastLogMs = 0;
  private readonly log: Logger;

  constructor(log: Logger, private readonly now: () => number = Date.now) {
    this.log = log.child({ component: 'maintainer:gate' });
  }

  /** Replace the set of member overlay addresses (this node's own excluded). */
  setMembers(overlayIps: Iterable<string>): void {
    this.allowed = new Set(overlayIps);
  }

  admits(address: string): boolean {
    return this.allowed.has(hostOf(address));
  }

  /** Counts (and logs, rate-limited) a dropped packet or stream. */
  dropped(kind: keyof GateCounters, from: string): void {
    this.counters[kind] += 1;
    const now = this.now();
    if (now - this.lastLogMs < MESH_DROP_LOG_INTERVAL_MS) return;
    this.lastLogMs = now;
    this.log.warn('dropped traffic not from a member', { kind, from: hostOf(from), ...this.counters });
  }

  /** A SWIM transport that hands on only datagrams from members. */
  transport(inner: Transport): Transport {
    return new GatedTransport(inner, this);
  }
}

class GatedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly gate: MemberGate,
  ) {}

  get address(): string {
    return this.inner.address;
  }

  send(address: string, packet: Uint8Array): void {
    this.inner.send(address, packet);
  }

  onPacket(handler: PacketHandler): void {
    this.inner.onPacket((from, packet) => {
      if (this.gate.admits(from)) handler(from, packet);
      else this.gate.dropped('gossipNotMember', from);
    });
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
