// A full disk: the store turns read-only (writes refused naming the store and ENOSPC, reads and peer updates still work), and writable again when space returns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { OrgStoreFullError } from '../src/errors.js';
import { OrgDocument, peerOrigin } from '../src/org/org-doc.js';
import { OrgStore } from '../src/org/org-store.js';
import { processSpec, recordingLogger, until } from './org-helpers.js';

/** Size of the tmpfs the store lives on: small, so filling it is quick. */
const TMPFS_BYTES = 1024 * 1024;
const FILL_CHUNK_BYTES = 64 * 1024;

/** Writes zeros to `file` until the file system says ENOSPC (big chunks, then single bytes to take the last page). */
async function fill(file: string): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for (const size of [FILL_CHUNK_BYTES, 4096, 1]) {
      const buf = Buffer.alloc(size);
      for (;;) {
        try {
          await fh.write(buf);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await fh.close();
  }
}

describe('org: full disk', function () {
  this.timeout(60_000);
  let mnt = '';
  let mounted = false;

  before(async function () {
    if (process.getuid?.() !== 0) {
      this.skip(); // mounting a tmpfs needs root; this test runs as root in CI
    }
    mnt = await mkdtemp(join(tmpdir(), 'tr-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES},mode=0700`, 'tmpfs', mnt], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      await rmdir(mnt);
      throw new Error(`cannot mount a tmpfs at ${mnt} (needs root and mount permission): ${(err as Error).message}`, { cause: err });
    }
  });

  after(async () => {
    if (mounted) execFileSync('umount', [mnt], { stdio: 'pipe' });
    if (mnt) await rmdir(mnt).catch(() => undefined);
  });

  it('refuses writes with OrgStoreFullError while full, keeps serving reads and peer updates, and writes again once space returns', async () => {
    const dir = join(mnt, 'persist', 'maintainer');
    const log = recordingLogger();
    const doc = new Y.Doc();
    const store = new OrgStore({ dir, doc, log });
    await store.open();
    const org = new OrgDocument({ doc, log, durability: store });
    try {
      await org.putWorkload(processSpec('before'));
      await fill(join(mnt, 'filler'));
      // The log's last page may still take a few records: write until the disk says no.
      let refused: unknown;
      for (let i = 0; i < 1000 && refused === undefined; i++) {
        await org.putWorkload(processSpec(`w${i}`, { args: ['x'.repeat(1000)] })).catch((err: unknown) => (refused = err));
      }
      assert.ok(refused instanceof OrgStoreFullError, `a write was refused with OrgStoreFullError, got ${String(refused)}`);
      assert.ok(refused.message.includes(dir) && refused.message.includes('ENOSPC'), refused.message);
      assert.equal(store.stats().readOnly, true);
      // Later writes are refused before they touch the document.
      await assert.rejects(org.putWorkload(processSpec('during')), OrgStoreFullError);
      assert.equal(org.getWorkload('during'), undefined);
      assert.ok(store.stats().writesRefused >= 2);
      // Reads are served, and a peer's update still applies (sync keeps working).
      assert.equal(org.getWorkload('before')?.id, 'before');
      const peer = new OrgDocument({ log: recordingLogger() });
      await peer.putWorkload(processSpec('from-peer'));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer.doc), peerOrigin('peer-x'));
      assert.equal(org.getWorkload('from-peer')?.id, 'from-peer');
      assert.ok(log.records.some((r) => r.level === 'error' && r.msg.includes('disk full')), 'the full disk is logged');

      // Space returns: the store leaves read-only by itself and accepts writes.
      await rm(join(mnt, 'filler'));
      await until(() => !store.stats().readOnly, 'the store to be writable again');
      await org.putWorkload(processSpec('after'));
    } finally {
      await store.close();
    }
    // Everything acknowledged, and what arrived from the peer while full, is on disk.
    const doc2 = new Y.Doc();
    const again = new OrgStore({ dir, doc: doc2, log: recordingLogger() });
    await again.open();
    const ids = new OrgDocument({ doc: doc2, log: recordingLogger() }).listWorkloads().map((w) => w.id);
    await again.close();
    for (const id of ['before', 'from-peer', 'after']) assert.ok(ids.includes(id), `${id} survived a reopen (${ids.length} workloads)`);
    assert.ok(!ids.includes('during'));
  });
});
