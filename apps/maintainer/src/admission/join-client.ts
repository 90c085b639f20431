// The joiner's side of admission: joinWithToken dials the issuer, checks its proof before sending its own, and
// returns the authenticated answer.
import { AdmissionV1 } from '@fortros/proto';
import { bidiStream, closeClient, createClient } from '@fortros/rpc';
import { ADMISSION_CALL_TIMEOUT_MS, ADMISSION_STEP_TIMEOUT_MS } from '../constants.js';
import { answerMac, authKeyOf, issuerProof, joinerProof, newNonce, proofMatches, publicKeyBytes, type AnswerBody, type Transcript } from './admission-crypto.js';
import { AdmissionTimeoutError, AnswerForgedError, FakeIssuerError, IssuerProtocolError, JoinOptionError, JoinRefusedError, type RefusalReason } from '../errors.js';
import { checkAnswer, checkChallenge, nextWithin } from './admission-messages.js';
import { addressProblem, parseJoinToken, type JoinToken } from './join-token.js';

export interface JoinOptions {
  /** This node's WireGuard public key, base64. */
  publicKey: string;
  /** This node's underlay WireGuard endpoint, host:port. */
  endpoint: string;
  signal?: AbortSignal;
  stepTimeoutMs?: number;
  callTimeoutMs?: number;
}

/** The issuer's authenticated answer. */
export interface JoinResult extends AnswerBody {
  /** The issuer's admission address and WireGuard public key (as it proved with the secret). */
  issuer: string;
  issuerPublicKey: string;
}

const REASONS: Partial<Record<AdmissionV1.RefusalReason__Output, RefusalReason>> = {
  REFUSAL_REASON_UNKNOWN_TOKEN: 'unknown-token',
  REFUSAL_REASON_BAD_PROOF: 'bad-proof',
  REFUSAL_REASON_EXPIRED: 'expired',
  REFUSAL_REASON_USED_UP: 'used-up',
  REFUSAL_REASON_RATE_LIMITED: 'rate-limited',
};

/**
 * Joins the org of `token` through its issuer. Throws JoinRefusedError (the issuer's reason), FakeIssuerError (the
 * issuer could not prove the secret: no proof was sent to it), AnswerForgedError, IssuerProtocolError,
 * AdmissionTimeoutError, or the call's RpcCallError (issuer unreachable).
 */
export async function joinWithToken(token: string | JoinToken, options: JoinOptions): Promise<JoinResult> {
  const t = typeof token === 'string' ? parseJoinToken(token) : token;
  if (!publicKeyBytes(options.publicKey)) throw new JoinOptionError('public key', `expected a base64 WireGuard public key (44 characters), got ${options.publicKey.length} characters`);
  const badEndpoint = addressProblem(options.endpoint);
  if (badEndpoint) throw new JoinOptionError('endpoint', badEndpoint);
  const issuer = t.address;
  const stepMs = options.stepTimeoutMs ?? ADMISSION_STEP_TIMEOUT_MS;
  const problem = (p: string): Error => new IssuerProtocolError(issuer, p);
  const authKey = authKeyOf(t.secret);
  const joinerNonce = newNonce();

  const client = createClient<AdmissionV1.AdmissionClient>(AdmissionV1.loadAdmissionApi(), issuer);
  const callOptions = { timeoutMs: options.callTimeoutMs ?? ADMISSION_CALL_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
  const call = bidiStream(client, 'Join', callOptions);
  const messages = call.messages[Symbol.asyncIterator]();
  /** The issuer's next message, which must be `expected` (a refusal is thrown as JoinRefusedError). */
  const step = async <K extends 'challenge' | 'answer'>(expected: K): Promise<NonNullable<AdmissionV1.JoinResponse__Output[K]>> => {
    const r = await nextWithin(messages, stepMs, () => new AdmissionTimeoutError(`join via ${issuer}: no ${expected} within ${stepMs} ms`));
    if (r.done) throw problem(`the stream ended before the ${expected}`);
    const m = r.value;
    if (m.step === 'refusal' && m.refusal) {
      const reason = REASONS[m.refusal.reason];
      if (!reason) throw problem(`refusal: unknown reason ${String(m.refusal.reason)}`);
      throw new JoinRefusedError(reason, issuer, m.refusal.message.slice(0, 512));
    }
    const value = m[expected];
    if (m.step !== expected || !value) throw problem(`expected a ${expected}, got ${m.step ?? 'an empty message'}`);
    return value as NonNullable<AdmissionV1.JoinResponse__Output[K]>;
  };

  try {
    await call.send({ hello: { tokenId: t.id, nonce: joinerNonce, publicKey: options.publicKey, endpoint: options.endpoint } });
    const challenge = checkChallenge(await step('challenge'), problem);
    const transcript: Transcript = {
      tokenId: t.id,
      joinerNonce,
      issuerNonce: challenge.nonce,
      joinerPublicKey: options.publicKey,
      issuerPublicKey: challenge.publicKey,
      joinerEndpoint: options.endpoint,
    };
    if (!proofMatches(issuerProof(authKey, transcript), challenge.proof)) throw new FakeIssuerError(issuer);
    await call.send({ proof: { proof: joinerProof(authKey, transcript) } });
    const answer = checkAnswer(await step('answer'), problem);
    const { mac, ...body } = answer;
    if (!proofMatches(answerMac(authKey, transcript, body), mac)) throw new AnswerForgedError(issuer);
    if (body.orgId !== t.orgId) throw problem(`answer.org_id: expected ${t.orgId} (the token's), got ${body.orgId}`);
    return { ...body, issuer, issuerPublicKey: challenge.publicKey };
  } finally {
    call.cancel();
    closeClient(client);
  }
}
