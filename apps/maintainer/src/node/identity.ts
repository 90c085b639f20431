// The node's identity: a WireGuard-style X25519 key pair kept in persist/wireguard/private.key; id and overlay IP derive from it.
import { NODE_PATHS } from '@fortros/core';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import { IdentityError } from '../errors.js';
import { readIfExists, writeFileDurably } from '../org/store-files.js';

export const PRIVATE_KEY_PATH = NODE_PATHS.wireguardKey;
const KEY_BYTES = 32;
/** Hex characters of the node id (64 bits of SHA-256 of the public key). */
const NODE_ID_HEX_CHARS = 16;
/** PKCS#8 DER prefix of a raw X25519 private key (RFC 8410). */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export interface NodeIdentity {
  /** Short stable hash of the public key: 16 lowercase hex characters. */
  id: string;
  /** WireGuard public key, base64 (44 characters). */
  publicKey: string;
  /** Where the private key lives. */
  keyFile: string;
}

/** Loads the key pair from `<root>/persist/wireguard/private.key`, creating it (0600, atomically) on first boot. */
export async function loadOrCreateIdentity(root: string): Promise<NodeIdentity & { created: boolean }> {
  const keyFile = `${root.replace(/\/$/, '')}/${PRIVATE_KEY_PATH}`;
  const existing = await readIfExists(keyFile);
  let privateKey: Buffer;
  let created = false;
  if (existing === null) {
    privateKey = generatePrivateKey();
    await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
    await writeFileDurably(dirname(keyFile), basename(keyFile), Buffer.from(`${privateKey.toString('base64')}\n`));
    created = true;
  } else {
    const mode = (await stat(keyFile)).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new IdentityError(keyFile, `expected mode 0600 (no access for group or others), got 0${mode.toString(8)}`);
    privateKey = parsePrivateKey(existing.toString('utf8'), keyFile);
  }
  const publicKey = publicKeyOf(privateKey);
  return { id: nodeIdOf(publicKey), publicKey, keyFile, created };
}

export function generatePrivateKey(): Buffer {
  const { privateKey } = generateKeyPairSync('x25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(X25519_PKCS8_PREFIX.length);
}

/** WireGuard's private.key format: base64 of 32 bytes, optional trailing newline. */
export function parsePrivateKey(text: string, file: string): Buffer {
  const t = text.trim();
  const key = Buffer.from(t, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(t) || key.length !== KEY_BYTES) {
    throw new IdentityError(file, `expected a base64 WireGuard private key (${KEY_BYTES} bytes), got ${t.length} characters`);
  }
  return key;
}

/** The base64 public key of a raw X25519 private key (what `wg pubkey` prints). */
export function publicKeyOf(privateKey: Buffer): string {
  const key = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

/** Node id: the first 64 bits of SHA-256 over the raw public key, hex. */
export function nodeIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, NODE_ID_HEX_CHARS);
}

/**
 * The overlay address of a public key inside `cidr`: host bits from SHA-256 of the key, never the network or
 * broadcast address. Collisions are resolved through the org document by the mesh issue; here it is informational.
 */
export function overlayIpOf(publicKey: string, cidr: string): string {
  const [ip, lenText] = cidr.split('/');
  const len = Number(lenText);
  const base = (ip ?? '0.0.0.0').split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const hostBits = 32 - len;
  const size = 2 ** hostBits;
  const hash = createHash('sha256').update('fortros/overlay/v1').update(Buffer.from(publicKey, 'base64')).digest();
  const host = 1 + (hash.readUInt32BE(0) % Math.max(1, size - 2));
  const addr = ((base & (hostBits === 32 ? 0 : ~(size - 1))) + host) >>> 0;
  return [24, 16, 8, 0].map((s) => (addr >>> s) & 0xff).join('.');
}
