// Restart backoff of a crashing longrun: pure arithmetic over the crash streak.
import { doublingBackoffMs } from '@fortros/core';
import { CRASH_LOOP_MAX_RESTARTS, RESTART_DELAY_MIN_MS, RESTART_RESET_AFTER_MS } from '../constants.js';

/** Delay before the restart that follows the `crashes`-th consecutive fast crash: 1 s, 2 s, 4 s … up to `maxMs`. */
export function restartDelayMs(crashes: number, maxMs: number): number {
  return doublingBackoffMs(Math.max(crashes, 1), RESTART_DELAY_MIN_MS, maxMs);
}

/**
 * When the restart after the `crashes`-th consecutive fast crash of a run spawned at `spawnedAt` may spawn. The first
 * crash of a streak waits only for the 1 s minimum between two spawns (s6-supervise's rule: a run that was up longer
 * restarts at once); each further one waits 2 s, 4 s … after the death, up to `maxMs`.
 */
export function restartAt(crashes: number, spawnedAt: number, now: number, maxMs: number): number {
  const spacing = spawnedAt + RESTART_DELAY_MIN_MS;
  if (crashes <= 1) return Math.max(now, spacing);
  return Math.max(spacing, now + restartDelayMs(crashes, maxMs));
}

/** The crash streak after a run that started at `spawnedAt` died at `now`; a long run starts a new streak. */
export function nextStreak(prev: { crashes: number; streakStartedAt: number }, spawnedAt: number, now: number): { crashes: number; streakStartedAt: number } {
  if (prev.crashes === 0 || now - spawnedAt >= RESTART_RESET_AFTER_MS) return { crashes: 1, streakStartedAt: spawnedAt };
  return { crashes: prev.crashes + 1, streakStartedAt: prev.streakStartedAt };
}

/** True when the streak holds more fast restarts than allowed (the crash-loop limit). */
export function isCrashLoop(crashes: number): boolean {
  return crashes - 1 >= CRASH_LOOP_MAX_RESTARTS;
}
