// Shutdown and stop requests on the deterministic harness: reverse dependency order, down-signal then SIGKILL to
// the process group after timeout-kill (10 s at shutdown when it is 0), essential services last, a hurried shutdown.
import assert from 'node:assert/strict';
import { HURRY_KILL_AFTER_MS, SHUTDOWN_KILL_AFTER_MS } from '../src/constants.js';
import { SupervisorStoppedError } from '../src/errors.js';
import type { SentSignal } from './harness/fake-spawner.js';
import { bootPerTest, bundle, longrun, needs, T0 } from './harness/supervisor-harness.js';

/** The signals sent, as [service, signal, ms since `since`, to the group?]. */
const sent = (signals: readonly SentSignal[], since: number): Array<[string, string, number, boolean]> =>
  signals.map((s) => [s.service, s.signal, s.at - since, s.group]);

describe('supervisor loop (fake clock, fake spawner): stop and shutdown', () => {
  const boot = bootPerTest();

  it('shuts down in reverse dependency order: down-signal, SIGKILL to the group after timeout-kill, essential last', async () => {
    const h = await boot({
      a: longrun({ 'timeout-kill': '0\n' }),
      b: longrun({ ...needs('a'), 'timeout-kill': '3000\n' }),
      c: longrun({ ...needs('b'), 'down-signal': 'SIGHUP\n' }),
      d: longrun(),
      e: longrun({ 'flag-essential': '' }),
      default: bundle('c', 'd', 'e'),
    });
    await h.sup.startService('default');
    h.spawner.ignore('b', 'SIGTERM');
    h.spawner.ignore('a', 'SIGTERM');
    const done = h.sup.shutdown();
    await h.settle();
    // c and d have no running dependents: both at once; c with its own down signal
    assert.deepEqual(sent(h.spawner.signals, T0), [
      ['c', 'SIGHUP', 0, false], ['c', 'SIGCONT', 0, false], ['d', 'SIGTERM', 0, false], ['d', 'SIGCONT', 0, false],
      ['c', 'SIGKILL', 0, true], ['d', 'SIGKILL', 0, true], // what is left of their groups, once they exited
      ['b', 'SIGTERM', 0, false], ['b', 'SIGCONT', 0, false],
    ]);
    await assert.rejects(h.sup.startService('d'), SupervisorStoppedError);
    h.spawner.signals.length = 0;
    await h.advance(2999);
    assert.deepEqual(h.spawner.signals, [], 'b ignores SIGTERM: nothing until timeout-kill');
    await h.advance(1);
    // b's group killed at timeout-kill (and once more when its exit comes, for leftovers); then a's turn
    assert.deepEqual(sent(h.spawner.signals, T0), [['b', 'SIGKILL', 3000, true], ['b', 'SIGKILL', 3000, true], ['a', 'SIGTERM', 3000, false], ['a', 'SIGCONT', 3000, false]]);
    assert.equal(h.state('e'), 'ready', 'the essential service waits for all others');
    h.spawner.signals.length = 0;
    await h.advance(SHUTDOWN_KILL_AFTER_MS);
    // a's timeout-kill is 0 (never), but the shutdown does not wait forever
    assert.deepEqual(sent(h.spawner.signals, T0 + 3000).slice(0, 3), [
      ['a', 'SIGKILL', SHUTDOWN_KILL_AFTER_MS, true], ['a', 'SIGKILL', SHUTDOWN_KILL_AFTER_MS, true], ['e', 'SIGTERM', SHUTDOWN_KILL_AFTER_MS, false],
    ]);
    await done;
    assert.ok(h.sup.snapshot().every((s) => s.state === 'inactive'));
    const inactive = h.changes.filter((c) => c.to === 'inactive' && c.name !== 'default').map((c) => c.name);
    assert.deepEqual(inactive, ['c', 'd', 'b', 'a', 'e']);
  });

  it('a second shutdown request hurries: SIGKILL at most 1 s after it', async () => {
    const h = await boot({ slow: longrun({ 'timeout-kill': '0\n' }), default: bundle('slow') });
    await h.sup.startService('default');
    h.spawner.ignore('slow', 'SIGTERM');
    const done = h.sup.shutdown();
    await h.advance(4000);
    assert.equal(h.state('slow'), 'stopping');
    void h.sup.shutdown({ hurry: true });
    await h.advance(HURRY_KILL_AFTER_MS);
    const kill = sent(h.spawner.signals.filter((s) => s.signal === 'SIGKILL'), T0)[0];
    assert.deepEqual(kill, ['slow', 'SIGKILL', 4000 + HURRY_KILL_AFTER_MS, true]);
    await done;
  });

  it('a stop request takes dependents down first and leaves what it does not name', async () => {
    const h = await boot({ db: longrun(), app: longrun(needs('db')), web: longrun(needs('app')), other: longrun(), default: bundle('web', 'other') });
    await h.sup.startService('default');
    const stopped = h.sup.stopService('db');
    await h.settle();
    await stopped;
    const downSignals = h.spawner.signals.filter((s) => s.signal === 'SIGTERM').map((s) => s.service);
    assert.deepEqual(downSignals, ['web', 'app', 'db']);
    assert.deepEqual(['db', 'app', 'web', 'other'].map((n) => h.state(n)), ['inactive', 'inactive', 'inactive', 'ready']);
    assert.deepEqual(h.status('default').waitingOn, ['web'], 'the bundle is still wanted: it waits on its stopped member');
  });
});
