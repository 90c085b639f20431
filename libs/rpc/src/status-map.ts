// The one place that maps an error thrown by a handler to a gRPC status (STYLE §13).
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from '@fortros/log';
import { StatusError } from './errors.js';

export const INTERNAL_MESSAGE = 'internal error';

/** Known errors keep their code and message; aborts become CANCELLED; anything else is logged and INTERNAL. */
export function toServiceError(err: unknown, method: string, log: Logger, signal?: AbortSignal): Partial<ServiceError> {
  let code: status;
  let details: string;
  if (err instanceof StatusError) {
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
