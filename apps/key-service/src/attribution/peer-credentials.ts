// The kernel's word on who is at the other end of a unix socket: getsockopt(SO_PEERCRED) through koffi.
import type { Socket } from 'node:net';
import koffi from 'koffi';
import { PeerCredentialsError } from '../errors.js';

/** `struct ucred` as the kernel fills it: the peer's pid, uid and gid at connect() time. */
export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

/** SOL_SOCKET and SO_PEERCRED: generic Linux values, with the architectures that differ. */
function sockoptNumbers(): { level: number; name: number } {
  switch (process.arch) {
    case 'ppc':
    case 'ppc64':
      return { level: 1, name: 21 };
    case 'mips':
    case 'mipsel':
      return { level: 0xffff, name: 18 };
    default:
      return { level: 1, name: 17 };
  }
}

type GetPeerCred = (fd: number, level: number, name: number, out: Partial<PeerCredentials>, len: number[]) => number;

interface Binding {
  getsockopt: GetPeerCred;
  size: number;
}

let binding: Binding | undefined; // the libc symbol, bound on first use (koffi types are process-global anyway)

function bind(): Binding {
  if (binding) return binding;
  if (process.platform !== 'linux') throw new PeerCredentialsError(`SO_PEERCRED: only on Linux, not ${process.platform}`);
  const ucred = koffi.struct({ pid: 'int32_t', uid: 'uint32_t', gid: 'uint32_t' });
  const libc = koffi.load(null); // the symbols node itself links: glibc or musl alike
  const fn = libc.func('getsockopt', 'int', ['int', 'int', 'int', koffi.out(koffi.pointer(ucred)), koffi.inout(koffi.pointer('uint32_t'))]);
  binding = { getsockopt: fn as unknown as GetPeerCred, size: koffi.sizeof(ucred) };
  return binding;
}

/** getsockopt(fd, SOL_SOCKET, SO_PEERCRED) on a connected unix socket. Throws PeerCredentialsError. */
export function peerCredentials(socketFd: number): PeerCredentials {
  if (!Number.isInteger(socketFd) || socketFd < 0) {
    throw new PeerCredentialsError(`SO_PEERCRED: expected a socket fd, got ${socketFd}`);
  }
  const { getsockopt, size } = bind();
  const { level, name } = sockoptNumbers();
  const out: Partial<PeerCredentials> = {};
  const len = [size];
  const rc = getsockopt(socketFd, level, name, out, len);
  if (rc !== 0) {
    const errno = koffi.errno();
    const label = Object.entries(koffi.os.errno).find(([, v]) => v === errno)?.[0] ?? `errno ${errno}`;
    throw new PeerCredentialsError(`SO_PEERCRED on fd ${socketFd} failed: ${label}`);
  }
  if (len[0] !== size || typeof out.pid !== 'number' || out.pid <= 0) {
    throw new PeerCredentialsError(`SO_PEERCRED on fd ${socketFd}: no peer process (not a connected unix socket?)`);
  }
  return { pid: out.pid, uid: out.uid ?? -1, gid: out.gid ?? -1 };
}

/**
 * The fd of a connected net.Socket (a unix socket accepted by a net.Server). Node keeps it on the libuv
 * handle (`socket._handle.fd`), which is not public API but has been stable for every Linux release of Node.
 */
export function socketFd(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new PeerCredentialsError('SO_PEERCRED: the socket has no fd (closed, or not backed by a kernel socket)');
  }
  return fd;
}

/** SO_PEERCRED of an accepted net.Socket. */
export function socketPeerCredentials(socket: Socket): PeerCredentials {
  return peerCredentials(socketFd(socket));
}
