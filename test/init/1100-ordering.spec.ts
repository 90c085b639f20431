// Start order: a dependent starts only after its dependency is ready; independent services start in parallel;
// oneshots run up in order and down in reverse; a bundle is ready when all its members are.
import assert from 'node:assert/strict';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { readLines, waitForLines } from '../harness/wait.js';

const stamp = (file: string): string => `date +%s%N >> "$FORTROS_ROOT/${file}"`;

describe('init: start ordering', () => {
  cleanupAfterEach();

  it('starts a dependent strictly after its dependency wrote its readiness newline', async () => {
    const init = await InitProcess.start({
      db: { type: 'longrun', notificationFd: 3, run: `sleep 0.3\n${stamp('db.notified')}\necho >&3\nexec sleep 1000` },
      app: { type: 'longrun', dependencies: ['db'], run: `${stamp('app.spawned')}\nexec sleep 1000` },
      default: { type: 'bundle', contents: ['app'] },
    });
    await init.waitForState('app', 'ready');
    const [notified] = await waitForLines(init.path('db.notified'));
    const [spawned] = await waitForLines(init.path('app.spawned'));
    assert.ok(BigInt(spawned!) > BigInt(notified!), `app spawned at ${spawned}, db notified at ${notified}`);
    const blocked = init.transitions('app').find((r) => r.to === 'blocked');
    assert.deepEqual(blocked?.waitingOn, ['db']);
  });

  it('starts independent services in parallel', async () => {
    const slow = (n: string) => ({
      type: 'longrun' as const,
      notificationFd: 3,
      run: `${stamp(`${n}.spawned`)}\nsleep 1\n${stamp(`${n}.ready`)}\necho >&3\nexec sleep 1000`,
    });
    const init = await InitProcess.start({ x: slow('x'), y: slow('y'), default: { type: 'bundle', contents: ['x', 'y'] } });
    await init.waitForState('default', 'ready');
    const [xs, xr, ys, yr] = await Promise.all(['x.spawned', 'x.ready', 'y.spawned', 'y.ready'].map(async (f) => BigInt((await waitForLines(init.path(f)))[0]!)));
    assert.ok(xs! < yr! && ys! < xr!, 'both spawned before either was ready');
  });

  it('runs oneshot up scripts in dependency order and down scripts in reverse at shutdown', async () => {
    const log = (what: string): string => `echo ${what} >> "$FORTROS_ROOT/order"`;
    const init = await InitProcess.start({
      mount: { type: 'oneshot', up: log('up-mount'), down: log('down-mount') },
      net: { type: 'oneshot', dependencies: ['mount'], up: log('up-net'), down: log('down-net') },
      daemon: { type: 'longrun', dependencies: ['net'], run: `${log('run-daemon')}\nexec sleep 1000` },
      default: { type: 'bundle', contents: ['daemon'] },
    });
    await init.waitForState('default', 'ready');
    // daemon has no notification-fd: it is ready once spawned, maybe before its script wrote its line
    await waitForLines(init.path('order'), 3);
    init.signal('SIGTERM');
    assert.equal((await init.waitForExit()).code, 0);
    assert.deepEqual(await readLines(init.path('order')), ['up-mount', 'up-net', 'run-daemon', 'down-net', 'down-mount']);
  });

  it('reports a bundle ready only once every member is ready, and starts a named bundle', async () => {
    const init = await InitProcess.start(
      {
        a: { type: 'longrun', run: 'exec sleep 1000' },
        b: { type: 'longrun', notificationFd: 4, run: 'sleep 0.3; echo >&4; exec sleep 1000' },
        web: { type: 'bundle', contents: ['a', 'b'] },
        other: { type: 'longrun', run: `${stamp('other')}\nexec sleep 1000` },
        default: { type: 'bundle', contents: ['other'] },
      },
      { bundle: 'web' },
    );
    const ready = await init.waitForState('web', 'ready');
    const readyAt = init.records.indexOf(ready);
    for (const m of ['a', 'b']) assert.ok(init.records.indexOf(await init.waitForState(m, 'ready')) < readyAt, `${m} ready before web`);
    assert.deepEqual(init.transitions('other'), [], 'a service outside the booted bundle is left alone');
  });
});
