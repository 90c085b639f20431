// Per-source limit on failed joins: a source with too many failures in a sliding window is refused outright.
export interface FailureLimiterOptions {
  /** Failures within the window that block the source. */
  maxFailures: number;
  windowMs: number;
  /** Most sources remembered; the least recently failed one is forgotten first. */
  maxSources: number;
  now: () => number;
}

export class FailureLimiter {
  /** Per source, the times of its recent failures (at most maxFailures), oldest first; Map order = least recent first. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: FailureLimiterOptions) {}

  /** True while `source` has maxFailures failures inside the window. */
  blocked(source: string): boolean {
    return this.recent(source).length >= this.options.maxFailures;
  }

  recordFailure(source: string): void {
    const times = this.recent(source);
    times.push(this.options.now());
    if (times.length > this.options.maxFailures) times.shift();
    this.failures.delete(source);
    this.failures.set(source, times);
    if (this.failures.size > this.options.maxSources) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Sources currently remembered (for counters and tests). */
  get size(): number {
    return this.failures.size;
  }

  private recent(source: string): number[] {
    const times = this.failures.get(source);
    if (!times) return [];
    const cutoff = this.options.now() - this.options.windowMs;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    if (times.length === 0) this.failures.delete(source);
    return times;
  }
}

/** The host part of grpc-js's peer string (`1.2.3.4:5678`, `[::1]:5678`, `ipv4:…`). */
export function sourceOf(peerAddress: string): string {
  const p = peerAddress.replace(/^ipv[46]:/, '');
  const bracket = /^\[([^\]]+)\](:\d+)?$/.exec(p);
  if (bracket) return bracket[1]!;
  const colon = p.lastIndexOf(':');
  return colon > 0 && p.indexOf(':') === colon ? p.slice(0, colon) : p;
}
