// The issuer's side of admission: the Admission service's Join handler (hello → challenge → proof → answer).
import type { Logger } from '@fortros/log';
import { AdmissionV1 } from '@fortros/proto';
import { defineService, RpcServer, type ServiceRegistration, type StreamContext } from '@fortros/rpc';
import {
  ADMISSION_FAILURES_PER_SOURCE,
  ADMISSION_FAILURE_WINDOW_MS,
  ADMISSION_MAX_CONCURRENT,
  ADMISSION_MAX_MESSAGE_BYTES,
  ADMISSION_MAX_SOURCES,
  ADMISSION_STEP_TIMEOUT_MS,
} from '../constants.js';
import { answerMac, issuerProof, joinerProof, newNonce, proofMatches, type AnswerPeer, type Transcript } from './admission-crypto.js';
import { AdmissionMalformedError, AdmissionRateLimitedError, AdmissionTimeoutError, BadProofError, isRefusal, type AdmissionRefusal, type RefusalReason } from '../errors.js';
import { checkHello, checkProof, grantProblem, nextWithin } from './admission-messages.js';
import { FailureLimiter, sourceOf } from './failure-limiter.js';
import type { TokenStore } from './token-store.js';

/** What the daemon gives the new member: its overlay address and the first peers to reach. */
export interface AdmissionGrant {
  overlayRange: string;
  overlayIp: string;
  peers: AnswerPeer[];
}

/** The new member, as proven: handed to the daemon, which writes its record into the org document. */
export interface Joiner {
  publicKey: string;
  endpoint: string;
  tokenId: string;
  /** The address the join came from (the underlay). */
  source: string;
}

export interface AdmissionCounters {
  admitted: number;
  /** Messages out of order or out of bounds (stream ended INVALID_ARGUMENT). */
  malformed: number;
  /** Steps that did not arrive in time. */
  timeouts: number;
  /** Joins the joiner ended after the challenge, without a proof. */
  abandoned: number;
  refused: Record<RefusalReason, number>;
}

export function newAdmissionCounters(): AdmissionCounters {
  return { admitted: 0, malformed: 0, timeouts: 0, abandoned: 0, refused: { 'unknown-token': 0, 'bad-proof': 0, expired: 0, 'used-up': 0, 'rate-limited': 0 } };
}

export interface AdmissionIssuerOptions {
  store: TokenStore;
  /** This node's WireGuard public key, base64. */
  publicKey: string;
  /** Adds the proven joiner's member record (durably) and returns its grant. Called after the use is consumed. */
  admit(joiner: Joiner): Promise<AdmissionGrant>;
  log: Logger;
  now?: () => number;
  stepTimeoutMs?: number;
  limiter?: FailureLimiter;
}

const WIRE_REASON: Record<RefusalReason, AdmissionV1.RefusalReason> = {
  'unknown-token': 'REFUSAL_REASON_UNKNOWN_TOKEN',
  'bad-proof': 'REFUSAL_REASON_BAD_PROOF',
  expired: 'REFUSAL_REASON_EXPIRED',
  'used-up': 'REFUSAL_REASON_USED_UP',
  'rate-limited': 'REFUSAL_REASON_RATE_LIMITED',
};

type Requests = AsyncIterator<AdmissionV1.JoinRequest__Output>;
type Ctx = StreamContext<AdmissionV1.JoinResponse>;

export class AdmissionIssuer {
  readonly counters = newAdmissionCounters();
  readonly limiter: FailureLimiter;
  private readonly log: Logger;
  private readonly stepTimeoutMs: number;
  private active = 0;

  constructor(private readonly options: AdmissionIssuerOptions) {
    this.log = options.log.child({ component: 'maintainer:admission' });
    this.stepTimeoutMs = options.stepTimeoutMs ?? ADMISSION_STEP_TIMEOUT_MS;
    this.limiter =
      options.limiter ?? new FailureLimiter({ maxFailures: ADMISSION_FAILURES_PER_SOURCE, windowMs: ADMISSION_FAILURE_WINDOW_MS, maxSources: ADMISSION_MAX_SOURCES, now: options.now ?? Date.now });
  }

  /** The Admission service, for an RpcServer on the underlay address. */
  service(): ServiceRegistration {
    return defineService(AdmissionV1.loadAdmissionApi(), { Join: (requests, ctx) => this.join(requests, ctx) });
  }

  /** An RpcServer serving only Admission (plus health and reflection) on the underlay `host:port`, with small messages. */
  server(tcpAddress: string): RpcServer {
    return new RpcServer({ tcpAddress, services: [this.service()], maxMessageBytes: ADMISSION_MAX_MESSAGE_BYTES, logger: this.options.log });
  }

