// Counters of replication, shared by every peer link and the replicator; reported through GetNode (`stats.sync*`).
export interface ReplicationCounters {
  messagesIn: number;
  messagesOut: number;
  /** Messages dropped: unparsable, oversize, refused by yjs, or breaking the hello rule. */
  malformed: number;
  updatesApplied: number;
  linksOpened: number;
  linksFailed: number;
}

export function newReplicationCounters(): ReplicationCounters {
  return { messagesIn: 0, messagesOut: 0, malformed: 0, updatesApplied: 0, linksOpened: 0, linksFailed: 0 };
}
