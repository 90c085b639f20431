// Types of the org store: its options, its stats, and one group-commit batch (records waiting for one write + fdatasync).
import type * as Y from 'yjs';
import type { Logger } from '@fortros/log';

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
  /** Writes refused because the disk was full. */
  writesRefused: number;
  /** True while the disk is full (read-only). */
  readOnly: boolean;
}

export interface Batch {
  records: Buffer[];
  bytes: number;
  /** Too many bytes queued: write a snapshot instead of these records. */
  overflow: boolean;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  done.catch(() => undefined); // waiters get the rejection; an unwatched batch must not crash the process
  return { records: [], bytes: 0, overflow: false, done, resolve, reject };
}
