// Membership rules: how alive, suspect, dead and left updates (gossiped or synced) change the table.
import { encodeUpdate, encodeWithParts } from '../codec/codec.js';
import type { SyncRecord, Update } from '../codec/messages.js';
import { MAX_INCARNATION, MAX_INCARNATION_STEP, REFUTE_MIN_GAP_MS } from '../constants.js';
import type { MemberMeta } from '../types.js';
import { suspicionBounds, Suspicion } from './suspicion.js';
import type { CoreMember, SwimState } from './state.js';

const sameMeta = (a: MemberMeta, b: MemberMeta): boolean => {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
};

/**
 * This node heard an incarnation about itself it must outbid: bump to one above it (never past MAX_INCARNATION) and
 * gossip alive. At most one refutation per REFUTE_MIN_GAP_MS: rumours heard in between wait and are outbid together.
 */
export function refute(s: SwimState, heard: number): void {
  if (s.self.incarnation >= MAX_INCARNATION) {
    s.stats.incarnationCeiling++;
    return;
  }
  if (s.now < s.refuteAt) {
    s.pendingRefute = Math.max(s.pendingRefute ?? heard, heard);
    return;
  }
  s.pendingRefute = undefined;
  s.refuteAt = s.now + REFUTE_MIN_GAP_MS;
  s.self.incarnation = Math.min(MAX_INCARNATION, Math.max(s.self.incarnation, heard) + 1);
  s.stats.refutations++;
  s.adjustAwareness(1);
  s.broadcast(s.aliveUpdate(s.self));
  s.events.push({ type: 'self:incarnation', incarnation: s.self.incarnation, at: s.now });
}

/** A refutation that waited for its gap (still needed only if nothing raised the incarnation past it meanwhile). */
export function refuteLater(s: SwimState): void {
  const heard = s.pendingRefute;
  if (heard === undefined || s.now < s.refuteAt) return;
  s.pendingRefute = undefined;
  if (!s.leaving && heard >= s.self.incarnation) refute(s, heard);
}

/**
 * Whether an incarnation heard about `id` is believable: never above MAX_INCARNATION, and for a member already known
 * (this node included) at most MAX_INCARNATION_STEP ahead of the one held. Anything else is ignored and counted.
 */
function plausible(s: SwimState, id: string, incarnation: number): boolean {
  const known = s.members.get(id);
  if (incarnation <= MAX_INCARNATION && (!known || incarnation - known.incarnation <= MAX_INCARNATION_STEP)) return true;
  s.stats.implausible++;
  return false;
}

export function applyUpdate(s: SwimState, u: Update): void {
  if (!plausible(s, u.id, u.incarnation)) return;
  switch (u.kind) {
    case 'alive':
      return applyAlive(s, u.id, u.incarnation, u.name, u.address, u.meta);
    case 'suspect':
      return applySuspect(s, u.id, u.incarnation, u.from);
    case 'dead':
      return applyDead(s, u.id, u.incarnation, u.from);
    case 'left':
      return applyLeft(s, u.id, u.incarnation);
  }
}

/**
 * Full-state merge (memberlist's mergeState): dead is merged as suspect so the member gets a chance to refute. A member
 * first learned here is not queued for gossip unless it is the sync's sender (`from`) itself: the sender holds it too
 * and full-state syncs carry it in bulk, so re-gossiping every record of a sync would only flood the piggyback queues.
 */
export function mergeRecord(s: SwimState, r: SyncRecord, from: string): void {
  if (!plausible(s, r.id, r.incarnation)) return;
  switch (r.state) {
    case 'alive':
      return applyAlive(s, r.id, r.incarnation, r.name, r.address, r.meta, r.id !== from);
    case 'suspect':
    case 'dead':
      if (!s.members.has(r.id)) return;
      return applySuspect(s, r.id, r.incarnation, from);
    case 'left':
      return applyLeft(s, r.id, r.incarnation);
  }
}

/** Makes room for one more member by forgetting the oldest dead or left one; false when the table is full of live ones. */
function makeRoom(s: SwimState): boolean {
  if (s.members.size < s.cfg.maxMembers) return true;
  let oldest: CoreMember | undefined;
  for (const m of s.members.values()) if ((m.state === 'dead' || m.state === 'left') && (!oldest || m.since < oldest.since)) oldest = m;
  if (!oldest) return false;
  s.forget(oldest.id);
  return true;
}

