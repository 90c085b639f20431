// Reaps orphans that the kernel re-parents to init (PID 1 or a child subreaper) without stealing the exit
// status of children that init itself spawned: its spawner waits for those by pid, so init never reaps with
// waitpid(-1). waitid(P_ALL, WNOWAIT) names a zombie child without reaping it; one that is not init's own is
// then reaped by its pid, in O(1) per orphan, which keeps up with a fork storm. When the zombie named is one of
// init's own (its spawner has not collected it yet), the other children are found in /proc/self/task/*/children.
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '@fortros/log';
import { MAX_REAPED_PER_PASS } from '../constants.js';
import { loadLibc, PR_GET_CHILD_SUBREAPER, PR_SET_CHILD_SUBREAPER, WNOHANG } from './libc.js';

export interface ReaperComponents {
  /** True for a pid init spawned (its spawner reaps it and reports its status). */
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

/** Every child of this process (all threads' children lists); may miss one that moves meanwhile. */
function childPids(): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${tid}/children`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    for (const p of text.split(' ')) if (p.trim() !== '') out.push(Number(p));
  }
  return out;
}

export class Reaper {
  private reaped = 0;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly c: ReaperComponents) {}

  /** Orphans reaped since start. */
  get count(): number {
    return this.reaped;
  }

  /**
   * Reap every orphan zombie now. Each pass reaps at most MAX_REAPED_PER_PASS, then yields to the event loop
   * (so a storm never starves init) and goes on; calls made meanwhile coalesce into one more pass.
   */
  reap(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        while (this.pass() === MAX_REAPED_PER_PASS) await new Promise((resolve) => setImmediate(resolve));
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** One synchronous pass; returns how many it reaped. */
  private pass(): number {
    const libc = loadLibc();
    let n = 0;
    while (n < MAX_REAPED_PER_PASS) {
      const pid = libc.peekZombie();
      if (pid <= 0) return n; // no zombie child left (or no child at all)
      if (this.c.isOwnChild(pid)) return n + this.reapOthers(MAX_REAPED_PER_PASS - n);
      if (this.reapPid(pid)) n++;
      else return n; // not reapable after all (never expected): leave it to the next pass
    }
    return n;
  }

  /** The zombie waitid names first is init's own: reap the other dead children, found through /proc. */
  private reapOthers(limit: number): number {
    let n = 0;
    for (const pid of childPids()) {
      if (n >= limit) break;
      if (!this.c.isOwnChild(pid) && this.reapPid(pid)) n++;
    }
    return n;
  }

  private reapPid(pid: number): boolean {
    // Checked right before waiting: spawn() registers a pid synchronously, so a pid that is ours is never
    // unregistered while it is still a zombie its spawner has to collect.
    if (this.c.isOwnChild(pid)) return false;
    const status = [0];
    if (loadLibc().waitpid(pid, status, WNOHANG) !== pid) return false;
    this.reaped++;
    this.c.log.debug('reaped orphan', { pid, status: status[0] });
    return true;
  }
}
