// Times on the kernel's boot clock, so a process's start (from /proc/PID/stat) compares with a moment we noted.
import { readFileSync } from 'node:fs';
import { CLOCK_TICKS_PER_S } from './constants.js';

/** Milliseconds since boot, from /proc/uptime (10 ms resolution). */
export function uptimeMs(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
}

/** When `pid` started, in milliseconds since boot (field 22 of /proc/PID/stat, in clock ticks); undefined once gone. */
export function startedMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[19]) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
