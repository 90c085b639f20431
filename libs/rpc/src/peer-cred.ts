// The kernel's word on who is at the other end of a unix socket: SO_PEERCRED (pid, uid, gid) and SO_PEERPIDFD (a
// pidfd for that very process), read through koffi; and how credentials ride in grpc-js's peer string.
import koffi from 'koffi';
import type { PeerConnection } from './peer-connection.js';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
  /** Start time of pid (clock ticks since boot, /proc/PID/stat field 22) read when the connection was accepted.
   * Informational: the process is bound by the connection's pidfd, not by this. Absent if it could not be read. */
  startTime?: number;
  /** Number of the connection on its server (see PeerConnection.id). */
  connectionId?: number;
  /** The live connection, set by RpcServer for each call: its pidfd tells whether the process that connected is
   * still alive. Absent when the connection is already closed or the call came over TCP. */
  connection?: PeerConnection;
}

/** SOL_SOCKET, SO_PEERCRED and SO_PEERPIDFD: the generic Linux values, and the architectures that differ. */
function sockoptNumbers(): { level: number; peerCred: number; peerPidfd: number } {
  switch (process.arch) {
    case 'ppc':
    case 'ppc64':
      return { level: 1, peerCred: 21, peerPidfd: 77 };
    case 'mips':
    case 'mipsel':
      return { level: 0xffff, peerCred: 18, peerPidfd: 77 };
    default:
      return { level: 1, peerCred: 17, peerPidfd: 77 };
  }
}

/** poll(2): POLLIN on a pidfd means its process has exited (linux/pidfd.h semantics). */
const POLLIN = 0x1;
/** struct pollfd { int fd; short events; short revents; } */
const POLLFD_BYTES = 8;

/** pidfd_open(2): the same number on every architecture Node runs on (the unified table since Linux 5.1). */
const SYS_PIDFD_OPEN = 434;
/** pidfd_open flag: none (a blocking pidfd; it is only polled with a zero timeout). */
const PIDFD_OPEN_FLAGS = 0;

interface Libc {
  getsockopt: (fd: number, level: number, name: number, value: Buffer, len: number[]) => number;
  poll: (fds: Buffer, nfds: number, timeoutMs: number) => number;
  syscall: (...args: unknown[]) => number;
}
let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load(null as unknown as string); // the symbols node itself links: glibc or musl alike
  libc = {
    getsockopt: lib.func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *len)'),
    poll: lib.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
    syscall: lib.func('long syscall(long number, ...)') as unknown as Libc['syscall'],
  };
  return libc;
}

/** Peer credentials of the connected unix socket `fd`; undefined if the kernel gives none. */
export function peerCredentials(fd: number): PeerCredentials | undefined {
  if (process.platform !== 'linux' || fd < 0) return undefined;
  const buf = Buffer.alloc(12);
  const len = [12];
  const { level, peerCred } = sockoptNumbers();
  if (load().getsockopt(fd, level, peerCred, buf, len) !== 0 || len[0] !== 12) return undefined;
  const pid = buf.readInt32LE(0);
  if (pid <= 0) return undefined;
  return { pid, uid: buf.readUInt32LE(4), gid: buf.readUInt32LE(8) };
}

/**
 * A pidfd (close-on-exec) for the process that called connect(2) on the peer end of unix socket `fd`: the kernel
 * keeps that process's struct pid with the socket, so the pidfd names that process and no later holder of its pid
 * number (Linux ≥ 6.5; for a peer already gone, ≥ 6.17 gives a pidfd that polls as exited). Undefined when the
 * kernel gives none (older kernel, no peer). The caller owns the fd and must close it.
 */
export function peerPidfd(fd: number): number | undefined {
  if (process.platform !== 'linux' || fd < 0) return undefined;
  const buf = Buffer.alloc(4);
  const len = [4];
  const { level, peerPidfd: name } = sockoptNumbers();
  if (load().getsockopt(fd, level, name, buf, len) !== 0 || len[0] !== 4) return undefined;
  const pidfd = buf.readInt32LE(0);
  return pidfd >= 0 ? pidfd : undefined;
}

/**
 * pidfd_open(2) of whoever holds `pid` now (close-on-exec); undefined when no process does (or the kernel, < 5.3,
 * has no pidfds). Unlike peerPidfd it is not tied to the connection: RpcServer uses it only where SO_PEERPIDFD is
 * missing, with a start-time match around it.
 */
export function pidfdOpen(pid: number): number | undefined {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const fd = load().syscall(SYS_PIDFD_OPEN, 'int', pid, 'unsigned int', PIDFD_OPEN_FLAGS);
  return fd >= 0 ? fd : undefined;
}

/** True once the process of `pidfd` has exited (zombie or reaped); false while it runs. Never blocks. */
export function pidfdExited(pidfd: number): boolean {
  const pfd = Buffer.alloc(POLLFD_BYTES);
  pfd.writeInt32LE(pidfd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  const n = load().poll(pfd, 1, 0);
  if (n < 0) throw new Error(`poll(pidfd ${pidfd}) failed`);
  return n > 0 && (pfd.readInt16LE(6) & POLLIN) !== 0;
}

/** The fd of a net.Socket's handle (a libuv pipe), or -1. */
export function socketFd(socket: unknown): number {
  const handle = (socket as { _handle?: { fd?: number } } | undefined)?._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

const PEER_PATTERN = /^unix-peer:(?:conn=(\d+),)?pid=(\d+),uid=(\d+),gid=(\d+)(?:,start=(\d+))?$/;

/** How credentials ride in grpc-js's peer string (set on the accepted socket's remoteAddress). */
export function encodePeer(creds: PeerCredentials): string {
  const conn = creds.connectionId !== undefined ? `conn=${creds.connectionId},` : '';
  const start = creds.startTime !== undefined ? `,start=${creds.startTime}` : '';
  return `unix-peer:${conn}pid=${creds.pid},uid=${creds.uid},gid=${creds.gid}${start}`;
}

export function decodePeer(peer: string): PeerCredentials | undefined {
  const m = PEER_PATTERN.exec(peer);
  if (!m) return undefined;
  const creds: PeerCredentials = { pid: Number(m[2]), uid: Number(m[3]), gid: Number(m[4]) };
  if (m[1] !== undefined) creds.connectionId = Number(m[1]);
  if (m[5] !== undefined) creds.startTime = Number(m[5]);
  return creds;
}
