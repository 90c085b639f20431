// On-disk framing of the org store: file headers and CRC-checked records, encoded and scanned (pure, no I/O).
import { crc32 } from 'node:zlib';
import { ORG_STORE_MAX_RECORD_BYTES } from '../constants.js';

/*
 * Every store file = 8-byte header (4-byte magic, u32be format version 1) followed by records.
 * Record = u32be payload length (1..ORG_STORE_MAX_RECORD_BYTES) ‖ u32be CRC-32 (IEEE, zlib's) ‖ payload,
 * where the CRC covers the 4 length bytes and then the payload. The payload is one yjs update (v1 encoding).
 *   org.log       magic "FOLG": records are updates in the order they were made durable.
 *   org.snapshot  magic "FOSN": exactly one record, Y.encodeStateAsUpdate of the whole document.
 */
export const LOG_MAGIC = 'FOLG';
export const SNAPSHOT_MAGIC = 'FOSN';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 8;
export const RECORD_OVERHEAD_BYTES = 8;

export function encodeHeader(magic: string): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write(magic, 0, 4, 'latin1');
  b.writeUInt32BE(FORMAT_VERSION, 4);
  return b;
}

/** Null when `buf` starts with a valid header of `magic`, else what is wrong. */
export function checkHeader(buf: Uint8Array, magic: string): string | null {
  if (buf.length < HEADER_BYTES) return `file shorter than its ${HEADER_BYTES}-byte header (${buf.length} bytes)`;
  const b = Buffer.from(buf.buffer, buf.byteOffset, HEADER_BYTES);
  if (b.toString('latin1', 0, 4) !== magic) return `bad magic ${JSON.stringify(b.toString('latin1', 0, 4))}, expected ${magic}`;
  const version = b.readUInt32BE(4);
  if (version !== FORMAT_VERSION) return `unsupported format version ${version}`;
  return null;
}

export function encodeRecord(payload: Uint8Array): Buffer {
  if (payload.length === 0 || payload.length > ORG_STORE_MAX_RECORD_BYTES) {
    throw new RangeError(`record payload: expected 1..${ORG_STORE_MAX_RECORD_BYTES} bytes, got ${payload.length}`);
  }
  const out = Buffer.allocUnsafe(RECORD_OVERHEAD_BYTES + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(recordCrc(out.subarray(0, 4), payload), 4);
  out.set(payload, RECORD_OVERHEAD_BYTES);
  return out;
}

function recordCrc(lengthBytes: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(lengthBytes)) >>> 0;
}

export interface ScanResult {
  /** Payloads of the complete, CRC-valid records, in order, each with its file offset. */
  records: { offset: number; payload: Uint8Array }[];
  /** Offset just past the last good record: where a damaged tail starts, or the buffer's length. */
  goodEnd: number;
  /** Why scanning stopped before the end (short record, bad length, bad CRC), or null. */
  problem: string | null;
}

/** Reads records from `start` until the end or the first damaged one. */
export function scanRecords(buf: Uint8Array, start: number): ScanResult {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: ScanResult['records'] = [];
  let pos = start;
  while (pos < buf.length) {
    if (buf.length - pos < RECORD_OVERHEAD_BYTES) {
      return { records, goodEnd: pos, problem: `short record header (${buf.length - pos} bytes)` };
    }
    const length = view.getUint32(pos);
    const crc = view.getUint32(pos + 4);
    if (length === 0 || length > ORG_STORE_MAX_RECORD_BYTES) {
      return { records, goodEnd: pos, problem: `bad record length ${length}` };
    }
    if (buf.length - pos - RECORD_OVERHEAD_BYTES < length) {
      return { records, goodEnd: pos, problem: `short record: ${length} bytes declared, ${buf.length - pos - RECORD_OVERHEAD_BYTES} present` };
    }
    const payload = buf.subarray(pos + RECORD_OVERHEAD_BYTES, pos + RECORD_OVERHEAD_BYTES + length);
    if (recordCrc(buf.subarray(pos, pos + 4), payload) !== crc) {
      return { records, goodEnd: pos, problem: 'CRC mismatch' };
    }
    records.push({ offset: pos, payload });
    pos += RECORD_OVERHEAD_BYTES + length;
  }
  return { records, goodEnd: pos, problem: null };
}
