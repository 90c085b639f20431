// SWIM glue: runs the SwimRunner over UDP with the incarnation file, serves peers to replication.
import type { Logger } from '@fortros/log';
import { SwimRunner, UdpTransport, type Member as SwimMember, type MemberEvent, type SwimRunnerEventName, type Transport } from '@fortros/swim';
import { LEAVE_TIMEOUT_MS } from '../constants.js';
import type { IncarnationStore } from '../node/incarnation.js';
import type { PeerDirectory } from '../replication/replicator.js';
import type { ReplicationPeer } from '../replication/peer-choice.js';
import { META_PUBLIC_KEY, META_ORG_SYNC, orgSyncAddressOf } from './member-view.js';

export interface MembershipOptions {
  id: string;
  name: string;
  /** `host:port` to gossip on (UDP); also advertised as the OrgSync address (TCP, same port number). */
  bind: string;
  seeds: readonly string[];
  publicKey: string;
  incarnation: number;
  /** The incarnation file: the runner keeps a bound saved in it ahead of every incarnation it gossips. */
  incarnations: IncarnationStore;
  /** A wrapper the composition root may put around the UDP transport; none by default. */
  wrapTransport?: (udp: Transport) => Transport;
  log: Logger;
}

/** How often whenJoined() looks at the core's joined flag, in ms. */
const JOINED_POLL_MS = 50;
const MEMBER_EVENTS: readonly SwimRunnerEventName[] = ['member:join', 'member:alive', 'member:suspect', 'member:dead', 'member:left', 'member:update'];

export class Membership implements PeerDirectory {
  private readonly runner: SwimRunner;
  private readonly udp: UdpTransport;
  private readonly log: Logger;
  private readonly listeners = new Set<(e: MemberEvent) => void>();

  constructor(private readonly o: MembershipOptions) {
    this.log = o.log.child({ component: 'maintainer:membership' });
    this.udp = new UdpTransport({ bind: o.bind });
    this.runner = new SwimRunner({
      id: o.id,
      name: o.name,
      transport: o.wrapTransport ? o.wrapTransport(this.udp) : this.udp,
      advertise: o.bind,
      meta: { [META_ORG_SYNC]: o.bind, [META_PUBLIC_KEY]: o.publicKey },
      incarnation: o.incarnation,
      incarnationStore: o.incarnations,
      seeds: o.seeds,
      logger: this.log,
    });
    for (const name of MEMBER_EVENTS) {
      this.runner.on(name, (event) => {
        const e = event as MemberEvent;
        this.log.info(e.type, { member: e.member.id, name: e.member.name, address: e.member.address, incarnation: e.member.incarnation });
        for (const l of this.listeners) l(e);
      });
    }
  }

  /** Binds UDP and starts joining through the seeds (the core retries them until one answers). */
  async start(): Promise<void> {
    await this.runner.start();
  }

  /** Gossips our departure (bounded), then stops. */
  async leave(): Promise<void> {
    await this.runner.leave(LEAVE_TIMEOUT_MS);
  }

  async stop(): Promise<void> {
    await this.runner.stop();
  }

  /** Subscribe to SWIM member events; returns the unsubscribe function. */
  onMemberEvent(listener: (e: MemberEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get joined(): boolean {
    return this.runner.swim?.joined ?? false;
  }

  /** Resolves once a seed has answered (at once for the org's first node). */
  async whenJoined(signal: AbortSignal): Promise<void> {
    while (!this.joined && !signal.aborted) await new Promise((r) => setTimeout(r, JOINED_POLL_MS));
  }

  get incarnation(): number {
    return this.runner.swim?.incarnation ?? this.o.incarnation;
  }

  get liveCount(): number {
    return this.runner.swim?.liveCount ?? 1;
  }

  /** Every member SWIM knows, this node included. */
  members(): SwimMember[] {
    return this.runner.members();
  }

  member(id: string): SwimMember | undefined {
    return this.runner.swim?.member(id);
  }

  replicationPeers(): ReplicationPeer[] {
    return this.members()
      .filter((m) => m.id !== this.o.id && m.state === 'alive')
      .map((m) => ({ id: m.id, orgSyncAddress: orgSyncAddressOf(m) }));
  }

  /** A member's gossip address. */
  addressOf(id: string): string | undefined {
    return this.member(id)?.address;
  }

  /** Datagram counters: in/out, and every malformed or oversize one dropped. */
  stats(): { packetsIn: number; packetsOut: number; malformed: number; implausible: number } {
    const s = this.runner.swim?.stats;
    const malformed = Object.values(s?.malformed ?? {}).reduce((a, b) => a + b, 0) + this.udp.stats.oversize;
    return { packetsIn: s?.packetsIn ?? 0, packetsOut: s?.packetsOut ?? 0, malformed, implausible: s?.implausible ?? 0 };
  }
}
