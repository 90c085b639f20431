// The org document's durable store: a snapshot plus an append-only, fsynced, group-committed update log.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import { ORG_STORE_COMPACT_LOG_BYTES, ORG_STORE_MAX_PENDING_BYTES } from '../constants.js';
import { OrgStoreClosedError, OrgStoreCorruptError, OrgStoreFailedError } from '../errors.js';
import type { OrgDurability } from './org-doc.js';
import { writeAll, writeFileDurably } from './store-files.js';
import { HEADER_BYTES, RECORD_OVERHEAD_BYTES, SNAPSHOT_MAGIC, encodeHeader, encodeRecord } from './store-format.js';
import { LOG_FILE, SNAPSHOT_FILE, recoverStore, writeFreshLog } from './store-recovery.js';

/*
 * Files in `dir` (framing in store-format.ts): org.snapshot (may be absent), org.log, *.tmp leftovers.
 *
 * Write path: every doc update is framed into the pending batch; one writer at a time writes the whole batch
 * with one write + fdatasync, then resolves every append/flush waiting on it (group commit). If the pending
 * bytes exceed ORG_STORE_MAX_PENDING_BYTES the batch's records are dropped and it is written as a snapshot
 * instead (the document already holds every update in it). A failed write or fsync fails the store for good.
 *
 * Compaction (when org.log passes compactLogBytes), run by the writer so no append interleaves:
 *   1. S = Y.encodeStateAsUpdate(doc) — a superset of everything in org.log.
 *   2. write S to org.snapshot.tmp, fsync, rename to org.snapshot, fsync dir.
 *   3. write a bare header to org.log.tmp, fsync, rename to org.log, fsync dir; append to the new log from now on.
 *
 * Recovery rule (open): delete *.tmp; apply org.snapshot if present (it only ever appears whole, by rename, so a bad
 * one is real damage: refuse to open); then apply every record of org.log up to the first damaged one, truncate
 * the log there (fsync) and warn with the offset. Yjs updates are idempotent and commute, so applying a log whose
 * records are already in the snapshot is harmless. A crash before step 2's rename leaves old snapshot + old log;
 * between the two renames, new snapshot + old log; after, new snapshot + new log: complete in every case.
 * Only the last batch can be torn, and it was never acknowledged.
 */

/** Transaction origin of updates loaded from disk (they are not written back). */
export const STORE_ORIGIN: object = Object.freeze({ store: 'org' });

/** Transaction origin of updates handed to append(). */
const APPEND_ORIGIN: object = Object.freeze({ store: 'append' });

export interface OrgStoreOptions {
  /** Directory of the store (`<root>/persist/maintainer/`); created if missing. */
  dir: string;
  doc: Y.Doc;
  log: Logger;
  compactLogBytes?: number;
  maxPendingBytes?: number;
}

export interface OrgStoreStats {
  appends: number;
  batches: number;
  compactions: number;
  logBytes: number;
  /** Bytes of damaged log tail dropped when opening. */
  truncatedBytes: number;
}

