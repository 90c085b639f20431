// WireguardInterface in a namespace of its own: created (backend reported), configured, read back, errors naming the
// interface, the command and stderr but never the private key, deleted with nothing left. Root and /dev/net/tun only.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { generateKeyPair, KernelUnsupportedError, userspaceSocketPath, WgCommandError, WireguardInterface } from '../src/index.js';

const tag = `fwt${(process.pid % 0xffff).toString(16)}`;
const netns = `${tag}-unit`;
const name = `${tag}u0`;

describe('WireguardInterface (root, in a namespace)', function () {
  this.timeout(30_000);
  before(async function () {
    if (process.getuid?.() !== 0 || !existsSync('/dev/net/tun')) {
      console.log(`      skipped: needs root and /dev/net/tun (uid ${process.getuid?.()}, tun ${existsSync('/dev/net/tun')})`);
      this.skip();
    }
    await execa('ip', ['netns', 'delete', netns], { reject: false });
    await execa('ip', ['netns', 'add', netns]);
  });
  after(async () => {
    await execa('ip', ['netns', 'delete', netns], { reject: false });
  });

  it('creates, configures, reads back, and deletes leaving nothing', async () => {
    const keys = generateKeyPair();
    const peer = generateKeyPair();
    const wg = await WireguardInterface.create(name, { netns });
    try {
      assert.ok(wg.backend === 'kernel' || wg.backend === 'userspace');
      if (wg.backend === 'userspace') assert.ok(wg.userspace?.pid);
      await wg.setPrivateKey(keys.privateKey);
      await wg.setListenPort(51999);
      await wg.addAddress('10.77.0.1/24');
      await wg.addAddress('10.77.0.1/24');
      await wg.setMtu(1380);
      await wg.up();
      assert.equal(await wg.isUp(), true);
      await wg.applyPeers([{ publicKey: peer.publicKey, endpoint: '192.168.9.2:51820', allowedIps: ['10.77.0.2/32'], persistentKeepaliveS: 25 }]);
      const s = await wg.show();
      assert.equal(s.publicKey, keys.publicKey);
      assert.equal(s.listenPort, 51999);
      assert.deepEqual(s.peers.map((p) => [p.publicKey, p.endpoint, p.allowedIps, p.persistentKeepaliveS]), [[peer.publicKey, '192.168.9.2:51820', ['10.77.0.2/32'], 25]]);
      assert.deepEqual(await wg.applyPeers([]), [{ kind: 'remove', publicKey: peer.publicKey }]);
      assert.equal((await wg.show()).peers.length, 0);
      await wg.down();
      assert.equal(await wg.isUp(), false);
    } finally {
      await wg.delete();
    }
    assert.equal(await wg.exists(), false);
    assert.ok(!existsSync(userspaceSocketPath(name)));
    if (wg.userspace) assert.ok(wg.userspace.exit, 'wireguard-go exited');
    await wg.delete(); // idempotent
  });

  it('a failing command names the interface, the command and stderr, never the private key', async () => {
    const keys = generateKeyPair();
    const ghost = WireguardInterface.attach(`${tag}gh`, { netns });
    await assert.rejects(ghost.setPrivateKey(keys.privateKey), (e: unknown) => {
      assert.ok(e instanceof WgCommandError);
      assert.match(e.message, new RegExp(`^${tag}gh: \`ip netns exec ${netns} wg set ${tag}gh private-key /`));
      assert.ok(e.stderr.length > 0);
      assert.ok(!e.message.includes(keys.privateKey) && !JSON.stringify(e).includes(keys.privateKey));
      return true;
    });
  });

  it("backend 'kernel' either makes a kernel interface or says the kernel has no WireGuard", async () => {
    try {
      const wg = await WireguardInterface.create(`${tag}k0`, { netns, backend: 'kernel' });
      assert.equal(wg.backend, 'kernel');
      await wg.delete();
    } catch (err) {
      assert.ok(err instanceof KernelUnsupportedError, String(err));
      assert.match(err.message, new RegExp(`^${tag}k0: the kernel has no WireGuard support`));
    }
  });
});
