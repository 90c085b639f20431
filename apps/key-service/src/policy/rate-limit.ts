// Per-caller token buckets for derivations, with a bounded, least-recently-used table of callers.
import { DERIVE_BURST, DERIVE_RATE_PER_SEC, MAX_TRACKED_CALLERS } from '../constants.js';

export interface RateLimiterOptions {
  /** Tokens added per second to each caller's bucket. */
  ratePerSec?: number;
  /** Bucket size: the most a caller may spend at once. */
  burst?: number;
  /** Callers remembered; the least recently used is evicted (and starts again with a full bucket). */
  maxCallers?: number;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
}

/** The answer to take(): allowed, or how long until one token is available. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly maxCallers: number;
  private readonly clock: () => number;
  /** Map iteration order is insertion order: re-inserting on use keeps the least recently used first. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions = {}) {
    this.ratePerSec = positive('ratePerSec', options.ratePerSec ?? DERIVE_RATE_PER_SEC);
    this.burst = positive('burst', options.burst ?? DERIVE_BURST);
    this.maxCallers = positive('maxCallers', options.maxCallers ?? MAX_TRACKED_CALLERS);
    if (!Number.isInteger(this.maxCallers)) throw new TypeError(`maxCallers: expected an integer, got ${this.maxCallers}`);
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Spend `cost` tokens of `caller`'s bucket if it has them. */
  take(caller: string, cost = 1): RateDecision {
    const now = this.clock();
    let bucket = this.buckets.get(caller);
    if (bucket) {
      this.buckets.delete(caller);
      const elapsedSec = Math.max(0, now - bucket.at) / 1000;
      bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSec * this.ratePerSec);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxCallers) {
        const lru = this.buckets.keys().next().value;
        if (lru !== undefined) this.buckets.delete(lru);
      }
      bucket = { tokens: this.burst, at: now };
    }
    this.buckets.set(caller, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((cost - bucket.tokens) / this.ratePerSec) * 1000) };
  }

  /** Callers currently tracked (≤ maxCallers). */
  get size(): number {
    return this.buckets.size;
  }

  clear(): void {
    this.buckets.clear();
  }
}

function positive(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`rate limiter ${field}: expected a positive number, got ${String(value)}`);
  }
  return value;
}
