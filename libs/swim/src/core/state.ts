// The mutable state of one SWIM node and the low-level verbs every rule uses (send, emit, broadcast, set state).
import { encodeWithPicker } from '../codec/codec.js';
import type { Message, Update } from '../codec/messages.js';
import type { SwimConfig } from '../options.js';
import type { Member, MemberEventType, MemberMeta, MemberState, Random, SendAction, SwimEvent, SwimStats } from '../types.js';
import { PROBE_JUMPS_PER_PASS } from '../constants.js';
import { BroadcastQueue } from './broadcast-queue.js';
import { randomInt, shuffle } from './random.js';
import type { Suspicion } from './suspicion.js';

/** The core's own mutable record of one member (the org document's MemberRecord is another thing, in the maintainer). */
export interface CoreMember {
  id: string;
  name: string;
  address: string;
  incarnation: number;
  state: MemberState;
  meta: MemberMeta;
  since: number;
}

export interface PendingProbe {
  readonly seq: number;
  readonly targetId: string;
  readonly targetAddress: string;
  readonly startedAt: number;
  readonly ackDeadline: number;
  /** Set when the ack timeout fired and ping-reqs went out. */
  indirectAt: number | undefined;
  endAt: number;
  expectedNacks: number;
  nacks: number;
}

export interface PendingRelay {
  readonly originAddress: string;
  readonly originSeq: number;
  readonly deadline: number;
}

const isLive = (s: MemberState): boolean => s === 'alive' || s === 'suspect';

