// Error classes of fortros-wireguard, one per condition; none ever carries the private key.
import { RefusedFileError, UsageError as DaemonUsageError } from '@fortros/daemon';

/** The command line is wrong (the skeleton prints it with the usage text, exit 2). */
export class UsageError extends DaemonUsageError {
  override name = 'UsageError';
}

/** The key file is readable by others than its owner. */
export class KeyFileModeError extends RefusedFileError {
  override name = 'KeyFileModeError';
  constructor(
    path: string,
    readonly mode: number,
  ) {
    super(path, `${path}: mode ${(mode & 0o777).toString(8).padStart(4, '0')} is too open: a private key must be 0600 (chmod 600 ${path})`);
  }
}

/** The key file is not a regular file of one base64 key. */
export class KeyFileFormatError extends RefusedFileError {
  override name = 'KeyFileFormatError';
  constructor(path: string, reason: string) {
    super(path, `${path}: not a WireGuard private key file: ${reason}`);
  }
}

/** The interface could not be made, or its wireguard-go died, before it was up. */
export class MeshInterfaceFailedError extends Error {
  override name = 'MeshInterfaceFailedError';
  constructor(
    readonly interfaceName: string,
    reason: string,
  ) {
    super(`mesh interface ${interfaceName}: ${reason}`);
  }
}
