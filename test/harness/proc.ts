// Process checks for tests: is a pid still a live (non-zombie) process, what is its parent, who are its children?
import { readdirSync, readFileSync } from 'node:fs';

/** True when /proc shows the process and it is not a zombie (a dead process its parent has not reaped). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z (zombie), T, X… */
  state: string;
  ppid: number;
}

/** State and parent of a process from /proc/PID/stat (parsed past the `(comm)` field); undefined once it is gone. */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const [state, ppid] = text.slice(close + 2).split(' ');
  return { pid, state: state!, ppid: Number(ppid) };
}

/** Every process whose parent is `ppid`, zombies included. */
export function childrenOf(ppid: number): ProcStat[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => procStat(Number(n)))
    .filter((s): s is ProcStat => s !== undefined && s.ppid === ppid);
}
