// The oneshot table of `step`: starting = `up` running, ready = up succeeded, stopping = `down` running.
import { EXIT_CODE_CANNOT_EXEC } from '../constants.js';
import {
  ActionType, assertNever, blocked, describeExit, EventType, impossible, ServiceState, stay, TimerKind, to,
  type Action, type LifecycleService, type ServiceEvent, type Transition,
} from './lifecycle-model.js';

function startUp(s: LifecycleService): Transition {
  if (!s.spec.hasUp) return to(s, ServiceState.ready, '', [], { pid: 0 });
  const actions: Action[] = [{ type: ActionType.runUp }];
  if (s.spec.timeoutUpMs > 0) actions.push({ type: ActionType.armTimer, timer: TimerKind.up, ms: s.spec.timeoutUpMs });
  return to(s, ServiceState.starting, '', actions, { pid: 0 });
}

function startDown(s: LifecycleService): Transition {
  if (!s.spec.hasDown) return to(s, ServiceState.inactive, '', [], { pid: 0 });
  const actions: Action[] = [{ type: ActionType.runDown }];
  if (s.spec.timeoutDownMs > 0) actions.push({ type: ActionType.armTimer, timer: TimerKind.down, ms: s.spec.timeoutDownMs });
  return to(s, ServiceState.stopping, '', actions, { pid: 0 });
}

/** The running script was stopped by a timeout or a hurried shutdown: SIGKILL its group; its exit comes later. */
function killScript(s: LifecycleService, timer: TimerKind, reason: string): Transition {
  const actions: Action[] = [{ type: ActionType.cancelTimer, timer }];
  if (s.mem.pid !== 0) actions.push({ type: ActionType.killGroup, pgid: s.mem.pid, signal: 'SIGKILL' });
  return to(s, ServiceState.failed, reason, actions, { pid: 0 });
}

export function stepOneshot(s: LifecycleService, e: ServiceEvent): Transition {
  switch (s.state) {
    case ServiceState.inactive:
    case ServiceState.failed:
      switch (e.type) {
        case EventType.want:
          return e.depsReady ? startUp(s) : blocked(s, e);
        case EventType.unwant:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.hurry:
          return stay(s);
        case EventType.upSucceeded:
        case EventType.upFailed:
        case EventType.downDone:
          // only after a timeout killed the script (pid already 0): its late exit changes nothing
          return s.state === ServiceState.failed ? stay(s) : impossible(s, e);
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
          return startUp(s);
        case EventType.depsNotReady:
          return blocked(s, e);
        case EventType.loadFailed:
          return to(s, ServiceState.failed, e.reason);
        default:
          return impossible(s, e);
      }
    case ServiceState.starting:
      switch (e.type) {
        case EventType.want:
        case EventType.unwant: // `up` runs to its end (bounded by timeout-up); the stop follows once ready
        case EventType.depsReady:
        case EventType.depsNotReady:
          return stay(s);
        case EventType.spawned:
          return e.proc === 'up' ? stay(s, [], { pid: e.pid }) : impossible(s, e);
        case EventType.spawnFailed:
          if (e.proc !== 'up') return impossible(s, e);
          return to(s, ServiceState.failed, `cannot start up: ${e.message}`, [{ type: ActionType.cancelTimer, timer: TimerKind.up }], {
            lastExit: { code: EXIT_CODE_CANNOT_EXEC, signal: null },
          });
        case EventType.upSucceeded:
          return to(s, ServiceState.ready, '', [{ type: ActionType.cancelTimer, timer: TimerKind.up }], { pid: 0, lastExit: { code: 0, signal: null } });
        case EventType.upFailed:
          return to(s, ServiceState.failed, describeExit('up', e.exit), [{ type: ActionType.cancelTimer, timer: TimerKind.up }], { pid: 0, lastExit: e.exit });
        case EventType.readyTimeout:
          return killScript(s, TimerKind.up, `up timed out after ${s.spec.timeoutUpMs} ms`);
        case EventType.hurry:
          return killScript(s, TimerKind.up, 'up killed: shutdown hurried');
        default:
          return impossible(s, e);
      }
    case ServiceState.ready:
      switch (e.type) {
        case EventType.want:
        case EventType.depsReady:
        case EventType.depsNotReady:
        case EventType.hurry:
          return stay(s);
        case EventType.unwant:
          return startDown(s);
        default:
          return impossible(s, e);
      }
    case ServiceState.stopping:
      switch (e.type) {
        case EventType.want:
        case EventType.unwant:
        case EventType.depsReady:
        case EventType.depsNotReady:
          return stay(s);
        case EventType.spawned:
          return e.proc === 'down' ? stay(s, [], { pid: e.pid }) : impossible(s, e);
        case EventType.spawnFailed:
          if (e.proc !== 'down') return impossible(s, e);
          return to(s, ServiceState.failed, `cannot start down: ${e.message}`, [{ type: ActionType.cancelTimer, timer: TimerKind.down }], {
            lastExit: { code: EXIT_CODE_CANNOT_EXEC, signal: null },
          });
        case EventType.downDone: {
          const actions: Action[] = [{ type: ActionType.cancelTimer, timer: TimerKind.down }];
          if (e.exit.code === 0) return to(s, ServiceState.inactive, '', actions, { pid: 0, lastExit: e.exit });
          return to(s, ServiceState.failed, describeExit('down', e.exit), actions, { pid: 0, lastExit: e.exit });
        }
        case EventType.downTimeout:
          return killScript(s, TimerKind.down, `down timed out after ${s.spec.timeoutDownMs} ms`);
        case EventType.hurry:
          return killScript(s, TimerKind.down, 'down killed: shutdown hurried');
        default:
          return impossible(s, e);
      }
    case ServiceState.backoff:
      return impossible(s, e);
    default:
      return assertNever(s.state);
  }
}
