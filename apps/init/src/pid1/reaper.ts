// Reaps orphans that the kernel re-parents to init (PID 1 or a child subreaper) without stealing the exit
// status of children that Node itself spawned: libuv waits for those by pid, so we never call waitpid(-1).
// We wait only for zombies whose parent is us and whose pid the spawner does not own.
import { readdir } from 'node:fs/promises';
import { readProcStat } from '@fortros/procfs';
import type { Logger } from '@fortros/log';
import { loadLibc, PR_GET_CHILD_SUBREAPER, PR_SET_CHILD_SUBREAPER, WNOHANG } from './libc.js';

export interface ReaperComponents {
  /** True for a pid spawned through child_process (libuv reaps it and reports its status). */
  isOwnChild(pid: number): boolean;
  log: Logger;
}

/** Make this process a child subreaper, unless it is PID 1 (which already is one). Returns whether it is now. */
export function becomeSubreaper(): boolean {
  if (process.pid === 1) return true;
  const libc = loadLibc();
  if (libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) return false;
  const out = [0];
  return libc.prctlGet(PR_GET_CHILD_SUBREAPER, out) === 0 && out[0] === 1;
}

export class Reaper {
  private reaped = 0;
  private scanning: Promise<void> | undefined;
  private rescan = false;

  constructor(private readonly c: ReaperComponents) {}

  /** Orphans reaped since start. */
  get count(): number {
    return this.reaped;
  }

  /** Reap every orphan zombie now. Concurrent calls coalesce into one more scan. */
  reap(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.rescan = false;
        await this.scanOnce();
      } while (this.rescan);
    })().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const me = process.pid;
    const libc = loadLibc();
    const entries = await readdir('/proc').catch(() => [] as string[]);
    for (const name of entries) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (this.c.isOwnChild(pid)) continue;
      const st = await readProcStat(pid);
      if (!st || st.ppid !== me || st.state !== 'Z') continue;
      // Checked again right before waiting: spawn() registers a pid synchronously, so a pid that is ours
      // is never unregistered while it is still a zombie libuv has to collect.
      if (this.c.isOwnChild(pid)) continue;
      const status = [0];
      const r = libc.waitpid(pid, status, WNOHANG);
      if (r === pid) {
        this.reaped++;
        this.c.log.debug('reaped orphan', { pid, status: status[0] });
      }
    }
  }
}
