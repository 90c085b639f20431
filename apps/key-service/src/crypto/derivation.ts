// The §7 derivation: request validation, the exact info encoding, HKDF-SHA256 from the master key, key ids.
import { expectedGot } from '@fortros/core';
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import {
  DEFAULT_KEY_LENGTH_BYTES,
  DEFAULT_KEY_VERSION,
  DEFAULT_PURPOSE,
  FINGERPRINT_HEX_CHARS,
  MAX_KEY_LENGTH_BYTES,
  MAX_KEY_VERSION,
  MIN_KEY_LENGTH_BYTES,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
} from '../constants.js';
import { InvalidLengthError, InvalidPurposeError, InvalidVersionError } from '../errors.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';

/** First bytes of every info string; bump the version suffix only with a new derivation scheme. */
export const KEY_INFO_LABEL = 'fortros/key/v1';
/** Domain separation label of key ids: `keyId = hex(SHA-256(label ‖ key))[0..16)`. */
export const KEY_ID_LABEL = 'fortros/key-id/v1';
/** Domain separation label of the master key fingerprint: `hex(SHA-256(label ‖ master))[0..16)`. */
export const MASTER_FINGERPRINT_LABEL = 'fortros/master-key-id/v1';

/** A validated derivation request: everything that goes into the info string. */
export interface DeriveParams {
  /** The key subject: the attributed service name, or `workload.<id>`. */
  service: string;
  purpose: string;
  /** 1 – 2^32-1. */
  version: number;
  /** Output length in bytes, 16–64. */
  length: number;
}

/** What a caller may leave out. `undefined` and the proto3 zero values (`''`, `0`) mean "use the default". */
export interface DeriveRequestFields {
  purpose?: string;
  length?: number;
  version?: number;
}

/** True when `name` matches `[a-z0-9][a-z0-9._-]{0,62}` (services, workload subjects, purposes). */
export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME_PATTERN.test(name);
}

/** Apply defaults and check bounds; throws InvalidPurposeError / InvalidLengthError / InvalidVersionError. */
export function normalizeDeriveRequest(request: DeriveRequestFields): Omit<DeriveParams, 'service'> {
  const purpose = request.purpose === undefined || request.purpose === '' ? DEFAULT_PURPOSE : request.purpose;
  if (!isValidName(purpose)) {
    throw new InvalidPurposeError(`purpose: ${expectedGot(`a name matching ${NAME_PATTERN_TEXT}`, purpose)}`);
  }
  const length = request.length === undefined || request.length === 0 ? DEFAULT_KEY_LENGTH_BYTES : request.length;
  if (!Number.isInteger(length) || length < MIN_KEY_LENGTH_BYTES || length > MAX_KEY_LENGTH_BYTES) {
    throw new InvalidLengthError(
      `length: ${expectedGot(`an integer number of bytes in ${MIN_KEY_LENGTH_BYTES}–${MAX_KEY_LENGTH_BYTES}`, length)}`,
    );
  }
  const version = request.version === undefined || request.version === 0 ? DEFAULT_KEY_VERSION : request.version;
  if (!Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) {
    throw new InvalidVersionError(`version: ${expectedGot(`an integer in 1–${MAX_KEY_VERSION}`, version)}`);
  }
  return { purpose, length, version };
}

/** `lp(x) = u16be(byte length of x) ‖ utf8(x)`. */
export function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 0xffff) throw new RangeError(`lp: expected at most 65535 bytes, got ${bytes.length}`);
  const out = Buffer.alloc(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/** `info = "fortros/key/v1" ‖ lp(service) ‖ lp(purpose) ‖ u32be(version) ‖ u16be(length)`. */
export function encodeKeyInfo(params: DeriveParams): Buffer {
  const tail = Buffer.alloc(6);
  tail.writeUInt32BE(params.version, 0);
  tail.writeUInt16BE(params.length, 4);
  return Buffer.concat([
    Buffer.from(KEY_INFO_LABEL, 'utf8'),
    lengthPrefixed(params.service),
    lengthPrefixed(params.purpose),
    tail,
  ]);
}

/**
 * HKDF-Extract with the empty salt, done once per master key: the PRK as a secret KeyObject.
 * Every derivation then costs one Expand. The exported master bytes and the PRK buffer are zeroed.
 */
export function extractMasterPrk(master: KeyObject): KeyObject {
  const ikm = master.export();
  const prk = hkdfExtract(Buffer.alloc(0), ikm);
  try {
    return createSecretKey(prk);
  } finally {
    ikm.fill(0);
    prk.fill(0);
  }
}

/**
 * `key = HKDF-SHA256(IKM = master, salt = empty, info, L = length)` given the PRK of the master key.
 * `params` must be validated (normalizeDeriveRequest + a valid service). The caller owns and zeroes the result.
 */
export function deriveKey(prk: KeyObject, params: DeriveParams): Buffer {
  return hkdfExpand(prk, encodeKeyInfo(params), params.length);
}

/** Non-secret id of a derived key: first 16 hex characters of SHA-256("fortros/key-id/v1" ‖ key). */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update(KEY_ID_LABEL).update(key).digest('hex').slice(0, FINGERPRINT_HEX_CHARS);
}

/** Non-secret fingerprint of the master key, for logs and Status. */
export function masterFingerprint(master: KeyObject): string {
  const bytes = master.export();
  try {
    return createHash('sha256')
      .update(MASTER_FINGERPRINT_LABEL)
      .update(bytes)
      .digest('hex')
      .slice(0, FINGERPRINT_HEX_CHARS);
  } finally {
    bytes.fill(0);
  }
}

