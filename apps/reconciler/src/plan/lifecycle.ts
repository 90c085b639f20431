// A workload's lifecycle on this node: states and events as data, one `step` handling every pair (STYLE §5).
// Side effects come back as a list of effects; the caller performs them.
import { assertNever } from '@fortros/core';
import { CRASH_LOOP_EXITS, RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_MIN_MS, RESTART_BACKOFF_RESET_MS } from '../constants.js';
import { ImpossibleTransitionError } from '../errors.js';
import type { RestartPolicy } from '../spec.js';

export enum WorkloadState {
  /** A start was asked of the driver; its run is not seen yet. */
  Starting = 'starting',
  Running = 'running',
  /** Ended (or could not start); a start is scheduled at `restartAt`. */
  Backoff = 'backoff',
  /** Ended with success, and the policy does not restart it. */
  Succeeded = 'succeeded',
  /** Ended with failure, and the policy does not restart it. */
  Failed = 'failed',
  /** A stop was asked of the driver; `restartAfterStop` starts it again once gone (a changed spec). */
  Stopping = 'stopping',
}

/** How a run ended: an exit code, or the signal that killed it; neither when the run was lost. */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

export interface WorkloadRecord {
  id: string;
  state: WorkloadState;
  policy: RestartPolicy;
  /** Which spec the current run was started from; a different one means restart. */
  specHash: string;
  /** Restarts made so far (never reset). */
  restarts: number;
  /** Exits (or failed starts) in a row since the last run that stayed up RESTART_BACKOFF_RESET_MS. */
  streak: number;
  /** When the record entered `state` (ms since the epoch). */
  since: number;
  pid?: number;
  /** When the current or last run started (ms). */
  runStartedAt?: number;
  restartAt?: number;
  lastExit?: ExitStatus;
  reason?: string;
  restartAfterStop: boolean;
}

export type WorkloadEvent =
  | { type: 'run:up'; pid: number; startedAt: number }
  | { type: 'run:exit'; exit: ExitStatus; startedAt: number; endedAt: number }
  /** The run vanished without an exit status (its anchor's state is gone). */
  | { type: 'run:gone' }
  | { type: 'start:failed'; error: string }
  | { type: 'timer' }
  | { type: 'spec:changed'; specHash: string }
  | { type: 'unwanted' };

export type Effect = { type: 'start' } | { type: 'stop' } | { type: 'remove' } | { type: 'wake'; at: number };

export interface StepResult {
  /** undefined: forget the workload (it is gone and not wanted). */
  record: WorkloadRecord | undefined;
  effects: Effect[];
}

/** The delay before restart number `streak` (0-based) of a streak: 0, then 1 s doubling to the cap. */
export function backoffDelay(streak: number): number {
  if (streak <= 0) return 0;
  return Math.min(RESTART_BACKOFF_MIN_MS * 2 ** Math.min(streak - 1, 30), RESTART_BACKOFF_MAX_MS);
}

export const describeExit = (exit: ExitStatus): string =>
  exit.signal !== null ? `killed by ${exit.signal}` : exit.code !== null ? `exited with code ${exit.code}` : 'lost (no exit status)';

export function newRecord(id: string, policy: RestartPolicy, specHash: string, now: number): WorkloadRecord {
  return { id, state: WorkloadState.Starting, policy, specHash, restarts: 0, streak: 0, since: now, restartAfterStop: false };
}

