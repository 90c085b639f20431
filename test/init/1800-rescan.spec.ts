// Rescan (SIGHUP): new services are added (and started when the booted bundle holds them), removed ones are
// stopped and leave the status list, and a changed `run` takes effect only when the service next starts.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import { removeServices, writeTree } from '../harness/tree.js';
import { readLines, waitForLines } from '../harness/wait.js';

const SLEEP = 'exec sleep 1000';

describe('init: rescan (SIGHUP)', () => {
  cleanupAfterEach();

  it('adds new services, starting those of the booted bundle, and stops and drops removed ones', async () => {
    const init = await InitProcess.start({
      db: { type: 'longrun', run: SLEEP },
      app: { type: 'longrun', dependencies: ['db'], run: SLEEP },
      old: { type: 'longrun', dependencies: ['db'], run: SLEEP },
      default: { type: 'bundle', contents: ['app', 'old'] },
    });
    await init.waitForState('app', 'ready');
    const old = await init.waitForState('old', 'ready');
    const appPid = init.lastPid('app');
    await removeServices(init.sourceDir, ['old']);
    await writeTree(init.sourceDir, {
      web: { type: 'longrun', dependencies: ['db'], run: SLEEP },
      extra: { type: 'longrun', run: SLEEP },
      default: { type: 'bundle', contents: ['app', 'web'] },
    });
    const from = init.records.length;
    process.kill(init.pid, 'SIGHUP');
    const rescan = await init.waitForRecord((r) => r.msg === 'rescan' && init.records.indexOf(r) >= from, { what: 'the rescan record' });
    assert.deepEqual(rescan.added, ['extra', 'web']);
    assert.deepEqual(rescan.removed, ['old']);
    await init.waitForState('web', 'ready', { afterIndex: from });
    await init.waitForState('old', 'inactive', { afterIndex: from });
    await init.waitForRecord((r) => r.msg === 'service removed' && r.service === 'old', { what: 'old to be dropped' });
    assert.ok(!isAlive(Number(old.pid)), 'the removed service was stopped');
    const status = await init.status();
    assert.deepEqual([...status.keys()].sort(), ['app', 'db', 'default', 'extra', 'web']);
    assert.equal(status.get('extra')!.state, 'inactive', 'added, but not in the booted bundle');
    assert.equal(status.get('web')!.state, 'ready');
    assert.equal(status.get('app')!.pid, appPid, 'untouched services keep running');
  });

  it('a changed run takes effect only when the service next starts', async () => {
    const run = (v: string) => `echo ${v} >> "$FORTROS_ROOT/runs"\n${SLEEP}`;
    const init = await InitProcess.start({
      svc: { type: 'longrun', run: run('v1') },
      default: { type: 'bundle', contents: ['svc'] },
    });
    await init.waitForState('svc', 'ready');
    await waitForLines(init.path('runs'), 1);
    const pid = init.lastPid('svc');
    await writeFile(join(init.sourceDir, 'svc/run'), `#!/bin/sh\n${run('v2')}\n`);
    const from = init.records.length;
    process.kill(init.pid, 'SIGHUP');
    const rescan = await init.waitForRecord((r) => r.msg === 'rescan' && init.records.indexOf(r) >= from, { what: 'the rescan record' });
    assert.deepEqual(rescan.changed, ['svc']);
    assert.ok(isAlive(pid), 'still running its old run');
    assert.deepEqual(await readLines(init.path('runs')), ['v1']);
    assert.equal((await init.status()).get('svc')!.pid, pid);
    process.kill(pid, 'SIGTERM'); // it dies: init restarts it, with the new run
    await init.waitForState('svc', 'ready', { afterIndex: from });
    assert.deepEqual(await waitForLines(init.path('runs'), 2), ['v1', 'v2']);
  });

  it('a service whose new definition is broken is reported and keeps running until it stops', async () => {
    const init = await InitProcess.start({ svc: { type: 'longrun', run: SLEEP }, default: { type: 'bundle', contents: ['svc'] } });
    await init.waitForState('svc', 'ready');
    const pid = init.lastPid('svc');
    await writeFile(join(init.sourceDir, 'svc/timeout-up'), 'soon\n');
    const from = init.records.length;
    process.kill(init.pid, 'SIGHUP');
    const failed = await init.waitForRecord((r) => r.msg === 'service failed to load on rescan' && init.records.indexOf(r) >= from, { what: 'the load failure' });
    assert.equal(failed.service, 'svc');
    assert.match(String(failed.reason), /svc\/timeout-up: /);
    const status = await init.status();
    assert.equal(status.get('svc')!.state, 'ready');
    assert.equal(status.get('svc')!.pid, pid);
  });
});
