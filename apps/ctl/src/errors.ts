// fortctl's error classes: one per exit condition, branched on by class (never by message).
/** The command line is wrong: exit 2, usage on stderr. `command` names the command whose usage to print. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The operation was attempted and did not succeed (NOT_FOUND, a wait that timed out…): exit 1. */
export class OperationFailedError extends Error {
  override name = 'OperationFailedError';
}

/** The daemon cannot be reached on its socket: exit 3. `socket` is the path tried. */
export class DaemonUnreachableError extends Error {
  override name = 'DaemonUnreachableError';
  constructor(
    message: string,
    readonly socket: string,
  ) {
    super(message);
  }
}
