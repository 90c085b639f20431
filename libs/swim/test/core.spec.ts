import assert from 'node:assert/strict';
import { decode, encode, normaliseSwimOptions, REFUTE_MIN_GAP_MS, seededRandom, suspicionBounds, suspicionTimeout, SwimNode, SwimOptionsError } from '../src/index.js';
import type { SwimOutput, Update } from '../src/index.js';
import { SwimState } from '../src/core/state.js';
import { SUSPICION_MAX_MULT, SUSPICION_MIN_MULT } from '../src/constants.js';

const opts = { probeIntervalMs: 1000, probeTimeoutMs: 500 };
const mk = (id = 'a', extra: { incarnation?: number; options?: object } = {}): SwimNode =>
  new SwimNode({ id, address: `${id}:1`, random: seededRandom(7), incarnation: extra.incarnation, options: { ...opts, ...extra.options } }, 0);
const alive = (id: string, incarnation = 0): Update => ({ kind: 'alive', id, incarnation, name: id, address: `${id}:1`, meta: {} });
const gossip = (node: SwimNode, now: number, ...updates: Update[]): SwimOutput => node.step({ type: 'packet', from: 'x:1', data: encode({ type: 'gossip', from: 'x', updates }) }, now);
const types = (out: SwimOutput): string[] => out.events.map((e) => e.type);
/** Every update piggybacked on the given sends. */
const sentUpdates = (out: SwimOutput): Update[] => out.sends.flatMap((s) => {
  const r = decode(s.packet);
  return r.ok && r.message.type !== 'sync' ? [...r.message.updates] : [];
});
const peers = (n: number): Update[] => Array.from({ length: n }, (_, i) => alive(`p${i}`));

