// A bounded queue between an event source and one watch stream: a watcher that falls too far behind is ended.
import { MAX_WATCHERS, WATCH_QUEUE_MAX } from '../constants.js';
import { ResponseLimitError } from '../errors.js';

export class WatchQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;
  private overflowed = false;

  constructor(private readonly max = WATCH_QUEUE_MAX) {}

  push(item: T): void {
    if (this.overflowed) return;
    if (this.items.length >= this.max) this.overflowed = true;
    else this.items.push(item);
    this.wake?.();
  }

  /** Yields queued items until `signal` aborts; throws ResponseLimitError once the queue overflowed. */
  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    const onAbort = (): void => this.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (this.overflowed) throw new ResponseLimitError(`watch: fell more than ${this.max} events behind; watch again`);
        const batch = this.items.splice(0);
        for (const item of batch) yield item;
        if (batch.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
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