/** The one transition function: every (state, event) pair is handled here or throws. */
export function step(record: WorkloadRecord, event: WorkloadEvent, now: number): StepResult {
  const r: WorkloadRecord = { ...record };
  const stay = (): StepResult => ({ record: r, effects: [] });
  const to = (state: WorkloadState, effects: Effect[] = []): StepResult => {
    if (state !== r.state) r.since = now;
    r.state = state;
    if (state !== WorkloadState.Backoff) delete r.restartAt;
    return { record: r, effects };
  };
  const impossible = (): never => {
    throw new ImpossibleTransitionError(r.id, r.state, event.type);
  };
  const forget = (): StepResult => ({ record: undefined, effects: [{ type: 'remove' }] });
  const restartFresh = (specHash: string): StepResult => {
    r.specHash = specHash;
    r.streak = 0;
    delete r.reason;
    return to(WorkloadState.Starting, [{ type: 'start' }]);
  };

  const state = r.state;
  switch (state) {
    case WorkloadState.Starting:
    case WorkloadState.Running:
      switch (event.type) {
        case 'run:up':
          r.pid = event.pid;
          r.runStartedAt = event.startedAt;
          delete r.reason;
          return to(WorkloadState.Running);
        case 'run:exit':
          return exited(r, event.exit, event.endedAt - event.startedAt, event.endedAt, to);
        case 'run:gone':
          return state === WorkloadState.Running ? exited(r, { code: null, signal: null }, now - (r.runStartedAt ?? now), now, to) : stay();
        case 'start:failed':
          if (state === WorkloadState.Running) return impossible();
          return scheduleRestart(r, `driver failed: ${event.error}`, to, now);
        case 'timer':
          return stay();
        case 'spec:changed':
          r.specHash = event.specHash;
          r.restartAfterStop = true;
          return to(WorkloadState.Stopping, [{ type: 'stop' }]);
        case 'unwanted':
          r.restartAfterStop = false;
          return to(WorkloadState.Stopping, [{ type: 'stop' }]);
      }
      return impossible();
    case WorkloadState.Backoff:
    case WorkloadState.Succeeded:
    case WorkloadState.Failed:
      switch (event.type) {
        case 'run:up':
        case 'start:failed':
          return impossible();
        case 'run:exit':
        case 'run:gone':
          return stay();
        case 'timer':
          if (state !== WorkloadState.Backoff || r.restartAt === undefined || now < r.restartAt) return stay();
          r.restarts++;
          return to(WorkloadState.Starting, [{ type: 'start' }]);
        case 'spec:changed':
          return restartFresh(event.specHash);
        case 'unwanted':
          return forget();
      }
      return impossible();
    case WorkloadState.Stopping:
      switch (event.type) {
        case 'run:up':
        case 'timer':
          return stay();
        case 'run:exit':
        case 'run:gone':
          if (event.type === 'run:exit') r.lastExit = event.exit;
          delete r.pid;
          return r.restartAfterStop ? restartFresh(r.specHash) : forget();
        case 'start:failed':
          return impossible();
        case 'spec:changed':
          r.specHash = event.specHash;
          r.restartAfterStop = true;
          return stay();
        case 'unwanted':
          r.restartAfterStop = false;
          return stay();
      }
      return impossible();
    default:
      return assertNever(state);
  }
}

type To = (state: WorkloadState, effects?: Effect[]) => StepResult;

/** A run ended: succeeded/failed per policy, or a restart now or after backoff. */
function exited(r: WorkloadRecord, exit: ExitStatus, upMs: number, endedAt: number, to: To): StepResult {
  r.lastExit = exit;
  delete r.pid;
  const success = exit.code === 0 && exit.signal === null;
  if (r.policy === 'never' || (r.policy === 'on-failure' && success)) {
    if (success) {
      delete r.reason;
      return to(WorkloadState.Succeeded);
    }
    r.reason = describeExit(exit);
    return to(WorkloadState.Failed);
  }
  if (upMs >= RESTART_BACKOFF_RESET_MS) r.streak = 0;
  return scheduleRestart(r, describeExit(exit), to, endedAt);
}

function scheduleRestart(r: WorkloadRecord, why: string, to: To, now: number): StepResult {
  const delay = backoffDelay(r.streak);
  r.streak++;
  r.reason = r.streak >= CRASH_LOOP_EXITS ? `crash loop: ${r.streak} exits in a row, last ${why}` : why;
  if (delay === 0) {
    r.restarts++;
    return to(WorkloadState.Starting, [{ type: 'start' }]);
  }
  const result = to(WorkloadState.Backoff);
  r.restartAt = now + delay;
  result.effects.push({ type: 'wake', at: r.restartAt });
  return result;
}
