// A small bounded queue of lifecycle events: signal handlers and promise callbacks push, the loop awaits next().
import { MAX_PENDING_EVENTS } from '../constants.js';
import type { MeshEvent } from './lifecycle.js';


export class EventQueue {
  private readonly queue: MeshEvent[] = [];
  private wake: (() => void) | undefined;

  push(event: MeshEvent): void {
    if (this.queue.length >= MAX_PENDING_EVENTS && event !== 'stop:requested') return;
    this.queue.push(event);
    this.wake?.();
  }

  async next(): Promise<MeshEvent> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.queue.shift()!;
  }
}
