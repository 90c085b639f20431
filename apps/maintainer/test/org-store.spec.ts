// The org store: durable appends across reopen, torn/corrupt tail recovery, compaction, group commit.
import assert from 'node:assert/strict';
import { readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import { OrgStoreClosedError, OrgStoreCorruptError } from '../src/errors.js';
import { OrgDocument } from '../src/org/org-doc.js';
import { OrgStore, type OrgStoreOptions } from '../src/org/org-store.js';
import { HEADER_BYTES, RECORD_OVERHEAD_BYTES, scanRecords } from '../src/org/store-format.js';
import { memberRecord, processSpec, recordingLogger, withTempDir, type RecordingLogger } from './org-helpers.js';

interface Opened {
  org: OrgDocument;
  store: OrgStore;
  log: RecordingLogger;
}

async function openOrg(dir: string, options: Partial<OrgStoreOptions> = {}): Promise<Opened> {
  const log = recordingLogger();
  const doc = new Y.Doc();
  const store = new OrgStore({ dir, doc, log, ...options });
  const org = new OrgDocument({ doc, log, durability: store });
  await store.open();
  return { org, store, log };
}

async function writeN(org: OrgDocument, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await org.putWorkload(processSpec(`w${i}`));
}

function ids(org: OrgDocument): string[] {
  return org.listWorkloads().map((w) => w.id).sort();
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `w${from + i}`).sort();
}

/** Offsets of the log's records. */
async function recordOffsets(file: string): Promise<number[]> {
  return scanRecords(await readFile(file), HEADER_BYTES).records.map((r) => r.offset);
}

