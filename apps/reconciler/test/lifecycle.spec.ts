// The workload lifecycle, table-driven: every (state, event) pair, and the restart backoff.
import assert from 'node:assert/strict';
import { backoffDelay, newRecord, step, type WorkloadEvent, type WorkloadRecord, WorkloadState } from '../src/plan/lifecycle.js';
import { ImpossibleTransitionError } from '../src/errors.js';
import { RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_RESET_MS } from '../src/constants.js';

const T = 1_000_000;
const EVENTS: Record<WorkloadEvent['type'], WorkloadEvent> = {
  'run:up': { type: 'run:up', pid: 42, startedAt: T },
  'run:exit': { type: 'run:exit', exit: { code: 1, signal: null }, startedAt: T, endedAt: T + 5 },
  'run:gone': { type: 'run:gone' },
  'start:failed': { type: 'start:failed', error: 'no such file' },
  timer: { type: 'timer' },
  'spec:changed': { type: 'spec:changed', specHash: 'new' },
  unwanted: { type: 'unwanted' },
};

function recordIn(state: WorkloadState): WorkloadRecord {
  const r = newRecord('w', 'always', 'old', T - 10);
  r.state = state;
  if (state === WorkloadState.Running || state === WorkloadState.Stopping) Object.assign(r, { pid: 7, runStartedAt: T - 10 });
  if (state === WorkloadState.Backoff) r.restartAt = T;
  return r;
}

// [state, event, next state ('forget' = record dropped, 'throws'), effects]
const TABLE: [WorkloadState, WorkloadEvent['type'], WorkloadState | 'forget' | 'throws', string[]][] = [
  [WorkloadState.Starting, 'run:up', WorkloadState.Running, []],
  [WorkloadState.Starting, 'run:exit', WorkloadState.Starting, ['start']],
  [WorkloadState.Starting, 'run:gone', WorkloadState.Starting, []],
  [WorkloadState.Starting, 'start:failed', WorkloadState.Starting, ['start']],
  [WorkloadState.Starting, 'timer', WorkloadState.Starting, []],
  [WorkloadState.Starting, 'spec:changed', WorkloadState.Stopping, ['stop']],
  [WorkloadState.Starting, 'unwanted', WorkloadState.Stopping, ['stop']],
  [WorkloadState.Running, 'run:up', WorkloadState.Running, []],
  [WorkloadState.Running, 'run:exit', WorkloadState.Starting, ['start']],
  [WorkloadState.Running, 'run:gone', WorkloadState.Starting, ['start']],
  [WorkloadState.Running, 'start:failed', 'throws', []],
  [WorkloadState.Running, 'timer', WorkloadState.Running, []],
  [WorkloadState.Running, 'spec:changed', WorkloadState.Stopping, ['stop']],
  [WorkloadState.Running, 'unwanted', WorkloadState.Stopping, ['stop']],
  [WorkloadState.Backoff, 'run:up', 'throws', []],
  [WorkloadState.Backoff, 'run:exit', WorkloadState.Backoff, []],
  [WorkloadState.Backoff, 'run:gone', WorkloadState.Backoff, []],
  [WorkloadState.Backoff, 'start:failed', 'throws', []],
  [WorkloadState.Backoff, 'timer', WorkloadState.Starting, ['start']],
  [WorkloadState.Backoff, 'spec:changed', WorkloadState.Starting, ['start']],
  [WorkloadState.Backoff, 'unwanted', 'forget', ['remove']],
  ...([WorkloadState.Succeeded, WorkloadState.Failed] as const).flatMap((s) => [
    [s, 'run:up', 'throws', []],
    [s, 'run:exit', s, []],
    [s, 'run:gone', s, []],
    [s, 'start:failed', 'throws', []],
    [s, 'timer', s, []],
    [s, 'spec:changed', WorkloadState.Starting, ['start']],
    [s, 'unwanted', 'forget', ['remove']],
  ] as [WorkloadState, WorkloadEvent['type'], WorkloadState | 'forget' | 'throws', string[]][]),
  [WorkloadState.Stopping, 'run:up', WorkloadState.Stopping, []],
  [WorkloadState.Stopping, 'run:exit', 'forget', ['remove']],
  [WorkloadState.Stopping, 'run:gone', 'forget', ['remove']],
  [WorkloadState.Stopping, 'start:failed', 'throws', []],
  [WorkloadState.Stopping, 'timer', WorkloadState.Stopping, []],
  [WorkloadState.Stopping, 'spec:changed', WorkloadState.Stopping, []],
  [WorkloadState.Stopping, 'unwanted', WorkloadState.Stopping, []],
];

