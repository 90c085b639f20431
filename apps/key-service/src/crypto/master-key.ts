// persist/keys/master.key: 32 random bytes, 0600, created atomically on first boot, refused (never replaced) when wrong.
import { NODE_PATHS } from '@fortros/core';
import { createFileOnce } from '@fortros/daemon';
import { constants as fsc, type Stats } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import { MASTER_KEY_BYTES, MASTER_KEY_DIR_MODE, MASTER_KEY_FILE_MODE } from '../constants.js';
import {
  MasterKeyFileError,
  MasterKeyHardLinkError,
  MasterKeyIoError,
  MasterKeyModeError,
  MasterKeyNotRegularFileError,
  MasterKeyOwnerError,
  MasterKeyPathSymlinkError,
  MasterKeySizeError,
} from '../errors.js';
import { masterFingerprint } from './derivation.js';

/** Where the master key lives under `--root`. */
export const MASTER_KEY_RELATIVE_PATH = NODE_PATHS.masterKey;

export interface MasterKey {
  /** The 32 secret bytes, held by OpenSSL; export only to derive. */
  readonly key: KeyObject;
  /** Non-secret fingerprint for logs and Status (see masterFingerprint). */
  readonly fingerprint: string;
  readonly path: string;
  /** True when this call generated the key (first boot). */
  readonly created: boolean;
}

export interface MasterKeyOptions {
  /** The uid that must own the key file and its directory; default: the running uid. */
  uid?: number;
  /** Source of the new key's bytes; default crypto.randomBytes (tests only override). */
  random?: (bytes: number) => Buffer;
}

export function masterKeyPath(root: string): string {
  return join(root, MASTER_KEY_RELATIVE_PATH);
}

const NOT_REPLACED = 'The key was not replaced.';
const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/**
 * Load `<root>/persist/keys/master.key`, creating it when (and only when) it does not exist.
 * Throws a MasterKeyFileError subclass naming the path and the fix; an existing file is never replaced.
 */
export async function loadOrCreateMasterKey(root: string, options: MasterKeyOptions = {}): Promise<MasterKey> {
  const path = masterKeyPath(root);
  const uid = options.uid ?? process.getuid?.() ?? 0;
  await ensureKeyDirectory(dirname(path), uid);
  const existing = await readKeyFile(path, uid, await canonicalKeyPath(root));
  if (existing) return existing;
  return createKeyFile(path, uid, options.random ?? randomBytes);
}

/** Creates persist/ and persist/keys/ as needed; neither may be a symbolic link (refused before anything is made in it). */
async function ensureKeyDirectory(dir: string, uid: number): Promise<void> {
  try {
    await mkdir(dirname(dir), { recursive: true });
  } catch (err) {
    if (code(err) !== 'EEXIST') throw io(dirname(dir), 'could not create the directory', err);
  }
  await refuseSymlink(dirname(dir));
  try {
    await mkdir(dir, { mode: MASTER_KEY_DIR_MODE });
  } catch (err) {
    if (code(err) !== 'EEXIST') throw io(dir, 'could not create the key directory', err);
  }
  await refuseSymlink(dir);
  let st: Stats;
  try {
    st = await lstat(dir);
  } catch (err) {
    throw io(dir, 'could not stat the key directory', err);
  }
  if (!st.isDirectory()) {
    throw new MasterKeyNotRegularFileError(`${dir}: not a directory; expected the key directory. ${NOT_REPLACED}`, dir);
  }
  if (st.uid !== uid) {
    throw new MasterKeyOwnerError(
      `${dir}: owned by uid ${st.uid}; expected uid ${uid}, the uid of fortros-keys (chown ${uid} ${dir}). ${NOT_REPLACED}`,
      dir,
    );
  }
  if ((st.mode & 0o022) !== 0) {
    throw new MasterKeyModeError(
      `${dir}: mode ${octal(st.mode)} lets others replace the key; expected ${octal(MASTER_KEY_DIR_MODE)} ` +
        `(chmod 700 ${dir}). ${NOT_REPLACED}`,
      dir,
    );
  }
}

/**
 * `path` (a directory on the key's path under the root) must not be a symbolic link: through one, the key would be
 * read from, or created in, a directory the checks of persist/keys never looked at.
 */
async function refuseSymlink(path: string): Promise<void> {
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (err) {
    throw io(path, 'could not stat', err);
  }
  if (!st.isSymbolicLink()) return;
  const target = await readlink(path).catch(() => '?');
  throw new MasterKeyPathSymlinkError(
    `${path}: is a symbolic link (to ${target}); the key's path under the root must have none. Replace the link with ` +
      `the directory itself (rm ${path} && mv ${target} ${path}), then restart or SIGHUP fortros-keys. ${NOT_REPLACED}`,
    path,
  );
}

/** Where the key file is once every symlink in the root itself is resolved: what the opened fd must show. */
async function canonicalKeyPath(root: string): Promise<string> {
  try {
    return join(await realpath(root), MASTER_KEY_RELATIVE_PATH);
  } catch (err) {
    throw io(root, 'could not resolve the root', err);
  }
}

