// The health-check table: every (state, event) pair → next state and actions, or an ImpossibleHealthEventError;
// then the sequences a person would notice (retries in a row, a pass resets the count, the restart's reason).
import assert from 'node:assert/strict';
import type { HealthSpec } from '@fortros/servicedir';
import { HEALTH_RESTART_BACKOFF_MAX_MS, HEALTH_RESTART_BACKOFF_MIN_MS } from '../src/constants.js';
import { ImpossibleHealthEventError } from '../src/errors.js';
import {
  HEALTH_EVENT_TYPES, HEALTH_STATES, HealthActionType as A, HealthEventType as E, HealthState as S, healthStatusOf, initialHealth, restartBackoffMs, stepHealth,
  type HealthEvent, type HealthMachine,
} from '../src/health/health-model.js';

const SPEC: HealthSpec = { probe: { kind: 'tcp', host: '127.0.0.1', port: 8080 }, intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 2000 };
const NOW = 1_800_000_000_000;
const REFUSED = 'tcp 127.0.0.1:8080: connection refused';

const EVENTS: Record<E, HealthEvent> = {
  [E.serviceReady]: { type: E.serviceReady },
  [E.serviceLeft]: { type: E.serviceLeft },
  [E.due]: { type: E.due },
  [E.passed]: { type: E.passed, message: 'tcp 127.0.0.1:8080: connected' },
  [E.failed]: { type: E.failed, message: REFUSED },
};

const machine = (state: S, failures = 0): HealthMachine => ({ state, mem: { ...initialHealth().mem, consecutiveFailures: failures } });

/** Next state and action types; a pair missing from a row must throw. */
type Row = Partial<Record<E, [S, A[]]>>;
const CANCEL = [A.cancelTimer, A.cancelCheck];
const TABLE: Record<S, Row> = {
  [S.idle]: { [E.serviceReady]: [S.waiting, [A.armTimer]], [E.serviceLeft]: [S.idle, []] },
  [S.waiting]: { [E.serviceLeft]: [S.idle, CANCEL], [E.due]: [S.checking, [A.runCheck]] },
  [S.checking]: { [E.serviceLeft]: [S.idle, CANCEL], [E.passed]: [S.waiting, [A.armTimer]], [E.failed]: [S.waiting, [A.armTimer]] },
  [S.unhealthy]: { [E.serviceLeft]: [S.idle, []] },
};

describe('health check: the (state, event) table', () => {
  for (const state of HEALTH_STATES) {
    for (const type of HEALTH_EVENT_TYPES) {
      const want = TABLE[state][type];
      it(`${state} + ${type} → ${want ? want[0] : 'throws'}`, () => {
        const run = (): ReturnType<typeof stepHealth> => stepHealth(machine(state), EVENTS[type], SPEC, NOW);
        if (!want) return void assert.throws(run, ImpossibleHealthEventError);
        const t = run();
        assert.equal(t.state, want[0]);
        assert.deepEqual(t.actions.map((a) => a.type), want[1]);
      });
    }
  }
});

