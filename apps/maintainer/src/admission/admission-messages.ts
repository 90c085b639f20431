// Checks of each admission message's fields (both sides), and reading the next step of a stream within a deadline.
import type { AdmissionV1 } from '@fortros/proto';
import { ANSWER_MAX_PEERS, NONCE_BYTES, PROOF_BYTES } from '../constants.js';
import { publicKeyBytes, type AnswerBody, type AnswerPeer } from './admission-crypto.js';
import { addressProblem, isOrgId, isTokenId } from './join-token.js';

/** Builds the error a failed check throws (AdmissionMalformedError on the issuer, IssuerProtocolError on the joiner). */
export type Problem = (problem: string) => Error;

export interface Hello {
  tokenId: string;
  nonce: Buffer;
  publicKey: string;
  endpoint: string;
}

export interface Challenge {
  nonce: Buffer;
  publicKey: string;
  proof: Buffer;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const octetsOk = (m: RegExpExecArray | null): boolean => m !== null && m.slice(1, 5).every((o) => Number(o) <= 255);

function bytesOf(value: Buffer | Uint8Array | string | undefined | null, size: number, field: string, problem: Problem): Buffer {
  const b = value instanceof Uint8Array ? Buffer.from(value) : Buffer.alloc(0);
  if (b.length !== size) throw problem(`${field}: expected ${size} bytes, got ${b.length}`);
  return b;
}

function publicKeyOf(value: string | undefined, field: string, problem: Problem): string {
  const v = value ?? '';
  if (!publicKeyBytes(v)) throw problem(`${field}: expected a base64 WireGuard public key (44 characters), got ${v.length} characters`);
  return v;
}

function endpointOf(value: string | undefined, field: string, problem: Problem): string {
  const v = value ?? '';
  const bad = addressProblem(v);
  if (bad) throw problem(`${field}: ${bad}`);
  return v;
}

export function checkHello(req: AdmissionV1.JoinRequest__Output, problem: Problem): Hello {
  if (req.step !== 'hello' || !req.hello) throw problem(`expected a hello first, got ${req.step ?? 'an empty message'}`);
  const h = req.hello;
  if (!isTokenId(h.tokenId)) throw problem(`hello.token_id: expected 16 lowercase hex characters, got ${h.tokenId.length} characters`);
  return {
    tokenId: h.tokenId,
    nonce: bytesOf(h.nonce, NONCE_BYTES, 'hello.nonce', problem),
    publicKey: publicKeyOf(h.publicKey, 'hello.public_key', problem),
    endpoint: endpointOf(h.endpoint, 'hello.endpoint', problem),
  };
}

export function checkProof(req: AdmissionV1.JoinRequest__Output, problem: Problem): Buffer {
  if (req.step !== 'proof' || !req.proof) throw problem(`expected a proof, got ${req.step ?? 'an empty message'}`);
  return bytesOf(req.proof.proof, PROOF_BYTES, 'proof.proof', problem);
}

export function checkChallenge(c: AdmissionV1.JoinChallenge__Output, problem: Problem): Challenge {
  return {
    nonce: bytesOf(c.nonce, NONCE_BYTES, 'challenge.nonce', problem),
    publicKey: publicKeyOf(c.publicKey, 'challenge.public_key', problem),
    proof: bytesOf(c.proof, PROOF_BYTES, 'challenge.proof', problem),
  };
}

/** The answer's fields, bounded and well-formed; its MAC is checked by the caller. */
export function checkAnswer(a: AdmissionV1.JoinAnswer__Output, problem: Problem): AnswerBody & { mac: Buffer } {
  if (!isOrgId(a.orgId)) throw problem(`answer.org_id: expected an org name, got ${JSON.stringify(a.orgId.slice(0, 64))}`);
  const range = CIDR_PATTERN.exec(a.overlayRange);
  if (!octetsOk(range) || Number(range![5]) > 32) throw problem(`answer.overlay_range: expected an IPv4 CIDR, got ${JSON.stringify(a.overlayRange.slice(0, 64))}`);
  if (!octetsOk(IPV4_PATTERN.exec(a.overlayIp))) throw problem(`answer.overlay_ip: expected an IPv4 address, got ${JSON.stringify(a.overlayIp.slice(0, 64))}`);
  if (a.peers.length > ANSWER_MAX_PEERS) throw problem(`answer.peers: expected at most ${ANSWER_MAX_PEERS}, got ${a.peers.length}`);
  const peers: AnswerPeer[] = a.peers.map((p, i) => {
    if (!octetsOk(IPV4_PATTERN.exec(p.overlayIp))) throw problem(`answer.peers[${i}].overlay_ip: expected an IPv4 address`);
    return { publicKey: publicKeyOf(p.publicKey, `answer.peers[${i}].public_key`, problem), endpoint: endpointOf(p.endpoint, `answer.peers[${i}].endpoint`, problem), overlayIp: p.overlayIp };
  });
  return { orgId: a.orgId, overlayRange: a.overlayRange, overlayIp: a.overlayIp, peers, mac: bytesOf(a.mac, PROOF_BYTES, 'answer.mac', problem) };
}

/** Checks a grant before it goes on the wire (the daemon's callback is trusted, but the wire's bounds still hold). */
export function grantProblem(body: AnswerBody): string | undefined {
  try {
    checkAnswer({ ...body, mac: Buffer.alloc(PROOF_BYTES) }, (p) => new Error(p));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The next message of `messages`, or the error of `timeout()` when none comes within `ms`. A stream that ends
 * instead yields `done`. The iterator is left open for the next step.
 */
export async function nextWithin<T>(messages: AsyncIterator<T>, ms: number, timeout: () => Error): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      messages.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
