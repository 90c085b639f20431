// Shutdown: SIGTERM stops every service in reverse dependency order within its timeouts, kills what ignores
// its down signal after timeout-kill, leaves no process behind (grandchildren included), and exits 0.
import assert from 'node:assert/strict';
import { cleanupAfterEach, InitProcess, type LogRecord } from '../harness/init.js';
import type { TreeSpec } from '../harness/tree.js';
import { isAlive } from '../harness/proc.js';
import { readLines, waitForLines, waitUntil } from '../harness/wait.js';

const idx = (init: InitProcess, service: string, to: string): number =>
  init.records.findIndex((r: LogRecord) => r.msg === 'service state' && r.service === service && r.to === to && init.records.indexOf(r) > init.records.findIndex((x) => x.msg === 'shutdown'));

describe('init: shutdown', () => {
  cleanupAfterEach();

  it('stops services in reverse order on SIGTERM, kills stragglers, leaves nothing behind and exits 0', async function () {
    this.timeout(30_000);
    const pidfile = (n: string): string => `echo $$ >> "$FORTROS_ROOT/pids"\necho ${n} $$ >> "$FORTROS_ROOT/named"`;
    const init = await InitProcess.start({
      base: { type: 'longrun', run: `${pidfile('base')}\nexec sleep 1000` },
      // a sh -c run script with a grandchild in the background
      mid: {
        type: 'longrun',
        dependencies: ['base'],
        run: `${pidfile('mid')}\nsh -c 'sleep 1000 & echo $! >> "$FORTROS_ROOT/pids"; sleep 1000' &\necho $! >> "$FORTROS_ROOT/pids"\nwait`,
      },
      // ignores SIGTERM: killed after timeout-kill
      stubborn: { type: 'longrun', dependencies: ['mid'], timeoutKill: 800, run: `trap '' TERM\n${pidfile('stubborn')}\nexec sleep 1000` },
      default: { type: 'bundle', contents: ['stubborn'] },
    });
    await init.waitForState('default', 'ready');
    const pids = (await waitForLines(init.path('pids'), 5)).map(Number);
    for (const p of pids) assert.ok(isAlive(p), `pid ${p} alive before shutdown`);

    init.signal('SIGTERM');
    const exit = await init.waitForExit({ timeoutMs: 20_000 });
    assert.deepEqual(exit, { code: 0, signal: null });
    // reverse order: a service stops only once its dependents are down
    assert.ok(idx(init, 'stubborn', 'inactive') < idx(init, 'mid', 'stopping'), 'stubborn down before mid stops');
    assert.ok(idx(init, 'mid', 'inactive') < idx(init, 'base', 'stopping'), 'mid down before base stops');
    const stubbornStop = init.records[idx(init, 'stubborn', 'stopping')]!;
    const stubbornDown = init.records[idx(init, 'stubborn', 'inactive')]!;
    // 800 ms less a margin: the kill timer counts from libuv's cached loop time, which can be a few ms older than
    // the wall-clock stamp of the `stopping` record, so the two stamps may be a little under 800 ms apart
    const stubbornMs = Date.parse(stubbornDown.time) - Date.parse(stubbornStop.time);
    assert.ok(stubbornMs >= 750, `SIGKILL only after timeout-kill 800 ms, got ${stubbornMs} ms`);
    // grandchildren SIGKILLed with their process group may take a moment to be gone
    for (const p of pids) await waitUntil(() => !isAlive(p), { what: `pid ${p} gone after shutdown` });
    assert.ok(init.records.some((r) => r.msg === 'shutdown complete'));
  });

  it('uses down-signal to stop a service', async () => {
    const init = await InitProcess.start({
      hup: {
        type: 'longrun',
        downSignal: 'SIGHUP',
        run: `trap 'echo got-hup > "$FORTROS_ROOT/hup"; exit 0' HUP\ntrap '' TERM\necho trapped > "$FORTROS_ROOT/hup.trapped"\nwhile :; do sleep 0.05; done`,
      },
      default: { type: 'bundle', contents: ['hup'] },
    });
    await init.waitForState('hup', 'ready');
    // ready means spawned (no notification-fd): wait until the script has set its traps
    await waitForLines(init.path('hup.trapped'));
    init.signal('SIGTERM');
    await init.waitForExit();
    assert.deepEqual(await readLines(init.path('hup')), ['got-hup']);
  });

  it('stops flag-essential services last at shutdown', async () => {
    const init = await InitProcess.start({
      ess: { type: 'longrun', essential: true, run: 'exec sleep 1000' },
      leaf: { type: 'longrun', run: 'exec sleep 1000' },
      app: { type: 'longrun', dependencies: ['leaf'], run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['ess', 'app'] },
    });
    await init.waitForState('default', 'ready');
    init.signal('SIGTERM');
    await init.waitForExit();
    const essStop = idx(init, 'ess', 'stopping');
    for (const s of ['leaf', 'app']) assert.ok(idx(init, s, 'inactive') < essStop, `${s} down before ess stops`);
  });

  it('a second SIGTERM keeps the order but shortens the kill timeout', async function () {
    this.timeout(30_000);
    const init = await InitProcess.start({
      slowstop: { type: 'longrun', timeoutKill: 20_000, run: `trap '' TERM\necho slowstop >> "$FORTROS_ROOT/trapped"\nexec sleep 1000` },
      user: { type: 'longrun', dependencies: ['slowstop'], timeoutKill: 20_000, run: `trap '' TERM\necho user >> "$FORTROS_ROOT/trapped"\nexec sleep 1000` },
      default: { type: 'bundle', contents: ['user'] },
    });
    await init.waitForState('default', 'ready');
    // ready means spawned (no notification-fd): wait until both scripts ignore SIGTERM
    await waitForLines(init.path('trapped'), 2);
    init.signal('SIGTERM');
    await init.waitForState('user', 'stopping');
    init.signal('SIGTERM');
    await init.waitForRecord((r) => r.msg === 'shutdown hurried');
    const exit = await init.waitForExit({ timeoutMs: 15_000 });
    assert.equal(exit.code, 0);
    assert.ok(idx(init, 'user', 'inactive') < idx(init, 'slowstop', 'stopping'), 'order kept');
  });

  it('a SIGTERM while the tree is still loading is acted on, not fatal: init shuts down and exits 0', async function () {
    this.timeout(60_000);
    // a large tree, so that loading takes a while after the first record
    const tree: TreeSpec = { default: { type: 'bundle', contents: [] } };
    for (let i = 0; i < 400; i++) {
      const name = `s${i}`;
      tree[name] = { type: 'longrun', run: 'exec sleep 1000' };
      tree.default!.contents!.push(name);
    }
    const init = await InitProcess.start(tree, { waitForMsg: 'loading the service tree' });
    init.signal('SIGTERM');
    const exit = await init.waitForExit({ timeoutMs: 45_000 });
    // before the signal router, SIGTERM's default action ended init here: exit { code: null, signal: 'SIGTERM' }
    assert.deepEqual(exit, { code: 0, signal: null }, 'init acted on the signal instead of dying of it');
    assert.ok(init.records.some((r) => r.msg === 'shutdown requested' && r.why === 'SIGTERM'), 'the shutdown names the signal');
    for (const r of init.records.filter((x) => x.msg === 'service state' && typeof x.pid === 'number' && x.pid > 0)) {
      assert.ok(!isAlive(r.pid as number), `pid ${String(r.pid)} of ${String(r.service)} is gone`);
    }
  });
});
