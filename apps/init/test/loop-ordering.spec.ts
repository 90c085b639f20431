// The supervisor's event loop on the deterministic harness: dependency order (in parallel where the graph
// allows), readiness gating, readiness failures and restarts on request, with no real time and no real process.
import assert from 'node:assert/strict';
import { NOTIFY_EOF_GRACE_MS } from '../src/constants.js';
import { DependencyFailedError } from '../src/errors.js';
import { bootPerTest, bundle, longrun, needs, T0 } from './harness/supervisor-harness.js';

const NOTIFY = { 'notification-fd': '3\n' };

describe('supervisor loop (fake clock, fake spawner): ordering and readiness', () => {
  const boot = bootPerTest();

  it('starts independent services together and a dependent only once all it needs is ready', async () => {
    const h = await boot({
      a: longrun(NOTIFY),
      b: longrun(NOTIFY),
      c: longrun({ ...NOTIFY, ...needs('a', 'b') }),
      d: longrun(needs('c')),
      default: bundle('d'),
    });
    const started = h.sup.startService('default');
    await h.settle();
    assert.deepEqual(h.spawner.spawned.map((p) => p.service).sort(), ['a', 'b'], 'a and b at once, nothing else');
    assert.deepEqual([h.state('a'), h.state('b')], ['starting', 'starting'], 'not ready before they say so');
    assert.deepEqual(h.status('c').waitingOn, ['a', 'b']);
    assert.equal(h.status('c').reason, 'waiting on a, b');
    assert.deepEqual(h.status('d').waitingOn, ['c']);

    h.spawner.live('b').ready();
    await h.settle();
    assert.equal(h.state('b'), 'ready');
    assert.deepEqual(h.status('c').waitingOn, ['a'], 'still waiting on a');
    assert.equal(h.spawner.spawned.length, 2);

    h.spawner.live('a').ready();
    await h.settle();
    assert.deepEqual(h.spawner.spawned.map((p) => p.service).slice(2), ['c'], 'c spawned once a and b are ready');
    assert.equal(h.state('d'), 'blocked');

    h.spawner.live('c').ready();
    const st = await started;
    assert.equal(st.state, 'ready');
    assert.equal(h.state('d'), 'ready', 'no notification-fd: ready when spawned');
    assert.ok(h.spawner.spawned.every((p) => p.spawnedAt === T0), 'no time passed');
    const readyOrder = h.changes.filter((c) => c.to === 'ready').map((c) => c.name);
    assert.deepEqual(readyOrder, ['b', 'a', 'c', 'd', 'default']);
  });

  it('readiness timeout: down signal at timeout-up, the service fails, its dependents fail their start', async () => {
    const h = await boot({ x: longrun({ ...NOTIFY, 'timeout-up': '2000\n' }), y: longrun(needs('x')), default: bundle('y') });
    const started = h.sup.startService('y');
    started.catch(() => undefined);
    await h.advance(1999);
    assert.equal(h.state('x'), 'starting');
    assert.equal(h.spawner.signals.length, 0);
    await h.advance(1);
    assert.deepEqual(h.spawner.signals.filter((s) => !s.group).map((s) => [s.service, s.signal, s.at - T0]), [['x', 'SIGTERM', 2000], ['x', 'SIGCONT', 2000]]);
    assert.equal(h.state('x'), 'failed');
    assert.equal(h.status('x').reason, 'readiness timed out after 2000 ms');
    await assert.rejects(started, DependencyFailedError);
    assert.equal(h.state('y'), 'blocked');
    assert.match(h.status('y').reason, /^dependency x failed: readiness timed out/);
    assert.equal(h.spawner.of('y').length, 0, 'y never spawned');
  });

  it('notification fd closed without a newline: never ready (after the grace for an exit to arrive)', async () => {
    const h = await boot({ x: longrun(NOTIFY), default: bundle('x') });
    const started = h.sup.startService('x');
    started.catch(() => undefined);
    await h.settle();
    h.spawner.live('x').closeNotification();
    await h.advance(NOTIFY_EOF_GRACE_MS - 1);
    assert.equal(h.state('x'), 'starting');
    await h.advance(1);
    assert.equal(h.state('x'), 'failed');
    assert.match(h.status('x').reason, /^closed notification fd 3 without writing a newline/);
    await assert.rejects(started, /closed notification fd 3/);
  });

  it('a process that dies before it is ready is a crash (restarted), not a readiness failure', async () => {
    const h = await boot({ x: longrun(NOTIFY), default: bundle('x') });
    void h.sup.startService('x').catch(() => undefined);
    await h.settle();
    h.spawner.live('x').die(1);
    await h.advance(NOTIFY_EOF_GRACE_MS);
    assert.equal(h.state('x'), 'backoff');
    assert.match(h.status('x').reason, /^run exited with code 1; restart at /);
    await h.advanceToNextTimer();
    assert.equal(h.spawner.of('x').length, 2);
    assert.equal(h.spawner.of('x')[1]!.spawnedAt, T0 + 1000, '1 s after the previous spawn');
  });

  it('a restart takes one service down and up again; its dependents keep their process', async () => {
    const h = await boot({ db: longrun(), app: longrun(needs('db')), default: bundle('app') });
    await h.sup.startService('default');
    const [db, app] = [h.spawner.live('db'), h.spawner.live('app')];
    const restarted = await h.sup.restartService('db');
    assert.equal(restarted.state, 'ready');
    assert.deepEqual(db.exit, { code: null, signal: 'SIGTERM', at: T0 });
    assert.notEqual(h.spawner.live('db').pid, db.pid);
    assert.equal(h.spawner.live('app'), app, 'app untouched');
    assert.deepEqual(h.entered('app', 'stopping'), []);
  });

  it('a failed service is tried once more by each start request; its dependents wait on it meanwhile', async () => {
    const h = await boot({ setup: { type: 'oneshot\n', up: 'setup-script\n' }, app: longrun(needs('setup')), default: bundle('app') });
    const first = h.sup.startService('default');
    first.catch(() => undefined);
    await h.settle();
    h.spawner.live('setup').die(3);
    await assert.rejects(first, DependencyFailedError);
    assert.equal(h.status('setup').reason, 'up exited with code 3');
    await h.settle();
    assert.equal(h.spawner.of('setup').length, 1, 'not retried on its own');
    const second = h.sup.startService('default');
    await h.settle();
    assert.equal(h.state('setup'), 'starting', 'tried again');
    assert.deepEqual(h.status('app').waitingOn, ['setup']);
    h.spawner.live('setup').die(0);
    assert.equal((await second).state, 'ready');
    assert.equal(h.state('app'), 'ready');
  });
});
