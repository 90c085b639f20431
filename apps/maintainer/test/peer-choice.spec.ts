// The sync layer's choice of peers: push targets, anti-entropy partner, reconnect backoff.
import assert from 'node:assert/strict';
import { chooseAntiEntropyPeer, choosePushTargets, reachablePeers, type ChoiceInputs } from '../src/replication/peer-choice.js';

const peers = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, orgSyncAddress: `${id}:1` }));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const inputs = (over: Partial<ChoiceInputs> = {}): ChoiceInputs => ({ peers, backoffUntil: new Map(), now: 1_000, rng: seeded(1), ...over });

describe('peer choice', () => {
  it('pushes to `fanout` distinct peers, never back to the origin', () => {
    for (let seed = 0; seed < 200; seed++) {
      const t = choosePushTargets(inputs({ rng: seeded(seed) }), 'c', 3);
      assert.equal(t.length, 3);
      assert.equal(new Set(t).size, 3);
      assert.ok(!t.includes('c'));
    }
  });

  it('pushes to everyone when there are fewer peers than the fanout, and to nobody when there are none', () => {
    assert.deepEqual(choosePushTargets(inputs({ peers: peers.slice(0, 2) }), null, 3).sort(), ['a', 'b']);
    assert.deepEqual(choosePushTargets(inputs({ peers: [] }), null, 3), []);
    assert.deepEqual(choosePushTargets(inputs({ peers: peers.slice(0, 1) }), 'a', 3), []);
  });

  it('spreads pushes over every peer (random, not fixed)', () => {
    const seen = new Set<string>();
    const rng = seeded(7);
    for (let i = 0; i < 100; i++) for (const t of choosePushTargets(inputs({ rng }), null, 1)) seen.add(t);
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('avoids peers in reconnect backoff, unless nobody else is left', () => {
    const backoffUntil = new Map([['a', 5_000], ['b', 5_000], ['c', 500]]);
    assert.deepEqual(reachablePeers(inputs({ backoffUntil })).map((p) => p.id), ['c', 'd', 'e']);
    for (let seed = 0; seed < 50; seed++) {
      const p = chooseAntiEntropyPeer(inputs({ backoffUntil, rng: seeded(seed) }));
      assert.ok(p === 'c' || p === 'd' || p === 'e');
    }
    const all = new Map(peers.map((p) => [p.id, 5_000]));
    assert.equal(reachablePeers(inputs({ backoffUntil: all })).length, 5);
  });

  it('picks no anti-entropy partner when alone', () => {
    assert.equal(chooseAntiEntropyPeer(inputs({ peers: [] })), null);
  });
});
