// A node killed with kill -9 is declared dead everywhere; restarted, it is alive again with a higher incarnation.
import assert from 'node:assert/strict';
import { Cluster, cleanupAfterEach } from '../harness/maintainer.js';

describe('maintainer: failure detection and restart', function () {
  this.timeout(240_000);
  cleanupAfterEach();

  it('declares a kill -9 node dead everywhere, then alive at a higher incarnation after a restart', async () => {
    const cluster = await Cluster.create();
    const nodes = await cluster.startNodes(5);
    await cluster.waitForMembers((m) => m.length === 5 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: '5 alive members everywhere' });
    const victim = nodes[3]!;
    const { id, incarnation: before } = await victim.node();

    await victim.kill9();
    await cluster.waitForMembers((m) => m.find((x) => x.id === id)?.state === 'MEMBER_STATE_DEAD', { what: `${id} dead on every live node` });

    await victim.start();
    const after = (await victim.node()).incarnation;
    assert.ok(after > before, `incarnation ${after} should exceed ${before}`);
    assert.equal((await victim.node()).id, id, 'same identity after the restart');
    await cluster.waitForMembers((m) => {
      const v = m.find((x) => x.id === id);
      return v?.state === 'MEMBER_STATE_ALIVE' && v.incarnation > before && m.filter((x) => x.id === id).length === 1;
    }, { what: `${id} alive again at a higher incarnation everywhere` });
  });
});
