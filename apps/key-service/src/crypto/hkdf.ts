// HKDF-SHA256 (RFC 5869): extract and expand as separate steps, so each can be checked against the RFC vectors.
import { createHmac, type KeyObject } from 'node:crypto';

/** SHA-256 output size, in bytes (HashLen in RFC 5869). */
export const SHA256_BYTES = 32;
/** Longest output HKDF-SHA256 can produce: 255 · HashLen bytes. */
export const HKDF_SHA256_MAX_OUTPUT_BYTES = 255 * SHA256_BYTES;

/**
 * HKDF-Extract: `PRK = HMAC-SHA256(salt, IKM)`. An empty salt is HashLen zero bytes (RFC 5869 §2.2).
 * The returned PRK is owned by the caller, who should zero it (`prk.fill(0)`) when done.
 */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Buffer {
  const key = salt.length === 0 ? Buffer.alloc(SHA256_BYTES) : salt;
  return createHmac('sha256', key).update(ikm).digest();
}

/**
 * HKDF-Expand: `T(i) = HMAC-SHA256(PRK, T(i-1) ‖ info ‖ i)`, `OKM = first L bytes of T(1) ‖ T(2) ‖ …`.
 * `prk` may be a secret KeyObject so that the PRK never sits in a JS buffer. Intermediate blocks are zeroed;
 * the returned OKM is owned by the caller.
 */
export function hkdfExpand(prk: Uint8Array | KeyObject, info: Uint8Array, length: number): Buffer {
  if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_OUTPUT_BYTES) {
    throw new RangeError(`HKDF-Expand length: expected an integer in 1–${HKDF_SHA256_MAX_OUTPUT_BYTES}, got ${length}`);
  }
  const okm = Buffer.alloc(length);
  const counter = Buffer.alloc(1);
  let previous: Buffer = Buffer.alloc(0);
  let written = 0;
  for (let i = 1; written < length; i++) {
    counter[0] = i;
    const block = createHmac('sha256', prk).update(previous).update(info).update(counter).digest();
    previous.fill(0);
    written += block.copy(okm, written, 0, Math.min(block.length, length - written));
    previous = block;
  }
  previous.fill(0);
  return okm;
}

/** HKDF = Expand(Extract(salt, IKM), info, L). The intermediate PRK is zeroed. */
export function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Buffer {
  const prk = hkdfExtract(salt, ikm);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    prk.fill(0);
  }
}
