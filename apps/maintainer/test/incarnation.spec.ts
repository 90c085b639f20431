// The incarnation file: start one above the saved bound, and never gossip an incarnation the file does not cover.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, encode, INCARNATION_RESERVE, MAX_INCARNATION, MAX_INCARNATION_STEP, SwimRunner, type PacketHandler, type Transport } from '@fortros/swim';
import { IncarnationFileError } from '../src/errors.js';
import { INCARNATION_FILE, IncarnationStore } from '../src/node/incarnation.js';
import { until, withTempDir } from './org-helpers.js';


/**
 * A transport that checks, at the instant each packet leaves, that the incarnation file already covers every
 * incarnation of this node the packet carries: what a kill -9 at that instant would restart from.
 */
class CheckingTransport implements Transport {
  readonly address = 'self:1';
  handler: PacketHandler = () => {};
  /** [incarnation carried, bound on disk] for each update about this node sent. */
  readonly seen: [number, number][] = [];
  constructor(private readonly file: string) {}
  send(_address: string, packet: Uint8Array): void {
    const r = decode(packet);
    if (!r.ok) return;
    const carried = r.message.type === 'sync' ? r.message.members.filter((m) => m.id === 'self') : r.message.updates.filter((u) => u.id === 'self');
    const onDisk = Number(readFileSync(this.file, 'utf8'));
    for (const u of carried) this.seen.push([u.incarnation, onDisk]);
  }
  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

describe('incarnation file', () => {
  it('starts at 0 on first boot and one above the saved bound after, writing nothing itself', async () => {
    await withTempDir(async (dir) => {
      assert.equal(await new IncarnationStore(dir).next(), 0);
      await assert.rejects(readFile(join(dir, INCARNATION_FILE)), { code: 'ENOENT' });
      const store = new IncarnationStore(dir);
      await store.next();
      await store.save(70);
      await store.save(12); // lower: ignored
      assert.equal(await readFile(join(dir, INCARNATION_FILE), 'utf8'), '70\n');
      assert.equal(await new IncarnationStore(dir).next(), 71);
    });
  });

  it('refuses a damaged file naming it, and never starts above MAX_INCARNATION', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, INCARNATION_FILE);
      for (const bad of ['', 'seven', '-1', '99999999999', `${MAX_INCARNATION + 1}`]) {
        await writeFile(file, bad);
        await assert.rejects(new IncarnationStore(dir).next(), (err: Error) => err instanceof IncarnationFileError && err.message.includes(file));
      }
      await writeFile(file, `${MAX_INCARNATION}\n`);
      assert.equal(await new IncarnationStore(dir).next(), MAX_INCARNATION);
    });
  });

  it('with the SWIM runner: every incarnation gossiped is covered on disk when it leaves, so a restart is above it', async () => {
    await withTempDir(async (dir) => {
      const store = new IncarnationStore(dir);
      const transport = new CheckingTransport(join(dir, INCARNATION_FILE));
      const options = { probeIntervalMs: 50, probeTimeoutMs: 20, gossipIntervalMs: 10, joinRetryMs: 50 };
      const runner = new SwimRunner({ id: 'self', transport, incarnation: await store.next(), incarnationStore: store, seeds: ['seed:1'], options });
      await runner.start();
      try {
        // rumours about this node, each far above the last: every refutation jumps past the reserve saved so far
        const peer = { kind: 'alive' as const, id: 'peer', incarnation: 0, name: 'peer', address: 'peer:1', meta: {} };
        for (let i = 1; i <= 5; i++) {
          const rumour = runner.swim!.incarnation + INCARNATION_RESERVE * 3;
          transport.handler('peer:1', encode({ type: 'gossip', from: 'peer', updates: [peer, { kind: 'suspect', id: 'self', incarnation: rumour, from: 'peer' }] }));
          // refutations are at most one per REFUTE_MIN_GAP_MS: a rumour right after one is outbid when the gap ends
          await until(() => runner.swim!.incarnation === rumour + 1, `refutation ${i}`);
          await until(() => transport.seen.some(([inc]) => inc === rumour + 1), `refutation ${i} gossiped`);
        }
      } finally {
        await runner.stop();
      }
      const highest = Math.max(...transport.seen.map(([inc]) => inc));
      for (const [inc, onDisk] of transport.seen) assert.ok(inc <= onDisk, `incarnation ${inc} sent while the file held ${onDisk}`);
      assert.ok((await new IncarnationStore(dir).next()) > highest, 'a restart starts above everything gossiped');
    });
  });

  it('at the ceiling: forged rumours at 0xFFFFFFFF write nothing above MAX_INCARNATION, cause no save loop, and the node restarts there', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, INCARNATION_FILE);
      await writeFile(file, `${MAX_INCARNATION - 2 * INCARNATION_RESERVE}\n`);
      const store = new IncarnationStore(dir);
      let saves = 0;
      const counting = { save: (bound: number) => (saves++, store.save(bound)) };
      const transport = new CheckingTransport(file);
      const runner = new SwimRunner({ id: 'self', transport, incarnation: await store.next(), incarnationStore: counting, options: { gossipIntervalMs: 10 } });
      await runner.start();
      try {
        const peer = { kind: 'alive' as const, id: 'peer', incarnation: 0, name: 'peer', address: 'peer:1', meta: {} };
        for (const incarnation of [0xffffffff, MAX_INCARNATION, MAX_INCARNATION - 1, runner.swim!.incarnation + MAX_INCARNATION_STEP]) {
          transport.handler('peer:1', encode({ type: 'gossip', from: 'peer', updates: [peer, { kind: 'dead', id: 'self', incarnation, from: 'peer' }] }));
        }
        // (a save loop at the ceiling would starve the event loop, and this poll with it)
        await until(() => runner.swim!.incarnation === MAX_INCARNATION, 'the node to reach the ceiling by plausible steps');
        await until(() => transport.seen.some(([inc]) => inc === MAX_INCARNATION), 'the refutation at the ceiling gossiped');
        assert.ok(saves < 10, `saves stay bounded at the ceiling, got ${saves}`);
      } finally {
        await runner.stop();
      }
      assert.equal(Number(await readFile(file, 'utf8')), MAX_INCARNATION);
      assert.equal(await new IncarnationStore(dir).next(), MAX_INCARNATION, 'a restart at the ceiling works');
    });
  });
});
