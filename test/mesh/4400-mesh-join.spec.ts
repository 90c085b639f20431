// The maintainer on its WireGuard mesh (issue 8): nodes, each a full fortros-init tree in its own namespace, join an
// org with tokens from `fortctl org token create` and converge; every pair reaches each other over the overlay; `wg
// show` on each lists exactly the other members; SWIM and OrgSync listen on the overlay address only.
import { strict as assert } from 'node:assert';
import { WireguardInterface } from '@fortros/wireguard';
import { startProbeServer, tcpReaches } from '../harness/mesh.js';
import { meshClusterSuite, OVERLAY_PORT, UNDERLAY_PORT } from '../harness/mesh-cluster.js';

const NODES = Number(process.env.FORTROS_TEST_MESH_NODES ?? 5);

describe('4400 the maintainer on a WireGuard mesh: join with tokens', function () {
  this.timeout(600_000);
  const slot = meshClusterSuite();

  it(`${NODES} nodes join with tokens and converge; every pair connects over the overlay; wg show lists exactly the others`, async () => {
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES);
    await cluster.waitConverged(NODES);
    const infos = await Promise.all(nodes.map((n) => cluster.info(n)));
    const orgIds = new Set(infos.map((i) => i.orgId));
    assert.equal(orgIds.size, 1, 'one org');
    assert.notEqual(infos[0]!.orgId, '');
    assert.equal(new Set(infos.map((i) => i.overlayIp)).size, NODES, 'distinct overlay addresses');
    for (const [k, i] of infos.entries()) {
      assert.equal(i.address, nodes[k]!.underlay, 'the member address is the underlay endpoint');
      assert.match(i.overlayIp, /^10\.42\.\d+\.\d+$/);
    }

    // every member record everywhere: key, underlay endpoint, overlay address
    for (const n of nodes) {
      const org = await cluster.org(n);
      assert.deepEqual(Object.values(org.members).map((m) => m.publicKey).sort(), infos.map((i) => i.publicKey).sort(), `${n.name}'s document lists every member`);
    }

    // wg show: exactly the other members, with their underlay endpoints and overlay /32
    for (const [k, n] of nodes.entries()) {
      const state = await WireguardInterface.attach(n.interfaceName, { netns: n.lab.netns }).show();
      assert.equal(state.publicKey, infos[k]!.publicKey);
      assert.equal(state.listenPort, UNDERLAY_PORT);
      const expected = infos.filter((_, j) => j !== k).map((i) => `${i.publicKey} ${i.address} ${i.overlayIp}/32`).sort();
      assert.deepEqual(state.peers.map((p) => `${p.publicKey} ${p.endpoint} ${p.allowedIps.join(',')}`).sort(), expected, `wg show on ${n.name}`);
    }

    // SWIM (UDP) and OrgSync (TCP) listen on the overlay address only; the underlay has WireGuard and admission
    for (const [k, n] of nodes.entries()) {
      const sockets = await cluster.lab.exec(n.lab, 'ss', ['-H', '-lntu']);
      const lines = sockets.split('\n').filter((l) => new RegExp(`:(${OVERLAY_PORT}|${UNDERLAY_PORT})\\s`).test(l));
      assert.ok(lines.some((l) => l.startsWith('tcp') && l.includes(`${infos[k]!.overlayIp}:${OVERLAY_PORT}`)), `OrgSync on the overlay of ${n.name}:\n${sockets}`);
      assert.ok(lines.some((l) => l.startsWith('udp') && l.includes(`${infos[k]!.overlayIp}:${OVERLAY_PORT}`)), `SWIM on the overlay of ${n.name}`);
      assert.ok(!lines.some((l) => l.includes(`:${OVERLAY_PORT}`) && !l.includes(infos[k]!.overlayIp)), `nothing else on port ${OVERLAY_PORT} of ${n.name}:\n${sockets}`);
      assert.ok(lines.some((l) => l.startsWith('tcp') && l.includes(`${n.underlay}`)), `admission on the underlay of ${n.name}`);
    }

    // every pair connects over the overlay (TCP through WireGuard)
    for (const [k, n] of nodes.entries()) await startProbeServer(cluster.lab, n.lab, infos[k]!.overlayIp);
    for (const [a, from] of nodes.entries()) {
      for (const [b] of nodes.entries()) {
        if (a === b) continue;
        assert.ok(await tcpReaches(cluster.lab, from.lab, infos[b]!.overlayIp), `${from.name} → ${nodes[b]!.name} over the overlay`);
      }
    }

    // the boot-watchdog marked the generation: the maintainer was ready on each
    for (const n of nodes) await n.init.waitForState('boot-watchdog', 'ready', { timeoutMs: 30_000 });
  });
});