describe('core rules', () => {
  it('suspicion timeout is max with no confirmation, shrinks with each, and reaches min at k (Lifeguard)', () => {
    const { minMs, maxMs } = suspicionBounds(32, 500, 3, 6);
    assert.equal(Math.round(minMs), Math.round(3 * Math.log10(32) * 500));
    assert.equal(maxMs, 6 * minMs);
    const t = [0, 1, 2, 3, 4].map((c) => suspicionTimeout(c, 3, minMs, maxMs));
    assert.equal(t[0], Math.floor(maxMs));
    assert.ok(t[0]! > t[1]! && t[1]! > t[2]! && t[2]! > t[3]!);
    assert.equal(t[3], minMs);
    assert.equal(t[4], minMs);
    assert.equal(suspicionTimeout(0, 0, minMs, maxMs), minMs, 'k = 0 (tiny cluster) means min at once');
  });

  it('declares a suspect dead at the min timeout once k independent confirmations arrive, not before', () => {
    const confirmed = mk();
    const lone = mk();
    for (const n of [confirmed, lone]) gossip(n, 0, ...peers(12));
    assert.deepEqual(types(gossip(confirmed, 100, { kind: 'suspect', id: 'p0', incarnation: 0, from: 'p1' })), ['member:suspect']);
    gossip(lone, 100, { kind: 'suspect', id: 'p0', incarnation: 0, from: 'p1' });
    gossip(confirmed, 150, ...['p2', 'p3', 'p4', 'p2'].map((from): Update => ({ kind: 'suspect', id: 'p0', incarnation: 0, from })));
    const { minMs } = suspicionBounds(13, 1000, SUSPICION_MIN_MULT, SUSPICION_MAX_MULT); // the defaults mk's node runs with
    const deadAt = (n: SwimNode): number | undefined => {
      for (let t = 200; t <= 100 + 7 * minMs; t += 50) if (n.step({ type: 'tick' }, t).events.some((e) => e.type === 'member:dead')) return t;
      return undefined;
    };
    const t1 = deadAt(confirmed)!;
    assert.ok(t1 >= 100 + minMs && t1 <= 100 + minMs + 50, `dead at ${t1}, min ${minMs}`);
    const t2 = deadAt(lone);
    assert.ok(t2 === undefined || t2 > 100 + 2 * minMs, `a lone suspicion lasts well past min (${t2})`);
  });

  it('refutes a suspicion about itself by bumping its incarnation and gossiping alive', () => {
    const a = mk('a', { incarnation: 4 });
    gossip(a, 0, ...peers(3));
    const out = gossip(a, 10, { kind: 'suspect', id: 'a', incarnation: 4, from: 'p0' });
    assert.deepEqual(out.events.filter((e) => e.type === 'self:incarnation').map((e) => (e as { incarnation: number }).incarnation), [5]);
    assert.equal(a.incarnation, 5);
    const later = a.step({ type: 'tick' }, 1000);
    assert.ok(sentUpdates(later).some((u) => u.kind === 'alive' && u.id === 'a' && u.incarnation === 5));
    gossip(a, 1100, { kind: 'dead', id: 'a', incarnation: 2, from: 'p0' });
    assert.equal(a.incarnation, 5, 'stale rumours are ignored');
  });

  it('a restarted node bumps above any incarnation about itself it hears (no lockout)', () => {
    const a = mk('a', { incarnation: 3 });
    gossip(a, 0, alive('a', 9));
    assert.equal(a.incarnation, 10);
    gossip(a, 1, { kind: 'dead', id: 'a', incarnation: 10, from: 'p0' });
    assert.equal(a.incarnation, 10, 'a second refutation waits REFUTE_MIN_GAP_MS');
    a.step({ type: 'tick' }, REFUTE_MIN_GAP_MS);
    assert.equal(a.incarnation, 11);
    assert.equal(a.stats.refutations, 2);
  });

  it('raises its local health multiplier when probes fail without nacks, and lowers it on acks', () => {
    const a = mk();
    gossip(a, 0, ...peers(5));
    let t = 0;
    for (; t < 20_000; t += 50) a.step({ type: 'tick' }, t);
    assert.ok(a.localHealth > 1, `LHM ${a.localHealth}`);
    assert.ok(a.localHealth <= a.config.lhmMax);
    const before = a.localHealth;
    // Answer every ping from now on.
    for (let i = 0; i < 400 && a.localHealth > 1; i++, t += 50) {
      const out = a.step({ type: 'tick' }, t);
      for (const s of out.sends) {
        const r = decode(s.packet);
        if (r.ok && r.message.type === 'ping') a.step({ type: 'packet', from: s.address, data: encode({ type: 'ack', seq: r.message.seq, from: r.message.target, updates: [] }) }, t + 1);
      }
    }
    assert.ok(a.localHealth < before, `LHM ${before} -> ${a.localHealth}`);
  });

  it('stretches its probe interval by the multiplier', () => {
    const a = mk('a', { options: { reconnectIntervalMs: 0 } });
    gossip(a, 0, ...peers(5));
    const probesIn = (from: number, to: number): number => {
      const before = a.stats.probes;
      for (let t = from; t < to; t += 25) a.step({ type: 'tick' }, t);
      return a.stats.probes - before;
    };
    const early = probesIn(0, 8000);
    probesIn(8000, 40_000);
    const late = probesIn(40_000, 48_000);
    assert.ok(a.localHealth > 2 && late < early, `probes ${early} -> ${late} at LHM ${a.localHealth}`);
  });

  it('piggybacks at most maxPiggybackUpdates per packet, fresh first, each at most retransmit-limit times', () => {
    const a = mk('a', { options: { maxPiggybackUpdates: 5, gossipFanout: 1 } });
    gossip(a, 0, ...peers(8));
    const late = alive('late');
    gossip(a, 1, late);
    const counts = new Map<string, number>();
    let first: Update[] | undefined;
    for (let t = 200; t < 20_000; t += 50) {
      for (const s of a.step({ type: 'tick' }, t).sends) {
        assert.ok(s.packet.length <= a.config.maxPacketBytes);
        const r = decode(s.packet);
        if (!r.ok || r.message.type === 'sync') continue;
        assert.ok(r.message.updates.length <= 5);
        first ??= [...r.message.updates];
        for (const u of r.message.updates) if (u.kind === 'alive') counts.set(u.id, (counts.get(u.id) ?? 0) + 1);
      }
    }
    assert.equal(first![0]!.id, 'late', 'the freshest update goes first');
    const limit = a.config.retransmitMult * Math.ceil(Math.log10(10 + 1));
    for (const [id, c] of counts) assert.ok(c <= limit, `${id} sent ${c} > ${limit}`);
    assert.equal(counts.get('late'), limit);
  });

  it('a graceful leave gossips left with a higher incarnation and stops probing', () => {
    const a = mk();
    const b = mk('b');
    gossip(a, 0, ...peers(2));
    gossip(b, 0, ...peers(2), alive('a'));
    const out = a.step({ type: 'leave' }, 10);
    assert.equal(a.leaving, true);
    const left = a.step({ type: 'tick' }, 400);
    const u = sentUpdates(left).find((x) => x.id === 'a')!;
    assert.deepEqual(u, { kind: 'left', id: 'a', incarnation: 1 });
    assert.ok(types(out).includes('self:incarnation'));
    assert.deepEqual(types(gossip(b, 500, u)), ['member:left']);
    assert.equal(b.member('a')!.state, 'left');
  });

  it('forgets dead members after the retention window', () => {
    const a = mk('a', { options: { deadRetentionMs: 5000 } });
    gossip(a, 0, ...peers(3));
    gossip(a, 10, { kind: 'dead', id: 'p1', incarnation: 0, from: 'p2' });
    assert.equal(a.member('p1')!.state, 'dead');
    a.step({ type: 'tick' }, 4000);
    assert.ok(a.member('p1'));
    a.step({ type: 'tick' }, 6100);
    assert.equal(a.member('p1'), undefined);
  });

  it('normalises options once and names the bad field and value', () => {
    assert.equal(normaliseSwimOptions().probeIntervalMs, 500);
    assert.throws(() => normaliseSwimOptions({ probeIntervalMs: -1 }), (e: unknown) => e instanceof SwimOptionsError && /probeIntervalMs: expected an integer in \[10, 600000\], got -1/.test(e.message));
    assert.throws(() => normaliseSwimOptions({ probeTimeoutMs: 900, probeIntervalMs: 800 }), /expected less than probeIntervalMs \(800\), got 900/);
    assert.throws(() => normaliseSwimOptions({ maxPacketBytes: 9000 }), /maxPacketBytes: expected an integer in \[512, 1400\], got 9000/);
    assert.throws(() => normaliseSwimOptions({ bogus: 1 } as object), /expected one of .*got "bogus"/);
    assert.throws(() => new SwimNode({ id: '', address: 'a:1', random: seededRandom(1) }, 0), /swim node id: expected a non-empty string/);
    assert.throws(() => new SwimNode({ id: 'a', address: 'a:1', random: seededRandom(1), meta: { k: 'v'.repeat(300) } }, 0), /swim node meta\.k: expected a string of at most 255/);
  });
});

