// Time for the supervisor: the current time and timers, injected so tests can drive them (STYLE §8).

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `fn` once after `ms`; the timer does not keep the process alive on its own if `unref` is set. */
  setTimer(ms: number, fn: () => void, options?: { unref?: boolean }): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn, options) {
    if (ms <= 0 && !options?.unref) {
      // due now (a restart at once): the next turn of the loop, not a timer's ≥ 1 ms later
      const i = setImmediate(fn);
      return { cancel: () => clearImmediate(i) };
    }
    const t = setTimeout(fn, Math.max(0, ms));
    if (options?.unref) t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
