// The public view of a service (DESIGN §6 JSON field names, stable for scripts and tests).
import { describeHealthProbe } from '@fortros/servicedir';
import { healthStatusOf, type HealthStatusName } from '../health/health-model.js';
import { ServiceState } from './lifecycle.js';
import type { ServiceRecord } from './service-record.js';

export interface ServiceStatus {
  name: string;
  type: string;
  state: ServiceState;
  /** Main process id (longrun `run`, oneshot script while it runs); 0 if none. */
  pid: number;
  ready: boolean;
  restarts: number;
  /** ISO 8601: when the current state was entered. */
  since: string;
  /** blocked: the dependencies not ready yet. */
  waitingOn: string[];
  reason: string;
  lastExit: { code: number | null; signal: string | null } | null;
  /** Only for a service with a `health-check` file. */
  health?: HealthStatus;
}

export interface HealthStatus {
  /** The check as configured: `exec COMMAND`, `tcp HOST:PORT`, `http URL`. */
  check: string;
  status: HealthStatusName;
  consecutiveFailures: number;
  /** Consecutive failures that restart the service (`health-retries`). */
  retries: number;
  /** `at`: ISO 8601. */
  lastResult: { ok: boolean; message: string; at: string } | null;
  /** Restarts the check asked for since init started. */
  restarts: number;
  lastRestartReason: string;
}

/** A health restart's reason (`health check failed 3 times: …`) stays visible until the service passes a check again. */
const SHOWS_HEALTH_NOTE: ReadonlySet<ServiceState> = new Set([ServiceState.starting, ServiceState.ready, ServiceState.stopping]);

/** The reason shown for a service: its lifecycle's, else a pending health restart's. */
export function reasonOf(r: ServiceRecord): string {
  if (r.reason !== '' || r.health === undefined || !SHOWS_HEALTH_NOTE.has(r.state)) return r.reason;
  return r.health.mem.restartNote;
}

function healthOf(r: ServiceRecord): HealthStatus | undefined {
  const spec = r.def?.health;
  if (spec === undefined) return undefined;
  const m = r.health;
  const last = m?.mem.lastResult;
  return {
    check: describeHealthProbe(spec.probe),
    status: m ? healthStatusOf(m) : 'off',
    consecutiveFailures: m?.mem.consecutiveFailures ?? 0,
    retries: spec.retries,
    lastResult: last ? { ok: last.ok, message: last.message, at: new Date(last.at).toISOString() } : null,
    restarts: m?.mem.restarts ?? 0,
    lastRestartReason: m?.mem.lastRestartReason ?? '',
  };
}

export function toStatus(r: ServiceRecord): ServiceStatus {
  return {
    name: r.name,
    type: r.type,
    state: r.state,
    pid: r.mem.pid,
    ready: r.state === ServiceState.ready,
    restarts: r.mem.restarts,
    since: new Date(r.since).toISOString(),
    waitingOn: [...r.mem.waitingOn],
    reason: reasonOf(r),
    lastExit: r.mem.lastExit ? { code: r.mem.lastExit.code, signal: r.mem.lastExit.signal } : null,
    ...(r.def?.health ? { health: healthOf(r) } : {}),
  };
}
