// A binary min-heap of timed simulator events, ordered by (time, insertion order) so runs are deterministic.

export interface Timed {
  readonly at: number;
  /** Insertion order; set by the queue. */
  seq?: number;
}

export class EventQueue<T extends Timed> {
  private readonly heap: T[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(item: T): void {
    item.seq = this.counter++;
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  private less(a: T, b: T): boolean {
    return a.at < b.at || (a.at === b.at && a.seq! < b.seq!);
  }
}