interface Batch {
  records: Buffer[];
  bytes: number;
  /** Too many bytes queued: write a snapshot instead of these records. */
  overflow: boolean;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

type State = 'closed' | 'opening' | 'open' | 'closing';

export class OrgStore implements OrgDurability {
  private readonly dir: string;
  private readonly doc: Y.Doc;
  private readonly log: Logger;
  private readonly compactLogBytes: number;
  private readonly maxPendingBytes: number;
  private state: State = 'closed';
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private fh: FileHandle | null = null;
  private pending: Batch | null = null;
  private inflight: Batch | null = null;
  private writer: Promise<void> | null = null;
  private compactRequested = false;
  private failure: OrgStoreFailedError | null = null;
  private readonly counters: OrgStoreStats = { appends: 0, batches: 0, compactions: 0, logBytes: 0, truncatedBytes: 0 };
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORE_ORIGIN) return;
    if (this.state === 'open' || this.state === 'opening') void this.enqueue(update);
    else this.log.warn('org store: update while closed, not persisted', { dir: this.dir, bytes: update.length });
  };

  constructor(options: OrgStoreOptions) {
    this.dir = options.dir;
    this.doc = options.doc;
    this.log = options.log;
    this.compactLogBytes = options.compactLogBytes ?? ORG_STORE_COMPACT_LOG_BYTES;
    this.maxPendingBytes = options.maxPendingBytes ?? ORG_STORE_MAX_PENDING_BYTES;
  }

  /** Loads snapshot and log into the doc (recovering a torn tail), then persists every later doc update. */
  open(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closing') return (this.closing ?? Promise.resolve()).then(() => this.open());
    this.opening ??= this.doOpen().finally(() => (this.opening = null));
    return this.opening;
  }

  /** Waits for every queued update to be durable, then stops persisting. */
  close(): Promise<void> {
    if (this.state === 'closed' && this.opening === null) return Promise.resolve();
    this.closing ??= this.doClose().finally(() => (this.closing = null));
    return this.closing;
  }

  /**
   * Applies `update` to the doc and resolves once it is durable. Updates made to the doc directly are persisted
   * the same way (through its 'update' event); await `flush()` after them before acknowledging.
   */
  append(update: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.state !== 'open' && this.state !== 'opening') return Promise.reject(new OrgStoreClosedError(this.dir));
    Y.applyUpdate(this.doc, update, APPEND_ORIGIN);
    return this.flush();
  }

  /** Resolves once every update made so far is durable; rejects if that can no longer happen. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.state !== 'open' && this.state !== 'opening') return Promise.reject(new OrgStoreClosedError(this.dir));
    return this.pending?.done ?? this.inflight?.done ?? Promise.resolve();
  }

  /** Writes a snapshot and starts a fresh log now (normally automatic past compactLogBytes). */
  compact(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new OrgStoreClosedError(this.dir));
    const batch = this.pendingBatch();
    batch.overflow = true;
    batch.records = [];
    batch.bytes = 0;
    this.kick();
    return batch.done;
  }

  stats(): OrgStoreStats {
    return { ...this.counters };
  }

  // ---- open / close ----

  private async doOpen(): Promise<void> {
    if (this.closing) await this.closing.catch(() => undefined);
    this.state = 'opening';
    this.failure = null;
    this.doc.on('update', this.onUpdate);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const { snapshot, records, truncatedBytes } = await recoverStore(this.dir, this.log);
      this.counters.truncatedBytes += truncatedBytes;
      Y.transact(
        this.doc,
        () => {
          if (snapshot) this.applyOrThrow(SNAPSHOT_FILE, HEADER_BYTES, snapshot);
          for (const r of records) this.applyOrThrow(LOG_FILE, r.offset, r.payload);
        },
        STORE_ORIGIN,
        false,
      );
      this.fh = await open(join(this.dir, LOG_FILE), 'a', 0o600);
      this.counters.logBytes = (await this.fh.stat()).size;
      this.state = 'open';
      this.log.info('org store: opened', { dir: this.dir, snapshot: snapshot !== null, logRecords: records.length });
      if (this.counters.logBytes > this.compactLogBytes) this.compactRequested = true;
      this.kick();
    } catch (err) {
      this.doc.off('update', this.onUpdate);
      this.state = 'closed';
      this.rejectPending(new OrgStoreClosedError(this.dir));
      await this.fh?.close().catch(() => undefined);
      this.fh = null;
      throw err;
    }
  }

  private async doClose(): Promise<void> {
    if (this.opening) await this.opening.catch(() => undefined);
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.doc.off('update', this.onUpdate);
    this.kick();
    while (this.writer) await this.writer;
    await this.fh?.close().catch((err: unknown) => this.log.warn('org store: closing the log failed', { dir: this.dir, err }));
    this.fh = null;
    this.state = 'closed';
  }

  private applyOrThrow(file: string, offset: number, payload: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, payload, STORE_ORIGIN);
    } catch (err) {
      throw new OrgStoreCorruptError(join(this.dir, file), `record at offset ${offset} is not a valid update (${(err as Error).message})`);
    }
  }

  // ---- write path ----

  private pendingBatch(): Batch {
    if (this.pending) return this.pending;
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    done.catch(() => undefined); // waiters get the rejection; an unwatched batch must not crash the process
    this.pending = { records: [], bytes: 0, overflow: false, done, resolve, reject };
    return this.pending;
  }

  private rejectPending(err: Error): void {
    this.pending?.reject(err);
    this.pending = null;
  }

  private enqueue(update: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const batch = this.pendingBatch();
    this.counters.appends++;
    if (!batch.overflow && batch.bytes + RECORD_OVERHEAD_BYTES + update.length > this.maxPendingBytes) {
      batch.overflow = true; // too much queued (or one huge update): the snapshot will carry it all
      batch.records = [];
      batch.bytes = 0;
    } else if (!batch.overflow) {
      const record = encodeRecord(update);
      batch.records.push(record);
      batch.bytes += record.length;
    }
    this.kick();
    return batch.done;
  }

  private kick(): void {
    if (this.writer || (this.state !== 'open' && this.state !== 'closing')) return;
    if (!this.pending && !this.compactRequested) return;
    this.writer = this.drain().finally(() => {
      this.writer = null;
      if (this.pending && !this.failure) this.kick();
    });
  }

  /** The single writer: takes the pending batch, makes it durable, repeats; compacts when the log is too big. */
  private async drain(): Promise<void> {
    while ((this.pending || this.compactRequested) && !this.failure) {
      const batch = this.pending;
      this.pending = null;
      this.inflight = batch;
      try {
        if (batch && !batch.overflow) {
          await writeAll(this.handle(), Buffer.concat(batch.records, batch.bytes));
          await this.handle().datasync();
          this.counters.logBytes += batch.bytes;
          this.counters.batches++;
        }
        if (batch?.overflow || this.compactRequested || this.counters.logBytes > this.compactLogBytes) {
          await this.compactNow();
        }
        batch?.resolve();
      } catch (err) {
        this.failure = new OrgStoreFailedError(this.dir, err);
        this.log.error('org store: write failed; refusing further writes', { dir: this.dir, err });
        batch?.reject(this.failure);
        this.rejectPending(this.failure);
      } finally {
        this.inflight = null;
      }
    }
  }

  private async compactNow(): Promise<void> {
    this.compactRequested = false;
    this.log.debug('org store: compaction started', { dir: this.dir, logBytes: this.counters.logBytes });
    const state = Y.encodeStateAsUpdate(this.doc);
    await writeFileDurably(this.dir, SNAPSHOT_FILE, Buffer.concat([encodeHeader(SNAPSHOT_MAGIC), encodeRecord(state)]));
    this.log.debug('org store: compaction step', { dir: this.dir, step: 'snapshot-installed' });
    await writeFreshLog(this.dir);
    this.log.debug('org store: compaction step', { dir: this.dir, step: 'log-replaced' });
    const old = this.fh;
    this.fh = await open(join(this.dir, LOG_FILE), 'a', 0o600);
    await old?.close();
    this.counters.logBytes = HEADER_BYTES;
    this.counters.compactions++;
    this.log.debug('org store: compaction finished', { dir: this.dir, snapshotBytes: state.length });
  }

  private handle(): FileHandle {
    if (!this.fh) throw new OrgStoreClosedError(this.dir);
    return this.fh;
  }
}
