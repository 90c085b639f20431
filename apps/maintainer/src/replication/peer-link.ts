// One peer link: one OrgSync stream with one peer (either direction), the shell around its lifecycle (`step`).
import type * as Y from 'yjs';
import { assertNever } from '@fortros/core';
import type { Logger } from '@fortros/log';
import type { MaintainerV1 } from '@fortros/proto';
import { PEER_LINK_MAX_QUEUED } from '../constants.js';
import { OrgSyncUnavailableError, OrgSyncProtocolError } from '../errors.js';
import { NAME_PATTERN } from '@fortros/workload-spec';
import { YSyncSession, type YSyncAction } from '../org/y-sync-session.js';
import type { ReplicationCounters } from './replication-counters.js';
import { initialLife, LinkActionType, LinkEventType, LinkState, step, type LinkAction, type LinkEvent, type LinkLife } from './peer-link-lifecycle.js';

/*
 * A link carries SyncMessage{from, payload, resync}. Each side's first message is a hello naming its node id
 * (an outbound link sends it with its first step1; an inbound link answers with its own hello + step1 once it knows
 * who is calling). Every payload goes through the link's YSyncSession; a session's rejections are counted as
 * malformed and the link carries on. A step1 flagged `resync` (anti-entropy) is answered with step2 and then our
 * own step1, so one round repairs both sides. Sends are chained; more than PEER_LINK_MAX_QUEUED waiting resets the
 * link (anti-entropy repairs whatever it carried). Whether the link is open, whom it is with and how it ended is its
 * lifecycle (peer-link-lifecycle.ts): every change goes through `step`, and this class only performs the actions.
 */

export type LinkDirection = 'outbound' | 'inbound';

/** The stream under a link. */
export interface LinkTransport {
  send(message: MaintainerV1.SyncMessage): Promise<void>;
  /** Ends the stream from this side (cancels an outbound call; ends an inbound handler). */
  close(): void;
}

export interface PeerLinkOptions {
  doc: Y.Doc;
  selfId: string;
  direction: LinkDirection;
  /** Known for outbound links (whom we dialled); learnt from the hello for inbound ones. */
  peerId?: string;
  transport: LinkTransport;
  counters: ReplicationCounters;
  log: Logger;
  now: () => number;
  /** The first step2 from this peer was applied. */
  onSynced: (link: PeerLink) => void;
  /** Inbound: the hello arrived, the peer is now known. */
  onHello: (link: PeerLink) => void;
  /** The link is closed (its `outcome` is set). */
  onEnded: (link: PeerLink) => void;
}

const STEP1_TYPE = 0;

export class PeerLink {
  readonly direction: LinkDirection;
  lastActivity: number;
  private life: LinkLife;
  private session: YSyncSession | undefined;
  private queued = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: PeerLinkOptions) {
    this.direction = o.direction;
    this.life = initialLife(o.peerId);
    this.lastActivity = o.now();
    if (o.peerId !== undefined) this.session = this.newSession(o.peerId);
  }

  get peerId(): string | undefined {
    return this.life.peer;
  }

  get state(): LinkState {
    return this.life.state;
  }

  /** How the link ended; undefined while it is open. */
  get outcome(): LinkLife['outcome'] {
    return this.life.outcome;
  }

  get isOpen(): boolean {
    return this.life.state !== LinkState.closed;
  }

  /** Outbound: say hello with our state vector. */
  start(): void {
    if (this.life.state !== LinkState.dialling || !this.session) return;
    this.perform(this.session.start(), false);
  }

  /** Pushes one doc update (nothing when it came from this peer). */
  forward(update: Uint8Array, origin: unknown): void {
    if (!this.session || !this.isOpen) return;
    this.perform(this.session.forward(update, origin), false);
  }

  /** Anti-entropy: our state vector, asking for the peer's in return. */
  resync(): void {
    if (!this.session || !this.isOpen) return;
    this.perform(this.session.resync(), true);
  }

  /** Handles every message of the stream until it ends; returns normally, never throws. */
  async run(messages: AsyncIterable<MaintainerV1.SyncMessage__Output>): Promise<void> {
    try {
      for await (const m of messages) {
        if (!this.isOpen) break;
        this.handle(m);
      }
      this.apply({ type: LinkEventType.streamEnded });
    } catch (err) {
      const error = (err as Error).message;
      this.apply(err instanceof OrgSyncUnavailableError ? { type: LinkEventType.peerWentAway, error } : { type: LinkEventType.streamFailed, error });
    }
  }

  close(): void {
    this.apply({ type: LinkEventType.close });
  }

  /** Inbound, still awaiting its hello: the caller took too long to name itself. */
  helloTimedOut(afterMs: number): void {
    this.apply({ type: LinkEventType.helloTimeout, error: `no hello within ${afterMs} ms` });
  }

  /** Feeds one event to the lifecycle and performs what it says. */
  private apply(event: LinkEvent): void {
    const { life, actions } = step(this.life, event);
    this.life = life;
    for (const a of actions) this.act(a);
  }

  private act(a: LinkAction): void {
    switch (a.type) {
      case LinkActionType.greet:
        this.session = this.newSession(a.peer);
        this.o.onHello(this);
        this.perform(this.session.start(), false);
        return;
      case LinkActionType.countFailure:
        this.o.counters.linksFailed++;
        return;
      case LinkActionType.logEnd:
        this.o.log.debug(a.message, { peer: this.life.peer, direction: this.direction, err: a.error });
        return;
      case LinkActionType.closeStream:
        this.o.transport.close();
        return;
      case LinkActionType.ended:
        this.o.onEnded(this);
        return;
      default:
        assertNever(a);
    }
  }

  private handle(m: MaintainerV1.SyncMessage__Output): void {
    this.lastActivity = this.o.now();
    this.o.counters.messagesIn++;
    if (this.life.state === LinkState.awaitingHello) {
      if (typeof m.from !== 'string' || !NAME_PATTERN.test(m.from) || m.from === this.o.selfId) {
        this.o.counters.malformed++;
        throw new OrgSyncProtocolError(`sync: expected a hello naming the sender's node id, got ${JSON.stringify(String(m.from).slice(0, 64))}`);
      }
      this.apply({ type: LinkEventType.hello, peer: m.from });
    } else if (m.from !== '' && m.from !== this.life.peer) {
      this.o.counters.malformed++;
      return;
    } else {
      this.apply({ type: LinkEventType.message });
    }
    if (!this.isOpen || !this.session) return;
    const payload = m.payload ?? Buffer.alloc(0);
    if (payload.length === 0) return;
    const actions = this.session.receive(payload);
    this.perform(actions, false);
    if (m.resync && payload[0] === STEP1_TYPE && actions.some((a) => a.kind === 'send')) this.perform(this.session.resync(), false);
  }

  private perform(actions: YSyncAction[], resync: boolean): void {
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
    if (!this.isOpen) return;
    if (this.queued >= PEER_LINK_MAX_QUEUED) {
      this.o.log.warn('sync link: peer not keeping up; link reset', { peer: this.life.peer, queued: this.queued });
      this.apply({ type: LinkEventType.reset });
      return;
    }
    this.queued++;
    this.o.counters.messagesOut++;
    this.lastActivity = this.o.now();
    this.chain = this.chain
      .then(() => (this.isOpen ? this.o.transport.send(message) : undefined))
      .catch(() => this.close())
      .finally(() => this.queued--);
  }

  private newSession(peer: string): YSyncSession {
    return new YSyncSession({ doc: this.o.doc, peer, log: this.o.log });
  }
}