describe('org: durable store', () => {
  it('persists every acknowledged write across close and reopen', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir);
      await writeN(a.org, 0, 20);
      await a.org.putMember(memberRecord());
      await a.store.close();
      await a.store.close(); // idempotent
      const b = await openOrg(dir);
      assert.deepEqual(b.org.toJSON(), a.org.toJSON());
      await b.store.open(); // idempotent
      await b.store.close();
    }));

  it('append(update) applies and persists a foreign update', () =>
    withTempDir(async (dir) => {
      const other = new OrgDocument({ log: recordingLogger() });
      await other.putWorkload(processSpec('remote'));
      const a = await openOrg(dir);
      await a.store.append(Y.encodeStateAsUpdate(other.doc));
      assert.deepEqual(ids(a.org), ['remote']);
      await a.store.close();
      await assert.rejects(a.store.append(Y.encodeStateAsUpdate(other.doc)), OrgStoreClosedError);
      const b = await openOrg(dir);
      assert.deepEqual(ids(b.org), ['remote']);
      await b.store.close();
    }));

  it('drops a record cut mid-way and keeps every complete one', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir);
      await writeN(a.org, 0, 10);
      await a.store.close();
      const file = join(dir, 'org.log');
      const offsets = await recordOffsets(file);
      assert.equal(offsets.length, 10);
      const size = (await stat(file)).size;
      const cut = offsets[9]! + RECORD_OVERHEAD_BYTES + 3;
      await truncate(file, cut);

      const b = await openOrg(dir);
      assert.deepEqual(ids(b.org), range(0, 9));
      const warn = b.log.records.find((r) => r.level === 'warn');
      assert.equal(warn?.fields.offset, offsets[9]);
      assert.equal(b.store.stats().truncatedBytes, cut - offsets[9]!);
      assert.equal((await stat(file)).size, offsets[9]);
      assert.ok(size > cut);
      // Writing after the repair appends cleanly.
      await writeN(b.org, 10, 12);
      await b.store.close();
      const c = await openOrg(dir);
      assert.deepEqual(ids(c.org), [...range(0, 9), 'w10', 'w11'].sort());
      assert.equal(c.log.records.filter((r) => r.level === 'warn').length, 0);
      await c.store.close();
    }));

  for (const [what, at] of [
    ['a CRC byte of the last record', (o: number[]) => o[o.length - 1]! + 4],
    ['a payload byte of the last record', (o: number[]) => o[o.length - 1]! + RECORD_OVERHEAD_BYTES + 1],
    ['a length byte of the last record', (o: number[]) => o[o.length - 1]!],
  ] as const) {
    it(`drops the tail when ${what} is flipped`, () =>
      withTempDir(async (dir) => {
        const a = await openOrg(dir);
        await writeN(a.org, 0, 8);
        await a.store.close();
        const file = join(dir, 'org.log');
        const buf = await readFile(file);
        const pos = at(await recordOffsets(file));
        buf[pos] = buf[pos]! ^ 0xff;
        await writeFile(file, buf);
        const b = await openOrg(dir);
        assert.deepEqual(ids(b.org), range(0, 7));
        assert.ok(b.log.records.some((r) => r.level === 'warn' && r.msg.includes('truncated')));
        await b.store.close();
      }));
  }

  it('compacts into a snapshot and reopens to the same document', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir, { compactLogBytes: 2048 });
      await writeN(a.org, 0, 60);
      await a.org.deleteWorkload('w7');
      const stats = a.store.stats();
      assert.ok(stats.compactions >= 2, `expected compactions, got ${JSON.stringify(stats)}`);
      assert.ok(stats.logBytes <= 2048 + 1024);
      await a.store.compact();
      assert.equal(a.store.stats().logBytes, HEADER_BYTES);
      await a.org.putWorkload(processSpec('after'));
      await a.store.close();
      assert.deepEqual((await readdir(dir)).sort(), ['org.log', 'org.snapshot']);

      const b = await openOrg(dir);
      assert.deepEqual(b.org.toJSON(), a.org.toJSON());
      assert.deepEqual(Y.encodeStateVector(b.org.doc), Y.encodeStateVector(a.org.doc));
      assert.ok(!ids(b.org).includes('w7'));
      await b.store.close();
    }));

  it('recovers from a crash between the snapshot and the new log (old log replayed on the new snapshot)', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir);
      await writeN(a.org, 0, 5);
      await a.store.close();
      const oldLog = await readFile(join(dir, 'org.log'));
      const b = await openOrg(dir);
      await writeN(b.org, 5, 8);
      await b.store.compact();
      await b.store.close();
      // Simulate: snapshot renamed into place, log not yet replaced; plus a leftover temp file.
      await writeFile(join(dir, 'org.log'), oldLog);
      await writeFile(join(dir, 'org.log.tmp'), 'partial');
      const c = await openOrg(dir);
      assert.deepEqual(ids(c.org), range(0, 8));
      assert.deepEqual((await readdir(dir)).sort(), ['org.log', 'org.snapshot']);
      await c.store.close();
    }));

  it('refuses to open over a damaged snapshot', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir);
      await writeN(a.org, 0, 3);
      await a.store.compact();
      await a.store.close();
      const file = join(dir, 'org.snapshot');
      const buf = await readFile(file);
      buf[buf.length - 1] = buf[buf.length - 1]! ^ 1;
      await writeFile(file, buf);
      const store = new OrgStore({ dir, doc: new Y.Doc(), log: recordingLogger() });
      await assert.rejects(store.open(), (e: unknown) => e instanceof OrgStoreCorruptError && e.message.includes('org.snapshot'));
    }));

  it('group-commits concurrent writes into few fsynced batches', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir);
      await Promise.all(Array.from({ length: 200 }, (_, i) => a.org.putWorkload(processSpec(`w${i}`))));
      const stats = a.store.stats();
      assert.equal(stats.appends, 200);
      assert.ok(stats.batches < 20, `expected few batches, got ${stats.batches}`);
      await a.store.close();
      const b = await openOrg(dir);
      assert.deepEqual(ids(b.org), range(0, 200));
      await b.store.close();
    }));

  it('replaces an overflowing queue by a snapshot', () =>
    withTempDir(async (dir) => {
      const a = await openOrg(dir, { maxPendingBytes: 1024 });
      await Promise.all(Array.from({ length: 100 }, (_, i) => a.org.putWorkload(processSpec(`w${i}`))));
      assert.ok(a.store.stats().compactions >= 1);
      await a.store.close();
      const b = await openOrg(dir);
      assert.deepEqual(ids(b.org), range(0, 100));
      await b.store.close();
    }));
});
