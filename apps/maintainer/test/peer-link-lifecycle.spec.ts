// The peer link's transition function: every (state, event) pair, from one table.
import assert from 'node:assert/strict';
import { ImpossibleLinkEventError } from '../src/errors.js';
import {
  LINK_EVENT_TYPES, LINK_STATES, LinkActionType as A, LinkEventType as E, LinkOutcome as O, LinkState as S, step,
  type LinkEvent, type LinkLife,
} from '../src/replication/peer-link-lifecycle.js';

const EVENTS: Record<E, LinkEvent> = {
  [E.hello]: { type: E.hello, peer: 'node-b' },
  [E.message]: { type: E.message },
  [E.close]: { type: E.close },
  [E.reset]: { type: E.reset },
  [E.streamEnded]: { type: E.streamEnded },
  [E.streamFailed]: { type: E.streamFailed, error: 'boom' },
  [E.peerWentAway]: { type: E.peerWentAway, error: 'stopping' },
  [E.helloTimeout]: { type: E.helloTimeout, error: 'no hello' },
};

/** Where each pair leads: the next state, the outcome once closed, the action types in order; or impossible. */
type Expected = { state: S; outcome?: O; actions: A[] } | 'impossible';

const CLOSE = [A.closeStream, A.ended];
const closedAs = (outcome: O, before: A[] = []): Expected => ({ state: S.closed, outcome, actions: [...before, ...CLOSE] });
const failed = [A.countFailure, A.logEnd];
/** How an open link ends when nothing was heard (`unanswered`) or after it was (`worked`). */
const ends = (open: O): Partial<Record<E, Expected>> => ({
  [E.close]: closedAs(open),
  [E.reset]: closedAs(open, [A.countFailure]),
  [E.streamEnded]: closedAs(open),
  [E.streamFailed]: closedAs(open, failed),
  [E.peerWentAway]: closedAs(O.peerGone, failed),
});

const TABLE: Record<S, Record<E, Expected>> = {
  [S.dialling]: { [E.hello]: 'impossible', [E.message]: { state: S.live, actions: [] }, ...ends(O.unanswered), [E.helloTimeout]: 'impossible' } as Record<E, Expected>,
  [S.awaitingHello]: {
    [E.hello]: { state: S.live, actions: [A.greet] },
    [E.message]: 'impossible',
    ...ends(O.unanswered),
    [E.helloTimeout]: closedAs(O.unanswered, failed),
  } as Record<E, Expected>,
  [S.live]: { [E.hello]: 'impossible', [E.message]: { state: S.live, actions: [] }, ...ends(O.worked), [E.helloTimeout]: 'impossible' } as Record<E, Expected>,
  [S.closed]: {
    [E.hello]: 'impossible',
    [E.message]: 'impossible',
    [E.reset]: 'impossible',
    [E.close]: { state: S.closed, outcome: O.worked, actions: [] },
    [E.streamEnded]: { state: S.closed, outcome: O.worked, actions: [] },
    [E.streamFailed]: { state: S.closed, outcome: O.worked, actions: [] },
    [E.peerWentAway]: { state: S.closed, outcome: O.worked, actions: [] },
    [E.helloTimeout]: 'impossible',
  },
};

function life(state: S): LinkLife {
  return { state, peer: state === S.awaitingHello ? undefined : 'node-b', outcome: state === S.closed ? O.worked : undefined };
}

describe('peer link lifecycle', () => {
  it('the table covers every (state, event) pair', () => {
    for (const s of LINK_STATES) assert.deepEqual(Object.keys(TABLE[s]).sort(), [...LINK_EVENT_TYPES].sort(), s);
  });

  for (const s of LINK_STATES) {
    for (const e of LINK_EVENT_TYPES) {
      const expected = TABLE[s][e];
      it(`${s} + ${e} → ${expected === 'impossible' ? 'throws' : expected.state}`, () => {
        if (expected === 'impossible') {
          assert.throws(() => step(life(s), EVENTS[e]), (err: unknown) => err instanceof ImpossibleLinkEventError && err.message.includes(`event ${e} is impossible in state ${s}`));
          return;
        }
        const t = step(life(s), EVENTS[e]);
        assert.equal(t.life.state, expected.state);
        assert.equal(t.life.outcome, expected.outcome);
        assert.deepEqual(t.actions.map((a) => a.type), expected.actions);
      });
    }
  }

  it('a hello names the peer, and the greeting carries it', () => {
    const t = step(life(S.awaitingHello), { type: E.hello, peer: 'node-c' });
    assert.equal(t.life.peer, 'node-c');
    assert.deepEqual(t.actions, [{ type: A.greet, peer: 'node-c' }]);
  });

  it('says why a broken link ended, in its log action', () => {
    const gone = step(life(S.live), EVENTS[E.peerWentAway]).actions.find((a) => a.type === A.logEnd);
    assert.deepEqual(gone, { type: A.logEnd, message: 'sync peer went away', error: 'stopping' });
    const broke = step(life(S.dialling), EVENTS[E.streamFailed]).actions.find((a) => a.type === A.logEnd);
    assert.deepEqual(broke, { type: A.logEnd, message: 'sync link ended', error: 'boom' });
  });
});
