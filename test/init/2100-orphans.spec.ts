// PID 1 duties as a child subreaper: orphans double-forked by a service are re-parented to init and reaped, and
// the exit status of the supervised service itself is never stolen (finish and the control API still see it).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { childrenOf, procStat } from '../harness/proc.js';
import { readLines, waitForLines, waitUntil } from '../harness/wait.js';

const ORPHANS = 100;
const EXIT_CODE = 7;
const REAP_WAIT_MS = 20_000;
/** Debug level: the reaper logs every orphan it reaps ("reaped orphan", with its pid). */
const DEBUG = { args: ['--log-level', 'debug'] };

/** finish records its arguments (exit code, signal) and says "do not restart". */
const FINISH = 'echo "$1 $2" >> "$FORTROS_ROOT/finish.args"\nexit 125';

function reapedPids(init: InitProcess): Set<number> {
  return new Set(init.records.filter((r) => r.msg === 'reaped orphan').map((r) => Number(r.pid)));
}

/** The supervised service's own exit status, as finish and the control API report it. */
async function assertExitReported(init: InitProcess, service: string): Promise<void> {
  await init.waitForState(service, 'failed', { reason: /finish exited with code 125/ });
  assert.deepEqual(await readLines(init.path('finish.args')), [`${EXIT_CODE} 0`], 'finish got exit code 7 and no signal');
  const r = await fortctl(init.root, ['status', service, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { state: string; lastExit: { code: number; signal: string | null } | null; restarts: number };
  assert.equal(s.state, 'failed');
  assert.deepEqual(s.lastExit, { code: EXIT_CODE, signal: null }, 'init reports the exit status of run');
  assert.equal(s.restarts, 0);
}

/** Until no child of init is a zombie and none of `orphans` is still init's child. */
async function assertAllReaped(init: InitProcess, orphans: number[]): Promise<void> {
  await waitUntil(() => {
    const zombies = childrenOf(init.pid).filter((c) => c.state === 'Z');
    const left = orphans.filter((p) => procStat(p)?.ppid === init.pid);
    return zombies.length === 0 && left.length === 0;
  }, { timeoutMs: REAP_WAIT_MS, what: `no zombie child of init (pid ${init.pid}) and none of the ${orphans.length} orphans left` });
  // Every orphan went through the reaper (the only waitpid on a pid init did not spawn itself).
  await waitUntil(() => orphans.every((p) => reapedPids(init).has(p)), {
    timeoutMs: REAP_WAIT_MS,
    what: `"reaped orphan" records for all ${orphans.length} orphans (missing: ${orphans.filter((p) => !reapedPids(init).has(p)).slice(0, 10).join(' ')}…)`,
  });
}

describe('init: orphans (child subreaper)', () => {
  cleanupAfterEach();

  it(`reaps ${ORPHANS} double-forked orphans dying around the service's exit, and still reports its exit code ${EXIT_CODE}`, async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      forker: {
        type: 'longrun',
        // each `( … & )` subshell exits at once: its sleep is re-parented to init. Half stay in forker's process
        // group (init SIGKILLs that group once run exits), half leave it with setsid like a daemon does and die
        // 0.1–0.5 s later on their own; forker itself exits with 7 right after the loop.
        run: [
          'i=0',
          `while [ $i -lt ${ORPHANS} ]; do`,
          '  if [ $((i % 2)) = 0 ]; then s=; else s=setsid; fi',
          '  ($s sleep 0.$((i % 5 + 1)) & echo $! >> "$FORTROS_ROOT/orphans")',
          '  i=$((i+1))',
          'done',
          `exit ${EXIT_CODE}`,
        ].join('\n'),
        finish: FINISH,
      },
      steady: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['forker', 'steady'] },
    }, DEBUG);
    await assertExitReported(init, 'forker');
    const orphans = (await waitForLines(init.path('orphans'), ORPHANS)).map(Number);
    assert.equal(new Set(orphans).size, ORPHANS);
    await assertAllReaped(init, orphans);
    // the reaper did not touch the supervised service that is still running
    const steady = JSON.parse((await fortctl(init.root, ['status', 'steady', '--json'])).stdout) as { state: string; pid: number; lastExit: unknown };
    assert.equal(steady.state, 'ready');
    assert.equal(steady.lastExit, null);
    assert.equal(procStat(steady.pid)?.ppid, init.pid);

    init.signal('SIGTERM');
    assert.equal((await init.waitForExit({ timeoutMs: 20_000 })).code, 0);
    const done = init.records.find((r) => r.msg === 'shutdown complete')!;
    assert.ok(Number(done.orphansReaped) >= ORPHANS, `shutdown complete counts the orphans: ${JSON.stringify(done)}`);
  });

  it(`re-parents ${ORPHANS} held orphans to init and reaps them all when they are released`, async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      forker: {
        type: 'longrun',
        // the orphans leave forker's process group (setsid, as daemons do: init kills what is left of the group
        // when run exits) and block reading one byte each from a FIFO that they hold open read-write (so it
        // never reports EOF); the test releases them by writing the bytes
        run: [
          'mkfifo "$FORTROS_ROOT/gate"',
          'exec 3<>"$FORTROS_ROOT/gate"',
          ': > "$FORTROS_ROOT/orphans"',
          'i=0',
          // each orphan records its pid only once it has left the group (setsid in-process, then exec: same pid)
          `while [ $i -lt ${ORPHANS} ]; do setsid sh -c 'echo $$ >> "$FORTROS_ROOT/orphans"; exec head -c 1 >/dev/null' <&3 3<&- & i=$((i+1)); done`,
          // exit only once every orphan is out of the group, so none is caught by the group kill at exit
          `while [ "$(wc -l < "$FORTROS_ROOT/orphans")" -lt ${ORPHANS} ]; do sleep 0.05; done`,
          `exit ${EXIT_CODE}`,
        ].join('\n'),
        finish: FINISH,
      },
      default: { type: 'bundle', contents: ['forker'] },
    }, DEBUG);
    await assertExitReported(init, 'forker');
    const orphans = (await waitForLines(init.path('orphans'), ORPHANS)).map(Number);
    // all alive, all children of init now that their parents are gone
    await waitUntil(() => orphans.every((p) => { const s = procStat(p); return s !== undefined && s.state !== 'Z' && s.ppid === init.pid; }), {
      what: `all ${ORPHANS} orphans alive with init (pid ${init.pid}) as their parent`,
    });
    assert.equal(reapedPids(init).size, 0, 'nothing reaped while they live');

    await writeFile(init.path('gate'), 'x'.repeat(ORPHANS));
    await assertAllReaped(init, orphans);
    assert.equal(init.transitions('forker').filter((r) => r.to === 'starting').length, 1, 'forker ran once');
  });
});
