// The member view of DESIGN §6: SWIM's live state (state, incarnation, address) merged with the org document's records.
import type { MemberState, Member as SwimMember } from '@fortros/swim';
import type { MemberRecord } from '../org/org-records.js';

/** Gossip meta keys this node sets (bounded by SWIM's meta limits). */
export const META_ORG_SYNC = 'sync';
export const META_PUBLIC_KEY = 'pk';

/** SWIM's member states, declared once in @fortros/swim. */
export type { MemberState };

/** One member as the local API and fortctl show it (DESIGN §6 field names). */
export interface MemberView {
  id: string;
  name: string;
  state: MemberState;
  incarnation: number;
  address: string;
  overlayIp: string;
  publicKey: string;
  labels: Record<string, string>;
}

/**
 * One member from what SWIM and the org document know of it. SWIM wins for what changes (state, incarnation,
 * address, name); the document for durable identity (overlay IP, public key, labels). A member only in the document
 * is shown `dead` at incarnation 0 (never heard of, or forgotten after SWIM's dead-member retention).
 */
export function mergeMember(id: string, swim: SwimMember | undefined, record: MemberRecord | undefined): MemberView | undefined {
  if (!swim && !record) return undefined;
  return {
    id,
    name: swim?.name ?? record?.name ?? id,
    state: swim?.state ?? 'dead',
    incarnation: swim?.incarnation ?? 0,
    address: swim?.address ?? record?.address ?? '',
    overlayIp: record?.overlayIp ?? '',
    publicKey: record?.publicKey ?? swim?.meta[META_PUBLIC_KEY] ?? '',
    labels: { ...(record?.labels ?? {}) },
  };
}

/** Every member known to either side, sorted by id, at most `limit`. */
export function mergeMembers(swim: readonly SwimMember[], records: readonly MemberRecord[], limit: number): MemberView[] {
  const bySwim = new Map(swim.map((m) => [m.id, m]));
  const byRecord = new Map(records.map((r) => [r.id, r]));
  const ids = [...new Set([...bySwim.keys(), ...byRecord.keys()])].sort();
  const out: MemberView[] = [];
  for (const id of ids.slice(0, limit)) {
    const v = mergeMember(id, bySwim.get(id), byRecord.get(id));
    if (v) out.push(v);
  }
  return out;
}

/** The OrgSync address a member advertises (its gossip address when it advertises none). */
export function orgSyncAddressOf(m: SwimMember): string {
  return m.meta[META_ORG_SYNC] ?? m.address;
}
