// Workloads outlive the reconciler and the maintainer (DESIGN §9): kill -9 of the reconciler at random moments while
// workloads run and crash loses, doubles and needlessly restarts none, and exits during an outage are recorded; a
// frozen (SIGSTOP) or killed maintainer leaves workloads running and restarting; node shutdown drains them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import { freePort, NODE_READY_MS, putWorkload, reconcilerTree, shProcesses, shWorkload, waitWorkload, workloads, type WorkloadJson } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

/** kill -9s of the reconciler (RD_KILLS overrides; the issue asks 20 in CI). */
const KILLS = Number(process.env['RD_KILLS'] ?? 20);
/** The longest random wait before a kill (ms): kills land mid-pass, mid-start and mid-report. */
const KILL_JITTER_MS = 400;
/** init's restart backoff cap for the reconciler in these tests, so 20 quick crashes do not wait 30 s each. */
const RECONCILER_RESTART_DELAY_MAX_MS = 500;

describe('reconciler: outages', function () {
  this.timeout(600_000);
  cleanupAfterEach();

  async function boot(): Promise<InitProcess> {
    const init = await InitProcess.start(reconcilerTree(await freePort(), { restartDelayMaxMs: RECONCILER_RESTART_DELAY_MAX_MS }));
    await init.waitForState('reconciler', 'ready', { timeoutMs: NODE_READY_MS });
    return init;
  }

  /** How often the reconciler has received the maintainer's workload snapshot (its log, under init). */
  async function syncCount(init: InitProcess): Promise<number> {
    const text = await readFile(init.path('var/log/fortros/reconciler/current'), 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l.includes('"workloads synced"')).length;
  }

  const running = (w: WorkloadJson): boolean => w.phase === 'running' && w.pid !== null;

  /** The reconciler ready again after a kill; past init's crash-loop limit (10 fast restarts) started by hand. */
  async function readyAgain(init: InitProcess, from: number): Promise<void> {
    const r = await init.waitForRecord((x) => x.msg === 'service state' && x['service'] === 'reconciler' && (x['to'] === 'ready' || x['to'] === 'failed') && init.records.indexOf(x) >= from, { timeoutMs: NODE_READY_MS, what: 'reconciler ready or failed' });
    if (r['to'] === 'ready') return;
    const again = init.records.length;
    const start = await fortctl(init.root, ['start', 'reconciler']);
    assert.equal(start.code, 0, start.stderr);
    await init.waitForState('reconciler', 'ready', { afterIndex: again, timeoutMs: NODE_READY_MS });
  }

  it(`survives ${KILLS} kill -9s of the reconciler: nothing lost, doubled or restarted needlessly`, async () => {
    const init = await boot();
    await putWorkload(init.root, shWorkload('steady', 'sleep 100000; : rd-steady'));
    await putWorkload(init.root, shWorkload('crasher', 'sleep 0.3; exit 3; : rd-crasher', { restart: 'on-failure' }));
    const steady = await waitWorkload(init.root, 'steady', running);
    await waitWorkload(init.root, 'crasher', (w) => w.restarts >= 1);

    for (let i = 0; i < KILLS; i++) {
      const from = init.records.length;
      const pid = init.lastPid('reconciler', 'ready');
      await sleep(Math.floor(Math.random() * KILL_JITTER_MS));
      process.kill(pid, 'SIGKILL');
      await readyAgain(init, from);
      assert.ok(shProcesses('rd-steady').length <= 1 && shProcesses('rd-crasher').length <= 1, `kill ${i + 1}: a workload runs twice`);
      assert.deepEqual(shProcesses('rd-steady'), [steady.pid], `kill ${i + 1}: steady was restarted or lost`);
    }
    const after = await waitWorkload(init.root, 'steady', running);
    assert.equal(after.pid, steady.pid, 'steady is the same process');
    assert.equal(after.restarts, 0, 'steady never restarted');
    // the crasher keeps being restarted by whichever reconciler runs
    const c = await waitWorkload(init.root, 'crasher', (w) => w.lastExit?.code === 3);
    assert.ok(c.phase === 'running' || c.phase === 'pending', JSON.stringify(c));
  });

  it('records an exit that happened while the reconciler was down', async () => {
    const init = await boot();
    await putWorkload(init.root, shWorkload('oneshot', 'sleep 100000; : rd-oneshot', { restart: 'never' }));
    const w = await waitWorkload(init.root, 'oneshot', running);
    // an outage: the reconciler frozen, the workload ends, then the reconciler is killed and init restarts it
    const reconciler = init.lastPid('reconciler', 'ready');
    process.kill(reconciler, 'SIGSTOP');
    process.kill(w.pid!, 'SIGTERM');
    await waitUntil(() => !isAlive(w.pid!), { what: 'the workload to end' });
    const from = init.records.length;
    process.kill(reconciler, 'SIGKILL');
    await readyAgain(init, from);
    const ended = await waitWorkload(init.root, 'oneshot', (x) => x.phase === 'failed');
    assert.deepEqual(ended.lastExit, { code: null, signal: 'SIGTERM' });
    assert.equal(shProcesses('rd-oneshot').length, 0, 'restart never: not started again');
  });

  it('keeps workloads running (and restarting) while the maintainer is frozen or killed', async () => {
    const init = await boot();
    await putWorkload(init.root, shWorkload('svc', 'sleep 100000; : rd-svc'));
    const first = await waitWorkload(init.root, 'svc', running);
    const maintainer = init.lastPid('maintainer', 'ready');
    process.kill(maintainer, 'SIGSTOP');
    try {
      process.kill(first.pid!, 'SIGKILL');
      // the reconciler restarts it on its own; its API answers without the maintainer
      const again = await waitWorkload(init.root, 'svc', (w) => running(w) && w.pid !== first.pid);
      assert.equal(again.restarts, 1);
    } finally {
      process.kill(maintainer, 'SIGCONT');
    }
    // the status queued during the freeze reaches the maintainer
    await waitUntil(async () => {
      const r = await fortctl(init.root, ['workloads', '--all', '--json']);
      return r.code === 0 && (JSON.parse(r.stdout) as WorkloadJson[]).some((w) => w.workload === 'svc' && w.restarts === 1);
    }, { what: 'the restart reported to the maintainer', timeoutMs: 60_000 });
    const current = await waitWorkload(init.root, 'svc', running);
    const from = init.records.length;
    const synced = await syncCount(init);
    process.kill(maintainer, 'SIGKILL');
    await init.waitForState('maintainer', 'ready', { afterIndex: from, timeoutMs: NODE_READY_MS });
    await waitUntil(async () => (await syncCount(init)) > synced, { what: 'the reconciler synced with the restarted maintainer', timeoutMs: 60_000 });
    await waitUntil(async () => (await workloads(init.root, true))?.some((w) => w.workload === 'svc' && w.pid === current.pid), { what: 'svc reported' });
    assert.deepEqual(shProcesses('rd-svc'), [current.pid], 'the workload outlived the maintainer');
    assert.equal(init.transitions('reconciler').filter((r) => r['to'] === 'ready').length, 1, 'the reconciler did not restart');
  });

  it('drains workloads at node shutdown, before the reconciler stops', async () => {
    const init = await boot();
    await putWorkload(init.root, shWorkload('drained', 'trap "exit 0" TERM; while :; do sleep 1; done; : rd-drained'));
    const w = await waitWorkload(init.root, 'drained', running);
    init.signal('SIGTERM');
    await init.waitForExit({ timeoutMs: 120_000 });
    assert.ok(!isAlive(w.pid!), 'the workload was stopped at shutdown');
    assert.equal(shProcesses('rd-drained').length, 0);
    const stops = init.records.filter((r) => r.msg === 'service state' && r['to'] === 'inactive').map((r) => String(r['service']));
    assert.ok(stops.indexOf('workloads-drain') < stops.indexOf('reconciler'), `drain before the reconciler stops: ${stops.join(', ')}`);
  });
});