  /** One join attempt. Refusals are sent as a JoinRefusal, then thrown (their status ends the stream). */
  async join(requests: AsyncIterable<AdmissionV1.JoinRequest__Output>, ctx: Ctx): Promise<void> {
    const source = sourceOf(ctx.peerAddress);
    const it = requests[Symbol.asyncIterator]();
    try {
      if (this.limiter.blocked(source)) throw new AdmissionRateLimitedError(source, `${ADMISSION_FAILURES_PER_SOURCE} failures within ${ADMISSION_FAILURE_WINDOW_MS} ms`);
      if (this.active >= ADMISSION_MAX_CONCURRENT) throw new AdmissionRateLimitedError(source, `${ADMISSION_MAX_CONCURRENT} joins in progress`);
      this.active += 1;
      try {
        await this.exchange(it, ctx, source);
      } finally {
        this.active -= 1;
      }
    } catch (err) {
      if (isRefusal(err)) await this.refuse(err, ctx, source);
      if (err instanceof AdmissionMalformedError) this.fail(source, 'malformed', 'join message malformed', { source, problem: err.message });
      if (err instanceof AdmissionTimeoutError) this.fail(source, 'timeouts', 'join step timed out', { source, problem: err.message });
      throw err;
    }
    // The requests are not closed here: a read still pending (the step that timed out) would hold a close up; the
    // stream's end (OK or the status thrown above) ends them.
  }

  private async exchange(it: Requests, ctx: Ctx, source: string): Promise<void> {
    const malformed = (p: string): Error => new AdmissionMalformedError(`admission from ${source}: ${p}`);
    const first = await nextWithin(it, this.stepTimeoutMs, () => new AdmissionTimeoutError(`admission from ${source}: no hello within ${this.stepTimeoutMs} ms`));
    if (first.done) return; // the joiner went away
    const hello = checkHello(first.value, malformed);
    const record = this.options.store.usable(hello.tokenId);
    const t: Transcript = {
      tokenId: hello.tokenId,
      joinerNonce: hello.nonce,
      issuerNonce: newNonce(),
      joinerPublicKey: hello.publicKey,
      issuerPublicKey: this.options.publicKey,
      joinerEndpoint: hello.endpoint,
    };
    await ctx.send({ challenge: { nonce: t.issuerNonce, publicKey: t.issuerPublicKey, proof: issuerProof(record.authKey, t) } });
    const second = await nextWithin(it, this.stepTimeoutMs, () => new AdmissionTimeoutError(`admission from ${source}: no proof within ${this.stepTimeoutMs} ms`)).catch(
      (err: unknown): IteratorResult<AdmissionV1.JoinRequest__Output> => {
        if (ctx.signal.aborted && !(err instanceof AdmissionTimeoutError)) return { done: true, value: undefined }; // cancelled
        throw err;
      },
    );
    if (second.done) {
      // Our proof did not convince it (a wrong secret), or it only wanted a proof to look at: a failure either way.
      this.fail(source, 'abandoned', 'join abandoned after the challenge', { source, tokenId: hello.tokenId });
      return;
    }
    const proof = checkProof(second.value, malformed);
    if (!proofMatches(joinerProof(record.authKey, t), proof)) throw new BadProofError(hello.tokenId);
    const info = await this.options.store.consume(hello.tokenId); // durable before anything is granted
    const grant = await this.options.admit({ publicKey: hello.publicKey, endpoint: hello.endpoint, tokenId: hello.tokenId, source });
    const body = { orgId: record.orgId, overlayRange: grant.overlayRange, overlayIp: grant.overlayIp, peers: grant.peers };
    const bad = grantProblem(body);
    if (bad) throw new Error(`admission: the grant for ${hello.publicKey} is not sendable: ${bad}`);
    await ctx.send({ answer: { ...body, mac: answerMac(record.authKey, t, body) } });
    this.counters.admitted += 1;
    this.log.info('node admitted', { tokenId: hello.tokenId, publicKey: hello.publicKey, endpoint: hello.endpoint, overlayIp: grant.overlayIp, source, used: info.used, uses: info.uses });
  }

  private async refuse(err: AdmissionRefusal, ctx: Ctx, source: string): Promise<void> {
    this.counters.refused[err.reason] += 1;
    if (err.reason === 'rate-limited') this.log.debug('join refused', { reason: err.reason, source });
    else {
      this.limiter.recordFailure(source);
      this.log.warn('join refused', { reason: err.reason, tokenId: err.tokenId, source });
    }
    await ctx.send({ refusal: { reason: WIRE_REASON[err.reason], message: err.message } }).catch(() => undefined);
  }

  private fail(source: string, counter: 'malformed' | 'timeouts' | 'abandoned', msg: string, fields: Record<string, unknown>): void {
    this.counters[counter] += 1;
    this.limiter.recordFailure(source);
    this.log.warn(msg, fields);
  }
}
