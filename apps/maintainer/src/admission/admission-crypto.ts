// The pure crypto of admission: the auth key from the secret, both proofs over one transcript, the answer's MAC.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DERIVED_KEY_BYTES, NONCE_BYTES } from '../constants.js';

const LABEL = 'fortros/admission/v1';
const AUTH_KEY_INFO = `${LABEL}/auth-key`;
const ANSWER_KEY_INFO = `${LABEL}/answer-key`;
const ISSUER_PROOF_LABEL = `${LABEL}/issuer-proof`;
const JOINER_PROOF_LABEL = `${LABEL}/joiner-proof`;
const ANSWER_MAC_LABEL = `${LABEL}/answer-mac`;
const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
const PUBLIC_KEY_BYTES = 32;

/** Everything both proofs bind: the token, both nonces, both WireGuard keys, the joiner's endpoint. */
export interface Transcript {
  tokenId: string;
  joinerNonce: Buffer;
  issuerNonce: Buffer;
  /** base64, as WireGuard prints it */
  joinerPublicKey: string;
  issuerPublicKey: string;
  joinerEndpoint: string;
}

export interface AnswerPeer {
  publicKey: string;
  endpoint: string;
  overlayIp: string;
}

/** What the answer's MAC covers. */
export interface AnswerBody {
  orgId: string;
  overlayRange: string;
  overlayIp: string;
  peers: AnswerPeer[];
}

/** The raw 32 bytes of a base64 WireGuard public key, or undefined when it is not one. */
export function publicKeyBytes(publicKey: string): Buffer | undefined {
  if (!PUBLIC_KEY_PATTERN.test(publicKey)) return undefined;
  const raw = Buffer.from(publicKey, 'base64');
  return raw.length === PUBLIC_KEY_BYTES ? raw : undefined;
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

/** The key both proofs use: HKDF-SHA256 of the secret. The issuer stores this, never the secret. */
export function authKeyOf(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), AUTH_KEY_INFO, DERIVED_KEY_BYTES));
}

/** u16be(byte length) ‖ bytes. */
function lp(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

function rawKey(publicKey: string): Buffer {
  const raw = publicKeyBytes(publicKey);
  if (!raw) throw new TypeError(`admission transcript: expected a base64 WireGuard public key, got ${publicKey.length} characters`);
  return raw;
}

/** The transcript's canonical bytes (ADMISSION.md, "Proofs"). */
export function transcriptBytes(t: Transcript): Buffer {
  return Buffer.concat([lp(t.tokenId), lp(t.joinerNonce), lp(t.issuerNonce), lp(rawKey(t.joinerPublicKey)), lp(rawKey(t.issuerPublicKey)), lp(t.joinerEndpoint)]);
}

function hmac(key: Buffer, label: string, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key).update(lp(label));
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The issuer's proof, sent first. */
export function issuerProof(authKey: Buffer, t: Transcript): Buffer {
  return hmac(authKey, ISSUER_PROOF_LABEL, transcriptBytes(t));
}

/** The joiner's proof, sent only after the issuer's checked out. */
export function joinerProof(authKey: Buffer, t: Transcript): Buffer {
  return hmac(authKey, JOINER_PROOF_LABEL, transcriptBytes(t));
}

/** Constant-time comparison; a length mismatch is simply false. */
export function proofMatches(expected: Buffer, got: Buffer): boolean {
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** The answer key: HKDF-SHA256(IKM = auth key, salt = joiner nonce ‖ issuer nonce). */
export function answerKeyOf(authKey: Buffer, t: Transcript): Buffer {
  return Buffer.from(hkdfSync('sha256', authKey, Buffer.concat([t.joinerNonce, t.issuerNonce]), ANSWER_KEY_INFO, DERIVED_KEY_BYTES));
}

/** The answer's canonical bytes: lp(org) ‖ lp(range) ‖ lp(ip) ‖ u16be(peer count) ‖ per peer lp(key) ‖ lp(endpoint) ‖ lp(ip). */
export function answerBytes(a: AnswerBody): Buffer {
  const count = Buffer.alloc(2);
  count.writeUInt16BE(a.peers.length);
  const peers = a.peers.flatMap((p) => [lp(p.publicKey), lp(p.endpoint), lp(p.overlayIp)]);
  return Buffer.concat([lp(a.orgId), lp(a.overlayRange), lp(a.overlayIp), count, ...peers]);
}

/** MAC of the answer under the answer key, bound to the transcript. */
export function answerMac(authKey: Buffer, t: Transcript, a: AnswerBody): Buffer {
  return hmac(answerKeyOf(authKey, t), ANSWER_MAC_LABEL, transcriptBytes(t), answerBytes(a));
}
