// init never exits over a broken or missing tree: it stays up, says why (log and control API), serves its
// control API, and boots once a fixed tree is loaded by a rescan (fortctl reload, SIGHUP). Tested as real PID 1
// of a pid namespace, and as a child subreaper.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { childrenOf } from '../harness/proc.js';
import { writeTree } from '../harness/tree.js';
import { waitUntil } from '../harness/wait.js';

/** `unshare` makes a pid namespace and forks init into it as its PID 1; killing unshare kills the namespace. */
const AS_PID1 = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];

interface StatusJson {
  state: string;
  reason: string;
}

async function statusOf(init: InitProcess, name: string): Promise<StatusJson> {
  const r = await fortctl(init.root, ['status', name, '--json']);
  assert.equal(r.code, 0, `fortctl status ${name}: ${r.stderr}`);
  return JSON.parse(r.stdout) as StatusJson;
}

/** The pid (in our namespace) of the process that is PID 1 in the namespace unshare made. */
async function namespacePid1(unsharePid: number): Promise<number> {
  const pid = await waitUntil(() => childrenOf(unsharePid)[0]?.pid, { what: `the child of unshare (pid ${unsharePid})` });
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  assert.match(status, /^NSpid:\s+\d+\s+1$/m, 'init is PID 1 of its pid namespace');
  return pid;
}

describe('init: a broken or missing tree', () => {
  cleanupAfterEach();

  it('as PID 1, a bundle naming a missing service: stays up, says why, boots after the fix and fortctl reload', async function () {
    if (process.getuid?.() !== 0) this.skip(); // a pid namespace needs root (CAP_SYS_ADMIN)
    this.timeout(90_000);
    const init = await InitProcess.start({ default: { type: 'bundle', contents: ['web'] } }, { wrap: AS_PID1 });
    const pid1 = await namespacePid1(init.pid);
    const why = await init.waitForRecord((r) => r.msg === 'cannot boot');
    assert.match(String(why.err), /unknown bundle member "web"/);
    const bundle = await statusOf(init, 'default');
    assert.equal(bundle.state, 'failed');
    assert.match(bundle.reason, /unknown bundle member "web"/);
    assert.equal(init.exit, undefined, 'init is still running');

    process.kill(pid1, 'SIGQUIT'); // a signal init does not use: PID 1 ignores it too
    const still = await fortctl(init.root, ['reload', '--json']);
    assert.equal(still.code, 0, still.stderr);
    assert.match((JSON.parse(still.stdout) as { cannotBoot: string }).cannotBoot, /unknown bundle member "web"/);

    await writeTree(init.sourceDir, { web: { type: 'longrun', run: 'exec sleep 1000' } });
    const fixed = await fortctl(init.root, ['reload']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /^added: web$/m);
    assert.doesNotMatch(fixed.stdout, /cannot boot/);
    await init.waitForState('web', 'ready');
    await init.waitForState('default', 'ready');
    assert.equal((await statusOf(init, 'default')).state, 'ready');
  });

  it('as a subreaper, no tree at all: stays up, says why, boots once the tree exists and SIGHUP', async function () {
    this.timeout(90_000);
    const source = await mkdtemp(join(tmpdir(), 's6-missing-tree-'));
    await rm(source, { recursive: true });
    try {
      const init = await InitProcess.start({}, { args: ['--source', source] });
      const why = await init.waitForRecord((r) => r.msg === 'cannot boot');
      assert.match(String(why.err), /bundle "default" not found/);
      assert.ok(init.records.some((r) => r.msg === 'service tree problem' && r.path === source), 'the missing source is named');
      const bundle = await statusOf(init, 'default');
      assert.equal(bundle.state, 'failed');
      assert.match(bundle.reason, /bundle "default" not found/);

      await writeTree(source, { a: { type: 'longrun', run: 'exec sleep 1000' }, default: { type: 'bundle', contents: ['a'] } });
      init.signal('SIGHUP');
      await init.waitForState('a', 'ready');
      await init.waitForState('default', 'ready');
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });
});
