// The one mapping from init's wire types to fortctl's stable JSON names (DESIGN §6): states, types, services.
import type { InitV1 } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { byWire } from './wire-names.js';

/** DESIGN §4's states, as every fortctl output spells them; `unknown` only for a value this build does not know. */
export const STATE_NAMES = ['inactive', 'blocked', 'starting', 'ready', 'stopping', 'backoff', 'failed'] as const;
export type StateName = (typeof STATE_NAMES)[number] | 'unknown';

export const TYPE_NAMES = ['longrun', 'oneshot', 'bundle'] as const;
export type TypeName = (typeof TYPE_NAMES)[number] | 'unknown';

const STATE_BY_WIRE: Record<string, StateName> = byWire('SERVICE_STATE_', STATE_NAMES);

const TYPE_BY_WIRE: Record<string, TypeName> = byWire('SERVICE_TYPE_', TYPE_NAMES);

/** `SERVICE_STATE_READY` → `ready`; UNSPECIFIED or a number from a newer init → `unknown`. */
export function stateName(state: string | number | null | undefined): StateName {
  return STATE_BY_WIRE[String(state)] ?? 'unknown';
}

export function typeName(type: string | number | null | undefined): TypeName {
  return TYPE_BY_WIRE[String(type)] ?? 'unknown';
}

/** `ready` → `SERVICE_STATE_READY` (for requests); undefined for anything that is not a state name. */
export function wireState(name: string): InitV1.ServiceState__Output | undefined {
  const hit = Object.entries(STATE_BY_WIRE).find(([, v]) => v === name);
  return hit ? (hit[0] as InitV1.ServiceState__Output) : undefined;
}

export interface ExitJson {
  code: number;
  /** Signal name when killed by a signal, else null. */
  signal: string | null;
}

/** A service as fortctl prints it with --json. Field names are a contract: see apps/ctl/README.md. */
export interface ServiceJson {
  name: string;
  type: TypeName;
  state: StateName;
  /** Main process; null when there is none. */
  pid: number | null;
  ready: boolean;
  restarts: number;
  /** ISO 8601: when the current state began; null if init did not say. */
  since: string | null;
  /** Blocked: the dependencies not yet ready. */
  waitingOn: string[];
  /** Why blocked, backoff or failed; null when there is no reason. */
  reason: string | null;
  /** null until the first exit. */
  lastExit: ExitJson | null;
  /** Present only for a service with a `health-check` file. */
  health?: HealthJson;
}

export const HEALTH_STATUS_NAMES = ['off', 'starting', 'healthy', 'failing', 'unhealthy'] as const;
export type HealthStatusName = (typeof HEALTH_STATUS_NAMES)[number] | 'unknown';
const HEALTH_STATUS_BY_WIRE: Record<string, HealthStatusName> = byWire('HEALTH_STATUS_', HEALTH_STATUS_NAMES);

/** A service's health check (init's Health message) as fortctl prints it with --json. */
export interface HealthJson {
  check: string;
  status: HealthStatusName;
  consecutiveFailures: number;
  retries: number;
  /** null until the first check ended; `at` is ISO 8601. */
  lastResult: { ok: boolean; message: string; at: string | null } | null;
  restarts: number;
  /** null until the check restarted the service. */
  lastRestartReason: string | null;
}

export function healthToJson(h: InitV1.Health__Output): HealthJson {
  const last = h.lastResult;
  return {
    check: h.check,
    status: HEALTH_STATUS_BY_WIRE[String(h.status)] ?? 'unknown',
    consecutiveFailures: Number(h.consecutiveFailures ?? 0),
    retries: Number(h.retries ?? 0),
    lastResult: last ? { ok: Boolean(last.ok), message: last.message, at: isoOf(last.at) } : null,
    restarts: Number(h.restarts ?? 0),
    lastRestartReason: h.lastRestartReason ? h.lastRestartReason : null,
  };
}

export function isoOf(ts: Parameters<typeof fromTimestamp>[0]): string | null {
  return fromTimestamp(ts)?.toISOString() ?? null;
}

export function exitToJson(exit: InitV1.Exit__Output | null | undefined): ExitJson | null {
  if (!exit) return null;
  return { code: Number(exit.code ?? 0), signal: exit.signal ? exit.signal : null };
}

export function serviceToJson(s: InitV1.Service__Output): ServiceJson {
  return {
    name: s.name,
    type: typeName(s.type),
    state: stateName(s.state),
    pid: s.pid ? Number(s.pid) : null,
    ready: Boolean(s.ready),
    restarts: Number(s.restarts ?? 0),
    since: isoOf(s.since),
    waitingOn: [...(s.waitingOn ?? [])],
    reason: s.reason ? s.reason : null,
    lastExit: exitToJson(s.lastExit),
    ...(s.health ? { health: healthToJson(s.health) } : {}),
  };
}
