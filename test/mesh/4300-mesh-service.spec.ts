// fortros-wireguard, the node's mesh-interface service: under a real fortros-init inside a lab namespace it makes
// the key and the interface and is ready; kill -9 of its wireguard-go makes init restart it and the interface comes
// back with the same key; stopping init removes the interface. Run alone: a loose key file is refused, SIGTERM
// removes the interface and exits 0.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WIREGUARD_MAIN } from '@fortros/lab';
import { Lab } from '@fortros/netlab';
import { generatePrivateKey, publicKeyOf, userspaceSocketPath, WireguardInterface } from '@fortros/wireguard';
import { InitProcess } from '../harness/init.js';
import { labPrefix, meshSuite, wireguardGoPids } from '../harness/mesh.js';
import { waitUntil } from '../harness/wait.js';


describe('4300 the mesh-interface service (fortros-wireguard)', function () {
  this.timeout(120_000);
  const slot = meshSuite();
  let init: InitProcess | undefined;
  afterEach(async () => {
    await init?.cleanup();
    init = undefined;
  });

  it('under fortros-init: ready with the interface up; kill -9 of wireguard-go → restarted, interface back; stop removes it', async () => {
    const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
    const node = await lab.addNode();
    const name = lab.interfaceName(node);
    const run = `exec ip netns exec ${node.netns} ${process.execPath} ${WIREGUARD_MAIN} --root "$FORTROS_ROOT" --interface ${name} --listen-port 51820 --address 10.99.0.1/24 --notify-fd 3`;
    init = await InitProcess.start({
      'persist-mount': { type: 'oneshot', up: 'mkdir -p "$FORTROS_ROOT/persist" && chmod 0700 "$FORTROS_ROOT/persist"' },
      wireguard: { type: 'longrun', notificationFd: 3, dependencies: ['persist-mount'], run },
      default: { type: 'bundle', contents: ['persist-mount', 'wireguard'] },
    });
    await init.waitForState('wireguard', 'ready', { timeoutMs: 30_000 });
    const keyPath = init.path('persist/wireguard/private.key');
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const publicKey = publicKeyOf(readFileSync(keyPath, 'utf8').trim());
    const wg = WireguardInterface.attach(name, { netns: node.netns });
    assert.equal(await wg.isUp(), true, 'up when ready');
    const state = await wg.show();
    assert.deepEqual([state.publicKey, state.listenPort, state.peers.length], [publicKey, 51820, 0]);
    assert.match(await lab.exec(node, 'ip', ['-o', 'address', 'show', 'dev', name]), /inet 10\.99\.0\.1\/24/);

    const [goPid] = await wireguardGoPids(node);
    assert.ok(goPid, 'wireguard-go runs in the node namespace');
    const mark = init.records.length;
    process.kill(goPid!, 'SIGKILL');
    await init.waitForState('wireguard', 'ready', { afterIndex: mark, timeoutMs: 30_000 });
    assert.ok(init.records.slice(mark).some((r) => r.msg === 'service state' && r.service === 'wireguard' && r.to !== 'ready'), 'the service went down in between');
    const [newPid] = await wireguardGoPids(node);
    assert.ok(newPid && newPid !== goPid, 'a new wireguard-go');
    assert.equal(await wg.isUp(), true);
    assert.equal((await wg.show()).publicKey, publicKey, 'the same key from persist');

    init.signal('SIGTERM');
    await init.waitForExit({ timeoutMs: 30_000 });
    assert.equal(await wg.exists(), false, 'the interface is removed on stop');
    assert.ok(!existsSync(userspaceSocketPath(name)));
    // its own log (init keeps service output in var/log): why it restarted, a clean stop, and never the key
    const log = readFileSync(init.path('var/log/fortros/wireguard/current'), 'utf8');
    assert.match(log, /msg="wireguard-go exited"/);
    assert.match(log, /msg="mesh interface state" component=wireguard interface=\S+ from=stopping to=stopped/);
    assert.match(log, /msg=stopped component=wireguard\n$/);
    assert.ok(!log.includes(readFileSync(keyPath, 'utf8').trim()), 'the private key is never logged');
  });

  describe('run alone', () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'fortros-wg-svc-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('refuses a private key file readable by others, naming it, and makes no interface', async () => {
      const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
      const node = await lab.addNode();
      const name = lab.interfaceName(node);
      const keyPath = join(root, 'persist/wireguard/private.key');
      mkdirSync(join(root, 'persist/wireguard'), { recursive: true });
      const key = generatePrivateKey();
      writeFileSync(keyPath, `${key}\n`);
      chmodSync(keyPath, 0o644);
      const r = await lab.spawn(node, process.execPath, [WIREGUARD_MAIN, '--root', root, '--interface', name]);
      assert.equal(r.exitCode, 2);
      assert.match(String(r.stderr), new RegExp(`${keyPath.replace(/\//g, '\\/')}: mode 0644 is too open`));
      assert.ok(!String(r.stderr).includes(key) && !String(r.stdout).includes(key));
      assert.equal(await WireguardInterface.attach(name, { netns: node.netns }).exists(), false);
    });

    it('signals readiness on its fd, and on SIGTERM removes the interface and exits 0', async () => {
      const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
      const node = await lab.addNode();
      const name = lab.interfaceName(node);
      const child = lab.spawn(node, process.execPath, [WIREGUARD_MAIN, '--root', root, '--interface', name, '--listen-port', '51821', '--notify-fd', '3'], {
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });
      let notified = '';
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (notified += String(d)));
      await waitUntil(() => notified === '\n', { what: 'the readiness newline', timeoutMs: 30_000 });
      const wg = WireguardInterface.attach(name, { netns: node.netns });
      assert.equal(await wg.isUp(), true);
      child.kill('SIGTERM');
      const r = await child;
      assert.equal(r.exitCode, 0, String(r.stderr));
      assert.equal(await wg.exists(), false);
      assert.ok(!existsSync(userspaceSocketPath(name)));
    });
  });
});
