// Process checks for tests: is a pid still a live (non-zombie) process?
import { readFileSync } from 'node:fs';

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
