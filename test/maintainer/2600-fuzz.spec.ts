// Garbage and fuzzed UDP packets and malformed OrgSync messages are dropped and counted; the node carries on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { bidiStream, closeClient, createClient } from '@fortros/rpc';
import { MaintainerV1 } from '@fortros/proto';
import { Cluster, cleanupAfterEach, workload } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

const UDP_PACKETS = 600;
/** Datagrams sent before waiting for the node to count them (≈ 40 KB: far below a default UDP receive buffer). */
const UDP_BATCH = 50;
/** How long the node may take to count one batch (ms; generous: 2 shared cores). */
const UDP_BATCH_TIMEOUT_MS = 30_000;
const SYNC_MESSAGES = 200;

/** Random bytes; some start like a real packet (magic 0xf5, version 1) or a real sync message (types 0-2). */
function fuzz(i: number, prefixes: number[][]): Buffer {
  const body = randomBytes(i % 7 === 0 ? 0 : 1 + (i * 37) % 1500);
  const prefix = prefixes[i % (prefixes.length + 1)];
  return prefix ? Buffer.concat([Buffer.from(prefix), body]) : body;
}

describe('maintainer: malformed input', function () {
  this.timeout(180_000);
  cleanupAfterEach();

  it('drops and counts garbage UDP packets and sync messages, and keeps gossiping and syncing', async () => {
    const cluster = await Cluster.create();
    const [a, b] = await cluster.startNodes(2);
    const [host, port] = [a!.spec.host, a!.spec.port];

    // UDP garbage from an address that is not a member, in batches: the next batch is sent once the node has counted
    // most of the last one, so a stalled node never lets the kernel's receive buffer overflow and drop datagrams
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const malformed = async (): Promise<number> => (await a!.node()).stats!.gossipMalformed;
    const before = await malformed();
    for (let sent = 0; sent < UDP_PACKETS; ) {
      for (const end = Math.min(UDP_PACKETS, sent + UDP_BATCH); sent < end; sent++) {
        const i = sent;
        await new Promise<void>((resolve) => sock.send(fuzz(i, [[0xf5, 0x01], [0xf5, 0x01, i % 8], [0xf5]]), port, host, () => resolve()));
      }
      const target = before + sent / 2;
      await waitUntil(async () => (await malformed()) > target, { timeoutMs: UDP_BATCH_TIMEOUT_MS, intervalMs: 50, what: `more than ${target} malformed datagrams counted after ${sent} sent` });
    }
    sock.close();

    // raw bytes on the OrgSync TCP port (not HTTP/2): the connection is dropped
    await new Promise<void>((resolve) => {
      const c = connect(port, host, () => c.write(randomBytes(4096)));
      c.resume();
      c.on('error', () => resolve());
      c.on('close', () => resolve());
    });

    // OrgSync streams: no hello at all; then a hello followed by fuzzed payloads
    const client = createClient<MaintainerV1.OrgSyncClient>(MaintainerV1.loadOrgSyncApi(), `${host}:${port}`);
    const noHello = bidiStream(client, 'Sync');
    await noHello.send({ from: '', payload: randomBytes(64) });
    await drain(noHello.messages);
    const call = bidiStream(client, 'Sync');
    await call.send({ from: 'fuzzer', payload: Buffer.alloc(0) });
    for (let i = 0; i < SYNC_MESSAGES; i++) await call.send({ from: i % 10 === 0 ? 'someone-else' : '', payload: fuzz(i, [[0], [1], [2], [2, 0xff, 0xff, 0xff, 0xff, 0x0f]]), resync: i % 3 === 0 });
    call.end();
    await drain(call.messages);
    closeClient(client);

    const stats = await waitUntil(async () => {
      const s = (await a!.node()).stats!;
      return s.gossipMalformed > UDP_PACKETS / 2 && s.syncMalformed > SYNC_MESSAGES / 2 && s;
    }, { timeoutMs: 30_000, what: 'most garbage counted as malformed' });
    assert.ok(stats.gossipMalformed > UDP_PACKETS / 2, `most UDP garbage counted (${stats.gossipMalformed})`);
    assert.ok(stats.syncMalformed > SYNC_MESSAGES / 2, `most sync garbage counted (${stats.syncMalformed})`);

    // unaffected: still ready, both still alive to each other, writes still flow both ways
    assert.ok((await a!.node()).ready);
    await cluster.waitForMembers((m) => m.length === 2 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: 'both nodes alive' });
    await a!.putWorkload(workload('after-a'));
    await b!.putWorkload(workload('after-b'));
    await waitUntil(async () => {
      const [x, y] = await Promise.all([a!.workloadIds(), b!.workloadIds()]);
      return ['after-a', 'after-b'].every((id) => x.includes(id) && y.includes(id));
    }, { timeoutMs: 30_000, what: 'writes on both nodes after the fuzzing' });
  });
});

async function drain(messages: AsyncIterable<unknown>): Promise<void> {
  try {
    for await (const _ of messages) {
      /* answers to the fuzz: ignored */
    }
  } catch {
    /* the server may end the stream with an error */
  }
}
