// The s6 directory of a longrun on a real file system: what is there at its spawn, what the first update adds, and
// that a respawn of the same definition does no fs work while a changed definition is linked again.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import { SuperviseDirs } from '../src/s6compat/supervise-dirs.js';
import { ServiceState } from '../src/service/lifecycle.js';
import type { ServiceStatus } from '../src/service/service-status.js';

const unused = (): Promise<unknown> => Promise.resolve();

function statusOf(name: string, state: ServiceState, pid: number): ServiceStatus {
  return { name, type: 'longrun', state, pid, ready: false, restarts: 0, since: new Date(0).toISOString(), waitingOn: [], reason: '', lastExit: null };
}

describe('s6 supervise directories', () => {
  let tmp: string;
  let dirs: SuperviseDirs;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pf-s6dirs-'));
    const control = { start: unused, stop: unused, restart: unused, signal: unused };
    dirs = new SuperviseDirs({ base: join(tmp, 'service'), control, log: createLogger({ sink: { write: () => undefined } }), nowMs: () => 1_000 });
  });
  afterEach(() => {
    dirs.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  function source(name: string): ServiceDefinition {
    const dir = join(tmp, 'src', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'type'), 'longrun\n');
    writeFileSync(join(dir, 'run'), '#!/bin/sh\n');
    return { name, dir } as ServiceDefinition;
  }

  it('has links, the lock and event/ at the spawn; the control fifo and status come with the first update', () => {
    const def = source('svc');
    const wd = dirs.workDir(def);
    assert.equal(wd, join(tmp, 'service', 'svc'));
    assert.equal(readlinkSync(join(wd, 'run')), join(def.dir, 'run'));
    assert.ok(existsSync(join(wd, 'supervise', 'lock')), 'supervise/lock (s6-notifyoncheck checks it)');
    assert.ok(lstatSync(join(wd, 'event')).isDirectory(), 'event/ (s6-notifyoncheck subscribes to it)');
    assert.ok(!existsSync(join(wd, 'supervise', 'status')) && !existsSync(join(wd, 'supervise', 'control')));
    dirs.update(statusOf('svc', ServiceState.starting, 4242));
    assert.ok(lstatSync(join(wd, 'supervise', 'control')).isFIFO());
    assert.equal(lstatSync(join(wd, 'supervise', 'status')).size, 35);
  });

  it('links again only when the definition changed; stale links of an older definition go', () => {
    const def = source('svc');
    const wd = dirs.workDir(def);
    unlinkSync(join(wd, 'type'));
    assert.equal(dirs.workDir(def), wd);
    assert.ok(!existsSync(join(wd, 'type')), 'a respawn of the same definition touched nothing');
    writeFileSync(join(def.dir, 'notification-fd'), '3\n');
    unlinkSync(join(def.dir, 'run'));
    dirs.workDir({ ...def });
    assert.equal(readlinkSync(join(wd, 'type')), join(def.dir, 'type'));
    assert.equal(readlinkSync(join(wd, 'notification-fd')), join(def.dir, 'notification-fd'));
    assert.throws(() => lstatSync(join(wd, 'run')), /ENOENT/, 'the link to a removed source file is gone');
  });
});
