// The node's WireGuard private key file (persist/wireguard/private.key): created atomically with mode 0600 when
// absent; refused, with the reason, when its mode is looser than 0600 or it is not one base64 key.
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createFileOnce } from '@fortros/daemon';
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

/** Write a new key durably, never replacing a file (createFileOnce); false when another process made it first. */
async function createPrivateKey(path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: KEY_DIR_MODE });
  return createFileOnce(path, `${generatePrivateKey()}\n`, KEY_FILE_MODE);
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
