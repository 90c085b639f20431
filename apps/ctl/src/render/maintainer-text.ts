// The maintainer for people: the `node` key: value block, the `members` and `workload list` tables, watch lines.
import type { MemberEventJson, MemberJson, NodeJson } from '@fortros/views';
import { sanitizeForTerminal } from './stream-lines.js';
import { renderTable } from './table.js';

export const MEMBER_TABLE_HEADER = ['ID', 'NAME', 'STATE', 'INCARNATION', 'ADDRESS', 'OVERLAY-IP', 'LABELS'] as const;
export const WORKLOAD_TABLE_HEADER = ['ID', 'DRIVER', 'RESTART', 'PLACEMENT', 'RUNS'] as const;

/** `role=worker,zone=a`, or `-`. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? sanitizeForTerminal(pairs.join(',')) : '-';
}

const dash = (s: string | null | undefined): string => (s ? sanitizeForTerminal(s) : '-');

/** `members`: one row per member, in the order given (the maintainer sorts by id). */
export function renderMembersTable(members: readonly MemberJson[]): string[] {
  const rows = members.map((m) => [m.id, dash(m.name), m.state, String(m.incarnation), dash(m.address), dash(m.overlayIp), formatLabels(m.labels)]);
  return renderTable(MEMBER_TABLE_HEADER, rows);
}

/** `node`: one `key: value` line per field, keys aligned; keys are the JSON names. */
export function renderNode(n: NodeJson): string[] {
  const s = n.stats;
  const pairs: [string, string][] = [
    ['id', n.id],
    ['name', dash(n.name)],
    ['ready', n.ready ? 'yes' : 'no'],
    ['orgId', dash(n.orgId)],
    ['address', dash(n.address)],
    ['overlayIp', dash(n.overlayIp)],
    ['publicKey', dash(n.publicKey)],
    ['labels', formatLabels(n.labels)],
    ['incarnation', String(n.incarnation)],
    ['liveMembers', String(n.liveMembers)],
    ['gossip', `${s.gossipPacketsIn} packets in, ${s.gossipPacketsOut} out, ${s.gossipMalformed} malformed, ${s.gossipImplausible} implausible`],
    ['sync', `${s.syncMessagesIn} messages in, ${s.syncMessagesOut} out, ${s.syncMalformed} malformed, ${s.syncUpdatesApplied} updates applied`],
    ['syncLinks', `${s.syncLinksOpened} opened, ${s.syncLinksFailed} failed`],
    ['storeAppends', `${s.storeAppends}, ${s.storeWritesRefused} writes refused${s.storeReadOnly ? ', READ-ONLY (disk full)' : ''}`],
    ['orgRefused', `${s.orgBadWorkloads} workloads, ${s.orgBadMembers} members, ${s.orgBadSettings} settings, ${s.orgIdChangeAttempts} org id changes; ${s.selfRecordRestores} own-record restores`],
    ['faultsDropped', String(s.faultsDropped)],
    ['notMember', `${s.gossipNotMember} gossip packets, ${s.syncNotMember} sync streams dropped`],
    ['admission', `${s.admissionAdmitted} admitted, ${s.admissionRefused} refused`],
  ];
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`);
}

/** `members --watch`: `TIME TYPE ID NAME STATE inc=N ADDRESS`; `synced` alone marks the end of the snapshot. */
export function formatMemberEvent(e: MemberEventJson): string {
  if (!e.member) return `${e.at} ${e.type}`;
  const m = e.member;
  return [e.at, e.type, m.id, dash(m.name), m.state, `inc=${m.incarnation}`, dash(m.address)].join(' ');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `nodes: a,b` or `zone=a ×3`. */
export function formatPlacement(placement: unknown): string {
  if (typeof placement !== 'object' || placement === null) return '-';
  const p = placement as { nodes?: unknown; selector?: unknown; replicas?: unknown };
  if (Array.isArray(p.nodes)) return `nodes: ${p.nodes.map(String).join(',')}`;
  if (typeof p.selector === 'object' && p.selector !== null) {
    const sel = Object.entries(p.selector as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
    return `${sel.length ? sel.join(',') : 'any'} ×${String(p.replicas ?? '?')}`;
  }
  return '-';
}

/** What a workload runs: the command line (process, oci with command), the bundle or image (oci), the kernel (vm). */
export function formatRuns(spec: Readonly<Record<string, unknown>>): string {
  const command = str(spec['command']);
  const args = Array.isArray(spec['args']) ? spec['args'].map(String) : [];
  if (command) return [command, ...args].join(' ');
  return str(spec['bundle']) ?? str(spec['image']) ?? str(spec['kernel']) ?? '-';
}

/** `workload list`: one row per spec, in the order given (the maintainer sorts by id). */
export function renderWorkloadsTable(specs: readonly Readonly<Record<string, unknown>>[]): string[] {
  const rows = specs.map((s) => [String(s['id']), String(s['driver'] ?? '-'), String(s['restart'] ?? '-'), formatPlacement(s['placement']), formatRuns(s)].map(sanitizeForTerminal));
  return renderTable(WORKLOAD_TABLE_HEADER, rows);
}
