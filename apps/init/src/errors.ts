// Errors of fortros-init: one class per condition (STYLE §12); messages name the service, file or option.
// Errors a control call can meet extend a libs/rpc status class, so the one error map keeps their gRPC code.
import { UsageError as DaemonUsageError } from '@fortros/daemon';
import { expectedGot, SIGNAL_RULE_TEXT } from '@fortros/core';
import { AbortedError, FailedPreconditionError, InvalidArgumentError, NotFoundError, ResourceExhaustedError, UnavailableError } from '@fortros/rpc';

/** A command-line or environment option is invalid (exit status 2). */
export class UsageError extends DaemonUsageError {
  override readonly name = 'UsageError';
}

/** The bundle to boot (`--bundle`, default `default`) is not in the service tree. */
export class MissingBundleError extends Error {
  override readonly name = 'MissingBundleError';
  constructor(readonly bundle: string, readonly source: string) {
    super(`bundle "${bundle}" not found in the service tree ${source}`);
  }
}

/** A name that is not a service of the loaded tree. */
export class UnknownServiceError extends NotFoundError {
  override readonly name = 'UnknownServiceError';
  constructor(readonly service: string) {
    super(`unknown service "${service}"`);
  }
}

/** A service that failed to load and so can never run. */
export class ServiceLoadError extends FailedPreconditionError {
  override readonly name = 'ServiceLoadError';
  constructor(readonly service: string, readonly reason: string) {
    super(`service "${service}" failed to load: ${reason}`);
  }
}

/** A service reached `failed` while a caller waited for it to be ready. */
export class ServiceFailedError extends FailedPreconditionError {
  override readonly name = 'ServiceFailedError';
  constructor(readonly service: string, readonly reason: string) {
    super(`service "${service}" failed: ${reason}`);
  }
}

/** A service can never start because a dependency failed. */
export class DependencyFailedError extends FailedPreconditionError {
  override readonly name = 'DependencyFailedError';
  constructor(readonly service: string, readonly dependency: string, readonly reason: string) {
    super(`service "${service}" cannot start: dependency ${dependency} failed: ${reason}`);
  }
}

/** A start was overtaken by a stop (or a stop by a start) before it completed. */
export class RequestSupersededError extends AbortedError {
  override readonly name = 'RequestSupersededError';
  constructor(readonly service: string, what: string) {
    super(`${what} of service "${service}" was superseded by a later request`);
  }
}

/** `flag-essential` services are not stopped by a stop request (only by the final shutdown). */
export class EssentialServiceError extends FailedPreconditionError {
  override readonly name = 'EssentialServiceError';
  constructor(readonly service: string, readonly essential: string[]) {
    super(`cannot stop "${service}": essential service(s) ${essential.join(', ')} (flag-essential) would stop; only shutdown stops them`);
  }
}

/** A signal was asked for a service that has no process right now. */
export class ServiceNotRunningError extends FailedPreconditionError {
  override readonly name = 'ServiceNotRunningError';
  constructor(readonly service: string) {
    super(`service "${service}" has no running process`);
  }
}

/** A signal name that is not a signal by the one rule of @fortros/core (signals.ts). */
export class InvalidSignalError extends InvalidArgumentError {
  override readonly name = 'InvalidSignalError';
  constructor(readonly signal: string) {
    super(`signal: ${expectedGot(SIGNAL_RULE_TEXT, signal)}`);
  }
}

/** The supervisor is stopped, or shutting down, and refuses new work. */
export class SupervisorStoppedError extends UnavailableError {
  override readonly name = 'SupervisorStoppedError';
  constructor(what: string) {
    super(`supervisor is shutting down or stopped: ${what} refused`);
  }
}

/** Too many pending requests (bounded queues, STYLE §7). */
export class TooManyRequestsError extends ResourceExhaustedError {
  override readonly name = 'TooManyRequestsError';
  constructor(what: string, limit: number) {
    super(`${what}: expected at most ${limit} pending, got more`);
  }
}

/** A program could not be spawned (not found, not executable). */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(readonly file: string, reason: string) {
    super(`cannot execute ${file}: ${reason}`);
  }
}

/** A lifecycle step was asked for an event that cannot happen in the service's state (a bug). */
export class ImpossibleEventError extends Error {
  override readonly name = 'ImpossibleEventError';
  constructor(readonly service: string, readonly state: string, readonly event: string) {
    super(`service "${service}": event ${event} is impossible in state ${state}`);
  }
}

/** The supervisor's goal was given an event that cannot happen in its phase (a bug). */
export class ImpossibleGoalEventError extends Error {
  override readonly name = 'ImpossibleGoalEventError';
  constructor(readonly service: string, readonly phase: string, readonly intent: string, readonly event: string) {
    super(`goal of service "${service}": event ${event} is impossible in phase ${phase} with intent ${intent}`);
  }
}

/** A WatchEvents consumer fell too far behind. */
export class EventBacklogError extends ResourceExhaustedError {
  override readonly name = 'EventBacklogError';
  constructor(limit: number) {
    super(`event stream: the consumer fell more than ${limit} events behind; watch again`);
  }
}

/** init could not create the pipe of a log pipeline (`producer-for` / `consumer-for`). */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(readonly consumer: string, readonly errno: string) {
    super(`cannot create the log pipeline pipe of consumer "${consumer}": ${errno}`);
  }
}

/** A health check machine was given an event that cannot happen in its state (a bug). */
export class ImpossibleHealthEventError extends Error {
  override readonly name = 'ImpossibleHealthEventError';
  constructor(readonly state: string, readonly event: string) {
    super(`health check: event ${event} is impossible in state ${state}`);
  }
}
