// SwimNode: the sans-IO SWIM + Lifeguard core. step(input, now) → packets to send, events, next deadline.
import { decode } from '../codec/codec.js';
import type { Message } from '../codec/messages.js';
import * as C from '../constants.js';
import { checkMeta, checkString, normaliseSwimOptions } from '../options.js';
import type { SwimConfig, SwimOptions } from '../options.js';
import { SwimOptionsError } from '../errors.js';
import type { Member, MemberMeta, Random, SwimInput, SwimOutput, SwimStats } from '../types.js';
import { applyUpdate, correctStale, expireSuspicions, reap, refuteLater } from './membership.js';
import { advanceProbe, expireRelays, onAck, onNack, onPing, onPingReq, reconnect, startProbe } from './probe.js';
import { SwimState } from './state.js';
import { followupSync, gossip, join, onSync, pushPull, retryJoin } from './sync.js';

export interface SwimNodeInit {
  /** Stable node id (derived from the node's public key by the maintainer). */
  id: string;
  name?: string;
  /** `host:port` where this node receives gossip. */
  address: string;
  meta?: MemberMeta;
  /** Starting incarnation: a restarted node passes one higher than any it used before (SwimRunner's saved bound + 1). */
  incarnation?: number;
  /** Seeded randomness (seededRandom(seed) in tests and the simulator). */
  random: Random;
  options?: SwimOptions;
}

/** Time between two reaps of dead members, in ms. */
const REAP_EVERY_MS = 1_000;

export class SwimNode {
  readonly config: SwimConfig;
  private readonly s: SwimState;

  constructor(init: SwimNodeInit, now: number) {
    this.config = normaliseSwimOptions(init.options);
    const id = checkString('swim node id', init.id, C.MAX_ID_BYTES);
    const incarnation = init.incarnation ?? 0;
    if (!Number.isInteger(incarnation) || incarnation < 0 || incarnation > C.MAX_INCARNATION) {
      throw new SwimOptionsError(`swim node incarnation: expected an integer in [0, ${C.MAX_INCARNATION}], got ${JSON.stringify(init.incarnation)}`);
    }
    this.s = new SwimState(
      this.config,
      init.random,
      {
        id,
        name: checkString('swim node name', init.name ?? id, C.MAX_NAME_BYTES),
        address: checkString('swim node address', init.address, C.MAX_ADDRESS_BYTES),
        meta: checkMeta('swim node meta', init.meta ?? {}),
        incarnation,
      },
      now,
    );
    this.s.nextProbeAt = now + Math.floor(init.random.next() * this.config.probeIntervalMs);
    this.s.nextGossipAt = now + this.config.gossipIntervalMs;
    this.s.nextReconnectAt = now + this.config.reconnectIntervalMs;
    this.s.nextReapAt = now + REAP_EVERY_MS;
    if (this.config.pushPullIntervalMs > 0) this.s.nextPushPullAt = now + init.random.next() * this.config.pushPullIntervalMs;
  }

  /** The one entry point: feed an input at time `now`, get what to send and publish. */
  step(input: SwimInput, now: number): SwimOutput {
    const s = this.s;
    s.now = Math.max(s.now, now);
    s.sends = [];
    s.events = [];
    switch (input.type) {
      case 'packet':
        this.receive(input.from, input.data);
        break;
      case 'join':
        join(s, input.seeds);
        break;
      case 'leave':
        this.leave();
        break;
      case 'meta':
        s.self.meta = checkMeta('swim node meta', input.meta);
        this.bumpSelf();
        break;
      case 'tick':
        break;
    }
    this.runTimers();
    return { sends: s.sends, events: s.events, nextDeadline: this.nextDeadline() };
  }

