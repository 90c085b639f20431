// createFileOnce: the file appears whole with its mode, an existing one is never replaced, no temp file is left.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileOnce } from '../src/index.js';

describe('createFileOnce', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sh-durable-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file with exactly the mode asked, even under a wide umask', async () => {
    const path = join(dir, 'secret');
    const old = process.umask(0o077);
    try {
      assert.equal(await createFileOnce(path, 'abc\n', 0o640), true);
    } finally {
      process.umask(old);
    }
    assert.equal(readFileSync(path, 'utf8'), 'abc\n');
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['secret']);
  });

  it('leaves an existing file alone and returns false', async () => {
    const path = join(dir, 'secret');
    writeFileSync(path, 'theirs');
    assert.equal(await createFileOnce(path, Buffer.from('mine'), 0o600), false);
    assert.equal(readFileSync(path, 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(dir), ['secret']);
  });

  it('fails, leaving nothing behind, when the directory is missing', async () => {
    await assert.rejects(createFileOnce(join(dir, 'no', 'secret'), 'x', 0o600), /ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
