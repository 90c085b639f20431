// Reads a workload's log directory as its anchor's s6-log writes it (init's format, apps/init/src/log/FORMAT.md:
// `current` plus rotated `@<tai64n>.s` files, lines `@<tai64n> text`): the last N lines, then new ones as written.
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dateFromTai64n, rotatedLabel, TAI64N_LENGTH } from '@fortros/log';
import { LOG_FOLLOW_POLL_MS, LOG_LINE_MAX_BYTES, LOG_READ_CHUNK_BYTES } from '../constants.js';

export interface WorkloadLogLine {
  at: Date;
  line: string;
}

const CURRENT = 'current';

/** One stored line; a line without a stamp (not written by s6-log) is dated `fallback`. */
function parseLine(raw: string, fallback: Date): WorkloadLogLine {
  const text = raw.length > LOG_LINE_MAX_BYTES ? raw.slice(0, LOG_LINE_MAX_BYTES) : raw;
  if (text.length > TAI64N_LENGTH && text.charCodeAt(TAI64N_LENGTH) === 0x20) {
    const at = dateFromTai64n(text.slice(0, TAI64N_LENGTH));
    if (at) return { at, line: text.slice(TAI64N_LENGTH + 1) };
  }
  return { at: fallback, line: text };
}

async function linesOf(path: string): Promise<string[]> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const text = (await fh.readFile()).toString('utf8');
    return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  } finally {
    await fh.close();
  }
}

/** The last `n` lines of the log in `dir`, oldest first (rotated files read newest first until n are found). */
export async function tailLog(dir: string, n: number): Promise<WorkloadLogLine[]> {
  if (n <= 0) return [];
  const rotated = (await readdir(dir)).filter((f) => rotatedLabel(f) !== undefined).sort();
  const out: string[] = [];
  for (const name of [CURRENT, ...rotated.reverse()]) {
    const lines = await linesOf(join(dir, name));
    out.unshift(...lines.slice(Math.max(0, lines.length - (n - out.length))));
    if (out.length >= n) break;
  }
  const now = new Date();
  return out.map((l) => parseLine(l, now));
}

/**
 * New lines of `dir/current` from its present end, until `signal` aborts. A rotation (s6-log renames `current` and
 * opens a new one) is followed: the old file is read to its end first, then the new one from its start.
 */
export async function* followLog(dir: string, signal: AbortSignal): AsyncGenerator<WorkloadLogLine> {
  const path = join(dir, CURRENT);
  let fh: FileHandle | undefined;
  let pos = 0;
  let carry = '';
  const openCurrent = async (atEnd: boolean): Promise<void> => {
    try {
      fh = await open(path, 'r');
      pos = atEnd ? (await fh.stat()).size : 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fh = undefined;
    }
  };
  await openCurrent(true);
  try {
    while (!signal.aborted) {
      if (fh === undefined) await openCurrent(false);
      if (fh !== undefined) {
        const buf = Buffer.alloc(LOG_READ_CHUNK_BYTES);
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          const lines = (carry + buf.toString('utf8', 0, bytesRead)).split('\n');
          carry = lines.pop()!.slice(0, LOG_LINE_MAX_BYTES * 2);
          for (const l of lines) yield parseLine(l, new Date());
          continue;
        }
        const held = await fh.stat();
        const now = await stat(path).catch(() => undefined);
        if (now !== undefined && now.ino !== held.ino) {
          await fh.close(); // rotated, and the old file is read to its end
          await openCurrent(false);
          continue;
        }
      }
      await sleep(LOG_FOLLOW_POLL_MS, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await fh?.close();
  }
}
