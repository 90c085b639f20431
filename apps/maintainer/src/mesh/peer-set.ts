// Which WireGuard peers the node should have: a pure function of the org's member records, the admission answer's
// first peers, SWIM's view, and how long each member has been dead or gone.
import { checkDesiredPeers, type DesiredPeer } from '@fortros/wireguard';
import type { AnswerPeer } from '../admission/admission-crypto.js';
import type { MemberRecord } from '../org/org-records.js';

export type SwimState = 'alive' | 'suspect' | 'dead' | 'left';

export interface PeerSetInput {
  selfPublicKey: string;
  members: readonly MemberRecord[];
  /** The admission answer's peers: reached before the document has synced. */
  seeds: readonly AnswerPeer[];
  swimState: (id: string) => SwimState | undefined;
  /** The overlay address SWIM knows the member at (what the member itself advertises), if SWIM knows it. */
  swimOverlayIp?: (id: string) => string | undefined;
  /** When each member was first seen dead or left (updated here: entries added and cleared). */
  goneSince: Map<string, number>;
  now: number;
  graceMs: number;
  keepaliveS: number;
}

export interface MeshPeer extends DesiredPeer {
  overlayIp: string;
}

/**
 * Every member (and answer peer) but this node, unless SWIM has held it dead or left for longer than the grace
 * period. A member SWIM does not know yet is a peer: SWIM can only reach it through WireGuard. A record whose key,
 * endpoint or overlay address is unusable is skipped (the org's validation reports it). A member SWIM knows keeps
 * the overlay address SWIM knows it at: another member's write to its record (a moved overlayIp) would otherwise cut
 * it off before it could restore its record.
 */
export function desiredPeers(i: PeerSetInput): MeshPeer[] {
  const out = new Map<string, MeshPeer>();
  const gone = new Set<string>();
  const add = (publicKey: string, endpoint: string, overlayIp: string): void => {
    if (publicKey === i.selfPublicKey || out.has(publicKey) || gone.has(publicKey)) return;
    const peer: MeshPeer = { publicKey, endpoint, allowedIps: [`${overlayIp}/32`], persistentKeepaliveS: i.keepaliveS, overlayIp };
    try {
      checkDesiredPeers([peer]);
    } catch {
      return;
    }
    out.set(publicKey, peer);
  };
  for (const m of i.members) {
    const state = i.swimState(m.id);
    if (state === 'dead' || state === 'left') {
      const since = i.goneSince.get(m.id) ?? i.now;
      i.goneSince.set(m.id, since);
      if (i.now - since > i.graceMs) {
        gone.add(m.publicKey); // neither a member peer nor a seed
        continue;
      }
    } else i.goneSince.delete(m.id);
    add(m.publicKey, m.address, i.swimOverlayIp?.(m.id) ?? m.overlayIp);
  }
  for (const s of i.seeds) add(s.publicKey, s.endpoint, s.overlayIp);
  return [...out.values()];
}
