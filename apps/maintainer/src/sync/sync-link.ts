// One sync link with one peer over one gRPC bidi stream (either direction): hello, SyncSession actions, bounded sends.
import type * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import type { MaintainerV1 } from '@fortros/proto';
import { SYNC_LINK_MAX_QUEUED } from '../constants.js';
import { SyncPeerUnavailableError, SyncProtocolError } from '../errors.js';
import { NAME_PATTERN } from '../org/check.js';
import { SyncSession, type SyncAction } from '../org/sync-session.js';
import type { SyncCounters } from './sync-counters.js';

/*
 * A link carries SyncMessage{from, payload, resync}. Each side's first message is a hello naming its node id
 * (an outbound link sends it with its first step1; an inbound link answers with its own hello + step1 once it knows
 * who is calling). Every payload goes through the link's SyncSession; a session's rejections are counted as
 * malformed and the link carries on. A step1 flagged `resync` (anti-entropy) is answered with step2 and then our
 * own step1, so one round repairs both sides. Sends are chained; more than SYNC_LINK_MAX_QUEUED waiting resets the
 * link (anti-entropy repairs whatever it carried).
 */

export type LinkDirection = 'outbound' | 'inbound';

/** The stream under a link. */
export interface LinkTransport {
  send(message: MaintainerV1.SyncMessage): Promise<void>;
  /** Ends the stream from this side (cancels an outbound call; ends an inbound handler). */
  close(): void;
}

export interface SyncLinkOptions {
  doc: Y.Doc;
  selfId: string;
  direction: LinkDirection;
  /** Known for outbound links (whom we dialled); learnt from the hello for inbound ones. */
  peerId?: string;
  transport: LinkTransport;
  counters: SyncCounters;
  log: Logger;
  now: () => number;
  /** A message from the peer is about to be handled; false drops it (test-only fault injection). */
  admit: (peerId: string) => boolean;
  /** The first step2 from this peer was applied. */
  onSynced: (link: SyncLink) => void;
  /** The hello arrived (inbound: the peer is now known); false refuses the link. */
  onHello: (link: SyncLink) => boolean;
}

const STEP1_TYPE = 0;

export class SyncLink {
  readonly direction: LinkDirection;
  lastActivity: number;
  /** True once any message from the peer has been handled. */
  heard = false;
  /** True when the stream ended because the peer went away (SyncPeerUnavailableError): retry it later, not at once. */
  peerWentAway = false;
  private peer: string | undefined;
  private session: SyncSession | undefined;
  private closed = false;
  private queued = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: SyncLinkOptions) {
    this.direction = o.direction;
    this.peer = o.peerId;
    this.lastActivity = o.now();
    if (o.peerId !== undefined) this.session = this.newSession(o.peerId);
  }

  get peerId(): string | undefined {
    return this.peer;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Outbound: say hello with our state vector. */
  start(): void {
    if (this.direction !== 'outbound' || !this.session) return;
    this.perform(this.session.start(), false);
  }

  /** Pushes one doc update (nothing when it came from this peer). */
  forward(update: Uint8Array, origin: unknown): void {
    if (!this.session || this.closed) return;
    this.perform(this.session.forward(update, origin), false);
  }

  /** Anti-entropy: our state vector, asking for the peer's in return. */
  resync(): void {
    if (!this.session || this.closed) return;
    this.perform(this.session.resync(), true);
  }

  /** Handles every message of the stream until it ends; returns normally, never throws. */
  async run(messages: AsyncIterable<MaintainerV1.SyncMessage__Output>): Promise<void> {
    try {
      for await (const m of messages) {
        if (this.closed) break;
        this.handle(m);
      }
    } catch (err) {
      if (!this.closed) {
        this.peerWentAway = err instanceof SyncPeerUnavailableError;
        this.o.log.debug(this.peerWentAway ? 'sync peer went away' : 'sync link ended', { peer: this.peer, direction: this.direction, err: (err as Error).message });
        this.o.counters.linksFailed++;
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.o.transport.close();
  }

  private handle(m: MaintainerV1.SyncMessage__Output): void {
    this.lastActivity = this.o.now();
    this.o.counters.messagesIn++;
    if (this.peer === undefined) {
      if (typeof m.from !== 'string' || !NAME_PATTERN.test(m.from) || m.from === this.o.selfId) {
        this.o.counters.malformed++;
        throw new SyncProtocolError(`sync: expected a hello naming the sender's node id, got ${JSON.stringify(String(m.from).slice(0, 64))}`);
      }
      this.peer = m.from;
      this.session = this.newSession(m.from);
      if (!this.o.onHello(this)) {
        this.close();
        return;
      }
      this.perform(this.session.start(), false);
    } else if (m.from !== '' && m.from !== this.peer) {
      this.o.counters.malformed++;
      return;
    }
    if (!this.o.admit(this.peer)) return;
    this.heard = true;
    const payload = m.payload ?? Buffer.alloc(0);
    if (payload.length === 0) return;
    const actions = this.session!.receive(payload);
    this.perform(actions, false);
    if (m.resync && payload[0] === STEP1_TYPE && actions.some((a) => a.kind === 'send')) this.perform(this.session!.resync(), false);
  }

  private perform(actions: SyncAction[], resync: boolean): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'send':
          this.send({ from: this.o.selfId, payload: a.message, resync });
          break;
        case 'applied':
          this.o.counters.updatesApplied++;
          break;
        case 'synced':
          this.o.onSynced(this);
          break;
        case 'rejected':
          this.o.counters.malformed++;
          break;
      }
    }
  }

  private send(message: MaintainerV1.SyncMessage): void {
    if (this.closed) return;
    if (this.queued >= SYNC_LINK_MAX_QUEUED) {
      this.o.log.warn('sync link: peer not keeping up; link reset', { peer: this.peer, queued: this.queued });
      this.o.counters.linksFailed++;
      this.close();
      return;
    }
    this.queued++;
    this.o.counters.messagesOut++;
    this.lastActivity = this.o.now();
    this.chain = this.chain
      .then(() => (this.closed ? undefined : this.o.transport.send(message)))
      .catch(() => this.close())
      .finally(() => this.queued--);
  }

  private newSession(peer: string): SyncSession {
    return new SyncSession({ doc: this.o.doc, peer, log: this.o.log });
  }
}
