// Workload keys end to end (issue 10 item 6): a process workload with `keys: ["tls"]`, under the real fortros-init,
// key service, maintainer (--mesh none) and reconciler, derives its key through `fortctl key derive` from its main
// process and from a child, equal to DESIGN §7 with key subject `workload.<id>`; purpose `db` is refused, and so is
// the same command from outside any workload or service. While the reconciler is frozen the workload is refused
// UNAUTHENTICATED; once it is back (after a kill -9, its anchors orphaned) the workload gets its key again.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { expectedKey, fortctl, FORTCTL_MAIN, MASTER_KEY, type DerivedJson } from '../harness/keys.js';
import { freePort, NODE_READY_MS, putWorkload, reconcilerTree, shWorkload, waitWorkload } from '../harness/reconciler.js';
import { waitForLines } from '../harness/wait.js';

const ID = 'keyed';
/** How long the workload's script waits for the test's go-file, in 50 ms steps (then it derives anyway and fails). */
const GO_WAIT_STEPS = 1200;

/**
 * The workload's script: wait until the test creates `go.1` (it has seen the workload running), then derive from the
 * main shell and a subshell; then one more derivation after each of `go.2` and `go.3`.
 */
function script(root: string): string {
  const out = `${root}/wl`;
  const derive = (who: string, purpose: string): string =>
    `"${process.execPath}" "${FORTCTL_MAIN}" --root "${root}" key derive --purpose ${purpose} --json > ${out}/${who}.${purpose}.json 2> ${out}/${who}.${purpose}.err; echo $? > ${out}/${who}.${purpose}.rc`;
  const waitGo = (n: number): string => `i=0; while [ ! -e ${out}/go.${n} ] && [ $i -lt ${GO_WAIT_STEPS} ]; do sleep 0.05; i=$((i+1)); done`;
  return [
    `mkdir -p ${out}`,
    waitGo(1),
    derive('main', 'tls'),
    `( ${derive('child', 'tls')} )`,
    derive('main', 'db'),
    waitGo(2),
    derive('frozen', 'tls'),
    waitGo(3),
    derive('again', 'tls'),
    'exec sleep 100000',
  ].join('\n');
}

async function result(root: string, who: string, purpose: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = `${root}/wl/${who}.${purpose}`;
  const [rc] = await waitForLines(`${base}.rc`, 1, { timeoutMs: 60_000 });
  return { code: Number(rc), stdout: await readFile(`${base}.json`, 'utf8'), stderr: await readFile(`${base}.err`, 'utf8') };
}

describe('keys: workload keys', function () {
  this.timeout(300_000);
  cleanupAfterEach();

  it('lets a workload and its children derive exactly the purposes of its spec, as workload.<id>; nobody else', async () => {
    const init = await InitProcess.start(reconcilerTree(await freePort()));
    await init.waitForState('reconciler', 'ready', { timeoutMs: NODE_READY_MS });
    await putWorkload(init.root, shWorkload(ID, script(init.root), { keys: ['tls'] }));
    await waitWorkload(init.root, ID, (w) => w.phase === 'running' && w.pid !== null);
    await writeFile(init.path('wl/go.1'), '');

    const master = await readFile(init.path(MASTER_KEY));
    const want = expectedKey(master, `workload.${ID}`, 'tls').toString('hex');
    for (const who of ['main', 'child']) {
      const r = await result(init.root, who, 'tls');
      assert.equal(r.code, 0, `${who}: ${r.stderr}`);
      const got = JSON.parse(r.stdout) as DerivedJson;
      assert.deepEqual([got.service, got.purpose, got.key], [`workload.${ID}`, 'tls', want], who);
    }
    assert.notEqual(want, expectedKey(master, ID, 'tls').toString('hex'), 'not the key of a service named like the workload');

    const db = await result(init.root, 'main', 'db');
    assert.equal(db.code, 1, db.stderr);
    assert.match(db.stderr, /PERMISSION_DENIED/);

    const outside = await fortctl(['--root', init.root, 'key', 'derive', '--purpose', 'tls', '--json']);
    assert.equal(outside.code, 1, outside.stderr);
    assert.match(outside.stderr, /UNAUTHENTICATED/);
    assert.match(outside.stderr, /does not descend from a service supervised by init or a workload/);

    // the reconciler frozen: workloads cannot be attributed (its ResolvePid times out)
    const reconciler = init.lastPid('reconciler', 'ready');
    process.kill(reconciler, 'SIGSTOP');
    await writeFile(init.path('wl/go.2'), '');
    const frozen = await result(init.root, 'frozen', 'tls');
    assert.equal(frozen.code, 1, frozen.stderr);
    assert.match(frozen.stderr, /UNAUTHENTICATED/);
    assert.match(frozen.stderr, /reconciler/);

    // killed, restarted by init, ready again: the same workload (its anchor now an orphan) gets its key
    const from = init.records.length;
    process.kill(reconciler, 'SIGKILL');
    await init.waitForState('reconciler', 'ready', { afterIndex: from, timeoutMs: NODE_READY_MS });
    await writeFile(init.path('wl/go.3'), '');
    const again = await result(init.root, 'again', 'tls');
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as DerivedJson).key, want);
  });
});
