// fortros-console's errors: one class per condition, `name` set; messages name the flag, file or daemon involved.
import { UsageError as DaemonUsageError } from '@fortros/daemon';

/** A bad command line (exit 2, usage printed). */
export class UsageError extends DaemonUsageError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Listening beyond loopback was asked for without --allow-remote and a credential. */
export class RemoteWithoutCredentialError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteWithoutCredentialError';
  }
}

/** --token-file cannot be read or holds no usable credential. */
export class TokenFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`--token-file ${file}: ${message}`, options);
    this.name = 'TokenFileError';
  }
}

/** A daemon's socket is absent or the daemon did not answer: shown on the page, never a 500. */
export class DaemonDownError extends Error {
  constructor(
    readonly daemon: string,
    readonly socket: string,
    readonly why: string,
  ) {
    super(`${daemon} is not answering on ${socket}: ${why}`);
    this.name = 'DaemonDownError';
  }
}
