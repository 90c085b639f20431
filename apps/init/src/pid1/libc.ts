// The few libc calls Node has no API for (prctl, waitpid, sync, reboot, pipe2), bound once through koffi.
import { koffi } from './koffi-native.js';

export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_GET_CHILD_SUBREAPER = 37;
export const WNOHANG = 1;
/** waitid(2): idtype P_ALL, options WEXITED and WNOWAIT (leave the child waitable). */
export const P_ALL = 0;
export const WEXITED = 4;
export const WNOWAIT = 0x01000000;
/** sizeof(siginfo_t) on Linux, and the offset of si_pid in it (64-bit ABIs). */
const SIGINFO_BYTES = 128;
const SIGINFO_PID_OFFSET = 16;
/** fcntl(2) record locks: F_SETLK, F_WRLCK, and sizeof(struct flock) on 64-bit Linux. */
const F_SETLK = 6;
const F_WRLCK = 1;
const FLOCK_BYTES = 32;
/** reboot(2) commands (linux/reboot.h). */
export const LINUX_REBOOT_CMD_RESTART = 0x01234567;
export const LINUX_REBOOT_CMD_HALT = 0xcdef0123;
export const LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
/** pipe2(2) flag: both ends close on exec (asm-generic/fcntl.h). */
export const O_CLOEXEC = 0o2000000;

export interface Libc {
  prctl(option: number, arg2: number, arg3: number, arg4: number, arg5: number): number;
  prctlGet(option: number, out: number[]): number;
  waitpid(pid: number, status: number[], options: number): number;
  mkfifo(path: string, mode: number): number;
  /** fcntl(fd, F_SETLK) of a whole-file write lock (POSIX record lock, as skalibs' fd_lock); 0, or -1 + errno. */
  lockFile(fd: number): number;
  /** The pid of a zombie child, left unreaped (waitid P_ALL, WEXITED | WNOHANG | WNOWAIT); 0 if none, -1 on error. */
  peekZombie(): number;
  sync(): void;
  reboot(cmd: number): number;
  /** Fills `fds` with [read end, write end]; returns 0, or -1 with errno set. */
  pipe2(fds: Int32Array, flags: number): number;
  errno(): number;
}

let libc: Libc | undefined;

export function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi().load('libc.so.6');
  const errnoLocation = lib.func('int *__errno_location()');
  const fcntl = lib.func('int fcntl(int fd, int cmd, ...)');
  const waitid = lib.func('int waitid(int idtype, int id, _Out_ uint8_t *info, int options)');
  const info = Buffer.alloc(SIGINFO_BYTES);
  libc = {
    mkfifo: lib.func('int mkfifo(const char *path, uint32_t mode)'),
    lockFile: (fd) => {
      const flock = Buffer.alloc(FLOCK_BYTES); // l_type F_WRLCK, l_whence SEEK_SET, l_start 0, l_len 0 (all)
      flock.writeInt16LE(F_WRLCK, 0);
      return fcntl(fd, F_SETLK, 'uint8_t *', flock) as number;
    },
    peekZombie: () => {
      info.fill(0);
      const r = waitid(P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT) as number;
      return r === 0 ? info.readInt32LE(SIGINFO_PID_OFFSET) : -1;
    },
    prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
    prctlGet: lib.func('prctl', 'int', ['int', koffi().out(koffi().pointer('int'))]) as unknown as Libc['prctlGet'],
    waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
    sync: lib.func('void sync()'),
    reboot: lib.func('int reboot(int cmd)'),
    pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
    errno: () => koffi().decode(errnoLocation(), 'int') as number,
  };
  return libc;
}