describe('join retries', () => {
  it('retries unanswered seeds with a doubling, jittered, capped backoff', () => {
    const n = mk('j', { options: { joinRetryMs: 1000 } });
    const joinSends = (out: SwimOutput): number => out.sends.filter((s) => s.address === 'seed:1').length;
    let now = 0;
    assert.ok(joinSends(n.step({ type: 'join', seeds: ['seed:1'] }, now)) > 0);
    const attempts: number[] = [now];
    while (now < 200_000) {
      now += 100;
      if (joinSends(n.step({ type: 'tick' }, now)) > 0) attempts.push(now);
    }
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    assert.ok(gaps.length >= 6, `several retries: ${gaps.join(',')}`);
    for (let i = 0; i < 4; i++) assert.ok(gaps[i + 1]! > gaps[i]!, `gaps grow: ${gaps.join(',')}`);
    for (const g of gaps) assert.ok(g <= 30_000 * 1.25 + 100, `capped: ${g}`);
    assert.ok(gaps.at(-1)! >= 30_000 * 0.75, `reaches the cap: ${gaps.join(',')}`);
  });
});

describe('probe order', () => {
  it('stays bounded and still reaches every member under a storm of fresh suspicions', () => {
    const st = new SwimState(normaliseSwimOptions({}), seededRandom(3), { id: 'o', name: 'o', address: 'o:1', incarnation: 0, meta: {} }, 0);
    for (let i = 0; i < 12; i++) st.addMember({ id: `p${i}`, name: `p${i}`, address: `p${i}:1`, incarnation: 0, state: 'alive', meta: {}, since: 0 });
    const probed = new Map<string, number>();
    for (let round = 0; round < 2_000; round++) {
      // before every probe, fresh suspicions about three members (never p11) jump the queue
      for (let k = 0; k < 3; k++) st.probeNext(`p${(round * 3 + k) % 11}`);
      const m = st.nextProbeTarget()!;
      probed.set(m.id, round);
      assert.ok(st.probeOrder.length <= 5 * st.members.size + 16, `bounded: ${st.probeOrder.length}`);
    }
    assert.equal(probed.size, 12, 'every member probed');
    assert.ok(probed.get('p11')! > 1_900, 'p11 keeps being probed, not starved by the storm');
  });
});
