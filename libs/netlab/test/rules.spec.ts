// The lab's pure parts: partition plans, nft scripts for partitions and loss, `ip netns list` parsing, argument checks.
import { strict as assert } from 'node:assert';
import { Lab, LabArgumentError, lossChains, nftReplaceScript, parseNetnsList, partitionChains, partitionPlan } from '../src/index.js';

const n = (i: number): { netns: string; address: string } => ({ netns: `p-n${i}`, address: `192.168.77.${i}` });

describe('netlab rules', () => {
  it('a partition blocks, for each listed node, the nodes of the other groups', () => {
    const plan = partitionPlan([[n(1)], [n(2), n(3)], [n(4)]]);
    assert.deepEqual(Object.fromEntries(plan), {
      'p-n1': ['192.168.77.2', '192.168.77.3', '192.168.77.4'],
      'p-n2': ['192.168.77.1', '192.168.77.4'],
      'p-n3': ['192.168.77.1', '192.168.77.4'],
      'p-n4': ['192.168.77.1', '192.168.77.2', '192.168.77.3'],
    });
    assert.equal(partitionPlan([[n(1), n(2)]]).size, 0, 'one group: nothing to block');
    assert.throws(() => partitionPlan([[n(1)], [n(1)]]), LabArgumentError);
  });

  it('writes partition chains both ways', () => {
    assert.deepEqual(partitionChains(['10.0.0.1', '10.0.0.2']), [
      'chain input { type filter hook input priority -10; policy accept; ip saddr { 10.0.0.1, 10.0.0.2 } drop; }',
      'chain output { type filter hook output priority -10; policy accept; ip daddr { 10.0.0.1, 10.0.0.2 } drop; }',
    ]);
  });

  it('writes loss chains: numgen below 100%, a plain drop at 100%, nothing at 0%', () => {
    assert.match(lossChains('eth0', 10)[0]!, /iifname "eth0" numgen random mod 100 < 10 drop;/);
    assert.match(lossChains('eth0', 10)[1]!, /oifname "eth0" numgen random mod 100 < 10 drop;/);
    assert.match(lossChains('eth0', 100)[0]!, /iifname "eth0" drop;/);
    assert.deepEqual(lossChains('eth0', 0), []);
    for (const bad of [-1, 101, 2.5]) assert.throws(() => lossChains('eth0', bad), LabArgumentError);
  });

  it('replaces a table idempotently, or only removes it', () => {
    assert.equal(nftReplaceScript('t', []), 'add table inet t\ndelete table inet t\n');
    assert.equal(nftReplaceScript('t', ['chain c { }']), 'add table inet t\ndelete table inet t\ntable inet t {\nchain c { }\n}\n');
  });

  it('parses ip netns list with and without ids', () => {
    assert.deepEqual(parseNetnsList('a-n2 (id: 3)\na-lab\n\n'), ['a-n2', 'a-lab']);
    assert.deepEqual(parseNetnsList(''), []);
  });

  it('refuses a bad prefix or subnet before making anything', async () => {
    for (const prefix of ['', 'A', 'x', '1abc', 'a-b', 'waytoolong1']) {
      await assert.rejects(Lab.create({ prefix, guard: false }), (e: unknown) => e instanceof LabArgumentError && /^prefix: /.test((e as Error).message));
    }
    await assert.rejects(Lab.create({ prefix: 'ok1', subnetOctet: 256, guard: false }), /subnetOctet: expected an integer 0-255/);
  });

  it('attaches to a lab another process made: its nodes and names, nothing registered, a bad prefix refused', () => {
    const nodes = [1, 2].map((i) => ({ index: i, ...n(i) }));
    const lab = Lab.attach('ab1', nodes, 80);
    assert.deepEqual([lab.netns, lab.subnet, lab.nodes], ['ab1-lab', '192.168.80.0/24', nodes]);
    assert.equal(lab.registry.size, 0);
    assert.throws(() => Lab.attach('A-b', []), (e: unknown) => e instanceof LabArgumentError);
  });
});
