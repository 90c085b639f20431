// The y-sync session core: in-memory peers converge from divergent states via step1/step2, relay live updates, repair by
// anti-entropy; malformed and oversize messages are dropped and counted; planPush picks peers.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { OrgDocument, type PeerOrigin } from '../src/org/org-doc.js';
import { type YSyncAction, YSyncSession, planPush } from '../src/org/y-sync-session.js';
import { processSpec, recordingLogger } from './org-helpers.js';

/** A seeded PRNG (mulberry32) so failures replay. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Envelope {
  from: string;
  to: string;
  message: Uint8Array;
}

/** Nodes fully meshed by in-memory sessions; messages are queued and delivered by `pump()`. */
class Mesh {
  readonly orgs = new Map<string, OrgDocument>();
  private readonly sessions = new Map<string, YSyncSession>(); // key `${at}>${peer}`
  private readonly queue: Envelope[] = [];
  synced = 0;
  dropNext = 0;

  constructor(
    names: string[],
    private readonly fanout: number,
    private readonly rng: () => number,
  ) {
    for (const name of names) this.orgs.set(name, new OrgDocument({ log: recordingLogger() }));
    for (const at of names) {
      for (const peer of names) {
        if (at !== peer) this.sessions.set(`${at}>${peer}`, new YSyncSession({ doc: this.org(at).doc, peer }));
      }
      this.org(at).doc.on('update', (update: Uint8Array, origin: unknown) => {
        const from = (origin as Partial<PeerOrigin> | null)?.peer;
        const peers = names.filter((p) => p !== at && p !== from);
        for (const peer of planPush(peers, this.fanout, this.rng).push) {
          this.handle(at, peer, this.session(at, peer).forward(update, origin));
        }
      });
    }
  }

  org(name: string): OrgDocument {
    return this.orgs.get(name)!;
  }

  session(at: string, peer: string): YSyncSession {
    return this.sessions.get(`${at}>${peer}`)!;
  }

  connectAll(): void {
    for (const [key, session] of this.sessions) this.handle(key.split('>')[0]!, session.peer, session.start());
  }

  antiEntropyRound(): void {
    for (const at of this.orgs.keys()) {
      const peer = planPush([...this.orgs.keys()].filter((p) => p !== at), 0, this.rng).antiEntropy!;
      this.handle(at, peer, this.session(at, peer).resync());
    }
  }

  /** Delivers queued messages until none are left; returns how many were delivered. */
  pump(): number {
    let n = 0;
    for (let env = this.queue.shift(); env; env = this.queue.shift()) {
      n++;
      this.handle(env.to, env.from, this.session(env.to, env.from).receive(env.message));
    }
    return n;
  }

  private handle(at: string, peer: string, actions: YSyncAction[]): void {
    for (const action of actions) {
      if (action.kind === 'send') {
        if (this.dropNext > 0) this.dropNext--;
        else this.queue.push({ from: at, to: peer, message: action.message });
      } else if (action.kind === 'synced') this.synced++;
      else if (action.kind === 'rejected') throw new Error(`unexpected rejection at ${at} from ${peer}: ${action.detail}`);
    }
  }
}

function assertConverged(mesh: Mesh): void {
  const [first, ...rest] = [...mesh.orgs.values()];
  for (const org of rest) assert.deepEqual(org.toJSON(), first!.toJSON());
}

