// The supervisor's goal table: every (phase, intent, event) pair → next (phase, intent), or an ImpossibleGoalEventError.
import assert from 'node:assert/strict';
import { ImpossibleGoalEventError } from '../src/errors.js';
import {
  GOAL_EVENT_TYPES, GOAL_PHASES, GoalEventType as E, GoalPhase as P, INITIAL_GOAL, Intent as I, INTENTS, intentOf, stepGoal, stepOne,
  type GoalState, type ServiceGoalEvent,
} from '../src/supervisor/goal.js';
import { ServiceState as S } from '../src/service/lifecycle.js';

/** Every one-service event, with the variants that matter; keys name them in the table. */
const EVENTS: Record<string, ServiceGoalEvent> = {
  start: { type: E.start, retry: false },
  'start:retry': { type: E.start, retry: true },
  stop: { type: E.stop },
  'restart:inactive': { type: E.restart, state: S.inactive },
  'restart:failed': { type: E.restart, state: S.failed },
  'restart:ready': { type: E.restart, state: S.ready },
  'restart:backoff': { type: E.restart, state: S.backoff },
  shutdown: { type: E.shutdown, hurry: false },
  'shutdown:hurry': { type: E.shutdown, hurry: true },
  forget: { type: E.forget },
  'serviceDown:inactive': { type: E.serviceDown, failed: false },
  'serviceDown:failed': { type: E.serviceDown, failed: true },
  retried: { type: E.retried },
};

type Next = [P, I];
/** A key missing from a row must throw. */
type Row = Record<string, Next>;

/** The events that leave a service's goal as it is. */
const keep = (phase: P, intent: I, keys: string[]): Row => Object.fromEntries(keys.map((k) => [k, [phase, intent]]));
/** The events every running intent answers alike: stop, forget and shutdown take it down. */
const leaving: Row = { stop: [P.running, I.down], forget: [P.running, I.down], shutdown: [P.shutdown, I.down], 'shutdown:hurry': [P.hurry, I.down] };

const RUNNING: Record<I, Row> = {
  [I.down]: {
    ...leaving,
    ...keep(P.running, I.down, ['restart:inactive', 'restart:failed', 'restart:ready', 'restart:backoff', 'serviceDown:inactive', 'serviceDown:failed', 'retried']),
    start: [P.running, I.up],
    'start:retry': [P.running, I.retry],
  },
  [I.up]: {
    ...leaving,
    ...keep(P.running, I.up, ['start', 'restart:inactive', 'serviceDown:inactive', 'serviceDown:failed', 'retried']),
    'start:retry': [P.running, I.retry],
    'restart:failed': [P.running, I.retry],
    'restart:ready': [P.running, I.restart],
    'restart:backoff': [P.running, I.restart],
  },
  [I.retry]: {
    ...leaving,
    ...keep(P.running, I.retry, ['start', 'start:retry', 'restart:inactive', 'restart:failed', 'serviceDown:inactive', 'serviceDown:failed']),
    'restart:ready': [P.running, I.restart],
    'restart:backoff': [P.running, I.restart],
    retried: [P.running, I.up],
  },
  [I.restart]: {
    ...leaving,
    ...keep(P.running, I.restart, ['start', 'start:retry', 'restart:inactive', 'restart:ready', 'restart:backoff', 'retried']),
    'restart:failed': [P.running, I.retry],
    'serviceDown:inactive': [P.running, I.up],
    'serviceDown:failed': [P.running, I.retry],
  },
};

/** During the shutdown nothing is wanted (other intents cannot exist), and no request can start anything. */
const shuttingDown = (phase: P): Record<I, Row> => ({
  [I.down]: {
    ...keep(phase, I.down, ['stop', 'forget', 'serviceDown:inactive', 'serviceDown:failed', 'retried']),
    shutdown: [phase, I.down],
    'shutdown:hurry': [P.hurry, I.down],
  },
  [I.up]: {},
  [I.retry]: {},
  [I.restart]: {},
});

