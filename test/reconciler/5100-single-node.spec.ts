// The reconciler on one node under the real fortros-init (maintainer --mesh none, key service, reconciler): a
// process workload put through fortctl runs with a pid, is restarted per policy after a crash, is stopped when
// deleted, and a spec the driver cannot run becomes a reason, not a crash. Logs through `fortctl workload logs`.
import assert from 'node:assert/strict';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import { freePort, NODE_READY_MS, putWorkload, reconcilerTree, shWorkload, waitWorkload, workloads } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

describe('reconciler: one node', function () {
  this.timeout(300_000);
  cleanupAfterEach();

  async function boot(): Promise<InitProcess> {
    const init = await InitProcess.start(reconcilerTree(await freePort()));
    await init.waitForState('reconciler', 'ready', { timeoutMs: NODE_READY_MS });
    return init;
  }

  it('runs a put workload, restarts it after a crash with backoff, stops it on delete', async () => {
    const init = await boot();
    await putWorkload(init.root, shWorkload('web', 'echo hello from web; exec sleep 100000'));
    const first = await waitWorkload(init.root, 'web', (w) => w.phase === 'running' && w.pid !== null);
    assert.equal(first.node.length > 0, true, 'the node id is reported');
    assert.ok(isAlive(first.pid!), 'the reported pid is a live process');
    assert.equal(first.restarts, 0);

    // crash 1: restarted at once (the first exit of a streak)
    process.kill(first.pid!, 'SIGKILL');
    const second = await waitWorkload(init.root, 'web', (w) => w.phase === 'running' && w.pid !== first.pid && w.pid !== null);
    assert.equal(second.restarts, 1);
    assert.deepEqual(second.lastExit, { code: null, signal: 'SIGKILL' });
    // crash 2: pending in backoff (1 s), then running again
    process.kill(second.pid!, 'SIGKILL');
    const third = await waitWorkload(init.root, 'web', (w) => w.phase === 'running' && w.pid !== second.pid && w.pid !== null);
    assert.equal(third.restarts, 2);
    assert.ok(Date.parse(third.since) - Date.parse(second.since) >= 1_000, 'the second restart waited for its backoff');

    // logs through the reconciler
    const logs = await waitUntil(async () => {
      const r = await fortctl(init.root, ['workload', 'logs', 'web', '-n', '5', '--json']);
      return r.code === 0 && r.stdout.includes('hello from web') ? r.stdout : undefined;
    }, { what: 'workload logs of web' });
    const line = JSON.parse(logs.split('\n').find((l) => l.includes('hello'))!) as { workload: string; at: string; line: string };
    assert.equal(line.workload, 'web');
    assert.ok(!Number.isNaN(Date.parse(line.at)));

    // the maintainer holds the observed status too (visible from any node)
    const all = await waitUntil(async () => (await workloads(init.root, true))?.find((w) => w.workload === 'web' && w.restarts === 2 && w.phase === 'running'), { what: 'web in --all' });
    assert.equal(all.pid, third.pid);

    // delete: stopped, nothing left
    const del = await fortctl(init.root, ['workload', 'delete', 'web']);
    assert.equal(del.code, 0, del.stderr);
    await waitUntil(async () => ((await workloads(init.root)) ?? []).every((w) => w.workload !== 'web'), { what: 'web gone from workloads' });
    assert.ok(!isAlive(third.pid!), 'the deleted workload\'s process is gone');
  });

  it('reports a driver error as a reason, not a crash; never restarts a workload that succeeded', async () => {
    const init = await boot();
    await putWorkload(init.root, { id: 'ghost', driver: 'process', command: 'no-such-command-rd', restart: 'always', placement: { nodes: ['n0'] } });
    await putWorkload(init.root, shWorkload('once', 'exit 0', { restart: 'on-failure' }));
    const ghost = await waitWorkload(init.root, 'ghost', (w) => w.phase === 'pending' && /driver failed/.test(w.reason));
    assert.match(ghost.reason, /no-such-command-rd/);
    const once = await waitWorkload(init.root, 'once', (w) => w.phase === 'succeeded');
    assert.deepEqual(once.lastExit, { code: 0, signal: null });
    assert.equal(once.restarts, 0);
    // a selector no live member matches: no node runs it, the lowest-id live member (here the only one) reports why
    await putWorkload(init.root, { ...shWorkload('gpu', 'sleep 100000'), placement: { selector: { gpu: 'yes' }, replicas: 1 } });
    const unplaced = await waitUntil(async () => (await workloads(init.root, true))?.find((w) => w.workload === 'gpu'), { what: 'gpu reported' });
    assert.equal(unplaced.phase, 'pending');
    assert.match(unplaced.reason, /no live node matches the selector/);
    assert.equal(init.lastPid('reconciler', 'ready') > 0, true);
    assert.equal(init.transitions('reconciler').filter((r) => r['to'] === 'ready').length, 1, 'the reconciler never restarted');
  });
});
