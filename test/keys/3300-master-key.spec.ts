// A master.key with loose permissions: the key service stays up NOT_SERVING (never ready, never a silent new key),
// the file untouched; once the operator fixes the mode, SIGHUP makes it serve and signal readiness.
import assert from 'node:assert/strict';
import { chmod, link, mkdir, readdir, readFile, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KeysV1 } from '@fortros/proto';
import { checkHealth, closeClient, createClient, unary } from '@fortros/rpc';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { expectedKey, fortctl, keyClient, keyService, clientResult, KEYS_SOCKET, MASTER_KEY, type DerivedJson } from '../harness/keys.js';
import { waitUntil } from '../harness/wait.js';

describe('keys: master key file', () => {
  cleanupAfterEach();

  it('refuses a master.key of mode 0644: NOT_SERVING, not ready, file untouched; chmod 600 + SIGHUP recovers', async () => {
    // key-service is in the tree but not in the booted bundle, so the test can plant the key file first
    const init = await InitProcess.start({
      'key-service': keyService(),
      alpha: keyClient('alpha', ['tls']),
      idle: { type: 'longrun', run: 'exec sleep 100000' },
      default: { type: 'bundle', contents: ['idle'] },
    });
    const keyPath = init.path(MASTER_KEY);
    const planted = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    await mkdir(dirname(keyPath), { recursive: true, mode: 0o700 });
    await writeFile(keyPath, planted);
    await chmod(keyPath, 0o644);
    const before = await stat(keyPath);

    // alpha needs key-service: starting it starts the key service, which never becomes ready
    assert.equal((await fortctl(['--root', init.root, 'start', 'alpha'])).code, 0);
    const socket = init.path(KEYS_SOCKET);
    const health = await waitUntil(() => checkHealth(socket, KeysV1.KEYS_SERVICE).catch(() => undefined), { what: 'the key service to answer health checks' });
    assert.equal(health, 'NOT_SERVING');
    assert.equal(await checkHealth(socket), 'NOT_SERVING');

    const client = createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), socket);
    try {
      const status = await unary(client, 'status', {});
      assert.equal(status.state, 'not-serving');
      assert.equal(status.masterKeyLoaded, false);
      assert.match(status.reason, /master\.key: mode 0644 is too open; expected 0600 \(chmod 600 .*\)\. .*The key was not replaced\./);
    } finally {
      closeClient(client);
    }
    const after = await stat(keyPath);
    assert.deepEqual(await readFile(keyPath), planted, 'never silently replaced');
    assert.equal(after.mode & 0o777, 0o644, 'never silently chmodded');
    assert.equal(after.ino, before.ino);
    const states = await init.status();
    assert.equal(states.get('key-service')!.state, 'starting', 'no readiness without a usable key');
    assert.equal(states.get('alpha')!.state, 'blocked');

    // the operator fixes the file and asks the key service to retry
    await chmod(keyPath, 0o600);
    assert.equal((await fortctl(['--root', init.root, 'signal', 'key-service', 'HUP'])).code, 0);
    await init.waitForState('key-service', 'ready');
    assert.equal(await checkHealth(socket, KeysV1.KEYS_SERVICE), 'SERVING');
    const alpha = await clientResult(init.root, 'alpha', 'tls');
    assert.equal(alpha.code, 0, alpha.stderr);
    assert.equal((JSON.parse(alpha.stdout) as DerivedJson).key, expectedKey(planted, 'alpha', 'tls').toString('hex'));
    // README example: master 00 01 … 1f, service web, purpose tls → 817bf6f6…; here the same master for alpha
    assert.equal(expectedKey(planted, 'web', 'tls').toString('hex'), '817bf6f6b2c4ddc094e31d493bc7331f0f984311264569ca76c7c229aa35e588');
  });

  it('refuses a symlinked persist/keys, then a hard-linked master.key: NOT_SERVING with the reason, never a new key', async () => {
    const init = await InitProcess.start({
      'key-service': keyService(),
      idle: { type: 'longrun', run: 'exec sleep 100000' },
      default: { type: 'bundle', contents: ['idle'] },
    });
    const planted = Buffer.alloc(32, 7);
    const elsewhere = init.path('elsewhere');
    await mkdir(elsewhere, { mode: 0o700 });
    await writeFile(`${elsewhere}/master.key`, planted, { mode: 0o600 });
    await mkdir(init.path('persist'), { recursive: true });
    await symlink(elsewhere, init.path('persist/keys'));

    assert.equal((await fortctl(['--root', init.root, 'start', 'key-service'])).code, 0);
    const socket = init.path(KEYS_SOCKET);
    const reason = async (): Promise<string> => {
      const client = createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), socket);
      try {
        return (await unary(client, 'status', {})).reason;
      } finally {
        closeClient(client);
      }
    };
    await waitUntil(() => checkHealth(socket, KeysV1.KEYS_SERVICE).catch(() => undefined), { what: 'the key service to answer health checks' });
    assert.equal(await checkHealth(socket, KeysV1.KEYS_SERVICE), 'NOT_SERVING');
    assert.match(await reason(), /persist\/keys: is a symbolic link \(to .*elsewhere\); the key's path under the root must have none\. Replace the link/);
    assert.deepEqual(await readdir(elsewhere), ['master.key'], 'nothing created behind the link');
    assert.deepEqual(await readFile(`${elsewhere}/master.key`), planted);

    // the operator replaces the link with the directory, but a second name of the key is left behind
    await unlink(init.path('persist/keys'));
    await rename(elsewhere, init.path('persist/keys'));
    await link(init.path(MASTER_KEY), init.path('second-name'));
    assert.equal((await fortctl(['--root', init.root, 'signal', 'key-service', 'HUP'])).code, 0);
    await waitUntil(async () => /has 2 names \(hard links\); expected exactly 1/.test(await reason()), { what: 'the hard link to be refused' });
    assert.equal(await checkHealth(socket, KeysV1.KEYS_SERVICE), 'NOT_SERVING');

    await rm(init.path('second-name'));
    assert.equal((await fortctl(['--root', init.root, 'signal', 'key-service', 'HUP'])).code, 0);
    await init.waitForState('key-service', 'ready');
    assert.equal(await checkHealth(socket, KeysV1.KEYS_SERVICE), 'SERVING');
    assert.deepEqual(await readFile(init.path(MASTER_KEY)), planted, 'the planted key, never a new one');
    assert.equal((await stat(init.path(MASTER_KEY))).nlink, 1);
  });
});
