// Placement (DESIGN §9): an explicit node list, or `replicas` of the live members matching a selector, chosen by
// rendezvous (highest-random-weight) hashing so every node computes the same set without talking to the others.
import { createHash } from 'node:crypto';
import type { Placement } from '../spec.js';

export type MemberState = 'alive' | 'suspect' | 'dead' | 'left';

/** What placement needs of a member record (the maintainer's `members`). */
export interface PlacementMember {
  id: string;
  name: string;
  state: MemberState;
  labels: Record<string, string>;
}

export interface PlacementResult {
  nodes: string[];
  /** Set when the workload runs nowhere: why. */
  reason?: string;
}

/** A suspect member is still live: moving its replicas on every suspicion would churn workloads for nothing. */
export const isLive = (m: PlacementMember): boolean => m.state === 'alive' || m.state === 'suspect';

/** The rendezvous weight of (workload, member): the first 8 bytes of SHA-256 over both ids. */
export function rendezvousWeight(workloadId: string, memberId: string): bigint {
  const digest = createHash('sha256').update(workloadId).update('\0').update(memberId).digest();
  return digest.readBigUInt64BE(0);
}

const matches = (m: PlacementMember, selector: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => m.labels[k] === v);

/**
 * The member ids a workload belongs on. Explicit `nodes` name members by name or id and are honoured whatever
 * their state (the operator chose them); a selector places `replicas` among the live members that match, highest
 * weight first (ties, which need a SHA-256 collision, by id), so removing a member moves only the replicas it held.
 */
export function place(workloadId: string, placement: Placement, members: readonly PlacementMember[]): PlacementResult {
  if ('nodes' in placement) {
    const wanted = new Set(placement.nodes);
    return { nodes: members.filter((m) => wanted.has(m.id) || wanted.has(m.name)).map((m) => m.id).sort() };
  }
  const candidates = members.filter((m) => isLive(m) && matches(m, placement.selector));
  if (candidates.length === 0) {
    return { nodes: [], reason: `no live node matches the selector ${JSON.stringify(placement.selector)}` };
  }
  const weighted = candidates.map((m) => ({ id: m.id, w: rendezvousWeight(workloadId, m.id) }));
  weighted.sort((a, b) => (a.w === b.w ? (a.id < b.id ? -1 : 1) : a.w > b.w ? -1 : 1));
  return { nodes: weighted.slice(0, placement.replicas).map((x) => x.id).sort() };
}

/** Whether `placement` puts the workload on `self` (matched by id or name for an explicit list). */
export function placedOn(self: { id: string; name: string }, workloadId: string, placement: Placement, members: readonly PlacementMember[]): PlacementResult & { here: boolean } {
  if ('nodes' in placement) {
    const here = placement.nodes.includes(self.id) || placement.nodes.includes(self.name);
    return { ...place(workloadId, placement, members), here };
  }
  const result = place(workloadId, placement, members);
  return { ...result, here: result.nodes.includes(self.id) };
}
