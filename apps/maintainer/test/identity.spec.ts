// Node identity: WireGuard key format, id and overlay address derivation, key file creation and refusal.
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IdentityError } from '../src/errors.js';
import { loadOrCreateIdentity, nodeIdOf, overlayIpOf, parsePrivateKey, publicKeyOf } from '../src/node/identity.js';
import { withTempDir } from './org-helpers.js';

describe('node identity', () => {
  it('derives the X25519 public key of RFC 7748 §6.1', () => {
    const priv = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    assert.equal(Buffer.from(publicKeyOf(priv), 'base64').toString('hex'), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });

  it('derives a stable 16-hex-digit id and an overlay address inside the range, never network or broadcast', () => {
    const pk = Buffer.alloc(32, 7).toString('base64');
    assert.match(nodeIdOf(pk), /^[0-9a-f]{16}$/);
    assert.equal(nodeIdOf(pk), nodeIdOf(pk));
    assert.match(overlayIpOf(pk, '10.42.0.0/16'), /^10\.42\.\d+\.\d+$/);
    for (let i = 0; i < 200; i++) {
      const ip = overlayIpOf(Buffer.alloc(32, i).toString('base64'), '192.168.7.0/30');
      assert.ok(ip === '192.168.7.1' || ip === '192.168.7.2', ip);
    }
  });

  it('creates the key file 0600 on first boot and reads the same identity back', async () => {
    await withTempDir(async (root) => {
      const first = await loadOrCreateIdentity(root);
      assert.ok(first.created);
      const file = join(root, 'persist/wireguard/private.key');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.match(await readFile(file, 'utf8'), /^[A-Za-z0-9+/]{43}=\n$/);
      const again = await loadOrCreateIdentity(root);
      assert.equal(again.created, false);
      assert.equal(again.id, first.id);
      assert.equal(again.publicKey, first.publicKey);
    });
  });

  it('refuses a key file readable by others, or not a key, naming the file', async () => {
    await withTempDir(async (root) => {
      await mkdir(join(root, 'persist/wireguard'), { recursive: true });
      const file = join(root, 'persist/wireguard/private.key');
      await writeFile(file, `${Buffer.alloc(32, 1).toString('base64')}\n`, { mode: 0o644 });
      await chmod(file, 0o644);
      await assert.rejects(loadOrCreateIdentity(root), (e: unknown) => e instanceof IdentityError && /private\.key: expected mode 0600/.test(e.message));
      await chmod(file, 0o600);
      await writeFile(file, 'not a key\n');
      await assert.rejects(loadOrCreateIdentity(root), (e: unknown) => e instanceof IdentityError && /expected a base64 WireGuard private key/.test(e.message));
    });
    assert.throws(() => parsePrivateKey(Buffer.alloc(31).toString('base64'), 'k'), IdentityError);
  });
});
