// Spawning and signalling processes: the Spawner interface the supervisor is given, and its node:child_process form.
import { spawn as spawnChild, type StdioOptions } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import type { Readable } from 'node:stream';
import { ProcessGoneError, ProcFs } from '@fortros/procfs';
import { SpawnError } from '../errors.js';

export interface SpawnRequest {
  /** Executed directly (no shell). */
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Open a pipe at this fd (≥ 3) in the child for readiness notification. */
  notificationFd?: number;
  /** An fd of init to give the child as its stdin (a log pipeline's read end); default: none (/dev/null). */
  stdinFd?: number;
  /** An fd of init to give the child as its stdout (a log pipeline's write end); default: a pipe init reads. */
  stdoutFd?: number;
}

export interface SpawnedProcess {
  pid: number;
  /** Undefined when the request gave `stdoutFd`. */
  stdout?: Readable;
  stderr: Readable;
  /** Our end of the notification pipe, when asked for. */
  notification?: Readable;
  /** True once the process has exited (its exit may not have been delivered yet: a zombie counts as exited). */
  hasExited(): boolean;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface Spawner {
  /** Spawn in a new session and process group (pgid = pid). Throws SpawnError when it cannot be executed. */
  spawn(request: SpawnRequest): SpawnedProcess;
  /** Send a signal to one process; a process that is already gone is not an error. */
  kill(pid: number, signal: NodeJS.Signals): void;
  /** Send a signal to a whole process group; an empty group is not an error. */
  killGroup(pgid: number, signal: NodeJS.Signals): void;
}

/**
 * A child whose exit node has not reported yet may still be dead already: a zombie waiting for libuv's waitpid
 * (init stalled, or the exit is queued behind a timer), or gone. /proc tells; the pid cannot be reused meanwhile,
 * as nobody but libuv reaps an own child (the orphan reaper leaves them alone).
 */
export function deadPerProc(procfs: ProcFs, pid: number): boolean {
  try {
    const state = procfs.stat(pid).state;
    return state === 'Z' || state === 'X';
  } catch (err) {
    return err instanceof ProcessGoneError;
  }
}

export function sendSignal(target: number, signal: NodeJS.Signals): void {
  if (target === 0) return; // never the caller's own group (kill(0) and kill(-0))
  try {
    process.kill(target, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** `procfs` is where hasExited() looks for a child whose exit is not delivered yet (tests may point it elsewhere). */
export function createNodeSpawner(procfs = new ProcFs()): Spawner {
  return {
    spawn(req) {
      try {
        accessSync(req.file, fsConstants.X_OK);
      } catch (err) {
        throw new SpawnError(req.file, (err as NodeJS.ErrnoException).code ?? String(err));
      }
      const stdio: StdioOptions = [req.stdinFd ?? 'ignore', req.stdoutFd ?? 'pipe', 'pipe'];
      if (req.notificationFd !== undefined) {
        for (let fd = 3; fd < req.notificationFd; fd++) stdio.push('ignore');
        stdio.push('pipe');
      }
      const child = spawnChild(req.file, req.args, { cwd: req.cwd, env: req.env, stdio, detached: true, shell: false });
      let exited = false;
      const listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
      child.on('error', () => {
        /* reported below (no pid) or through 'exit'; never thrown */
      });
      if (child.pid === undefined) throw new SpawnError(req.file, 'spawn failed');
      const pid = child.pid;
      child.on('exit', (code, signal) => {
        exited = true;
        for (const l of listeners) l(code, signal);
      });
      return {
        pid,
        stdout: child.stdout ?? undefined,
        stderr: child.stderr!,
        notification: req.notificationFd !== undefined ? (child.stdio[req.notificationFd] as Readable) : undefined,
        hasExited: () => exited || child.exitCode !== null || child.signalCode !== null || deadPerProc(procfs, pid),
        onExit: (l) => void listeners.push(l),
      };
    },
    kill: (pid, signal) => sendSignal(pid, signal),
    killGroup: (pgid, signal) => sendSignal(-pgid, signal),
  };
}
