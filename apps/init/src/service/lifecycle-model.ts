// The lifecycle's vocabulary as data: states, events, actions, memory, and helpers for the per-type tables.
import type { ServiceType } from '@fortros/servicedir';
import { ImpossibleEventError } from '../errors.js';

/** DESIGN §4: the vocabulary every API and CLI uses. */
export enum ServiceState {
  inactive = 'inactive',
  blocked = 'blocked',
  starting = 'starting',
  ready = 'ready',
  stopping = 'stopping',
  backoff = 'backoff',
  failed = 'failed',
}
export const SERVICE_STATES = Object.values(ServiceState);

export enum EventType {
  /** The service is wanted up; carries whether every dependency is ready. */
  want = 'want',
  /** The service is wanted down (its dependents are already down). */
  unwant = 'unwant',
  depsReady = 'depsReady',
  depsNotReady = 'depsNotReady',
  /** A process of the service was spawned (fed back at once by the spawn verb). */
  spawned = 'spawned',
  spawnFailed = 'spawnFailed',
  /** A newline arrived on the notification fd. */
  readyNotified = 'readyNotified',
  /** The notification fd closed without a newline while the process lives on: it will never be ready. */
  notifyEof = 'notifyEof',
  /** `run` exited. */
  exited = 'exited',
  finishExited = 'finishExited',
  upSucceeded = 'upSucceeded',
  upFailed = 'upFailed',
  downDone = 'downDone',
  /** Timers: timeout-up, timeout-kill, timeout-down, finish limit, backoff. */
  readyTimeout = 'readyTimeout',
  stopTimeout = 'stopTimeout',
  downTimeout = 'downTimeout',
  finishTimeout = 'finishTimeout',
  backoffElapsed = 'backoffElapsed',
  /** A second shutdown request: shorten the kill timeout of what is stopping. */
  hurry = 'hurry',
  /** A rescan found the service's new definition broken; sent only while no process of it lives. */
  loadFailed = 'loadFailed',
}
export const EVENT_TYPES = Object.values(EventType);

/** How a stop was asked: by a request, by the final shutdown, or by a hurried (second) shutdown request. */
export enum StopMode {
  normal = 'normal',
  shutdown = 'shutdown',
  hurry = 'hurry',
}

export enum ProcKind {
  run = 'run',
  finish = 'finish',
  up = 'up',
  down = 'down',
}

