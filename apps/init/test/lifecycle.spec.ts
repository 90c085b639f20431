// The lifecycle table: every (type, state, event) pair → next state and actions, or an ImpossibleEventError.
import assert from 'node:assert/strict';
import { CRASH_LOOP_MAX_RESTARTS, RESTART_RESET_AFTER_MS, SHUTDOWN_KILL_AFTER_MS } from '../src/constants.js';
import { ImpossibleEventError } from '../src/errors.js';
import { restartDelayMs } from '../src/service/backoff.js';
import {
  ActionType as A, EVENT_TYPES, EventType, initialMemory, ProcKind, SERVICE_STATES, ServiceState as S, step, StopMode,
  type LifecycleMemory, type LifecycleService, type LifecycleSpec, type ServiceEvent,
} from '../src/service/lifecycle.js';

const NOW = 1_800_000_000_000;
const exit = (code: number | null, signal: NodeJS.Signals | null = null) => ({ code, signal });

/** Every event, with the variants that matter; keys name them in the tables. */
const EVENTS: Record<string, ServiceEvent> = {
  'want+': { type: EventType.want, depsReady: true, waitingOn: [], reason: '' },
  'want-': { type: EventType.want, depsReady: false, waitingOn: ['db'], reason: 'waiting on db' },
  unwant: { type: EventType.unwant, mode: StopMode.normal },
  depsReady: { type: EventType.depsReady },
  depsNotReady: { type: EventType.depsNotReady, waitingOn: ['db'], reason: 'waiting on db' },
  'spawned:run': { type: EventType.spawned, proc: ProcKind.run, pid: 300 },
  'spawned:finish': { type: EventType.spawned, proc: ProcKind.finish, pid: 301 },
  'spawned:up': { type: EventType.spawned, proc: ProcKind.up, pid: 302 },
  'spawned:down': { type: EventType.spawned, proc: ProcKind.down, pid: 303 },
  'spawnFailed:run': { type: EventType.spawnFailed, proc: ProcKind.run, message: 'EACCES' },
  'spawnFailed:finish': { type: EventType.spawnFailed, proc: ProcKind.finish, message: 'EACCES' },
  'spawnFailed:up': { type: EventType.spawnFailed, proc: ProcKind.up, message: 'EACCES' },
  'spawnFailed:down': { type: EventType.spawnFailed, proc: ProcKind.down, message: 'EACCES' },
  readyNotified: { type: EventType.readyNotified },
  notifyEof: { type: EventType.notifyEof },
  exited: { type: EventType.exited, exit: exit(1) },
  finishExited: { type: EventType.finishExited, exit: exit(0) },
  'finishExited:125': { type: EventType.finishExited, exit: exit(125) },
  upSucceeded: { type: EventType.upSucceeded },
  upFailed: { type: EventType.upFailed, exit: exit(2) },
  downDone: { type: EventType.downDone, exit: exit(0) },
  readyTimeout: { type: EventType.readyTimeout },
  stopTimeout: { type: EventType.stopTimeout },
  downTimeout: { type: EventType.downTimeout },
  finishTimeout: { type: EventType.finishTimeout },
  backoffElapsed: { type: EventType.backoffElapsed },
  hurry: { type: EventType.hurry },
  loadFailed: { type: EventType.loadFailed, reason: 'svc/timeout-up: expected a number' },
};

/** Expected: next state and the action types in order. A pair missing from a row must throw. */
type Row = Record<string, [S, ...A[]]>;
type Table = Record<S, Row>;

const noop = (state: S, keys: string[]): Row => Object.fromEntries(keys.map((k) => [k, [state]]));
const STOP: A[] = [A.cancelTimer, A.signal, A.signal, A.armTimer];
const RUN_GONE: A[] = [A.cancelTimer, A.cancelTimer, A.cancelTimer, A.killGroup, A.runFinish, A.armTimer];

