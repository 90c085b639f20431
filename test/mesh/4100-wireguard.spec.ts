// WireGuard between lab namespaces, made by libs/wireguard: nodes reach each other over the overlay, `wg show` lists
// exactly the applied peers, applying a diff keeps a live session, and removing the lab leaves nothing behind.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { alive, Lab } from '@fortros/netlab';
import { userspaceSocketPath } from '@fortros/wireguard';
import { fullMesh, hostSnapshot, labPrefix, meshNode, meshSuite, peerOf, startProbeServer, tcpReaches, type MeshNode } from '../harness/mesh.js';
import { waitUntil } from '../harness/wait.js';

describe('4100 WireGuard mesh between namespaces (libs/wireguard)', function () {
  this.timeout(120_000);
  const slot = meshSuite();

  async function meshOf(n: number): Promise<MeshNode[]> {
    const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
    const nodes: MeshNode[] = [];
    for (const node of await lab.addNodes(n)) nodes.push(await meshNode(lab, node));
    await fullMesh(nodes);
    for (const m of nodes) await startProbeServer(lab, m.node, m.overlay);
    return nodes;
  }

  for (const n of [2, 3]) {
    it(`${n} nodes reach each other over the overlay, and wg show lists exactly the applied peers`, async () => {
      const nodes = await meshOf(n);
      for (const a of nodes) {
        for (const b of nodes) if (a !== b) assert.ok(await tcpReaches(slot.current!, a.node, b.overlay), `${a.node.netns} → ${b.overlay} over WireGuard`);
        const shown = (await a.wg.show()).peers.map((p) => [p.publicKey, p.endpoint, p.allowedIps]).sort();
        const applied = nodes.filter((o) => o !== a).map(peerOf).map((p) => [p.publicKey, p.endpoint, p.allowedIps]).sort();
        assert.deepEqual(shown, applied);
      }
    });
  }

  it('applying a diff that adds a peer keeps the existing peer’s session (handshake and counters)', async () => {
    const [a, b, c] = await meshOf(3);
    // start from a and b only knowing each other
    await a!.wg.applyPeers([peerOf(b!)]);
    assert.ok(await tcpReaches(slot.current!, a!.node, b!.overlay));
    const before = (await a!.wg.show()).peers.find((p) => p.publicKey === b!.keys.publicKey)!;
    assert.ok(before.latestHandshakeS > 0, 'a handshake with b happened');
    const ops = await a!.wg.applyPeers([peerOf(b!), peerOf(c!)]);
    assert.deepEqual(ops.map((o) => o.kind), ['add'], 'only c was added; b untouched');
    const after = (await a!.wg.show()).peers.find((p) => p.publicKey === b!.keys.publicKey)!;
    assert.equal(after.latestHandshakeS, before.latestHandshakeS, 'same session: no new handshake');
    assert.ok(after.rxBytes >= before.rxBytes && after.txBytes >= before.txBytes, 'counters not reset');
    assert.ok(await tcpReaches(slot.current!, a!.node, b!.overlay));
    assert.ok(await tcpReaches(slot.current!, a!.node, c!.overlay));
    const still = (await a!.wg.show()).peers.find((p) => p.publicKey === b!.keys.publicKey)!;
    assert.equal(still.latestHandshakeS, before.latestHandshakeS, 'traffic after the diff rode the old session');
    // removing c leaves b alone too
    assert.deepEqual((await a!.wg.applyPeers([peerOf(b!)])).map((o) => o.kind), ['remove']);
    assert.equal((await a!.wg.show()).peers.find((p) => p.publicKey === b!.keys.publicKey)!.latestHandshakeS, before.latestHandshakeS);
    // the check can tell: replacing b (remove, add back) does drop its session
    await a!.wg.applyPeers([]);
    await a!.wg.applyPeers([peerOf(b!)]);
    assert.equal((await a!.wg.show()).peers[0]!.latestHandshakeS, 0, 'a replaced peer starts without a session');
  });

  it('destroying the lab leaves no namespace, host link, wireguard-go process or socket', async () => {
    const host = await hostSnapshot();
    const nodes = await meshOf(2);
    const pids = nodes.map((m) => m.wg.userspace?.pid).filter((p): p is number => p !== undefined);
    const names = nodes.map((m) => m.wg.name);
    const prefix = slot.current!.prefix;
    assert.deepEqual((await hostSnapshot()).links, host.links, 'the host namespace got no link');
    await slot.current!.destroy();
    slot.current = undefined;
    const now = await hostSnapshot();
    assert.deepEqual(now.netns.filter((n) => n.startsWith(prefix)), []);
    assert.deepEqual(now.links, host.links);
    await waitUntil(() => !pids.some(alive), { what: 'wireguard-go processes gone', timeoutMs: 10_000 });
    for (const name of names) assert.ok(!existsSync(userspaceSocketPath(name)), `${name}.sock removed`);
  });
});
