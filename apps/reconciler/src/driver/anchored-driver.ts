// The one WorkloadDriver implementation: each run under its own anchor (libexec/fortros-anchor), all of its state
// in the anchor's directory, so any instance (a restarted reconciler) sees what a previous one started.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  ANCHOR_POLL_MS,
  ANCHOR_START_TIMEOUT_MS,
  MAX_WORKLOADS,
  STOP_TIMEOUT_MS,
  WORKLOAD_LOG_FILE_MAX_BYTES,
  WORKLOAD_LOG_FILES_MAX,
} from '../constants.js';
import { DriverSpecError, DriverStartError } from '../errors.js';
import type { ObservedRun } from '../plan/planner.js';
import type { WorkloadSpec } from '../spec.js';
import { exitFromStatus, isAlive, readAnchorState, startTimeToEpochMs } from './anchor-state.js';
import type { CallOptions, DriverBackend, RunContext, StartedRun, WorkloadDriver } from './driver.js';
import { DirChanges, StateWatch, type StateWatchHandlers } from './state-watch.js';

export const ANCHOR_SCRIPT = fileURLToPath(new URL('../../libexec/fortros-anchor', import.meta.url));
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export interface AnchoredDriverOptions {
  backend: DriverBackend;
  /** This driver's anchors, one directory per workload (RAM: `run/fortros/reconciler/<kind>/`). */
  stateDir: string;
  /** Workload logs, one directory per workload (`var/log/fortros/workloads/`). */
  logRoot: string;
  /** s6-log (Debian package s6), which the anchor feeds. */
  logger?: string;
  shell?: string;
  /** util-linux setsid: every workload leads its own session and process group, which stop signals as one. */
  setsid?: string;
  stopTimeoutMs?: number;
  startTimeoutMs?: number;
  now?: () => number;
}

