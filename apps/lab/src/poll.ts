// Waiting with a deadline: poll a condition until it holds (never a bare sleep standing in for synchronisation).
import { POLL_INTERVAL_MS } from './constants.js';
import { PollTimeoutError } from './errors.js';

export interface PollOptions {
  /** What is awaited, for the timeout's message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

/** Resolves with the first value of `check` that is neither undefined nor false; PollTimeoutError past the deadline. */
export async function poll<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new PollTimeoutError(options.what, options.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? POLL_INTERVAL_MS));
  }
}
