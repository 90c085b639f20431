// Exits as events: inotify (fs.watch) on a driver's anchor directory and on each run's directory, so an anchor's
// atomic replace of its `state` file (started, exited, failed) wakes the converger at once.
import { type FSWatcher, mkdirSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { MAX_WORKLOADS } from '../constants.js';

/** The file every anchor replaces (rename over) on each change of its run. */
const STATE_FILE = 'state';

export interface StateWatchHandlers {
  /** Something under the directory changed: a run's state, or a run directory came or went. */
  onChange: () => void;
  /** A watch could not be set or failed (e.g. the inotify watch limit): changes are then seen by periodic passes only. */
  onError: (err: Error) => void;
}

/** Watches `dir` (created if missing) and each of its run directories; close() ends every watch. */
export class StateWatch {
  private top: FSWatcher | undefined;
  private readonly runs = new Map<string, FSWatcher>();
  private closed = false;

  constructor(private readonly dir: string, private readonly h: StateWatchHandlers) {}

  start(): void {
    if (this.top || this.closed) return;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.top = watch(this.dir, { persistent: false }, () => {
        this.sync();
        this.h.onChange();
      });
      this.top.on('error', (err) => this.h.onError(err));
    } catch (err) {
      this.h.onError(err as Error);
      return;
    }
    this.sync();
  }

  /** Watches the run directories present now and drops the watches of those gone. */
  sync(): void {
    if (this.closed) return;
    let names: string[];
    try {
      names = readdirSync(this.dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch (err) {
      this.h.onError(err as Error);
      return;
    }
    const present = new Set(names.slice(0, MAX_WORKLOADS));
    for (const [name, w] of this.runs) {
      if (present.has(name)) continue;
      w.close();
      this.runs.delete(name);
    }
    for (const name of present) if (!this.runs.has(name)) this.watchRun(name);
  }

  close(): void {
    this.closed = true;
    this.top?.close();
    this.top = undefined;
    for (const w of this.runs.values()) w.close();
    this.runs.clear();
  }

  private watchRun(name: string): void {
    try {
      const w = watch(join(this.dir, name), { persistent: false }, (_event, file) => {
        if (file === null || file === STATE_FILE) this.h.onChange();
      });
      // A removed directory ends its watch; the next sync forgets it.
      w.on('error', () => {
        w.close();
        if (this.runs.get(name) === w) this.runs.delete(name);
      });
      this.runs.set(name, w);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.h.onError(err as Error);
    }
  }
}

/**
 * The next change in one directory, or `ms` at most (a missed event costs no more than the poll it replaces): what
 * a driver waits on while an anchor it just started writes its first states. Changes since the last wait count.
 */
export class DirChanges {
  private watcher: FSWatcher | undefined;
  private dirty = false;
  private wake: (() => void) | undefined;

  constructor(dir: string) {
    try {
      this.watcher = watch(dir, { persistent: false }, () => {
        this.dirty = true;
        this.wake?.();
      });
      this.watcher.on('error', () => this.close());
    } catch {
      // no watch (the directory is gone, or no inotify watch left): plain polling
    }
  }

  async next(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (!this.dirty) {
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          this.wake = undefined;
          signal?.removeEventListener('abort', aborted);
        };
        const aborted = (): void => {
          done();
          reject(signal!.reason as Error);
        };
        const timer = setTimeout(() => (done(), resolve()), ms);
        this.wake = () => (done(), resolve());
        signal?.addEventListener('abort', aborted, { once: true });
      });
    }
    this.dirty = false;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
