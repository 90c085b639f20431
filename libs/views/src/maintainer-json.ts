// The one mapping from the maintainer's wire types to fortctl's stable JSON names (DESIGN §6): node, members, events.
import type { MaintainerV1 } from '@fortros/proto';
import { byWire } from './wire-names.js';

/** DESIGN §6's member states; `unknown` only for a value this build does not know. */
export const MEMBER_STATE_NAMES = ['alive', 'suspect', 'dead', 'left'] as const;
export type MemberStateName = (typeof MEMBER_STATE_NAMES)[number] | 'unknown';

const MEMBER_STATE_BY_WIRE: Record<string, MemberStateName> = byWire('MEMBER_STATE_', MEMBER_STATE_NAMES);

/** Member watch event types as fortctl spells them. */
export const MEMBER_EVENT_NAMES = ['current', 'synced', 'join', 'alive', 'suspect', 'dead', 'left', 'update'] as const;
export type MemberEventName = (typeof MEMBER_EVENT_NAMES)[number] | 'unknown';

const MEMBER_EVENT_BY_WIRE: Record<string, MemberEventName> = byWire('TYPE_', MEMBER_EVENT_NAMES);

/** `MEMBER_STATE_ALIVE` → `alive`; UNSPECIFIED or a number from a newer maintainer → `unknown`. */
export function memberStateName(state: string | number | null | undefined): MemberStateName {
  return MEMBER_STATE_BY_WIRE[String(state)] ?? 'unknown';
}

export function memberEventName(type: string | number | null | undefined): MemberEventName {
  return MEMBER_EVENT_BY_WIRE[String(type)] ?? 'unknown';
}

/** Absent values are null, never "" (README: JSON). */
const orNull = (s: string | null | undefined): string | null => (s ? s : null);

export interface MemberJson {
  id: string;
  name: string | null;
  state: MemberStateName;
  incarnation: number;
  address: string | null;
  overlayIp: string | null;
  publicKey: string | null;
  labels: Record<string, string>;
}

export function memberToJson(m: MaintainerV1.Member__Output): MemberJson {
  return {
    id: m.id,
    name: orNull(m.name),
    state: memberStateName(m.state),
    incarnation: Number(m.incarnation ?? 0),
    address: orNull(m.address),
    overlayIp: orNull(m.overlayIp),
    publicKey: orNull(m.publicKey),
    labels: sortedLabels(m.labels),
  };
}

export interface MemberEventJson {
  type: MemberEventName;
  /** When fortctl received it (the API carries no time), ISO 8601. */
  at: string;
  /** null on `synced`. */
  member: MemberJson | null;
}

export function memberEventToJson(e: MaintainerV1.MemberEvent__Output, at: Date): MemberEventJson {
  return { type: memberEventName(e.type), at: at.toISOString(), member: e.member ? memberToJson(e.member) : null };
}

/** The node's counters, as the wire carries them (fortros.maintainer.v1.NodeStats). */
export type NodeStatsJson = MaintainerV1.NodeStats__Output;

export interface NodeJson {
  id: string;
  name: string | null;
  address: string | null;
  overlayIp: string | null;
  publicKey: string | null;
  labels: Record<string, string>;
  incarnation: number;
  ready: boolean;
  orgId: string | null;
  liveMembers: number;
  stats: NodeStatsJson;
}

export function nodeStatsToJson(s: MaintainerV1.NodeStats__Output | null | undefined): NodeStatsJson {
  const n = (v: number | string | null | undefined): number => Number(v ?? 0);
  return {
    gossipPacketsIn: n(s?.gossipPacketsIn),
    gossipPacketsOut: n(s?.gossipPacketsOut),
    gossipMalformed: n(s?.gossipMalformed),
    syncMessagesIn: n(s?.syncMessagesIn),
    syncMessagesOut: n(s?.syncMessagesOut),
    syncMalformed: n(s?.syncMalformed),
    syncUpdatesApplied: n(s?.syncUpdatesApplied),
    syncLinksOpened: n(s?.syncLinksOpened),
    syncLinksFailed: n(s?.syncLinksFailed),
    storeAppends: n(s?.storeAppends),
    faultsDropped: n(s?.faultsDropped),
    orgBadWorkloads: n(s?.orgBadWorkloads),
    orgBadMembers: n(s?.orgBadMembers),
    orgBadSettings: n(s?.orgBadSettings),
    orgIdChangeAttempts: n(s?.orgIdChangeAttempts),
    selfRecordRestores: n(s?.selfRecordRestores),
    storeWritesRefused: n(s?.storeWritesRefused),
    storeReadOnly: s?.storeReadOnly ?? false,
    gossipImplausible: n(s?.gossipImplausible),
    gossipNotMember: n(s?.gossipNotMember),
    syncNotMember: n(s?.syncNotMember),
    admissionAdmitted: n(s?.admissionAdmitted),
    admissionRefused: n(s?.admissionRefused),
  };
}

export function nodeToJson(n: MaintainerV1.Node__Output): NodeJson {
  return {
    id: n.id,
    name: orNull(n.name),
    address: orNull(n.address),
    overlayIp: orNull(n.overlayIp),
    publicKey: orNull(n.publicKey),
    labels: sortedLabels(n.labels),
    incarnation: Number(n.incarnation ?? 0),
    ready: n.ready === true,
    orgId: orNull(n.orgId),
    liveMembers: Number(n.liveMembers ?? 0),
    stats: nodeStatsToJson(n.stats),
  };
}

/** Labels with keys in order, so output is stable. */
export function sortedLabels(labels: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels ?? {}).sort()) out[k] = labels![k]!;
  return out;
}

/** A workload's spec as the maintainer stored it (normalised JSON text) → the spec object (DESIGN §9). */
export function workloadSpec(w: MaintainerV1.Workload__Output): Record<string, unknown> {
  return JSON.parse(w.specJson) as Record<string, unknown>;
}
