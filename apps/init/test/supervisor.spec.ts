// The Supervisor's public API against real processes: start/stop/restart/signal, snapshot fields, typed events.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type LineSink } from '@fortros/log';
import { loadServiceTree } from '@fortros/servicedir';
import { systemClock } from '../src/clock.js';
import { EssentialServiceError, ServiceFailedError, ServiceLoadError, ServiceNotRunningError, UnknownServiceError } from '../src/errors.js';
import type { OutputFactory } from '../src/output/output-sink.js';
import { createNodeSpawner } from '../src/process/spawner.js';
import { Supervisor, type ServiceStateChange } from '../src/supervisor/supervisor.js';

type Files = Record<string, Record<string, string>>;

async function writeServices(dir: string, services: Files): Promise<void> {
  for (const [name, files] of Object.entries(services)) {
    for (const [file, content] of Object.entries(files)) {
      const path = join(dir, name, file);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, content);
      if (file === 'run' || file === 'finish') await chmod(path, 0o755);
    }
  }
}

const sleeper = (extra: Record<string, string> = {}) => ({ type: 'longrun\n', run: '#!/bin/sh\nexec sleep 1000\n', ...extra });

describe('Supervisor API', () => {
  let dir: string;
  let sup: Supervisor | undefined;
  const lines: string[] = [];
  const sink: LineSink = { write: (l) => void lines.push(l) };
  const output: { lines: string[] } & OutputFactory = {
    lines: [],
    open: (name) => ({ writeLine: (l) => void output.lines.push(`${name}: ${l}`), close: () => undefined }),
  };

  async function boot(services: Files): Promise<Supervisor> {
    dir = await mkdtemp(join(tmpdir(), 'fortros-sup-'));
    await writeServices(dir, services);
    const tree = await loadServiceTree(dir);
    sup = new Supervisor(tree, { clock: systemClock, spawner: createNodeSpawner(), logger: createLogger({ sink, format: 'json' }), output });
    sup.start();
    return sup;
  }

  afterEach(async function () {
    this.timeout(30_000);
    await sup?.stop();
    sup = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a closure, reports DESIGN §6 fields and emits service:state events', async () => {
    const s = await boot({ db: sleeper(), app: sleeper({ dependencies: 'db\n' }), default: { type: 'bundle\n', contents: 'app\n' } });
    const events: ServiceStateChange[] = [];
    s.on('service:state', (e) => events.push(e));
    const st = await s.startService('default');
    assert.equal(st.state, 'ready');
    const app = s.status('app');
    assert.deepEqual(Object.keys(app).sort(), ['lastExit', 'name', 'pid', 'ready', 'reason', 'restarts', 'since', 'state', 'type', 'waitingOn'].sort());
    assert.equal(app.type, 'longrun');
    assert.equal(app.ready, true);
    assert.ok(app.pid > 0);
    assert.ok(!Number.isNaN(Date.parse(app.since)));
    const dbReady = events.findIndex((e) => e.name === 'db' && e.to === 'ready');
    const appStarting = events.findIndex((e) => e.name === 'app' && e.to === 'starting');
    assert.ok(dbReady >= 0 && dbReady < appStarting);
    const tl = s.timeline('app');
    assert.ok(tl.spawnedAt > 0 && tl.readyAt >= tl.spawnedAt);
    assert.deepEqual(s.snapshot().map((x) => x.name), ['db', 'app', 'default']);
  });

  it('stops dependents first, restarts one service alone, and signals its process', async () => {
    const s = await boot({ db: sleeper(), app: sleeper({ dependencies: 'db\n' }), default: { type: 'bundle\n', contents: 'app\n' } });
    await s.startService('default');
    const appPid = s.status('app').pid;
    const dbPid = s.status('db').pid;
    await s.restartService('db');
    assert.notEqual(s.status('db').pid, dbPid, 'db restarted');
    assert.equal(s.status('app').pid, appPid, 'its dependent kept its process');
    const order: string[] = [];
    s.on('service:state', (e) => e.to === 'inactive' && order.push(e.name));
    await s.stopService('db');
    assert.deepEqual(order.filter((n) => n !== 'default'), ['app', 'db']);
    await s.startService('app');
    const pid = s.status('app').pid;
    await s.signalService('app', 'SIGKILL');
    const restarted = await new Promise<ServiceStateChange>((resolve) => s.on('service:state', (e) => e.name === 'app' && e.to === 'backoff' && resolve(e)));
    assert.match(restarted.reason, /run killed by SIGKILL; restart at/);
    assert.equal(s.status('app').lastExit?.signal, 'SIGKILL');
    assert.notEqual(pid, 0);
  });

  it('rejects what cannot be done, with one error class per condition', async () => {
    const s = await boot({
      ess: sleeper({ 'flag-essential': '' }),
      bad: { type: 'longrun\n', run: '#!/bin/sh\nexit 0\n', 'timeout-up': 'x\n' },
      up: { type: 'oneshot\n', up: 'exit 3\n' },
      default: { type: 'bundle\n', contents: 'ess\n' },
    });
    await s.startService('default');
    await assert.rejects(s.startService('nope'), UnknownServiceError);
    await assert.rejects(s.startService('bad'), ServiceLoadError);
    await assert.rejects(s.startService('up'), (err: Error) => err instanceof ServiceFailedError && /up exited with code 3/.test(err.message));
    await assert.rejects(s.stopService('ess'), EssentialServiceError);
    await assert.rejects(s.signalService('up', 'SIGHUP'), ServiceNotRunningError);
    await s.stopService('default'); // a bulk stop leaves essential services up
    assert.equal(s.status('ess').state, 'ready');
    await s.stopService('ess', { force: true });
    assert.equal(s.status('ess').state, 'inactive');
    assert.equal(s.status('bad').state, 'failed');
    assert.match(s.status('bad').reason, /bad\/timeout-up/);
  });
});
