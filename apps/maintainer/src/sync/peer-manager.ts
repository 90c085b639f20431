// The sync shell: sync links to peers, pushes of each doc update to a few random peers, anti-entropy, initial sync.
import { doublingBackoffMs } from '@fortros/core';
import type * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import type { MaintainerV1 } from '@fortros/proto';
import {
  ANTI_ENTROPY_INTERVAL_MS,
  INITIAL_SYNC_RETRY_MAX_MS,
  INITIAL_SYNC_RETRY_MIN_MS,
  SYNC_BACKOFF_MAX_PEERS,
  SYNC_LINK_IDLE_MS,
  SYNC_MAX_LINKS,
  SYNC_PUSH_FANOUT,
  SYNC_RECONNECT_MAX_MS,
  SYNC_RECONNECT_MIN_MS,
} from '../constants.js';
import { ResponseLimitError, SyncStoppingError } from '../errors.js';
import { STORE_ORIGIN } from '../org/org-store.js';
import type { FaultInjector } from './faults.js';
import { chooseAntiEntropyPeer, choosePushTargets, type ChoiceInputs, type SyncPeer } from './peer-choice.js';
import type { SyncCounters } from './sync-counters.js';
import { SyncLink, type LinkTransport } from './sync-link.js';

/** Who the peers are (the membership layer). */
export interface PeerDirectory {
  /** Alive members other than this node, with their OrgSync address. */
  syncPeers(): SyncPeer[];
  /** A member's gossip address (what the fault injection matches), if known. */
  addressOf(id: string): string | undefined;
}

/** Opens outbound streams (gRPC in the daemon). */
export interface LinkDialer {
  dial(address: string): { transport: LinkTransport; messages: AsyncIterable<MaintainerV1.SyncMessage__Output> };
}

export interface PeerManagerComponents {
  doc: Y.Doc;
  selfId: string;
  directory: PeerDirectory;
  dialer: LinkDialer;
  faults: FaultInjector;
  counters: SyncCounters;
  log: Logger;
  now?: () => number;
  rng?: () => number;
}

export class PeerManager {
  private readonly c: Required<PeerManagerComponents>;
  private readonly outbound = new Map<string, SyncLink>();
  private readonly inbound = new Map<string, SyncLink>();
  /** Links whose hello has not arrived yet. */
  private readonly pending = new Set<SyncLink>();
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly stopController = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  private syncedFlag = false;
  private resolveSynced!: () => void;
  /** Resolves once the first step2 from any peer has been applied (initial sync complete). */
  readonly synced: Promise<void> = new Promise((r) => (this.resolveSynced = r));
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => this.push(update, origin);
  private offFaults: (() => void) | undefined;

  constructor(components: PeerManagerComponents) {
    this.c = { now: Date.now, rng: Math.random, ...components, log: components.log.child({ component: 'maintainer:sync' }) };
  }

  get isSynced(): boolean {
    return this.syncedFlag;
  }

  /** Open links, by direction. */
  linkCount(): { outbound: number; inbound: number } {
    return { outbound: this.outbound.size, inbound: this.inbound.size };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.c.doc.on('update', this.onUpdate);
    this.every(ANTI_ENTROPY_INTERVAL_MS, () => this.antiEntropy());
    this.every(SYNC_LINK_IDLE_MS / 2, () => this.closeIdle());
    this.offFaults = this.c.faults.onChange(() => this.closeDropped());
  }

  stop(): void {
    if (this.stopController.signal.aborted) return;
    this.stopController.abort();
    this.c.doc.off('update', this.onUpdate);
    this.offFaults?.();
    for (const t of this.timers.splice(0)) clearInterval(t);
    for (const l of [...this.outbound.values(), ...this.inbound.values(), ...this.pending]) l.close();
  }

  /** This node is the org's first: there is nobody to sync with. */
  markSynced(): void {
    if (this.syncedFlag) return;
    this.syncedFlag = true;
    this.resolveSynced();
  }

