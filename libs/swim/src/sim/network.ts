// The simulated network: per-link latency with seeded jitter, loss probability, and partitions into groups.
import type { Random } from '../types.js';

export interface NetworkOptions {
  /** Per-link base latency is drawn once per link in [latencyMinMs, latencyMaxMs]. */
  latencyMinMs?: number;
  latencyMaxMs?: number;
  /** Each packet adds a uniform jitter in [0, jitterMs]. */
  jitterMs?: number;
  /** Probability in [0, 1) that a packet is lost. */
  loss?: number;
}

const mix = (a: number, b: number, seed: number): number => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b ^ seed, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
};

export class SimNetwork {
  latencyMinMs: number;
  latencyMaxMs: number;
  jitterMs: number;
  loss: number;
  /** Partition group of each node index; all 0 when healed. */
  private groups = new Map<number, number>();

  constructor(
    private readonly random: Random,
    private readonly seed: number,
    options: NetworkOptions = {},
  ) {
    this.latencyMinMs = options.latencyMinMs ?? 1;
    this.latencyMaxMs = options.latencyMaxMs ?? 10;
    this.jitterMs = options.jitterMs ?? 2;
    this.loss = options.loss ?? 0;
    if (!(this.latencyMinMs >= 0 && this.latencyMaxMs >= this.latencyMinMs)) throw new RangeError(`latency: expected 0 <= min <= max, got ${this.latencyMinMs}..${this.latencyMaxMs}`);
    if (!(this.loss >= 0 && this.loss < 1)) throw new RangeError(`loss: expected a probability in [0, 1), got ${this.loss}`);
  }

  /** Splits the nodes into groups that cannot reach each other; nodes not listed form one more group. */
  partition(groups: readonly (readonly number[])[]): void {
    this.groups = new Map();
    groups.forEach((g, gi) => g.forEach((i) => this.groups.set(i, gi + 1)));
  }

  heal(): void {
    this.groups = new Map();
  }

  get partitioned(): boolean {
    return this.groups.size > 0;
  }

  group(i: number): number {
    return this.groups.get(i) ?? 0;
  }

  reachable(a: number, b: number): boolean {
    return this.group(a) === this.group(b);
  }

  /** Delay of one packet from a to b, or undefined when it is lost or partitioned away. */
  deliveryDelay(a: number, b: number): number | undefined {
    if (!this.reachable(a, b)) return undefined;
    if (this.loss > 0 && this.random.next() < this.loss) return undefined;
    const base = this.latencyMinMs + mix(Math.min(a, b), Math.max(a, b), this.seed) * (this.latencyMaxMs - this.latencyMinMs);
    return base + this.random.next() * this.jitterMs;
  }
}