const TABLE: Record<P, Record<I, Row>> = { [P.running]: RUNNING, [P.shutdown]: shuttingDown(P.shutdown), [P.hurry]: shuttingDown(P.hurry) };

describe('goal step: every (phase, intent, event) pair', () => {
  it('names every goal event type in the table keys', () => {
    assert.deepEqual([...new Set(Object.values(EVENTS).map((e) => e.type))].sort(), [...GOAL_EVENT_TYPES].sort());
  });

  for (const phase of GOAL_PHASES) {
    for (const intent of INTENTS) {
      it(`${phase} / ${intent}: every event`, () => {
        for (const [key, event] of Object.entries(EVENTS)) {
          const expected = TABLE[phase][intent][key];
          const where = `${phase} / ${intent} + ${key}`;
          if (expected === undefined) {
            assert.throws(() => stepOne(phase, intent, event, 'svc'), ImpossibleGoalEventError, `${where} should throw`);
            continue;
          }
          const next = stepOne(phase, intent, event, 'svc');
          assert.deepEqual([next.phase, next.intent], expected, where);
        }
      });
    }
  }
});

describe('goal step: whole-goal events', () => {
  const goal = (phase: P, intents: Record<string, I>): GoalState => ({ phase, intents: new Map(Object.entries(intents)) });

  it('a start wants every name (retry for the failed ones); a stop and a forget drop them', () => {
    const g = stepGoal(INITIAL_GOAL, { type: E.start, names: ['db', 'app'], retry: ['db'] });
    assert.deepEqual([...g.intents], [['db', I.retry], ['app', I.up]]);
    const stopped = stepGoal(g, { type: E.stop, names: ['app'] });
    assert.deepEqual([...stopped.intents], [['db', I.retry]]);
    assert.equal(intentOf(stopped, 'app'), I.down);
    assert.equal(stepGoal(stopped, { type: E.forget, names: ['db'] }).intents.size, 0);
  });

  it('a restart takes running members down and back up; serviceDown completes it', () => {
    const g = goal(P.running, { db: I.up, app: I.up, cache: I.up });
    const members = [{ name: 'db', state: S.ready }, { name: 'cache', state: S.failed }, { name: 'app', state: S.inactive }];
    const r = stepGoal(g, { type: E.restart, members });
    assert.deepEqual(Object.fromEntries(r.intents), { db: I.restart, app: I.up, cache: I.retry });
    const back = stepGoal(r, { type: E.serviceDown, name: 'db', failed: false });
    assert.equal(intentOf(back, 'db'), I.up);
    assert.deepEqual(Object.fromEntries(stepGoal(back, { type: E.retried, names: ['cache'] }).intents), { db: I.up, app: I.up, cache: I.up });
  });

  it('the shutdown drops every intent, even with nothing wanted; a second one hurries, and hurry stays', () => {
    const s = stepGoal(goal(P.running, { db: I.up, app: I.restart }), { type: E.shutdown, hurry: false });
    assert.deepEqual([s.phase, s.intents.size], [P.shutdown, 0]);
    assert.equal(stepGoal(INITIAL_GOAL, { type: E.shutdown, hurry: false }).phase, P.shutdown);
    const h = stepGoal(s, { type: E.shutdown, hurry: true });
    assert.equal(h.phase, P.hurry);
    assert.equal(stepGoal(h, { type: E.shutdown, hurry: false }).phase, P.hurry);
    assert.throws(() => stepGoal(h, { type: E.start, names: ['db'], retry: [] }), ImpossibleGoalEventError);
  });

  it('is pure: the goal given is never changed, and an event that changes nothing returns it as it was', () => {
    const g = goal(P.running, { db: I.up });
    const next = stepGoal(g, { type: E.stop, names: ['db'] });
    assert.deepEqual([...g.intents], [['db', I.up]]);
    assert.notEqual(next, g);
    assert.equal(stepGoal(g, { type: E.serviceDown, name: 'db', failed: false }), g);
    assert.equal(stepGoal(g, { type: E.start, names: ['db'], retry: [] }), g);
  });
});