export class SwimState {
  readonly members = new Map<string, CoreMember>();
  readonly suspicions = new Map<string, Suspicion>();
  readonly relays = new Map<number, PendingRelay>();
  /** Reconnect pings to dead members, by seq. */
  readonly reconnects = new Map<number, { id: string; address: string; deadline: number }>();
  /** Last time this node started a sync toward an address (rate limit). */
  readonly lastSyncTo = new Map<string, number>();
  readonly broadcasts: BroadcastQueue;
  readonly self: CoreMember;
  probeOrder: string[] = [];
  probeIndex = 0;
  probe: PendingProbe | undefined;
  /** Lifeguard's awareness score: 0 (healthy) .. lhmMax - 1. */
  awareness = 0;
  liveCount = 1;
  seq = 0;
  now = 0;
  leaving = false;
  joinSeeds: string[] = [];
  joined = false;
  nextProbeAt = 0;
  nextGossipAt = 0;
  nextPushPullAt = Infinity;
  nextReconnectAt = 0;
  nextReapAt = 0;
  joinRetryAt = Infinity;
  /** Unanswered join rounds so far (drives the retry backoff). */
  joinAttempts = 0;
  followupSyncAt = Infinity;
  /** Follow-up syncs done since the last join (at most JOIN_FOLLOWUP_SYNCS). */
  followupSyncsDone = 0;
  /** Live member count at the previous follow-up sync (or at the join): growth since then extends the follow-ups. */
  followupLiveCount = 0;
  /** Earliest time of the next refutation (REFUTE_MIN_GAP_MS apart). */
  refuteAt = 0;
  /** Highest incarnation heard about this node and not yet outbid (a refutation waiting for refuteAt). */
  pendingRefute: number | undefined;
  sends: SendAction[] = [];
  events: SwimEvent[] = [];
  readonly stats: SwimStats = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, malformed: {}, ignored: 0, probes: 0, probeFailures: 0, refutations: 0, implausible: 0, incarnationCeiling: 0 };

  constructor(
    readonly cfg: SwimConfig,
    readonly random: Random,
    self: Omit<CoreMember, 'state' | 'since'>,
    now: number,
  ) {
    this.broadcasts = new BroadcastQueue(cfg.maxMembers);
    this.self = { ...self, state: 'alive', since: now };
    this.members.set(self.id, this.self);
    this.now = now;
  }

  /** Multiplier applied to probe interval and timeout (Lifeguard's local health multiplier). */
  get lhm(): number {
    return this.awareness + 1;
  }

  adjustAwareness(delta: number): void {
    this.awareness = Math.min(this.cfg.lhmMax - 1, Math.max(0, this.awareness + delta));
  }

  nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    return this.seq;
  }

  /** How many times each update is sent: retransmitMult * ceil(log10(n + 1)). */
  get retransmitLimit(): number {
    return this.cfg.retransmitMult * Math.max(1, Math.ceil(Math.log10(this.liveCount + 1)));
  }

  /** Changes a member's state, keeping liveCount and the probe order in step. */
  setState(m: CoreMember, state: MemberState): void {
    if (m.state === state) return;
    const was = isLive(m.state) && m !== this.self;
    const is = isLive(state) && m !== this.self;
    m.state = state;
    m.since = this.now;
    this.liveCache = undefined;
    if (was && !is) this.liveCount--;
    if (!was && is) {
      this.liveCount++;
      this.insertProbeTarget(m.id);
    }
  }

  /** Adds a new member record (already validated and bounded by the caller). */
  addMember(m: CoreMember): void {
    this.members.set(m.id, m);
    this.liveCache = undefined;
    if (isLive(m.state)) {
      this.liveCount++;
      this.insertProbeTarget(m.id);
    }
  }

  forget(id: string): void {
    const m = this.members.get(id);
    if (!m || m === this.self) return;
    if (isLive(m.state)) this.liveCount--;
    this.members.delete(id);
    this.suspicions.delete(id);
    this.liveCache = undefined;
  }

  /** New members go to a random position of the probe order (memberlist), so they are probed soon but fairly. */
  private insertProbeTarget(id: string): void {
    if (this.probeOrder.indexOf(id, this.probeIndex) !== -1) return; // already due in this pass
    const at = this.probeIndex + randomInt(this.random, this.probeOrder.length - this.probeIndex + 1);
    this.probeOrder.splice(at, 0, id);
    this.boundProbeOrder();
  }

  /**
   * Makes `id` the next probe target (a fresh suspect is checked at once; it costs no extra probe, and its
   * confirmations shrink the suspicion timeout). Moved rather than duplicated, and at most PROBE_JUMPS_PER_PASS
   * times per member per pass, so a pass stays bounded and no member waits behind an endless stream of suspects.
   */
  probeNext(id: string): void {
    let done = 0;
    for (let i = 0; i < this.probeIndex; i++) if (this.probeOrder[i] === id) done++;
    if (done > PROBE_JUMPS_PER_PASS) return;
    const due = this.probeOrder.indexOf(id, this.probeIndex);
    if (due !== -1) this.probeOrder.splice(due, 1);
    this.probeOrder.splice(this.probeIndex, 0, id);
    this.boundProbeOrder();
  }

  /** Hard bound (STYLE §7): drop the part of the pass already probed when the order outgrows the membership. */
  private boundProbeOrder(): void {
    if (this.probeOrder.length <= (PROBE_JUMPS_PER_PASS + 2) * this.members.size + 16) return;
    this.probeOrder = this.probeOrder.slice(this.probeIndex);
    this.probeIndex = 0;
  }

  /** Next live member round-robin over a shuffled order; reshuffles at the end of each pass. */
  nextProbeTarget(): CoreMember | undefined {
    for (let pass = 0; pass < 2; pass++) {
      while (this.probeIndex < this.probeOrder.length) {
        const m = this.members.get(this.probeOrder[this.probeIndex++]!);
        if (m && m !== this.self && isLive(m.state)) return m;
      }
      const live: string[] = [];
      for (const m of this.members.values()) if (m !== this.self && isLive(m.state)) live.push(m.id);
      this.probeOrder = shuffle(this.random, live);
      this.probeIndex = 0;
    }
    return undefined;
  }

  private liveCache: CoreMember[] | undefined;

  /** Members other than self in the given states (the default, live members, is cached: do not mutate it). */
  others(states?: (s: MemberState) => boolean): readonly CoreMember[] {
    if (!states) return (this.liveCache ??= this.collect(isLive));
    return this.collect(states);
  }

  private collect(states: (s: MemberState) => boolean): CoreMember[] {
    const out: CoreMember[] = [];
    for (const m of this.members.values()) if (m !== this.self && states(m.state)) out.push(m);
    return out;
  }

  snapshot(m: CoreMember): Member {
    return { id: m.id, name: m.name, address: m.address, incarnation: m.incarnation, state: m.state, meta: m.meta, since: m.since };
  }

  emit(type: MemberEventType, m: CoreMember): void {
    if (m === this.self) return;
    this.events.push({ type, member: this.snapshot(m), at: this.now });
  }

  broadcast(u: Update): void {
    this.broadcasts.push(u);
  }

  aliveUpdate(m: CoreMember): Update {
    return { kind: 'alive', id: m.id, incarnation: m.incarnation, name: m.name, address: m.address, meta: m.meta };
  }

  /** Sends a message with as many piggybacked updates as fit; `first` is a member whose update goes first. */
  send(address: string, msg: Message, first?: string): void {
    const packet = encodeWithPicker(msg, (room) => (msg.type === 'sync' ? [] : this.broadcasts.take(this.cfg.maxPiggybackUpdates, room, this.retransmitLimit, first)), this.cfg.maxPacketBytes);
    this.sendRaw(address, packet);
  }

  sendRaw(address: string, packet: Uint8Array): void {
    this.stats.packetsOut++;
    this.stats.bytesOut += packet.length;
    this.sends.push({ address, packet });
  }
}
