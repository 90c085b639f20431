// The y-sync session: sans-IO core of y-protocols' sync protocol with one peer, plus push/anti-entropy peer planning.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Logger } from '@fortros/log';
import { YSYNC_MAX_MESSAGE_BYTES } from '../constants.js';
import { type PeerOrigin, peerOrigin } from './org-doc.js';

/*
 * Wire: each message is one y-protocols sync message, `varUint type ‖ varUint8Array payload`, nothing after:
 *   0 step1  payload = the sender's state vector; the receiver answers with step2
 *   1 step2  payload = the update the step1 sender is missing
 *   2 update payload = a live update
 * On connect both sides send step1 (so each learns what it lacks); the first step2 received marks the session
 * synced. Anti-entropy re-sends step1. Encoding uses y-protocols' writers; decoding is done here, strictly (whole
 * buffer consumed, payload parsed by yjs before it touches the doc), and the update is applied with the peer's
 * origin, so a malformed message is dropped and counted and nothing is thrown and nothing is printed.
 */

export type YSyncMessageType = 'step1' | 'step2' | 'update';
const TYPE_NAMES: Record<number, YSyncMessageType> = {
  [syncProtocol.messageYjsSyncStep1]: 'step1',
  [syncProtocol.messageYjsSyncStep2]: 'step2',
  [syncProtocol.messageYjsUpdate]: 'update',
};

export type YSyncRejectReason = 'oversize' | 'malformed' | 'apply-failed' | 'send-oversize';

/** What the shell must do (send) or may want to know (applied, synced, rejected) after a call. */
export type YSyncAction =
  | { kind: 'send'; message: Uint8Array }
  | { kind: 'applied'; type: 'step2' | 'update'; bytes: number }
  | { kind: 'synced' }
  | { kind: 'rejected'; reason: YSyncRejectReason; detail: string };

export interface YSyncStats {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  updatesApplied: number;
  oversize: number;
  malformed: number;
  applyFailed: number;
  sendOversize: number;
}

export interface YSyncSessionOptions {
  doc: Y.Doc;
  /** The remote peer's node id; remote updates are applied with origin `{ peer }`. */
  peer: string;
  maxMessageBytes?: number;
  log?: Logger;
}

export class YSyncSession {
  readonly peer: string;
  /** Transaction origin of every update this session applies. */
  readonly origin: PeerOrigin;
  private readonly doc: Y.Doc;
  private readonly maxMessageBytes: number;
  private readonly log: Logger | undefined;
  private isSynced = false;
  private readonly counters: YSyncStats = {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    updatesApplied: 0,
    oversize: 0,
    malformed: 0,
    applyFailed: 0,
    sendOversize: 0,
  };

  constructor(options: YSyncSessionOptions) {
    this.doc = options.doc;
    this.peer = options.peer;
    this.origin = peerOrigin(options.peer);
    this.maxMessageBytes = options.maxMessageBytes ?? YSYNC_MAX_MESSAGE_BYTES;
    this.log = options.log;
  }

  /** True once a step2 from the peer has been applied (initial sync complete). */
  get synced(): boolean {
    return this.isSynced;
  }

  /** On connect: send our state vector. */
  start(): YSyncAction[] {
    return this.stateVector();
  }

  /** Anti-entropy round: send our state vector again; the peer answers with whatever we lack. */
  resync(): YSyncAction[] {
    return this.stateVector();
  }

  /** A live update of our doc to pass on; nothing when it came from this very peer. */
  forward(update: Uint8Array, origin: unknown): YSyncAction[] {
    if (typeof origin === 'object' && origin !== null && (origin as Partial<PeerOrigin>).peer === this.peer) return [];
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    return this.send(encoder);
  }

  /** One message from the peer. Never throws: bad input becomes a 'rejected' action and a counter. */
  receive(bytes: Uint8Array): YSyncAction[] {
    this.counters.messagesIn++;
    this.counters.bytesIn += bytes.length;
    if (bytes.length > this.maxMessageBytes) {
      this.counters.oversize++;
      return [this.reject('oversize', `${bytes.length} bytes, limit ${this.maxMessageBytes}`)];
    }
    let type: YSyncMessageType;
    let payload: Uint8Array;
    try {
      const decoder = decoding.createDecoder(bytes);
      const name = TYPE_NAMES[decoding.readVarUint(decoder)];
      if (name === undefined) throw new Error('unknown message type');
      type = name;
      payload = decoding.readVarUint8Array(decoder);
      if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the payload');
      if (type === 'step1') Y.decodeStateVector(payload);
      else Y.decodeUpdate(payload);
    } catch (err) {
      this.counters.malformed++;
      return [this.reject('malformed', (err as Error).message)];
    }
    if (type === 'step1') {
      const encoder = encoding.createEncoder();
      try {
        syncProtocol.writeSyncStep2(encoder, this.doc, payload);
      } catch (err) {
        this.counters.malformed++;
        return [this.reject('malformed', (err as Error).message)];
      }
      return this.send(encoder);
    }
    try {
      Y.applyUpdate(this.doc, payload, this.origin);
    } catch (err) {
      this.counters.applyFailed++;
      return [this.reject('apply-failed', (err as Error).message)];
    }
    this.counters.updatesApplied++;
    const actions: YSyncAction[] = [{ kind: 'applied', type, bytes: payload.length }];
    if (type === 'step2' && !this.isSynced) {
      this.isSynced = true;
      actions.push({ kind: 'synced' });
    }
    return actions;
  }

  stats(): YSyncStats {
    return { ...this.counters };
  }

  private stateVector(): YSyncAction[] {
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    return this.send(encoder);
  }

  private send(encoder: encoding.Encoder): YSyncAction[] {
    const message = encoding.toUint8Array(encoder);
    if (message.length > this.maxMessageBytes) {
      this.counters.sendOversize++;
      return [this.reject('send-oversize', `${message.length} bytes, limit ${this.maxMessageBytes}`)];
    }
    this.counters.messagesOut++;
    this.counters.bytesOut += message.length;
    return [{ kind: 'send', message }];
  }

  private reject(reason: YSyncRejectReason, detail: string): YSyncAction {
    this.log?.debug('sync: message dropped', { peer: this.peer, reason, detail });
    return { kind: 'rejected', reason, detail };
  }
}

export interface PushPlan {
  /** Peers to push a new update to (at most `fanout`, distinct, random). */
  push: string[];
  /** The peer for the next anti-entropy round, or null when there are none. */
  antiEntropy: string | null;
}

/**
 * Chooses `fanout` distinct random peers to push to and one random peer for anti-entropy. Pure: `rng` returns
 * numbers in [0, 1). Callers leave out the update's originating peer and this node.
 */
export function planPush(peers: readonly string[], fanout: number, rng: () => number): PushPlan {
  const pool = [...new Set(peers)];
  if (pool.length === 0) return { push: [], antiEntropy: null };
  const k = Math.min(pool.length, Math.max(0, Math.floor(fanout)));
  for (let i = 0; i < k; i++) {
    const j = i + pick(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  const push = pool.slice(0, k);
  return { push, antiEntropy: pool[pick(rng, pool.length)] ?? null };
}

/** An index in [0, n) from rng, robust to rng returning exactly 1 or garbage. */
function pick(rng: () => number, n: number): number {
  const r = rng();
  const i = Math.floor((Number.isFinite(r) ? r : 0) * n);
  return Math.min(n - 1, Math.max(0, i));
}
