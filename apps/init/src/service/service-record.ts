// A supervised service at run time: its definition, lifecycle state and memory, live processes and timers.
import type { ServiceDefinition, ServiceType } from '@fortros/servicedir';
import type { TimerHandle } from '../clock.js';
import type { HealthMachine } from '../health/health-model.js';
import { initialMemory, ServiceState, type LifecycleMemory, type LifecycleSpec, type ProcKind, type TimerKind } from './lifecycle.js';

export interface ServiceTimeline {
  name: string;
  /** ms since the epoch; 0 = not yet. The latest occurrence of each. */
  wantedAt: number;
  spawnedAt: number;
  readyAt: number;
  stoppedAt: number;
}

/**
 * What a rescan decided for a service that cannot take it yet (s6-rc: a live service keeps its definition):
 * a new definition for its next start, a load failure or a removal once it is down.
 */
export type PendingChange =
  | { kind: 'definition'; def: ServiceDefinition }
  | { kind: 'loadFailure'; reason: string }
  | { kind: 'removal' };

export interface ServiceRecord {
  name: string;
  /** Undefined when the service failed to load (it is `failed` for good, with `reason`). */
  def?: ServiceDefinition;
  type: ServiceType | 'unknown';
  spec: LifecycleSpec;
  state: ServiceState;
  reason: string;
  /** When `state` was entered, ms since the epoch. */
  since: number;
  mem: LifecycleMemory;
  /** Atomic services (bundles expanded) or, for a bundle, its members: what must be ready first. */
  deps: string[];
  /** Atomic services that list this one among their `deps`. */
  dependents: string[];
  /** Live processes by kind → the id the executor gave them; events from any other id are stale. */
  procs: Map<ProcKind, number>;
  /** Armed timers by kind; a timer event whose token differs is stale. */
  timers: Map<TimerKind, { token: number; handle: TimerHandle }>;
  timeline: ServiceTimeline;
  /** The health-check machine, once a service with a `health-check` has been ready (health-monitor.ts). */
  health?: HealthMachine;
  /** Set by a rescan; see PendingChange. */
  pending?: PendingChange;
}

export function specOf(def: ServiceDefinition | undefined): LifecycleSpec {
  return {
    type: def?.type ?? 'longrun',
    hasFinish: def?.finish !== undefined,
    hasUp: def?.up !== undefined,
    hasDown: def?.down !== undefined,
    notificationFd: def?.notificationFd,
    timeoutUpMs: def?.timeoutUpMs ?? 0,
    timeoutDownMs: def?.timeoutDownMs ?? 0,
    timeoutKillMs: def?.timeoutKillMs ?? 0,
    downSignal: def?.downSignal ?? 'SIGTERM',
    restartDelayMaxMs: def?.restartDelayMaxMs ?? 0,
  };
}

export function newRecord(name: string, def: ServiceDefinition | undefined, now: number, loadFailure?: string): ServiceRecord {
  return {
    name,
    def,
    type: def?.type ?? 'unknown',
    spec: specOf(def),
    state: loadFailure !== undefined ? ServiceState.failed : ServiceState.inactive,
    reason: loadFailure ?? '',
    since: now,
    mem: initialMemory(),
    deps: [],
    dependents: [],
    procs: new Map(),
    timers: new Map(),
    timeline: { name, wantedAt: 0, spawnedAt: 0, readyAt: 0, stoppedAt: 0 },
  };
}

/** Down for ordering purposes: not wanted up, or given up, and no process of it left. */
export function isDown(r: ServiceRecord): boolean {
  return (r.state === ServiceState.inactive || r.state === ServiceState.failed) && r.procs.size === 0;
}
