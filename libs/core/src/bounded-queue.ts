// The one bounded queue between a producer and one async consumer: push never blocks; past its bound it overflows.
import { QueueOverflowError } from './errors.js';

export interface BoundedQueueOptions {
  /** Most items waiting. */
  max: number;
  /** `drop-newest`: refuse the item and count it; `overflow`: mark the queue overflowed, so the consumer ends. */
  onFull: 'drop-newest' | 'overflow';
  /** Names the queue in QueueOverflowError's message. */
  what: string;
}

export class BoundedQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;
  private overflowedAt = false;
  private droppedCount = 0;

  constructor(private readonly o: BoundedQueueOptions) {
    if (!Number.isSafeInteger(o.max) || o.max < 1) throw new RangeError(`${o.what}: expected a positive queue bound, got ${o.max}`);
  }

  /** Queue `item`; false when it was refused (full, or the queue has overflowed). Never blocks. */
  push(item: T): boolean {
    if (this.overflowedAt) return false;
    if (this.items.length >= this.o.max) {
      if (this.o.onFull === 'overflow') this.overflowedAt = true;
      else this.droppedCount++;
      this.wake?.();
      return false;
    }
    this.items.push(item);
    this.wake?.();
    return true;
  }

  get length(): number {
    return this.items.length;
  }

  /** Items refused by a full `drop-newest` queue. */
  get dropped(): number {
    return this.droppedCount;
  }

  get overflowed(): boolean {
    return this.overflowedAt;
  }

  /** The next item; undefined once `signal` aborts. Throws QueueOverflowError once an `overflow` queue overflowed. */
  async next(signal?: AbortSignal): Promise<T | undefined> {
    return (await this.take(signal))?.item;
  }

  /** Every item as it comes, until `signal` aborts (what is still queued then is left); throws like next(). */
  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    while (!signal.aborted) {
      const got = await this.take(signal);
      if (got === undefined || signal.aborted) return;
      yield got.item;
    }
  }

  private async take(signal: AbortSignal | undefined): Promise<{ item: T } | undefined> {
    for (;;) {
      if (this.overflowedAt) throw new QueueOverflowError(this.o.what, this.o.max);
      if (this.items.length > 0) return { item: this.items.shift() as T };
      if (signal?.aborted) return undefined;
      await this.waitForPush(signal);
    }
  }

  private waitForPush(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
