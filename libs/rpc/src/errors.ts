// Errors that carry a gRPC status: app errors extend these, and the status map keeps their code.
import { status } from '@grpc/grpc-js';

export { status as StatusCode };

/** An error whose message is safe to show to the client and whose code is known. */
export abstract class StatusError extends Error {
  abstract readonly code: status;
}

export class InvalidArgumentError extends StatusError {
  override name = 'InvalidArgumentError';
  readonly code = status.INVALID_ARGUMENT;
}
export class NotFoundError extends StatusError {
  override name = 'NotFoundError';
  readonly code = status.NOT_FOUND;
}
export class AlreadyExistsError extends StatusError {
  override name = 'AlreadyExistsError';
  readonly code = status.ALREADY_EXISTS;
}
export class FailedPreconditionError extends StatusError {
  override name = 'FailedPreconditionError';
  readonly code = status.FAILED_PRECONDITION;
}
export class PermissionDeniedError extends StatusError {
  override name = 'PermissionDeniedError';
  readonly code = status.PERMISSION_DENIED;
}
export class UnauthenticatedError extends StatusError {
  override name = 'UnauthenticatedError';
  readonly code = status.UNAUTHENTICATED;
}
export class UnavailableError extends StatusError {
  override name = 'UnavailableError';
  readonly code = status.UNAVAILABLE;
}
export class ResourceExhaustedError extends StatusError {
  override name = 'ResourceExhaustedError';
  readonly code = status.RESOURCE_EXHAUSTED;
}
export class AbortedError extends StatusError {
  override name = 'AbortedError';
  readonly code = status.ABORTED;
}
export class DeadlineExceededError extends StatusError {
  override name = 'DeadlineExceededError';
  readonly code = status.DEADLINE_EXCEEDED;
}

/** Client side: a call that ended with a non-OK status. `code` is the gRPC status code. */
export class RpcCallError extends Error {
  override name = 'RpcCallError';
  constructor(
    readonly code: status,
    readonly details: string,
    readonly method: string,
  ) {
    super(`${method}: ${status[code] ?? code}: ${details}`);
  }
}

/** Server side: the socket path is held by a live server. */
export class SocketInUseError extends Error {
  override name = 'SocketInUseError';
}

/** Server side: a descriptor set for reflection is malformed, inconsistent, or lacks a file or service it must hold. */
export class DescriptorSetError extends Error {
  override name = 'DescriptorSetError';
}
