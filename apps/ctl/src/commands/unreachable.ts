// Why a daemon cannot be reached, in words: no raw grpc-js text, always the socket and what to do about it.
import { access, constants, lstat } from 'node:fs/promises';
import { DaemonUnreachableError } from '../errors.js';

/** The usual cause of a failed connect, read from the system error code grpc-js or the kernel reported. */
export function unreachableReason(daemon: string, socket: string, detail: string): string {
  if (/ECONNREFUSED/.test(detail)) return `nothing is listening on ${socket}: ${daemon} is not running (the socket is left over)`;
  if (/EACCES|EPERM/.test(detail)) return `permission denied on ${socket} (run as root or as the socket's owner)`;
  if (/ENOENT/.test(detail)) return `${socket} does not exist: ${daemon} is not running (see --root, --socket)`;
  if (/ENOTSOCK|ENOTDIR/.test(detail)) return `${socket} is not a socket (see --root, --socket)`;
  if (/No connection established|Connection dropped|Failed to connect|read ECONNRESET|EPIPE/.test(detail)) {
    return `${daemon} at ${socket} stopped answering (it is stopping, or it is not running)`;
  }
  return `${daemon} at ${socket} is unavailable: ${detail}`; // the daemon's own words (e.g. no usable master key)

}

/** DaemonUnreachableError for a failed call on `socket` (gRPC UNAVAILABLE), its details turned into words. */
export function unreachableError(daemon: string, socket: string, detail: string): DaemonUnreachableError {
  return new DaemonUnreachableError(`cannot reach ${daemon}: ${unreachableReason(daemon, socket, detail)}`, socket);
}

/** Before connecting: `socket` exists, is a socket and we may write to it (else DaemonUnreachableError saying which). */
export async function checkSocket(daemon: string, socket: string): Promise<void> {
  const fail = (err: NodeJS.ErrnoException): never => {
    throw unreachableError(daemon, socket, err.code ?? err.message);
  };
  const st = await lstat(socket).catch(fail);
  if (!st.isSocket()) fail(Object.assign(new Error('not a socket'), { code: 'ENOTSOCK' }));
  await access(socket, constants.W_OK).catch(fail);
}
