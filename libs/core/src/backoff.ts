// The one doubling backoff: first delay, then twice as long each time, up to a cap.
import { BACKOFF_MAX_DOUBLINGS } from './constants.js';

/**
 * Delay before retry number `attempt` (1 = the first retry): `firstMs`, 2×, 4× … capped at `maxMs` (a cap below
 * `firstMs` is raised to it). Attempt 0 or less waits nothing.
 */
export function doublingBackoffMs(attempt: number, firstMs: number, maxMs: number): number {
  if (attempt <= 0) return 0;
  const cap = Math.max(firstMs, maxMs);
  return Math.min(cap, firstMs * 2 ** Math.min(BACKOFF_MAX_DOUBLINGS, attempt - 1));
}
