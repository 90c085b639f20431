// Error classes of fortros-maintainer: one class per condition, `name` set; callers branch on the class.
// Errors a client may see extend @fortros/rpc's status errors, so libs/rpc's one error map keeps their code.
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, PermissionDeniedError, ResourceExhaustedError, UnavailableError } from '@fortros/rpc';
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
