// Exit codes every FortrOS daemon uses.

export const ExitCode = {
  /** Stopped on request (SIGTERM, SIGINT) after a clean start, or --help. */
  ok: 0,
  /** Could not start, or a fatal error. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
