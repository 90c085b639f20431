// A broken service directory fails that service (and what depends on it) with the exact file named; the rest of
// the tree boots. Usage errors exit 2; a missing bundle leaves init up, saying why (2660-broken-tree has more).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAfterEach, INIT_MAIN, InitProcess } from '../harness/init.js';

describe('init: load errors', () => {
  cleanupAfterEach();

  it('boots the rest of the tree when one service directory is broken', async () => {
    const init = await InitProcess.start({
      broken: { type: 'longrun', run: 'exec sleep 1000', files: { 'timeout-up': 'soon\n' } },
      needsBroken: { type: 'longrun', dependencies: ['broken'], run: 'exec sleep 1000' },
      good: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['broken', 'needsBroken', 'good'] },
    });
    const problem = await init.waitForRecord((r) => r.msg === 'service failed to load' && r.service === 'broken');
    assert.equal(problem.level, 'error');
    assert.equal(problem.path, init.path('etc/fortros/services/broken/timeout-up'));
    await init.waitForState('good', 'ready');
    const status = await init.status();
    assert.equal(status.get('broken')!.state, 'failed');
    assert.match(String(status.get('broken')!.reason), /broken\/timeout-up/);
    assert.equal(status.get('needsBroken')!.state, 'failed');
    assert.equal(status.get('default')!.state, 'blocked');
    assert.match(String(status.get('default')!.reason), /dependency broken failed/);
    await init.waitForRecord((r) => r.msg === 'boot incomplete');
  });

  it('stays up with a clear error when the bundle to boot does not exist', async () => {
    const init = await InitProcess.start({ a: { type: 'longrun', run: 'exec sleep 1000' } }, { bundle: 'nope' });
    const rec = await init.waitForRecord((r) => r.msg === 'cannot boot');
    assert.match(String(rec.err), /bundle "nope" not found/);
    const status = await init.status();
    assert.equal(status.get('nope')!.state, 'failed');
    assert.match(String(status.get('nope')!.reason), /bundle "nope" not found/);
    assert.equal(status.get('a')!.state, 'inactive');
    assert.equal(init.exit, undefined);
  });

  it('exits 2 on a usage error, saying what it expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fortros-init-usage-'));
    try {
      const r = spawnSync(process.execPath, [INIT_MAIN, '--root', dir, '--log-format', 'yaml'], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--log-format: expected one of logfmt, json, got "yaml"/);
      const help = spawnSync(process.execPath, [INIT_MAIN, '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0);
      assert.match(help.stdout, /usage: fortros-init/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
