// A partition (traffic dropped between two halves by the test-only hook) with writes on both sides heals to identical
// documents holding every acknowledged write.
import assert from 'node:assert/strict';
import { Cluster, cleanupAfterEach, workload, type MaintainerNode } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

describe('maintainer: partition and heal', function () {
  this.timeout(300_000);
  cleanupAfterEach();

  it('heals a partition with writes on both sides to identical documents with every acknowledged write', async () => {
    const cluster = await Cluster.create();
    const nodes = await cluster.startNodes(6);
    await cluster.waitForMembers((m) => m.length === 6 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: '6 alive members everywhere' });
    const ids = new Map<MaintainerNode, string>();
    for (const n of nodes) ids.set(n, (await n.node()).id);
    const sideA = nodes.slice(0, 3);
    const sideB = nodes.slice(3);

    // cut: each side drops every packet and sync message to and from the other
    for (const n of sideA) await n.dropPeers(sideB.map((x) => x.address));
    for (const n of sideB) await n.dropPeers(sideA.map((x) => x.address));
    const deadAcross = (n: MaintainerNode, members: { id: string; state: string }[]): boolean => {
      const other = sideA.includes(n) ? sideB : sideA;
      return other.every((o) => members.find((m) => m.id === ids.get(o))?.state === 'MEMBER_STATE_DEAD');
    };
    await cluster.waitForMembers((m, n) => deadAcross(n, m), { what: 'each side to declare the other dead' });

    // writes on both sides, each acknowledged (durable on the node that took it); one id written on both sides
    const acked: string[] = [];
    for (let i = 0; i < 6; i++) {
      await sideA[i % 3]!.putWorkload(workload(`a-${i}`));
      acked.push(`a-${i}`);
      await sideB[i % 3]!.putWorkload(workload(`b-${i}`));
      acked.push(`b-${i}`);
    }
    await sideA[0]!.putWorkload({ ...workload('both'), command: '/bin/side-a' });
    await sideB[0]!.putWorkload({ ...workload('both'), command: '/bin/side-b' });
    acked.push('both');
    await waitUntil(async () => (await sideA[2]!.workloadIds()).includes('a-5') && (await sideB[2]!.workloadIds()).includes('b-5'), { timeoutMs: 30_000, what: 'writes spread within each side' });
    assert.ok(!(await sideA[1]!.workloadIds()).includes('b-0'), 'the partition held: side A did not see side B writes');

    // heal
    for (const n of nodes) await n.dropPeers([]);
    await cluster.waitForMembers((m) => m.length === 6 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { timeoutMs: 90_000, what: '6 alive members everywhere after the heal' });
    await waitUntil(
      async () => {
        const docs = await Promise.all(nodes.map((n) => n.orgJson()));
        return docs.every((d) => d === docs[0]) && docs[0];
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'identical org documents on all six nodes' },
    ).then((doc) => {
      const workloads = JSON.parse(doc).workloads as Record<string, { command: string }>;
      for (const id of acked) assert.ok(id in workloads, `acknowledged write ${id} survived the heal`);
      assert.ok(['/bin/side-a', '/bin/side-b'].includes(workloads.both!.command));
    });
  });
});
