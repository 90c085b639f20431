// Conversions between the supervisor's view and fortros.init.v1 messages.
import { InitV1, toTimestamp } from '@fortros/proto';
import { ServiceState } from '../service/lifecycle.js';
import type { HealthStatus, ServiceStatus } from '../service/service-status.js';

const STATE_TO_WIRE: Record<ServiceState, InitV1.ServiceState__Output> = {
  [ServiceState.inactive]: 'SERVICE_STATE_INACTIVE',
  [ServiceState.blocked]: 'SERVICE_STATE_BLOCKED',
  [ServiceState.starting]: 'SERVICE_STATE_STARTING',
  [ServiceState.ready]: 'SERVICE_STATE_READY',
  [ServiceState.stopping]: 'SERVICE_STATE_STOPPING',
  [ServiceState.backoff]: 'SERVICE_STATE_BACKOFF',
  [ServiceState.failed]: 'SERVICE_STATE_FAILED',
};

export function stateToWire(s: ServiceState): InitV1.ServiceState__Output {
  return STATE_TO_WIRE[s];
}

/** A wire state to ours; UNSPECIFIED (and unknown values) → undefined. */
export function stateFromWire(s: InitV1.ServiceState | undefined | null): ServiceState | undefined {
  for (const [ours, wire] of Object.entries(STATE_TO_WIRE)) if (wire === s) return ours as ServiceState;
  return undefined;
}

export function typeToWire(t: string): InitV1.ServiceType__Output {
  if (t === 'longrun') return 'SERVICE_TYPE_LONGRUN';
  if (t === 'oneshot') return 'SERVICE_TYPE_ONESHOT';
  if (t === 'bundle') return 'SERVICE_TYPE_BUNDLE';
  return 'SERVICE_TYPE_UNSPECIFIED';
}

export interface ServiceExtras {
  deps: string[];
  pidStartTime?: number;
  wanted: boolean;
}

export function serviceToWire(s: ServiceStatus, extras: ServiceExtras): InitV1.Service {
  const msg: InitV1.Service = {
    name: s.name,
    type: typeToWire(s.type),
    state: stateToWire(s.state),
    pid: s.pid,
    ready: s.ready,
    restarts: s.restarts,
    since: toTimestamp(Date.parse(s.since)),
    waitingOn: s.waitingOn,
    reason: s.reason,
    dependencies: s.type === 'bundle' ? [] : extras.deps,
    contents: s.type === 'bundle' ? extras.deps : [],
    pidStartTime: extras.pidStartTime ?? 0,
    wanted: extras.wanted,
  };
  if (s.lastExit) msg.lastExit = { code: s.lastExit.code ?? -1, signal: s.lastExit.signal ?? '' };
  if (s.health) msg.health = healthToWire(s.health);
  return msg;
}

const HEALTH_STATUS_TO_WIRE: Record<HealthStatus['status'], InitV1.HealthStatus__Output> = {
  off: 'HEALTH_STATUS_OFF',
  starting: 'HEALTH_STATUS_STARTING',
  healthy: 'HEALTH_STATUS_HEALTHY',
  failing: 'HEALTH_STATUS_FAILING',
  unhealthy: 'HEALTH_STATUS_UNHEALTHY',
};

function healthToWire(h: HealthStatus): InitV1.Health {
  const last = h.lastResult;
  return {
    check: h.check,
    status: HEALTH_STATUS_TO_WIRE[h.status],
    consecutiveFailures: h.consecutiveFailures,
    retries: h.retries,
    ...(last ? { lastResult: { ok: last.ok, message: last.message, at: toTimestamp(Date.parse(last.at)) } } : {}),
    restarts: h.restarts,
    lastRestartReason: h.lastRestartReason,
  };
}
