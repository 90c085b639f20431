// Crashes on the mesh (issue 8): kill -9 of a node's maintainer, then of its wireguard-go. Init restarts each; the
// maintainer rejoins with its own key (the join token in its node.json is used up: it is not used again), re-applies
// the interface's address and peers after wireguard-go comes back, and no acknowledged write is lost. A clean
// restart (leave, then start) rejoins too.
import { strict as assert } from 'node:assert';
import { WireguardInterface } from '@fortros/wireguard';
import { fortctl } from '../harness/ctl.js';
import { startProbeServer, tcpReaches, wireguardGoPids } from '../harness/mesh.js';
import { meshClusterSuite, type MeshCluster, type MeshClusterNode } from '../harness/mesh-cluster.js';
import { waitUntil } from '../harness/wait.js';

const NODES = 3;
const WRITES = 20;

/** Every node holds every id in `ids`. */
async function everywhere(cluster: MeshCluster, ids: string[]): Promise<void> {
  await waitUntil(async () => {
    for (const n of cluster.nodes) {
      const have = new Set(await cluster.workloadIds(n));
      if (!ids.every((id) => have.has(id))) return false;
    }
    return true;
  }, { what: `${ids.length} writes on every node`, timeoutMs: 60_000 });
}

/** Writes `count` workloads on `node`, each acknowledged (durable) before the next. */
async function write(cluster: MeshCluster, node: MeshClusterNode, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    await cluster.putWorkload(node, id);
    ids.push(id);
  }
  return ids;
}

describe('4700 crashes on the mesh: kill -9 of the maintainer and of wireguard-go', function () {
  this.timeout(600_000);
  const slot = meshClusterSuite();

  it('the node comes back, rejoins without a token, re-applies its peers, and loses no acknowledged write', async () => {
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES);
    await cluster.waitConverged(NODES);
    const victim = nodes[NODES - 1]!;
    const before = await cluster.info(victim);

    // kill -9 of the maintainer right after a burst of acknowledged writes
    const acked = await write(cluster, victim, 'before-kill', WRITES);
    const mark = victim.init.records.length;
    const pid = victim.init.lastPid('maintainer');
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    await victim.init.waitForState('maintainer', 'ready', { afterIndex: mark, timeoutMs: 90_000 });
    const after = await cluster.info(victim);
    assert.deepEqual([after.id, after.overlayIp, after.orgId], [before.id, before.overlayIp, before.orgId], 'the same member, overlay address and org');
    assert.match(await cluster.logs(victim), /already a member of the org: rejoining with this node key; the join token is not used/);
    await cluster.waitConverged(NODES);
    await everywhere(cluster, acked);

    // kill -9 of wireguard-go: the wireguard service restarts, the interface comes back bare, the maintainer re-applies it
    const [goPid] = await wireguardGoPids(victim.lab);
    assert.ok(goPid, 'wireguard-go runs in the node namespace');
    const wgMark = victim.init.records.length;
    process.kill(goPid!, 'SIGKILL');
    await victim.init.waitForState('wireguard', 'ready', { afterIndex: wgMark, timeoutMs: 60_000 });
    const wg = WireguardInterface.attach(victim.interfaceName, { netns: victim.lab.netns });
    const others = (await Promise.all(nodes.slice(0, -1).map((n) => cluster.info(n)))).map((i) => i.publicKey).sort();
    await waitUntil(async () => {
      const s = await wg.show().catch(() => undefined);
      return s !== undefined && JSON.stringify(s.peers.map((p) => p.publicKey).sort()) === JSON.stringify(others);
    }, { what: 'the peers re-applied on the new interface', timeoutMs: 60_000 });
    assert.ok((await wg.addresses()).some((a) => a.startsWith(`${before.overlayIp}/`)), 'the overlay address re-applied');

    // the mesh works again both ways: TCP over the overlay, writes from and to the victim
    await startProbeServer(cluster.lab, victim.lab, before.overlayIp);
    await waitUntil(() => tcpReaches(cluster.lab, nodes[0]!.lab, before.overlayIp), { what: 'node1 → victim over the overlay', timeoutMs: 60_000 });
    await cluster.waitConverged(NODES);
    const later = [...(await write(cluster, victim, 'after-wg', 3)), ...(await write(cluster, nodes[0]!, 'from-node1', 3))];
    await everywhere(cluster, [...acked, ...later]);

    // a clean restart (the node leaves the gossip, then comes back): rejoins the same way
    const r = await fortctl(victim.init.root, ['restart', 'maintainer', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    await cluster.waitConverged(NODES);
    const last = await write(cluster, victim, 'after-restart', 3);
    await everywhere(cluster, [...acked, ...later, ...last]);
  });
});
