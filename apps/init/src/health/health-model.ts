// A service's health check as data: states, events, actions, memory, and `stepHealth`, its one pure transition.
import type { HealthSpec } from '@fortros/servicedir';
import { HEALTH_RESTART_BACKOFF_MAX_MS, HEALTH_RESTART_BACKOFF_MIN_MS } from '../constants.js';
import { ImpossibleHealthEventError } from '../errors.js';
import { assertNever } from '../service/lifecycle-model.js';

export enum HealthState {
  /** The service is not ready: nothing is checked. */
  idle = 'idle',
  /** Ready; the next check is due when the timer fires (the first one after start-period + interval). */
  waiting = 'waiting',
  /** One check in flight (or waiting for one of the node's check slots). */
  checking = 'checking',
  /** `retries` checks failed in a row: a restart was asked; nothing is checked until the service is ready again. */
  unhealthy = 'unhealthy',
}
export const HEALTH_STATES = Object.values(HealthState);

export enum HealthEventType {
  /** The service entered `ready`. */
  serviceReady = 'serviceReady',
  /** The service left `ready`. */
  serviceLeft = 'serviceLeft',
  /** The timer of `waiting` fired. */
  due = 'due',
  passed = 'passed',
  /** The check failed, timed out or could not run; `message` says how. */
  failed = 'failed',
}
export const HEALTH_EVENT_TYPES = Object.values(HealthEventType);

export type HealthEvent =
  | { type: HealthEventType.serviceReady }
  | { type: HealthEventType.serviceLeft }
  | { type: HealthEventType.due }
  | { type: HealthEventType.passed; message: string }
  | { type: HealthEventType.failed; message: string };

export enum HealthActionType {
  armTimer = 'armTimer',
  cancelTimer = 'cancelTimer',
  runCheck = 'runCheck',
  cancelCheck = 'cancelCheck',
  /** Restart the service through the goal (intent restart), for `reason`. */
  restart = 'restart',
}

export type HealthAction =
  | { type: HealthActionType.armTimer; ms: number }
  | { type: HealthActionType.cancelTimer }
  | { type: HealthActionType.runCheck }
  | { type: HealthActionType.cancelCheck }
  | { type: HealthActionType.restart; reason: string };

export interface HealthResult {
  ok: boolean;
  message: string;
  /** ms since the epoch. */
  at: number;
}

export interface HealthMemory {
  /** Whether a check has ended since the service last became ready. */
  checkedSinceReady: boolean;
  consecutiveFailures: number;
  lastResult: HealthResult | null;
  /** Restarts this check asked for, since init started. */
  restarts: number;
  lastRestartReason: string;
  /** Set when a restart is asked; cleared by the next passing check, or when the service leaves ready otherwise. */
  restartNote: string;
  /** Restarts asked in a row (no pass, no other exit from ready between): each delays the next run's first check. */
  restartStreak: number;
}

export interface HealthMachine {
  state: HealthState;
  mem: HealthMemory;
}

export interface HealthTransition extends HealthMachine {
  actions: HealthAction[];
}

export const initialHealth = (): HealthMachine => ({
  state: HealthState.idle,
  mem: { checkedSinceReady: false, consecutiveFailures: 0, lastResult: null, restarts: 0, lastRestartReason: '', restartNote: '', restartStreak: 0 },
});

/** `health check failed 3 times: tcp 127.0.0.1:8080: connection refused`. */
export function unhealthyReason(failures: number, message: string): string {
  return `health check failed ${failures} time${failures === 1 ? '' : 's'}: ${message}`;
}

/**
 * Extra ms before the first check of a run that follows `streak` health restarts in a row (no pass between):
 * 0, then HEALTH_RESTART_BACKOFF_MIN_MS doubling up to HEALTH_RESTART_BACKOFF_MAX_MS, so an always-failing check
 * restarts its service less and less often (Kubernetes backs off liveness restarts the same way).
 */
