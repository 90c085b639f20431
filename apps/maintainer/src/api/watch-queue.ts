// A watch stream's queue (@fortros/core's BoundedQueue): a watcher that falls too far behind is ended.
import { BoundedQueue, QueueOverflowError } from '@fortros/core';
import { MAX_WATCHERS, WATCH_QUEUE_MAX } from '../constants.js';
import { ResponseLimitError } from '../errors.js';

export class WatchQueue<T> {
  private readonly queue: BoundedQueue<T>;

  constructor(private readonly max = WATCH_QUEUE_MAX) {
    this.queue = new BoundedQueue<T>({ max, onFull: 'overflow', what: 'watch' });
  }

  push(item: T): void {
    this.queue.push(item);
  }

  /** Yields queued items until `signal` aborts; throws ResponseLimitError once the queue overflowed. */
  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    try {
      yield* this.queue.drain(signal);
    } catch (err) {
      throw err instanceof QueueOverflowError ? new ResponseLimitError(`watch: fell more than ${this.max} events behind; watch again`) : err;
    }
  }
}

/** Counts concurrent watchers of one kind; refuses past MAX_WATCHERS. */
export class WatcherSlots {
  private active = 0;

  constructor(
    private readonly kind: string,
    private readonly max = MAX_WATCHERS,
  ) {}

  acquire(): () => void {
    if (this.active >= this.max) throw new ResponseLimitError(`${this.kind}: at most ${this.max} concurrent watchers`);
    this.active++;
    let released = false;
    return () => {
      if (!released) this.active--;
      released = true;
    };
  }
}
