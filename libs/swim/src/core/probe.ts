// Failure detection: direct probes, indirect probes through k relays (ping-req), nacks, and the local health multiplier.
import type { AckMessage, NackMessage, PingMessage, PingReqMessage } from '../codec/messages.js';
import { MAX_PENDING_RELAYS } from '../constants.js';
import { sample } from './random.js';
import { applySuspect } from './membership.js';
import { startSync } from './sync.js';
import type { SwimState } from './state.js';

/** Starts the next probe round: ping the next member of the shuffled round-robin order. */
export function startProbe(s: SwimState): void {
  const interval = s.cfg.probeIntervalMs * s.lhm;
  s.nextProbeAt = s.now + interval;
  if (s.leaving) return;
  const target = s.nextProbeTarget();
  if (!target) return;
  const seq = s.nextSeq();
  s.stats.probes++;
  s.probe = {
    seq,
    targetId: target.id,
    targetAddress: target.address,
    startedAt: s.now,
    ackDeadline: s.now + s.cfg.probeTimeoutMs * s.lhm,
    indirectAt: undefined,
    endAt: s.now + interval,
    expectedNacks: 0,
    nacks: 0,
  };
  // Lifeguard's buddy system: a suspect hears about its suspicion first, on the probe itself.
  s.send(target.address, { type: 'ping', seq, from: s.self.id, target: target.id, updates: [] }, target.state === 'suspect' ? target.id : undefined);
}

/** Advances the pending probe: ack timeout → ping-req through k relays; end of round → suspect and adjust health. */
export function advanceProbe(s: SwimState): void {
  const p = s.probe;
  if (!p) return;
  if (p.indirectAt === undefined && s.now >= p.ackDeadline) {
    p.indirectAt = s.now;
    // The indirect phase gets at least one (scaled) probe timeout, even when this node was paused past the round end.
    p.endAt = Math.max(p.endAt, s.now + s.cfg.probeTimeoutMs * s.lhm);
    s.nextProbeAt = Math.max(s.nextProbeAt, p.endAt);
    const relays = sample(s.random, s.others(), s.cfg.indirectChecks, (m) => m.id !== p.targetId && m.state === 'alive');
    p.expectedNacks = relays.length;
    for (const relay of relays) {
      s.send(relay.address, { type: 'ping-req', seq: p.seq, from: s.self.id, target: p.targetId, targetAddress: p.targetAddress, updates: [] });
    }
    return;
  }
  if (p.indirectAt !== undefined && s.now >= p.endAt) {
    s.probe = undefined;
    s.stats.probeFailures++;
    // Missing nacks mean our own links are the trouble (Lifeguard); with no relays, every failure counts once.
    s.adjustAwareness(p.expectedNacks > 0 ? Math.max(0, p.expectedNacks - p.nacks) : 1);
    const m = s.members.get(p.targetId);
    if (m && (m.state === 'alive' || m.state === 'suspect')) applySuspect(s, m.id, m.incarnation, s.self.id);
  }
}

export function onPing(s: SwimState, from: string, msg: PingMessage): void {
  if (msg.target !== s.self.id) {
    s.stats.ignored++;
    return;
  }
  s.send(from, { type: 'ack', seq: msg.seq, from: s.self.id, updates: [] });
  // A member we hold dead is talking to us: exchange full state so one side refutes and both reconnect.
  const sender = s.members.get(msg.from);
  if (sender && sender.state === 'dead') startSync(s, from, false);
}

export function onPingReq(s: SwimState, from: string, msg: PingReqMessage): void {
  if (s.relays.size >= MAX_PENDING_RELAYS) {
    s.stats.ignored++;
    return;
  }
  const seq = s.nextSeq();
  s.relays.set(seq, { originAddress: from, originSeq: msg.seq, deadline: s.now + s.cfg.probeTimeoutMs * s.lhm });
  s.send(msg.targetAddress, { type: 'ping', seq, from: s.self.id, target: msg.target, updates: [] });
}

export function onAck(s: SwimState, msg: AckMessage): void {
  const p = s.probe;
  if (p && msg.seq === p.seq) {
    s.probe = undefined;
    s.adjustAwareness(-1);
    s.nextProbeAt = Math.max(s.now, p.startedAt + s.cfg.probeIntervalMs * s.lhm);
    return;
  }
  const relay = s.relays.get(msg.seq);
  if (relay) {
    s.relays.delete(msg.seq);
    s.send(relay.originAddress, { type: 'ack', seq: relay.originSeq, from: s.self.id, updates: [] });
    return;
  }
  const rc = s.reconnects.get(msg.seq);
  if (rc) {
    s.reconnects.delete(msg.seq);
    startSync(s, rc.address, false);
    return;
  }
  s.stats.ignored++;
}

export function onNack(s: SwimState, msg: NackMessage): void {
  const p = s.probe;
  if (p && msg.seq === p.seq && p.indirectAt !== undefined) p.nacks++;
  else s.stats.ignored++;
}

/** Relays whose target stayed silent tell the origin so (nack), which tells it its own links are fine. */
export function expireRelays(s: SwimState): void {
  for (const [seq, r] of s.relays) {
    if (r.deadline > s.now) continue;
    s.relays.delete(seq);
    s.send(r.originAddress, { type: 'nack', seq: r.originSeq, from: s.self.id, updates: [] });
  }
  for (const [seq, r] of s.reconnects) if (r.deadline <= s.now) s.reconnects.delete(seq);
}

/** Pings one random dead member now and then; if it answers, a sync reconnects the two sides (partition heal). */
export function reconnect(s: SwimState): void {
  s.nextReconnectAt = s.now + s.cfg.reconnectIntervalMs;
  if (s.leaving || s.cfg.reconnectIntervalMs === 0 || s.reconnects.size >= 16) return;
  const [target] = sample(s.random, s.others((st) => st === 'dead'), 1, () => true);
  if (!target) return;
  const seq = s.nextSeq();
  s.reconnects.set(seq, { id: target.id, address: target.address, deadline: s.now + s.cfg.probeIntervalMs });
  s.send(target.address, { type: 'ping', seq, from: s.self.id, target: target.id, updates: [] });
}
