// The reconciler across a 5-node WireGuard mesh (issue 10): a process workload placed by selector + 3 replicas runs on
// exactly 3 matching nodes (real processes, seen through each node's `fortctl workloads`), every node's `workloads
// --all` agrees on where; kill -9 of a whole node running it → once it is declared dead, one other matching node
// takes its replica over and no other replica moves or restarts; every survivor's `workloads --all` shows what the
// dead node last reported as unknown, with a reason naming it and its state (not as still running).
import { strict as assert } from 'node:assert';
import { meshClusterSuite } from '../harness/mesh-cluster.js';
import { waitPlaced, type Replicated } from '../harness/placement.js';
import { isAlive } from '../harness/proc.js';
import { putWorkload, workloads } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

const NODES = 5;
const REPLICAS = 3;
/** Node index 4 is labelled role=db, so the selector matches 4 of the 5 nodes. */
const DB_NODE = 4;
const ID = 'web';
const MARKER = `rmweb${process.pid}`;
const WEB: Replicated = { id: ID, marker: MARKER, replicas: REPLICAS };

describe('5400 the reconciler on a 5-node mesh: selector + replicas, a node killed', function () {
  this.timeout(900_000);
  const slot = meshClusterSuite('rm');

  it(`places ${REPLICAS} replicas on matching nodes, all agree; a killed node's replica moves, and only it`, async () => {
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES, { labels: (i) => ({ role: i === DB_NODE ? 'db' : 'web' }), waitFor: 'reconciler' });
    await cluster.waitConverged(NODES, { timeoutMs: 120_000 });
    const ids = new Map(await Promise.all(nodes.map(async (n) => [n, (await cluster.info(n)).id] as const)));

    await putWorkload(nodes[0]!.init.root, {
      id: ID,
      driver: 'process',
      command: '/bin/sh',
      args: ['-c', `echo ${MARKER}; while :; do sleep 100000; done`],
      restart: 'always',
      placement: { selector: { role: 'web' }, replicas: REPLICAS },
    });
    const before = await waitPlaced(nodes, ids, WEB, `${REPLICAS} replicas placed`);
    assert.ok(!before.has(ids.get(nodes[DB_NODE]!)!), 'the db node does not match the selector');

    // kill -9 of a whole node running a replica (not the founder, whose fortctl put the spec: any would do)
    const victim = nodes.find((n, i) => i !== 0 && before.has(ids.get(n)!))!;
    const victimId = ids.get(victim)!;
    await cluster.killNode(victim);
    assert.ok(!isAlive(before.get(victimId)!), "the victim's replica died with its node");
    const survivors = nodes.filter((n) => n !== victim);
    await waitUntil(async () => (await Promise.all(survivors.map((n) => cluster.info(n)))).every((i) => i.liveMembers === NODES - 1), {
      what: `${victim.name} declared dead everywhere`,
      timeoutMs: 120_000,
    });

    const after = await waitPlaced(survivors, ids, WEB, `${REPLICAS} replicas on live nodes after ${victim.name} died`);
    const moved = [...after.keys()].filter((id) => !before.has(id));
    assert.equal(moved.length, 1, `exactly one replica moved (${JSON.stringify(moved)})`);
    assert.ok(!after.has(victimId));
    assert.ok(!after.has(ids.get(nodes[DB_NODE]!)!), 'the db node still does not match');
    for (const [id, pid] of before) {
      if (id === victimId) continue;
      assert.equal(after.get(id), pid, `the replica on ${id} kept running untouched`);
    }

    // what the dead node last reported: unknown on every survivor, the reason naming the node and its state
    await waitUntil(async () => {
      const seen = await Promise.all(survivors.map(async (n) => (await workloads(n.init.root, true))?.find((w) => w.workload === ID && w.node === victimId)));
      return seen.every((w) => w?.phase === 'unknown' && w.pid === null && w.reason.includes(`(${victimId}) is dead`)) ? seen : undefined;
    }, { what: `${victim.name}'s entry shown unknown (dead) on every survivor`, timeoutMs: 60_000, intervalMs: 500 });
  });
});
