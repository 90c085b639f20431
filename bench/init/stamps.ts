// The one clock of the benchmark and the stamp files: every program appends `<CLOCK_REALTIME ns> <pid>` (date +%s%N)
// to its file; the bench reads them and stamps its own events (spawn, kill) on the same clock, calibrated here.
import { watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BOOT_TIMEOUT_MS, CALIBRATE_SPIN_MAX_MS, STAMP_POLL_MS } from './constants.js';

/** CLOCK_REALTIME in ns, as `date +%s%N` reads it. */
export type Clock = () => bigint;

/**
 * A realtime clock with sub-µs steps: performance.now() (monotonic) anchored at the moment Date.now() ticks.
 * Calibrated again before every measurement, so slewing of the realtime clock never accumulates.
 */
export function calibratedClock(): Clock {
  const first = Date.now();
  const spinUntil = performance.now() + CALIBRATE_SPIN_MAX_MS;
  let tick = first;
  while (tick === first && performance.now() < spinUntil) tick = Date.now();
  const at = performance.now();
  const baseNs = BigInt(tick) * 1_000_000n;
  return () => baseNs + BigInt(Math.round((performance.now() - at) * 1e6));
}

export const msBetween = (from: bigint, to: bigint): number => Number(to - from) / 1e6;

export interface Stamp {
  ns: bigint;
  pid: number;
}

/** The complete lines of `<dir>/<name>`, oldest first; none when the file does not exist yet. */
export async function readStamps(dir: string, name: string): Promise<Stamp[]> {
  let text: string;
  try {
    text = await readFile(join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Stamp[] = [];
  for (const line of text.split('\n').slice(0, -1)) {
    const m = /^(\d+) (\d+)$/.exec(line);
    if (!m) throw new Error(`${join(dir, name)}: expected "<ns> <pid>", got ${JSON.stringify(line)}`);
    out.push({ ns: BigInt(m[1]!), pid: Number(m[2]) });
  }
  return out;
}

/** The first stamp of every one of `names`, or undefined while one is missing. */
export async function firstStamps(dir: string, names: readonly string[]): Promise<Stamp[] | undefined> {
  if ((await readdir(dir)).length < names.length) return undefined;
  const out: Stamp[] = [];
  for (const name of names) {
    const s = (await readStamps(dir, name))[0];
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}

export interface WaitOptions<T> {
  /** Watched with inotify (fs.watch), polled every STAMP_POLL_MS as well. */
  dir: string;
  what: string;
  check: () => Promise<T | undefined>;
  /** A reason to give up early (the supervisor died), checked after every miss. */
  failed?: () => string | undefined;
  timeoutMs?: number;
}

/** Resolves with the first value `check` returns; rejects on `failed`, an error of `check`, or the timeout. */
export function waitFor<T>(o: WaitOptions<T>): Promise<T> {
  const timeoutMs = o.timeoutMs ?? BOOT_TIMEOUT_MS;
  return new Promise<T>((resolve, reject) => {
    let busy = false;
    let again = false;
    let done = false;
    const watcher = watch(o.dir, () => void attempt());
    const poll = setInterval(() => void attempt(), STAMP_POLL_MS);
    const timer = setTimeout(() => finish(new Error(`${o.what}: not done within ${timeoutMs} ms`)), timeoutMs);
    function finish(err: Error | undefined, value?: T): void {
      if (done) return;
      done = true;
      watcher.close();
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    }
    async function attempt(): Promise<void> {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          if (done) return;
          const value = await o.check();
          if (value !== undefined) return finish(undefined, value);
          const why = o.failed?.();
          if (why !== undefined) return finish(new Error(`${o.what}: ${why}`));
        } while (again);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      } finally {
        busy = false;
      }
    }
    void attempt();
  });
}
