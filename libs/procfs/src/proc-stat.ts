// /proc/PID/stat, parsed once for everyone: a process's state, parent and start time, and a bounded walk up its ancestry.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_ANCESTRY_DEPTH } from './constants.js';
import { ProcessGoneError, ProcStatParseError } from './errors.js';

/** The fields of /proc/PID/stat that init, the RPC layer and attribution need. */
export interface ProcStat {
  pid: number;
  /** Field 2, without the parentheses; may contain spaces and parentheses. */
  comm: string;
  /** Field 3 (R, S, D, Z, …). */
  state: string;
  /** Field 4. */
  ppid: number;
  /** Field 22: start time after boot, in clock ticks; with the pid, it names one process for the boot's life. */
  startTime: number;
}

/**
 * Parse /proc/PID/stat. `comm` (field 2) is enclosed in parentheses and may itself contain spaces and
 * parentheses, so the fields after it are found from the LAST `)` of the line.
 */
export function parseProcStat(text: string, pid: number): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new ProcStatParseError(`/proc/${pid}/stat: no "(comm)" field`);
  const statedPid = Number(text.slice(0, open).trim());
  // Fields 3, 4 and 22 by walking the single spaces after ") " (no split: this runs for every attributed call).
  let at = close + 2; // field 3 starts here
  let field = 3;
  let state = '';
  let ppid = NaN;
  let startTime = NaN;
  while (field <= 22 && at <= text.length) {
    let end = text.indexOf(' ', at);
    if (end < 0) end = text.length;
    if (field === 3) state = text.slice(at, end);
    else if (field === 4) ppid = Number(text.slice(at, end));
    else if (field === 22) startTime = Number(text.slice(at, end).trim());
    at = end + 1;
    field++;
  }
  if (statedPid !== pid || state.length !== 1 || !Number.isSafeInteger(ppid) || ppid < 0) {
    throw new ProcStatParseError(`/proc/${pid}/stat: unexpected pid, state or ppid field`);
  }
  if (!Number.isSafeInteger(startTime) || startTime < 0) {
    throw new ProcStatParseError(`/proc/${pid}/stat: field 22 (starttime) is not a number`);
  }
  return { pid, comm: text.slice(open + 1, close), state, ppid, startTime };
}

/** Reads of /proc, rooted so tests can point at a fake tree. Reads are synchronous: procfs never touches a disk. */
export class ProcFs {
  constructor(readonly root = '/proc') {}

  /** /proc/PID/stat; throws ProcessGoneError when the process does not exist (any more). */
  stat(pid: number): ProcStat {
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new ProcessGoneError(`no process has pid ${pid}`, pid);
    let text: string;
    try {
      text = readFileSync(join(this.root, String(pid), 'stat'), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ESRCH') throw new ProcessGoneError(`process ${pid} is gone`, pid);
      throw err;
    }
    return parseProcStat(text, pid);
  }

  parentPid(pid: number): number {
    return this.stat(pid).ppid;
  }

  startTime(pid: number): number {
    return this.stat(pid).startTime;
  }

  /**
   * The process and its ancestors, nearest first, up to (and including) the process whose parent is 0
   * or `maxDepth` ancestors. Stops early (without throwing) if an ancestor vanishes mid-walk.
   */
  ancestry(pid: number, maxDepth = MAX_ANCESTRY_DEPTH): ProcStat[] {
    const chain = [this.stat(pid)];
    for (let depth = 0; depth < maxDepth; depth++) {
      const ppid = chain[chain.length - 1]!.ppid;
      if (ppid <= 0) break;
      try {
        chain.push(this.stat(ppid));
      } catch (err) {
        if (err instanceof ProcessGoneError) break;
        throw err;
      }
    }
    return chain;
  }
}

/** /proc/PID/stat read asynchronously (for scans of every process); undefined when the process is gone or unreadable. */
export async function readProcStat(pid: number, root = '/proc'): Promise<ProcStat | undefined> {
  const text = await readFile(join(root, String(pid), 'stat'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return parseProcStat(text, pid);
  } catch {
    return undefined;
  }
}

/** Field 22 of a process (clock ticks since boot), or undefined when it is gone. With the pid it names one process. */
export function processStartTime(pid: number, root = '/proc'): number | undefined {
  try {
    return new ProcFs(root).startTime(pid);
  } catch {
    return undefined;
  }
}
