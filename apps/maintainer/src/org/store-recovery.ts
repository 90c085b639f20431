// Reading the org store back at open: snapshot and log checked, a damaged log tail cut off (recovery rule in org-store.ts).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@fortros/log';
import { OrgStoreCorruptError } from '../errors.js';
import { TMP_SUFFIX, readIfExists, truncateDurably, writeFileDurably } from './store-files.js';
import { HEADER_BYTES, LOG_MAGIC, SNAPSHOT_MAGIC, checkHeader, encodeHeader, scanRecords } from './store-format.js';

export const SNAPSHOT_FILE = 'org.snapshot';
export const LOG_FILE = 'org.log';

export interface Recovered {
  /** The snapshot's update, or null when there is none yet. */
  snapshot: Uint8Array | null;
  /** The log's intact records, in order, with their offsets. */
  records: { offset: number; payload: Uint8Array }[];
  /** Bytes of damaged tail cut from the log. */
  truncatedBytes: number;
}

/** Removes temp leftovers, reads the snapshot, reads and repairs the log (creating it when absent). */
export async function recoverStore(dir: string, log: Logger): Promise<Recovered> {
  await rm(join(dir, SNAPSHOT_FILE + TMP_SUFFIX), { force: true });
  await rm(join(dir, LOG_FILE + TMP_SUFFIX), { force: true });
  const snapshot = await readSnapshot(join(dir, SNAPSHOT_FILE));
  const file = join(dir, LOG_FILE);
  const buf = await readIfExists(file);
  if (buf === null) {
    await writeFreshLog(dir);
    return { snapshot, records: [], truncatedBytes: 0 };
  }
  const bad = checkHeader(buf, LOG_MAGIC);
  if (bad) throw new OrgStoreCorruptError(file, bad);
  const scan = scanRecords(buf, HEADER_BYTES);
  let truncatedBytes = 0;
  if (scan.problem) {
    truncatedBytes = buf.length - scan.goodEnd;
    log.warn('org store: damaged log tail truncated', { file, offset: scan.goodEnd, droppedBytes: truncatedBytes, problem: scan.problem });
    await truncateDurably(file, scan.goodEnd);
  }
  return { snapshot, records: scan.records, truncatedBytes };
}

/** Atomically replaces the log with an empty one (a bare header). */
export function writeFreshLog(dir: string): Promise<void> {
  return writeFileDurably(dir, LOG_FILE, encodeHeader(LOG_MAGIC));
}

async function readSnapshot(file: string): Promise<Uint8Array | null> {
  const buf = await readIfExists(file);
  if (buf === null) return null;
  const bad = checkHeader(buf, SNAPSHOT_MAGIC);
  if (bad) throw new OrgStoreCorruptError(file, bad);
  const scan = scanRecords(buf, HEADER_BYTES);
  const only = scan.records[0];
  if (scan.problem || scan.records.length !== 1 || only === undefined) {
    throw new OrgStoreCorruptError(file, scan.problem ?? `expected one record, found ${scan.records.length}`);
  }
  return only.payload;
}
