// libs/netlab: partitions block the underlay (and so the overlay) and heal restores it; loss drops packets; an
// interrupted run's leftovers are swept; SIGTERM to a process holding a lab removes everything it made.
import { strict as assert } from 'node:assert';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { alive, Lab, listNetns, sweep } from '@fortros/netlab';
import { fullMesh, hostSnapshot, labPrefix, meshNode, meshSuite, startProbeServer, tcpReaches } from '../harness/mesh.js';
import { waitUntil } from '../harness/wait.js';

const CHILD = fileURLToPath(new URL('./fixtures/lab-holder.ts', import.meta.url));

describe('4200 network lab primitives (libs/netlab)', function () {
  this.timeout(120_000);
  const slot = meshSuite();

  it('a partition blocks the underlay and the overlay between its sides; heal restores both', async () => {
    const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
    const nodes = await Promise.all((await lab.addNodes(3)).map((n) => meshNode(lab, n)));
    await fullMesh(nodes);
    const [a, b, c] = nodes;
    for (const m of nodes) {
      await startProbeServer(lab, m.node, m.node.address, 7071);
      await startProbeServer(lab, m.node, m.overlay);
    }
    assert.ok(await tcpReaches(lab, a!.node, b!.node.address, 7071));
    await lab.partition([[a!.node], [b!.node, c!.node]]);
    assert.equal(await tcpReaches(lab, a!.node, b!.node.address, 7071, 1_000), false, 'underlay a → b blocked');
    assert.equal(await tcpReaches(lab, c!.node, a!.node.address, 7071, 1_000), false, 'underlay c → a blocked');
    assert.equal(await tcpReaches(lab, a!.node, b!.overlay, 7070, 1_000), false, 'overlay a → b blocked');
    assert.ok(await tcpReaches(lab, b!.node, c!.node.address, 7071), 'same side still connected');
    assert.ok(await tcpReaches(lab, b!.node, c!.overlay), 'same side still connected over the overlay');
    await lab.heal();
    assert.ok(await tcpReaches(lab, a!.node, b!.node.address, 7071), 'underlay healed');
    assert.ok(await tcpReaches(lab, c!.node, a!.overlay), 'overlay healed');
  });

  it('100% loss cuts a node off and 0% restores it', async () => {
    const lab = (slot.current = await Lab.create({ prefix: labPrefix() }));
    const [a, b] = await lab.addNodes(2);
    await startProbeServer(lab, b!, b!.address);
    await lab.setLoss(b!, 100);
    assert.equal(await tcpReaches(lab, a!, b!.address, undefined, 1_000), false);
    await lab.setLoss(b!, 0);
    assert.ok(await tcpReaches(lab, a!, b!.address));
  });

  it('sweep removes the namespaces and processes an interrupted run left', async () => {
    const prefix = labPrefix();
    const left = await Lab.create({ prefix, guard: false });
    const [n] = await left.addNodes(1);
    const sleeper = left.spawn(n!, 'sleep', ['600']);
    left.registry.forget(() => true); // as if the run had died before cleaning up
    assert.ok((await listNetns()).includes(n!.netns));
    const swept = await sweep(prefix);
    assert.deepEqual(swept.namespaces.sort(), [`${prefix}-lab`, `${prefix}-n1`]);
    assert.deepEqual((await listNetns()).filter((x) => x.startsWith(prefix)), []);
    await waitUntil(() => !alive(sleeper.pid!), { what: 'the process in the swept namespace to be gone' });
  });

  it('SIGTERM to a process holding a lab (with wireguard-go) removes everything it made', async () => {
    const host = await hostSnapshot();
    const prefix = labPrefix();
    const child = execa(process.execPath, ['--import', 'tsx', CHILD, prefix], { reject: false, buffer: false });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += String(d)));
    try {
      const ready = await waitUntil(() => /ready (\d+)/.exec(out) ?? undefined, { what: 'the lab holder ready', timeoutMs: 30_000 });
      const wgPid = Number(ready[1]);
      assert.ok(alive(wgPid));
      assert.ok((await listNetns()).some((x) => x.startsWith(prefix)));
      child.kill('SIGTERM');
      const r = await child;
      assert.equal(r.signal, 'SIGTERM', 'the signal is re-raised after cleanup');
      assert.deepEqual((await listNetns()).filter((x) => x.startsWith(prefix)), []);
      assert.deepEqual((await hostSnapshot()).links, host.links);
      await waitUntil(() => !alive(wgPid), { what: 'wireguard-go gone' });
    } finally {
      child.kill('SIGKILL');
      await sweep(prefix);
    }
  });
});
