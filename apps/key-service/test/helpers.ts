// Test helpers: temp dirs, a recording logger, polling with a deadline, and child processes we own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogFields } from '@fortros/log';

export async function tempDir(prefix = 'fortros-keys-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface Recorded {
  level: string;
  msg: string;
  fields: LogFields;
}

/** A Logger that keeps every record, so tests can assert what was (and was not) logged. */
export function recordingLogger(records: Recorded[] = []): Logger & { records: Recorded[] } {
  const make = (bound: LogFields): Logger => ({
    debug: (msg, f) => records.push({ level: 'debug', msg, fields: { ...bound, ...f } }),
    info: (msg, f) => records.push({ level: 'info', msg, fields: { ...bound, ...f } }),
    warn: (msg, f) => records.push({ level: 'warn', msg, fields: { ...bound, ...f } }),
    error: (msg, f) => records.push({ level: 'error', msg, fields: { ...bound, ...f } }),
    child: (f) => make({ ...bound, ...f }),
  });
  return Object.assign(make({}), { records });
}

/** Poll `check` until it returns a value other than undefined, or fail after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Read lines from a child's stdout until `count` have arrived. */
export function readLines(child: ChildProcess, count: number, timeoutMs = 5000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} lines; got ${JSON.stringify(buf)}`)), timeoutMs);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n').filter((l) => l !== '');
      if (lines.length >= count && buf.endsWith('\n')) {
        clearTimeout(timer);
        resolve(lines);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before printing ${count} lines; got ${JSON.stringify(buf)}`));
    });
  });
}

/** Processes this test started, killed by pid (never by name) in `killAll`. */
export class OwnedProcesses {
  private readonly pids = new Set<number>();

  spawn(command: string, args: string[]): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.pid !== undefined) this.pids.add(child.pid);
    return child;
  }

  /** A pid our children reported (a grandchild), to be killed too. */
  adopt(pid: number): void {
    this.pids.add(pid);
  }

  killAll(): void {
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.pids.clear();
  }
}
