// What the local API reads from the daemon: node info and the member view (narrow interfaces, STYLE §8).
import type { MemberView } from '../membership/member-view.js';

export interface NodeCounters {
  gossipPacketsIn: number;
  gossipPacketsOut: number;
  gossipMalformed: number;
  syncMessagesIn: number;
  syncMessagesOut: number;
  syncMalformed: number;
  syncUpdatesApplied: number;
  syncLinksOpened: number;
  syncLinksFailed: number;
  storeAppends: number;
  faultsDropped: number;
}

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
