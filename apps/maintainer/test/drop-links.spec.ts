// The test-only fault wrappers around replication: dropped peers are never chosen, and their links end.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MaintainerV1 } from '@fortros/proto';
import { dropAcceptor, dropDialer, dropDirectory } from '../src/faults/drop-links.js';
import { DropList } from '../src/faults/drop-list.js';
import type { LinkAcceptor } from '../src/replication/replicator.js';
import { recordingLogger, withTempDir } from './org-helpers.js';

type Msg = MaintainerV1.SyncMessage__Output;

/** A stream that yields what is pushed and never ends by itself. */
function openStream(): { push: (from: string) => void; messages: AsyncIterable<Msg> } {
  const items: Msg[] = [];
  let wake: (() => void) | undefined;
  return {
    push: (from) => {
      items.push({ from, payload: Buffer.alloc(0), resync: false });
      wake?.();
    },
    messages: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const m = items.shift();
          if (m) yield m;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    },
  };
}

/** An acceptor that records what reaches it and resolves when its stream ends. */
function recordingAcceptor(seen: string[]): LinkAcceptor {
  return {
    acceptInbound: async (requests) => {
      for await (const m of requests) seen.push(m.from);
    },
  };
}

const addressOf = (id: string): string => `${id}.test:1`;

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('fault wrappers (test-only)', () => {
  it('a dropped peer is no replication peer', () => {
    const drops = new DropList({ dropPeers: [addressOf('b')], dropPeersFile: undefined, log: recordingLogger() });
    const inner = { replicationPeers: () => ['a', 'b'].map((id) => ({ id, orgSyncAddress: addressOf(id) })) };
    assert.deepEqual(dropDirectory(inner, drops, addressOf).replicationPeers().map((p) => p.id), ['a']);
  });

  it('an inbound link whose hello names a dropped peer ends at once, and the drop is counted', async () => {
    const drops = new DropList({ dropPeers: [addressOf('b')], dropPeersFile: undefined, log: recordingLogger() });
    const seen: string[] = [];
    const s = openStream();
    s.push('b');
    await dropAcceptor(recordingAcceptor(seen), drops, addressOf).acceptInbound(s.messages, async () => undefined, new AbortController().signal);
    assert.deepEqual(seen, []);
    assert.equal(drops.dropped, 1);
  });

  it('open links, both ways, end once the drop list names their peer', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'drop');
      const drops = new DropList({ dropPeers: [], dropPeersFile: file, log: recordingLogger() });
      await drops.start();
      try {
        const seen: string[] = [];
        const inbound = openStream();
        const accepted = dropAcceptor(recordingAcceptor(seen), drops, addressOf).acceptInbound(inbound.messages, async () => undefined, new AbortController().signal);
        inbound.push('c');
        await until(() => seen.length === 1, 'the hello of c to pass');

        const outbound = openStream();
        const dialled = dropDialer({ dial: () => ({ transport: { send: async () => undefined, close: () => undefined }, messages: outbound.messages }) }, drops).dial(addressOf('c'));
        const it = dialled.messages[Symbol.asyncIterator]();
        outbound.push('c');
        assert.equal((await it.next()).value?.from, 'c', 'messages pass while c is not dropped');

        await writeFile(file, `${addressOf('c')}\n`);
        await accepted; // the inbound stream ended
        assert.equal((await it.next()).done, true, 'the outbound stream ended');
        assert.deepEqual(seen, ['c']);
      } finally {
        drops.stop();
      }
    });
  });
});
