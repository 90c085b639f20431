// Fan-out of supervisor state changes to WatchEvents streams, each with a bounded backlog.
import { MAX_EVENT_BACKLOG, MAX_EVENT_SUBSCRIBERS } from '../constants.js';
import { EventBacklogError, TooManyRequestsError } from '../errors.js';
import type { ServiceStateChange } from '../supervisor/supervisor.js';

export interface SequencedChange extends ServiceStateChange {
  seq: number;
}

interface Subscriber {
  filter: Set<string> | undefined;
  queue: SequencedChange[];
  wake: (() => void) | undefined;
  overflow: boolean;
}

export class EventHub {
  private seq = 0;
  private readonly subs = new Set<Subscriber>();

  publish(change: ServiceStateChange): void {
    const ev = { ...change, seq: ++this.seq };
    for (const s of this.subs) {
      if (s.filter && !s.filter.has(ev.name)) continue;
      if (s.queue.length >= MAX_EVENT_BACKLOG) s.overflow = true;
      else s.queue.push(ev);
      s.wake?.();
    }
  }

  /** Changes from now on, until the signal aborts. Throws EventBacklogError if the consumer falls too far behind. */
  async *subscribe(names: string[], signal: AbortSignal): AsyncGenerator<SequencedChange> {
    if (this.subs.size >= MAX_EVENT_SUBSCRIBERS) throw new TooManyRequestsError('event subscribers', MAX_EVENT_SUBSCRIBERS);
    const sub: Subscriber = { filter: names.length ? new Set(names) : undefined, queue: [], wake: undefined, overflow: false };
    this.subs.add(sub);
    const onAbort = (): void => sub.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (sub.overflow) throw new EventBacklogError(MAX_EVENT_BACKLOG);
        const next = sub.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (sub.wake = resolve));
        sub.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.subs.delete(sub);
    }
  }

  get lastSeq(): number {
    return this.seq;
  }
}
