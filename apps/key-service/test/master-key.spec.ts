// persist/keys/master.key: created 0600 on first boot, reloaded unchanged, refused (never replaced) when wrong.
import { strict as assert } from 'node:assert';
import { chmod, chown, link, lstat, mkdir, readFile, readdir, rename, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractMasterPrk, deriveKey } from '../src/crypto/derivation.js';
import { loadOrCreateMasterKey, masterKeyPath } from '../src/crypto/master-key.js';
import {
  MasterKeyFileError,
  MasterKeyHardLinkError,
  MasterKeyModeError,
  MasterKeyNotRegularFileError,
  MasterKeyOwnerError,
  MasterKeyPathSymlinkError,
  MasterKeySizeError,
} from '../src/errors.js';
import { tempDir } from './helpers.js';

describe('master key file', () => {
  let root: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ path: root, remove } = await tempDir()));
  afterEach(() => remove());

  it('is created on first boot: 32 bytes, mode 0600, directory 0700, no temp file left', async () => {
    const mk = await loadOrCreateMasterKey(root);
    assert.equal(mk.created, true);
    assert.equal(mk.path, join(root, 'persist/keys/master.key'));
    const st = await stat(mk.path);
    assert.ok(st.isFile());
    assert.equal(st.size, 32);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal((await stat(join(root, 'persist/keys'))).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(join(root, 'persist/keys')), ['master.key']);
    assert.match(mk.fingerprint, /^[0-9a-f]{16}$/);
  });

  it('is reloaded unchanged on restart, and gives the same derived keys', async () => {
    const first = await loadOrCreateMasterKey(root);
    const bytes = await readFile(first.path);
    const second = await loadOrCreateMasterKey(root);
    assert.equal(second.created, false);
    assert.equal(second.fingerprint, first.fingerprint);
    assert.deepEqual(await readFile(second.path), bytes);
    const params = { service: 'web', purpose: 'tls', version: 1, length: 32 };
    assert.deepEqual(deriveKey(extractMasterPrk(second.key), params), deriveKey(extractMasterPrk(first.key), params));
  });

  it('two concurrent first boots end with one key', async () => {
    const [a, b] = await Promise.all([loadOrCreateMasterKey(root), loadOrCreateMasterKey(root)]);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual(await readdir(join(root, 'persist/keys')), ['master.key']);
  });

  async function refused(cls: typeof MasterKeyFileError, message: RegExp): Promise<void> {
    const path = masterKeyPath(root);
    const before = await readFile(path).catch(() => undefined);
    await assert.rejects(loadOrCreateMasterKey(root), (err: Error) => {
      assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.name}: ${err.message}`);
      assert.equal(err.name, cls.name);
      assert.match(err.message, message);
      assert.match(err.message, /The key was not replaced\./);
      return true;
    });
    if (before) assert.deepEqual(await readFile(path), before, 'the key file must not change');
  }

  it('refuses a key readable by others (0644) and does not replace it', async () => {
    const mk = await loadOrCreateMasterKey(root);
    await chmod(mk.path, 0o644);
    await refused(MasterKeyModeError, /master\.key: mode 0644 is too open; expected 0600 \(chmod 600 .*master\.key\)/);
    assert.equal((await stat(mk.path)).mode & 0o777, 0o644);
  });

  it('refuses group-only bits too (0640)', async () => {
    const mk = await loadOrCreateMasterKey(root);
    await chmod(mk.path, 0o640);
    await refused(MasterKeyModeError, /mode 0640 is too open/);
  });

  it('refuses a file of the wrong size', async () => {
    await mkdir(join(root, 'persist/keys'), { recursive: true, mode: 0o700 });
    await writeFile(masterKeyPath(root), Buffer.alloc(31, 7), { mode: 0o600 });
    await refused(MasterKeySizeError, /31 bytes; expected exactly 32/);
    await writeFile(masterKeyPath(root), Buffer.alloc(0), { mode: 0o600 });
    await refused(MasterKeySizeError, /0 bytes; expected exactly 32/);
    await writeFile(masterKeyPath(root), Buffer.alloc(33, 7), { mode: 0o600 });
    await refused(MasterKeySizeError, /33 bytes/);
  });

  it('refuses a directory or a symlink in place of the key', async () => {
    await mkdir(masterKeyPath(root), { recursive: true, mode: 0o700 });
    await chmod(join(root, 'persist/keys'), 0o700);
    await refused(MasterKeyNotRegularFileError, /is a directory; expected a regular file/);
  });

  it('refuses a symlink, even to a good key', async () => {
    const real = await loadOrCreateMasterKey(join(root, 'other'));
    await mkdir(join(root, 'persist/keys'), { recursive: true, mode: 0o700 });
    await symlink(real.path, masterKeyPath(root));
    await refused(MasterKeyNotRegularFileError, /is a symbolic link/);
    assert.ok((await lstat(masterKeyPath(root))).isSymbolicLink());
  });

  it('refuses a key owned by another uid', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a file away
    const mk = await loadOrCreateMasterKey(root);
    await chown(mk.path, 4242, 4242);
    await refused(MasterKeyOwnerError, /owned by uid 4242; expected uid 0/);
  });

  it('refuses a key directory writable by others', async () => {
    await loadOrCreateMasterKey(root);
    await chmod(join(root, 'persist/keys'), 0o777);
    await refused(MasterKeyModeError, /persist\/keys: mode 0777 lets others replace the key; expected 0700/);
  });

  it('refuses a symlinked persist/keys directory, even to a good key, and creates nothing through it', async () => {
    const real = await loadOrCreateMasterKey(root);
    const before = await readFile(real.path);
    await rename(join(root, 'persist/keys'), join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(root, 'persist/keys'));
    await refused(MasterKeyPathSymlinkError, /persist\/keys: is a symbolic link \(to .*elsewhere\); the key's path under the root must have none\. Replace the link/);
    assert.deepEqual(await readFile(join(root, 'elsewhere/master.key')), before, 'the key behind the link is untouched');
    // a link to an empty directory: no new key is made in it
    await unlink(join(root, 'persist/keys'));
    await mkdir(join(root, 'empty'), { mode: 0o700 });
    await symlink(join(root, 'empty'), join(root, 'persist/keys'));
    await refused(MasterKeyPathSymlinkError, /is a symbolic link/);
    assert.deepEqual(await readdir(join(root, 'empty')), [], 'never a silent new key');
  });

  it('refuses a symlinked persist directory', async () => {
    await mkdir(join(root, 'other/keys'), { recursive: true, mode: 0o700 });
    await symlink(join(root, 'other'), join(root, 'persist'));
    await refused(MasterKeyPathSymlinkError, /persist: is a symbolic link/);
    assert.deepEqual(await readdir(join(root, 'other/keys')), []);
  });

  it('refuses a hard-linked master.key (two names) and does not replace it', async () => {
    const mk = await loadOrCreateMasterKey(root);
    const before = await readFile(mk.path);
    await link(mk.path, join(root, 'copy-of-key'));
    await refused(MasterKeyHardLinkError, /master\.key: has 2 names \(hard links\); expected exactly 1\. .*find \/ -xdev -samefile/);
    assert.deepEqual(await readFile(mk.path), before);
    await unlink(join(root, 'copy-of-key'));
    assert.equal((await loadOrCreateMasterKey(root)).fingerprint, mk.fingerprint, 'fixed: loads again');
  });
});
