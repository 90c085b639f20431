// Forged high-incarnation messages: neither a stranger's packet nor a member's may evict a node, spin it or stop it restarting.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { encode, MAX_INCARNATION, MAX_INCARNATION_STEP, Simulator, SwimNode, SwimRunner, UdpTransport, parseAddress, seededRandom } from '../src/index.js';
import type { IncarnationStore, Update } from '../src/index.js';
import { until } from './until.js';

const fast = { probeIntervalMs: 100, probeTimeoutMs: 40, gossipIntervalMs: 50, joinRetryMs: 100 };

/** An in-memory store that records every bound saved, resolving on a later turn like a real fsync. */
class CountingStore implements IncarnationStore {
  saves = 0;
  highest = -1;
  async save(bound: number): Promise<void> {
    this.saves++;
    await new Promise((r) => setImmediate(r));
    this.highest = Math.max(this.highest, bound);
  }
}

const forged = (victim: string, from: string, kinds: readonly Update['kind'][], incarnation: number): Uint8Array => {
  const updates: Update[] = kinds.map((kind) =>
    kind === 'alive' ? { kind, id: victim, incarnation, name: victim, address: '127.0.0.1:9', meta: {} } : kind === 'left' ? { kind, id: victim, incarnation } : { kind, id: victim, incarnation, from },
  );
  return encode({ type: 'gossip', from, updates });
};

describe('forged incarnations', function () {
  this.timeout(30_000);
  const runners: SwimRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  it('one forged `dead` at 0xFFFFFFFF over real UDP: the node stays alive everywhere, keeps reading, persists nothing above the ceiling', async () => {
    const stores = [new CountingStore(), new CountingStore(), new CountingStore()];
    const spawn = async (i: number, seeds: string[]): Promise<SwimRunner> => {
      const r = new SwimRunner({ id: `fg-${i}`, transport: new UdpTransport({ bind: '127.0.0.1:0' }), seeds, options: fast, incarnationStore: stores[i]! });
      runners.push(r);
      await r.start();
      return r;
    };
    const a = await spawn(0, []);
    const seed = a.swim!.member('fg-0')!.address;
    const b = await spawn(1, [seed]);
    const c = await spawn(2, [seed]);
    const all = [a, b, c];
    await until(() => all.every((r) => r.members().filter((m) => m.state === 'alive').length === 3), 10_000, 'three alive members');

    const attacker = createSocket('udp4');
    await new Promise<void>((r) => attacker.bind(0, '127.0.0.1', () => r()));
    try {
      for (const r of all) {
        const to = parseAddress(r.swim!.member(r.swim!.id)!.address);
        for (const kinds of [['dead'], ['suspect'], ['left'], ['alive'], ['dead', 'alive']] as const) {
          attacker.send(forged('fg-1', 'fg-2', kinds, 0xffffffff), to.port, to.host);
        }
      }
      // The victim keeps reading its socket: fresh pings are still answered, probes keep succeeding.
      const probes = b.swim!.stats.probes;
      await until(() => b.swim!.stats.probes >= probes + 5, 10_000, 'the victim to keep probing');
      await until(() => all.every((r) => r.swim!.stats.implausible > 0), 5_000, 'every node to count the forged updates');
    } finally {
      attacker.close();
    }
    for (const r of all) assert.equal(r.members().find((m) => m.id === 'fg-1')!.state, 'alive', `${r.swim!.id} holds fg-1 alive`);
    assert.ok(b.swim!.incarnation < MAX_INCARNATION_STEP, `victim incarnation ${b.swim!.incarnation} not pushed up`);
    assert.ok(stores[1]!.saves < 10, `saves bounded, got ${stores[1]!.saves}`);
    assert.ok(stores[1]!.highest <= MAX_INCARNATION);
  });

  it('a member walking a node up: each step bounded, refutations rate-limited, at the ceiling the node stays and can restart', () => {
    let now = 0;
    const node = new SwimNode({ id: 'v', address: 'v:1', random: seededRandom(1) }, now);
    node.step({ type: 'join', seeds: [] }, now);
    let refuted = 0;
    for (let i = 0; i < 200; i++) {
      const inc = Math.min(0xffffffff, node.incarnation + MAX_INCARNATION_STEP);
      const out = node.step({ type: 'packet', from: 'm:1', data: forged('v', 'm', ['dead'], inc) }, now);
      refuted += out.events.filter((e) => e.type === 'self:incarnation').length;
    }
    assert.ok(refuted <= 1, `refutations within one instant are bounded, got ${refuted}`);
    // At the ceiling: a node that starts at MAX_INCARNATION ignores what it cannot outbid and never goes past it.
    const top = new SwimNode({ id: 'v', address: 'v:1', random: seededRandom(2), incarnation: MAX_INCARNATION }, 0);
    for (let t = 0; t < 50; t++) {
      now = t * 1_000;
      top.step({ type: 'packet', from: 'm:1', data: forged('v', 'm', ['dead', 'suspect'], MAX_INCARNATION) }, now);
      assert.ok(top.incarnation <= MAX_INCARNATION);
    }
    assert.ok(top.stats.incarnationCeiling > 0, 'ceiling hits counted');
    // And it can restart there (the saved bound is never above the ceiling).
    assert.doesNotThrow(() => new SwimNode({ id: 'v', address: 'v:1', random: seededRandom(3), incarnation: Math.min(MAX_INCARNATION, top.incarnation + 1) }, 0));
  });

  it('simulator: a member forging high-incarnation rumours about one node does not evict it', () => {
    const sim = new Simulator({ seed: 7, nodes: 16 });
    sim.startAll(0, 500);
    assert.ok(sim.runUntilConverged(20_000) !== undefined, 'converged');
    const victim = 5;
    const liar = 9;
    for (let t = 0; t < 50; t++) {
      sim.at(sim.now + t * 100, () => {
        for (let i = 0; i < sim.size; i++) {
          const inc = (sim.node(victim)?.incarnation ?? 0) + MAX_INCARNATION_STEP + 1 + t;
          sim.forge(liar, i, forged(sim.id(victim), sim.id(liar), ['dead'], 0xffffffff));
          sim.forge(liar, i, forged(sim.id(victim), sim.id(liar), ['dead'], inc));
        }
      });
    }
    sim.runFor(10_000);
    for (let i = 0; i < sim.size; i++) if (i !== victim) assert.equal(sim.metrics.viewOf(i, victim), 'alive', `node ${i} holds the victim alive`);
    assert.ok(sim.node(victim)!.incarnation < MAX_INCARNATION_STEP, `victim incarnation ${sim.node(victim)!.incarnation}`);
    assert.deepEqual(sim.metrics.falseDeaths, []);
  });
});