  get id(): string {
    return this.s.self.id;
  }
  get incarnation(): number {
    return this.s.self.incarnation;
  }
  get localHealth(): number {
    return this.s.lhm;
  }
  get stats(): Readonly<SwimStats> {
    return this.s.stats;
  }
  get joined(): boolean {
    return this.s.joined;
  }
  get leaving(): boolean {
    return this.s.leaving;
  }
  /** Updates still waiting to be piggybacked (a leaving node stops once this drains). */
  get pendingBroadcasts(): number {
    return this.s.broadcasts.size;
  }
  /** Every known member including this node, as snapshots. */
  members(): Member[] {
    return [...this.s.members.values()].map((m) => this.s.snapshot(m));
  }
  member(id: string): Member | undefined {
    const m = this.s.members.get(id);
    return m && this.s.snapshot(m);
  }
  /** Number of alive and suspect members including this node. */
  get liveCount(): number {
    return this.s.liveCount;
  }

  private receive(from: string, data: Uint8Array): void {
    const s = this.s;
    s.stats.packetsIn++;
    s.stats.bytesIn += data.length;
    const result = decode(data, this.config.maxPacketBytes);
    if (!result.ok) {
      s.stats.malformed[result.reason] = (s.stats.malformed[result.reason] ?? 0) + 1;
      return;
    }
    this.dispatch(from, result.message);
  }

  private dispatch(from: string, msg: Message): void {
    const s = this.s;
    if (msg.type !== 'sync') {
      for (const u of msg.updates) applyUpdate(s, u);
      correctStale(s, from, msg.updates);
    }
    switch (msg.type) {
      case 'ping':
        return onPing(s, from, msg);
      case 'ack':
        return onAck(s, msg);
      case 'ping-req':
        return onPingReq(s, from, msg);
      case 'nack':
        return onNack(s, msg);
      case 'gossip':
        return;
      case 'sync':
        return onSync(s, from, msg);
    }
  }

  private leave(): void {
    const s = this.s;
    if (s.leaving) return;
    s.self.incarnation = Math.min(C.MAX_INCARNATION, s.self.incarnation + 1);
    s.self.state = 'left';
    s.leaving = true;
    s.probe = undefined;
    s.broadcast({ kind: 'left', id: s.self.id, incarnation: s.self.incarnation });
    s.events.push({ type: 'self:incarnation', incarnation: s.self.incarnation, at: s.now });
  }

  private bumpSelf(): void {
    const s = this.s;
    if (s.leaving) return;
    if (s.self.incarnation >= C.MAX_INCARNATION) s.stats.incarnationCeiling++;
    s.self.incarnation = Math.min(C.MAX_INCARNATION, s.self.incarnation + 1);
    s.broadcast(s.aliveUpdate(s.self));
    s.events.push({ type: 'self:incarnation', incarnation: s.self.incarnation, at: s.now });
  }

  /** Fires every due timer in a fixed order: refutation, probe, relays, suspicions, new probe, gossip, sync, reconnect, reap. */
  private runTimers(): void {
    const s = this.s;
    refuteLater(s);
    advanceProbe(s);
    expireRelays(s);
    expireSuspicions(s);
    // A round still open (its indirect phase stretched past the interval) pushes the next one back.
    if (s.now >= s.nextProbeAt && !s.probe) startProbe(s);
    if (s.now >= s.nextGossipAt) gossip(s);
    if (s.now >= s.joinRetryAt) retryJoin(s);
    if (s.now >= s.followupSyncAt) followupSync(s);
    if (s.now >= s.nextPushPullAt) pushPull(s);
    if (s.now >= s.nextReconnectAt) reconnect(s);
    if (s.now >= s.nextReapAt) {
      s.nextReapAt = s.now + REAP_EVERY_MS;
      reap(s);
    }
  }

  /** The earliest time step({ type: 'tick' }) has work to do. */
  nextDeadline(): number {
    const s = this.s;
    let t = Math.min(s.nextProbeAt, s.nextGossipAt, s.nextPushPullAt, s.nextReconnectAt, s.nextReapAt, s.joinRetryAt, s.followupSyncAt);
    const p = s.probe;
    if (p) t = Math.min(t, p.indirectAt === undefined ? p.ackDeadline : p.endAt);
    for (const r of s.relays.values()) t = Math.min(t, r.deadline);
    for (const r of s.reconnects.values()) t = Math.min(t, r.deadline);
    for (const sus of s.suspicions.values()) t = Math.min(t, sus.deadline);
    if (s.pendingRefute !== undefined) t = Math.min(t, s.refuteAt);
    return Math.max(t, s.now);
  }
}