  /** Keeps starting a sync with a random live peer, backing off, until one completes or stop(). */
  async initialSync(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !this.syncedFlag && !signal.aborted && !this.stopController.signal.aborted; attempt++) {
      const peer = chooseAntiEntropyPeer(this.choiceInputs());
      if (peer !== null) this.syncWith(peer);
      else this.c.log.debug('initial sync: no live peer yet');
      await Promise.race([this.synced, sleep(doublingBackoffMs(attempt, INITIAL_SYNC_RETRY_MIN_MS, INITIAL_SYNC_RETRY_MAX_MS), signal)]);
    }
  }

  /** A member came (back) to life: exchange state with it now rather than at the next anti-entropy round. */
  syncWith(peerId: string): void {
    if (this.stopController.signal.aborted) return;
    const existing = this.existingLink(peerId);
    if (existing) existing.resync();
    else this.openOutbound(peerId);
  }

  /**
   * The OrgSync handler: runs one inbound link until it ends. A link this node's stop() ends throws SyncStoppingError
   * (UNAVAILABLE), so the peer takes it for a peer going away rather than a link closed (idle, refused) as usual.
   */
  async acceptInbound(requests: AsyncIterable<MaintainerV1.SyncMessage__Output>, send: (m: MaintainerV1.SyncMessage) => Promise<void>, signal: AbortSignal): Promise<void> {
    if (this.stopController.signal.aborted) throw new SyncStoppingError(this.c.selfId);
    if (this.totalLinks() >= SYNC_MAX_LINKS) throw new ResponseLimitError(`sync: at most ${SYNC_MAX_LINKS} links`);
    const local = new AbortController();
    const onAbort = (): void => local.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const link = this.newLink('inbound', undefined, { send, close: () => local.abort() });
    this.pending.add(link);
    this.c.counters.linksOpened++;
    try {
      await link.run(abortable(requests, local.signal));
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.pending.delete(link);
      const id = link.peerId;
      if (id !== undefined && this.inbound.get(id) === link) this.inbound.delete(id);
    }
    if (this.stopController.signal.aborted) throw new SyncStoppingError(this.c.selfId);
  }

  // ---- pushes and anti-entropy ----

  private push(update: Uint8Array, origin: unknown): void {
    if (origin === STORE_ORIGIN || this.stopController.signal.aborted) return;
    const from = originPeer(origin);
    for (const id of choosePushTargets(this.choiceInputs(), from, SYNC_PUSH_FANOUT)) {
      const link = this.existingLink(id) ?? this.openOutbound(id);
      link?.forward(update, origin);
    }
  }

  private antiEntropy(): void {
    const peer = chooseAntiEntropyPeer(this.choiceInputs());
    if (peer !== null) this.syncWith(peer);
  }

  // ---- links ----

  private existingLink(id: string): SyncLink | undefined {
    const out = this.outbound.get(id);
    if (out && !out.isClosed) return out;
    const inb = this.inbound.get(id);
    return inb && !inb.isClosed ? inb : undefined;
  }

  /** Dials `id`; the new link says hello with its state vector. Undefined when the peer is unknown or dropped. */
  private openOutbound(id: string): SyncLink | undefined {
    const peer = this.c.directory.syncPeers().find((p) => p.id === id);
    if (!peer || this.c.faults.isDropped(this.c.directory.addressOf(id))) return undefined;
    if (this.totalLinks() >= SYNC_MAX_LINKS) this.closeLeastRecent();
    const { transport, messages } = this.c.dialer.dial(peer.syncAddress);
    const link = this.newLink('outbound', id, transport);
    this.outbound.set(id, link);
    this.c.counters.linksOpened++;
    link.start();
    void link.run(messages).then(() => {
      if (this.outbound.get(id) === link) this.outbound.delete(id);
      // a peer that went away (stopping, unreachable) is retried after a backoff, even if the link had worked
      this.recordOutcome(id, link.heard && !link.peerWentAway);
    });
    return link;
  }

  private newLink(direction: 'inbound' | 'outbound', peerId: string | undefined, transport: LinkTransport): SyncLink {
    return new SyncLink({
      doc: this.c.doc,
      selfId: this.c.selfId,
      direction,
      ...(peerId === undefined ? {} : { peerId }),
      transport,
      counters: this.c.counters,
      log: this.c.log,
      now: this.c.now,
      admit: (peer) => !this.c.faults.drop(this.c.directory.addressOf(peer)),
      onSynced: (l) => {
        if (!this.syncedFlag) this.c.log.info('initial sync complete', { peer: l.peerId, direction: l.direction });
        this.markSynced();
      },
      onHello: (l) => this.registerInbound(l),
    });
  }

  private registerInbound(link: SyncLink): boolean {
    this.pending.delete(link);
    const id = link.peerId!;
    if (this.c.faults.drop(this.c.directory.addressOf(id))) return false;
    this.inbound.get(id)?.close();
    this.inbound.set(id, link);
    return true;
  }

  private recordOutcome(id: string, heard: boolean): void {
    if (heard) {
      this.failures.delete(id);
      return;
    }
    const count = (this.failures.get(id)?.count ?? 0) + 1;
    if (!this.failures.has(id) && this.failures.size >= SYNC_BACKOFF_MAX_PEERS) this.failures.clear();
    this.failures.set(id, { count, until: this.c.now() + doublingBackoffMs(count, SYNC_RECONNECT_MIN_MS, SYNC_RECONNECT_MAX_MS) });
  }

  private choiceInputs(): ChoiceInputs {
    const backoffUntil = new Map<string, number>();
    for (const [id, f] of this.failures) backoffUntil.set(id, f.until);
    const peers = this.c.directory.syncPeers().filter((p) => !this.c.faults.isDropped(this.c.directory.addressOf(p.id)));
    return { peers, backoffUntil, now: this.c.now(), rng: this.c.rng };
  }

  private totalLinks(): number {
    return this.outbound.size + this.inbound.size + this.pending.size;
  }

  private closeLeastRecent(): void {
    let oldest: SyncLink | undefined;
    for (const l of this.outbound.values()) if (!oldest || l.lastActivity < oldest.lastActivity) oldest = l;
    oldest?.close();
    if (oldest?.peerId !== undefined) this.outbound.delete(oldest.peerId);
  }

  private closeIdle(): void {
    const cutoff = this.c.now() - SYNC_LINK_IDLE_MS;
    for (const l of [...this.outbound.values(), ...this.inbound.values()]) if (l.lastActivity < cutoff) l.close();
  }

  private closeDropped(): void {
    for (const l of [...this.outbound.values(), ...this.inbound.values()]) {
      if (l.peerId !== undefined && this.c.faults.isDropped(this.c.directory.addressOf(l.peerId))) l.close();
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