const LONGRUN: Table = {
  [S.inactive]: {
    ...noop(S.inactive, ['unwant', 'depsReady', 'depsNotReady', 'hurry']),
    'want+': [S.starting, A.spawn, A.armTimer],
    'want-': [S.blocked],
    loadFailed: [S.failed],
  },
  [S.failed]: {
    ...noop(S.failed, ['unwant', 'depsReady', 'depsNotReady', 'hurry']),
    'want+': [S.starting, A.spawn, A.armTimer],
    'want-': [S.blocked],
    loadFailed: [S.failed],
  },
  [S.blocked]: {
    ...noop(S.blocked, ['want+', 'want-', 'hurry', 'depsNotReady']),
    unwant: [S.inactive],
    depsReady: [S.starting, A.spawn, A.armTimer],
    loadFailed: [S.failed],
  },
  [S.starting]: {
    ...noop(S.starting, ['want+', 'want-', 'depsReady', 'depsNotReady', 'hurry']),
    unwant: [S.stopping, ...STOP],
    readyNotified: [S.ready, A.cancelTimer],
    notifyEof: [S.stopping, ...STOP],
    readyTimeout: [S.stopping, ...STOP],
    exited: [S.backoff, ...RUN_GONE],
  },
  [S.ready]: { ...noop(S.ready, ['want+', 'want-', 'depsReady', 'depsNotReady', 'hurry']), unwant: [S.stopping, ...STOP], exited: [S.backoff, ...RUN_GONE] },
  [S.stopping]: {
    ...noop(S.stopping, ['want+', 'want-', 'unwant', 'depsReady', 'depsNotReady', 'readyNotified', 'notifyEof', 'spawned:finish', 'finishTimeout']),
    exited: [S.stopping, ...RUN_GONE],
    'spawnFailed:finish': [S.inactive, A.cancelTimer],
    finishExited: [S.inactive, A.cancelTimer],
    'finishExited:125': [S.inactive, A.cancelTimer],
    stopTimeout: [S.stopping, A.killGroup],
    downTimeout: [S.stopping, A.killGroup],
    hurry: [S.stopping, A.armTimer],
  },
  [S.backoff]: {
    ...noop(S.backoff, ['want+', 'want-', 'depsReady', 'depsNotReady', 'hurry', 'spawned:finish']),
    unwant: [S.stopping, A.cancelTimer],
    'spawnFailed:finish': [S.backoff, A.cancelTimer, A.killGroup, A.scheduleRestart],
    finishExited: [S.backoff, A.cancelTimer, A.killGroup, A.scheduleRestart],
    'finishExited:125': [S.failed, A.cancelTimer, A.killGroup],
    finishTimeout: [S.backoff, A.killGroup],
    backoffElapsed: [S.starting, A.spawn, A.armTimer],
  },
};

const ONESHOT: Table = {
  [S.inactive]: {
    ...noop(S.inactive, ['unwant', 'depsReady', 'depsNotReady', 'hurry']),
    'want+': [S.starting, A.runUp, A.armTimer],
    'want-': [S.blocked],
    loadFailed: [S.failed],
  },
  [S.failed]: {
    ...noop(S.failed, ['unwant', 'depsReady', 'depsNotReady', 'hurry', 'upSucceeded', 'upFailed', 'downDone']),
    'want+': [S.starting, A.runUp, A.armTimer],
    'want-': [S.blocked],
    loadFailed: [S.failed],
  },
  [S.blocked]: {
    ...noop(S.blocked, ['want+', 'want-', 'hurry', 'depsNotReady']),
    unwant: [S.inactive],
    depsReady: [S.starting, A.runUp, A.armTimer],
    loadFailed: [S.failed],
  },
  [S.starting]: {
    ...noop(S.starting, ['want+', 'want-', 'unwant', 'depsReady', 'depsNotReady', 'spawned:up']),
    'spawnFailed:up': [S.failed, A.cancelTimer],
    upSucceeded: [S.ready, A.cancelTimer],
    upFailed: [S.failed, A.cancelTimer],
    readyTimeout: [S.failed, A.cancelTimer, A.killGroup],
    hurry: [S.failed, A.cancelTimer, A.killGroup],
  },
  [S.ready]: { ...noop(S.ready, ['want+', 'want-', 'depsReady', 'depsNotReady', 'hurry']), unwant: [S.stopping, A.runDown, A.armTimer] },
  [S.stopping]: {
    ...noop(S.stopping, ['want+', 'want-', 'unwant', 'depsReady', 'depsNotReady', 'spawned:down']),
    'spawnFailed:down': [S.failed, A.cancelTimer],
    downDone: [S.inactive, A.cancelTimer],
    downTimeout: [S.failed, A.cancelTimer, A.killGroup],
    hurry: [S.failed, A.cancelTimer, A.killGroup],
  },
  [S.backoff]: {},
};

