// Retry delays while a daemon the reconciler needs is away: doubling from a floor to a cap, reset on success.
import { setTimeout as sleep } from 'node:timers/promises';
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS } from '../constants.js';

export class Backoff {
  private delay = 0;

  /** Wait before the next attempt (the first retry waits RECONNECT_MIN_MS); rejects when `signal` aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    this.delay = this.delay === 0 ? RECONNECT_MIN_MS : Math.min(this.delay * 2, RECONNECT_MAX_MS);
    await sleep(this.delay, undefined, { signal });
  }

  reset(): void {
    this.delay = 0;
  }
}
