// kill -9 during a burst of acknowledged writes, then a restart, loses no acknowledged write.
import assert from 'node:assert/strict';
import { Cluster, cleanupAfterEach, workload } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

/** Writes in flight at once during the burst. */
const CONCURRENCY = 8;
/** Acknowledged writes after which the node is killed (writes are still in flight then). */
const KILL_AFTER_ACKS = 150;

describe('maintainer: crash durability', function () {
  this.timeout(180_000);
  cleanupAfterEach();

  it('keeps every acknowledged write across a kill -9 in the middle of a burst', async () => {
    const cluster = await Cluster.create();
    const [seed, node] = await cluster.startNodes(2);
    const acked = new Set<string>();
    let next = 0;
    let stop = false;
    const writer = async (): Promise<void> => {
      while (!stop) {
        const id = `burst-${next++}`;
        try {
          await node!.putWorkload(workload(id));
          acked.add(id);
        } catch {
          return; // the node is gone: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: CONCURRENCY }, () => writer());
    await waitUntil(() => acked.size >= KILL_AFTER_ACKS, { timeoutMs: 60_000, intervalMs: 5, what: `${KILL_AFTER_ACKS} acknowledged writes` });
    await node!.kill9();
    stop = true;
    await Promise.all(writers);
    assert.ok(acked.size >= KILL_AFTER_ACKS);

    await node!.start();
    const ids = new Set(await node!.workloadIds());
    const lost = [...acked].filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], `acknowledged writes lost after kill -9 and restart (of ${acked.size})`);
    // and the seed converges to the same set
    await waitUntil(async () => {
      const s = new Set(await seed!.workloadIds());
      return [...acked].every((id) => s.has(id));
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'every acknowledged write on the seed' });
  });
});
