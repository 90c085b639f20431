// The longrun table of `step`: spawn, readiness, crash/backoff/finish, stop with down-signal then SIGKILL.
import { constants } from 'node:os';
import { FINISH_ARG_KILLED_BY_SIGNAL, FINISH_EXIT_NO_RESTART, FINISH_TIMEOUT_MS, HURRY_KILL_AFTER_MS, SHUTDOWN_KILL_AFTER_MS, EXIT_CODE_CANNOT_EXEC } from '../constants.js';
import { isCrashLoop, nextStreak, restartAt } from './backoff.js';
import {
  ActionType, assertNever, blocked, describeExit, EventType, impossible, ServiceState, StopMode, stay, TimerKind, to,
  type Action, type ExitStatus, type LifecycleMemory, type LifecycleService, type LifecycleSpec, type ServiceEvent, type Transition,
} from './lifecycle-model.js';

/** ms between the down signal and SIGKILL to the group; 0 = never. Shutdown never waits forever. */
export function killAfterMs(spec: LifecycleSpec, mode: StopMode): number {
  const base = spec.timeoutKillMs;
  switch (mode) {
    case StopMode.normal:
      return base;
    case StopMode.shutdown:
      return base > 0 ? base : SHUTDOWN_KILL_AFTER_MS;
    case StopMode.hurry:
      return Math.min(base > 0 ? base : SHUTDOWN_KILL_AFTER_MS, HURRY_KILL_AFTER_MS);
    default:
      return assertNever(mode);
  }
}

function startRun(s: LifecycleService, now: number, mem: Partial<LifecycleMemory> = {}): Transition {
  const actions: Action[] = [{ type: ActionType.spawn }];
  if (s.spec.notificationFd !== undefined && s.spec.timeoutUpMs > 0) actions.push({ type: ActionType.armTimer, timer: TimerKind.up, ms: s.spec.timeoutUpMs });
  return to(s, ServiceState.starting, '', actions, { ...mem, spawnedAt: now, pid: 0, pendingFailure: '' });
}

function beginStop(s: LifecycleService, mode: StopMode, pendingFailure: string): Transition {
  if (s.mem.pid === 0) return finalStop(s, { ...s.mem, pendingFailure });
  const actions: Action[] = [
    { type: ActionType.cancelTimer, timer: TimerKind.up },
    { type: ActionType.signal, pid: s.mem.pid, signal: s.spec.downSignal },
    { type: ActionType.signal, pid: s.mem.pid, signal: 'SIGCONT' },
  ];
  const kill = killAfterMs(s.spec, mode);
  if (kill > 0) actions.push({ type: ActionType.armTimer, timer: TimerKind.kill, ms: kill });
  if (s.spec.timeoutDownMs > 0) actions.push({ type: ActionType.armTimer, timer: TimerKind.down, ms: s.spec.timeoutDownMs });
  return to(s, ServiceState.stopping, pendingFailure, actions, { pendingFailure });
}

/** Everything of the run is gone: `inactive`, or `failed` when the stop was a failure. */
function finalStop(s: LifecycleService, mem: LifecycleMemory, actions: Action[] = []): Transition {
  const failure = mem.pendingFailure;
  return to(s, failure ? ServiceState.failed : ServiceState.inactive, failure, actions, { ...mem, pendingFailure: '' });
}

function finishArgs(exit: ExitStatus): [number, number] {
  if (exit.signal !== null) return [FINISH_ARG_KILLED_BY_SIGNAL, constants.signals[exit.signal] ?? 0];
  return [exit.code ?? FINISH_ARG_KILLED_BY_SIGNAL, 0];
}

