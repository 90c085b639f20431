// Errors of the /proc readers: one class per condition, `name` set.

/** /proc/PID/stat does not exist: the process is gone. */
export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
  }
}

/** /proc/PID/stat exists but could not be parsed. */
export class ProcStatParseError extends Error {
  override readonly name = 'ProcStatParseError';
}