describe('workload lifecycle: step', () => {
  it('the table covers every (state, event) pair', () => {
    const pairs = new Set(TABLE.map(([s, e]) => `${s}/${e}`));
    assert.equal(pairs.size, Object.values(WorkloadState).length * Object.keys(EVENTS).length);
  });
  for (const [state, type, next, effects] of TABLE) {
    it(`${state} + ${type} → ${next}${effects.length ? ` (${effects.join(', ')})` : ''}`, () => {
      const before = recordIn(state);
      if (next === 'throws') {
        assert.throws(() => step(before, EVENTS[type], T + 10), ImpossibleTransitionError);
        return;
      }
      const { record, effects: got } = step(before, EVENTS[type], T + 10);
      assert.equal(record?.state ?? 'forget', next);
      assert.deepEqual(got.map((e) => e.type), effects);
    });
  }

  it('a stopping workload whose spec changed starts again once gone', () => {
    const r = step(recordIn(WorkloadState.Running), EVENTS['spec:changed'], T).record!;
    const after = step(r, EVENTS['run:exit'], T + 1);
    assert.equal(after.record?.state, WorkloadState.Starting);
    assert.deepEqual(after.effects, [{ type: 'start' }]);
    assert.equal(after.record?.specHash, 'new');
  });

  it('restart policy never / on-failure / always on success and failure', () => {
    const cases: [string, number, WorkloadState][] = [
      ['never', 0, WorkloadState.Succeeded],
      ['never', 3, WorkloadState.Failed],
      ['on-failure', 0, WorkloadState.Succeeded],
      ['on-failure', 3, WorkloadState.Starting],
      ['always', 0, WorkloadState.Starting],
      ['always', 3, WorkloadState.Starting],
    ];
    for (const [policy, code, want] of cases) {
      const r = { ...recordIn(WorkloadState.Running), policy: policy as WorkloadRecord['policy'] };
      const out = step(r, { type: 'run:exit', exit: { code, signal: null }, startedAt: T, endedAt: T + 1 }, T + 1);
      assert.equal(out.record?.state, want, `${policy} code ${code}`);
    }
  });

  it('backs off: at once, then 1 s doubling to 60 s; reset after 10 min up; crash loop named', () => {
    let r = recordIn(WorkloadState.Running);
    const delays: number[] = [];
    let now = T;
    for (let i = 0; i < 10; i++) {
      const out = step(r, { type: 'run:exit', exit: { code: 1, signal: null }, startedAt: now - 5, endedAt: now }, now);
      r = out.record!;
      const wake = out.effects.find((e) => e.type === 'wake');
      delays.push(wake?.type === 'wake' ? wake.at - now : 0);
      if (r.state === WorkloadState.Backoff) {
        now = r.restartAt!;
        r = step(r, { type: 'timer' }, now).record!;
      }
      r = step(r, { type: 'run:up', pid: 9, startedAt: now }, now).record!;
    }
    assert.deepEqual(delays, [0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    assert.equal(backoffDelay(100), RESTART_BACKOFF_MAX_MS);
    assert.equal(r.restarts, 10);
    const exit = step(r, { type: 'run:exit', exit: { code: 1, signal: null }, startedAt: now - 5, endedAt: now }, now).record!;
    assert.match(exit.reason!, /^crash loop: 11 exits in a row, last exited with code 1$/);
    const longRun = step(r, { type: 'run:exit', exit: { code: null, signal: 'SIGKILL' }, startedAt: now, endedAt: now + RESTART_BACKOFF_RESET_MS }, now);
    assert.equal(longRun.record?.state, WorkloadState.Starting, 'a run up 10 min restarts at once');
    assert.equal(longRun.record?.reason, 'killed by SIGKILL');
  });

  it('a driver failure is a reason, retried with backoff', () => {
    const first = step(recordIn(WorkloadState.Starting), EVENTS['start:failed'], T);
    assert.equal(first.record?.reason, 'driver failed: no such file');
    assert.deepEqual(first.effects, [{ type: 'start' }]);
    const second = step(first.record!, EVENTS['start:failed'], T);
    assert.equal(second.record?.state, WorkloadState.Backoff);
    assert.deepEqual(second.effects, [{ type: 'wake', at: T + 1000 }]);
  });
});