const BUNDLE: Table = {
  [S.inactive]: { ...noop(S.inactive, ['unwant', 'depsReady', 'depsNotReady', 'hurry']), 'want+': [S.ready], 'want-': [S.blocked], loadFailed: [S.failed] },
  [S.blocked]: { ...noop(S.blocked, ['want+', 'want-', 'hurry', 'depsNotReady']), unwant: [S.inactive], depsReady: [S.ready], loadFailed: [S.failed] },
  [S.ready]: { ...noop(S.ready, ['want+', 'want-', 'hurry', 'depsReady']), unwant: [S.inactive], depsNotReady: [S.blocked] },
  [S.starting]: {},
  [S.stopping]: {},
  [S.backoff]: {},
  [S.failed]: {},
};

const SPEC: Record<'longrun' | 'oneshot' | 'bundle', LifecycleSpec> = {
  longrun: { type: 'longrun', hasFinish: true, hasUp: false, hasDown: false, notificationFd: 3, timeoutUpMs: 2000, timeoutDownMs: 0, timeoutKillMs: 3000, downSignal: 'SIGTERM', restartDelayMaxMs: 30_000 },
  oneshot: { type: 'oneshot', hasFinish: false, hasUp: true, hasDown: true, timeoutUpMs: 1000, timeoutDownMs: 1000, timeoutKillMs: 0, downSignal: 'SIGTERM', restartDelayMaxMs: 0 },
  bundle: { type: 'bundle', hasFinish: false, hasUp: false, hasDown: false, timeoutUpMs: 0, timeoutDownMs: 0, timeoutKillMs: 0, downSignal: 'SIGTERM', restartDelayMaxMs: 0 },
};

/** The memory a service typically has in each state (longrun backoff: finish still running). */
function memFor(type: keyof typeof SPEC, state: S): LifecycleMemory {
  const m = { ...initialMemory(), spawnedAt: NOW - 500 };
  if (state === S.blocked) return { ...m, waitingOn: ['db'] };
  if (type === 'longrun' && (state === S.starting || state === S.ready || state === S.stopping)) return { ...m, pid: 100 };
  if (type === 'longrun' && state === S.backoff) return { ...m, finishPid: 200, crashes: 1, streakStartedAt: NOW - 500, lastExit: exit(1) };
  if (type === 'oneshot' && (state === S.starting || state === S.stopping)) return { ...m, pid: 100 };
  return m;
}

const svc = (type: keyof typeof SPEC, state: S, over: Partial<LifecycleMemory> = {}, spec: Partial<LifecycleSpec> = {}): LifecycleService => ({
  name: 'svc',
  state,
  reason: state === S.failed ? 'earlier failure' : '',
  spec: { ...SPEC[type], ...spec },
  mem: { ...memFor(type, state), ...over },
});

