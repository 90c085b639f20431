// Restart backoff on the deterministic harness: 1 s between two spawns, doubling up to restart-delay-max, reset
// after a run of 60 s, an immediate restart after the first crash of a longer run, and the crash-loop limit.
import assert from 'node:assert/strict';
import { CRASH_LOOP_MAX_RESTARTS, RESTART_RESET_AFTER_MS } from '../src/constants.js';
import { bootPerTest, bundle, longrun, SupervisorHarness, T0 } from './harness/supervisor-harness.js';

describe('supervisor loop (fake clock, fake spawner): restart backoff', () => {
  const boot = bootPerTest();

  /** Crash the live process of `name` now, then run the clock until it is spawned again; returns the new spawn time. */
  async function crashAndRespawn(h: SupervisorHarness, name: string): Promise<number> {
    const before = h.spawner.of(name).length;
    h.spawner.live(name).die(1);
    await h.settle();
    while (h.spawner.of(name).length === before) await h.advanceToNextTimer();
    return h.spawner.of(name).at(-1)!.spawnedAt;
  }

  it('waits 1 s between spawns, then 2 s, 4 s … after each fast crash, capped by restart-delay-max, and resets after 60 s up', async () => {
    const h = await boot({ svc: longrun({ 'restart-delay-max': '5000\n' }), default: bundle('svc') });
    await h.sup.startService('default');
    await h.advance(100);
    const spawns = [T0];
    const deaths: number[] = [];
    for (let i = 0; i < 6; i++) {
      deaths.push(h.clock.now());
      spawns.push(await crashAndRespawn(h, 'svc'));
    }
    // first crash 100 ms after its spawn: the restart waits out the 1 s minimum between two spawns
    assert.equal(spawns[1], T0 + 1000);
    // every later crash is at once after its spawn: the wait after the death doubles to the 5 s cap
    assert.deepEqual(spawns.slice(1).map((t, i) => t - deaths[i]!), [900, 2000, 4000, 5000, 5000, 5000]);
    assert.equal(h.status('svc').restarts, 6);

    await h.advance(RESTART_RESET_AFTER_MS);
    const died = h.clock.now();
    assert.equal(await crashAndRespawn(h, 'svc'), died, 'after 60 s up the next crash counts as the first: restarted at once');
    const again = h.clock.now();
    assert.equal(await crashAndRespawn(h, 'svc'), again + 2000, 'and the streak starts over');
  });

  it('the first crash of a run that was up over 1 s restarts at once; the reason names when', async () => {
    const h = await boot({ svc: longrun(), default: bundle('svc') });
    await h.sup.startService('default');
    await h.advance(1500);
    h.spawner.live('svc').die(null, 'SIGSEGV');
    await h.settle();
    assert.equal(h.state('svc'), 'backoff');
    assert.equal(h.status('svc').reason, `run killed by SIGSEGV; restart at ${new Date(T0 + 1500).toISOString()}`);
    await h.advance(0);
    assert.equal(h.spawner.of('svc').length, 2);
    assert.equal(h.spawner.of('svc')[1]!.spawnedAt, T0 + 1500);
    assert.equal(h.state('svc'), 'ready');
    assert.deepEqual(h.status('svc').lastExit, { code: null, signal: 'SIGSEGV' });
  });

  it(`gives up after ${CRASH_LOOP_MAX_RESTARTS} fast restarts: the next fast crash is a crash loop`, async () => {
    const h = await boot({ svc: longrun({ 'restart-delay-max': '1000\n' }), default: bundle('svc') });
    await h.sup.startService('default');
    for (let i = 0; i < CRASH_LOOP_MAX_RESTARTS; i++) await crashAndRespawn(h, 'svc');
    assert.equal(h.state('svc'), 'ready');
    h.spawner.live('svc').die(3);
    await h.settle();
    assert.equal(h.state('svc'), 'failed');
    assert.equal(h.status('svc').restarts, CRASH_LOOP_MAX_RESTARTS);
    assert.equal(h.spawner.of('svc').length, CRASH_LOOP_MAX_RESTARTS + 1);
    assert.match(h.status('svc').reason, new RegExp(`^crash loop: ${CRASH_LOOP_MAX_RESTARTS} restarts in 10 s; last: run exited with code 3$`));
    assert.equal(h.clock.pending, 0, 'no restart is scheduled');
  });

  it('a finish script runs between the crash and the restart; exit 125 means no restart', async () => {
    const h = await boot({ svc: longrun({ finish: '#!/bin/sh\nexit 0\n' }), default: bundle('svc') });
    await h.sup.startService('default');
    await h.advance(2000);
    h.spawner.live('svc').die(7);
    await h.settle();
    const finish = h.spawner.live('svc');
    assert.match(finish.request.file, /finish$/);
    assert.deepEqual(finish.request.args, ['7', '0']);
    assert.match(h.status('svc').reason, /^run exited with code 7; running finish$/);
    finish.die(0);
    await h.advance(0);
    assert.match(h.spawner.live('svc').request.file, /run$/, 'restarted after finish');
    await h.advance(100);
    h.spawner.live('svc').die(null, 'SIGTERM');
    await h.settle();
    assert.deepEqual(h.spawner.live('svc').request.args, ['256', '15']);
    h.spawner.live('svc').die(125);
    await h.settle();
    assert.equal(h.state('svc'), 'failed');
    assert.equal(h.status('svc').reason, 'finish exited with code 125: not restarting');
  });
});