describe('org: y-sync sessions', () => {
  it('two peers converge from divergent states, both ways', async () => {
    const mesh = new Mesh(['a', 'b'], 3, seeded(1));
    await mesh.org('a').putWorkload(processSpec('only-a'));
    await mesh.org('b').putWorkload(processSpec('only-b'));
    await mesh.org('a').putWorkload(processSpec('both', { restart: 'never' }));
    await mesh.org('b').putWorkload(processSpec('both', { restart: 'on-failure' }));
    mesh.pump(); // nothing sent before connecting
    mesh.connectAll();
    assert.ok(mesh.pump() >= 4);
    assertConverged(mesh);
    assert.deepEqual(mesh.org('a').listWorkloads().map((w) => w.id), ['both', 'only-a', 'only-b']);
    assert.equal(mesh.synced, 2);
    assert.ok(mesh.session('a', 'b').synced && mesh.session('b', 'a').synced);
    // Live updates flow after the initial exchange; remote ones carry the peer as origin.
    const seen: (string | null)[] = [];
    mesh.org('b').on('workload:changed', (e) => seen.push(e.peer));
    await mesh.org('a').putWorkload(processSpec('live'));
    mesh.pump();
    assert.deepEqual(seen, ['a']);
    assertConverged(mesh);
  });

  it('three peers converge, relay live updates with fanout 1, and repair lost messages by anti-entropy', async () => {
    const rng = seeded(7);
    const mesh = new Mesh(['a', 'b', 'c'], 1, rng);
    for (const [name, org] of mesh.orgs) {
      for (let i = 0; i < 5; i++) await org.putWorkload(processSpec(`${name}-${i}`));
    }
    mesh.connectAll();
    mesh.pump();
    assertConverged(mesh);
    assert.equal(mesh.org('c').listWorkloads().length, 15);

    await mesh.org('a').putWorkload(processSpec('relayed'));
    mesh.pump();
    assertConverged(mesh);
    assert.ok(mesh.org('c').getWorkload('relayed'));

    mesh.dropNext = 1; // the push of the next write is lost
    await mesh.org('b').putWorkload(processSpec('lost-push'));
    mesh.pump();
    assert.ok(mesh.org('a').getWorkload('lost-push') === undefined || mesh.org('c').getWorkload('lost-push') === undefined);
    for (let round = 0; round < 20 && ![...mesh.orgs.values()].every((o) => o.getWorkload('lost-push')); round++) {
      mesh.antiEntropyRound();
      mesh.pump();
    }
    assertConverged(mesh);
    assert.ok(mesh.org('a').getWorkload('lost-push'));
  });

  it('drops and counts garbage, truncated, oversize and unknown messages without throwing or changing the doc', async () => {
    const org = new OrgDocument({ log: recordingLogger() });
    await org.putWorkload(processSpec('keep'));
    const before = Y.encodeStateAsUpdate(org.doc);
    const session = new YSyncSession({ doc: org.doc, peer: 'evil', maxMessageBytes: 1024 });

    const withPayload = (type: number, payload: Uint8Array, extra: number[] = []): Uint8Array => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, type);
      encoding.writeVarUint8Array(e, payload);
      for (const b of extra) encoding.writeUint8(e, b);
      return encoding.toUint8Array(e);
    };
    const valid = withPayload(2, Y.encodeStateAsUpdate(new OrgDocument({ log: recordingLogger() }).doc));
    const rng = seeded(3);
    const garbage = Array.from({ length: 200 }, () => Uint8Array.from({ length: 1 + Math.floor(rng() * 64) }, () => Math.floor(rng() * 256)));
    const cases: [string, Uint8Array, 'malformed' | 'oversize'][] = [
      ['empty', new Uint8Array(0), 'malformed'],
      ['unknown type', withPayload(7, new Uint8Array([0])), 'malformed'],
      ['truncated', valid.subarray(0, valid.length - 1), 'malformed'],
      ['trailing bytes', withPayload(2, new Uint8Array([0, 0]), [9]), 'malformed'],
      ['update payload garbage', withPayload(2, new Uint8Array([5, 200, 1, 2])), 'malformed'],
      ['step1 payload garbage', withPayload(0, new Uint8Array([255, 255, 255])), 'malformed'],
      ['oversize', new Uint8Array(1025), 'oversize'],
    ];
    for (const [name, bytes, reason] of cases) {
      const actions = session.receive(bytes);
      assert.deepEqual(actions.map((a) => (a.kind === 'rejected' ? a.reason : a.kind)), [reason], name);
    }
    let rejected = 0;
    for (const bytes of garbage) {
      const actions = session.receive(bytes);
      if (actions.some((a) => a.kind === 'rejected')) rejected++;
    }
    const stats = session.stats();
    assert.equal(stats.oversize, 1);
    assert.equal(stats.malformed, 6 + rejected);
    assert.ok(rejected > 150, `most random messages should be rejected, got ${rejected}/200`);
    assert.equal(stats.messagesIn, cases.length + garbage.length);
    assert.deepEqual(org.listWorkloads().map((w) => w.id), ['keep']);
    assert.deepEqual(Y.encodeStateAsUpdate(org.doc), before);
  });

  it('does not echo an update back to the peer it came from, and refuses to send oversize messages', () => {
    const doc = new Y.Doc();
    const session = new YSyncSession({ doc, peer: 'b', maxMessageBytes: 64 });
    assert.deepEqual(session.forward(new Uint8Array([0, 0]), { peer: 'b' }), []);
    assert.equal(session.forward(new Uint8Array([0, 0]), null)[0]!.kind, 'send');
    const big = session.forward(new Uint8Array(100), null);
    assert.equal(big[0]!.kind, 'rejected');
    assert.equal(session.stats().sendOversize, 1);
  });
});

describe('org: planPush', () => {
  it('picks at most fanout distinct peers and one anti-entropy peer', () => {
    const rng = seeded(11);
    const peers = ['a', 'b', 'c', 'd', 'e', 'f'];
    const counts = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const plan = planPush(peers, 3, rng);
      assert.equal(plan.push.length, 3);
      assert.equal(new Set(plan.push).size, 3);
      for (const p of plan.push) counts.set(p, (counts.get(p) ?? 0) + 1);
      assert.ok(peers.includes(plan.antiEntropy!));
    }
    for (const p of peers) assert.ok(counts.get(p)! > 200, `peer ${p} chosen ${counts.get(p)} times of ~300`);
  });

  it('handles few peers, no peers, duplicates and edge rng values', () => {
    assert.deepEqual(planPush([], 3, Math.random), { push: [], antiEntropy: null });
    assert.deepEqual(planPush(['a', 'b'], 5, () => 0).push.sort(), ['a', 'b']);
    assert.deepEqual(planPush(['a', 'a'], 5, () => 0.5).push, ['a']);
    assert.deepEqual(planPush(['a', 'b', 'c'], 0, () => 0.99).push, []);
    const plan = planPush(['a', 'b', 'c'], 2, () => 1);
    assert.equal(plan.push.length, 2);
    assert.ok(['a', 'b', 'c'].includes(plan.antiEntropy!));
  });
});
