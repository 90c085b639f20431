// Supervisor.reload (rescan) against real processes: services added, removed, changed and broken, and the
// pipes of log pipelines held across a rescan.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@fortros/log';
import { loadServiceTree } from '@fortros/servicedir';
import { systemClock } from '../src/clock.js';
import { ServiceLoadError, UnknownServiceError } from '../src/errors.js';
import type { OutputFactory } from '../src/output/output-sink.js';
import { createNodeSpawner } from '../src/process/spawner.js';
import { Supervisor, type ServiceStateChange } from '../src/supervisor/supervisor.js';

type Files = Record<string, Record<string, string>>;

const WAIT_MS = 10_000;
const POLL_MS = 20;

/** Poll `check` until true, failing after WAIT_MS. */
async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${WAIT_MS} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const sleeper = (extra: Record<string, string> = {}) => ({ type: 'longrun\n', run: '#!/bin/sh\nexec sleep 1000\n', ...extra });
const bundle = (...members: string[]) => ({ type: 'bundle\n', contents: members.map((m) => `${m}\n`).join('') });

describe('Supervisor: rescan', () => {
  let dir: string;
  let sup: Supervisor | undefined;
  const output: OutputFactory = { open: () => ({ writeLine: () => undefined, close: () => undefined }) };

  async function write(services: Files): Promise<void> {
    for (const [name, files] of Object.entries(services)) {
      await rm(join(dir, name), { recursive: true, force: true });
      for (const [file, content] of Object.entries(files)) {
        const path = join(dir, name, file);
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, content);
        if (file === 'run' || file === 'finish') await chmod(path, 0o755);
      }
    }
  }

  async function boot(services: Files): Promise<Supervisor> {
    dir = await mkdtemp(join(tmpdir(), 'fortros-rescan-'));
    await write(services);
    sup = new Supervisor(await loadServiceTree(dir), { clock: systemClock, spawner: createNodeSpawner(), logger: createLogger({ sink: { write: () => undefined } }), output, env: { ...process.env, DIR: dir } });
    sup.start();
    return sup;
  }

  const rescan = async () => sup!.reload(await loadServiceTree(dir));
  const until = (pred: (e: ServiceStateChange) => boolean) => new Promise<ServiceStateChange>((resolve) => sup!.on('service:state', (e) => pred(e) && resolve(e)));

  afterEach(async function () {
    this.timeout(30_000);
    await sup?.stop();
    sup = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('adds new services (starting those the wanted bundle now holds), stops and drops removed ones', async () => {
    const s = await boot({ db: sleeper(), app: sleeper({ dependencies: 'db\n' }), old: sleeper({ dependencies: 'db\n' }), default: bundle('app', 'old') });
    await s.startService('default');
    const appPid = s.status('app').pid;
    await rm(join(dir, 'old'), { recursive: true });
    await write({ web: sleeper({ dependencies: 'db\n' }), extra: sleeper(), default: bundle('app', 'web') });
    const webReady = until((e) => e.name === 'web' && e.to === 'ready');
    const result = await rescan();
    assert.deepEqual(result, { added: ['extra', 'web'], removed: ['old'], changed: ['default'], failed: [] });
    await webReady;
    await s.startService('default');
    assert.equal(s.status('extra').state, 'inactive', 'not in the booted bundle: added, not started');
    await waitFor(() => !s.snapshot().some((x) => x.name === 'old')); // dropped once its process is gone
    assert.throws(() => s.status('old'), UnknownServiceError);
    assert.deepEqual(s.snapshot().map((x) => x.name).sort(), ['app', 'db', 'default', 'extra', 'web']);
    assert.equal(s.status('app').pid, appPid, 'untouched services keep running');
    assert.deepEqual(s.edges().find((e) => e.name === 'web')!.deps, ['db']);
  });

  it('a changed service keeps running; its new definition (dependencies at once) is taken at its next start', async () => {
    const run = (v: string) => `#!/bin/sh\necho ${v} >> "$DIR/runs"\nexec sleep 1000\n`;
    const s = await boot({ svc: { type: 'longrun\n', run: run('v1') }, cache: sleeper(), default: bundle('svc') });
    await s.startService('default');
    const pid = s.status('svc').pid;
    // the shell reads its script as it goes: edit it only once the first run has read and run its echo
    await waitFor(async () => (await readFile(join(dir, 'runs'), 'utf8').catch(() => '')).includes('v1'));
    await writeFile(join(dir, 'svc/run'), run('v2-edited'));
    await writeFile(join(dir, 'svc/dependencies'), 'cache\n');
    const result = await rescan();
    assert.deepEqual(result.changed, ['svc']);
    assert.equal(s.status('svc').pid, pid, 'still the same process');
    await s.startService('default'); // the wanted closure now holds the new dependency
    assert.equal(s.status('cache').state, 'ready');
    assert.deepEqual((await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n'), ['v1']);
    await s.restartService('svc');
    assert.notEqual(s.status('svc').pid, pid);
    await waitFor(async () => (await readFile(join(dir, 'runs'), 'utf8')).trim() === 'v1\nv2-edited');
    assert.deepEqual((await rescan()).changed, [], 'nothing changed since');
  });

  it('a broken new definition: reported failed; the running service keeps its old one until it stops', async () => {
    const s = await boot({ svc: sleeper(), default: bundle('svc') });
    await s.startService('default');
    const pid = s.status('svc').pid;
    await writeFile(join(dir, 'svc/timeout-up'), 'soon\n');
    const result = await rescan();
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]!.name, 'svc');
    assert.match(result.failed[0]!.reason, /svc\/timeout-up: /);
    assert.equal(s.status('svc').state, 'ready');
    assert.equal(s.status('svc').pid, pid);
    await s.stopService('svc');
    assert.equal(s.status('svc').state, 'failed');
    assert.match(s.status('svc').reason, /svc\/timeout-up: /);
    await assert.rejects(s.startService('svc'), ServiceLoadError);
    await rm(join(dir, 'svc/timeout-up'));
    assert.deepEqual((await rescan()).changed, ['svc'], 'fixed again');
    assert.equal((await s.startService('svc')).state, 'ready');
  });

  it('removing a service stops its dependents first; a dependent left broken becomes a load failure', async () => {
    const s = await boot({ base: sleeper(), user: sleeper({ dependencies: 'base\n' }), default: bundle('user') });
    await s.startService('default');
    const downs: string[] = [];
    s.on('service:state', (e) => (e.to === 'inactive' || e.to === 'failed') && downs.push(`${e.name}:${e.to}`));
    await rm(join(dir, 'base'), { recursive: true });
    const baseDown = until((e) => e.name === 'base' && e.to === 'inactive');
    const result = await rescan();
    assert.deepEqual(result.removed, ['base']);
    assert.deepEqual(result.failed.map((f) => f.name), ['user'], 'a bundle with a failed member still loads');
    await baseDown;
    await waitFor(() => !s.snapshot().some((x) => x.name === 'base'));
    assert.deepEqual(downs, ['user:inactive', 'user:failed', 'base:inactive']);
    assert.match(s.status('user').reason, /unknown dependency "base"/);
    assert.deepEqual(s.snapshot().map((x) => `${x.name}:${x.state}`).sort(), ['default:blocked', 'user:failed']);
  });

  it('rejects a rescan after shutdown began', async () => {
    const s = await boot({ svc: sleeper(), default: bundle('svc') });
    const tree = await loadServiceTree(dir);
    void s.shutdown();
    await assert.rejects(s.reload(tree), /shutting down/);
  });
});
