// Replication of the org document: peer links, pushes of each update to a few random peers, anti-entropy, initial sync.
import { doublingBackoffMs } from '@fortros/core';
import type * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import type { MaintainerV1 } from '@fortros/proto';
import {
  ANTI_ENTROPY_INTERVAL_MS,
  INITIAL_SYNC_RETRY_MAX_MS,
  INITIAL_SYNC_RETRY_MIN_MS,
  MAX_PEER_LINKS,
  PEER_LINK_HELLO_TIMEOUT_MS,
  PEER_LINK_IDLE_MS,
  PEER_LINK_SWEEP_MS,
  REPLICATION_BACKOFF_MAX_PEERS,
  REPLICATION_PUSH_FANOUT,
  REPLICATION_RECONNECT_MAX_MS,
  REPLICATION_RECONNECT_MIN_MS,
  REVIVED_SYNCS_PER_INTERVAL,
} from '../constants.js';
import { OrgSyncStoppingError, ResponseLimitError } from '../errors.js';
import { STORE_ORIGIN } from '../org/org-store.js';
import { chooseAntiEntropyPeer, choosePushTargets, type ChoiceInputs, type ReplicationPeer } from './peer-choice.js';
import type { ReplicationCounters } from './replication-counters.js';
import { PeerLink, type LinkDirection, type LinkTransport } from './peer-link.js';
import { LinkOutcome, LinkState } from './peer-link-lifecycle.js';

/** Who the peers are (the membership layer). */
export interface PeerDirectory {
  /** Alive members other than this node, with their OrgSync address. */
  replicationPeers(): ReplicationPeer[];
}

/** Opens outbound streams (gRPC in the daemon). */
export interface LinkDialer {
  dial(address: string): { transport: LinkTransport; messages: AsyncIterable<MaintainerV1.SyncMessage__Output> };
}

/** Takes inbound streams: the OrgSync service hands it every Sync call. */
export interface LinkAcceptor {
  acceptInbound(requests: AsyncIterable<MaintainerV1.SyncMessage__Output>, send: (m: MaintainerV1.SyncMessage) => Promise<void>, signal: AbortSignal): Promise<void>;
}

export interface ReplicatorComponents {
  doc: Y.Doc;
  selfId: string;
  directory: PeerDirectory;
  dialer: LinkDialer;
  counters: ReplicationCounters;
  log: Logger;
  now?: () => number;
  rng?: () => number;
}

export class Replicator implements LinkAcceptor {
  private readonly c: Required<ReplicatorComponents>;
  /** Every open link, both directions (a link leaves when it closes: its `ended` action). */
  private readonly links = new Set<PeerLink>();
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly stopController = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  /** Immediate exchanges with revived members in the current interval (memberRevived). */
  private revived = { since: -Infinity, count: 0 };
  private syncedFlag = false;
  private resolveSynced!: () => void;
  /** Resolves once the first step2 from any peer has been applied (initial sync complete). */
  readonly synced: Promise<void> = new Promise((r) => (this.resolveSynced = r));
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => this.push(update, origin);

  constructor(components: ReplicatorComponents) {
    this.c = { now: Date.now, rng: Math.random, ...components, log: components.log.child({ component: 'maintainer:sync' }) };
  }

  get isSynced(): boolean {
    return this.syncedFlag;
  }

  /** Open links, by direction (an inbound link counts once its hello has arrived). */
  linkCount(): { outbound: number; inbound: number } {
    let outbound = 0;
    let inbound = 0;
    for (const l of this.links) {
      if (l.direction === 'outbound') outbound++;
      else if (l.state !== LinkState.awaitingHello) inbound++;
    }
    return { outbound, inbound };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.c.doc.on('update', this.onUpdate);
    this.every(ANTI_ENTROPY_INTERVAL_MS, () => this.antiEntropy());
    this.every(PEER_LINK_SWEEP_MS, () => this.closeStale());
  }

