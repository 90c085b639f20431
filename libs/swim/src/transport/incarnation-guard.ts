// IncarnationGuard: the runner's rule that no packet leaves carrying an incarnation above the one persisted (a bound
// reserved ahead), so a node restarted at that bound + 1 always comes back above anything it ever gossiped.
import { INCARNATION_RESERVE, INCARNATION_SAVE_RETRY_MS, MAX_HELD_PACKETS, MAX_INCARNATION } from '../constants.js';
import type { SendAction, SwimLogger } from '../types.js';

/** Durable storage of the highest incarnation this node may use (the maintainer's incarnation file). */
export interface IncarnationStore {
  /** Records `bound` durably; resolves once a crash can no longer lose it. */
  save(bound: number): Promise<void>;
}

export interface IncarnationGuardComponents {
  store: IncarnationStore;
  /** The core's current incarnation. */
  incarnation: () => number;
  /** Hands one packet to the transport. */
  send: (action: SendAction) => void;
  clock: () => number;
  logger?: SwimLogger;
}

/** The bound saved for `incarnation`: INCARNATION_RESERVE above it, capped (never below the incarnation itself). */
export function incarnationBound(incarnation: number): number {
  return Math.max(incarnation, Math.min(MAX_INCARNATION, incarnation + INCARNATION_RESERVE));
}

/**
 * Keeps a saved bound ahead of the incarnation: a new one is saved (without holding anything) once less than half of
 * the reserve is left, and only an incarnation past the saved bound (a refutation of a much higher rumour, or the
 * reserve used up while a save is slow) holds outgoing packets, in order, until a bound above it is durable.
 */
export class IncarnationGuard {
  /** Highest bound known durable; -1 before start(). */
  private durable = -1;
  private saving = false;
  private retryAt = -Infinity;
  private held: SendAction[] = [];
  private stopped = false;
  /** Packets dropped because the hold queue was full (the oldest go first). */
  dropped = 0;

  constructor(private readonly c: IncarnationGuardComponents) {}

  /** Saves the first bound; nothing may be sent before it resolves. */
  async start(incarnation: number): Promise<void> {
    const bound = incarnationBound(incarnation);
    await this.c.store.save(bound);
    this.durable = Math.max(this.durable, bound);
  }

  /** Forgets held packets; later saves only record their bound. */
  stop(): void {
    this.stopped = true;
    this.held = [];
  }

  /** Packets of one step: sent now, or held behind earlier held ones while the incarnation is above the durable bound. */
  send(sends: readonly SendAction[]): void {
    if (this.stopped) return;
    this.reserveAhead();
    if (this.held.length === 0 && this.c.incarnation() <= this.durable) {
      for (const s of sends) this.c.send(s);
      return;
    }
    for (const s of sends) this.held.push(s);
    if (this.held.length > MAX_HELD_PACKETS) {
      this.dropped += this.held.length - MAX_HELD_PACKETS;
      this.held.splice(0, this.held.length - MAX_HELD_PACKETS);
    }
  }

  /** Starts saving a new bound when less than half of the reserve is left (one save at a time; a failed one waits). */
  private reserveAhead(): void {
    const incarnation = this.c.incarnation();
    if (this.saving || this.c.clock() < this.retryAt || incarnation + INCARNATION_RESERVE / 2 <= this.durable) return;
    const bound = incarnationBound(incarnation);
    // At the ceiling the bound cannot move further ahead: nothing new to save (saving it again would loop).
    if (bound <= this.durable) return;
    this.saving = true;
    this.c.store.save(bound).then(
      () => {
        this.saving = false;
        this.durable = Math.max(this.durable, bound);
        this.release();
      },
      (err: unknown) => {
        this.saving = false;
        this.retryAt = this.c.clock() + INCARNATION_SAVE_RETRY_MS;
        this.c.logger?.error('cannot persist the incarnation bound; packets carrying a higher incarnation stay held', { bound, held: this.held.length, err });
      },
    );
  }

  /** After a save: sends what was held once the incarnation is covered, else saves again. */
  private release(): void {
    if (this.stopped) return;
    this.reserveAhead();
    if (this.c.incarnation() > this.durable) return;
    const held = this.held;
    this.held = [];
    for (const s of held) this.c.send(s);
  }
}
