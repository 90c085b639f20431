// Fan-out of supervisor state changes to WatchEvents streams, each with a bounded backlog.
import { BoundedQueue, QueueOverflowError } from '@fortros/core';
import { MAX_EVENT_BACKLOG, MAX_EVENT_SUBSCRIBERS } from '../constants.js';
import { EventBacklogError, TooManyRequestsError } from '../errors.js';
import type { ServiceStateChange } from '../supervisor/supervisor.js';

export interface SequencedChange extends ServiceStateChange {
  seq: number;
}

interface Subscriber {
  filter: Set<string> | undefined;
  queue: BoundedQueue<SequencedChange>;
}

export class EventHub {
  private seq = 0;
  private readonly subs = new Set<Subscriber>();

  publish(change: ServiceStateChange): void {
    const ev = { ...change, seq: ++this.seq };
    for (const s of this.subs) {
      if (s.filter && !s.filter.has(ev.name)) continue;
      s.queue.push(ev);
    }
  }

  /** Changes from now on, until the signal aborts. Throws EventBacklogError if the consumer falls too far behind. */
  async *subscribe(names: string[], signal: AbortSignal): AsyncGenerator<SequencedChange> {
    if (this.subs.size >= MAX_EVENT_SUBSCRIBERS) throw new TooManyRequestsError('event subscribers', MAX_EVENT_SUBSCRIBERS);
    const queue = new BoundedQueue<SequencedChange>({ max: MAX_EVENT_BACKLOG, onFull: 'overflow', what: 'event subscriber' });
    const sub: Subscriber = { filter: names.length ? new Set(names) : undefined, queue };
    this.subs.add(sub);
    try {
      yield* queue.drain(signal);
    } catch (err) {
      throw err instanceof QueueOverflowError ? new EventBacklogError(MAX_EVENT_BACKLOG) : err;
    } finally {
      this.subs.delete(sub);
    }
  }

  get lastSeq(): number {
    return this.seq;
  }
}
