// Files a daemon makes once and keeps (keys, identities): written whole to a private temp file, fsynced, then linked
// into place, so the file is never half-written and one that exists (made by a concurrent start) is never replaced.
import { randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** fsync a directory, making a name created or removed in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, fsc.O_RDONLY | fsc.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Create `path` holding `data` with exactly `mode` (the umask cannot narrow it), durably: temp file (O_EXCL,
 * O_NOFOLLOW) in the same directory, fsync, link to `path` (fails if it exists, unlike rename), unlink the temp,
 * fsync the directory. Returns false, leaving the existing file alone, when `path` already exists. The directory
 * must exist. The temp file is removed on every path out.
 */
export async function createFileOnce(path: string, data: string | Uint8Array, mode: number): Promise<boolean> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, mode);
    try {
      await fh.chmod(mode);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDirectory(dir);
  return true;
}
