// The node's WireGuard private key file (persist/wireguard/private.key): created atomically with mode 0600 when
// absent; refused, with the reason, when its mode is looser than 0600 or it is not one base64 key.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generatePrivateKey, isKey } from '@fortros/wireguard';
import { KEY_DIR_MODE, KEY_FILE_FORBIDDEN_MODE_BITS, KEY_FILE_MAX_BYTES, KEY_FILE_MIN_BYTES, KEY_FILE_MODE } from './constants.js';
import { KeyFileFormatError, KeyFileModeError } from './errors.js';

export interface LoadedKey {
  privateKey: string;
  /** True when this call made the file. */
  created: boolean;
}

/** Read the key at `path`, never following a symlink; checks type, mode, size and format. */
export async function readPrivateKey(path: string): Promise<string> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new KeyFileFormatError(path, 'it is a symbolic link');
    throw err;
  });
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new KeyFileFormatError(path, 'not a regular file');
    if ((st.mode & KEY_FILE_FORBIDDEN_MODE_BITS) !== 0) throw new KeyFileModeError(path, st.mode);
    if (st.size < KEY_FILE_MIN_BYTES || st.size > KEY_FILE_MAX_BYTES) {
      throw new KeyFileFormatError(path, `${st.size} bytes, expected ${KEY_FILE_MIN_BYTES} (a base64 key, optionally with a newline)`);
    }
    const buf = Buffer.alloc(KEY_FILE_MAX_BYTES);
    const { bytesRead } = await fh.read(buf, 0, KEY_FILE_MAX_BYTES, 0);
    const text = buf.subarray(0, bytesRead).toString('latin1');
    const key = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (!isKey(key)) throw new KeyFileFormatError(path, 'expected 32 bytes in base64 (as `wg genkey` writes)');
    return key;
  } finally {
    await fh.close();
  }
}

/** Write a new key to a private temp file, fsync it, then link it into place (never replacing a file). */
async function createPrivateKey(path: string): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, KEY_FILE_MODE);
  try {
    await fh.writeFile(`${generatePrivateKey()}\n`);
    await fh.chmod(KEY_FILE_MODE); // the umask may have narrowed it; never widened
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false; // someone else made it first: theirs is the key
  } finally {
    await unlink(tmp);
  }
  const d = await open(dir, constants.O_RDONLY);
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  return true;
}

/** The private key at `path`, created first when the file does not exist. */
export async function loadOrCreatePrivateKey(path: string): Promise<LoadedKey> {
  let created = false;
  try {
    return { privateKey: await readPrivateKey(path), created };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  created = await createPrivateKey(path);
  return { privateKey: await readPrivateKey(path), created };
}
