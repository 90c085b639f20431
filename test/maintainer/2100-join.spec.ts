// 16 maintainers join through one seed and converge; a write on any of them reaches all of them.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Cluster, cleanupAfterEach, workload } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

const N = 16;
/** Each convergence wait (ms): 16 processes share 2 cores in CI. */
const CONVERGE_TIMEOUT_MS = 150_000;

describe('maintainer: join and convergence (16 processes)', function () {
  // start-up (READY_TIMEOUT_MS per wave of nodes) plus three convergence waits, with room to spare
  this.timeout(720_000);
  cleanupAfterEach();

  it('16 nodes join through one seed: every node lists 16 alive members, and writes on any node reach all', async () => {
    const cluster = await Cluster.create();
    const nodes = await cluster.startNodes(N);

    await cluster.waitForMembers((m) => m.length === N && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { timeoutMs: CONVERGE_TIMEOUT_MS, what: `every node to list ${N} alive members` });

    // identities: distinct, derived from a key file kept 0600; all ready
    const infos = await Promise.all(nodes.map((n) => n.node()));
    assert.equal(new Set(infos.map((i) => i.id)).size, N);
    assert.ok(infos.every((i) => /^[0-9a-f]{16}$/.test(i.id) && i.ready && i.publicKey.length === 44));
    assert.equal((await stat(join(nodes[3]!.root, 'persist/wireguard/private.key'))).mode & 0o777, 0o600);
    const members = await nodes[5]!.members();
    const seen = members.find((m) => m.id === infos[7]!.id)!;
    assert.equal(seen.name, 'n7');
    assert.equal(seen.address, nodes[7]!.address);

    // every node's member record reaches the org document of every node
    await waitUntil(async () => {
      for (const n of nodes) if (Object.keys(JSON.parse(await n.orgJson()).members).length !== N) return false;
      return true;
    }, { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 250, what: 'every member record in every org document' });
    // one org id everywhere, once every document has converged
    const orgIds = (await Promise.all(nodes.map((n) => n.node()))).map((i) => i.orgId);
    assert.equal(new Set(orgIds).size, 1, orgIds.join(' '));
    assert.notEqual(orgIds[0], '');

    // writes on three different nodes reach all sixteen
    const writers = [nodes[0]!, nodes[7]!, nodes[15]!];
    for (const [i, w] of writers.entries()) await w.putWorkload(workload(`w-${i}`));
    await waitUntil(async () => {
      for (const n of nodes) {
        const ids = await n.workloadIds();
        if (!['w-0', 'w-1', 'w-2'].every((id) => ids.includes(id))) return false;
      }
      return true;
    }, { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 250, what: 'every write on every node' });
  });
});
