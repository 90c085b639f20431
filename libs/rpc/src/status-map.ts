// The one place that maps an error thrown by a handler to a gRPC status (STYLE §13).
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from '@fortros/log';
import { SERVER_STOPPING } from './abort-reasons.js';
import { StatusError } from './errors.js';

export const INTERNAL_MESSAGE = 'internal error';

/** The service of a full method name: `fortros.init.v1.Init` for `/fortros.init.v1.Init/GetService`. */
export function serviceOf(method: string): string {
  const slash = method.lastIndexOf('/');
  return slash > 0 ? method.slice(method.startsWith('/') ? 1 : 0, slash) : method;
}

/**
 * A call the server's stop cut short is UNAVAILABLE naming its service, whatever the handler threw in response (so
 * clients retry or reconnect); known errors keep their code and message; other aborts become CANCELLED; anything else
 * is logged and INTERNAL.
 */
export function toServiceError(err: unknown, method: string, log: Logger, signal?: AbortSignal): Partial<ServiceError> {
  let code: status;
  let details: string;
  if (signal?.reason === SERVER_STOPPING) {
    code = status.UNAVAILABLE;
    details = `${serviceOf(method)} is stopping`;
  } else if (err instanceof StatusError) {
    code = err.code;
    details = err.message;
  } else if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
    code = status.CANCELLED;
    details = 'cancelled';
  } else {
    log.error('handler failed', { method, err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    code = status.INTERNAL;
    details = INTERNAL_MESSAGE;
  }
  return { code, details, metadata: new Metadata(), name: 'Error', message: details };
}