describe('health check: sequences', () => {
  it('the first check is due start-period + interval after ready; later ones an interval after the last ended', () => {
    const ready = stepHealth(initialHealth(), EVENTS.serviceReady, SPEC, NOW);
    assert.deepEqual(ready.actions, [{ type: A.armTimer, ms: 3000 }]);
    assert.equal(healthStatusOf(ready), 'starting');
    const passed = stepHealth(stepHealth(ready, EVENTS.due, SPEC, NOW), EVENTS.passed, SPEC, NOW + 3000);
    assert.deepEqual(passed.actions, [{ type: A.armTimer, ms: 1000 }]);
    assert.equal(healthStatusOf(passed), 'healthy');
    assert.deepEqual(passed.mem.lastResult, { ok: true, message: 'tcp 127.0.0.1:8080: connected', at: NOW + 3000 });
  });

  it('retries failures in a row restart the service, naming the count and the last result', () => {
    let m: HealthMachine = stepHealth(initialHealth(), EVENTS.serviceReady, SPEC, NOW);
    for (let i = 1; i <= 2; i++) {
      m = stepHealth(stepHealth(m, EVENTS.due, SPEC, NOW), EVENTS.failed, SPEC, NOW);
      assert.equal(m.state, S.waiting);
      assert.equal(m.mem.consecutiveFailures, i);
      assert.equal(healthStatusOf(m), 'failing');
    }
    const t = stepHealth(stepHealth(m, EVENTS.due, SPEC, NOW), EVENTS.failed, SPEC, NOW);
    const reason = `health check failed 3 times: ${REFUSED}`;
    assert.equal(t.state, S.unhealthy);
    assert.deepEqual(t.actions, [{ type: A.restart, reason }]);
    assert.equal(healthStatusOf(t), 'unhealthy');
    assert.deepEqual([t.mem.restarts, t.mem.lastRestartReason, t.mem.restartNote], [1, reason, reason]);
    // the restart takes the service down and up: the count starts again, the note stays until a check passes,
    // and the first check of the new run waits HEALTH_RESTART_BACKOFF_MIN_MS more
    const again = stepHealth(stepHealth(t, EVENTS.serviceLeft, SPEC, NOW), EVENTS.serviceReady, SPEC, NOW);
    assert.deepEqual([again.state, again.mem.consecutiveFailures, again.mem.restartNote], [S.waiting, 0, reason]);
    assert.deepEqual(again.actions, [{ type: A.armTimer, ms: 3000 + HEALTH_RESTART_BACKOFF_MIN_MS }]);
    const healthy = stepHealth(stepHealth(again, EVENTS.due, SPEC, NOW), EVENTS.passed, SPEC, NOW);
    assert.deepEqual([healthy.mem.restartNote, healthy.mem.lastRestartReason, healthy.mem.restarts, healthy.mem.restartStreak], ['', reason, 1, 0]);
  });

  it('health restarts in a row back off: 1 s, 2 s, 4 s … up to 5 min before the next run\'s first check', () => {
    assert.deepEqual([0, 1, 2, 3, 9, 10, 100].map(restartBackoffMs), [0, 1000, 2000, 4000, 256_000, HEALTH_RESTART_BACKOFF_MAX_MS, HEALTH_RESTART_BACKOFF_MAX_MS]);
    let m: HealthMachine = { state: S.checking, mem: { ...initialHealth().mem, consecutiveFailures: 2 } };
    for (let streak = 1; streak <= 3; streak++) {
      m = stepHealth(stepHealth(m, EVENTS.failed, SPEC, NOW), EVENTS.serviceLeft, SPEC, NOW);
      const ready = stepHealth(m, EVENTS.serviceReady, SPEC, NOW);
      assert.deepEqual(ready.actions, [{ type: A.armTimer, ms: 3000 + restartBackoffMs(streak) }], `after restart ${streak}`);
      m = { state: S.checking, mem: { ...ready.mem, consecutiveFailures: 2 } };
    }
    const crashed = stepHealth({ ...m, state: S.waiting }, EVENTS.serviceLeft, SPEC, NOW);
    assert.equal(crashed.mem.restartStreak, 0, 'leaving ready for another reason ends the streak');
  });

  it('a passing check resets the count of failures in a row', () => {
    let m: HealthMachine = machine(S.checking, 2);
    m = stepHealth(m, EVENTS.passed, SPEC, NOW);
    assert.equal(m.mem.consecutiveFailures, 0);
    m = stepHealth(stepHealth(m, EVENTS.due, SPEC, NOW), EVENTS.failed, SPEC, NOW);
    assert.deepEqual([m.state, m.mem.consecutiveFailures], [S.waiting, 1]);
  });

  it('health-retries 1 restarts on the first failure; the reason says "1 time"', () => {
    const t = stepHealth(machine(S.checking), EVENTS.failed, { ...SPEC, retries: 1 }, NOW);
    assert.deepEqual(t.actions, [{ type: A.restart, reason: `health check failed 1 time: ${REFUSED}` }]);
  });

  it('leaving ready for another reason clears a pending restart note', () => {
    const m: HealthMachine = { state: S.waiting, mem: { ...initialHealth().mem, restartNote: 'old' } };
    assert.equal(stepHealth(m, EVENTS.serviceLeft, SPEC, NOW).mem.restartNote, '');
  });
});
