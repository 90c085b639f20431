// One accepted unix-socket connection: the peer's credentials, a pidfd bound to the process that connected (closed
// with the connection), the calls in flight, and the idle timer; and the registry a server keeps of them.
import { closeSync } from 'node:fs';
import type net from 'node:net';
import { processStartTime } from '@fortros/procfs';
import { peerCredentials, peerPidfd, pidfdExited, pidfdOpen, socketFd, type PeerCredentials } from './peer-cred.js';

/**
 * `alive`: the process that connected still runs (so its pid is still its own). `exited`: it is gone (its pid may
 * belong to another process now). `unbound`: no pidfd (the kernel gave none, or the connection is closed), so it
 * cannot be told; a caller that must be identified is refused.
 */
export type PeerProcessState = 'alive' | 'exited' | 'unbound';

/**
 * How the pidfd was taken: `peer-pidfd` (SO_PEERPIDFD: the process that called connect, whatever happened since);
 * `pidfd-open` (kernels without SO_PEERPIDFD: pidfd_open of the pid at accept, kept only when the start time read
 * before it equals the one read after it, so it is the process that held the pid at accept); `none`.
 */
export type PeerBinding = 'peer-pidfd' | 'pidfd-open' | 'none';

/** Why a connection closed: the peer (or the server stopping) closed it, it was idle too long, or it was refused. */
export type ConnectionCloseReason = 'closed' | 'idle' | 'refused';

/**
 * Who may hold a connection (an app's limits): asked at accept, told when an admitted connection closes. RpcServer
 * closes a refused connection at once, before any byte is read from it.
 */
export interface ConnectionPolicy {
  /** undefined admits the connection; a string refuses it (the reason, for the policy's own logs and counters). */
  admit(connection: PeerConnection): string | undefined;
  /** Once per admitted connection, when it is closed (see `closeReason`). */
  closed(connection: PeerConnection): void;
  /** Close a connection when no call has been in flight on it for this long, in ms (0 or absent: never). */
  readonly idleTimeoutMs?: number;
}

export class PeerConnection {
  /** Kernel credentials at connect time (SO_PEERCRED); undefined when the kernel gave none. */
  readonly credentials: PeerCredentials | undefined;
  private pidfd: number | undefined;
  readonly binding: PeerBinding;
  private calls = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private released = false;
  closeReason: ConnectionCloseReason = 'closed';

  constructor(
    /** Unique on its server for the server's life (1, 2, …). */
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly idleTimeoutMs = 0,
  ) {
    const fd = socketFd(socket);
    const creds = peerCredentials(fd);
    let binding: PeerBinding = 'none';
    if (creds) {
      creds.connectionId = id;
      const startTime = processStartTime(creds.pid);
      if (startTime !== undefined) creds.startTime = startTime;
      this.pidfd = peerPidfd(fd);
      if (this.pidfd !== undefined) binding = 'peer-pidfd';
      else if (startTime !== undefined) {
        this.pidfd = pidfdOfStartTime(creds.pid, startTime);
        if (this.pidfd !== undefined) binding = 'pidfd-open';
      }
    }
    this.credentials = creds;
    this.binding = binding;
    this.armIdle();
  }

  /** Whether the pid of `credentials` still names the process that connected (see PeerProcessState). */
  processState(): PeerProcessState {
    if (this.pidfd === undefined || this.released) return 'unbound';
    return pidfdExited(this.pidfd) ? 'exited' : 'alive';
  }

  /** True once the connection is closed (its pidfd is then closed too). */
  get closed(): boolean {
    return this.released;
  }

  /** Calls in flight on this connection (app services only: health and reflection are not counted). */
  get activeCalls(): number {
    return this.calls;
  }

  /** Holds the pidfd (tests check that it is closed with the connection). */
  get pidfdNumber(): number | undefined {
    return this.released ? undefined : this.pidfd;
  }

  callStarted(): void {
    this.calls++;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  callEnded(): void {
    this.calls = Math.max(0, this.calls - 1);
    if (this.calls === 0) this.armIdle();
  }

  /** Close the connection (its calls are cut). */
  close(reason: ConnectionCloseReason = 'closed'): void {
    if (this.released) return;
    this.closeReason = reason;
    this.socket.destroy();
  }

  /** What logs and JSON show: never the socket. */
  toJSON(): { id: number; process: PeerProcessState; binding: PeerBinding } {
    return { id: this.id, process: this.processState(), binding: this.binding };
  }

  /** The socket closed: close the pidfd and stop the timer. Idempotent; RpcServer calls it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.idleTimer);
    if (this.pidfd !== undefined) closeSync(this.pidfd);
    this.pidfd = undefined;
  }

  private armIdle(): void {
    if (this.idleTimeoutMs <= 0 || this.released) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close('idle'), this.idleTimeoutMs);
    this.idleTimer.unref();
  }
}

/** pidfd_open(pid), kept only if the process it names still has `startTime` (else it is closed: undefined). */
export function pidfdOfStartTime(pid: number, startTime: number): number | undefined {
  const pidfd = pidfdOpen(pid);
  if (pidfd === undefined) return undefined;
  // read after the pidfd exists, while its process runs: the same start time means the same process
  if (processStartTime(pid) === startTime && !pidfdExited(pidfd)) return pidfd;
  closeSync(pidfd);
  return undefined;
}

/** The open connections of one server, by id. Bounded by the server's connection limit. */
export class ConnectionRegistry {
  private readonly open = new Map<number, PeerConnection>();
  private lastId = 0;

  constructor(private readonly idleTimeoutMs = 0) {}

  accept(socket: net.Socket): PeerConnection {
    const connection = new PeerConnection(++this.lastId, socket, this.idleTimeoutMs);
    this.open.set(connection.id, connection);
    return connection;
  }

  get(id: number): PeerConnection | undefined {
    return this.open.get(id);
  }

  release(connection: PeerConnection): void {
    connection.release();
    this.open.delete(connection.id);
  }

  get size(): number {
    return this.open.size;
  }
}
