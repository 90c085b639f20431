// One forged `dead` at incarnation 0xFFFFFFFF (the issue-8 attack) evicts nobody: peers keep the node alive, it keeps serving, and it restarts.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { Cluster, cleanupAfterEach } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

/** The highest u32: the incarnation of the forged packet. */
const FORGED_INCARNATION = 0xffffffff;

/** A SWIM gossip packet carrying one `dead` update, byte by byte as libs/swim/PROTOCOL.md describes it. */
function forgedDead(from: string, victim: string, incarnation: number): Buffer {
  const str = (s: string): Buffer => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
  const inc = Buffer.alloc(4);
  inc.writeUInt32BE(incarnation);
  // magic 0xF5, version 1, type 5 (gossip), from, 1 update: kind 3 (dead), id, incarnation, declared by
  return Buffer.concat([Buffer.from([0xf5, 1, 5]), str(from), Buffer.from([1, 3]), str(victim), inc, str(from)]);
}

describe('maintainer: forged incarnations', function () {
  this.timeout(240_000);
  cleanupAfterEach();

  it('a forged `dead` at 0xFFFFFFFF sent to every node changes nothing, is counted, and the node still restarts', async () => {
    const cluster = await Cluster.create();
    const nodes = await cluster.startNodes(3);
    await cluster.waitForMembers((m) => m.length === 3 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: '3 alive members everywhere' });
    const victim = nodes[1]!;
    const { id, incarnation: before } = await victim.node();

    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    try {
      const packet = forgedDead((await nodes[0]!.node()).id, id, FORGED_INCARNATION);
      for (const n of nodes) await new Promise<void>((resolve) => sock.send(packet, n.spec.port, n.spec.host, () => resolve()));
    } finally {
      sock.close();
    }
    await waitUntil(async () => (await Promise.all(nodes.map(async (n) => (await n.node()).stats!.gossipImplausible))).every((c) => c > 0), {
      timeoutMs: 30_000,
      what: 'every node to count the forged update as implausible',
    });
    // Still alive everywhere at a sane incarnation, and the victim still answers its API.
    for (const n of nodes) {
      const v = (await n.members()).find((x) => x.id === id);
      assert.equal(v?.state, 'MEMBER_STATE_ALIVE', `${n.spec.name} holds ${id} alive`);
      assert.ok((v?.incarnation ?? 0) < FORGED_INCARNATION / 2, `${n.spec.name} holds incarnation ${v?.incarnation}`);
    }
    assert.ok((await victim.node()).ready);

    // And it restarts (its incarnation file holds nothing it would refuse).
    await victim.stop();
    await victim.start();
    const after = await victim.node();
    assert.ok(after.incarnation > before && after.incarnation < FORGED_INCARNATION / 2, `incarnation after restart ${after.incarnation}`);
    await cluster.waitForMembers((m) => m.find((x) => x.id === id)?.state === 'MEMBER_STATE_ALIVE', { what: `${id} alive everywhere after its restart` });
  });
});
