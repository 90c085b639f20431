// The key service's errors: one class per condition, `name` set. Those a client may see extend the status classes
// of libs/rpc, so its one error map keeps their code; the rest are internal (INTERNAL if they ever escape).
// No message ever contains key material: only paths, names, numbers and non-secret fingerprints.
import { UsageError as DaemonUsageError } from '@fortros/daemon';
import {
  InvalidArgumentError as RpcInvalidArgumentError,
  PermissionDeniedError as RpcPermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '@fortros/rpc';

/** Base of the key service's internal errors (files, /proc, the kernel): never shown to a client as such. */
export class KeyServiceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ── INVALID_ARGUMENT: the request itself is wrong ──────────────────────────────────────────────

/** Base of bad-request errors (→ INVALID_ARGUMENT). */
export class InvalidArgumentError extends RpcInvalidArgumentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** `purpose` does not match the name pattern. */
export class InvalidPurposeError extends InvalidArgumentError {}
/** `length` is not an integer in 16–64. */
export class InvalidLengthError extends InvalidArgumentError {}
/** `version` is not an integer in 1–2^32-1. */
export class InvalidVersionError extends InvalidArgumentError {}

// ── UNAUTHENTICATED: the caller could not be tied to a supervised service or workload ───────────

/** The caller's pid does not descend from any supervised service or workload (→ UNAUTHENTICATED). */
export class UnattributedError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly pid: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The connection holds no pidfd of the process that connected (old kernel, closed connection): who it is cannot be
 * established, so it is refused (→ UNAUTHENTICATED). */
export class IdentityUnavailableError extends UnattributedError {}
/** The process that connected has exited: its pid may name another process now (→ UNAUTHENTICATED). */
export class CallerExitedError extends UnattributedError {}
/** A caller under no service could be a workload's, but the reconciler could not be asked (→ UNAUTHENTICATED). */
export class WorkloadResolverUnavailableError extends UnattributedError {}

// ── PERMISSION_DENIED: attributed, but not allowed ──────────────────────────────────────────────

/** The purpose is outside the caller's policy, or the caller's name cannot be a key subject (→ PERMISSION_DENIED). */
export class PermissionDeniedError extends RpcPermissionDeniedError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ── RESOURCE_EXHAUSTED ──────────────────────────────────────────────────────────────────────────

/** The caller exceeded its derivation rate (→ RESOURCE_EXHAUSTED). */
export class RateLimitedError extends ResourceExhaustedError {
  constructor(
    message: string,
    /** Milliseconds until one more derivation would be allowed. */
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller's uid exceeded its call rate (→ RESOURCE_EXHAUSTED). */
export class UidRateLimitedError extends RateLimitedError {}

/** The caller's service already holds its share of keys.sock connections; this one is closed (→ RESOURCE_EXHAUSTED). */
export class ServiceConnectionLimitError extends ResourceExhaustedError {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

// ── UNAVAILABLE ─────────────────────────────────────────────────────────────────────────────────

/** The service has no usable master key (not started, stopped, or the key file was refused) (→ UNAVAILABLE). */
export class MasterKeyUnavailableError extends UnavailableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** fortros-init could not be asked which services it supervises, so no caller can be attributed (→ UNAVAILABLE). */
export class ServiceDirectoryUnavailableError extends UnavailableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ── Master key file: the service stays up, NOT_SERVING, with one of these as the reason ─────────

/** Base of the refusals of persist/keys/master.key. The file is never replaced. */
export class MasterKeyFileError extends KeyServiceError {
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
/** The key file has group or other permission bits. */
export class MasterKeyModeError extends MasterKeyFileError {}
/** The key file is not exactly 32 bytes. */
export class MasterKeySizeError extends MasterKeyFileError {}
/** The key path is not a regular file (directory, symlink, device…). */
export class MasterKeyNotRegularFileError extends MasterKeyFileError {}
/** The key file (or its directory) is owned by another uid than the service's. */
export class MasterKeyOwnerError extends MasterKeyFileError {}
/** A component of the key's path under the root (`persist`, `persist/keys`) is a symbolic link. */
export class MasterKeyPathSymlinkError extends MasterKeyFileError {}
/** The key file has more than one name (st_nlink ≠ 1): a hard link elsewhere may expose or replace it. */
export class MasterKeyHardLinkError extends MasterKeyFileError {}
/** The key file or its directory could not be read, created or synced (I/O or permission error). */
export class MasterKeyIoError extends MasterKeyFileError {}

// ── Policy file (startup) ───────────────────────────────────────────────────────────────────────

/** The policy file could not be read or is not valid; the message names the file and the field. */
export class PolicyFileError extends KeyServiceError {
  constructor(
    message: string,
    readonly path: string,
    readonly field: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// ── Command line ────────────────────────────────────────────────────────────────────────────────

/** The command line of fortros-keys is wrong (exit 2, usage printed by the daemon skeleton). */
export class UsageError extends DaemonUsageError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
