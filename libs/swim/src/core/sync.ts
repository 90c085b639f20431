// Dissemination beyond probes: gossip rounds, join, full-state sync (push-pull) split over several packets.
import { doublingBackoffMs } from '@fortros/core';
import { encodeSyncChunks } from '../codec/codec.js';
import type { SyncMessage, SyncRecord } from '../codec/messages.js';
import { JOIN_FOLLOWUP_SYNCS, JOIN_FOLLOWUP_SYNCS_MAX, JOIN_RETRY_MAX_MS, SYNC_MIN_GAP_MS } from '../constants.js';
import { mergeRecord } from './membership.js';
import { sample } from './random.js';
import type { SwimState } from './state.js';

/** Sends queued updates to a few random live members; silent when nothing is queued. */
export function gossip(s: SwimState): void {
  s.nextGossipAt = s.now + s.cfg.gossipIntervalMs;
  if (s.broadcasts.size === 0) return;
  const targets = sample(s.random, s.others(), s.cfg.gossipFanout, () => true);
  for (const t of targets) {
    if (s.broadcasts.size === 0) break;
    s.send(t.address, { type: 'gossip', from: s.self.id, updates: [] });
  }
}

function records(s: SwimState): SyncRecord[] {
  const out: SyncRecord[] = [];
  for (const m of s.members.values()) {
    out.push({ id: m.id, incarnation: m.incarnation, name: m.name, address: m.address, meta: m.meta, state: m.state });
  }
  return out;
}

function sendState(s: SwimState, address: string, reply: boolean, join: boolean): void {
  const chunks = encodeSyncChunks({ from: s.self.id, reply, join }, records(s), s.cfg.maxPacketBytes);
  for (const packet of chunks) s.sendRaw(address, packet);
}

/** Pushes this node's full state to `address`, which answers with its own (rate-limited per address). */
export function startSync(s: SwimState, address: string, join: boolean): void {
  const last = s.lastSyncTo.get(address);
  if (!join && last !== undefined && s.now - last < SYNC_MIN_GAP_MS) return;
  if (s.lastSyncTo.size >= s.cfg.maxMembers) s.lastSyncTo.clear();
  s.lastSyncTo.set(address, s.now);
  sendState(s, address, false, join);
}

/** Join: push-pull with every seed; retried until one answers. */
export function join(s: SwimState, seeds: readonly string[]): void {
  s.joinSeeds = seeds.filter((a) => a !== s.self.address);
  s.joined = s.joinSeeds.length === 0;
  s.joinAttempts = 0;
  retryJoin(s);
}

export function retryJoin(s: SwimState): void {
  if (s.joined || s.leaving) {
    s.joinRetryAt = Infinity;
    return;
  }
  for (const seed of s.joinSeeds) startSync(s, seed, true);
  // Backoff: joinRetryMs, doubling per unanswered round up to JOIN_RETRY_MAX_MS, jittered ±25% so nodes
  // started together do not retry in lockstep.
  const delay = doublingBackoffMs(s.joinAttempts + 1, s.cfg.joinRetryMs, JOIN_RETRY_MAX_MS);
  s.joinAttempts = Math.min(s.joinAttempts + 1, 30);
  s.joinRetryAt = s.now + delay * (0.75 + 0.5 * s.random.next());
}

/** Periodic anti-entropy with one random live member; the interval grows with log2 of the cluster past 32 members. */
export function pushPull(s: SwimState): void {
  const scale = s.liveCount > 32 ? Math.ceil(Math.log2(s.liveCount) - Math.log2(32)) + 1 : 1;
  // Jittered (0.5x..1.5x) so a cluster started at once does not sync in lockstep.
  s.nextPushPullAt = s.cfg.pushPullIntervalMs === 0 ? Infinity : s.now + s.cfg.pushPullIntervalMs * scale * (0.5 + s.random.next());
  if (s.leaving) return;
  const [t] = sample(s.random, s.others(), 1, (m) => m.state === 'alive');
  if (t) startSync(s, t.address, false);
}

/**
 * One of the follow-up full-state syncs after a join, each with a random alive member, about joinFollowupSyncMs apart
 * (jittered ±25%): members that joined at the same time learn each other in bulk, the missing share shrinking about
 * quadratically per round, instead of one piggybacked update at a time. At least JOIN_FOLLOWUP_SYNCS; more while the
 * live count keeps growing between two of them (others still joining), up to JOIN_FOLLOWUP_SYNCS_MAX.
 */
export function followupSync(s: SwimState): void {
  s.followupSyncsDone++;
  const growing = s.liveCount > s.followupLiveCount;
  s.followupLiveCount = s.liveCount;
  const more = s.followupSyncsDone < JOIN_FOLLOWUP_SYNCS || (growing && s.followupSyncsDone < JOIN_FOLLOWUP_SYNCS_MAX);
  s.followupSyncAt = more ? s.now + s.cfg.joinFollowupSyncMs * (0.75 + 0.5 * s.random.next()) : Infinity;
  const [t] = sample(s.random, s.others(), 1, (m) => m.state === 'alive');
  if (t) startSync(s, t.address, false);
}

export function onSync(s: SwimState, from: string, msg: SyncMessage): void {
  for (const r of msg.members) mergeRecord(s, r, msg.from);
  if (msg.reply) {
    if (!s.joined) {
      s.joined = true;
      s.joinRetryAt = Infinity;
      s.followupSyncsDone = 0;
      s.followupLiveCount = s.liveCount;
      if (s.cfg.joinFollowupSyncMs > 0) s.followupSyncAt = s.now + s.cfg.joinFollowupSyncMs;
    }
    return;
  }
  // Answer once per request (on its first chunk), after merging, so any refutation travels in the answer.
  if (msg.chunk === 0) sendState(s, from, true, false);
}