  stop(): void {
    if (this.stopController.signal.aborted) return;
    this.stopController.abort();
    this.c.doc.off('update', this.onUpdate);
    for (const t of this.timers.splice(0)) clearInterval(t);
    for (const l of [...this.links]) l.close();
  }

  /** This node is the org's first: there is nobody to replicate from. */
  markSynced(): void {
    if (this.syncedFlag) return;
    this.syncedFlag = true;
    this.resolveSynced();
  }

  /** Keeps starting a y-sync exchange with a random live peer, backing off, until one completes or stop(). */
  async initialSync(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !this.syncedFlag && !signal.aborted && !this.stopController.signal.aborted; attempt++) {
      const peer = chooseAntiEntropyPeer(this.choiceInputs());
      if (peer !== null) this.syncWith(peer);
      else this.c.log.debug('initial sync: no live peer yet');
      await Promise.race([this.synced, sleep(doublingBackoffMs(attempt, INITIAL_SYNC_RETRY_MIN_MS, INITIAL_SYNC_RETRY_MAX_MS), signal)]);
    }
  }

  /**
   * A member came (back) to life: exchange state with it now rather than at the next anti-entropy round, unless
   * REVIVED_SYNCS_PER_INTERVAL others did in this interval already (a healed partition).
   */
  memberRevived(peerId: string): void {
    const now = this.c.now();
    if (now - this.revived.since >= ANTI_ENTROPY_INTERVAL_MS) this.revived = { since: now, count: 0 };
    if (this.revived.count >= REVIVED_SYNCS_PER_INTERVAL) return;
    this.revived.count++;
    this.syncWith(peerId);
  }

  /** Exchange state with `peerId` now, on its link or a new one. */
  syncWith(peerId: string): void {
    if (this.stopController.signal.aborted) return;
    const existing = this.existingLink(peerId);
    if (existing) existing.resync();
    else this.openOutbound(peerId);
  }

  /**
   * The OrgSync handler: runs one inbound link until it ends. A link this node's stop() ends throws OrgSyncStoppingError
   * (UNAVAILABLE), so the peer takes it for a peer going away rather than a link closed (idle, refused) as usual.
   */
  async acceptInbound(requests: AsyncIterable<MaintainerV1.SyncMessage__Output>, send: (m: MaintainerV1.SyncMessage) => Promise<void>, signal: AbortSignal): Promise<void> {
    if (this.stopController.signal.aborted) throw new OrgSyncStoppingError(this.c.selfId);
    if (this.links.size >= MAX_PEER_LINKS) throw new ResponseLimitError(`sync: at most ${MAX_PEER_LINKS} links`);
    const local = new AbortController();
    const onAbort = (): void => local.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const link = this.newLink('inbound', undefined, { send, close: () => local.abort() });
    this.links.add(link);
    this.c.counters.linksOpened++;
    try {
      await link.run(abortable(requests, local.signal));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (this.stopController.signal.aborted) throw new OrgSyncStoppingError(this.c.selfId);
  }

  // ---- pushes and anti-entropy ----

  private push(update: Uint8Array, origin: unknown): void {
    if (origin === STORE_ORIGIN || this.stopController.signal.aborted) return;
    const from = originPeer(origin);
    for (const id of choosePushTargets(this.choiceInputs(), from, REPLICATION_PUSH_FANOUT)) {
      const link = this.existingLink(id) ?? this.openOutbound(id);
      link?.forward(update, origin);
    }
  }

  private antiEntropy(): void {
    const peer = chooseAntiEntropyPeer(this.choiceInputs());
    if (peer !== null) this.syncWith(peer);
  }

  // ---- links ----

  /** The open link with `id`: the outbound one if any, else the inbound one (once its hello arrived). */
  private existingLink(id: string): PeerLink | undefined {
    let inbound: PeerLink | undefined;
    for (const l of this.links) {
      if (l.peerId !== id) continue;
      if (l.direction === 'outbound') return l;
      inbound ??= l;
    }
    return inbound;
  }

  /** Dials `id`; the new link says hello with its state vector. Undefined when the peer is unknown. */
  private openOutbound(id: string): PeerLink | undefined {
    const peer = this.c.directory.replicationPeers().find((p) => p.id === id);
    if (!peer) return undefined;
    if (this.links.size >= MAX_PEER_LINKS) this.closeLeastRecent();
    const { transport, messages } = this.c.dialer.dial(peer.orgSyncAddress);
    const link = this.newLink('outbound', id, transport);
    this.links.add(link);
    this.c.counters.linksOpened++;
    link.start();
    void link.run(messages);
    return link;
  }

  private newLink(direction: LinkDirection, peerId: string | undefined, transport: LinkTransport): PeerLink {
    return new PeerLink({
      doc: this.c.doc,
      selfId: this.c.selfId,
      direction,
      ...(peerId === undefined ? {} : { peerId }),
      transport,
      counters: this.c.counters,
      log: this.c.log,
      now: this.c.now,
      onSynced: (l) => {
        if (!this.syncedFlag) this.c.log.info('initial sync complete', { peer: l.peerId, direction: l.direction });
        this.markSynced();
      },
      onHello: (l) => this.replaceInbound(l),
      onEnded: (l) => this.forget(l),
    });
  }

  /** A peer calling again replaces its older inbound link. */
  private replaceInbound(link: PeerLink): void {
    for (const l of [...this.links]) if (l !== link && l.direction === 'inbound' && l.peerId === link.peerId) l.close();
  }

  /** A closed link: gone from the table; an outbound one's outcome decides the peer's reconnect backoff. */
  private forget(link: PeerLink): void {
    this.links.delete(link);
    // a peer that went away (stopping, unreachable) is retried after a backoff, even if the link had worked
    if (link.direction === 'outbound') this.recordOutcome(link.peerId!, link.outcome === LinkOutcome.worked);
  }

  private recordOutcome(id: string, heard: boolean): void {
    if (heard) {
      this.failures.delete(id);
      return;
    }
    const count = (this.failures.get(id)?.count ?? 0) + 1;
    if (!this.failures.has(id) && this.failures.size >= REPLICATION_BACKOFF_MAX_PEERS) this.failures.clear();
    this.failures.set(id, { count, until: this.c.now() + doublingBackoffMs(count, REPLICATION_RECONNECT_MIN_MS, REPLICATION_RECONNECT_MAX_MS) });
  }

  private choiceInputs(): ChoiceInputs {
    const backoffUntil = new Map<string, number>();
    for (const [id, f] of this.failures) backoffUntil.set(id, f.until);
    return { peers: this.c.directory.replicationPeers(), backoffUntil, now: this.c.now(), rng: this.c.rng };
  }

  private closeLeastRecent(): void {
    let oldest: PeerLink | undefined;
    for (const l of this.links) if (l.direction === 'outbound' && (!oldest || l.lastActivity < oldest.lastActivity)) oldest = l;
    oldest?.close();
  }

  /** Closes links idle for PEER_LINK_IDLE_MS, and inbound ones still without a hello after PEER_LINK_HELLO_TIMEOUT_MS. */
  closeStale(): void {
    const now = this.c.now();
    for (const l of [...this.links]) {
      if (l.state === LinkState.awaitingHello) {
        if (l.lastActivity < now - PEER_LINK_HELLO_TIMEOUT_MS) l.helloTimedOut(PEER_LINK_HELLO_TIMEOUT_MS);
      } else if (l.lastActivity < now - PEER_LINK_IDLE_MS) l.close();
    }
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }
}

function originPeer(origin: unknown): string | null {
  const peer = typeof origin === 'object' && origin !== null ? (origin as { peer?: unknown }).peer : undefined;
  return typeof peer === 'string' ? peer : null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Iterates `source` until it ends or `signal` aborts (then returns without waiting for the next message). */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r === 'aborted' || r.done) return;
      yield r.value;
    }
  } finally {
    void it.return?.();
  }
}
