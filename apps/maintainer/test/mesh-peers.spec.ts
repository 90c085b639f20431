// MeshPeers' schedule: a pass on start, one shared pass for a burst of membership pokes, none for a poke that changes
// no peer, none after stop (the interface is a recording stand-in: the schedule is under test, not WireGuard).
import assert from 'node:assert/strict';
import type { PeerState, WireguardInterface } from '@fortros/wireguard';
import { generatePrivateKey, publicKeyOf } from '../src/node/identity.js';
import { MemberGate } from '../src/mesh/member-gate.js';
import { MeshPeers } from '../src/mesh/mesh-peers.js';
import type { MemberRecord } from '../src/org/org-records.js';
import { MESH_PEER_REMOVE_GRACE_MS } from '../src/constants.js';
import type { SwimState } from '../src/mesh/peer-set.js';
import { memberRecord, recordingLogger, until } from './org-helpers.js';

/** Records every pass (one `show` each) and holds what was applied. */
class RecordingInterface {
  readonly name = 'mt-test0';
  passes = 0;
  peers: PeerState[] = [];
  private publicKey: string | undefined;
  private port = 0;
  private readonly addrs: string[] = [];
  constructor(private readonly ownPublicKey: string) {}
  async show(): Promise<{ publicKey: string | undefined; listenPort: number; fwmark: number; peers: PeerState[] }> {
    this.passes++;
    return { publicKey: this.publicKey, listenPort: this.port, fwmark: 0, peers: this.peers };
  }
  async exists(): Promise<boolean> {
    return true;
  }
  async addresses(): Promise<string[]> {
    return [...this.addrs];
  }
  async setPrivateKey(): Promise<void> {
    this.publicKey = this.ownPublicKey;
  }
  async setListenPort(port: number): Promise<void> {
    this.port = port;
  }
  async addAddress(cidr: string): Promise<void> {
    this.addrs.push(cidr);
  }
  async up(): Promise<void> {}
  async applyPeers(desired: { publicKey: string; endpoint?: string; allowedIps: string[] }[]): Promise<{ kind: string }[]> {
    const before = this.peers.length;
    this.peers = desired.map((p) => ({ publicKey: p.publicKey, hasPresharedKey: false, endpoint: p.endpoint, allowedIps: p.allowedIps, latestHandshakeS: 0, rxBytes: 0, txBytes: 0, persistentKeepaliveS: 0 }));
    return this.peers.length === before ? [] : [{ kind: 'add' }];
  }
}

describe('mesh: peers follow membership events', () => {
  it('a burst of pokes shares one pass that applies the new member; stop ends the passes', async () => {
    const key = generatePrivateKey();
    const privateKey = key.toString('base64');
    const publicKey = publicKeyOf(key);
    const wg = new RecordingInterface(publicKey);
    const members: MemberRecord[] = [memberRecord({ overlayIp: '10.42.0.2' })];
    const log = recordingLogger();
    const peers = new MeshPeers({
      wg: wg as unknown as WireguardInterface,
      privateKey,
      publicKey,
      listenPort: 51820,
      addressCidr: '10.42.0.1/16',
      seeds: [],
      members: () => members,
      swimState: () => 'alive',
      gate: new MemberGate(log),
      log,
    });
    await peers.start();
    try {
      assert.equal(wg.passes, 1, 'one pass on start');
      assert.deepEqual(peers.peers().map((p) => p.overlayIp), ['10.42.0.2']);

      members.push(memberRecord({ overlayIp: '10.42.0.3' }));
      for (let i = 0; i < 10; i++) peers.poke();
      await until(() => peers.peers().length === 2, 'the new member applied');
      await peers.refresh(true);
      assert.equal(wg.passes, 3, 'ten pokes made one pass (then the explicit refresh one more)');
      assert.deepEqual(wg.peers.map((p) => p.allowedIps[0]).sort(), ['10.42.0.2/32', '10.42.0.3/32']);
    } finally {
      peers.stop();
    }
    peers.poke();
    await peers.refresh(true);
    assert.equal(wg.passes, 4, 'after stop a poke makes no pass (only the explicit refresh ran)');
  });

  it('a poke that changes no peer reads nothing from the interface; one that does, and every full pass, do', async () => {
    const key = generatePrivateKey();
    const publicKey = publicKeyOf(key);
    const wg = new RecordingInterface(publicKey);
    const member = memberRecord({ overlayIp: '10.42.0.2' });
    let state: SwimState = 'alive';
    let now = 1_000_000;
    const log = recordingLogger();
    const peers = new MeshPeers({
      wg: wg as unknown as WireguardInterface,
      privateKey: key.toString('base64'),
      publicKey,
      listenPort: 51820,
      addressCidr: '10.42.0.1/16',
      seeds: [],
      members: () => [member],
      swimState: () => state,
      gate: new MemberGate(log),
      log,
      now: () => now,
    });
    await peers.start();
    try {
      assert.equal(wg.passes, 1, 'one pass on start');
      // suspected, alive again, then dead within the grace period: still a peer each time
      for (const s of ['suspect', 'alive', 'dead'] as const) {
        state = s;
        peers.poke();
        await peers.refresh(true, 'changed'); // queued behind the poke's pass: both have run when it resolves
      }
      assert.equal(wg.passes, 1, 'no pass read the interface');
      assert.deepEqual(peers.peers().map((p) => p.overlayIp), ['10.42.0.2']);

      now += MESH_PEER_REMOVE_GRACE_MS + 1; // dead past the grace period: no longer a peer
      peers.poke();
      await until(() => peers.peers().length === 0, 'the dead member removed');
      assert.equal(wg.passes, 2, 'the poke that removed a peer read the interface');
      assert.deepEqual(wg.peers, []);

      await peers.refresh(true);
      assert.equal(wg.passes, 3, 'a full pass reads the interface though nothing changed');
    } finally {
      peers.stop();
    }
  });
});