export function applyAlive(s: SwimState, id: string, incarnation: number, name: string, address: string, meta: MemberMeta, quietIfNew = false): void {
  if (id === s.self.id) {
    if (s.leaving) return;
    const conflict = incarnation === s.self.incarnation && (address !== s.self.address || name !== s.self.name || !sameMeta(meta, s.self.meta));
    if (incarnation > s.self.incarnation || conflict) refute(s, incarnation);
    return;
  }
  const m = s.members.get(id);
  if (!m) {
    if (!makeRoom(s)) {
      s.stats.ignored++;
      return;
    }
    const rec: CoreMember = { id, name, address, incarnation, meta, state: 'alive', since: s.now };
    s.addMember(rec);
    s.emit('member:join', rec);
    if (!quietIfNew) s.broadcast(s.aliveUpdate(rec));
    return;
  }
  if (incarnation <= m.incarnation) return;
  const prev = m.state;
  const changed = m.name !== name || m.address !== address || !sameMeta(m.meta, meta);
  m.incarnation = incarnation;
  m.name = name;
  m.address = address;
  m.meta = meta;
  s.suspicions.delete(id);
  s.setState(m, 'alive');
  if (prev === 'dead' || prev === 'left') s.emit('member:join', m);
  else if (prev === 'suspect') s.emit('member:alive', m);
  else if (changed) s.emit('member:update', m);
  s.broadcast(s.aliveUpdate(m));
}

export function applySuspect(s: SwimState, id: string, incarnation: number, from: string): void {
  if (id === s.self.id) {
    if (s.leaving) return;
    if (incarnation >= s.self.incarnation) refute(s, incarnation);
    return;
  }
  const m = s.members.get(id);
  if (!m || incarnation < m.incarnation || m.state === 'dead' || m.state === 'left') return;
  if (m.state === 'suspect' && incarnation === m.incarnation) {
    const sus = s.suspicions.get(id);
    if (sus && sus.confirm(from)) s.broadcast({ kind: 'suspect', id, incarnation: m.incarnation, from });
    return;
  }
  // A suspicion at a higher incarnation than the one we hold starts afresh (we missed the refutation in between).
  const fresh = m.state !== 'suspect';
  m.incarnation = incarnation;
  s.setState(m, 'suspect');
  const n = s.liveCount;
  const k = n - 2 < s.cfg.suspicionConfirmations ? 0 : s.cfg.suspicionConfirmations;
  const { minMs, maxMs } = suspicionBounds(n, s.cfg.probeIntervalMs, s.cfg.suspicionMinMult, s.cfg.suspicionMaxMult);
  s.suspicions.set(id, new Suspicion(incarnation, from, s.now, k, minMs, maxMs));
  if (fresh) {
    s.emit('member:suspect', m);
    // Probe it next: a live suspect gets the suspicion on that ping (buddy system) and answers any stale rumour
    // directly; a dead one fails the probe, which confirms the suspicion.
    if (from !== s.self.id) s.probeNext(id);
  }
  s.broadcast({ kind: 'suspect', id, incarnation, from });
}

export function applyDead(s: SwimState, id: string, incarnation: number, from: string): void {
  if (id === s.self.id) {
    if (!s.leaving && incarnation >= s.self.incarnation) refute(s, incarnation);
    return;
  }
  const m = s.members.get(id);
  if (!m || incarnation < m.incarnation || m.state === 'dead' || m.state === 'left') return;
  m.incarnation = incarnation;
  s.suspicions.delete(id);
  s.setState(m, 'dead');
  s.emit('member:dead', m);
  s.broadcast({ kind: 'dead', id, incarnation, from });
}

export function applyLeft(s: SwimState, id: string, incarnation: number): void {
  if (id === s.self.id) {
    if (!s.leaving && incarnation >= s.self.incarnation) refute(s, incarnation);
    return;
  }
  const m = s.members.get(id);
  if (!m || incarnation < m.incarnation || m.state === 'left') return;
  m.incarnation = incarnation;
  s.suspicions.delete(id);
  s.setState(m, 'left');
  s.emit('member:left', m);
  s.broadcast({ kind: 'left', id, incarnation });
}

/** Suspicions whose timeout passed become deaths declared by this node. */
export function expireSuspicions(s: SwimState): void {
  for (const [id, sus] of s.suspicions) {
    if (sus.deadline > s.now) continue;
    s.suspicions.delete(id);
    const m = s.members.get(id);
    if (m && m.state === 'suspect' && m.incarnation === sus.incarnation) applyDead(s, id, m.incarnation, s.self.id);
  }
}

/** Forgets dead and left members older than the retention window. */
export function reap(s: SwimState): void {
  for (const m of [...s.members.values()]) {
    if ((m.state === 'dead' || m.state === 'left') && s.now - m.since >= s.cfg.deadRetentionMs) s.forget(m.id);
  }
}

/** Most stale rumours answered per received packet. */
const MAX_CORRECTIONS = 4;

/**
 * A peer gossiped a suspicion or death older than an alive incarnation we know (it missed the refutation):
 * answer it directly with that alive update, before its own suspicion timer declares a false death.
 */
export function correctStale(s: SwimState, from: string, updates: readonly Update[]): void {
  const parts: Uint8Array[] = [];
  for (const u of updates) {
    if (parts.length >= MAX_CORRECTIONS) break;
    if (u.kind !== 'suspect' && u.kind !== 'dead') continue;
    const m = s.members.get(u.id);
    if (m && m.state === 'alive' && m.incarnation > u.incarnation) parts.push(encodeUpdate(s.aliveUpdate(m)));
  }
  if (parts.length > 0) s.sendRaw(from, encodeWithParts({ type: 'gossip', from: s.self.id, updates: [] }, parts));
}
