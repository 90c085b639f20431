// Debian's s6 tools on a service init runs, through the s6-compatible supervise/ in <run-dir>/service/NAME:
// s6-svok, s6-svstat (pid, up/down, exit), s6-svc -k/-d/-u (signal, stop, start) and s6-svwait -U.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { waitUntil } from '../harness/wait.js';

/** Wait at most this long inside s6-svwait (ms), and for it to exit. */
const SVWAIT_MS = 30_000;

function s6(tool: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: SVWAIT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const haveS6 = spawnSync('s6-svstat', ['-h'], { encoding: 'utf8' }).error === undefined;

describe('init: s6 tools on its services', () => {
  cleanupAfterEach();

  it('s6-svok, s6-svstat, s6-svc -k/-d/-u and s6-svwait -U work on a longrun', async function () {
    if (!haveS6) this.skip(); // needs Debian's s6 package (s6-svstat, s6-svc, s6-svwait, s6-svok)
    this.timeout(120_000);
    const init = await InitProcess.start({
      svc: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['svc'] },
    });
    await init.waitForState('svc', 'ready');
    const dir = init.path('run/fortros/service/svc');
    assert.equal(s6('s6-svok', dir).code, 0, 'the service is supervised');

    const up = s6('s6-svstat', dir);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, new RegExp(`^up \\(pid ${init.lastPid('svc')}\\) \\d+ seconds, ready \\d+ seconds\\n$`));

    let from = init.records.length;
    const pid = init.lastPid('svc');
    assert.equal(s6('s6-svc', '-k', dir).code, 0);
    await init.waitForState('svc', 'ready', { afterIndex: from, timeoutMs: 30_000 });
    assert.notEqual(init.lastPid('svc'), pid, 'killed and restarted');

    from = init.records.length;
    assert.equal(s6('s6-svc', '-d', dir).code, 0);
    await init.waitForState('svc', 'inactive', { afterIndex: from });
    assert.match(s6('s6-svstat', dir).stdout, /^down \(signal SIGTERM\) \d+ seconds, normally up, ready \d+ seconds\n$/);

    const wait = spawn('s6-svwait', ['-U', '-t', String(SVWAIT_MS), dir], { stdio: 'ignore' });
    const waited = new Promise<number | null>((resolve) => wait.once('exit', (code) => resolve(code)));
    // s6-svwait listens through a fifo it makes in event/ (ftrig1…): wait until it is there
    await waitUntil(() => readdirSync(join(dir, 'event')).some((f) => f.startsWith('ftrig1')), { what: 's6-svwait listening in event/' });
    from = init.records.length;
    assert.equal(s6('s6-svc', '-u', dir).code, 0);
    await init.waitForState('svc', 'ready', { afterIndex: from });
    assert.equal(await waited, 0, 's6-svwait -U saw the service become ready');
    assert.match(s6('s6-svstat', dir).stdout, /^up \(pid \d+\)/);
  });

  it('s6-notifyoncheck makes a service ready once its data/check passes (run in its s6 directory)', async function () {
    if (!haveS6) this.skip(); // needs Debian's s6 package
    this.timeout(120_000);
    const init = await InitProcess.start({
      checked: {
        type: 'longrun',
        notificationFd: 3,
        // polls ./data/check every 100 ms, for ever, then writes the newline to fd 3 (./notification-fd)
        run: 'exec s6-notifyoncheck -s 100 -w 100 -n 0 sleep 1000',
        files: { 'data/check': '#!/bin/sh\ntest -e "$FORTROS_ROOT/healthy"\n' },
      },
      default: { type: 'bundle', contents: ['checked'] },
    });
    await init.waitForState('checked', 'starting');
    await chmod(`${init.sourceDir}/checked/data/check`, 0o755); // the harness writes extra files 0644
    await writeFile(init.path('healthy'), '');
    await init.waitForState('checked', 'ready', { timeoutMs: 30_000 });
    assert.equal(init.transitions('checked').filter((t) => t.to === 'backoff').length, 0, 'never crashed (s6-notifyoncheck found supervise/)');
    assert.match(s6('s6-svstat', init.path('run/fortros/service/checked')).stdout, new RegExp(`^up \\(pid ${init.lastPid('checked')}\\)`));
  });
});
