// Peer links over an in-memory stream: hello, initial exchange both ways, live pushes, two-way anti-entropy, bad input.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { MaintainerV1 } from '@fortros/proto';
import { PeerLink } from '../src/replication/peer-link.js';
import { LinkState } from '../src/replication/peer-link-lifecycle.js';
import { newReplicationCounters, type ReplicationCounters } from '../src/replication/replication-counters.js';
import { recordingLogger } from './org-helpers.js';

type Msg = MaintainerV1.SyncMessage__Output;

/** One direction of an in-memory stream. */
class Pipe {
  private items: Msg[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  push(m: MaintainerV1.SyncMessage): void {
    this.items.push({ from: m.from ?? '', payload: Buffer.from((m.payload as Uint8Array | undefined) ?? []), resync: m.resync ?? false });
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Msg> {
    for (;;) {
      const m = this.items.shift();
      if (m) yield m;
      else if (this.ended) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

function pair(docA: Y.Doc, docB: Y.Doc): { a: PeerLink; b: PeerLink; counters: ReplicationCounters; synced: string[]; done: Promise<void> } {
  const toB = new Pipe();
  const toA = new Pipe();
  const counters = newReplicationCounters();
  const synced: string[] = [];
  const common = { counters, log: recordingLogger(), now: () => 0, onHello: () => undefined, onEnded: () => undefined };
  const a = new PeerLink({ ...common, doc: docA, selfId: 'node-a', direction: 'outbound', peerId: 'node-b', transport: { send: async (m) => toB.push(m), close: () => toB.end() }, onSynced: () => synced.push('a') });
  const b = new PeerLink({ ...common, doc: docB, selfId: 'node-b', direction: 'inbound', transport: { send: async (m) => toA.push(m), close: () => toA.end() }, onSynced: () => synced.push('b') });
  const done = Promise.all([a.run(toA), b.run(toB)]).then(() => undefined);
  a.start();
  return { a, b, counters, synced, done };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition not reached');
};

describe('peer link', () => {
  it('exchanges what each side lacks on connect, learns the caller from its hello, and marks both synced', async () => {
    const [da, db] = [new Y.Doc(), new Y.Doc()];
    da.getMap('workloads').set('x', 1);
    db.getMap('workloads').set('y', 2);
    const { a, b, synced } = pair(da, db);
    await until(() => da.getMap('workloads').has('y') && db.getMap('workloads').has('x'));
    await until(() => synced.length === 2);
    assert.equal(b.peerId, 'node-a');
    a.close();
    b.close();
  });

  it('forwards live updates, and a resync round repairs both sides', async () => {
    const [da, db] = [new Y.Doc(), new Y.Doc()];
    const { a, b } = pair(da, db);
    await until(() => a.state === LinkState.live && b.state === LinkState.live);
    da.on('update', (u: Uint8Array, origin: unknown) => a.forward(u, origin));
    da.getMap('workloads').set('live', 1);
    await until(() => db.getMap('workloads').has('live'));
    // changes nobody pushed (as after a partition), on both sides; one resync from A repairs both
    da.destroy();
    const da2 = new Y.Doc();
    Y.applyUpdate(da2, Y.encodeStateAsUpdate(db));
    db.getMap('workloads').set('only-b', 1);
    const { a: a2 } = pair(da2, db);
    await until(() => da2.getMap('workloads').has('only-b'));
    da2.getMap('workloads').set('only-a', 1);
    a2.resync();
    await until(() => db.getMap('workloads').has('only-a'));
    a.close();
    b.close();
    a2.close();
  });

  it('drops and counts garbage, and closes a link whose first message names nobody', async () => {
    const doc = new Y.Doc();
    const counters = newReplicationCounters();
    let closed = false;
    const link = new PeerLink({ doc, selfId: 'me', direction: 'inbound', transport: { send: async () => undefined, close: () => (closed = true) }, counters, log: recordingLogger(), now: () => 0, onSynced: () => undefined, onHello: () => undefined, onEnded: () => undefined });
    const p = new Pipe();
    p.push({ from: '', payload: Buffer.from([9, 9, 9]) });
    p.end();
    await link.run(p);
    assert.ok(closed);
    assert.equal(counters.malformed, 1);

    const ok = new PeerLink({ doc, selfId: 'me', direction: 'inbound', transport: { send: async () => undefined, close: () => undefined }, counters, log: recordingLogger(), now: () => 0, onSynced: () => undefined, onHello: () => undefined, onEnded: () => undefined });
    const q = new Pipe();
    q.push({ from: 'peer', payload: Buffer.alloc(0) });
    q.push({ from: '', payload: Buffer.from([2, 5, 1, 2]) });
    q.push({ from: '', payload: Buffer.from([7]) });
    q.push({ from: 'impostor', payload: Buffer.from([0, 0]) });
    q.end();
    await ok.run(q);
    assert.equal(counters.malformed, 4);
  });
});
