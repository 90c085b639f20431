// Errors of admission by token, one class per condition; refusals carry their reason and map to a gRPC status.
import { DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, NotFoundError, ResourceExhaustedError, UnauthenticatedError } from '@fortros/rpc';

/** Why an issuer refuses a join (the wire's RefusalReason, in ADMISSION.md's words). */
export type RefusalReason = 'unknown-token' | 'bad-proof' | 'expired' | 'used-up' | 'rate-limited';

/** A join token string that does not parse. The message names the field, never the secret's value. */
export class TokenFormatError extends InvalidArgumentError {
  override readonly name = 'TokenFormatError';
  constructor(field: string, problem: string) {
    super(`join token: ${field}: ${problem}`);
  }
}

/** A `token create` option out of bounds (ttl, uses, org id, address). */
export class TokenOptionError extends InvalidArgumentError {
  override readonly name = 'TokenOptionError';
  constructor(option: string, problem: string) {
    super(`token create: ${option}: ${problem}`);
  }
}

/** A token record file that cannot be read back (bad JSON, a field out of bounds). */
export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`${file}: ${problem}`, options);
  }
}

/** The store already holds TOKEN_STORE_MAX records. */
export class TokenLimitError extends ResourceExhaustedError {
  override readonly name = 'TokenLimitError';
}

/** No token record with this id (never created, revoked, or pruned). */
export class UnknownTokenError extends NotFoundError {
  override readonly name = 'UnknownTokenError';
  readonly reason = 'unknown-token' as const;
  constructor(readonly tokenId: string) {
    super(`join refused: unknown token ${tokenId}`);
  }
}

/** The joiner's proof of the secret did not check out. */
export class BadProofError extends UnauthenticatedError {
  override readonly name = 'BadProofError';
  readonly reason = 'bad-proof' as const;
  constructor(readonly tokenId: string) {
    super(`join refused: bad proof for token ${tokenId}`);
  }
}

/** The token's lifetime is over. */
export class TokenExpiredError extends FailedPreconditionError {
  override readonly name = 'TokenExpiredError';
  readonly reason = 'expired' as const;
  constructor(
    readonly tokenId: string,
    expiresAt: Date,
  ) {
    super(`join refused: token ${tokenId} expired at ${expiresAt.toISOString()}`);
  }
}

/** Every use of the token is consumed. */
export class TokenUsedUpError extends FailedPreconditionError {
  override readonly name = 'TokenUsedUpError';
  readonly reason = 'used-up' as const;
  constructor(
    readonly tokenId: string,
    uses: number,
  ) {
    super(`join refused: token ${tokenId} is used up (${uses} of ${uses} uses)`);
  }
}

/** Too many failed joins from one source, or too many joins at once. */
export class AdmissionRateLimitedError extends ResourceExhaustedError {
  override readonly name = 'AdmissionRateLimitedError';
  readonly reason = 'rate-limited' as const;
  constructor(readonly source: string, why: string) {
    super(`join refused: rate limited (${source}: ${why})`);
  }
}

/** A refusal the issuer sends to the joiner. */
export type AdmissionRefusal = UnknownTokenError | BadProofError | TokenExpiredError | TokenUsedUpError | AdmissionRateLimitedError;

export function isRefusal(err: unknown): err is AdmissionRefusal {
  return err instanceof UnknownTokenError || err instanceof BadProofError || err instanceof TokenExpiredError || err instanceof TokenUsedUpError || err instanceof AdmissionRateLimitedError;
}

/** The issuer got a message out of order or out of bounds: dropped, counted, stream ended INVALID_ARGUMENT. */
export class AdmissionMalformedError extends InvalidArgumentError {
  override readonly name = 'AdmissionMalformedError';
}

/** A step of the exchange did not arrive in time. */
export class AdmissionTimeoutError extends DeadlineExceededError {
  override readonly name = 'AdmissionTimeoutError';
}

/** Joiner side: the issuer refused, for `reason`. */
export class JoinRefusedError extends Error {
  override readonly name = 'JoinRefusedError';
  constructor(
    readonly reason: RefusalReason,
    readonly issuer: string,
    detail: string,
  ) {
    super(`join via ${issuer}: ${detail}`);
  }
}

/** Joiner side: the issuer's proof did not check out; it does not know the secret, and got no proof from us. */
export class FakeIssuerError extends Error {
  override readonly name = 'FakeIssuerError';
  constructor(readonly issuer: string) {
    super(`join via ${issuer}: the issuer failed to prove it knows the token's secret; nothing was sent to it`);
  }
}

/** Joiner side: the answer's MAC did not check out (altered in transit, or not from the issuer). */
export class AnswerForgedError extends Error {
  override readonly name = 'AnswerForgedError';
  constructor(readonly issuer: string) {
    super(`join via ${issuer}: the answer failed its authentication; it was altered or forged`);
  }
}

/** Joiner side: the issuer broke the protocol (a message out of order, a field out of bounds, a different org). */
export class IssuerProtocolError extends Error {
  override readonly name = 'IssuerProtocolError';
  constructor(issuer: string, problem: string) {
    super(`join via ${issuer}: ${problem}`);
  }
}

/** Joiner side: its own public key or endpoint is not usable in a hello. */
export class JoinOptionError extends InvalidArgumentError {
  override readonly name = 'JoinOptionError';
  constructor(option: string, problem: string) {
    super(`join: ${option}: ${problem}`);
  }
}
