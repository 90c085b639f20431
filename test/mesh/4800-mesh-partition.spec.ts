// A partition on the mesh (issue 8): 2 of 5 nodes cut off on the underlay (nftables) for 60 s, with acknowledged
// writes on both sides all along; after healing, every write is on every node and every node sees all 5 alive.
import { strict as assert } from 'node:assert';
import { meshClusterSuite, type MeshCluster, type MeshClusterNode } from '../harness/mesh-cluster.js';
import { waitUntil } from '../harness/wait.js';

const NODES = 5;
const PARTITION_MS = 60_000;
/** Writes on each side are spread over the partition, one every this many ms. */
const WRITE_EVERY_MS = 5_000;

async function liveMembers(cluster: MeshCluster, n: MeshClusterNode): Promise<number> {
  return (await cluster.info(n)).liveMembers;
}

describe('4800 a partition on the mesh', function () {
  this.timeout(900_000);
  const slot = meshClusterSuite();

  it(`2 of ${NODES} nodes cut off for ${PARTITION_MS / 1000} s with writes on both sides: after healing every write is everywhere`, async () => {
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES);
    await cluster.waitConverged(NODES);
    const minority = nodes.slice(NODES - 2);
    const majority = nodes.slice(0, NODES - 2);

    await cluster.lab.partition([majority.map((n) => n.lab), minority.map((n) => n.lab)]);
    const end = Date.now() + PARTITION_MS;
    // each side sees only itself: the partition is real
    await waitUntil(async () => (await liveMembers(cluster, majority[0]!)) === majority.length && (await liveMembers(cluster, minority[0]!)) === minority.length, {
      what: 'each side to see the other dead',
      timeoutMs: PARTITION_MS,
    });
    const written: string[] = [];
    for (let round = 0; Date.now() < end; round++) {
      for (const [side, group] of [['major', majority], ['minor', minority]] as const) {
        const writer = group[round % group.length]!;
        const id = `${side}-${round}`;
        await cluster.putWorkload(writer, id);
        written.push(id);
      }
      const next = Math.min(end, Date.now() + WRITE_EVERY_MS);
      await waitUntil(() => Date.now() >= next, { what: 'the next write round of the partition', timeoutMs: WRITE_EVERY_MS + 5_000 });
    }
    // nothing crossed: the minority lacks the majority's writes
    const minorHas = new Set(await cluster.workloadIds(minority[0]!));
    assert.ok(!written.some((id) => id.startsWith('major-') && minorHas.has(id)), 'a write crossed the partition');

    await cluster.lab.heal();
    await cluster.waitConverged(NODES, { timeoutMs: 120_000 });
    await waitUntil(async () => {
      for (const n of nodes) {
        const have = new Set(await cluster.workloadIds(n));
        if (!written.every((id) => have.has(id))) return false;
      }
      return true;
    }, { what: `all ${written.length} writes on every node after healing`, timeoutMs: 120_000 });
  });
});
