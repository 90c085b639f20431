// Error classes of fortros-maintainer: one class per condition, `name` set; callers branch on the class.
// Errors a client may see extend @fortros/rpc's status errors, so libs/rpc's one error map keeps their code.
import { DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, NotFoundError, PermissionDeniedError, ResourceExhaustedError, UnauthenticatedError, UnavailableError } from '@fortros/rpc';
import { UsageError as DaemonUsageError } from '@fortros/daemon';

// ---- org state (src/org) ----

// (A bad workload spec is @fortros/workload-spec's WorkloadSpecError, beside its validator.)

/** A member, observed-status or settings record is invalid; `field` names the offending field. */
export class OrgRecordError extends InvalidArgumentError {
  override readonly name = 'OrgRecordError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A write would grow a map of the org document past its bound (maps to RESOURCE_EXHAUSTED). */
export class OrgLimitError extends ResourceExhaustedError {
  override readonly name = 'OrgLimitError';
  constructor(
    readonly map: string,
    readonly limit: number,
  ) {
    super(`org ${map}: at most ${limit} entries`);
  }
}

/** The store's files are damaged beyond the torn tail it repairs itself (bad header, corrupt snapshot). */
export class OrgStoreCorruptError extends Error {
  override readonly name = 'OrgStoreCorruptError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** An append was made while the store is not open (never opened, or closed). */
export class OrgStoreClosedError extends UnavailableError {
  override readonly name = 'OrgStoreClosedError';
  constructor(readonly dir: string) {
    super(`org store ${dir}: not open`);
  }
}

/** A write or fsync failed; the store refuses further writes, since acknowledging them could be a lie. */
export class OrgStoreFailedError extends UnavailableError {
  override readonly name = 'OrgStoreFailedError';
  constructor(
    readonly dir: string,
    override readonly cause: unknown,
  ) {
    super(`org store ${dir}: a write failed (${cause instanceof Error ? cause.message : String(cause)}); no further writes`);
  }
}

/** The disk is full (ENOSPC/EDQUOT): the store is read-only until space returns; reads and sync are still served. */
export class OrgStoreFullError extends UnavailableError {
  override readonly name = 'OrgStoreFullError';
  constructor(
    readonly dir: string,
    readonly errno: string,
  ) {
    super(`org store ${dir}: ${errno}, no space left to persist; read-only until space returns (reads and sync still served)`);
  }
}

/** A write tried to change settings.orgId once it is set: the org id never changes under a running node. */
export class OrgIdFixedError extends InvalidArgumentError {
  override readonly name = 'OrgIdFixedError';
  constructor(
    readonly orgId: string,
    readonly attempted: string,
  ) {
    super(`settings.orgId: the org id is ${JSON.stringify(orgId)} and never changes, got ${JSON.stringify(attempted)}`);
  }
}

// ---- the daemon ----

/** A bad command line: the message names the flag and says what was expected (exit 2). */
export class UsageError extends DaemonUsageError {
  override readonly name = 'UsageError';
}

/** The node key file exists but is unusable (wrong size, encoding or permissions); never silently replaced. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** The persisted incarnation file is damaged. */
export class IncarnationFileError extends Error {
  override readonly name = 'IncarnationFileError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** A local API request names a workload (or observed status) the org document does not hold. */
export class WorkloadNotFoundError extends NotFoundError {
  override readonly name = 'WorkloadNotFoundError';
  constructor(readonly id: string) {
    super(`workload ${JSON.stringify(id)}: not found`);
  }
}

/** A JSON field of a local API request is not parsable JSON, or too large. */
export class RequestJsonError extends InvalidArgumentError {
  override readonly name = 'RequestJsonError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** An observed status names another node: a node reports only its own workloads. */
export class ForeignObservedError extends InvalidArgumentError {
  override readonly name = 'ForeignObservedError';
  constructor(
    readonly node: string,
    readonly self: string,
  ) {
    super(`node: expected this node's id ${JSON.stringify(self)} (or nothing), got ${JSON.stringify(node)}`);
  }
}

/** A response would exceed its bound (GetOrg past ORG_JSON_MAX_BYTES, too many watchers, a watcher too slow). */
export class ResponseLimitError extends ResourceExhaustedError {
  override readonly name = 'ResponseLimitError';
}

/** A peer link broke the OrgSync protocol (no hello, a changed sender id); the link is closed. */
export class OrgSyncProtocolError extends InvalidArgumentError {
  override readonly name = 'OrgSyncProtocolError';
}

/**
 * A peer's OrgSync server is unavailable: it is stopping, or the connection was refused or dropped (UNAVAILABLE
 * on the link's stream). The peer went away: the link ends quietly and the peer is retried later, after a backoff.
 */
export class OrgSyncUnavailableError extends Error {
  override readonly name = 'OrgSyncUnavailableError';
  constructor(
    readonly address: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`sync peer ${address}: unavailable: ${detail}`, options);
  }
}

/** A peer link was sent an event its state cannot take (a bug in the link's shell, never the peer's doing). */
export class ImpossibleLinkEventError extends Error {
  override readonly name = 'ImpossibleLinkEventError';
  constructor(
    readonly peer: string | undefined,
    readonly state: string,
    readonly event: string,
  ) {
    super(`peer link${peer === undefined ? '' : ` with ${peer}`}: event ${event} is impossible in state ${state}`);
  }
}

/** This node is stopping: its inbound peer links end with UNAVAILABLE, so peers take it for a peer going away. */
export class OrgSyncStoppingError extends UnavailableError {
  override readonly name = 'OrgSyncStoppingError';
  constructor(readonly node: string) {
    super(`sync: node ${node} is stopping`);
  }
}


// ---- the mesh (src/mesh) ----

/** An OrgSync stream from an address that is not a current member's overlay address (refused, counted). */
export class NotAMemberError extends PermissionDeniedError {
  override readonly name = 'NotAMemberError';
  constructor(readonly peer: string) {
    super(`${peer}: not a member of this org`);
  }
}

/** An API call that needs the WireGuard mesh (e.g. CreateToken) on a node run with --mesh none, or not ready yet. */
export class MeshUnavailableError extends FailedPreconditionError {
  override readonly name = 'MeshUnavailableError';
  constructor(what: string, reason: string) {
    super(`${what}: ${reason}`);
  }
}

/** The mesh could not be set up: the WireGuard interface, the join, or the persisted membership (names which). */
export class MeshSetupError extends Error {
  override readonly name = 'MeshSetupError';
  constructor(
    readonly what: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${what}: ${detail}`, options);
  }
}

// ---- admission by token (src/admission, ADMISSION.md) ----

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
