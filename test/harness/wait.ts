// Waiting in tests: poll a condition with a deadline (never a bare sleep standing in for synchronisation).
import { readFile } from 'node:fs/promises';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Says what was awaited when the deadline passes. */
  what?: string;
}

export const DEFAULT_WAIT_MS = 15_000;
const POLL_INTERVAL_MS = 25;

export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs ?? DEFAULT_WAIT_MS} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? POLL_INTERVAL_MS));
  }
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
