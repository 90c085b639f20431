// The few libc calls Node has no API for (prctl, waitpid, sync, reboot, pipe2), bound once through koffi.
import koffi from 'koffi';

export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_GET_CHILD_SUBREAPER = 37;
export const WNOHANG = 1;
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
  sync(): void;
  reboot(cmd: number): number;
  /** Fills `fds` with [read end, write end]; returns 0, or -1 with errno set. */
  pipe2(fds: Int32Array, flags: number): number;
  errno(): number;
}

let libc: Libc | undefined;

export function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  const errnoLocation = lib.func('int *__errno_location()');
  libc = {
    prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
    prctlGet: lib.func('prctl', 'int', ['int', koffi.out(koffi.pointer('int'))]) as unknown as Libc['prctlGet'],
    waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
    sync: lib.func('void sync()'),
    reboot: lib.func('int reboot(int cmd)'),
    pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
    errno: () => koffi.decode(errnoLocation(), 'int') as number,
  };
  return libc;
}
