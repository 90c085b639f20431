// Pure choice of replication peers: who may be replicated with, whom to push an update to, whom to run anti-entropy against.
import { planPush } from '../org/y-sync-session.js';

/** A member replication may talk to. */
export interface ReplicationPeer {
  id: string;
  /** `host:port` of its OrgSync server (gossip meta `sync`, else its gossip address). */
  orgSyncAddress: string;
}

/** What the choice needs to know about peers right now. */
export interface ChoiceInputs {
  /** Alive members other than this node. */
  peers: readonly ReplicationPeer[];
  /** Peers in reconnect backoff at `now` are avoided (unless nobody else is left). */
  backoffUntil: ReadonlyMap<string, number>;
  now: number;
  rng: () => number;
}

/** Peers not in backoff; all of them when every one is. */
export function reachablePeers(inputs: ChoiceInputs): ReplicationPeer[] {
  const ready = inputs.peers.filter((p) => (inputs.backoffUntil.get(p.id) ?? 0) <= inputs.now);
  return ready.length > 0 ? ready : [...inputs.peers];
}

/** Up to `fanout` distinct random peers for a new update, never the peer it came from. */
export function choosePushTargets(inputs: ChoiceInputs, fromPeer: string | null, fanout: number): string[] {
  const pool = reachablePeers(inputs)
    .map((p) => p.id)
    .filter((id) => id !== fromPeer);
  return planPush(pool, fanout, inputs.rng).push;
}

/** One random peer for an anti-entropy round (or the initial sync), or null when there is none. */
export function chooseAntiEntropyPeer(inputs: ChoiceInputs): string | null {
  return planPush(reachablePeers(inputs).map((p) => p.id), 0, inputs.rng).antiEntropy;
}
