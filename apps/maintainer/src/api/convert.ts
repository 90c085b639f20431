// Conversions between the daemon's records and the wire messages of fortros.maintainer.v1.
import type { MaintainerV1 } from '@fortros/proto';
import { API_JSON_MAX_BYTES } from '../constants.js';
import { RequestJsonError } from '../errors.js';
import type { MemberState, MemberView } from '../membership/member-view.js';
import type { WorkloadSpec } from '@fortros/workload-spec';
import type { MemberChange, NodeInfo } from './sources.js';
import type { ListedObserved } from './observed-view.js';

const MEMBER_STATE: Record<MemberState, MaintainerV1.MemberState__Output> = {
  alive: 'MEMBER_STATE_ALIVE',
  suspect: 'MEMBER_STATE_SUSPECT',
  dead: 'MEMBER_STATE_DEAD',
  left: 'MEMBER_STATE_LEFT',
};

export const MEMBER_EVENT_TYPE: Record<MemberChange, MaintainerV1.MemberEventType__Output> = {
  join: 'TYPE_JOIN',
  alive: 'TYPE_ALIVE',
  suspect: 'TYPE_SUSPECT',
  dead: 'TYPE_DEAD',
  left: 'TYPE_LEFT',
  update: 'TYPE_UPDATE',
};

export function toMember(m: MemberView): MaintainerV1.Member {
  return {
    id: m.id,
    name: m.name,
    state: MEMBER_STATE[m.state],
    incarnation: m.incarnation,
    address: m.address,
    overlayIp: m.overlayIp,
    publicKey: m.publicKey,
    labels: m.labels,
  };
}

export function toNode(n: NodeInfo): MaintainerV1.Node {
  const s = n.stats;
  return {
    id: n.id,
    name: n.name,
    address: n.address,
    overlayIp: n.overlayIp,
    publicKey: n.publicKey,
    labels: n.labels,
    incarnation: n.incarnation,
    ready: n.ready,
    orgId: n.orgId,
    liveMembers: n.liveMembers,
    stats: { ...s }, // every counter, exactly the wire's NodeStats
  };
}

export function toWorkload(spec: WorkloadSpec): MaintainerV1.Workload {
  return { id: spec.id, specJson: JSON.stringify(spec) };
}

export function toObserved(status: ListedObserved): MaintainerV1.Observed {
  return { json: JSON.stringify(status) };
}

/** Parses a JSON field of a request, bounded; RequestJsonError names the field. */
export function parseJsonField(text: string | undefined, field: string): unknown {
  const s = text ?? '';
  if (Buffer.byteLength(s) > API_JSON_MAX_BYTES) throw new RequestJsonError(field, `expected at most ${API_JSON_MAX_BYTES} bytes of JSON, got ${Buffer.byteLength(s)}`);
  if (s.trim() === '') throw new RequestJsonError(field, 'expected a JSON document, got nothing');
  try {
    return JSON.parse(s) as unknown;
  } catch (err) {
    throw new RequestJsonError(field, `expected JSON, got a parse error (${(err as Error).message})`);
  }
}
