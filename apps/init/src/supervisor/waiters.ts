// Pending promises of control calls, settled by checking a condition after each turn of the event loop.
import { MAX_WAITERS } from '../constants.js';
import { TooManyRequestsError } from '../errors.js';

/** `undefined` = keep waiting; `{ value }` = resolve; an Error = reject. */
export type WaitCheck<T> = () => { value: T } | Error | undefined;

interface Waiter {
  check: WaitCheck<unknown>;
  resolve(value: unknown): void;
  reject(err: Error): void;
  cleanup(): void;
}

export class Waiters {
  private readonly list = new Set<Waiter>();

  add<T>(check: WaitCheck<T>, signal?: AbortSignal): Promise<T> {
    if (this.list.size >= MAX_WAITERS) return Promise.reject(new TooManyRequestsError('waiters', MAX_WAITERS));
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.list.delete(w);
        reject(signal!.reason as Error);
      };
      const w: Waiter = {
        check,
        resolve: resolve as (v: unknown) => void,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.list.add(w);
    });
  }

  /** Check every waiter once. */
  settle(): void {
    for (const w of [...this.list]) {
      let r;
      try {
        r = w.check();
      } catch (err) {
        r = err instanceof Error ? err : new Error(String(err)); // e.g. the service left the tree (rescan)
      }
      if (r === undefined) continue;
      this.list.delete(w);
      w.cleanup();
      if (r instanceof Error) w.reject(r);
      else w.resolve(r.value);
    }
  }

  rejectAll(err: Error): void {
    for (const w of this.list) {
      w.cleanup();
      w.reject(err);
    }
    this.list.clear();
  }
}