export class AnchoredDriver implements WorkloadDriver {
  readonly kind: DriverBackend['kind'];
  private readonly backend: DriverBackend;
  private readonly stateDir: string;
  private readonly logRoot: string;
  private readonly logger: string;
  private readonly shell: string;
  private readonly setsid: string;
  private readonly stopTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: AnchoredDriverOptions) {
    this.backend = options.backend;
    this.kind = options.backend.kind;
    this.stateDir = options.stateDir;
    this.logRoot = options.logRoot;
    this.logger = options.logger ?? '/usr/bin/s6-log';
    this.shell = options.shell ?? '/bin/sh';
    this.setsid = options.setsid ?? '/usr/bin/setsid';
    this.stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
    this.startTimeoutMs = options.startTimeoutMs ?? ANCHOR_START_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  logDir(id: string): string {
    return join(this.logRoot, checkId(id));
  }

  async start(spec: WorkloadSpec, options: CallOptions = {}): Promise<StartedRun> {
    if (spec.driver !== this.kind) throw new DriverSpecError(spec.id, 'driver', `expected ${this.kind}, got ${String(spec.driver)}`);
    const dir = this.dir(spec.id);
    const previous = await this.observe(spec.id, options.signal);
    if (previous?.state === 'running') throw new DriverStartError(spec.id, `already running as pid ${previous.pid}`);
    if (previous !== undefined) await this.forget(spec.id);
    try {
      return await this.launch(spec, dir, options.signal);
    } catch (err) {
      // Kept as the run's state, so the failure is observed (list) like any other outcome, by any instance.
      if (err instanceof DriverStartError || err instanceof DriverSpecError) await this.recordFailure(dir, err.detail);
      throw err;
    }
  }

  private async launch(spec: WorkloadSpec, dir: string, signal?: AbortSignal): Promise<StartedRun> {
    try {
      accessSync(this.logger, fsConstants.X_OK);
    } catch {
      throw new DriverStartError(spec.id, `cannot run the log writer ${this.logger} (Debian package s6)`);
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { argv, env } = await this.backend.command(spec, dir);
    await mkdir(this.logDir(spec.id), { recursive: true, mode: 0o755 });
    const args = [ANCHOR_SCRIPT, dir, this.logDir(spec.id), this.logger, String(WORKLOAD_LOG_FILE_MAX_BYTES), String(WORKLOAD_LOG_FILES_MAX), '--', this.setsid, ...argv];
    // Own session (detached), no pipe to us: the anchor must not notice when this process dies.
    const child = spawn(this.shell, args, { detached: true, stdio: 'ignore', cwd: '/', env });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    try {
      await spawned;
    } catch (err) {
      throw new DriverStartError(spec.id, `cannot start its anchor: ${(err as Error).message}`, { cause: err });
    }
    child.unref();
    const run = await this.observe(spec.id, signal, { waitStart: true });
    if (run === undefined) throw new DriverStartError(spec.id, `its anchor wrote no state within ${this.startTimeoutMs} ms`);
    if (run.state === 'start-failed') throw new DriverStartError(spec.id, run.error);
    if (run.state === 'running') await this.backend.whenStarted?.({ id: spec.id, dir, pid: run.pid }, signal);
    return { pid: run.pid, startedAt: run.startedAt };
  }

  /** `failed 0 0 REASON` in the state file, as the anchor writes its own failures, unless the anchor wrote one. */
  private async recordFailure(dir: string, reason: string): Promise<void> {
    const file = join(dir, 'state');
    if (exists(file)) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(`${file}.tmp`, `failed 0 0 ${reason.replace(/\s+/g, ' ')}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  async stop(id: string, options: CallOptions = {}): Promise<void> {
    const run = await this.observe(id, options.signal);
    if (run?.state !== 'running') return;
    const ctx: RunContext = { id, dir: this.dir(id), pid: run.pid };
    await this.backend.requestStop(ctx).catch(() => undefined);
    if (!(await this.waitEnded(id, this.stopTimeoutMs, options.signal))) {
      await this.backend.kill(ctx).catch(() => undefined);
      await this.waitEnded(id, this.startTimeoutMs, options.signal);
    }
    // Whatever the workload left in its process group goes with it (the group outlives its leader).
    signalGroup(run.pid, 'SIGKILL');
    await this.backend.cleanup(ctx);
  }

  async remove(id: string, options: CallOptions = {}): Promise<void> {
    await this.stop(id, options);
    await this.forget(id);
  }

  async list(options: CallOptions = {}): Promise<Map<string, ObservedRun>> {
    const runs = new Map<string, ObservedRun>();
    let names: string[];
    try {
      names = readdirSync(this.stateDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return runs;
      throw err;
    }
    for (const id of names.sort().slice(0, MAX_WORKLOADS)) {
      if (!ID_PATTERN.test(id)) continue; // the runtime's own directories (.runc)
      const run = await this.observe(id, options.signal);
      if (run !== undefined) runs.set(id, run);
    }
    return runs;
  }

  /** inotify on the anchors' directory: each anchor replaces its state file on every change of its run. */
  watch(handlers: StateWatchHandlers): { close(): void } {
    const w = new StateWatch(this.stateDir, handlers);
    w.start();
    return w;
  }

  private dir(id: string): string {
    return join(this.stateDir, checkId(id));
  }

  private async forget(id: string): Promise<void> {
    await this.backend.cleanup({ id, dir: this.dir(id), pid: 0 });
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Polls until the run is not running (any more); false at the deadline. */
  private async waitEnded(id: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      if ((await this.observe(id, signal))?.state !== 'running') return true;
      if (this.now() >= deadline) return false;
      await sleep(ANCHOR_POLL_MS, undefined, { signal });
    }
  }

  /**
   * The run as its state file and /proc show it. Transient states (an anchor still starting, a workload gone
   * whose anchor is about to record its exit) are waited out, up to the start timeout.
   */
  private async observe(id: string, signal?: AbortSignal, opts: { waitStart?: boolean } = {}): Promise<ObservedRun | undefined> {
    const dir = this.dir(id);
    const file = join(dir, 'state');
    const deadline = this.now() + this.startTimeoutMs;
    let changes: DirChanges | undefined; // made at the first wait: most calls read a settled state once
    try {
      for (;; await (changes ??= new DirChanges(dir)).next(ANCHOR_POLL_MS, signal)) {
        const late = this.now() >= deadline;
        let read: ReturnType<typeof readAnchorState>;
        try {
          read = readAnchorState(file);
        } catch (err) {
          return { state: 'start-failed', error: (err as Error).message, at: this.now() };
        }
        if (read === undefined) {
          if (!opts.waitStart && !exists(dir)) return undefined;
          if (!late) continue;
          return { state: 'start-failed', error: `its anchor wrote no state in ${file}`, at: this.now() };
        }
        const { state, mtimeMs } = read;
        switch (state.phase) {
          case 'failed':
            return { state: 'start-failed', error: state.reason, at: mtimeMs };
          case 'starting':
            if (isAlive(state.anchor) && !late) continue;
            return { state: 'start-failed', error: 'its anchor ended before starting the workload', at: mtimeMs };
          case 'running':
            if (isAlive(state.workload)) return { state: 'running', pid: state.workload.pid, startedAt: startTimeToEpochMs(state.workload.start), startTime: state.workload.start };
            if (isAlive(state.anchor) && !late) continue; // about to record the exit
            // Neither the workload nor its anchor is left, and no exit was recorded: the run is lost.
            return { state: 'exited', pid: state.workload.pid, exit: { code: null, signal: null }, startedAt: startTimeToEpochMs(state.workload.start), endedAt: this.now() };
          case 'exited':
            return { state: 'exited', pid: state.workload.pid, exit: exitFromStatus(state.status), startedAt: startTimeToEpochMs(state.workload.start), endedAt: mtimeMs };
        }
      }
    } finally {
      changes?.close();
    }
  }
}

function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) throw new DriverSpecError(String(id), 'id', `expected [A-Za-z0-9][A-Za-z0-9._@-]*, got ${JSON.stringify(id)}`);
  return id;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group `pgid` (every workload is a session leader); a group already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