/** `run` is gone (exited, or never spawned): SIGKILL what is left of its group, then finish or decide. */
function runGone(s: LifecycleService, exit: ExitStatus, what: string, now: number, stopping: boolean): Transition {
  const actions: Action[] = [TimerKind.up, TimerKind.kill, TimerKind.down].map((timer) => ({ type: ActionType.cancelTimer, timer }));
  if (s.mem.pid !== 0) actions.push({ type: ActionType.killGroup, pgid: s.mem.pid, signal: 'SIGKILL' });
  let mem: LifecycleMemory = { ...s.mem, pid: 0, lastExit: exit };
  if (!stopping) mem = { ...mem, ...nextStreak(s.mem, s.mem.spawnedAt, now) };
  if (s.spec.hasFinish) {
    actions.push({ type: ActionType.runFinish, args: finishArgs(exit) }, { type: ActionType.armTimer, timer: TimerKind.finish, ms: FINISH_TIMEOUT_MS });
    if (stopping) return to(s, ServiceState.stopping, s.reason, actions, mem);
    return to(s, ServiceState.backoff, `${what}; running finish`, actions, mem);
  }
  if (stopping) return finalStop(s, mem, actions);
  return decideRestart(s, mem, what, now, actions);
}

/** After a crash (and its finish): restart later, or give up on a crash loop. */
function decideRestart(s: LifecycleService, mem: LifecycleMemory, what: string, now: number, actions: Action[]): Transition {
  if (isCrashLoop(mem.crashes)) {
    const secs = Math.round((now - mem.streakStartedAt) / 1000);
    return to(s, ServiceState.failed, `crash loop: ${mem.crashes - 1} restarts in ${secs} s; last: ${what}`, actions, mem);
  }
  const at = restartAt(mem.crashes, mem.spawnedAt, now, s.spec.restartDelayMaxMs);
  actions.push({ type: ActionType.scheduleRestart, at });
  return to(s, ServiceState.backoff, `${what}; restart at ${new Date(at).toISOString()}`, actions, mem);
}

/** `finish` is gone: in backoff decide the restart (125 = never), while stopping complete the stop. */
function finishGone(s: LifecycleService, exit: ExitStatus, now: number): Transition {
  const actions: Action[] = [{ type: ActionType.cancelTimer, timer: TimerKind.finish }];
  if (s.mem.finishPid !== 0) actions.push({ type: ActionType.killGroup, pgid: s.mem.finishPid, signal: 'SIGKILL' });
  const mem: LifecycleMemory = { ...s.mem, finishPid: 0 };
  if (s.state === ServiceState.stopping) return finalStop(s, mem, actions);
  if (exit.code === FINISH_EXIT_NO_RESTART) return to(s, ServiceState.failed, `finish exited with code ${FINISH_EXIT_NO_RESTART}: not restarting`, actions, mem);
  return decideRestart(s, mem, describeExit('run', s.mem.lastExit ?? exit), now, actions);
}

/** A program that could not be executed exits as a shell reports it: code 127. */
const cannotExec = (): ExitStatus => ({ code: EXIT_CODE_CANNOT_EXEC, signal: null });

