// Incarnation persistence: the runner never sends an incarnation above the saved bound, and keeps the bound ahead.
import assert from 'node:assert/strict';
import { decode, encode, IncarnationGuard, incarnationBound, INCARNATION_RESERVE, INCARNATION_SAVE_RETRY_MS, MAX_HELD_PACKETS, MAX_INCARNATION, SwimRunner } from '../src/index.js';
import type { IncarnationStore, PacketHandler, SendAction, Transport, Update } from '../src/index.js';

/** A store whose saves stay pending until the test settles them. */
class ManualStore implements IncarnationStore {
  readonly saves: { bound: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  durable = -1;
  save(bound: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.saves.push({ bound, resolve: () => ((this.durable = Math.max(this.durable, bound)), resolve()), reject });
    });
  }
  /** The one pending save (bounds are saved one at a time). */
  get pending(): { bound: number; resolve: () => void; reject: (err: Error) => void } {
    assert.ok(this.saves.length > 0, 'a save was asked for');
    return this.saves.at(-1)!;
  }
}

/** A transport that records what is sent and lets the test deliver packets. */
class RecordingTransport implements Transport {
  readonly address = 'self:1';
  readonly sent: SendAction[] = [];
  handler: PacketHandler = () => {};
  send(address: string, packet: Uint8Array): void {
    this.sent.push({ address, packet });
  }
  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** Polls `pred` until it holds or the deadline passes (no fixed sleeps standing in for synchronisation). */
async function settle(pred: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const packet = (address: string): SendAction => ({ address, packet: new Uint8Array([1]) });
const selfIncarnations = (sent: readonly SendAction[]): number[] =>
  sent.flatMap((s) => {
    const r = decode(s.packet);
    if (!r.ok) return [];
    const updates: readonly Update[] = r.message.type === 'sync' ? [] : r.message.updates;
    return updates.filter((u) => u.id === 'self').map((u) => u.incarnation);
  });

describe('incarnation persistence', () => {
  it('bounds are INCARNATION_RESERVE ahead, capped at MAX_INCARNATION but never below the incarnation', () => {
    assert.equal(incarnationBound(0), INCARNATION_RESERVE);
    assert.equal(incarnationBound(MAX_INCARNATION - 1), MAX_INCARNATION);
    assert.equal(incarnationBound(MAX_INCARNATION + 5), MAX_INCARNATION + 5);
  });

  describe('IncarnationGuard', () => {
    let incarnation: number;
    let now: number;
    let store: ManualStore;
    let sent: SendAction[];
    let errors: string[];
    let guard: IncarnationGuard;
    beforeEach(async () => {
      incarnation = 10;
      now = 0;
      store = new ManualStore();
      sent = [];
      errors = [];
      const log = (msg: string): void => void errors.push(msg);
      guard = new IncarnationGuard({ store, incarnation: () => incarnation, send: (s) => sent.push(s), clock: () => now, logger: { debug() {}, info() {}, warn() {}, error: log } });
      const started = guard.start(incarnation);
      store.pending.resolve();
      await started;
      assert.equal(store.durable, 10 + INCARNATION_RESERVE);
    });

    it('sends at once while the incarnation is within the saved bound, saving nothing', () => {
      incarnation = 10 + INCARNATION_RESERVE / 2;
      guard.send([packet('a'), packet('b')]);
      assert.deepEqual(sent.map((s) => s.address), ['a', 'b']);
      assert.equal(store.saves.length, 1);
    });

    it('saves a new bound ahead once less than half the reserve is left, without holding anything', async () => {
      incarnation = 11 + INCARNATION_RESERVE / 2;
      guard.send([packet('a')]);
      assert.deepEqual(sent.map((s) => s.address), ['a']);
      assert.equal(store.pending.bound, incarnation + INCARNATION_RESERVE);
      store.pending.resolve();
      await settle(() => store.durable === incarnation + INCARNATION_RESERVE, 'the new bound durable');
    });

    it('holds packets, in order, while the incarnation is above the durable bound, and sends them once it is saved', async () => {
      incarnation = 10 + INCARNATION_RESERVE + 5;
      guard.send([packet('a')]);
      guard.send([packet('b'), packet('c')]);
      assert.equal(sent.length, 0);
      assert.equal(store.saves.length, 2, 'one save at a time');
      // the incarnation rises again during the save: the first bound no longer covers it, a second save follows
      incarnation += INCARNATION_RESERVE + 1;
      store.pending.resolve();
      await settle(() => store.saves.length === 3, 'a second save');
      assert.equal(sent.length, 0);
      assert.equal(store.pending.bound, incarnation + INCARNATION_RESERVE);
      store.pending.resolve();
      await settle(() => sent.length === 3, 'the held packets sent');
      assert.deepEqual(sent.map((s) => s.address), ['a', 'b', 'c']);
      guard.send([packet('d')]);
      assert.deepEqual(sent.map((s) => s.address), ['a', 'b', 'c', 'd']);
    });

    it('keeps packets held after a failed save, logs it, and retries after INCARNATION_SAVE_RETRY_MS', async () => {
      incarnation = 10 + INCARNATION_RESERVE + 1;
      guard.send([packet('a')]);
      store.pending.reject(new Error('EIO'));
      await settle(() => errors.length === 1, 'the failure logged');
      guard.send([packet('b')]);
      assert.equal(store.saves.length, 2, 'no retry before the delay');
      now += INCARNATION_SAVE_RETRY_MS;
      guard.send([]);
      assert.equal(store.saves.length, 3);
      assert.equal(sent.length, 0);
      store.pending.resolve();
      await settle(() => sent.length === 2, 'the held packets sent');
      assert.deepEqual(sent.map((s) => s.address), ['a', 'b']);
    });

    it('holds at most MAX_HELD_PACKETS, dropping the oldest, and drops all on stop', async () => {
      incarnation = 10 + INCARNATION_RESERVE + 1;
      for (let i = 0; i < MAX_HELD_PACKETS + 3; i++) guard.send([packet(`p${i}`)]);
      assert.equal(guard.dropped, 3);
      store.pending.resolve();
      await settle(() => sent.length === MAX_HELD_PACKETS, 'the held packets sent');
      assert.equal(sent[0]!.address, 'p3');
      incarnation += INCARNATION_RESERVE * 2;
      guard.send([packet('late')]);
      guard.stop();
      store.pending.resolve();
      await settle(() => store.saves.every((s) => store.durable >= s.bound), 'the save settled');
      guard.send([packet('after-stop')]);
      assert.equal(sent.length, MAX_HELD_PACKETS);
    });
  });

  describe('SwimRunner with an incarnationStore', () => {
    const runners: SwimRunner[] = [];
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
    });

    it('saves the first bound before sending anything, and sends a refutation past it only once a higher bound is durable', async () => {
      const store = new ManualStore();
      const transport = new RecordingTransport();
      const options = { probeIntervalMs: 100, probeTimeoutMs: 40, gossipIntervalMs: 20, joinRetryMs: 100 };
      const runner = new SwimRunner({ id: 'self', transport, incarnation: 3, incarnationStore: store, seeds: ['seed:1'], options });
      runners.push(runner);
      const started = runner.start();
      await settle(() => store.saves.length === 1, 'the first bound asked for');
      assert.equal(store.pending.bound, 3 + INCARNATION_RESERVE);
      assert.equal(transport.sent.length, 0, 'nothing sent before the bound is durable');
      store.pending.resolve();
      await started;
      assert.ok(transport.sent.length > 0, 'the join went out');

      // a peer suspects us at the saved bound: the refutation (bound + 1) must wait for a bound above it
      const bound = store.durable;
      transport.sent.length = 0;
      const out = runner.swim!.stats.packetsOut;
      const peer: Update = { kind: 'alive', id: 'peer', incarnation: 0, name: 'peer', address: 'peer:1', meta: {} };
      transport.handler('peer:1', encode({ type: 'gossip', from: 'peer', updates: [peer, { kind: 'suspect', id: 'self', incarnation: bound, from: 'peer' }] }));
      assert.equal(runner.swim!.incarnation, bound + 1);
      assert.equal(store.pending.bound, bound + 1 + INCARNATION_RESERVE);
      await settle(() => runner.swim!.stats.packetsOut > out + 2, 'the core sent packets after the refutation');
      assert.equal(transport.sent.length, 0, 'held until the bound is durable');
      store.pending.resolve();
      await settle(() => selfIncarnations(transport.sent).includes(bound + 1), 'the refutation sent');
      assert.ok(selfIncarnations(transport.sent).every((i) => i <= store.durable), 'never above the durable bound');
    });
  });
});
