// `tail`: the last n lines of a service log, read backwards in chunks across `current` and the rotated files.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_CURRENT_FILE, LOG_READ_CHUNK_BYTES } from './constants.js';
import { listRotated } from './log-directory.js';
import { parseLine } from './log-line.js';
import type { LogEntry } from './service-log.js';

/**
 * The last `n` lines of the log in `dir`, oldest first. A line without a timestamp (a file written by something
 * else) is kept, dated like the next newer line (or its file's modification time).
 */
export async function readTail(dir: string, n: number, maxLineBytes: number, signal?: AbortSignal): Promise<LogEntry[]> {
  const newestFirst: LogEntry[] = [];
  if (n <= 0) return newestFirst;
  const files = [LOG_CURRENT_FILE, ...(await listRotated(dir)).reverse()];
  for (const name of files) {
    signal?.throwIfAborted();
    await tailFile(join(dir, name), n - newestFirst.length, maxLineBytes, newestFirst, signal);
    if (newestFirst.length >= n) break;
  }
  return newestFirst.reverse();
}

/** Push up to `want` lines of one file onto `out`, newest first. A missing file has no lines. */
async function tailFile(path: string, want: number, maxLineBytes: number, out: LogEntry[], signal?: AbortSignal): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const stat = await fh.stat();
    let pos = stat.size;
    let at = stat.mtime;
    let taken = 0;
    const emit = (raw: Buffer): void => {
      const entry = parseLine(raw.toString('utf8')) ?? { at, line: raw.toString('utf8') };
      at = entry.at;
      out.push(entry);
      taken++;
    };
    let carry: Buffer = Buffer.alloc(0); // the start of a line whose end was read already
    let first = true;
    while (pos > 0 && taken < want) {
      signal?.throwIfAborted();
      const len = Math.min(LOG_READ_CHUNK_BYTES, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(chunk, got, len - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      let data = carry.length === 0 ? chunk.subarray(0, got) : Buffer.concat([chunk.subarray(0, got), carry]);
      let end = data.length;
      if (first) {
        first = false;
        if (end > 0 && data[end - 1] === 0x0a) end--; // the newline ending the last line
      }
      while (end > 0 && taken < want) {
        const nl = data.lastIndexOf(0x0a, end - 1);
        if (nl === -1) break;
        emit(data.subarray(nl + 1, end));
        end = nl;
      }
      data = data.subarray(0, end);
      // A "line" longer than any we write is not ours: cut it rather than hold a whole foreign file.
      if (data.length > maxLineBytes * 2 + LOG_READ_CHUNK_BYTES && taken < want) {
        emit(data.subarray(data.length - maxLineBytes));
        data = Buffer.alloc(0);
      }
      carry = Buffer.from(data);
    }
    if (pos === 0 && carry.length > 0 && taken < want) emit(carry);
  } finally {
    await fh.close();
  }
}
