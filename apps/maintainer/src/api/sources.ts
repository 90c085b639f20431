// What the local API reads from the daemon: node info and the member view (narrow interfaces, STYLE §8).
import type { MaintainerV1 } from '@fortros/proto';
import type { MemberView } from '../membership/member-view.js';

/** The node's counters: exactly the wire's fortros.maintainer.v1.NodeStats. */
export type NodeCounters = MaintainerV1.NodeStats__Output;

export interface NodeInfo {
  id: string;
  name: string;
  address: string;
  overlayIp: string;
  publicKey: string;
  labels: Record<string, string>;
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
