// planPeerDiff: only what changed is touched; removals, updates, additions; bad desired peers refused by field.
import { strict as assert } from 'node:assert';
import { canonicalCidr, generateKeyPair, InvalidArgumentError, InvalidKeyError, opArgs, planPeerDiff, type PeerState } from '../src/index.js';

const [a, b, c] = [generateKeyPair().publicKey, generateKeyPair().publicKey, generateKeyPair().publicKey];
const state = (publicKey: string, over: Partial<PeerState> = {}): PeerState => ({
  publicKey,
  hasPresharedKey: false,
  endpoint: '192.168.1.1:51820',
  allowedIps: ['10.42.0.1/32'],
  latestHandshakeS: 1,
  rxBytes: 0,
  txBytes: 0,
  persistentKeepaliveS: 0,
  ...over,
});

describe('planPeerDiff', () => {
  it('does nothing when the peers already match (allowed IPs compared as canonical sets)', () => {
    const cur = [state(a, { allowedIps: ['10.42.0.0/16', '10.42.0.1/32'] })];
    assert.deepEqual(planPeerDiff(cur, [{ publicKey: a, endpoint: '192.168.1.1:51820', allowedIps: ['10.42.0.1/32', '10.42.3.4/16'] }]), []);
    // no endpoint wanted: the roamed one is left alone
    assert.deepEqual(planPeerDiff([state(a)], [{ publicKey: a, allowedIps: ['10.42.0.1/32'] }]), []);
  });

  it('removes, then updates only changed fields, then adds', () => {
    const cur = [state(a), state(b)];
    const ops = planPeerDiff(cur, [
      { publicKey: c, endpoint: '192.168.1.3:51820', allowedIps: ['10.42.0.3/32'], persistentKeepaliveS: 25 },
      { publicKey: a, endpoint: '192.168.1.9:51820', allowedIps: ['10.42.0.1/32'] },
    ]);
    assert.deepEqual(ops, [
      { kind: 'remove', publicKey: b },
      { kind: 'update', publicKey: a, endpoint: '192.168.1.9:51820' },
      { kind: 'add', peer: { publicKey: c, endpoint: '192.168.1.3:51820', allowedIps: ['10.42.0.3/32'], persistentKeepaliveS: 25 } },
    ]);
    assert.deepEqual(ops.map(opArgs), [
      ['peer', b, 'remove'],
      ['peer', a, 'endpoint', '192.168.1.9:51820'],
      ['peer', c, 'endpoint', '192.168.1.3:51820', 'persistent-keepalive', '25', 'allowed-ips', '10.42.0.3/32'],
    ]);
  });

  it('updates allowed IPs and turns keepalive off', () => {
    const ops = planPeerDiff([state(a, { persistentKeepaliveS: 25 })], [{ publicKey: a, allowedIps: ['10.42.0.7/32'] }]);
    assert.deepEqual(ops.map(opArgs), [['peer', a, 'persistent-keepalive', 'off', 'allowed-ips', '10.42.0.7/32']]);
  });

  const bad: [string, unknown, (e: unknown) => boolean][] = [
    ['a bad key', [{ publicKey: 'x', allowedIps: [] }], (e) => e instanceof InvalidKeyError && /peers\[0\]\.publicKey/.test((e as Error).message)],
    ['a duplicate', [{ publicKey: a, allowedIps: [] }, { publicKey: a, allowedIps: [] }], (e) => e instanceof InvalidArgumentError && /peers\[1\]\.publicKey/.test((e as Error).message)],
    ['a bad endpoint', [{ publicKey: a, endpoint: 'host:1', allowedIps: [] }], (e) => e instanceof InvalidArgumentError && /peers\[0\]\.endpoint/.test((e as Error).message)],
    ['a bad CIDR', [{ publicKey: a, allowedIps: ['10.0.0.1/33'] }], (e) => e instanceof InvalidArgumentError && /allowedIps\[0\]/.test((e as Error).message)],
    ['a bad keepalive', [{ publicKey: a, allowedIps: [], persistentKeepaliveS: -1 }], (e) => e instanceof InvalidArgumentError],
  ];
  for (const [what, desired, check] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      assert.throws(() => planPeerDiff([], desired as never), check);
    });
  }

  it('canonicalises IPv4 CIDRs the way wg prints them', () => {
    assert.equal(canonicalCidr('10.42.3.4/16'), '10.42.0.0/16');
    assert.equal(canonicalCidr('10.42.3.4/32'), '10.42.3.4/32');
    assert.equal(canonicalCidr('1.2.3.4/0'), '0.0.0.0/0');
    assert.equal(canonicalCidr('FD00::1/64'), 'fd00::1/64');
  });
});