export function stepLongrun(s: LifecycleService, e: ServiceEvent, now: number): Transition {
  switch (s.state) {
    case ServiceState.inactive:
    case ServiceState.failed:
      switch (e.type) {
        case EventType.want:
          return e.depsReady ? startRun(s, now, { crashes: 0 }) : blocked(s, e);
        case EventType.unwant:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.hurry:
          return stay(s);
        case EventType.loadFailed:
          return to(s, ServiceState.failed, e.reason);
        default:
          return impossible(s, e);
      }
    case ServiceState.blocked:
      switch (e.type) {
        case EventType.want:
        case EventType.hurry:
          return stay(s);
        case EventType.unwant:
          return to(s, ServiceState.inactive, '');
        case EventType.depsReady:
          return startRun(s, now, { crashes: 0 });
        case EventType.depsNotReady:
          return blocked(s, e);
        case EventType.loadFailed:
          return to(s, ServiceState.failed, e.reason);
        default:
          return impossible(s, e);
      }
    case ServiceState.starting:
    case ServiceState.ready: {
      const starting = s.state === ServiceState.starting;
      switch (e.type) {
        case EventType.want:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.hurry:
          return stay(s);
        case EventType.unwant:
          return beginStop(s, e.mode, '');
        case EventType.spawned:
          if (!starting || e.proc !== 'run' || s.mem.pid !== 0) return impossible(s, e);
          if (s.spec.notificationFd === undefined) return to(s, ServiceState.ready, '', [], { pid: e.pid });
          return stay(s, [], { pid: e.pid });
        case EventType.spawnFailed:
          if (!starting || e.proc !== 'run' || s.mem.pid !== 0) return impossible(s, e);
          return runGone(s, cannotExec(), `cannot start run: ${e.message}`, now, false);
        case EventType.readyNotified:
          if (!starting) return impossible(s, e);
          return to(s, ServiceState.ready, '', [{ type: ActionType.cancelTimer, timer: TimerKind.up }]);
        case EventType.notifyEof:
          if (!starting) return impossible(s, e);
          return beginStop(s, StopMode.normal, `closed notification fd ${s.spec.notificationFd} without writing a newline: it will never be ready`);
        case EventType.readyTimeout:
          if (!starting) return impossible(s, e);
          return beginStop(s, StopMode.normal, `readiness timed out after ${s.spec.timeoutUpMs} ms`);
        case EventType.exited:
          return runGone(s, e.exit, describeExit('run', e.exit), now, false);
        default:
          return impossible(s, e);
      }
    }
    case ServiceState.stopping:
      switch (e.type) {
        case EventType.want:
        case EventType.unwant:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.readyNotified:
        case EventType.notifyEof:
          return stay(s);
        case EventType.exited:
          return runGone(s, e.exit, describeExit('run', e.exit), now, true);
        case EventType.spawned:
          return e.proc === 'finish' ? stay(s, [], { finishPid: e.pid }) : impossible(s, e);
        case EventType.spawnFailed:
          return e.proc === 'finish' ? finishGone(s, cannotExec(), now) : impossible(s, e);
        case EventType.finishExited:
          return finishGone(s, e.exit, now);
        case EventType.stopTimeout:
          return s.mem.pid !== 0 ? stay(s, [{ type: ActionType.killGroup, pgid: s.mem.pid, signal: 'SIGKILL' }]) : stay(s);
        case EventType.downTimeout: {
          if (s.mem.pid === 0) return stay(s);
          const reason = s.mem.pendingFailure || `stop timed out after ${s.spec.timeoutDownMs} ms`;
          return to(s, ServiceState.stopping, reason, [{ type: ActionType.killGroup, pgid: s.mem.pid, signal: 'SIGKILL' }], { pendingFailure: reason });
        }
        case EventType.finishTimeout:
          return s.mem.finishPid !== 0 ? stay(s, [{ type: ActionType.killGroup, pgid: s.mem.finishPid, signal: 'SIGKILL' }]) : stay(s);
        case EventType.hurry:
          if (s.mem.pid === 0) return stay(s);
          return stay(s, [{ type: ActionType.armTimer, timer: TimerKind.kill, ms: killAfterMs(s.spec, StopMode.hurry) }]);
        default:
          return impossible(s, e);
      }
    case ServiceState.backoff:
      switch (e.type) {
        case EventType.want:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.hurry:
          return stay(s);
        case EventType.unwant: {
          const actions: Action[] = [{ type: ActionType.cancelTimer, timer: TimerKind.restart }];
          if (s.mem.finishPid !== 0) return to(s, ServiceState.stopping, '', actions);
          return to(s, ServiceState.inactive, '', actions);
        }
        case EventType.spawned:
          return e.proc === 'finish' ? stay(s, [], { finishPid: e.pid }) : impossible(s, e);
        case EventType.spawnFailed:
          return e.proc === 'finish' ? finishGone(s, cannotExec(), now) : impossible(s, e);
        case EventType.finishExited:
          return finishGone(s, e.exit, now);
        case EventType.finishTimeout:
          return s.mem.finishPid !== 0 ? stay(s, [{ type: ActionType.killGroup, pgid: s.mem.finishPid, signal: 'SIGKILL' }]) : stay(s);
        case EventType.backoffElapsed:
          return startRun(s, now, { restarts: s.mem.restarts + 1 });
        default:
          return impossible(s, e);
      }
    default:
      return assertNever(s.state);
  }
}