export enum TimerKind {
  up = 'up',
  kill = 'kill',
  down = 'down',
  finish = 'finish',
  restart = 'restart',
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type ServiceEvent =
  | { type: EventType.want; depsReady: boolean; waitingOn: string[]; reason: string }
  | { type: EventType.unwant; mode: StopMode }
  | { type: EventType.depsReady }
  | { type: EventType.depsNotReady; waitingOn: string[]; reason: string }
  | { type: EventType.spawned; proc: ProcKind; pid: number }
  | { type: EventType.spawnFailed; proc: ProcKind; message: string }
  | { type: EventType.readyNotified }
  | { type: EventType.notifyEof }
  | { type: EventType.exited; exit: ExitStatus }
  | { type: EventType.finishExited; exit: ExitStatus }
  | { type: EventType.upSucceeded }
  | { type: EventType.upFailed; exit: ExitStatus }
  | { type: EventType.downDone; exit: ExitStatus }
  | { type: EventType.readyTimeout }
  | { type: EventType.stopTimeout }
  | { type: EventType.downTimeout }
  | { type: EventType.finishTimeout }
  | { type: EventType.backoffElapsed }
  | { type: EventType.hurry }
  | { type: EventType.loadFailed; reason: string };

export enum ActionType {
  spawn = 'spawn',
  runFinish = 'runFinish',
  runUp = 'runUp',
  runDown = 'runDown',
  signal = 'signal',
  killGroup = 'killGroup',
  armTimer = 'armTimer',
  cancelTimer = 'cancelTimer',
  scheduleRestart = 'scheduleRestart',
}

export type Action =
  | { type: ActionType.spawn }
  /** s6's finish arguments: exit code (256 when killed by a signal), signal number (0 when none). */
  | { type: ActionType.runFinish; args: [number, number] }
  | { type: ActionType.runUp }
  | { type: ActionType.runDown }
  /** One process only (the down signal goes to the main process, as s6 sends it). */
  | { type: ActionType.signal; pid: number; signal: NodeJS.Signals }
  /** The whole process group (SIGKILL leftovers and stuck processes). */
  | { type: ActionType.killGroup; pgid: number; signal: NodeJS.Signals }
  | { type: ActionType.armTimer; timer: TimerKind; ms: number }
  | { type: ActionType.cancelTimer; timer: TimerKind }
  | { type: ActionType.scheduleRestart; at: number };

/** What the lifecycle needs to know of a service definition. */
export interface LifecycleSpec {
  type: ServiceType;
  hasFinish: boolean;
  hasUp: boolean;
  hasDown: boolean;
  notificationFd?: number;
  timeoutUpMs: number;
  timeoutDownMs: number;
  timeoutKillMs: number;
  downSignal: NodeJS.Signals;
  restartDelayMaxMs: number;
}

/** The lifecycle's bookkeeping, carried from step to step. Times are ms since the epoch. */
export interface LifecycleMemory {
  /** Main process (longrun `run`, oneshot `up`/`down`) alive, 0 when none. */
  pid: number;
  /** `finish` alive, 0 when none. */
  finishPid: number;
  spawnedAt: number;
  /** Restarts after crashes, since init started. */
  restarts: number;
  /** Consecutive fast crashes, and when that streak began. */
  crashes: number;
  streakStartedAt: number;
  /** Set while stopping towards `failed` (readiness timed out, notification fd closed). */
  pendingFailure: string;
  lastExit: ExitStatus | null;
  /** blocked: the dependencies not ready yet. */
  waitingOn: string[];
}

export interface LifecycleService {
  name: string;
  state: ServiceState;
  reason: string;
  spec: LifecycleSpec;
  mem: LifecycleMemory;
}

export interface Transition {
  state: ServiceState;
  actions: Action[];
  reason: string;
  mem: LifecycleMemory;
}

export function initialMemory(): LifecycleMemory {
  return { pid: 0, finishPid: 0, spawnedAt: 0, restarts: 0, crashes: 0, streakStartedAt: 0, pendingFailure: '', lastExit: null, waitingOn: [] };
}

/** The one assertNever (@fortros/core), re-exported for the tables that import their helpers from here. */
export { assertNever } from '@fortros/core';

// ---- helpers shared by the per-type tables ----

export function impossible(s: LifecycleService, e: ServiceEvent): never {
  throw new ImpossibleEventError(s.name, s.state, e.type);
}

export function stay(s: LifecycleService, actions: Action[] = [], mem: Partial<LifecycleMemory> = {}): Transition {
  return { state: s.state, actions, reason: s.reason, mem: { ...s.mem, ...mem } };
}

export function to(s: LifecycleService, state: ServiceState, reason: string, actions: Action[] = [], mem: Partial<LifecycleMemory> = {}): Transition {
  const waitingOn = state === ServiceState.blocked ? (mem.waitingOn ?? s.mem.waitingOn) : [];
  return { state, actions, reason, mem: { ...s.mem, ...mem, waitingOn } };
}

export function blocked(s: LifecycleService, e: { waitingOn: string[]; reason: string }): Transition {
  return to(s, ServiceState.blocked, e.reason, [], { waitingOn: [...e.waitingOn] });
}

export function describeExit(what: string, exit: ExitStatus): string {
  return exit.signal !== null ? `${what} killed by ${exit.signal}` : `${what} exited with code ${exit.code ?? 'unknown'}`;
}

