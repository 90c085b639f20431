// WireGuard keys with node:crypto's X25519: the same keys `wg genkey` makes (clamped) and the same public keys
// `wg pubkey` derives (test/keys.spec.ts checks both against wg).
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { KEY_BYTES } from './constants.js';
import { checkKey } from './validate.js';

/** The DER prefix of a PKCS#8 X25519 private key; the 32 raw bytes follow it. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** A new private key, base64, clamped the way `wg genkey` clamps it. */
export function generatePrivateKey(): string {
  const k = randomBytes(KEY_BYTES);
  k[0]! &= 248;
  k[31]! &= 127;
  k[31]! |= 64;
  return k.toString('base64');
}

/** The public key of a base64 private key, as `wg pubkey` prints it. */
export function publicKeyOf(privateKey: string): string {
  const raw = Buffer.from(checkKey(privateKey, 'private key'), 'base64');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const privateKey = generatePrivateKey();
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
