// Prometheus metrics of fortros-maintainer (served with `--metrics HOST:PORT`): members by state, gossip and sync
// counters, drops and the org document's size, each read from the daemon at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';
import { MEMBER_STATES, type MemberState } from '@fortros/swim';
import type { NodeCounters } from '../api/sources.js';

export interface NodeMetricsSource {
  /** The node's counters (GetNode's stats). */
  counters(): NodeCounters;
  /** The SWIM state of every member this node knows, itself included. */
  memberStates(): MemberState[];
  /** Bytes of the org document's full state (encoded as one update). */
  documentBytes(): number;
}

/** `fortros_maintainer_<name>` fed from one field of the node's counters. */
const COUNTERS: readonly [name: string, help: string, field: keyof NodeCounters][] = [
  ['gossip_packets_received_total', 'Gossip (SWIM) packets received.', 'gossipPacketsIn'],
  ['gossip_packets_sent_total', 'Gossip (SWIM) packets sent.', 'gossipPacketsOut'],
  ['gossip_packets_malformed_total', 'Gossip packets dropped as malformed.', 'gossipMalformed'],
  ['sync_messages_received_total', 'OrgSync messages received.', 'syncMessagesIn'],
  ['sync_messages_sent_total', 'OrgSync messages sent.', 'syncMessagesOut'],
  ['sync_messages_malformed_total', 'OrgSync messages dropped: unparsable, oversize, refused, or breaking the hello rule.', 'syncMalformed'],
  ['sync_updates_applied_total', 'Document updates from peers applied.', 'syncUpdatesApplied'],
  ['sync_links_opened_total', 'Sync links opened (both directions).', 'syncLinksOpened'],
  ['sync_links_failed_total', 'Sync links that failed.', 'syncLinksFailed'],
  ['store_appends_total', 'Updates appended to the durable org store.', 'storeAppends'],
  ['fault_drops_total', 'Packets and messages dropped by test-only fault injection.', 'faultsDropped'],
];

export function registerNodeMetrics(registry: Registry, source: NodeMetricsSource): void {
  for (const [name, help, field] of COUNTERS) {
    // a counter fed from the daemon's own count at each scrape: reset, then inc() by the current value
    new Counter({
      name: `fortros_maintainer_${name}`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(Number(source.counters()[field]));
      },
    });
  }
  new Gauge({
    name: 'fortros_maintainer_members',
    help: 'Members this node knows, by SWIM state (itself included, as alive).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = new Map<MemberState, number>(MEMBER_STATES.map((s) => [s, 0]));
      for (const s of source.memberStates()) counts.set(s, (counts.get(s) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'fortros_maintainer_document_bytes',
    help: "Size of the org document's full state, in bytes.",
    registers: [registry],
    collect() {
      this.set(source.documentBytes());
    },
  });
}
