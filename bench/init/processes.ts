// The supervisor under test as a child process (own process group, stderr kept), and the cleanup: every process of a
// run carries its marker in the environment, so a sweep of /proc finds and SIGKILLs exactly those, by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DRAIN_POLL_MS,
  INIT_RECORDS_MAX,
  MARKER_CHECK_RETRY_MS,
  MARKER_CHECK_TRIES,
  STDERR_TAIL_LINES,
  STOP_GRACE_MS,
  SWEEP_PASSES,
  SWEEP_WAIT_MS,
} from './constants.js';
import { MARKER_ENV } from './program.js';

/** Markers and temp dirs of runs not yet cleaned up; the exit handler sweeps and removes them. */
const liveMarkers = new Set<string>();
const liveDirs = new Set<string>();

/** Remember a run's marker (swept at exit) or a temp dir (removed at exit) until it is cleaned up normally. */
export const trackMarker = (marker: string): void => void liveMarkers.add(marker);
export const untrackMarker = (marker: string): void => void liveMarkers.delete(marker);
export const trackDir = (dir: string): void => void liveDirs.add(dir);
export const untrackDir = (dir: string): void => void liveDirs.delete(dir);

/** Whether `pid` is a live process of the run marked `marker` (checked before every kill of a service). */
export function hasMarker(pid: number, marker: string): boolean {
  try {
    return Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]).includes(Buffer.from(`\0${MARKER_ENV}=${marker}\0`));
  } catch {
    return false; // gone, or not ours to read
  }
}

/** hasMarker, asked again a few times (bounded): /proc/PID/environ can read empty while PID is in execve. */
export async function isOfRun(pid: number, marker: string): Promise<boolean> {
  for (let i = 0; i < MARKER_CHECK_TRIES; i++) {
    if (hasMarker(pid, marker)) return true;
    await sleep(MARKER_CHECK_RETRY_MS);
  }
  return false;
}

/** Pids of live processes whose environment holds `MARKER_ENV=marker` (never this process). */
function markedPids(marker: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .map(Number)
    .filter((pid) => hasMarker(pid, marker));
}

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Waits (bounded) for the processes of the run to end on their own; returns how many are still there. */
export async function drain(marker: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let left = markedPids(marker).length;
  while (left > 0 && Date.now() < deadline) {
    await sleep(DRAIN_POLL_MS);
    left = markedPids(marker).length;
  }
  return left;
}

/** SIGKILL every process of the run, again until none is left (bounded); returns how many were found. */
export async function sweep(marker: string): Promise<number> {
  let found = 0;
  for (let pass = 0; pass < SWEEP_PASSES; pass++) {
    const pids = markedPids(marker);
    if (pids.length === 0) break;
    found += pids.length;
    killPids(pids);
    const deadline = Date.now() + SWEEP_WAIT_MS;
    while (Date.now() < deadline && markedPids(marker).some((p) => pids.includes(p))) await sleep(10);
  }
  return found;
}

/** Last resort at exit (error, Ctrl-C): SIGKILL what every unfinished run left, remove the temp dirs. */
export function cleanupSync(): void {
  for (const marker of liveMarkers) for (let pass = 0; pass < SWEEP_PASSES; pass++) killPids(markedPids(marker));
  liveMarkers.clear();
  for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  liveDirs.clear();
}

export interface LaunchSpec {
  file: string;
  args: string[];
  cwd: string;
  /** How this peer is asked to stop everything and exit. */
  stopSignal: NodeJS.Signals;
}

/** One supervisor process: spawned in its own process group with the run's marker, stderr kept by line. */
export class SupervisorProcess {
  readonly lines: string[] = [];
  exited = false;
  exitStatus = '';
  private readonly child: ChildProcess;
  private readonly exitPromise: Promise<void>;
  private partial = '';

  constructor(
    private readonly spec: LaunchSpec,
    marker: string,
  ) {
    this.child = spawn(spec.file, spec.args, { cwd: spec.cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, [MARKER_ENV]: marker } });
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitStatus = signal ? `killed by ${signal}` : `exited with ${code}`;
        resolve();
      });
      this.child.once('error', (err) => {
        this.exited = true;
        this.exitStatus = `could not start: ${err.message}`;
        resolve();
      });
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      const parts = (this.partial + d).split('\n');
      this.partial = parts.pop()!;
      for (const line of parts) if (this.lines.length < INIT_RECORDS_MAX) this.lines.push(line);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why waiting on this supervisor is pointless (it is gone), if it is. */
  gone(): string | undefined {
    return this.exited ? `${this.spec.file} ${this.exitStatus}; its stderr:\n${this.tail()}` : undefined;
  }

  tail(): string {
    return this.lines.slice(-STDERR_TAIL_LINES).join('\n');
  }

  /** The peer's stop signal, then SIGKILL to its process group after STOP_GRACE_MS (`forced`). */
  async stop(): Promise<{ forced: boolean }> {
    if (this.exited || this.child.pid === undefined) return { forced: false };
    this.child.kill(this.spec.stopSignal);
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([this.exitPromise.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_GRACE_MS)))]);
    clearTimeout(timer);
    if (!inTime) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
      await this.exitPromise;
    }
    return { forced: !inTime };
  }
}