export function restartBackoffMs(streak: number): number {
  if (streak <= 0) return 0;
  let ms = HEALTH_RESTART_BACKOFF_MIN_MS;
  for (let i = 1; i < streak && ms < HEALTH_RESTART_BACKOFF_MAX_MS; i++) ms *= 2;
  return Math.min(ms, HEALTH_RESTART_BACKOFF_MAX_MS);
}

/**
 * The transition function over every (state, event) pair; impossible pairs throw ImpossibleHealthEventError.
 * `spec` is the service's current health settings. Pure.
 */
export function stepHealth(m: HealthMachine, e: HealthEvent, spec: HealthSpec, now: number): HealthTransition {
  const impossible = (): never => {
    throw new ImpossibleHealthEventError(m.state, e.type);
  };
  const go = (state: HealthState, actions: HealthAction[] = [], mem: Partial<HealthMemory> = {}): HealthTransition => ({
    state,
    mem: { ...m.mem, ...mem },
    actions,
  });
  const wait = (mem: Partial<HealthMemory>): HealthTransition => go(HealthState.waiting, [{ type: HealthActionType.armTimer, ms: spec.intervalMs }], mem);
  const left = (): HealthTransition => go(HealthState.idle, [{ type: HealthActionType.cancelTimer }, { type: HealthActionType.cancelCheck }], { restartNote: '', restartStreak: 0 });
  switch (m.state) {
    case HealthState.idle:
      switch (e.type) {
        case HealthEventType.serviceReady:
          return go(HealthState.waiting, [{ type: HealthActionType.armTimer, ms: spec.startPeriodMs + spec.intervalMs + restartBackoffMs(m.mem.restartStreak) }], {
            consecutiveFailures: 0,
            checkedSinceReady: false,
          });
        case HealthEventType.serviceLeft:
          return go(HealthState.idle);
        default:
          return impossible();
      }
    case HealthState.waiting:
    case HealthState.checking:
      switch (e.type) {
        case HealthEventType.serviceLeft:
          return left();
        case HealthEventType.due:
          return m.state === HealthState.waiting ? go(HealthState.checking, [{ type: HealthActionType.runCheck }]) : impossible();
        case HealthEventType.passed:
          if (m.state !== HealthState.checking) return impossible();
          return wait({ consecutiveFailures: 0, checkedSinceReady: true, lastResult: { ok: true, message: e.message, at: now }, restartNote: '', restartStreak: 0 });
        case HealthEventType.failed: {
          if (m.state !== HealthState.checking) return impossible();
          const failures = m.mem.consecutiveFailures + 1;
          const lastResult = { ok: false, message: e.message, at: now };
          const checkedSinceReady = true;
          if (failures < spec.retries) return wait({ consecutiveFailures: failures, lastResult, checkedSinceReady });
          const reason = unhealthyReason(failures, e.message);
          const restart = { consecutiveFailures: failures, lastResult, checkedSinceReady, restarts: m.mem.restarts + 1, lastRestartReason: reason, restartNote: reason, restartStreak: m.mem.restartStreak + 1 };
          return go(HealthState.unhealthy, [{ type: HealthActionType.restart, reason }], restart);
        }
        case HealthEventType.serviceReady:
          return impossible();
        default:
          return assertNever(e);
      }
    case HealthState.unhealthy:
      switch (e.type) {
        case HealthEventType.serviceLeft: // the restart began: keep the note until the service passes a check again
          return go(HealthState.idle);
        default:
          return impossible();
      }
    default:
      return assertNever(m.state);
  }
}

/** What a person is told: off (not checked), starting (no result since ready), healthy, failing, unhealthy. */
export type HealthStatusName = 'off' | 'starting' | 'healthy' | 'failing' | 'unhealthy';

export function healthStatusOf(m: HealthMachine): HealthStatusName {
  switch (m.state) {
    case HealthState.idle:
      return 'off';
    case HealthState.unhealthy:
      return 'unhealthy';
    case HealthState.waiting:
    case HealthState.checking:
      if (!m.mem.checkedSinceReady) return 'starting';
      return m.mem.consecutiveFailures > 0 ? 'failing' : 'healthy';
    default:
      return assertNever(m.state);
  }
}