describe('lifecycle step: every (state, event) pair', () => {
  it('names every event type in the table keys', () => {
    assert.deepEqual([...new Set(Object.values(EVENTS).map((e) => e.type))].sort(), [...EVENT_TYPES].sort());
  });

  for (const [type, table] of [['longrun', LONGRUN], ['oneshot', ONESHOT], ['bundle', BUNDLE]] as const) {
    describe(type, () => {
      for (const state of SERVICE_STATES) {
        it(`${state}: every event`, () => {
          for (const [key, event] of Object.entries(EVENTS)) {
            const expected = table[state][key];
            const where = `${type} ${state} + ${key}`;
            if (expected === undefined) {
              assert.throws(() => step(svc(type, state), event, NOW), ImpossibleEventError, `${where} should throw`);
              continue;
            }
            const t = step(svc(type, state), event, NOW);
            assert.deepEqual([t.state, ...t.actions.map((a) => a.type)], expected, where);
          }
        });
      }
    });
  }
});

describe('lifecycle step: details', () => {
  const run = (s: LifecycleService, key: string | ServiceEvent, now = NOW) => step(s, typeof key === 'string' ? EVENTS[key]! : key, now);

  it('a longrun without notification-fd is ready when spawned; with one it waits', () => {
    assert.equal(run(svc('longrun', S.starting, { pid: 0 }, { notificationFd: undefined }), 'spawned:run').state, S.ready);
    const t = run(svc('longrun', S.starting, { pid: 0 }), 'spawned:run');
    assert.equal(t.state, S.starting);
    assert.equal(t.mem.pid, 300);
  });

  it('a run that cannot be spawned counts as a crash (exit 127)', () => {
    const t = run(svc('longrun', S.starting, { pid: 0 }, { hasFinish: false }), 'spawnFailed:run');
    assert.equal(t.state, S.backoff);
    assert.deepEqual(t.mem.lastExit, { code: 127, signal: null });
    assert.match(t.reason, /^cannot start run: EACCES; restart at /);
  });

  it('a crash without finish schedules the restart 1 s after the spawn, then 2 s, 4 s … after the death, capped, and names the time', () => {
    // the default run was spawned 500 ms before NOW: the first restart waits out the 1 s between two spawns
    const t = run(svc('longrun', S.ready, {}, { hasFinish: false }), 'exited');
    assert.deepEqual(t.actions.map((a) => a.type), [A.cancelTimer, A.cancelTimer, A.cancelTimer, A.killGroup, A.scheduleRestart]);
    assert.deepEqual(t.actions.at(-1), { type: A.scheduleRestart, at: NOW + 500 });
    assert.equal(t.reason, `run exited with code 1; restart at ${new Date(NOW + 500).toISOString()}`);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelayMs(n, 30_000)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(restartDelayMs(3, 0), 1000, 'never below the 1 s minimum');
    const third = run(svc('longrun', S.ready, { crashes: 2, streakStartedAt: NOW - 5000 }, { hasFinish: false }), 'exited');
    assert.deepEqual(third.actions.at(-1), { type: A.scheduleRestart, at: NOW + 4000 });
  });

  it('a run that stayed up 60 s resets the backoff', () => {
    const t = run(svc('longrun', S.ready, { crashes: 5, spawnedAt: NOW - RESTART_RESET_AFTER_MS }, { hasFinish: false }), 'exited');
    assert.equal(t.mem.crashes, 1);
    assert.deepEqual(t.actions.at(-1), { type: A.scheduleRestart, at: NOW });
  });

  it('the first crash of a run that was up over 1 s restarts at once (s6: only 1 s between two spawns)', () => {
    const t = run(svc('longrun', S.ready, { spawnedAt: NOW - 1500 }, { hasFinish: false }), 'exited');
    assert.equal(t.state, S.backoff);
    assert.deepEqual(t.actions.at(-1), { type: A.scheduleRestart, at: NOW });
    const second = run(svc('longrun', S.ready, { crashes: 1, streakStartedAt: NOW - 3000, spawnedAt: NOW - 1500 }, { hasFinish: false }), 'exited');
    assert.deepEqual(second.actions.at(-1), { type: A.scheduleRestart, at: NOW + 2000 }, 'a second fast crash backs off');
  });

  it('gives up on a crash loop', () => {
    const t = run(svc('longrun', S.ready, { crashes: CRASH_LOOP_MAX_RESTARTS, streakStartedAt: NOW - 61_000 }, { hasFinish: false }), 'exited');
    assert.equal(t.state, S.failed);
    assert.equal(t.reason, `crash loop: ${CRASH_LOOP_MAX_RESTARTS} restarts in 61 s; last: run exited with code 1`);
  });

  it('passes finish the exit code and signal as s6 does (256 and the number when killed)', () => {
    const t = run(svc('longrun', S.ready), { type: EventType.exited, exit: exit(null, 'SIGKILL') });
    assert.deepEqual(t.actions.find((a) => a.type === A.runFinish), { type: A.runFinish, args: [256, 9] });
    assert.equal(t.reason, 'run killed by SIGKILL; running finish');
  });

  it('readiness timeout stops the process, then fails once it is gone', () => {
    const stopping = run(svc('longrun', S.starting), 'readyTimeout');
    assert.equal(stopping.reason, 'readiness timed out after 2000 ms');
    assert.deepEqual(stopping.actions.filter((a) => a.type === A.signal), [
      { type: A.signal, pid: 100, signal: 'SIGTERM' },
      { type: A.signal, pid: 100, signal: 'SIGCONT' },
    ]);
    const next = { ...svc('longrun', S.stopping, stopping.mem, { hasFinish: false }), reason: stopping.reason };
    const done = run(next, 'exited');
    assert.equal(done.state, S.failed);
    assert.equal(done.reason, 'readiness timed out after 2000 ms');
  });

  it('kill timeout: timeout-kill normally, never when 0, bounded at shutdown and when hurried', () => {
    const kill = (timeoutKillMs: number, mode: StopMode) =>
      step(svc('longrun', S.ready, {}, { timeoutKillMs }), { type: EventType.unwant, mode }, NOW).actions.find((a) => a.type === A.armTimer);
    assert.deepEqual(kill(3000, StopMode.normal), { type: A.armTimer, timer: 'kill', ms: 3000 });
    assert.equal(kill(0, StopMode.normal), undefined);
    assert.deepEqual(kill(0, StopMode.shutdown), { type: A.armTimer, timer: 'kill', ms: SHUTDOWN_KILL_AFTER_MS });
    assert.deepEqual(kill(3000, StopMode.hurry), { type: A.armTimer, timer: 'kill', ms: 1000 });
  });

  it('backoff without a finish running stops at once; oneshot down failure is named', () => {
    assert.equal(run(svc('longrun', S.backoff, { finishPid: 0 }), 'unwant').state, S.inactive);
    const t = run(svc('oneshot', S.stopping), { type: EventType.downDone, exit: exit(3) });
    assert.equal(t.state, S.failed);
    assert.equal(t.reason, 'down exited with code 3');
  });

  it('a oneshot without up is ready at once and without down inactive at once', () => {
    assert.equal(run(svc('oneshot', S.inactive, {}, { hasUp: false }), 'want+').state, S.ready);
    assert.equal(run(svc('oneshot', S.ready, {}, { hasDown: false }), 'unwant').state, S.inactive);
  });

  it('a definition found broken by a rescan fails a service that is down, with the load reason', () => {
    for (const type of ['longrun', 'oneshot', 'bundle'] as const) {
      for (const state of [S.inactive, S.blocked]) {
        const t = run(svc(type, state), 'loadFailed');
        assert.equal(t.state, S.failed);
        assert.equal(t.reason, 'svc/timeout-up: expected a number');
        assert.deepEqual(t.mem.waitingOn, []);
      }
    }
  });

  it('blocked names what it waits on; leaving blocked clears it', () => {
    const b = run(svc('longrun', S.inactive), 'want-');
    assert.deepEqual(b.mem.waitingOn, ['db']);
    assert.equal(b.reason, 'waiting on db');
    assert.deepEqual(run(svc('longrun', S.blocked), 'depsReady').mem.waitingOn, []);
  });
});
