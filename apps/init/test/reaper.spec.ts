import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const host = fileURLToPath(new URL('./fixtures/reaper-host.ts', import.meta.url));

describe('orphan reaper (child subreaper)', () => {
  it('reaps 100 double-forked orphans and leaves the exit status of a supervised child to its owner', async function () {
    this.timeout(60_000);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', host, '100'], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(r.subreaper, true);
    assert.equal(r.reaped, 100);
    assert.equal(r.zombies, 0);
    assert.equal(r.leftover, 0);
    assert.equal(r.supervisedExit, 7);
  });
});
