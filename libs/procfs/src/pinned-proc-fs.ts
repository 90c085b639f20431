// ProcFs that keeps /proc/PID/stat open for the pids it read last: a read is one pread instead of open, read, close.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PINNED_STAT_FILES, PROC_STAT_READ_BYTES } from './constants.js';
import { ProcessGoneError } from './errors.js';
import { parseProcStat, ProcFs, type ProcStat } from './proc-stat.js';

function gone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/**
 * Answers exactly like ProcFs: `stat(pid)` is the process holding `pid` now. An open /proc/PID/stat stays bound to
 * the process it was opened for: once that process is gone (reaped, its pid perhaps reused) a read fails with ESRCH,
 * and the file is closed and opened afresh, so a reused pid is read as the new process, never as the old one.
 * At most `maxOpen` files stay open (least recently used closed first); `close()` closes them all.
 */
export class PinnedProcFs extends ProcFs {
  /** pid → fd, least recently used first (Map order is insertion order; a hit re-inserts). */
  private readonly open = new Map<number, number>();
  private readonly buf = Buffer.alloc(PROC_STAT_READ_BYTES);

  constructor(
    root = '/proc',
    readonly maxOpen = MAX_PINNED_STAT_FILES,
  ) {
    super(root);
    if (!Number.isInteger(maxOpen) || maxOpen < 1) throw new TypeError(`PinnedProcFs maxOpen: expected a positive integer, got ${maxOpen}`);
  }

  /** Files held open now (≤ maxOpen). */
  get size(): number {
    return this.open.size;
  }

  override stat(pid: number): ProcStat {
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new ProcessGoneError(`no process has pid ${pid}`, pid);
    const held = this.open.get(pid);
    if (held !== undefined) {
      this.open.delete(pid);
      const text = this.readAt(held);
      if (text !== undefined) {
        this.open.set(pid, held);
        return parseProcStat(text, pid);
      }
      closeSync(held); // the process it was opened for is gone: ask about whoever holds the pid now
    }
    let fd: number;
    try {
      fd = openSync(join(this.root, String(pid), 'stat'), 'r');
    } catch (err) {
      if (gone(err)) throw new ProcessGoneError(`process ${pid} is gone`, pid);
      throw err;
    }
    let text: string | undefined;
    try {
      text = this.readAt(fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    if (text === undefined) {
      closeSync(fd);
      throw new ProcessGoneError(`process ${pid} is gone`, pid);
    }
    this.keep(pid, fd);
    return parseProcStat(text, pid);
  }

  /** Close every file held open. The instance stays usable (files are opened again as needed). */
  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }

  /** The whole file from offset 0; undefined when its process is gone. */
  private readAt(fd: number): string | undefined {
    let n: number;
    try {
      n = readSync(fd, this.buf, 0, this.buf.length, 0);
    } catch (err) {
      if (gone(err)) return undefined;
      throw err;
    }
    if (n === this.buf.length) throw new RangeError(`/proc stat: longer than ${this.buf.length} bytes`);
    return this.buf.toString('utf8', 0, n);
  }

  private keep(pid: number, fd: number): void {
    if (this.open.size >= this.maxOpen) {
      const [oldPid, oldFd] = this.open.entries().next().value as [number, number];
      this.open.delete(oldPid);
      closeSync(oldFd);
    }
    this.open.set(pid, fd);
  }
}
