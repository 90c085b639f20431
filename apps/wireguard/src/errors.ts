// Error classes of fortros-wireguard, one per condition; none ever carries the private key.

/** The command line is wrong. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The key file is readable by others than its owner. */
export class KeyFileModeError extends Error {
  override name = 'KeyFileModeError';
  constructor(
    readonly path: string,
    readonly mode: number,
  ) {
    super(`${path}: mode ${(mode & 0o777).toString(8).padStart(4, '0')} is too open: a private key must be 0600 (chmod 600 ${path})`);
  }
}

/** The key file is not a regular file of one base64 key. */
export class KeyFileFormatError extends Error {
  override name = 'KeyFileFormatError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: not a WireGuard private key file: ${reason}`);
  }
}
