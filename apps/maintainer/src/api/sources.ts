// What the local API reads from the daemon: node info and the member view (narrow interfaces, STYLE §8).
import type { MaintainerV1 } from '@fortros/proto';
import type { MemberView } from '../membership/member-view.js';
import type { MemberRecord } from '../org/org-records.js';

/** The node's counters: exactly the wire's fortros.maintainer.v1.NodeStats. */
export type NodeCounters = MaintainerV1.NodeStats__Output;

/** This node: its durable identity as the org document records it, plus live state. */
export interface NodeInfo extends Pick<MemberRecord, 'id' | 'name' | 'address' | 'overlayIp' | 'publicKey' | 'labels'> {
  incarnation: number;
  ready: boolean;
  orgId: string;
  liveMembers: number;
  stats: NodeCounters;
}

export type MemberChange = 'join' | 'alive' | 'suspect' | 'dead' | 'left' | 'update';

export interface NodeSource {
  nodeInfo(): NodeInfo;
}

export interface MemberSource {
  /** Every member, sorted by id (bounded). */
  listMembers(): MemberView[];
  /** Member changes; returns the unsubscribe function. */
  onMemberChange(listener: (change: MemberChange, member: MemberView) => void): () => void;
}
