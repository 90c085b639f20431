// Waiting in tests: poll a condition with a deadline (never a bare sleep standing in for synchronisation).
import { readFile } from 'node:fs/promises';
import { poll } from '@fortros/lab';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Says what was awaited when the deadline passes. */
  what?: string;
}

export const DEFAULT_WAIT_MS = 15_000;
const POLL_INTERVAL_MS = 25;

/** @fortros/lab's poll, with the tests' defaults: what is awaited is optional, the deadline DEFAULT_WAIT_MS. */
export function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  return poll(check, { what: options.what ?? 'a condition', timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS, intervalMs: options.intervalMs ?? POLL_INTERVAL_MS });
}

/** Wait for a file to exist and hold at least one line; returns its lines. */
export async function waitForLines(path: string, count = 1, options: WaitOptions = {}): Promise<string[]> {
  return waitUntil(async () => {
    const lines = await readLines(path);
    return lines.length >= count ? lines : undefined;
  }, { what: `${count} line(s) in ${path}`, ...options });
}

export async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}
