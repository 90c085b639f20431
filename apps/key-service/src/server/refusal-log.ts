// Warnings about refused callers, rate-limited per caller pid, so a misbehaving local process cannot flood the log.
import type { Logger } from '@fortros/log';
import { MAX_TRACKED_REFUSED_CALLERS, REFUSAL_LOG_INTERVAL_MS, REFUSAL_LOG_MAX_LINES_PER_INTERVAL } from '../constants.js';

/** One refused call: who the kernel says called, and why it was refused (names and pids; never key material). */
export interface Refusal {
  pid: number;
  uid: number;
  reason: string;
}

export interface RefusalLogOptions {
  /** Shortest time between two lines about one pid, in ms. */
  intervalMs?: number;
  /** Lines per interval across all pids. */
  maxLinesPerInterval?: number;
  /** Pids remembered; the least recently refused is evicted beyond this. */
  maxCallers?: number;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
}

interface RefusedCaller {
  uid: number;
  /** The latest refusal's reason. */
  reason: string;
  /** When this pid's last line was written; undefined until its first (which the line budget may defer). */
  loggedAt: number | undefined;
  /** Refusals of this pid in no line yet. */
  unlogged: number;
}

/**
 * Per pid, the first refusal is logged at once, with `pid`, `uid` and `reason`. Later ones are counted, and the pid
 * gets at most one more line per interval: at the first refusal after the interval (`caller refused`, `suppressed` =
 * refusals since its previous line that had none), or at the next sweep() (`caller refusals suppressed`, the count
 * and the latest reason). A pid quiet for a whole interval is forgotten: its next refusal is logged at once again.
 *
 * Bounds: at most maxLinesPerInterval such lines per interval across all pids (refusals beyond are counted and
 * logged by a later sweep); at most maxCallers pids remembered, the least recently refused evicted with its count
 * added to a tally that sweep() logs in one line (`more caller refusals suppressed`, `callers`, `suppressed`). So at
 * most maxLinesPerInterval + 1 lines per interval, and every refusal is counted in some line (stop() logs the rest).
 */
export class RefusalLog {
  readonly intervalMs: number;
  readonly maxLinesPerInterval: number;
  readonly maxCallers: number;
  private readonly clock: () => number;
  /** Map iteration order is insertion order: re-inserting on each refusal keeps the least recently refused first. */
  private readonly callers = new Map<number, RefusedCaller>();
  private windowStart = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  /** Refusals of pids evicted (or left over at stop) before their count was logged. */
  private readonly untracked = { callers: 0, refusals: 0 };
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    options: RefusalLogOptions = {},
  ) {
    this.intervalMs = positiveInteger('intervalMs', options.intervalMs ?? REFUSAL_LOG_INTERVAL_MS);
    this.maxLinesPerInterval = positiveInteger('maxLinesPerInterval', options.maxLinesPerInterval ?? REFUSAL_LOG_MAX_LINES_PER_INTERVAL);
    this.maxCallers = positiveInteger('maxCallers', options.maxCallers ?? MAX_TRACKED_REFUSED_CALLERS);
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Sweep every interval until stop(). Idempotent. */
  start(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), this.intervalMs);
    this.sweeper.unref();
  }

  /** Stop sweeping; log what was counted and not yet logged (per pid within the line budget, the rest in one line). */
  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const now = this.clock();
    for (const [pid, caller] of this.callers) {
      if (caller.unlogged > 0 && this.takeLine(now)) this.logSuppressed(pid, caller, now);
      else this.forget(caller);
    }
    this.callers.clear();
    this.logUntracked();
  }

  /** Pids remembered (≤ maxCallers). */
  get size(): number {
    return this.callers.size;
  }

  refused(refusal: Refusal): void {
    const now = this.clock();
    let caller = this.callers.get(refusal.pid);
    if (caller) {
      this.callers.delete(refusal.pid);
    } else {
      if (this.callers.size >= this.maxCallers) this.evictLeastRecent();
      caller = { uid: refusal.uid, reason: refusal.reason, loggedAt: undefined, unlogged: 0 };
    }
    this.callers.set(refusal.pid, caller);
    caller.uid = refusal.uid;
    caller.reason = refusal.reason;
    caller.unlogged++;
    if (this.due(caller, now) && this.takeLine(now)) {
      this.log.warn('caller refused', { pid: refusal.pid, uid: refusal.uid, reason: refusal.reason, suppressed: caller.unlogged - 1 });
      caller.loggedAt = now;
      caller.unlogged = 0;
    }
  }

  /** Log the counts whose interval has passed, forget pids quiet for an interval, log the evicted pids' tally. */
  sweep(): void {
    const now = this.clock();
    for (const [pid, caller] of this.callers) {
      if (!this.due(caller, now)) continue;
      if (caller.unlogged === 0) {
        this.callers.delete(pid);
        continue;
      }
      if (this.takeLine(now)) this.logSuppressed(pid, caller, now); // else counted on, logged at a later sweep
    }
    this.logUntracked();
  }

  private logSuppressed(pid: number, caller: RefusedCaller, now: number): void {
    this.log.warn('caller refusals suppressed', { pid, uid: caller.uid, reason: caller.reason, suppressed: caller.unlogged });
    caller.loggedAt = now;
    caller.unlogged = 0;
  }

  private due(caller: RefusedCaller, now: number): boolean {
    return caller.loggedAt === undefined || now - caller.loggedAt >= this.intervalMs;
  }

  /** One line of this interval's budget, if any is left. */
  private takeLine(now: number): boolean {
    if (now - this.windowStart >= this.intervalMs) {
      this.windowStart = now;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.maxLinesPerInterval) return false;
    this.linesInWindow++;
    return true;
  }

  private evictLeastRecent(): void {
    const oldest = this.callers.entries().next().value;
    if (!oldest) return;
    this.callers.delete(oldest[0]);
    this.forget(oldest[1]);
  }

  private forget(caller: RefusedCaller): void {
    if (caller.unlogged === 0) return;
    this.untracked.callers++;
    this.untracked.refusals += caller.unlogged;
  }

  private logUntracked(): void {
    if (this.untracked.refusals === 0) return;
    this.log.warn('more caller refusals suppressed', { callers: this.untracked.callers, suppressed: this.untracked.refusals });
    this.untracked.callers = 0;
    this.untracked.refusals = 0;
  }
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`refusal log ${field}: expected a positive integer, got ${String(value)}`);
  return value;
}
