// A Clock whose time moves only when a test says so: timers fire in time order (ties: in the order armed).
import type { Clock, TimerHandle } from '../../src/clock.js';

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private seq = 0;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), fn });
    return { cancel: () => void this.timers.delete(id) };
  }

  /** Timers armed and not yet fired or cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer is due, or undefined when none is. */
  nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /**
   * Fire the earliest timer due at or before `limit`, first moving the time to its due time. Returns false when no
   * timer is due by then (time does not move).
   */
  fireNext(limit: number): boolean {
    const t = this.earliest();
    if (t === undefined || t.at > limit) return false;
    this.timers.delete(t.id);
    this.time = Math.max(this.time, t.at);
    t.fn();
    return true;
  }

  /** Move the time forward to `at` without firing anything (the caller fired what was due before). */
  moveTo(at: number): void {
    this.time = Math.max(this.time, at);
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers.values()) if (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }
}
