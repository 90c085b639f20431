// Readiness: timeout-up and a notification fd closed without a newline make a service `failed` (its process
// stopped), and its dependents never start: they stay blocked, naming the failed dependency and why.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import { waitForLines, waitUntil } from '../harness/wait.js';

describe('init: readiness', () => {
  cleanupAfterEach();

  it('fails a service whose readiness times out, stops it, and never starts its dependents', async () => {
    const init = await InitProcess.start({
      db: { type: 'longrun', notificationFd: 3, timeoutUp: 700, run: 'echo $$ > "$FORTROS_ROOT/db.pid"\nexec sleep 1000' },
      app: { type: 'longrun', dependencies: ['db'], run: 'touch "$FORTROS_ROOT/app.started"\nexec sleep 1000' },
      default: { type: 'bundle', contents: ['app'] },
    });
    const failed = await init.waitForState('db', 'failed');
    assert.equal(failed.reason, 'readiness timed out after 700 ms');
    const blocked = await init.waitForState('app', 'blocked', { reason: /^dependency db failed/ });
    assert.equal(blocked.reason, 'dependency db failed: readiness timed out after 700 ms');
    assert.deepEqual(blocked.waitingOn, ['db']);
    const dbPid = Number((await waitForLines(init.path('db.pid')))[0]);
    await waitUntil(() => !isAlive(dbPid), { what: `db's process ${dbPid} to be gone` });
    const status = await init.status();
    assert.equal(status.get('app')!.state, 'blocked');
    assert.equal(status.get('db')!.pid, 0);
    assert.ok(!existsSync(init.path('app.started')), 'app never started');
    assert.ok(!init.transitions('app').some((r) => r.to === 'starting'));
  });

  it('fails a service that closes its notification fd without writing a newline', async () => {
    // the pid is written before fd 5 is closed: once it is, init may stop the script at any moment
    const init = await InitProcess.start({
      svc: { type: 'longrun', notificationFd: 5, run: 'echo $$ > "$FORTROS_ROOT/svc.pid"\nexec 5>&-\nexec sleep 1000' },
      default: { type: 'bundle', contents: ['svc'] },
    });
    const failed = await init.waitForState('svc', 'failed');
    assert.match(String(failed.reason), /closed notification fd 5 without writing a newline/);
    const pid = Number((await waitForLines(init.path('svc.pid')))[0]);
    await waitUntil(() => !isAlive(pid), { what: 'the process to be stopped' });
  });

  it('treats a service that dies before notifying as crashed (restarted), not as never-ready', async () => {
    const init = await InitProcess.start({
      dies: { type: 'longrun', notificationFd: 3, run: 'echo x >> "$FORTROS_ROOT/spawns"\nexit 2' },
      default: { type: 'bundle', contents: ['dies'] },
    });
    await waitForLines(init.path('spawns'), 2);
    const backoff = await init.waitForState('dies', 'backoff');
    assert.match(String(backoff.reason), /^run exited with code 2; restart at /);
    assert.ok(!init.transitions('dies').some((r) => r.to === 'failed'));
  });

  it('counts a service without notification-fd ready as soon as it is spawned', async () => {
    const init = await InitProcess.start({
      plain: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['plain'] },
    });
    const ready = await init.waitForState('plain', 'ready');
    assert.ok(Number(ready.pid) > 0);
  });

  it('fails a oneshot whose up script fails or times out, naming the exit code', async () => {
    const init = await InitProcess.start({
      bad: { type: 'oneshot', up: 'exit 7' },
      slow: { type: 'oneshot', up: 'exec sleep 1000', timeoutUp: 300 },
      after: { type: 'oneshot', dependencies: ['bad'], up: 'touch "$FORTROS_ROOT/after"' },
      default: { type: 'bundle', contents: ['after', 'slow'] },
    });
    assert.equal((await init.waitForState('bad', 'failed')).reason, 'up exited with code 7');
    assert.equal((await init.waitForState('slow', 'failed')).reason, 'up timed out after 300 ms');
    await init.waitForState('after', 'blocked', { reason: /^dependency bad failed: up exited with code 7$/ });
    assert.ok(!existsSync(init.path('after')));
  });
});
