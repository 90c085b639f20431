// The live readers of one service log (`follow`): bounded per-reader buffers fed by the writer, as async iterables.
import { droppedMarker } from './constants.js';
import type { LogEntry } from './service-log.js';

interface Follower {
  buffer: LogEntry[];
  dropped: number;
  ended: boolean;
  wake: (() => void) | undefined;
}

export class LogFollowers {
  private readonly followers = new Set<Follower>();
  private ended = false;

  constructor(
    private readonly maxFollowers: number,
    private readonly maxBufferedLines: number,
  ) {}

  get size(): number {
    return this.followers.size;
  }

  /**
   * Register a follower now (so it sees every line published from here on) and return its lines: `initial`
   * first, then published ones. Throws RangeError when `maxFollowers` already follow.
   */
  add(initial: LogEntry[], signal: AbortSignal): AsyncIterable<LogEntry> {
    if (this.followers.size >= this.maxFollowers) {
      throw new RangeError(`follow: expected at most ${this.maxFollowers} followers of one log, got one more`);
    }
    const follower: Follower = { buffer: initial, dropped: 0, ended: this.ended, wake: undefined };
    if (!signal.aborted) this.followers.add(follower);
    // Unregister on abort even when the iteration never started (its `finally` would not run).
    const onAbort = (): void => {
      this.followers.delete(follower);
      follower.wake?.();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return this.iterate(follower, signal, onAbort);
  }

  publish(entries: readonly LogEntry[]): void {
    for (const f of this.followers) {
      for (const entry of entries) {
        if (f.buffer.length >= this.maxBufferedLines) {
          f.dropped++;
          continue;
        }
        if (f.dropped > 0) {
          f.buffer.push({ at: entry.at, line: droppedMarker(f.dropped) });
          f.dropped = 0;
        }
        f.buffer.push(entry);
      }
      f.wake?.();
    }
  }

  /** The log closed: every follower ends once it has read what it has. */
  end(): void {
    this.ended = true;
    for (const f of this.followers) {
      f.ended = true;
      f.wake?.();
    }
    this.followers.clear(); // nothing is published any more; each iteration still drains its own buffer
  }

  private async *iterate(f: Follower, signal: AbortSignal, onAbort: () => void): AsyncGenerator<LogEntry> {
    try {
      for (;;) {
        if (signal.aborted) return;
        if (f.buffer.length > 0) {
          const batch = f.buffer;
          f.buffer = [];
          for (const entry of batch) {
            if (signal.aborted) return;
            yield entry;
          }
          continue;
        }
        if (f.dropped > 0) {
          yield { at: new Date(), line: droppedMarker(f.dropped) };
          f.dropped = 0;
          continue;
        }
        if (f.ended) return;
        await new Promise<void>((resolve) => {
          f.wake = resolve;
        });
        f.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.followers.delete(f);
    }
  }
}
