// fortros.reconciler.v1 on reconciler.sock: mode 0600, health and reflection, GetWorkload, ResolvePid (the workload
// a pid belongs to, children included; nothing for other processes), and `fortctl workload logs -f` following.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { ReconcilerV1 } from '@fortros/proto';
import { checkHealth, closeClient, createClient, listServicesByReflection, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import { cleanupFortctlAfterEach, fortctl, startFortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { childrenOf, procStat } from '../harness/proc.js';
import { freePort, NODE_READY_MS, putWorkload, reconcilerTree, shWorkload, waitWorkload } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

const SOCKET = 'run/fortros/reconciler.sock';

describe('reconciler: API', function () {
  this.timeout(300_000);
  cleanupAfterEach();
  cleanupFortctlAfterEach();

  it('serves health, reflection, GetWorkload and ResolvePid; follows logs', async () => {
    const init = await InitProcess.start(reconcilerTree(await freePort()));
    await init.waitForState('reconciler', 'ready', { timeoutMs: NODE_READY_MS });
    const socket = init.path(SOCKET);
    assert.equal((await stat(socket)).mode & 0o777, 0o600);
    assert.equal(await checkHealth(socket, ReconcilerV1.RECONCILER_SERVICE), 'SERVING');
    assert.ok((await listServicesByReflection(socket)).includes(ReconcilerV1.RECONCILER_SERVICE));

    // a workload with a child: `sh -c` stays the main process, `sleep` its child
    await putWorkload(init.root, shWorkload('keyed', 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done', { keys: ['tls'] }));
    const w = await waitWorkload(init.root, 'keyed', (x) => x.phase === 'running' && x.pid !== null);
    const client = createClient<ReconcilerV1.ReconcilerClient>(ReconcilerV1.loadReconcilerApi(), socket);
    try {
      const got = await unary(client, 'getWorkload', { id: 'keyed' });
      assert.equal(got.phase, 'WORKLOAD_PHASE_RUNNING');
      assert.equal(got.pid, w.pid);
      await assert.rejects(unary(client, 'getWorkload', { id: 'nope' }), (e: unknown) => e instanceof RpcCallError && e.code === StatusCode.NOT_FOUND);

      const main = await unary(client, 'resolvePid', { pid: w.pid! });
      assert.deepEqual([main.found, main.workload, main.workloadPid, main.keys], [true, 'keyed', w.pid, ['tls']]);
      assert.ok(Number(main.pidStartTime) > 0);
      // a child of the loop lives 0.2 s: one that ended during the call proves nothing either way, so ask again
      const viaChild = await waitUntil(async () => {
        const child = childrenOf(w.pid!).find((c) => c.state !== 'Z');
        if (child === undefined) return undefined;
        const r = await unary(client, 'resolvePid', { pid: child.pid });
        return r.found || procStat(child.pid) !== undefined ? r : undefined;
      }, { what: 'ResolvePid of a live child of the workload' });
      assert.deepEqual([viaChild.found, viaChild.workload, viaChild.workloadPid], [true, 'keyed', w.pid]);
      assert.equal((await unary(client, 'resolvePid', { pid: process.pid })).found, false, 'the test runner is no workload');
      assert.equal((await unary(client, 'resolvePid', { pid: init.pid })).found, false, 'init is no workload');
    } finally {
      closeClient(client);
    }

    // logs: the last lines, then new ones as they are written
    const tail = await fortctl(init.root, ['workload', 'logs', 'keyed', '-n', '2']);
    assert.equal(tail.code, 0, tail.stderr);
    assert.equal(tail.stdout.trim().split('\n').length, 2);
    const follow = startFortctl(init.root, ['workload', 'logs', 'keyed', '-f', '-n', '1', '--json']);
    const first = JSON.parse(await follow.waitForLine(() => true, { timeoutMs: 30_000 })) as { line: string };
    const n = Number(/tick (\d+)/.exec(first.line)![1]);
    await follow.waitForLine((l) => l.includes(`"tick ${n + 3}"`), { timeoutMs: 30_000 });
    const end = await follow.interrupt();
    assert.equal(end.code, 0, end.stderr);
    const missing = await fortctl(init.root, ['workload', 'logs', 'nope']);
    assert.equal(missing.code, 1, missing.stderr);
  });
});