/**
 * The file the fd names (/proc/self/fd) must be `expected`: a component swapped for a symlink after the checks
 * above is caught on the fd itself. Skipped where /proc cannot say (not Linux).
 */
async function checkOpenedPath(fh: FileHandle, path: string, expected: string): Promise<void> {
  const opened = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => undefined);
  if (opened === undefined || opened === expected) return;
  throw new MasterKeyPathSymlinkError(
    `${path}: opened as ${opened}, not ${expected}: a directory on its path under the root is a symbolic link; ` +
      `replace it with the directory itself. ${NOT_REPLACED}`,
    path,
  );
}

/** The key, or undefined when the file does not exist. Every check runs on the opened fd (no TOCTOU). */
async function readKeyFile(path: string, uid: number, expected?: string): Promise<MasterKey | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY);
  } catch (err) {
    if (code(err) === 'ENOENT') return undefined;
    if (code(err) === 'ELOOP') {
      throw new MasterKeyNotRegularFileError(
        `${path}: is a symbolic link; expected a regular file (replace the link with the key file itself). ${NOT_REPLACED}`,
        path,
      );
    }
    throw io(path, 'could not open the key file', err);
  }
  const buf = Buffer.alloc(MASTER_KEY_BYTES + 1);
  try {
    const st = await fh.stat();
    checkKeyStats(path, st, uid);
    if (expected !== undefined) await checkOpenedPath(fh, path, expected);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead !== MASTER_KEY_BYTES) throw sizeError(path, bytesRead);
    const key = createSecretKey(buf.subarray(0, MASTER_KEY_BYTES));
    return { key, fingerprint: masterFingerprint(key), path, created: false };
  } catch (err) {
    if (err instanceof MasterKeyFileError) throw err;
    throw io(path, 'could not read the key file', err);
  } finally {
    buf.fill(0);
    await fh.close().catch(() => undefined);
  }
}

function checkKeyStats(path: string, st: Stats, uid: number): void {
  if (!st.isFile()) {
    throw new MasterKeyNotRegularFileError(
      `${path}: is a ${kindOf(st)}; expected a regular file of ${MASTER_KEY_BYTES} bytes. ${NOT_REPLACED}`,
      path,
    );
  }
  if (st.uid !== uid) {
    throw new MasterKeyOwnerError(
      `${path}: owned by uid ${st.uid}; expected uid ${uid}, the uid of fortros-keys (chown ${uid} ${path}). ${NOT_REPLACED}`,
      path,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new MasterKeyModeError(
      `${path}: mode ${octal(st.mode)} is too open; expected ${octal(MASTER_KEY_FILE_MODE)} (chmod 600 ${path}). ` +
        `If others could read it, treat the key as compromised. ${NOT_REPLACED}`,
      path,
    );
  }
  if (st.size !== MASTER_KEY_BYTES) throw sizeError(path, st.size);
  if (st.nlink !== 1) {
    throw new MasterKeyHardLinkError(
      `${path}: has ${st.nlink} names (hard links); expected exactly 1. Another name lets whoever can reach it read ` +
        `or keep the key: find them (find / -xdev -samefile ${path}), remove every name but this one, and treat the ` +
        `key as compromised if one was not yours. ${NOT_REPLACED}`,
      path,
    );
  }
}

function sizeError(path: string, size: number): MasterKeySizeError {
  return new MasterKeySizeError(
    `${path}: ${size} bytes; expected exactly ${MASTER_KEY_BYTES}. It is truncated or not a FortrOS master key: ` +
      `restore it from backup (deleting it makes a new key and changes every derived key). ${NOT_REPLACED}`,
    path,
  );
}

/** First boot: createFileOnce (@fortros/daemon) writes the key durably and never replaces one made concurrently. */
async function createKeyFile(path: string, uid: number, random: (bytes: number) => Buffer): Promise<MasterKey> {
  const bytes = random(MASTER_KEY_BYTES);
  try {
    if (bytes.length !== MASTER_KEY_BYTES) throw sizeError(path, bytes.length);
    if (!(await createFileOnce(path, bytes, MASTER_KEY_FILE_MODE))) {
      // Another process created the key between our check and now: keep theirs, load it.
      const theirs = await readKeyFile(path, uid);
      if (theirs) return theirs;
      throw Object.assign(new Error(`${path}: created by another process, then gone`), { code: 'ENOENT' });
    }
    const key = createSecretKey(bytes);
    return { key, fingerprint: masterFingerprint(key), path, created: true };
  } catch (err) {
    if (err instanceof MasterKeyFileError) throw err;
    throw io(path, 'could not create the key file', err);
  } finally {
    bytes.fill(0);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  return 'special file';
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function io(path: string, what: string, err: unknown): MasterKeyIoError {
  const detail = code(err) ?? (err instanceof Error ? err.message : String(err));
  return new MasterKeyIoError(`${path}: ${what} (${detail}). ${NOT_REPLACED}`, path, { cause: err });
}
