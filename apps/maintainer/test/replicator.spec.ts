// The replicator: a peer going away (its stream ends UNAVAILABLE: stopping, refused, dropped) is retried later, quietly;
// links idle too long, or inbound ones whose caller never says hello, are closed; members that came back to life get
// an exchange at once, a few per interval.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { MaintainerV1 } from '@fortros/proto';
import { RpcServer } from '@fortros/rpc';
import { ANTI_ENTROPY_INTERVAL_MS, PEER_LINK_HELLO_TIMEOUT_MS, PEER_LINK_IDLE_MS, REPLICATION_RECONNECT_MIN_MS, REVIVED_SYNCS_PER_INTERVAL } from '../src/constants.js';
import { OrgSyncUnavailableError } from '../src/errors.js';
import { orgSyncDialer, orgSyncService } from '../src/replication/org-sync-grpc.js';
import { Replicator, type LinkDialer } from '../src/replication/replicator.js';
import { newReplicationCounters, type ReplicationCounters } from '../src/replication/replication-counters.js';
import { recordingLogger, type RecordingLogger } from './org-helpers.js';

type Msg = MaintainerV1.SyncMessage__Output;

/** The messages of one fake stream: pushed, then ended OK or with an error. */
class FakeStream {
  private items: Msg[] = [];
  private end: { err?: Error } | undefined;
  private wake: (() => void) | undefined;
  push(from: string): void {
    this.items.push({ from, payload: Buffer.alloc(0), resync: false });
    this.wake?.();
  }
  finish(err?: Error): void {
    this.end = err ? { err } : {};
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Msg> {
    for (;;) {
      const m = this.items.shift();
      if (m) yield m;
      else if (this.end?.err) throw this.end.err;
      else if (this.end) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

function manager(selfId: string, dialer: LinkDialer, log: RecordingLogger, peers: string[] = [], now: () => number = Date.now, doc = new Y.Doc(), counters = newReplicationCounters()): Replicator {
  return new Replicator({
    doc,
    selfId,
    directory: { replicationPeers: () => peers.map((id) => ({ id, orgSyncAddress: `${id}:1` })) },
    dialer,
    counters,
    log,
    now,
    rng: () => 0,
  });
}

const loud = (log: RecordingLogger) => log.records.filter((r) => r.level === 'warn' || r.level === 'error');

describe('replication: members that came back to life', () => {
  it('get a state exchange at once, at most REVIVED_SYNCS_PER_INTERVAL per anti-entropy interval (a healed partition)', () => {
    let now = 1_000_000;
    const dialled: string[] = [];
    const dialer: LinkDialer = {
      dial(address) {
        dialled.push(address);
        const s = new FakeStream();
        return { transport: { send: async () => undefined, close: () => s.finish() }, messages: s };
      },
    };
    const revived = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const pm = manager('me', dialer, recordingLogger(), revived, () => now);
    try {
      for (const id of revived) pm.memberRevived(id); // half a mesh alive again at once
      assert.deepEqual(dialled, revived.slice(0, REVIVED_SYNCS_PER_INTERVAL).map((id) => `${id}:1`));
      now += ANTI_ENTROPY_INTERVAL_MS;
      pm.memberRevived('p7');
      assert.equal(dialled.at(-1), 'p7:1', 'the next interval has room again');
      assert.equal(dialled.length, REVIVED_SYNCS_PER_INTERVAL + 1);
    } finally {
      pm.stop();
    }
  });
});

describe('replication: a peer that goes away', () => {
  it('is not redialled by the next pushes until its backoff passes, while a link the peer closed OK is', async () => {
    let now = 1_000_000;
    const streams = new Map<string, FakeStream[]>();
    const dialer: LinkDialer = {
      dial(address) {
        const s = new FakeStream();
        streams.set(address, [...(streams.get(address) ?? []), s]);
        return { transport: { send: async () => undefined, close: () => s.finish() }, messages: s };
      },
    };
    const log = recordingLogger();
    const doc = new Y.Doc();
    const pm = manager('me', dialer, log, ['x', 'y'], () => now, doc);
    pm.start();
    const dials = (id: string): number => streams.get(`${id}:1`)?.length ?? 0;
    const latest = (id: string): FakeStream => streams.get(`${id}:1`)!.at(-1)!;
    try {
      doc.getMap('workloads').set('a', 1);
      assert.deepEqual([dials('x'), dials('y')], [1, 1], 'the first push dials both');
      latest('x').push('x');
      latest('y').push('y');
      // x stops under its link; y closes its link as usual (idle)
      latest('x').finish(new OrgSyncUnavailableError('x:1', 'fortros.maintainer.v1.OrgSync is stopping'));
      latest('y').finish();
      await until(() => pm.linkCount().outbound === 0, 'both links over');

      doc.getMap('workloads').set('b', 1);
      assert.deepEqual([dials('x'), dials('y')], [1, 2], 'x is in backoff; y is dialled again');
      now += REPLICATION_RECONNECT_MIN_MS;
      doc.getMap('workloads').set('c', 1);
      assert.equal(dials('x'), 2, 'x is dialled again once its backoff passed');
      assert.ok(log.records.some((r) => r.level === 'debug' && r.msg === 'sync peer went away' && r.fields['peer'] === 'x'));
      assert.deepEqual(loud(log), []);
    } finally {
      pm.stop();
    }
  });
});

describe('replication over OrgSync: a peer going away ends the link with OrgSyncUnavailableError', () => {
  async function linked(): Promise<{ pm: Replicator; server: RpcServer; messages: AsyncIterator<Msg>; close: () => void; log: RecordingLogger }> {
    const log = recordingLogger();
    const pm = manager('node-a', orgSyncDialer, log);
    const server = new RpcServer({ tcpAddress: '127.0.0.1:0', services: [orgSyncService(pm)], logger: log });
    await server.start();
    const { transport, messages } = orgSyncDialer.dial(server.address);
    await transport.send({ from: 'node-b', payload: Buffer.alloc(0) });
    const it = messages[Symbol.asyncIterator]();
    assert.equal((await it.next()).value?.from, 'node-a', "node-a's hello");
    return { pm, server, messages: it, close: () => transport.close(), log };
  }

  const goneWith = (detail: RegExp) => (err: unknown) => {
    assert.ok(err instanceof OrgSyncUnavailableError, `expected OrgSyncUnavailableError, got ${String(err)}`);
    assert.match(err.message, detail);
    return true;
  };

  it('when the peer stops its sync layer (the maintainer stopping)', async () => {
    const { pm, server, messages, close, log } = await linked();
    try {
      pm.stop();
      await assert.rejects(messages.next(), goneWith(/node node-a is stopping/));
      assert.deepEqual(loud(log), []);
    } finally {
      close();
      await server.stop();
    }
  });

  it("when the peer's server stops under the link", async () => {
    const { pm, server, messages, close, log } = await linked();
    try {
      await server.stop();
      await assert.rejects(messages.next(), goneWith(/fortros\.maintainer\.v1\.OrgSync is stopping/));
      assert.deepEqual(loud(log), []);
    } finally {
      close();
      pm.stop();
    }
  });
});

describe('replication: stale links', () => {
  const noDialer: LinkDialer = { dial: () => assert.fail('nothing is dialled here') };

  function inbound(now: () => number): { pm: Replicator; counters: ReplicationCounters; caller: FakeStream; over: Promise<void>; closed: () => boolean } {
    const counters = newReplicationCounters();
    const pm = manager('me', noDialer, recordingLogger(), [], now, new Y.Doc(), counters);
    const caller = new FakeStream();
    let isClosed = false;
    const over = pm.acceptInbound(caller, async () => undefined, new AbortController().signal).finally(() => (isClosed = true));
    return { pm, counters, caller, over, closed: () => isClosed };
  }

  it('closes an inbound link whose caller never says hello, counted as failed', async () => {
    let now = 1_000_000;
    const { pm, counters, over, closed } = inbound(() => now);
    try {
      now += PEER_LINK_HELLO_TIMEOUT_MS;
      pm.closeStale();
      await new Promise((r) => setImmediate(r));
      assert.equal(closed(), false, 'not before its time');
      now += 1;
      pm.closeStale();
      await over;
      assert.equal(counters.linksFailed, 1);
    } finally {
      pm.stop();
    }
  });

  it('closes a link idle for PEER_LINK_IDLE_MS, not as a failure, and keeps one with traffic', async () => {
    let now = 1_000_000;
    const { pm, counters, caller, over, closed } = inbound(() => now);
    try {
      caller.push('peer');
      await until(() => pm.linkCount().inbound === 1, 'the hello');
      now += PEER_LINK_HELLO_TIMEOUT_MS + 1;
      pm.closeStale();
      await new Promise((r) => setImmediate(r));
      assert.equal(closed(), false, 'a link that said hello is not held to the hello timeout');
      now += PEER_LINK_IDLE_MS;
      pm.closeStale();
      await over;
      assert.equal(counters.linksFailed, 0);
    } finally {
      pm.stop();
    }
  });
});
