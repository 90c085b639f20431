// Memory and CPU time of a supervision tree: the supervisor and every descendant that is not a service's own program,
// summed from /proc/PID/smaps_rollup (PSS: each shared page split among the processes mapping it; RSS; anonymous
// PSS) and /proc/PID/task/*/schedstat (ns on a CPU, every thread).
import { readdirSync, readFileSync } from 'node:fs';

/** Programs of the services (bench/init/program.ts: sh, date, then exec sleep): not part of the supervision tree. */
const SERVICE_COMMANDS = new Set(['sh', 'date', 'sleep']);

export interface TreeMemory {
  /** Sums over the tree, in KiB. */
  pssKiB: number;
  pssAnonKiB: number;
  rssKiB: number;
  processes: number;
}

function parentAndComm(pid: number): { ppid: number; comm: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(stat.slice(close + 2).split(' ')[1]) };
  } catch {
    return undefined; // gone
  }
}

function rollup(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1').split('\n')) {
      const m = /^(\w+):\s+(\d+) kB/.exec(line);
      if (m) out.set(m[1]!, Number(m[2]));
    }
  } catch {
    // gone meanwhile: counts as nothing
  }
  return out;
}

/** The supervisor `root` and its descendants, minus the services' programs. */
function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  const comms = new Map<number, string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const info = parentAndComm(Number(e));
    if (!info) continue;
    comms.set(Number(e), info.comm);
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(e)]);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    todo.push(...(children.get(pid) ?? []));
    if (pid === root || !SERVICE_COMMANDS.has(comms.get(pid) ?? '')) out.push(pid);
  }
  return out;
}

export function treeMemory(root: number): TreeMemory {
  const total: TreeMemory = { pssKiB: 0, pssAnonKiB: 0, rssKiB: 0, processes: 0 };
  for (const pid of treePids(root)) {
    const r = rollup(pid);
    total.pssKiB += r.get('Pss') ?? 0;
    total.pssAnonKiB += r.get('Pss_Anon') ?? 0;
    total.rssKiB += r.get('Rss') ?? 0;
    total.processes++;
  }
  return total;
}

/** ns one process has run, all its threads (schedstat's first field); 0 when it is gone. */
function runNs(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
      } catch {
        // the thread ended
      }
    }
  } catch {
    // gone meanwhile: counts as nothing
  }
  return ns;
}

/**
 * CPU ms the supervision tree has used so far (its processes alive now; a service's process counts as its own
 * program's from its clone on, for every peer alike).
 */
export function treeCpuMs(root: number): number {
  return treePids(root).reduce((a, pid) => a + runNs(pid), 0) / 1e6;
}
