// The disk side of one service log: append whole lines to `current`, rotate to `@<tai64n>.s`, keep n files.
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_CURRENT_FILE, LOG_DIR_MODE, LOG_FILE_MODE } from './constants.js';
import { nanosFromTai64n, rotatedLabel, rotatedName, tai64nFromNanos } from '@fortros/log';

export interface AppendResult {
  /** How many of the given lines are now whole in a file (a prefix of them). */
  written: number;
  error?: unknown;
}

/** Rotated files of `dir`, oldest first (TAI64N labels sort chronologically as strings). */
export async function listRotated(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => rotatedLabel(n) !== undefined).sort();
}

/** Not safe for concurrent calls: RotatingLog serialises every call through its one I/O chain. */
export class LogDirectory {
  private fh: FileHandle | undefined;
  private size = 0;
  /** Rotated file names, oldest first. */
  private rotated: string[] = [];
  private lastLabelNs = -1n;

  constructor(
    readonly dir: string,
    private readonly maxFileBytes: number,
    private readonly maxFiles: number,
    private readonly nowMs: () => number,
  ) {}

  /** Append `lines` (each a whole encoded line ending in a newline), rotating between lines as needed. */
  async append(lines: readonly Buffer[]): Promise<AppendResult> {
    let written = 0;
    try {
      if (this.fh === undefined) await this.open();
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for (const line of lines) {
        if (this.size + batchBytes > 0 && this.size + batchBytes + line.length > this.maxFileBytes) {
          await this.writeAll(this.fh!, batch, batchBytes);
          written += batch.length;
          batch = [];
          batchBytes = 0;
          await this.rotate();
        }
        batch.push(line);
        batchBytes += line.length;
      }
      await this.writeAll(this.fh!, batch, batchBytes);
      written += batch.length;
      return { written };
    } catch (error) {
      return { written, error };
    }
  }

  /** Forget the open file after a failure: the next append reopens (and repairs a cut last line). */
  async reset(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }

  private async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: LOG_DIR_MODE });
    this.rotated = await listRotated(this.dir);
    const newest = this.rotated.at(-1);
    if (newest !== undefined) this.lastLabelNs = nanosFromTai64n(rotatedLabel(newest)!)!;
    await this.prune();
    const fh = await open(join(this.dir, LOG_CURRENT_FILE), 'a+', LOG_FILE_MODE);
    try {
      this.size = (await fh.stat()).size;
      if (this.size > 0) {
        // A crash can leave a cut last line: end it, so the next line starts whole on its own line.
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, this.size - 1);
        if (last[0] !== 0x0a) await this.writeAll(fh, [Buffer.from('\n')], 1);
      }
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
    this.fh = fh;
  }

  private async writeAll(fh: FileHandle, parts: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await fh.write(buf, offset, buf.length - offset, null);
      offset += bytesWritten;
      this.size += bytesWritten;
    }
  }

  /** svlogd: make `current` durable, rename it `@<now>.s`, start a new `current`, remove the oldest beyond n. */
  private async rotate(): Promise<void> {
    const fh = this.fh!;
    this.fh = undefined;
    try {
      await fh.datasync();
    } finally {
      await fh.close();
    }
    let ns = BigInt(Math.max(0, Math.floor(this.nowMs()))) * 1_000_000n;
    if (ns <= this.lastLabelNs) ns = this.lastLabelNs + 1n; // unique, increasing names even within one ms
    const name = rotatedName(tai64nFromNanos(ns));
    await rename(join(this.dir, LOG_CURRENT_FILE), join(this.dir, name));
    this.lastLabelNs = ns;
    this.rotated.push(name);
    await this.prune();
    this.fh = await open(join(this.dir, LOG_CURRENT_FILE), 'a+', LOG_FILE_MODE);
    this.size = 0;
  }

  private async prune(): Promise<void> {
    while (this.rotated.length > this.maxFiles) {
      const oldest = this.rotated[0]!;
      try {
        await unlink(join(this.dir, oldest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      this.rotated.shift();
    }
  }
}
