// The piggyback queue: one pending update per member, sent fresh-first, each retransmitted a bounded number of times.
import { encodeUpdate } from '../codec/codec.js';
import type { Update } from '../codec/messages.js';

/** Consecutive too-big candidates after which a packet stops looking for more updates. */
const MAX_MISSES = 8;

interface Entry {
  readonly key: string;
  readonly update: Update;
  readonly bytes: Uint8Array;
  readonly order: number;
  transmits: number;
  live: boolean;
}

/**
 * Entries live in buckets by transmit count; selection walks bucket 0 (never sent) newest first, then bucket 1…
 * Stale positions (superseded or moved) are skipped lazily and compacted when they pile up.
 */
export class BroadcastQueue {
  private readonly byKey = new Map<string, Entry>();
  private buckets: Entry[][] = [];
  private order = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Queues an update about `update.id`, replacing any older pending update about the same member. */
  push(update: Update): void {
    const old = this.byKey.get(update.id);
    if (old) old.live = false;
    else if (this.byKey.size >= this.maxEntries) this.dropOldest();
    const entry: Entry = { key: update.id, update, bytes: encodeUpdate(update), order: this.order++, transmits: 0, live: true };
    this.byKey.set(entry.key, entry);
    this.bucket(0).push(entry);
  }

  /** The pending update about `id`, if any. */
  pending(id: string): Update | undefined {
    return this.byKey.get(id)?.update;
  }

  /**
   * Takes up to `maxCount` encoded updates totalling at most `maxBytes`, fresh first; counts one transmission each and
   * retires entries sent `limit` times. `first` (if queued) is taken before all others (Lifeguard's buddy system).
   */
  take(maxCount: number, maxBytes: number, limit: number, first?: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    let room = maxBytes;
    const picked: Entry[] = [];
    const firstEntry = first === undefined ? undefined : this.byKey.get(first);
    if (firstEntry && firstEntry.bytes.length <= room && maxCount > 0) {
      picked.push(firstEntry);
      room -= firstEntry.bytes.length;
    }
    // Stop after a run of updates too big for the room left: the packet is as full as it usefully gets.
    let misses = 0;
    for (let t = 0; t < this.buckets.length && picked.length < maxCount && misses < MAX_MISSES; t++) {
      const bucket = this.buckets[t]!;
      for (let i = bucket.length - 1; i >= 0 && picked.length < maxCount && misses < MAX_MISSES; i--) {
        const e = bucket[i]!;
        if (!e.live || e.transmits !== t || e === firstEntry) continue;
        if (e.bytes.length > room) {
          misses++;
          continue;
        }
        picked.push(e);
        room -= e.bytes.length;
      }
    }
    for (const e of picked) {
      out.push(e.bytes);
      e.transmits++;
      if (e.transmits >= limit) this.retire(e);
      else this.bucket(e.transmits).push(e);
    }
    if (picked.length > 0) this.compact();
    return out;
  }

  private bucket(t: number): Entry[] {
    while (this.buckets.length <= t) this.buckets.push([]);
    return this.buckets[t]!;
  }

  private retire(e: Entry): void {
    e.live = false;
    if (this.byKey.get(e.key) === e) this.byKey.delete(e.key);
  }

  private dropOldest(): void {
    let oldest: Entry | undefined;
    for (const e of this.byKey.values()) if (!oldest || e.transmits > oldest.transmits || (e.transmits === oldest.transmits && e.order < oldest.order)) oldest = e;
    if (oldest) this.retire(oldest);
  }

  private compact(): void {
    let total = 0;
    for (const b of this.buckets) total += b.length;
    if (total <= 2 * this.byKey.size + 64) return;
    this.buckets = this.buckets.map((b, t) => b.filter((e) => e.live && e.transmits === t));
    while (this.buckets.length > 0 && this.buckets[this.buckets.length - 1]!.length === 0) this.buckets.pop();
  }
}
