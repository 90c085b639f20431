// Counters of the sync layer, shared by every link and the peer manager; reported through GetNode.
export interface SyncCounters {
  messagesIn: number;
  messagesOut: number;
  /** Messages dropped: unparsable, oversize, refused by yjs, or breaking the hello rule. */
  malformed: number;
  updatesApplied: number;
  linksOpened: number;
  linksFailed: number;
}

export function newSyncCounters(): SyncCounters {
  return { messagesIn: 0, messagesOut: 0, malformed: 0, updatesApplied: 0, linksOpened: 0, linksFailed: 0 };
}
