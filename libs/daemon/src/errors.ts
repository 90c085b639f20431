// Errors of the daemon skeleton, one class per condition.

/** The command line is wrong: the skeleton prints it with the usage text and exits 2. Apps' UsageErrors extend it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A file the daemon was told to use (a key, a policy) is refused as it stands: like a usage error, only a person can
 * fix it, so a start that fails with one exits 2 (ExitCode.usage), not 1. Apps' refusal errors extend it.
 */
export class RefusedFileError extends Error {
  override name = 'RefusedFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A component's stop() did not finish within its bound; the stop went on with the next component. */
export class StopTimeoutError extends Error {
  override readonly name = 'StopTimeoutError';
  constructor(
    readonly component: string,
    readonly timeoutMs: number,
  ) {
    super(`${component}: did not stop within ${timeoutMs} ms`);
  }
}
