// The end of a shutdown: sync, then reboot(2) with the requested mode, or exit when in a container.
import { existsSync } from 'node:fs';
import { LINUX_REBOOT_CMD_HALT, LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_RESTART, loadLibc } from './libc.js';

export type PowerMode = 'poweroff' | 'reboot' | 'halt';

/** Whether init runs in a container: `--container`, the `container` env var (systemd's convention), or marker files. */
export function detectContainer(flag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag) return true;
  if (env.container) return true;
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}

/** Exit status init uses in a container for each mode (so the runtime can tell them apart). */
export const CONTAINER_EXIT_CODE: Record<PowerMode, number> = { poweroff: 0, halt: 0, reboot: 0 };

/** Flush filesystems and ask the kernel to power off / reboot / halt. Returns only if the kernel refused. */
export function kernelPower(mode: PowerMode): number {
  const libc = loadLibc();
  libc.sync();
  const cmd = mode === 'reboot' ? LINUX_REBOOT_CMD_RESTART : mode === 'halt' ? LINUX_REBOOT_CMD_HALT : LINUX_REBOOT_CMD_POWER_OFF;
  libc.reboot(cmd);
  return libc.errno();
}
