// As a child subreaper, a signal init does not use (SIGUSR2, SIGQUIT, SIGPIPE, SIGALRM, SIGTSTP …) neither
// kills nor stops it: each is logged and ignored, services keep running, the control API keeps answering.
import assert from 'node:assert/strict';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive, procStat } from '../harness/proc.js';

/** Signals whose default action would terminate, dump core or stop a process that does not handle them. */
const UNUSED: NodeJS.Signals[] = [
  'SIGUSR2', 'SIGQUIT', 'SIGPIPE', 'SIGALRM', 'SIGVTALRM', 'SIGPROF', 'SIGTRAP', 'SIGABRT', 'SIGIO', 'SIGXCPU',
  'SIGXFSZ', 'SIGPWR', 'SIGSTKFLT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU',
];

describe('init: signals it does not use (subreaper)', () => {
  cleanupAfterEach();

  it('survives every one of them, logging each, with its service still running', async function () {
    this.timeout(120_000);
    const init = await InitProcess.start({
      svc: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['svc'] },
    });
    await init.waitForState('svc', 'ready');
    const svcPid = init.lastPid('svc');
    for (const sig of UNUSED) {
      const from = init.records.length;
      init.signal(sig);
      await init.waitForRecord((r) => r.msg === 'signal ignored' && r.signal === sig && init.records.indexOf(r) >= from, { what: `"signal ignored" for ${sig}` });
      assert.equal(init.exit, undefined, `init died of ${sig}`);
      assert.notEqual(procStat(init.pid)?.state, 'T', `init was stopped by ${sig}`);
    }
    // SIGUSR1 is used (status dump): it answers and does not kill either
    const status = await init.status();
    assert.equal(status.get('svc')!.state, 'ready');
    assert.ok(isAlive(svcPid), 'the service was not orphaned or killed');
    const r = await fortctl(init.root, ['status', 'svc', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { pid: number }).pid, svcPid);
  });
});
