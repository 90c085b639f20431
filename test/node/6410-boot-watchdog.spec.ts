// The boot watchdog of examples/node (its real up file) under the real fortros-init: it marks the generation `ok`
// when the maintainer becomes ready in time, even after crashes and restarts, and `failed` (with the reason) when it
// is not ready within FORTROS_BOOT_TIMEOUT seconds, whatever the maintainer does meanwhile. The maintainer here is a
// stand-in (a longrun with a notification fd), so no root is needed.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { copyExampleServices, exampleEnv } from '../harness/example-node.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import type { ServiceSpec, TreeSpec } from '../harness/tree.js';
import { waitUntil } from '../harness/wait.js';

const GENERATION = 'g7';
/** Short enough for a test, long enough for init to spawn the watchdog on a loaded machine. */
const SHORT_TIMEOUT_S = 4;
/** The watchdog's budget where the maintainer is meant to make it. */
const LONG_TIMEOUT_S = 120;
const WAIT_MS = 150_000;

/** The real persist-mount and boot-watchdog of examples/node, with `maintainer` standing in for the real one. */
async function boot(maintainer: ServiceSpec, timeoutS: number | string): Promise<InitProcess> {
  const tree: TreeSpec = { maintainer, default: { type: 'bundle', contents: ['persist-mount', 'maintainer', 'boot-watchdog'] } };
  return InitProcess.start(tree, {
    wrap: exampleEnv({ FORTROS_BOOT_TIMEOUT: String(timeoutS), FORTROS_GENERATION: GENERATION }),
    prepare: (root) => copyExampleServices(root, ['persist-mount', 'boot-watchdog']),
  });
}

/** The generation's status once the watchdog wrote one. */
async function status(init: InitProcess): Promise<{ status: string; reason: string }> {
  const dir = init.path('persist/generations', GENERATION);
  const text = await waitUntil(() => readFile(`${dir}/status`, 'utf8').catch(() => undefined), { what: `${dir}/status`, timeoutMs: WAIT_MS });
  return { status: text.trim(), reason: (await readFile(`${dir}/reason`, 'utf8')).trim() };
}

describe('boot watchdog (examples/node)', function () {
  this.timeout(4 * WAIT_MS);
  cleanupAfterEach();

  it('marks the generation failed when the maintainer is never ready within the timeout, naming why', async () => {
    // fd 3 held open and never written: spawned, never ready
    const init = await boot({ type: 'longrun', notificationFd: 3, run: 'exec sleep 100000' }, SHORT_TIMEOUT_S);
    const s = await status(init);
    assert.equal(s.status, 'failed');
    assert.match(s.reason, new RegExp(`maintainer not ready within ${SHORT_TIMEOUT_S} s`));
    const failed = await init.waitForState('boot-watchdog', 'failed', { timeoutMs: WAIT_MS });
    assert.ok(failed, 'the watchdog itself shows failed in init');
    assert.equal(init.transitions('maintainer').some((r) => r.to === 'ready'), false);
  });

  it('keeps counting while the maintainer fails its readiness timeout (nothing restarts it): failed at the deadline', async () => {
    const init = await boot({ type: 'longrun', notificationFd: 3, timeoutUp: 500, run: 'exec sleep 100000' }, SHORT_TIMEOUT_S);
    await init.waitForState('maintainer', 'failed', { timeoutMs: WAIT_MS });
    const s = await status(init);
    assert.equal(s.status, 'failed');
    assert.match(s.reason, /maintainer not ready within/);
  });

  it('marks the generation ok when the maintainer becomes ready in time, after crashing and backing off twice', async () => {
    const run = [
      'n=$(cat "$FORTROS_ROOT/tries" 2>/dev/null || echo 0); echo $((n + 1)) > "$FORTROS_ROOT/tries"',
      '[ "$n" -ge 2 ] || exit 1',
      'echo >&3; exec sleep 100000',
    ].join('\n');
    const init = await boot({ type: 'longrun', notificationFd: 3, run }, LONG_TIMEOUT_S);
    const s = await status(init);
    assert.equal(s.status, 'ok', `reason: ${s.reason}`);
    assert.ok(init.transitions('maintainer').filter((r) => r.to === 'backoff').length >= 2, 'the maintainer backed off twice first');
    await init.waitForState('boot-watchdog', 'ready', { timeoutMs: WAIT_MS });
  });

  it('refuses a timeout that is not whole seconds, naming the variable, and marks nothing', async () => {
    const init = await boot({ type: 'longrun', notificationFd: 3, run: 'echo >&3; exec sleep 100000' }, 'soon');
    await init.waitForState('boot-watchdog', 'failed', { timeoutMs: WAIT_MS });
    const log = await waitUntil(() => readFile(init.path('var/log/fortros/boot-watchdog/current'), 'utf8').catch(() => undefined), { what: 'the watchdog log' });
    assert.match(log, /FORTROS_BOOT_TIMEOUT: expected whole seconds >= 1, got 'soon'/);
    await assert.rejects(readFile(init.path('persist/generations', GENERATION, 'status')), 'no status written');
  });
});
