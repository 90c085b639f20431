// File primitives of the org store: read-if-present, full writes, atomic durable replace, durable truncate.
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export const TMP_SUFFIX = '.tmp';

export async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes all of `buf` at the handle's position (the end, for an append handle). */
export async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** fsyncs a directory, making renames and creations in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Atomically replaces dir/name: write name.tmp, fsync, rename over name, fsync dir. */
export async function writeFileDurably(dir: string, name: string, data: Buffer): Promise<void> {
  const tmp = join(dir, name + TMP_SUFFIX);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await writeAll(fh, data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  await syncDir(dir);
}

/** Cuts `file` to `length` bytes and fsyncs it. */
export async function truncateDurably(file: string, length: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
