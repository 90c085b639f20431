// A node's processes: fortros-init started detached inside the node's namespace (it outlives the command that
// started it, logging to a file), readiness read from that log, and kill -9 of everything in a namespace.
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { NODE_PATHS } from '@fortros/core';
import { run } from '@fortros/netlab';
import { readProcStat } from '@fortros/procfs';
import { INIT_MAIN } from './binaries.js';
import { KILL_WAIT_MS, LOG_TAIL_LINES, NODE_READY_MS, TERM_GRACE_MS } from './constants.js';
import { NodeBootError } from './errors.js';
import { poll } from './poll.js';
import { writeTree, type TreeSpec } from './service-tree.js';

/** What a lab cluster needs of a node's init, however it was started. */
export interface NodeInit {
  readonly root: string;
  readonly pid: number;
  waitForState(service: string, state: string, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Stop init and what it runs. */
  cleanup(): Promise<void>;
}

/** True while `pid` runs: a zombie its parent has not reaped yet counts as gone. */
export async function running(pid: number): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The pids of every process inside network namespace `netns`. */
export async function namespacePids(netns: string): Promise<number[]> {
  const out = await run('ip', ['netns', 'pids', netns]).catch(() => '');
  return out.split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
}

/** kill -9 of every process in `netns` (a node's init, its services and their workloads), by pid; resolves once they are gone. */
export async function killNamespace(netns: string, what: string): Promise<number[]> {
  const pids = await namespacePids(netns);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  await poll(async () => (await Promise.all(pids.map(running))).every((r) => !r), { what: `every process of ${what} gone`, timeoutMs: KILL_WAIT_MS });
  return pids;
}

type InitRecord = { msg?: unknown; service?: unknown; to?: unknown };

export interface DetachedStart {
  /** The node's name, for errors. */
  name: string;
  root: string;
  netns: string;
  /** init's stdout and stderr are appended here. */
  logFile: string;
  /** Written under root before init starts (omit to boot the tree already there). */
  tree?: TreeSpec;
  prepare?: (root: string) => Promise<void>;
}

/** fortros-init in its own session inside a namespace, not a child anyone waits on: it outlives its starter. */
export class DetachedInit implements NodeInit {
  private constructor(readonly name: string, readonly root: string, readonly pid: number, readonly logFile: string, private readonly logOffset: number) {}

  static async start(o: DetachedStart): Promise<DetachedInit> {
    if (o.tree) await writeTree(join(o.root, NODE_PATHS.servicesDir), o.tree);
    await o.prepare?.(o.root);
    const fd = openSync(o.logFile, 'a');
    const offset = statSync(o.logFile).size;
    try {
      const child = spawn('ip', ['netns', 'exec', o.netns, process.execPath, INIT_MAIN, '--root', o.root, '--log-format', 'json'], { detached: true, stdio: ['ignore', fd, fd] });
      await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      child.unref();
      return new DetachedInit(o.name, o.root, child.pid!, o.logFile, offset);
    } finally {
      closeSync(fd);
    }
  }

  /** The last lines init wrote since this start. */
  async logTail(lines = LOG_TAIL_LINES): Promise<string> {
    return (await this.logLines()).slice(-lines).join('\n');
  }

  private async logLines(): Promise<string[]> {
    const f = await open(this.logFile, 'r');
    try {
      const { size } = await f.stat();
      const buf = Buffer.alloc(Math.max(0, size - this.logOffset));
      await f.read(buf, 0, buf.length, this.logOffset);
      return buf.toString('utf8').split('\n').filter((l) => l !== '');
    } finally {
      await f.close();
    }
  }

  /** Until init logs `service` entering `state`; NodeBootError (with the log's tail) if init exits or the deadline passes. */
  async waitForState(service: string, state: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const seen = (l: string): boolean => {
      if (!l.startsWith('{')) return false;
      try {
        const r = JSON.parse(l) as InitRecord;
        return r.msg === 'service state' && r.service === service && r.to === state;
      } catch {
        return false;
      }
    };
    try {
      await poll(async () => {
        if ((await this.logLines()).some(seen)) return true;
        if (!(await running(this.pid))) throw new NodeBootError(this.name, `fortros-init (pid ${this.pid}) exited before ${service} was ${state}`, await this.logTail());
        return false;
      }, { what: `${service} of ${this.name} to be ${state}`, timeoutMs: options.timeoutMs ?? NODE_READY_MS });
    } catch (err) {
      if (err instanceof NodeBootError) throw err;
      throw new NodeBootError(this.name, (err as Error).message, await this.logTail());
    }
  }

  /** SIGTERM (init stops its tree, draining workloads), then SIGKILL by pid after TERM_GRACE_MS. */
  async cleanup(): Promise<void> {
    await stopInit(this.pid);
  }
}

/** SIGTERM to an init by pid, SIGKILL if it is still there after TERM_GRACE_MS; resolves once it is gone. */
export async function stopInit(pid: number): Promise<void> {
  if (!(await running(pid))) return;
  try {
    process.kill(pid, 'SIGTERM');
    await poll(async () => !(await running(pid)), { what: `init ${pid} to exit`, timeoutMs: TERM_GRACE_MS });
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    await poll(async () => !(await running(pid)), { what: `init ${pid} to be killed`, timeoutMs: KILL_WAIT_MS }).catch(() => undefined);
  }
}
