// Commands of the lab, through execa, bounded by a timeout; a failure becomes LabCommandError with the stderr.
import { execa } from 'execa';
import { COMMAND_TIMEOUT_MS } from './constants.js';
import { LabCommandError } from './errors.js';
import { parseNetnsList } from './rules.js';

export interface RunOptions {
  timeoutMs?: number;
  /** Written to the command's stdin (nft scripts). */
  input?: string;
}

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const r = await execa(file, args, { reject: false, timeout: options.timeoutMs ?? COMMAND_TIMEOUT_MS, input: options.input ?? '', env: { LC_ALL: 'C' } });
  if (r.failed) {
    const stderr = r.timedOut ? `timed out after ${options.timeoutMs ?? COMMAND_TIMEOUT_MS} ms` : String(r.stderr ?? '');
    throw new LabCommandError([file, ...args].join(' '), r.exitCode, stderr);
  }
  return String(r.stdout ?? '');
}

/** The network namespaces that exist now. */
export async function listNetns(): Promise<string[]> {
  return parseNetnsList(await run('ip', ['netns', 'list']));
}

/** True while `pid` exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
