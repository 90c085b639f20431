// The public view of a service (DESIGN §6 JSON field names, stable for scripts and tests).
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
    reason: r.reason,
    lastExit: r.mem.lastExit ? { code: r.mem.lastExit.code, signal: r.mem.lastExit.signal } : null,
  };
}
