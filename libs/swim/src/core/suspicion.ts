// Lifeguard suspicion: a timeout that starts at max and shrinks toward min as independent confirmations arrive.

/** Lifeguard's bounds: min = minMult * log10(max(n, 10)) * interval, max = maxMult * min. */
export function suspicionBounds(n: number, probeIntervalMs: number, minMult: number, maxMult: number): { minMs: number; maxMs: number } {
  const minMs = minMult * Math.log10(Math.max(n, 10)) * probeIntervalMs;
  return { minMs, maxMs: maxMult * minMs };
}

/** Timeout after `c` of `k` confirmations: max - (max - min) * log(c + 1) / log(k + 1), never below min. */
export function suspicionTimeout(c: number, k: number, minMs: number, maxMs: number): number {
  if (k < 1) return minMs;
  const frac = Math.log(c + 1) / Math.log(k + 1);
  return Math.max(minMs, Math.floor(maxMs - (maxMs - minMs) * frac));
}

/** One member's suspicion: who suspected it and when it times out. */
export class Suspicion {
  /** Suspectors seen so far; the first one is not a confirmation. */
  private readonly seen = new Set<string>();
  private confirmations = 0;

  constructor(
    readonly incarnation: number,
    from: string,
    readonly startedAt: number,
    private readonly k: number,
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.seen.add(from);
  }

  get confirmationCount(): number {
    return this.confirmations;
  }

  /** Records a suspector; true if it was a new, independent confirmation (to be re-gossiped). */
  confirm(from: string): boolean {
    if (this.confirmations >= this.k || this.seen.has(from)) return false;
    this.seen.add(from);
    this.confirmations++;
    return true;
  }

  get deadline(): number {
    return this.startedAt + suspicionTimeout(this.confirmations, this.k, this.minMs, this.maxMs);
  }
}
