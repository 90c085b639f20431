// Rescan on the deterministic harness: services added (started when a wanted bundle holds them), removed (stopped
// dependents first, then dropped), changed (kept running; the new definition taken at the next start).
import assert from 'node:assert/strict';
import { UnknownServiceError } from '../src/errors.js';
import { bootPerTest, bundle, longrun, needs } from './harness/supervisor-harness.js';

describe('supervisor loop (fake clock, fake spawner): rescan', () => {
  const boot = bootPerTest();

  it('adds, removes and changes services without touching the others', async () => {
    const h = await boot({
      db: longrun(),
      app: longrun({ ...needs('db'), 'env/MODE': 'v1\n' }),
      old: longrun(needs('db')),
      leaf: longrun(needs('old')),
      default: bundle('app', 'leaf'),
    });
    await h.sup.startService('default');
    const [db, app] = [h.spawner.live('db'), h.spawner.live('app')];
    await h.remove('old', 'leaf');
    await h.write({
      web: longrun(needs('db')),
      extra: longrun(),
      default: bundle('app', 'web'),
      app: longrun({ ...needs('db'), 'env/MODE': 'v2\n' }),
    });
    const result = await h.reload();
    assert.deepEqual(result, { added: ['extra', 'web'], removed: ['leaf', 'old'], changed: ['app', 'default'], failed: [] });

    // removed: stopped dependents first, then dropped from the status list
    const stops = h.spawner.signals.filter((s) => s.signal === 'SIGTERM').map((s) => s.service);
    assert.deepEqual(stops, ['leaf', 'old']);
    assert.throws(() => h.status('old'), UnknownServiceError);
    assert.throws(() => h.status('leaf'), UnknownServiceError);
    // added: started when the wanted bundle holds it, else left inactive
    assert.equal(h.state('web'), 'ready');
    assert.equal(h.state('extra'), 'inactive');
    assert.equal(h.spawner.of('extra').length, 0);
    // untouched and changed services keep their process
    assert.equal(h.spawner.live('db'), db);
    assert.equal(h.spawner.live('app'), app);
    assert.equal(app.request.env.MODE, 'v1');

    // the changed one takes its new definition at its next start: here, its respawn after a crash
    await h.advance(5000);
    app.die(1);
    await h.advance(0);
    assert.equal(h.spawner.live('app').request.env.MODE, 'v2');
    assert.deepEqual((await h.reload()).changed, [], 'nothing changed since');
  });

  it('a new dependency of a wanted service is started at once; the edge orders stops from then on', async () => {
    const h = await boot({ app: longrun(), cache: longrun(), default: bundle('app') });
    await h.sup.startService('default');
    assert.equal(h.state('cache'), 'inactive');
    await h.write({ app: longrun(needs('cache')) });
    await h.reload();
    assert.equal(h.state('cache'), 'ready', 'wanted now: app needs it');
    await h.sup.stopService('cache');
    const stops = h.spawner.signals.filter((s) => s.signal === 'SIGTERM').map((s) => s.service);
    assert.deepEqual(stops, ['app', 'cache'], 'app depends on cache now: it stops first');
  });

  it('a broken new definition: the running service keeps its old one until it stops, then it is failed', async () => {
    const h = await boot({ svc: longrun(), default: bundle('svc') });
    await h.sup.startService('default');
    const p = h.spawner.live('svc');
    await h.write({ svc: longrun({ 'timeout-up': 'soon\n' }) });
    const result = await h.reload();
    assert.deepEqual(result.failed.map((f) => f.name), ['svc']);
    assert.equal(h.spawner.live('svc'), p, 'still running');
    await h.advance(5000);
    p.die(1);
    await h.advance(0);
    assert.equal(h.spawner.of('svc').length, 2, 'a crash is restarted on the old definition');
    await h.sup.stopService('svc');
    assert.equal(h.state('svc'), 'failed');
    assert.match(h.status('svc').reason, /svc\/timeout-up/);
  });
});
