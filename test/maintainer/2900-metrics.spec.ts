// fortros-maintainer's opt-in Prometheus metrics (`--metrics HOST:PORT`): members by state, gossip and sync counters,
// drops and the document's size, scraped for real from a two-node cluster.
import assert from 'node:assert/strict';
import { Cluster, cleanupAfterEach, workload, type MaintainerNode } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

/** The value of the sample `series` (its exact text, labels included), or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** GET /metrics of `node`, at the address it logged (it binds a port the kernel picks). */
async function scrape(node: MaintainerNode): Promise<string> {
  const address = await waitUntil(() => node.logs.find((r) => r.msg === 'metrics listening')?.address as string | undefined, { what: 'metrics listening' });
  const res = await fetch(`http://${address}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

describe('maintainer: metrics', function () {
  this.timeout(180_000);
  cleanupAfterEach();

  it('serves members by state, gossip and sync counters and the document size, and nothing without --metrics', async () => {
    const cluster = await Cluster.create();
    const a = cluster.add({ extraArgs: ['--metrics', '127.0.0.1:0'] });
    await a.start();
    const b = cluster.add();
    await b.start();
    await a.putWorkload(workload('web'));

    const body = await waitUntil(async () => {
      const text = await scrape(a);
      return sample(text, 'fortros_maintainer_members{state="alive"}') === 2 && (sample(text, 'fortros_maintainer_sync_messages_sent_total') ?? 0) > 0 ? text : undefined;
    }, { timeoutMs: 60_000, what: 'two alive members and sync traffic in the metrics' });
    assert.match(body, /^# TYPE fortros_maintainer_members gauge$/m);
    assert.equal(sample(body, 'fortros_maintainer_members{state="dead"}'), 0);
    assert.match(body, /^# TYPE fortros_maintainer_gossip_packets_received_total counter$/m);
    assert.ok(sample(body, 'fortros_maintainer_gossip_packets_received_total')! > 0);
    assert.ok(sample(body, 'fortros_maintainer_sync_links_opened_total')! > 0);
    assert.equal(sample(body, 'fortros_maintainer_fault_drops_total'), 0);
    assert.ok(sample(body, 'fortros_maintainer_document_bytes')! > 0);
    assert.ok(sample(body, 'fortros_maintainer_process_cpu_seconds_total') !== undefined, 'the process metrics, prefixed');
    assert.equal(b.logs.find((r) => r.msg === 'metrics listening'), undefined, 'off by default');
  });
});
