// SO_PEERCRED: the kernel's word on who is at the other end of a unix socket (pid, uid, gid), via koffi.
import koffi from 'koffi';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
  /** Start time of pid (clock ticks since boot, /proc/PID/stat field 22) read when the connection was accepted,
   * so a pid reused later is told apart. Absent if it could not be read. */
  startTime?: number;
}

/** SOL_SOCKET and SO_PEERCRED: the generic Linux values, and the architectures that differ. */
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

interface Libc {
  getsockopt: (fd: number, level: number, name: number, value: Buffer, len: number[]) => number;
}
let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load(null as unknown as string); // the symbols node itself links: glibc or musl alike
  libc = { getsockopt: lib.func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *len)') };
  return libc;
}

/** Peer credentials of the connected unix socket `fd`; undefined if the kernel gives none. */
export function peerCredentials(fd: number): PeerCredentials | undefined {
  if (process.platform !== 'linux' || fd < 0) return undefined;
  const buf = Buffer.alloc(12);
  const len = [12];
  const { level, name } = sockoptNumbers();
  if (load().getsockopt(fd, level, name, buf, len) !== 0 || len[0] !== 12) return undefined;
  const pid = buf.readInt32LE(0);
  if (pid <= 0) return undefined;
  return { pid, uid: buf.readUInt32LE(4), gid: buf.readUInt32LE(8) };
}

/** The fd of a net.Socket's handle (a libuv pipe), or -1. */
export function socketFd(socket: unknown): number {
  const handle = (socket as { _handle?: { fd?: number } } | undefined)?._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

const PEER_PREFIX = 'unix-peer:';

/** How credentials ride in grpc-js's peer string (set on the accepted socket's remoteAddress). */
export function encodePeer(creds: PeerCredentials): string {
  const start = creds.startTime !== undefined ? `,start=${creds.startTime}` : '';
  return `${PEER_PREFIX}pid=${creds.pid},uid=${creds.uid},gid=${creds.gid}${start}`;
}

export function decodePeer(peer: string): PeerCredentials | undefined {
  const m = /^unix-peer:pid=(\d+),uid=(\d+),gid=(\d+)(?:,start=(\d+))?$/.exec(peer);
  if (!m) return undefined;
  const creds: PeerCredentials = { pid: Number(m[1]), uid: Number(m[2]), gid: Number(m[3]) };
  if (m[4] !== undefined) creds.startTime = Number(m[4]);
  return creds;
}
