// Error classes of libs/netlab, one per condition.

/** An ip, nft or other command run by the lab failed or timed out. */
export class LabCommandError extends Error {
  override name = 'LabCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`\`${command}\` failed (exit ${exitCode ?? 'none'}): ${stderr.trim() || '(no stderr)'}`);
  }
}

/** A lab argument (prefix, node, percentage, group) is malformed or out of bounds. */
export class LabArgumentError extends Error {
  override name = 'LabArgumentError';
  constructor(field: string, expected: string, got: unknown) {
    super(`${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  }
}

/** The lab was used after destroy(). */
export class LabDestroyedError extends Error {
  override name = 'LabDestroyedError';
  constructor(prefix: string) {
    super(`lab ${prefix} was destroyed`);
  }
}
