// Errors of the daemon skeleton, one class per condition.

/** The command line is wrong: the skeleton prints it with the usage text and exits 2. Apps' UsageErrors extend it. */
export class UsageError extends Error {
  override name = 'UsageError';
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
