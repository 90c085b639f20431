// The mesh's pure parts: which WireGuard peers membership asks for (desiredPeers), and the gate's address parsing.
import assert from 'node:assert/strict';
import { generateKeyPair } from '@fortros/wireguard';
import { hostOf, MemberGate } from '../src/mesh/member-gate.js';
import { desiredPeers, type PeerSetInput, type SwimState } from '../src/mesh/peer-set.js';
import { freeOverlayIp } from '../src/mesh/overlay-address.js';
import { overlayIpOf } from '../src/node/identity.js';
import type { MemberRecord } from '../src/org/org-records.js';
import { createLogger } from '@fortros/log';

const self = generateKeyPair().publicKey;
const record = (id: string, i: number): MemberRecord => ({
  id,
  name: id,
  address: `192.168.1.${i}:51820`,
  overlayIp: `10.42.0.${i}`,
  publicKey: generateKeyPair().publicKey,
  labels: {},
  joinedAt: '2026-01-01T00:00:00.000Z',
});
const GRACE = 1_000;

function input(members: MemberRecord[], states: Record<string, SwimState>, now: number, goneSince = new Map<string, number>()): PeerSetInput {
  return { selfPublicKey: self, members, seeds: [], swimState: (id) => states[id], goneSince, now, graceMs: GRACE, keepaliveS: 25 };
}

describe('mesh: desired peers', () => {
  const a = record('a', 1);
  const b = record('b', 2);
  const me = { ...record('me', 3), publicKey: self };

  it('every member but this node, alive, suspect or not yet known to SWIM, with endpoint, overlay /32 and keepalive', () => {
    const peers = desiredPeers(input([a, b, me], { a: 'alive', b: 'suspect' }, 0));
    assert.deepEqual(peers.map((p) => [p.publicKey, p.endpoint, p.allowedIps, p.persistentKeepaliveS]), [
      [a.publicKey, a.address, ['10.42.0.1/32'], 25],
      [b.publicKey, b.address, ['10.42.0.2/32'], 25],
    ]);
    assert.equal(desiredPeers(input([a], {}, 0)).length, 1, 'a member SWIM does not know yet is a peer');
  });

  it('a member SWIM knows keeps the overlay address SWIM knows it at, whatever its record says', () => {
    const moved = { ...a, overlayIp: '10.42.250.250' }; // another member's write to a's record
    const known = { ...input([moved, b], { a: 'alive', b: 'alive' }, 0), swimOverlayIp: (id: string) => (id === 'a' ? '10.42.0.1' : undefined) };
    assert.deepEqual(desiredPeers(known).map((p) => [p.publicKey, p.allowedIps, p.overlayIp]), [
      [a.publicKey, ['10.42.0.1/32'], '10.42.0.1'],
      [b.publicKey, ['10.42.0.2/32'], '10.42.0.2'],
    ]);
    assert.deepEqual(desiredPeers(input([moved], {}, 0)).map((p) => p.allowedIps), [['10.42.250.250/32']], 'unknown to SWIM: the record is all there is');
  });

  for (const state of ['dead', 'left'] as const) {
    it(`a ${state} member stays a peer for the grace period, then is removed (also as a seed); back alive, it returns`, () => {
      const gone = new Map<string, number>();
      const i = (now: number, s: SwimState): PeerSetInput => ({ ...input([a], { a: s }, now, gone), seeds: [{ publicKey: a.publicKey, endpoint: a.address, overlayIp: a.overlayIp }] });
      assert.equal(desiredPeers(i(100, state)).length, 1);
      assert.equal(desiredPeers(i(100 + GRACE, state)).length, 1, 'at the end of the grace period');
      assert.equal(desiredPeers(i(101 + GRACE, state)).length, 0, 'after it');
      assert.equal(desiredPeers(i(200 + GRACE, 'alive')).length, 1);
      assert.equal(gone.size, 0);
    });
  }

  it('skips records it cannot use (bad key, endpoint or overlay address) and adds answer peers not in the document', () => {
    const bad = [{ ...record('x', 4), publicKey: 'nope' }, { ...record('y', 5), address: 'nowhere' }, { ...record('z', 6), overlayIp: '300.1.1.1' }];
    const seed = record('s', 7);
    const peers = desiredPeers({ ...input([...bad, a], {}, 0), seeds: [{ publicKey: seed.publicKey, endpoint: seed.address, overlayIp: seed.overlayIp }, { publicKey: a.publicKey, endpoint: 'x:1', overlayIp: '10.1.1.1' }] });
    assert.deepEqual(peers.map((p) => p.overlayIp), ['10.42.0.1', '10.42.0.7'], 'the document wins over an answer peer with the same key');
  });
});

describe('mesh: member gate', () => {
  it('reads the host of host:port, [v6]:port and gRPC peer strings', () => {
    assert.equal(hostOf('10.42.0.1:7946'), '10.42.0.1');
    assert.equal(hostOf('ipv4:10.42.0.1:51234'), '10.42.0.1');
    assert.equal(hostOf('ipv6:[::ffff:10.42.0.1]:51234'), '10.42.0.1');
    assert.equal(hostOf('[fd00::1]:7946'), 'fd00::1');
  });

  it('admits members only, and counts what it drops', () => {
    const gate = new MemberGate(createLogger({ sink: { write: () => undefined }, level: 'error' }));
    gate.setMembers(['10.42.0.1']);
    assert.equal(gate.admits('ipv4:10.42.0.1:4000'), true);
    assert.equal(gate.admits('ipv4:10.42.0.2:4000'), false);
    gate.dropped('syncNotMember', '10.42.0.2:4000');
    gate.dropped('gossipNotMember', '10.42.0.2:4000');
    assert.deepEqual(gate.counters, { gossipNotMember: 1, syncNotMember: 1 });
  });
});

describe('mesh: a joiner overlay address', () => {
  const key = generateKeyPair().publicKey;
  it('is the key-derived one when free, else the next free one of the range, wrapping; undefined when full', () => {
    const own = overlayIpOf(key, '10.42.0.0/16');
    assert.equal(freeOverlayIp(key, '10.42.0.0/16', new Set()), own);
    const next = freeOverlayIp(key, '10.42.0.0/16', new Set([own]));
    assert.notEqual(next, own);
    assert.match(next!, /^10\.42\.\d+\.\d+$/);
    // a /30 has two hosts: .1 and .2; whichever the key derives, the other is next, and none when both are taken
    const small = overlayIpOf(key, '10.9.9.0/30');
    const other = small === '10.9.9.1' ? '10.9.9.2' : '10.9.9.1';
    assert.equal(freeOverlayIp(key, '10.9.9.0/30', new Set([small])), other);
    assert.equal(freeOverlayIp(key, '10.9.9.0/30', new Set([small, other])), undefined);
  });
});
