// Which supervised service a process belongs to: walk its ancestry in /proc up to a service's main pid.
import { MAX_ANCESTRY_DEPTH, readProcStat } from '@fortros/procfs';

export interface SupervisedPid {
  service: string;
  pid: number;
}

export interface Resolution {
  service: string;
  servicePid: number;
  /** Start time of the service's main pid (clock ticks since boot), as read from /proc. */
  pidStartTime: number;
}

/** Start times of main pids, read once when a pid is first seen (so a reused pid is noticed). */
export class PidStartTimes {
  private readonly times = new Map<number, number>();

  async record(pid: number): Promise<number | undefined> {
    if (pid <= 0) return undefined;
    const known = this.times.get(pid);
    if (known !== undefined) return known;
    const st = await readProcStat(pid);
    if (!st) return undefined;
    this.times.set(pid, st.startTime);
    return st.startTime;
  }

  get(pid: number): number | undefined {
    return this.times.get(pid);
  }

  /** Forget pids no longer in use. */
  retain(live: Set<number>): void {
    for (const pid of this.times.keys()) if (!live.has(pid)) this.times.delete(pid);
  }
}

export async function resolvePid(pid: number, supervised: SupervisedPid[], times: PidStartTimes): Promise<Resolution | undefined> {
  const byPid = new Map(supervised.filter((s) => s.pid > 0).map((s) => [s.pid, s.service]));
  let cur = pid;
  for (let depth = 0; depth < MAX_ANCESTRY_DEPTH && cur > 1; depth++) {
    const st = await readProcStat(cur);
    if (!st) return undefined;
    const service = byPid.get(cur);
    if (service !== undefined) {
      const recorded = times.get(cur) ?? (await times.record(cur));
      // A pid whose start time differs from the one recorded when init first saw it is not that service's.
      if (recorded !== undefined && recorded !== st.startTime) return undefined;
      return { service, servicePid: cur, pidStartTime: st.startTime };
    }
    cur = st.ppid;
  }
  return undefined;
}
