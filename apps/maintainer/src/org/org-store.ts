// The org document's durable store: a snapshot plus an append-only, fsynced, group-committed update log.
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import { ORG_STORE_COMPACT_LOG_BYTES, ORG_STORE_MAX_PENDING_BYTES } from '../constants.js';
import { OrgStoreClosedError, OrgStoreCorruptError, OrgStoreFailedError } from '../errors.js';
import { type Batch, type OrgStoreOptions, type OrgStoreStats, newBatch } from './store-types.js';

export type { OrgStoreOptions, OrgStoreStats } from './store-types.js';
import { DiskFull, diskFullCode } from './store-full.js';
import type { OrgDurability } from './org-doc.js';
import { TMP_SUFFIX, writeAll, writeFileDurably } from './store-files.js';
import { HEADER_BYTES, RECORD_OVERHEAD_BYTES, SNAPSHOT_MAGIC, encodeHeader, encodeRecord } from './store-format.js';
import { LOG_FILE, SNAPSHOT_FILE, recoverStore, writeFreshLog } from './store-recovery.js';

/*
 * Files in `dir` (framing in store-format.ts): org.snapshot (may be absent), org.log, *.tmp leftovers.
 *
 * Write path: every doc update is framed into the pending batch; one writer at a time writes the whole batch
 * with one write + fdatasync, then resolves every append/flush waiting on it (group commit). If the pending
 * bytes exceed ORG_STORE_MAX_PENDING_BYTES the batch's records are dropped and it is written as a snapshot
 * instead (the document already holds every update in it). Any other failed write or fsync fails the store for good.
 *
 * Compaction, the recovery rule (why every crash point is safe) and the full-disk (read-only) mode: PROTOCOL.md.
 * A full disk (ENOSPC, EDQUOT) makes the store read-only (store-full.ts) instead of failing it.
 */

/** Transaction origin of updates loaded from disk (they are not written back). */
export const STORE_ORIGIN: object = Object.freeze({ store: 'org' });

/** Transaction origin of updates handed to append(). */
const APPEND_ORIGIN: object = Object.freeze({ store: 'append' });

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
  /** Read-only while the disk is full: writes are refused, a whole-document snapshot is retried until one fits. */
  private readonly full: DiskFull;
  private readonly counters: Omit<OrgStoreStats, 'readOnly' | 'writesRefused'> = { appends: 0, batches: 0, compactions: 0, logBytes: 0, truncatedBytes: 0 };
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORE_ORIGIN) return;
    if (this.full.error) return; // in memory only; the snapshot that ends the full state carries it
    if (this.state === 'open' || this.state === 'opening') void this.enqueue(update);
    else this.log.warn('org store: update while closed, not persisted', { dir: this.dir, bytes: update.length });
  };

  constructor(options: OrgStoreOptions) {
    this.dir = options.dir;
    this.doc = options.doc;
    this.log = options.log;
    this.compactLogBytes = options.compactLogBytes ?? ORG_STORE_COMPACT_LOG_BYTES;
    this.maxPendingBytes = options.maxPendingBytes ?? ORG_STORE_MAX_PENDING_BYTES;
    this.full = new DiskFull({
      dir: this.dir,
      log: this.log,
      attempt: () => this.snapshotWhileFull(),
      onFailure: (err) => {
        this.failure = new OrgStoreFailedError(this.dir, err);
        this.log.error('org store: write failed; refusing further writes', { dir: this.dir, err });
      },
    });
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
    if (this.full.error) return Promise.reject(this.full.refuse());
    if (this.state !== 'open' && this.state !== 'opening') return Promise.reject(new OrgStoreClosedError(this.dir));
    Y.applyUpdate(this.doc, update, APPEND_ORIGIN);
    return this.flush();
  }

  /** Resolves once every update made so far is durable; rejects if that can no longer happen. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.full.error) return Promise.reject(this.full.refuse());
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

  /** Throws OrgStoreFullError while the disk is full (the document calls it before a local write). */
  checkWritable(): void {
    if (this.full.error) throw this.full.refuse();
  }

  stats(): OrgStoreStats {
    return { ...this.counters, writesRefused: this.full.refused, readOnly: this.full.error !== null };
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
    this.full.stop();
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
    return (this.pending ??= newBatch());
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
        const code = diskFullCode(err);
        if (code) {
          this.full.enter(code);
          batch?.reject(this.full.refuse());
          if (this.pending) this.rejectPending(this.full.refuse());
          this.compactRequested = false;
          continue;
        }
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

  /** One attempt to leave the full state: a snapshot of everything, run as the writer (idle while full). */
  private async snapshotWhileFull(): Promise<void> {
    while (this.writer) await this.writer.catch(() => undefined);
    const attempt = this.compactNow().catch(async (err: unknown) => {
      await Promise.all([SNAPSHOT_FILE, LOG_FILE].map((f) => rm(join(this.dir, f + TMP_SUFFIX), { force: true }).catch(() => undefined)));
      throw err;
    });
    this.writer = attempt.catch(() => undefined);
    try {
      await attempt;
    } finally {
      this.writer = null;
    }
  }

  private handle(): FileHandle {
    if (!this.fh) throw new OrgStoreClosedError(this.dir);
    return this.fh;
  }
}
