// The org document's other records (member, observed status, settings): types and validators naming the bad field.
import { ORG_CONDITIONS_MAX, ORG_OVERLAY_RANGE_DEFAULT } from '../constants.js';
import { OrgRecordError } from '../errors.js';
import {
  type Fail,
  expectArray,
  expectInt,
  expectLabels,
  expectName,
  expectObject,
  expectOneOf,
  expectText,
  ORG_NAME_MAX_CHARS,
  rejectUnknown,
  show,
} from '@fortros/workload-spec';

/** A member's durable identity (SWIM keeps the high-churn state: alive/suspect/dead, incarnation, heartbeats). */
export interface MemberRecord {
  id: string;
  name: string;
  /** Where it gossips (underlay or overlay `host:port`). */
  address: string;
  overlayIp: string;
  /** WireGuard public key, base64. */
  publicKey: string;
  labels: Record<string, string>;
  /** ISO 8601. */
  joinedAt: string;
}

export const WORKLOAD_PHASES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type WorkloadPhase = (typeof WORKLOAD_PHASES)[number];
export const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;

export interface ObservedCondition {
  type: string;
  status: (typeof CONDITION_STATUSES)[number];
  reason?: string;
  /** ISO 8601. */
  since?: string;
}

/** What one node's reconciler reports about one workload; keyed `<node>/<workload>` in the document. */
export interface ObservedStatus {
  node: string;
  workload: string;
  phase: WorkloadPhase;
  pid: number | null;
  restarts: number;
  /** ISO 8601: when the phase last changed. */
  since: string;
  lastExit: { code: number | null; signal: string | null } | null;
  reason: string | null;
  conditions: ObservedCondition[];
}

export interface OrgSettings {
  /** The org's id, chosen by its first node ('' until then). */
  orgId: string;
  /** IPv4 CIDR the overlay addresses are drawn from. */
  overlayRange: string;
}

export const DEFAULT_ORG_SETTINGS: Readonly<OrgSettings> = Object.freeze({ orgId: '', overlayRange: ORG_OVERLAY_RANGE_DEFAULT });

const fail: Fail = (field, reason) => {
  throw new OrgRecordError(field, reason);
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function expectTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    fail(field, `expected an ISO 8601 time, got ${show(value)}`);
  }
  return value;
}

function isIpv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

function expectIpv4(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIpv4(value)) fail(field, `expected an IPv4 address, got ${show(value)}`);
  return value;
}

export function validateMember(input: unknown): MemberRecord {
  const o = expectObject(input, 'member', fail);
  rejectUnknown(o, ['id', 'name', 'address', 'overlayIp', 'publicKey', 'labels', 'joinedAt'], '', fail);
  return {
    id: expectName(o.id, 'id', fail),
    name: expectText(o.name, 'name', fail, ORG_NAME_MAX_CHARS),
    address: expectText(o.address, 'address', fail),
    overlayIp: expectIpv4(o.overlayIp, 'overlayIp'),
    publicKey: expectText(o.publicKey, 'publicKey', fail),
    labels: o.labels === undefined ? {} : expectLabels(o.labels, 'labels', fail),
    joinedAt: expectTime(o.joinedAt, 'joinedAt'),
  };
}

export function observedKey(node: string, workload: string): string {
  return `${node}/${workload}`;
}

export function validateObserved(input: unknown): ObservedStatus {
  const o = expectObject(input, 'observed', fail);
  rejectUnknown(o, ['node', 'workload', 'phase', 'pid', 'restarts', 'since', 'lastExit', 'reason', 'conditions'], '', fail);
  return {
    node: expectName(o.node, 'node', fail),
    workload: expectName(o.workload, 'workload', fail),
    phase: expectOneOf(o.phase, WORKLOAD_PHASES, 'phase', fail),
    pid: o.pid === undefined || o.pid === null ? null : expectInt(o.pid, 'pid', 1, 2 ** 31 - 1, fail),
    restarts: o.restarts === undefined ? 0 : expectInt(o.restarts, 'restarts', 0, Number.MAX_SAFE_INTEGER, fail),
    since: expectTime(o.since, 'since'),
    lastExit: o.lastExit === undefined || o.lastExit === null ? null : validateExit(o.lastExit),
    reason: o.reason === undefined || o.reason === null ? null : expectText(o.reason, 'reason', fail),
    conditions: o.conditions === undefined ? [] : expectArray(o.conditions, 'conditions', ORG_CONDITIONS_MAX, fail, validateCondition),
  };
}

function validateExit(value: unknown): { code: number | null; signal: string | null } {
  const o = expectObject(value, 'lastExit', fail);
  rejectUnknown(o, ['code', 'signal'], 'lastExit', fail);
  const code = o.code === undefined || o.code === null ? null : expectInt(o.code, 'lastExit.code', 0, 255, fail);
  const signal = o.signal === undefined || o.signal === null ? null : expectText(o.signal, 'lastExit.signal', fail, ORG_NAME_MAX_CHARS);
  return { code, signal };
}

function validateCondition(value: unknown, path: string): ObservedCondition {
  const o = expectObject(value, path, fail);
  rejectUnknown(o, ['type', 'status', 'reason', 'since'], path, fail);
  const c: ObservedCondition = {
    type: expectText(o.type, `${path}.type`, fail, ORG_NAME_MAX_CHARS),
    status: expectOneOf(o.status, CONDITION_STATUSES, `${path}.status`, fail),
  };
  if (o.reason !== undefined) c.reason = expectText(o.reason, `${path}.reason`, fail);
  if (o.since !== undefined) c.since = expectTime(o.since, `${path}.since`);
  return c;
}

/** Checks a partial settings object; returns only the fields given. */
export function validateSettings(input: unknown): Partial<OrgSettings> {
  const o = expectObject(input, 'settings', fail);
  rejectUnknown(o, Object.keys(DEFAULT_ORG_SETTINGS), 'settings', fail);
  const out: Partial<OrgSettings> = {};
  if (o.orgId !== undefined) out.orgId = expectName(o.orgId, 'settings.orgId', fail);
  if (o.overlayRange !== undefined) out.overlayRange = expectCidr(o.overlayRange, 'settings.overlayRange');
  return out;
}

function expectCidr(value: unknown, field: string): string {
  const [ip, len, ...rest] = typeof value === 'string' ? value.split('/') : [];
  if (ip === undefined || len === undefined || rest.length > 0 || !isIpv4(ip) || !/^\d{1,2}$/.test(len) || Number(len) > 30) {
    fail(field, `expected an IPv4 CIDR such as 10.42.0.0/16 (prefix ≤ 30), got ${show(value)}`);
  }
  return value as string;
}
